//! Sealed bids (migration 0012): stored encrypted, listed by their metadata, opened only
//! after the deadline.
//!
//! - Storing, replacing and withdrawing check the tender's status and deadline **inside the
//!   write transaction**, against its time ([`WriteTx::now`]): a late bid is a conflict
//!   naming the deadline. The content is sealed ([`crate::sealing`]) with the tender id and
//!   the bid id as associated data, so the row is inserted first and sealed in the same
//!   transaction; its receipt is the SHA-256 of the content's RFC 8785 canonical form.
//! - Nothing here returns content before the deadline: [`Store::open_bid_content`] and
//!   [`Store::sealed_bid`] take "now" from the store's clock and refuse before it (whoever
//!   asks), and every attempt to open a bid, allowed or refused, leaves an audit record
//!   (`bid.read` / `bid.read_refused`). Who may read is the use case's rule
//!   (`ngc_domain::procurement::bid::may_read`); refusals it decides are recorded with
//!   [`Store::refuse_bid_read`].

use crate::sealing::{Sealed, content_digest};
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::procurement::TenderStatus;
use ngc_domain::procurement::bid::{BidStatus, closed_reason, sealed_until};
use ngc_domain::procurement::tender::bids_may_be_opened;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::FromRow;

/// A bid's metadata: everything but its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bid {
    pub id: i64,
    pub tender_id: i64,
    pub tender_reference: String,
    pub tender_title: String,
    pub submission_deadline: DateTime<Utc>,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_name: String,
    /// The user who submitted it (`None`: the system).
    pub submitted_by: Option<i64>,
    pub status: BidStatus,
    /// The id of the key that sealed it.
    pub key_id: String,
    /// The receipt: SHA-256 (hex) of the content in RFC 8785 canonical JSON.
    pub content_sha256: String,
    /// The server's time when it was stored.
    pub submitted_at: DateTime<Utc>,
    pub replaces_id: Option<i64>,
    pub replaced_by_id: Option<i64>,
    pub replaced_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A bid to store: the bidder and its content (JSON, checked by the use case).
#[derive(Debug, Clone, Copy)]
pub struct NewBid<'a> {
    pub tender_id: i64,
    pub organisation_id: i64,
    pub content: &'a Value,
}

/// A bid opened after the deadline: its metadata and its content.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedBid {
    pub bid: Bid,
    /// The content as it was sealed (its RFC 8785 canonical form, read back).
    pub content: Value,
}

#[derive(Debug, FromRow)]
struct BidRow {
    id: i64,
    tender_id: i64,
    tender_reference: String,
    tender_title: String,
    submission_deadline: DateTime<Utc>,
    organisation_id: i64,
    organisation: String,
    organisation_name: String,
    submitted_by: Option<i64>,
    status: String,
    key_id: String,
    content_sha256: String,
    submitted_at: DateTime<Utc>,
    replaces_id: Option<i64>,
    replaced_by_id: Option<i64>,
    replaced_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
}

impl BidRow {
    fn into_bid(self) -> Result<Bid, StoreError> {
        Ok(Bid {
            status: crate::organisations::decode(&self.status, "bids.status")?,
            id: self.id,
            tender_id: self.tender_id,
            tender_reference: self.tender_reference,
            tender_title: self.tender_title,
            submission_deadline: self.submission_deadline,
            organisation_id: self.organisation_id,
            organisation: self.organisation,
            organisation_name: self.organisation_name,
            submitted_by: self.submitted_by,
            key_id: self.key_id,
            content_sha256: self.content_sha256,
            submitted_at: self.submitted_at,
            replaces_id: self.replaces_id,
            replaced_by_id: self.replaced_by_id,
            replaced_at: self.replaced_at,
            withdrawn_at: self.withdrawn_at,
        })
    }
}

/// What a write needs to know of a bid and its tender, read inside the transaction.
#[derive(Debug, FromRow)]
struct BidState {
    tender_id: i64,
    organisation_id: i64,
    status: String,
    replaced_by_id: Option<i64>,
    tender_status: String,
    submission_deadline: DateTime<Utc>,
}

#[derive(Debug, FromRow)]
struct SealedRow {
    tender_id: i64,
    key_id: String,
    nonce: Vec<u8>,
    ciphertext: Vec<u8>,
    content_sha256: String,
    submission_deadline: DateTime<Utc>,
}

