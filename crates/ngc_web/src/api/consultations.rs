//! Budget consultations for officers: create one from a plan year, list them, read the
//! results (anyone once published), publish them, attach them to the plan. Each handler calls
//! one use case of `ngc_app::consultations`, the same the pages call. Residents respond
//! through the consultation's page (`/consultations/{id}`), which needs no account.

use super::ApiJson;
use crate::AppState;
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::consultations::{self as uc, Consultation, CreateInput};
use ngc_domain::consultation::Results;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The council's consultations, newest first (its plan readers).
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/consultations", tag = "consultations",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses((status = 200, body = Vec<Consultation>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_consultations(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<Vec<Consultation>>> {
    Ok(Json(
        uc::of_organisation(&app.store, &user.caller(), &slug).await?,
    ))
}

/// Creates a consultation on a year of one of the council's plans (its keepers): the gap,
/// service budgets within the steps set (those breaching a statutory duty not offered),
/// the year's savings to accept or reject, income, one-off reserves (never below the
/// prudent minimum) and council tax steps (those needing a referendum marked, with its
/// cost). The questions are built now and kept. Settings the plan cannot meet are refused
/// (422 naming the field), nothing stored.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/consultations", tag = "consultations",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = CreateInput,
    responses((status = 201, body = Consultation), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_consultation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<CreateInput>,
) -> AppResult<(StatusCode, Json<Consultation>)> {
    let c = uc::create(&app.store, &user.caller(), &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// A consultation's results, from the counts per step: responses, per question the mean,
/// median and share choosing each step, and the average council tax chosen. For the
/// council's plan readers, and for anyone once published.
#[utoipa::path(get, path = "/api/v1/consultations/{id}/results", tag = "consultations",
    params(("id" = i64, Path, description = "The consultation's id")),
    responses((status = 200, body = Results), (status = 404, body = ErrorBody)))]
pub async fn find_results(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Results>> {
    let caller = user.as_ref().map(CurrentUser::caller);
    let (_, r) = uc::results(&app.store, caller.as_ref(), id).await?;
    Ok(Json(r))
}

/// Whether the results are published.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishInput {
    /// True to publish the results to everyone, false to withdraw them.
    pub published: bool,
}

/// Publishes a consultation's results to everyone, or withdraws them (the plan's keepers);
/// audited. Answers the consultation as it now stands.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/publication", tag = "consultations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The consultation's id")),
    request_body = PublishInput,
    responses((status = 200, body = Consultation), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn publish_results(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PublishInput>,
) -> AppResult<Json<Consultation>> {
    Ok(Json(
        uc::publish_results(&app.store, &user.caller(), id, input.published).await?,
    ))
}

/// What attaching the results added.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attached {
    /// Notes added to the plan, one per question.
    pub notes: usize,
}

/// Attaches the results as they stand to the plan as notes, one per question on the line it
/// concerns (the plan's keepers); earlier notes are kept. Refused (409) before the first
/// response.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/plan-notes", tag = "consultations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The consultation's id")),
    responses((status = 201, body = Attached), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn attach_plan_notes(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<Attached>)> {
    let notes = uc::attach_to_plan(&app.store, &user.caller(), id).await?;
    Ok((StatusCode::CREATED, Json(Attached { notes: notes.len() })))
}
