//! Key performance indicators: what a contract measures, how each period's value is rated,
//! which way a KPI is trending, which returns are late or missing, the Procurement Act 2023's
//! KPI duty (s52) and the performance failures recorded against a contract.
//!
//! # The rules, stated
//!
//! **Rating** ([`rate`]). A KPI has a target, a direction (higher or lower is better) and a
//! tolerance in its own unit. The *shortfall* of a value is how far it falls short of the
//! target in the KPI's direction (`target − value` when higher is better, `value − target` when
//! lower is better). Then:
//!
//! | shortfall | rating (Procurement Regulations 2024 reg 39(5)) | UK9 code | RAG |
//! |---|---|---|---|
//! | zero or less: meets or beats the target | Good | `met` | green |
//! | more than zero, at most the tolerance | Approaching target | `slightlyBelow` | amber |
//! | more than the tolerance, at most twice it | Requires improvement | `below` | amber |
//! | more than twice the tolerance | Inadequate | `significantlyBelow` | red |
//! | no value, or not applicable | Other | `other` | grey |
//!
//! With a tolerance of zero any miss is Inadequate. The bands are ngc's rule: the Regulations
//! give the ratings and their descriptions, not the arithmetic.
//!
//! **Trend** ([`trend()`]). Over the last three periods (or the two there are), a KPI is
//! *improving* when its performance against target never got worse from one period to the next
//! and the last period is better than the first; *declining* when it never got better and the
//! last is worse than the first; otherwise (a change of direction, no change, or fewer than two
//! values) *steady*.
//!
//! **Returns** ([`returns_status`]). A provider owes one return per KPI per period of the KPI's
//! frequency, for every period that overlaps the contract and has begun by today (nothing
//! before the contract starts). A return is
//! due `grace_days` after its period ends ([`Period::due`](super::period::Period::due)); it is *received* if submitted on or
//! before that day, *late* if after, *missing* if not submitted once the day has passed, and
//! *not yet due* otherwise.
//!
//! **The s52 duty** ([`kpi_duty`]) and its figures are data: `contracts/data/kpi_duty.csv`.

mod duty;
mod failure;
mod rating;
mod returns;
mod trend;

pub use duty::{
    KpiDuty, KpiDutyRule, KpiDutyRules, KpiExemption, Provision, SHIPPED_CSV as KPI_DUTY_CSV,
    kpi_duty,
};
pub use failure::{FailureError, PenaltyType, PerformanceFailure};
pub use rating::{Rag, Rating, rate};
pub use returns::{ReturnDue, ReturnState, Submission, returns_status};
pub use trend::{TREND_WINDOW, Trend, trend};

use super::period::Frequency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Which way is better for a KPI.
    pub enum Direction as "direction" {
        /// A higher value is better (e.g. the share of visits made on time).
        HigherIsBetter = "higher", "Higher is better";
        /// A lower value is better (e.g. days to complete an assessment).
        LowerIsBetter = "lower", "Lower is better";
    }
}

/// A key performance indicator of one contract: "a factor or measure against which a
/// supplier's performance of a contract can be assessed" (PA2023 s52(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpi {
    /// The contract's own code for the KPI (`KPI1`), unique within the contract.
    pub code: String,
    /// What is measured, in words.
    pub name: String,
    /// The unit of the values and of the target (`%`, `days`, `visits`).
    pub unit: String,
    /// The value the provider must meet or beat.
    pub target: Decimal,
    /// Whether higher or lower values are better.
    pub direction: Direction,
    /// How often the provider makes a return.
    pub frequency: Frequency,
    /// How far short of the target, in the KPI's unit, still counts as approaching it (see
    /// [`rate`]). Zero or more.
    pub tolerance: Decimal,
}

/// A KPI that cannot be used, naming the KPI and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KpiError {
    /// The code is blank.
    #[error("kpi {index}: code is empty")]
    EmptyCode {
        /// The KPI's 1-based position in the contract's list.
        index: usize,
    },
    /// A text field is blank.
    #[error("kpi `{code}`: {field} is empty")]
    Empty {
        /// The KPI's code.
        code: String,
        /// The blank field (`name`, `unit`).
        field: &'static str,
    },
    /// The tolerance is below zero.
    #[error(
        "kpi `{code}`: tolerance {tolerance} is negative; it is how far short of the target, in the KPI's unit, still counts as approaching it"
    )]
    NegativeTolerance {
        /// The KPI's code.
        code: String,
        /// The rejected tolerance.
        tolerance: Decimal,
    },
    /// Two KPIs of one contract share a code.
    #[error("kpi `{code}`: code is used by more than one KPI of the contract")]
    DuplicateCode {
        /// The repeated code.
        code: String,
    },
}

