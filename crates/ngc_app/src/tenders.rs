//! Tenders: creating a draft, reading one, listing those the caller may see.
//!
//! Who sees what: a buyer's staff (finance, commissioners, evaluators, its administrator)
//! see their own council's tenders in every state; everyone signed in sees published and
//! terminated tenders (providers see the open tenders of every council on the instance); a
//! draft is "not found" to anyone else.
//!
//! The lifecycle (publish, edit a draft, terminate) is in [`lifecycle`], documents in
//! [`documents`], what a reader sees of one tender in [`detail`]; clarification questions
//! are [`crate::questions`], the checks before award [`crate::checks`].

pub mod detail;
pub mod documents;
mod lifecycle;
mod overview;

pub use detail::{Rights, TenderDetail, cost_shares, detail, is_buyer_staff, shares_of};
pub use lifecycle::{PublishInput, TerminateInput, publish, terminate, update};
pub use overview::{Overview, overview};

use crate::{Caller, UseCaseError, UseCaseResult, parse};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::access::Action;
use ngc_domain::money::Money;
use ngc_domain::procurement::evaluation::criteria::CriteriaSet;
use ngc_domain::procurement::{
    ClassificationScheme, CommencingEvent, ContractType, Procedure, Regime, Reservation, RulesData,
    RulesQuery, TenderStatus, VatBasis, rules,
};
use ngc_store::Store;
use ngc_store::tenders::{Lot, NewLot, NewTender, Tender};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::LazyLock;

/// The procurement rules shipped with ngc, read once.
static RULES: LazyLock<RulesData> = LazyLock::new(RulesData::shipped);

/// A tender to create as a draft.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenderInput {
    /// The buyer's reference, unique on the instance.
    pub reference: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `cpv` or `proclass`.
    pub classification_scheme: String,
    /// The code in that scheme (a CPV code such as `90511000-2`).
    pub classification_code: String,
    /// supplies, services, works or light_touch.
    pub contract_type: String,
    /// A procedure of the regime (see `ngc procurement rules`).
    pub procedure: String,
    /// What commenced the procurement (default: the contract notice).
    #[serde(default)]
    pub commencing_event: Option<String>,
    /// The day it commenced (default: today); it decides the regime.
    #[serde(default)]
    pub commenced_on: Option<NaiveDate>,
    /// The estimated value in pounds, as a decimal string.
    pub estimated_value: String,
    /// Whether the estimate includes VAT.
    #[serde(default)]
    pub vat_inclusive: bool,
    /// none, mutual, local or sme_vcse.
    #[serde(default)]
    pub reservation: Option<String>,
    /// Open price only after quality is scored and moderated.
    #[serde(default)]
    pub two_envelope: bool,
    /// The award criteria.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub criteria: serde_json::Value,
    /// When clarification questions close (RFC 3339).
    #[serde(default)]
    pub clarification_deadline: Option<DateTime<Utc>>,
    /// When bids close (RFC 3339, with an offset).
    pub submission_deadline: DateTime<Utc>,
    /// The buyers and their cost shares (they sum to 100%). Default: the caller's own
    /// organisation, 100%.
    #[serde(default)]
    pub buyers: Vec<BuyerShareInput>,
    /// The lots, in order (at least one).
    pub lots: Vec<LotInput>,
}

/// A buyer of a joint tender and its cost share.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuyerShareInput {
    /// The buyer's slug.
    pub organisation: String,
    /// Its share of the cost, in percent as a decimal string.
    pub share_percent: String,
}

/// A lot.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The lot's estimated value in pounds, as a decimal string.
    pub estimated_value: String,
    /// The lot's own criteria, when they differ from the tender's.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub criteria: Option<serde_json::Value>,
}

/// Money in pounds from a decimal string, exact to the penny, or an error naming `field`.
pub(crate) fn money(field: &str, value: &str) -> UseCaseResult<Money> {
    let d: Decimal = value.trim().parse().map_err(|_| {
        UseCaseError::invalid(field, format!("`{value}` is not an amount of money"))
    })?;
    let m =
        Money::from_decimal_exact(d).map_err(|e| UseCaseError::invalid(field, e.to_string()))?;
    if m.is_negative() {
        return Err(UseCaseError::invalid(field, "may not be negative"));
    }
    Ok(m)
}

