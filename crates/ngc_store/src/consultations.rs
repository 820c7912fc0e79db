//! Public budget consultations (issue 13, migration 0032): a council asks the public how it
//! would balance a plan's year (`consultations`), takes one response per browser
//! (`consultation_responses`, keyed by a hash of the browser's token, never the token), keeps
//! the results as they come (`consultation_tallies`: one row per option and step, incremented
//! in the transaction that inserts the response), and lets officers attach what they learnt to
//! lines of their plan (`consultation_notes`, never deleted).
//!
//! The store knows nothing of the consultation's shape: the officer's settings and the
//! definition built from them are JSON text, checked only to be JSON. The keyed hash of a
//! response token uses the instance secret [`Store::consultation_key`].

use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use rand::RngCore;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A consultation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct StoredConsultation {
    pub id: i64,
    /// The council consulting.
    pub organisation_id: i64,
    /// The name of the plan consulted on.
    pub plan: String,
    /// The financial year consulted on (`2016-17`).
    pub year: String,
    pub title: String,
    /// The text shown above the questions.
    pub introduction: String,
    /// The first day responses are taken.
    pub opens_on: NaiveDate,
    /// The last day responses are taken.
    pub closes_on: NaiveDate,
    /// The JSON the officer gave, as given.
    pub settings: String,
    /// The JSON built from the settings: what the public are asked.
    pub definition: String,
    /// Whether the results are shown to the public.
    pub results_published: bool,
    /// The user who created it (`None` for the system).
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A consultation to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsultation<'a> {
    pub organisation_id: i64,
    /// The name of the plan consulted on.
    pub plan: &'a str,
    /// The financial year (`2016-17`).
    pub year: &'a str,
    pub title: &'a str,
    pub introduction: &'a str,
    /// The first day responses are taken.
    pub opens_on: NaiveDate,
    /// The last day responses are taken; not before `opens_on`.
    pub closes_on: NaiveDate,
    /// The JSON the officer gave.
    pub settings: &'a str,
    /// The JSON built from the settings.
    pub definition: &'a str,
}

/// A response to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResponse<'a> {
    pub consultation_id: i64,
    /// The keyed hash of the browser's token (see [`Store::consultation_key`]); one response
    /// per hash and consultation.
    pub token_hash: &'a str,
    /// The choices as JSON, kept as given for the export.
    pub choices: &'a str,
    /// The step chosen for each option (`option_key`, step): each increments its tally. An
    /// option appears at most once.
    pub steps: &'a [(String, i64)],
    /// The postcode district (`NN1`), if the respondent gave it.
    pub postcode_district: Option<&'a str>,
    /// The age band, if the respondent gave it.
    pub age_band: Option<&'a str>,
}

/// A response as stored, for the export: no token hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct StoredResponse {
    pub id: i64,
    /// The choices as JSON, as given.
    pub choices: String,
    pub postcode_district: Option<String>,
    pub age_band: Option<String>,
    pub submitted_at: DateTime<Utc>,
}

/// A note to attach from a consultation to a line of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote<'a> {
    pub consultation_id: i64,
    /// The council whose plan it is: the consultation's own.
    pub organisation_id: i64,
    /// The name of the plan.
    pub plan: &'a str,
    /// The plan line the note concerns (`service:adult_social_care`, or a saving's reference).
    pub line: &'a str,
    pub note: &'a str,
}

/// A note as stored. Notes are kept: none is changed or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct StoredNote {
    pub id: i64,
    pub consultation_id: i64,
    pub organisation_id: i64,
    pub plan: String,
    /// The plan line the note concerns.
    pub line: String,
    pub note: String,
    /// The user who attached it (`None` for the system).
    pub attached_by: Option<i64>,
    pub attached_at: DateTime<Utc>,
}

/// The name of the instance setting holding the consultation key (hex).
const KEY_SETTING: &str = "consultation_key";
/// The consultation key's length in bytes.
pub const KEY_LEN: usize = 32;

const COLUMNS: &str = "id, organisation_id, plan, year, title, introduction, opens_on, \
    closes_on, settings, definition, results_published, created_by, created_at";
const INSERT: &str = "INSERT INTO consultations (organisation_id, plan, year, title, \
    introduction, opens_on, closes_on, settings, definition, results_published, created_by, \
    created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE, $10, $11) RETURNING id";
