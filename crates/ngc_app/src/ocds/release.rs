//! Building an OCDS 1.1 release for a step of a procurement: pure functions over the stored
//! tender, its organisations and the step's facts. The release is built without `id`, `date`
//! and `tag`, which the store gives when it keeps it (the first release of a step is tagged
//! `tender`, `award`…, the next ones `tenderUpdate`, `awardUpdate`…).
//!
//! What goes where (OCDS 1.1 with the UK extension and the lots, party scale and other
//! requirements extensions, see [`super::EXTENSIONS`]):
//! - `parties`: every buyer (roles `buyer`, the lead also `procuringEntity`), and the
//!   suppliers of an award or contract (role `supplier`, with `details.scale`, `details.vcse`
//!   and `details.publicServiceMissionOrganization` from their registered facts); `buyer` is
//!   the lead buyer;
//! - `tender`: the reference as `id`, title, description, status (`planned` at planning,
//!   `cancelled` once terminated, `active` otherwise), value (`amount` excluding VAT, or the
//!   UK extension's `amountGross` when the estimate includes VAT), `aboveThreshold`,
//!   `procurementMethod` with its details and legal reference, `mainProcurementCategory`, one
//!   item per lot with the CPV or ProClass classification, `lots`, `tenderPeriod.endDate` (the
//!   submission deadline), `enquiryPeriod.endDate` (the clarification deadline),
//!   `otherRequirements.reservedParticipation` for a reserved competition;
//! - `awards` and `contracts` from the facts given with the step;
//! - the notice as a document of the block it belongs to (`planning`, `tender`, the award or
//!   the contract), with the UK `noticeType` under the Procurement Act 2023 only.
//!
//! Amounts are JSON numbers, as the OCDS schema requires (ngc's own API writes money as
//! decimal strings); pence convert exactly. Dates without a time (standstill days) are written
//! as the start or end of the day in UTC.

use super::contract_change::{self, ContractChangeFacts, ContractTerminationFacts};
use super::notice::{PlanningNotice, StepKind, document_type, notice_for, uk_notice_type};
use super::parties;
use super::performance::{PerformanceFacts, add_performance};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ngc_domain::money::Money;
use ngc_domain::procurement::notices::NoticeType;
use ngc_domain::procurement::{ClassificationScheme, ContractType, Procedure, Reservation};
use ngc_store::organisations::Organisation;
use ngc_store::tenders::Tender;
use serde_json::{Map, Value, json};

/// A step of a procurement that makes a release, with the facts the tender itself does not
/// hold. Award and contract facts come from the evaluation and contracts records.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A planned procurement notice (UK3) or preliminary market engagement notice (UK2).
    Planning(PlanningNotice),
    /// The tender notice (UK4; UK5 before a direct award; the contract notice under PCR).
    Tender,
    /// An award decision (UK6 under the Act).
    Award(AwardFacts),
    /// A contract entered into (UK7 under the Act; the contract award notice under PCR).
    Contract(ContractFacts),
    /// The procurement terminated (UK12), from the tender's termination.
    Termination,
    /// The contract's performance against its KPIs (UK9 under the Act), see
    /// [`super::performance`].
    ContractPerformance(Box<PerformanceFacts>),
    /// A contract varied (UK10 under the Act, when the change rules ask for it).
    ContractChange(ContractChangeFacts),
    /// A contract terminated (UK11 under the Act).
    ContractTermination(ContractTerminationFacts),
}

impl Step {
    /// The step without its facts.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Planning(_) => StepKind::Planning,
            Step::Tender => StepKind::Tender,
            Step::Award(_) => StepKind::Award,
            Step::Contract(_) => StepKind::Contract,
            Step::Termination => StepKind::Termination,
            Step::ContractPerformance(_) => StepKind::ContractPerformance,
            Step::ContractChange(_) => StepKind::ContractChange,
            Step::ContractTermination(_) => StepKind::ContractTermination,
        }
    }

    /// What the releases of this step replace one another for: the step, and the award or
    /// contract it is about. A new release is stored only if it differs from the slot's last.
    pub fn slot(&self) -> String {
        match self {
            Step::Award(a) => award_slot(&a.id),
            Step::Contract(c) => format!("contract:{}", c.id),
            Step::ContractPerformance(p) => format!("performance:{}", p.contract.id),
            Step::ContractChange(c) => contract_change::change_slot(c),
            Step::ContractTermination(t) => contract_change::termination_slot(t),
            other => other.kind().as_str().to_owned(),
        }
    }
}

