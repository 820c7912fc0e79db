//! Tenders: the procurement with its buyers and cost shares, its lots and its evaluation
//! panel (migration 0010); publication, editing a draft and termination in [`lifecycle`]
//! (migration 0011). Later stages (questions, bids, scores, awards, notices) keep their own
//! modules and tables.

mod lifecycle;

pub use lifecycle::NoticeRecord;

use crate::organisations::decode;
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::money::Money;
use ngc_domain::procurement::tender::{self, PanelStanding, Stage};
use ngc_domain::procurement::{
    ClassificationScheme, CommencingEvent, ContractType, Procedure, Regime, Reservation,
    TenderStatus,
};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A tender as stored, with its buyers and lots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tender {
    pub id: i64,
    pub reference: String,
    /// The organisation that runs the procurement.
    pub lead_organisation_id: i64,
    pub lead_organisation: String,
    pub lead_organisation_name: String,
    /// The officer accountable for the procurement.
    pub procurement_lead_id: i64,
    pub title: String,
    pub description: String,
    pub classification_scheme: ClassificationScheme,
    pub classification_code: String,
    pub contract_type: ContractType,
    pub procedure: Procedure,
    pub commencing_event: CommencingEvent,
    pub commenced_on: NaiveDate,
    pub regime: Regime,
    pub estimated_value: Money,
    pub vat_inclusive: bool,
    pub above_threshold: bool,
    pub reservation: Reservation,
    pub two_envelope: bool,
    /// The award criteria, as the domain's criteria set in JSON.
    pub criteria: serde_json::Value,
    pub status: TenderStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub clarification_deadline: Option<DateTime<Utc>>,
    pub submission_deadline: DateTime<Utc>,
    pub terminated_at: Option<DateTime<Utc>>,
    pub termination_reason: String,
    /// The tender notice's id on the platform, as the officer entered it.
    pub notice_id: Option<String>,
    /// The day the platform published the tender notice, as the officer entered it.
    pub notice_published_on: Option<NaiveDate>,
    /// The minimum tendering period checked on publication, in days (none where there is
    /// no statutory minimum, or before publication).
    pub minimum_period_days: Option<i32>,
    /// The rule behind that minimum, in words with its reference (empty before publication).
    pub minimum_period_basis: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub buyers: Vec<TenderBuyer>,
    pub lots: Vec<Lot>,
}

impl Tender {
    /// The tender's stage at `now`.
    pub fn stage(&self, now: DateTime<Utc>) -> Stage {
        tender::stage(self.status, self.submission_deadline, now)
    }

    /// Whether the organisation with this id is one of the tender's buyers.
    pub fn is_buyer(&self, organisation_id: i64) -> bool {
        self.buyers
            .iter()
            .any(|b| b.organisation_id == organisation_id)
    }
}

/// One buyer of a tender and its cost share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct TenderBuyer {
    #[serde(skip)]
    pub tender_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_name: String,
    /// Percent, as a decimal string (the shares of a tender sum to 100).
    pub share_percent: String,
}

/// One lot of a tender.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lot {
    pub id: i64,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub estimated_value: Money,
    /// The lot's own criteria, when they differ from the tender's.
    pub criteria: Option<serde_json::Value>,
}

/// A tender to create: checked by the use case, resolved to ids here.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTender {
    pub reference: String,
    /// The lead organisation's slug (it must be among the buyers).
    pub lead_organisation: String,
    pub procurement_lead_id: i64,
    pub title: String,
    pub description: String,
    pub classification_scheme: ClassificationScheme,
    pub classification_code: String,
    pub contract_type: ContractType,
    pub procedure: Procedure,
    pub commencing_event: CommencingEvent,
    pub commenced_on: NaiveDate,
    pub estimated_value: Money,
    pub vat_inclusive: bool,
    pub above_threshold: bool,
    pub reservation: Reservation,
    pub two_envelope: bool,
    pub criteria: serde_json::Value,
    pub clarification_deadline: Option<DateTime<Utc>>,
    pub submission_deadline: DateTime<Utc>,
    /// Each buyer's slug and share in percent.
    pub buyers: Vec<(String, Decimal)>,
    pub lots: Vec<NewLot>,
}

