//! How a contract pays (migration 0019): its payment terms, every version kept; the
//! provider's claims, one per period, each checked against the current terms and the claims
//! before it while the write lock is held; and the payments the council made, one row each.
//! Every write commits with its audit record.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::contracts::Period;
use ngc_domain::contracts::payment::{PaymentRecord, PaymentTerms, PeriodReturn};
use ngc_domain::money::Money;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;
use std::collections::BTreeMap;

/// One version of a contract's payment terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentTermsVersion {
    pub id: i64,
    pub contract_id: i64,
    pub terms: PaymentTerms,
    pub set_by: Option<i64>,
    pub set_at: DateTime<Utc>,
    /// When newer terms replaced these; `None` for the current version.
    pub superseded_at: Option<DateTime<Utc>>,
}

/// A provider's claim for one period, as accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub id: i64,
    pub contract_id: i64,
    /// The terms version it was checked against.
    pub terms_id: i64,
    pub period: Period,
    /// Units delivered, for cost per case.
    pub units: Option<u64>,
    /// Outcomes achieved, by metric code.
    pub outcomes: BTreeMap<String, u64>,
    pub submitted_by: Option<i64>,
    pub submitted_at: DateTime<Utc>,
}

impl Claim {
    /// The claim as the domain's period return.
    pub fn to_return(&self) -> PeriodReturn {
        PeriodReturn {
            period: self.period,
            units: self.units,
            outcomes: self.outcomes.clone(),
        }
    }
}

/// A payment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub contract_id: i64,
    pub amount: Money,
    /// The period it pays for, if one.
    pub period: Option<Period>,
    /// `block`, `cost_per_case` or `payment_by_results`.
    pub component: &'static str,
    pub invoice_reference: String,
    pub invoice_date: NaiveDate,
    /// The day a valid invoice was received.
    pub valid_invoice_received: NaiveDate,
    /// The day payment falls due under the invoice, if it states one.
    pub invoice_due_on: Option<NaiveDate>,
    /// `None` while unpaid.
    pub paid_on: Option<NaiveDate>,
    pub disputed: bool,
}

/// A payment as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub id: i64,
    pub contract_id: i64,
    pub amount: Money,
    pub period: Option<Period>,
    pub component: String,
    pub invoice_reference: String,
    pub invoice_date: NaiveDate,
    pub valid_invoice_received: NaiveDate,
    pub invoice_due_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub disputed: bool,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

impl Payment {
    /// The payment as the prompt-payment rule reads it.
    pub fn record(&self) -> PaymentRecord {
        PaymentRecord {
            invoice_date: self.invoice_date,
            valid_invoice_received: self.valid_invoice_received,
            invoice_due_on: self.invoice_due_on,
            paid_on: self.paid_on,
            disputed: self.disputed,
            amount: self.amount,
        }
    }
}

#[derive(FromRow)]
struct TermsRow {
    id: i64,
    contract_id: i64,
    terms: String,
    set_by: Option<i64>,
    set_at: DateTime<Utc>,
    superseded_at: Option<DateTime<Utc>>,
}

impl TermsRow {
    fn decode(self) -> Result<PaymentTermsVersion, StoreError> {
        Ok(PaymentTermsVersion {
            terms: serde_json::from_str(&self.terms).map_err(|e| {
                StoreError::invalid(
                    format!("contract_payment_terms {}.terms", self.id),
                    e.to_string(),
                )
            })?,
            id: self.id,
            contract_id: self.contract_id,
            set_by: self.set_by,
            set_at: self.set_at,
            superseded_at: self.superseded_at,
        })
    }
}

#[derive(FromRow)]
struct ClaimRow {
    id: i64,
    contract_id: i64,
    terms_id: i64,
    period_start: NaiveDate,
    period_end: NaiveDate,
    units: Option<i64>,
    outcomes: String,
    submitted_by: Option<i64>,
    submitted_at: DateTime<Utc>,
}

