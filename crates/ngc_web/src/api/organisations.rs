//! Organisations: the public directory, kept by instance administrators; contact details
//! edited by the organisation's own staff, who request changes to registration facts.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use ngc_app::organisations::{
    self as uc, DecisionInput, OrganisationInput, OrganisationPatch, RegistrationRequestInput,
};
use ngc_domain::access::Action;
use ngc_store::organisations::Organisation;
use ngc_store::registration::RegistrationRequest;
use serde::Serialize;
use utoipa::ToSchema;

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub slug: String,
    pub name: String,
    /// county, district, borough, unitary, combined_authority, shared_service, provider, other_public_body
    pub kind: String,
    /// local_authority, public_service_mutual, community_interest_company, company_limited_by_shares,
    /// company_limited_by_guarantee, charity, voluntary_organisation, nhs_body
    pub legal_form: String,
    pub sme: bool,
    pub vcse: bool,
    pub public_service_mutual: bool,
    /// Registration identifiers in org-id form, e.g. `GB-COH-01234567`.
    pub identifiers: Vec<String>,
    /// The owning organisation's slug, for council-owned companies.
    pub owner: Option<String>,
    pub description: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub website: String,
    pub address: String,
}

impl From<Organisation> for OrganisationView {
    fn from(o: Organisation) -> Self {
        Self {
            slug: o.slug,
            name: o.name,
            kind: o.kind.to_string(),
            legal_form: o.legal_form.to_string(),
            sme: o.sme,
            vcse: o.vcse,
            public_service_mutual: o.public_service_mutual,
            identifiers: o.identifiers,
            owner: o.owner,
            description: o.contact.description,
            contact_email: o.contact.email,
            contact_phone: o.contact.phone,
            website: o.contact.website,
            address: o.contact.address,
        }
    }
}

/// The directory of organisations.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationList {
    pub organisations: Vec<OrganisationView>,
}

/// A request to change registration facts, with its decision once made.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationRequestView {
    pub id: i64,
    pub organisation: String,
    /// The facts asked for (only those that change), by field name.
    #[schema(value_type = Object)]
    pub change: serde_json::Value,
    /// The same facts as they were when asked.
    #[schema(value_type = Object)]
    pub previous: serde_json::Value,
    pub evidence: String,
    /// pending, approved or refused
    pub status: String,
    pub requested_by: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
}

impl From<RegistrationRequest> for RegistrationRequestView {
    fn from(r: RegistrationRequest) -> Self {
        Self {
            id: r.id,
            organisation: r.organisation,
            change: serde_json::to_value(&r.change).unwrap_or_default(),
            previous: serde_json::to_value(&r.previous).unwrap_or_default(),
            evidence: r.evidence,
            status: r.status.to_string(),
            requested_by: r.requested_by,
            requested_at: r.requested_at,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
        }
    }
}

/// Every organisation on the instance.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", security(("bearer" = [])),
    responses((status = 200, body = OrganisationList), (status = 401, body = ErrorBody)))]
pub async fn list_organisations(
    State(app): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<OrganisationList>> {
    user.require(Action::ReadOrganisations)?;
    let organisations = app
        .store
        .list_organisations()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(OrganisationList { organisations }))
}

/// Creates an organisation (instance administrators).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", security(("bearer" = [])),
    request_body = OrganisationInput,
    responses((status = 201, body = OrganisationView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_organisation(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> AppResult<(StatusCode, Json<OrganisationView>)> {
    let org = uc::create(&app.store, &user.caller(), input).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}", tag = "organisations", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses((status = 200, body = OrganisationView), (status = 404, body = ErrorBody)))]
pub async fn find_organisation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<OrganisationView>> {
    user.require(Action::ReadOrganisations)?;
    Ok(Json(uc::find(&app.store, &slug).await?.into()))
}

/// Replaces an organisation's details. Its own staff may change only the contact details
/// and description: a changed registration fact (name, kind, legal form, owner,
/// identifiers, the SME, VCSE and public-service-mutual flags) is refused with 403 naming
/// the fact, and nothing changes — request it instead. Instance administrators change
/// anything.
#[utoipa::path(put, path = "/api/v1/organisations/{slug}", tag = "organisations", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = OrganisationInput,
    responses((status = 200, body = OrganisationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_organisation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> AppResult<Json<OrganisationView>> {
    Ok(Json(
        uc::replace(&app.store, &user.caller(), &slug, input)
            .await?
            .into(),
    ))
}

/// Changes the fields given and leaves the rest, under the same rules as `PUT`.
#[utoipa::path(patch, path = "/api/v1/organisations/{slug}", tag = "organisations", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = OrganisationPatch,
    responses((status = 200, body = OrganisationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_organisation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(patch): ApiJson<OrganisationPatch>,
) -> AppResult<Json<OrganisationView>> {
    Ok(Json(
        uc::update(&app.store, &user.caller(), &slug, patch)
            .await?
            .into(),
    ))
}

/// The organisation's registration change requests and decisions, newest first (its own
/// users and instance administrators).
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/registration-requests", tag = "organisations",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses((status = 200, body = Vec<RegistrationRequestView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_registration_requests(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<Vec<RegistrationRequestView>>> {
    let requests = uc::registration_requests(&app.store, &user.caller(), &slug).await?;
    Ok(Json(requests.into_iter().map(Into::into).collect()))
}

/// Asks an instance administrator to change registration facts, with evidence (the
/// organisation's own staff).
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/registration-requests", tag = "organisations",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = RegistrationRequestInput,
    responses((status = 201, body = RegistrationRequestView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_registration_request(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<RegistrationRequestInput>,
) -> AppResult<(StatusCode, Json<RegistrationRequestView>)> {
    let r = uc::request_registration_change(&app.store, &user.caller(), &slug, input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// Approves (applying the change) or refuses a request (instance administrators).
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/registration-requests/{id}/decision",
    tag = "organisations", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"),
        ("id" = i64, Path, description = "The request's id")),
    request_body = DecisionInput,
    responses((status = 200, body = RegistrationRequestView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_registration_request(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> AppResult<Json<RegistrationRequestView>> {
    let r = uc::decide_registration_change(&app.store, &user.caller(), &slug, id, input).await?;
    Ok(Json(r.into()))
}
