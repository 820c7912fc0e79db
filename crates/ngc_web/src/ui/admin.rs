//! Administration: users (organisation and instance administrators), registration change
//! requests and the audit trail (instance administrators).

use super::{Layout, after_form, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::users::{self as uc, UserInput};
use ngc_domain::Role;
use ngc_domain::access::{Action, Area};
use ngc_store::audit::{AuditEntry, Verification};
use ngc_store::organisations::Organisation;
use ngc_store::registration::RegistrationRequest;
use ngc_store::users::User;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    layout: Layout,
    /// The users the administrator manages.
    users: usize,
    organisations: usize,
    /// Requests waiting for a decision (instance administrators).
    pending: Option<Vec<RegistrationRequest>>,
    /// The audit trail's check (instance administrators): whether intact, and in words.
    verification: Option<(bool, String)>,
    /// Suppliers' registrations waiting for verification (instance administrators).
    supplier_registrations: Option<usize>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<User>,
    /// The organisations the administrator may add users to.
    organisations: Vec<Organisation>,
    /// The roles the administrator may give.
    roles: Vec<Role>,
    /// The signed-in administrator (who cannot disable themselves).
    me: i64,
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
    let caller = user.caller();
    let layout = Layout::for_user(&user, "Admin", Some(Area::Admin));
    let users = uc::list(&app.store, &caller).await?.len();
    let organisations = app.store.list_organisations().await?.len();
    let pending = if user.can(Action::DecideRegistrationChange) {
        Some(ngc_app::organisations::pending_registration_requests(&app.store, &caller).await?)
    } else {
        None
    };
    let verification = if user.can(Action::ReadAudit) {
        Some(match app.store.verify_audit().await? {
            Verification::Intact(n) => (true, format!("All {n} audit records check out.")),
            Verification::Broken(b) => (false, format!("The audit trail is broken: {b}")),
        })
    } else {
        None
    };
    let supplier_registrations = if user.can(Action::VerifySupplierRegistrations) {
        let pending = ngc_domain::organisation::VerificationStatus::Pending;
        Some(
            ngc_app::supplier_registrations::list(&app.store, &caller, Some(pending))
                .await?
                .len(),
        )
    } else {
        None
    };
    Ok(render(&IndexPage {
        layout,
        users,
        organisations,
        pending,
        verification,
        supplier_registrations,
    }))
}

async fn users_page(
    app: &AppState,
    user: &CurrentUser,
    error: Option<AppError>,
) -> AppResult<Response> {
    let layout = Layout::for_user(user, "Users", Some(Area::Admin));
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let organisations = app
        .store
        .list_organisations()
        .await?
        .into_iter()
        .filter(|o| user.can(Action::ManageUsers(o.id)))
        .collect();
    let page = UsersPage {
        layout,
        users: uc::list(&app.store, &user.caller()).await?,
        organisations,
        roles: Role::ALL
            .iter()
            .copied()
            .filter(|r| user.can(Action::AssignRole(*r)))
            .collect(),
        me: user.user.id,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /admin/users`: the users the administrator manages.
pub async fn users(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManageUsers(user.user.organisation_id))?;
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
    let input = UserInput {
        email: f.email,
        name: f.name,
        role: f.role,
        organisation: f.organisation,
        password: f.password,
    };
    after_form(
        uc::create(&app.store, &user.caller(), input)
            .await
            .map_err(AppError::from),
        |_| "/admin/users".to_owned(),
        |e| users_page(&app, &user, Some(e)),
    )
    .await
}

async fn set_disabled(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    disabled: bool,
) -> AppResult<Response> {
    let result = if disabled {
        uc::disable(&app.store, &user.caller(), id).await
    } else {
        uc::enable(&app.store, &user.caller(), id).await
    };
    after_form(
        result.map_err(AppError::from),
        |_| "/admin/users".to_owned(),
        |e| users_page(app, user, Some(e)),
    )
    .await
}

/// The disable and enable buttons carry only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// `POST /admin/users/{id}/disable`.
pub async fn disable_user(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> AppResult<Response> {
    set_disabled(&app, &user, id, true).await
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable_user(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> AppResult<Response> {
    set_disabled(&app, &user, id, false).await
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
    let layout = Layout::for_user(&user, "Audit trail", Some(Area::Admin));
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
