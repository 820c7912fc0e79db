//! The JSON shapes of tenders: times are RFC 3339 with an offset, money a decimal string.

use chrono::{DateTime, NaiveDate, Utc};
use ngc_app::questions::QuestionSeen;
use ngc_app::tenders::TenderDetail;
use ngc_domain::money::Money;
use ngc_domain::procurement::lifecycle::DocumentKind;
use ngc_domain::procurement::{
    ContractType, Procedure, Regime, Reservation, TenderStage, TenderStatus,
};
use ngc_store::tender_documents::Document;
use ngc_store::tenders::{Lot, Tender};
use serde::Serialize;
use utoipa::ToSchema;

/// A time as the API writes it: RFC 3339 with its offset (`+00:00`).
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// A tender with its buyers, lots, documents and the questions the reader may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenderView {
    pub id: i64,
    /// The buyer's reference, unique on the instance.
    pub reference: String,
    pub title: String,
    pub description: String,
    /// The lead buyer's slug.
    pub lead_organisation: String,
    pub lead_organisation_name: String,
    /// `cpv` or `proclass`.
    pub classification_scheme: String,
    pub classification_code: String,
    pub contract_type: ContractType,
    pub procedure: Procedure,
    /// What commenced the procurement and when (they decide the regime).
    pub commencing_event: String,
    pub commenced_on: NaiveDate,
    pub regime: Regime,
    pub estimated_value: Money,
    pub vat_inclusive: bool,
    pub above_threshold: bool,
    pub reservation: Reservation,
    pub two_envelope: bool,
    /// The award criteria.
    #[schema(value_type = Object)]
    pub criteria: serde_json::Value,
    /// draft, published or terminated.
    pub status: TenderStatus,
    /// Where the tender stands now: draft, open, evaluation or terminated.
    pub stage: TenderStage,
    /// When it was published (RFC 3339).
    pub published_at: Option<String>,
    /// When clarification questions close, if earlier than the submission deadline.
    pub clarification_deadline: Option<String>,
    /// When bids close (RFC 3339, with an offset).
    pub submission_deadline: String,
    /// When questions close: the clarification deadline, or else the submission deadline.
    pub questions_close: String,
    pub terminated_at: Option<String>,
    pub termination_reason: String,
    /// The tender notice on the platform, as the officer entered it.
    pub notice: NoticeView,
    /// The minimum tendering period checked on publication (absent before).
    pub minimum_tender_period: Option<PeriodView>,
    pub buyers: Vec<BuyerView>,
    pub lots: Vec<LotView>,
    pub documents: Vec<DocumentView>,
    /// The answered questions (and, for the buyers' staff, every question with who asked;
    /// for the asker, its own unanswered ones).
    pub questions: Vec<QuestionView>,
    pub created_at: String,
    pub updated_at: String,
}

/// The tender notice as the platform published it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: Option<String>,
    pub published_on: Option<NaiveDate>,
}

/// The minimum tendering period that applied on publication.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodView {
    /// Days; absent where there is no statutory minimum.
    pub days: Option<i32>,
    /// The rule in words with its reference.
    pub basis: String,
}

/// A buyer and its cost share.
#[derive(Debug, Serialize, ToSchema)]
pub struct BuyerView {
    pub organisation: String,
    pub organisation_name: String,
    /// Percent, as a decimal string; the shares sum to 100.
    pub share_percent: String,
    /// Its share of the estimated value, split by largest remainder (the shares sum to the
    /// estimate exactly).
    pub share_of_estimated_value: Money,
}

/// A lot.
#[derive(Debug, Serialize, ToSchema)]
pub struct LotView {
    pub id: i64,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub estimated_value: Money,
    #[schema(value_type = Option<Object>)]
    pub criteria: Option<serde_json::Value>,
}

/// A procurement document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub title: String,
    pub kind: DocumentKind,
    pub url: Option<String>,
    pub text: Option<String>,
    /// SHA-256 (hex) of the text's UTF-8 bytes, or of the linked file when given.
    pub sha256: Option<String>,
    pub added_at: String,
}

/// A clarification question. Who asked appears for the buyers' staff only.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: i64,
    pub question: String,
    pub asked_at: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    /// The asking organisation's slug: for the buyers' staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked_by: Option<String>,
    /// Whether the reader's own organisation asked it.
    pub mine: bool,
}

