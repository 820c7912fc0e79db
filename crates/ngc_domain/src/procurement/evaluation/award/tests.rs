use super::*;
use crate::procurement::evaluation::ranking::{DEFAULT_TIE_BREAKS, Rankable, rank};
use crate::procurement::evaluation::scores::WeightedTotal;
use crate::procurement::evaluation::test_support::slug;
use crate::shares::CostShare;
use chrono::{TimeZone, Utc};
use rstest::rstest;
use rust_decimal::Decimal;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn complete(bidder: &str) -> BidForAward {
    BidForAward {
        bidder: slug(bidder),
        evaluation: EvaluationStatus {
            bidder: slug(bidder),
            unmoderated: vec![],
            price_scored: true,
        },
        abnormally_low: None,
    }
}

fn flagged(bidder: &str, status: AbnormallyLowStatus) -> BidForAward {
    BidForAward {
        abnormally_low: Some(status),
        ..complete(bidder)
    }
}

/// A ranking in the order given (the first has the highest total).
fn ranking(bidders: &[&str]) -> Vec<Ranked> {
    let bids: Vec<Rankable> = bidders
        .iter()
        .enumerate()
        .map(|(i, b)| Rankable {
            total: WeightedTotal {
                bidder: slug(b),
                contributions: vec![],
                quality: Decimal::ZERO,
                price: Decimal::ZERO,
                total: Decimal::from(90 - i as i64),
            },
            price: Money::pounds(1_000),
            submitted_at: Utc.with_ymd_and_hms(2025, 5, 1, 12, 0, 0).unwrap(),
        })
        .collect();
    rank(&bids, DEFAULT_TIE_BREAKS).unwrap()
}

fn other(regime: Regime, from: &str, suspended: bool) -> OtherDecision {
    OtherDecision {
        lot: "Lot 2".into(),
        regime,
        from: day(from),
        suspended_by_challenge: suspended,
    }
}

fn check(
    winner: &str,
    on: &str,
    bids: &[BidForAward],
    ranked: &[&str],
    others: &[OtherDecision],
) -> Result<(), AwardError> {
    let ranking = ranking(ranked);
    let winner = slug(winner);
    check_award(
        &AwardRequest {
            lot: "Lot 1",
            winner: &winner,
            on: day(on),
            bids,
            ranking: &ranking,
            other_decisions: others,
        },
        &BankHolidays::shipped(),
    )
}

#[test]
fn the_most_advantageous_fully_evaluated_bid_may_be_awarded() {
    let bids = [complete("bravo"), complete("acme")];
    assert_eq!(
        check("bravo", "2025-06-02", &bids, &["bravo", "acme"], &[]),
        Ok(())
    );
}

#[test]
fn an_unresolved_abnormally_low_flag_blocks_the_award() {
    let bids = [
        complete("bravo"),
        flagged(
            "cheap",
            AbnormallyLowStatus::ExplanationRequested {
                on: day("2025-05-20"),
            },
        ),
    ];
    assert_eq!(
        check("bravo", "2025-06-02", &bids, &["bravo", "cheap"], &[])
            .unwrap_err()
            .to_string(),
        "`cheap`'s bid for lot `Lot 1` was flagged as possibly abnormally low and is awaiting the supplier's explanation, asked for on 2025-05-20: the buyer must accept or reject it before the award decision"
    );
}

#[test]
fn a_rejected_bid_drops_out_and_cannot_win() {
    // `cheap` ranked first but was rejected: `bravo` is the most advantageous remaining bid,
    // and `cheap`'s unfinished evaluation does not matter.
    let mut cheap = flagged("cheap", AbnormallyLowStatus::Rejected);
    cheap.evaluation.price_scored = false;
    let bids = [cheap, complete("bravo")];
    assert_eq!(
        check("bravo", "2025-06-02", &bids, &["cheap", "bravo"], &[]),
        Ok(())
    );
    assert_eq!(
        check("cheap", "2025-06-02", &bids, &["cheap", "bravo"], &[])
            .unwrap_err()
            .to_string(),
        "`cheap`'s bid for lot `Lot 1` was rejected as abnormally low and cannot be awarded"
    );
    // An accepted explanation keeps the bid in.
    let bids = [
        flagged("cheap", AbnormallyLowStatus::Accepted),
        complete("bravo"),
    ];
    assert_eq!(
        check("cheap", "2025-06-02", &bids, &["cheap", "bravo"], &[]),
        Ok(())
    );
}

