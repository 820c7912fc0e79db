//! Provider viability: the signals that a provider may fail, and the watch list they put it on.
//! The model's spun-out providers failed because they lived on one council's money; ngc watches
//! for that and for the signs that go with it.
//!
//! # The rule, stated
//!
//! Five kinds of signal ([`FlagKind`]), each raised by a threshold of [`ViabilityRule`]
//! (`contracts/data/viability_rule.csv`: ngc's policy defaults, not law):
//!
//! - **dependency**: one council's share of the provider's income is at or above
//!   `dependency_percent` (75%). The share is measured against the provider's turnover in its
//!   accounts where they are given and the turnover is at least the contract income ngc sees;
//!   otherwise against the contract income ngc sees (the sum of `income_by_council`) — see
//!   [`dependency`]. Each council over the threshold is its own flag;
//! - **declining KPIs**: at least `declining_kpis` (2) of its KPIs are [`Trend::Declining`];
//! - **penalties**: penalties imposed are at least `penalty_percent` (1%) of its contract
//!   income (any penalty, if ngc sees no contract income);
//! - **thin reserves**: its reserves cover fewer than `min_reserve_months` (3) months of
//!   spending, a month's spending taken as a twelfth of its turnover (ngc has no expenditure
//!   figure; a provider that breaks even spends what it earns); or its accounts show net
//!   liabilities. Not assessed without accounts;
//! - **income ending**: contract income ending without renewal is at least `ending_percent`
//!   (25%) of its contract income.
//!
//! Comparisons are exact (no rounding before a threshold is tested). A provider goes on the
//! watch list when at least `signals_for_watch` (2) *kinds* of signal are raised. Amounts are
//! yearly (the last twelve months of income; the accounts' year).

mod assess;
mod rule;

pub use assess::assess;
pub use rule::{RuleRow, SHIPPED_CSV, ViabilityRule};

use crate::contracts::kpi::Trend;
use crate::money::{Money, allocate};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A year's income of the provider from one council's contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilIncome {
    /// The council's slug.
    pub council: String,
    /// The council's name, for the reasons.
    pub name: String,
    /// The income.
    pub amount: Money,
}

/// The provider's latest accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    /// The last day of the accounting year.
    pub year_end: NaiveDate,
    /// Its whole income for the year.
    pub turnover: Money,
    /// Net assets (negative: net liabilities).
    pub net_assets: Money,
    /// Free reserves.
    pub reserves: Money,
    /// The day the accounts were filed, if known.
    pub filed_on: Option<NaiveDate>,
}

/// What ngc knows of a provider that bears on its viability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSignals {
    /// A year's contract income, by council; their sum is the contract income ngc sees.
    pub income_by_council: Vec<CouncilIncome>,
    /// Its latest accounts, if given.
    pub accounts: Option<Accounts>,
    /// The trend of each of its KPIs, across its contracts.
    pub kpi_trends: Vec<Trend>,
    /// Penalties and abatements imposed on it in the year.
    pub penalties_imposed: Money,
    /// The yearly income of its contracts that end within the horizon without a renewal or a
    /// successor contract.
    pub contract_income_ending_without_renewal: Money,
}

/// Signals that cannot be assessed, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignalsError {
    /// An amount is below zero.
    #[error("{field}: {amount} is negative")]
    Negative {
        /// The field (`income from \`slug\``, `accounts.turnover`).
        field: String,
        /// The amount.
        amount: Money,
    },
    /// A council is listed twice.
    #[error("income from `{council}` is listed twice")]
    DuplicateCouncil {
        /// The council's slug.
        council: String,
    },
    /// The contract income does not fit in the range of money.
    #[error("income_by_council: the total is out of range")]
    Overflow,
    /// More income is ending than there is.
    #[error(
        "contract_income_ending_without_renewal: {ending} exceeds the {total} contract income ngc sees"
    )]
    EndingExceedsIncome {
        /// The income ending.
        ending: Money,
        /// The contract income.
        total: Money,
    },
}

impl ProviderSignals {
    /// The contract income ngc sees: the sum of `income_by_council`.
    pub fn contract_income(&self) -> Result<Money, SignalsError> {
        Money::checked_sum(self.income_by_council.iter().map(|c| c.amount))
            .ok_or(SignalsError::Overflow)
    }

    /// Checks the signals: no negative income, turnover, penalty or ending income; each
    /// council once; no more income ending than there is.
    pub fn validate(&self) -> Result<(), SignalsError> {
        let negative = |field: String, amount: Money| {
            if amount.is_negative() {
                Err(SignalsError::Negative { field, amount })
            } else {
                Ok(())
            }
        };
        for (i, c) in self.income_by_council.iter().enumerate() {
            negative(format!("income from `{}`", c.council), c.amount)?;
            if self.income_by_council[..i]
                .iter()
                .any(|x| x.council == c.council)
            {
                return Err(SignalsError::DuplicateCouncil {
                    council: c.council.clone(),
                });
            }
        }
        if let Some(a) = &self.accounts {
            negative("accounts.turnover".into(), a.turnover)?;
        }
        negative("penalties_imposed".into(), self.penalties_imposed)?;
        let ending = self.contract_income_ending_without_renewal;
        negative("contract_income_ending_without_renewal".into(), ending)?;
        let total = self.contract_income()?;
        if ending > total {
            return Err(SignalsError::EndingExceedsIncome { ending, total });
        }
        Ok(())
    }
}

