//! Contract variations under the change rules, in two steps.
//!
//! 1. **Is the modification permitted at all?** Under the Public Contracts Regulations 2015,
//!    reg 72: its grounds (1)(a)-(f), the 50% cap on each modification for additional works,
//!    services or supplies and for unforeseeable circumstances (reg 72(1)(b), (c) and (2)(a)),
//!    and the de minimis route, net cumulatively below the threshold and below 10% of the
//!    original value (15% for works) (reg 72(5) and (6)). Under the Procurement Act 2023, s74:
//!    a permitted modification under Schedule 8, one that is not substantial (s74(3)), or a
//!    below-threshold modification (s74(4)); a light touch contract may be modified freely
//!    (s74(2)). A modification that is not permitted is refused, naming the provision it fails
//!    and the figure that fails it.
//! 2. **Which notice does it need?** Under PA2023 s75 a contract change notice (UK10) unless it
//!    changes the estimated value by at most 10% (15% for works) and the term by at most 10% of
//!    the maximum term on award — never for a light touch contract, always for a novation on a
//!    corporate restructuring. Under PCR 2015 reg 72(3) a modification notice after a
//!    modification under reg 72(1)(b) or (c).
//!
//! The contract's regime picks the rules. A variation that reverses a termination is a
//! modification extending the term from the termination date. A contract that has expired or
//! been terminated cannot be varied. A contract below the threshold on award is outside the
//! rules (PCR 2015 Part 2 governs contracts at or above it; PA2023 s74 governs public contracts
//! and those a modification converts into one).
//!
//! Figures are data (`contracts/data/modification_rules.csv`); comparisons are exact (pence and
//! days, no rounding). Percentages shown are rounded to two places, half away from zero
//! ([`crate::money::round_pct`]).

mod ground;
mod measure;
mod notice;
mod permit;
mod rules;

pub use ground::ModificationGround;
pub use rules::{Base, Bound, ModificationRule, ModificationRules, RuleKey, SHIPPED_CSV};

use measure::{Measures, measure, subject_to_rules};

use crate::money::{Money, round_pct};
use crate::procurement::{ContractType, Regime, VatBasis};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An earlier variation of the contract: its ground and signed change in value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorChange {
    /// The ground it relied on (the de minimis routes add up their own modifications).
    pub ground: ModificationGround,
    /// The change in value, negative for a reduction.
    pub value_change: Money,
}

/// What the change rules need to know of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractTerms {
    /// The regime the contract was procured under.
    pub regime: Regime,
    /// Supplies, services, works or light-touch services.
    pub contract_type: ContractType,
    /// The value on award.
    pub original_value: Money,
    /// Whether the values include VAT, to compare them with the thresholds like with like. A
    /// supply with no VAT may be given as either.
    pub vat_basis: VatBasis,
    /// The first day of the contract.
    pub original_start: NaiveDate,
    /// The last day of the maximum term provided for on award (`None`: open-ended).
    pub original_end: Option<NaiveDate>,
    /// The last day as it stands after earlier variations (`None`: open-ended).
    pub current_end: Option<NaiveDate>,
    /// The day a termination takes effect, if the contract is or will be terminated.
    pub terminated_on: Option<NaiveDate>,
    /// The earlier variations.
    pub prior_changes: Vec<PriorChange>,
}

/// A proposed variation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modification {
    /// The ground relied on.
    pub ground: ModificationGround,
    /// The change in value, negative for a reduction.
    pub value_change: Money,
    /// The new last day, if the term changes (for a reversal of termination, `None` restores
    /// the current end).
    pub new_end: Option<NaiveDate>,
    /// Whether the variation reverses the contract's termination: a modification extending
    /// the term from the termination date.
    pub reverses_termination: bool,
}

crate::text_enum! {
    /// The notice a modification needs.
    pub enum ChangeNotice as "change notice" {
        /// A contract change notice (UK10), published before the modification (PA2023 s75).
        ContractChangeNotice = "contract_change_notice", "Contract change notice (UK10), PA2023 s75";
        /// A modification notice, sent for publication after the modification (PCR 2015
        /// reg 72(3)).
        ModificationNotice = "modification_notice", "Modification notice, PCR 2015 reg 72(3)";
    }
}

