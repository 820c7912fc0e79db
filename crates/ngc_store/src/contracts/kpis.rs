//! A contract's KPIs (migration 0022): the KPIs the council sets, its recorded reason for
//! setting none, the provider's return for each KPI and period (one each, refused a second
//! time under the write lock) and the performance failures with their penalties. Every write
//! commits with its audit record.
//!
//! The register's KPI count is read with the contract itself (`kpi_count` in
//! `contract_columns!`), so the s52 warning on a page of the register costs no extra query.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::contracts::Period;
use ngc_domain::contracts::kpi::{Kpi, KpiExemption, PenaltyType, PerformanceFailure};
use ngc_domain::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

use crate::organisations::decode;

/// A KPI of a contract, as set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractKpi {
    pub id: i64,
    pub contract_id: i64,
    pub kpi: Kpi,
    /// Returns are owed for periods from this day.
    pub from: NaiveDate,
    pub defined_by: Option<i64>,
    pub defined_at: DateTime<Utc>,
}

/// A provider's return for one KPI and one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiReturn {
    pub id: i64,
    pub kpi_id: i64,
    pub period: Period,
    /// The value; `None` when not applicable.
    pub value: Option<Decimal>,
    pub note: String,
    /// The last day to return it on time.
    pub due_on: NaiveDate,
    /// Whether it came in after `due_on`.
    pub late: bool,
    pub submitted_by: Option<i64>,
    pub submitted_at: DateTime<Utc>,
}

/// A return to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKpiReturn {
    pub kpi_id: i64,
    pub period: Period,
    pub value: Option<Decimal>,
    pub note: String,
    pub due_on: NaiveDate,
    pub late: bool,
}

/// A performance failure as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureRecord {
    pub id: i64,
    pub contract_id: i64,
    /// The KPI it is about, if one.
    pub kpi_id: Option<i64>,
    pub failure: PerformanceFailure,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct KpiRow {
    id: i64,
    contract_id: i64,
    code: String,
    title: String,
    unit: String,
    target: String,
    direction: String,
    frequency: String,
    tolerance: String,
    from_date: NaiveDate,
    defined_by: Option<i64>,
    defined_at: DateTime<Utc>,
}

fn decimal(table: &str, id: i64, field: &str, text: &str) -> Result<Decimal, StoreError> {
    text.parse().map_err(|e: rust_decimal::Error| {
        StoreError::invalid(format!("{table} {id}.{field}"), e.to_string())
    })
}

impl KpiRow {
    fn decode(self) -> Result<ContractKpi, StoreError> {
        let id = self.id;
        Ok(ContractKpi {
            kpi: Kpi {
                target: decimal("contract_kpis", id, "target", &self.target)?,
                tolerance: decimal("contract_kpis", id, "tolerance", &self.tolerance)?,
                direction: decode(&self.direction, "contract_kpis.direction")?,
                frequency: decode(&self.frequency, "contract_kpis.frequency")?,
                code: self.code,
                name: self.title,
                unit: self.unit,
            },
            id,
            contract_id: self.contract_id,
            from: self.from_date,
            defined_by: self.defined_by,
            defined_at: self.defined_at,
        })
    }
}

#[derive(FromRow)]
struct ReturnRow {
    id: i64,
    kpi_id: i64,
    period_start: NaiveDate,
    period_end: NaiveDate,
    value: Option<String>,
    note: String,
    due_on: NaiveDate,
    late: bool,
    submitted_by: Option<i64>,
    submitted_at: DateTime<Utc>,
}

impl ReturnRow {
    fn decode(self) -> Result<KpiReturn, StoreError> {
        Ok(KpiReturn {
            value: self
                .value
                .as_deref()
                .map(|v| decimal("kpi_returns", self.id, "value", v))
                .transpose()?,
            id: self.id,
            kpi_id: self.kpi_id,
            period: Period {
                start: self.period_start,
                end: self.period_end,
            },
            note: self.note,
            due_on: self.due_on,
            late: self.late,
            submitted_by: self.submitted_by,
            submitted_at: self.submitted_at,
        })
    }
}

#[derive(FromRow)]
struct FailureRow {
    id: i64,
    contract_id: i64,
    kpi_id: Option<i64>,
    reference: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    category: String,
    description: String,
    events: i64,
    remedy: String,
    penalty_type: String,
    penalty_contracted: i64,
    penalty_imposed: i64,
    penalty_paid: i64,
    recorded_by: Option<i64>,
    recorded_at: DateTime<Utc>,
}

