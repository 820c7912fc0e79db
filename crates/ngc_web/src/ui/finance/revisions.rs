//! A plan's revisions: the list, one revision's figures, and restoring one (through
//! [`ngc_app::plan_revisions`]).

use super::{organisation_slug, urlencode};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::AppResult;
use crate::ui::{Layout, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::{Caller, plan_revisions};
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::mtfp::{Plan, Report, report};
use ngc_store::plans::PlanRevision;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "finance/revisions.html")]
struct RevisionsPage {
    layout: Layout,
    plan_name: String,
    revisions: Vec<PlanRevision>,
    can_restore: bool,
}

#[derive(Template)]
#[template(path = "finance/revision.html")]
struct RevisionPage {
    layout: Layout,
    plan_name: String,
    revision: PlanRevision,
    current: bool,
    plan: Plan,
    report: Report,
    can_restore: bool,
}

fn caller(user: &CurrentUser) -> Caller {
    Caller::User(user.principal.clone())
}

/// `GET /finance/plans/{name}/revisions`: every revision of the plan, newest first.
pub async fn revisions(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> AppResult<Response> {
    let org = organisation_slug(&app, &user).await?;
    let revisions = plan_revisions::list(&app.store, &caller(&user), &org, &name).await?;
    let layout = Layout::for_user(&user, "Plan revisions", Some(Area::Finance));
    Ok(render(&RevisionsPage {
        layout,
        plan_name: name,
        revisions,
        can_restore: user.can(Action::UpdatePlans(user.user.organisation_id)),
    }))
}

/// `GET /finance/plans/{name}/revisions/{number}`: the plan's figures at that revision.
pub async fn revision(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((name, number)): Path<(String, i64)>,
) -> AppResult<Response> {
    let org = organisation_slug(&app, &user).await?;
    let caller = caller(&user);
    let (revision, plan) = plan_revisions::read(&app.store, &caller, &org, &name, number).await?;
    let latest = plan_revisions::list(&app.store, &caller, &org, &name)
        .await?
        .first()
        .map(|r| r.number);
    let title = format!("Plan revision {number}");
    let layout = Layout::for_user(&user, &title, Some(Area::Finance));
    Ok(render(&RevisionPage {
        layout,
        plan_name: name,
        current: latest == Some(revision.number),
        revision,
        report: report(&plan),
        plan,
        can_restore: user.can(Action::UpdatePlans(user.user.organisation_id)),
    }))
}

/// `POST /finance/plans/{name}/revisions/{number}/restore`: the revision's content becomes
/// the plan's, as a new revision; back to the list.
pub async fn restore(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((name, number)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let org = organisation_slug(&app, &user).await?;
    plan_revisions::restore(&app.store, &caller(&user), &org, &name, number).await?;
    Ok(Redirect::to(&format!("/finance/plans/{}/revisions", urlencode(&name))).into_response())
}