#[rstest]
#[case::incomplete(
    vec![complete("bravo"), BidForAward { evaluation: EvaluationStatus { bidder: slug("acme"), unmoderated: vec![slug("method")], price_scored: false }, ..complete("acme") }],
    "bravo",
    "the evaluation of `acme`'s bid for lot `Lot 1` is not complete: no moderated score for `method`; price not scored"
)]
#[case::no_bids(vec![], "bravo", "lot `Lot 1` has no admissible bid to award")]
#[case::not_a_bid(vec![complete("bravo")], "zeta", "`zeta` has no admissible bid for lot `Lot 1`")]
#[case::not_first(vec![complete("bravo"), complete("acme")], "acme", "`acme` is ranked 2 for lot `Lot 1`: the award goes to the most advantageous bid, `bravo`'s")]
#[case::not_ranked(vec![complete("bravo"), complete("delta")], "delta", "`delta` is not in the ranking of lot `Lot 1`")]
fn an_award_is_refused_until_the_lot_is_ready(
    #[case] bids: Vec<BidForAward>,
    #[case] winner: &str,
    #[case] message: &str,
) {
    let err = check(winner, "2025-06-02", &bids, &["bravo", "acme"], &[]).unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[rstest]
// PA2023: a notice published Mon 2 June 2025 is in standstill to the end of Wed 11 June.
#[case::act_first_day(Regime::Pa2023, "2025-06-02", "2025-06-02", false)]
#[case::act_last_day(Regime::Pa2023, "2025-06-02", "2025-06-11", false)]
#[case::act_after(Regime::Pa2023, "2025-06-02", "2025-06-12", true)]
// An earlier decision whose standstill starts after the day does not block it.
#[case::act_not_yet_started(Regime::Pa2023, "2025-06-02", "2025-06-01", true)]
// PCR: sent Wed 1 June 2016; the 10th day is Sat 11 June: standstill ends Mon 13 June.
#[case::pcr_weekend(Regime::Pcr2015, "2016-06-01", "2016-06-13", false)]
#[case::pcr_after(Regime::Pcr2015, "2016-06-01", "2016-06-14", true)]
fn another_decision_in_standstill_blocks_the_award(
    #[case] regime: Regime,
    #[case] from: &str,
    #[case] on: &str,
    #[case] allowed: bool,
) {
    let bids = [complete("bravo")];
    let got = check(
        "bravo",
        on,
        &bids,
        &["bravo"],
        &[other(regime, from, false)],
    );
    assert_eq!(got.is_ok(), allowed, "{got:?}");
    if let Err(e) = got {
        assert!(matches!(e, AwardError::InStandstill { .. }), "{e}");
    }
}

#[test]
fn the_standstill_refusal_says_when_it_ends() {
    let bids = [complete("bravo")];
    let err = check(
        "bravo",
        "2025-06-05",
        &bids,
        &["bravo"],
        &[other(Regime::Pa2023, "2025-06-02", false)],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the award decision for lot `Lot 2` is in standstill until the end of 2025-06-11: no other award decision of this procurement before 2025-06-12"
    );
}

#[test]
fn a_decision_suspended_by_a_challenge_blocks_the_award_whatever_the_date() {
    let bids = [complete("bravo")];
    let err = check(
        "bravo",
        "2026-01-05",
        &bids,
        &["bravo"],
        &[other(Regime::Pa2023, "2025-06-02", true)],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the award decision for lot `Lot 2` is suspended by a challenge: no award decision may be made until the suspension is lifted"
    );
}

#[test]
fn a_standstill_beyond_the_holiday_data_is_an_error_not_a_guess() {
    let bids = [complete("bravo")];
    let err = check(
        "bravo",
        "2028-01-05",
        &bids,
        &["bravo"],
        &[other(Regime::Pa2023, "2027-12-28", false)],
    )
    .unwrap_err();
    assert!(matches!(err, AwardError::Standstill(_)), "{err}");
}

#[test]
fn standstill_for_is_the_regime_s_standstill() {
    let s = standstill_for(Regime::Pa2023, day("2025-06-02"), &BankHolidays::shipped()).unwrap();
    assert_eq!(
        (s.ends_on, s.earliest_contract_date),
        (day("2025-06-11"), day("2025-06-12"))
    );
}

#[test]
fn the_contract_record_splits_the_value_between_the_buyers() {
    let shares = CostShares::new(vec![
        CostShare {
            buyer: slug("north"),
            percent: "60".parse().unwrap(),
        },
        CostShare {
            buyer: slug("west"),
            percent: "40".parse().unwrap(),
        },
    ])
    .unwrap();
    let record = contract_record(
        &slug("bravo"),
        "Lot 1",
        "100000.01".parse().unwrap(),
        &shares,
    )
    .unwrap();
    let parts: Vec<(&str, Money)> = record
        .buyers
        .iter()
        .map(|b| (b.buyer.as_str(), b.amount))
        .collect();
    // 60% of 10,000,001p = 6,000,000.6p, 40% = 4,000,000.4p: the penny goes to north.
    assert_eq!(
        parts,
        [
            ("north", Money::pence(6_000_001)),
            ("west", Money::pence(4_000_000))
        ]
    );
    assert_eq!(
        (record.winner.as_str(), record.lot.as_str()),
        ("bravo", "Lot 1")
    );
    assert_eq!(
        contract_record(&slug("bravo"), "Lot 1", Money::pence(-100), &shares)
            .unwrap_err()
            .to_string(),
        "a contract's value may not be negative (-£1.00)"
    );
}