crate::text_enum! {
    /// What a recorded change of a contract is.
    pub enum VariationKind as "variation kind" {
        /// A modification of the value or term under the change rules.
        Variation = "variation", "Variation";
        /// The contract's termination.
        Termination = "termination", "Termination";
        /// A modification that reverses the termination, under the change rules.
        Reversal = "reversal", "Reversal of termination";
    }
}

/// A permitted modification: its figures, why it is permitted, and which notice it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeAssessment {
    /// The ground relied on.
    pub ground: ModificationGround,
    /// Its provision.
    pub provision: &'static str,
    /// Whether the contract is within the change rules at all (not, for a contract below the
    /// threshold on award that the modification does not take over it).
    pub subject_to_rules: bool,
    /// The value the regime measures a change against: the original value (PCR 2015) or the
    /// estimated value before this modification (PA2023).
    pub base_value: Money,
    /// The change in value, negative for a reduction.
    pub value_change: Money,
    /// The change as a percentage of `base_value`.
    pub value_change_percent: Decimal,
    /// The value after this and every earlier variation.
    pub cumulative_value: Money,
    /// The change of `cumulative_value` from the original value, in per cent.
    pub cumulative_change_percent: Decimal,
    /// The last day after the modification (`None`: open-ended).
    pub new_end: Option<NaiveDate>,
    /// The change of term in days (`None`: it cannot be measured, e.g. an open-ended contract).
    pub term_change_days: Option<i64>,
    /// The change of term as a percentage of the maximum term on award.
    pub term_change_percent: Option<Decimal>,
    /// The notice needed, if any.
    pub notice: Option<ChangeNotice>,
    /// Why that notice, or none, in words.
    pub notice_reason: String,
    /// Why the modification is permitted, in words, each citing its provision.
    pub reasons: Vec<String>,
    /// Whether every figure relied on was checked against the legislation.
    pub confirmed: bool,
}

/// Why a variation cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefusal {
    /// The contract's end has passed.
    #[error(
        "the contract ended on {end}, before {today}: a contract that has expired cannot be varied"
    )]
    Expired {
        /// Its last day.
        end: NaiveDate,
        /// The day of the variation.
        today: NaiveDate,
    },
    /// The contract has been terminated and the variation does not reverse that.
    #[error(
        "the contract was terminated on {on}, on or before {today}: it can be varied only to reverse the termination"
    )]
    Terminated {
        /// The day termination took effect.
        on: NaiveDate,
        /// The day of the variation.
        today: NaiveDate,
    },
    /// A termination is pending and the variation would run past it without reversing it.
    #[error(
        "new_end: {new_end} runs past the termination on {on}; reverse the termination to extend beyond it"
    )]
    TerminationPending {
        /// The day termination takes effect.
        on: NaiveDate,
        /// The proposed last day.
        new_end: NaiveDate,
    },
    /// The variation reverses a termination that never happened.
    #[error("reverses_termination: the contract has not been terminated")]
    NotTerminated,
    /// The proposed end date makes no sense.
    #[error("new_end: {new_end} {reason}")]
    InvalidNewEnd {
        /// The proposed last day.
        new_end: NaiveDate,
        /// What is wrong with it.
        reason: String,
    },
    /// The contract's dates make no sense.
    #[error("original_end: {end} is before original_start {start}")]
    InvalidTerm {
        /// The first day.
        start: NaiveDate,
        /// The last day of the maximum term.
        end: NaiveDate,
    },
    /// The ground belongs to the other regime.
    #[error("ground: `{ground}` is a ground under the {}, but this contract is under the {}", ground.regime().label(), regime.label())]
    GroundOfAnotherRegime {
        /// The ground given.
        ground: ModificationGround,
        /// The contract's regime.
        regime: Regime,
    },
    /// The ground does not permit this modification.
    #[error("{provision}: {reason}")]
    NotPermitted {
        /// The ground relied on.
        ground: ModificationGround,
        /// The provision it fails.
        provision: String,
        /// Why, with the figure that fails.
        reason: String,
    },
    /// A value the rules measure against is not above zero.
    #[error(
        "{what} is {value}: the change rules measure a change as a share of it, so it must be above zero"
    )]
    NothingToMeasure {
        /// Which value (`original_value`, `the estimated value before this change`).
        what: &'static str,
        /// The value.
        value: Money,
    },
    /// The change would leave the contract's value below zero.
    #[error("value_change: the contract's value would fall to {value}, below zero")]
    NegativeValue {
        /// The value after the change.
        value: Money,
    },
    /// The thresholds do not reach back to the date.
    #[error("no procurement threshold for {contract_type} contracts on {date}")]
    NoThreshold {
        /// The type of contract.
        contract_type: ContractType,
        /// The date.
        date: NaiveDate,
    },
    /// No VAT rate to compare a value with a threshold on a different basis.
    #[error("no VAT rate on {date} to compare the change with the threshold")]
    NoVatRate {
        /// The date.
        date: NaiveDate,
    },
    /// The amounts overflow.
    #[error("value_change: the amounts are too large to add up")]
    Overflow,
}

