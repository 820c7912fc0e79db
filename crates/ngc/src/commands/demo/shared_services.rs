//! The demo's LGSS figures: six shared services hosted by Northamptonshire or Cambridgeshire,
//! ten years of pools, bases, drivers and external fees, the partners' baselines and the
//! published savings figures, from `demo/northamptonshire-2015/shared-services/lgss.csv`
//! (carried in the binary; its README says which figures are published and which modelled),
//! imported through the same use case as `ngc import shared-services`.
//!
//! Loading again changes nothing: the figures are imported only while LGSS has none.

use super::carried;
use ngc_app::Caller;
use ngc_store::Store;
use std::path::Path;

const PARTNERSHIP: &str = "lgss";
const FILE: &str = "shared-services/lgss.csv";

/// Imports LGSS's figures unless it has some; gives how many service years it imported.
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    let Some(p) = store.partnership_by_slug(PARTNERSHIP).await? else {
        return Ok(0);
    };
    if !store
        .shared_services(p.id)
        .await?
        .figures
        .services
        .is_empty()
    {
        return Ok(0);
    }
    let bytes = carried(FILE)?;
    let agreement = ngc_io::shared_services::read_shared_services_bytes(Path::new(FILE), bytes)?;
    let summary =
        ngc_app::shared_services::import(store, &Caller::System, PARTNERSHIP, agreement).await?;
    Ok(summary.years)
}
