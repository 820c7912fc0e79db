//! Contract variations under the change rules: the holding council's commissioners vary a
//! contract ([`vary`]), terminate it ([`terminate`]) or reverse its termination
//! ([`reverse_termination`], a variation that goes through the change rules like any other);
//! whoever reads the contract reads its variations ([`list`]).
//!
//! A variation is assessed by [`ngc_domain::contracts::change::assess`] against the contract
//! and its earlier variations as they stand under the store's write lock: one that is not
//! permitted is refused (422) naming the field and the provision it fails, and nothing is
//! saved. One that is permitted is recorded with the notice it needs (PA2023 s75 or PCR 2015
//! reg 72(3)), the contract's current value and end change (the original ones stay, the
//! version replaced is kept), and, for a contract let through a procurement in ngc, the
//! release is made on the procurement's ocid: a contract change (UK10 when the rules ask for
//! it) or a contract termination (UK11 under the Act above the threshold). A contract entered
//! by hand has no ocid: its variation is recorded and no release is made.

use super::payments::{holder, readable};
use crate::ocds::{
    ContractChangeFacts, ContractFacts, ContractStatus, ContractTerminationFacts, Step, StepKind,
    store_release_as,
};
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::contracts::VatTreatment;
use ngc_domain::contracts::change::VariationKind;
use ngc_domain::contracts::change::{
    ChangeAssessment, ChangeNotice, ChangeRefusal, ContractTerms, Modification, ModificationGround,
    ModificationRules, PriorChange, assess,
};
use ngc_domain::money::{Money, round_pct};
use ngc_domain::procurement::notices::NoticeType;
use ngc_domain::procurement::vat::compare;
use ngc_domain::procurement::{Regime, TenderStatus, VatBasis};
use ngc_domain::shares::{CostShare, CostShares};
use ngc_domain::slug::Slug;
use ngc_store::contracts::{Contract, NewVariation, Variation};
use ngc_store::releases::Release;
use ngc_store::{Store, StoreError};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::LazyLock;

/// The change rules shipped with ngc, read once.
static RULES: LazyLock<ModificationRules> = LazyLock::new(ModificationRules::shipped);

/// A variation to make. Money is pounds as a decimal string; dates are YYYY-MM-DD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariationInput {
    /// The ground relied on, one of the contract's regime: under PCR 2015 `pcr_review_clause`,
    /// `pcr_additional`, `pcr_unforeseeable`, `pcr_new_contractor`, `pcr_not_substantial`,
    /// `pcr_de_minimis`; under PA2023 `pa_provided_for`, `pa_urgency`, `pa_unforeseeable`,
    /// `pa_known_risk`, `pa_additional`, `pa_corporate_restructuring`, `pa_not_substantial`,
    /// `pa_below_threshold`, `pa_light_touch`.
    pub ground: String,
    /// What the variation changes.
    pub description: String,
    /// The change in value, negative for a reduction (`-1200.00`); none when it does not
    /// change.
    pub value_change: Option<String>,
    /// The new last day, if the term changes.
    pub new_end_date: Option<String>,
    /// Whether the variation reverses the contract's termination (a modification extending
    /// the term from the termination date).
    #[serde(default)]
    pub reverses_termination: bool,
}

/// A termination to record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TerminationInput {
    /// The day the termination takes effect (YYYY-MM-DD): the contract's last day is the day
    /// before.
    pub terminated_on: String,
    /// Why the contract is terminated.
    pub reason: String,
}

/// A variation as recorded (with the change rules' assessment, none for a termination), the
/// contract after it, and the release made on the procurement's ocid, if one was.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub contract: Contract,
    pub variation: Variation,
    pub release: Option<Release>,
}

/// A recorded variation and its release, if one was made.
#[derive(Debug, Clone, PartialEq)]
pub struct VariationEntry {
    pub variation: Variation,
    pub release: Option<Release>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn date(field: &str, value: &str) -> UseCaseResult<NaiveDate> {
    value.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            field,
            format!("`{}` is not a date: use YYYY-MM-DD", value.trim()),
        )
    })
}

/// The contract in words for messages: its reference, or its id.
fn named(c: &Contract) -> String {
    match &c.reference {
        Some(r) => format!("contract {r}"),
        None => format!("contract {}", c.id),
    }
}

/// The contract as the change rules see it, with its earlier variations.
fn terms_of(c: &Contract, earlier: &[Variation]) -> ContractTerms {
    ContractTerms {
        regime: c.regime,
        contract_type: c.contract_type,
        original_value: c.original_value,
        vat_basis: vat_basis(c.vat_treatment),
        original_start: c.starts_on,
        original_end: c.original_ends_on,
        current_end: c.ends_on,
        terminated_on: c.terminated_on,
        prior_changes: earlier
            .iter()
            .filter_map(|v| {
                v.ground.map(|ground| PriorChange {
                    ground,
                    value_change: v.value_change,
                })
            })
            .collect(),
    }
}