/// A lot to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLot {
    pub title: String,
    pub description: String,
    pub estimated_value: Money,
    pub criteria: Option<serde_json::Value>,
}

/// A member of a tender's evaluation panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PanelMember {
    pub user_id: i64,
    pub email: String,
    pub assigned_at: DateTime<Utc>,
    pub declared_at: Option<DateTime<Utc>>,
    pub conflict: Option<bool>,
    pub declaration: String,
    pub removed_at: Option<DateTime<Utc>>,
}

impl PanelMember {
    /// The member's standing, from the declaration.
    pub fn standing(&self) -> PanelStanding {
        PanelStanding::from_declaration(self.conflict)
    }
}

#[derive(Debug, FromRow)]
struct TenderRow {
    id: i64,
    reference: String,
    lead_organisation_id: i64,
    lead_organisation: String,
    lead_organisation_name: String,
    procurement_lead_id: i64,
    title: String,
    description: String,
    classification_scheme: String,
    classification_code: String,
    contract_type: String,
    procedure: String,
    commencing_event: String,
    commenced_on: NaiveDate,
    regime: String,
    estimated_value: i64,
    vat_inclusive: bool,
    above_threshold: bool,
    reservation: String,
    two_envelope: bool,
    criteria: String,
    status: String,
    published_at: Option<DateTime<Utc>>,
    clarification_deadline: Option<DateTime<Utc>>,
    submission_deadline: DateTime<Utc>,
    terminated_at: Option<DateTime<Utc>>,
    termination_reason: String,
    notice_id: Option<String>,
    notice_published_on: Option<NaiveDate>,
    minimum_period_days: Option<i32>,
    minimum_period_basis: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, FromRow)]
struct LotRow {
    id: i64,
    number: i32,
    title: String,
    description: String,
    estimated_value: i64,
    criteria: Option<String>,
}

#[derive(Debug, FromRow)]
struct PanelRow {
    user_id: i64,
    email: String,
    assigned_at: DateTime<Utc>,
    declared_at: Option<DateTime<Utc>>,
    conflict: Option<bool>,
    declaration: String,
    removed_at: Option<DateTime<Utc>>,
}

macro_rules! select_tender {
    ($tail:literal) => {
        concat!(
            "SELECT t.id, t.reference, t.lead_organisation_id, o.slug AS lead_organisation, \
             o.name AS lead_organisation_name, t.procurement_lead_id, t.title, t.description, \
             t.classification_scheme, t.classification_code, t.contract_type, t.procedure, \
             t.commencing_event, t.commenced_on, t.regime, t.estimated_value, t.vat_inclusive, \
             t.above_threshold, t.reservation, t.two_envelope, t.criteria, t.status, \
             t.published_at, t.clarification_deadline, t.submission_deadline, t.terminated_at, \
             t.termination_reason, t.notice_id, t.notice_published_on, t.minimum_period_days, \
             t.minimum_period_basis, t.created_at, t.updated_at \
             FROM tenders t JOIN organisations o ON o.id = t.lead_organisation_id ",
            $tail
        )
    };
}

const BY_ID: &str = select_tender!("WHERE t.id = $1");
const ALL: &str = select_tender!("ORDER BY t.submission_deadline DESC, t.id DESC");
const BUYERS_OF: &str = "SELECT b.tender_id, b.organisation_id, o.slug AS organisation, \
    o.name AS organisation_name, b.share_percent \
    FROM tender_buyers b JOIN organisations o ON o.id = b.organisation_id \
    WHERE b.tender_id = $1 ORDER BY o.slug";
const ALL_BUYERS: &str = "SELECT b.tender_id, b.organisation_id, o.slug AS organisation, \
    o.name AS organisation_name, b.share_percent \
    FROM tender_buyers b JOIN organisations o ON o.id = b.organisation_id ORDER BY o.slug";
const LOTS_OF: &str = "SELECT id, number, title, description, estimated_value, criteria \
    FROM tender_lots WHERE tender_id = $1 ORDER BY number";
