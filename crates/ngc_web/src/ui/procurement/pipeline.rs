//! The pipeline page: the council's planned procurements going to tender in the next 18
//! months from the server's date, those a pipeline notice (UK1) would carry, and the form
//! to add one.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::pipeline::{self as uc, Pipeline, PipelineEntry, PlannedInput};
use ngc_domain::access::{Action, Area};
use ngc_domain::procurement::ContractType;
use ngc_domain::procurement::lifecycle::PlanLink;

#[derive(Template)]
#[template(path = "procurement/pipeline.html")]
struct PipelinePage {
    layout: Layout,
    pipeline: Pipeline,
    in_view: Vec<PipelineEntry>,
    on_notice: Vec<PipelineEntry>,
    later: usize,
    may_create: bool,
    contract_types: &'static [ContractType],
    links: &'static [PlanLink],
    error: Option<AppError>,
}

async fn page(app: &AppState, user: &CurrentUser, error: Option<AppError>) -> AppResult<Response> {
    let pipeline = uc::pipeline(&app.store, &user.caller()).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(user, "Pipeline", Some(Area::Procurement));
    let in_view: Vec<PipelineEntry> = pipeline.in_view().cloned().collect();
    let on_notice: Vec<PipelineEntry> = pipeline.on_notice().cloned().collect();
    let page = PipelinePage {
        layout,
        later: pipeline.entries.len() - in_view.len(),
        in_view,
        on_notice,
        pipeline,
        may_create: user.can(Action::ManageTenders(user.principal.organisation_id)),
        contract_types: ContractType::ALL,
        links: PlanLink::ALL,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /procurement/pipeline`.
pub async fn pipeline(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    page(&app, &user, None).await
}

/// `POST /procurement/pipeline`.
pub async fn create_planned(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<PlannedInput>,
) -> AppResult<Response> {
    let result = uc::create(&app.store, &user.caller(), input)
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |_| "/procurement/pipeline".to_owned(),
        |e| page(&app, &user, Some(e)),
    )
    .await
}
