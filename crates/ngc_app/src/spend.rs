//! Importing a council's "expenditure over £500" files: each file whole or not at all, once
//! (by its content), with a warning where its dates overlap an earlier import, and a
//! corrected file swapped in for an earlier one that is kept as a revision. Each file's
//! lines are charged to the accounts the expense-code mapping gives them and posted to the
//! ledger as summarised journals, one per month and account; a replaced file's journals are
//! reversed.

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::spend::SpendLine;
use ngc_domain::spend::journals::{ExpenseCodes, Summariser};
use ngc_io::pack::PackErrors;
use ngc_io::spend::layout::Mapping;
use ngc_io::spend::{Flow, SpendSource};
use ngc_store::spend::SpendImport;
use ngc_store::{Store, StoreError};
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

/// Why a spend file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum SpendImportError {
    /// The file did not read: every bad row, by file, line, column and value. Nothing was
    /// imported.
    #[error("{0}")]
    Unreadable(PackErrors),
    /// The use case refused it, or the store failed. Nothing was imported.
    #[error(transparent)]
    Refused(#[from] UseCaseError),
}

impl From<StoreError> for SpendImportError {
    fn from(e: StoreError) -> Self {
        SpendImportError::Refused(e.into())
    }
}

/// Lines handed from the reader to the store at a time.
const BATCH: usize = 4096;
/// Batches waiting between the reader and the store, at most.
const IN_FLIGHT: usize = 4;

/// Imports a spend file for the organisation `org` (its finance officers), whole; the same
/// content again adds nothing. The file is read by its headers or `mapping` on a blocking
/// thread while its lines are stored as they come, a batch at a time, in one transaction that
/// commits only once every line has read: a bad row anywhere leaves nothing written, and only
/// a few batches of lines are held. `codes` maps expense codes to the service line and
/// subjective the lines are charged to. `replaces` names an earlier import of the organisation
/// that a corrected file stands in for; its lines are kept and its journals reversed.
pub async fn import(
    store: &Store,
    caller: &Caller,
    org: &str,
    source: SpendSource,
    mapping: Option<&Mapping>,
    codes: &ExpenseCodes,
    replaces: Option<i64>,
) -> Result<Imported, SpendImportError> {
    let o = crate::organisations::find(store, org).await?;
    caller.require(Action::ImportSpend(o.id))?;
    if let Some(import) = store.spend_import_by_sha(o.id, source.sha256()).await? {
        return Ok(Imported {
            import,
            added: false,
            overlaps: Vec::new(),
            journals: 0,
            reversed: 0,
        });
    }
    let actor = caller.actor();
    let name = source.name().to_owned();
    let mut writer = store
        .begin_spend_import(o.id, source.name(), source.sha256(), replaces, &actor)
        .await?;
    let (send, mut batches) = tokio::sync::mpsc::channel::<Vec<SpendLine>>(IN_FLIGHT);
    let mapping = mapping.cloned();
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(BATCH);
        let read = source.read(mapping.as_ref(), &mut |line| {
            batch.push(line);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if send.blocking_send(full).is_err() {
                    return Flow::Break(());
                }
            }
            Flow::Continue(())
        });
        if read.is_ok() && !batch.is_empty() {
            // The receiver only goes when the store has failed, which is reported instead.
            let _ = send.blocking_send(batch);
        }
        read
    });
    let mut summariser = Summariser::new(codes);
    let mut stored = Ok(());
    while let Some(batch) = batches.recv().await {
        let accounts = summariser.add(&batch);
        if let Err(e) = writer.add(&batch, &accounts).await {
            stored = Err(e);
            break;
        }
    }
    drop(batches);
    let read = reader
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    stored?;
    let counts = read.map_err(SpendImportError::Unreadable)?;
    let summaries = summariser.finish().ok_or_else(|| {
        UseCaseError::invalid("amount", format!("{name}: a month's total overflows"))
    })?;
    let stored = writer.finish(counts.repeats, &summaries, &actor).await?;
    let import = store
        .spend_import(stored.id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("spend import {}", stored.id)))?;
    let overlaps = match (import.first_paid_on, import.last_paid_on) {
        (Some(first), Some(last)) => store
            .spend_imports(o.id)
            .await?
            .into_iter()
            .filter(|i| i.id != import.id && i.replaced_by_id.is_none() && Some(i.id) != replaces)
            .filter(|i| {
                matches!((i.first_paid_on, i.last_paid_on), (Some(f), Some(l)) if f <= last && first <= l)
            })
            .collect(),
        _ => Vec::new(),
    };
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
