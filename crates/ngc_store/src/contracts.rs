//! The contract register (migrations 0016 and 0017): every contract a council holds, from an
//! award, entered by hand or imported; its buyers with their shares; each replaced version;
//! its documents; and how it pays (migration 0019, `payments`): its payment terms, the
//! provider's claims and the payments made; its KPIs (migration 0022, `kpis`): the KPIs,
//! the provider's returns and the performance failures with their penalties; and its
//! variations, terminations and reversals of termination (migration 0021, `variations`), each
//! replacing the contract's current value and end with the version replaced kept. The
//! payments made under a council's register, for the payment performance returns, are read
//! by `payment_reporting`.
//!
//! Who may read which contract is one rule, written once as SQL (`VISIBLE`): a provider reads
//! the contracts it supplies, across every council; a council's staff read the contracts their
//! council buys and those of the partnerships it belongs to. Lists and single reads both go
//! through it.

mod kpis;
mod payment_reporting;
mod payments;
mod read;
mod variations;
mod write;

use crate::StoreError;
use crate::organisations::decode;
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::contracts::kpi::KpiExemption;
use ngc_domain::contracts::{ContractStatus, Route, VatTreatment, register};
use ngc_domain::money::Money;
use ngc_domain::procurement::{ContractType, Regime};
use serde::Serialize;
use sqlx::FromRow;

pub use kpis::{ContractKpi, FailureRecord, KpiReturn, NewKpiReturn};
pub use payment_reporting::ReportedPayment;
pub use payments::{Claim, NewPayment, Payment, PaymentTermsVersion};
pub use read::{ContractFilter, ContractPage, Scope};
pub use variations::{NewVariation, Variation};
pub use write::{ImportOutcome, NewContract, NewDocument, SupplierSnapshot};

/// A contract in the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    pub id: i64,
    /// The council whose register holds it (the lead buyer of a joint contract).
    pub organisation_id: Option<i64>,
    pub organisation: Option<String>,
    /// The partnership whose members read it, if any.
    pub partnership_id: Option<i64>,
    pub partnership: Option<String>,
    /// The council's own reference.
    pub reference: Option<String>,
    pub tender_id: Option<i64>,
    pub lot_number: Option<i32>,
    pub award_id: Option<i64>,
    pub supplier_id: i64,
    pub supplier: String,
    pub supplier_name: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub department: String,
    pub contract_type: ContractType,
    pub regime: Regime,
    pub route: Route,
    pub route_ground: String,
    /// The whole contract's current value.
    pub value: Money,
    /// The value a year, where stated.
    pub annual_value: Option<Money>,
    pub vat_treatment: VatTreatment,
    pub irrecoverable_vat: Money,
    /// The value and end as let, before any variation.
    pub original_value: Money,
    pub original_ends_on: Option<NaiveDate>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub extension_options: String,
    pub latest_end_on: Option<NaiveDate>,
    /// The supplier as it was when the contract was let.
    pub supplier_sme: bool,
    pub supplier_vcse: bool,
    pub supplier_mutual: bool,
    pub supplier_identifiers: Vec<String>,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: String,
    /// `award`, `entered` or `imported`.
    pub origin: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub buyers: Vec<ContractBuyer>,
    /// Why the council considers KPIs not appropriate (PA2023 s52(2)); blank if none.
    pub no_agreed_metrics_rationale: String,
    /// The exemption from the KPI duty the council recorded, if any.
    pub kpi_exemption: Option<KpiExemption>,
    /// How many KPIs it has (migration 0022), read with the contract.
    pub kpi_count: i64,
}

impl Contract {
    /// The contract's status on `today`.
    pub fn status(&self, today: NaiveDate) -> ContractStatus {
        register::status(self.starts_on, self.ends_on, self.terminated_on, today)
    }
}

/// A buyer of a contract with its share and its part of the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractBuyer {
    pub organisation_id: i64,
    pub organisation: String,
    pub share_percent: String,
    pub amount: Money,
}

/// A version of a contract that a change replaced.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct ContractRevision {
    pub id: i64,
    pub contract_id: i64,
    /// The contract as it was, as JSON.
    pub snapshot: String,
    /// Why it was replaced (`import of contracts.csv`).
    pub reason: String,
    pub replaced_by: Option<i64>,
    pub replaced_at: DateTime<Utc>,
}

/// A document of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct ContractDocument {
    pub id: i64,
    pub contract_id: i64,
    pub title: String,
    pub kind: String,
    pub url: Option<String>,
    pub body: Option<String>,
    pub sha256: Option<String>,
    pub added_by: Option<i64>,
    pub added_at: DateTime<Utc>,
}

