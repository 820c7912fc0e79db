//! API tokens: created with a password, shown once, listed and revoked by their owner.

use super::ApiJson;
use crate::AppState;
use crate::auth::{ClientAddr, CurrentUser, principal_of, sign_in};
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use ngc_app::Caller;
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
    /// Days until the token expires: 1 to 90, 90 when left out.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

/// A new token: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenView {
    pub id: i64,
    pub name: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
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
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
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
            expires_at: t.expires_at,
        }
    }
}

/// Exchanges an email and password for a bearer token. A supplier whose registration is
/// waiting for verification, or was refused, is answered 403 saying so.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = TokenRequest,
    responses((status = 201, body = NewTokenView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn create_token(
    State(app): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<TokenRequest>,
) -> AppResult<(StatusCode, Json<NewTokenView>)> {
    let user = sign_in(&app, client, &req.email, &req.password).await?;
    let caller = Caller::User(principal_of(&user));
    let (token, secret) = ngc_app::tokens::create(
        &app.store,
        &caller,
        &user,
        req.name.as_deref().unwrap_or("API token"),
        req.expires_in_days,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenView {
            id: token.id,
            name: token.name,
            token: secret,
            expires_at: token.expires_at,
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
    let tokens = ngc_app::tokens::list(&app.store, &user.caller(), user.user.id).await?;
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
    ngc_app::tokens::revoke(&app.store, &user.caller(), &user.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
