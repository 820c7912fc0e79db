//! Council tax: the bands, the requirement and Band D the way the Local Government Finance Act
//! 1992 has them ([`RULE`]), and the referendum test.
//!
//! Rounding: every amount is rounded to the penny half away from zero, the way councils
//! publish their figures. Percentages shown are rounded to two places the same way; the
//! referendum test itself compares the exact, unrounded increase.

use super::referendum::Principle;
use crate::money::{Money, Rounding, percent_change};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// A council tax valuation band.
    pub enum Band as "council tax band" {
        /// Up to £40,000 (1991 values): 6/9 of Band D.
        A = "A", "Band A";
        /// 7/9 of Band D.
        B = "B", "Band B";
        /// 8/9 of Band D.
        C = "C", "Band C";
        /// The reference band.
        D = "D", "Band D";
        /// 11/9 of Band D.
        E = "E", "Band E";
        /// 13/9 of Band D.
        F = "F", "Band F";
        /// 15/9 of Band D.
        G = "G", "Band G";
        /// Over £320,000 (1991 values): 18/9 of Band D.
        H = "H", "Band H";
    }
}

impl Band {
    /// The statutory ratio to Band D, in ninths.
    pub fn ninths(self) -> u8 {
        match self {
            Band::A => 6,
            Band::B => 7,
            Band::C => 8,
            Band::D => 9,
            Band::E => 11,
            Band::F => 13,
            Band::G => 15,
            Band::H => 18,
        }
    }

    /// The charge for this band given the Band D charge, rounded to the penny.
    /// Computed exactly in integers (never an exact half penny: 2·n·p is even, 9·odd is odd).
    pub fn charge(self, band_d: Money) -> Money {
        let scaled = i128::from(band_d.as_pence()) * i128::from(self.ninths());
        let rounded = (scaled.abs() + 4) / 9 * scaled.signum();
        Money::pence(i64::try_from(rounded).expect("a band charge is at most twice Band D"))
    }
}

/// The rule the plan's council tax follows, in words (shown on the plan page and in the report).
pub const RULE: &str = "Council tax follows the Local Government Finance Act 1992 (s44; s31B for a \
billing authority): in a year whose requirement the council has set, the requirement is that \
figure and Band D is the requirement divided by the tax base, to the penny; in a plan year, Band D \
is the year before's Band D increased by the council tax increase and the adult social care \
precept, carried unrounded, and the requirement is Band D times the tax base, rounded to the \
penny. Band D is shown to the penny.";

/// One year's council tax under [`RULE`]: the Band D carried (unrounded), the Band D shown
/// and the requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearTax {
    /// Band D as carried into the next year: the penny figure in a set year, unrounded in a
    /// plan year.
    pub band_d_carried: Decimal,
    /// Band D to the penny.
    pub band_d: Money,
    /// The council tax requirement.
    pub requirement: Money,
    /// Whether the requirement is the one the council set.
    pub set: bool,
}

/// A year's council tax on `tax_base` under [`RULE`]: from the requirement the council set,
/// or else from the year before's carried Band D raised by `increase_pct` per cent.
/// `None` only for a set requirement on a tax base that is not positive.
pub fn year_tax(
    band_d_before: Decimal,
    increase_pct: Decimal,
    tax_base: Decimal,
    set_requirement: Option<Money>,
) -> Option<YearTax> {
    match set_requirement {
        Some(requirement) => {
            let band_d = band_d_for(requirement, tax_base)?;
            Some(YearTax {
                band_d_carried: band_d.to_decimal(),
                band_d,
                requirement,
                set: true,
            })
        }
        None => {
            let carried = band_d_before * (Decimal::ONE + increase_pct / Decimal::ONE_HUNDRED);
            let penny = |d: Decimal| {
                Money::from_decimal_rounded(d, Rounding::HalfAwayFromZero).expect("in range")
            };
            Some(YearTax {
                band_d_carried: carried,
                band_d: penny(carried),
                requirement: penny(carried * tax_base),
                set: false,
            })
        }
    }
}

/// The council tax requirement raised by a Band D charge on a tax base (Band D
/// equivalents), rounded to the penny.
pub fn requirement(band_d: Money, tax_base: Decimal) -> Money {
    band_d
        .mul_decimal(tax_base, Rounding::HalfAwayFromZero)
        .expect("requirement in range")
}

/// The Band D charge that raises `requirement` on `tax_base`, rounded to the penny — how a
/// council sets its Band D from its requirement. `None` for a tax base that is not positive.
pub fn band_d_for(requirement: Money, tax_base: Decimal) -> Option<Money> {
    if tax_base <= Decimal::ZERO {
        return None;
    }
    let pounds = requirement.to_decimal().checked_div(tax_base)?;
    Money::from_decimal_rounded(pounds, Rounding::HalfAwayFromZero).ok()
}

