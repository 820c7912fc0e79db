//! The JSON of the register: money as decimal strings, dates as YYYY-MM-DD.

use chrono::NaiveDate;
use ngc_app::contracts::{ContractDetail, Pipeline};
use ngc_domain::contracts::{ContractStatus, Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::procurement::{ContractType, Regime};
use ngc_store::contracts::{Contract, ContractDocument, ContractPage, ContractRevision};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::tenders::views::time;

/// A buyer of a contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct BuyerView {
    /// The buyer's slug.
    pub slug: String,
    /// Its share in per cent, as a decimal string.
    pub share: String,
    /// Its part of the value.
    pub amount: Money,
}

/// A contract in the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractView {
    pub id: i64,
    pub reference: Option<String>,
    /// The council whose register holds it.
    pub organisation: Option<String>,
    /// The partnership whose members read it.
    pub partnership: Option<String>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub department: String,
    /// The supplier's slug.
    pub supplier: String,
    pub supplier_name: String,
    pub buyers: Vec<BuyerView>,
    /// The whole contract's current value.
    pub value: Money,
    pub annual_value: Option<Money>,
    pub vat_treatment: VatTreatment,
    pub irrecoverable_vat: Money,
    /// The value and end as let, before any variation.
    pub original_value: Money,
    pub original_end_date: Option<NaiveDate>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub review_date: Option<NaiveDate>,
    pub extension_options: String,
    pub latest_end_date: Option<NaiveDate>,
    pub contract_type: ContractType,
    pub regime: Regime,
    pub route: Route,
    pub route_ground: String,
    /// The supplier as it was when the contract was let.
    pub supplier_sme: bool,
    pub supplier_vcse: bool,
    pub supplier_mutual: bool,
    pub supplier_identifiers: Vec<String>,
    pub status: ContractStatus,
    pub terminated_on: Option<NaiveDate>,
    pub tender_id: Option<i64>,
    pub lot: Option<i32>,
    pub award_id: Option<i64>,
    /// `award`, `entered` or `imported`.
    pub origin: String,
    pub created_at: String,
    /// How many KPIs it has.
    pub kpi_count: i64,
    /// Why the council set no KPIs (PA2023 s52(2)), if recorded.
    pub no_agreed_metrics_rationale: String,
    /// The s52 warning: where the KPI duty applies and is not met, what is missing.
    pub kpi_warning: Option<String>,
}

impl ContractView {
    /// The view of a contract, its status judged on `today`.
    pub fn new(c: Contract, today: NaiveDate) -> Self {
        let kpi_warning = ngc_app::contracts::kpis::duty_of(&c).warning;
        Self {
            kpi_warning,
            kpi_count: c.kpi_count,
            no_agreed_metrics_rationale: c.no_agreed_metrics_rationale.clone(),
            status: c.status(today),
            id: c.id,
            reference: c.reference,
            organisation: c.organisation,
            partnership: c.partnership,
            title: c.title,
            description: c.description,
            category: c.category,
            department: c.department,
            supplier: c.supplier,
            supplier_name: c.supplier_name,
            buyers: c
                .buyers
                .into_iter()
                .map(|b| BuyerView {
                    slug: b.organisation,
                    share: b.share_percent,
                    amount: b.amount,
                })
                .collect(),
            value: c.value,
            annual_value: c.annual_value,
            vat_treatment: c.vat_treatment,
            irrecoverable_vat: c.irrecoverable_vat,
            original_value: c.original_value,
            original_end_date: c.original_ends_on,
            start_date: c.starts_on,
            end_date: c.ends_on,
            review_date: c.review_on,
            extension_options: c.extension_options,
            latest_end_date: c.latest_end_on,
            contract_type: c.contract_type,
            regime: c.regime,
            route: c.route,
            route_ground: c.route_ground,
            supplier_sme: c.supplier_sme,
            supplier_vcse: c.supplier_vcse,
            supplier_mutual: c.supplier_mutual,
            supplier_identifiers: c.supplier_identifiers,
            terminated_on: c.terminated_on,
            tender_id: c.tender_id,
            lot: c.lot_number,
            award_id: c.award_id,
            origin: c.origin,
            created_at: time(c.created_at),
        }
    }
}

