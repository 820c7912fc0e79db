//! Backups: SQLite makes an online, consistent copy with `VACUUM INTO`; PostgreSQL has
//! `pg_dump`, which does it better than we could.

use crate::{Backend, Store, StoreError};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the database to `out`, which must not exist yet.
    pub async fn backup_to(&self, out: &Path) -> Result<(), StoreError> {
        match self.backend() {
            Backend::Sqlite(pool) => {
                if out.exists() {
                    return Err(StoreError::invalid("out", format!("{} already exists", out.display())));
                }
                let path = out.to_str().ok_or_else(|| StoreError::invalid("out", "the path is not UTF-8"))?;
                sqlx::query("VACUUM INTO $1").bind(path).execute(pool).await?;
                Ok(())
            }
            Backend::Postgres(_) => Err(StoreError::Unsupported(
                "backups of PostgreSQL are made with pg_dump (e.g. `pg_dump -Fc -f ngc.dump DBNAME`) and restored with pg_restore".into(),
            )),
        }
    }
}
