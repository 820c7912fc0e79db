//! The payments a council made under the contracts in its register, with what the payment
//! performance returns (PA2023 s69, s70) need of each contract: its regime, the day its
//! procurement commenced (the tender's, where it came from one), its supplier and its
//! identifiers. One query, read only.

use crate::organisations::decode;
use crate::{Store, StoreError, on_each_backend};
use chrono::NaiveDate;
use ngc_domain::contracts::payment::PaymentRecord;
use ngc_domain::contracts::payment::performance::ContractPayment;
use ngc_domain::money::Money;
use ngc_domain::procurement::Regime;
use serde::Serialize;
use sqlx::FromRow;

/// A payment made under a contract in a council's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedPayment {
    pub id: i64,
    pub contract_id: i64,
    pub contract_title: String,
    pub contract_reference: Option<String>,
    /// The tender the contract came from, if any (its OCDS process).
    pub tender_id: Option<i64>,
    pub award_id: Option<i64>,
    pub supplier_id: i64,
    pub supplier: String,
    pub supplier_name: String,
    /// The supplier's registration identifiers (org-id) as on the contract.
    pub supplier_identifiers: Vec<String>,
    pub regime: Regime,
    /// The day the contract's procurement commenced, where ngc knows it.
    pub commenced_on: Option<NaiveDate>,
    pub invoice_reference: String,
    pub record: PaymentRecord,
}

impl ReportedPayment {
    /// The payment as the domain's returns read it.
    pub fn to_domain(&self) -> ContractPayment {
        ContractPayment {
            id: self.id,
            contract_id: self.contract_id,
            supplier_id: self.supplier_id,
            regime: self.regime,
            commenced_on: self.commenced_on,
            record: self.record.clone(),
        }
    }
}

#[derive(FromRow)]
struct Row {
    id: i64,
    contract_id: i64,
    title: String,
    reference: Option<String>,
    tender_id: Option<i64>,
    award_id: Option<i64>,
    supplier_id: i64,
    supplier: String,
    supplier_name: String,
    supplier_identifiers: String,
    regime: String,
    commenced_on: Option<NaiveDate>,
    amount: i64,
    invoice_reference: String,
    invoice_date: NaiveDate,
    valid_invoice_received: NaiveDate,
    invoice_due_on: Option<NaiveDate>,
    paid_on: Option<NaiveDate>,
    disputed: bool,
}

impl Row {
    fn decode(self) -> Result<ReportedPayment, StoreError> {
        let regime = decode(&self.regime, "contracts.regime")?;
        Ok(ReportedPayment {
            id: self.id,
            contract_id: self.contract_id,
            contract_title: self.title,
            contract_reference: self.reference,
            tender_id: self.tender_id,
            award_id: self.award_id,
            supplier_id: self.supplier_id,
            supplier: self.supplier,
            supplier_name: self.supplier_name,
            supplier_identifiers: self
                .supplier_identifiers
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            regime,
            commenced_on: self.commenced_on,
            invoice_reference: self.invoice_reference,
            record: PaymentRecord {
                invoice_date: self.invoice_date,
                valid_invoice_received: self.valid_invoice_received,
                invoice_due_on: self.invoice_due_on,
                paid_on: self.paid_on,
                disputed: self.disputed,
                amount: Money::pence(self.amount),
            },
        })
    }
}

const PAID_UNDER_REGISTER: &str = "SELECT p.id, p.contract_id, c.title, c.reference, \
    c.tender_id, c.award_id, c.supplier_id, s.slug AS supplier, s.name AS supplier_name, \
    c.supplier_identifiers, c.regime, t.commenced_on, p.amount, p.invoice_reference, \
    p.invoice_date, p.valid_invoice_received, p.invoice_due_on, p.paid_on, p.disputed \
    FROM contract_payments p JOIN contracts c ON c.id = p.contract_id \
    JOIN organisations s ON s.id = c.supplier_id \
    LEFT JOIN tenders t ON t.id = c.tender_id \
    WHERE c.organisation_id = $1 AND p.paid_on IS NOT NULL \
    AND p.paid_on >= $2 AND p.paid_on <= $3 ORDER BY p.paid_on, p.id";

impl Store {
    /// The payments made (paid on a day from `from` to `to`, both included) under the
    /// contracts in the register of organisation `organisation_id`, by day paid then id.
    pub async fn payments_made_under_register(
        &self,
        organisation_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ReportedPayment>, StoreError> {
        let rows: Vec<Row> = on_each_backend!(self, pool =>
            sqlx::query_as(PAID_UNDER_REGISTER).bind(organisation_id).bind(from).bind(to)
                .fetch_all(pool).await)?;
        rows.into_iter().map(Row::decode).collect()
    }
}
