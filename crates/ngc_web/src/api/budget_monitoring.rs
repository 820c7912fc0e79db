//! Budget against actual: the year's report by service line and month with the forecast
//! outturn and the s114(3) in-year test, an officer's forecast, a virement, a stored monthly
//! profile, and the chief finance officer's marking of an earmarked reserve as releasable. Each handler calls one use case
//! of `ngc_app::monitoring`, the same the page and `ngc ledger budget-monitoring` call.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ngc_app::monitoring::{
    self as uc, BudgetMonitoring, ForecastInput, ProfileInput, ReleasableInput, VirementInput,
};
use ngc_domain::finance::FinancialYear;
use ngc_domain::finance::monitoring::ForecastMethod;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The year and method of a report.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct MonitoringQuery {
    /// The financial year (`2016-17`); by default the one holding today, or, where no
    /// general-ledger extract covers a month of it, the latest earlier year one covers.
    #[serde(default)]
    pub year: Option<String>,
    /// How lines without an officer's forecast are forecast: `run_rate` (the default) or
    /// `budget_profile`.
    #[serde(default)]
    pub method: Option<String>,
}

impl MonitoringQuery {
    /// The year asked for, or the organisation's monitoring year
    /// (`ngc_app::monitoring::default_year`).
    pub async fn year(
        &self,
        app: &AppState,
        caller: &ngc_app::Caller,
        slug: &str,
    ) -> AppResult<FinancialYear> {
        match self
            .year
            .as_deref()
            .map(str::trim)
            .filter(|y| !y.is_empty())
        {
            Some(y) => Ok(uc::year_of("year", y)?),
            None => Ok(uc::default_year(&app.store, caller, slug).await?),
        }
    }
}

/// The organisation's budget against actual for a year, by service line and month: the
/// budget before and after virements and its monthly profile (flat twelfths, or the weights
/// an officer stored), the virements, the actuals from the ledger's monthly balances
/// (partial in months without a general-ledger extract), commitments, the variance, the
/// officer's forecast, the forecast outturn with its method, and the s114(3) in-year test.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/budget-monitoring", tag = "finance",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), MonitoringQuery),
    responses((status = 200, body = BudgetMonitoring), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn find_budget_monitoring(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<MonitoringQuery>,
) -> AppResult<Json<BudgetMonitoring>> {
    let year = q.year(&app, &user.caller(), &slug).await?;
    let method = uc::method_of(q.method.as_deref())?;
    let r = uc::budget_monitoring(&app.store, &user.caller(), &slug, year, method).await?;
    Ok(Json((*r).clone()))
}

/// Enters an officer's forecast outturn for a service line and year (a blank amount
/// withdraws it); earlier forecasts are kept and the entry is audited. Answers the year's
/// report as it now stands, by the run rate.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/budget-monitoring/forecasts", tag = "finance",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = ForecastInput,
    responses((status = 201, body = BudgetMonitoring), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_forecast(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ForecastInput>,
) -> AppResult<(StatusCode, Json<BudgetMonitoring>)> {
    let caller = user.caller();
    uc::enter_forecast(&app.store, &caller, &slug, &input).await?;
    report_now(&app, &caller, &slug, &input.year).await
}

/// The year's report as it now stands, by the run rate, answered as created.
async fn report_now(
    app: &AppState,
    caller: &ngc_app::Caller,
    slug: &str,
    year: &str,
) -> AppResult<(StatusCode, Json<BudgetMonitoring>)> {
    let year = uc::year_of("year", year)?;
    let r = uc::budget_monitoring(&app.store, caller, slug, year, ForecastMethod::RunRate).await?;
    Ok((StatusCode::CREATED, Json((*r).clone())))
}

/// Records a virement: budget moved from one service line to another from a month of the
/// year (blank: its first month), spread over the months from then to March; audited, never
/// changed (the opposite virement undoes it). Answers the year's report as it now stands, by
/// the run rate. A month outside the year, an unknown or repeated service line, an amount
/// not above zero and a blank reason are refused (422 naming the field), nothing recorded.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/budget-monitoring/virements", tag = "finance",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = VirementInput,
    responses((status = 201, body = BudgetMonitoring), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_virement(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<VirementInput>,
) -> AppResult<(StatusCode, Json<BudgetMonitoring>)> {
    let caller = user.caller();
    uc::record_virement(&app.store, &caller, &slug, &input).await?;
    report_now(&app, &caller, &slug, &input.year).await
}

/// Stores an officer's monthly profile for a service line's budget in a year: twelve
/// weights, April to March (blank withdraws it: flat twelfths again); audited, earlier
/// profiles kept. Answers the year's report as it now stands, by the run rate.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/budget-monitoring/profiles", tag = "finance",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = ProfileInput,
    responses((status = 201, body = BudgetMonitoring), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_profile(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ProfileInput>,
) -> AppResult<(StatusCode, Json<BudgetMonitoring>)> {
    let caller = user.caller();
    uc::store_profile(&app.store, &caller, &slug, &input).await?;
    report_now(&app, &caller, &slug, &input.year).await
}

/// A reserve's marking as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleasableView {
    pub id: i64,
    pub reserve: String,
    pub releasable: bool,
}

/// Marks an earmarked reserve of the organisation's plans as releasable (or not) to meet the
/// year's spending in the s114(3) test; audited, earlier markings kept. Schools, HRA and
/// capital reserves, general funds and names no plan holds are refused (422).
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/releasable-reserves", tag = "finance",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = ReleasableInput,
    responses((status = 201, body = ReleasableView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_releasable_reserve(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ReleasableInput>,
) -> AppResult<(StatusCode, Json<ReleasableView>)> {
    let id = uc::mark_reserve(&app.store, &user.caller(), &slug, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ReleasableView {
            id,
            reserve: input.reserve.trim().to_owned(),
            releasable: input.releasable,
        }),
    ))
}
