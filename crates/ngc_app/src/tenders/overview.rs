//! The Procurement area's front page: the open tenders of every council (for a provider,
//! those it may bid for), and the caller's own council's tenders by stage.

use super::list;
use crate::{Caller, UseCaseResult};
use chrono::{DateTime, Utc};
use ngc_domain::access::Action;
use ngc_domain::procurement::TenderStage;
use ngc_domain::procurement::lifecycle::{RegisteredFacts, starting_point};
use ngc_store::Store;
use ngc_store::tenders::Tender;

/// What the Procurement area shows its reader.
#[derive(Debug, Clone)]
pub struct Overview {
    pub now: DateTime<Utc>,
    /// Open for bids now, soonest deadline first; for a provider, only those its registered
    /// facts do not rule out.
    pub open: Vec<Tender>,
    /// For a provider: how many open tenders are reserved for suppliers it is not
    /// registered as.
    pub reserved_for_others: usize,
    /// The caller's own council's tenders, by stage (draft, open, evaluation, terminated),
    /// only the stages that have any.
    pub own: Vec<(TenderStage, Vec<Tender>)>,
    /// Whether the caller may create tenders and planned procurements.
    pub may_create: bool,
    /// Whether the caller may read its council's pipeline.
    pub may_plan: bool,
}

/// The overview for the caller, at the server's time.
pub async fn overview(store: &Store, caller: &Caller) -> UseCaseResult<Overview> {
    let now = store.now();
    let tenders = list(store, caller).await?;
    let own_org = caller.principal().map(|p| p.organisation_id);
    let provider = caller.can(Action::SubmitBids) && own_org.is_some();
    let facts = match own_org {
        Some(id) if provider => store
            .organisation_by_id(id)
            .await?
            .map(|o| RegisteredFacts {
                public_service_mutual: o.public_service_mutual,
                sme: o.sme,
                vcse: o.vcse,
            })
            .unwrap_or_default(),
        _ => RegisteredFacts::default(),
    };
    let mut open: Vec<Tender> = tenders
        .iter()
        .filter(|t| t.stage(now) == TenderStage::Open)
        .cloned()
        .collect();
    open.sort_by_key(|t| (t.submission_deadline, t.id));
    let mut reserved_for_others = 0;
    if provider {
        let before = open.len();
        open.retain(|t| starting_point(t.reservation, facts).may_bid());
        reserved_for_others = before - open.len();
    }
    let mut own = Vec::new();
    if let Some(org) = own_org.filter(|o| caller.can(Action::ReadBuyerTenders(*o))) {
        for stage in TenderStage::ALL {
            let of_stage: Vec<Tender> = tenders
                .iter()
                .filter(|t| t.is_buyer(org) && t.stage(now) == *stage)
                .cloned()
                .collect();
            if !of_stage.is_empty() {
                own.push((*stage, of_stage));
            }
        }
    }
    Ok(Overview {
        now,
        open,
        reserved_for_others,
        own,
        may_create: own_org.is_some_and(|o| caller.can(Action::ManageTenders(o))),
        may_plan: own_org.is_some_and(|o| caller.can(Action::ReadBuyerTenders(o))),
    })
}
