use super::*;
use crate::money::Money;
use crate::procurement::evaluation::price::score_prices_for;
use crate::procurement::evaluation::ranking::{DEFAULT_TIE_BREAKS, Rankable, rank};
use crate::procurement::evaluation::scores::weighted_total;
use crate::procurement::evaluation::test_support::{dec, lot_1, slug};
use chrono::{TimeZone, Utc};

/// Three bids for Lot 1: `acme` £90,000 (4, 3), `bravo` £80,000 (3, 2), `carers` £120,000
/// (5, 5). Totals: carers 86.67, acme 78.56, bravo 71.00.
fn evaluated() -> (Vec<Ranked>, Vec<ModeratedScore>) {
    let set = lot_1();
    let bids = [
        ("acme", 90_000, 4, 3),
        ("bravo", 80_000, 3, 2),
        ("carers", 120_000, 5, 5),
    ];
    let prices =
        score_prices_for(&set, &bids.map(|(b, p, _, _)| (slug(b), Money::pounds(p)))).unwrap();
    let mut moderated = Vec::new();
    for (b, _, method, social) in bids {
        moderated.push(
            ModeratedScore::new(
                &set,
                slug(b),
                slug("method"),
                method,
                &format!("{b}: method reason"),
            )
            .unwrap(),
        );
        moderated.push(
            ModeratedScore::new(
                &set,
                slug(b),
                slug("social-value"),
                social,
                &format!("{b}: social value reason"),
            )
            .unwrap(),
        );
    }
    let rankable: Vec<Rankable> = bids
        .iter()
        .map(|(b, p, _, _)| Rankable {
            total: weighted_total(&set, &slug(b), &prices, &moderated).unwrap(),
            price: Money::pounds(*p),
            submitted_at: Utc.with_ymd_and_hms(2025, 5, 1, 12, 0, 0).unwrap(),
        })
        .collect();
    (rank(&rankable, DEFAULT_TIE_BREAKS).unwrap(), moderated)
}

fn ctx(regime: Regime) -> SummaryContext<'static> {
    SummaryContext {
        regime,
        procurement: "Home care, North",
        lot: "Lot 1",
        tie_breaks: DEFAULT_TIE_BREAKS,
        standstill_ends_on: match regime {
            Regime::Pcr2015 => Some("2016-06-13".parse().unwrap()),
            Regime::Pa2023 => None,
        },
    }
}

#[test]
fn the_act_summary_gives_each_score_with_reasons_for_the_recipient_and_the_winner() {
    let (ranking, moderated) = evaluated();
    let s = assessment_summary(
        &ctx(Regime::Pa2023),
        &lot_1(),
        &ranking,
        &moderated,
        &slug("acme"),
    )
    .unwrap();
    assert_eq!(
        s.reference,
        "Procurement Act 2023 s50(3); Procurement Regulations 2024 reg 31"
    );
    assert_eq!(
        (
            s.winner.as_str(),
            s.successful,
            s.recipient_rank,
            s.assessed_bids
        ),
        ("carers", false, 2, 3)
    );
    assert_eq!(
        (s.recipient_total, s.winner_total),
        (dec("78.56"), dec("86.67"))
    );
    let weights: Vec<(&str, Decimal, Decimal)> = s
        .criteria
        .iter()
        .map(|c| (c.key.as_str(), c.weight, c.maximum))
        .collect();
    assert_eq!(
        weights,
        [
            ("price", dec("40"), dec("40")),
            ("method", dec("35"), dec("5")),
            ("social-value", dec("25"), dec("5"))
        ]
    );
    let method = &s.scores[1];
    assert_eq!(
        (method.recipient.score, method.recipient.weighted),
        (dec("4"), dec("28.00"))
    );
    assert_eq!(method.recipient.reason, "acme: method reason");
    assert_eq!(
        (method.winner.score, method.winner.weighted),
        (dec("5"), dec("35.00"))
    );
    assert_eq!(method.winner.reason, "carers: method reason");
    assert_eq!(
        s.outcome,
        "Your bid ranked 2 of 3 for Lot 1 with a total of 78.56 out of 100. The contract is not being awarded to you: the most advantageous tender is `carers`'s, because its total of 86.67 is higher than yours."
    );
    // No comparison or standstill under the Act.
    assert!(s.relative_advantages.is_empty());
    assert_eq!(s.standstill_ends_on, None);
}