const ORGANISATION_EXISTS: &str = "SELECT id FROM organisations WHERE id = $1";
const CONSULTATION_EXISTS: &str = "SELECT id FROM consultations WHERE id = $1";
const CONSULTATION_OWNER: &str = "SELECT organisation_id FROM consultations WHERE id = $1";
const PUBLISH: &str = "UPDATE consultations SET results_published = $2 WHERE id = $1";

const INSERT_RESPONSE: &str = "INSERT INTO consultation_responses (consultation_id, \
    token_hash, choices, postcode_district, age_band, submitted_at) \
    VALUES ($1, $2, $3, $4, $5, $6) \
    ON CONFLICT (consultation_id, token_hash) DO NOTHING RETURNING id";
const TALLY: &str = "INSERT INTO consultation_tallies (consultation_id, option_key, step, \
    responses) VALUES ($1, $2, $3, 1) ON CONFLICT (consultation_id, option_key, step) \
    DO UPDATE SET responses = consultation_tallies.responses + 1";
const TALLIES: &str = "SELECT option_key, step, responses FROM consultation_tallies \
    WHERE consultation_id = $1 ORDER BY option_key, step";
const RESPONSE_COUNT: &str =
    "SELECT COUNT(*) FROM consultation_responses WHERE consultation_id = $1";
const RESPONSES: &str = "SELECT id, choices, postcode_district, age_band, submitted_at \
    FROM consultation_responses WHERE consultation_id = $1 ORDER BY id";

const NOTE_COLUMNS: &str =
    "id, consultation_id, organisation_id, plan, line, note, attached_by, attached_at";
const INSERT_NOTE: &str = "INSERT INTO consultation_notes (consultation_id, organisation_id, \
    plan, line, note, attached_by, attached_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
    RETURNING id";

const GET_SETTING: &str = "SELECT value FROM instance_settings WHERE name = $1";
const INSERT_SETTING_IF_ABSENT: &str = "INSERT INTO instance_settings (name, value) \
    VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

fn by_id() -> String {
    format!("SELECT {COLUMNS} FROM consultations WHERE id = $1")
}

/// Refuses text that is not JSON, naming `field`.
fn check_json(field: &str, text: &str) -> Result<(), StoreError> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(drop)
        .map_err(|e| StoreError::invalid(field, format!("is not JSON: {e}")))
}

/// Refuses empty (or blank) text, naming `field`.
fn check_given(field: &str, text: &str) -> Result<(), StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::invalid(field, "must not be empty"));
    }
    Ok(())
}

fn not_found(id: i64) -> StoreError {
    StoreError::NotFound(format!("consultation {id}"))
}

/// The consultation key from its stored hex, which must be [`KEY_LEN`] bytes.
fn decode_key(hex_key: &str) -> Result<Vec<u8>, StoreError> {
    match hex::decode(hex_key.trim()) {
        Ok(key) if key.len() == KEY_LEN => Ok(key),
        _ => Err(StoreError::invalid(
            KEY_SETTING,
            format!("the stored key is not {KEY_LEN} bytes of hex"),
        )),
    }
}