/// A tender as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenderSummaryView {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub lead_organisation: String,
    pub lead_organisation_name: String,
    pub regime: Regime,
    pub procedure: Procedure,
    pub reservation: Reservation,
    pub estimated_value: Money,
    pub status: TenderStatus,
    pub stage: TenderStage,
    pub published_at: Option<String>,
    /// When bids close (RFC 3339, with an offset).
    pub submission_deadline: String,
    /// The buyers' slugs.
    pub buyers: Vec<String>,
}

/// The tenders the reader may see, latest deadline first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenderList {
    pub tenders: Vec<TenderSummaryView>,
}

impl From<Lot> for LotView {
    fn from(l: Lot) -> Self {
        Self {
            id: l.id,
            number: l.number,
            title: l.title,
            description: l.description,
            estimated_value: l.estimated_value,
            criteria: l.criteria,
        }
    }
}

impl From<Document> for DocumentView {
    fn from(d: Document) -> Self {
        Self {
            id: d.id,
            title: d.title,
            kind: d.kind,
            url: d.url,
            text: d.body,
            sha256: d.sha256,
            added_at: time(d.added_at),
        }
    }
}

impl From<QuestionSeen> for QuestionView {
    fn from(q: QuestionSeen) -> Self {
        Self {
            id: q.id,
            question: q.question,
            asked_at: time(q.asked_at),
            answer: q.answer,
            answered_at: q.answered_at.map(time),
            asked_by: q.asked_by.map(|a| a.organisation),
            mine: q.mine,
        }
    }
}

impl TenderSummaryView {
    /// The summary of a tender at `now`.
    pub fn of(t: Tender, now: DateTime<Utc>) -> Self {
        Self {
            stage: t.stage(now),
            id: t.id,
            reference: t.reference,
            title: t.title,
            lead_organisation: t.lead_organisation,
            lead_organisation_name: t.lead_organisation_name,
            regime: t.regime,
            procedure: t.procedure,
            reservation: t.reservation,
            estimated_value: t.estimated_value,
            status: t.status,
            published_at: t.published_at.map(time),
            submission_deadline: time(t.submission_deadline),
            buyers: t.buyers.into_iter().map(|b| b.organisation).collect(),
        }
    }
}

impl From<TenderDetail> for TenderView {
    fn from(d: TenderDetail) -> Self {
        let t = d.tender;
        let buyers = t
            .buyers
            .into_iter()
            .zip(d.shares)
            .map(|(b, share)| BuyerView {
                organisation: b.organisation,
                organisation_name: b.organisation_name,
                share_percent: b.share_percent,
                share_of_estimated_value: share,
            })
            .collect();
        Self {
            id: t.id,
            reference: t.reference,
            title: t.title,
            description: t.description,
            lead_organisation: t.lead_organisation,
            lead_organisation_name: t.lead_organisation_name,
            classification_scheme: t.classification_scheme.to_string(),
            classification_code: t.classification_code,
            contract_type: t.contract_type,
            procedure: t.procedure,
            commencing_event: t.commencing_event.to_string(),
            commenced_on: t.commenced_on,
            regime: t.regime,
            estimated_value: t.estimated_value,
            vat_inclusive: t.vat_inclusive,
            above_threshold: t.above_threshold,
            reservation: t.reservation,
            two_envelope: t.two_envelope,
            criteria: t.criteria,
            status: t.status,
            stage: d.stage,
            published_at: t.published_at.map(time),
            clarification_deadline: t.clarification_deadline.map(time),
            submission_deadline: time(t.submission_deadline),
            questions_close: time(d.questions_close),
            terminated_at: t.terminated_at.map(time),
            termination_reason: t.termination_reason,
            notice: NoticeView {
                id: t.notice_id,
                published_on: t.notice_published_on,
            },
            minimum_tender_period: t.published_at.map(|_| PeriodView {
                days: t.minimum_period_days,
                basis: t.minimum_period_basis,
            }),
            buyers,
            lots: t.lots.into_iter().map(Into::into).collect(),
            documents: d.documents.into_iter().map(Into::into).collect(),
            questions: d.questions.into_iter().map(Into::into).collect(),
            created_at: time(t.created_at),
            updated_at: time(t.updated_at),
        }
    }
}
