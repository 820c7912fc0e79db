//! What a use case can refuse, in words the user can act on.

use ngc_store::StoreError;

/// Why a use case did not happen. The web app maps each to its HTTP status; the command
/// line prints it as one line.
#[derive(Debug, thiserror::Error)]
pub enum UseCaseError {
    /// The caller may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such thing, or not one the caller may see (404).
    #[error("{0} not found")]
    NotFound(String),
    /// The state of things forbids it now (409).
    #[error("{0}")]
    Conflict(String),
    /// A field is wrong (422).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The store failed, or refused the change.
    #[error(transparent)]
    Store(StoreError),
}

/// The result of a use case.
pub type UseCaseResult<T> = Result<T, UseCaseError>;

impl UseCaseError {
    /// An invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        UseCaseError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<StoreError> for UseCaseError {
    /// The store's own refusals keep their meaning; database failures stay store errors.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => UseCaseError::NotFound(what),
            StoreError::Conflict(why) => UseCaseError::Conflict(why),
            StoreError::Forbidden(why) => UseCaseError::Forbidden(why),
            StoreError::Invalid { field, message } => UseCaseError::Invalid { field, message },
            other => UseCaseError::Store(other),
        }
    }
}
