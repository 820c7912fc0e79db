//! Performance failures recorded against a contract, with the fields of the OCDS performance
//! failures extension (period, category, number of events, penalty contracted, imposed and
//! paid) and of the UK's OCDS extension (description, penalty type), penalties in money.
//!
//! The rule for the amounts ([`PerformanceFailure::validate`]): none is negative; what was
//! paid never exceeds what was imposed; and a penalty imposed under the contract's own terms
//! (penalty type `contracted`) never exceeds what the contract provides for. A penalty
//! imposed by a court or tribunal, or negotiated in a settlement, may differ from the
//! contracted amount either way.

use crate::contracts::period::Period;
use crate::money::Money;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// How the penalty for a failure was decided: the closed `penaltyType` codelist of the UK's
    /// OCDS extension, whose codes are the words.
    pub enum PenaltyType as "penalty type" {
        /// The penalty was specified in the contract.
        Contracted = "contracted", "Contracted";
        /// The penalty was imposed by a court or tribunal.
        Imposed = "imposed", "Imposed";
        /// The penalty was negotiated as part of a settlement agreement.
        Negotiated = "negotiated", "Negotiated";
    }
}

/// Failures of one category in one reporting period, and the penalty for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceFailure {
    /// An identifier, unique within the contract (OCDS `id`).
    pub id: String,
    /// The reporting period (OCDS `period`).
    pub period: Period,
    /// The category of failure (OCDS `category`), e.g. a KPI's name.
    pub category: String,
    /// What went wrong (UK `description`).
    pub description: String,
    /// How many failures of the category in the period (OCDS `events`).
    pub events: u32,
    /// What the provider must do, or did, to put it right.
    pub remedy: String,
    /// How the penalty was decided (UK `penaltyType`).
    pub penalty_type: PenaltyType,
    /// The penalty or abatement the contract provides for these failures (OCDS
    /// `penaltyContracted`, there in words).
    pub penalty_contracted: Money,
    /// The penalty or abatement imposed (OCDS `penaltyImposed`; UK `penaltyValue`).
    pub penalty_imposed: Money,
    /// How much of it has been paid (OCDS `penaltyPaid` says only whether).
    pub penalty_paid: Money,
}

/// A performance failure that cannot be recorded, naming it and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FailureError {
    /// The identifier is blank.
    #[error("performance failure {index}: id is empty")]
    EmptyId {
        /// The failure's 1-based position.
        index: usize,
    },
    /// A text field is blank.
    #[error("performance failure `{id}`: {field} is empty")]
    Empty {
        /// The failure's id.
        id: String,
        /// The blank field.
        field: &'static str,
    },
    /// The period ends before it starts.
    #[error("performance failure `{id}`: period ends {end}, before it starts {start}")]
    PeriodBackwards {
        /// The failure's id.
        id: String,
        /// The first day.
        start: chrono::NaiveDate,
        /// The last day.
        end: chrono::NaiveDate,
    },
    /// An amount is below zero.
    #[error("performance failure `{id}`: {field} {amount} is negative")]
    Negative {
        /// The failure's id.
        id: String,
        /// The field.
        field: &'static str,
        /// The amount.
        amount: Money,
    },
    /// More was paid than imposed.
    #[error("performance failure `{id}`: penalty_paid {paid} exceeds penalty_imposed {imposed}")]
    PaidMoreThanImposed {
        /// The failure's id.
        id: String,
        /// The amount paid.
        paid: Money,
        /// The amount imposed.
        imposed: Money,
    },
    /// A contracted penalty was imposed above what the contract provides for.
    #[error(
        "performance failure `{id}`: penalty_imposed {imposed} exceeds penalty_contracted {contracted}; a penalty under the contract's terms cannot exceed what it provides for (a court's award or a settlement has another penalty_type)"
    )]
    ImposedMoreThanContracted {
        /// The failure's id.
        id: String,
        /// The amount imposed.
        imposed: Money,
        /// The amount the contract provides for.
        contracted: Money,
    },
}

impl PerformanceFailure {
    /// Checks the record by the rule in the module's documentation; `index` is its 1-based
    /// position, named when the id itself is blank.
    pub fn validate(&self, index: usize) -> Result<(), FailureError> {
        let id = self.id.trim();
        if id.is_empty() {
            return Err(FailureError::EmptyId { index });
        }
        let id = id.to_owned();
        if self.category.trim().is_empty() {
            return Err(FailureError::Empty {
                id,
                field: "category",
            });
        }
        if self.period.end < self.period.start {
            return Err(FailureError::PeriodBackwards {
                id,
                start: self.period.start,
                end: self.period.end,
            });
        }
        for (field, amount) in [
            ("penalty_contracted", self.penalty_contracted),
            ("penalty_imposed", self.penalty_imposed),
            ("penalty_paid", self.penalty_paid),
        ] {
            if amount.is_negative() {
                return Err(FailureError::Negative { id, field, amount });
            }
        }
        if self.penalty_paid > self.penalty_imposed {
            return Err(FailureError::PaidMoreThanImposed {
                id,
                paid: self.penalty_paid,
                imposed: self.penalty_imposed,
            });
        }
        if self.penalty_type == PenaltyType::Contracted
            && self.penalty_imposed > self.penalty_contracted
        {
            return Err(FailureError::ImposedMoreThanContracted {
                id,
                imposed: self.penalty_imposed,
                contracted: self.penalty_contracted,
            });
        }
        Ok(())
    }

