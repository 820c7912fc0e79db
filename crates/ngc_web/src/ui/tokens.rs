//! The user's API tokens: create (shown once), list, revoke.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::AppResult;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_domain::access::Action;
use ngc_store::tokens::ApiToken;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<ApiToken>,
    new_secret: Option<String>,
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    new_secret: Option<String>,
) -> AppResult<Response> {
    user.require(Action::ManageOwnTokens)?;
    let layout = Layout::for_user(app, user, "API tokens", None).await?;
    let tokens = app.store.list_tokens(user.user.id).await?;
    Ok(render(&TokensPage {
        layout,
        tokens,
        new_secret,
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
}

/// `POST /tokens`: the page shows the new secret once.
pub async fn create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> AppResult<Response> {
    user.require(Action::ManageOwnTokens)?;
    let (_, secret) = app.store.create_token(&user.user, &f.name).await?;
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
    user.require(Action::ManageOwnTokens)?;
    app.store.revoke_token(&user.user, id).await?;
    Ok(Redirect::to("/tokens").into_response())
}
