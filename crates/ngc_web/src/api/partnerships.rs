//! Partnerships and their membership over time.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use ngc_app::partnerships::{self as uc, LeaveInput, MemberInput, PartnershipInput};
use ngc_domain::access::Action;
use ngc_store::partnerships::{Member, Partnership};
use serde::Serialize;
use utoipa::ToSchema;

/// A partnership with its members, past and present.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnershipView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// combined_authority, shared_service or alliance
    pub kind: String,
    /// The lead (accountable) organisation's slug.
    pub lead: Option<String>,
    pub description: String,
    pub members: Vec<MemberView>,
}

/// One membership.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub organisation: String,
    pub organisation_name: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        Self {
            organisation: m.organisation,
            organisation_name: m.organisation_name,
            joined_on: m.joined_on,
            left_on: m.left_on,
        }
    }
}

impl From<Partnership> for PartnershipView {
    fn from(p: Partnership) -> Self {
        Self {
            id: p.id,
            slug: p.slug,
            name: p.name,
            kind: p.kind.to_string(),
            lead: p.lead,
            description: p.description,
            members: p.members.into_iter().map(Into::into).collect(),
        }
    }
}

/// Every partnership.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnershipList {
    pub partnerships: Vec<PartnershipView>,
}

/// Every partnership with its members.
#[utoipa::path(get, path = "/api/v1/partnerships", tag = "partnerships", security(("bearer" = [])),
    responses((status = 200, body = PartnershipList), (status = 401, body = ErrorBody)))]
pub async fn list_partnerships(
    State(app): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<PartnershipList>> {
    user.require(Action::ReadPartnerships)?;
    let partnerships = app
        .store
        .list_partnerships()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(PartnershipList { partnerships }))
}

/// Creates a partnership (instance administrators).
#[utoipa::path(post, path = "/api/v1/partnerships", tag = "partnerships", security(("bearer" = [])),
    request_body = PartnershipInput,
    responses((status = 201, body = PartnershipView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_partnership(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<PartnershipInput>,
) -> AppResult<(StatusCode, Json<PartnershipView>)> {
    let p = uc::create(&app.store, &user.caller(), input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// One partnership.
#[utoipa::path(get, path = "/api/v1/partnerships/{slug}", tag = "partnerships", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    responses((status = 200, body = PartnershipView), (status = 404, body = ErrorBody)))]
pub async fn find_partnership(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<PartnershipView>> {
    user.require(Action::ReadPartnerships)?;
    let p = uc::find(&app.store, &slug).await?;
    Ok(Json(p.into()))
}

/// Replaces a partnership's details (instance administrators).
#[utoipa::path(put, path = "/api/v1/partnerships/{slug}", tag = "partnerships", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    request_body = PartnershipInput,
    responses((status = 200, body = PartnershipView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_partnership(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<PartnershipInput>,
) -> AppResult<Json<PartnershipView>> {
    let p = uc::update(&app.store, &user.caller(), &slug, input).await?;
    Ok(Json(p.into()))
}

/// Adds an organisation to a partnership (instance administrators).
#[utoipa::path(post, path = "/api/v1/partnerships/{slug}/members", tag = "partnerships", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    request_body = MemberInput,
    responses((status = 201, body = PartnershipView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_member(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<MemberInput>,
) -> AppResult<(StatusCode, Json<PartnershipView>)> {
    let p = uc::add_member(&app.store, &user.caller(), &slug, input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// Records that an organisation left a partnership (instance administrators).
#[utoipa::path(post, path = "/api/v1/partnerships/{slug}/members/{organisation}/leave", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug"),
        ("organisation" = String, Path, description = "The member organisation's slug")),
    request_body = LeaveInput,
    responses((status = 200, body = PartnershipView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end_membership(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, organisation)): Path<(String, String)>,
    ApiJson(input): ApiJson<LeaveInput>,
) -> AppResult<Json<PartnershipView>> {
    let p = uc::end_membership(&app.store, &user.caller(), &slug, &organisation, input).await?;
    Ok(Json(p.into()))
}