impl FailureRow {
    fn decode(self) -> Result<FailureRecord, StoreError> {
        let penalty_type: PenaltyType =
            decode(&self.penalty_type, "performance_failures.penalty_type")?;
        Ok(FailureRecord {
            failure: PerformanceFailure {
                id: self.reference,
                period: Period {
                    start: self.period_start,
                    end: self.period_end,
                },
                category: self.category,
                description: self.description,
                events: u32::try_from(self.events).map_err(|e| {
                    StoreError::invalid(
                        format!("performance_failures {}.events", self.id),
                        e.to_string(),
                    )
                })?,
                remedy: self.remedy,
                penalty_type,
                penalty_contracted: Money::pence(self.penalty_contracted),
                penalty_imposed: Money::pence(self.penalty_imposed),
                penalty_paid: Money::pence(self.penalty_paid),
            },
            id: self.id,
            contract_id: self.contract_id,
            kpi_id: self.kpi_id,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        })
    }
}

macro_rules! kpi_columns {
    () => {
        "k.id, k.contract_id, k.code, k.title, k.unit, k.target, k.direction, k.frequency, \
         k.tolerance, k.from_date, k.defined_by, k.defined_at FROM contract_kpis k "
    };
}
macro_rules! return_columns {
    () => {
        "r.id, r.kpi_id, r.period_start, r.period_end, r.value, r.note, r.due_on, r.late, \
         r.submitted_by, r.submitted_at FROM kpi_returns r JOIN contract_kpis k ON k.id = r.kpi_id "
    };
}
macro_rules! failure_columns {
    () => {
        "f.id, f.contract_id, f.kpi_id, f.reference, f.period_start, f.period_end, f.category, \
         f.description, f.events, f.remedy, f.penalty_type, f.penalty_contracted, \
         f.penalty_imposed, f.penalty_paid, f.recorded_by, f.recorded_at \
         FROM performance_failures f "
    };
}

const KPIS: &str = concat!(
    "SELECT ",
    kpi_columns!(),
    "WHERE k.contract_id = $1 ORDER BY k.id"
);
const SUPPLIER_KPIS: &str = concat!(
    "SELECT ",
    kpi_columns!(),
    "JOIN contracts c ON c.id = k.contract_id WHERE c.supplier_id = $1 ORDER BY k.contract_id, k.id"
);
const RETURNS: &str = concat!(
    "SELECT ",
    return_columns!(),
    "WHERE k.contract_id = $1 ORDER BY r.period_start, r.kpi_id"
);
const SUPPLIER_RETURNS: &str = concat!(
    "SELECT ",
    return_columns!(),
    "JOIN contracts c ON c.id = k.contract_id WHERE c.supplier_id = $1 \
     ORDER BY r.period_start, r.kpi_id"
);
const FAILURES: &str = concat!(
    "SELECT ",
    failure_columns!(),
    "WHERE f.contract_id = $1 ORDER BY f.period_start, f.id"
);
const PENALTIES_SINCE: &str = "SELECT CAST(COALESCE(SUM(f.penalty_imposed), 0) AS BIGINT) \
    FROM performance_failures f JOIN contracts c ON c.id = f.contract_id \
    WHERE c.supplier_id = $1 AND f.period_end >= $2";
const KPI_CODE_TAKEN: &str =
    "SELECT COUNT(*) FROM contract_kpis WHERE contract_id = $1 AND code = $2";
const INSERT_KPI: &str = "INSERT INTO contract_kpis (contract_id, code, title, unit, target, \
    direction, frequency, tolerance, from_date, defined_by, defined_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
const SET_RATIONALE: &str = "UPDATE contracts SET no_agreed_metrics_rationale = $2, \
    kpi_exemption = $3 WHERE id = $1";
const RETURN_FOR_PERIOD: &str =
    "SELECT id FROM kpi_returns WHERE kpi_id = $1 AND period_start = $2";
const INSERT_RETURN: &str = "INSERT INTO kpi_returns (kpi_id, period_start, period_end, value, \
    note, due_on, late, submitted_by, submitted_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
const FAILURE_ID_TAKEN: &str = "SELECT COUNT(*) FROM performance_failures \
    WHERE contract_id = $1 AND reference = $2";
