//! Which way a KPI is going over its latest periods.

use super::Kpi;
use rust_decimal::Decimal;

/// How many of the latest periods the trend looks at.
pub const TREND_WINDOW: usize = 3;

crate::text_enum! {
    /// Which way a KPI's performance against its target is going.
    ///
    /// ngc's rule ([`trend()`]): over the last three periods (or the two there are),
    /// *improving* when performance never got worse from one period to the next and the last is
    /// better than the first; *declining* when it never got better and the last is worse than
    /// the first; otherwise *steady* (including fewer than two values).
    pub enum Trend as "trend" {
        /// Getting better.
        Improving = "improving", "Improving";
        /// Neither steadily better nor steadily worse.
        Steady = "steady", "Steady";
        /// Getting worse.
        Declining = "declining", "Declining";
    }
}

/// The trend of `kpi` over `values`, oldest first, by the rule on [`Trend`]. Performance
/// against the target rises and falls with the value in the KPI's direction, so comparing
/// values in that direction compares performance.
pub fn trend(kpi: &Kpi, values: &[Decimal]) -> Trend {
    let window = &values[values.len().saturating_sub(TREND_WINDOW)..];
    let (Some(&first), Some(&last)) = (window.first(), window.last()) else {
        return Trend::Steady;
    };
    let steps = || window.windows(2).map(|w| (w[0], w[1]));
    if kpi.is_better(first, last) && steps().all(|(a, b)| !kpi.is_better(b, a)) {
        Trend::Improving
    } else if kpi.is_better(last, first) && steps().all(|(a, b)| !kpi.is_better(a, b)) {
        Trend::Declining
    } else {
        Trend::Steady
    }
}

#[cfg(test)]
mod tests {
    use super::super::Direction;
    use super::super::tests::kpi;
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use rstest::rstest;

    fn values(list: &[&str]) -> Vec<Decimal> {
        list.iter().map(|v| v.parse().unwrap()).collect()
    }

    #[rstest]
    #[case::rising(Direction::HigherIsBetter, &["80", "85", "90"], Trend::Improving)]
    #[case::rising_then_level(Direction::HigherIsBetter, &["80", "90", "90"], Trend::Improving)]
    #[case::falling(Direction::HigherIsBetter, &["90", "85", "80"], Trend::Declining)]
    #[case::level_then_falling(Direction::HigherIsBetter, &["90", "90", "85"], Trend::Declining)]
    #[case::up_then_down(Direction::HigherIsBetter, &["80", "90", "85"], Trend::Steady)]
    #[case::flat(Direction::HigherIsBetter, &["90", "90", "90"], Trend::Steady)]
    #[case::only_the_last_three_count(Direction::HigherIsBetter, &["99", "10", "20", "30"], Trend::Improving)]
    #[case::two_values_suffice(Direction::HigherIsBetter, &["70", "60"], Trend::Declining)]
    #[case::one_value(Direction::HigherIsBetter, &["70"], Trend::Steady)]
    #[case::no_values(Direction::HigherIsBetter, &[], Trend::Steady)]
    #[case::falling_days_improve(Direction::LowerIsBetter, &["30", "25", "20"], Trend::Improving)]
    #[case::rising_days_decline(Direction::LowerIsBetter, &["20", "25", "30"], Trend::Declining)]
    fn the_trend_follows_the_last_three_periods(
        #[case] direction: Direction,
        #[case] list: &[&str],
        #[case] want: Trend,
    ) {
        assert_eq!(trend(&kpi(direction, "90", "5"), &values(list)), want);
    }

    proptest! {
        #[test]
        fn reversing_the_direction_swaps_improving_and_declining(xs in vec(-1000i64..1000, 0..6)) {
            let xs: Vec<Decimal> = xs.into_iter().map(Decimal::from).collect();
            let up = trend(&kpi(Direction::HigherIsBetter, "0", "1"), &xs);
            let down = trend(&kpi(Direction::LowerIsBetter, "0", "1"), &xs);
            let swapped = match up {
                Trend::Improving => Trend::Declining,
                Trend::Declining => Trend::Improving,
                Trend::Steady => Trend::Steady,
            };
            prop_assert_eq!(down, swapped);
        }

        #[test]
        fn only_the_last_three_periods_matter(
            early in vec(-1000i64..1000, 0..5),
            late in vec(-1000i64..1000, 3..=3),
        ) {
            let k = kpi(Direction::HigherIsBetter, "0", "1");
            let late: Vec<Decimal> = late.into_iter().map(Decimal::from).collect();
            let all: Vec<Decimal> = early.into_iter().map(Decimal::from).chain(late.iter().copied()).collect();
            prop_assert_eq!(trend(&k, &all), trend(&k, &late));
        }
    }
}
