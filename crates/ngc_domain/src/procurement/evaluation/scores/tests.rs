use super::*;
use crate::money::Money;
use crate::procurement::evaluation::criteria::Criterion;
use crate::procurement::evaluation::price::score_prices_for;
use crate::procurement::evaluation::test_support::{dec, lot_1, slug};
use proptest::prelude::*;
use rstest::rstest;

fn moderated(bidder: &str, criterion: &str, score: u32) -> ModeratedScore {
    ModeratedScore::new(&lot_1(), slug(bidder), slug(criterion), score, "Because").unwrap()
}

fn prices() -> Vec<PriceScore> {
    score_prices_for(
        &lot_1(),
        &[
            (slug("acme"), Money::pounds(90_000)),
            (slug("bravo"), Money::pounds(80_000)),
        ],
    )
    .unwrap()
}

#[rstest]
#[case::unknown(
    "nothing",
    3,
    "criteria set `Lot 1 criteria` has no criterion `nothing`"
)]
#[case::price(
    "price",
    3,
    "criterion `price` is scored from the price, not by evaluators"
)]
#[case::off_the_scale(
    "method",
    6,
    "a score of 6 for criterion `method` is outside its scale of 0 to 5"
)]
fn scores_off_a_quality_scale_are_refused_naming_the_criterion(
    #[case] criterion: &str,
    #[case] score: u32,
    #[case] message: &str,
) {
    let set = lot_1();
    let err = QualityScore::new(&set, 7, slug("acme"), slug(criterion), score, "").unwrap_err();
    assert_eq!(err.to_string(), message);
    let err = ModeratedScore::new(&set, slug("acme"), slug(criterion), score, "Why").unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[rstest]
#[case::bottom(0)]
#[case::top(5)]
fn the_ends_of_the_scale_are_scores(#[case] score: u32) {
    let s = QualityScore::new(&lot_1(), 7, slug("acme"), slug("method"), score, " ok ").unwrap();
    assert_eq!((s.score, s.comment.as_str()), (score, "ok"));
}

#[rstest]
#[case::empty("")]
#[case::blank("   ")]
fn a_moderated_score_needs_a_reason(#[case] reason: &str) {
    let err = ModeratedScore::new(&lot_1(), slug("acme"), slug("method"), 3, reason).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the moderated score of `acme` for criterion `method` needs a reason"
    );
}

#[test]
fn the_weighted_total_is_the_sum_of_each_criterion_s_contribution() {
    let set = lot_1();
    let m = [
        moderated("acme", "method", 4),
        moderated("acme", "social-value", 3),
        moderated("bravo", "method", 3),
    ];
    let t = weighted_total(&set, &slug("acme"), &prices(), &m).unwrap();
    let parts: Vec<(&str, Decimal, Decimal, Decimal)> = t
        .contributions
        .iter()
        .map(|c| (c.criterion.as_str(), c.score, c.maximum, c.weighted))
        .collect();
    // Price: 80,000 ÷ 90,000 × 40 = 35.56; method 4/5 × 35 = 28; social value 3/5 × 25 = 15.
    assert_eq!(
        parts,
        [
            ("price", dec("35.56"), dec("40"), dec("35.56")),
            ("method", dec("4"), dec("5"), dec("28.00")),
            ("social-value", dec("3"), dec("5"), dec("15.00")),
        ]
    );
    assert_eq!(
        (t.price, t.quality, t.total),
        (dec("35.56"), dec("43.00"), dec("78.56"))
    );
    assert_eq!(t.total.to_string(), "78.56");
}

#[test]
fn contributions_are_rounded_to_2_places_and_the_total_adds_them_as_shown() {
    // 3-point scales: 2/3 × 50 = 33.333… → 33.33 twice; the total is 66.66, not 66.67.
    let three = ScoringScale {
        max: 3,
        descriptors: ["None", "Some", "Most", "All"].map(str::to_owned).to_vec(),
    };
    let set = CriteriaSet::new(
        "Thirds",
        vec![
            Criterion::quality(slug("aa"), "A", dec("50"), three.clone()),
            Criterion::quality(slug("bb"), "B", dec("50"), three),
        ],
    )
    .unwrap();
    let m = [
        ModeratedScore::new(&set, slug("acme"), slug("aa"), 2, "r").unwrap(),
        ModeratedScore::new(&set, slug("acme"), slug("bb"), 2, "r").unwrap(),
    ];
    let t = weighted_total(&set, &slug("acme"), &[], &m).unwrap();
    assert_eq!(t.contributions[0].weighted, dec("33.33"));
    assert_eq!(
        (t.quality, t.price, t.total),
        (dec("66.66"), dec("0"), dec("66.66"))
    );
}