/// The slot of the releases of the award with this id (see [`Step::slot`]).
pub fn award_slot(award_id: &str) -> String {
    format!("award:{award_id}")
}

/// The state of an award decision (OCDS `awardStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwardStatus {
    /// Decided, in standstill or not yet final.
    Pending,
    /// Final.
    Active,
    /// Withdrawn.
    Cancelled,
    /// No award could be made.
    Unsuccessful,
}

/// The state of a contract (OCDS `contractStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractStatus {
    /// Not yet in force.
    Pending,
    /// In force.
    Active,
    /// Never entered into.
    Cancelled,
    /// Ended.
    Terminated,
}

/// The standstill of an award: its first and last days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandstillDays {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// An award decision, as the evaluation records it.
#[derive(Debug, Clone, PartialEq)]
pub struct AwardFacts {
    /// ngc's stable id of the decision: the OCDS award id.
    pub id: String,
    /// The numbers of the lots awarded (empty: the whole tender).
    pub lots: Vec<i32>,
    /// The suppliers' organisation ids.
    pub suppliers: Vec<i64>,
    pub value: Money,
    pub vat_inclusive: bool,
    pub status: AwardStatus,
    /// When the decision was made.
    pub decided_at: DateTime<Utc>,
    pub standstill: Option<StandstillDays>,
    /// When the assessment summaries were sent, once they were.
    pub assessment_summaries_sent_at: Option<DateTime<Utc>>,
}

/// A contract, as the contract record holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractFacts {
    /// ngc's stable id of the contract: the OCDS contract id.
    pub id: String,
    /// The award it follows (its [`AwardFacts::id`]).
    pub award_id: String,
    pub title: String,
    /// The suppliers' organisation ids.
    pub suppliers: Vec<i64>,
    pub value: Money,
    pub vat_inclusive: bool,
    pub status: ContractStatus,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub signed_at: Option<DateTime<Utc>>,
}

/// A release ready to store, without `id`, `date` and `tag`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseDraft {
    pub step: StepKind,
    /// See [`Step::slot`].
    pub slot: String,
    /// The notice the release is, if the step has one.
    pub notice_type: Option<NoticeType>,
    /// The release's content.
    pub body: Value,
}

/// Why a release cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// An organisation the release names was not given.
    #[error("organisation {0} is not known")]
    UnknownOrganisation(i64),
    /// An award or contract names a lot the tender does not have.
    #[error("the tender has no lot {0}")]
    UnknownLot(i32),
    /// An award or contract names no supplier.
    #[error("an award or contract names at least one supplier")]
    NoSupplier,
}

/// What a release is built from.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub ocid: &'a str,
    pub tender: &'a Tender,
    /// The buyers and the step's suppliers (others are ignored).
    pub organisations: &'a [Organisation],
}

impl Context<'_> {
    fn organisation(&self, id: i64) -> Result<&Organisation, BuildError> {
        self.organisations
            .iter()
            .find(|o| o.id == id)
            .ok_or(BuildError::UnknownOrganisation(id))
    }
}

/// An RFC 3339 time in UTC, to the second (`2026-11-14T12:00:00Z`).
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn day_start(d: NaiveDate) -> String {
    format!("{d}T00:00:00Z")
}

pub(crate) fn day_end(d: NaiveDate) -> String {
    format!("{d}T23:59:59Z")
}

/// An amount of money as an exact JSON number of pounds.
pub(crate) fn amount(m: Money) -> Value {
    let pence = m.as_pence();
    if pence % 100 == 0 {
        json!(pence / 100)
    } else {
        json!(pence as f64 / 100.0)
    }
}

