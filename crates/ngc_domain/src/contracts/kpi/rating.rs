//! Rating one period's value of a KPI: the ratings of the Procurement Regulations 2024
//! reg 39(5), their codes in the UK's OCDS extension, and a RAG colour beside each.

use super::{Direction, Kpi};
use rust_decimal::Decimal;

crate::text_enum! {
    /// A RAG colour, for dashboards.
    pub enum Rag as "RAG colour" {
        /// On target.
        Green = "green", "Green";
        /// Short of target, within reach.
        Amber = "amber", "Amber";
        /// Well short of target.
        Red = "red", "Red";
        /// Not rated: no value, or not applicable.
        Grey = "grey", "Grey";
    }
}

crate::text_enum! {
    /// The rating of a KPI for a period, as a UK9 contract performance notice gives it (the
    /// Procurement Regulations 2024 reg 39(5); the labels are the Regulations' words).
    ///
    /// ngc's rule ([`rate`]): meets or beats the target → Good (green); short of it by no more
    /// than the tolerance → Approaching target (amber); by no more than twice the tolerance →
    /// Requires improvement (amber); by more → Inadequate (red); no value or not applicable →
    /// Other (grey).
    pub enum Rating as "rating" {
        /// Performance is meeting or exceeding the key performance indicators.
        Good = "good", "Good";
        /// Performance is close to meeting the key performance indicators.
        ApproachingTarget = "approaching_target", "Approaching target";
        /// Performance is below the key performance indicators.
        RequiresImprovement = "requires_improvement", "Requires improvement";
        /// Performance is significantly below the key performance indicators.
        Inadequate = "inadequate", "Inadequate";
        /// Performance cannot be described as good, approaching target, requires improvement
        /// or inadequate.
        Other = "other", "Other";
    }
}

impl Rating {
    /// The RAG colour shown beside the rating.
    pub fn rag(self) -> Rag {
        match self {
            Rating::Good => Rag::Green,
            Rating::ApproachingTarget | Rating::RequiresImprovement => Rag::Amber,
            Rating::Inadequate => Rag::Red,
            Rating::Other => Rag::Grey,
        }
    }

    /// The rating's code in a UK9 notice: the `measureClassification` id of an observation
    /// in the UK's OCDS extension (`met`, `slightlyBelow`, `below`, `significantlyBelow`,
    /// `other`), taken in the order of reg 39(5).
    pub fn uk9_code(self) -> &'static str {
        match self {
            Rating::Good => "met",
            Rating::ApproachingTarget => "slightlyBelow",
            Rating::RequiresImprovement => "below",
            Rating::Inadequate => "significantlyBelow",
            Rating::Other => "other",
        }
    }

    /// The rating of a UK9 code, if it is one.
    pub fn from_uk9_code(code: &str) -> Option<Rating> {
        Rating::ALL.iter().copied().find(|r| r.uk9_code() == code)
    }

    /// The description of the rating in reg 39(5).
    pub fn description(self) -> &'static str {
        match self {
            Rating::Good => "Performance is meeting or exceeding the key performance indicators",
            Rating::ApproachingTarget => {
                "Performance is close to meeting the key performance indicators"
            }
            Rating::RequiresImprovement => "Performance is below the key performance indicators",
            Rating::Inadequate => {
                "Performance is significantly below the key performance indicators"
            }
            Rating::Other => {
                "Performance cannot be described as good, approaching target, requires improvement or inadequate"
            }
        }
    }
}

