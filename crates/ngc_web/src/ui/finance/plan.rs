//! One plan in the published layout, with its charts, scenarios and editable assumptions.

use super::{PlanView, figures, load, urlencode};
use crate::AppState;
use crate::api::organisations::actor;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_domain::access::{Action, Area};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "finance/plan.html")]
struct PlanPage {
    layout: Layout,
    organisation_name: String,
    plan_name: String,
    /// The plan's figures, from the figures cache.
    view: Arc<PlanView>,
    can_update: bool,
}

/// `GET /finance/plans/{name}`: the plan's figures as computed once for its current version
/// and the server's date.
pub async fn plan(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> AppResult<Response> {
    user.require(Action::ReadPlans(user.user.organisation_id))?;
    let view = figures(&app, &user, &name).await?;
    let layout = Layout::for_user(&app, &user, &view.plan_name, Some(Area::Finance)).await?;
    Ok(render(&PlanPage {
        layout,
        organisation_name: user.user.organisation_name.clone(),
        plan_name: view.plan_name.clone(),
        view,
        can_update: user.can(Action::UpdatePlans(user.user.organisation_id)),
    }))
}

/// The assumption fields of the plan page's form, by column name.
const ASSUMPTION_FIELDS: [&str; 4] = [
    "council_tax_increase_pct",
    "asc_precept_pct",
    "pay_award_pct",
    "general_inflation_pct",
];

/// `POST /finance/plans/{name}/assumptions`: new assumptions per year (fields `FIELD:YEAR`);
/// the plan is stored anew, audited, and the page shows the new figures.
pub async fn update_assumptions(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    user.require(Action::UpdatePlans(user.user.organisation_id))?;
    let mut plan = load(&app, &user, &name).await?;
    for year in plan.plan_years() {
        let mut a = plan.assumptions_for(year);
        for field in ASSUMPTION_FIELDS {
            let key = format!("{field}:{year}");
            let Some(text) = form.get(&key) else { continue };
            let value: rust_decimal::Decimal =
                text.trim().trim_end_matches('%').parse().map_err(|_| {
                    AppError::invalid(&key, format!("`{text}` is not a percentage"))
                })?;
            match field {
                "council_tax_increase_pct" => a.council_tax_increase_pct = value,
                "asc_precept_pct" => a.asc_precept_pct = value,
                "pay_award_pct" => a.pay_award_pct = value,
                _ => a.general_inflation_pct = value,
            }
        }
        plan.assumptions.retain(|x| x.year != year);
        plan.assumptions.push(a);
    }
    plan.assumptions.sort_by_key(|a| a.year);
    app.store.import_plan(&plan, &actor(&user)).await?;
    Ok(Redirect::to(&format!("/finance/plans/{}#assumptions", urlencode(&name))).into_response())
}
