//! API bearer tokens: shown once, stored hashed, listed and revoked by their owner.

use crate::credentials::{digest, new_secret};
use crate::users::{User, UserRow, user_columns};
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
}

/// How long a token lasts unless made to last less.
pub const TOKEN_LIFETIME_DAYS: i64 = 90;

/// The prefix that marks ngc tokens.
pub const TOKEN_PREFIX: &str = "ngc_";

const INSERT: &str = "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) \
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const LIST: &str = "SELECT id, name, prefix, created_at, last_used_at, revoked_at, expires_at \
    FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC";
const REVOKE: &str =
    "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL";
const FIND: &str = concat!(
    "SELECT ",
    user_columns!(),
    ", t.id AS token_id, t.last_used_at, t.expires_at FROM api_tokens t \
     JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.organisation_id \
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
);
const TOUCH: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";

#[derive(Debug, FromRow)]
struct TokenUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_id: i64,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
}

impl Store {
    /// Creates a token for `user` lasting [`TOKEN_LIFETIME_DAYS`]; returns it with its secret,
    /// the only time the secret is seen.
    pub async fn create_token(
        &self,
        user: &User,
        name: &str,
    ) -> Result<(ApiToken, String), StoreError> {
        self.create_token_lasting(user, name, TOKEN_LIFETIME_DAYS)
            .await
    }

    /// Creates a token for `user` that expires `days` days from now (callers check the range).
    pub async fn create_token_lasting(
        &self,
        user: &User,
        name: &str,
        days: i64,
    ) -> Result<(ApiToken, String), StoreError> {
        let name = name.trim();
        let name = if name.is_empty() { "API token" } else { name };
        let secret = format!("{TOKEN_PREFIX}{}", new_secret());
        let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let expires_at = now + Duration::days(days);
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(user.id)
            .bind(name)
            .bind(digest(&secret))
            .bind(&prefix)
            .bind(now)
            .bind(expires_at)
            .fetch_one(c)
            .await)?;
        tx.audit(
            &Actor::user(user.id, user.organisation_id),
            "token.create",
            "api_token",
            &id.to_string(),
            json!({"name": name, "prefix": prefix, "expires_at": expires_at}),
        )
        .await?;
        tx.commit().await?;
        let token = ApiToken {
            id,
            name: name.to_owned(),
            prefix,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
            expires_at,
        };
        Ok((token, secret))
    }

    /// A user's tokens, newest first, revoked ones included.
    pub async fn list_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        Ok(
            on_each_backend!(self, pool => sqlx::query_as(LIST).bind(user_id).fetch_all(pool).await)?,
        )
    }

    /// Revokes one of the user's own tokens; another user's token is not found.
    pub async fn revoke_token(&self, user: &User, token_id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let done = on_tx!(tx, c => sqlx::query(REVOKE).bind(token_id).bind(user.id).bind(now).execute(c).await.map(crate::backend::affected))?;
        if done == 0 {
            return Err(StoreError::NotFound(format!("token {token_id}")));
        }
        tx.audit(
            &Actor::user(user.id, user.organisation_id),
            "token.revoke",
            "api_token",
            &token_id.to_string(),
            json!({}),
        )
        .await?;
        tx.commit().await
    }

    /// The user a live token belongs to: not revoked, not expired at `now`, user not disabled.
    /// Notes when it was last used (to the minute).
    pub async fn user_by_token(
        &self,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let row: Option<TokenUserRow> = on_each_backend!(self, pool =>
            sqlx::query_as(FIND).bind(digest(secret)).fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        if row.expires_at <= now {
            return Ok(None);
        }
        if row
            .last_used_at
            .is_none_or(|t| now - t > Duration::minutes(1))
        {
            on_each_backend!(self, pool =>
                sqlx::query(TOUCH).bind(row.token_id).bind(now).execute(pool).await.map(crate::backend::affected))?;
        }
        let user = row.user.into_user()?;
        Ok((!user.disabled).then_some(user))
    }
}
