//! The in-year s114(3) warning (from budget monitoring, `ngc_app::monitoring`) shown wherever
//! a plan's warnings show: the dashboard, the finance page, the plan page and the report API.
//! It belongs to the plan the test reads; it comes first, as the most serious warning.

use crate::AppState;
use crate::error::AppResult;
use ngc_app::Caller;
use ngc_domain::finance::mtfp::Report;
use ngc_domain::finance::warning::Warning;
use std::sync::Arc;

/// The in-year warning for the plan `plan` of the organisation `slug`, if the forecast for
/// the year holding today triggers it.
pub async fn warning(
    app: &AppState,
    caller: &Caller,
    slug: &str,
    plan: &str,
) -> AppResult<Option<Warning>> {
    Ok(
        ngc_app::monitoring::in_year_warning(&app.store, caller, slug)
            .await?
            .filter(|(p, _)| p == plan)
            .map(|(_, w)| w),
    )
}

/// The report with the in-year warning first, when there is one for its plan.
pub async fn with_warning(
    app: &AppState,
    caller: &Caller,
    slug: &str,
    report: Arc<Report>,
) -> AppResult<Arc<Report>> {
    Ok(match warning(app, caller, slug, &report.plan).await? {
        Some(w) => {
            let mut r = (*report).clone();
            r.warnings.insert(0, w);
            Arc::new(r)
        }
        None => report,
    })
}