const INSERT_FAILURE: &str = "INSERT INTO performance_failures (contract_id, kpi_id, reference, \
    period_start, period_end, category, description, events, remedy, penalty_type, \
    penalty_contracted, penalty_imposed, penalty_paid, recorded_by, recorded_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id";

impl WriteTx {
    async fn count(&mut self, sql: &str, id: i64, text: &str) -> Result<i64, StoreError> {
        let n: i64 =
            on_tx!(self, c => sqlx::query_scalar(sql).bind(id).bind(text).fetch_one(c).await)?;
        Ok(n)
    }
}

impl Store {
    /// Sets a KPI of a contract, in one transaction with its audit record. A code the
    /// contract already uses is refused, naming `code`; nothing is written.
    pub async fn define_kpi(
        &self,
        contract_id: i64,
        kpi: &Kpi,
        from: NaiveDate,
        actor: &Actor,
    ) -> Result<ContractKpi, StoreError> {
        let mut tx = self.begin_write().await?;
        if tx.count(KPI_CODE_TAKEN, contract_id, &kpi.code).await? > 0 {
            return Err(StoreError::invalid(
                "code",
                format!("contract {contract_id} already has a KPI `{}`", kpi.code),
            ));
        }
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_KPI).bind(contract_id)
            .bind(&kpi.code).bind(&kpi.name).bind(&kpi.unit).bind(kpi.target.to_string())
            .bind(kpi.direction.as_str()).bind(kpi.frequency.as_str())
            .bind(kpi.tolerance.to_string()).bind(from).bind(actor.user_id).bind(now)
            .fetch_one(c).await)?;
        tx.audit(
            actor,
            "contract.kpi",
            "contract",
            &contract_id.to_string(),
            json!({"kpi_id": id, "kpi": kpi, "from": from}),
        )
        .await?;
        tx.commit().await?;
        Ok(ContractKpi {
            id,
            contract_id,
            kpi: kpi.clone(),
            from,
            defined_by: actor.user_id,
            defined_at: now,
        })
    }

    /// Records why the council sets no KPIs (blank clears it) and the exemption from the KPI
    /// duty it claims, if any, with the audit record.
    pub async fn set_kpi_rationale(
        &self,
        contract_id: i64,
        rationale: &str,
        exemption: Option<KpiExemption>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = on_tx!(tx, c => sqlx::query(SET_RATIONALE).bind(contract_id)
            .bind(rationale).bind(exemption.map(KpiExemption::as_str))
            .execute(c).await.map(crate::backend::affected))?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("contract {contract_id}")));
        }
        tx.audit(
            actor,
            "contract.kpi_rationale",
            "contract",
            &contract_id.to_string(),
            json!({"no_agreed_metrics_rationale": rationale,
                   "kpi_exemption": exemption.map(KpiExemption::as_str)}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The contract's KPIs, in the order set.
    pub async fn contract_kpis(&self, contract_id: i64) -> Result<Vec<ContractKpi>, StoreError> {
        let rows: Vec<KpiRow> = on_each_backend!(self, pool =>
            sqlx::query_as(KPIS).bind(contract_id).fetch_all(pool).await)?;
        rows.into_iter().map(KpiRow::decode).collect()
    }

    /// The returns for the contract's KPIs, by period.
    pub async fn kpi_returns(&self, contract_id: i64) -> Result<Vec<KpiReturn>, StoreError> {
        let rows: Vec<ReturnRow> = on_each_backend!(self, pool =>
            sqlx::query_as(RETURNS).bind(contract_id).fetch_all(pool).await)?;
        rows.into_iter().map(ReturnRow::decode).collect()
    }

    /// The KPIs of every contract the organisation supplies (two queries in all).
    pub async fn supplier_kpis(
        &self,
        supplier_id: i64,
    ) -> Result<(Vec<ContractKpi>, Vec<KpiReturn>), StoreError> {
        let kpis: Vec<KpiRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SUPPLIER_KPIS).bind(supplier_id).fetch_all(pool).await)?;
        let returns: Vec<ReturnRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SUPPLIER_RETURNS).bind(supplier_id).fetch_all(pool).await)?;
        Ok((
            kpis.into_iter()
                .map(KpiRow::decode)
                .collect::<Result<_, _>>()?,
            returns
                .into_iter()
                .map(ReturnRow::decode)
                .collect::<Result<_, _>>()?,
        ))
    }

    /// Penalties imposed on the organisation under the contracts it supplies, for failures
    /// in periods ending on or after `since`.
    pub async fn penalties_imposed_since(
        &self,
        supplier_id: i64,
        since: NaiveDate,
    ) -> Result<Money, StoreError> {
        let pence: i64 = on_each_backend!(self, pool => sqlx::query_scalar(PENALTIES_SINCE)
            .bind(supplier_id).bind(since).fetch_one(pool).await)?;
        Ok(Money::pence(pence))
    }

    /// Records a provider's return for a KPI and a period, in one transaction with its audit
    /// record. A second return for the same KPI and period is refused naming `period_start`;
    /// nothing is written.
    pub async fn submit_kpi_return(
        &self,
        kpi: &ContractKpi,
        new: &NewKpiReturn,
        actor: &Actor,
    ) -> Result<KpiReturn, StoreError> {
        let mut tx = self.begin_write().await?;
        let earlier: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(RETURN_FOR_PERIOD)
            .bind(new.kpi_id).bind(new.period.start).fetch_optional(c).await)?;
        if let Some(earlier) = earlier {
            return Err(StoreError::invalid(
                "period_start",
                format!(
                    "contract {}: KPI `{}` already has a return for the period {} to {} \
                     (return {earlier}): one return per KPI and period",
                    kpi.contract_id, kpi.kpi.code, new.period.start, new.period.end
                ),
            ));
        }
        let now = tx.now();
        let value = new.value.map(|v| v.to_string());
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_RETURN).bind(new.kpi_id)
            .bind(new.period.start).bind(new.period.end).bind(&value).bind(&new.note)
            .bind(new.due_on).bind(new.late).bind(actor.user_id).bind(now)
            .fetch_one(c).await)?;
        tx.audit(
            actor,
            "contract.kpi_return",
            "contract",
            &kpi.contract_id.to_string(),
            json!({"return_id": id, "kpi": kpi.kpi.code, "period_start": new.period.start,
                   "period_end": new.period.end, "value": value, "note": new.note,
                   "due_on": new.due_on, "late": new.late}),
        )
        .await?;
        tx.commit().await?;
        Ok(KpiReturn {
            id,
            kpi_id: new.kpi_id,
            period: new.period,
            value: new.value,
            note: new.note.clone(),
            due_on: new.due_on,
            late: new.late,
            submitted_by: actor.user_id,
            submitted_at: now,
        })
    }

    /// Records a performance failure, in one transaction with its audit record. An id the
    /// contract already uses is refused, naming `id`; nothing is written.
    pub async fn record_performance_failure(
        &self,
        contract_id: i64,
        kpi_id: Option<i64>,
        f: &PerformanceFailure,
        actor: &Actor,
    ) -> Result<FailureRecord, StoreError> {
        let mut tx = self.begin_write().await?;
        if tx.count(FAILURE_ID_TAKEN, contract_id, &f.id).await? > 0 {
            return Err(StoreError::invalid(
                "id",
                format!(
                    "contract {contract_id} already has a performance failure `{}`",
                    f.id
                ),
            ));
        }
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_FAILURE).bind(contract_id)
            .bind(kpi_id).bind(&f.id).bind(f.period.start).bind(f.period.end).bind(&f.category)
            .bind(&f.description).bind(i64::from(f.events)).bind(&f.remedy)
            .bind(f.penalty_type.as_str()).bind(f.penalty_contracted.as_pence())
            .bind(f.penalty_imposed.as_pence()).bind(f.penalty_paid.as_pence())
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "contract.performance_failure",
            "contract",
            &contract_id.to_string(),
            json!({"failure_id": id, "kpi_id": kpi_id, "failure": f}),
        )
        .await?;
        tx.commit().await?;
        Ok(FailureRecord {
            id,
            contract_id,
            kpi_id,
            failure: f.clone(),
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    /// The contract's performance failures, by period.
    pub async fn performance_failures(
        &self,
        contract_id: i64,
    ) -> Result<Vec<FailureRecord>, StoreError> {
        let rows: Vec<FailureRow> = on_each_backend!(self, pool =>
            sqlx::query_as(FAILURES).bind(contract_id).fetch_all(pool).await)?;
        rows.into_iter().map(FailureRow::decode).collect()
    }
}
