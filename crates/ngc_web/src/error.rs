//! One error type for the whole web app. It renders as the JSON error envelope; on page
//! routes, [`crate::ui::html_errors`] turns the same error into an HTML page.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong with a request, in words the user can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("sign in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    BadRequest(String),
    #[error("the form has expired or did not come from this site: reload the page and try again")]
    Csrf,
    #[error("too many failed sign-ins: try again later")]
    TooManyRequests,
    #[error("too many registrations from your address: try again later")]
    TooManyRegistrations,
    #[error("too many responses from your address: try again later")]
    TooManyResponses,
    #[error("something went wrong on our side; it has been logged")]
    Internal(String),
}

/// The JSON error envelope: `{"error": {"code": …, "message": …, "field": …}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The inside of the error envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code: `unauthorized`, `forbidden`, `not_found`, `conflict`, `invalid`,
    /// `bad_request`, `csrf`, `too_many_requests`, `internal`.
    pub code: &'static str,
    /// What went wrong, in words.
    pub message: String,
    /// The offending field, for `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The result of a handler.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests
            | AppError::TooManyRegistrations
            | AppError::TooManyResponses => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of the envelope.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Invalid { .. } => "invalid",
            AppError::BadRequest(_) => "bad_request",
            AppError::Csrf => "csrf",
            AppError::TooManyRequests
            | AppError::TooManyRegistrations
            | AppError::TooManyResponses => "too_many_requests",
            AppError::Internal(_) => "internal",
        }
    }

    /// A field error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The message shown to the user (internal details are logged, never shown).
    pub fn public_message(&self) -> String {
        match self {
            AppError::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(msg) => AppError::Conflict(msg),
            StoreError::Forbidden(msg) => AppError::Forbidden(msg),
            StoreError::Invalid { field, message } => AppError::Invalid { field, message },
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<ngc_app::UseCaseError> for AppError {
    fn from(e: ngc_app::UseCaseError) -> Self {
        use ngc_app::UseCaseError as E;
        match e {
            E::Forbidden(why) => AppError::Forbidden(why),
            E::NotFound(what) => AppError::NotFound(what),
            E::Conflict(why) => AppError::Conflict(why),
            E::Invalid { field, message } => AppError::Invalid { field, message },
            E::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(error.detail = %detail, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.public_message(),
                field: match &self {
                    AppError::Invalid { field, .. } => Some(field.clone()),
                    _ => None,
                },
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        response.extensions_mut().insert(self);
        response
    }
}
