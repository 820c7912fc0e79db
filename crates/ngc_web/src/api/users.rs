//! Users (administrators only).

use super::ApiJson;
use super::organisations::actor;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ngc_domain::Role;
use ngc_domain::access::Action;
use ngc_store::users::{NewUser, User};
use serde::{Deserialize, Serialize};
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

/// A user to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UserInput {
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// admin, finance, commissioner, evaluator, provider or partner
    pub role: String,
    /// The organisation's slug.
    pub organisation: String,
    /// At least 8 characters.
    pub password: String,
}

/// Checks and creates a user, for the API, the admin page and the command line alike.
pub async fn create(
    app: &AppState,
    input: &UserInput,
    actor: &ngc_store::Actor,
) -> AppResult<User> {
    let role: Role =
        input
            .role
            .trim()
            .parse()
            .map_err(|e: ngc_domain::text_enum::UnknownValue| {
                AppError::invalid("role", e.to_string())
            })?;
    ngc_store::credentials::check_new_password(&input.password)?;
    let new = NewUser {
        email: &input.email,
        name: &input.name,
        role,
        organisation: input.organisation.trim(),
        password: &input.password,
    };
    Ok(app.store.create_user(&new, actor).await?)
}

/// Every user (administrators).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(app): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<UserView>>> {
    user.require(Action::ManageUsers)?;
    Ok(Json(
        app.store
            .list_users()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Creates a user (administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = UserInput,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<UserInput>,
) -> AppResult<(StatusCode, Json<UserView>)> {
    user.require(Action::ManageUsers)?;
    let created = create(&app, &input, &actor(&user)).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}
