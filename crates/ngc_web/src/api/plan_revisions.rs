//! A plan's numbered revisions: list, read one, restore one (through
//! [`ngc_app::plan_revisions`]).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use ngc_app::{Caller, plan_revisions};
use ngc_domain::finance::mtfp::Plan;
use ngc_store::plans::PlanRevision;
use serde::Serialize;
use utoipa::ToSchema;

/// A plan revision, as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionView {
    /// 1, 2, … per plan; the highest is the plan's current content.
    pub number: i64,
    /// Why it was made: `import`, `merge`, `assumptions_edit`, `delivery_update`, `replace`
    /// or `restore`.
    pub reason: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// Who made it; absent for the system (imports and the command line).
    pub actor_email: Option<String>,
}

impl From<PlanRevision> for RevisionView {
    fn from(r: PlanRevision) -> Self {
        RevisionView {
            number: r.number,
            reason: r.reason,
            created_at: r.created_at.to_rfc3339(),
            actor_email: r.actor_email,
        }
    }
}

/// A revision and the plan's full content at that revision.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDetail {
    pub revision: RevisionView,
    /// The plan's inputs (as `ngc_domain::finance::mtfp::Plan`; money as decimal strings).
    #[schema(value_type = Object)]
    pub plan: Plan,
}

/// What a restore did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Restored {
    /// The revision whose content was restored.
    pub restored: i64,
    /// The new revision that holds it.
    pub revision: i64,
}

fn caller(user: &CurrentUser) -> Caller {
    Caller::User(user.principal.clone())
}

/// The revisions of a plan, newest first.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans/{name}/revisions", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name")),
    responses((status = 200, body = Vec<RevisionView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_revisions(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
) -> AppResult<Json<Vec<RevisionView>>> {
    let list = plan_revisions::list(&app.store, &caller(&user), &slug, &name).await?;
    Ok(Json(list.into_iter().map(RevisionView::from).collect()))
}

/// One revision of a plan with the plan's content at that revision.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans/{name}/revisions/{number}", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name"),
        ("number" = i64, Path, description = "The revision's number")),
    responses((status = 200, body = RevisionDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn find_revision(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name, number)): Path<(String, String, i64)>,
) -> AppResult<Json<RevisionDetail>> {
    let (revision, plan) =
        plan_revisions::read(&app.store, &caller(&user), &slug, &name, number).await?;
    Ok(Json(RevisionDetail {
        revision: revision.into(),
        plan,
    }))
}

/// Restores a revision: its content becomes the plan's, as a new revision (audited
/// `plan.restore`). 409 when the plan already holds that content.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/plans/{name}/revisions/{number}/restore", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name"),
        ("number" = i64, Path, description = "The revision to restore")),
    responses((status = 200, body = Restored), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn restore_revision(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name, number)): Path<(String, String, i64)>,
) -> AppResult<Json<Restored>> {
    let revision =
        plan_revisions::restore(&app.store, &caller(&user), &slug, &name, number).await?;
    Ok(Json(Restored {
        restored: number,
        revision,
    }))
}
