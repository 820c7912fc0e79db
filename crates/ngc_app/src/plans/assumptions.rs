//! `update_assumptions`: new assumptions for some years of a plan.

use super::plan_to_change;
use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::finance::mtfp::{Assumptions, Plan};
use ngc_domain::finance::year::FinancialYear;
use ngc_store::Store;
use ngc_store::plans::RevisionReason;
use rust_decimal::Decimal;

/// New values for one plan year's assumptions, per cent; `None` keeps the stored value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumptionChange {
    /// The plan year.
    pub year: FinancialYear,
    /// Council tax increase (core).
    pub council_tax_increase_pct: Option<Decimal>,
    /// Adult social care precept.
    pub asc_precept_pct: Option<Decimal>,
    /// Pay award.
    pub pay_award_pct: Option<Decimal>,
    /// General inflation.
    pub general_inflation_pct: Option<Decimal>,
}

/// The widest change ngc accepts for an assumption, per cent either way.
const LIMIT_PCT: i64 = 100;

fn apply(a: &mut Assumptions, change: &AssumptionChange) -> UseCaseResult<()> {
    let year = a.year;
    let fields = [
        (
            "council_tax_increase_pct",
            change.council_tax_increase_pct,
            &mut a.council_tax_increase_pct,
        ),
        (
            "asc_precept_pct",
            change.asc_precept_pct,
            &mut a.asc_precept_pct,
        ),
        ("pay_award_pct", change.pay_award_pct, &mut a.pay_award_pct),
        (
            "general_inflation_pct",
            change.general_inflation_pct,
            &mut a.general_inflation_pct,
        ),
    ];
    for (field, value, slot) in fields {
        let Some(value) = value else { continue };
        if value.abs() > Decimal::from(LIMIT_PCT) {
            return Err(UseCaseError::invalid(
                format!("{field}:{year}"),
                format!("{value}% is outside −{LIMIT_PCT}% to {LIMIT_PCT}%"),
            ));
        }
        *slot = value;
    }
    Ok(())
}

/// Applies `changes` to the plan `plan` of the organisation `organisation` and stores the
/// plan anew (one transaction, audited); gives the plan as stored.
///
/// Refused unless the caller may update the organisation's plans (`Forbidden`); the plan
/// must exist (`NotFound`); every change names a year of the plan, once, and values within
/// ±100% (`Invalid`, naming the field). Nothing is stored unless every change is valid.
pub async fn update_assumptions(
    store: &Store,
    caller: &Caller,
    organisation: &str,
    plan: &str,
    changes: &[AssumptionChange],
) -> UseCaseResult<Plan> {
    let mut stored = plan_to_change(store, caller, organisation, plan).await?;
    let years = stored.plan_years();
    let mut seen = Vec::new();
    for change in changes {
        let year = change.year;
        if !years.contains(&year) {
            return Err(UseCaseError::invalid(
                "year",
                format!("{year} is not a year of plan `{plan}`"),
            ));
        }
        if seen.contains(&year) {
            return Err(UseCaseError::invalid(
                "year",
                format!("{year} is changed twice"),
            ));
        }
        seen.push(year);
        let mut a = stored.assumptions_for(year);
        apply(&mut a, change)?;
        stored.assumptions.retain(|x| x.year != year);
        stored.assumptions.push(a);
    }
    stored.assumptions.sort_by_key(|a| a.year);
    stored
        .validate()
        .map_err(|e| UseCaseError::invalid("assumptions", e.to_string()))?;
    store
        .save_plan(&stored, RevisionReason::AssumptionsEdit, &caller.actor())
        .await?;
    Ok(stored)
}