impl ClaimRow {
    fn decode(self) -> Result<Claim, StoreError> {
        let field = |name: &str| format!("contract_claims {}.{name}", self.id);
        Ok(Claim {
            units: self
                .units
                .map(u64::try_from)
                .transpose()
                .map_err(|e| StoreError::invalid(field("units"), e.to_string()))?,
            outcomes: serde_json::from_str(&self.outcomes)
                .map_err(|e| StoreError::invalid(field("outcomes"), e.to_string()))?,
            id: self.id,
            contract_id: self.contract_id,
            terms_id: self.terms_id,
            period: Period {
                start: self.period_start,
                end: self.period_end,
            },
            submitted_by: self.submitted_by,
            submitted_at: self.submitted_at,
        })
    }
}

#[derive(FromRow)]
struct PaymentRow {
    id: i64,
    contract_id: i64,
    amount: i64,
    period_start: Option<NaiveDate>,
    period_end: Option<NaiveDate>,
    component: String,
    invoice_reference: String,
    invoice_date: NaiveDate,
    valid_invoice_received: NaiveDate,
    invoice_due_on: Option<NaiveDate>,
    paid_on: Option<NaiveDate>,
    disputed: bool,
    recorded_by: Option<i64>,
    recorded_at: DateTime<Utc>,
}

impl From<PaymentRow> for Payment {
    fn from(r: PaymentRow) -> Self {
        Payment {
            id: r.id,
            contract_id: r.contract_id,
            amount: Money::pence(r.amount),
            period: r
                .period_start
                .zip(r.period_end)
                .map(|(start, end)| Period { start, end }),
            component: r.component,
            invoice_reference: r.invoice_reference,
            invoice_date: r.invoice_date,
            valid_invoice_received: r.valid_invoice_received,
            invoice_due_on: r.invoice_due_on,
            paid_on: r.paid_on,
            disputed: r.disputed,
            recorded_by: r.recorded_by,
            recorded_at: r.recorded_at,
        }
    }
}

const CURRENT_TERMS: &str = "SELECT id, contract_id, terms, set_by, set_at, superseded_at \
    FROM contract_payment_terms WHERE contract_id = $1 AND superseded_at IS NULL";
const TERMS_HISTORY: &str = "SELECT id, contract_id, terms, set_by, set_at, superseded_at \
    FROM contract_payment_terms WHERE contract_id = $1 ORDER BY id";
const SUPERSEDE_TERMS: &str = "UPDATE contract_payment_terms SET superseded_at = $2 \
    WHERE contract_id = $1 AND superseded_at IS NULL";
const INSERT_TERMS: &str = "INSERT INTO contract_payment_terms (contract_id, terms, set_by, \
    set_at) VALUES ($1, $2, $3, $4) RETURNING id";
const CLAIMS: &str = "SELECT id, contract_id, terms_id, period_start, period_end, units, \
    outcomes, submitted_by, submitted_at FROM contract_claims WHERE contract_id = $1 \
    ORDER BY period_start, period_end, id";
const INSERT_CLAIM: &str = "INSERT INTO contract_claims (contract_id, terms_id, period_start, \
    period_end, units, outcomes, submitted_by, submitted_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const PAYMENTS: &str = "SELECT id, contract_id, amount, period_start, period_end, component, \
    invoice_reference, invoice_date, valid_invoice_received, invoice_due_on, paid_on, disputed, \
    recorded_by, recorded_at FROM contract_payments WHERE contract_id = $1 ORDER BY id";
const INSERT_PAYMENT: &str = "INSERT INTO contract_payments (contract_id, amount, period_start, \
    period_end, component, invoice_reference, invoice_date, valid_invoice_received, \
    invoice_due_on, paid_on, disputed, recorded_by, recorded_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";

const SUPPLIER_TERMS: &str = "SELECT t.id, t.contract_id, t.terms, t.set_by, t.set_at, \
    t.superseded_at FROM contract_payment_terms t JOIN contracts c ON c.id = t.contract_id \
    WHERE c.supplier_id = $1 AND t.superseded_at IS NULL ORDER BY t.contract_id";
