//! The checks before award (migration 0011): the conflicts assessment of a procurement
//! (PA2023 s83), kept in every version; each supplier's exclusion and debarment check; each
//! supplier's eligibility for a reserved competition, with the registered facts it started
//! from. Who checked and when is kept with each. Challenges and the automatic suspension
//! they bring are in [`challenges`].

pub mod challenges;

pub use challenges::Challenge;

use crate::organisations::decode;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::procurement::TenderStatus;
use ngc_domain::procurement::lifecycle::{ExclusionResult, RegisteredFacts};
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// One version of a procurement's conflicts assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct ConflictsAssessment {
    pub tender_id: i64,
    /// 1 for the first, one more for each revision.
    pub version: i32,
    /// Whether a conflict of interest was found.
    pub conflicts_found: bool,
    pub assessment: String,
    /// The steps taken to mitigate what was found.
    pub mitigations: String,
    pub assessed_by: Option<i64>,
    pub assessed_by_email: Option<String>,
    pub assessed_at: DateTime<Utc>,
}

/// A conflicts assessment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConflictsAssessment {
    pub conflicts_found: bool,
    pub assessment: String,
    pub mitigations: String,
}

/// A supplier checked against the exclusion grounds and the debarment list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionCheck {
    pub id: i64,
    pub tender_id: i64,
    pub supplier_id: i64,
    pub supplier: String,
    pub supplier_name: String,
    pub result: ExclusionResult,
    /// Whether the debarment list was consulted.
    pub debarment_list_checked: bool,
    /// The grounds considered or found, in words.
    pub grounds: String,
    pub note: String,
    pub checked_by: Option<i64>,
    pub checked_by_email: Option<String>,
    pub checked_at: DateTime<Utc>,
}

/// An exclusion check to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExclusionCheck {
    /// The supplier's slug.
    pub supplier: String,
    pub result: ExclusionResult,
    pub debarment_list_checked: bool,
    pub grounds: String,
    pub note: String,
}

/// The buyer's judgement of whether a supplier qualifies for a reserved competition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReservationCheck {
    pub id: i64,
    pub tender_id: i64,
    pub supplier_id: i64,
    pub supplier: String,
    pub supplier_name: String,
    pub eligible: bool,
    /// What the judgement rests on.
    pub evidence: String,
    /// The supplier's registered facts when it was checked.
    pub facts: RegisteredFacts,
    pub checked_by: Option<i64>,
    pub checked_by_email: Option<String>,
    pub checked_at: DateTime<Utc>,
}

/// A reserved-contract eligibility check to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReservationCheck {
    /// The supplier's slug.
    pub supplier: String,
    pub eligible: bool,
    pub evidence: String,
}

#[derive(Debug, FromRow)]
struct ExclusionRow {
    id: i64,
    tender_id: i64,
    supplier_id: i64,
    supplier: String,
    supplier_name: String,
    result: String,
    debarment_list_checked: bool,
    grounds: String,
    note: String,
    checked_by: Option<i64>,
    checked_by_email: Option<String>,
    checked_at: DateTime<Utc>,
}

#[derive(Debug, FromRow)]
struct ReservationRow {
    id: i64,
    tender_id: i64,
    supplier_id: i64,
    supplier: String,
    supplier_name: String,
    eligible: bool,
    evidence: String,
    public_service_mutual: bool,
    sme: bool,
    vcse: bool,
    checked_by: Option<i64>,
    checked_by_email: Option<String>,
    checked_at: DateTime<Utc>,
}

#[derive(Debug, FromRow)]
struct FactsRow {
    id: i64,
    public_service_mutual: bool,
    sme: bool,
    vcse: bool,
}

macro_rules! select_assessment {
    ($tail:literal) => {
        concat!(
            "SELECT a.tender_id, a.version, a.conflicts_found, a.assessment, a.mitigations, \
             a.assessed_by, u.email AS assessed_by_email, a.assessed_at \
             FROM tender_conflicts_assessments a LEFT JOIN users u ON u.id = a.assessed_by \
             WHERE a.tender_id = $1 ",
            $tail
        )
    };
}

macro_rules! select_exclusion {
    ($tail:literal) => {
        concat!(
            "SELECT e.id, e.tender_id, e.supplier_id, o.slug AS supplier, o.name AS supplier_name, \
             e.result, e.debarment_list_checked, e.grounds, e.note, e.checked_by, \
             u.email AS checked_by_email, e.checked_at \
             FROM tender_exclusion_checks e JOIN organisations o ON o.id = e.supplier_id \
             LEFT JOIN users u ON u.id = e.checked_by WHERE e.tender_id = $1 ",
            $tail
        )
    };
}

macro_rules! select_reservation {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.tender_id, r.supplier_id, o.slug AS supplier, o.name AS supplier_name, \
             r.eligible, r.evidence, r.public_service_mutual, r.sme, r.vcse, r.checked_by, \
             u.email AS checked_by_email, r.checked_at \
             FROM tender_reservation_checks r JOIN organisations o ON o.id = r.supplier_id \
             LEFT JOIN users u ON u.id = r.checked_by WHERE r.tender_id = $1 ",
            $tail
        )
    };
}

