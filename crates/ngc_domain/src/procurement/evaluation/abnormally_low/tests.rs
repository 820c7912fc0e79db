use super::*;
use crate::procurement::evaluation::test_support::{dec, slug};
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;

fn pounds(bids: &[(&str, i64)]) -> Vec<(Slug, Money)> {
    bids.iter()
        .map(|(b, p)| (slug(b), Money::pounds(*p)))
        .collect()
}

#[test]
fn the_shipped_rules_are_unconfirmed_screening_defaults_naming_the_law() {
    let rules = ScreeningRules::shipped();
    let keys: Vec<(&str, ScreeningBasis)> = rules
        .rules()
        .iter()
        .map(|r| (r.rule.as_str(), r.basis))
        .collect();
    assert_eq!(
        keys,
        [
            ("below_mean_of_other_bids", ScreeningBasis::MeanOfOtherBids),
            ("below_buyer_estimate", ScreeningBasis::BuyerEstimate),
        ]
    );
    for r in rules.rules() {
        assert!(!r.confirmed, "{}: there is no statutory percentage", r.rule);
        assert!(r.source.starts_with("UNCONFIRMED:"), "{}", r.rule);
        for words in [
            "PCR 2015 reg 69",
            "PA2023 s34",
            "ngc's screening default",
            "not law",
        ] {
            assert!(r.source.contains(words), "{} lacks {words}", r.rule);
        }
        assert_eq!(r.threshold_percent, dec("20"));
    }
}

#[rstest]
#[case::missing_column(
    "rule,threshold_percent,basis,source\nx,20,buyer_estimate,s",
    "t.csv, line 1, column `confirmed`: missing column"
)]
#[case::bad_percent(
    "rule,threshold_percent,basis,source,confirmed\nx,120,buyer_estimate,s,false",
    "t.csv, line 2, column `threshold_percent`: 120 is not a percentage above 0 and below 100"
)]
#[case::zero_percent(
    "rule,threshold_percent,basis,source,confirmed\nx,0,buyer_estimate,s,false",
    "t.csv, line 2, column `threshold_percent`: 0 is not a percentage above 0 and below 100"
)]
#[case::bad_basis(
    "rule,threshold_percent,basis,source,confirmed\nx,20,median,s,false",
    "t.csv, line 2, column `basis`: `median`: unknown screening basis `median`: expected one of mean_of_other_bids, buyer_estimate"
)]
#[case::duplicate(
    "rule,threshold_percent,basis,source,confirmed\nx,20,buyer_estimate,s,false\nx,25,buyer_estimate,s,false",
    "t.csv, line 3, column `rule`: `x` appears twice"
)]
#[case::no_source(
    "rule,threshold_percent,basis,source,confirmed\nx,20,buyer_estimate,,false",
    "t.csv, line 2, column `source`: empty"
)]
fn bad_rule_files_are_refused_naming_line_and_column(#[case] text: &str, #[case] message: &str) {
    assert_eq!(
        ScreeningRules::from_csv_str("t.csv", text)
            .unwrap_err()
            .to_string(),
        message
    );
}

#[test]
fn a_bid_more_than_20_per_cent_below_the_mean_of_the_others_is_flagged() {
    // Others' mean for cheap: (90,000 + 84,000) ÷ 2 = 87,000; 60,000 is 31.03% below.
    let bids = pounds(&[("acme", 90_000), ("bravo", 84_000), ("cheap", 60_000)]);
    let flags = screen(&bids, None, &ScreeningRules::shipped());
    assert_eq!(flags.len(), 1);
    let f = &flags[0];
    assert_eq!(
        (f.bidder.as_str(), f.price),
        ("cheap", Money::pounds(60_000))
    );
    let r = &f.reasons[0];
    assert_eq!(r.basis, ScreeningBasis::MeanOfOtherBids);
    assert_eq!(r.compared_with, Money::pounds(87_000));
    assert_eq!(r.percent_below, dec("31.03"));
    assert!(!r.confirmed);
    assert_eq!(
        r.text,
        "£60,000.00 is 31.03% below the mean of the other bids (£87,000.00); bids more than 20% below it are flagged (ngc's screening default, not a statutory figure): ask the supplier to explain its price before deciding"
    );
}

#[rstest]
// Others' mean 100,000: 80,000 is exactly 20% below (not flagged), 79,999.99 is flagged.
#[case::exactly_20_per_cent("80000", false)]
#[case::a_penny_more("79999.99", true)]
fn exactly_the_threshold_is_not_more_than_it(#[case] price: &str, #[case] flagged: bool) {
    let bids = vec![
        (slug("acme"), Money::pounds(100_000)),
        (slug("low"), price.parse().unwrap()),
    ];
    let flags = screen(&bids, None, &ScreeningRules::shipped());
    assert_eq!(flags.iter().any(|f| f.bidder.as_str() == "low"), flagged);
}

#[test]
fn the_buyer_s_estimate_is_used_when_given_and_a_lone_bid_has_no_others() {
    let rules = ScreeningRules::shipped();
    let lone = pounds(&[("acme", 70_000)]);
    assert!(screen(&lone, None, &rules).is_empty());
    let flags = screen(&lone, Some(Money::pounds(100_000)), &rules);
    assert_eq!(flags[0].reasons.len(), 1);
    assert_eq!(flags[0].reasons[0].basis, ScreeningBasis::BuyerEstimate);
    assert_eq!(flags[0].reasons[0].percent_below, dec("30"));
    // Both rules can flag one bid.
    let bids = pounds(&[("acme", 100_000), ("low", 50_000)]);
    let flags = screen(&bids, Some(Money::pounds(100_000)), &rules);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].reasons.len(), 2);
    // A zero estimate flags nothing.
    assert!(screen(&lone, Some(Money::ZERO), &rules).is_empty());
}

proptest! {
    #[test]
    fn a_flag_means_more_than_the_threshold_below_and_raising_the_price_never_adds_one(
        prices in vec(1i64..10_000_000, 1..7),
        estimate in proptest::option::of(1i64..10_000_000),
        raise in 0i64..1_000_000,
    ) {
        let rules = ScreeningRules::shipped();
        let bids: Vec<(Slug, Money)> = prices
            .iter()
            .enumerate()
            .map(|(i, p)| (slug(&format!("bidder-{i}")), Money::pence(*p)))
            .collect();
        let estimate = estimate.map(Money::pence);
        let flags = screen(&bids, estimate, &rules);
        for f in &flags {
            for r in &f.reasons {
                // percent_below is rounded: it can only equal the threshold when the exact
                // figure is just above it.
                prop_assert!(r.percent_below >= r.threshold_percent);
            }
        }
        // Raising the first bid's price never flags it when it was not flagged, against the
        // estimate (the others' mean does not move).
        let mut raised = bids.clone();
        raised[0].1 += Money::pence(raise);
        let before = flags.iter().any(|f| f.bidder == bids[0].0);
        let after = screen(&raised, estimate, &rules).into_iter().any(|f| f.bidder == bids[0].0);
        prop_assert!(before || !after);
    }
}
