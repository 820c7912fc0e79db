//! Opening balances: one journal of the lines of a file (`ngc import opening-balances`),
//! all of them or none, dated the day the balances open (by default the first day of the
//! financial year holding today), under the key `opening_balance:DATE`: the same file again
//! changes nothing, a different one for the same day is refused (409).

use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::ledger::{Journal, JournalError, Posting, Source, SourceKind};
use ngc_store::Store;
use ngc_store::ledger::Posted;

/// One line of the file: its line number and the posting it makes (the source's reference
/// is the file's `source` column).
pub type OpeningLine = (u64, Posting);

/// Posts the opening balances of the organisation as one journal. Errors name the file's
/// line (`line N`) where the journal's rules refuse one.
pub async fn post(
    store: &Store,
    caller: &Caller,
    slug: &str,
    on: Option<NaiveDate>,
    lines: &[OpeningLine],
) -> UseCaseResult<Posted> {
    let org = store
        .organisation_by_slug(slug.trim())
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{}`", slug.trim())))?;
    caller.require(Action::PostJournals(org.id))?;
    let on = match on {
        Some(d) => d,
        None => ngc_domain::finance::FinancialYear::containing(store.today())
            .map_err(|e| UseCaseError::invalid("on", e.to_string()))?
            .first_day(),
    };
    let postings = lines
        .iter()
        .map(|(_, p)| Posting {
            source: Source {
                kind: SourceKind::OpeningBalance,
                reference: p.source.reference.clone(),
            },
            ..p.clone()
        })
        .collect();
    let journal = Journal::new(
        format!("opening_balance:{on}"),
        on,
        format!("Opening balances at {on}"),
        postings,
    )
    .map_err(|e| {
        let line = match &e {
            JournalError::NotPositive { line, .. }
            | JournalError::BlankSource { line, .. }
            | JournalError::BadAccount { line, .. } => lines.get(line - 1).map(|(l, _)| *l),
            _ => None,
        };
        match line {
            Some(l) => UseCaseError::invalid(format!("line {l}"), e.to_string()),
            None => UseCaseError::invalid("file", e.to_string()),
        }
    })?;
    Ok(store
        .post_journal(org.id, &journal, &caller.actor())
        .await?)
}
