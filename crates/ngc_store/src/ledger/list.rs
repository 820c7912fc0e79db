//! The journals of an organisation's ledger as a list: the latest first, a page at a time.

use crate::{Store, StoreError, on_each_backend};
use chrono::NaiveDate;
use ngc_domain::money::Money;
use serde::Serialize;

/// One journal in a list: what it is and its total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalSummary {
    pub id: i64,
    pub date: NaiveDate,
    pub description: String,
    /// The journal it reverses.
    pub reverses: Option<i64>,
    /// The journal that reverses it.
    pub reversed_by: Option<i64>,
    /// Its debits (equal to its credits).
    pub total: Money,
}

/// The latest journals dated on or before `$2`, newest first.
const LATEST: &str = "SELECT j.id, j.journal_date, j.description, j.reverses, r.id, \
    CAST((SELECT COALESCE(SUM(p.debit), 0) FROM ledger_postings p WHERE p.journal_id = j.id) \
    AS BIGINT) FROM ledger_journals j LEFT JOIN ledger_journals r ON r.reverses = j.id \
    WHERE j.organisation_id = $1 AND j.journal_date <= $2 \
    ORDER BY j.journal_date DESC, j.id DESC LIMIT $3";

const REVERSED_BY: &str = "SELECT r.id FROM ledger_journals r \
    JOIN ledger_journals j ON j.id = r.reverses WHERE j.organisation_id = $1 AND j.id = $2";

type Row = (i64, NaiveDate, String, Option<i64>, Option<i64>, i64);

impl Store {
    /// Up to `limit` of the organisation's journals dated on or before `at`, newest first.
    pub async fn ledger_latest_journals(
        &self,
        organisation_id: i64,
        at: NaiveDate,
        limit: i64,
    ) -> Result<Vec<JournalSummary>, StoreError> {
        let rows: Vec<Row> = on_each_backend!(self, pool => sqlx::query_as(LATEST)
            .bind(organisation_id).bind(at).bind(limit).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, date, description, reverses, reversed_by, total)| JournalSummary {
                    id,
                    date,
                    description,
                    reverses,
                    reversed_by,
                    total: Money::pence(total),
                },
            )
            .collect())
    }

    /// The journal that reverses the organisation's journal `id`, if one does.
    pub async fn ledger_reversed_by(
        &self,
        organisation_id: i64,
        id: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(
            on_each_backend!(self, pool => sqlx::query_scalar(REVERSED_BY)
            .bind(organisation_id).bind(id).fetch_optional(pool).await)?,
        )
    }
}
