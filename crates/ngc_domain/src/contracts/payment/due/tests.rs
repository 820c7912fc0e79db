use super::*;
use crate::contracts::payment::mechanism::Instalment;
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn gbp(s: &str) -> Money {
    s.parse().unwrap()
}

fn quarter(day: &str) -> Period {
    Period::containing(Frequency::Quarterly, d(day))
}

fn month(day: &str) -> Period {
    Period::containing(Frequency::Monthly, d(day))
}

/// Stop smoking: £250 a quit, at most £30,000 a quarter and £100,000 over the contract.
fn smoking() -> OutcomeMetric {
    OutcomeMetric {
        period_cap: Some(gbp("30000")),
        contract_cap: Some(gbp("100000")),
        ..OutcomeMetric::new(
            "SMK-QUIT",
            "a smoker quits, confirmed by CO test at four weeks",
            gbp("250"),
        )
    }
}

fn pbr(metrics: Vec<OutcomeMetric>) -> Component {
    Component::PaymentByResults {
        frequency: Frequency::Quarterly,
        metrics,
    }
}

fn block(instalments: &[(&str, &str)]) -> Component {
    Component::Block {
        schedule: instalments
            .iter()
            .map(|&(due_on, amount)| Instalment {
                due_on: d(due_on),
                amount: gbp(amount),
            })
            .collect(),
    }
}

fn placements(rate: &str) -> Component {
    Component::CostPerCase {
        unit: "placement week".into(),
        rate: gbp(rate),
        frequency: Frequency::Monthly,
    }
}

fn terms(components: Vec<Component>) -> PaymentTerms {
    let terms = PaymentTerms { components };
    terms.validate().expect("test terms are valid");
    terms
}

fn outcomes(period: Period, counts: &[(&str, u64)]) -> PeriodReturn {
    PeriodReturn {
        period,
        units: None,
        outcomes: counts.iter().map(|&(c, n)| (c.to_owned(), n)).collect(),
    }
}

fn units(period: Period, n: u64) -> PeriodReturn {
    PeriodReturn {
        period,
        units: Some(n),
        outcomes: BTreeMap::new(),
    }
}

#[rstest]
#[case::before_the_first(
    "2016-04-29",
    &[]
)]
#[case::on_the_first_day_due("2016-04-30", &["2016-04-30"])]
#[case::between("2016-07-30", &["2016-04-30"])]
#[case::after_all("2017-03-31", &["2016-04-30", "2016-07-31", "2016-10-31"])]
fn block_instalments_are_due_once_their_day_has_come(#[case] through: &str, #[case] due: &[&str]) {
    let t = terms(vec![block(&[
        ("2016-04-30", "50000"),
        ("2016-07-31", "50000"),
        ("2016-10-31", "25000.50"),
    ])]);
    let got = payments_due(&t, &[], d(through));
    let days: Vec<NaiveDate> = got.lines.iter().map(|l| l.due_on).collect();
    assert_eq!(days, due.iter().map(|s| d(s)).collect::<Vec<_>>());
    assert!(got.lines.iter().all(|l| l.component == "block"));
    assert_eq!(
        got.lines.first().map(|l| l.period),
        due.first().map(|s| month(s))
    );
}

#[rstest]
#[case::forty_weeks(40, "812.50", "32500.00")]
#[case::one_week(1, "812.50", "812.50")]
#[case::odd_pence(3, "0.33", "0.99")]
fn cost_per_case_pays_the_rate_times_the_units_reported(
    #[case] n: u64,
    #[case] rate: &str,
    #[case] amount: &str,
) {
    let t = terms(vec![placements(rate)]);
    let lines = check_claim(&t, &[], &units(month("2016-05-01"), n)).unwrap();
    assert_eq!(
        lines,
        [DueLine {
            period: month("2016-05-01"),
            component: "cost_per_case",
            metric: None,
            quantity: Some(n),
            unit_price: Some(gbp(rate)),
            amount: gbp(amount),
            due_on: d("2016-05-31"),
        }]
    );
}

