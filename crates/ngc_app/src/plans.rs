//! Changes to a medium-term financial plan: a monthly delivery update on a saving, and new
//! assumptions for plan years. The savings page and the plan page, and the API, call these.

mod assumptions;
mod delivery;
pub mod evidence;

pub use assumptions::{AssumptionChange, update_assumptions};
pub use delivery::record_delivery;
pub use evidence::{LinkInput, SavingsChain, chain, link_saving, savings_view, unlink_saving};

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::finance::mtfp::Plan;
use ngc_store::Store;

/// The plan `name` of the organisation `slug`, once the caller may change its plans.
/// An unknown organisation or plan is `NotFound`; a caller who may not change the
/// organisation's plans is `Forbidden` before anything about the plan is read.
async fn plan_to_change(
    store: &Store,
    caller: &Caller,
    slug: &str,
    name: &str,
) -> UseCaseResult<Plan> {
    let org = store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{slug}`")))?;
    caller.require(Action::UpdatePlans(org.id))?;
    store
        .plan(slug, Some(name))
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("plan `{name}` of `{slug}`")))
}
