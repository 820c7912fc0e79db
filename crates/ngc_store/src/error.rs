//! What can go wrong in the store, in words a caller can show.

/// A store failure. `NotFound`, `Conflict`, `Forbidden` and `Invalid` are the caller's fault and name the
/// thing, the slug or the field; the rest are the database's.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A rule the store enforces itself refuses the caller (a sealed bid before its deadline).
    #[error("{0}")]
    Forbidden(String),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The URL cannot be read; its password is shown as `***`.
    #[error("bad database URL {0}")]
    BadUrl(String),
    /// The database cannot be reached; the URL's password is shown as `***`.
    #[error("cannot connect to the database {0}")]
    Unreachable(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A bulk read of the SQLite file (`bulk_read`, for exports) failed.
    #[error("database error: {0}")]
    BulkRead(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Unsupported(String),
    /// A bid could not be sealed or opened; the message names the bid.
    #[error(transparent)]
    Sealing(#[from] crate::sealing::SealError),
}

impl StoreError {
    /// An invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Whether the database refused a row for breaking a unique constraint.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}