#[test]
fn a_price_is_named_only_to_its_own_bidder() {
    let (ranking, moderated) = evaluated();
    let s = assessment_summary(
        &ctx(Regime::Pa2023),
        &lot_1(),
        &ranking,
        &moderated,
        &slug("acme"),
    )
    .unwrap();
    assert_eq!(
        s.scores[0].recipient.reason,
        "Your price of £90,000.00 scored 35.56 out of 40 by the stated method: lowest price ÷ bid price × maximum."
    );
    assert_eq!(
        s.scores[0].winner.reason,
        "The bid's price scored 26.67 out of 40 by the stated method: lowest price ÷ bid price × maximum."
    );
    let text = s.to_text();
    assert!(
        text.contains("£90,000.00")
            && !text.contains("£120,000.00")
            && !text.contains("£80,000.00"),
        "{text}"
    );
}

#[test]
fn the_pcr_notice_adds_the_winner_s_relative_advantages_and_the_standstill_end() {
    let (ranking, moderated) = evaluated();
    let s = assessment_summary(
        &ctx(Regime::Pcr2015),
        &lot_1(),
        &ranking,
        &moderated,
        &slug("acme"),
    )
    .unwrap();
    assert_eq!(s.reference, "Public Contracts Regulations 2015 reg 86");
    let advantages: Vec<(&str, Decimal, Decimal, &str)> = s
        .relative_advantages
        .iter()
        .map(|a| {
            (
                a.criterion.as_str(),
                a.winner_weighted,
                a.recipient_weighted,
                a.winner_reason.as_str(),
            )
        })
        .collect();
    // Not price: acme's 35.56 beats carers' 26.67.
    assert_eq!(
        advantages,
        [
            (
                "method",
                dec("35.00"),
                dec("28.00"),
                "carers: method reason"
            ),
            (
                "social-value",
                dec("25.00"),
                dec("15.00"),
                "carers: social value reason"
            ),
        ]
    );
    assert_eq!(s.standstill_ends_on, Some("2016-06-13".parse().unwrap()));
    let mut no_end = ctx(Regime::Pcr2015);
    no_end.standstill_ends_on = None;
    assert_eq!(
        assessment_summary(&no_end, &lot_1(), &ranking, &moderated, &slug("acme"))
            .unwrap_err()
            .to_string(),
        "a PCR 2015 notice of the award decision must say when standstill ends (reg 86): give the last day of standstill"
    );
}

#[test]
fn the_pcr_notice_reads_as_a_letter() {
    let (ranking, moderated) = evaluated();
    let s = assessment_summary(
        &ctx(Regime::Pcr2015),
        &lot_1(),
        &ranking,
        &moderated,
        &slug("bravo"),
    )
    .unwrap();
    let text = s.to_text();
    let expected_start = "Notice of the award decision: Home care, North, Lot 1
To: bravo
Under: Public Contracts Regulations 2015 reg 86
Most advantageous tender: carers

Your bid ranked 3 of 3 for Lot 1 with a total of 71.00 out of 100. The contract is not being awarded to you: the most advantageous tender is `carers`'s, because its total of 86.67 is higher than yours.

Award criteria
- Price (40%): Price, scored out of 40: The lowest price tendered";
    assert!(text.starts_with(expected_start), "{text}");
    let expected_scores = "Scores
- Price (40%): your bid scored 40.00 out of 40, weighted 40.00
  Why: Your price of £80,000.00 scored 40.00 out of 40 by the stated method: lowest price ÷ bid price × maximum.
  The winning bid scored 26.67 out of 40, weighted 26.67
  Why: The bid's price scored 26.67 out of 40 by the stated method: lowest price ÷ bid price × maximum.
- Method statement (35%): your bid scored 3 out of 5, weighted 21.00
  Why: bravo: method reason
  The winning bid scored 5 out of 5, weighted 35.00
  Why: carers: method reason
- Social value (25%): your bid scored 2 out of 5, weighted 10.00
  Why: bravo: social value reason
  The winning bid scored 5 out of 5, weighted 25.00
  Why: carers: social value reason

Totals: your bid 71.00 out of 100; the winning bid 86.67 out of 100

Characteristics and relative advantages of the successful bid
- Method statement: weighted 35.00 against your 21.00. carers: method reason
- Social value: weighted 25.00 against your 10.00. carers: social value reason

Standstill: the standstill period ends at midnight at the end of 13 June 2016; the contract will not be entered into before then (PCR 2015 reg 87).

Rounding: scores are worked out exactly and rounded once to 2 decimal places, halves rounded up.
";
    assert!(text.ends_with(expected_scores), "{text}");
}

