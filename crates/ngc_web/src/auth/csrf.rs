//! CSRF protection of every form: the hidden `csrf` field must match the session's token
//! (signed in) or the `ngc_csrf` cookie (signed out, e.g. the sign-in form).

use super::CurrentUser;
use super::cookies::{CSRF_COOKIE, cookie};
use crate::AppState;
use crate::error::AppError;
use axum::body::to_bytes;
use axum::extract::{FromRequest, Request};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A form body whose CSRF field has been checked.
#[derive(Debug, Clone)]
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct CsrfField {
    csrf: Option<String>,
}

const MAX_FORM_BYTES: usize = 1 << 20;

/// The token a page's forms must carry for this request, and whether a `ngc_csrf` cookie
/// must be set for it (signed-out visitors who have none yet).
pub fn csrf_token_for(
    headers: &axum::http::HeaderMap,
    user: Option<&CurrentUser>,
) -> (String, bool) {
    if let Some(s) = user.and_then(|u| u.session.as_ref()) {
        return (s.csrf_token.clone(), false);
    }
    match cookie(headers, CSRF_COOKIE) {
        Some(t) if t.len() >= 32 => (t, false),
        _ => (ngc_store::credentials::new_secret(), true),
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _app: &AppState) -> Result<Self, AppError> {
        let session_token = req
            .extensions()
            .get::<Option<CurrentUser>>()
            .and_then(|u| u.as_ref())
            .and_then(|u| u.session.as_ref())
            .map(|s| s.csrf_token.clone());
        let expected = session_token.or_else(|| cookie(req.headers(), CSRF_COOKIE));
        let body = to_bytes(req.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::BadRequest("the form is too large".into()))?;
        let given: CsrfField = serde_urlencoded::from_bytes(&body)
            .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        match (expected, given.csrf) {
            (Some(e), Some(g)) if !e.is_empty() && e == g => {}
            _ => return Err(AppError::Csrf),
        }
        let form = serde_urlencoded::from_bytes(&body)
            .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        Ok(CsrfForm(form))
    }
}