/// An OCDS `Value`: `amount` excluding VAT, or `amountGross` including it.
fn value(m: Money, vat_inclusive: bool) -> Value {
    let key = if vat_inclusive {
        "amountGross"
    } else {
        "amount"
    };
    json!({ key: amount(m), "currency": "GBP" })
}

/// The OCDS `procurementMethod`, where the procedure maps to one without doubt.
fn method(p: Procedure) -> Option<&'static str> {
    match p {
        Procedure::Open | Procedure::BelowThreshold => Some("open"),
        Procedure::Restricted
        | Procedure::CompetitiveWithNegotiation
        | Procedure::CompetitiveFlexible => Some("selective"),
        Procedure::DirectAward | Procedure::Exempt => Some("direct"),
        Procedure::LightTouch | Procedure::BelowThresholdQuotes => None,
    }
}

fn category(c: ContractType) -> &'static str {
    match c {
        ContractType::Supplies => "goods",
        ContractType::Services | ContractType::LightTouch => "services",
        ContractType::Works => "works",
    }
}

fn classification(t: &Tender) -> Value {
    match t.classification_scheme {
        ClassificationScheme::Cpv => {
            // The CPV code without its check digit, as UK publishers write it.
            let code = t.classification_code.split('-').next().unwrap_or_default();
            json!({"scheme": "CPV", "id": code})
        }
        ClassificationScheme::Proclass => {
            json!({"scheme": "ProClass", "id": t.classification_code})
        }
    }
}

fn insert_if(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.into(), v);
    }
}

/// The notice as an OCDS document: the UK `noticeType` under the Act only.
fn notice_document(t: &Tender, notice: NoticeType, description: Option<&str>) -> Value {
    let mut d = Map::new();
    d.insert("id".into(), json!(notice.as_str()));
    d.insert("documentType".into(), json!(document_type(notice)));
    if let Some(code) = uk_notice_type(t.regime, notice) {
        d.insert("noticeType".into(), json!(code));
    }
    d.insert("title".into(), json!(notice.label()));
    if let Some(text) = description.filter(|s| !s.trim().is_empty()) {
        d.insert("description".into(), json!(text.trim()));
    }
    d.insert("language".into(), json!("en"));
    Value::Object(d)
}

fn tender_block(t: &Tender, lead: &Organisation, status: &str, docs: Vec<Value>) -> Value {
    let mut b = Map::new();
    b.insert("id".into(), json!(t.reference));
    b.insert("title".into(), json!(t.title));
    if !t.description.trim().is_empty() {
        b.insert("description".into(), json!(t.description.trim()));
    }
    b.insert("status".into(), json!(status));
    b.insert("procuringEntity".into(), parties::reference(lead));
    b.insert("value".into(), value(t.estimated_value, t.vat_inclusive));
    b.insert("aboveThreshold".into(), json!(t.above_threshold));
    insert_if(
        &mut b,
        "procurementMethod",
        method(t.procedure).map(|m| json!(m)),
    );
    b.insert(
        "procurementMethodDetails".into(),
        json!(format!(
            "{} ({})",
            t.procedure.label(),
            t.procedure.reference(t.regime)
        )),
    );
    b.insert(
        "mainProcurementCategory".into(),
        json!(category(t.contract_type)),
    );
    let class = classification(t);
    let items: Vec<Value> = t
        .lots
        .iter()
        .map(|l| {
            json!({"id": l.number.to_string(), "classification": class, "relatedLot": l.number.to_string()})
        })
        .collect();
    let items = if items.is_empty() {
        vec![json!({"id": "1", "classification": class})]
    } else {
        items
    };
    b.insert("items".into(), Value::Array(items));
    if !t.lots.is_empty() {
        let lots: Vec<Value> = t
            .lots
            .iter()
            .map(|l| {
                let mut lot = Map::new();
                lot.insert("id".into(), json!(l.number.to_string()));
                lot.insert("title".into(), json!(l.title));
                if !l.description.trim().is_empty() {
                    lot.insert("description".into(), json!(l.description.trim()));
                }
                lot.insert("status".into(), json!(status));
                lot.insert("value".into(), value(l.estimated_value, t.vat_inclusive));
                Value::Object(lot)
            })
            .collect();
        b.insert("lots".into(), Value::Array(lots));
    }
    b.insert(
        "tenderPeriod".into(),
        json!({"endDate": time(t.submission_deadline)}),
    );
    if let Some(c) = t.clarification_deadline {
        b.insert("enquiryPeriod".into(), json!({"endDate": time(c)}));
    }
    let reserved = match t.reservation {
        Reservation::Mutual => Some("publicServiceMissionOrganization"),
        Reservation::SmeVcse => Some("smeVcse"),
        Reservation::None | Reservation::Local => None,
    };
    if let Some(code) = reserved {
        b.insert(
            "otherRequirements".into(),
            json!({"reservedParticipation": [code]}),
        );
    }
    if !docs.is_empty() {
        b.insert("documents".into(), Value::Array(docs));
    }
    Value::Object(b)
}