const ID_BY_REFERENCE: &str = "SELECT id FROM tenders WHERE reference = $1";
const INSERT: &str = "INSERT INTO tenders (reference, lead_organisation_id, procurement_lead_id, \
    title, description, classification_scheme, classification_code, contract_type, procedure, \
    commencing_event, commenced_on, regime, estimated_value, vat_inclusive, above_threshold, \
    reservation, two_envelope, criteria, status, clarification_deadline, submission_deadline, \
    created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
    'draft', $19, $20, $21, $21) RETURNING id";
const INSERT_BUYER: &str =
    "INSERT INTO tender_buyers (tender_id, organisation_id, share_percent) VALUES ($1, $2, $3)";
const INSERT_LOT: &str = "INSERT INTO tender_lots (tender_id, number, title, description, \
    estimated_value, criteria) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const PANEL_OF: &str = "SELECT p.user_id, u.email, p.assigned_at, p.declared_at, p.conflict, \
    p.declaration, p.removed_at FROM tender_panel p JOIN users u ON u.id = p.user_id \
    WHERE p.tender_id = $1 ORDER BY u.email";
const PANEL_MEMBER: &str = "SELECT p.user_id, u.email, p.assigned_at, p.declared_at, p.conflict, \
    p.declaration, p.removed_at FROM tender_panel p JOIN users u ON u.id = p.user_id \
    WHERE p.tender_id = $1 AND p.user_id = $2";
const INSERT_PANEL: &str =
    "INSERT INTO tender_panel (tender_id, user_id, assigned_at) VALUES ($1, $2, $3)";
const USER_ORG: &str = "SELECT organisation_id FROM users WHERE id = $1";

impl TenderRow {
    fn into_tender(self, buyers: Vec<TenderBuyer>, lots: Vec<Lot>) -> Result<Tender, StoreError> {
        Ok(Tender {
            classification_scheme: decode(
                &self.classification_scheme,
                "tenders.classification_scheme",
            )?,
            contract_type: decode(&self.contract_type, "tenders.contract_type")?,
            procedure: decode(&self.procedure, "tenders.procedure")?,
            commencing_event: decode(&self.commencing_event, "tenders.commencing_event")?,
            regime: decode(&self.regime, "tenders.regime")?,
            reservation: decode(&self.reservation, "tenders.reservation")?,
            status: decode(&self.status, "tenders.status")?,
            criteria: json_column(&self.criteria, "tenders.criteria")?,
            id: self.id,
            reference: self.reference,
            lead_organisation_id: self.lead_organisation_id,
            lead_organisation: self.lead_organisation,
            lead_organisation_name: self.lead_organisation_name,
            procurement_lead_id: self.procurement_lead_id,
            title: self.title,
            description: self.description,
            classification_code: self.classification_code,
            commenced_on: self.commenced_on,
            estimated_value: Money::pence(self.estimated_value),
            vat_inclusive: self.vat_inclusive,
            above_threshold: self.above_threshold,
            two_envelope: self.two_envelope,
            published_at: self.published_at,
            clarification_deadline: self.clarification_deadline,
            submission_deadline: self.submission_deadline,
            terminated_at: self.terminated_at,
            termination_reason: self.termination_reason,
            notice_id: self.notice_id,
            notice_published_on: self.notice_published_on,
            minimum_period_days: self.minimum_period_days,
            minimum_period_basis: self.minimum_period_basis,
            created_at: self.created_at,
            updated_at: self.updated_at,
            buyers,
            lots,
        })
    }
}

fn json_column(text: &str, column: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|e| {
        StoreError::Database(sqlx::Error::Decode(
            format!("{column} is not JSON: {e}").into(),
        ))
    })
}

impl LotRow {
    fn into_lot(self) -> Result<Lot, StoreError> {
        Ok(Lot {
            criteria: self
                .criteria
                .as_deref()
                .map(|c| json_column(c, "tender_lots.criteria"))
                .transpose()?,
            id: self.id,
            number: self.number,
            title: self.title,
            description: self.description,
            estimated_value: Money::pence(self.estimated_value),
        })
    }
}

