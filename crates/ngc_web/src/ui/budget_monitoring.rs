//! An organisation's budget-monitoring page: budget against actual by month (an SVG chart)
//! and by service line, the forecast outturn with its method, the s114(3) in-year test, the
//! general-ledger extracts, the virements, and the forms to enter a forecast, record a
//! virement, store a monthly profile and mark a reserve releasable.
//! It calls the same use cases as the API and `ngc ledger budget-monitoring`.

use super::{Layout, render};
use crate::AppState;
use crate::api::budget_monitoring::MonitoringQuery;
use crate::auth::{CsrfForm, CurrentUser};
use crate::charts::{MonthPoint, budget_against_actual};
use crate::error::AppResult;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::monitoring::{
    self as uc, BudgetMonitoring, ForecastInput, ProfileInput, ReleasableInput, VirementInput,
};
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::ServiceLine;
use ngc_store::gl_actuals::GlImport;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "organisations/budget_monitoring.html")]
struct Page {
    layout: Layout,
    r: Arc<BudgetMonitoring>,
    chart: String,
    partial: Vec<String>,
    imports: Vec<GlImport>,
    can_update: bool,
    services: Vec<&'static str>,
}

/// `GET /organisations/{slug}/budget-monitoring?year=&method=`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<MonitoringQuery>,
) -> AppResult<Response> {
    let caller = user.caller();
    let year = q.year(&app, &caller, &slug).await?;
    let method = uc::method_of(q.method.as_deref())?;
    let r = uc::budget_monitoring(&app.store, &caller, &slug, year, method).await?;
    let imports = ngc_app::gl_actuals::imports(&app.store, &caller, &slug).await?;
    let m = &r.monitoring;
    let points: Vec<MonthPoint> = m
        .months
        .iter()
        .map(|x| MonthPoint {
            month: x.month.clone(),
            budget: x.budget,
            actual: x.closed.then_some(x.actual),
            general_ledger: x.general_ledger,
        })
        .collect();
    let partial = m
        .months
        .iter()
        .filter(|x| x.closed && !x.general_ledger)
        .map(|x| x.month.clone())
        .collect();
    let org_id = app
        .store
        .organisation_by_slug(slug.trim())
        .await?
        .map_or(0, |o| o.id);
    let layout = Layout::for_user(&user, "Budget monitoring", Some(Area::Finance));
    Ok(render(&Page {
        layout,
        chart: budget_against_actual(&points),
        partial,
        imports,
        can_update: user.can(Action::UpdatePlans(org_id)),
        services: ServiceLine::ALL.iter().map(|s| s.label()).collect(),
        r,
    }))
}

/// Back to the page, at the year when it is one (a slug and a year need no escaping).
fn back(slug: &str, year: &str) -> Response {
    let mut to = format!("/organisations/{}/budget-monitoring", slug.trim());
    if let Ok(y) = uc::year_of("year", year) {
        to.push_str(&format!("?year={y}"));
    }
    Redirect::to(&to).into_response()
}

/// An officer's forecast as posted from the page.
#[derive(Debug, Deserialize)]
pub struct ForecastForm {
    year: String,
    service: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    note: String,
}

/// `POST /organisations/{slug}/budget-monitoring/forecasts`.
pub async fn enter_forecast(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<ForecastForm>,
) -> AppResult<Response> {
    let input = ForecastInput {
        year: f.year,
        service: f.service,
        amount: Some(f.amount),
        note: f.note,
    };
    uc::enter_forecast(&app.store, &user.caller(), &slug, &input).await?;
    Ok(back(&slug, &input.year))
}

/// A reserve's marking as posted from the page.
#[derive(Debug, Deserialize)]
pub struct ReserveForm {
    #[serde(default)]
    year: String,
    reserve: String,
    releasable: String,
    #[serde(default)]
    note: String,
}

/// `POST /organisations/{slug}/budget-monitoring/reserves`.
pub async fn mark_reserve(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<ReserveForm>,
) -> AppResult<Response> {
    let input = ReleasableInput {
        reserve: f.reserve,
        releasable: matches!(f.releasable.trim(), "true" | "yes" | "on"),
        note: f.note,
    };
    uc::mark_reserve(&app.store, &user.caller(), &slug, &input).await?;
    Ok(back(&slug, &f.year))
}

/// `POST /organisations/{slug}/budget-monitoring/virements` (the form's fields are the
/// API's).
pub async fn record_virement(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(input): CsrfForm<VirementInput>,
) -> AppResult<Response> {
    uc::record_virement(&app.store, &user.caller(), &slug, &input).await?;
    Ok(back(&slug, &input.year))
}

/// `POST /organisations/{slug}/budget-monitoring/profiles` (the form's fields are the API's).
pub async fn store_profile(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(input): CsrfForm<ProfileInput>,
) -> AppResult<Response> {
    uc::store_profile(&app.store, &user.caller(), &slug, &input).await?;
    Ok(back(&slug, &input.year))
}