#[rstest]
#[case::well_within(10, Some("2500.00"))]
#[case::exactly_at_the_period_cap(120, Some("30000.00"))]
#[case::none_achieved(0, None)]
fn payment_by_results_pays_the_price_per_outcome_within_the_caps(
    #[case] count: u64,
    #[case] amount: Option<&str>,
) {
    let t = terms(vec![pbr(vec![smoking()])]);
    let q2 = quarter("2016-07-01");
    let lines = check_claim(&t, &[], &outcomes(q2, &[("SMK-QUIT", count)])).unwrap();
    assert_eq!(
        lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        amount.map(gbp).into_iter().collect::<Vec<_>>()
    );
    if let Some(line) = lines.first() {
        assert_eq!(line.metric.as_deref(), Some("SMK-QUIT"));
        assert_eq!(line.quantity, Some(count));
        assert_eq!(line.due_on, d("2016-09-30"));
    }
}

#[rstest]
#[case::one_over(
    121,
    "outcome `SMK-QUIT` in 2016-17 Q2: 121 outcomes at £250.00 = £30,250.00 would exceed the period cap of £30,000.00"
)]
#[case::well_over(
    140,
    "outcome `SMK-QUIT` in 2016-17 Q2: 140 outcomes at £250.00 = £35,000.00 would exceed the period cap of £30,000.00"
)]
fn a_claim_over_the_period_cap_is_refused_with_the_metric_the_cap_and_the_figures(
    #[case] count: u64,
    #[case] message: &str,
) {
    let t = terms(vec![pbr(vec![smoking()])]);
    let err = check_claim(
        &t,
        &[],
        &outcomes(quarter("2016-07-01"), &[("SMK-QUIT", count)]),
    )
    .unwrap_err();
    assert!(matches!(err, ClaimError::OverPeriodCap { count: c, .. } if c == count));
    assert_eq!(err.to_string(), message);
}

#[test]
fn the_contract_cap_counts_the_claims_of_earlier_periods() {
    let t = terms(vec![pbr(vec![smoking()])]);
    let earlier = [
        outcomes(quarter("2016-04-01"), &[("SMK-QUIT", 120)]),
        outcomes(quarter("2016-07-01"), &[("SMK-QUIT", 120)]),
        outcomes(quarter("2016-10-01"), &[("SMK-QUIT", 120)]),
    ];
    let q4 = quarter("2017-01-01");
    let err = check_claim(&t, &earlier, &outcomes(q4, &[("SMK-QUIT", 41)])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "outcome `SMK-QUIT` in 2016-17 Q4: 41 outcomes at £250.00 = £10,250.00, with £90,000.00 claimed in earlier periods, would bring the total to £100,250.00, over the contract cap of £100,000.00"
    );
    let at_cap = check_claim(&t, &earlier, &outcomes(q4, &[("SMK-QUIT", 40)])).unwrap();
    assert_eq!(at_cap[0].amount, gbp("10000"));
    assert!(
        check_claim(&t, &earlier[..2], &outcomes(q4, &[("SMK-QUIT", 41)])).is_ok(),
        "with two earlier quarters the same claim fits"
    );
}

#[test]
fn caps_on_the_number_of_outcomes_refuse_a_claim_over_them() {
    let metric = OutcomeMetric {
        period_cap_outcomes: Some(50),
        contract_cap_outcomes: Some(80),
        ..OutcomeMetric::new(
            "NEET-EET",
            "a young person enters education or work",
            gbp("1000"),
        )
    };
    let t = terms(vec![pbr(vec![metric])]);
    let q1 = quarter("2016-04-01");
    let q2 = quarter("2016-07-01");
    assert_eq!(
        check_claim(&t, &[], &outcomes(q1, &[("NEET-EET", 51)]))
            .unwrap_err()
            .to_string(),
        "outcome `NEET-EET` in 2016-17 Q1: 51 outcomes would exceed the period cap of 50 outcomes"
    );
    let earlier = [outcomes(q1, &[("NEET-EET", 50)])];
    assert_eq!(
        check_claim(&t, &earlier, &outcomes(q2, &[("NEET-EET", 31)]))
            .unwrap_err()
            .to_string(),
        "outcome `NEET-EET` in 2016-17 Q2: 31 outcomes, with 50 claimed in earlier periods, would bring the total to 81, over the contract cap of 80 outcomes"
    );
    assert!(check_claim(&t, &earlier, &outcomes(q2, &[("NEET-EET", 30)])).is_ok());
}

