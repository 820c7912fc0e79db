//! What lies behind a journal, for the drill-down from a balance to its records: the
//! latest journals of a ledger, and the imported spend lines a summarised spend journal sums.

use super::organisation;
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::ledger::{AccountKind, SourceKind};
use ngc_domain::spend::journals::parse_source;
use ngc_store::Store;
use ngc_store::ledger::{JournalSummary, LinesBehind};
use serde::Serialize;

/// The most lines behind a journal one read returns.
pub const MAX_LINES: i64 = 1000;

/// The spend lines a summarised spend journal (or its reversal) sums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpendBehind {
    pub import_id: i64,
    pub file_name: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The expenditure account the lines are charged to.
    pub account: String,
    /// The first lines, in file order, and how many there are.
    #[serde(flatten)]
    pub lines: LinesBehind,
}

/// Up to `limit` (at most [`MAX_LINES`]) of the organisation's journals dated on or before
/// `at` (today when `None`), newest first.
pub async fn latest(
    store: &Store,
    caller: &Caller,
    slug: &str,
    at: Option<NaiveDate>,
    limit: i64,
) -> UseCaseResult<Vec<JournalSummary>> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadLedger(org.id))?;
    let at = at.unwrap_or_else(|| store.today());
    Ok(store
        .ledger_latest_journals(org.id, at, limit.clamp(1, MAX_LINES))
        .await?)
}

/// The spend lines behind the organisation's journal `id`, up to `limit` (at most
/// [`MAX_LINES`]) of them; `None` when the journal does not come from imported spend.
pub async fn spend_lines(
    store: &Store,
    caller: &Caller,
    slug: &str,
    id: i64,
    limit: i64,
) -> UseCaseResult<Option<SpendBehind>> {
    let posted = super::journal(store, caller, slug, id).await?;
    let Some((import_id, month, account)) = posted.journal.postings().iter().find_map(|p| {
        let from_spend =
            p.source.kind == SourceKind::Spend && p.account.kind() == AccountKind::Expenditure;
        let (import, month) = parse_source(&p.source.reference).filter(|_| from_spend)?;
        Some((import, month.to_owned(), p.account.to_string()))
    }) else {
        return Ok(None);
    };
    let import = store
        .spend_import(import_id)
        .await?
        .filter(|i| i.organisation_id == posted.organisation_id)
        .ok_or_else(|| UseCaseError::NotFound(format!("spend import {import_id}")))?;
    let first: NaiveDate = format!("{month}-01")
        .parse()
        .map_err(|_| UseCaseError::Conflict(format!("journal {id} names a bad month `{month}`")))?;
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let lines = store
        .spend_lines_behind(import_id, &account, first, last, limit.clamp(1, MAX_LINES))
        .await?;
    Ok(Some(SpendBehind {
        import_id,
        file_name: import.file_name,
        month,
        account,
        lines,
    }))
}

/// The journal that reverses the organisation's journal `id`, if one does.
pub async fn reversed_by(
    store: &Store,
    caller: &Caller,
    slug: &str,
    id: i64,
) -> UseCaseResult<Option<i64>> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadLedger(org.id))?;
    Ok(store.ledger_reversed_by(org.id, id).await?)
}
