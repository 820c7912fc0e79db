//! A shared-service partnership's records for its partners: the recharge statement of a year,
//! the savings over the years (chart and table) with the published figures, the exits; and
//! acting for the partnership.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::charts::{self, SavingsPoint};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::shared_services::{self as uc, Savings};
use ngc_domain::access::Area;
use ngc_domain::finance::FinancialYear;
use ngc_domain::shared_services::Statement;
use ngc_store::partnerships::Partnership;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "partnerships/shared_services.html")]
struct Page {
    layout: Layout,
    partnership: Partnership,
    years: Vec<FinancialYear>,
    year: Option<FinancialYear>,
    statement: Option<Arc<Statement>>,
    savings: Arc<Savings>,
    chart: String,
    acting: bool,
}

impl Page {
    /// A member's name, by its slug.
    fn name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.partnership
            .members
            .iter()
            .find(|m| m.organisation == slug)
            .map_or(slug, |m| m.organisation_name.as_str())
    }
}

/// The year asked for.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

/// An action form with only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct ActForm {}

/// `GET /partnerships/{slug}/shared-services`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let caller = user.caller();
    let partnership = uc::readable(&app.store, &caller, &slug).await?;
    let years = uc::years_of(&app.store, &caller, &slug).await?;
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        Some(text) => Some(
            text.parse::<FinancialYear>()
                .map_err(|e| AppError::invalid("year", e.to_string()))?,
        ),
        None => years.last().copied(),
    };
    let statement = match year {
        Some(y) => Some(uc::statement(&app.store, &caller, &slug, y).await?),
        None => None,
    };
    let savings = uc::savings(&app.store, &caller, &slug).await?;
    let points: Vec<SavingsPoint> = savings
        .view
        .years
        .iter()
        .map(|y| SavingsPoint {
            year: y.year.to_string(),
            saving: y.saving,
            cumulative: y.cumulative,
        })
        .collect();
    let acting = user
        .session
        .as_ref()
        .and_then(|s| s.acting.as_ref())
        .is_some_and(|a| a.slug == partnership.slug);
    let layout = Layout::for_user(
        &user,
        &format!("{}: shared services", partnership.name),
        Some(Area::Partnerships),
    );
    Ok(render(&Page {
        layout,
        partnership,
        years,
        year,
        statement,
        chart: charts::savings(&points),
        savings,
        acting,
    }))
}

fn session_secret(user: &CurrentUser) -> AppResult<&str> {
    user.session
        .as_ref()
        .map(|s| s.secret.as_str())
        .ok_or_else(|| {
            AppError::invalid(
                "session",
                "acting for a partnership needs a signed-in session",
            )
        })
}

/// `POST /partnerships/{slug}/act`: this session acts for the partnership.
pub async fn act_for(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(_): CsrfForm<ActForm>,
) -> AppResult<Response> {
    uc::act_for(
        &app.store,
        &user.caller(),
        session_secret(&user)?,
        Some(&slug),
    )
    .await?;
    Ok(Redirect::to(&format!("/partnerships/{slug}/shared-services")).into_response())
}

/// `POST /act/stop`: this session acts for the user's own organisation again.
pub async fn stop_acting(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(_): CsrfForm<ActForm>,
) -> AppResult<Response> {
    uc::act_for(&app.store, &user.caller(), session_secret(&user)?, None).await?;
    Ok(Redirect::to("/").into_response())
}
