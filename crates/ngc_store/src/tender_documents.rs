//! A tender's procurement documents (migration 0011): a named document with a link, or a
//! short text kept here with its SHA-256, so a bidder can check what they read.

use crate::organisations::decode;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::procurement::TenderStatus;
use ngc_domain::procurement::lifecycle::DocumentKind;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A document of a tender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: i64,
    pub tender_id: i64,
    pub title: String,
    pub kind: DocumentKind,
    /// Where the document is, for a linked document.
    pub url: Option<String>,
    /// The text, for a document kept here.
    pub body: Option<String>,
    /// The SHA-256 (hex) of the text as stored (UTF-8 bytes), or of the linked file when the
    /// officer gave it.
    pub sha256: Option<String>,
    pub added_at: DateTime<Utc>,
}

/// A document to add: a link, a text, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub title: String,
    pub kind: DocumentKind,
    pub url: Option<String>,
    pub body: Option<String>,
    /// The SHA-256 of the linked file, when known (ignored for a text: computed here).
    pub sha256: Option<String>,
}

#[derive(Debug, FromRow)]
struct DocumentRow {
    id: i64,
    tender_id: i64,
    title: String,
    kind: String,
    url: Option<String>,
    body: Option<String>,
    sha256: Option<String>,
    added_at: DateTime<Utc>,
}

const OF_TENDER: &str = "SELECT id, tender_id, title, kind, url, body, sha256, added_at \
    FROM tender_documents WHERE tender_id = $1 ORDER BY id";
const INSERT: &str = "INSERT INTO tender_documents (tender_id, title, kind, url, body, sha256, \
    added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const ONE: &str = "SELECT id, tender_id, title, kind, url, body, sha256, added_at \
    FROM tender_documents WHERE id = $1";

impl DocumentRow {
    fn into_document(self) -> Result<Document, StoreError> {
        Ok(Document {
            kind: decode(&self.kind, "tender_documents.kind")?,
            id: self.id,
            tender_id: self.tender_id,
            title: self.title,
            url: self.url,
            body: self.body,
            sha256: self.sha256,
            added_at: self.added_at,
        })
    }
}

/// The SHA-256 of a text's UTF-8 bytes, in lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl Store {
    /// The documents of a tender, in the order they were added.
    pub async fn tender_documents(&self, tender_id: i64) -> Result<Vec<Document>, StoreError> {
        let rows: Vec<DocumentRow> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_TENDER).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter().map(DocumentRow::into_document).collect()
    }

    /// Adds a document to a draft or published tender (not a terminated one), computing the
    /// SHA-256 of a text.
    pub async fn add_tender_document(
        &self,
        tender_id: i64,
        new: &NewDocument,
        actor: &Actor,
    ) -> Result<Document, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(tender_id).await?;
        if state.status == TenderStatus::Terminated {
            return Err(StoreError::Conflict(format!(
                "tender {tender_id} is terminated: no document may be added"
            )));
        }
        let sha256 = match &new.body {
            Some(text) => Some(sha256_hex(text)),
            None => new.sha256.clone(),
        };
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(tender_id)
            .bind(&new.title)
            .bind(new.kind.as_str())
            .bind(&new.url)
            .bind(&new.body)
            .bind(&sha256)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(c)
            .await)?;
        tx.audit(
            actor,
            "tender.document.add",
            "tender",
            &tender_id.to_string(),
            json!({"document": id, "title": new.title, "kind": new.kind, "url": new.url, "sha256": sha256}),
        )
        .await?;
        let row: DocumentRow = on_tx!(tx, c => sqlx::query_as(ONE).bind(id).fetch_one(c).await)?;
        tx.commit().await?;
        row.into_document()
    }
}
