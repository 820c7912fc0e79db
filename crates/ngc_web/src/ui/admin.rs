//! Administration: users and the audit trail.

use super::{Layout, after_form, render};
use crate::AppState;
use crate::api::organisations::actor;
use crate::api::users::{UserInput, create};
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_domain::Role;
use ngc_domain::access::{Action, Area};
use ngc_store::audit::{AuditEntry, Verification};
use ngc_store::organisations::Organisation;
use ngc_store::users::User;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    layout: Layout,
    users: usize,
    organisations: usize,
    verification_ok: bool,
    verification_text: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<User>,
    organisations: Vec<Organisation>,
    roles: &'static [Role],
    error: Option<AppError>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<AuditEntry>,
    older: Option<i64>,
}

/// `GET /admin`.
pub async fn index(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ViewArea(Area::Admin))?;
    let layout = Layout::for_user(&app, &user, "Admin", Some(Area::Admin)).await?;
    let users = app.store.list_users().await?.len();
    let organisations = app.store.list_organisations().await?.len();
    let (verification_ok, verification_text) = match app.store.verify_audit().await? {
        Verification::Intact(n) => (true, format!("All {n} audit records check out.")),
        Verification::Broken(b) => (false, format!("The audit trail is broken: {b}")),
    };
    Ok(render(&IndexPage {
        layout,
        users,
        organisations,
        verification_ok,
        verification_text,
    }))
}

async fn users_page(
    app: &AppState,
    user: &CurrentUser,
    error: Option<AppError>,
) -> AppResult<Response> {
    let layout = Layout::for_user(app, user, "Users", Some(Area::Admin)).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = UsersPage {
        layout,
        users: app.store.list_users().await?,
        organisations: app.store.list_organisations().await?,
        roles: Role::ALL,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /admin/users`.
pub async fn users(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManageUsers)?;
    users_page(&app, &user, None).await
}

/// The new-user form.
#[derive(Debug, Deserialize)]
pub struct UserForm {
    email: String,
    #[serde(default)]
    name: String,
    role: String,
    organisation: String,
    password: String,
}

/// `POST /admin/users`.
pub async fn create_user(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(f): CsrfForm<UserForm>,
) -> AppResult<Response> {
    user.require(Action::ManageUsers)?;
    let input = UserInput {
        email: f.email,
        name: f.name,
        role: f.role,
        organisation: f.organisation,
        password: f.password,
    };
    after_form(
        create(&app, &input, &actor(&user)).await,
        |_| "/admin/users".to_owned(),
        |e| users_page(&app, &user, Some(e)),
    )
    .await
}

/// Paging through the audit trail.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

const AUDIT_PAGE: i64 = 50;

/// `GET /admin/audit`.
pub async fn audit(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    user.require(Action::ReadAudit)?;
    let layout = Layout::for_user(&app, &user, "Audit trail", Some(Area::Admin)).await?;
    let entries = app.store.audit_page(q.before, AUDIT_PAGE).await?;
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.record.seq))
        .flatten();
    Ok(render(&AuditPage {
        layout,
        entries,
        older,
    }))
}
