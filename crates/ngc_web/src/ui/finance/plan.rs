//! One plan in the published layout, with its charts, scenarios and editable assumptions.

use super::{PlanView, figures, load, organisation_slug, urlencode};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::plans::AssumptionChange;
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
    /// The in-year s114(3) warning, when the year's forecast raises it for this plan.
    in_year: Option<ngc_domain::finance::warning::Warning>,
    can_update: bool,
    /// What consultations said, as notes on the plan's lines: (line, note, attached on).
    notes: Vec<(String, String, String)>,
}

/// The plan line a consultation's note concerns, in words.
fn line_label(line: &str) -> String {
    if let Some(service) = line.strip_prefix("service:") {
        return service
            .parse::<ngc_domain::finance::service::ServiceLine>()
            .map_or_else(|_| service.to_owned(), |s| s.label().to_owned());
    }
    if let Some(reference) = line.strip_prefix("saving:") {
        return format!("Saving {reference}");
    }
    "The plan as a whole".to_owned()
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
    let slug = super::organisation_slug(&app, &user).await?;
    let in_year = crate::in_year::warning(&app, &user.caller(), &slug, &view.plan_name).await?;
    let notes =
        ngc_app::consultations::notes_of_plan(&app.store, &user.caller(), &slug, &view.plan_name)
            .await?
            .into_iter()
            .map(|n| {
                (
                    line_label(&n.line),
                    n.note,
                    n.attached_at.format("%-d %B %Y").to_string(),
                )
            })
            .collect();
    let layout = Layout::for_user(&user, &view.plan_name, Some(Area::Finance));
    Ok(render(&PlanPage {
        layout,
        organisation_name: user.user.organisation_name.clone(),
        plan_name: view.plan_name.clone(),
        view,
        in_year,
        can_update: user.can(Action::UpdatePlans(user.user.organisation_id)),
        notes,
    }))
}

/// The assumption fields of the plan page's form, by column name.
const ASSUMPTION_FIELDS: [&str; 4] = [
    "council_tax_increase_pct",
    "asc_precept_pct",
    "pay_award_pct",
    "general_inflation_pct",
];

/// `POST /finance/plans/{name}/assumptions`: new assumptions per year (fields `FIELD:YEAR`),
/// through [`ngc_app::plans::update_assumptions`]; the page then shows the new figures.
pub async fn update_assumptions(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    user.require(Action::UpdatePlans(user.user.organisation_id))?;
    let org = organisation_slug(&app, &user).await?;
    let plan = load(&app, &user, &name).await?;
    let mut changes = Vec::new();
    for year in plan.plan_years() {
        let mut change = AssumptionChange {
            year,
            council_tax_increase_pct: None,
            asc_precept_pct: None,
            pay_award_pct: None,
            general_inflation_pct: None,
        };
        for field in ASSUMPTION_FIELDS {
            let key = format!("{field}:{year}");
            let Some(text) = form.get(&key) else { continue };
            let value: rust_decimal::Decimal =
                text.trim().trim_end_matches('%').parse().map_err(|_| {
                    AppError::invalid(&key, format!("`{text}` is not a percentage"))
                })?;
            let slot = match field {
                "council_tax_increase_pct" => &mut change.council_tax_increase_pct,
                "asc_precept_pct" => &mut change.asc_precept_pct,
                "pay_award_pct" => &mut change.pay_award_pct,
                _ => &mut change.general_inflation_pct,
            };
            *slot = Some(value);
        }
        changes.push(change);
    }
    ngc_app::plans::update_assumptions(&app.store, &user.caller(), &org, &name, &changes).await?;
    Ok(Redirect::to(&format!("/finance/plans/{}#assumptions", urlencode(&name))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::finance::plan_view;

    fn page(view: PlanView) -> String {
        PlanPage {
            layout: Layout::bare("plan"),
            organisation_name: "Alpha".into(),
            plan_name: view.plan_name.clone(),
            view: Arc::new(view),
            in_year: None,
            can_update: false,
            notes: Vec::new(),
        }
        .render()
        .unwrap()
    }

    #[test]
    fn a_failed_simulation_is_shown_as_an_error_not_hidden() {
        let plan = ngc_domain::finance::fixtures::demo_plan();
        let today = chrono::NaiveDate::from_ymd_opt(2015, 10, 15).unwrap();
        let mut view = plan_view(&plan, &Default::default(), today);
        assert!(view.simulation.is_ok());
        let shown = page(view.clone());
        assert!(shown.contains("Chance reserves run out") && !shown.contains("simulation-error"));
        view.simulation = Err("trials: at least one trial is needed".into());
        let failed = page(view);
        assert!(
            failed.contains("The risk simulation failed: trials: at least one trial is needed")
                && !failed.contains("Chance reserves run out"),
            "{failed}"
        );
    }
}
