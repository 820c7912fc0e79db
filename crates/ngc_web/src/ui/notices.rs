//! A tender's notices: each step's OCDS release, ready to send to the Central Digital
//! Platform, and the form that records its publication there.

use super::{Layout, after_form, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::ocds::{self as uc, PrepareInput, PublicationInput};
use ngc_app::tenders;
use ngc_domain::access::{Action, Area};
use ngc_store::releases::Release;
use ngc_store::tenders::Tender;
use serde::Deserialize;

/// One notice as the page shows it.
struct NoticeRow {
    notice: Release,
    /// What it is, in words (`UK4: Tender notice`).
    what: String,
    /// The release as the public sees it, pretty-printed.
    json: String,
}

#[derive(Template)]
#[template(path = "procurement/notices.html")]
struct NoticesPage {
    layout: Layout,
    tender: Tender,
    notices: Vec<NoticeRow>,
    can_manage: bool,
    today: chrono::NaiveDate,
    error: Option<AppError>,
}

/// The form that prepares a notice.
#[derive(Debug, Deserialize)]
pub struct PrepareForm {
    /// planning, market_engagement, tender or termination.
    notice: String,
}

/// The form that records a publication.
#[derive(Debug, Deserialize)]
pub struct PublicationForm {
    #[serde(default)]
    platform_notice_id: String,
    #[serde(default)]
    published_on: String,
}

fn row(notice: Release) -> NoticeRow {
    let what = match notice.notice_type {
        Some(n) if n.as_str().starts_with("UK") => format!("{}: {}", n.as_str(), n.label()),
        Some(n) => n.label().to_owned(),
        None => format!("{} release (no notice)", notice.step),
    };
    let json = serde_json::to_string_pretty(&uc::as_published(&notice)).unwrap_or_default();
    NoticeRow { notice, what, json }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let caller = user.caller();
    let notices = uc::list_notices(&app.store, &caller, id).await?;
    let tender = tenders::find(&app.store, &caller, id).await?;
    let layout = Layout::for_user(
        user,
        &format!("Notices: {}", tender.title),
        Some(Area::Procurement),
    );
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = NoticesPage {
        layout,
        can_manage: user.can(Action::ManageTenders(tender.lead_organisation_id)),
        tender,
        notices: notices.into_iter().map(row).collect(),
        today: app.store.today(),
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /procurement/tenders/{id}/notices`.
pub async fn list(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// `POST /procurement/tenders/{id}/notices`.
pub async fn prepare(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PrepareForm>,
) -> AppResult<Response> {
    let input = match form.notice.as_str() {
        "market_engagement" => PrepareInput {
            step: "planning".into(),
            planning_notice: Some("market_engagement".into()),
        },
        other => PrepareInput {
            step: other.to_owned(),
            planning_notice: None,
        },
    };
    let result = uc::prepare_notice(&app.store, &user.caller(), id, &input)
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |_| format!("/procurement/tenders/{id}/notices"),
        |e| page(&app, &user, id, Some(e)),
    )
    .await
}

/// `POST /procurement/tenders/{id}/notices/{notice}/publication`.
pub async fn record_publication(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((id, notice)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<PublicationForm>,
) -> AppResult<Response> {
    let input = PublicationInput {
        platform_notice_id: form.platform_notice_id,
        published_on: form.published_on,
    };
    let result = uc::record_publication(&app.store, &user.caller(), id, notice, &input)
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |_| format!("/procurement/tenders/{id}/notices"),
        |e| page(&app, &user, id, Some(e)),
    )
    .await
}
