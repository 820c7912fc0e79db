use super::*;
use crate::contracts::Period;
use crate::money::Money;
use rstest::rstest;
use rust_decimal::Decimal;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn rules() -> ReportingRules {
    ReportingRules::shipped()
}

fn prompt() -> crate::contracts::payment::PromptPaymentRules {
    crate::contracts::payment::PromptPaymentRules::shipped()
}

/// A payment of `amount` under contract `contract`, received and paid on the days given.
fn payment(
    id: i64,
    regime: Regime,
    received: &str,
    paid: Option<&str>,
    amount: &str,
) -> ContractPayment {
    ContractPayment {
        id,
        contract_id: 10 + id % 2,
        supplier_id: 100,
        regime,
        commenced_on: None,
        record: PaymentRecord {
            invoice_date: d(received),
            valid_invoice_received: d(received),
            invoice_due_on: None,
            paid_on: paid.map(d),
            disputed: false,
            amount: amount.parse().unwrap(),
        },
    }
}

#[test]
fn the_shipped_rules_read_and_say_they_are_unconfirmed() {
    let r = rules();
    let c = r.rule(ReturnKind::PaymentCompliance);
    assert_eq!(
        (c.period_months, c.anchor_month, c.publish_within_days),
        (6, 4, 30)
    );
    assert_eq!((c.threshold, c.covered_from), (None, None));
    assert_eq!(c.in_force_from, d("2026-01-01"));
    let p = r.rule(ReturnKind::PaymentsOverThreshold);
    assert_eq!((p.period_months, p.anchor_month), (3, 4));
    assert_eq!(p.threshold, Some(Money::pounds(30_000)));
    assert_eq!(p.covered_from, Some(d("2026-04-01")));
    assert!(!c.confirmed && !p.confirmed);
    assert!(c.source.starts_with("UNCONFIRMED:") && p.source.starts_with("UNCONFIRMED:"));
}

#[rstest]
#[case::a_period_months_that_does_not_divide_a_year(
    "payment_compliance,5,4,30,,,2026-01-01,r,true,s",
    2,
    "period_months"
)]
#[case::a_month_that_is_not_one(
    "payment_compliance,6,13,30,,,2026-01-01,r,true,s",
    2,
    "anchor_month"
)]
#[case::a_threshold_with_three_places(
    "payment_compliance,6,4,30,1.005,,2026-01-01,r,true,s",
    2,
    "threshold"
)]
#[case::a_date_that_does_not_exist(
    "payment_compliance,6,4,30,,2026-02-30,2026-01-01,r,true,s",
    2,
    "covered_from"
)]
#[case::an_unknown_return("monthly_spend,6,4,30,,,2026-01-01,r,true,s", 2, "return")]
#[case::a_guess_not_marked_as_one(
    "payment_compliance,6,4,30,,,2026-01-01,r,false,a guess",
    2,
    "source"
)]
#[case::no_days_to_publish(
    "payment_compliance,6,4,0,,,2026-01-01,r,true,s",
    2,
    "publish_within_days"
)]
fn a_malformed_row_is_refused_naming_its_line_and_column(
    #[case] row: &str,
    #[case] line: usize,
    #[case] column: &str,
) {
    let header = SHIPPED_HEADER;
    let text = format!("{header}\n{row}\n");
    let err = ReportingRules::from_csv_str("p.csv", &text).unwrap_err();
    assert_eq!((err.line, err.column.as_str()), (line, column), "{err}");
    assert!(err.to_string().starts_with(&format!("p.csv, line {line}")));
}

const SHIPPED_HEADER: &str = "return,period_months,anchor_month,publish_within_days,threshold,covered_from,in_force_from,reference,confirmed,source";

