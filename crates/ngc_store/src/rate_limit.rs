//! Sign-in limits, counted in the database so that every server sees the same count.
//!
//! Every sign-in attempt is checked and recorded by ONE upsert per key ([`Store::try_sign_in`]),
//! before the password is looked at, so parallel attempts cannot slip past the limit: the
//! row lock of `ON CONFLICT DO UPDATE` (PostgreSQL) or the single writer (SQLite) orders them.
//!
//! The rule, with two keys per attempt:
//! - **the client address** ([`ADDRESS_LIMIT`]): 5 failures within 15 minutes block the address
//!   for 1 minute, then 2, 4, 8 … minutes for each further 5 failures, at most a day. An address
//!   whose row is idle for a day is forgotten ([`Store::purge_sign_in_records`]).
//! - **the email** ([`EMAIL_LIMIT`]): 20 failures within an hour block the email for 15 minutes,
//!   never longer: a stranger cannot lock an account out for good, and to reach the email's
//!   limit needs many addresses, each of which is blocked first.
//!
//! A successful sign-in forgets the email's failures and gives the address its attempt back.

use crate::{Store, StoreError, on_each_backend};
use chrono::{DateTime, Duration, Utc};

/// How attempts on one kind of key are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts allowed within [`Limit::window`] (failed ones, plus those still being checked).
    pub attempts: i64,
    /// The window attempts are counted over.
    pub window: Duration,
    /// The first block once the limit is passed.
    pub block: Duration,
    /// Each further block is this many times the last (1: always the same).
    pub growth: i64,
    /// The longest block.
    pub max_block: Duration,
}

/// The limit of one client address: quick, with growing back-off.
pub const ADDRESS_LIMIT: Limit = Limit {
    attempts: 5,
    window: Duration::minutes(15),
    block: Duration::minutes(1),
    growth: 2,
    max_block: Duration::days(1),
};

/// The limit of one email: higher, and time-bounded.
pub const EMAIL_LIMIT: Limit = Limit {
    attempts: 20,
    window: Duration::hours(1),
    block: Duration::minutes(15),
    growth: 1,
    max_block: Duration::minutes(15),
};

/// The limit of public supplier registrations from one client address, counted with the
/// same upsert as sign-ins (under its own key): every attempt counts, accepted or not, as
/// each one may cost a password hash and a row for the administrator to read. 10 within an
/// hour block the address for an hour, then 2, 4 … hours, at most a day.
pub const REGISTRATION_LIMIT: Limit = Limit {
    attempts: 10,
    window: Duration::hours(1),
    block: Duration::hours(1),
    growth: 2,
    max_block: Duration::days(1),
};

/// The limit of consultation responses from one client address, counted with the same
/// upsert under a keyed hash of the address (never the address itself): every submission
/// counts, accepted or not. 10 within an hour block the address for an hour, then 2, 4 …
/// hours, at most a day; the record goes once idle for a day ([`KEEP_RECORDS`]).
pub const RESPONSE_LIMIT: Limit = Limit {
    attempts: 10,
    window: Duration::hours(1),
    block: Duration::hours(1),
    growth: 2,
    max_block: Duration::days(1),
};

/// How long a key's record is kept once idle and unblocked.
pub const KEEP_RECORDS: Duration = Duration::days(1);

/// The answer to an attempt: go ahead, or wait until a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The attempt is counted; check the password.
    Allowed,
    /// The key is blocked until then; the password must not be checked.
    BlockedUntil(DateTime<Utc>),
}

