//! How a contract pays (through [`ngc_app::contracts::payments`]): the council sets the payment
//! terms, the provider claims for a period, the council records a payment, and whoever reads
//! the contract reads the summary of returns due, payments due and payments made.

pub mod views;

use crate::AppState;
use crate::api::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::contracts::payments::{self as uc, ClaimInput, PaymentInput};
use views::{
    AcceptedClaimView, PaymentSummaryView, PaymentTermsBody, PaymentView, TermsVersionView,
};

/// Sets the contract's payment terms (the holding council's commissioners and
/// administrator): block schedules, cost per case and payment by results, in any mix. The
/// version they replace is kept.
#[utoipa::path(put, path = "/api/v1/contracts/{id}/payment-terms", tag = "contracts",
    security(("bearer" = [])), request_body = PaymentTermsBody,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 200, body = TermsVersionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_payment_terms(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PaymentTermsBody>,
) -> AppResult<Json<TermsVersionView>> {
    let version = uc::set_terms(&app.store, &user.caller(), id, &body.into()).await?;
    Ok(Json(version.into()))
}

/// Submits the supplier's claim for a period that has ended (its own staff only): units
/// delivered and outcomes achieved, checked against the terms, their caps and the claims
/// before it. One claim per period; a refused claim saves nothing.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/claims", tag = "contracts",
    security(("bearer" = [])), request_body = ClaimInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = AcceptedClaimView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn submit_claim(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ClaimInput>,
) -> AppResult<(StatusCode, Json<AcceptedClaimView>)> {
    let accepted = uc::submit_claim(&app.store, &user.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(accepted.into())))
}

/// Records a payment under the contract, or an invoice received and not yet paid (the
/// holding council's finance officers, commissioners and administrator). The answer says
/// whether it was paid in time.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/payments", tag = "contracts",
    security(("bearer" = [])), request_body = PaymentInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = PaymentView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_payment(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PaymentInput>,
) -> AppResult<(StatusCode, Json<PaymentView>)> {
    let made = uc::record_payment(&app.store, &user.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(made.into())))
}

/// The contract's payments as of today (anyone who reads the contract): its terms, the
/// claims, the returns not yet in, the payments due and scheduled, and the payments made,
/// each with the days it took and whether it was late, with the reason in words.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/payments", tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 200, body = PaymentSummaryView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_payment_summary(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<PaymentSummaryView>> {
    let summary = uc::summary(&app.store, &user.caller(), id).await?;
    Ok(Json(summary.into()))
}