impl Store {
    /// Creates a consultation, its results unpublished, with its audit record
    /// `consultation.create`. Refused (nothing written) when it closes before it opens, when a
    /// text the public sees is empty, or when the settings or definition are not JSON.
    pub async fn create_consultation(
        &self,
        new: &NewConsultation<'_>,
        actor: &Actor,
    ) -> Result<StoredConsultation, StoreError> {
        if new.closes_on < new.opens_on {
            return Err(StoreError::invalid(
                "closes_on",
                format!(
                    "the consultation closes ({}) before it opens ({})",
                    new.closes_on, new.opens_on
                ),
            ));
        }
        check_given("plan", new.plan)?;
        check_given("year", new.year)?;
        check_given("title", new.title)?;
        check_json("settings", new.settings)?;
        check_json("definition", new.definition)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let organisation: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(ORGANISATION_EXISTS)
            .bind(new.organisation_id).fetch_optional(c).await)?;
        if organisation.is_none() {
            return Err(StoreError::NotFound(format!(
                "organisation {}",
                new.organisation_id
            )));
        }
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT).bind(new.organisation_id)
            .bind(new.plan).bind(new.year).bind(new.title).bind(new.introduction)
            .bind(new.opens_on).bind(new.closes_on).bind(new.settings).bind(new.definition)
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "consultation.create",
            "consultation",
            &id.to_string(),
            json!({"organisation_id": new.organisation_id, "plan": new.plan, "year": new.year,
                "title": new.title, "introduction": new.introduction,
                "opens_on": new.opens_on, "closes_on": new.closes_on,
                "settings": new.settings,
                "definition_sha256": hex::encode(Sha256::digest(new.definition.as_bytes()))}),
        )
        .await?;
        let sql = by_id();
        let stored: StoredConsultation =
            on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The consultation with `id`, if there is one.
    pub async fn consultation(&self, id: i64) -> Result<Option<StoredConsultation>, StoreError> {
        let sql = by_id();
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// A council's consultations, the newest first.
    pub async fn consultations_of(
        &self,
        organisation_id: i64,
    ) -> Result<Vec<StoredConsultation>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM consultations WHERE organisation_id = $1 ORDER BY id DESC"
        );
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(&sql).bind(organisation_id).fetch_all(pool).await)?)
    }

    /// Every council's consultations open on `today` (opened on or before it, closing on or
    /// after it), the soonest to close first.
    pub async fn open_consultations(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<StoredConsultation>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM consultations WHERE $1 BETWEEN opens_on AND closes_on \
             ORDER BY closes_on, id"
        );
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(&sql).bind(today).fetch_all(pool).await)?)
    }

    /// Shows (or hides) a consultation's results to the public, with its audit record
    /// `consultation.publish_results`; as it already is, nothing is written. Returns the
    /// consultation as it now stands.
    pub async fn publish_consultation_results(
        &self,
        id: i64,
        published: bool,
        actor: &Actor,
    ) -> Result<StoredConsultation, StoreError> {
        let sql = by_id();
        let mut tx = self.begin_write().await?;
        let current: StoredConsultation =
            on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?
                .ok_or_else(|| not_found(id))?;
        if current.results_published == published {
            return Ok(current);
        }
        on_tx!(tx, c => sqlx::query(PUBLISH).bind(id).bind(published).execute(c).await
            .map(crate::backend::affected))?;
        tx.audit(
            actor,
            "consultation.publish_results",
            "consultation",
            &id.to_string(),
            json!({"published": published}),
        )
        .await?;
        tx.commit().await?;
        Ok(StoredConsultation {
            results_published: published,
            ..current
        })
    }

    /// Records a response and increments the tally of each option's chosen step, in one
    /// transaction with its audit record `consultation.respond` (by the system; its details
    /// name the consultation only: no token, postcode or age band). Returns the response's id.
    ///
    /// A second response with the same token hash to the same consultation is a conflict and
    /// writes nothing. Whether the consultation is open is the caller's to check.
    pub async fn record_response(&self, new: &NewResponse<'_>) -> Result<i64, StoreError> {
        check_given("token_hash", new.token_hash)?;
        check_json("choices", new.choices)?;
        for (i, (key, _)) in new.steps.iter().enumerate() {
            check_given("steps", key)?;
            if new.steps[..i].iter().any(|(k, _)| k == key) {
                return Err(StoreError::invalid(
                    "steps",
                    format!("option `{key}` is chosen more than once"),
                ));
            }
        }
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let exists: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(CONSULTATION_EXISTS)
            .bind(new.consultation_id).fetch_optional(c).await)?;
        if exists.is_none() {
            return Err(not_found(new.consultation_id));
        }
        let id: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(INSERT_RESPONSE)
            .bind(new.consultation_id).bind(new.token_hash).bind(new.choices)
            .bind(new.postcode_district).bind(new.age_band).bind(now)
            .fetch_optional(c).await)?;
        let Some(id) = id else {
            // Dropping the transaction rolls it back: nothing is written.
            return Err(StoreError::Conflict(
                "this browser has already responded to this consultation".into(),
            ));
        };
        for (key, step) in new.steps {
            on_tx!(tx, c => sqlx::query(TALLY).bind(new.consultation_id).bind(key).bind(*step)
                .execute(c).await.map(crate::backend::affected))?;
        }
        tx.audit(
            &Actor::system(),
            "consultation.respond",
            "consultation_response",
            &id.to_string(),
            json!({"consultation_id": new.consultation_id}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A consultation's results as they stand: (option key, step, responses choosing it), by
    /// option key then step. Steps no response chose are absent.
    pub async fn consultation_tallies(
        &self,
        consultation_id: i64,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(TALLIES).bind(consultation_id).fetch_all(pool).await)?)
    }

    /// How many responses a consultation has had.
    pub async fn consultation_response_count(&self, id: i64) -> Result<i64, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_scalar(RESPONSE_COUNT).bind(id).fetch_one(pool).await)?)
    }

    /// A consultation's responses in the order received, for the export (no token hash).
    pub async fn consultation_responses(&self, id: i64) -> Result<Vec<StoredResponse>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(RESPONSES).bind(id).fetch_all(pool).await)?)
    }

    /// Attaches a note from a consultation to a line of its council's plan, with its audit
    /// record `consultation.note`. The consultation must be the organisation's own (else it is
    /// not found); the line and the note must not be empty.
    pub async fn attach_consultation_note(
        &self,
        new: &NewNote<'_>,
        actor: &Actor,
    ) -> Result<StoredNote, StoreError> {
        check_given("plan", new.plan)?;
        check_given("line", new.line)?;
        check_given("note", new.note)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let owner: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(CONSULTATION_OWNER)
            .bind(new.consultation_id).fetch_optional(c).await)?;
        if owner != Some(new.organisation_id) {
            return Err(not_found(new.consultation_id));
        }
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_NOTE).bind(new.consultation_id)
            .bind(new.organisation_id).bind(new.plan).bind(new.line).bind(new.note)
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "consultation.note",
            "consultation_note",
            &id.to_string(),
            json!({"consultation_id": new.consultation_id,
                "organisation_id": new.organisation_id, "plan": new.plan, "line": new.line,
                "note": new.note}),
        )
        .await?;
        tx.commit().await?;
        Ok(StoredNote {
            id,
            consultation_id: new.consultation_id,
            organisation_id: new.organisation_id,
            plan: new.plan.to_owned(),
            line: new.line.to_owned(),
            note: new.note.to_owned(),
            attached_by: actor.user_id,
            attached_at: now,
        })
    }

    /// The notes attached to lines of a council's plan, from any of its consultations, in the
    /// order attached.
    pub async fn consultation_notes_of_plan(
        &self,
        organisation_id: i64,
        plan: &str,
    ) -> Result<Vec<StoredNote>, StoreError> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM consultation_notes \
             WHERE organisation_id = $1 AND plan = $2 ORDER BY id"
        );
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(&sql).bind(organisation_id).bind(plan).fetch_all(pool).await)?)
    }

    /// The instance's consultation key: [`KEY_LEN`] random bytes that key the hash of a
    /// response token, kept (as hex) in `instance_settings` under `consultation_key`. Made on
    /// the first call, in a write transaction that inserts it only if absent and reads back
    /// what is stored, so every server on one database uses the same key; its making is
    /// audited (`consultation.key_created`) without the key.
    pub async fn consultation_key(&self) -> Result<Vec<u8>, StoreError> {
        let stored: Option<String> = on_each_backend!(self, pool =>
            sqlx::query_scalar(GET_SETTING).bind(KEY_SETTING).fetch_optional(pool).await)?;
        if let Some(hex_key) = stored {
            return decode_key(&hex_key);
        }
        let fresh = {
            let mut bytes = [0u8; KEY_LEN];
            rand::rng().fill_bytes(&mut bytes);
            hex::encode(bytes)
        };
        let mut tx = self.begin_write().await?;
        let inserted = on_tx!(tx, c => sqlx::query(INSERT_SETTING_IF_ABSENT).bind(KEY_SETTING)
            .bind(&fresh).execute(c).await.map(crate::backend::affected))?;
        let hex_key: String = on_tx!(tx, c => sqlx::query_scalar(GET_SETTING).bind(KEY_SETTING)
            .fetch_one(c).await)?;
        if inserted == 1 {
            tx.audit(
                &Actor::system(),
                "consultation.key_created",
                "instance_setting",
                KEY_SETTING,
                json!({"bytes": KEY_LEN}),
            )
            .await?;
        }
        tx.commit().await?;
        decode_key(&hex_key)
    }
}
