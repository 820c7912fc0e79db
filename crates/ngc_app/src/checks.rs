//! The checks before award and the challenges of a procurement, run by the lead council and
//! read by the buyers' staff: the conflicts assessment (PA2023 s83, every version kept),
//! each supplier's exclusion and debarment check, each supplier's eligibility for a reserved
//! competition (starting from its registered facts), challenges that suspend the award until
//! lifted.

use crate::tenders::{find, is_buyer_staff};
use crate::{Caller, UseCaseError, UseCaseResult, parse};
use ngc_domain::access::Action;
use ngc_domain::organisation::OrgKind;
use ngc_domain::procurement::Reservation;
use ngc_domain::procurement::lifecycle::{
    ExclusionResult, RegisteredFacts, StartingPoint, starting_point,
};
use ngc_store::Store;
use ngc_store::procurement_checks::{
    Challenge, ConflictsAssessment, ExclusionCheck, NewConflictsAssessment, NewExclusionCheck,
    NewReservationCheck, ReservationCheck,
};
use ngc_store::tenders::Tender;
use serde::Deserialize;

/// A version of the conflicts assessment.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictsInput {
    /// Whether a conflict of interest was found.
    pub conflicts_found: bool,
    /// The assessment: who was considered, what was found.
    pub assessment: String,
    /// The steps taken to mitigate what was found (required when conflicts were found).
    #[serde(default)]
    pub mitigations: String,
}

/// A supplier's exclusion and debarment check.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExclusionInput {
    /// The supplier's slug.
    pub supplier: String,
    /// clear, excludable or excluded.
    pub result: String,
    /// Whether the debarment list was consulted (it must be; absent is no).
    #[serde(default)]
    pub debarment_list_checked: bool,
    /// The grounds considered or found.
    #[serde(default)]
    pub grounds: String,
    #[serde(default)]
    pub note: String,
}

/// The buyer's judgement of a supplier's eligibility for a reserved competition.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReservationInput {
    /// The supplier's slug.
    pub supplier: String,
    pub eligible: bool,
    /// What the judgement rests on.
    pub evidence: String,
}

/// A challenge received, or a note on lifting one.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeInput {
    pub note: String,
}

/// A supplier and where its eligibility check starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierStart {
    pub slug: String,
    pub name: String,
    pub facts: RegisteredFacts,
    pub starting_point: StartingPoint,
}

/// Every check of a procurement, for the buyers' staff.
#[derive(Debug, Clone)]
pub struct Checks {
    pub tender: Tender,
    /// Every version of the conflicts assessment, latest first.
    pub conflicts: Vec<ConflictsAssessment>,
    /// The current exclusion check of each supplier.
    pub exclusions: Vec<ExclusionCheck>,
    /// Every exclusion check, latest first.
    pub exclusion_history: Vec<ExclusionCheck>,
    /// Every eligibility check, latest first.
    pub reservations: Vec<ReservationCheck>,
    pub challenges: Vec<Challenge>,
    /// Whether a challenge suspends the award.
    pub suspended: bool,
    /// The providers on the instance and where their eligibility check starts.
    pub suppliers: Vec<SupplierStart>,
    /// Whether the caller may record checks (the lead's commissioners and administrator).
    pub may_record: bool,
}

fn required(field: &str, value: &str) -> UseCaseResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(UseCaseError::invalid(field, "must not be empty"));
    }
    Ok(v.to_owned())
}

/// The tender, if the caller may run it.
async fn managed(store: &Store, caller: &Caller, tender_id: i64) -> UseCaseResult<Tender> {
    let tender = find(store, caller, tender_id).await?;
    caller.require(Action::ManageTenders(tender.lead_organisation_id))?;
    Ok(tender)
}

