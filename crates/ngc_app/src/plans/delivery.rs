//! `record_delivery`: a monthly delivery update on one saving of a plan.

use super::plan_to_change;
use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::finance::savings::DeliveryUpdate;
use ngc_store::Store;

/// Records `update` on the plan `plan` of the organisation `organisation`, audited.
///
/// Refused unless the caller may update the organisation's plans (`Forbidden`); the plan
/// and the saving must exist (`NotFound`); the year must be one the saving has an amount in,
/// the month 1 (April) to 12 (March) and the amount delivered not negative (`Invalid`).
pub async fn record_delivery(
    store: &Store,
    caller: &Caller,
    organisation: &str,
    plan: &str,
    update: &DeliveryUpdate,
) -> UseCaseResult<()> {
    let stored = plan_to_change(store, caller, organisation, plan).await?;
    let saving = stored
        .savings
        .iter()
        .find(|s| s.reference == update.reference)
        .ok_or_else(|| {
            UseCaseError::NotFound(format!("saving `{}` of plan `{plan}`", update.reference))
        })?;
    if !(1..=12).contains(&update.month) {
        return Err(UseCaseError::invalid(
            "month",
            format!(
                "{} is not a month of the year (1 = April … 12 = March)",
                update.month
            ),
        ));
    }
    if saving.amount_in(update.year).is_zero() {
        return Err(UseCaseError::invalid(
            "year",
            format!(
                "saving `{}` has nothing planned in {}",
                update.reference, update.year
            ),
        ));
    }
    if update.delivered.is_negative() {
        return Err(UseCaseError::invalid(
            "delivered",
            "the amount delivered cannot be negative",
        ));
    }
    store
        .record_delivery(organisation, plan, update, &caller.actor())
        .await?;
    Ok(())
}
