//! A tender's evaluation panel, for its buyers' staff: who is on it and where each member's
//! declaration stands; the lead council's commissioners add members here.

use super::when;
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::panel::{self as uc, PanelInput};
use ngc_domain::access::{Action, Area};
use ngc_domain::procurement::PanelStanding;
use ngc_store::tenders::{PanelMember, Tender};

#[derive(Template)]
#[template(path = "procurement/panel.html")]
struct PanelPage {
    layout: Layout,
    tender: Tender,
    members: Vec<PanelMember>,
    may_assign: bool,
    error: Option<AppError>,
}

impl PanelPage {
    fn standing(&self, m: &PanelMember) -> String {
        let since = m
            .declared_at
            .map_or(String::new(), |d| format!(" on {}", when(d)));
        match m.standing() {
            PanelStanding::Undeclared => "No declaration yet: may see no bid".into(),
            PanelStanding::Cleared => format!("Declared no conflict{since}"),
            PanelStanding::Conflicted => format!("Declared a conflict{since}: removed"),
        }
    }

    fn assigned(&self, m: &PanelMember) -> String {
        when(m.assigned_at)
    }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let uc::Panel { tender, members } = uc::members(&app.store, &user.caller(), id).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(
        user,
        &format!("Panel: {}", tender.title),
        Some(Area::Procurement),
    );
    let page = PanelPage {
        layout,
        may_assign: user.can(Action::ManageTenders(tender.lead_organisation_id)),
        tender,
        members,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /procurement/tenders/{id}/panel`.
pub async fn panel(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// `POST /procurement/tenders/{id}/panel`.
pub async fn assign(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<PanelInput>,
) -> AppResult<Response> {
    let result = uc::assign(&app.store, &user.caller(), id, input).await;
    after_form(
        result.map_err(AppError::from),
        |_| format!("/procurement/tenders/{id}/panel"),
        |e| page(&app, &user, id, Some(e)),
    )
    .await
}
