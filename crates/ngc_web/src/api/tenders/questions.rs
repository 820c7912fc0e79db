//! Clarification questions: a provider asks, the lead council answers. The answer reaches
//! everyone who may see the tender; who asked reaches the buyers' staff only.

use super::views::QuestionView;
use crate::AppState;
use crate::api::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::questions::{self as uc, AnswerInput, AskInput};

/// Asks a clarification question (providers), before the clarification deadline or, when
/// there is none, the submission deadline (409 after it, stating when it closed).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/questions", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = AskInput,
    responses((status = 201, body = QuestionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn ask_question(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AskInput>,
) -> AppResult<(StatusCode, Json<QuestionView>)> {
    let q = uc::ask(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(q.into())))
}

/// Answers a question, once (the lead council's commissioners and administrator).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/questions/{qid}/answer", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id"),
        ("qid" = i64, Path, description = "The question's id")),
    request_body = AnswerInput,
    responses((status = 200, body = QuestionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn answer_question(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((id, qid)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> AppResult<Json<QuestionView>> {
    let q = uc::answer(&app.store, &user.caller(), id, qid, input).await?;
    Ok(Json(q.into()))
}
