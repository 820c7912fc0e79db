//! CSRF protection of every form: the hidden `csrf` field must match the session's token
//! (signed in) or the `ngc_csrf` cookie (signed out, e.g. the sign-in form).

use super::cookies::{CSRF_COOKIE, cookie};
use super::{CurrentUser, resolve};
use crate::AppState;
use crate::error::AppError;
use axum::body::to_bytes;
use axum::extract::{FromRequest, Request};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

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

/// Whether a given token equals the expected one, in time that does not depend on where
/// they differ. An empty expected token never matches.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, AppError> {
        // Resolve the session here (or reuse what an earlier extractor resolved), so the
        // check does not depend on the order the handler's extractors run in.
        let (mut parts, body) = req.into_parts();
        let user = resolve(&mut parts, app).await?;
        let session_token = user
            .as_ref()
            .and_then(|u| u.session.as_ref())
            .map(|s| s.csrf_token.clone());
        let expected = session_token.or_else(|| cookie(&parts.headers, CSRF_COOKIE));
        let body = to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::BadRequest("the form is too large".into()))?;
        let given: CsrfField = serde_urlencoded::from_bytes(&body)
            .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        match (expected, given.csrf) {
            (Some(e), Some(g)) if tokens_match(&e, &g) => {}
            _ => return Err(AppError::Csrf),
        }
        let form = serde_urlencoded::from_bytes(&body)
            .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        Ok(CsrfForm(form))
    }
}

#[cfg(test)]
mod tests {
    use super::tokens_match;

    #[test]
    fn only_equal_non_empty_tokens_match() {
        assert!(tokens_match("abc123", "abc123"));
        assert!(!tokens_match("abc123", "abc124"));
        assert!(!tokens_match("abc123", "abc12"));
        assert!(!tokens_match("", ""));
    }
}
