//! Storing each step's release, and the officer's record of its notice's publication.
//!
//! [`store_release`] is what a step calls after its change (publish, award, contract,
//! terminate): it builds the release from the stored state and the step's facts and stores
//! it, unless the last release of that step already says the same. [`prepare_notice`] lets a
//! buyer's commissioner make the notices the tender alone decides (planning, tender,
//! termination), [`record_publication`] records the platform's notice id and publication day,
//! and [`list_notices`] lists a tender's notices for its buyers' staff.

use super::prefix;
use super::release::{self, BuildError, Context, Step};
use super::{PlanningNotice, StepKind};
use crate::{Caller, UseCaseError, UseCaseResult, tenders};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::procurement::notices::NoticeType;
use ngc_domain::procurement::standstill::standstill;
use ngc_domain::procurement::working_days::BankHolidays;
use ngc_domain::procurement::{Regime, TenderStatus};
use std::sync::LazyLock;

/// The bank holidays shipped with ngc, read once.
static HOLIDAYS: LazyLock<BankHolidays> = LazyLock::new(BankHolidays::shipped);
use ngc_store::organisations::Organisation;
use ngc_store::releases::{NewRelease, Publication, Release};
use ngc_store::tenders::Tender;
use ngc_store::{Actor, Store};
use serde::Deserialize;
use serde_json::{Value, json};

/// Whether the tender's state allows the step's release.
fn check_state(t: &Tender, step: &Step) -> UseCaseResult<()> {
    let terminated = t.status == TenderStatus::Terminated;
    let refuse = |why: String| Err(UseCaseError::Conflict(why));
    match step {
        Step::Planning(_) | Step::Tender if terminated => refuse(format!(
            "the tender {} was terminated: its only notice now is the termination",
            t.reference
        )),
        Step::Award(_)
        | Step::Contract(_)
        | Step::ContractPerformance(_)
        | Step::ContractChange(_)
        | Step::ContractTermination(_)
            if t.status != TenderStatus::Published =>
        {
            refuse(format!(
                "the tender {} is {}: an award or contract follows a published tender",
                t.reference,
                t.status.label().to_lowercase()
            ))
        }
        Step::Termination if !terminated => {
            refuse(format!("the tender {} is not terminated", t.reference))
        }
        _ => Ok(()),
    }
}

fn build_error(e: BuildError) -> UseCaseError {
    let field = match e {
        BuildError::UnknownLot(_) => "lots",
        BuildError::UnknownOrganisation(_) | BuildError::NoSupplier => "suppliers",
    };
    UseCaseError::invalid(field, e.to_string())
}

/// Builds the release of `step` for the tender from its stored state and stores it, unless
/// the last release of the same step (the same award, the same contract) already says the
/// same: then that one is returned and nothing is written. Audited as the system's: the step
/// that called it audits who acted.
pub async fn store_release(store: &Store, tender_id: i64, step: Step) -> UseCaseResult<Release> {
    store_release_as(store, &Actor::system(), tender_id, step).await
}

/// [`store_release`], audited as `actor`'s.
pub async fn store_release_as(
    store: &Store,
    actor: &Actor,
    tender_id: i64,
    step: Step,
) -> UseCaseResult<Release> {
    let tender = store.must_find_tender(tender_id).await?;
    check_state(&tender, &step)?;
    let ocid = prefix::ocid_of(store, actor, tender.id).await?;
    let mut ids: Vec<i64> = tender.buyers.iter().map(|b| b.organisation_id).collect();
    ids.push(tender.lead_organisation_id);
    match &step {
        Step::Award(a) => ids.extend(&a.suppliers),
        Step::Contract(c) => ids.extend(&c.suppliers),
        Step::ContractPerformance(p) => ids.extend(&p.contract.suppliers),
        Step::ContractChange(c) => ids.extend(&c.contract.suppliers),
        Step::ContractTermination(c) => ids.extend(&c.contract.suppliers),
        _ => {}
    }
    ids.sort_unstable();
    ids.dedup();
    let mut organisations: Vec<Organisation> = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(org) = store.organisation_by_id(id).await? {
            organisations.push(org);
        }
    }
    let draft = release::build(
        &Context {
            ocid: &ocid,
            tender: &tender,
            organisations: &organisations,
        },
        &step,
    )
    .map_err(build_error)?;
    let (stored, _) = store
        .put_release(
            &NewRelease {
                tender_id: tender.id,
                ocid: &ocid,
                step: draft.step.as_str(),
                slot: &draft.slot,
                tags: draft.step.tags(),
                notice_type: draft.notice_type,
                body: &draft.body,
            },
            actor,
        )
        .await?;
    Ok(stored)
}

