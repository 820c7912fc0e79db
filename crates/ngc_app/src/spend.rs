//! Importing a council's "expenditure over £500" files: each file whole or not at all, once
//! (by its content), with a warning where its dates overlap an earlier import, and a
//! corrected file swapped in for an earlier one that is kept as a revision. Each file's
//! lines are charged to the accounts the expense-code mapping gives them and posted to the
//! ledger as summarised journals, one per month and account; a replaced file's journals are
//! reversed.

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::spend::SpendFile;
use ngc_domain::spend::journals::ExpenseCodes;
use ngc_store::Store;
use ngc_store::spend::SpendImport;
use serde::Serialize;

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// The import the file's lines are in: a new one, or the earlier import of the same
    /// content.
    pub import: SpendImport,
    /// Whether the file was new (false: the same content was imported before; nothing added).
    pub added: bool,
    /// Earlier imports still current whose payment dates overlap this file's.
    pub overlaps: Vec<SpendImport>,
    /// The summarised journals posted (none when nothing was added).
    pub journals: usize,
    /// The replaced import's journals reversed.
    pub reversed: usize,
}

/// Imports a spend file for the organisation `org` (its finance officers), whole; the same
/// content again adds nothing. `codes` maps expense codes to the service line and subjective
/// the lines are charged to. `replaces` names an earlier import of the organisation that a
/// corrected file stands in for; its lines are kept and its journals reversed.
pub async fn import(
    store: &Store,
    caller: &Caller,
    org: &str,
    file: &SpendFile,
    codes: &ExpenseCodes,
    replaces: Option<i64>,
) -> UseCaseResult<Imported> {
    let o = crate::organisations::find(store, org).await?;
    caller.require(Action::ImportSpend(o.id))?;
    if let Some(import) = store.spend_import_by_sha(o.id, &file.sha256).await? {
        return Ok(Imported {
            import,
            added: false,
            overlaps: Vec::new(),
            journals: 0,
            reversed: 0,
        });
    }
    let overlaps = match file.dates() {
        Some((first, last)) => store
            .spend_imports(o.id)
            .await?
            .into_iter()
            .filter(|i| i.replaced_by_id.is_none() && Some(i.id) != replaces)
            .filter(|i| {
                matches!((i.first_paid_on, i.last_paid_on), (Some(f), Some(l)) if f <= last && first <= l)
            })
            .collect(),
        None => Vec::new(),
    };
    let assigned = codes.assign(&file.lines);
    let stored = store
        .import_spend(o.id, file, &assigned, replaces, &caller.actor())
        .await?;
    let import = store
        .spend_import(stored.id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("spend import {}", stored.id)))?;
    Ok(Imported {
        import,
        added: true,
        overlaps,
        journals: stored.journals,
        reversed: stored.reversed,
    })
}

/// The organisation's spend imports, oldest first (its finance officers).
pub async fn imports(store: &Store, caller: &Caller, org: &str) -> UseCaseResult<Vec<SpendImport>> {
    let o = crate::organisations::find(store, org).await?;
    caller.require(Action::ImportSpend(o.id))?;
    Ok(store.spend_imports(o.id).await?)
}

/// Posts the organisation's spend imported before the ledger took spend (its lines carry no
/// account) as the summarised journals an import posts now, charging the lines to the accounts
/// `codes` gives them (its finance officers). Posting again posts nothing.
pub async fn post_unposted(
    store: &Store,
    caller: &Caller,
    org: &str,
    codes: &ExpenseCodes,
) -> UseCaseResult<ngc_store::spend::SpendPosted> {
    let o = crate::organisations::find(store, org).await?;
    caller.require(Action::ImportSpend(o.id))?;
    Ok(store
        .post_unposted_spend(o.id, codes, &caller.actor())
        .await?)
}
