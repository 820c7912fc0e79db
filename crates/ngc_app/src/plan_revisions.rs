//! A plan's numbered revisions: list them, read one, restore one (a new revision, audited).
//! Reading needs [`Action::ReadPlans`] on the plan's organisation, restoring
//! [`Action::UpdatePlans`].

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::finance::mtfp::Plan;
use ngc_store::Store;
use ngc_store::plans::PlanRevision;

/// Finds the organisation and checks the caller may do `action` on its plans.
async fn authorise(
    store: &Store,
    caller: &Caller,
    organisation: &str,
    action: fn(i64) -> Action,
) -> UseCaseResult<()> {
    let org = store
        .organisation_by_slug(organisation)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{organisation}`")))?;
    caller.require(action(org.id))
}

/// The revisions of a plan, newest first.
pub async fn list(
    store: &Store,
    caller: &Caller,
    organisation: &str,
    plan: &str,
) -> UseCaseResult<Vec<PlanRevision>> {
    authorise(store, caller, organisation, Action::ReadPlans).await?;
    Ok(store.plan_revisions(organisation, plan).await?)
}

/// Revision `number` of a plan and the plan's content at that revision.
pub async fn read(
    store: &Store,
    caller: &Caller,
    organisation: &str,
    plan: &str,
    number: i64,
) -> UseCaseResult<(PlanRevision, Plan)> {
    authorise(store, caller, organisation, Action::ReadPlans).await?;
    store
        .plan_revision(organisation, plan, number)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("revision {number} of plan `{plan}`")))
}

/// Restores revision `number` of a plan: its content becomes the plan's as a new revision,
/// audited `plan.restore`. Returns the new revision's number; refuses (conflict) when the
/// plan already holds that content.
pub async fn restore(
    store: &Store,
    caller: &Caller,
    organisation: &str,
    plan: &str,
    number: i64,
) -> UseCaseResult<i64> {
    authorise(store, caller, organisation, Action::UpdatePlans).await?;
    store
        .restore_plan_revision(organisation, plan, number, &caller.actor())
        .await?
        .ok_or_else(|| {
            UseCaseError::Conflict(format!(
                "plan `{plan}` already holds the content of revision {number}"
            ))
        })
}
