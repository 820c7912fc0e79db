//! The limit on public supplier registrations: each attempt, accepted or not, is counted
//! against the client's address (as sign-ins are, trusted proxies included) before the
//! form is looked at, with the rule of [`ngc_store::rate_limit::REGISTRATION_LIMIT`].

use super::ClientAddr;
use crate::AppState;
use crate::error::{AppError, AppResult};
use ngc_store::rate_limit::{Attempt, REGISTRATION_LIMIT};

/// The key registrations from this client are counted under.
pub fn registration_key(client: &ClientAddr) -> String {
    format!("registration:{}", client.key())
}

/// Counts one registration attempt from `client`; a blocked address is refused with
/// [`AppError::TooManyRegistrations`].
pub async fn count_registration(app: &AppState, client: ClientAddr) -> AppResult<()> {
    let now = app.store.now();
    match app
        .store
        .try_sign_in(&registration_key(&client), REGISTRATION_LIMIT, now)
        .await?
    {
        Attempt::Allowed => Ok(()),
        Attempt::BlockedUntil(_) => Err(AppError::TooManyRegistrations),
    }
}
