//! API tokens: a user creates, lists and revokes their own.

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_store::Store;
use ngc_store::tokens::{ApiToken, TOKEN_LIFETIME_DAYS};
use ngc_store::users::User;

/// The longest name a token may have.
pub const MAX_NAME_CHARS: usize = 100;

/// Only the owner (or the system) may manage a user's tokens; anyone else is told the token
/// does not exist.
fn require_owner(caller: &Caller, owner_id: i64) -> UseCaseResult<()> {
    caller.require(Action::ManageOwnTokens)?;
    match caller.principal() {
        Some(p) if p.user_id != owner_id => Err(UseCaseError::NotFound("token".into())),
        _ => Ok(()),
    }
}

/// Creates a token for `owner` lasting `days` (1 to [`TOKEN_LIFETIME_DAYS`], that many when
/// `None`); returns it with its secret, shown this once.
pub async fn create(
    store: &Store,
    caller: &Caller,
    owner: &User,
    name: &str,
    days: Option<i64>,
) -> UseCaseResult<(ApiToken, String)> {
    require_owner(caller, owner.id)?;
    if name.trim().chars().count() > MAX_NAME_CHARS {
        return Err(UseCaseError::invalid(
            "name",
            format!("at most {MAX_NAME_CHARS} characters"),
        ));
    }
    let days = days.unwrap_or(TOKEN_LIFETIME_DAYS);
    if !(1..=TOKEN_LIFETIME_DAYS).contains(&days) {
        return Err(UseCaseError::invalid(
            "expires_in_days",
            format!("expiry: a token lasts 1 to {TOKEN_LIFETIME_DAYS} days"),
        ));
    }
    Ok(store.create_token_lasting(owner, name, days).await?)
}

/// The tokens of `owner_id`, newest first, revoked and expired ones included.
pub async fn list(store: &Store, caller: &Caller, owner_id: i64) -> UseCaseResult<Vec<ApiToken>> {
    require_owner(caller, owner_id)?;
    Ok(store.list_tokens(owner_id).await?)
}

/// Revokes one of `owner`'s tokens; another user's token is not found.
pub async fn revoke(
    store: &Store,
    caller: &Caller,
    owner: &User,
    token_id: i64,
) -> UseCaseResult<()> {
    require_owner(caller, owner.id)?;
    Ok(store.revoke_token(owner, token_id).await?)
}
