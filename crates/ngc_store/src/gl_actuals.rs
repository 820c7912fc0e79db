//! General-ledger actuals (migration 0029): extracts from the council's finance system,
//! kept whole once per content (`gl_imports`, `gl_lines`, `gl_import_months`), and posted
//! to the ledger in the same transaction by the rule of `ngc_domain::ledger::actuals`: for
//! every month the extract covers, each income and expenditure account is brought to the
//! extract's figure by a `gl_actual` journal for the difference, against `gl_control`.
//!
//! The same extract again (same SHA-256) adds and posts nothing. A corrected extract for the
//! same months is a new import: it posts only the further differences, becomes the months'
//! current extract, and the earlier one stays readable. Each journal's key names its import,
//! month and account (`gl_actual:gl_import:ID:YYYY-MM:ACCOUNT`), so nothing posts twice.

use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::ledger::actuals::{GlExtract, true_up};
use ngc_domain::ledger::{Account, month_of};
use ngc_domain::money::Money;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;
use std::collections::BTreeMap;

/// An imported extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct GlImport {
    pub id: i64,
    pub organisation_id: i64,
    pub file_name: String,
    pub sha256: String,
    /// `YYYY-MM`.
    pub first_month: String,
    pub last_month: String,
    pub lines: i64,
    /// Pence, debits less credits.
    pub net_total: i64,
    /// The journals its import posted.
    pub journals: i64,
    pub imported_by: Option<i64>,
    pub imported_at: DateTime<Utc>,
}

/// What importing an extract did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlImported {
    /// The import holding the extract: new, or the earlier import of the same content.
    pub import: GlImport,
    /// Whether this call added it (false: the same content was imported before).
    pub added: bool,
}

/// A stored line of an extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct StoredGlLine {
    pub line: i64,
    pub month: String,
    pub service: String,
    pub cost_centre: String,
    pub subjective: String,
    pub income: bool,
    /// Pence.
    pub amount: i64,
}

macro_rules! import_columns {
    () => {
        "SELECT id, organisation_id, file_name, sha256, first_month, last_month, lines, \
         net_total, journals, imported_by, imported_at FROM gl_imports "
    };
}

const BY_SHA: &str = concat!(
    import_columns!(),
    "WHERE organisation_id = $1 AND sha256 = $2"
);
const BY_ID: &str = concat!(import_columns!(), "WHERE id = $1");
const LIST: &str = concat!(import_columns!(), "WHERE organisation_id = $1 ORDER BY id");
const INSERT_IMPORT: &str = "INSERT INTO gl_imports (organisation_id, file_name, sha256, \
    first_month, last_month, lines, net_total, journals, imported_by, imported_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9) RETURNING id";
const INSERT_LINE: &str = "INSERT INTO gl_lines (import_id, position, line, month, service, \
    cost_centre, subjective, income, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INSERT_MONTH: &str =
    "INSERT INTO gl_import_months (import_id, organisation_id, month) VALUES ($1, $2, $3)";
const SET_JOURNALS: &str = "UPDATE gl_imports SET journals = $2 WHERE id = $1";
/// The ledger's income and expenditure accounts in one month.
const HELD: &str = "SELECT a.code, b.debit, b.credit FROM ledger_balances b \
    JOIN ledger_accounts a ON a.id = b.account_id \
    WHERE a.organisation_id = $1 AND b.month = $2 AND a.kind IN ('expenditure', 'income')";
const LINES: &str = "SELECT line, month, service, cost_centre, subjective, income, amount \
    FROM gl_lines WHERE import_id = $1 ORDER BY position";
/// Each month from `$2` to `$3` with an extract, and its current (latest) import.
const CURRENT_MONTHS: &str = "SELECT month, CAST(MAX(import_id) AS BIGINT) FROM gl_import_months \
    WHERE organisation_id = $1 AND month >= $2 AND month <= $3 GROUP BY month ORDER BY month";