const ASSESSMENTS: &str = select_assessment!("ORDER BY a.version DESC");
const CURRENT_ASSESSMENT: &str = select_assessment!("ORDER BY a.version DESC LIMIT 1");
const LAST_VERSION: &str = "SELECT CAST(COALESCE(MAX(version), 0) AS INTEGER) \
    FROM tender_conflicts_assessments WHERE tender_id = $1";
const INSERT_ASSESSMENT: &str = "INSERT INTO tender_conflicts_assessments (tender_id, version, \
    conflicts_found, assessment, mitigations, assessed_by, assessed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
const CURRENT_EXCLUSIONS: &str = select_exclusion!(
    "AND e.id = (SELECT MAX(x.id) FROM tender_exclusion_checks x \
     WHERE x.tender_id = e.tender_id AND x.supplier_id = e.supplier_id) ORDER BY o.name"
);
const EXCLUSION_HISTORY: &str = select_exclusion!("ORDER BY e.id DESC");
const INSERT_EXCLUSION: &str = "INSERT INTO tender_exclusion_checks (tender_id, supplier_id, \
    result, debarment_list_checked, grounds, note, checked_by, checked_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const RESERVATION_HISTORY: &str = select_reservation!("ORDER BY r.id DESC");
const CURRENT_RESERVATION: &str =
    select_reservation!("AND r.supplier_id = $2 ORDER BY r.id DESC LIMIT 1");
const INSERT_RESERVATION: &str = "INSERT INTO tender_reservation_checks (tender_id, supplier_id, \
    eligible, evidence, public_service_mutual, sme, vcse, checked_by, checked_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
const FACTS: &str =
    "SELECT id, public_service_mutual, sme, vcse FROM organisations WHERE slug = $1";

impl ExclusionRow {
    fn into_check(self) -> Result<ExclusionCheck, StoreError> {
        Ok(ExclusionCheck {
            result: decode(&self.result, "tender_exclusion_checks.result")?,
            id: self.id,
            tender_id: self.tender_id,
            supplier_id: self.supplier_id,
            supplier: self.supplier,
            supplier_name: self.supplier_name,
            debarment_list_checked: self.debarment_list_checked,
            grounds: self.grounds,
            note: self.note,
            checked_by: self.checked_by,
            checked_by_email: self.checked_by_email,
            checked_at: self.checked_at,
        })
    }
}

impl From<ReservationRow> for ReservationCheck {
    fn from(r: ReservationRow) -> Self {
        Self {
            id: r.id,
            tender_id: r.tender_id,
            supplier_id: r.supplier_id,
            supplier: r.supplier,
            supplier_name: r.supplier_name,
            eligible: r.eligible,
            evidence: r.evidence,
            facts: RegisteredFacts {
                public_service_mutual: r.public_service_mutual,
                sme: r.sme,
                vcse: r.vcse,
            },
            checked_by: r.checked_by,
            checked_by_email: r.checked_by_email,
            checked_at: r.checked_at,
        }
    }
}

fn refuse_if_terminated(tender_id: i64, status: TenderStatus) -> Result<(), StoreError> {
    if status == TenderStatus::Terminated {
        return Err(StoreError::Conflict(format!(
            "tender {tender_id} is terminated: nothing more is checked"
        )));
    }
    Ok(())
}

