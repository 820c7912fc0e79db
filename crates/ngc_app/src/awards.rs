//! The award of a lot and what follows: the award decision (checked by the domain's
//! `check_award`: refused before the evaluation is complete, during another decision's
//! standstill or while a challenge suspends the award), the assessment summaries (one per
//! bidder, in the content of the regime, with the date sent), the contract record after
//! standstill with the buyers' shares. Each stores its OCDS release after its write.
//!
//! Standstill: under PCR 2015 it runs from the day of the decision (sent electronically the
//! same day, reg 87); under the Act from the day the contract award notice is published (s51),
//! so it is known once that publication is recorded. An Act decision whose notice is not yet
//! published counts as in standstill from today, which is as early as it could begin.

use crate::evaluation::{active_bids, closed, lead_tender, lot_of, lot_state, set_of};
use crate::ocds::{
    AwardFacts, AwardStatus, ContractFacts, ContractStatus, StandstillDays, Step,
    award_notice_published_on, store_release_as,
};
use crate::tenders::find;
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::Role;
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::procurement::Regime;
use ngc_domain::procurement::evaluation::assessment_summary::{SummaryContext, assessment_summary};
use ngc_domain::procurement::evaluation::award::{
    AwardError, AwardRequest, OtherDecision, check_award, contract_record, standstill_for,
};
use ngc_domain::procurement::evaluation::ranking::{DEFAULT_TIE_BREAKS, Ranked};
use ngc_domain::procurement::standstill::Standstill;
use ngc_domain::procurement::tender::Reservation;
use ngc_domain::procurement::working_days::BankHolidays;
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::contracts::{Contract, NewContract, SupplierSnapshot};
use ngc_store::evaluation::{Award, NewAward, StoredSummary};
use ngc_store::tenders::Tender;
use serde::Deserialize;
use std::sync::LazyLock;

/// The UK's bank holidays shipped with ngc, read once.
static HOLIDAYS: LazyLock<BankHolidays> = LazyLock::new(BankHolidays::shipped);

/// An award decision for a lot.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardInput {
    /// The lot's number or title (may be left out when the tender has one lot).
    #[serde(default)]
    pub lot: Option<String>,
    /// The winning supplier's slug: the most advantageous bid.
    pub winner: String,
}

/// Which award's assessment summaries to send.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummariesInput {
    /// The award's id.
    pub award: i64,
}

/// The contract entered into after an award's standstill.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractInput {
    /// The award's id.
    pub award: i64,
    /// The first day of the contract (YYYY-MM-DD).
    pub starts_on: String,
    /// The last day of the contract (YYYY-MM-DD), if fixed.
    #[serde(default)]
    pub ends_on: Option<String>,
}

fn award_error(e: AwardError) -> UseCaseError {
    match e {
        AwardError::WinnerNotABid { .. }
        | AwardError::NotRanked { .. }
        | AwardError::WinnerNotFirst { .. }
        | AwardError::WinnerRejected { .. } => UseCaseError::invalid("winner", e.to_string()),
        _ => UseCaseError::Conflict(e.to_string()),
    }
}

fn regime_of(award: &Award) -> UseCaseResult<Regime> {
    award
        .regime
        .parse()
        .map_err(|_| UseCaseError::Conflict(format!("award {} has no known regime", award.id)))
}

/// The standstill of an award, once it has begun (an Act award: once its notice's
/// publication is recorded).
async fn standstill_of(store: &Store, award: &Award) -> UseCaseResult<Option<Standstill>> {
    let regime = regime_of(award)?;
    let from = match regime {
        Regime::Pcr2015 => award.standstill_from,
        Regime::Pa2023 => {
            award_notice_published_on(store, award.tender_id, &award.id.to_string()).await?
        }
    };
    from.map(|f| standstill_for(regime, f, &HOLIDAYS))
        .transpose()
        .map_err(|e| UseCaseError::Conflict(e.to_string()))
}

/// The OCDS facts of an award.
async fn award_facts(store: &Store, tender: &Tender, award: &Award) -> UseCaseResult<AwardFacts> {
    let standstill = standstill_of(store, award).await?;
    Ok(AwardFacts {
        id: award.id.to_string(),
        lots: vec![award.lot_number],
        suppliers: vec![award.supplier_id],
        value: award.value,
        vat_inclusive: tender.vat_inclusive,
        status: AwardStatus::Pending,
        decided_at: award.decided_at,
        standstill: standstill.map(|s| StandstillDays {
            starts_on: s.from,
            ends_on: s.ends_on,
        }),
        assessment_summaries_sent_at: award.summaries_sent_at,
    })
}