impl From<PanelRow> for PanelMember {
    fn from(r: PanelRow) -> Self {
        Self {
            user_id: r.user_id,
            email: r.email,
            assigned_at: r.assigned_at,
            declared_at: r.declared_at,
            conflict: r.conflict,
            declaration: r.declaration,
            removed_at: r.removed_at,
        }
    }
}

impl Store {
    /// The tender with this id, with its buyers and lots.
    pub async fn tender(&self, id: i64) -> Result<Option<Tender>, StoreError> {
        let row: Option<TenderRow> = on_each_backend!(self, pool => sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        let buyers: Vec<TenderBuyer> = on_each_backend!(self, pool => sqlx::query_as(BUYERS_OF).bind(id).fetch_all(pool).await)?;
        let lots: Vec<LotRow> =
            on_each_backend!(self, pool => sqlx::query_as(LOTS_OF).bind(id).fetch_all(pool).await)?;
        let lots = lots
            .into_iter()
            .map(LotRow::into_lot)
            .collect::<Result<_, _>>()?;
        row.into_tender(buyers, lots).map(Some)
    }

    /// Every tender with its buyers (lots are left out: read one tender for them), latest
    /// deadline first. Callers filter what the reader may see.
    pub async fn list_tenders(&self) -> Result<Vec<Tender>, StoreError> {
        let rows: Vec<TenderRow> =
            on_each_backend!(self, pool => sqlx::query_as(ALL).fetch_all(pool).await)?;
        let mut buyers: Vec<TenderBuyer> =
            on_each_backend!(self, pool => sqlx::query_as(ALL_BUYERS).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                let (mine, rest) = buyers.drain(..).partition(|b| b.tender_id == r.id);
                buyers = rest;
                r.into_tender(mine, Vec::new())
            })
            .collect()
    }

    /// Creates a tender as a draft, with its buyers and lots, and audits it.
    pub async fn create_tender(
        &self,
        new: &NewTender,
        actor: &Actor,
    ) -> Result<Tender, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = tx.insert_tender(new, actor).await?;
        tx.commit().await?;
        self.must_find_tender(id).await
    }

    /// The panel of a tender, with each member's declaration.
    pub async fn tender_panel(&self, tender_id: i64) -> Result<Vec<PanelMember>, StoreError> {
        let rows: Vec<PanelRow> = on_each_backend!(self, pool =>
            sqlx::query_as(PANEL_OF).bind(tender_id).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One member of a tender's panel, if the user is on it.
    pub async fn panel_member(
        &self,
        tender_id: i64,
        user_id: i64,
    ) -> Result<Option<PanelMember>, StoreError> {
        let row: Option<PanelRow> = on_each_backend!(self, pool =>
            sqlx::query_as(PANEL_MEMBER).bind(tender_id).bind(user_id).fetch_optional(pool).await)?;
        Ok(row.map(Into::into))
    }

    /// Puts a user of one of the tender's buyers on its panel.
    pub async fn assign_panel_member(
        &self,
        tender_id: i64,
        user_id: i64,
        actor: &Actor,
    ) -> Result<Vec<PanelMember>, StoreError> {
        let tender = self.must_find_tender(tender_id).await?;
        let mut tx = self.begin_write().await?;
        let org: Option<i64> = on_tx!(tx, c =>
            sqlx::query_scalar(USER_ORG).bind(user_id).fetch_optional(c).await)?;
        let org = org
            .ok_or_else(|| StoreError::invalid("user", format!("no user has the id {user_id}")))?;
        if !tender.is_buyer(org) {
            return Err(StoreError::invalid(
                "user",
                "an evaluator must work for one of the tender's buyers",
            ));
        }
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(INSERT_PANEL).bind(tender_id).bind(user_id).bind(now)
            .execute(c).await.map(crate::backend::affected))
        .map_err(|e| {
            let e = StoreError::from(e);
            if e.is_unique_violation() {
                StoreError::Conflict("the user is already on the panel".into())
            } else {
                e
            }
        })?;
        tx.audit(
            actor,
            "tender.panel.assign",
            "tender",
            &tender_id.to_string(),
            json!({"user_id": user_id}),
        )
        .await?;
        tx.commit().await?;
        self.tender_panel(tender_id).await
    }

    /// The tender with this id, or `NotFound`.
    pub async fn must_find_tender(&self, id: i64) -> Result<Tender, StoreError> {
        self.tender(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("tender {id}")))
    }
}

