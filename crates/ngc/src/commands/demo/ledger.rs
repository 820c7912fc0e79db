//! The demo's opening balances for Northamptonshire on 1 April 2015, from
//! `demo/northamptonshire-2015/ledger/opening-balances.csv` (carried in the binary; every
//! figure modelled: the reserves are the plan's opening reserves, the bank, debtors and
//! creditors made up to balance), posted through the same use case as `ngc import
//! opening-balances`. Loading again changes nothing (the journal's key is posted once).

use super::carried;
use ngc_app::Caller;
use ngc_domain::ledger::{Posting, Source, SourceKind};
use ngc_store::Store;
use std::path::Path;

const ORGANISATION: &str = "northamptonshire";
const FILE: &str = "ledger/opening-balances.csv";

/// Posts the opening balances unless posted; gives how many lines it posted.
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    if store.organisation_by_slug(ORGANISATION).await?.is_none() {
        return Ok(0);
    }
    let bytes = carried(FILE)?;
    let lines: Vec<_> = ngc_io::ledger::read_opening_balances_bytes(Path::new(FILE), bytes)?
        .into_iter()
        .map(|l| {
            let source = Source {
                kind: SourceKind::OpeningBalance,
                reference: l.source,
            };
            let posting = Posting {
                account: l.account,
                side: l.side,
                amount: l.amount,
                source,
            };
            (l.line, posting)
        })
        .collect();
    let on = "2015-04-01".parse().ok();
    let posted =
        ngc_app::ledger::opening::post(store, &Caller::System, ORGANISATION, on, &lines).await?;
    Ok(if posted.created { lines.len() } else { 0 })
}
