//! A shared-service partnership's records: each partner's recharge statement for a year, the
//! savings over the years, and exits.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ngc_app::shared_services::{self as uc, ExitInput, Savings};
use ngc_domain::finance::FinancialYear;
use ngc_domain::shared_services::Statement;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The financial year (`2015-16`); by default the latest with figures, else this year.
    #[param(value_type = Option<String>, example = "2015-16")]
    #[serde(default)]
    pub year: Option<FinancialYear>,
}

/// The exit recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExitRecorded {
    pub id: i64,
}

/// Each partner's recharge statement for a year: its share of each service (basis, driver
/// value, days, share, charge, income credited), exit costs, net charge, the saving against
/// its baseline and back office as a share of its net budget; and the totals, where
/// `allocated` is always `pool − income`. Open to the current partners' finance and partner
/// staff only.
#[utoipa::path(get, path = "/api/v1/partnerships/{slug}/shared-services/statement", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug"), YearQuery),
    responses((status = 200, body = Statement), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn statement(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<Statement>> {
    let caller = user.caller();
    let year = match q.year {
        Some(y) => y,
        None => uc::default_year(&app.store, &caller, &slug).await?,
    };
    let s = uc::statement(&app.store, &caller, &slug, year).await?;
    Ok(Json((*s).clone()))
}

/// The partnership's savings by year against the partners' baselines, cumulative, with the
/// published projections and reported outturns beside them.
#[utoipa::path(get, path = "/api/v1/partnerships/{slug}/shared-services/savings", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    responses((status = 200, body = Savings), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn savings(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<Savings>> {
    let s = uc::savings(&app.store, &user.caller(), &slug).await?;
    Ok(Json((*s).clone()))
}

/// Records a partner leaving the partnership (no earlier than the agreement's notice allows;
/// its membership ends) or repatriating one service; exit costs are charged to it in the year
/// it leaves. The lead council's finance officers only.
#[utoipa::path(post, path = "/api/v1/partnerships/{slug}/shared-services/exits", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    request_body = ExitInput,
    responses((status = 201, body = ExitRecorded), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_exit(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ExitInput>,
) -> AppResult<(StatusCode, Json<ExitRecorded>)> {
    let id = uc::record_exit(&app.store, &user.caller(), &slug, input).await?;
    Ok((StatusCode::CREATED, Json(ExitRecorded { id })))
}