impl Store {
    /// The current conflicts assessment of a procurement (its latest version), if any.
    pub async fn conflicts_assessment_current(
        &self,
        tender_id: i64,
    ) -> Result<Option<ConflictsAssessment>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(CURRENT_ASSESSMENT).bind(tender_id).fetch_optional(pool).await)?)
    }

    /// Every version of a procurement's conflicts assessment, latest first.
    pub async fn conflicts_assessments(
        &self,
        tender_id: i64,
    ) -> Result<Vec<ConflictsAssessment>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(ASSESSMENTS).bind(tender_id).fetch_all(pool).await)?)
    }

    /// Records a new version of the conflicts assessment (the earlier ones stay).
    pub async fn record_conflicts_assessment(
        &self,
        tender_id: i64,
        new: &NewConflictsAssessment,
        actor: &Actor,
    ) -> Result<ConflictsAssessment, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(tender_id).await?;
        refuse_if_terminated(tender_id, state.status)?;
        let last: i32 = on_tx!(tx, c =>
            sqlx::query_scalar(LAST_VERSION).bind(tender_id).fetch_one(c).await)?;
        let version = last + 1;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(INSERT_ASSESSMENT)
            .bind(tender_id)
            .bind(version)
            .bind(new.conflicts_found)
            .bind(&new.assessment)
            .bind(&new.mitigations)
            .bind(actor.user_id)
            .bind(now)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        tx.audit(
            actor,
            "tender.conflicts_assessment",
            "tender",
            &tender_id.to_string(),
            json!({"version": version, "conflicts_found": new.conflicts_found,
                   "assessment": new.assessment, "mitigations": new.mitigations}),
        )
        .await?;
        let saved: ConflictsAssessment = on_tx!(tx, c =>
            sqlx::query_as(CURRENT_ASSESSMENT).bind(tender_id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(saved)
    }

    /// The current exclusion check of each supplier checked for a procurement (the latest
    /// check of each), by supplier name.
    pub async fn exclusion_checks(
        &self,
        tender_id: i64,
    ) -> Result<Vec<ExclusionCheck>, StoreError> {
        let rows: Vec<ExclusionRow> = on_each_backend!(self, pool =>
            sqlx::query_as(CURRENT_EXCLUSIONS).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter().map(ExclusionRow::into_check).collect()
    }

    /// Every exclusion check of a procurement, latest first.
    pub async fn exclusion_check_history(
        &self,
        tender_id: i64,
    ) -> Result<Vec<ExclusionCheck>, StoreError> {
        let rows: Vec<ExclusionRow> = on_each_backend!(self, pool =>
            sqlx::query_as(EXCLUSION_HISTORY).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter().map(ExclusionRow::into_check).collect()
    }

    /// Records a supplier's exclusion and debarment check (a later check supersedes, the
    /// earlier stays).
    pub async fn record_exclusion_check(
        &self,
        tender_id: i64,
        new: &NewExclusionCheck,
        actor: &Actor,
    ) -> Result<ExclusionCheck, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(tender_id).await?;
        refuse_if_terminated(tender_id, state.status)?;
        let supplier = tx.organisation_id(&new.supplier).await?.ok_or_else(|| {
            StoreError::invalid(
                "supplier",
                format!("no organisation has the slug `{}`", new.supplier),
            )
        })?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_EXCLUSION)
            .bind(tender_id)
            .bind(supplier)
            .bind(new.result.as_str())
            .bind(new.debarment_list_checked)
            .bind(&new.grounds)
            .bind(&new.note)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(c)
            .await)?;
        tx.audit(
            actor,
            "tender.exclusion_check",
            "tender",
            &tender_id.to_string(),
            json!({"check": id, "supplier": new.supplier, "result": new.result,
                   "debarment_list_checked": new.debarment_list_checked,
                   "grounds": new.grounds, "note": new.note}),
        )
        .await?;
        let rows: Vec<ExclusionRow> = on_tx!(tx, c =>
            sqlx::query_as(EXCLUSION_HISTORY).bind(tender_id).fetch_all(c).await)?;
        tx.commit().await?;
        rows.into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("exclusion check {id}")))?
            .into_check()
    }

    /// Every reserved-contract eligibility check of a procurement, latest first.
    pub async fn reservation_checks(
        &self,
        tender_id: i64,
    ) -> Result<Vec<ReservationCheck>, StoreError> {
        let rows: Vec<ReservationRow> = on_each_backend!(self, pool =>
            sqlx::query_as(RESERVATION_HISTORY).bind(tender_id).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The latest eligibility check of one supplier for a reserved procurement, if any.
    pub async fn reservation_check_current(
        &self,
        tender_id: i64,
        supplier_id: i64,
    ) -> Result<Option<ReservationCheck>, StoreError> {
        let row: Option<ReservationRow> = on_each_backend!(self, pool =>
            sqlx::query_as(CURRENT_RESERVATION).bind(tender_id).bind(supplier_id)
                .fetch_optional(pool).await)?;
        Ok(row.map(Into::into))
    }

    /// Records whether a supplier qualifies for a reserved procurement, with the evidence and
    /// the supplier's registered facts as they are now.
    pub async fn record_reservation_check(
        &self,
        tender_id: i64,
        new: &NewReservationCheck,
        actor: &Actor,
    ) -> Result<ReservationCheck, StoreError> {
        let mut tx = self.begin_write().await?;
        let state = tx.tender_state(tender_id).await?;
        refuse_if_terminated(tender_id, state.status)?;
        let facts: Option<FactsRow> = on_tx!(tx, c =>
            sqlx::query_as(FACTS).bind(&new.supplier).fetch_optional(c).await)?;
        let facts = facts.ok_or_else(|| {
            StoreError::invalid(
                "supplier",
                format!("no organisation has the slug `{}`", new.supplier),
            )
        })?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_RESERVATION)
            .bind(tender_id)
            .bind(facts.id)
            .bind(new.eligible)
            .bind(&new.evidence)
            .bind(facts.public_service_mutual)
            .bind(facts.sme)
            .bind(facts.vcse)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(c)
            .await)?;
        tx.audit(
            actor,
            "tender.reservation_check",
            "tender",
            &tender_id.to_string(),
            json!({"check": id, "supplier": new.supplier, "eligible": new.eligible,
                   "evidence": new.evidence,
                   "facts": {"public_service_mutual": facts.public_service_mutual,
                             "sme": facts.sme, "vcse": facts.vcse}}),
        )
        .await?;
        let row: Option<ReservationRow> = on_tx!(tx, c =>
            sqlx::query_as(CURRENT_RESERVATION).bind(tender_id).bind(facts.id)
                .fetch_optional(c).await)?;
        tx.commit().await?;
        row.map(Into::into)
            .ok_or_else(|| StoreError::NotFound(format!("reservation check {id}")))
    }
}
