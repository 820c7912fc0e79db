//! Fresh databases for tests, on both backends, and the [`store_test!`] macro that runs one
//! test body on each.
//!
//! PostgreSQL comes from `NGC_TEST_POSTGRES_URL`; every test gets its own schema in that
//! database, dropped when the test passes. Only with the `testing` feature.

use crate::{Store, StoreError};
use rand::RngCore;
use sqlx::Connection;
use std::path::PathBuf;

/// The environment variable naming the PostgreSQL database tests may use.
pub const POSTGRES_URL_VAR: &str = "NGC_TEST_POSTGRES_URL";

/// A store on a database made for one test.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    /// The URL a second process could open the same database with.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    Schema { base: String, schema: String },
}

fn unique_name(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{:016x}",
        std::process::id(),
        rand::rng().next_u64()
    )
}

/// The base URL of the test PostgreSQL database; panics with what to do when it is unset.
pub fn postgres_base_url() -> String {
    std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{POSTGRES_URL_VAR} is not set: the PostgreSQL half of the store tests needs it \
             (scripts/test sets it up, e.g. postgres://postgres@127.0.0.1:5432/ngc_test)"
        )
    })
}

impl TestDb {
    /// A fresh, migrated SQLite database in a temporary file.
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name("ngc_test")));
        let url = format!("sqlite://{}", path.display());
        let store = Store::open(&url)
            .await
            .expect("open a test SQLite database");
        Self {
            store,
            url,
            cleanup: Cleanup::File(path),
        }
    }

    /// A fresh, migrated schema in the test PostgreSQL database.
    pub async fn postgres() -> Self {
        let base = postgres_base_url();
        let schema = unique_name("t");
        let mut conn = sqlx::PgConnection::connect(&base)
            .await
            .unwrap_or_else(|e| {
                let shown = crate::scrub(&format!("{POSTGRES_URL_VAR}={base}: {e}"), &base);
                panic!("connect to {shown}")
            });
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .expect("create a test schema");
        conn.close().await.ok();
        let url = with_search_path(&base, &schema);
        let store = Store::open_and_migrate(&url)
            .await
            .expect("migrate the test schema");
        Self {
            store,
            url,
            cleanup: Cleanup::Schema { base, schema },
        }
    }

    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    std::fs::remove_file(p).ok();
                }
            }
            Cleanup::Schema { base, schema } => {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&base).await {
                    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                        .execute(&mut conn)
                        .await
                        .ok();
                }
            }
        }
    }
}

/// A PostgreSQL URL whose connections use `schema` first.
pub fn with_search_path(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

impl Store {
    /// The tables and their columns, sorted, to compare the two backends' schemas.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>, StoreError> {
        const SQLITE: &str = "SELECT m.name, p.name FROM sqlite_master m \
            JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
            AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' ORDER BY 1, 2";
        const POSTGRES: &str = "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns \
            WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' ORDER BY 1, 2";
        let rows = match self.backend() {
            crate::Backend::Sqlite(p) => sqlx::query_as(SQLITE).fetch_all(p).await?,
            crate::Backend::Postgres(p) => sqlx::query_as(POSTGRES).fetch_all(p).await?,
        };
        Ok(rows)
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL:
///
/// ```text
/// store_test!(async fn creates_an_organisation(store: Store) { /* … */ });
/// ```
/// makes `creates_an_organisation::sqlite` and `creates_an_organisation::postgres`.
#[macro_export]
macro_rules! store_test {
    ($(#[$meta:meta])* async fn $name:ident($store:ident : Store) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($store: $crate::Store) $body

            $(#[$meta])*
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testing::TestDb::sqlite().await;
                body(db.store.clone()).await;
                db.finish().await;
            }

            $(#[$meta])*
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::testing::TestDb::postgres().await;
                body(db.store.clone()).await;
                db.finish().await;
            }
        }
    };
}
