//! API tokens: created with a password, shown once, listed and revoked by their owner.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use ngc_domain::access::Action;
use ngc_store::tokens::ApiToken;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Credentials for a new token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// A name to recognise the token by.
    #[serde(default)]
    pub name: Option<String>,
}

/// A new token: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenView {
    pub id: i64,
    pub name: String,
    pub token: String,
}

/// A token as listed (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// Signs in with email and password, rate limited like the sign-in page.
pub async fn sign_in(
    app: &AppState,
    email: &str,
    password: &str,
) -> AppResult<ngc_store::users::User> {
    let key = format!("login:{}", email.trim().to_lowercase());
    let now = app.store.now();
    if app.store.is_locked_out(&key, now).await? {
        return Err(AppError::TooManyRequests);
    }
    match app.store.authenticate(email, password).await? {
        Some(user) if !user.disabled => {
            app.store.clear_failed_logins(&key).await?;
            Ok(user)
        }
        _ => {
            app.store.record_failed_login(&key, now).await?;
            Err(AppError::Unauthorized)
        }
    }
}

/// Exchanges an email and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = TokenRequest,
    responses((status = 201, body = NewTokenView), (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn create_token(
    State(app): State<AppState>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> AppResult<(StatusCode, Json<NewTokenView>)> {
    let user = sign_in(&app, &req.email, &req.password).await?;
    let (token, secret) = app
        .store
        .create_token(&user, req.name.as_deref().unwrap_or("API token"))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenView {
            id: token.id,
            name: token.name,
            token: secret,
        }),
    ))
}

/// The signed-in user's tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenView>), (status = 401, body = ErrorBody)))]
pub async fn list_tokens(
    State(app): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<TokenView>>> {
    user.require(Action::ManageOwnTokens)?;
    let tokens = app.store.list_tokens(user.user.id).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Revokes one of the signed-in user's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    user.require(Action::ManageOwnTokens)?;
    app.store.revoke_token(&user.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
