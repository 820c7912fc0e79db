//! The public OCDS endpoints: no sign-in, read-only, published notices only (never a draft
//! tender's, never bid content). `GET /ocds/releases` is a release package of the feed (by
//! buyer and publication day, paginated with `links.next`); `GET /ocds/records/{ocid}` is a
//! contracting process's record package, compiled with the `ocds` crate. Both answer JSON
//! (`application/json`), errors included.

use crate::AppState;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Path, Query, State};
use ngc_app::ocds::{self as uc, FeedQuery};
use serde_json::Value;

/// `GET /ocds/releases`.
pub async fn releases(
    State(app): State<AppState>,
    Query(query): Query<FeedQuery>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        uc::release_package(&app.store, &app.config.ocds_publisher, &query).await?,
    ))
}

/// `GET /ocds/records/{ocid}`.
pub async fn record(
    State(app): State<AppState>,
    Path(ocid): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        uc::record_package(&app.store, &app.config.ocds_publisher, &ocid).await?,
    ))
}
