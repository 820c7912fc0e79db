//! A shared-service partnership's records: each partner's recharge statement for a year, the
//! savings over the years, and exits.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ngc_app::shared_services::{self as uc, ExitInput, Savings, YearInput};
use ngc_domain::finance::FinancialYear;
use ngc_domain::money::Money;
use ngc_domain::shared_services::Statement;
use ngc_store::shared_services::{ImportSummary, YearVersion};
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

/// What an entry or a restore stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stored {
    /// Service years stored.
    pub years: usize,
    /// Earlier versions it replaced, kept as superseded.
    pub superseded: usize,
}

impl From<ImportSummary> for Stored {
    fn from(s: ImportSummary) -> Self {
        Stored {
            years: s.years,
            superseded: s.superseded,
        }
    }
}

/// One version of a service's figures for a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    pub id: i64,
    /// The service's code.
    pub service: String,
    /// The cost of the service before income, as a decimal string.
    #[schema(value_type = String, example = "6100000.00")]
    pub pool: Money,
    pub basis: String,
    pub source: String,
    pub confirmed: bool,
    pub entered_at: chrono::DateTime<chrono::Utc>,
    /// When it was replaced; none for the current version.
    pub superseded_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<YearVersion> for Version {
    fn from(v: YearVersion) -> Self {
        Version {
            id: v.id,
            service: v.service,
            pool: Money::pence(v.pool),
            basis: v.basis,
            source: v.source,
            confirmed: v.confirmed,
            entered_at: v.entered_at,
            superseded_at: v.superseded_at,
        }
    }
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
    let s = uc::statement_or_latest(&app.store, &user.caller(), &slug, q.year).await?;
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

/// Enters a service's figures for one year (pool, basis, each partner's share or driver value,
/// external fees, source), checked as an import is: every year's statement must still compute.
/// A year given again replaces the current figures, which are kept as a version. The lead
/// council's finance officers only.
#[utoipa::path(post, path = "/api/v1/partnerships/{slug}/shared-services/years", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug")),
    request_body = YearInput,
    responses((status = 200, body = Stored), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enter_year(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<YearInput>,
) -> AppResult<Json<Stored>> {
    let stored = uc::enter_year(&app.store, &user.caller(), &slug, &input).await?;
    Ok(Json(stored.into()))
}

/// Every version of each service's figures for a year, current and replaced, by service and
/// oldest first.
#[utoipa::path(get, path = "/api/v1/partnerships/{slug}/shared-services/versions", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug"), YearQuery),
    responses((status = 200, body = Vec<Version>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn versions(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<Vec<Version>>> {
    let versions = uc::versions(&app.store, &user.caller(), &slug, q.year).await?;
    Ok(Json(versions.into_iter().map(Version::from).collect()))
}

/// Makes an earlier version of a service's year current again, checked as an import is; the
/// version it replaces is kept. The lead council's finance officers only.
#[utoipa::path(post, path = "/api/v1/partnerships/{slug}/shared-services/versions/{id}/restore", tag = "partnerships",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The partnership's slug"),
        ("id" = i64, Path, description = "The version's id")),
    responses((status = 200, body = Stored), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn restore_version(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Stored>> {
    let stored = uc::restore_version(&app.store, &user.caller(), &slug, id).await?;
    Ok(Json(stored.into()))
}
