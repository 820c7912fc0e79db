//! The savings evidence chain of a plan: each saving with its links and its planned,
//! evidenced and delivered figures, and linking a saving to the record that delivers it.

use super::caller;
use crate::AppState;
use crate::api::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::plans::evidence::{LinkInput, LinkView, SavingView};

/// The plan's savings, each with its `links` (`{kind, id, title}` and the link's own figures)
/// and its `planned`, `evidenced` and `delivered` amounts: per year under `years`, and as
/// totals at the top level. Delivered is the evidenced figure where evidence covers the year,
/// otherwise the latest delivery update. Money is a decimal string in pounds.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans/{name}/savings", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name")),
    responses((status = 200, body = Vec<SavingView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_savings(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
) -> AppResult<Json<Vec<SavingView>>> {
    let chain = ngc_app::plans::chain(&app.store, &caller(&user), &slug, &name).await?;
    Ok(Json(ngc_app::plans::savings_view(&chain)))
}

/// Links a saving to a record of the council's (a planned procurement, tender, contract,
/// budget line or partnership), audited. A record that supports several savings needs a split
/// amount on each link, and the splits never add up to more than the evidence (422 naming
/// `amount`, nothing written).
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/plans/{name}/savings/{reference}/links", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name"),
        ("reference" = String, Path, description = "The saving's reference")),
    request_body = LinkInput,
    responses((status = 201, description = "The link as made", body = LinkView),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn link_saving(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name, reference)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<LinkInput>,
) -> AppResult<(StatusCode, Json<LinkView>)> {
    let made =
        ngc_app::plans::link_saving(&app.store, &caller(&user), &slug, &name, &reference, &body)
            .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Removes a link from a saving. The link is kept, stamped as removed, and audited.
#[utoipa::path(delete, path = "/api/v1/organisations/{slug}/plans/{name}/savings/{reference}/links/{link_id}", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name"),
        ("reference" = String, Path, description = "The saving's reference"), ("link_id" = i64, Path, description = "The link's id")),
    responses((status = 204, description = "Removed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlink_saving(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name, reference, link_id)): Path<(String, String, String, i64)>,
) -> AppResult<StatusCode> {
    ngc_app::plans::unlink_saving(
        &app.store,
        &caller(&user),
        &slug,
        &name,
        &reference,
        link_id,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