fn lot_ids(t: &Tender, lots: &[i32]) -> Result<Vec<Value>, BuildError> {
    lots.iter()
        .map(|n| {
            if t.lots.iter().any(|l| l.number == *n) {
                Ok(json!(n.to_string()))
            } else {
                Err(BuildError::UnknownLot(*n))
            }
        })
        .collect()
}

fn award_block(
    ctx: &Context<'_>,
    a: &AwardFacts,
    notice: Option<NoticeType>,
) -> Result<Value, BuildError> {
    if a.suppliers.is_empty() {
        return Err(BuildError::NoSupplier);
    }
    let mut b = Map::new();
    b.insert("id".into(), json!(a.id));
    b.insert(
        "status".into(),
        json!(match a.status {
            AwardStatus::Pending => "pending",
            AwardStatus::Active => "active",
            AwardStatus::Cancelled => "cancelled",
            AwardStatus::Unsuccessful => "unsuccessful",
        }),
    );
    b.insert("date".into(), json!(time(a.decided_at)));
    b.insert("value".into(), value(a.value, a.vat_inclusive));
    let suppliers = a
        .suppliers
        .iter()
        .map(|id| ctx.organisation(*id).map(parties::reference))
        .collect::<Result<Vec<_>, _>>()?;
    b.insert("suppliers".into(), Value::Array(suppliers));
    if !a.lots.is_empty() {
        b.insert(
            "relatedLots".into(),
            Value::Array(lot_ids(ctx.tender, &a.lots)?),
        );
    }
    if let Some(s) = a.standstill {
        b.insert(
            "standstillPeriod".into(),
            json!({"startDate": day_start(s.starts_on), "endDate": day_end(s.ends_on)}),
        );
    }
    if let Some(sent) = a.assessment_summaries_sent_at {
        b.insert("assessmentSummariesDateSent".into(), json!(time(sent)));
    }
    if let Some(n) = notice {
        b.insert(
            "documents".into(),
            json!([notice_document(ctx.tender, n, None)]),
        );
    }
    Ok(Value::Object(b))
}

fn contract_block(ctx: &Context<'_>, c: &ContractFacts, notice: Option<NoticeType>) -> Value {
    let mut b = Map::new();
    b.insert("id".into(), json!(c.id));
    b.insert("awardID".into(), json!(c.award_id));
    if !c.title.trim().is_empty() {
        b.insert("title".into(), json!(c.title.trim()));
    }
    b.insert(
        "status".into(),
        json!(match c.status {
            ContractStatus::Pending => "pending",
            ContractStatus::Active => "active",
            ContractStatus::Cancelled => "cancelled",
            ContractStatus::Terminated => "terminated",
        }),
    );
    let mut period = Map::new();
    period.insert("startDate".into(), json!(day_start(c.starts_on)));
    insert_if(&mut period, "endDate", c.ends_on.map(|d| json!(day_end(d))));
    b.insert("period".into(), Value::Object(period));
    b.insert("value".into(), value(c.value, c.vat_inclusive));
    b.insert("aboveThreshold".into(), json!(ctx.tender.above_threshold));
    insert_if(&mut b, "dateSigned", c.signed_at.map(|t| json!(time(t))));
    if let Some(n) = notice {
        b.insert(
            "documents".into(),
            json!([notice_document(ctx.tender, n, None)]),
        );
    }
    Value::Object(b)
}

