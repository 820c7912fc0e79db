//! Users: organisation administrators manage their own organisation's, instance
//! administrators everyone's.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::users::{self as uc, UserInput};
use ngc_store::users::User;
use serde::Serialize;
use utoipa::ToSchema;

/// A user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub disabled: bool,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role.to_string(),
            organisation: u.organisation,
            disabled: u.disabled,
        }
    }
}

/// The users the caller may manage: every user for an instance administrator, the
/// organisation's own for an organisation administrator.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(app): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<UserView>>> {
    let users = uc::list(&app.store, &user.caller()).await?;
    Ok(Json(users.into_iter().map(Into::into).collect()))
}

/// Creates a user (administrators of the organisation, or instance administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = UserInput,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<UserInput>,
) -> AppResult<(StatusCode, Json<UserView>)> {
    let created = uc::create(&app.store, &user.caller(), input).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Disables a user: their sessions and tokens stop working at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn disable_user(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<UserView>> {
    Ok(Json(
        uc::disable(&app.store, &user.caller(), id).await?.into(),
    ))
}

/// Enables a disabled user: their sessions and tokens work again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn enable_user(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<UserView>> {
    Ok(Json(
        uc::enable(&app.store, &user.caller(), id).await?.into(),
    ))
}