/// A page of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractListView {
    /// How many contracts match in all.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub contracts: Vec<ContractView>,
}

impl ContractListView {
    /// The view of page `page`.
    pub fn new(p: ContractPage, page: i64, today: NaiveDate) -> Self {
        Self {
            total: p.total,
            page,
            page_size: ngc_app::contracts::PAGE_SIZE,
            contracts: p
                .contracts
                .into_iter()
                .map(|c| ContractView::new(c, today))
                .collect(),
        }
    }
}

/// A document of a contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub url: Option<String>,
    pub body: Option<String>,
    pub sha256: Option<String>,
    pub added_at: String,
}

impl From<ContractDocument> for DocumentView {
    fn from(d: ContractDocument) -> Self {
        Self {
            id: d.id,
            title: d.title,
            kind: d.kind,
            url: d.url,
            body: d.body,
            sha256: d.sha256,
            added_at: time(d.added_at),
        }
    }
}

/// A version of the contract that a change replaced. Named `ContractRevisionView` in the
/// OpenAPI document, apart from the plans' `RevisionView`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ContractRevisionView)]
pub struct RevisionView {
    pub id: i64,
    /// Why it was replaced.
    pub reason: String,
    pub replaced_at: String,
    /// The contract as it was.
    #[schema(value_type = Object)]
    pub contract: serde_json::Value,
}

impl From<ContractRevision> for RevisionView {
    fn from(r: ContractRevision) -> Self {
        Self {
            id: r.id,
            reason: r.reason,
            replaced_at: time(r.replaced_at),
            contract: serde_json::from_str(&r.snapshot).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A contract with its documents and replaced versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractDetailView {
    pub contract: ContractView,
    pub documents: Vec<DocumentView>,
    /// The versions changes replaced (for those who manage the contract; empty otherwise).
    pub revisions: Vec<RevisionView>,
    /// Whether the caller may change the contract.
    pub can_manage: bool,
}

impl From<ContractDetail> for ContractDetailView {
    fn from(d: ContractDetail) -> Self {
        let today = d.today;
        Self {
            contract: ContractView::new(d.contract, today),
            documents: d.documents.into_iter().map(Into::into).collect(),
            revisions: d.revisions.into_iter().map(Into::into).collect(),
            can_manage: d.can_manage,
        }
    }
}

/// A contract in the expiry pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpiringView {
    pub contract: ContractView,
    /// Whether re-letting it today would be at or above the procurement threshold.
    pub above_threshold: bool,
    /// The months before the end that re-commissioning takes (ngc's planning default).
    pub lead_months: u32,
    /// The day re-commissioning must start.
    pub recommission_by: NaiveDate,
    pub overdue: bool,
}

/// A council's expiry pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineView {
    pub organisation: String,
    pub today: NaiveDate,
    pub months: u32,
    pub until: NaiveDate,
    /// The value of the contracts in view.
    pub value: Money,
    /// How many are past the day re-commissioning should have started.
    pub overdue: usize,
    pub contracts: Vec<ExpiringView>,
}

impl From<Pipeline> for PipelineView {
    fn from(p: Pipeline) -> Self {
        let today = p.today;
        Self {
            organisation: p.organisation,
            today,
            months: p.months,
            until: p.until,
            value: p.value,
            overdue: p.overdue,
            contracts: p
                .contracts
                .into_iter()
                .map(|e| ExpiringView {
                    above_threshold: e.above_threshold,
                    lead_months: e.lead_months,
                    recommission_by: e.recommission_by,
                    overdue: e.overdue,
                    contract: ContractView::new(e.contract, today),
                })
                .collect(),
        }
    }
}
