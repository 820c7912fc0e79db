//! The demo's grants to voluntary, community and social enterprise organisations, from
//! `demo/northamptonshire-2015/grants/vcse-grants.csv` (carried in the binary; every grant
//! modelled, as its README says), recorded in Northamptonshire's grants register through the
//! same use case as `ngc import grants`. Loading again changes nothing: a grant recorded
//! exactly so is left alone.

use super::carried;
use ngc_app::Caller;
use ngc_store::Store;
use std::path::Path;

const ORGANISATION: &str = "northamptonshire";
const FILE: &str = "grants/vcse-grants.csv";

/// Records the grants; gives how many were new.
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    if store.organisation_by_slug(ORGANISATION).await?.is_none() {
        return Ok(0);
    }
    let bytes = carried(FILE)?;
    let grants = ngc_io::grants::read_grants_bytes(Path::new(FILE), bytes)?;
    let stored =
        ngc_app::transparency::import_grants(store, &Caller::System, ORGANISATION, FILE, &grants)
            .await?;
    Ok(stored.added)
}
