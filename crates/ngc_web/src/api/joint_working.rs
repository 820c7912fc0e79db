//! Joint working: a partnership's consolidation analysis, the joint tenders started from it,
//! and the councils' cost-sharing key values. Each handler calls one use case of
//! `ngc_app::joint_working`, the same the pages and the command line call.

use super::ApiJson;
use super::tenders::views::TenderView;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use ngc_app::joint_working::{
    self as uc, AnalysisQuery, AnalysisView, KeyValueInput, StartTenderInput,
};
use ngc_domain::money::Money;
use serde::Serialize;
use utoipa::ToSchema;

/// The consolidation analysis of the partnership's contracts of one category: each running
/// contract of a current member, the aggregate, the window, the estimated saving and the
/// cost shares of the member councils that hold the function. Open to the staff of current
/// members only.
#[utoipa::path(get, path = "/api/v1/partnerships/{slug}/consolidation", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug"), AnalysisQuery),
    responses((status = 200, body = AnalysisView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn find_consolidation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<AnalysisQuery>,
) -> AppResult<Json<AnalysisView>> {
    let view = uc::analyse(&app.store, &user.caller(), &slug, &q).await?;
    Ok(Json((*view).clone()))
}

/// A tender started from an analysis.
#[derive(Debug, Serialize, ToSchema)]
pub struct JointTenderView {
    pub tender_id: i64,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub lead_organisation: String,
    pub category: String,
    pub key: String,
    pub year: String,
    /// The saving rate used, in per cent.
    pub rate: Option<String>,
    /// The aggregate annual value of the contracts it consolidates.
    pub baseline: Money,
    /// The estimated saving a year.
    pub saving: Option<Money>,
    pub created_at: DateTime<Utc>,
}

impl From<ngc_store::joint_working::JointTender> for JointTenderView {
    fn from(j: ngc_store::joint_working::JointTender) -> Self {
        Self {
            tender_id: j.tender_id,
            reference: j.reference,
            title: j.title,
            status: j.status,
            lead_organisation: j.lead_organisation,
            category: j.category,
            key: j.key,
            year: j.year,
            rate: j.rate,
            baseline: Money::pence(j.baseline),
            saving: j.saving.map(Money::pence),
            created_at: j.created_at,
        }
    }
}

/// The joint tenders started from the partnership's analyses, oldest first.
#[utoipa::path(get, path = "/api/v1/partnerships/{slug}/joint-tenders", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    responses((status = 200, body = Vec<JointTenderView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_joint_tenders(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<Vec<JointTenderView>>> {
    let list = uc::tenders(&app.store, &user.caller(), &slug).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Starts a draft joint tender from an analysis: led by the caller's council (a commissioner
/// of a council that holds the function), the analysis's councils as buyers with its shares;
/// the analysis is recorded as the tender's origin.
#[utoipa::path(post, path = "/api/v1/partnerships/{slug}/joint-tenders", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    request_body = StartTenderInput,
    responses((status = 201, body = TenderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn start_joint_tender(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<StartTenderInput>,
) -> AppResult<(StatusCode, Json<TenderView>)> {
    let caller = user.caller();
    let t = uc::start_tender(&app.store, &caller, &slug, input).await?;
    let view = ngc_app::tenders::detail(&app.store, &caller, t.id).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// How many key values were stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyValuesStored {
    pub stored: usize,
}

/// Stores councils' key values (households, tax base, population) for a year, all or none;
/// each council's by its own finance officers.
#[utoipa::path(post, path = "/api/v1/key-values", tag = "partnerships",
    security(("bearer" = [])),
    request_body = Vec<KeyValueInput>,
    responses((status = 201, body = KeyValuesStored), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_key_values(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<Vec<KeyValueInput>>,
) -> AppResult<(StatusCode, Json<KeyValuesStored>)> {
    let stored = uc::set_key_values(&app.store, &user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(KeyValuesStored { stored })))
}
