//! A tender's notices in OCDS form, and the record of their publication on the Central Digital
//! Platform (for the buyers' staff; the published ones are public under `/ocds`).

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_app::ocds::{self as uc, PrepareInput, PublicationInput};
use ngc_store::releases::Release;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A notice: the OCDS release a step of the procurement made, and its publication.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    /// The notice's id in ngc.
    pub id: i64,
    pub tender_id: i64,
    pub ocid: String,
    /// The OCDS release id.
    pub release_id: String,
    /// planning, tender, award, contract or termination.
    pub step: String,
    /// The release tag (`tender`, `tenderUpdate`, …).
    pub tag: String,
    /// The notice type: `UK1`…`UK17` under the Procurement Act 2023, a PCR 2015 notice
    /// (`contract_notice`, …) otherwise; none for a step without a notice.
    pub notice_type: Option<String>,
    /// When the release was made (RFC 3339).
    pub released_at: DateTime<Utc>,
    /// Whether the notice's publication on the platform is recorded.
    pub published: bool,
    /// The platform's id of the published notice.
    pub platform_notice_id: Option<String>,
    /// The day the platform published it.
    pub published_on: Option<NaiveDate>,
    /// The OCDS 1.1 release, as the public sees it once published.
    #[schema(value_type = Object)]
    pub release: Value,
}

impl From<Release> for NoticeView {
    fn from(r: Release) -> Self {
        let release = uc::as_published(&r);
        Self {
            id: r.id,
            tender_id: r.tender_id,
            ocid: r.ocid,
            release_id: r.release_id,
            step: r.step,
            tag: r.tag,
            notice_type: r.notice_type.map(|n| n.as_str().to_owned()),
            released_at: r.released_at,
            published: r.publication.is_some(),
            platform_notice_id: r.publication.as_ref().map(|p| p.platform_notice_id.clone()),
            published_on: r.publication.as_ref().map(|p| p.published_on),
            release,
        }
    }
}

/// A tender's notices, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeList {
    pub notices: Vec<NoticeView>,
}

/// The tender's notices, published or not (its buyers' staff).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/notices", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    responses((status = 200, body = NoticeList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_notices(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<NoticeList>> {
    let notices = uc::list_notices(&app.store, &user.caller(), id).await?;
    Ok(Json(NoticeList {
        notices: notices.into_iter().map(Into::into).collect(),
    }))
}

/// Makes the notice of a step the tender alone decides (planning, tender, termination) from
/// its current state, ready to send to the platform; if nothing changed since that step's last
/// notice, that notice is returned and nothing is written (the lead buyer's commissioners).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/notices", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = PrepareInput,
    responses((status = 200, body = NoticeView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn prepare_notice(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PrepareInput>,
) -> AppResult<Json<NoticeView>> {
    let notice = uc::prepare_notice(&app.store, &user.caller(), id, &input).await?;
    Ok(Json(notice.into()))
}

/// Records that the platform published the notice: its notice id and the day (once; the
/// lead buyer's commissioners). The notice then appears in the public OCDS feed.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/notices/{notice}/publication", tag = "notices",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id"),
        ("notice" = i64, Path, description = "The notice's id in ngc")),
    request_body = PublicationInput,
    responses((status = 200, body = NoticeView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_publication(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((id, notice)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<PublicationInput>,
) -> AppResult<Json<NoticeView>> {
    let notice = uc::record_publication(&app.store, &user.caller(), id, notice, &input).await?;
    Ok(Json(notice.into()))
}