/// Decides the award of a lot to its most advantageous bid (the lead). Refused (409) before
/// the evaluation of every bid of the lot is complete, during another decision's standstill,
/// while a challenge suspends the award, or when the lot is awarded already; a winner that is
/// not the first-ranked admissible bid is refused naming `winner` (422). Stores the award
/// release.
pub async fn award(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: AwardInput,
) -> UseCaseResult<Award> {
    let tender = lead_tender(store, caller, tender_id).await?;
    closed(store, &tender)?;
    let lot = lot_of(&tender, input.lot.as_deref())?.clone();
    let winner = crate::parse::slug("winner", &input.winner)?;
    let set = set_of(&tender, &lot)?;
    let awards = store.awards_of_tender(tender.id).await?;
    if awards.iter().any(|a| a.lot_number == lot.number) {
        return Err(UseCaseError::Conflict(format!(
            "lot {} is already awarded",
            lot.number
        )));
    }
    let today = store.today();
    let suspended = store.tender_suspended(tender.id).await?;
    let mut others = Vec::with_capacity(awards.len());
    for a in &awards {
        let from = standstill_of(store, a).await?.map_or(today, |s| s.from);
        let title = tender
            .lots
            .iter()
            .find(|l| l.number == a.lot_number)
            .map_or_else(|| a.lot_number.to_string(), |l| l.title.clone());
        others.push(OtherDecision {
            lot: title,
            regime: regime_of(a)?,
            from,
            suspended_by_challenge: suspended,
        });
    }
    let active = active_bids(store, tender.id).await?;
    let state = lot_state(
        &set,
        lot.number,
        &active,
        &store.moderated_scores(tender.id).await?,
        &store.price_scores(tender.id).await?,
        &store.abnormally_low_steps(tender.id).await?,
    );
    check_award(
        &AwardRequest {
            lot: &lot.title,
            winner: &winner,
            on: today,
            bids: &state.for_award,
            ranking: &state.ranking,
            other_decisions: &others,
        },
        &HOLIDAYS,
    )
    .map_err(award_error)?;
    let first = state
        .ranking
        .iter()
        .find(|r| r.bidder() == &winner)
        .expect("check_award found the winner ranked");
    let bid = state
        .bids
        .iter()
        .find(|b| b.organisation == winner.as_str())
        .expect("the winner is a bid of the lot");
    let standstill = match tender.regime {
        Regime::Pcr2015 => Some(
            standstill_for(tender.regime, today, &HOLIDAYS)
                .map_err(|e| UseCaseError::Conflict(e.to_string()))?,
        ),
        Regime::Pa2023 => None,
    };
    let ranking = serde_json::to_value(&state.ranking).expect("a ranking is plain JSON");
    let award = store
        .record_award(
            &NewAward {
                tender_id: tender.id,
                lot_number: lot.number,
                bid_id: bid.id,
                supplier_id: bid.organisation_id,
                value: first.bid.price,
                regime: tender.regime.as_str(),
                decided_on: today,
                standstill_from: standstill.as_ref().map(|s| s.from),
                standstill_ends_on: standstill.as_ref().map(|s| s.ends_on),
                ranking: &ranking,
            },
            &caller.actor(),
        )
        .await?;
    let facts = award_facts(store, &tender, &award).await?;
    store_release_as(store, &caller.actor(), tender.id, Step::Award(facts)).await?;
    Ok(award)
}

