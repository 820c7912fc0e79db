//! The dashboard.

use super::{Layout, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::charts;
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use ngc_domain::access::Action;
use ngc_domain::finance::mtfp::Report;
use ngc_store::organisations::Organisation;
use ngc_store::partnerships::Partnership;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    organisation: Organisation,
    /// The partnerships the organisation is an active member of today.
    partnerships: Vec<Partnership>,
    today: chrono::NaiveDate,
    /// The organisation's plans with their reports, for those who may read them.
    plans: Vec<(String, Arc<Report>)>,
    /// The organisation's consultations, for its plan readers: (id, title, dates, responses).
    consultations: Vec<(i64, String, String, i64)>,
}

/// `GET /`: the organisation's dashboard, or, while the session acts for a partnership, that
/// partnership's records.
pub async fn show(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    if let Some(acting) = user.session.as_ref().and_then(|s| s.acting.as_ref()) {
        return Ok(
            Redirect::to(&format!("/partnerships/{}/shared-services", acting.slug)).into_response(),
        );
    }
    let layout = Layout::for_user(&user, "Dashboard", None);
    let organisation = app
        .store
        .organisation_by_id(user.user.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("your organisation".into()))?;
    let today = app.store.today();
    let partnerships: Vec<Partnership> = app
        .store
        .list_partnerships()
        .await?
        .into_iter()
        .filter(|p| {
            p.members
                .iter()
                .any(|m| m.organisation_id == organisation.id && m.is_active_on(today))
        })
        .collect();
    let plans = if user.can(Action::ReadPlans(organisation.id)) {
        super::finance::reports(&app, &user.caller(), &organisation.slug).await?
    } else {
        Vec::new()
    };
    let mut consultations = Vec::new();
    if user.can(Action::ReadPlans(organisation.id)) {
        for c in
            ngc_app::consultations::of_organisation(&app.store, &user.caller(), &organisation.slug)
                .await?
        {
            let responses = app.store.consultation_response_count(c.id).await?;
            let when = format!(
                "{} {} to {}",
                if c.is_open(today) { "open" } else { "runs" },
                c.opens_on.format("%-d %B %Y"),
                c.closes_on.format("%-d %B %Y")
            );
            consultations.push((c.id, c.title, when, responses));
        }
    }
    let page = DashboardPage {
        layout,
        organisation,
        partnerships,
        today,
        plans: plans.into_iter().map(|(s, r)| (s.name, r)).collect(),
        consultations,
    };
    Ok(render(&page))
}
