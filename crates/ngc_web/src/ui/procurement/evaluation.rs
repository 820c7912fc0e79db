//! The evaluation of one tender (`/procurement/tenders/{id}/evaluation`): a panel member
//! declares interests and scores; the procurement lead moderates, opens prices, works through
//! abnormally low bids, awards, sends the assessment summaries and records the contract. A
//! provider reads its own outcome and assessment summary (`…/outcome`). Each form calls the
//! same use case as the API.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::awards::{self, AwardInput, ContractInput, SummariesInput};
use ngc_app::evaluation::{
    self as uc, AbnormallyLowInput, DeclarationInput, Evaluation, LotInput, Part, ScoreInput,
};
use ngc_domain::access::Area;
use ngc_domain::procurement::tender::PanelStanding;
use ngc_store::evaluation::StoredSummary;
use std::borrow::Borrow;

#[derive(Template)]
#[template(path = "procurement/evaluation.html")]
struct EvaluationPage {
    layout: Layout,
    e: Evaluation,
    lead: bool,
    /// Whether the caller must still declare (a panel member without a declaration).
    must_declare: bool,
    /// Whether the caller may score (a cleared panel member).
    may_score: bool,
    error: Option<AppError>,
}

impl EvaluationPage {
    fn json(&self, v: &serde_json::Value) -> String {
        v.to_string()
    }
}

#[derive(Template)]
#[template(path = "procurement/outcome.html")]
struct OutcomePage {
    layout: Layout,
    tender_id: i64,
    summaries: Vec<StoredSummary>,
}

impl OutcomePage {
    fn pretty(&self, v: &serde_json::Value) -> String {
        serde_json::to_string_pretty(v).unwrap_or_default()
    }

    /// A text or number field of a summary, or nothing.
    fn text(&self, v: &serde_json::Value, key: &str) -> String {
        match &v[key] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => String::new(),
        }
    }

    /// The summary's score rows, one per criterion.
    fn rows<'a>(&self, v: &'a serde_json::Value) -> &'a [serde_json::Value] {
        v["scores"].as_array().map_or(&[], Vec::as_slice)
    }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let e = uc::evaluation(&app.store, &user.caller(), id).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(
        user,
        &format!("Evaluation: {}", e.tender.title),
        Some(Area::Procurement),
    );
    let page = EvaluationPage {
        layout,
        lead: e.part == Part::Lead,
        must_declare: e.part == Part::Panel(PanelStanding::Undeclared),
        may_score: e.part == Part::Panel(PanelStanding::Cleared),
        e,
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
        |_| format!("/procurement/tenders/{id}/evaluation"),
        |e| page(app, user, id, Some(e)),
    )
    .await
}

/// `GET /procurement/tenders/{id}/evaluation`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// `POST /procurement/tenders/{id}/declarations`.
pub async fn declare(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<DeclarationInput>,
) -> AppResult<Response> {
    let result = uc::declare(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/scores`.
pub async fn score(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ScoreInput>,
) -> AppResult<Response> {
    let result = uc::score(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/moderations`.
pub async fn moderate(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ScoreInput>,
) -> AppResult<Response> {
    let result = uc::moderate(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/price-openings`.
pub async fn open_prices(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<LotInput>,
) -> AppResult<Response> {
    let result = uc::open_prices(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/abnormally-low`.
pub async fn abnormally_low(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<AbnormallyLowInput>,
) -> AppResult<Response> {
    let result = uc::abnormally_low(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/award`.
pub async fn award(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<AwardInput>,
) -> AppResult<Response> {
    let result = awards::award(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/summaries`.
pub async fn send_summaries(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<SummariesInput>,
) -> AppResult<Response> {
    let result = awards::send_summaries(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/contracts`.
pub async fn make_contract(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ContractInput>,
) -> AppResult<Response> {
    let result = awards::make_contract(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `GET /procurement/tenders/{id}/outcome`: the caller's assessment summaries (a provider
/// its own only; the procurement lead every one).
pub async fn outcome(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let summaries = awards::summaries(&app.store, &user.caller(), id).await?;
    let layout = Layout::for_user(user.borrow(), "Outcome", Some(Area::Procurement));
    Ok(render(&OutcomePage {
        layout,
        tender_id: id,
        summaries,
    })
    .into_response())
}
