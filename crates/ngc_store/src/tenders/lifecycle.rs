//! A tender's lifecycle writes: publishing a draft (with the minimum tendering period
//! checked at the server's time), replacing a draft's details, and termination. Each reads
//! the tender's status inside its write transaction, so two writers cannot both publish.

use super::{NewTender, Tender};
use crate::organisations::decode;
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::procurement::lifecycle::{PeriodError, PeriodFacts, check_tender_period};
use ngc_domain::procurement::time_limits::TimeLimitRules;
use ngc_domain::procurement::{ContractType, Procedure, Regime, TenderStatus};
use serde_json::json;
use sqlx::FromRow;
use std::sync::LazyLock;

/// The minimum time limits shipped with ngc, read once.
static TIME_LIMITS: LazyLock<TimeLimitRules> = LazyLock::new(TimeLimitRules::shipped);

/// The tender notice as the platform published it, when the officer enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeRecord {
    /// The notice's id on the platform.
    pub notice_id: Option<String>,
    /// The day the platform published it.
    pub published_on: Option<NaiveDate>,
}

/// What a write needs to know of a tender, read inside its transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TenderState {
    pub id: i64,
    pub status: TenderStatus,
    pub lead_organisation_id: i64,
    pub regime: Regime,
    pub procedure: Procedure,
    pub contract_type: ContractType,
    pub published_at: Option<DateTime<Utc>>,
    pub clarification_deadline: Option<DateTime<Utc>>,
    pub submission_deadline: DateTime<Utc>,
}

#[derive(Debug, FromRow)]
struct StateRow {
    id: i64,
    status: String,
    lead_organisation_id: i64,
    regime: String,
    procedure: String,
    contract_type: String,
    published_at: Option<DateTime<Utc>>,
    clarification_deadline: Option<DateTime<Utc>>,
    submission_deadline: DateTime<Utc>,
}

const STATE: &str = "SELECT id, status, lead_organisation_id, regime, procedure, contract_type, \
    published_at, clarification_deadline, submission_deadline FROM tenders WHERE id = $1";
const PUBLISH: &str = "UPDATE tenders SET status = 'published', published_at = $2, \
    notice_id = $3, notice_published_on = $4, minimum_period_days = $5, \
    minimum_period_basis = $6, updated_at = $2 WHERE id = $1 AND status = 'draft'";
const TERMINATE: &str = "UPDATE tenders SET status = 'terminated', terminated_at = $2, \
    termination_reason = $3, updated_at = $2 WHERE id = $1 AND status <> 'terminated'";
const REPLACE: &str = "UPDATE tenders SET reference = $2, title = $3, description = $4, \
    classification_scheme = $5, classification_code = $6, contract_type = $7, procedure = $8, \
    commencing_event = $9, commenced_on = $10, regime = $11, estimated_value = $12, \
    vat_inclusive = $13, above_threshold = $14, reservation = $15, two_envelope = $16, \
    criteria = $17, clarification_deadline = $18, submission_deadline = $19, updated_at = $20 \
    WHERE id = $1 AND status = 'draft'";
const OTHER_WITH_REFERENCE: &str = "SELECT id FROM tenders WHERE reference = $1 AND id <> $2";
const DELETE_BUYERS: &str = "DELETE FROM tender_buyers WHERE tender_id = $1";
const DELETE_LOTS: &str = "DELETE FROM tender_lots WHERE tender_id = $1";

impl WriteTx {
    /// The tender's state inside this transaction, or `NotFound`.
    pub(crate) async fn tender_state(&mut self, id: i64) -> Result<TenderState, StoreError> {
        let row: Option<StateRow> =
            on_tx!(self, c => sqlx::query_as(STATE).bind(id).fetch_optional(c).await)?;
        let r = row.ok_or_else(|| StoreError::NotFound(format!("tender {id}")))?;
        Ok(TenderState {
            id: r.id,
            status: decode(&r.status, "tenders.status")?,
            lead_organisation_id: r.lead_organisation_id,
            regime: decode(&r.regime, "tenders.regime")?,
            procedure: decode(&r.procedure, "tenders.procedure")?,
            contract_type: decode(&r.contract_type, "tenders.contract_type")?,
            published_at: r.published_at,
            clarification_deadline: r.clarification_deadline,
            submission_deadline: r.submission_deadline,
        })
    }
}

/// The refusal of a publication, naming the field at fault.
fn period_refusal(e: PeriodError) -> StoreError {
    match e {
        PeriodError::NoRule(_) => StoreError::invalid("procedure", e.to_string()),
        _ => StoreError::invalid("submission_deadline", e.to_string()),
    }
}

