//! Cookie sessions, stored in the database so that any server can serve any request.

use crate::credentials::{digest, new_secret};
use crate::users::{User, UserRow, user_columns};
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::FromRow;

/// A signed-in session: the user and its CSRF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    /// The partnership the user acts for in this session, if any.
    pub acting: Option<Acting>,
}

/// The partnership a session acts for: its slug and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub slug: String,
    pub name: String,
}

/// A new session's secret (for the cookie) and CSRF token (for forms).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// How long a session lasts.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

#[derive(Debug, FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    expires_at: DateTime<Utc>,
    acting_slug: Option<String>,
    acting_name: Option<String>,
}

const INSERT: &str = "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
    VALUES ($1, $2, $3, $4, $5)";
const FIND: &str = concat!(
    "SELECT ",
    user_columns!(),
    ", s.csrf_token, s.expires_at, p.slug AS acting_slug, p.name AS acting_name \
     FROM sessions s JOIN users u ON u.id = s.user_id \
     JOIN organisations o ON o.id = u.organisation_id \
     LEFT JOIN partnerships p ON p.id = s.acting_partnership_id WHERE s.id_hash = $1"
);
const DELETE: &str = "DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id";
const ACT_FOR: &str =
    "UPDATE sessions SET acting_partnership_id = $2 WHERE id_hash = $1 RETURNING user_id";

impl Store {
    /// Opens a session for a user who has just proved who they are.
    pub async fn create_session(&self, user: &User) -> Result<NewSession, StoreError> {
        let secret = new_secret();
        let csrf_token = new_secret();
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let expires_at = now + SESSION_LIFETIME;
        on_tx!(tx, c => sqlx::query(INSERT)
            .bind(digest(&secret))
            .bind(user.id)
            .bind(&csrf_token)
            .bind(now)
            .bind(expires_at)
            .execute(c)
            .await.map(crate::backend::affected))?;
        tx.audit(
            &Actor::user(user.id, user.organisation_id),
            "session.create",
            "user",
            &user.id.to_string(),
            json!({"email": user.email}),
        )
        .await?;
        tx.commit().await?;
        Ok(NewSession {
            secret,
            csrf_token,
            expires_at,
        })
    }

    /// The live session with this cookie secret, if it exists, has not expired at `now`,
    /// and its user is not disabled.
    pub async fn session(
        &self,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        let row: Option<SessionRow> = on_each_backend!(self, pool =>
            sqlx::query_as(FIND).bind(digest(secret)).fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        if row.expires_at <= now {
            return Ok(None);
        }
        let user = row.user.into_user()?;
        if user.disabled {
            return Ok(None);
        }
        let acting = match (row.acting_slug, row.acting_name) {
            (Some(slug), Some(name)) => Some(Acting { slug, name }),
            _ => None,
        };
        Ok(Some(Session {
            user,
            csrf_token: row.csrf_token,
            expires_at: row.expires_at,
            acting,
        }))
    }

    /// Makes the session with this cookie secret act for the partnership with this id, or
    /// (with `None`) for the user's own organisation again. The caller has checked the user
    /// may act for it.
    pub async fn act_for(
        &self,
        secret: &str,
        partnership_id: Option<i64>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let user: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(ACT_FOR)
            .bind(digest(secret)).bind(partnership_id).fetch_optional(c).await)?;
        let user_id = user.ok_or_else(|| StoreError::NotFound("session".to_owned()))?;
        tx.audit(
            actor,
            "session.act_for",
            "user",
            &user_id.to_string(),
            json!({"partnership_id": partnership_id}),
        )
        .await?;
        tx.commit().await
    }

    /// Ends a session (signing out). Ending an unknown session is not an error.
    pub async fn delete_session(&self, secret: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let user: Option<i64> = on_tx!(tx, c =>
            sqlx::query_scalar(DELETE).bind(digest(secret)).fetch_optional(c).await)?;
        if let Some(user_id) = user {
            tx.audit(
                &Actor {
                    user_id: Some(user_id),
                    organisation_id: None,
                },
                "session.delete",
                "user",
                &user_id.to_string(),
                json!({}),
            )
            .await?;
        }
        tx.commit().await
    }
}