#[rstest]
#[case::an_unknown_metric(
    outcomes(quarter("2016-07-01"), &[("SMK-RELAPSE", 3)]),
    "outcome `SMK-RELAPSE` in 2016-17 Q2: not an outcome metric of these terms"
)]
#[case::units_without_cost_per_case(
    units(quarter("2016-07-01"), 12),
    "2016-17 Q2: the return reports 12 units but the terms have no cost-per-case component"
)]
#[case::a_month_for_a_quarterly_metric(
    outcomes(month("2016-07-01"), &[("SMK-QUIT", 3)]),
    "outcome `SMK-QUIT` in 2016-07: not one of the payment_by_results component's periods, which are quarterly"
)]
#[case::a_ragged_period(
    outcomes(Period { start: d("2016-07-01"), end: d("2016-08-15") }, &[("SMK-QUIT", 3)]),
    "outcome `SMK-QUIT` in 2016-07-01 to 2016-08-15: not one of the payment_by_results component's periods, which are quarterly"
)]
#[case::the_same_quarter_again(
    outcomes(quarter("2016-04-01"), &[("SMK-QUIT", 3)]),
    "outcome `SMK-QUIT` in 2016-17 Q1: already claimed in an earlier return"
)]
fn a_claim_the_terms_do_not_provide_for_is_refused(
    #[case] claim: PeriodReturn,
    #[case] message: &str,
) {
    let t = terms(vec![block(&[("2016-04-30", "1000")]), pbr(vec![smoking()])]);
    let earlier = [outcomes(quarter("2016-04-01"), &[("SMK-QUIT", 5)])];
    assert_eq!(
        check_claim(&t, &earlier, &claim).unwrap_err().to_string(),
        message
    );
}

#[test]
fn price_times_count_beyond_the_range_of_money_is_an_error_not_a_panic() {
    let t = terms(vec![pbr(vec![OutcomeMetric::new("X", "x", gbp("250"))])]);
    let err = check_claim(
        &t,
        &[],
        &outcomes(quarter("2016-04-01"), &[("X", u64::MAX)]),
    )
    .unwrap_err();
    assert!(matches!(err, ClaimError::Overflow { .. }), "{err}");
    let t = terms(vec![placements("250")]);
    let err = check_claim(&t, &[], &units(month("2016-04-01"), i64::MAX as u64)).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("units (placement week) in 2016-04: 9223372036854775807 at £250.00"),
        "{err}"
    );
}

/// First for Wellbeing's kind of contract: a block payment with a part paid by results.
#[test]
fn a_block_contract_part_paid_by_results_lists_both_in_date_order() {
    let t = terms(vec![
        block(&[
            ("2016-04-01", "250000"),
            ("2016-07-01", "250000"),
            ("2016-10-01", "250000"),
        ]),
        pbr(vec![
            smoking(),
            OutcomeMetric::new("WT-LOSS", "5% weight loss held for 12 weeks", gbp("120")),
        ]),
    ]);
    let returns = [
        outcomes(quarter("2016-07-01"), &[("SMK-QUIT", 90), ("WT-LOSS", 10)]),
        outcomes(quarter("2016-04-01"), &[("SMK-QUIT", 100)]),
    ];
    let due = payments_due(&t, &returns, d("2016-09-30"));
    let seen: Vec<(NaiveDate, &str, Option<&str>, Money)> = due
        .lines
        .iter()
        .map(|l| (l.due_on, l.component, l.metric.as_deref(), l.amount))
        .collect();
    assert_eq!(
        seen,
        [
            (d("2016-04-01"), "block", None, gbp("250000")),
            (
                d("2016-06-30"),
                "payment_by_results",
                Some("SMK-QUIT"),
                gbp("25000")
            ),
            (d("2016-07-01"), "block", None, gbp("250000")),
            (
                d("2016-09-30"),
                "payment_by_results",
                Some("SMK-QUIT"),
                gbp("22500")
            ),
            (
                d("2016-09-30"),
                "payment_by_results",
                Some("WT-LOSS"),
                gbp("1200")
            ),
        ]
    );
    assert_eq!(due.total(), Some(gbp("548700")));
    assert!(due.refused.is_empty());
}