fn percent(field: &str, value: &str) -> UseCaseResult<Decimal> {
    let d: Decimal = value
        .trim()
        .parse()
        .map_err(|_| UseCaseError::invalid(field, format!("`{value}` is not a percentage")))?;
    if d <= Decimal::ZERO || d > Decimal::ONE_HUNDRED {
        return Err(UseCaseError::invalid(
            field,
            "must be more than 0 and at most 100",
        ));
    }
    Ok(d)
}

impl TenderInput {
    /// Checks every field and names the first one that is wrong. `lead` is the caller's
    /// organisation slug; `today` decides the default commencement.
    pub fn validate(
        &self,
        lead: &str,
        procurement_lead_id: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> UseCaseResult<NewTender> {
        let required = |field: &str, v: &str| -> UseCaseResult<String> {
            let v = v.trim();
            if v.is_empty() {
                Err(UseCaseError::invalid(field, "must not be empty"))
            } else {
                Ok(v.to_owned())
            }
        };
        let reference = required("reference", &self.reference)?;
        let title = required("title", &self.title)?;
        let classification_scheme: ClassificationScheme =
            parse::word("classification_scheme", &self.classification_scheme)?;
        let classification_code = required("classification_code", &self.classification_code)?;
        if classification_scheme == ClassificationScheme::Cpv {
            classification_code
                .parse::<ngc_domain::procurement::cpv::CpvCode>()
                .map_err(|e| UseCaseError::invalid("classification_code", e.to_string()))?;
        }
        let contract_type: ContractType = parse::word("contract_type", &self.contract_type)?;
        let procedure: Procedure = parse::word("procedure", &self.procedure)?;
        let commencing_event: CommencingEvent = match &self.commencing_event {
            Some(e) => parse::word("commencing_event", e)?,
            None => CommencingEvent::ContractNotice,
        };
        let commenced_on = self.commenced_on.unwrap_or(today);
        let regime = Regime::for_commencement(commenced_on);
        if !procedure.regimes().contains(&regime) {
            return Err(UseCaseError::invalid(
                "procedure",
                format!(
                    "the {} is not a procedure of the {} (commenced {commenced_on})",
                    procedure.label().to_lowercase(),
                    regime.label()
                ),
            ));
        }
        let estimated_value = money("estimated_value", &self.estimated_value)?;
        let answer = rules(
            &RulesQuery {
                value: estimated_value,
                value_basis: if self.vat_inclusive {
                    VatBasis::IncludingVat
                } else {
                    VatBasis::ExcludingVat
                },
                contract_type,
                start: commenced_on,
                procedure: None,
                electronic: true,
                documents_with_notice: true,
                planned_notice: None,
                urgent: false,
            },
            &RULES,
        )
        .map_err(|e| UseCaseError::invalid(rules_field(e.field()), e.to_string()))?;
        let reservation: Reservation = match &self.reservation {
            Some(r) => parse::word("reservation", r)?,
            None => Reservation::None,
        };
        if self.submission_deadline <= now {
            return Err(UseCaseError::invalid(
                "submission_deadline",
                format!("must be in the future (it is {} now)", now.to_rfc3339()),
            ));
        }
        if let Some(c) = self.clarification_deadline
            && c > self.submission_deadline
        {
            return Err(UseCaseError::invalid(
                "clarification_deadline",
                "must not be after the submission deadline",
            ));
        }
        let buyers = if self.buyers.is_empty() {
            vec![(lead.to_owned(), Decimal::ONE_HUNDRED)]
        } else {
            let mut out = Vec::with_capacity(self.buyers.len());
            for (i, b) in self.buyers.iter().enumerate() {
                let slug = parse::slug(&format!("buyers[{i}].organisation"), &b.organisation)?;
                let share = percent(&format!("buyers[{i}].share_percent"), &b.share_percent)?;
                out.push((slug.as_str().to_owned(), share));
            }
            let total: Decimal = out.iter().map(|(_, s)| *s).sum();
            if total != Decimal::ONE_HUNDRED {
                return Err(UseCaseError::invalid(
                    "buyers",
                    format!(
                        "the buyers' cost shares sum to {}%, not 100%",
                        total.normalize()
                    ),
                ));
            }
            out
        };
        if self.lots.is_empty() {
            return Err(UseCaseError::invalid(
                "lots",
                "a tender has at least one lot",
            ));
        }
        let mut lots = Vec::with_capacity(self.lots.len());
        for (i, l) in self.lots.iter().enumerate() {
            lots.push(NewLot {
                title: required(&format!("lots[{i}].title"), &l.title)?,
                description: l.description.trim().to_owned(),
                estimated_value: money(&format!("lots[{i}].estimated_value"), &l.estimated_value)?,
                criteria: match &l.criteria {
                    Some(c) => {
                        Some(criteria(&format!("lots[{i}].criteria"), c)?).filter(|c| !c.is_null())
                    }
                    None => None,
                },
            });
        }
        Ok(NewTender {
            reference,
            lead_organisation: lead.to_owned(),
            procurement_lead_id,
            title,
            description: self.description.trim().to_owned(),
            classification_scheme,
            classification_code,
            contract_type,
            procedure,
            commencing_event,
            commenced_on,
            estimated_value,
            vat_inclusive: self.vat_inclusive,
            above_threshold: answer.above_threshold,
            reservation,
            two_envelope: self.two_envelope,
            criteria: criteria("criteria", &self.criteria)?,
            clarification_deadline: self.clarification_deadline,
            submission_deadline: self.submission_deadline,
            buyers,
            lots,
        })
    }
}

/// Award criteria as given: none yet (`null` or `{}`, stored as `{}`; the lot's own: `null`),
/// or a criteria set whose weights sum to 100%, checked by the domain (the error names the
/// set, e.g. "the weights of criteria set `Quality and price` sum to 90%, not 100%").
fn criteria(field: &str, value: &serde_json::Value) -> UseCaseResult<serde_json::Value> {
    let empty = value.is_null() || value.as_object().is_some_and(|o| o.is_empty());
    if empty {
        return Ok(if field == "criteria" {
            serde_json::json!({})
        } else {
            serde_json::Value::Null
        });
    }
    let set: CriteriaSet = serde_json::from_value(value.clone())
        .map_err(|e| UseCaseError::invalid(field, e.to_string()))?;
    Ok(serde_json::to_value(&set).expect("a criteria set is plain JSON"))
}

/// The criteria set of a lot: its own, or else the tender's; `None` when neither is set.
/// Stored criteria were checked on entry; should one not read, it counts as not set.
pub fn criteria_of(tender: &Tender, lot: &Lot) -> Option<CriteriaSet> {
    let own = lot.criteria.as_ref().filter(|c| !c.is_null());
    let value = own.unwrap_or(&tender.criteria);
    serde_json::from_value(value.clone()).ok()
}

fn rules_field(field: &str) -> &str {
    match field {
        "value" => "estimated_value",
        "start" => "commenced_on",
        other => other,
    }
}

/// Whether the caller may see this tender at all.
pub fn may_see(caller: &Caller, tender: &Tender) -> bool {
    match caller {
        Caller::System => true,
        Caller::User(p) => {
            tender.status != TenderStatus::Draft
                || (tender.is_buyer(p.organisation_id)
                    && caller.can(Action::ReadBuyerTenders(p.organisation_id)))
        }
    }
}

/// Creates a draft tender led by the caller's organisation, with the caller as its
/// procurement lead.
pub async fn create(store: &Store, caller: &Caller, input: TenderInput) -> UseCaseResult<Tender> {
    let new = prepare(store, caller, input).await?;
    Ok(store.create_tender(&new, &caller.actor()).await?)
}

/// The authorisation and checks of [`create`], giving the tender to store: shared with the
/// joint tender started from a consolidation analysis (`crate::joint_working`).
pub(crate) async fn prepare(
    store: &Store,
    caller: &Caller,
    input: TenderInput,
) -> UseCaseResult<NewTender> {
    let Caller::User(p) = caller else {
        return Err(UseCaseError::Forbidden(
            "a tender is created by a council's commissioner".into(),
        ));
    };
    caller.require(Action::ManageTenders(p.organisation_id))?;
    let lead = store
        .organisation_by_id(p.organisation_id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound("your organisation".into()))?;
    input.validate(lead.slug.as_str(), p.user_id, store.today(), store.now())
}

/// The tender with this id, if the caller may see it (otherwise "not found").
pub async fn find(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<Tender> {
    store
        .tender(id)
        .await?
        .filter(|t| may_see(caller, t))
        .ok_or_else(|| UseCaseError::NotFound(format!("tender {id}")))
}

/// The tenders the caller may see, latest deadline first.
pub async fn list(store: &Store, caller: &Caller) -> UseCaseResult<Vec<Tender>> {
    Ok(store
        .list_tenders()
        .await?
        .into_iter()
        .filter(|t| may_see(caller, t))
        .collect())
}
