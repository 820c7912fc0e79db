//! Users: one role in one organisation, a hashed password.

use crate::credentials::{dummy_hash, hash_password, verify_password};
use crate::organisations::decode;
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::Role;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A user as stored, with the organisation it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_name: String,
    pub created_at: DateTime<Utc>,
    pub disabled: bool,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organisation: &'a str,
    pub password: &'a str,
}

#[derive(Debug, FromRow)]
pub(crate) struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    organisation_id: i64,
    organisation: String,
    organisation_name: String,
    created_at: DateTime<Utc>,
    disabled_at: Option<DateTime<Utc>>,
}

impl UserRow {
    pub(crate) fn into_user(self) -> Result<User, StoreError> {
        Ok(User {
            id: self.id,
            role: decode(&self.role, "users.role")?,
            email: self.email,
            name: self.name,
            organisation_id: self.organisation_id,
            organisation: self.organisation,
            organisation_name: self.organisation_name,
            created_at: self.created_at,
            disabled: self.disabled_at.is_some(),
        })
    }
}

/// The columns of a user row, from `users u` joined to `organisations o`.
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.name, u.role, u.organisation_id, o.slug AS organisation, \
         o.name AS organisation_name, u.created_at, u.disabled_at"
    };
}
pub(crate) use user_columns;

macro_rules! select_user {
    ($tail:literal) => {
        concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u JOIN organisations o ON o.id = u.organisation_id ",
            $tail
        )
    };
}

const LIST: &str = select_user!("ORDER BY o.name, u.email");
const LIST_OF: &str = select_user!("WHERE u.organisation_id = $1 ORDER BY u.email");
const SET_DISABLED: &str = "UPDATE users SET disabled_at = $2 WHERE id = $1";
const BY_EMAIL: &str = select_user!("WHERE u.email = $1");
const BY_ID: &str = select_user!("WHERE u.id = $1");
const PASSWORD_OF: &str =
    "SELECT id, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL";
const INSERT: &str = "INSERT INTO users (email, name, password_hash, role, organisation_id, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

/// A user row to write inside a transaction: the email already normalised, the password
/// already hashed.
pub(crate) struct UserToInsert<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub organisation_id: i64,
    /// The organisation's slug, for the audit record.
    pub organisation: &'a str,
}

impl WriteTx {
    /// Inserts a user, audited as `user.create`; a taken email is a conflict.
    pub(crate) async fn insert_user(
        &mut self,
        user: &UserToInsert<'_>,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let id: Result<i64, sqlx::Error> = on_tx!(self, c => sqlx::query_scalar(INSERT)
            .bind(user.email)
            .bind(user.name)
            .bind(user.password_hash)
            .bind(user.role.as_str())
            .bind(user.organisation_id)
            .bind(now)
            .fetch_one(c)
            .await);
        let id = match id.map_err(StoreError::from) {
            Err(e) if e.is_unique_violation() => {
                return Err(StoreError::Conflict(format!(
                    "a user with the email `{}` already exists",
                    user.email
                )));
            }
            other => other?,
        };
        self.audit(
            actor,
            "user.create",
            "user",
            &id.to_string(),
            json!({"email": user.email, "role": user.role, "organisation": user.organisation}),
        )
        .await?;
        Ok(id)
    }
}

/// Lowercases and checks an email address: one `@`, something either side, no spaces.
pub fn normalise_email(email: &str) -> Result<String, StoreError> {
    let email = email.trim().to_lowercase();
    let ok = matches!(email.split_once('@'), Some((a, b)) if !a.is_empty() && b.contains('.') && !b.contains('@'))
        && !email.contains(char::is_whitespace)
        && email.len() <= 254;
    if ok {
        Ok(email)
    } else {
        Err(StoreError::invalid(
            "email",
            format!("`{email}` is not an email address"),
        ))
    }
}

impl Store {
    /// Every user, by organisation then email.
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> =
            on_each_backend!(self, pool => sqlx::query_as(LIST).fetch_all(pool).await)?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    /// The users of one organisation, by email.
    pub async fn list_users_of(&self, organisation_id: i64) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = on_each_backend!(self, pool =>
            sqlx::query_as(LIST_OF).bind(organisation_id).fetch_all(pool).await)?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    /// Disables (`true`) or enables (`false`) the user with this id, audited as
    /// `user.disable` or `user.enable`. A disabled user's sessions and tokens stop working
    /// at once (they are checked on every request) and start again when enabled. Disabling
    /// a disabled user, or enabling an enabled one, changes nothing and writes nothing.
    pub async fn set_user_disabled(
        &self,
        id: i64,
        disabled: bool,
        actor: &Actor,
    ) -> Result<User, StoreError> {
        let user = self
            .user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        if user.disabled == disabled {
            return Ok(user);
        }
        let mut tx = self.begin_write().await?;
        let at = disabled.then(|| tx.now());
        on_tx!(tx, c => sqlx::query(SET_DISABLED).bind(id).bind(at).execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            if disabled {
                "user.disable"
            } else {
                "user.enable"
            },
            "user",
            &id.to_string(),
            json!({"email": user.email}),
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
    }

    /// The user with this email address.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let email = email.trim().to_lowercase();
        let row: Option<UserRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_EMAIL).bind(&email).fetch_optional(pool).await)?;
        row.map(UserRow::into_user).transpose()
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await)?;
        row.map(UserRow::into_user).transpose()
    }

    /// Creates a user; a taken email is a conflict, an unknown organisation is invalid.
    pub async fn create_user(&self, new: &NewUser<'_>, actor: &Actor) -> Result<User, StoreError> {
        let email = normalise_email(new.email)?;
        let hash = {
            let password = new.password.to_owned();
            tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| StoreError::Unsupported(format!("password hashing failed: {e}")))?
        };
        let mut tx = self.begin_write().await?;
        let org = tx.organisation_id(new.organisation).await?.ok_or_else(|| {
            StoreError::invalid(
                "org",
                format!("no organisation has the slug `{}`", new.organisation),
            )
        })?;
        let name = if new.name.trim().is_empty() {
            email.as_str()
        } else {
            new.name.trim()
        };
        let user = UserToInsert {
            email: &email,
            name,
            password_hash: &hash,
            role: new.role,
            organisation_id: org,
            organisation: new.organisation,
        };
        let id = tx.insert_user(&user, actor).await?;
        tx.commit().await?;
        self.user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
    }

    /// The user whose email and password match; `None` for a wrong password or unknown email
    /// (which take the same time).
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<User>, StoreError> {
        let email = email.trim().to_lowercase();
        let row: Option<(i64, String)> = on_each_backend!(self, pool =>
            sqlx::query_as(PASSWORD_OF).bind(&email).fetch_optional(pool).await)?;
        let (id, hash) = match row {
            Some((id, hash)) => (Some(id), hash),
            None => (None, dummy_hash().to_owned()),
        };
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .unwrap_or(false);
        match id {
            Some(id) if ok => self.user_by_id(id).await,
            _ => Ok(None),
        }
    }
}
