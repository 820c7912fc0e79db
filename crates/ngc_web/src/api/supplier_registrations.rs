//! Supplier self-registration: public registration, limited per client address; the
//! instance administrator's list and decisions.

use super::ApiJson;
use crate::AppState;
use crate::auth::{ClientAddr, CurrentUser, count_registration};
use crate::error::{AppError, AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use ngc_app::supplier_registrations::{
    self as uc, SupplierDecisionInput, SupplierRegistrationInput,
};
use ngc_domain::access::Action;
use ngc_domain::organisation::VerificationStatus;
use ngc_store::supplier_registrations::SupplierRegistration;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A supplier's registration: the facts as claimed, its contacts, its first user (never the
/// password), and the decision once made.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierRegistrationView {
    pub id: i64,
    /// pending, verified or refused
    pub status: String,
    pub slug: String,
    pub name: String,
    pub legal_form: String,
    /// Claimed: a small or medium-sized enterprise.
    pub sme: bool,
    /// Claimed: a voluntary, community or social enterprise.
    pub vcse: bool,
    /// Claimed: a public service mutual.
    pub public_service_mutual: bool,
    /// Claimed registration identifiers in org-id form.
    pub identifiers: Vec<String>,
    pub description: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub website: String,
    pub address: String,
    pub user_email: String,
    pub user_name: String,
    pub submitted_at: DateTime<Utc>,
    /// The email of the instance administrator who decided.
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
    /// The organisation's slug once verified (the administrator may have corrected it).
    pub organisation: Option<String>,
}

impl From<SupplierRegistration> for SupplierRegistrationView {
    fn from(r: SupplierRegistration) -> Self {
        Self {
            id: r.id,
            status: r.status.to_string(),
            slug: r.facts.slug.to_string(),
            name: r.facts.name,
            legal_form: r.facts.legal_form.to_string(),
            sme: r.facts.sme,
            vcse: r.facts.vcse,
            public_service_mutual: r.facts.public_service_mutual,
            identifiers: r
                .facts
                .identifiers
                .iter()
                .map(ToString::to_string)
                .collect(),
            description: r.contact.description,
            contact_email: r.contact.email,
            contact_phone: r.contact.phone,
            website: r.contact.website,
            address: r.contact.address,
            user_email: r.user_email,
            user_name: r.user_name,
            submitted_at: r.submitted_at,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
            organisation: r.organisation,
        }
    }
}

/// Which registrations to list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RegistrationQuery {
    /// pending (the default), verified, refused, or all
    pub status: Option<String>,
}

/// Registers a supplier and its first user, without an account: the registration waits
/// until an instance administrator verifies it, and until then nobody can sign in with it.
/// Limited per client address (429); a taken slug, identifier or email is a 409 naming
/// the field, a bad field a 422 naming it; either way nothing is written.
#[utoipa::path(post, path = "/api/v1/supplier-registrations", tag = "suppliers",
    request_body = SupplierRegistrationInput,
    responses((status = 201, body = SupplierRegistrationView), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_supplier_registration(
    State(app): State<AppState>,
    client: ClientAddr,
    ApiJson(input): ApiJson<SupplierRegistrationInput>,
) -> AppResult<(StatusCode, Json<SupplierRegistrationView>)> {
    count_registration(&app, client).await?;
    let r = uc::register(&app.store, input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// Suppliers' registrations (instance administrators): those waiting for verification,
/// oldest first, unless another status is asked for.
#[utoipa::path(get, path = "/api/v1/supplier-registrations", tag = "suppliers",
    security(("bearer" = [])), params(RegistrationQuery),
    responses((status = 200, body = Vec<SupplierRegistrationView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_supplier_registrations(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(q): Query<RegistrationQuery>,
) -> AppResult<Json<Vec<SupplierRegistrationView>>> {
    // Authorise before saying anything about the query.
    user.require(Action::VerifySupplierRegistrations)?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") | Some("pending") => Some(VerificationStatus::Pending),
        Some("all") => None,
        Some(other) => Some(
            other
                .parse::<VerificationStatus>()
                .map_err(|e| AppError::invalid("status", format!("{e}, or all")))?,
        ),
    };
    let list = uc::list(&app.store, &user.caller(), status).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Verifies a pending registration, with corrections to the claimed facts (its
/// organisation and first user, a provider, are created), or refuses it with a note
/// (instance administrators). A registration already decided, or a slug, identifier or
/// email taken meanwhile, is a 409 and nothing is written.
#[utoipa::path(post, path = "/api/v1/supplier-registrations/{id}/decision", tag = "suppliers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The registration's id")),
    request_body = SupplierDecisionInput,
    responses((status = 200, body = SupplierRegistrationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_supplier_registration(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SupplierDecisionInput>,
) -> AppResult<Json<SupplierRegistrationView>> {
    let r = uc::decide(&app.store, &user.caller(), id, input).await?;
    Ok(Json(r.into()))
}