#[test]
fn the_winner_is_told_it_is_successful_without_a_comparison_with_itself() {
    let (ranking, moderated) = evaluated();
    for regime in [Regime::Pa2023, Regime::Pcr2015] {
        let s = assessment_summary(
            &ctx(regime),
            &lot_1(),
            &ranking,
            &moderated,
            &slug("carers"),
        )
        .unwrap();
        assert!(s.successful);
        assert!(s.relative_advantages.is_empty());
        assert_eq!(
            s.outcome,
            "Your bid is the most advantageous tender for Lot 1, ranked first of 3 with a total of 86.67 out of 100: the buyer intends to award the contract to you."
        );
        let text = s.to_text();
        assert!(!text.contains("The winning bid scored"), "{text}");
        assert!(text.contains("Total: 86.67 out of 100"), "{text}");
        assert!(text.contains("Your price of £120,000.00"), "{text}");
    }
}

#[test]
fn a_bid_losing_on_a_tie_is_told_which_rule_broke_it() {
    let (mut ranking, moderated) = evaluated();
    // Give acme the winner's total with a lower quality score.
    let winner_total = ranking[0].bid.total.total;
    ranking[1].bid.total.total = winner_total;
    let s = assessment_summary(
        &ctx(Regime::Pa2023),
        &lot_1(),
        &ranking,
        &moderated,
        &slug("acme"),
    )
    .unwrap();
    assert!(
        s.outcome.ends_with("because your totals are equal and ties are broken by the higher quality score, which is the winning bid's."),
        "{}",
        s.outcome
    );
}

#[test]
fn there_is_one_summary_per_ranked_bidder_in_rank_order() {
    let (ranking, moderated) = evaluated();
    let all = assessment_summaries(&ctx(Regime::Pa2023), &lot_1(), &ranking, &moderated).unwrap();
    let who: Vec<(&str, u32, bool)> = all
        .iter()
        .map(|s| (s.recipient.as_str(), s.recipient_rank, s.successful))
        .collect();
    assert_eq!(
        who,
        [("carers", 1, true), ("acme", 2, false), ("bravo", 3, false)]
    );
    let json = serde_json::to_value(&all[1]).unwrap();
    assert_eq!(json["regime"], "pa2023");
    assert_eq!(json["recipient_total"], "78.56");
    let back: AssessmentSummary = serde_json::from_value(json).unwrap();
    assert_eq!(back, all[1]);
}

#[test]
fn missing_inputs_are_refused_in_words() {
    let (ranking, moderated) = evaluated();
    let set = lot_1();
    let c = ctx(Regime::Pa2023);
    assert_eq!(
        assessment_summary(&c, &set, &[], &moderated, &slug("acme"))
            .unwrap_err()
            .to_string(),
        "there is no ranked bid to summarise"
    );
    assert_eq!(
        assessment_summary(&c, &set, &ranking, &moderated, &slug("zeta"))
            .unwrap_err()
            .to_string(),
        "`zeta` is not among the ranked bids"
    );
    let without: Vec<ModeratedScore> = moderated
        .iter()
        .filter(|m| !(m.bidder.as_str() == "carers" && m.criterion.as_str() == "method"))
        .cloned()
        .collect();
    assert_eq!(
        assessment_summary(&c, &set, &ranking, &without, &slug("acme"))
            .unwrap_err()
            .to_string(),
        "`carers`'s score for criterion `method` has no moderated reason to give"
    );
    let mut short = ranking.clone();
    short[0].bid.total.contributions.pop();
    assert_eq!(
        assessment_summary(&c, &set, &short, &moderated, &slug("bravo"))
            .unwrap_err()
            .to_string(),
        "`carers`'s total has no score for criterion `social-value`"
    );
}