macro_rules! select_bid {
    ($tail:literal) => {
        concat!(
            "SELECT b.id, b.tender_id, t.reference AS tender_reference, t.title AS tender_title, \
             t.submission_deadline, b.organisation_id, o.slug AS organisation, \
             o.name AS organisation_name, b.submitted_by, b.status, b.key_id, b.content_sha256, \
             b.submitted_at, b.replaces_id, b.replaced_by_id, b.replaced_at, b.withdrawn_at \
             FROM bids b JOIN tenders t ON t.id = b.tender_id \
             JOIN organisations o ON o.id = b.organisation_id ",
            $tail
        )
    };
}

const BY_ID: &str = select_bid!("WHERE b.id = $1");
const OF_TENDER: &str = select_bid!("WHERE b.tender_id = $1 ORDER BY b.id");
const OF_ORGANISATION: &str = select_bid!("WHERE b.organisation_id = $1 ORDER BY b.id DESC");
const TENDER_STATE: &str = "SELECT status, submission_deadline FROM tenders WHERE id = $1";
const ACTIVE_OF: &str =
    "SELECT id FROM bids WHERE tender_id = $1 AND organisation_id = $2 AND status = 'active'";
const BID_STATE: &str = "SELECT b.tender_id, b.organisation_id, b.status, b.replaced_by_id, \
    t.status AS tender_status, t.submission_deadline \
    FROM bids b JOIN tenders t ON t.id = b.tender_id WHERE b.id = $1";
const INSERT: &str = "INSERT INTO bids (tender_id, organisation_id, submitted_by, status, key_id, \
    nonce, ciphertext, content_sha256, submitted_at, replaces_id) \
    VALUES ($1, $2, $3, 'active', '', $4, $4, $5, $6, $7) RETURNING id";
const SEAL: &str = "UPDATE bids SET key_id = $2, nonce = $3, ciphertext = $4 WHERE id = $1";
const MARK_REPLACED: &str = "UPDATE bids SET status = 'replaced', replaced_at = $2 WHERE id = $1";
const LINK_SUCCESSOR: &str = "UPDATE bids SET replaced_by_id = $2 WHERE id = $1";
const WITHDRAW: &str =
    "UPDATE bids SET status = 'withdrawn', withdrawn_at = $2, withdrawn_by = $3 WHERE id = $1";
const SEALED: &str = "SELECT b.tender_id, b.key_id, b.nonce, b.ciphertext, b.content_sha256, \
    t.submission_deadline FROM bids b JOIN tenders t ON t.id = b.tender_id WHERE b.id = $1";