// $1 key, $2 now, $3 window, $4 limit, $5 first block, $6 growth, $7 longest block (ms).
// In `DO UPDATE SET`, `sign_in_limits.x` is the row before the update on both backends.
const TRY: &str = "INSERT INTO sign_in_limits (key, window_start_ms, attempts, blocked_until_ms, block_ms) \
    VALUES ($1, $2, 1, 0, $5) \
    ON CONFLICT (key) DO UPDATE SET \
    attempts = CASE WHEN sign_in_limits.blocked_until_ms > $2 THEN sign_in_limits.attempts \
        WHEN (CASE WHEN sign_in_limits.window_start_ms + $3 <= $2 THEN 1 ELSE sign_in_limits.attempts + 1 END) > $4 THEN 0 \
        WHEN sign_in_limits.window_start_ms + $3 <= $2 THEN 1 \
        ELSE sign_in_limits.attempts + 1 END, \
    window_start_ms = CASE WHEN sign_in_limits.blocked_until_ms > $2 THEN sign_in_limits.window_start_ms \
        WHEN sign_in_limits.window_start_ms + $3 <= $2 THEN $2 \
        WHEN sign_in_limits.attempts + 1 > $4 THEN $2 \
        ELSE sign_in_limits.window_start_ms END, \
    blocked_until_ms = CASE WHEN sign_in_limits.blocked_until_ms > $2 THEN sign_in_limits.blocked_until_ms \
        WHEN sign_in_limits.window_start_ms + $3 > $2 AND sign_in_limits.attempts + 1 > $4 \
            THEN $2 + sign_in_limits.block_ms \
        ELSE sign_in_limits.blocked_until_ms END, \
    block_ms = CASE WHEN sign_in_limits.blocked_until_ms > $2 THEN sign_in_limits.block_ms \
        WHEN sign_in_limits.window_start_ms + $3 > $2 AND sign_in_limits.attempts + 1 > $4 \
            THEN CASE WHEN sign_in_limits.block_ms * $6 > $7 THEN $7 ELSE sign_in_limits.block_ms * $6 END \
        ELSE sign_in_limits.block_ms END \
    RETURNING blocked_until_ms";
const GIVE_BACK: &str =
    "UPDATE sign_in_limits SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0";
const FORGET: &str = "DELETE FROM sign_in_limits WHERE key = $1";
const PURGE_LIMITS: &str =
    "DELETE FROM sign_in_limits WHERE window_start_ms < $1 AND blocked_until_ms < $2";
const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// What [`Store::purge_sign_in_records`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Expired sessions.
    pub sessions: u64,
    /// Idle, unblocked sign-in limit records.
    pub sign_in_records: u64,
}

impl Store {
    /// Checks and records one sign-in attempt on `key` at `now`, in one statement.
    pub async fn try_sign_in(
        &self,
        key: &str,
        limit: Limit,
        now: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        let now_ms = ms(now);
        let blocked_until: i64 = on_each_backend!(self, pool => sqlx::query_scalar(TRY)
            .bind(key)
            .bind(now_ms)
            .bind(limit.window.num_milliseconds())
            .bind(limit.attempts)
            .bind(limit.block.num_milliseconds())
            .bind(limit.growth)
            .bind(limit.max_block.num_milliseconds())
            .fetch_one(pool)
            .await)?;
        Ok(if blocked_until > now_ms {
            Attempt::BlockedUntil(
                DateTime::from_timestamp_millis(blocked_until).unwrap_or(DateTime::<Utc>::MAX_UTC),
            )
        } else {
            Attempt::Allowed
        })
    }

    /// Gives `key` back the attempt it was charged for one that succeeded.
    pub async fn give_back_attempt(&self, key: &str) -> Result<(), StoreError> {
        on_each_backend!(self, pool => sqlx::query(GIVE_BACK).bind(key).execute(pool).await.map(crate::backend::affected))?;
        Ok(())
    }

    /// Forgets every attempt on `key` (after a successful sign-in with that email).
    pub async fn forget_attempts(&self, key: &str) -> Result<(), StoreError> {
        on_each_backend!(self, pool => sqlx::query(FORGET).bind(key).execute(pool).await.map(crate::backend::affected))?;
        Ok(())
    }

    /// Deletes the sessions expired at `now` and the sign-in records idle for
    /// [`KEEP_RECORDS`] and no longer blocking.
    pub async fn purge_sign_in_records(&self, now: DateTime<Utc>) -> Result<Purged, StoreError> {
        let sessions = on_each_backend!(self, pool => sqlx::query(PURGE_SESSIONS).bind(now).execute(pool).await.map(crate::backend::affected))?;
        let sign_in_records = on_each_backend!(self, pool => sqlx::query(PURGE_LIMITS)
            .bind(ms(now - KEEP_RECORDS))
            .bind(ms(now))
            .execute(pool)
            .await
            .map(crate::backend::affected))?;
        Ok(Purged {
            sessions,
            sign_in_records,
        })
    }
}
