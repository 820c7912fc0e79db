//! What budget monitoring reads besides the ledger's monthly balances and the budget lines
//! (migration 0029): the officers' forecast outturns (`budget_forecasts`), the earmarked
//! reserves marked releasable (`releasable_reserves`), both kept in every version with the
//! latest current, and the commitments (contract payments due and not yet paid); and
//! (migration 0031) the virements recorded against the budget (`budget_virements`, never
//! changed) and the monthly profiles officers stored (`budget_profiles`, every version kept,
//! the latest current).

use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::finance::FinancialYear;
use ngc_domain::money::Money;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A virement as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct StoredVirement {
    pub id: i64,
    /// The financial year (`2016-17`).
    pub year: String,
    /// The month it takes effect from (`YYYY-MM`).
    pub month: String,
    pub from_service: String,
    pub to_service: String,
    /// Pence, more than zero.
    pub amount: i64,
    pub reason: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

/// A virement to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVirement<'a> {
    pub year: FinancialYear,
    /// `YYYY-MM`, a month of the year.
    pub month: &'a str,
    pub from_service: &'a str,
    pub to_service: &'a str,
    pub amount: Money,
    pub reason: &'a str,
}

const INSERT_VIREMENT: &str = "INSERT INTO budget_virements (organisation_id, year, month, \
    from_service, to_service, amount, reason, recorded_by, recorded_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
const VIREMENTS: &str = "SELECT id, year, month, from_service, to_service, amount, reason, \
    recorded_by, recorded_at FROM budget_virements WHERE organisation_id = $1 AND year = $2 \
    ORDER BY id";
const INSERT_PROFILE: &str = "INSERT INTO budget_profiles (organisation_id, year, service, \
    weights, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
/// The latest profile per service line of a year, withdrawn ones left out.
const PROFILES: &str = "SELECT p.service, p.weights FROM budget_profiles p \
    WHERE p.organisation_id = $1 AND p.year = $2 AND p.weights IS NOT NULL AND p.id = \
    (SELECT MAX(q.id) FROM budget_profiles q WHERE q.organisation_id = p.organisation_id \
    AND q.year = p.year AND q.service = p.service) ORDER BY p.service";

const INSERT_FORECAST: &str = "INSERT INTO budget_forecasts (organisation_id, year, service, \
    amount, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
/// The latest forecast per service line of a year, withdrawn ones left out.
const FORECASTS: &str = "SELECT f.service, f.amount FROM budget_forecasts f \
    WHERE f.organisation_id = $1 AND f.year = $2 AND f.amount IS NOT NULL AND f.id = \
    (SELECT MAX(g.id) FROM budget_forecasts g WHERE g.organisation_id = f.organisation_id \
    AND g.year = f.year AND g.service = f.service) ORDER BY f.service";
const INSERT_RELEASABLE: &str = "INSERT INTO releasable_reserves (organisation_id, reserve, \
    releasable, note, marked_by, marked_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
/// The reserves whose latest marking is releasable.
const RELEASABLE: &str = "SELECT r.reserve FROM releasable_reserves r \
    WHERE r.organisation_id = $1 AND r.releasable AND r.id = (SELECT MAX(s.id) FROM \
    releasable_reserves s WHERE s.organisation_id = r.organisation_id \
    AND s.reserve = r.reserve) ORDER BY r.reserve";
/// Contract payments of the organisation's contracts due from `$2` to `$3` and not paid, by
/// the contract's department.
const COMMITMENTS: &str = "SELECT c.department, CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) \
    FROM contract_payments p JOIN contracts c ON c.id = p.contract_id \
    WHERE c.organisation_id = $1 AND p.paid_on IS NULL \
    AND COALESCE(p.invoice_due_on, p.valid_invoice_received) >= $2 \
    AND COALESCE(p.invoice_due_on, p.valid_invoice_received) <= $3 \
    GROUP BY c.department ORDER BY c.department";

