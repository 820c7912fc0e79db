//! The two pools behind a [`crate::Store`] and the macros that run one SQL string on either.

use sqlx::{PgPool, SqlitePool};

/// The connection pool of the database in use.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a store uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Which database this is.
    pub fn kind(&self) -> BackendKind {
        match self {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }
}

/// Runs `$body` with `$pool` bound to the store's pool, once typed for each backend.
#[macro_export]
#[doc(hidden)]
macro_rules! on_each_backend {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store.backend() {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection, typed for each backend.
#[macro_export]
#[doc(hidden)]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx.inner() {
            $crate::tx::TxInner::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::tx::TxInner::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// The number of rows a statement touched, whatever the backend's result type.
pub trait RowsAffected {
    fn rows(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

/// Maps a backend's query result to its row count, so both arms of a match agree.
pub fn affected<R: RowsAffected>(result: R) -> u64 {
    result.rows()
}
