//! Who is asking: a bearer token or a session cookie, resolved to a user and the
//! [`Principal`] the access rules judge. Also the cookies and the CSRF check of forms.

mod client;
mod cookies;
mod csrf;
mod registration;
mod sign_in;

pub use client::{ClientAddr, IpRange, client_address};
pub use cookies::{CSRF_COOKIE, SESSION_COOKIE, cookie, expire_cookie, set_cookie};
pub use csrf::{CsrfForm, csrf_token_for, tokens_match};
pub use registration::{count_registration, registration_key};
pub use sign_in::{email_key, sign_in};

use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use ngc_domain::access::{Action, Decision, Principal};
use ngc_store::users::User;

/// The session behind a cookie-authenticated request.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub secret: String,
    pub csrf_token: String,
    /// The partnership this session acts for, if any.
    pub acting: Option<ngc_store::sessions::Acting>,
}

/// The signed-in user of a request. Extracting it refuses anonymous requests with 401.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub principal: Principal,
    /// Present when signed in with a cookie (absent with a bearer token).
    pub session: Option<SessionInfo>,
}

impl CurrentUser {
    /// The caller of a use case.
    pub fn caller(&self) -> ngc_app::Caller {
        ngc_app::Caller::User(self.principal.clone())
    }

    /// Refuses with 403 unless the rules allow the action.
    pub fn require(&self, action: Action) -> AppResult<()> {
        match self.principal.may(action) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(AppError::Forbidden(reason.to_owned())),
        }
    }

    /// Whether the rules allow the action (for showing or hiding links).
    pub fn can(&self, action: Action) -> bool {
        self.principal.may(action).is_allowed()
    }
}

pub use ngc_app::principal_of;

/// The user of a request, if anyone is signed in.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

pub(crate) async fn resolve(parts: &mut Parts, app: &AppState) -> AppResult<Option<CurrentUser>> {
    if let Some(cached) = parts.extensions.get::<Option<CurrentUser>>() {
        return Ok(cached.clone());
    }
    let now = app.store.now();
    let bearer = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let found = if let Some(token) = bearer {
        // A bearer token that does not work is an error, not an anonymous request.
        let user = app
            .store
            .user_by_token(token, now)
            .await?
            .ok_or(AppError::Unauthorized)?;
        Some((user, None))
    } else if let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) {
        app.store.session(&secret, now).await?.map(|s| {
            let info = SessionInfo {
                secret,
                csrf_token: s.csrf_token,
                acting: s.acting,
            };
            (s.user, Some(info))
        })
    } else {
        None
    };
    let current = match found {
        None => None,
        Some((user, session)) => {
            let principal = principal_of(&user);
            Some(CurrentUser {
                user,
                principal,
                session,
            })
        }
    };
    parts.extensions.insert(current.clone());
    Ok(current)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> AppResult<Self> {
        resolve(parts, app).await?.ok_or(AppError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> AppResult<Self> {
        Ok(MaybeUser(resolve(parts, app).await?))
    }
}
