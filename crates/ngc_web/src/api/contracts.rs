//! The contract register (through [`ngc_app::contracts`]): the contracts a user may read,
//! one contract, entering one, its documents, and a council's expiry pipeline.

pub mod kpis;
pub mod payments;
pub mod variations;
pub mod views;

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ngc_app::contracts::{self as uc, ContractInput, DocumentInput, ListQuery};
use serde::Deserialize;
use utoipa::IntoParams;
use views::{ContractDetailView, ContractListView, ContractView, DocumentView, PipelineView};

/// The contracts the caller may read, soonest ending first, a page at a time: a council's
/// staff see the contracts their council buys and those of its partnerships; a provider's
/// staff see the contracts it supplies, across every council.
#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts", security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, body = ContractListView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_contracts(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<ContractListView>> {
    let today = app.store.today();
    let page = uc::list(&app.store, &user.caller(), &query).await?;
    Ok(Json(ContractListView::new(
        page,
        query.page.unwrap_or(1),
        today,
    )))
}

/// One contract the caller may read, with its documents (and, for those who manage it, the
/// versions that changes replaced). Any other contract is 404.
#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 200, body = ContractDetailView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_contract(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ContractDetailView>> {
    let detail = uc::get(&app.store, &user.caller(), id).await?;
    Ok(Json(detail.into()))
}

/// Enters an existing contract into the council's register (its commissioners and
/// administrator). The buyers' shares must sum to 100%; the value is split between them to
/// the penny.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/contracts", tag = "contracts",
    security(("bearer" = [])), request_body = ContractInput,
    params(("slug" = String, Path, description = "The council's slug")),
    responses((status = 201, body = ContractView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_contract(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ContractInput>,
) -> AppResult<(StatusCode, Json<ContractView>)> {
    let contract = uc::enter(&app.store, &user.caller(), &slug, &input).await?;
    let today = app.store.today();
    Ok((
        StatusCode::CREATED,
        Json(ContractView::new(contract, today)),
    ))
}

/// Adds a document to a contract: a link or a text (the holding council's commissioners).
#[utoipa::path(post, path = "/api/v1/contracts/{id}/documents", tag = "contracts",
    security(("bearer" = [])), request_body = DocumentInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = [DocumentView]), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_contract_document(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DocumentInput>,
) -> AppResult<(StatusCode, Json<Vec<DocumentView>>)> {
    let caller = user.caller();
    uc::add_document(&app.store, &caller, id, &input).await?;
    let detail = uc::get(&app.store, &caller, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail.documents.into_iter().map(Into::into).collect()),
    ))
}

/// How far the pipeline looks.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PipelineQuery {
    /// Months ahead (1 to 120; 18 when not given).
    pub months: Option<u32>,
}

/// The council's contracts ending within the months ahead (18 by default), soonest first,
/// each with the day re-commissioning must start (its own staff).
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/contracts/expiring", tag = "contracts",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The council's slug"), PipelineQuery),
    responses((status = 200, body = PipelineView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_expiring_contracts(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<PipelineQuery>,
) -> AppResult<Json<PipelineView>> {
    let p = uc::expiring(&app.store, &user.caller(), &slug, q.months.unwrap_or(18)).await?;
    Ok(Json(p.into()))
}
