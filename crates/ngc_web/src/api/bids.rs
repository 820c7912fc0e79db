//! Sealed bids: submit, replace and withdraw before the deadline (providers), list, and
//! read after it (the panel and the procurement lead). Every read attempt is audited.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use ngc_app::bids::{self as uc, BidInput};
use ngc_store::bids::{Bid, OpenedBid};
use serde::Serialize;
use utoipa::ToSchema;

/// How the receipt's digest is computed.
pub const DIGEST_METHOD: &str = "SHA-256 of the bid in RFC 8785 canonical JSON";

/// The receipt of a submission or a replacement: check `content_sha256` against the
/// SHA-256 of the RFC 8785 canonical form of the body you sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct BidReceipt {
    pub bid_id: i64,
    pub tender_id: i64,
    /// The server's time of the submission (RFC 3339).
    pub server_time: DateTime<Utc>,
    /// SHA-256 (hex) of the bid in RFC 8785 canonical JSON.
    pub content_sha256: String,
    /// How `content_sha256` is computed.
    pub digest: &'static str,
    /// The bid this one replaced, if any.
    pub replaces_id: Option<i64>,
}

impl From<Bid> for BidReceipt {
    fn from(b: Bid) -> Self {
        Self {
            bid_id: b.id,
            tender_id: b.tender_id,
            server_time: b.submitted_at,
            content_sha256: b.content_sha256,
            digest: DIGEST_METHOD,
            replaces_id: b.replaces_id,
        }
    }
}

/// A bid's metadata and receipt (never its content).
#[derive(Debug, Serialize, ToSchema)]
pub struct BidView {
    pub id: i64,
    pub tender_id: i64,
    pub tender_reference: String,
    /// The bidder's slug.
    pub organisation: String,
    pub organisation_name: String,
    /// active, replaced or withdrawn.
    pub status: String,
    /// The server's time of the submission.
    pub submitted_at: DateTime<Utc>,
    /// SHA-256 (hex) of the bid in RFC 8785 canonical JSON: the receipt.
    pub content_sha256: String,
    pub replaces_id: Option<i64>,
    pub replaced_by_id: Option<i64>,
    pub replaced_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl From<Bid> for BidView {
    fn from(b: Bid) -> Self {
        Self {
            id: b.id,
            tender_id: b.tender_id,
            tender_reference: b.tender_reference,
            organisation: b.organisation,
            organisation_name: b.organisation_name,
            status: b.status.to_string(),
            submitted_at: b.submitted_at,
            content_sha256: b.content_sha256,
            replaces_id: b.replaces_id,
            replaced_by_id: b.replaced_by_id,
            replaced_at: b.replaced_at,
            withdrawn_at: b.withdrawn_at,
        }
    }
}

/// The bids of a tender the caller may list.
#[derive(Debug, Serialize, ToSchema)]
pub struct BidList {
    pub bids: Vec<BidView>,
}

/// A bid opened after the deadline: its metadata and its content as submitted (on a
/// two-envelope tender, the panel sees each price as "sealed until the prices of the lot are
/// opened" until the lead opens them).
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedBidView {
    pub bid: BidView,
    #[schema(value_type = BidInput)]
    pub content: serde_json::Value,
}

impl From<OpenedBid> for OpenedBidView {
    fn from(o: OpenedBid) -> Self {
        Self {
            bid: o.bid.into(),
            content: o.content,
        }
    }
}

/// Submits the caller's organisation's bid (providers), before the deadline by the server
/// clock. A late bid is 409 stating the deadline; a reserved tender the bidder does not
/// qualify for is 422 naming the condition.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/bids", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = BidInput,
    responses((status = 201, body = BidReceipt), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_bid(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<BidInput>,
) -> AppResult<(StatusCode, Json<BidReceipt>)> {
    let bid = uc::submit(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(bid.into())))
}

/// The bids of a tender (metadata and receipts, never content): a provider sees its own
/// organisation's; the panel and the procurement lead see every bid once the deadline has
/// passed (before it: 403 stating the deadline).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bids", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    responses((status = 200, body = BidList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_bids(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<BidList>> {
    let bids = uc::list(&app.store, &user.caller(), id).await?;
    Ok(Json(BidList {
        bids: bids.into_iter().map(Into::into).collect(),
    }))
}

/// Reads a bid's content: only after the deadline, only by the tender's panel members who
/// declared no conflict and its procurement lead. Before the deadline: 403 stating it, to
/// everyone; another provider's bid: 404; a tampered ciphertext: 409 naming the bid. Every
/// attempt is audited.
#[utoipa::path(get, path = "/api/v1/bids/{id}", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The bid's id")),
    responses((status = 200, body = OpenedBidView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn find_bid(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<OpenedBidView>> {
    let opened = uc::read(&app.store, &user.caller(), id).await?;
    Ok(Json(opened.into()))
}

/// Replaces one of the caller's organisation's active bids before the deadline. The old
/// bid is kept (status `replaced`); the answer is the new bid's receipt, with its new id.
#[utoipa::path(put, path = "/api/v1/bids/{id}", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The bid's id")),
    request_body = BidInput,
    responses((status = 200, body = BidReceipt), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn replace_bid(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<BidInput>,
) -> AppResult<Json<BidReceipt>> {
    let bid = uc::replace(&app.store, &user.caller(), id, input).await?;
    Ok(Json(bid.into()))
}

/// Withdraws one of the caller's organisation's active bids before the deadline (it is
/// kept, status `withdrawn`).
#[utoipa::path(delete, path = "/api/v1/bids/{id}", tag = "procurement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The bid's id")),
    responses((status = 200, body = BidView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn withdraw_bid(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<BidView>> {
    let bid = uc::withdraw(&app.store, &user.caller(), id).await?;
    Ok(Json(bid.into()))
}
