//! The dashboard, and the organisation switcher.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::charts;
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use ngc_domain::access::Action;
use ngc_domain::finance::mtfp::Report;
use ngc_store::organisations::Organisation;
use ngc_store::partnerships::Partnership;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    organisation: Organisation,
    partnerships: Vec<Partnership>,
    acting: Option<Partnership>,
    today: chrono::NaiveDate,
    /// The organisation's plans with their reports, for those who may read them.
    plans: Vec<(String, Arc<Report>)>,
}

/// `GET /`.
pub async fn show(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let layout = Layout::for_user(&app, &user, "Dashboard", None).await?;
    let organisation = app
        .store
        .organisation_by_id(user.user.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("your organisation".into()))?;
    let partnerships: Vec<Partnership> = app
        .store
        .list_partnerships()
        .await?
        .into_iter()
        .filter(|p| user.principal.partnership_ids.contains(&p.id))
        .collect();
    let acting_id = user.session.as_ref().and_then(|s| s.acting_partnership_id);
    let acting = partnerships
        .iter()
        .find(|p| Some(p.id) == acting_id)
        .cloned();
    let plans = if user.can(Action::ReadPlans(organisation.id)) {
        super::finance::reports(&app, &organisation.slug).await?
    } else {
        Vec::new()
    };
    let page = DashboardPage {
        layout,
        organisation,
        partnerships,
        acting,
        today: app.store.today(),
        plans: plans.into_iter().map(|(s, r)| (s.name, r)).collect(),
    };
    Ok(render(&page))
}

/// The switcher's field: a partnership id, or empty for the user's own organisation.
#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    partnership: String,
}

/// `POST /switch`: act for a partnership the organisation belongs to, or for it alone.
pub async fn switch(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(f): CsrfForm<SwitchForm>,
) -> AppResult<Response> {
    let session = user
        .session
        .as_ref()
        .ok_or_else(|| AppError::BadRequest("switching needs a signed-in session".into()))?;
    let target = match f.partnership.trim() {
        "" => None,
        id => {
            let id: i64 = id
                .parse()
                .map_err(|_| AppError::invalid("partnership", "not a partnership id"))?;
            user.require(Action::ActForPartnership(id))?;
            Some(id)
        }
    };
    let actor = ngc_store::Actor::user(user.user.id, user.user.organisation_id);
    app.store
        .set_acting_partnership(&session.secret, target, &actor)
        .await?;
    Ok(Redirect::to("/").into_response())
}