impl Store {
    /// The bid with this id (metadata only).
    pub async fn bid(&self, id: i64) -> Result<Option<Bid>, StoreError> {
        let row: Option<BidRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await)?;
        row.map(BidRow::into_bid).transpose()
    }

    /// The bid with this id, or `NotFound`.
    pub async fn must_find_bid(&self, id: i64) -> Result<Bid, StoreError> {
        self.bid(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("bid {id}")))
    }

    /// Every bid of a tender, every status, oldest first (metadata only). Callers decide
    /// who may see them.
    pub async fn bids_of_tender(&self, tender_id: i64) -> Result<Vec<Bid>, StoreError> {
        let rows: Vec<BidRow> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_TENDER).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter().map(BidRow::into_bid).collect()
    }

    /// Every bid of an organisation, every status and tender, newest first (metadata only).
    pub async fn bids_of_organisation(&self, organisation_id: i64) -> Result<Vec<Bid>, StoreError> {
        let rows: Vec<BidRow> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_ORGANISATION).bind(organisation_id).fetch_all(pool).await)?;
        rows.into_iter().map(BidRow::into_bid).collect()
    }

    /// Stores a new bid, sealed, if the tender is open at the transaction's time and the
    /// bidder has no active bid in it; audits `bid.submit` with the receipt (never the
    /// content). A late bid is a conflict naming the deadline and the server time.
    pub async fn submit_bid(&self, new: &NewBid<'_>, actor: &Actor) -> Result<Bid, StoreError> {
        let digest = content_digest(new.content)
            .map_err(|e| StoreError::invalid("content", e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let state: Option<(String, DateTime<Utc>)> = on_tx!(tx, c =>
            sqlx::query_as(TENDER_STATE).bind(new.tender_id).fetch_optional(c).await)?;
        let (status, deadline) =
            state.ok_or_else(|| StoreError::NotFound(format!("tender {}", new.tender_id)))?;
        let status: TenderStatus = crate::organisations::decode(&status, "tenders.status")?;
        if let Some(why) = closed_reason(status, deadline, now) {
            return Err(StoreError::Conflict(why));
        }
        let active: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(ACTIVE_OF)
            .bind(new.tender_id).bind(new.organisation_id).fetch_optional(c).await)?;
        if let Some(id) = active {
            return Err(StoreError::Conflict(format!(
                "your organisation already has bid {id} in tender {}: replace or withdraw \
                 that bid instead",
                new.tender_id
            )));
        }
        let id = tx
            .insert_sealed(
                self,
                new.tender_id,
                new.organisation_id,
                actor,
                &digest.canonical,
                &digest.sha256_hex,
                None,
            )
            .await?;
        tx.audit(
            actor,
            "bid.submit",
            "bid",
            &id.to_string(),
            json!({
                "tender_id": new.tender_id,
                "organisation_id": new.organisation_id,
                "content_sha256": digest.sha256_hex,
            }),
        )
        .await?;
        tx.commit().await?;
        self.must_find_bid(id).await
    }

    /// Replaces an active bid with new content while the tender is open: the old bid is
    /// kept (status `replaced`, linked to its successor), the new one has a new id and
    /// receipt. Audits `bid.replace`.
    pub async fn replace_bid(
        &self,
        bid_id: i64,
        content: &Value,
        actor: &Actor,
    ) -> Result<Bid, StoreError> {
        let digest =
            content_digest(content).map_err(|e| StoreError::invalid("content", e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let state = tx.open_bid_state(bid_id).await?;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(MARK_REPLACED).bind(bid_id).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        let id = tx
            .insert_sealed(
                self,
                state.tender_id,
                state.organisation_id,
                actor,
                &digest.canonical,
                &digest.sha256_hex,
                Some(bid_id),
            )
            .await?;
        on_tx!(tx, c => sqlx::query(LINK_SUCCESSOR).bind(bid_id).bind(id)
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "bid.replace",
            "bid",
            &id.to_string(),
            json!({
                "tender_id": state.tender_id,
                "organisation_id": state.organisation_id,
                "replaces": bid_id,
                "content_sha256": digest.sha256_hex,
            }),
        )
        .await?;
        tx.commit().await?;
        self.must_find_bid(id).await
    }

    /// Withdraws an active bid while the tender is open; the bid is kept, status
    /// `withdrawn`. Audits `bid.withdraw`.
    pub async fn withdraw_bid(&self, bid_id: i64, actor: &Actor) -> Result<Bid, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.open_bid_state(bid_id).await?;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(WITHDRAW).bind(bid_id).bind(now).bind(actor.user_id)
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "bid.withdraw",
            "bid",
            &bid_id.to_string(),
            json!({"tender_id": state.tender_id, "organisation_id": state.organisation_id}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_bid(bid_id).await
    }

    /// Records a refused attempt to read a bid (`bid.read_refused`, with the reason), in a
    /// transaction of its own, so the refusal is on the audit trail whatever the caller
    /// does next. `bid_id` is the id asked for, which may name no bid.
    pub async fn refuse_bid_read(
        &self,
        bid_id: i64,
        tender_id: Option<i64>,
        actor: &Actor,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        tx.audit(
            actor,
            "bid.read_refused",
            "bid",
            &bid_id.to_string(),
            json!({"tender_id": tender_id, "reason": reason}),
        )
        .await?;
        tx.commit().await
    }

    /// Opens a bid's content, only once its tender's deadline has passed by this store's
    /// clock (the transaction's time), and audits the attempt whatever its outcome:
    /// `bid.read` when opened; `bid.read_refused` before the deadline ([`StoreError::Forbidden`]
    /// stating it) and when the sealed content fails to open or does not match its receipt
    /// ([`StoreError::Sealing`] or a conflict, naming the bid). Who may read is the caller's
    /// rule; this never opens early for anyone.
    pub async fn open_bid_content(
        &self,
        bid_id: i64,
        actor: &Actor,
    ) -> Result<OpenedBid, StoreError> {
        let bid = self.must_find_bid(bid_id).await?;
        let mut tx = self.begin_write().await?;
        let row: Option<SealedRow> = on_tx!(tx, c =>
            sqlx::query_as(SEALED).bind(bid_id).fetch_optional(c).await)?;
        let row = row.ok_or_else(|| StoreError::NotFound(format!("bid {bid_id}")))?;
        let refused = match self.open_sealed(bid_id, &row, tx.now()) {
            Ok(content) => {
                tx.audit(
                    actor,
                    "bid.read",
                    "bid",
                    &bid_id.to_string(),
                    json!({"tender_id": row.tender_id, "content_sha256": row.content_sha256}),
                )
                .await?;
                tx.commit().await?;
                return Ok(OpenedBid { bid, content });
            }
            Err(e) => e,
        };
        tx.audit(
            actor,
            "bid.read_refused",
            "bid",
            &bid_id.to_string(),
            json!({"tender_id": row.tender_id, "reason": refused.to_string()}),
        )
        .await?;
        tx.commit().await?;
        Err(refused)
    }

    /// A bid's sealed row (key id, nonce, ciphertext), only once its tender's deadline has
    /// passed by this store's clock: before it, not even the ciphertext leaves the store.
    pub async fn sealed_bid(&self, bid_id: i64) -> Result<Sealed, StoreError> {
        let row: Option<SealedRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SEALED).bind(bid_id).fetch_optional(pool).await)?;
        let row = row.ok_or_else(|| StoreError::NotFound(format!("bid {bid_id}")))?;
        if !bids_may_be_opened(row.submission_deadline, self.now()) {
            return Err(StoreError::Forbidden(format!(
                "bid {bid_id}: {}",
                sealed_until(row.submission_deadline)
            )));
        }
        Ok(Sealed {
            key_id: row.key_id,
            nonce: row.nonce,
            ciphertext: row.ciphertext,
        })
    }

    /// The content of a sealed row at `now`: refused before the deadline, when the cipher
    /// refuses it, and when it does not match its receipt.
    fn open_sealed(
        &self,
        bid_id: i64,
        row: &SealedRow,
        now: DateTime<Utc>,
    ) -> Result<Value, StoreError> {
        if !bids_may_be_opened(row.submission_deadline, now) {
            return Err(StoreError::Forbidden(format!(
                "bid {bid_id}: {}",
                sealed_until(row.submission_deadline)
            )));
        }
        let sealed = Sealed {
            key_id: row.key_id.clone(),
            nonce: row.nonce.clone(),
            ciphertext: row.ciphertext.clone(),
        };
        let bytes = self.open_bid(row.tender_id, bid_id, &sealed)?;
        let unreadable = |why: String| {
            StoreError::Conflict(format!("bid {bid_id}: its opened content {why}; refused"))
        };
        let content: Value =
            serde_json::from_slice(&bytes).map_err(|e| unreadable(format!("is not JSON ({e})")))?;
        let digest = content_digest(&content).map_err(|e| unreadable(e.to_string()))?;
        if digest.sha256_hex != row.content_sha256 {
            return Err(unreadable(
                "does not match its stored receipt (SHA-256)".into(),
            ));
        }
        Ok(content)
    }
}

