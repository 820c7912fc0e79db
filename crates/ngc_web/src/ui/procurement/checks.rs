//! The checks before award and the challenges of one tender, for its buyers' staff: the
//! conflicts assessment with every version, each supplier's exclusion check and eligibility
//! for a reserved competition (starting from its registered facts), challenges and their
//! suspension. The lead council's commissioners record them here.

use super::when;
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use ngc_app::checks::{
    self as uc, ChallengeInput, Checks, ConflictsInput, ExclusionInput, ReservationInput,
};
use ngc_domain::access::Area;
use ngc_domain::procurement::Reservation;
use ngc_domain::procurement::lifecycle::{ExclusionResult, StartingPoint};
use std::borrow::Borrow;

#[derive(Template)]
#[template(path = "procurement/checks.html")]
struct ChecksPage {
    layout: Layout,
    checks: Checks,
    results: &'static [ExclusionResult],
    reserved: bool,
    error: Option<AppError>,
}

impl ChecksPage {
    fn when(&self, t: impl Borrow<DateTime<Utc>>) -> String {
        when(*t.borrow())
    }

    fn start(&self, s: impl Borrow<StartingPoint>) -> String {
        match s.borrow() {
            StartingPoint::Open => "Not reserved".into(),
            StartingPoint::Qualifies(why) => format!("Qualifies on its registered facts: {why}"),
            StartingPoint::DoesNotQualify(why) => {
                format!("Does not qualify on its registered facts: {why}")
            }
            StartingPoint::BuyerDecides(why) => format!("For the buyer to decide: {why}"),
        }
    }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let checks = uc::checks(&app.store, &user.caller(), id).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(
        user,
        &format!("Checks: {}", checks.tender.title),
        Some(Area::Procurement),
    );
    let page = ChecksPage {
        layout,
        reserved: checks.tender.reservation != Reservation::None,
        checks,
        results: ExclusionResult::ALL,
        error,
    };
    Ok((status, render(&page)).into_response())
}

async fn done<T>(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<T, ngc_app::UseCaseError>,
) -> AppResult<Response> {
    after_form(
        result.map_err(AppError::from),
        |_| format!("/procurement/tenders/{id}/checks"),
        |e| page(app, user, id, Some(e)),
    )
    .await
}

/// `GET /procurement/tenders/{id}/checks`.
pub async fn checks(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// `POST /procurement/tenders/{id}/conflicts-assessments`.
pub async fn record_conflicts(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ConflictsInput>,
) -> AppResult<Response> {
    let result = uc::record_conflicts(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/exclusion-checks`.
pub async fn record_exclusion(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ExclusionInput>,
) -> AppResult<Response> {
    let result = uc::record_exclusion(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/reservation-checks`.
pub async fn record_reservation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ReservationInput>,
) -> AppResult<Response> {
    let result = uc::record_reservation(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/challenges`.
pub async fn receive_challenge(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ChallengeInput>,
) -> AppResult<Response> {
    let result = uc::receive_challenge(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/challenges/{cid}/lift`.
pub async fn lift_challenge(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((id, cid)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<ChallengeInput>,
) -> AppResult<Response> {
    let result = uc::lift_challenge(&app.store, &user.caller(), id, cid, input).await;
    done(&app, &user, id, result).await
}