const SUPPLIER_CLAIMS: &str = "SELECT k.id, k.contract_id, k.terms_id, k.period_start, \
    k.period_end, k.units, k.outcomes, k.submitted_by, k.submitted_at FROM contract_claims k \
    JOIN contracts c ON c.id = k.contract_id WHERE c.supplier_id = $1 \
    ORDER BY k.contract_id, k.period_start, k.period_end, k.id";
const SUPPLIER_PAYMENTS_SINCE: &str = "SELECT p.id, p.contract_id, p.amount, p.period_start, \
    p.period_end, p.component, p.invoice_reference, p.invoice_date, p.valid_invoice_received, \
    p.invoice_due_on, p.paid_on, p.disputed, p.recorded_by, p.recorded_at \
    FROM contract_payments p JOIN contracts c ON c.id = p.contract_id \
    WHERE c.supplier_id = $1 AND (p.paid_on IS NULL OR p.paid_on >= $2) ORDER BY p.id";
const SUPPLIER_PAID_TO_DATE: &str = "SELECT p.contract_id, CAST(SUM(p.amount) AS BIGINT) \
    FROM contract_payments p JOIN contracts c ON c.id = p.contract_id \
    WHERE c.supplier_id = $1 AND p.paid_on IS NOT NULL GROUP BY p.contract_id";

/// A count as the database keeps it.
fn count(field: &str, n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::invalid(field, format!("{n} is too large")))
}

/// A period in words for messages: `2016-04-01 to 2016-06-30`.
fn period_words(p: Period) -> String {
    format!("{} to {}", p.start, p.end)
}

impl WriteTx {
    async fn current_terms(
        &mut self,
        contract_id: i64,
    ) -> Result<Option<PaymentTermsVersion>, StoreError> {
        let row: Option<TermsRow> = on_tx!(self, c => sqlx::query_as(CURRENT_TERMS)
            .bind(contract_id).fetch_optional(c).await)?;
        row.map(TermsRow::decode).transpose()
    }

    async fn claims_of(&mut self, contract_id: i64) -> Result<Vec<Claim>, StoreError> {
        let rows: Vec<ClaimRow> = on_tx!(self, c => sqlx::query_as(CLAIMS)
            .bind(contract_id).fetch_all(c).await)?;
        rows.into_iter().map(ClaimRow::decode).collect()
    }
}

