//! Failed sign-ins, counted in the database so that every server sees the same count.

use crate::{Store, StoreError, on_each_backend};
use chrono::{DateTime, Duration, Utc};

/// How many failures within [`WINDOW`] lock a key out.
pub const MAX_FAILURES: usize = 5;
/// The window failures are counted over.
pub const WINDOW: Duration = Duration::minutes(15);

const INSERT: &str = "INSERT INTO login_attempts (key, attempted_at) VALUES ($1, $2)";
const RECENT: &str =
    "SELECT attempted_at FROM login_attempts WHERE key = $1 ORDER BY id DESC LIMIT $2";
const CLEAR: &str = "DELETE FROM login_attempts WHERE key = $1";

impl Store {
    /// Whether `key` (an email or an address) has failed too often lately to try again at `now`.
    pub async fn is_locked_out(&self, key: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let recent: Vec<DateTime<Utc>> = on_each_backend!(self, pool => sqlx::query_scalar(RECENT)
            .bind(key)
            .bind(MAX_FAILURES as i64)
            .fetch_all(pool)
            .await)?;
        Ok(recent.iter().filter(|t| now - **t < WINDOW).count() >= MAX_FAILURES)
    }

    /// Records a failed sign-in for `key`.
    pub async fn record_failed_login(
        &self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_each_backend!(self, pool => sqlx::query(INSERT).bind(key).bind(now).execute(pool).await.map(crate::backend::affected))?;
        Ok(())
    }

    /// Forgets the failures of `key` after a successful sign-in.
    pub async fn clear_failed_logins(&self, key: &str) -> Result<(), StoreError> {
        on_each_backend!(self, pool => sqlx::query(CLEAR).bind(key).execute(pool).await.map(crate::backend::affected))?;
        Ok(())
    }
}
