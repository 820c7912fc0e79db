//! A contract's variations page (`/contracts/{id}/variations`): its original and current value
//! and end, each variation, termination and reversal with its ground, the cumulative change
//! and the notice it needed; for the holding council, a form to vary the contract (or reverse
//! its termination) and one to terminate it. A refused variation is shown with the provision
//! it fails and saves nothing. Each form posts to the same use case as the API.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::contracts::variations::{
    self as uc, TerminationInput, VariationInput, VariationList, notice_words,
};
use ngc_domain::access::Area;
use ngc_domain::money::Money;
use ngc_store::contracts::Variation;

#[derive(Template)]
#[template(path = "contracts/variations.html")]
struct VariationsPage {
    layout: Layout,
    l: VariationList,
    error: Option<AppError>,
}

impl VariationsPage {
    fn gbp(&self, m: &Money) -> String {
        m.fmt_gbp()
    }

    fn notice(&self, v: &Variation) -> String {
        v.notice
            .map(notice_words)
            .unwrap_or_else(|| "None needed".to_owned())
    }

    fn ground(&self, v: &Variation) -> String {
        v.ground.map(|g| g.label().to_owned()).unwrap_or_default()
    }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let l = uc::list(&app.store, &user.caller(), id).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(
        user,
        &format!("Variations: {}", l.contract.title),
        Some(Area::Contracts),
    );
    Ok((status, render(&VariationsPage { layout, l, error })).into_response())
}

async fn done<T>(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<T, AppError>,
) -> AppResult<Response> {
    after_form(
        result,
        |_| format!("/contracts/{id}/variations"),
        |e| page(app, user, id, Some(e)),
    )
    .await
}

/// `GET /contracts/{id}/variations`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// `POST /contracts/{id}/variations`: a variation (or the reversal of a termination), through
/// [`ngc_app::contracts::variations::vary`].
pub async fn vary(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<VariationInput>,
) -> AppResult<Response> {
    let result = uc::vary(&app.store, &user.caller(), id, &input)
        .await
        .map_err(AppError::from);
    done(&app, &user, id, result).await
}

/// `POST /contracts/{id}/termination`, through
/// [`ngc_app::contracts::variations::terminate`].
pub async fn terminate(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<TerminationInput>,
) -> AppResult<Response> {
    let result = uc::terminate(&app.store, &user.caller(), id, &input)
        .await
        .map_err(AppError::from);
    done(&app, &user, id, result).await
}
