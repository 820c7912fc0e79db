use super::*;
use crate::procurement::evaluation::test_support::{dec, slug};
use chrono::TimeZone;
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;
use rust_decimal::Decimal;

fn bid(bidder: &str, total: &str, quality: &str, price: i64, minute: u32) -> Rankable {
    Rankable {
        total: WeightedTotal {
            bidder: slug(bidder),
            contributions: vec![],
            quality: dec(quality),
            price: dec(total) - dec(quality),
            total: dec(total),
        },
        price: Money::pounds(price),
        submitted_at: Utc.with_ymd_and_hms(2025, 6, 2, 11, minute, 0).unwrap(),
    }
}

fn order(ranked: &[Ranked]) -> Vec<(u32, &str, Option<RankBasis>)> {
    ranked
        .iter()
        .map(|r| (r.rank, r.bidder().as_str(), r.above_next_by))
        .collect()
}

#[test]
fn the_higher_total_ranks_first() {
    let bids = [
        bid("acme", "71.00", "31.00", 80_000, 1),
        bid("bravo", "78.56", "43.00", 90_000, 2),
        bid("carers", "60.10", "40.00", 120_000, 0),
    ];
    let ranked = rank(&bids, DEFAULT_TIE_BREAKS).unwrap();
    assert_eq!(
        order(&ranked),
        [
            (1, "bravo", Some(RankBasis::HigherTotal)),
            (2, "acme", Some(RankBasis::HigherTotal)),
            (3, "carers", None),
        ]
    );
}

#[rstest]
// Equal totals: the higher quality score wins.
#[case::quality(
    bid("acme", "75", "40", 80_000, 1),
    bid("bravo", "75.00", "45", 90_000, 2),
    "bravo",
    RankBasis::HigherQualityScore
)]
// Equal totals and quality: the lower price wins.
#[case::price(
    bid("acme", "75", "40", 80_000, 2),
    bid("bravo", "75", "40", 79_999, 3),
    "bravo",
    RankBasis::LowerPrice
)]
// Equal totals, quality and price: the earlier submission wins.
#[case::submission(
    bid("acme", "75", "40", 80_000, 5),
    bid("bravo", "75", "40", 80_000, 4),
    "bravo",
    RankBasis::EarlierSubmission
)]
// Equal on everything: the supplier's key, alphabetically.
#[case::key(
    bid("bravo", "75", "40", 80_000, 4),
    bid("acme", "75", "40", 80_000, 4),
    "acme",
    RankBasis::BidderKey
)]
fn ties_are_broken_by_quality_then_price_then_submission(
    #[case] a: Rankable,
    #[case] b: Rankable,
    #[case] first: &str,
    #[case] basis: RankBasis,
) {
    let ranked = rank(&[a, b], DEFAULT_TIE_BREAKS).unwrap();
    assert_eq!(ranked[0].bidder().as_str(), first);
    assert_eq!(ranked[0].above_next_by, Some(basis));
    assert_eq!(ranked[1].above_next_by, None);
}

#[test]
fn a_tender_may_state_its_own_order_of_tie_breaks() {
    let a = bid("acme", "75", "45", 90_000, 1);
    let b = bid("bravo", "75", "40", 80_000, 2);
    let by_price = rank(&[a.clone(), b.clone()], &[TieBreak::LowerPrice]).unwrap();
    assert_eq!(by_price[0].bidder().as_str(), "bravo");
    assert_eq!(by_price[0].above_next_by, Some(RankBasis::LowerPrice));
    let by_default = rank(&[a, b], DEFAULT_TIE_BREAKS).unwrap();
    assert_eq!(by_default[0].bidder().as_str(), "acme");
}

#[test]
fn a_bidder_ranked_twice_is_refused() {
    let err = rank(
        &[bid("acme", "1", "1", 1, 1), bid("acme", "2", "1", 1, 1)],
        DEFAULT_TIE_BREAKS,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`acme` appears twice: a bidder has one bid per lot"
    );
}

#[test]
fn no_bids_no_ranking() {
    assert_eq!(rank(&[], DEFAULT_TIE_BREAKS), Ok(vec![]));
}

#[test]
fn the_tie_break_is_stated_in_words() {
    assert_eq!(
        describe_tie_breaks(DEFAULT_TIE_BREAKS),
        "The higher total ranks first; equal totals are ranked by the higher quality score, then by the lower price, then by the earlier submission; bids equal on every rule are ordered by the supplier's key, alphabetically."
    );
    assert_eq!(
        describe_tie_breaks(&[]),
        "The higher total ranks first; bids equal on every rule are ordered by the supplier's key, alphabetically."
    );
    assert_eq!("lower_price".parse::<TieBreak>(), Ok(TieBreak::LowerPrice));
}

/// Bids drawn from few values, so that ties on every rule are common.
fn bids() -> impl Strategy<Value = Vec<Rankable>> {
    vec((0i64..4, 0i64..3, 1i64..3, 0u32..3), 0..9).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (total, quality, price, minute))| {
                let mut b = bid(&format!("bidder-{i}"), "0", "0", price, minute);
                b.total.total = Decimal::new(total * 25, 1);
                b.total.quality = Decimal::from(quality);
                b
            })
            .collect()
    })
}

fn rules() -> impl Strategy<Value = Vec<TieBreak>> {
    Just(TieBreak::ALL.to_vec())
        .prop_shuffle()
        .prop_flat_map(|all| (0..=all.len()).prop_map(move |n| all[..n].to_vec()))
}

proptest! {
    #[test]
    fn ranking_is_independent_of_the_input_order(
        (bids, shuffled) in bids().prop_flat_map(|b| (Just(b.clone()), Just(b).prop_shuffle())),
        rules in rules(),
    ) {
        let a = rank(&bids, &rules).unwrap();
        let b = rank(&shuffled, &rules).unwrap();
        prop_assert_eq!(&a, &b);
        // Ranks are 1..=n, each bid once.
        prop_assert_eq!(a.iter().map(|r| r.rank).collect::<Vec<_>>(), (1..=bids.len() as u32).collect::<Vec<_>>());
        // Totals never rise down the ranking; only the last has nothing below it.
        for w in a.windows(2) {
            prop_assert!(w[0].bid.total.total >= w[1].bid.total.total);
            prop_assert_eq!(compare(&w[0].bid, &w[1].bid, &rules), (Ordering::Less, w[0].above_next_by.unwrap()));
        }
        prop_assert!(a.last().is_none_or(|r| r.above_next_by.is_none()));
    }

    #[test]
    fn the_order_is_total(bids in bids(), rules in rules()) {
        for a in &bids {
            prop_assert_eq!(compare(a, a, &rules).0, Ordering::Equal);
            for b in &bids {
                let (ab, _) = compare(a, b, &rules);
                let (ba, _) = compare(b, a, &rules);
                // Antisymmetric, and only a bid equals itself.
                prop_assert_eq!(ab, ba.reverse());
                prop_assert_eq!(ab == Ordering::Equal, a.bidder() == b.bidder());
                for c in &bids {
                    // Transitive.
                    if ab == Ordering::Less && compare(b, c, &rules).0 == Ordering::Less {
                        prop_assert_eq!(compare(a, c, &rules).0, Ordering::Less);
                    }
                }
            }
        }
    }
}