#[test]
fn each_return_needs_exactly_one_row() {
    let one = "payment_compliance,6,4,30,,,2026-01-01,r,true,s";
    let err =
        ReportingRules::from_csv_str("p.csv", &format!("{SHIPPED_HEADER}\n{one}\n")).unwrap_err();
    assert_eq!(err.message, "no row for payments_over_threshold");
    let err = ReportingRules::from_csv_str("p.csv", &format!("{SHIPPED_HEADER}\n{one}\n{one}\n"))
        .unwrap_err();
    assert_eq!(
        (err.line, err.message.as_str()),
        (3, "a second row for payment_compliance")
    );
}

fn labels(periods: &[ReportingPeriod]) -> Vec<(String, bool, Option<NaiveDate>)> {
    periods
        .iter()
        .map(|p| (p.label.clone(), p.statutory, p.publish_by))
        .collect()
}

#[test]
fn compliance_periods_are_halves_of_the_financial_year_split_where_the_duty_began() {
    let r = rules();
    let rule = r.rule(ReturnKind::PaymentCompliance);
    let periods = rule.periods_covering(d("2025-09-30"), d("2026-10-01"));
    assert_eq!(
        periods.iter().map(|p| p.period).collect::<Vec<_>>(),
        [
            Period {
                start: d("2025-04-01"),
                end: d("2025-09-30")
            },
            Period {
                start: d("2025-10-01"),
                end: d("2025-12-31")
            },
            Period {
                start: d("2026-01-01"),
                end: d("2026-03-31")
            },
            Period {
                start: d("2026-04-01"),
                end: d("2026-09-30")
            },
            Period {
                start: d("2026-10-01"),
                end: d("2027-03-31")
            },
        ]
    );
    // 30 days beginning with the last day of the period: the last day is the first of them.
    assert_eq!(
        labels(&periods),
        [
            ("2025-26 H1".to_owned(), false, None),
            ("2025-26 H2 to 2025-12-31".to_owned(), false, None),
            (
                "2025-26 H2 from 2026-01-01".to_owned(),
                true,
                Some(d("2026-04-29"))
            ),
            ("2026-27 H1".to_owned(), true, Some(d("2026-10-29"))),
            ("2026-27 H2".to_owned(), true, Some(d("2027-04-29"))),
        ]
    );
}

#[test]
fn only_the_part_of_a_split_period_that_overlaps_the_days_asked_is_listed() {
    let r = rules();
    let rule = r.rule(ReturnKind::PaymentCompliance);
    let before = rule.periods_covering(d("2025-10-15"), d("2025-12-31"));
    assert_eq!(
        labels(&before),
        [("2025-26 H2 to 2025-12-31".to_owned(), false, None)]
    );
    let after = rule.periods_covering(d("2026-01-01"), d("2026-01-01"));
    assert_eq!(
        labels(&after),
        [(
            "2025-26 H2 from 2026-01-01".to_owned(),
            true,
            Some(d("2026-04-29"))
        )]
    );
}

#[test]
fn payment_quarters_are_those_of_the_financial_year() {
    let r = rules();
    let rule = r.rule(ReturnKind::PaymentsOverThreshold);
    let periods = rule.periods_covering(d("2026-03-31"), d("2026-07-01"));
    assert_eq!(
        labels(&periods),
        [
            ("2025-26 Q4".to_owned(), false, None),
            ("2026-27 Q1".to_owned(), true, Some(d("2026-07-29"))),
            ("2026-27 Q2".to_owned(), true, Some(d("2026-10-29"))),
        ]
    );
}

#[rstest]
#[case(81, 8, "10.13")]
#[case(-81, 8, "-10.13")]
#[case(2, 3, "0.67")]
#[case(1, 3, "0.33")]
#[case(61, 3, "20.33")]
#[case(3, 2, "1.50")]
fn ratios_round_half_away_from_zero_to_two_places(
    #[case] n: i64,
    #[case] over: i64,
    #[case] expected: &str,
) {
    assert_eq!(ratio_2dp(n, over), Some(dec(expected)));
    assert_eq!(ratio_2dp(n, 0), None);
}

fn compliance_of(payments: &[ContractPayment], from: &str, to: &str) -> Vec<ComplianceFigures> {
    let r = rules();
    compliance(
        payments,
        r.rule(ReturnKind::PaymentCompliance),
        &prompt(),
        d(from),
        d(to),
    )
    .unwrap()
}

