//! What the last pack imports brought: each imported record's base (the pack's version it came
//! from, for the three-way merge) and each import by the SHA-256 of its content.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::pack::DataPack;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

const BASE: &str = "SELECT content FROM import_bases WHERE kind = $1 AND natural_key = $2";
const DELETE_BASE: &str = "DELETE FROM import_bases WHERE kind = $1 AND natural_key = $2";
const INSERT_BASE: &str =
    "INSERT INTO import_bases (kind, natural_key, content) VALUES ($1, $2, $3)";
const LAST_HASH: &str = "SELECT content_sha256 FROM pack_imports ORDER BY id DESC LIMIT 1";
const INSERT_IMPORT: &str = "INSERT INTO pack_imports (pack_name, content_sha256, imported_at, \
    actor_user_id) VALUES ($1, $2, $3, $4)";
const LIST: &str = "SELECT pack_name, content_sha256, imported_at, actor_user_id \
    FROM pack_imports ORDER BY id DESC";

/// One pack import, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct PackImport {
    pub pack_name: String,
    /// SHA-256 of the pack's content, hex.
    pub content_sha256: String,
    pub imported_at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
}

/// The SHA-256 (hex) of a pack's content: its canonical JSON, so that files differing only
/// in layout or comments hash alike.
pub fn content_hash(pack: &DataPack) -> String {
    let json = ngc_domain::audit::canonical_json(&serde_json::to_value(pack).unwrap_or_default());
    hex::encode(Sha256::digest(json.as_bytes()))
}

impl Store {
    /// Every pack import, newest first.
    pub async fn pack_imports(&self) -> Result<Vec<PackImport>, StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(LIST).fetch_all(pool).await)?)
    }
}

impl WriteTx {
    /// The base of the record `key` of `kind` (`organisation`, `plan`, …), if it was imported.
    pub(crate) async fn import_base(
        &mut self,
        kind: &str,
        key: &str,
    ) -> Result<Option<Value>, StoreError> {
        let text: Option<String> = on_tx!(self, c =>
            sqlx::query_scalar(BASE).bind(kind).bind(key).fetch_optional(c).await)?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| StoreError::invalid("import_bases.content", e.to_string()))
        })
        .transpose()
    }

    /// Records `content` as the base of the record `key` of `kind`.
    pub(crate) async fn set_import_base(
        &mut self,
        kind: &str,
        key: &str,
        content: &Value,
    ) -> Result<(), StoreError> {
        let text = ngc_domain::audit::canonical_json(content);
        on_tx!(self, c => sqlx::query(DELETE_BASE).bind(kind).bind(key).execute(c).await.map(crate::backend::affected))?;
        on_tx!(self, c => sqlx::query(INSERT_BASE).bind(kind).bind(key).bind(&text)
            .execute(c).await.map(crate::backend::affected))?;
        Ok(())
    }

    /// The content hash of the last pack import, if any.
    pub(crate) async fn last_import_hash(&mut self) -> Result<Option<String>, StoreError> {
        Ok(on_tx!(self, c => sqlx::query_scalar(LAST_HASH).fetch_optional(c).await)?)
    }

    /// Records an import of the pack `name` with content hash `hash`.
    pub(crate) async fn record_import(
        &mut self,
        name: &str,
        hash: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = self.now();
        on_tx!(self, c => sqlx::query(INSERT_IMPORT).bind(name).bind(hash).bind(now)
            .bind(actor.user_id).execute(c).await.map(crate::backend::affected))?;
        Ok(())
    }
}
