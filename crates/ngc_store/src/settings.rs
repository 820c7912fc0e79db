//! Instance settings kept in the database, such as the demo's anchor date and the OCDS ocid
//! prefix.

use crate::{Actor, Store, StoreError, on_each_backend};
use chrono::NaiveDate;
use serde_json::json;

const GET: &str = "SELECT value FROM instance_settings WHERE name = $1";
const INSERT: &str = "INSERT INTO instance_settings (name, value) VALUES ($1, $2)";
const DEMO_ANCHOR: &str = "demo_anchor";
const OCID_PREFIX: &str = "ocid_prefix";

/// The ocid prefix used when none is configured: a placeholder that no real publisher holds.
/// A real instance registers its own prefix with the Open Contracting Partnership and
/// configures it (`ocid_prefix`, `NGC_OCID_PREFIX`) before its first release is stored.
pub const PLACEHOLDER_OCID_PREFIX: &str = "ocds-ngc000";

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

impl Store {
    /// The OCDS ocid prefix fixed for this instance, if a release was ever stored.
    pub async fn stored_ocid_prefix(&self) -> Result<Option<String>, StoreError> {
        Ok(
            on_each_backend!(self, pool => sqlx::query_scalar(GET).bind(OCID_PREFIX).fetch_optional(pool).await)?,
        )
    }

    /// The instance's OCDS ocid prefix, fixing the configured one
    /// ([`Store::configured_ocid_prefix`]) on the first call, so that an ocid once given never
    /// changes: after that, the stored prefix wins over any later configuration.
    pub async fn fix_ocid_prefix(&self, actor: &Actor) -> Result<String, StoreError> {
        if let Some(stored) = self.stored_ocid_prefix().await? {
            return Ok(stored);
        }
        let mut tx = self.begin_write().await?;
        let stored: Option<String> = crate::on_tx!(tx, c =>
            sqlx::query_scalar(GET).bind(OCID_PREFIX).fetch_optional(c).await)?;
        if let Some(v) = stored {
            return Ok(v);
        }
        let prefix = self.configured_ocid_prefix().to_owned();
        crate::on_tx!(tx, c => sqlx::query(INSERT).bind(OCID_PREFIX).bind(&prefix)
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "ocds.ocid_prefix",
            "instance_setting",
            OCID_PREFIX,
            json!({ "prefix": prefix }),
        )
        .await?;
        tx.commit().await?;
        Ok(prefix)
    }
}
