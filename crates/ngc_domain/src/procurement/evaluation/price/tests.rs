use super::*;
use crate::procurement::evaluation::test_support::{dec, lot_1, slug};
use proptest::prelude::*;
use rstest::rstest;

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

#[rstest]
#[case::lowest_scores_the_maximum(PriceMethod::LowestOverBid, "80000", "80000", "40", "40.00")]
#[case::twice_the_lowest_scores_half(PriceMethod::LowestOverBid, "160000", "80000", "40", "20.00")]
// 80,000 ÷ 90,000 × 40 = 35.5555…
#[case::rounded_down(PriceMethod::LowestOverBid, "90000", "80000", "40", "35.56")]
// 100 ÷ 160 × 40 = 25 exactly; 100 ÷ 128 × 1 = 0.78125 → 0.78
#[case::exact(PriceMethod::LowestOverBid, "160", "100", "40", "25.00")]
#[case::below_midpoint(PriceMethod::LowestOverBid, "128", "100", "1", "0.78")]
// 1 ÷ 8 × 0.1 = 0.0125 → 0.01; 3 ÷ 8 × 0.1 = 0.0375 → 0.04: halves up
#[case::midpoint_up(PriceMethod::LowestOverBid, "8", "3", "0.1", "0.04")]
// 1 ÷ 3 × 0.375 = 0.125 exactly (multiplied before divided): half up to 0.13
#[case::midpoint_after_an_inexact_division(PriceMethod::LowestOverBid, "3", "1", "0.375", "0.13")]
#[case::rd_lowest(PriceMethod::RelativeDifference, "80000", "80000", "40", "40.00")]
// 10% above the lowest: 40 × 0.9 = 36
#[case::rd_ten_per_cent_above(PriceMethod::RelativeDifference, "88000", "80000", "40", "36.00")]
// 90,000: 12.5% above: 40 × 0.875 = 35
#[case::rd_twelve_and_a_half(PriceMethod::RelativeDifference, "90000", "80000", "40", "35.00")]
#[case::rd_twice(PriceMethod::RelativeDifference, "160000", "80000", "40", "0.00")]
#[case::rd_floored_at_zero(PriceMethod::RelativeDifference, "250000", "80000", "40", "0.00")]
// 1 − 2/3 = 1/3 of 40 = 13.333…
#[case::rd_thirds(PriceMethod::RelativeDifference, "5", "3", "40", "13.33")]
fn scores_by_example(
    #[case] method: PriceMethod,
    #[case] bid: &str,
    #[case] lowest: &str,
    #[case] maximum: &str,
    #[case] score: &str,
) {
    let got = method.score(m(bid), m(lowest), dec(maximum)).unwrap();
    assert_eq!(got, dec(score));
    assert_eq!(got.scale(), 2, "{got} has 2 places");
}

