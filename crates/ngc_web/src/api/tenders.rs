//! Tenders: list, create, read, edit a draft, publish, terminate, add documents; questions
//! in [`questions`], the checks before award and challenges in [`checks`]. Each handler
//! calls one use case of `ngc_app`, the same the pages call.

pub mod checks;
pub mod evaluation;
pub mod panel;
pub mod questions;
pub mod views;

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::tenders::documents::{self, DocumentInput};
use ngc_app::tenders::{self as uc, PublishInput, TenderInput, TerminateInput};
use views::{DocumentView, TenderList, TenderSummaryView, TenderView};

async fn view(app: &AppState, user: &CurrentUser, id: i64) -> AppResult<TenderView> {
    Ok(uc::detail(&app.store, &user.caller(), id).await?.into())
}

/// The tenders the caller may see, latest deadline first: published and terminated tenders
/// of every council, and the drafts of the caller's own council.
#[utoipa::path(get, path = "/api/v1/tenders", tag = "procurement", security(("bearer" = [])),
    responses((status = 200, body = TenderList), (status = 401, body = ErrorBody)))]
pub async fn list_tenders(
    State(app): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<TenderList>> {
    let now = app.store.now();
    let tenders = uc::list(&app.store, &user.caller())
        .await?
        .into_iter()
        .map(|t| TenderSummaryView::of(t, now))
        .collect();
    Ok(Json(TenderList { tenders }))
}

/// Creates a draft tender led by the caller's council (its commissioners and administrator).
/// A joint tender's cost shares must sum to 100%.
#[utoipa::path(post, path = "/api/v1/tenders", tag = "procurement", security(("bearer" = [])),
    request_body = TenderInput,
    responses((status = 201, body = TenderView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_tender(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<TenderInput>,
) -> AppResult<(StatusCode, Json<TenderView>)> {
    let t = uc::create(&app.store, &user.caller(), input).await?;
    Ok((StatusCode::CREATED, Json(view(&app, &user, t.id).await?)))
}

/// One tender. A draft is "not found" to anyone but its buyers' staff.
#[utoipa::path(get, path = "/api/v1/tenders/{id}", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    responses((status = 200, body = TenderView), (status = 404, body = ErrorBody)))]
pub async fn find_tender(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<TenderView>> {
    Ok(Json(view(&app, &user, id).await?))
}

/// Replaces a draft's details, buyers and lots; a published tender can no longer be edited
/// (409).
#[utoipa::path(put, path = "/api/v1/tenders/{id}", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = TenderInput,
    responses((status = 200, body = TenderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_tender(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TenderInput>,
) -> AppResult<Json<TenderView>> {
    uc::update(&app.store, &user.caller(), id, input).await?;
    Ok(Json(view(&app, &user, id).await?))
}

/// Publishes a draft at the server's time. 422 naming `submission_deadline` when the
/// deadline leaves less than the minimum tendering period (the message says which limit
/// applied and why); 409 when it is published already.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/publish", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = PublishInput,
    responses((status = 200, body = TenderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn publish_tender(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PublishInput>,
) -> AppResult<Json<TenderView>> {
    uc::publish(&app.store, &user.caller(), id, input).await?;
    Ok(Json(view(&app, &user, id).await?))
}

/// Terminates a procurement with its reason.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/terminate", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = TerminateInput,
    responses((status = 200, body = TenderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn terminate_tender(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TerminateInput>,
) -> AppResult<Json<TenderView>> {
    uc::terminate(&app.store, &user.caller(), id, input).await?;
    Ok(Json(view(&app, &user, id).await?))
}

/// Adds a document (a link, or a short text kept with its SHA-256).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/documents", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = DocumentInput,
    responses((status = 201, body = DocumentView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_document(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DocumentInput>,
) -> AppResult<(StatusCode, Json<DocumentView>)> {
    let d = documents::add(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}
