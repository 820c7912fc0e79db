//! Organisations: the public directory, created by administrators, edited by their own staff.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_domain::access::Action;
use ngc_domain::organisation::{OrgId, OrganisationDraft};
use ngc_domain::slug::Slug;
use ngc_store::Actor;
use ngc_store::organisations::Organisation;
use serde::{Deserialize, Serialize};
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
        }
    }
}

/// The directory of organisations.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationList {
    pub organisations: Vec<OrganisationView>,
}

/// An organisation to create or the new state of one to update.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OrganisationInput {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub legal_form: String,
    #[serde(default)]
    pub sme: bool,
    #[serde(default)]
    pub vcse: bool,
    #[serde(default)]
    pub public_service_mutual: bool,
    #[serde(default)]
    pub identifiers: Vec<String>,
    #[serde(default)]
    pub owner: Option<String>,
}

impl OrganisationInput {
    /// Checks every field and names the first one that is wrong.
    pub fn into_draft(self) -> AppResult<OrganisationDraft> {
        let slug =
            Slug::parse(self.slug.trim()).map_err(|e| AppError::invalid("slug", e.to_string()))?;
        let kind = self
            .kind
            .parse()
            .map_err(|e: ngc_domain::text_enum::UnknownValue| {
                AppError::invalid("kind", e.to_string())
            })?;
        let legal_form =
            self.legal_form
                .parse()
                .map_err(|e: ngc_domain::text_enum::UnknownValue| {
                    AppError::invalid("legal_form", e.to_string())
                })?;
        let identifiers = self
            .identifiers
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<OrgId>()
                    .map_err(|e| AppError::invalid("identifiers", e.to_string()))
            })
            .collect::<AppResult<Vec<_>>>()?;
        let owner = match self.owner.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(o) => Some(Slug::parse(o).map_err(|e| AppError::invalid("owner", e.to_string()))?),
        };
        let draft = OrganisationDraft {
            slug,
            name: self.name,
            kind,
            legal_form,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
            identifiers,
            owner,
        };
        draft
            .validate()
            .map_err(|e| AppError::invalid(e.field(), e.to_string()))?;
        Ok(draft)
    }
}

pub(crate) fn actor(user: &CurrentUser) -> Actor {
    Actor::user(user.user.id, user.user.organisation_id)
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

/// Creates an organisation (administrators).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", security(("bearer" = [])),
    request_body = OrganisationInput,
    responses((status = 201, body = OrganisationView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_organisation(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> AppResult<(StatusCode, Json<OrganisationView>)> {
    user.require(Action::CreateOrganisation)?;
    let draft = input.into_draft()?;
    let org = app.store.create_organisation(&draft, &actor(&user)).await?;
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
    let org = app
        .store
        .organisation_by_slug(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation `{slug}`")))?;
    Ok(Json(org.into()))
}

/// Replaces an organisation's details (administrators, or its own staff).
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
    let org = app
        .store
        .organisation_by_slug(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation `{slug}`")))?;
    user.require(Action::UpdateOrganisation(org.id))?;
    let draft = input.into_draft()?;
    let org = app
        .store
        .update_organisation(&slug, &draft, &actor(&user))
        .await?;
    Ok(Json(org.into()))
}