impl Kpi {
    /// Checks the KPI on its own: a code, a name and a unit, and a tolerance of zero or more.
    /// `index` is its 1-based position, named when the code itself is blank.
    pub fn validate(&self, index: usize) -> Result<(), KpiError> {
        let code = self.code.trim();
        if code.is_empty() {
            return Err(KpiError::EmptyCode { index });
        }
        for (field, text) in [("name", &self.name), ("unit", &self.unit)] {
            if text.trim().is_empty() {
                return Err(KpiError::Empty {
                    code: code.to_owned(),
                    field,
                });
            }
        }
        if self.tolerance.is_sign_negative() && !self.tolerance.is_zero() {
            return Err(KpiError::NegativeTolerance {
                code: code.to_owned(),
                tolerance: self.tolerance,
            });
        }
        Ok(())
    }

    /// Whether `b` is better than `a` for this KPI.
    pub fn is_better(&self, a: Decimal, b: Decimal) -> bool {
        match self.direction {
            Direction::HigherIsBetter => b > a,
            Direction::LowerIsBetter => b < a,
        }
    }
}

/// Checks a contract's KPIs: each on its own ([`Kpi::validate`]) and no code used twice.
pub fn validate_all(kpis: &[Kpi]) -> Result<(), KpiError> {
    for (i, kpi) in kpis.iter().enumerate() {
        kpi.validate(i + 1)?;
        if kpis[..i].iter().any(|k| k.code.trim() == kpi.code.trim()) {
            return Err(KpiError::DuplicateCode {
                code: kpi.code.trim().to_owned(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rstest::rstest;

    /// A KPI for tests: `target`, `direction` and `tolerance` as given, monthly.
    pub(crate) fn kpi(direction: Direction, target: &str, tolerance: &str) -> Kpi {
        Kpi {
            code: "KPI1".into(),
            name: "Visits made on time".into(),
            unit: "%".into(),
            target: target.parse().unwrap(),
            direction,
            frequency: Frequency::Monthly,
            tolerance: tolerance.parse().unwrap(),
        }
    }

    #[test]
    fn a_complete_kpi_is_valid() {
        assert_eq!(
            kpi(Direction::HigherIsBetter, "95", "5").validate(1),
            Ok(())
        );
        assert_eq!(kpi(Direction::LowerIsBetter, "10", "0").validate(1), Ok(()));
    }

    #[rstest]
    #[case::blank_code(|k: &mut Kpi| k.code = "  ".into(), "kpi 2: code is empty")]
    #[case::blank_name(|k: &mut Kpi| k.name = String::new(), "kpi `KPI1`: name is empty")]
    #[case::blank_unit(|k: &mut Kpi| k.unit = " ".into(), "kpi `KPI1`: unit is empty")]
    #[case::negative_tolerance(
        |k: &mut Kpi| k.tolerance = Decimal::new(-5, 1),
        "kpi `KPI1`: tolerance -0.5 is negative"
    )]
    fn an_invalid_kpi_is_refused_naming_the_kpi_and_the_field(
        #[case] spoil: fn(&mut Kpi),
        #[case] message: &str,
    ) {
        let mut k = kpi(Direction::HigherIsBetter, "95", "5");
        spoil(&mut k);
        let err = k.validate(2).unwrap_err().to_string();
        assert!(err.starts_with(message), "{err}");
    }

    #[test]
    fn two_kpis_of_one_contract_may_not_share_a_code() {
        let a = kpi(Direction::HigherIsBetter, "95", "5");
        let mut b = kpi(Direction::LowerIsBetter, "10", "1");
        assert_eq!(
            validate_all(&[a.clone(), b.clone()]),
            Err(KpiError::DuplicateCode {
                code: "KPI1".into()
            })
        );
        b.code = "KPI2".into();
        assert_eq!(validate_all(&[a, b]), Ok(()));
    }

    #[test]
    fn direction_is_written_as_higher_or_lower() {
        assert_eq!(Direction::HigherIsBetter.as_str(), "higher");
        assert_eq!("lower".parse(), Ok(Direction::LowerIsBetter));
        assert!("up".parse::<Direction>().is_err());
    }
}