impl WriteTx {
    pub(crate) async fn insert_tender(
        &mut self,
        new: &NewTender,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let existing: Option<i64> = on_tx!(self, c =>
            sqlx::query_scalar(ID_BY_REFERENCE).bind(&new.reference).fetch_optional(c).await)?;
        if existing.is_some() {
            return Err(StoreError::Conflict(format!(
                "a tender with the reference `{}` already exists",
                new.reference
            )));
        }
        let (lead, buyer_ids) = self.resolve_buyers(new).await?;
        let now = self.now();
        let criteria = new.criteria.to_string();
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT)
            .bind(&new.reference)
            .bind(lead)
            .bind(new.procurement_lead_id)
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
            .fetch_one(c)
            .await)?;
        self.insert_parts(id, &buyer_ids, &new.lots).await?;
        self.audit(
            actor,
            "tender.create",
            "tender",
            &id.to_string(),
            json!({
                "reference": new.reference,
                "lead_organisation": new.lead_organisation,
                "title": new.title,
                "procedure": new.procedure,
                "regime": Regime::for_commencement(new.commenced_on),
                "estimated_value": new.estimated_value.to_decimal().to_string(),
                "submission_deadline": new.submission_deadline,
                "buyers": new.buyers.iter().map(|(s, p)| json!({"organisation": s, "share_percent": p.normalize().to_string()})).collect::<Vec<_>>(),
                "lots": new.lots.len(),
            }),
        )
        .await?;
        Ok(id)
    }

    /// The lead's id and each buyer's id and share, checking that every slug names an
    /// organisation and that the lead is a buyer.
    pub(crate) async fn resolve_buyers(
        &mut self,
        new: &NewTender,
    ) -> Result<(i64, Vec<(i64, String)>), StoreError> {
        let lead = self
            .organisation_id(&new.lead_organisation)
            .await?
            .ok_or_else(|| {
                StoreError::invalid(
                    "lead_organisation",
                    format!("no organisation has the slug `{}`", new.lead_organisation),
                )
            })?;
        let mut buyer_ids = Vec::with_capacity(new.buyers.len());
        for (i, (slug, share)) in new.buyers.iter().enumerate() {
            let id = self.organisation_id(slug).await?.ok_or_else(|| {
                StoreError::invalid(
                    format!("buyers[{i}].organisation"),
                    format!("no organisation has the slug `{slug}`"),
                )
            })?;
            buyer_ids.push((id, share.normalize().to_string()));
        }
        if !buyer_ids.iter().any(|(id, _)| *id == lead) {
            return Err(StoreError::invalid(
                "buyers",
                "the lead organisation must be one of the buyers",
            ));
        }
        Ok((lead, buyer_ids))
    }

    /// Inserts the buyers and the lots (numbered from 1) of tender `id`.
    pub(crate) async fn insert_parts(
        &mut self,
        id: i64,
        buyer_ids: &[(i64, String)],
        lots: &[NewLot],
    ) -> Result<(), StoreError> {
        for (org, share) in buyer_ids {
            on_tx!(self, c => sqlx::query(INSERT_BUYER).bind(id).bind(*org).bind(share)
                .execute(c).await.map(crate::backend::affected))?;
        }
        for (i, lot) in lots.iter().enumerate() {
            let criteria = lot.criteria.as_ref().map(|c| c.to_string());
            let _lot_id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_LOT)
                .bind(id)
                .bind(i as i32 + 1)
                .bind(&lot.title)
                .bind(&lot.description)
                .bind(lot.estimated_value.as_pence())
                .bind(criteria)
                .fetch_one(c)
                .await)?;
        }
        Ok(())
    }
}