fn vat_basis(t: VatTreatment) -> VatBasis {
    match t {
        VatTreatment::IncludingVat => VatBasis::IncludingVat,
        VatTreatment::ExcludingVat | VatTreatment::NoVat => VatBasis::ExcludingVat,
    }
}

/// The field a refusal is about, as the API names it.
fn refusal_field(r: &ChangeRefusal) -> &'static str {
    match r {
        ChangeRefusal::Expired { .. } => "ends_on",
        ChangeRefusal::Terminated { .. } => "terminated_on",
        ChangeRefusal::TerminationPending { .. } | ChangeRefusal::InvalidNewEnd { .. } => {
            "new_end_date"
        }
        ChangeRefusal::NotTerminated => "reverses_termination",
        ChangeRefusal::InvalidTerm { .. } => "original_ends_on",
        ChangeRefusal::GroundOfAnotherRegime { .. } | ChangeRefusal::NotPermitted { .. } => {
            "ground"
        }
        ChangeRefusal::NothingToMeasure { .. } => "original_value",
        ChangeRefusal::NegativeValue { .. }
        | ChangeRefusal::NoThreshold { .. }
        | ChangeRefusal::NoVatRate { .. }
        | ChangeRefusal::Overflow => "value_change",
    }
}

/// The notice type of the change rules' answer.
fn notice_type(n: ChangeNotice) -> NoticeType {
    match n {
        ChangeNotice::ContractChangeNotice => NoticeType::Uk10,
        ChangeNotice::ModificationNotice => NoticeType::ModificationNotice,
    }
}