#[rstest]
#[case::no_price(vec![], vec![moderated("acme", "method", 4), moderated("acme", "social-value", 3)], "the price of `acme`'s bid has not been scored")]
#[case::unmoderated(prices(), vec![moderated("acme", "method", 4)], "`acme` has no moderated score for criterion `social-value`")]
#[case::other_bidder_only(prices(), vec![moderated("bravo", "method", 4), moderated("bravo", "social-value", 4)], "`acme` has no moderated score for criterion `method`")]
#[case::twice(prices(), vec![moderated("acme", "method", 4), moderated("acme", "method", 2), moderated("acme", "social-value", 3)], "`acme` has two moderated scores for criterion `method`")]
#[case::two_prices([prices(), prices()].concat(), vec![], "`acme` has two price scores")]
fn an_incomplete_or_doubled_evaluation_has_no_total(
    #[case] price_scores: Vec<PriceScore>,
    #[case] moderated: Vec<ModeratedScore>,
    #[case] message: &str,
) {
    let err = weighted_total(&lot_1(), &slug("acme"), &price_scores, &moderated).unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[test]
fn a_score_off_its_scale_is_refused_even_when_made_by_hand() {
    let bad = ModeratedScore {
        bidder: slug("acme"),
        criterion: slug("method"),
        score: 9,
        reason: "r".into(),
    };
    let err = weighted_total(
        &lot_1(),
        &slug("acme"),
        &prices(),
        &[bad, moderated("acme", "social-value", 1)],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a score of 9 for criterion `method` is outside its scale of 0 to 5"
    );
}

#[test]
fn evaluation_is_complete_when_every_quality_criterion_is_moderated_and_the_price_scored() {
    let set = lot_1();
    let acme = slug("acme");
    let none = evaluation_status(&set, &acme, &[], &[]);
    assert!(!none.is_complete());
    assert_eq!(
        none.missing(),
        "no moderated score for `method`, `social-value`; price not scored"
    );
    let m = [moderated("acme", "method", 4)];
    let some = evaluation_status(&set, &acme, &prices(), &m);
    assert_eq!(some.unmoderated, vec![slug("social-value")]);
    assert!(some.price_scored && !some.is_complete());
    let m = [
        moderated("acme", "method", 4),
        moderated("acme", "social-value", 2),
    ];
    let all = evaluation_status(&set, &acme, &prices(), &m);
    assert!(all.is_complete());
    assert_eq!(all.missing(), "");
}

#[test]
fn a_quality_only_set_needs_no_price_score() {
    let set = CriteriaSet::new(
        "Fixed price",
        vec![Criterion::quality(
            slug("method"),
            "Method",
            dec("100"),
            ScoringScale::zero_to_five(),
        )],
    )
    .unwrap();
    let m = [ModeratedScore::new(&set, slug("acme"), slug("method"), 5, "r").unwrap()];
    assert!(evaluation_status(&set, &slug("acme"), &[], &m).is_complete());
    assert_eq!(
        weighted_total(&set, &slug("acme"), &[], &m).unwrap().total,
        dec("100.00")
    );
}

#[test]
fn prices_open_only_when_every_bidder_is_moderated_on_quality() {
    let set = lot_1();
    let bidders = [slug("acme"), slug("bravo")];
    let m = vec![
        moderated("acme", "method", 4),
        moderated("acme", "social-value", 3),
        moderated("bravo", "method", 3),
    ];
    let err = price_may_be_opened(&set, &bidders, &m).unwrap_err();
    assert_eq!(
        err.to_string(),
        "prices stay sealed until every quality criterion is moderated for every bidder: `bravo` has no moderated score for `social-value`"
    );
    let mut m = m;
    m.push(moderated("bravo", "social-value", 2));
    assert_eq!(price_may_be_opened(&set, &bidders, &m), Ok(()));
}

proptest! {
    #[test]
    fn totals_add_up_and_stay_within_the_weights(
        method in 0u32..=5,
        social in 0u32..=5,
        price in 1i64..10_000_000,
        lowest_share in 1i64..=100,
    ) {
        let set = lot_1();
        let lowest = Money::pence((price * lowest_share / 100).max(1));
        let scores = crate::procurement::evaluation::price::score_prices(
            crate::procurement::evaluation::price::PriceMethod::LowestOverBid,
            dec("40"),
            &[(slug("acme"), Money::pence(price)), (slug("low"), lowest)],
        ).unwrap();
        let m = [moderated("acme", "method", method), moderated("acme", "social-value", social)];
        let t = weighted_total(&set, &slug("acme"), &scores, &m).unwrap();
        let sum: Decimal = t.contributions.iter().map(|c| c.weighted).sum();
        prop_assert_eq!(t.total, sum);
        prop_assert_eq!(t.total, t.quality + t.price);
        prop_assert!(t.total >= Decimal::ZERO && t.total <= Decimal::ONE_HUNDRED);
        for c in &t.contributions {
            prop_assert!(c.weighted >= Decimal::ZERO && c.weighted <= c.weight);
            prop_assert_eq!(c.weighted.scale(), 2);
        }
        // A better moderated score never lowers the total.
        if method < 5 {
            let better = [moderated("acme", "method", method + 1), moderated("acme", "social-value", social)];
            let t2 = weighted_total(&set, &slug("acme"), &scores, &better).unwrap();
            prop_assert!(t2.total > t.total);
        }
    }
}
