//! Reading and verifying the audit trail. Records are written by [`crate::tx::WriteTx::audit`].

use crate::{Store, StoreError, on_each_backend};
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use ngc_domain::audit::{AuditRecord, ChainBreak, ChainVerifier};
use sqlx::FromRow;

#[derive(Debug, FromRow)]
struct AuditRow {
    seq: i64,
    at: DateTime<Utc>,
    actor_user_id: Option<i64>,
    organisation_id: Option<i64>,
    action: String,
    entity: String,
    entity_id: String,
    change: String,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    fn into_record(self) -> AuditRecord {
        // A change that is no longer JSON was tampered with: keep its text so the hash fails.
        let change =
            serde_json::from_str(&self.change).unwrap_or(serde_json::Value::String(self.change));
        AuditRecord {
            seq: self.seq,
            at: self.at,
            actor_user_id: self.actor_user_id,
            organisation_id: self.organisation_id,
            action: self.action,
            entity: self.entity,
            entity_id: self.entity_id,
            change,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}

/// One audit record with the names of who and what, for the audit pages.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub record: AuditRecord,
    pub actor_email: Option<String>,
}

const SELECT_PAGE: &str = "SELECT a.seq, a.at, a.actor_user_id, a.organisation_id, a.action, \
    a.entity, a.entity_id, a.change, a.prev_hash, a.hash, u.email AS actor_email \
    FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id \
    WHERE a.seq < $1 ORDER BY a.seq DESC LIMIT $2";
const SELECT_ALL: &str = "SELECT seq, at, actor_user_id, organisation_id, action, entity, \
    entity_id, change, prev_hash, hash FROM audit_log ORDER BY seq";
const SELECT_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";

#[derive(Debug, FromRow)]
struct EntryRow {
    #[sqlx(flatten)]
    row: AuditRow,
    actor_email: Option<String>,
}

/// The result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every record checks out; the number of records.
    Intact(i64),
    /// The first place the chain breaks.
    Broken(ChainBreak),
}

const HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";

impl Store {
    /// The head of the audit chain: the last record's sequence number and hash. Any change
    /// moves it, so a refused request leaves it where it was.
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(HEAD).fetch_one(pool).await)?)
    }

    /// Audit records newest first, those before `before` (exclusive), at most `limit`.
    pub async fn audit_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let before = before.unwrap_or(i64::MAX);
        let rows: Vec<EntryRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SELECT_PAGE).bind(before).bind(limit).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                record: r.row.into_record(),
                actor_email: r.actor_email,
            })
            .collect())
    }

    /// Walks the whole chain in order, streaming, and reports the first break.
    pub async fn verify_audit(&self) -> Result<Verification, StoreError> {
        use futures_util::TryStreamExt;
        let mut verifier = ChainVerifier::default();
        let mut rows: BoxStream<'_, Result<AuditRow, sqlx::Error>> =
            on_each_backend!(self, pool => sqlx::query_as(SELECT_ALL).fetch(pool));
        while let Some(row) = rows.try_next().await? {
            if let Err(b) = verifier.check(&row.into_record()) {
                return Ok(Verification::Broken(b));
            }
        }
        drop(rows);
        let (head_seq, head_hash): (i64, String) =
            on_each_backend!(self, pool => sqlx::query_as(SELECT_HEAD).fetch_one(pool).await)?;
        Ok(match verifier.finish(head_seq, &head_hash) {
            Ok(n) => Verification::Intact(n),
            Err(b) => Verification::Broken(b),
        })
    }
}