    /// What is imposed and not yet paid (of a valid record: zero or more).
    pub fn outstanding(&self) -> Money {
        self.penalty_imposed
            .checked_sub(self.penalty_paid)
            .unwrap_or(Money::ZERO)
            .max_zero()
    }

    /// OCDS `penaltyPaid`: whether the penalty imposed has been paid in full; `None` when no
    /// penalty was imposed.
    pub fn ocds_penalty_paid(&self) -> Option<bool> {
        self.penalty_imposed
            .is_positive()
            .then(|| self.penalty_paid >= self.penalty_imposed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::period::Frequency;
    use proptest::prelude::*;
    use rstest::rstest;

    fn failure(kind: PenaltyType, contracted: i64, imposed: i64, paid: i64) -> PerformanceFailure {
        PerformanceFailure {
            id: "PF-1".into(),
            period: Period::containing(Frequency::Quarterly, "2016-05-01".parse().unwrap()),
            category: "Visits made late".into(),
            description: "12 home-care visits more than 30 minutes late".into(),
            events: 12,
            remedy: "Rota changes agreed at the contract meeting".into(),
            penalty_type: kind,
            penalty_contracted: Money::pounds(contracted),
            penalty_imposed: Money::pounds(imposed),
            penalty_paid: Money::pounds(paid),
        }
    }

    #[rstest]
    #[case::all_within(PenaltyType::Contracted, 1000, 1000, 400, None)]
    #[case::paid_more_than_imposed(
        PenaltyType::Contracted,
        1000,
        500,
        600,
        Some("performance failure `PF-1`: penalty_paid 600.00 exceeds penalty_imposed 500.00")
    )]
    #[case::imposed_more_than_contracted(
        PenaltyType::Contracted,
        1000,
        1200,
        0,
        Some(
            "performance failure `PF-1`: penalty_imposed 1200.00 exceeds penalty_contracted 1000.00"
        )
    )]
    #[case::a_court_may_award_more(PenaltyType::Imposed, 1000, 5000, 5000, None)]
    #[case::a_settlement_may_agree_more(PenaltyType::Negotiated, 0, 300, 0, None)]
    #[case::negative_amount(
        PenaltyType::Negotiated, -1, 0, 0,
        Some("performance failure `PF-1`: penalty_contracted -1.00 is negative")
    )]
    fn penalties_paid_never_exceed_imposed_nor_contracted_penalties_the_contract(
        #[case] kind: PenaltyType,
        #[case] contracted: i64,
        #[case] imposed: i64,
        #[case] paid: i64,
        #[case] error: Option<&str>,
    ) {
        let got = failure(kind, contracted, imposed, paid).validate(1);
        match error {
            None => assert_eq!(got, Ok(())),
            Some(message) => {
                let err = got.unwrap_err().to_string();
                assert!(err.starts_with(message), "{err}");
            }
        }
    }

    #[test]
    fn a_failure_needs_an_id_and_a_category() {
        let mut f = failure(PenaltyType::Contracted, 0, 0, 0);
        f.category = " ".into();
        assert_eq!(
            f.validate(3).unwrap_err().to_string(),
            "performance failure `PF-1`: category is empty"
        );
        f.id = String::new();
        assert_eq!(
            f.validate(3).unwrap_err().to_string(),
            "performance failure 3: id is empty"
        );
    }

    #[test]
    fn ocds_penalty_paid_says_whether_the_imposed_penalty_is_paid_in_full() {
        assert_eq!(
            failure(PenaltyType::Contracted, 900, 900, 900).ocds_penalty_paid(),
            Some(true)
        );
        assert_eq!(
            failure(PenaltyType::Contracted, 900, 900, 899).ocds_penalty_paid(),
            Some(false)
        );
        assert_eq!(
            failure(PenaltyType::Contracted, 900, 0, 0).ocds_penalty_paid(),
            None
        );
        assert_eq!(
            failure(PenaltyType::Contracted, 900, 900, 250).outstanding(),
            Money::pounds(650)
        );
    }

    proptest! {
        #[test]
        fn a_valid_record_owes_what_was_imposed_less_what_was_paid(
            contracted in 0i64..1_000_000, imposed in 0i64..1_000_000, paid in 0i64..1_000_000,
        ) {
            let f = failure(PenaltyType::Contracted, contracted, imposed, paid);
            let valid = f.validate(1).is_ok();
            prop_assert_eq!(valid, paid <= imposed && imposed <= contracted);
            if valid {
                prop_assert_eq!(f.outstanding() + f.penalty_paid, f.penalty_imposed);
            }
        }
    }
}
