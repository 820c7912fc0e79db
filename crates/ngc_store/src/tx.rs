//! Write transactions: every state change and its audit record commit together.

use crate::{Backend, Store, StoreError, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::audit::{canonical_json, record_hash};
use serde_json::Value;
use sqlx::{Postgres, Sqlite, Transaction};

/// Who made a change, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub organisation_id: Option<i64>,
}

impl Actor {
    /// The system itself (imports, set-up commands).
    pub fn system() -> Self {
        Self {
            user_id: None,
            organisation_id: None,
        }
    }

    /// A signed-in user acting for an organisation.
    pub fn user(user_id: i64, organisation_id: i64) -> Self {
        Self {
            user_id: Some(user_id),
            organisation_id: Some(organisation_id),
        }
    }
}

#[doc(hidden)]
#[derive(Debug)]
pub enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A write transaction holding the audit chain's lock until it commits.
#[derive(Debug)]
pub struct WriteTx {
    inner: TxInner,
    now: DateTime<Utc>,
}

/// Taking the head row first serialises writers on both databases: SQLite takes its write
/// lock at once (so no read-then-write upgrade can fail), PostgreSQL locks the row.
const LOCK_HEAD: &str = "UPDATE audit_head SET seq = seq WHERE id = 1";
const READ_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";
const WRITE_HEAD: &str = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
const INSERT_RECORD: &str = "INSERT INTO audit_log \
    (seq, at, actor_user_id, organisation_id, action, entity, entity_id, change, prev_hash, hash) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

impl Store {
    /// Starts a write transaction and takes the audit lock.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        let mut tx = WriteTx {
            inner: match self.backend() {
                Backend::Sqlite(p) => TxInner::Sqlite(p.begin().await?),
                Backend::Postgres(p) => TxInner::Postgres(p.begin().await?),
            },
            now: self.now(),
        };
        on_tx!(tx, c => sqlx::query(LOCK_HEAD).execute(c).await.map(crate::backend::affected))?;
        Ok(tx)
    }
}

impl WriteTx {
    #[doc(hidden)]
    pub fn inner(&mut self) -> &mut TxInner {
        &mut self.inner
    }

    /// The time of this transaction, the same for every row it writes.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Appends an audit record chained to the last one.
    pub async fn audit(
        &mut self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
        change: Value,
    ) -> Result<(), StoreError> {
        let (last, prev_hash): (i64, String) =
            on_tx!(self, c => sqlx::query_as(READ_HEAD).fetch_one(c).await)?;
        let seq = last + 1;
        let hash = record_hash(
            &prev_hash,
            seq,
            self.now,
            actor.user_id,
            actor.organisation_id,
            action,
            entity,
            entity_id,
            &change,
        );
        let change = canonical_json(&change);
        let now = self.now;
        on_tx!(self, c => sqlx::query(INSERT_RECORD)
            .bind(seq)
            .bind(now)
            .bind(actor.user_id)
            .bind(actor.organisation_id)
            .bind(action)
            .bind(entity)
            .bind(entity_id)
            .bind(&change)
            .bind(&prev_hash)
            .bind(&hash)
            .execute(c)
            .await.map(crate::backend::affected))?;
        on_tx!(self, c => sqlx::query(WRITE_HEAD).bind(seq).bind(&hash).execute(c).await.map(crate::backend::affected))?;
        Ok(())
    }

    /// Commits the change and its audit records.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
