//! Clarification questions: a provider asks on a published tender while the clarification
//! period is open; the lead council answers; the answer goes to everyone who may see the
//! tender, and nobody but the buyers' staff learns who asked.

use crate::tenders::{find, is_buyer_staff};
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::{DateTime, Utc};
use ngc_domain::access::Action;
use ngc_store::Store;
use ngc_store::tender_questions::Question;
use ngc_store::tenders::Tender;
use serde::Deserialize;

/// The longest question or answer, in characters.
pub const MAX_TEXT: usize = 4_000;

/// A question to ask.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AskInput {
    pub question: String,
}

/// The buyer's answer.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerInput {
    pub answer: String,
}

/// Who asked, for the buyers' staff only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asker {
    pub organisation: String,
    pub organisation_name: String,
}

/// A question as its reader may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionSeen {
    pub id: i64,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Who asked: only for the buyers' staff; `None` for everyone else.
    pub asked_by: Option<Asker>,
    /// Whether the reader's own organisation asked it (so it sees its own questions before
    /// they are answered).
    pub mine: bool,
}

fn seen(q: Question, buyer_staff: bool, own_org: Option<i64>) -> QuestionSeen {
    QuestionSeen {
        mine: own_org == Some(q.asker_organisation_id),
        asked_by: buyer_staff.then_some(Asker {
            organisation: q.asker_organisation,
            organisation_name: q.asker_organisation_name,
        }),
        id: q.id,
        question: q.question,
        asked_at: q.asked_at,
        answer: q.answer,
        answered_at: q.answered_at,
    }
}

/// The questions of a tender the caller may read: every one, with who asked, for the
/// buyers' staff; the answered ones, and its own organisation's, for everyone else, without
/// who asked.
pub async fn visible(
    store: &Store,
    caller: &Caller,
    tender: &Tender,
) -> UseCaseResult<Vec<QuestionSeen>> {
    let buyer_staff = is_buyer_staff(caller, tender);
    let own = caller.principal().map(|p| p.organisation_id);
    Ok(store
        .tender_questions(tender.id)
        .await?
        .into_iter()
        .filter(|q| buyer_staff || q.is_answered() || Some(q.asker_organisation_id) == own)
        .map(|q| seen(q, buyer_staff, own))
        .collect())
}

fn text(field: &str, value: &str) -> UseCaseResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(UseCaseError::invalid(field, "must not be empty"));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(UseCaseError::invalid(
            field,
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// Asks a question on a published tender before the clarification deadline (or the
/// submission deadline when there is none), as a provider.
pub async fn ask(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: AskInput,
) -> UseCaseResult<QuestionSeen> {
    let Caller::User(p) = caller else {
        return Err(UseCaseError::Forbidden(
            "a question is asked by a provider".into(),
        ));
    };
    caller.require(Action::SubmitBids)?;
    let tender = find(store, caller, tender_id).await?;
    let question = text("question", &input.question)?;
    let q = store
        .ask_question(
            tender.id,
            p.user_id,
            p.organisation_id,
            &question,
            &caller.actor(),
        )
        .await?;
    Ok(seen(q, false, Some(p.organisation_id)))
}

/// Answers a question, once, as the lead council; the answer is then read by everyone who
/// may see the tender.
pub async fn answer(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    question_id: i64,
    input: AnswerInput,
) -> UseCaseResult<QuestionSeen> {
    let tender = find(store, caller, tender_id).await?;
    caller.require(Action::ManageTenders(tender.lead_organisation_id))?;
    let answer = text("answer", &input.answer)?;
    let q = store
        .answer_question(tender.id, question_id, &answer, &caller.actor())
        .await?;
    let own = caller.principal().map(|p| p.organisation_id);
    Ok(seen(q, is_buyer_staff(caller, &tender), own))
}
