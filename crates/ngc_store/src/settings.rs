//! Instance settings kept in the database, such as the demo's anchor date.

use crate::{Actor, Store, StoreError, on_each_backend};
use chrono::NaiveDate;
use serde_json::json;

const GET: &str = "SELECT value FROM instance_settings WHERE name = $1";
const INSERT: &str = "INSERT INTO instance_settings (name, value) VALUES ($1, $2)";
const DEMO_ANCHOR: &str = "demo_anchor";

impl Store {
    /// The demo's anchor date: the store clock's today at the demo's first load, if it was
    /// loaded. Dates in the demo relative to its load (e.g. an open tender's deadline) are
    /// placed relative to it, so that a restart does not move them.
    pub async fn demo_anchor(&self) -> Result<Option<NaiveDate>, StoreError> {
        let value: Option<String> = on_each_backend!(self, pool => sqlx::query_scalar(GET).bind(DEMO_ANCHOR).fetch_optional(pool).await)?;
        value
            .map(|v| {
                v.parse()
                    .map_err(|_| StoreError::invalid("demo_anchor", format!("`{v}` is not a date")))
            })
            .transpose()
    }

    /// The demo's anchor date, fixing it at the store clock's today on the first call.
    pub async fn fix_demo_anchor(&self, actor: &Actor) -> Result<NaiveDate, StoreError> {
        let mut tx = self.begin_write().await?;
        let stored: Option<String> = crate::on_tx!(tx, c =>
            sqlx::query_scalar(GET).bind(DEMO_ANCHOR).fetch_optional(c).await)?;
        if let Some(v) = stored {
            return v
                .parse()
                .map_err(|_| StoreError::invalid("demo_anchor", format!("`{v}` is not a date")));
        }
        let today = self.today();
        crate::on_tx!(tx, c => sqlx::query(INSERT).bind(DEMO_ANCHOR).bind(today.to_string())
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "demo.anchor",
            "instance_setting",
            DEMO_ANCHOR,
            json!({ "date": today }),
        )
        .await?;
        tx.commit().await?;
        Ok(today)
    }
}