#[test]
fn payments_due_leaves_out_and_lists_a_return_over_its_cap() {
    let t = terms(vec![pbr(vec![smoking()])]);
    let returns = [
        outcomes(quarter("2016-04-01"), &[("SMK-QUIT", 120)]),
        outcomes(quarter("2016-07-01"), &[("SMK-QUIT", 200)]),
        outcomes(quarter("2016-10-01"), &[("SMK-QUIT", 100)]),
        outcomes(quarter("2017-01-01"), &[("SMK-QUIT", 100)]),
    ];
    let due = payments_due(&t, &returns, d("2016-12-31"));
    assert_eq!(
        due.total(),
        Some(gbp("55000")),
        "Q1 and Q3; Q4 has not ended"
    );
    assert_eq!(due.refused.len(), 1);
    assert!(
        due.refused[0]
            .to_string()
            .contains("2016-17 Q2: 200 outcomes")
    );
}

fn arb_block() -> impl Strategy<Value = Vec<Instalment>> {
    vec((0u64..730, 1i64..10_000_000), 1..12).prop_map(|raw| {
        let mut day = d("2016-04-01");
        raw.into_iter()
            .map(|(gap, pence)| {
                day = day + chrono::Days::new(gap + 1);
                Instalment {
                    due_on: day,
                    amount: Money::pence(pence),
                }
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn claims_accepted_in_turn_never_exceed_a_metrics_caps(
        price in 1i64..100_000,
        period_outcomes in 1u64..400,
        contract_outcomes in 1u64..2_000,
        counts in vec(0u64..500, 1..16),
    ) {
        let price = Money::pence(price);
        let period_cap = times(price, period_outcomes).unwrap();
        let contract_cap = times(price, period_outcomes.max(contract_outcomes)).unwrap();
        let metric = OutcomeMetric {
            period_cap: Some(period_cap),
            contract_cap: Some(contract_cap),
            ..OutcomeMetric::new("M", "an outcome", price)
        };
        let t = terms(vec![pbr(vec![metric])]);
        let mut q = quarter("2016-04-01");
        let mut returns = Vec::new();
        for n in counts {
            returns.push(outcomes(q, &[("M", n)]));
            q = q.next(Frequency::Quarterly);
        }
        let due = payments_due(&t, &returns, d("2030-03-31"));
        prop_assert!(due.total().unwrap() <= contract_cap);
        prop_assert!(due.lines.iter().all(|l| l.amount <= period_cap));
        let claimed: Money = returns.iter().map(|r| times(price, r.outcomes["M"]).unwrap()).sum();
        if claimed <= contract_cap && returns.iter().all(|r| r.outcomes["M"] <= period_outcomes) {
            prop_assert_eq!(due.total(), Some(claimed));
            prop_assert!(due.refused.is_empty());
        }
    }

    #[test]
    fn cost_per_case_is_exactly_rate_times_units(rate in 1i64..10_000_000, n in 1u64..1_000_000) {
        let t = terms(vec![Component::CostPerCase {
            unit: "visit".into(),
            rate: Money::pence(rate),
            frequency: Frequency::Monthly,
        }]);
        let lines = check_claim(&t, &[], &units(month("2016-04-01"), n)).unwrap();
        prop_assert_eq!(i128::from(lines[0].amount.as_pence()), i128::from(rate) * i128::from(n));
    }

    #[test]
    fn the_block_lines_due_are_the_instalments_due_by_the_day(
        schedule in arb_block(),
        after in 0u64..1_500,
    ) {
        let through = d("2016-04-01") + chrono::Days::new(after);
        let want: Money = schedule.iter().filter(|i| i.due_on <= through).map(|i| i.amount).sum();
        let count = schedule.iter().filter(|i| i.due_on <= through).count();
        let due = payments_due(&terms(vec![Component::Block { schedule }]), &[], through);
        prop_assert_eq!(due.lines.len(), count);
        prop_assert_eq!(due.total(), Some(want));
    }
}