#[test]
fn compliance_counts_each_payment_in_the_half_year_it_was_paid_and_judges_it_by_its_regime() {
    let payments = [
        // PCR 2015: 30 days from receipt, so day 30 is in time and day 31 late.
        payment(
            1,
            Regime::Pcr2015,
            "2016-04-01",
            Some("2016-05-01"),
            "100.00",
        ),
        payment(
            2,
            Regime::Pcr2015,
            "2016-04-01",
            Some("2016-05-02"),
            "200.00",
        ),
        // Paid the day it came: day 0, in the first band.
        payment(
            3,
            Regime::Pcr2015,
            "2016-09-30",
            Some("2016-09-30"),
            "300.00",
        ),
        // The first day of the next half.
        payment(
            4,
            Regime::Pcr2015,
            "2016-08-01",
            Some("2016-10-01"),
            "400.00",
        ),
        // Unpaid: not counted.
        payment(5, Regime::Pcr2015, "2016-05-01", None, "500.00"),
        // Disputed: paid on day 90, neither in time nor late, but counted and banded.
        ContractPayment {
            record: PaymentRecord {
                disputed: true,
                ..payment(
                    6,
                    Regime::Pcr2015,
                    "2016-06-01",
                    Some("2016-08-30"),
                    "600.00",
                )
                .record
            },
            ..payment(
                6,
                Regime::Pcr2015,
                "2016-06-01",
                Some("2016-08-30"),
                "600.00",
            )
        },
    ];
    let f = compliance_of(&payments, "2016-04-01", "2017-03-31");
    assert_eq!(f.len(), 2);
    let h1 = &f[0];
    assert_eq!(h1.period.label, "2016-17 H1");
    assert!(!h1.period.statutory);
    assert_eq!(
        (h1.invoices_paid, h1.disputed, h1.paid_in_time, h1.paid_late),
        (4, 1, 2, 1)
    );
    assert_eq!(h1.total_paid, Money::pounds(1_200));
    // Days 30, 31, 0 and 90: a mean of 151 / 4 = 37.75.
    assert_eq!(h1.average_days, Some(dec("37.75")));
    assert_eq!(h1.in_time_percent, Some(dec("66.67")));
    assert_eq!(
        (h1.days_1_to_30, h1.days_31_to_60, h1.days_61_or_more),
        (2, 1, 1)
    );
    assert_eq!(
        (
            h1.percent_1_to_30,
            h1.percent_31_to_60,
            h1.percent_61_or_more
        ),
        (Some(dec("50.00")), Some(dec("25.00")), Some(dec("25.00")))
    );
    let h2 = &f[1];
    assert_eq!(h2.period.label, "2016-17 H2");
    // Received 2016-08-01, paid 2016-10-01: 61 days, late, in the last band.
    assert_eq!((h2.invoices_paid, h2.paid_in_time, h2.paid_late), (1, 0, 1));
    assert_eq!(h2.average_days, Some(dec("61.00")));
    assert_eq!(h2.in_time_percent, Some(dec("0.00")));
    assert_eq!(h2.days_61_or_more, 1);
}

#[test]
fn under_the_act_day_30_begins_with_the_day_of_receipt() {
    let payments = [
        payment(1, Regime::Pa2023, "2026-01-05", Some("2026-02-03"), "10.00"),
        payment(2, Regime::Pa2023, "2026-01-05", Some("2026-02-04"), "10.00"),
    ];
    let f = compliance_of(&payments, "2026-01-01", "2026-03-31");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].period.label, "2025-26 H2 from 2026-01-01");
    assert!(f[0].period.statutory);
    assert_eq!((f[0].paid_in_time, f[0].paid_late), (1, 1));
    // 29 and 30 days after the invoice day: both within reg 38's first band.
    assert_eq!(f[0].days_1_to_30, 2);
    assert_eq!(f[0].average_days, Some(dec("29.50")));
}

