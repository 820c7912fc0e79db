//! A contract's KPIs (through [`ngc_app::contracts::kpis`]): the council sets KPIs or records
//! why there are none, the provider makes its returns, the council records performance
//! failures, and whoever reads the contract reads the report: each return rated in the
//! Regulations' words with its RAG colour, late and missing returns, trends and the s52
//! warning.

pub mod views;

use crate::AppState;
use crate::api::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::contracts::kpis::{self as uc, FailureInput, KpiInput, ReturnInput};
use views::{AcceptedReturnView, FailureView, KpiReportView};

/// The contract's KPIs as of today (anyone who reads the contract): each KPI with its
/// returns rated (Good, Approaching target, Requires improvement, Inadequate or Other, with
/// the UK9 code and a RAG colour), the returns owed and whether each came late, its trend,
/// the performance failures, and the s52 duty with its warning where it applies and is not
/// met.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/kpis", tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 200, body = KpiReportView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_contract_kpis(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<KpiReportView>> {
    let report = uc::report(&app.store, &user.caller(), id).await?;
    Ok(Json(report.into()))
}

/// Sets a KPI of the contract, or (with no `code`) records why the council considers KPIs
/// not appropriate and the exemption it claims (the holding council's commissioners and
/// administrator). The answer is the contract's KPI report after the change.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/kpis", tag = "contracts",
    security(("bearer" = [])), request_body = KpiInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = KpiReportView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn define_contract_kpi(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<KpiInput>,
) -> AppResult<(StatusCode, Json<KpiReportView>)> {
    let caller = user.caller();
    if input.code.as_deref().is_some_and(|c| !c.trim().is_empty()) {
        uc::define_kpi(&app.store, &caller, id, &input).await?;
    } else {
        uc::record_rationale(&app.store, &caller, id, &input).await?;
    }
    let report = uc::report(&app.store, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(report.into())))
}

/// Makes the supplier's return for a KPI and a period that has ended (its own staff only;
/// a contract it does not hold is 404). The answer gives the rating and whether the return
/// came late. One return per KPI and period: a second is refused naming `period_start`, and
/// nothing is saved.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/returns", tag = "contracts",
    security(("bearer" = [])), request_body = ReturnInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = AcceptedReturnView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_kpi_return(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReturnInput>,
) -> AppResult<(StatusCode, Json<AcceptedReturnView>)> {
    let accepted = uc::submit_return(&app.store, &user.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(accepted.into())))
}

/// Records a performance failure with its remedy and the penalty contracted, imposed and
/// paid (the holding council's commissioners and administrator).
#[utoipa::path(post, path = "/api/v1/contracts/{id}/performance-failures", tag = "contracts",
    security(("bearer" = [])), request_body = FailureInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = FailureView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_performance_failure(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FailureInput>,
) -> AppResult<(StatusCode, Json<FailureView>)> {
    let saved = uc::record_failure(&app.store, &user.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}