crate::text_enum! {
    /// What a council's share of a provider's income is measured against.
    pub enum DependencyBasis as "dependency basis" {
        /// Its turnover, from its accounts.
        Turnover = "turnover", "Turnover in its accounts";
        /// The contract income ngc sees (no accounts, or accounts older than the contracts).
        ContractIncome = "contract_income", "Contract income ngc sees";
    }
}

/// One council's share of a provider's income.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// The council's slug.
    pub council: String,
    /// The council's name.
    pub name: String,
    /// The income from it.
    pub amount: Money,
    /// Its share of what is measured, in per cent to two places (largest remainder).
    pub share_percent: Decimal,
}

/// The councils' shares of a provider's income, and what they are measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependencies {
    /// What the shares are measured against.
    pub basis: DependencyBasis,
    /// The amount measured against: turnover, or the contract income ngc sees.
    pub measured_against: Money,
    /// Each council's share, in the order given.
    pub councils: Vec<Dependency>,
    /// Income not from the councils listed (turnover less contract income; zero when measured
    /// against contract income).
    pub other_income: Money,
    /// Its share, in per cent to two places.
    pub other_percent: Decimal,
}

/// Each council's share of the provider's income.
///
/// Measured against its turnover where accounts are given and the turnover is at least the
/// contract income ngc sees; otherwise against that contract income (accounts older than the
/// contracts would give shares over 100%). Shares are exact fractions rounded to hundredths of
/// a per cent by the largest-remainder method ([`allocate`]), so the councils' shares and the
/// other income's share sum to exactly 100.00, each within 0.01 of its exact value; with
/// nothing to measure against every share is zero.
pub fn dependency(signals: &ProviderSignals) -> Result<Dependencies, SignalsError> {
    signals.validate()?;
    let contract_income = signals.contract_income()?;
    let (basis, measured) = match &signals.accounts {
        Some(a) if a.turnover.is_positive() && a.turnover >= contract_income => {
            (DependencyBasis::Turnover, a.turnover)
        }
        _ => (DependencyBasis::ContractIncome, contract_income),
    };
    let other_income = measured - contract_income;
    let weights: Vec<u64> = signals
        .income_by_council
        .iter()
        .map(|c| c.amount)
        .chain([other_income])
        .map(|m| u64::try_from(m.as_pence()).expect("validated: not negative"))
        .collect();
    let hundredths = if measured.is_zero() {
        vec![Money::ZERO; weights.len()]
    } else {
        allocate(Money::pence(10_000), &weights).expect("a positive measure has a positive weight")
    };
    let share = |m: Money| Decimal::new(m.as_pence(), 2);
    let councils = signals
        .income_by_council
        .iter()
        .zip(&hundredths)
        .map(|(c, &h)| Dependency {
            council: c.council.clone(),
            name: c.name.clone(),
            amount: c.amount,
            share_percent: share(h),
        })
        .collect();
    Ok(Dependencies {
        basis,
        measured_against: measured,
        councils,
        other_income,
        other_percent: share(*hundredths.last().expect("the other income's part")),
    })
}

crate::text_enum! {
    /// A kind of viability signal.
    pub enum FlagKind as "viability signal" {
        /// A large share of its income comes from one council.
        Dependency = "dependency", "Dependent on one council";
        /// Several of its KPIs are declining.
        DecliningKpis = "declining_kpis", "Declining KPIs";
        /// Penalties have been imposed on it.
        Penalties = "penalties", "Penalties imposed";
        /// Its reserves are thin, or it has net liabilities.
        ThinReserves = "thin_reserves", "Thin reserves";
        /// Much of its contract income ends without renewal.
        IncomeEnding = "income_ending", "Income ending without renewal";
    }
}

/// A raised signal and its reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The kind of signal.
    pub kind: FlagKind,
    /// Why, in words, with the threshold.
    pub reason: String,
}

/// The assessment of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Viability {
    /// Whether it goes on the watch list.
    pub on_watch: bool,
    /// How many kinds of signal are raised.
    pub signals: usize,
    /// The raised signals, in the order of [`FlagKind`].
    pub flags: Vec<Flag>,
    /// What could not be assessed, or was measured another way, and why.
    pub notes: Vec<String>,
    /// Whether the thresholds were checked against an authority (ngc's defaults are not).
    pub confirmed: bool,
}

#[cfg(test)]
mod tests;