/// Every check of a procurement: the buyers' staff only.
pub async fn checks(store: &Store, caller: &Caller, tender_id: i64) -> UseCaseResult<Checks> {
    let tender = find(store, caller, tender_id).await?;
    if !is_buyer_staff(caller, &tender) {
        return Err(UseCaseError::Forbidden(
            "a procurement's checks are open to its buyers' staff only".into(),
        ));
    }
    let suppliers = store
        .list_organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Provider)
        .map(|o| {
            let facts = RegisteredFacts {
                public_service_mutual: o.public_service_mutual,
                sme: o.sme,
                vcse: o.vcse,
            };
            SupplierStart {
                starting_point: starting_point(tender.reservation, facts),
                slug: o.slug,
                name: o.name,
                facts,
            }
        })
        .collect();
    Ok(Checks {
        conflicts: store.conflicts_assessments(tender_id).await?,
        exclusions: store.exclusion_checks(tender_id).await?,
        exclusion_history: store.exclusion_check_history(tender_id).await?,
        reservations: store.reservation_checks(tender_id).await?,
        challenges: store.tender_challenges(tender_id).await?,
        suspended: store.tender_suspended(tender_id).await?,
        may_record: caller.can(Action::ManageTenders(tender.lead_organisation_id)),
        suppliers,
        tender,
    })
}

/// Records a new version of the procurement's conflicts assessment (earlier ones stay).
pub async fn record_conflicts(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: ConflictsInput,
) -> UseCaseResult<ConflictsAssessment> {
    managed(store, caller, tender_id).await?;
    let assessment = required("assessment", &input.assessment)?;
    let mitigations = input.mitigations.trim().to_owned();
    if input.conflicts_found && mitigations.is_empty() {
        return Err(UseCaseError::invalid(
            "mitigations",
            "say how the conflicts found are mitigated (PA2023 s83)",
        ));
    }
    let new = NewConflictsAssessment {
        conflicts_found: input.conflicts_found,
        assessment,
        mitigations,
    };
    Ok(store
        .record_conflicts_assessment(tender_id, &new, &caller.actor())
        .await?)
}

/// Records a supplier's exclusion and debarment check.
pub async fn record_exclusion(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: ExclusionInput,
) -> UseCaseResult<ExclusionCheck> {
    managed(store, caller, tender_id).await?;
    let supplier = parse::slug("supplier", &input.supplier)?;
    let result: ExclusionResult = parse::word("result", &input.result)?;
    if !input.debarment_list_checked {
        return Err(UseCaseError::invalid(
            "debarment_list_checked",
            "check the debarment list before recording the result",
        ));
    }
    let grounds = input.grounds.trim().to_owned();
    if result != ExclusionResult::Clear && grounds.is_empty() {
        return Err(UseCaseError::invalid(
            "grounds",
            "name the ground that applies",
        ));
    }
    let new = NewExclusionCheck {
        supplier: supplier.as_str().to_owned(),
        result,
        debarment_list_checked: true,
        grounds,
        note: input.note.trim().to_owned(),
    };
    Ok(store
        .record_exclusion_check(tender_id, &new, &caller.actor())
        .await?)
}

/// Records whether a supplier qualifies for a reserved procurement, on evidence.
pub async fn record_reservation(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: ReservationInput,
) -> UseCaseResult<ReservationCheck> {
    let tender = managed(store, caller, tender_id).await?;
    if tender.reservation == Reservation::None {
        return Err(UseCaseError::invalid(
            "supplier",
            "this procurement is not reserved: there is no eligibility to check",
        ));
    }
    let supplier = parse::slug("supplier", &input.supplier)?;
    let evidence = required("evidence", &input.evidence)?;
    let new = NewReservationCheck {
        supplier: supplier.as_str().to_owned(),
        eligible: input.eligible,
        evidence,
    };
    Ok(store
        .record_reservation_check(tender_id, &new, &caller.actor())
        .await?)
}

/// Records a challenge received now: the award is suspended until it is lifted.
pub async fn receive_challenge(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: ChallengeInput,
) -> UseCaseResult<Challenge> {
    managed(store, caller, tender_id).await?;
    let note = required("note", &input.note)?;
    Ok(store
        .record_challenge(tender_id, &note, &caller.actor())
        .await?)
}

/// Lifts a challenge's suspension.
pub async fn lift_challenge(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    challenge_id: i64,
    input: ChallengeInput,
) -> UseCaseResult<Challenge> {
    managed(store, caller, tender_id).await?;
    let note = required("note", &input.note)?;
    Ok(store
        .lift_challenge(tender_id, challenge_id, &note, &caller.actor())
        .await?)
}