impl Store {
    /// Records an officer's forecast outturn for a service line and year (`None` withdraws
    /// it), with its audit record. Earlier forecasts are kept.
    pub async fn enter_forecast(
        &self,
        organisation_id: i64,
        year: FinancialYear,
        service: &str,
        amount: Option<Money>,
        note: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_FORECAST).bind(organisation_id)
            .bind(year.to_string()).bind(service).bind(amount.map(Money::as_pence)).bind(note)
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "budget_forecast.enter",
            "budget_forecast",
            &id.to_string(),
            json!({"organisation_id": organisation_id, "year": year.to_string(),
                "service": service, "amount": amount, "note": note}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The current forecasts of a year: service line → amount.
    pub async fn forecasts(
        &self,
        organisation_id: i64,
        year: FinancialYear,
    ) -> Result<Vec<(String, Money)>, StoreError> {
        let rows: Vec<(String, i64)> = on_each_backend!(self, pool =>
            sqlx::query_as(FORECASTS).bind(organisation_id).bind(year.to_string())
                .fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(s, a)| (s, Money::pence(a)))
            .collect())
    }

    /// Marks an earmarked reserve releasable (or not) to meet the year's spending, with its
    /// audit record. Earlier markings are kept.
    pub async fn mark_reserve(
        &self,
        organisation_id: i64,
        reserve: &str,
        releasable: bool,
        note: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_RELEASABLE)
            .bind(organisation_id).bind(reserve).bind(releasable).bind(note)
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "reserve.mark_releasable",
            "releasable_reserve",
            &id.to_string(),
            json!({"organisation_id": organisation_id, "reserve": reserve,
                "releasable": releasable, "note": note}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The reserves currently marked releasable, by name.
    pub async fn releasable_reserves(
        &self,
        organisation_id: i64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_scalar(RELEASABLE).bind(organisation_id).fetch_all(pool).await)?)
    }

    /// Contract payments due from `from` to `to` and not yet paid, by the contract's
    /// department (the service line its payments post to).
    pub async fn commitments(
        &self,
        organisation_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, Money)>, StoreError> {
        let rows: Vec<(String, i64)> = on_each_backend!(self, pool =>
            sqlx::query_as(COMMITMENTS).bind(organisation_id).bind(from).bind(to)
                .fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(s, a)| (s, Money::pence(a)))
            .collect())
    }

    /// Records a virement, with its audit record. Virements are never changed: the opposite
    /// virement undoes one.
    pub async fn record_virement(
        &self,
        organisation_id: i64,
        v: &NewVirement<'_>,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_VIREMENT).bind(organisation_id)
            .bind(v.year.to_string()).bind(v.month).bind(v.from_service).bind(v.to_service)
            .bind(v.amount.as_pence()).bind(v.reason).bind(actor.user_id).bind(now)
            .fetch_one(c).await)?;
        tx.audit(
            actor,
            "budget_virement.record",
            "budget_virement",
            &id.to_string(),
            json!({"organisation_id": organisation_id, "year": v.year.to_string(),
                "month": v.month, "from": v.from_service, "to": v.to_service,
                "amount": v.amount, "reason": v.reason}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The virements of a year, in the order recorded.
    pub async fn virements(
        &self,
        organisation_id: i64,
        year: FinancialYear,
    ) -> Result<Vec<StoredVirement>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(VIREMENTS).bind(organisation_id).bind(year.to_string())
                .fetch_all(pool).await)?)
    }

    /// Stores an officer's monthly profile for a service line and year (`None` withdraws it:
    /// flat twelfths again), its weights as text (`10,8.5,…`), with its audit record. Earlier
    /// profiles are kept.
    pub async fn store_profile(
        &self,
        organisation_id: i64,
        year: FinancialYear,
        service: &str,
        weights: Option<&str>,
        note: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_PROFILE).bind(organisation_id)
            .bind(year.to_string()).bind(service).bind(weights).bind(note)
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "budget_profile.store",
            "budget_profile",
            &id.to_string(),
            json!({"organisation_id": organisation_id, "year": year.to_string(),
                "service": service, "weights": weights, "note": note}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The current profiles of a year: service line → weights as stored.
    pub async fn profiles(
        &self,
        organisation_id: i64,
        year: FinancialYear,
    ) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(PROFILES).bind(organisation_id).bind(year.to_string())
                .fetch_all(pool).await)?)
    }
}
