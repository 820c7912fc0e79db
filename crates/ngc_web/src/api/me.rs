//! `GET /api/v1/me`.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// One of instance_admin, org_admin, finance, commissioner, evaluator, provider, partner.
    pub role: String,
    /// The slug of the user's organisation.
    pub organisation: String,
    pub organisation_name: String,
    /// Ids of the partnerships the organisation is an active member of.
    pub partnership_ids: Vec<i64>,
}

/// Who the token or session belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = MeView), (status = 401, body = ErrorBody)))]
pub async fn find_me(State(app): State<AppState>, user: CurrentUser) -> AppResult<Json<MeView>> {
    let today = app.store.today();
    let partnership_ids = app
        .store
        .memberships_of(user.user.organisation_id)
        .await?
        .into_iter()
        .filter(|m| m.is_active_on(today))
        .map(|m| m.partnership_id)
        .collect();
    let u = user.user;
    Ok(Json(MeView {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role.to_string(),
        organisation: u.organisation,
        organisation_name: u.organisation_name,
        partnership_ids,
    }))
}
