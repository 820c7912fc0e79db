//! The demo's real spend: Darlington Borough Council's "expenditure over £500" files for
//! 2015-16 (`demo/northamptonshire-2015/spend/darlington/`, copied from the council's own
//! publication; see `SOURCE.txt` there), carried in the binary and imported under the demo's
//! Darlington organisation through the same use case as `ngc import spend`, which posts them to
//! its ledger as summarised journals. Loading again adds nothing: a file is imported once by
//! its content.

use super::DEMO_PACK;
use ngc_app::Caller;
use ngc_domain::spend::journals::ExpenseCodes;
use ngc_store::Store;

const ORGANISATION: &str = "darlington";
const DIR: &str = "spend/darlington";

/// What loading the spend did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    pub files: usize,
    pub lines: i64,
    pub journals: usize,
}

/// Imports the files not yet imported.
pub async fn load(store: &Store) -> anyhow::Result<Loaded> {
    if store.organisation_by_slug(ORGANISATION).await?.is_none() {
        return Ok(Loaded::default());
    }
    let dir = DEMO_PACK
        .get_dir(DIR)
        .ok_or_else(|| anyhow::anyhow!("the demo pack carries no {DIR}"))?;
    let mut files: Vec<_> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort_by_key(|f| f.path());
    let mut loaded = Loaded::default();
    for f in files {
        let spend = ngc_io::spend::from_bytes(f.path(), f.contents().to_vec());
        let codes = ExpenseCodes::default();
        let out = ngc_app::spend::import(
            store,
            &Caller::System,
            ORGANISATION,
            spend,
            None,
            &codes,
            None,
        )
        .await?;
        if out.added {
            loaded.files += 1;
            loaded.lines += out.import.lines;
            loaded.journals += out.journals;
        }
    }
    Ok(loaded)
}
