//! Planned procurements and the pipeline (through [`ngc_app::pipeline`]).

use super::ApiJson;
use super::tenders::views::time;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ngc_app::pipeline::{self as uc, PipelineEntry, PlannedInput};
use ngc_domain::money::Money;
use ngc_domain::procurement::ContractType;
use ngc_domain::procurement::lifecycle::PlanLink;
use ngc_store::pipeline::PlannedProcurement;
use serde::Serialize;
use utoipa::ToSchema;

/// A planned procurement, with where it stands in the pipeline today.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedView {
    pub id: i64,
    pub organisation: String,
    pub title: String,
    pub description: String,
    pub estimated_value: Money,
    pub vat_inclusive: bool,
    pub contract_type: ContractType,
    pub planned_tender_on: NaiveDate,
    pub planned_award_on: NaiveDate,
    pub planned_start_on: NaiveDate,
    /// What it serves in the financial plan.
    pub link_kind: PlanLink,
    pub link_plan: Option<String>,
    pub link_key: String,
    /// Whether it goes to tender within the next 18 months.
    pub in_view: bool,
    /// Whether a pipeline notice (UK1) would carry it.
    pub on_pipeline_notice: bool,
    pub created_at: String,
}

/// The pipeline: every planned procurement of the caller's council.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineView {
    /// The first and last day of the 18-month view (from the server's date).
    pub view_from: NaiveDate,
    pub view_to: NaiveDate,
    /// The pipeline notice rule in force, in words (absent before the Procurement Act 2023).
    pub pipeline_notice_rule: Option<String>,
    /// Whether that rule was checked against the Act.
    pub pipeline_notice_rule_confirmed: Option<bool>,
    pub planned_procurements: Vec<PlannedView>,
}

fn view(p: PlannedProcurement, in_view: bool, on_notice: bool) -> PlannedView {
    PlannedView {
        id: p.id,
        organisation: p.organisation,
        title: p.title,
        description: p.description,
        estimated_value: p.estimated_value,
        vat_inclusive: p.vat_inclusive,
        contract_type: p.contract_type,
        planned_tender_on: p.planned_tender_on,
        planned_award_on: p.planned_award_on,
        planned_start_on: p.planned_start_on,
        link_kind: p.link_kind,
        link_plan: p.link_plan,
        link_key: p.link_key,
        in_view,
        on_pipeline_notice: on_notice,
        created_at: time(p.created_at),
    }
}

impl From<PipelineEntry> for PlannedView {
    fn from(e: PipelineEntry) -> Self {
        view(e.planned, e.in_view, e.on_notice.is_some())
    }
}

/// The caller's council's planned procurements, by planned tender date (its staff who read
/// tenders).
#[utoipa::path(get, path = "/api/v1/planned-procurements", tag = "procurement", security(("bearer" = [])),
    responses((status = 200, body = PipelineView), (status = 403, body = ErrorBody)))]
pub async fn list_planned_procurements(
    State(app): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<PipelineView>> {
    let p = uc::pipeline(&app.store, &user.caller()).await?;
    Ok(Json(PipelineView {
        view_from: p.from,
        view_to: p.to,
        pipeline_notice_rule: p.rule.as_ref().map(|r| r.in_words()),
        pipeline_notice_rule_confirmed: p.rule.as_ref().map(|r| r.confirmed),
        planned_procurements: p.entries.into_iter().map(Into::into).collect(),
    }))
}

/// Records a planned procurement of the caller's council, linked to a service line, a
/// budget line or a saving of its financial plan.
#[utoipa::path(post, path = "/api/v1/planned-procurements", tag = "procurement", security(("bearer" = [])),
    request_body = PlannedInput,
    responses((status = 201, body = PlannedView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_planned_procurement(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<PlannedInput>,
) -> AppResult<(StatusCode, Json<PlannedView>)> {
    let caller = user.caller();
    let p = uc::create(&app.store, &caller, input).await?;
    let id = p.id;
    let entry = uc::pipeline(&app.store, &caller)
        .await?
        .entries
        .into_iter()
        .find(|e| e.planned.id == id)
        .map(Into::into)
        .unwrap_or_else(|| view(p, false, false));
    Ok((StatusCode::CREATED, Json(entry)))
}
