//! Importing a council's "expenditure over £500" files: each file whole or not at all, once
//! (by its content), with a warning where its dates overlap an earlier import, and a
//! corrected file swapped in for an earlier one that is kept as a revision.

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::spend::SpendFile;
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
}

/// Imports a spend file for the organisation `org` (its finance officers), whole; the same
/// content again adds nothing. `replaces` names an earlier import of the organisation that a
/// corrected file stands in for; its lines are kept.
pub async fn import(
    store: &Store,
    caller: &Caller,
    org: &str,
    file: &SpendFile,
    replaces: Option<i64>,
) -> UseCaseResult<Imported> {
    let o = crate::organisations::find(store, org).await?;
    caller.require(Action::ImportSpend(o.id))?;
    if let Some(import) = store.spend_import_by_sha(o.id, &file.sha256).await? {
        return Ok(Imported {
            import,
            added: false,
            overlaps: Vec::new(),
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
    let id = store
        .import_spend(o.id, file, replaces, &caller.actor())
        .await?;
    let import = store
        .spend_import(id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("spend import {id}")))?;
    Ok(Imported {
        import,
        added: true,
        overlaps,
    })
}

/// The organisation's spend imports, oldest first (its finance officers).
pub async fn imports(store: &Store, caller: &Caller, org: &str) -> UseCaseResult<Vec<SpendImport>> {
    let o = crate::organisations::find(store, org).await?;
    caller.require(Action::ImportSpend(o.id))?;
    Ok(store.spend_imports(o.id).await?)
}
