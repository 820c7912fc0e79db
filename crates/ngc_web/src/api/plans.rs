//! Medium-term financial plans: the report and the risk simulation, as the CLI gives them.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use ngc_domain::access::Action;
use ngc_domain::finance::mtfp::{Plan, Report};
use ngc_domain::finance::risk::{Simulation, SimulationOptions, simulate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A plan as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    pub name: String,
    pub first_year: String,
    pub years: i32,
}

/// The most trials one API request may ask for.
pub const MAX_TRIALS: u32 = 200_000;

/// Trials and seed of a simulation.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SimulationQuery {
    /// Number of trials (1 to 200,000; default 10,000).
    pub trials: Option<u32>,
    /// Seed (default 2015); the same seed gives the same result.
    pub seed: Option<u64>,
}

async fn find(app: &AppState, user: &CurrentUser, slug: &str, name: &str) -> AppResult<Plan> {
    let org = app
        .store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation `{slug}`")))?;
    user.require(Action::ReadPlans(org.id))?;
    app.store
        .plan(slug, Some(name))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("plan `{name}` of `{slug}`")))
}

/// An organisation's plans.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses((status = 200, body = Vec<PlanView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_plans(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<Vec<PlanView>>> {
    let org = app
        .store
        .organisation_by_slug(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation `{slug}`")))?;
    user.require(Action::ReadPlans(org.id))?;
    let plans = app.store.list_plans(&slug).await?;
    Ok(Json(
        plans
            .into_iter()
            .map(|p| PlanView {
                name: p.name,
                first_year: p.first_year,
                years: p.years,
            })
            .collect(),
    ))
}

/// The plan's report: per year base budget, pressures, savings, net budget requirement,
/// resources, gap and reserves; totals; council tax and the referendum test; warnings.
/// Money is a decimal string in pounds.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans/{name}/report", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name")),
    responses((status = 200, description = "The MTFP report (keys: organisation, plan, years, rows, totals, council_tax, warnings)", body = Object),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn find_report(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
) -> AppResult<Json<Report>> {
    let org = app
        .store
        .organisation_by_slug(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation `{slug}`")))?;
    user.require(Action::ReadPlans(org.id))?;
    let summary = app
        .store
        .list_plans(&slug)
        .await?
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| AppError::NotFound(format!("plan `{name}` of `{slug}`")))?;
    let view = app
        .figures
        .get(&app.store, &summary, app.store.today())
        .await?;
    Ok(Json(view.report.as_ref().clone()))
}

/// A Monte-Carlo simulation of the plan: per year the chance reserves run out or fall below
/// the prudent minimum, and percentiles of the gap and of reserves.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans/{name}/simulation", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name"), SimulationQuery),
    responses((status = 200, description = "trials, seed and years (year, p_reserves_exhausted, p_below_minimum, gap_p5 … reserves_p95)", body = Object),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn find_simulation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
    Query(q): Query<SimulationQuery>,
) -> AppResult<Json<Simulation>> {
    let plan = find(&app, &user, &slug, &name).await?;
    let trials = q.trials.unwrap_or(10_000);
    if trials > MAX_TRIALS {
        return Err(AppError::invalid(
            "trials",
            format!("at most {MAX_TRIALS} per request; use `ngc mtfp simulate` for more"),
        ));
    }
    let options = SimulationOptions::new(trials, q.seed.unwrap_or(2015));
    let sim = tokio::task::spawn_blocking(move || simulate(&plan, &options))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::invalid("trials", e.to_string()))?;
    Ok(Json(sim))
}
