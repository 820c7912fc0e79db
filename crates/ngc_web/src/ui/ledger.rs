//! An organisation's ledger page: the trial balance at a day, and income and expenditure by
//! service line and month over that day's financial year. It calls the same use cases as
//! the API and `ngc ledger trial-balance`.

use super::{Layout, render};
use crate::AppState;
use crate::api::ledger::parse_at;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ngc_app::ledger::{self as uc, ServiceMonth, TrialBalanceView};
use ngc_domain::access::Area;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "organisations/ledger.html")]
struct Page {
    layout: Layout,
    tb: TrialBalanceView,
    months: Vec<ServiceMonth>,
}

/// The day asked for.
#[derive(Debug, Deserialize)]
pub struct AtQuery {
    #[serde(default)]
    at: Option<String>,
}

/// `GET /organisations/{slug}/ledger`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<AtQuery>,
) -> AppResult<Response> {
    let at = parse_at(q.at.as_deref())?;
    let caller = user.caller();
    let tb = uc::trial_balance(&app.store, &caller, &slug, at).await?;
    let months = uc::service_months(&app.store, &caller, &slug, Some(tb.at)).await?;
    let layout = Layout::for_user(&user, "Ledger", Some(Area::Finance));
    Ok(render(&Page { layout, tb, months }))
}
