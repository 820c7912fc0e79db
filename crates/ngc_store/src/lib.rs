//! Persistence of ngc on SQLite (embedded, the default) and PostgreSQL (the scale backend).
//!
//! One [`Store`] hides which database is in use. Every query is one SQL string written once
//! with `$n` placeholders and run on either pool by [`on_each_backend!`], so both backends
//! type-check the same code. Every state change writes its audit record in the same
//! transaction (see [`audit`]).

mod backend;
mod bulk_read;
mod clock;
mod error;
mod memo;
mod redact;
mod tx;

pub mod audit;
pub mod backup;
pub mod bids;
pub mod budgets;
pub mod consultations;
pub mod contracts;
pub mod credentials;
pub mod evaluation;
pub mod gl_actuals;
pub mod imports;
pub mod joint_working;
pub mod ledger;
pub mod monitoring;
pub mod notices;
pub mod organisations;
pub mod pack;
pub mod partnerships;
pub mod pipeline;
pub mod plans;
pub mod procurement_checks;
pub mod providers;
pub mod rate_limit;
pub mod registration;
pub mod releases;
pub mod returns;
pub mod sealing;
pub mod sessions;
pub mod settings;
pub mod shared_services;
pub mod spend;
pub mod supplier_registrations;
pub mod tender_documents;
pub mod tender_questions;
pub mod tenders;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokens;
pub mod transparency;
pub mod users;

pub use backend::{Backend, BackendKind};
pub use clock::Clock;
pub use error::StoreError;
pub use redact::{redact_url, scrub};
pub use tx::Actor;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// The database behind ngc: one type whatever the backend.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    clock: Clock,
    /// The configured OCDS ocid prefix; fixed in `instance_settings` at first use
    /// (`settings::fix_ocid_prefix`), after which the stored one wins.
    ocid_prefix: Option<std::sync::Arc<str>>,
    /// The keys that seal and open bids (`sealing`), when configured; never from the database.
    bid_keys: Option<std::sync::Arc<sealing::KeyRing>>,
    /// Reads computed once per change ([`Store::memo`]), shared by the clones.
    memo: std::sync::Arc<memo::Memo>,
}

/// Figures about the connection pool, for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub size: u32,
    pub idle: usize,
}

impl Store {
    /// Opens the database at `url` (`sqlite://PATH` or `postgres://…`).
    ///
    /// SQLite is created if missing, set to WAL with a busy timeout and foreign keys, and
    /// migrated. PostgreSQL is not migrated here: run `ngc migrate` (or [`Store::migrate`]).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let store = Self::connect(url).await?;
        if store.kind() == BackendKind::Sqlite {
            store.migrate().await?;
        }
        Ok(store)
    }

    /// Opens the database at `url` and migrates it, whatever the backend.
    pub async fn open_and_migrate(url: &str) -> Result<Self, StoreError> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    async fn connect(url: &str) -> Result<Self, StoreError> {
        // Neither the URL's password nor anything the driver quotes of it reaches a message.
        let bad_url =
            |e: &dyn std::fmt::Display| StoreError::BadUrl(scrub(&format!("{url}: {e}"), url));
        let unreachable = |e: sqlx::Error| {
            StoreError::Unreachable(scrub(&format!("{}: {e}", redact_url(url)), url))
        };
        let backend = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| bad_url(&e))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                // A page cache of 32 MiB per connection (SQLite's default is 2 MiB): bulk
                // writes such as a spend import's half a million lines stay in memory while
                // their indexes grow. Pages are taken only as they are used.
                .pragma("cache_size", "-32768")
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(unreachable)?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url).map_err(|e| bad_url(&e))?;
            Backend::Postgres(Self::pg_pool(options).await.map_err(unreachable)?)
        } else {
            return Err(bad_url(
                &"expected a URL starting with sqlite:// or postgres://",
            ));
        };
        Ok(Self {
            backend,
            clock: Clock::system(),
            ocid_prefix: None,
            bid_keys: None,
            memo: Default::default(),
        })
    }

    async fn pg_pool(options: PgConnectOptions) -> Result<sqlx::PgPool, sqlx::Error> {
        PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
    }

    /// Runs raw SQL as it is (maintenance such as a WAL checkpoint, and tests that tamper
    /// with the database behind the store's back). Returns the rows affected.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        let done = on_each_backend!(self, pool => sqlx::raw_sql(sql).execute(pool).await.map(crate::backend::affected))?;
        Ok(done)
    }

    /// Runs the migrations embedded for this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Backend::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Versions of the embedded migrations not yet applied (all of them on an empty database).
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        const APPLIED: &str = "SELECT version FROM _sqlx_migrations WHERE success";
        let (migrator, applied) = match &self.backend {
            Backend::Sqlite(pool) => (
                sqlx::migrate!("./migrations/sqlite"),
                sqlx::query_scalar::<_, i64>(APPLIED).fetch_all(pool).await,
            ),
            Backend::Postgres(pool) => (
                sqlx::migrate!("./migrations/postgres"),
                sqlx::query_scalar::<_, i64>(APPLIED).fetch_all(pool).await,
            ),
        };
        let applied = applied.unwrap_or_default();
        Ok(migrator
            .iter()
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }

    /// Which database this store uses.
    pub fn kind(&self) -> BackendKind {
        self.backend.kind()
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_each_backend!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Connection pool figures.
    pub fn pool_stats(&self) -> PoolStats {
        match &self.backend {
            Backend::Sqlite(p) => PoolStats {
                size: p.size(),
                idle: p.num_idle(),
            },
            Backend::Postgres(p) => PoolStats {
                size: p.size(),
                idle: p.num_idle(),
            },
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(p) => p.close().await,
            Backend::Postgres(p) => p.close().await,
        }
    }

    /// This store with its dates and times taken from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// This store with `prefix` as the configured OCDS ocid prefix (see
    /// [`Store::fix_ocid_prefix`]).
    pub fn with_ocid_prefix(mut self, prefix: &str) -> Self {
        self.ocid_prefix = Some(prefix.into());
        self
    }

    /// The configured OCDS ocid prefix, or the placeholder [`settings::PLACEHOLDER_OCID_PREFIX`].
    pub fn configured_ocid_prefix(&self) -> &str {
        self.ocid_prefix
            .as_deref()
            .unwrap_or(settings::PLACEHOLDER_OCID_PREFIX)
    }

    /// The clock this store and the server around it read.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The current time by this store's clock: UTC, whole microseconds.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's date by this store's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.backend
    }
}