/// Assesses a variation of a contract on `today`: refused with the provision and the figure it
/// fails, or permitted with its figures, its reasons and the notice it needs.
pub fn assess(
    terms: &ContractTerms,
    m: &Modification,
    today: NaiveDate,
    rules: &ModificationRules,
) -> Result<ChangeAssessment, ChangeRefusal> {
    if m.ground.regime() != terms.regime {
        return Err(ChangeRefusal::GroundOfAnotherRegime {
            ground: m.ground,
            regime: terms.regime,
        });
    }
    if !terms.original_value.is_positive() {
        return Err(ChangeRefusal::NothingToMeasure {
            what: "original_value",
            value: terms.original_value,
        });
    }
    let measures = measure(terms, m, today)?;
    let (subject, coverage) = subject_to_rules(terms, &measures, today, rules)?;
    let mut findings = Findings::default();
    let notice = if subject {
        permit::permit(terms, m, &measures, today, rules, &mut findings)?;
        notice::notice(terms, m, &measures, rules, &mut findings)
    } else {
        findings.reasons.push(coverage.clone());
        notice::Answer {
            notice: None,
            reason: coverage,
        }
    };
    let base_value = match terms.regime {
        Regime::Pcr2015 => terms.original_value,
        Regime::Pa2023 => measures.estimated_before,
    };
    Ok(ChangeAssessment {
        ground: m.ground,
        provision: m.ground.provision(),
        subject_to_rules: subject,
        base_value,
        value_change: m.value_change,
        value_change_percent: percent(m.value_change.as_pence(), base_value.as_pence()),
        cumulative_value: measures.cumulative_value,
        cumulative_change_percent: percent(
            (measures.cumulative_value - terms.original_value).as_pence(),
            terms.original_value.as_pence(),
        ),
        new_end: measures.new_end,
        term_change_days: measures.term_change_days,
        term_change_percent: measures
            .term_change_days
            .zip(measures.max_term_days)
            .map(|(d, max)| percent(d, max)),
        notice: notice.notice,
        notice_reason: notice.reason,
        reasons: findings.reasons,
        confirmed: findings.confirmed,
    })
}

/// Reasons gathered while assessing, and whether every figure was confirmed.
pub(crate) struct Findings {
    pub reasons: Vec<String>,
    pub confirmed: bool,
}

impl Default for Findings {
    fn default() -> Self {
        Findings {
            reasons: Vec::new(),
            confirmed: true,
        }
    }
}

impl Findings {
    /// Notes that a figure of `rule` was relied on.
    pub(crate) fn rely_on(&mut self, rule: &ModificationRule) {
        self.confirmed &= rule.confirmed;
    }
}

/// `amount` as a percentage of `base` (> 0), rounded to two places half away from zero and
/// written with two places (`40.00`).
pub(crate) fn percent(amount: i64, base: i64) -> Decimal {
    let mut pct = round_pct(Decimal::from(amount) * Decimal::ONE_HUNDRED / Decimal::from(base));
    pct.rescale(2);
    pct
}

#[cfg(test)]
mod tests;
