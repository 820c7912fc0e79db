//! Importing general-ledger actuals (`ngc import actuals`): an extract from the council's
//! finance system, kept whole once by its content, and posted to the ledger in the same
//! transaction so that the ledger's income and expenditure for the months it covers equal
//! the finance system's (the rule is `ngc_domain::ledger::actuals`). The organisation's
//! finance officers and administrators (`Action::PostJournals`); the command line as the
//! system.

use crate::{Caller, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::ledger::actuals::GlExtract;
use ngc_store::Store;
use ngc_store::gl_actuals::{GlImport, GlImported};

/// Imports an extract for the organisation `slug`, whole; the same content again adds and
/// posts nothing.
pub async fn import(
    store: &Store,
    caller: &Caller,
    slug: &str,
    extract: &GlExtract,
) -> UseCaseResult<GlImported> {
    let org = crate::organisations::find(store, slug.trim()).await?;
    caller.require(Action::PostJournals(org.id))?;
    Ok(store
        .import_gl_actuals(org.id, extract, &caller.actor())
        .await?)
}

/// The organisation's extracts, oldest first (those who read its ledger). A later extract
/// for a month is its current one; the earlier ones stay readable.
pub async fn imports(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<Vec<GlImport>> {
    let org = crate::organisations::find(store, slug.trim()).await?;
    caller.require(Action::ReadLedger(org.id))?;
    Ok(store.gl_imports(org.id).await?)
}
