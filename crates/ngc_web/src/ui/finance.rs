//! Finance pages: the council's plans, one plan in the published layout with its charts,
//! and the savings tracker with monthly delivery updates.

mod budget;
mod plan;
mod resilience;
mod revisions;
mod savings;
mod view;

pub use budget::budget;
pub use plan::{plan, update_assumptions};
pub use resilience::resilience;
pub use revisions::{restore, revision, revisions};
pub use savings::{link_saving, record_delivery, savings, unlink_saving};
pub use view::{PAGE_SEED, PAGE_TRIALS, PlanView, plan_view};

use super::{Layout, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::mtfp::{Plan, Report};
use ngc_store::plans::PlanSummary;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "finance/index.html")]
struct IndexPage {
    layout: Layout,
    organisation: String,
    /// The user's organisation's slug, when they read its ledger.
    ledger: Option<String>,
    plans: Vec<(PlanSummary, Arc<Report>)>,
    can_read: bool,
}

async fn organisation_slug(app: &AppState, user: &CurrentUser) -> AppResult<String> {
    Ok(app
        .store
        .organisation_by_id(user.user.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("your organisation".into()))?
        .slug)
}

async fn load(app: &AppState, user: &CurrentUser, name: &str) -> AppResult<Plan> {
    user.require(Action::ReadPlans(user.user.organisation_id))?;
    let org = organisation_slug(app, user).await?;
    app.store
        .plan(&org, Some(name))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("plan `{name}`")))
}

/// The figures of the plan `name` of the user's organisation as on the server's date, from
/// the figures cache (callers check `ReadPlans` first).
async fn figures(app: &AppState, user: &CurrentUser, name: &str) -> AppResult<Arc<PlanView>> {
    let org = organisation_slug(app, user).await?;
    let summary = app
        .store
        .list_plans(&org)
        .await?
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| AppError::NotFound(format!("plan `{name}`")))?;
    app.figures
        .get(&app.store, &summary, app.store.today())
        .await
}

/// Every plan of an organisation with its report as on the server's date, from the figures
/// cache, the in-year s114(3) warning first where the year's forecast raises it (callers
/// check `ReadPlans` first).
pub(super) async fn reports(
    app: &AppState,
    caller: &ngc_app::Caller,
    organisation: &str,
) -> AppResult<Vec<(PlanSummary, Arc<Report>)>> {
    let today = app.store.today();
    let mut out = Vec::new();
    for summary in app.store.list_plans(organisation).await? {
        let view = app.figures.get(&app.store, &summary, today).await?;
        let report =
            crate::in_year::with_warning(app, caller, organisation, view.report.clone()).await?;
        out.push((summary, report));
    }
    Ok(out)
}

/// `GET /finance`.
pub async fn index(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ViewArea(Area::Finance))?;
    let layout = Layout::for_user(&user, "Finance", Some(Area::Finance));
    let can_read = user.can(Action::ReadPlans(user.user.organisation_id));
    let plans = if can_read {
        reports(&app, &user.caller(), &organisation_slug(&app, &user).await?).await?
    } else {
        Vec::new()
    };
    let organisation = user.user.organisation_name.clone();
    let ledger = if user.can(Action::ReadLedger(user.user.organisation_id)) {
        Some(organisation_slug(&app, &user).await?)
    } else {
        None
    };
    Ok(render(&IndexPage {
        layout,
        organisation,
        ledger,
        plans,
        can_read,
    }))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Which year the tracker shows.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    pub(super) year: Option<String>,
}