/// Band D after an increase of `pct` per cent, rounded to the penny.
pub fn increased_band_d(band_d: Money, pct: Decimal) -> Money {
    let factor = Decimal::ONE + pct / Decimal::ONE_HUNDRED;
    band_d
        .mul_decimal(factor, Rounding::HalfAwayFromZero)
        .expect("Band D in range")
}

/// The outcome of the referendum test for one year's Band D change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferendumTest {
    /// The increase in per cent, rounded to two places (as published).
    pub increase_pct: Decimal,
    /// The increase in pounds on a Band D bill.
    pub increase: Money,
    /// The percentage limit (core plus adult social care precept), if one applies.
    pub limit_pct: Option<Decimal>,
    /// The cash limit on a Band D bill, if one applies.
    pub cash_limit: Option<Money>,
    /// Whether the increase is excessive, so a referendum is needed.
    pub triggered: bool,
}

/// Whether a Band D change from `prev` to `next` needs a referendum under `principle`
/// (`None`: no principle known for that year and class, so none is triggered).
///
/// Excessive means the exact increase is at least the percentage limit and, where there is a
/// cash alternative, also more than the cash limit; with only a cash limit, more than it.
/// A rise of 1.996% is shown as 2.00% but does not reach a 2% limit.
pub fn referendum_test(prev: Money, next: Money, principle: Option<&Principle>) -> ReferendumTest {
    let increase = next - prev;
    let increase_pct = percent_change(prev, next).unwrap_or_default();
    let limit_pct = principle.and_then(Principle::pct_limit);
    let cash_limit = principle.and_then(|p| p.cash_limit_gbp);
    // Exact: increase / prev × 100 >= limit  ⇔  increase × 100 >= limit × prev (prev > 0).
    let reaches_pct = |limit: Decimal| {
        prev.is_positive()
            && increase.to_decimal() * Decimal::ONE_HUNDRED >= limit * prev.to_decimal()
    };
    let triggered = match (limit_pct, cash_limit) {
        (None, None) => false,
        (Some(limit), None) => reaches_pct(limit),
        (None, Some(cash)) => increase > cash,
        (Some(limit), Some(cash)) => reaches_pct(limit) && increase > cash,
    };
    ReferendumTest {
        increase_pct,
        increase,
        limit_pct,
        cash_limit,
        triggered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::referendum::{AuthorityClass, Principles};
    use proptest::prelude::*;
    use rstest::rstest;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn shipped(year: &str, class: AuthorityClass) -> Principle {
        Principles::shipped()
            .get(year.parse().unwrap(), class)
            .unwrap()
            .clone()
    }

    #[rstest]
    #[case::a(Band::A, "712.68")]
    #[case::b(Band::B, "831.46")]
    #[case::c(Band::C, "950.24")]
    #[case::d(Band::D, "1069.02")]
    #[case::e(Band::E, "1306.58")]
    #[case::f(Band::F, "1544.14")]
    #[case::g(Band::G, "1781.70")]
    #[case::h(Band::H, "2138.04")]
    fn bands_follow_the_statutory_ratios(#[case] band: Band, #[case] charge: &str) {
        assert_eq!(band.charge(m("1069.02")), m(charge));
    }

    #[test]
    fn northamptonshire_2015_16_band_d_is_the_requirement_over_the_tax_base() {
        // Official CTR table: requirement £238,217,960 on 222,837.7 Band D equivalents.
        assert_eq!(
            band_d_for(m("238217960"), d("222837.7")),
            Some(m("1069.02"))
        );
        assert_eq!(
            band_d_for(m("226640615"), d("216142.5")),
            Some(m("1048.57"))
        );
    }

    #[test]
    fn a_set_requirement_gives_band_d_to_the_penny_and_plan_years_carry_it_unrounded() {
        // 2015-16: the requirement Northamptonshire set, on its tax base (CTR 2015-16).
        let set = year_tax(d("1048.57"), d("1.95"), d("222837.7"), Some(m("238217960"))).unwrap();
        assert_eq!(
            (set.band_d, set.requirement, set.set),
            (m("1069.02"), m("238217960.00"), true)
        );
        // 2016-17 as a plan year: 1069.02 × 1.0395 = 1111.246290, shown as the published
        // 1111.25; the requirement is the unrounded Band D × 228,951.65, to the penny.
        let next = year_tax(set.band_d_carried, d("3.95"), d("228951.65"), None).unwrap();
        assert_eq!(next.band_d_carried, d("1111.246290"));
        assert_eq!(next.band_d, m("1111.25"));
        assert_eq!(next.requirement, m("254421671.65"));
        assert!(!next.set);
        // The year after carries 1111.246290, not 1111.25.
        let third = year_tax(next.band_d_carried, d("3.95"), d("234331.2"), None).unwrap();
        assert_eq!(third.band_d_carried, d("1155.140518455"));
        assert_eq!(third.band_d, m("1155.14"));
        assert_eq!(year_tax(d("1"), d("0"), d("0"), Some(m("1"))), None);
    }

    #[test]
    fn northamptonshire_2015_16_requirement_is_band_d_times_tax_base_to_rounding() {
        // Band D × tax base gives £238,217,958.05; the official £238,217,960 differs by less
        // than the half-penny rounding of Band D spread over the tax base.
        let computed = requirement(m("1069.02"), d("222837.7"));
        assert_eq!(computed, m("238217958.05"));
        let diff = (m("238217960") - computed).to_decimal().abs();
        assert!(diff <= d("0.005") * d("222837.7"), "{diff}");
    }

    #[test]
    fn northamptonshire_2015_16_increase_is_1_95_per_cent_within_the_2_per_cent_limit() {
        let principle = shipped("2015-16", AuthorityClass::ShireCounty);
        let test = referendum_test(m("1048.57"), m("1069.02"), Some(&principle));
        assert_eq!(test.increase_pct, d("1.95"));
        assert_eq!(test.limit_pct, Some(d("2")));
        assert!(!test.triggered);
    }

    #[rstest]
    #[case::ncc_2016_17_with_asc(
        "2016-17",
        AuthorityClass::ShireCounty,
        "1069.02",
        "1111.25",
        false
    )]
    #[case::county_exactly_at_the_limit(
        "2015-16",
        AuthorityClass::ShireCounty,
        "1000.00",
        "1020.00",
        true
    )]
    #[case::shown_as_2_00_but_below_2(
        "2015-16",
        AuthorityClass::ShireCounty,
        "1000.00",
        "1019.96",
        false
    )]
    #[case::county_over_without_asc_year(
        "2015-16",
        AuthorityClass::ShireCounty,
        "1069.02",
        "1111.25",
        true
    )]
    #[case::district_under_5_pounds(
        "2016-17",
        AuthorityClass::ShireDistrict,
        "123.65",
        "128.65",
        false
    )]
    #[case::district_over_5_pounds_and_2_pct(
        "2016-17",
        AuthorityClass::ShireDistrict,
        "123.65",
        "128.66",
        true
    )]
    #[case::district_big_band_d_over_2_pct(
        "2016-17",
        AuthorityClass::ShireDistrict,
        "300.00",
        "306.00",
        true
    )]
    #[case::police_cash_only_at_limit("2018-19", AuthorityClass::Police, "200.00", "212.00", false)]
    #[case::police_cash_only_over("2018-19", AuthorityClass::Police, "200.00", "212.01", true)]
    fn referendum(
        #[case] year: &str,
        #[case] class: AuthorityClass,
        #[case] prev: &str,
        #[case] next: &str,
        #[case] triggered: bool,
    ) {
        let principle = shipped(year, class);
        assert_eq!(
            referendum_test(m(prev), m(next), Some(&principle)).triggered,
            triggered
        );
    }

    #[test]
    fn no_principle_means_no_referendum() {
        let test = referendum_test(m("100"), m("200"), None);
        assert!(!test.triggered);
        assert_eq!(test.limit_pct, None);
        assert_eq!(test.increase_pct, d("100"));
    }

    #[test]
    fn an_increase_of_1_95_per_cent_gives_the_published_band_d() {
        assert_eq!(increased_band_d(m("1048.57"), d("1.95")), m("1069.02"));
    }

    proptest! {
        #[test]
        fn band_charges_keep_their_order_and_d_is_unchanged(pence in 0i64..10_000_000) {
            let band_d = Money::pence(pence);
            prop_assert_eq!(Band::D.charge(band_d), band_d);
            for pair in Band::ALL.windows(2) {
                prop_assert!(pair[0].charge(band_d) <= pair[1].charge(band_d));
            }
            prop_assert_eq!(Band::H.charge(band_d), band_d.checked_mul(2).unwrap());
            for band in Band::ALL {
                // Within half a penny of the exact ratio.
                let err = i128::from(band.charge(band_d).as_pence()) * 18
                    - i128::from(pence) * 2 * i128::from(band.ninths());
                prop_assert!(err.abs() <= 9, "{} {}", band, err);
            }
        }

        #[test]
        fn band_d_from_requirement_gives_back_the_requirement_within_rounding(
            pence in 1i64..500_000, base_tenths in 1_000i64..5_000_000,
        ) {
            let base = Decimal::new(base_tenths, 1);
            let band_d = Money::pence(pence);
            let req = requirement(band_d, base);
            prop_assert_eq!(band_d_for(req, base), Some(band_d));
        }

        #[test]
        fn the_test_is_monotone_in_the_new_band_d(
            prev in 1i64..300_000, a in 0i64..30_000, b in 0i64..30_000,
        ) {
            let principle = shipped("2016-17", AuthorityClass::ShireDistrict);
            let (lo, hi) = (a.min(b), a.max(b));
            let t_lo = referendum_test(Money::pence(prev), Money::pence(prev + lo), Some(&principle));
            let t_hi = referendum_test(Money::pence(prev), Money::pence(prev + hi), Some(&principle));
            prop_assert!(!t_lo.triggered || t_hi.triggered);
        }
    }
}