impl WriteTx {
    /// The state of an active bid of an open tender, or the conflict that forbids changing
    /// it now.
    async fn open_bid_state(&mut self, bid_id: i64) -> Result<BidState, StoreError> {
        let state: Option<BidState> = on_tx!(self, c =>
            sqlx::query_as(BID_STATE).bind(bid_id).fetch_optional(c).await)?;
        let state = state.ok_or_else(|| StoreError::NotFound(format!("bid {bid_id}")))?;
        let tender_status: TenderStatus =
            crate::organisations::decode(&state.tender_status, "tenders.status")?;
        if let Some(why) = closed_reason(tender_status, state.submission_deadline, self.now()) {
            return Err(StoreError::Conflict(why));
        }
        let status: BidStatus = crate::organisations::decode(&state.status, "bids.status")?;
        match status {
            BidStatus::Active => Ok(state),
            BidStatus::Replaced => Err(StoreError::Conflict(format!(
                "bid {bid_id} was replaced{}: change the current bid",
                state
                    .replaced_by_id
                    .map(|n| format!(" by bid {n}"))
                    .unwrap_or_default()
            ))),
            BidStatus::Withdrawn => Err(StoreError::Conflict(format!(
                "bid {bid_id} was withdrawn: submit a new bid"
            ))),
        }
    }

    /// Inserts an active bid and seals its content under its new id, in this transaction.
    #[allow(clippy::too_many_arguments)]
    async fn insert_sealed(
        &mut self,
        store: &Store,
        tender_id: i64,
        organisation_id: i64,
        actor: &Actor,
        canonical: &[u8],
        sha256_hex: &str,
        replaces: Option<i64>,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let empty: &[u8] = &[];
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT)
            .bind(tender_id)
            .bind(organisation_id)
            .bind(actor.user_id)
            .bind(empty)
            .bind(sha256_hex)
            .bind(now)
            .bind(replaces)
            .fetch_one(c)
            .await)
        .map_err(|e| {
            let e = StoreError::from(e);
            if e.is_unique_violation() {
                StoreError::Conflict(
                    "your organisation already has an active bid in this tender".into(),
                )
            } else {
                e
            }
        })?;
        let sealed = store.seal_bid(tender_id, id, canonical)?;
        on_tx!(self, c => sqlx::query(SEAL)
            .bind(id)
            .bind(&sealed.key_id)
            .bind(&sealed.nonce)
            .bind(&sealed.ciphertext)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        Ok(id)
    }
}
