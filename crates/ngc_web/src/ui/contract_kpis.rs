//! A contract's KPI page (`/contracts/{id}/kpis`): each KPI with its returns rated in words
//! and RAG colours, late and missing returns flagged, its trend drawn as SVG, the performance
//! failures, and the s52 warning where it applies; with the forms to set a KPI (or record why
//! there are none), to make a return (the provider's portal, when signed in as the supplier)
//! and to record a performance failure. Each form posts to the same use case as the API.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::charts::{self, KpiPoint};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::contracts::kpis::{
    self as uc, FailureInput, KpiInput, KpiLine, KpiReport, ReturnInput,
};
use ngc_domain::access::Area;
use ngc_domain::contracts::Frequency;
use ngc_domain::contracts::kpi::{Direction, KpiExemption, PenaltyType, ReturnState};
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

/// The SVG trend chart of a KPI's returns against its target.
pub fn trend_chart(line: &KpiLine) -> String {
    let k = &line.kpi.kpi;
    let points: Vec<KpiPoint> = line
        .returns
        .iter()
        .map(|r| KpiPoint {
            label: r.label.clone(),
            value: r.ret.value.and_then(|v| v.to_f64()),
            rating: r.rating.label().to_owned(),
            rag: r.rag.as_str().to_owned(),
        })
        .collect();
    charts::kpi_trend(
        &format!("kpi-{}", line.kpi.id),
        &format!("{} {}: values against the target", k.code, k.name),
        &k.unit,
        k.target.to_f64().unwrap_or_default(),
        &line.trend.label().to_lowercase(),
        &points,
    )
}

#[derive(Template)]
#[template(path = "contracts/kpis.html")]
struct KpisPage {
    layout: Layout,
    r: KpiReport,
    /// Each KPI's trend chart, in the order of `r.kpis`.
    charts: Vec<String>,
    directions: &'static [Direction],
    frequencies: &'static [Frequency],
    exemptions: &'static [KpiExemption],
    penalty_types: &'static [PenaltyType],
    error: Option<AppError>,
}

impl KpisPage {
    fn exempt_as(&self, e: &KpiExemption) -> bool {
        self.r.contract.kpi_exemption == Some(*e)
    }

    fn state_class(&self, s: &ReturnState) -> &'static str {
        match s {
            ReturnState::Late | ReturnState::Missing => "neg",
            ReturnState::Received | ReturnState::NotYetDue => "",
        }
    }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let r = uc::report(&app.store, &user.caller(), id).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(
        user,
        &format!("KPIs: {}", r.contract.title),
        Some(Area::Contracts),
    );
    let page = KpisPage {
        layout,
        charts: r.kpis.iter().map(trend_chart).collect(),
        r,
        directions: Direction::ALL,
        frequencies: Frequency::ALL,
        exemptions: KpiExemption::ALL,
        penalty_types: PenaltyType::ALL,
        error,
    };
    Ok((status, render(&page)).into_response())
}

async fn done<T>(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<T, AppError>,
) -> AppResult<Response> {
    after_form(
        result,
        |_| format!("/contracts/{id}/kpis"),
        |e| page(app, user, id, Some(e)),
    )
    .await
}

/// `GET /contracts/{id}/kpis`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// `POST /contracts/{id}/kpis`: a KPI set, or (with no code) the reason for none, through
/// [`ngc_app::contracts::kpis::define_kpi`] or [`ngc_app::contracts::kpis::record_rationale`].
pub async fn define(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<KpiInput>,
) -> AppResult<Response> {
    let caller = user.caller();
    let result = if input.code.as_deref().is_some_and(|c| !c.trim().is_empty()) {
        uc::define_kpi(&app.store, &caller, id, &input)
            .await
            .map(|_| ())
    } else {
        uc::record_rationale(&app.store, &caller, id, &input)
            .await
            .map(|_| ())
    };
    done(&app, &user, id, result.map_err(AppError::from)).await
}

/// `POST /contracts/{id}/returns`: the provider's return, through
/// [`ngc_app::contracts::kpis::submit_return`].
pub async fn submit_return(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ReturnInput>,
) -> AppResult<Response> {
    let result = uc::submit_return(&app.store, &user.caller(), id, &input)
        .await
        .map_err(AppError::from);
    done(&app, &user, id, result).await
}

/// The failure form: every field as typed.
#[derive(Debug, Deserialize)]
pub struct FailureForm {
    id: String,
    #[serde(default)]
    kpi: String,
    period_start: String,
    period_end: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    events: String,
    #[serde(default)]
    remedy: String,
    #[serde(default)]
    penalty_type: String,
    #[serde(default)]
    penalty_contracted: String,
    #[serde(default)]
    penalty_imposed: String,
    #[serde(default)]
    penalty_paid: String,
}

fn failure_input(f: FailureForm) -> Result<FailureInput, AppError> {
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let events = some(f.events)
        .map(|e| {
            e.trim().parse::<u32>().map_err(|_| {
                AppError::invalid("events", format!("`{}` is not a whole number", e.trim()))
            })
        })
        .transpose()?;
    Ok(FailureInput {
        id: f.id,
        kpi: some(f.kpi),
        period_start: f.period_start,
        period_end: f.period_end,
        category: f.category,
        description: f.description,
        events,
        remedy: f.remedy,
        penalty_type: some(f.penalty_type),
        penalty_contracted: some(f.penalty_contracted),
        penalty_imposed: some(f.penalty_imposed),
        penalty_paid: some(f.penalty_paid),
    })
}

/// `POST /contracts/{id}/performance-failures`: a failure recorded by the council, through
/// [`ngc_app::contracts::kpis::record_failure`].
pub async fn record_failure(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FailureForm>,
) -> AppResult<Response> {
    let result = match failure_input(form) {
        Ok(input) => uc::record_failure(&app.store, &user.caller(), id, &input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    done(&app, &user, id, result).await
}
