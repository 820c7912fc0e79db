//! Challenges to a procurement's decisions. A challenge received while the award is in
//! standstill suspends it automatically (PA2023 s101; PCR 2015 reg 95) until it is lifted:
//! while any challenge of a tender is not lifted, [`Store::tender_suspended`] is true and the
//! award waits.

use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::procurement::TenderStatus;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A challenge and, once lifted, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Challenge {
    pub id: i64,
    pub tender_id: i64,
    /// When it was received (recorded at the server's time).
    pub received_at: DateTime<Utc>,
    pub note: String,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lift_note: String,
}

impl Challenge {
    /// Whether it still suspends the award.
    pub fn is_open(&self) -> bool {
        self.lifted_at.is_none()
    }
}

const OF_TENDER: &str = "SELECT id, tender_id, received_at, note, lifted_at, lift_note \
    FROM tender_challenges WHERE tender_id = $1 ORDER BY id";
const ONE: &str = "SELECT id, tender_id, received_at, note, lifted_at, lift_note \
    FROM tender_challenges WHERE id = $1 AND tender_id = $2";
const OPEN_COUNT: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM tender_challenges \
    WHERE tender_id = $1 AND lifted_at IS NULL";
const INSERT: &str = "INSERT INTO tender_challenges (tender_id, received_at, note, recorded_by) \
    VALUES ($1, $2, $3, $4) RETURNING id";
const LIFT: &str = "UPDATE tender_challenges SET lifted_at = $3, lift_note = $4, lifted_by = $5 \
    WHERE id = $1 AND tender_id = $2 AND lifted_at IS NULL";

impl Store {
    /// The challenges of a tender, oldest first.
    pub async fn tender_challenges(&self, tender_id: i64) -> Result<Vec<Challenge>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(OF_TENDER).bind(tender_id).fetch_all(pool).await)?)
    }

    /// Whether the award of this tender is suspended: a challenge is received and not lifted.
    pub async fn tender_suspended(&self, tender_id: i64) -> Result<bool, StoreError> {
        let open: i64 = on_each_backend!(self, pool =>
            sqlx::query_scalar(OPEN_COUNT).bind(tender_id).fetch_one(pool).await)?;
        Ok(open > 0)
    }

    /// Records a challenge received now on a published (or terminated) tender; the award is
    /// suspended from this moment until it is lifted.
    pub async fn record_challenge(
        &self,
        tender_id: i64,
        note: &str,
        actor: &Actor,
    ) -> Result<Challenge, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(tender_id).await?;
        if state.status == TenderStatus::Draft {
            return Err(StoreError::Conflict(format!(
                "tender {tender_id} is a draft: nothing has been decided to challenge"
            )));
        }
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(tender_id).bind(now).bind(note).bind(actor.user_id)
            .fetch_one(c).await)?;
        tx.audit(
            actor,
            "tender.challenge.receive",
            "tender",
            &tender_id.to_string(),
            json!({"challenge": id, "note": note}),
        )
        .await?;
        let c: Challenge = on_tx!(tx, c =>
            sqlx::query_as(ONE).bind(id).bind(tender_id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(c)
    }

    /// Lifts a challenge's suspension (by the court's order or the challenge's end), once.
    pub async fn lift_challenge(
        &self,
        tender_id: i64,
        challenge_id: i64,
        note: &str,
        actor: &Actor,
    ) -> Result<Challenge, StoreError> {
        let mut tx = self.begin_write().await?;
        let existing: Option<Challenge> = on_tx!(tx, c =>
            sqlx::query_as(ONE).bind(challenge_id).bind(tender_id).fetch_optional(c).await)?;
        let existing = existing.ok_or_else(|| {
            StoreError::NotFound(format!("challenge {challenge_id} of tender {tender_id}"))
        })?;
        if !existing.is_open() {
            return Err(StoreError::Conflict(format!(
                "challenge {challenge_id} is lifted already"
            )));
        }
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(LIFT)
            .bind(challenge_id).bind(tender_id).bind(now).bind(note).bind(actor.user_id)
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "tender.challenge.lift",
            "tender",
            &tender_id.to_string(),
            json!({"challenge": challenge_id, "note": note}),
        )
        .await?;
        let c: Challenge = on_tx!(tx, c =>
            sqlx::query_as(ONE).bind(challenge_id).bind(tender_id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(c)
    }
}