impl Store {
    /// Stores an extract and posts the journals that bring the ledger to its figures, with
    /// one audit record for the import and one per journal, in one transaction: all or
    /// nothing. The same content again adds nothing.
    pub async fn import_gl_actuals(
        &self,
        organisation_id: i64,
        extract: &GlExtract,
        actor: &Actor,
    ) -> Result<GlImported, StoreError> {
        let mut tx = self.begin_write().await?;
        let earlier: Option<GlImport> = on_tx!(tx, c => sqlx::query_as(BY_SHA)
            .bind(organisation_id).bind(&extract.sha256).fetch_optional(c).await)?;
        if let Some(import) = earlier {
            return Ok(GlImported {
                import,
                added: false,
            });
        }
        let months = extract.months();
        let (Some(first), Some(last)) = (months.first(), months.last()) else {
            return Err(StoreError::invalid("file", "the extract has no lines"));
        };
        let now = tx.now();
        let lines = i64::try_from(extract.lines.len()).unwrap_or(i64::MAX);
        let net = extract.net();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_IMPORT).bind(organisation_id)
            .bind(&extract.name).bind(&extract.sha256).bind(month_of(*first))
            .bind(month_of(*last)).bind(lines).bind(net.as_pence()).bind(actor.user_id)
            .bind(now).fetch_one(c).await)?;
        for (position, l) in (1i64..).zip(&extract.lines) {
            let line = i64::try_from(l.line).unwrap_or(i64::MAX);
            on_tx!(tx, c => sqlx::query(INSERT_LINE).bind(id).bind(position).bind(line)
                .bind(month_of(l.month)).bind(l.service.as_str()).bind(&l.cost_centre)
                .bind(&l.subjective).bind(l.income).bind(l.amount.as_pence())
                .execute(c).await.map(crate::backend::affected))?;
        }
        let mut held: BTreeMap<(NaiveDate, Account), Money> = BTreeMap::new();
        for month in &months {
            on_tx!(tx, c => sqlx::query(INSERT_MONTH).bind(id).bind(organisation_id)
                .bind(month_of(*month)).execute(c).await.map(crate::backend::affected))?;
            let rows: Vec<(String, i64, i64)> = on_tx!(tx, c => sqlx::query_as(HELD)
                .bind(organisation_id).bind(month_of(*month)).fetch_all(c).await)?;
            for (code, debit, credit) in rows {
                let account: Account = code.parse().map_err(|e| {
                    StoreError::Conflict(format!("the stored ledger is inconsistent: {e}"))
                })?;
                held.insert((*month, account), Money::pence(debit - credit));
            }
        }
        let journals = true_up(&format!("gl_import:{id}"), &extract.totals(), &held)
            .map_err(|e| StoreError::invalid("file", format!("{}: {e}", extract.name)))?;
        for j in &journals {
            let posted = tx.post_journal(organisation_id, j, actor).await?;
            if !posted.created {
                return Err(StoreError::Conflict(format!(
                    "journal `{}` was posted before",
                    j.key
                )));
            }
        }
        let count = i64::try_from(journals.len()).unwrap_or(i64::MAX);
        on_tx!(tx, c => sqlx::query(SET_JOURNALS).bind(id).bind(count)
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "gl_actuals.import",
            "gl_import",
            &id.to_string(),
            json!({
                "organisation_id": organisation_id,
                "file_name": extract.name,
                "sha256": extract.sha256,
                "lines": lines,
                "months": months.iter().map(|m| month_of(*m)).collect::<Vec<_>>(),
                "net_total": net,
                "journals": count,
            }),
        )
        .await?;
        let import: GlImport = on_tx!(tx, c => sqlx::query_as(BY_ID).bind(id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(GlImported {
            import,
            added: true,
        })
    }

    /// The organisation's extracts, oldest first.
    pub async fn gl_imports(&self, organisation_id: i64) -> Result<Vec<GlImport>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(LIST).bind(organisation_id).fetch_all(pool).await)?)
    }

    /// The lines of an extract, in the order of the file.
    pub async fn gl_lines(&self, import_id: i64) -> Result<Vec<StoredGlLine>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(LINES).bind(import_id).fetch_all(pool).await)?)
    }

    /// Each month from `from` to `to` (`YYYY-MM`, both included) that an extract covers,
    /// with its current (latest) import.
    pub async fn gl_months(
        &self,
        organisation_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(CURRENT_MONTHS).bind(organisation_id).bind(from).bind(to)
                .fetch_all(pool).await)?)
    }
}