impl Store {
    /// Sets a contract's payment terms: the current version, if any, is superseded and kept.
    pub async fn set_payment_terms(
        &self,
        contract_id: i64,
        terms: &PaymentTerms,
        actor: &Actor,
    ) -> Result<PaymentTermsVersion, StoreError> {
        let text = serde_json::to_string(terms)
            .map_err(|e| StoreError::invalid("terms", e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let replaced = tx.current_terms(contract_id).await?.map(|t| t.id);
        on_tx!(tx, c => sqlx::query(SUPERSEDE_TERMS).bind(contract_id).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_TERMS).bind(contract_id)
            .bind(&text).bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "contract.payment_terms",
            "contract",
            &contract_id.to_string(),
            json!({"terms_id": id, "replaces": replaced, "terms": terms}),
        )
        .await?;
        tx.commit().await?;
        Ok(PaymentTermsVersion {
            id,
            contract_id,
            terms: terms.clone(),
            set_by: actor.user_id,
            set_at: now,
            superseded_at: None,
        })
    }

    /// The contract's current payment terms, if set.
    pub async fn payment_terms(
        &self,
        contract_id: i64,
    ) -> Result<Option<PaymentTermsVersion>, StoreError> {
        let row: Option<TermsRow> = on_each_backend!(self, pool =>
            sqlx::query_as(CURRENT_TERMS).bind(contract_id).fetch_optional(pool).await)?;
        row.map(TermsRow::decode).transpose()
    }

    /// Every version of the contract's payment terms, oldest first.
    pub async fn payment_terms_history(
        &self,
        contract_id: i64,
    ) -> Result<Vec<PaymentTermsVersion>, StoreError> {
        let rows: Vec<TermsRow> = on_each_backend!(self, pool =>
            sqlx::query_as(TERMS_HISTORY).bind(contract_id).fetch_all(pool).await)?;
        rows.into_iter().map(TermsRow::decode).collect()
    }

    /// Records a provider's claim for a period, in one transaction with its audit record.
    ///
    /// Under the write lock it reads the current terms and the claims accepted before, refuses
    /// a contract with no terms and a second claim for the same period (naming the period),
    /// then asks `check` whether the claim may be accepted against those terms and claims;
    /// if `check` refuses, nothing is written and its error is returned.
    pub async fn submit_claim<F>(
        &self,
        contract_id: i64,
        claim: &PeriodReturn,
        actor: &Actor,
        check: F,
    ) -> Result<Claim, StoreError>
    where
        F: FnOnce(&PaymentTerms, &[PeriodReturn]) -> Result<(), StoreError>,
    {
        let units = claim.units.map(|u| count("units", u)).transpose()?;
        for (code, &n) in &claim.outcomes {
            count(&format!("outcomes.{code}"), n)?;
        }
        let outcomes = serde_json::to_string(&claim.outcomes)
            .map_err(|e| StoreError::invalid("outcomes", e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let terms = tx.current_terms(contract_id).await?.ok_or_else(|| {
            StoreError::Conflict(format!(
                "contract {contract_id} has no payment terms: the council sets them before \
                 claims are made"
            ))
        })?;
        let earlier = tx.claims_of(contract_id).await?;
        if let Some(same) = earlier.iter().find(|c| c.period == claim.period) {
            return Err(StoreError::Conflict(format!(
                "contract {contract_id} already has a claim for the period {} (claim {}): \
                 one claim per period",
                period_words(claim.period),
                same.id
            )));
        }
        let returns: Vec<PeriodReturn> = earlier.iter().map(Claim::to_return).collect();
        check(&terms.terms, &returns)?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_CLAIM).bind(contract_id)
            .bind(terms.id).bind(claim.period.start).bind(claim.period.end).bind(units)
            .bind(&outcomes).bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "contract.claim",
            "contract",
            &contract_id.to_string(),
            json!({"claim_id": id, "terms_id": terms.id, "period_start": claim.period.start,
                   "period_end": claim.period.end, "units": claim.units,
                   "outcomes": claim.outcomes}),
        )
        .await?;
        tx.commit().await?;
        Ok(Claim {
            id,
            contract_id,
            terms_id: terms.id,
            period: claim.period,
            units: claim.units,
            outcomes: claim.outcomes.clone(),
            submitted_by: actor.user_id,
            submitted_at: now,
        })
    }

    /// The contract's claims, in period order.
    pub async fn contract_claims(&self, contract_id: i64) -> Result<Vec<Claim>, StoreError> {
        let rows: Vec<ClaimRow> = on_each_backend!(self, pool =>
            sqlx::query_as(CLAIMS).bind(contract_id).fetch_all(pool).await)?;
        rows.into_iter().map(ClaimRow::decode).collect()
    }

    /// Records a payment (or an invoice not yet paid), in one transaction with its audit
    /// record.
    pub async fn record_contract_payment(
        &self,
        new: &NewPayment,
        actor: &Actor,
    ) -> Result<Payment, StoreError> {
        self.record_contract_payment_posting(new, actor, |_| Ok(None))
            .await
            .map(|(payment, _)| payment)
    }

    /// Records a payment as [`Store::record_contract_payment`] does and, in the same
    /// transaction, posts the journal `post` makes from the payment's id (the organisation
    /// whose ledger takes it, and the journal), if it makes one: the payment and its posting
    /// are stored together or not at all.
    pub async fn record_contract_payment_posting<F>(
        &self,
        new: &NewPayment,
        actor: &Actor,
        post: F,
    ) -> Result<(Payment, Option<crate::ledger::Posted>), StoreError>
    where
        F: FnOnce(i64) -> Result<Option<(i64, ngc_domain::ledger::Journal)>, StoreError>,
    {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let (start, end) = (new.period.map(|p| p.start), new.period.map(|p| p.end));
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_PAYMENT).bind(new.contract_id)
            .bind(new.amount.as_pence()).bind(start).bind(end).bind(new.component)
            .bind(&new.invoice_reference).bind(new.invoice_date).bind(new.valid_invoice_received)
            .bind(new.invoice_due_on).bind(new.paid_on).bind(new.disputed).bind(actor.user_id)
            .bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "contract.payment",
            "contract",
            &new.contract_id.to_string(),
            json!({"payment_id": id, "amount": new.amount.to_decimal().to_string(),
                   "component": new.component, "period_start": start, "period_end": end,
                   "invoice_reference": new.invoice_reference, "invoice_date": new.invoice_date,
                   "valid_invoice_received": new.valid_invoice_received,
                   "invoice_due_on": new.invoice_due_on, "paid_on": new.paid_on,
                   "disputed": new.disputed}),
        )
        .await?;
        let posted = match post(id)? {
            Some((organisation_id, journal)) => {
                Some(tx.post_journal(organisation_id, &journal, actor).await?)
            }
            None => None,
        };
        tx.commit().await?;
        let payment = Payment {
            id,
            contract_id: new.contract_id,
            amount: new.amount,
            period: new.period,
            component: new.component.to_owned(),
            invoice_reference: new.invoice_reference.clone(),
            invoice_date: new.invoice_date,
            valid_invoice_received: new.valid_invoice_received,
            invoice_due_on: new.invoice_due_on,
            paid_on: new.paid_on,
            disputed: new.disputed,
            recorded_by: actor.user_id,
            recorded_at: now,
        };
        Ok((payment, posted))
    }

    /// The payments recorded for the contract, in the order recorded.
    pub async fn contract_payments(&self, contract_id: i64) -> Result<Vec<Payment>, StoreError> {
        let rows: Vec<PaymentRow> = on_each_backend!(self, pool =>
            sqlx::query_as(PAYMENTS).bind(contract_id).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The current payment terms of each of a supplier's contracts that has them.
    pub async fn supplier_payment_terms(
        &self,
        supplier_id: i64,
    ) -> Result<Vec<PaymentTermsVersion>, StoreError> {
        let rows: Vec<TermsRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SUPPLIER_TERMS).bind(supplier_id).fetch_all(pool).await)?;
        rows.into_iter().map(TermsRow::decode).collect()
    }

    /// The claims under a supplier's contracts, by contract and period.
    pub async fn supplier_claims(&self, supplier_id: i64) -> Result<Vec<Claim>, StoreError> {
        let rows: Vec<ClaimRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SUPPLIER_CLAIMS).bind(supplier_id).fetch_all(pool).await)?;
        rows.into_iter().map(ClaimRow::decode).collect()
    }

    /// The payments under a supplier's contracts paid on or after `since`, and those not yet
    /// paid, in the order recorded.
    pub async fn supplier_payments_since(
        &self,
        supplier_id: i64,
        since: NaiveDate,
    ) -> Result<Vec<Payment>, StoreError> {
        let rows: Vec<PaymentRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SUPPLIER_PAYMENTS_SINCE).bind(supplier_id).bind(since)
                .fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// What has been paid under each of a supplier's contracts, by contract id.
    pub async fn supplier_paid_to_date(
        &self,
        supplier_id: i64,
    ) -> Result<BTreeMap<i64, Money>, StoreError> {
        let rows: Vec<(i64, i64)> = on_each_backend!(self, pool =>
            sqlx::query_as(SUPPLIER_PAID_TO_DATE).bind(supplier_id).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, p)| (id, Money::pence(p)))
            .collect())
    }
}
