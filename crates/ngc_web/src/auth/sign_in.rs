//! Signing in with an email and a password, within the sign-in limits of
//! [`ngc_store::rate_limit`]: by client address first, then by email.

use super::ClientAddr;
use crate::AppState;
use crate::error::{AppError, AppResult};
use ngc_domain::organisation::VerificationStatus;
use ngc_store::rate_limit::{ADDRESS_LIMIT, Attempt, EMAIL_LIMIT};
use ngc_store::supplier_registrations::SignInCheck;
use ngc_store::users::User;

/// The key the limits count an email under.
pub fn email_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

/// Checks an email and password. Each attempt is counted against the client's address and
/// then the email before the password is checked; a blocked key answers
/// [`AppError::TooManyRequests`] whatever the password. The right password of a supplier
/// whose registration is waiting for verification, or was refused, answers
/// [`AppError::Forbidden`] saying so (with the refusal's note). Any other failure (unknown
/// email, wrong password, disabled user) is the same [`AppError::Unauthorized`].
pub async fn sign_in(
    app: &AppState,
    client: ClientAddr,
    email: &str,
    password: &str,
) -> AppResult<User> {
    let now = app.store.now();
    let address = client.key();
    if let Attempt::BlockedUntil(_) = app.store.try_sign_in(&address, ADDRESS_LIMIT, now).await? {
        return Err(AppError::TooManyRequests);
    }
    let email_key = email_key(email);
    if let Attempt::BlockedUntil(_) = app.store.try_sign_in(&email_key, EMAIL_LIMIT, now).await? {
        return Err(AppError::TooManyRequests);
    }
    let refused = match app.store.check_sign_in(email, password).await? {
        SignInCheck::User(user) if !user.disabled => {
            app.store.forget_attempts(&email_key).await?;
            app.store.give_back_attempt(&address).await?;
            return Ok(user);
        }
        SignInCheck::Registration(r) => match r.status {
            VerificationStatus::Pending => {
                "your registration is waiting for verification by the instance administrator"
                    .to_owned()
            }
            _ => format!("your registration was refused: {}", r.decision_note),
        },
        _ => return Err(AppError::Unauthorized),
    };
    // The password was right: the attempt does not count against the applicant.
    app.store.forget_attempts(&email_key).await?;
    app.store.give_back_attempt(&address).await?;
    Err(AppError::Forbidden(refused))
}