/// The tender, if the caller may see it, and refused unless the caller runs its tenders.
async fn managed_tender(store: &Store, caller: &Caller, tender_id: i64) -> UseCaseResult<Tender> {
    let tender = tenders::find(store, caller, tender_id).await?;
    caller.require(Action::ManageTenders(tender.lead_organisation_id))?;
    Ok(tender)
}

/// A notice to prepare from what the tender holds.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrepareInput {
    /// `planning`, `tender` or `termination` (award and contract notices are made by the
    /// award and the contract).
    pub step: String,
    /// For a planning notice: `planned_procurement` (UK3, the default) or
    /// `market_engagement` (UK2).
    #[serde(default)]
    pub planning_notice: Option<String>,
}

impl PrepareInput {
    fn step(&self) -> UseCaseResult<Step> {
        let planning = match self.planning_notice.as_deref().map(str::trim) {
            None | Some("") | Some("planned_procurement") => PlanningNotice::PlannedProcurement,
            Some("market_engagement") => PlanningNotice::MarketEngagement,
            Some(other) => {
                return Err(UseCaseError::invalid(
                    "planning_notice",
                    format!(
                        "unknown planning notice `{other}`: expected planned_procurement or \
                         market_engagement"
                    ),
                ));
            }
        };
        match StepKind::parse(self.step.trim()) {
            Some(StepKind::Planning) => Ok(Step::Planning(planning)),
            Some(StepKind::Tender) => Ok(Step::Tender),
            Some(StepKind::Termination) => Ok(Step::Termination),
            Some(
                StepKind::Award
                | StepKind::Contract
                | StepKind::ContractPerformance
                | StepKind::ContractChange
                | StepKind::ContractTermination,
            ) => Err(UseCaseError::invalid(
                "step",
                "award, contract, contract performance, change and termination notices are made \
                 by the award decision, the contract, its KPI returns and its variations",
            )),
            None => Err(UseCaseError::invalid(
                "step",
                format!(
                    "unknown step `{}`: expected planning, tender or termination",
                    self.step.trim()
                ),
            )),
        }
    }
}

/// Makes (or finds, if nothing changed) the notice of a step the tender alone decides, for the
/// lead buyer's commissioners.
pub async fn prepare_notice(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: &PrepareInput,
) -> UseCaseResult<Release> {
    let tender = managed_tender(store, caller, tender_id).await?;
    let step = input.step()?;
    store_release_as(store, &caller.actor(), tender.id, step).await
}

/// The record of a notice's publication on the platform.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicationInput {
    /// The platform's id of the published notice (e.g. `012345-2026`).
    pub platform_notice_id: String,
    /// The day the platform published it (YYYY-MM-DD), not after today.
    pub published_on: String,
}

impl PublicationInput {
    /// The notice id and day, checked against `today`.
    pub fn validate(&self, today: NaiveDate) -> UseCaseResult<(String, NaiveDate)> {
        let id = self.platform_notice_id.trim();
        if id.is_empty() {
            return Err(UseCaseError::invalid(
                "platform_notice_id",
                "must not be empty",
            ));
        }
        if id.chars().count() > 100 || id.chars().any(char::is_control) {
            return Err(UseCaseError::invalid(
                "platform_notice_id",
                "must be at most 100 characters, without control characters",
            ));
        }
        let day: NaiveDate = self.published_on.trim().parse().map_err(|_| {
            UseCaseError::invalid(
                "published_on",
                format!(
                    "`{}` is not a date: use YYYY-MM-DD",
                    self.published_on.trim()
                ),
            )
        })?;
        if day > today {
            return Err(UseCaseError::invalid(
                "published_on",
                format!("{day} is after today ({today}): record a publication once it happened"),
            ));
        }
        Ok((id.to_owned(), day))
    }
}