/// Sends the assessment summaries of an award: one per bidder ranked for the lot, in the
/// content of the tender's regime (PA2023: Procurement Regulations 2024 reg 31; PCR 2015 reg
/// 86), recording when they were sent. Once per award. Updates the award release with the
/// date sent.
pub async fn send_summaries(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: SummariesInput,
) -> UseCaseResult<Vec<StoredSummary>> {
    let tender = lead_tender(store, caller, tender_id).await?;
    let award = store
        .awards_of_tender(tender.id)
        .await?
        .into_iter()
        .find(|a| a.id == input.award)
        .ok_or_else(|| UseCaseError::NotFound(format!("award {}", input.award)))?;
    if award.summaries_sent_at.is_some() {
        return Err(UseCaseError::Conflict(format!(
            "the assessment summaries of lot {} are already sent",
            award.lot_number
        )));
    }
    let lot = tender
        .lots
        .iter()
        .find(|l| l.number == award.lot_number)
        .ok_or_else(|| UseCaseError::NotFound(format!("lot {}", award.lot_number)))?;
    let set = set_of(&tender, lot)?;
    let ranking: Vec<Ranked> = serde_json::from_value(award.ranking.clone())
        .map_err(|e| UseCaseError::Conflict(format!("the award's ranking: {e}")))?;
    let active = active_bids(store, tender.id).await?;
    let state = lot_state(
        &set,
        lot.number,
        &active,
        &store.moderated_scores(tender.id).await?,
        &store.price_scores(tender.id).await?,
        &[],
    );
    let ctx = SummaryContext {
        regime: tender.regime,
        procurement: &tender.title,
        lot: &lot.title,
        tie_breaks: DEFAULT_TIE_BREAKS,
        standstill_ends_on: award.standstill_ends_on,
    };
    let mut out = Vec::with_capacity(ranking.len());
    for r in &ranking {
        let bid = state
            .bids
            .iter()
            .find(|b| b.organisation == r.bidder().as_str())
            .ok_or_else(|| {
                UseCaseError::Conflict(format!("`{}` no longer has a bid", r.bidder()))
            })?;
        let summary = assessment_summary(&ctx, &set, &ranking, &state.moderated, r.bidder())
            .map_err(|e| UseCaseError::Conflict(e.to_string()))?;
        out.push((
            bid.organisation_id,
            bid.id,
            serde_json::to_value(&summary).expect("a summary is plain JSON"),
        ));
    }
    store
        .record_summaries_sent(&award, &out, &caller.actor())
        .await?;
    let award = store
        .awards_of_tender(tender.id)
        .await?
        .into_iter()
        .find(|a| a.id == input.award)
        .ok_or_else(|| UseCaseError::NotFound(format!("award {}", input.award)))?;
    let facts = award_facts(store, &tender, &award).await?;
    store_release_as(store, &caller.actor(), tender.id, Step::Award(facts)).await?;
    Ok(store
        .assessment_summaries(tender.id)
        .await?
        .into_iter()
        .filter(|s| s.award_id == award.id)
        .collect())
}

/// The assessment summaries of a tender the caller may read: a provider its own
/// organisation's only; the tender's procurement lead every one; anyone else none (403).
pub async fn summaries(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
) -> UseCaseResult<Vec<StoredSummary>> {
    let tender = find(store, caller, tender_id).await?;
    let all = store.assessment_summaries(tender.id).await?;
    match caller {
        Caller::System => Ok(all),
        Caller::User(p) if p.role == Role::Provider => Ok(all
            .into_iter()
            .filter(|s| s.organisation_id == p.organisation_id)
            .collect()),
        Caller::User(p) if p.user_id == tender.procurement_lead_id => Ok(all),
        Caller::User(_) => Err(UseCaseError::Forbidden(
            "assessment summaries go to each bidder and the procurement lead only".into(),
        )),
    }
}

fn day(field: &str, value: &str) -> UseCaseResult<NaiveDate> {
    value.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            field,
            format!("`{}` is not a date: use YYYY-MM-DD", value.trim()),
        )
    })
}