/// Builds the release of `step` for the tender in `ctx`.
pub fn build(ctx: &Context<'_>, step: &Step) -> Result<ReleaseDraft, BuildError> {
    let t = ctx.tender;
    let kind = step.kind();
    let planning_kind = match step {
        Step::Planning(p) => *p,
        _ => PlanningNotice::PlannedProcurement,
    };
    let notice = notice_for(
        t.regime,
        t.procedure,
        t.above_threshold,
        kind,
        planning_kind,
    );
    // A change needs its notice only when the change rules ask for it.
    let notice = match step {
        Step::ContractChange(c) => notice.filter(|_| c.notice.is_some()),
        _ => notice,
    };
    let lead = ctx.organisation(t.lead_organisation_id)?;

    let mut parties = Vec::new();
    for b in &t.buyers {
        let org = ctx.organisation(b.organisation_id)?;
        let roles: &[&str] = if org.id == lead.id {
            &["buyer", "procuringEntity"]
        } else {
            &["buyer"]
        };
        parties.push(parties::party(org, roles, false));
    }
    let suppliers: &[i64] = match step {
        Step::Award(a) => &a.suppliers,
        Step::Contract(c) => &c.suppliers,
        Step::ContractPerformance(p) => &p.contract.suppliers,
        Step::ContractChange(c) => &c.contract.suppliers,
        Step::ContractTermination(c) => &c.contract.suppliers,
        _ => &[],
    };
    if matches!(
        step,
        Step::Award(_)
            | Step::Contract(_)
            | Step::ContractPerformance(_)
            | Step::ContractChange(_)
            | Step::ContractTermination(_)
    ) && suppliers.is_empty()
    {
        return Err(BuildError::NoSupplier);
    }
    for id in suppliers {
        let org = ctx.organisation(*id)?;
        parties.push(parties::party(org, &["supplier"], true));
    }

    let mut r = Map::new();
    r.insert("ocid".into(), json!(ctx.ocid));
    r.insert("initiationType".into(), json!("tender"));
    r.insert("language".into(), json!("en"));
    r.insert("parties".into(), Value::Array(parties));
    r.insert("buyer".into(), parties::reference(lead));
    let tender_status = match kind {
        StepKind::Planning => "planned",
        StepKind::Termination => "cancelled",
        _ => "active",
    };
    let tender_docs = match (kind, notice) {
        (StepKind::Tender, Some(n)) => vec![notice_document(t, n, None)],
        (StepKind::Termination, Some(n)) => {
            vec![notice_document(t, n, Some(&t.termination_reason))]
        }
        _ => Vec::new(),
    };
    if let (StepKind::Planning, Some(n)) = (kind, notice) {
        r.insert(
            "planning".into(),
            json!({"documents": [notice_document(t, n, None)]}),
        );
    }
    r.insert(
        "tender".into(),
        tender_block(t, lead, tender_status, tender_docs),
    );
    match step {
        Step::Award(a) => {
            r.insert("awards".into(), json!([award_block(ctx, a, notice)?]));
        }
        Step::Contract(c) => {
            r.insert("contracts".into(), json!([contract_block(ctx, c, notice)]));
        }
        Step::ContractPerformance(p) => {
            let block = contract_block(ctx, &p.contract, notice);
            r.insert("contracts".into(), json!([add_performance(block, p)]));
        }
        Step::ContractChange(c) => {
            let mut block = contract_block(ctx, &c.contract, notice);
            contract_change::amend(&mut block, c);
            r.insert("contracts".into(), json!([block]));
        }
        Step::ContractTermination(c) => {
            let mut block = contract_block(ctx, &c.contract, None);
            contract_change::terminate(&mut block, c);
            if let (Some(n), Some(b)) = (notice, block.as_object_mut()) {
                b.insert(
                    "documents".into(),
                    json!([notice_document(t, n, Some(&c.reason))]),
                );
            }
            r.insert("contracts".into(), json!([block]));
        }
        _ => {}
    }
    Ok(ReleaseDraft {
        step: kind,
        slot: step.slot(),
        notice_type: notice,
        body: Value::Object(r),
    })
}

#[cfg(test)]
mod tests;
