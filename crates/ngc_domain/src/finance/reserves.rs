//! Reserves: the general fund and earmarked reserves, their planned use, how a budget gap
//! draws them down, the prudent minimum and how long they would last.

use super::year::FinancialYear;
use crate::money::{Money, Rounding};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::text_enum! {
    /// Whether a reserve is unallocated or set aside for a purpose.
    pub enum ReserveKind as "reserve kind" {
        /// The unallocated general fund balance.
        GeneralFund = "general_fund", "General fund";
        /// A reserve earmarked for a purpose.
        Earmarked = "earmarked", "Earmarked";
    }
}

/// One reserve in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reserve {
    /// Its name.
    pub name: String,
    /// General fund or earmarked.
    pub kind: ReserveKind,
    /// The balance at the start of the plan's first year.
    pub opening: Money,
    /// Planned use (drawdown) in each year; a negative amount is a planned contribution.
    pub planned_use: BTreeMap<FinancialYear, Money>,
}

/// Usable reserve balances by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balances {
    /// The general fund (unallocated).
    pub general: Money,
    /// Earmarked reserves together.
    pub earmarked: Money,
}

impl Balances {
    /// General fund plus earmarked: usable reserves.
    pub fn usable(self) -> Money {
        self.general + self.earmarked
    }

    /// The opening balances of a set of reserves.
    pub fn opening(reserves: &[Reserve]) -> Balances {
        Self::by_kind(reserves, |r| r.opening)
    }

    /// The planned use of a set of reserves in `year`.
    pub fn planned_use(reserves: &[Reserve], year: FinancialYear) -> Balances {
        Self::by_kind(reserves, |r| {
            r.planned_use.get(&year).copied().unwrap_or_default()
        })
    }

    fn by_kind(reserves: &[Reserve], amount: impl Fn(&Reserve) -> Money) -> Balances {
        let mut b = Balances::default();
        for r in reserves {
            match r.kind {
                ReserveKind::GeneralFund => b.general += amount(r),
                ReserveKind::Earmarked => b.earmarked += amount(r),
            }
        }
        b
    }

    /// The balances at the year end: planned uses come out of each kind, then the gap (a
    /// shortfall of resources against spending) comes out of the general fund; when the
    /// general fund is gone the rest is taken from earmarked reserves, as councils in
    /// difficulty do. A negative gap (a surplus) goes to the general fund.
    pub fn year_end(self, planned: Balances, gap: Money) -> Balances {
        let mut general = self.general - planned.general - gap;
        let mut earmarked = self.earmarked - planned.earmarked;
        if general.is_negative() && earmarked.is_positive() {
            let take = (-general).min(earmarked);
            general += take;
            earmarked -= take;
        }
        Balances { general, earmarked }
    }
}

/// The prudent minimum general fund balance: `pct` per cent of the net budget requirement,
/// rounded to the penny half away from zero.
pub fn prudent_minimum(net_budget: Money, pct: Decimal) -> Money {
    net_budget
        .mul_decimal(pct / Decimal::ONE_HUNDRED, Rounding::HalfAwayFromZero)
        .expect("minimum in range")
}

/// Years until usable reserves are gone at the recent drawdown rate: the last balance over
/// the average yearly fall across the last three years of `history` (year-end balances,
/// oldest first; fewer years if that is all there is). One decimal place, half away from
/// zero. `None` when reserves are not falling or there is no history; zero when they are
/// already gone.
pub fn sustainability_years(history: &[Money]) -> Option<Decimal> {
    let last = *history.last()?;
    if !last.is_positive() {
        return Some(Decimal::ZERO);
    }
    let window = &history[history.len().saturating_sub(4)..];
    let years = window.len().checked_sub(1).filter(|&n| n > 0)?;
    let fall = window[0] - last;
    if !fall.is_positive() {
        return None;
    }
    let per_year = fall.to_decimal() / Decimal::from(years);
    Some(
        (last.to_decimal() / per_year)
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn b(general: i64, earmarked: i64) -> Balances {
        Balances {
            general: Money::pounds(general),
            earmarked: Money::pounds(earmarked),
        }
    }

    #[rstest]
    #[case::gap_from_general_fund(b(20, 40), b(0, 5), 10, b(10, 35))]
    #[case::surplus_to_general_fund(b(20, 40), b(0, 0), -5, b(25, 40))]
    #[case::general_exhausted_then_earmarked(b(20, 40), b(0, 0), 30, b(0, 30))]
    #[case::both_exhausted(b(20, 40), b(0, 10), 70, b(-20, 0))]
    #[case::planned_contribution(b(20, 40), b(-5, 0), 0, b(25, 40))]
    fn a_gap_draws_the_general_fund_then_earmarked_reserves(
        #[case] start: Balances,
        #[case] planned: Balances,
        #[case] gap: i64,
        #[case] end: Balances,
    ) {
        assert_eq!(start.year_end(planned, Money::pounds(gap)), end);
    }

    #[test]
    fn opening_and_planned_use_are_summed_by_kind() {
        let y: FinancialYear = "2015-16".parse().unwrap();
        let reserves = [
            Reserve {
                name: "General fund".into(),
                kind: ReserveKind::GeneralFund,
                opening: Money::pounds(14_000_000),
                planned_use: BTreeMap::new(),
            },
            Reserve {
                name: "Transformation".into(),
                kind: ReserveKind::Earmarked,
                opening: Money::pounds(47_695_000),
                planned_use: [(y, Money::pounds(28_059_000))].into(),
            },
        ];
        assert_eq!(Balances::opening(&reserves), b(14_000_000, 47_695_000));
        assert_eq!(Balances::planned_use(&reserves, y), b(0, 28_059_000));
    }

    #[rstest]
    #[case::steady_fall(vec![400, 300, 200, 100], Some("1"))]
    #[case::ncc_earmarked_two_years(vec![47_695, 19_636, 8_481], Some("0.4"))]
    #[case::rising(vec![100, 150], None)]
    #[case::flat(vec![100, 100], None)]
    #[case::single_point(vec![100], None)]
    #[case::gone(vec![100, -5], Some("0"))]
    #[case::only_last_three_years_count(vec![10_000, 400, 300, 200, 100], Some("1"))]
    fn sustainability_is_balance_over_recent_drawdown(
        #[case] history: Vec<i64>,
        #[case] years: Option<&str>,
    ) {
        let history: Vec<Money> = history.into_iter().map(Money::pounds).collect();
        assert_eq!(
            sustainability_years(&history),
            years.map(|s| s.parse().unwrap())
        );
    }

    #[test]
    fn prudent_minimum_is_a_share_of_the_net_budget() {
        assert_eq!(
            prudent_minimum(Money::pounds(423_686_000), "2.5".parse().unwrap()),
            Money::pounds(10_592_150)
        );
    }

    proptest! {
        #[test]
        fn usable_reserves_fall_by_exactly_the_gap_and_planned_use(
            g in -1_000_000i64..1_000_000, e in 0i64..1_000_000,
            pg in -1000i64..1000, pe in -1000i64..1000, gap in -1_000_000i64..2_000_000,
        ) {
            let start = b(g, e);
            let planned = b(pg, pe);
            let end = start.year_end(planned, Money::pounds(gap));
            prop_assert_eq!(end.usable(), start.usable() - planned.usable() - Money::pounds(gap));
            let after_planned = start.earmarked - planned.earmarked;
            prop_assert!(end.earmarked <= after_planned);
            if end.earmarked < after_planned {
                // Earmarked reserves cover the gap only once the general fund is gone.
                prop_assert!(end.general.is_zero() || end.earmarked.is_zero());
            }
        }
    }
}