/// Records the contract of an award once its standstill has ended (the lead): the supplier,
/// the buyers with their shares of the value (split by largest remainder), the value, the
/// dates, the lot and the award. Refused (409) during standstill, before an Act award's
/// notice is published, or while a challenge suspends the award. Stores the contract release.
pub async fn make_contract(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: ContractInput,
) -> UseCaseResult<Contract> {
    let tender = lead_tender(store, caller, tender_id).await?;
    let award = store
        .awards_of_tender(tender.id)
        .await?
        .into_iter()
        .find(|a| a.id == input.award)
        .ok_or_else(|| UseCaseError::NotFound(format!("award {}", input.award)))?;
    let starts_on = day("starts_on", &input.starts_on)?;
    let ends_on = input
        .ends_on
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| day("ends_on", e))
        .transpose()?;
    if ends_on.is_some_and(|e| e < starts_on) {
        return Err(UseCaseError::invalid(
            "ends_on",
            "must not be before the start",
        ));
    }
    if store.tender_suspended(tender.id).await? {
        return Err(UseCaseError::Conflict(
            "a challenge suspends the award: no contract may be entered into until it is lifted"
                .into(),
        ));
    }
    let standstill = standstill_of(store, &award).await?.ok_or_else(|| {
        UseCaseError::Conflict(
            "standstill has not begun: it runs from the publication of the contract award \
             notice (PA2023 s51), which is not recorded yet"
                .into(),
        )
    })?;
    let today = store.today();
    if today < standstill.earliest_contract_date {
        return Err(UseCaseError::Conflict(format!(
            "the award is in standstill until the end of {}: the contract may be entered into \
             from {}",
            standstill.ends_on, standstill.earliest_contract_date
        )));
    }
    let shares = crate::tenders::shares_of(&tender).map_err(UseCaseError::Conflict)?;
    let winner = Slug::parse(&award.supplier).map_err(|e| UseCaseError::Conflict(e.to_string()))?;
    let lot = tender
        .lots
        .iter()
        .find(|l| l.number == award.lot_number)
        .ok_or_else(|| UseCaseError::NotFound(format!("lot {}", award.lot_number)))?;
    let record = contract_record(&winner, &lot.title, award.value, &shares)
        .map_err(|e| UseCaseError::Conflict(e.to_string()))?;
    let buyers: Vec<(i64, String, ngc_domain::money::Money)> = record
        .buyers
        .iter()
        .filter_map(|b| {
            let buyer = tender
                .buyers
                .iter()
                .find(|t| t.organisation == b.buyer.as_str())?;
            Some((
                buyer.organisation_id,
                b.percent.normalize().to_string(),
                b.amount,
            ))
        })
        .collect();
    let title = if tender.lots.len() == 1 {
        tender.title.clone()
    } else {
        format!("{}: {}", tender.title, lot.title)
    };
    let supplier = store
        .organisation_by_id(award.supplier_id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation {}", award.supplier_id)))?;
    let id = store
        .create_contract(
            &NewContract {
                organisation_id: tender.lead_organisation_id,
                partnership_id: None,
                reference: format!("{}/{}", tender.reference, award.lot_number),
                tender_id: Some(tender.id),
                lot_number: Some(award.lot_number),
                award_id: Some(award.id),
                supplier_id: award.supplier_id,
                supplier: SupplierSnapshot {
                    sme: supplier.sme,
                    vcse: supplier.vcse,
                    mutual: supplier.public_service_mutual,
                    identifiers: supplier.identifiers.clone(),
                },
                title,
                description: tender.description.clone(),
                category: format!(
                    "{} {}",
                    tender.classification_scheme.as_str(),
                    tender.classification_code
                ),
                department: String::new(),
                contract_type: tender.contract_type,
                regime: tender.regime,
                route: if tender.reservation == Reservation::Mutual {
                    Route::Reserved
                } else {
                    Route::Tender
                },
                route_ground: String::new(),
                value: award.value,
                annual_value: None,
                vat_treatment: if tender.vat_inclusive {
                    VatTreatment::IncludingVat
                } else {
                    VatTreatment::ExcludingVat
                },
                irrecoverable_vat: Money::ZERO,
                starts_on,
                ends_on,
                review_on: None,
                extension_options: String::new(),
                latest_end_on: None,
                origin: "award",
                buyers,
            },
            &caller.actor(),
        )
        .await?;
    let contract = store
        .contract(id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("contract {id}")))?;
    store_release_as(
        store,
        &caller.actor(),
        tender.id,
        Step::Contract(ContractFacts {
            id: contract.id.to_string(),
            award_id: award.id.to_string(),
            title: contract.title.clone(),
            suppliers: vec![contract.supplier_id],
            value: contract.value,
            vat_inclusive: contract.vat_treatment == VatTreatment::IncludingVat,
            status: if starts_on <= today {
                ContractStatus::Active
            } else {
                ContractStatus::Pending
            },
            starts_on,
            ends_on,
            signed_at: Some(contract.created_at),
        }),
    )
    .await?;
    Ok(contract)
}
