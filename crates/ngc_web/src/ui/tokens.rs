//! The user's API tokens: create (shown once), list, revoke.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::AppResult;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_store::tokens::ApiToken;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<ApiToken>,
    new_secret: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    new_secret: Option<String>,
) -> AppResult<Response> {
    let tokens = ngc_app::tokens::list(&app.store, &user.caller(), user.user.id).await?;
    let layout = Layout::for_user(user, "API tokens", None);
    Ok(render(&TokensPage {
        layout,
        tokens,
        new_secret,
        now: app.store.now(),
    }))
}

/// `GET /tokens`.
pub async fn list(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    page(&app, &user, None).await
}

/// The new-token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    /// Days until it expires (90 when empty).
    #[serde(default)]
    expires_in_days: String,
}

/// `POST /tokens`: the page shows the new secret once.
pub async fn create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> AppResult<Response> {
    let days = match f.expires_in_days.trim() {
        "" => None,
        d => Some(d.parse::<i64>().map_err(|_| {
            ngc_app::UseCaseError::invalid(
                "expires_in_days",
                "expiry: a whole number of days, 1 to 90",
            )
        })?),
    };
    let (_, secret) =
        ngc_app::tokens::create(&app.store, &user.caller(), &user.user, &f.name, days).await?;
    page(&app, &user, Some(secret)).await
}

/// The revoke form (only the CSRF field).
#[derive(Debug, Deserialize)]
pub struct RevokeForm {}

/// `POST /tokens/{id}/revoke`.
pub async fn revoke(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<RevokeForm>,
) -> AppResult<Response> {
    ngc_app::tokens::revoke(&app.store, &user.caller(), &user.user, id).await?;
    Ok(Redirect::to("/tokens").into_response())
}
