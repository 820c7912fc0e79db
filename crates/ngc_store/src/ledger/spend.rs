//! The ledger side of imported spend: the journals an import posted that still stand, and
//! the lines behind one of them.

use super::{JournalRow, PostingRow, decode_journal};
use crate::spend::StoredLine;
use crate::tx::WriteTx;
use crate::{Store, StoreError, on_each_backend, on_tx};
use chrono::NaiveDate;
use ngc_domain::ledger::Journal;

/// The import's journals not reversed, with their postings (keys `spend:{import}:…`).
const STANDING: &str = "SELECT j.id, j.organisation_id, j.idempotency_key, j.journal_date, \
    j.description, j.reverses, j.posted_at, j.posted_by FROM ledger_journals j \
    WHERE j.organisation_id = $1 AND j.idempotency_key LIKE $2 \
    AND NOT EXISTS (SELECT 1 FROM ledger_journals r WHERE r.reverses = j.id) ORDER BY j.id";
const STANDING_POSTINGS: &str = "SELECT p.journal_id, a.code, p.debit, p.credit, \
    p.source_kind, p.source_reference FROM ledger_postings p \
    JOIN ledger_journals j ON j.id = p.journal_id \
    JOIN ledger_accounts a ON a.id = p.account_id \
    WHERE j.organisation_id = $1 AND j.idempotency_key LIKE $2 \
    AND NOT EXISTS (SELECT 1 FROM ledger_journals r WHERE r.reverses = j.id) \
    ORDER BY p.journal_id, p.line";
const BEHIND: &str = "SELECT position, member, line, paid_on, month_only, supplier, redacted, \
    amount, gross, vat, irrecoverable_vat, transaction_ref, service, expense_type, expense_code, \
    description, supplier_id, invoice_number, merchant_category FROM spend_lines \
    WHERE import_id = $1 AND account = $2 AND paid_on >= $3 AND paid_on <= $4 \
    ORDER BY position LIMIT $5";
const COUNT_BEHIND: &str = "SELECT COUNT(*) FROM spend_lines \
    WHERE import_id = $1 AND account = $2 AND paid_on >= $3 AND paid_on <= $4";

/// The lines behind a spend journal: the first of them in file order, and how many there are.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LinesBehind {
    pub lines: Vec<StoredLine>,
    pub total: i64,
}

impl WriteTx {
    /// The journals import `import_id` posted that no journal reverses, oldest first.
    pub async fn standing_spend_journals(
        &mut self,
        organisation_id: i64,
        import_id: i64,
    ) -> Result<Vec<(i64, Journal)>, StoreError> {
        let like = format!("spend:{import_id}:%");
        let rows: Vec<JournalRow> = on_tx!(self, c => sqlx::query_as(STANDING)
            .bind(organisation_id).bind(&like).fetch_all(c).await)?;
        let postings: Vec<(i64, String, i64, i64, String, String)> = on_tx!(self, c => sqlx::query_as(STANDING_POSTINGS)
                .bind(organisation_id).bind(&like).fetch_all(c).await)?;
        let mut postings = postings.into_iter().peekable();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut mine: Vec<PostingRow> = Vec::new();
            while let Some((_, code, d, c, kind, reference)) = postings.next_if(|p| p.0 == row.id) {
                mine.push((code, d, c, kind, reference));
            }
            let id = row.id;
            out.push((id, decode_journal(row, mine)?.journal));
        }
        Ok(out)
    }
}

impl Store {
    /// Up to `limit` lines of import `import_id` charged to `account` and paid from `from` to
    /// `to`, in file order, and how many there are.
    pub async fn spend_lines_behind(
        &self,
        import_id: i64,
        account: &str,
        from: NaiveDate,
        to: NaiveDate,
        limit: i64,
    ) -> Result<LinesBehind, StoreError> {
        let lines = on_each_backend!(self, pool => sqlx::query_as(BEHIND)
            .bind(import_id).bind(account).bind(from).bind(to).bind(limit)
            .fetch_all(pool).await)?;
        let total: i64 = on_each_backend!(self, pool => sqlx::query_scalar(COUNT_BEHIND)
            .bind(import_id).bind(account).bind(from).bind(to).fetch_one(pool).await)?;
        Ok(LinesBehind { lines, total })
    }
}