/// Rates one period's value of `kpi` by the rule on [`Rating`]; `None` (no value, or not
/// applicable) is Other.
pub fn rate(kpi: &Kpi, actual: Option<Decimal>) -> Rating {
    let Some(actual) = actual else {
        return Rating::Other;
    };
    let shortfall = match kpi.direction {
        Direction::HigherIsBetter => kpi.target.checked_sub(actual),
        Direction::LowerIsBetter => actual.checked_sub(kpi.target),
    };
    let Some(shortfall) = shortfall else {
        // Beyond the range of a decimal: far from the target one way or the other.
        return if kpi.is_better(kpi.target, actual) {
            Rating::Good
        } else {
            Rating::Inadequate
        };
    };
    if shortfall <= Decimal::ZERO {
        Rating::Good
    } else if shortfall <= kpi.tolerance {
        Rating::ApproachingTarget
    } else if kpi
        .tolerance
        .checked_add(kpi.tolerance)
        .is_none_or(|twice| shortfall <= twice)
    {
        Rating::RequiresImprovement
    } else {
        Rating::Inadequate
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::kpi;
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[rstest]
    // Higher is better: target 95, tolerance 5.
    #[case::higher_above_target(Direction::HigherIsBetter, "99", Rating::Good)]
    #[case::higher_exactly_on_target(Direction::HigherIsBetter, "95", Rating::Good)]
    #[case::higher_just_short(Direction::HigherIsBetter, "94.99", Rating::ApproachingTarget)]
    #[case::higher_short_by_the_tolerance(
        Direction::HigherIsBetter,
        "90",
        Rating::ApproachingTarget
    )]
    #[case::higher_just_past_the_tolerance(
        Direction::HigherIsBetter,
        "89.99",
        Rating::RequiresImprovement
    )]
    #[case::higher_short_by_twice_the_tolerance(
        Direction::HigherIsBetter,
        "85",
        Rating::RequiresImprovement
    )]
    #[case::higher_past_twice_the_tolerance(Direction::HigherIsBetter, "84.99", Rating::Inadequate)]
    // Lower is better: target 95, tolerance 5.
    #[case::lower_below_target(Direction::LowerIsBetter, "80", Rating::Good)]
    #[case::lower_exactly_on_target(Direction::LowerIsBetter, "95", Rating::Good)]
    #[case::lower_just_over(Direction::LowerIsBetter, "95.01", Rating::ApproachingTarget)]
    #[case::lower_over_by_the_tolerance(Direction::LowerIsBetter, "100", Rating::ApproachingTarget)]
    #[case::lower_just_past_the_tolerance(
        Direction::LowerIsBetter,
        "100.01",
        Rating::RequiresImprovement
    )]
    #[case::lower_over_by_twice_the_tolerance(
        Direction::LowerIsBetter,
        "105",
        Rating::RequiresImprovement
    )]
    #[case::lower_past_twice_the_tolerance(Direction::LowerIsBetter, "105.01", Rating::Inadequate)]
    fn a_value_is_rated_by_its_shortfall_against_the_tolerance(
        #[case] direction: Direction,
        #[case] actual: &str,
        #[case] want: Rating,
    ) {
        assert_eq!(rate(&kpi(direction, "95", "5"), Some(dec(actual))), want);
    }

    #[rstest]
    #[case::higher(Direction::HigherIsBetter)]
    #[case::lower(Direction::LowerIsBetter)]
    fn no_value_is_rated_other_and_grey(#[case] direction: Direction) {
        let r = rate(&kpi(direction, "95", "5"), None);
        assert_eq!(r, Rating::Other);
        assert_eq!(r.rag(), Rag::Grey);
    }

    #[test]
    fn with_no_tolerance_any_miss_is_inadequate() {
        let k = kpi(Direction::HigherIsBetter, "100", "0");
        assert_eq!(rate(&k, Some(dec("100"))), Rating::Good);
        assert_eq!(rate(&k, Some(dec("99.999"))), Rating::Inadequate);
    }

    #[test]
    fn values_beyond_a_decimals_range_are_rated_by_their_side_of_the_target() {
        let k = kpi(
            Direction::HigherIsBetter,
            "-79000000000000000000000000000",
            "1",
        );
        assert_eq!(rate(&k, Some(Decimal::MAX)), Rating::Good);
        let k = kpi(
            Direction::HigherIsBetter,
            "79000000000000000000000000000",
            "1",
        );
        assert_eq!(rate(&k, Some(Decimal::MIN)), Rating::Inadequate);
    }

    #[test]
    fn the_ratings_carry_the_regulations_words_and_the_uk9_codes() {
        let words: Vec<_> = Rating::ALL.iter().map(|r| r.label()).collect();
        assert_eq!(
            words,
            [
                "Good",
                "Approaching target",
                "Requires improvement",
                "Inadequate",
                "Other"
            ]
        );
        let codes: Vec<_> = Rating::ALL.iter().map(|r| r.uk9_code()).collect();
        assert_eq!(
            codes,
            [
                "met",
                "slightlyBelow",
                "below",
                "significantlyBelow",
                "other"
            ]
        );
        for &r in Rating::ALL {
            assert_eq!(Rating::from_uk9_code(r.uk9_code()), Some(r));
        }
        assert_eq!(Rating::from_uk9_code("good"), None);
        let rags: Vec<_> = Rating::ALL.iter().map(|r| r.rag()).collect();
        assert_eq!(
            rags,
            [Rag::Green, Rag::Amber, Rag::Amber, Rag::Red, Rag::Grey]
        );
    }

    fn directions() -> impl Strategy<Value = Direction> {
        prop_oneof![
            Just(Direction::HigherIsBetter),
            Just(Direction::LowerIsBetter)
        ]
    }

    proptest! {
        #[test]
        fn a_better_value_never_gets_a_worse_rating(
            direction in directions(),
            target in -100_000i64..100_000,
            tolerance in 0i64..10_000,
            a in -200_000i64..200_000,
            b in -200_000i64..200_000,
        ) {
            let k = kpi(direction, &Decimal::new(target, 2).to_string(), &Decimal::new(tolerance, 2).to_string());
            let (a, b) = (Decimal::new(a, 2), Decimal::new(b, 2));
            let (worse, better) = if k.is_better(a, b) { (a, b) } else { (b, a) };
            // Ratings are declared best first, so a better value has a rating no greater.
            prop_assert!(rate(&k, Some(better)) <= rate(&k, Some(worse)));
        }

        #[test]
        fn mirrored_kpis_rate_mirrored_values_alike(
            target in -100_000i64..100_000,
            tolerance in 0i64..10_000,
            delta in -50_000i64..50_000,
        ) {
            let (t, tol) = (Decimal::new(target, 2).to_string(), Decimal::new(tolerance, 2).to_string());
            let up = kpi(Direction::HigherIsBetter, &t, &tol);
            let down = kpi(Direction::LowerIsBetter, &t, &tol);
            let d = Decimal::new(delta, 2);
            prop_assert_eq!(rate(&up, Some(up.target + d)), rate(&down, Some(down.target - d)));
        }
    }
}