#[test]
fn a_period_with_no_payment_has_zero_counts_and_no_averages() {
    let f = compliance_of(&[], "2016-04-01", "2016-04-01");
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].invoices_paid, f[0].total_paid), (0, Money::ZERO));
    assert_eq!((f[0].average_days, f[0].in_time_percent), (None, None));
}

fn covered(
    id: i64,
    regime: Regime,
    commenced: Option<&str>,
    paid: &str,
    amount: &str,
) -> ContractPayment {
    ContractPayment {
        commenced_on: commenced.map(d),
        ..payment(id, regime, "2026-04-01", Some(paid), amount)
    }
}

#[test]
fn only_payments_over_the_threshold_under_procurements_commenced_from_the_day_are_listed() {
    let payments = [
        covered(
            1,
            Regime::Pa2023,
            Some("2026-04-01"),
            "2026-06-30",
            "30000.01",
        ),
        // Exactly the threshold: not "more than".
        covered(
            2,
            Regime::Pa2023,
            Some("2026-04-01"),
            "2026-05-01",
            "30000.00",
        ),
        // Commenced the day before the covered day.
        covered(
            3,
            Regime::Pa2023,
            Some("2026-03-31"),
            "2026-05-01",
            "90000.00",
        ),
        // The first day of the next quarter.
        covered(
            4,
            Regime::Pa2023,
            Some("2026-05-20"),
            "2026-07-01",
            "45000.00",
        ),
        // A contract under the Act whose commencement ngc does not know.
        covered(5, Regime::Pa2023, None, "2026-04-15", "50000.00"),
        // Under PCR 2015, commenced before 24 February 2025 whatever the record says.
        covered(6, Regime::Pcr2015, None, "2026-04-15", "50000.00"),
        // Unpaid.
        ContractPayment {
            record: PaymentRecord {
                paid_on: None,
                ..covered(
                    7,
                    Regime::Pa2023,
                    Some("2026-04-01"),
                    "2026-04-15",
                    "50000.00",
                )
                .record
            },
            ..covered(
                7,
                Regime::Pa2023,
                Some("2026-04-01"),
                "2026-04-15",
                "50000.00",
            )
        },
    ];
    let r = rules();
    let q = significant(
        &payments,
        r.rule(ReturnKind::PaymentsOverThreshold),
        d("2026-04-01"),
        d("2026-09-30"),
    )
    .unwrap();
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].period.label, "2026-27 Q1");
    assert_eq!(
        q[0].payments,
        [SignificantPayment {
            payment_id: 1,
            contract_id: 11,
            supplier_id: 100,
            amount: "30000.01".parse().unwrap(),
            paid_on: d("2026-06-30"),
        }]
    );
    assert_eq!(q[0].total, "30000.01".parse().unwrap());
    assert_eq!(
        q[0].undetermined
            .iter()
            .map(|s| s.payment_id)
            .collect::<Vec<_>>(),
        [5]
    );
    assert_eq!(q[1].period.label, "2026-27 Q2");
    assert_eq!(
        q[1].payments
            .iter()
            .map(|s| s.payment_id)
            .collect::<Vec<_>>(),
        [4]
    );
    assert_eq!(q[1].total, Money::pounds(45_000));
}

#[test]
fn coverage_never_guesses_an_unknown_commencement_under_the_act() {
    let r = rules();
    let rule = r.rule(ReturnKind::PaymentsOverThreshold);
    assert_eq!(
        coverage(rule, Regime::Pa2023, Some(d("2026-04-01"))),
        Coverage::Covered
    );
    assert_eq!(
        coverage(rule, Regime::Pa2023, Some(d("2026-03-31"))),
        Coverage::NotCovered
    );
    assert_eq!(coverage(rule, Regime::Pa2023, None), Coverage::Undetermined);
    assert_eq!(coverage(rule, Regime::Pcr2015, None), Coverage::NotCovered);
    let c = r.rule(ReturnKind::PaymentCompliance);
    assert_eq!(coverage(c, Regime::Pcr2015, None), Coverage::Covered);
}
