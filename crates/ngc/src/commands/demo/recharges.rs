//! The demo's LGSS recharges: each partner's net charge and the lead council's income for
//! the years Northamptonshire's ledger covers (2015-16, from its opening balances, and
//! 2016-17), from the recharge statement of the figures `shared_services` imported, posted
//! through the same use case as `ngc ledger post-recharges`. Loading again changes nothing
//! (each journal's key is posted once).

use ngc_app::Caller;
use ngc_domain::finance::FinancialYear;
use ngc_store::Store;

const PARTNERSHIP: &str = "lgss";
/// The years the county's ledger covers.
pub const YEARS: [&str; 2] = ["2015-16", "2016-17"];

/// Posts the recharges not yet posted; gives how many journals it posted.
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    let Some(p) = store.partnership_by_slug(PARTNERSHIP).await? else {
        return Ok(0);
    };
    if store
        .shared_services(p.id)
        .await?
        .figures
        .services
        .is_empty()
    {
        return Ok(0);
    }
    let mut posted = 0;
    for year in YEARS {
        let year: FinancialYear = year.parse()?;
        posted += ngc_app::ledger::recharges::post(store, &Caller::System, PARTNERSHIP, year)
            .await?
            .iter()
            .filter(|p| p.posted.created)
            .count();
    }
    Ok(posted)
}