#[rstest]
#[case::zero_lowest(
    "10",
    "0",
    "40",
    "the lowest price (£0.00) must be above zero to score against"
)]
#[case::below_lowest(
    "9",
    "10",
    "40",
    "the bid price £9.00 is below the lowest price £10.00"
)]
#[case::negative_maximum(
    "10",
    "10",
    "-1",
    "the maximum score for price may not be negative (-1)"
)]
fn impossible_inputs_are_refused_in_words(
    #[case] bid: &str,
    #[case] lowest: &str,
    #[case] maximum: &str,
    #[case] message: &str,
) {
    let err = PriceMethod::LowestOverBid
        .score(m(bid), m(lowest), dec(maximum))
        .unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[test]
fn a_huge_maximum_is_an_error_not_a_panic() {
    let err = PriceMethod::RelativeDifference
        .score(Money::MAX, Money::MAX, Decimal::MAX)
        .unwrap_err();
    assert!(matches!(err, PriceError::Overflow { .. }), "{err}");
}

#[test]
fn each_method_is_described_in_words() {
    for method in PriceMethod::ALL {
        assert!(
            method
                .describe()
                .contains("rounded once to 2 decimal places, halves rounded up")
        );
        assert!(!method.label().is_empty());
    }
    assert_eq!(
        "relative_difference".parse::<PriceMethod>(),
        Ok(PriceMethod::RelativeDifference)
    );
    assert!(
        "cheapest"
            .parse::<PriceMethod>()
            .unwrap_err()
            .to_string()
            .contains("lowest_over_bid, relative_difference")
    );
}

#[test]
fn bids_are_scored_against_the_lowest_of_them_in_their_order() {
    let bids = [
        (slug("acme"), m("90000")),
        (slug("bravo"), m("80000")),
        (slug("carers-cic"), m("120000")),
    ];
    let scores = score_prices_for(&lot_1(), &bids).unwrap();
    let got: Vec<(&str, Decimal, Money)> = scores
        .iter()
        .map(|s| (s.bidder.as_str(), s.score, s.lowest))
        .collect();
    assert_eq!(
        got,
        [
            ("acme", dec("35.56"), m("80000")),
            ("bravo", dec("40.00"), m("80000")),
            ("carers-cic", dec("26.67"), m("80000")),
        ]
    );
    assert!(scores.iter().all(|s| s.maximum == dec("40")));
}

#[rstest]
#[case::zero_price(vec![(slug("acme"), m("0"))], "the price of `acme`'s bid (£0.00) must be above zero to be scored")]
#[case::duplicate(vec![(slug("acme"), m("10")), (slug("acme"), m("12"))], "`acme` has two prices: a bidder has one bid per lot")]
fn bad_bids_are_refused_naming_the_bidder(#[case] bids: Vec<(Slug, Money)>, #[case] message: &str) {
    let err = score_prices(PriceMethod::LowestOverBid, dec("40"), &bids).unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[test]
fn no_bids_no_scores_and_no_price_criterion_is_said() {
    assert_eq!(
        score_prices(PriceMethod::LowestOverBid, dec("40"), &[]),
        Ok(vec![])
    );
    let quality_only = CriteriaSet::new(
        "Fixed price",
        vec![super::super::criteria::Criterion::quality(
            slug("method"),
            "Method",
            dec("100"),
            super::super::criteria::ScoringScale::zero_to_five(),
        )],
    )
    .unwrap();
    assert_eq!(
        score_prices_for(&quality_only, &[])
            .unwrap_err()
            .to_string(),
        "criteria set `Fixed price` has no price criterion: its bids are scored on quality alone"
    );
}

fn methods() -> impl Strategy<Value = PriceMethod> {
    prop_oneof![
        Just(PriceMethod::LowestOverBid),
        Just(PriceMethod::RelativeDifference)
    ]
}

proptest! {
    #[test]
    fn scores_lie_between_zero_and_the_maximum_and_the_lowest_scores_it(
        method in methods(),
        lowest in 1i64..10_000_000_000,
        extra in 0i64..20_000_000_000,
        maximum in 0i64..=10_000,
    ) {
        let maximum = Decimal::new(maximum, 2);
        let lowest = Money::pence(lowest);
        let s = method.score(lowest + Money::pence(extra), lowest, maximum).unwrap();
        prop_assert!(s >= Decimal::ZERO && s <= maximum);
        prop_assert_eq!(method.score(lowest, lowest, maximum).unwrap(), round_score(maximum));
    }

    #[test]
    fn a_lower_price_never_scores_less(
        method in methods(),
        lowest in 1i64..1_000_000_000,
        a in 0i64..2_000_000_000,
        b in 0i64..2_000_000_000,
    ) {
        let lowest = Money::pence(lowest);
        let (lo, hi) = (a.min(b), a.max(b));
        let cheaper = method.score(lowest + Money::pence(lo), lowest, dec("40")).unwrap();
        let dearer = method.score(lowest + Money::pence(hi), lowest, dec("40")).unwrap();
        prop_assert!(cheaper >= dearer);
    }

    #[test]
    fn the_relative_difference_never_scores_above_lowest_over_bid(
        lowest in 1i64..1_000_000_000,
        extra in 0i64..2_000_000_000,
    ) {
        // 1/r ≥ 2 − r for r ≥ 1, since (r − 1)² ≥ 0.
        let lowest = Money::pence(lowest);
        let bid = lowest + Money::pence(extra);
        let rd = PriceMethod::RelativeDifference.score(bid, lowest, dec("40")).unwrap();
        let lob = PriceMethod::LowestOverBid.score(bid, lowest, dec("40")).unwrap();
        prop_assert!(rd <= lob);
    }
}