/// Each buyer's part of `value`, split by their shares to the penny.
fn buyer_amounts(c: &Contract, value: Money) -> Result<Vec<(i64, Money)>, StoreError> {
    let bad = |e: String| StoreError::Conflict(format!("{}: its buyers' shares: {e}", named(c)));
    let shares = c
        .buyers
        .iter()
        .map(|b| {
            Ok(CostShare {
                buyer: Slug::parse(&b.organisation).map_err(|e| bad(e.to_string()))?,
                percent: b
                    .share_percent
                    .parse()
                    .map_err(|_| bad(format!("`{}` is not a number", b.share_percent)))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    if shares.is_empty() {
        return Ok(Vec::new());
    }
    let shares = CostShares::new(shares).map_err(|e| bad(e.to_string()))?;
    shares
        .split(value)
        .into_iter()
        .map(|part| {
            c.buyers
                .iter()
                .find(|b| b.organisation == part.buyer.as_str())
                .map(|b| (b.organisation_id, part.amount))
                .ok_or_else(|| bad(format!("no buyer {}", part.buyer)))
        })
        .collect()
}

/// `value` against the original value, in per cent with two places.
fn change_percent(c: &Contract, value: Money) -> String {
    let original = c.original_value.as_pence();
    if original <= 0 {
        return "0.00".into();
    }
    let mut pct = round_pct(
        Decimal::from(value.as_pence() - original) * Decimal::ONE_HUNDRED / Decimal::from(original),
    );
    pct.rescale(2);
    pct.to_string()
}

/// Varies the contract (the holding council's commissioners and administrator), under the
/// change rules of its regime: refused naming the field and the provision it fails, with
/// nothing saved; or recorded with the notice it needs, and its release made.
pub async fn vary(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &VariationInput,
) -> UseCaseResult<Recorded> {
    let contract = readable(store, caller, contract_id).await?;
    caller.require(Action::ManageContracts(holder(&contract)?))?;
    let ground: ModificationGround =
        input
            .ground
            .trim()
            .parse()
            .map_err(|e: ngc_domain::text_enum::UnknownValue| {
                UseCaseError::invalid("ground", e.to_string())
            })?;
    let value_change = match given(&input.value_change) {
        None => Money::ZERO,
        Some(v) => v.parse().map_err(|_| {
            UseCaseError::invalid(
                "value_change",
                format!("`{v}` is not an amount of money: use pounds, e.g. 1200.00 or -1200.00"),
            )
        })?,
    };
    let new_end = given(&input.new_end_date)
        .map(|v| date("new_end_date", v))
        .transpose()?;
    let description = input.description.trim().to_owned();
    if description.is_empty() {
        return Err(UseCaseError::invalid(
            "description",
            format!("{}: say what the variation changes", named(&contract)),
        ));
    }
    let m = Modification {
        ground,
        value_change,
        new_end,
        reverses_termination: input.reverses_termination,
    };
    let today = store.today();
    let kind = if m.reverses_termination {
        VariationKind::Reversal
    } else {
        VariationKind::Variation
    };
    let (contract, variation) = store
        .apply_variation(contract_id, &caller.actor(), |c, earlier| {
            let a: ChangeAssessment =
                assess(&terms_of(c, earlier), &m, today, &RULES).map_err(|r| {
                    StoreError::invalid(refusal_field(&r), format!("{}: {r}", named(c)))
                })?;
            let value_after = a.cumulative_value;
            let termination = match kind {
                VariationKind::Reversal => None,
                _ => c.terminated_on.map(|on| (on, c.termination_reason.clone())),
            };
            Ok(NewVariation {
                kind,
                ground: Some(ground),
                description: description.clone(),
                value_change,
                ends_after: a.new_end,
                termination,
                cumulative_change_percent: a.cumulative_change_percent.to_string(),
                notice: a.notice.map(notice_type),
                notice_reason: a.notice_reason.clone(),
                assessment: serde_json::to_value(&a)
                    .map_err(|e| StoreError::invalid("assessment", e.to_string()))?,
                buyer_amounts: buyer_amounts(c, value_after)?,
            })
        })
        .await?;
    let release = release_of(store, caller, &contract, &variation).await?;
    Ok(Recorded {
        contract,
        variation,
        release,
    })
}

/// Reverses the contract's termination: a variation on `input.ground` extending the term from
/// the termination date, through the change rules like any other.
pub async fn reverse_termination(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &VariationInput,
) -> UseCaseResult<Recorded> {
    let input = VariationInput {
        reverses_termination: true,
        ..input.clone()
    };
    vary(store, caller, contract_id, &input).await
}

/// Terminates the contract (the holding council's commissioners and administrator) from the
/// day given, recording why and which notice it needs (UK11 under the Act above the
/// threshold); the termination release is made for a contract let through a procurement.
pub async fn terminate(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &TerminationInput,
) -> UseCaseResult<Recorded> {
    let contract = readable(store, caller, contract_id).await?;
    caller.require(Action::ManageContracts(holder(&contract)?))?;
    let on = date("terminated_on", &input.terminated_on)?;
    let reason = input.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(UseCaseError::invalid(
            "reason",
            format!("{}: say why the contract is terminated", named(&contract)),
        ));
    }
    let today = store.today();
    let (contract, variation) = store
        .apply_variation(contract_id, &caller.actor(), |c, _| {
            if let Some(t) = c.terminated_on {
                return Err(StoreError::invalid(
                    "terminated_on",
                    format!(
                        "{} is already terminated from {t}: reverse that termination first",
                        named(c)
                    ),
                ));
            }
            if let Some(end) = c.ends_on.filter(|e| *e < today) {
                return Err(StoreError::invalid(
                    "ends_on",
                    format!(
                        "{} ended on {end}: a contract that has expired cannot be terminated",
                        named(c)
                    ),
                ));
            }
            if on <= c.starts_on {
                return Err(StoreError::invalid(
                    "terminated_on",
                    format!(
                        "{}: {on} is not after the contract's start, {}",
                        named(c),
                        c.starts_on
                    ),
                ));
            }
            if let Some(end) = c.ends_on.filter(|e| on > *e) {
                return Err(StoreError::invalid(
                    "terminated_on",
                    format!("{}: {on} is after the contract's last day, {end}", named(c)),
                ));
            }
            let (notice, notice_reason) = termination_notice(c)?;
            Ok(NewVariation {
                kind: VariationKind::Termination,
                ground: None,
                description: reason.clone(),
                value_change: Money::ZERO,
                ends_after: c.ends_on,
                termination: Some((on, reason.clone())),
                cumulative_change_percent: change_percent(c, c.value),
                notice,
                notice_reason,
                assessment: serde_json::json!({}),
                buyer_amounts: buyer_amounts(c, c.value)?,
            })
        })
        .await?;
    let release = release_of(store, caller, &contract, &variation).await?;
    Ok(Recorded {
        contract,
        variation,
        release,
    })
}

/// The notice a termination needs: under the Act a contract termination notice (UK11) for a
/// public contract, one at or above the threshold on award; under PCR 2015 none.
fn termination_notice(c: &Contract) -> Result<(Option<NoticeType>, String), StoreError> {
    if c.regime == Regime::Pcr2015 {
        return Ok((
            None,
            "PCR 2015 asks no notice of a contract's termination".into(),
        ));
    }
    let above = match RULES.thresholds().on(c.starts_on) {
        None => true,
        Some(row) => {
            compare(
                c.original_value,
                vat_basis(c.vat_treatment),
                row.amount(c.contract_type),
                row.basis,
                c.starts_on,
                RULES.vat_rates(),
            )
            .map_err(|d| {
                StoreError::invalid(
                    "value",
                    format!("no VAT rate on {d} to compare with the threshold"),
                )
            })?
            .at_or_above
        }
    };
    Ok(if above {
        (
            Some(NoticeType::Uk11),
            "PA2023 s80: a contract termination notice (UK11) must be published within 30 days of the contract's termination".into(),
        )
    } else {
        (
            None,
            format!(
                "PA2023 s80 asks a contract termination notice of a public contract; this contract's original value of {} was below the threshold on {}",
                c.original_value.fmt_gbp(),
                c.starts_on
            ),
        )
    })
}

/// Which notice, in words: `Contract change notice (UK10), PA2023 s75`.
pub fn notice_words(n: NoticeType) -> String {
    match n {
        NoticeType::Uk10 => ChangeNotice::ContractChangeNotice.label().to_owned(),
        NoticeType::ModificationNotice => ChangeNotice::ModificationNotice.label().to_owned(),
        NoticeType::Uk11 => "Contract termination notice (UK11), PA2023 s80".to_owned(),
        other => other.label().to_owned(),
    }
}

/// The OCDS id of a variation's change or termination: `{contract}-{seq}`.
fn change_id(v: &Variation) -> String {
    format!("{}-{}", v.contract_id, v.seq)
}

/// The slot of a variation's release.
fn slot_of(v: &Variation) -> String {
    let step = match v.kind {
        VariationKind::Termination => StepKind::ContractTermination,
        _ => StepKind::ContractChange,
    };
    format!("{}:{}", step.as_str(), change_id(v))
}

/// The contract as its release describes it.
fn facts_of(c: &Contract, award_id: i64, today: NaiveDate) -> ContractFacts {
    use ngc_domain::contracts::ContractStatus as S;
    ContractFacts {
        id: c.id.to_string(),
        award_id: award_id.to_string(),
        title: c.title.clone(),
        suppliers: vec![c.supplier_id],
        value: c.value,
        vat_inclusive: c.vat_treatment == VatTreatment::IncludingVat,
        status: match c.status(today) {
            S::Pending => ContractStatus::Pending,
            S::Active => ContractStatus::Active,
            S::Expired | S::Terminated => ContractStatus::Terminated,
        },
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        signed_at: Some(c.created_at),
    }
}

/// Makes the release of a recorded variation on the procurement's ocid: only a contract let
/// through a published procurement in ngc has one.
async fn release_of(
    store: &Store,
    caller: &Caller,
    c: &Contract,
    v: &Variation,
) -> UseCaseResult<Option<Release>> {
    let (Some(tender_id), Some(award_id)) = (c.tender_id, c.award_id) else {
        return Ok(None);
    };
    let tender = store.must_find_tender(tender_id).await?;
    if tender.status != TenderStatus::Published {
        return Ok(None);
    }
    let contract = facts_of(c, award_id, store.today());
    let step = match v.kind {
        VariationKind::Termination => Step::ContractTermination(ContractTerminationFacts {
            contract,
            id: change_id(v),
            terminated_on: v.terminated_on.unwrap_or(store.today()),
            reason: v.description.clone(),
        }),
        _ => Step::ContractChange(ContractChangeFacts {
            contract,
            id: change_id(v),
            date: v.recorded_at,
            rationale: v.ground.map(|g| g.label().to_owned()).unwrap_or_default(),
            description: v.description.clone(),
            notice: v.notice,
        }),
    };
    Ok(Some(
        store_release_as(store, &caller.actor(), tender.id, step).await?,
    ))
}

/// A contract's variations as its readers see them.
#[derive(Debug, Clone, PartialEq)]
pub struct VariationList {
    pub contract: Contract,
    /// In order, each with its release if one was made.
    pub entries: Vec<VariationEntry>,
    /// Whether the caller may vary and terminate the contract.
    pub may_vary: bool,
    /// The grounds of the contract's regime, for a form.
    pub grounds: Vec<ModificationGround>,
    /// The day the list was read.
    pub today: NaiveDate,
}

/// The contract's variations, terminations and reversals in order, each with its release if
/// one was made (whoever reads the contract).
pub async fn list(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
) -> UseCaseResult<VariationList> {
    let contract = readable(store, caller, contract_id).await?;
    let releases = match contract.tender_id {
        Some(t) => store.releases_of_tender(t).await?,
        None => Vec::new(),
    };
    let entries = store
        .contract_variations(contract.id)
        .await?
        .into_iter()
        .map(|variation| {
            let slot = slot_of(&variation);
            VariationEntry {
                release: releases.iter().rev().find(|r| r.slot == slot).cloned(),
                variation,
            }
        })
        .collect();
    Ok(VariationList {
        may_vary: contract
            .organisation_id
            .is_some_and(|o| caller.can(Action::ManageContracts(o))),
        grounds: ModificationGround::ALL
            .iter()
            .copied()
            .filter(|g| g.regime() == contract.regime)
            .collect(),
        today: store.today(),
        contract,
        entries,
    })
}