/// Records the platform's notice id and publication day of one of the tender's notices (the
/// lead buyer's commissioners). Recorded once: a second record is refused.
pub async fn record_publication(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    notice_id: i64,
    input: &PublicationInput,
) -> UseCaseResult<Release> {
    let tender = managed_tender(store, caller, tender_id).await?;
    let notice = store
        .release_by_id(notice_id)
        .await?
        .filter(|r| r.tender_id == tender.id)
        .ok_or_else(|| UseCaseError::NotFound(format!("notice {notice_id}")))?;
    let (platform_id, day) = input.validate(store.today())?;
    Ok(store
        .record_publication(notice.id, &platform_id, day, &caller.actor())
        .await?)
}

/// The notices of a tender, published or not, for the staff of its buyers.
pub async fn list_notices(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
) -> UseCaseResult<Vec<Release>> {
    let tender = tenders::find(store, caller, tender_id).await?;
    if let Caller::User(p) = caller
        && !tender.is_buyer(p.organisation_id)
    {
        return Err(UseCaseError::Forbidden(
            "a tender's notices are open to its buyers' staff".into(),
        ));
    }
    if let Caller::User(p) = caller {
        caller.require(Action::ReadBuyerTenders(p.organisation_id))?;
    }
    Ok(store.releases_of_tender(tender.id).await?)
}

/// The day the contract award notice (UK6) of the award `award_id` was first published, once
/// recorded: standstill under the Act runs from it (PA2023 s51). `None` until recorded.
pub async fn award_notice_published_on(
    store: &Store,
    tender_id: i64,
    award_id: &str,
) -> UseCaseResult<Option<NaiveDate>> {
    let slot = release::award_slot(award_id);
    Ok(store
        .releases_of_tender(tender_id)
        .await?
        .into_iter()
        .filter(|r| r.slot == slot)
        .filter_map(|r| r.publication.map(|p| p.published_on))
        .min())
}

/// Under the Act standstill runs from the contract award notice's publication (s51): once
/// a UK6 notice's publication day is recorded, each of its awards without a standstill
/// period gets the one that runs from that day (8 working days).
fn add_standstill(v: &mut Value, published_on: NaiveDate) {
    let Ok(s) = standstill(Regime::Pa2023, published_on, &HOLIDAYS) else {
        return;
    };
    for award in v
        .get_mut("awards")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(a) = award.as_object_mut()
            && !a.contains_key("standstillPeriod")
        {
            a.insert(
                "standstillPeriod".into(),
                json!({"startDate": release::day_start(s.from),
                       "endDate": release::day_end(s.ends_on)}),
            );
        }
    }
}

/// The release as the public sees it: once its notice's publication is recorded, the notice
/// document carries the publication day (`datePublished`, at the start of the day: the time
/// is not recorded) and the platform's notice id in its title; a UK6 contract award notice's
/// awards carry the standstill that runs from that day.
pub fn as_published(release: &Release) -> Value {
    let mut v = release.release.clone();
    let (Some(p), Some(notice)) = (&release.publication, release.notice_type) else {
        return v;
    };
    let id = notice.as_str();
    for block in ["planning", "tender"] {
        if let Some(docs) = v
            .get_mut(block)
            .and_then(|b| b.get_mut("documents"))
            .and_then(Value::as_array_mut)
        {
            mark(docs, id, p);
        }
    }
    if notice == NoticeType::Uk6 {
        add_standstill(&mut v, p.published_on);
    }
    for list in ["awards", "contracts"] {
        for item in v
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(docs) = item.get_mut("documents").and_then(Value::as_array_mut) {
                mark(docs, id, p);
            }
        }
    }
    v
}

fn mark(docs: &mut [Value], id: &str, p: &Publication) {
    for doc in docs.iter_mut().filter(|d| d["id"] == id) {
        let title = doc["title"].as_str().unwrap_or_default().to_owned();
        doc["title"] = json!(format!(
            "{title}, published as notice {}",
            p.platform_notice_id
        ));
        doc["datePublished"] = json!(format!("{}T00:00:00Z", p.published_on));
    }
}
