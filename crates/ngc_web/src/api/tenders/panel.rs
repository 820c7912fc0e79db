//! A tender's evaluation panel: read by its buyers' staff, joined by the lead council's
//! choice.

use super::views::time;
use crate::AppState;
use crate::api::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::panel::{self as uc, PanelInput};
use ngc_domain::procurement::PanelStanding;
use ngc_store::tenders::PanelMember;
use serde::Serialize;
use utoipa::ToSchema;

/// A member of the panel and where their declaration of interest stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct PanelMemberView {
    pub user_id: i64,
    pub email: String,
    pub assigned_at: String,
    /// `undeclared` (may see no bid), `cleared` (declared no conflict) or `conflicted`
    /// (declared a conflict: removed from the tender).
    pub standing: String,
    pub declared_at: Option<String>,
    pub declaration: String,
    pub removed_at: Option<String>,
}

impl From<PanelMember> for PanelMemberView {
    fn from(m: PanelMember) -> Self {
        let standing = match m.standing() {
            PanelStanding::Undeclared => "undeclared",
            PanelStanding::Cleared => "cleared",
            PanelStanding::Conflicted => "conflicted",
        };
        Self {
            user_id: m.user_id,
            email: m.email,
            assigned_at: time(m.assigned_at),
            standing: standing.into(),
            declared_at: m.declared_at.map(time),
            declaration: m.declaration,
            removed_at: m.removed_at.map(time),
        }
    }
}

/// A tender's evaluation panel.
#[derive(Debug, Serialize, ToSchema)]
pub struct PanelView {
    pub members: Vec<PanelMemberView>,
}

fn view(members: Vec<PanelMember>) -> PanelView {
    PanelView {
        members: members.into_iter().map(Into::into).collect(),
    }
}

/// The evaluation panel of a tender (its buyers' staff).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/panel", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    responses((status = 200, body = PanelView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_panel(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<PanelView>> {
    let panel = uc::members(&app.store, &user.caller(), id).await?;
    Ok(Json(view(panel.members)))
}

/// Puts an evaluator or commissioner of one of the buyers on the panel (the lead's
/// commissioners); returns the panel.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/panel", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = PanelInput,
    responses((status = 201, body = PanelView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn assign_panel_member(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PanelInput>,
) -> AppResult<(StatusCode, Json<PanelView>)> {
    let members = uc::assign(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(view(members))))
}