impl Store {
    /// Publishes a draft at the server's time, after checking that its submission deadline
    /// leaves the minimum tendering period of its regime, procedure and contract type
    /// (electronic tenders, documents with the notice); records the limit that applied and
    /// the platform notice when given. Publishing twice is a `Conflict`; a deadline too soon
    /// is `Invalid` on `submission_deadline`, saying which limit applied.
    pub async fn publish_tender(
        &self,
        id: i64,
        notice: &NoticeRecord,
        actor: &Actor,
    ) -> Result<Tender, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(id).await?;
        if state.status != TenderStatus::Draft {
            return Err(StoreError::Conflict(format!(
                "tender {id} is {} already: a tender is published once",
                state.status
            )));
        }
        let now = tx.now();
        let facts = PeriodFacts {
            regime: state.regime,
            procedure: state.procedure,
            contract_type: state.contract_type,
        };
        let period = check_tender_period(&TIME_LIMITS, &facts, now, state.submission_deadline)
            .map_err(period_refusal)?;
        let days = period.limit.days.map(|d| d as i32);
        let basis = period.in_words();
        on_tx!(tx, c => sqlx::query(PUBLISH)
            .bind(id)
            .bind(now)
            .bind(&notice.notice_id)
            .bind(notice.published_on)
            .bind(days)
            .bind(&basis)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        tx.audit(
            actor,
            "tender.publish",
            "tender",
            &id.to_string(),
            json!({
                "published_at": now,
                "submission_deadline": state.submission_deadline,
                "minimum_period_days": days,
                "minimum_period_basis": basis,
                "notice_id": notice.notice_id,
                "notice_published_on": notice.published_on,
            }),
        )
        .await?;
        tx.commit().await?;
        self.must_find_tender(id).await
    }

    /// Replaces the details, buyers and lots of a draft. A published or terminated tender's
    /// details can no longer be edited (`Conflict`).
    pub async fn replace_tender_draft(
        &self,
        id: i64,
        new: &NewTender,
        actor: &Actor,
    ) -> Result<Tender, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(id).await?;
        if state.status != TenderStatus::Draft {
            return Err(StoreError::Conflict(format!(
                "tender {id} is {}: its details can no longer be edited",
                state.status
            )));
        }
        let clash: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(OTHER_WITH_REFERENCE)
            .bind(&new.reference).bind(id).fetch_optional(c).await)?;
        if clash.is_some() {
            return Err(StoreError::Conflict(format!(
                "a tender with the reference `{}` already exists",
                new.reference
            )));
        }
        let (lead, buyer_ids) = tx.resolve_buyers(new).await?;
        if lead != state.lead_organisation_id {
            return Err(StoreError::invalid(
                "lead_organisation",
                "the lead organisation of a tender does not change",
            ));
        }
        let now = tx.now();
        let criteria = new.criteria.to_string();
        on_tx!(tx, c => sqlx::query(REPLACE)
            .bind(id)
            .bind(&new.reference)
            .bind(&new.title)
            .bind(&new.description)
            .bind(new.classification_scheme.as_str())
            .bind(&new.classification_code)
            .bind(new.contract_type.as_str())
            .bind(new.procedure.as_str())
            .bind(new.commencing_event.as_str())
            .bind(new.commenced_on)
            .bind(Regime::for_commencement(new.commenced_on).as_str())
            .bind(new.estimated_value.as_pence())
            .bind(new.vat_inclusive)
            .bind(new.above_threshold)
            .bind(new.reservation.as_str())
            .bind(new.two_envelope)
            .bind(&criteria)
            .bind(new.clarification_deadline)
            .bind(new.submission_deadline)
            .bind(now)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        on_tx!(tx, c => sqlx::query(DELETE_BUYERS).bind(id).execute(c).await.map(crate::backend::affected))?;
        on_tx!(tx, c => sqlx::query(DELETE_LOTS).bind(id).execute(c).await.map(crate::backend::affected))?;
        tx.insert_parts(id, &buyer_ids, &new.lots).await?;
        tx.audit(
            actor,
            "tender.update",
            "tender",
            &id.to_string(),
            json!({
                "reference": new.reference,
                "title": new.title,
                "procedure": new.procedure,
                "estimated_value": new.estimated_value.to_decimal().to_string(),
                "submission_deadline": new.submission_deadline,
                "buyers": new.buyers.iter().map(|(s, p)| json!({"organisation": s, "share_percent": p.normalize().to_string()})).collect::<Vec<_>>(),
                "lots": new.lots.len(),
            }),
        )
        .await?;
        tx.commit().await?;
        self.must_find_tender(id).await
    }

    /// Terminates a procurement (a draft or a published tender) with its reason, at the
    /// server's time. Terminating twice is a `Conflict`.
    pub async fn terminate_tender(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
    ) -> Result<Tender, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(id).await?;
        if state.status == TenderStatus::Terminated {
            return Err(StoreError::Conflict(format!(
                "tender {id} is terminated already"
            )));
        }
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(TERMINATE).bind(id).bind(now).bind(reason)
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "tender.terminate",
            "tender",
            &id.to_string(),
            json!({"from": state.status, "reason": reason}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_tender(id).await
    }
}