/// The columns of a contract, in the order `ContractRow` reads them.
macro_rules! contract_columns {
    () => {
        "c.id, c.organisation_id, h.slug AS organisation, c.partnership_id, \
         p.slug AS partnership, c.reference, c.tender_id, c.lot_number, c.award_id, \
         c.supplier_id, s.slug AS supplier, s.name AS supplier_name, c.title, c.description, \
         c.category, c.department, c.contract_type, c.regime, c.route, c.route_ground, \
         c.value, c.annual_value, c.vat_treatment, c.irrecoverable_vat, c.original_value, \
         c.original_ends_on, c.starts_on, c.ends_on, c.review_on, c.extension_options, \
         c.latest_end_on, c.supplier_sme, c.supplier_vcse, c.supplier_mutual, \
         c.supplier_identifiers, c.terminated_on, c.termination_reason, c.origin, \
         c.created_by, c.created_at, c.updated_at, c.no_agreed_metrics_rationale, \
         c.kpi_exemption, \
         (SELECT COUNT(*) FROM contract_kpis ck WHERE ck.contract_id = c.id) AS kpi_count \
         FROM contracts c JOIN organisations s ON s.id = c.supplier_id \
         LEFT JOIN organisations h ON h.id = c.organisation_id \
         LEFT JOIN partnerships p ON p.id = c.partnership_id "
    };
}
pub(crate) use contract_columns;

#[derive(FromRow)]
pub(crate) struct ContractRow {
    id: i64,
    organisation_id: Option<i64>,
    organisation: Option<String>,
    partnership_id: Option<i64>,
    partnership: Option<String>,
    reference: Option<String>,
    tender_id: Option<i64>,
    lot_number: Option<i32>,
    award_id: Option<i64>,
    supplier_id: i64,
    supplier: String,
    supplier_name: String,
    title: String,
    description: String,
    category: String,
    department: String,
    contract_type: String,
    regime: String,
    route: String,
    route_ground: String,
    value: i64,
    annual_value: Option<i64>,
    vat_treatment: String,
    irrecoverable_vat: i64,
    original_value: Option<i64>,
    original_ends_on: Option<NaiveDate>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    review_on: Option<NaiveDate>,
    extension_options: String,
    latest_end_on: Option<NaiveDate>,
    supplier_sme: bool,
    supplier_vcse: bool,
    supplier_mutual: bool,
    supplier_identifiers: String,
    terminated_on: Option<NaiveDate>,
    termination_reason: String,
    origin: String,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: Option<DateTime<Utc>>,
    no_agreed_metrics_rationale: String,
    kpi_exemption: Option<String>,
    kpi_count: i64,
}

#[derive(FromRow)]
pub(crate) struct BuyerRow {
    contract_id: i64,
    organisation_id: i64,
    organisation: String,
    share_percent: String,
    amount: i64,
}

impl BuyerRow {
    fn into_buyer(self) -> ContractBuyer {
        ContractBuyer {
            organisation_id: self.organisation_id,
            organisation: self.organisation,
            share_percent: self.share_percent,
            amount: Money::pence(self.amount),
        }
    }
}

impl ContractRow {
    pub(crate) fn into_contract(self, buyers: Vec<ContractBuyer>) -> Result<Contract, StoreError> {
        Ok(Contract {
            id: self.id,
            organisation_id: self.organisation_id,
            organisation: self.organisation,
            partnership_id: self.partnership_id,
            partnership: self.partnership,
            reference: self.reference,
            tender_id: self.tender_id,
            lot_number: self.lot_number,
            award_id: self.award_id,
            supplier_id: self.supplier_id,
            supplier: self.supplier,
            supplier_name: self.supplier_name,
            title: self.title,
            description: self.description,
            category: self.category,
            department: self.department,
            contract_type: decode(&self.contract_type, "contracts.contract_type")?,
            regime: decode(&self.regime, "contracts.regime")?,
            route: decode(&self.route, "contracts.route")?,
            route_ground: self.route_ground,
            value: Money::pence(self.value),
            annual_value: self.annual_value.map(Money::pence),
            vat_treatment: decode(&self.vat_treatment, "contracts.vat_treatment")?,
            irrecoverable_vat: Money::pence(self.irrecoverable_vat),
            original_value: Money::pence(self.original_value.unwrap_or(self.value)),
            original_ends_on: self.original_ends_on,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            review_on: self.review_on,
            extension_options: self.extension_options,
            latest_end_on: self.latest_end_on,
            supplier_sme: self.supplier_sme,
            supplier_vcse: self.supplier_vcse,
            supplier_mutual: self.supplier_mutual,
            supplier_identifiers: self
                .supplier_identifiers
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            terminated_on: self.terminated_on,
            termination_reason: self.termination_reason,
            origin: self.origin,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
            buyers,
            no_agreed_metrics_rationale: self.no_agreed_metrics_rationale,
            kpi_exemption: self
                .kpi_exemption
                .as_deref()
                .map(|e| decode(e, "contracts.kpi_exemption"))
                .transpose()?,
            kpi_count: self.kpi_count,
        })
    }
}

/// Pairs contract rows with their buyers (`buyers` in any order).
pub(crate) fn assemble(
    rows: Vec<ContractRow>,
    buyers: Vec<BuyerRow>,
) -> Result<Vec<Contract>, StoreError> {
    let mut by_contract: std::collections::HashMap<i64, Vec<ContractBuyer>> =
        std::collections::HashMap::new();
    for b in buyers {
        by_contract
            .entry(b.contract_id)
            .or_default()
            .push(b.into_buyer());
    }
    rows.into_iter()
        .map(|r| {
            let mut mine = by_contract.remove(&r.id).unwrap_or_default();
            mine.sort_by(|a, b| a.organisation.cmp(&b.organisation));
            r.into_contract(mine)
        })
        .collect()
}
