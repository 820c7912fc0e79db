//! An organisation's ledger pages: the trial balance at a day, income and expenditure by
//! service line and month over that day's financial year, and the latest journals; one
//! journal with its postings, the spend lines behind it, and a form to reverse it. They call
//! the same use cases as the API and `ngc ledger trial-balance`.

use super::{Layout, render};
use crate::AppState;
use crate::api::ledger::parse_at;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::ledger::behind::{self, SpendBehind};
use ngc_app::ledger::{self as uc, ReversalInput, ServiceMonth, TrialBalanceView};
use ngc_domain::access::{Action, Area};
use ngc_store::ledger::{JournalSummary, PostedJournal};
use serde::Deserialize;

/// Journals listed on the ledger page.
const LATEST: i64 = 50;
/// Spend lines shown behind a journal.
const LINES: i64 = 200;

#[derive(Template)]
#[template(path = "organisations/ledger.html")]
struct Page {
    layout: Layout,
    tb: TrialBalanceView,
    months: Vec<ServiceMonth>,
    journals: Vec<JournalSummary>,
}

#[derive(Template)]
#[template(path = "organisations/ledger_journal.html")]
struct JournalPage {
    layout: Layout,
    slug: String,
    j: PostedJournal,
    spend: Option<SpendBehind>,
    /// The journal that reverses it.
    reversed_by: Option<i64>,
    /// Whether the user may post a reversal.
    can_reverse: bool,
    form: ReversalForm,
    error: Option<AppError>,
}

impl JournalPage {
    /// Pence as pounds.
    fn pounds(&self, pence: &i64) -> String {
        ngc_domain::money::Money::pence(*pence).fmt_gbp()
    }
}

/// The reversal form.
#[derive(Debug, Default, Deserialize)]
pub struct ReversalForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    description: String,
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
    let journals = behind::latest(&app.store, &caller, &slug, Some(tb.at), LATEST).await?;
    let layout = Layout::for_user(&user, "Ledger", Some(Area::Finance));
    Ok(render(&Page {
        layout,
        tb,
        months,
        journals,
    }))
}

async fn journal_page(
    app: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    form: ReversalForm,
    error: Option<AppError>,
) -> AppResult<Response> {
    let caller = user.caller();
    let j = uc::journal(&app.store, &caller, slug, id).await?;
    let spend = behind::spend_lines(&app.store, &caller, slug, id, LINES).await?;
    let reversed_by = behind::reversed_by(&app.store, &caller, slug, id).await?;
    let can_reverse = j.journal.reverses.is_none()
        && reversed_by.is_none()
        && caller.can(Action::PostJournals(j.organisation_id));
    let layout = Layout::for_user(user, &format!("Journal {id}"), Some(Area::Finance));
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = JournalPage {
        layout,
        slug: slug.to_owned(),
        j,
        spend,
        reversed_by,
        can_reverse,
        form,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /organisations/{slug}/ledger/journals/{id}`.
pub async fn journal(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    journal_page(&app, &user, &slug, id, ReversalForm::default(), None).await
}

/// `POST /organisations/{slug}/ledger/journals/{id}/reversal`: reverse the journal, under the
/// key `reversal-of:{id}` (a journal is reversed once, so a repeated post returns the first
/// reversal).
pub async fn reverse(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<ReversalForm>,
) -> AppResult<Response> {
    let input = ReversalInput {
        idempotency_key: format!("reversal-of:{id}"),
        date: form.date.clone(),
        description: form.description.clone(),
    };
    match uc::reverse(&app.store, &user.caller(), &slug, id, &input).await {
        Ok(posted) => Ok(Redirect::to(&format!(
            "/organisations/{slug}/ledger/journals/{}",
            posted.journal.id
        ))
        .into_response()),
        Err(e) => match AppError::from(e) {
            e @ (AppError::Invalid { .. } | AppError::Conflict(_)) => {
                journal_page(&app, &user, &slug, id, form, Some(e)).await
            }
            e => Err(e),
        },
    }
}
