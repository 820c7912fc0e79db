//! The checks before award (conflicts assessment, exclusion and eligibility checks) and the
//! challenges of a procurement: read by the buyers' staff, recorded by the lead council.

use super::views::time;
use crate::AppState;
use crate::api::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::checks::{
    self as uc, ChallengeInput, ConflictsInput, ExclusionInput, ReservationInput,
};
use ngc_domain::procurement::lifecycle::ExclusionResult;
use ngc_store::procurement_checks::{
    Challenge, ConflictsAssessment, ExclusionCheck, ReservationCheck,
};
use serde::Serialize;
use utoipa::ToSchema;

/// One version of the conflicts assessment (PA2023 s83).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictsView {
    pub version: i32,
    pub conflicts_found: bool,
    pub assessment: String,
    pub mitigations: String,
    /// Who assessed (email), absent for the system.
    pub assessed_by: Option<String>,
    pub assessed_at: String,
}

/// A supplier's exclusion and debarment check.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExclusionView {
    pub id: i64,
    pub supplier: String,
    pub supplier_name: String,
    pub result: ExclusionResult,
    pub debarment_list_checked: bool,
    pub grounds: String,
    pub note: String,
    pub checked_by: Option<String>,
    pub checked_at: String,
}

/// A supplier's eligibility for a reserved procurement, with its registered facts then.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReservationView {
    pub id: i64,
    pub supplier: String,
    pub supplier_name: String,
    pub eligible: bool,
    pub evidence: String,
    pub public_service_mutual: bool,
    pub sme: bool,
    pub vcse: bool,
    pub checked_by: Option<String>,
    pub checked_at: String,
}

/// A challenge; while it is not lifted the award is suspended.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeView {
    pub id: i64,
    pub received_at: String,
    pub note: String,
    pub lifted_at: Option<String>,
    pub lift_note: String,
}

/// Every check of a procurement.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecksView {
    /// Every version of the conflicts assessment, latest (current) first.
    pub conflicts_assessments: Vec<ConflictsView>,
    /// The current exclusion check of each supplier.
    pub exclusion_checks: Vec<ExclusionView>,
    /// Every eligibility check, latest first.
    pub reservation_checks: Vec<ReservationView>,
    pub challenges: Vec<ChallengeView>,
    /// Whether a challenge suspends the award.
    pub suspended: bool,
}

impl From<ConflictsAssessment> for ConflictsView {
    fn from(a: ConflictsAssessment) -> Self {
        Self {
            version: a.version,
            conflicts_found: a.conflicts_found,
            assessment: a.assessment,
            mitigations: a.mitigations,
            assessed_by: a.assessed_by_email,
            assessed_at: time(a.assessed_at),
        }
    }
}

impl From<ExclusionCheck> for ExclusionView {
    fn from(c: ExclusionCheck) -> Self {
        Self {
            id: c.id,
            supplier: c.supplier,
            supplier_name: c.supplier_name,
            result: c.result,
            debarment_list_checked: c.debarment_list_checked,
            grounds: c.grounds,
            note: c.note,
            checked_by: c.checked_by_email,
            checked_at: time(c.checked_at),
        }
    }
}

impl From<ReservationCheck> for ReservationView {
    fn from(c: ReservationCheck) -> Self {
        Self {
            id: c.id,
            supplier: c.supplier,
            supplier_name: c.supplier_name,
            eligible: c.eligible,
            evidence: c.evidence,
            public_service_mutual: c.facts.public_service_mutual,
            sme: c.facts.sme,
            vcse: c.facts.vcse,
            checked_by: c.checked_by_email,
            checked_at: time(c.checked_at),
        }
    }
}

impl From<Challenge> for ChallengeView {
    fn from(c: Challenge) -> Self {
        Self {
            id: c.id,
            received_at: time(c.received_at),
            note: c.note,
            lifted_at: c.lifted_at.map(time),
            lift_note: c.lift_note,
        }
    }
}

/// The checks before award and the challenges of a procurement (its buyers' staff).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/checks", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    responses((status = 200, body = ChecksView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_checks(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ChecksView>> {
    let c = uc::checks(&app.store, &user.caller(), id).await?;
    Ok(Json(ChecksView {
        conflicts_assessments: c.conflicts.into_iter().map(Into::into).collect(),
        exclusion_checks: c.exclusions.into_iter().map(Into::into).collect(),
        reservation_checks: c.reservations.into_iter().map(Into::into).collect(),
        challenges: c.challenges.into_iter().map(Into::into).collect(),
        suspended: c.suspended,
    }))
}

/// Records a new version of the conflicts assessment; the earlier versions stay.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/conflicts-assessments", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = ConflictsInput,
    responses((status = 201, body = ConflictsView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_conflicts_assessment(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ConflictsInput>,
) -> AppResult<(StatusCode, Json<ConflictsView>)> {
    let a = uc::record_conflicts(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Records a supplier's exclusion and debarment check.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/exclusion-checks", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = ExclusionInput,
    responses((status = 201, body = ExclusionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_exclusion_check(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ExclusionInput>,
) -> AppResult<(StatusCode, Json<ExclusionView>)> {
    let c = uc::record_exclusion(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// Records whether a supplier qualifies for a reserved procurement, on evidence.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/reservation-checks", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = ReservationInput,
    responses((status = 201, body = ReservationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_reservation_check(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReservationInput>,
) -> AppResult<(StatusCode, Json<ReservationView>)> {
    let c = uc::record_reservation(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// Records a challenge received now: the award is suspended until it is lifted.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/challenges", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = ChallengeInput,
    responses((status = 201, body = ChallengeView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn receive_challenge(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ChallengeInput>,
) -> AppResult<(StatusCode, Json<ChallengeView>)> {
    let c = uc::receive_challenge(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// Lifts a challenge's suspension, once.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/challenges/{cid}/lift", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id"),
        ("cid" = i64, Path, description = "The challenge's id")),
    request_body = ChallengeInput,
    responses((status = 200, body = ChallengeView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn lift_challenge(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((id, cid)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<ChallengeInput>,
) -> AppResult<Json<ChallengeView>> {
    let c = uc::lift_challenge(&app.store, &user.caller(), id, cid, input).await?;
    Ok(Json(c.into()))
}
