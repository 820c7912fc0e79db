//! Clarification questions on a tender and the buyer's answers (migration 0011). Who asked
//! is stored for the buyer's staff; the use case decides who sees it (nobody else does).

use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::procurement::lifecycle::may_ask;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A question with its answer, if any, and who asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Question {
    pub id: i64,
    pub tender_id: i64,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    /// The user who asked.
    pub asked_by: i64,
    /// The organisation that asked: for the buyer's staff only.
    pub asker_organisation_id: i64,
    pub asker_organisation: String,
    pub asker_organisation_name: String,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl Question {
    /// Whether the buyer has answered.
    pub fn is_answered(&self) -> bool {
        self.answer.is_some()
    }
}

macro_rules! select_question {
    ($tail:literal) => {
        concat!(
            "SELECT q.id, q.tender_id, q.question, q.asked_at, q.asked_by, \
             q.asker_organisation_id, o.slug AS asker_organisation, \
             o.name AS asker_organisation_name, q.answer, q.answered_at \
             FROM tender_questions q JOIN organisations o ON o.id = q.asker_organisation_id ",
            $tail
        )
    };
}

const OF_TENDER: &str = select_question!("WHERE q.tender_id = $1 ORDER BY q.asked_at, q.id");
const ONE: &str = select_question!("WHERE q.id = $1 AND q.tender_id = $2");
const INSERT: &str = "INSERT INTO tender_questions (tender_id, asked_by, asker_organisation_id, \
    question, asked_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const ANSWER: &str = "UPDATE tender_questions SET answer = $3, answered_by = $4, answered_at = $5 \
    WHERE id = $1 AND tender_id = $2 AND answer IS NULL";

impl Store {
    /// Every question of a tender, oldest first, answered or not.
    pub async fn tender_questions(&self, tender_id: i64) -> Result<Vec<Question>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(OF_TENDER).bind(tender_id).fetch_all(pool).await)?)
    }

    /// Records a question by the user `asked_by` of `organisation_id`, refused (`Conflict`,
    /// with the time) unless the tender is published and its clarification period is open by
    /// the server's clock.
    pub async fn ask_question(
        &self,
        tender_id: i64,
        asked_by: i64,
        organisation_id: i64,
        question: &str,
        actor: &Actor,
    ) -> Result<Question, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(tender_id).await?;
        let now = tx.now();
        may_ask(
            state.status,
            state.clarification_deadline,
            state.submission_deadline,
            now,
        )
        .map_err(|e| StoreError::Conflict(e.to_string()))?;
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(tender_id)
            .bind(asked_by)
            .bind(organisation_id)
            .bind(question)
            .bind(now)
            .fetch_one(c)
            .await)?;
        tx.audit(
            actor,
            "tender.question.ask",
            "tender",
            &tender_id.to_string(),
            json!({"question": id, "text": question}),
        )
        .await?;
        let q: Question = on_tx!(tx, c =>
            sqlx::query_as(ONE).bind(id).bind(tender_id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(q)
    }

    /// Records the buyer's answer to a question of this tender, once (`Conflict` when it is
    /// answered already).
    pub async fn answer_question(
        &self,
        tender_id: i64,
        question_id: i64,
        answer: &str,
        actor: &Actor,
    ) -> Result<Question, StoreError> {
        let mut tx = self.begin_write().await?;
        let existing: Option<Question> = on_tx!(tx, c =>
            sqlx::query_as(ONE).bind(question_id).bind(tender_id).fetch_optional(c).await)?;
        let existing = existing.ok_or_else(|| {
            StoreError::NotFound(format!("question {question_id} of tender {tender_id}"))
        })?;
        if existing.is_answered() {
            return Err(StoreError::Conflict(format!(
                "question {question_id} is answered already"
            )));
        }
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(ANSWER)
            .bind(question_id)
            .bind(tender_id)
            .bind(answer)
            .bind(actor.user_id)
            .bind(now)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        tx.audit(
            actor,
            "tender.question.answer",
            "tender",
            &tender_id.to_string(),
            json!({"question": question_id, "answer": answer}),
        )
        .await?;
        let q: Question = on_tx!(tx, c =>
            sqlx::query_as(ONE).bind(question_id).bind(tender_id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(q)
    }
}
