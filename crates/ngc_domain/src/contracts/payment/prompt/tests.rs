use super::*;
use proptest::prelude::*;
use rstest::rstest;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn invoice(received: &str, paid: Option<&str>) -> PaymentRecord {
    PaymentRecord {
        invoice_date: d(received) - Days::new(2),
        valid_invoice_received: d(received),
        invoice_due_on: None,
        paid_on: paid.map(d),
        disputed: false,
        amount: "12500.00".parse().unwrap(),
    }
}

fn check(p: &PaymentRecord, regime: Regime, today: &str) -> Timeliness {
    timeliness(p, regime, d(today), &PromptPaymentRules::shipped())
}

#[rstest]
// PCR 2015 reg 113: 30 days *from* the day the invoice is regarded as valid, so the day
// itself is not counted and day 30 is 30 days later.
#[case::pcr_on_day_30(Regime::Pcr2015, "2016-04-01", "2016-05-01", 30, false)]
#[case::pcr_on_day_31(Regime::Pcr2015, "2016-04-01", "2016-05-02", 31, true)]
#[case::pcr_the_same_day(Regime::Pcr2015, "2016-04-01", "2016-04-01", 0, false)]
// PA2023 s68: 30 days *beginning with* the day of receipt, so that day is day 1 and day 30
// is 29 days later.
#[case::pa2023_on_day_30(Regime::Pa2023, "2025-04-01", "2025-04-30", 29, false)]
#[case::pa2023_on_day_31(Regime::Pa2023, "2025-04-01", "2025-05-01", 30, true)]
fn a_payment_after_the_thirtieth_day_is_late(
    #[case] regime: Regime,
    #[case] received: &str,
    #[case] paid: &str,
    #[case] days_to_payment: i64,
    #[case] late: bool,
) {
    let t = check(&invoice(received, Some(paid)), regime, "2030-01-01");
    assert_eq!(t.days_to_payment, Some(days_to_payment));
    assert_eq!(t.late, late, "{}", t.reason);
}

#[test]
fn the_reason_gives_the_dates_the_count_and_the_reference() {
    let late = check(
        &invoice("2016-04-01", Some("2016-05-04")),
        Regime::Pcr2015,
        "2016-06-01",
    );
    assert_eq!(
        late.reason,
        "paid on 2016-05-04, 33 days after the invoice was received, 3 days late: the 30 days from the day the valid invoice was received, 2016-04-01, ended on 2016-05-01 (PCR 2015 reg 113(2)(a))"
    );
    assert_eq!(late.pay_by, Some(d("2016-05-01")));
    assert!(late.confirmed);
    let in_time = check(
        &invoice("2025-04-01", Some("2025-04-30")),
        Regime::Pa2023,
        "2025-06-01",
    );
    assert_eq!(
        in_time.reason,
        "paid on 2025-04-30, 29 days after the invoice was received, in time: the 30 days beginning with the day the invoice was received, 2025-04-01, ended on 2025-04-30 (PA2023 s68(2)) (rule unconfirmed)"
    );
    assert!(!in_time.confirmed);
}

#[test]
fn a_disputed_invoice_is_never_flagged_late() {
    let p = PaymentRecord {
        disputed: true,
        ..invoice("2016-04-01", Some("2016-08-01"))
    };
    let t = check(&p, Regime::Pcr2015, "2016-09-01");
    assert!(!t.late);
    assert_eq!(t.days_to_payment, Some(122));
    assert_eq!(t.pay_by, None);
    assert!(
        t.reason.starts_with("the invoice is disputed"),
        "{}",
        t.reason
    );
    let unpaid = PaymentRecord { paid_on: None, ..p };
    assert!(!check(&unpaid, Regime::Pa2023, "2030-01-01").late);
}

#[rstest]
#[case::the_last_day_allowed("2016-05-01", false)]
#[case::the_day_after("2016-05-02", true)]
#[case::long_after("2016-07-01", true)]
fn an_unpaid_invoice_is_late_once_today_is_past_the_last_day(
    #[case] today: &str,
    #[case] late: bool,
) {
    let t = check(&invoice("2016-04-01", None), Regime::Pcr2015, today);
    assert_eq!(t.late, late, "{}", t.reason);
    assert_eq!(t.days_to_payment, None);
    assert_eq!(t.pay_by, Some(d("2016-05-01")));
}

#[test]
fn an_unpaid_invoice_past_the_thirty_days_says_how_late() {
    let t = check(&invoice("2016-04-01", None), Regime::Pcr2015, "2016-05-11");
    assert_eq!(
        t.reason,
        "unpaid on 2016-05-11, 40 days after the invoice was received, 10 days late: the 30 days from the day the valid invoice was received, 2016-04-01, ended on 2016-05-01 (PCR 2015 reg 113(2)(a))"
    );
}

#[test]
fn under_pa2023_a_later_due_date_on_the_invoice_starts_the_thirty_days() {
    let p = PaymentRecord {
        invoice_due_on: Some(d("2025-04-15")),
        ..invoice("2025-04-01", Some("2025-05-10"))
    };
    let t = check(&p, Regime::Pa2023, "2025-06-01");
    assert_eq!(t.pay_by, Some(d("2025-05-14")));
    assert!(!t.late, "{}", t.reason);
    assert!(
        t.reason
            .contains("the day payment falls due under the invoice, 2025-04-15")
    );
    let earlier = PaymentRecord {
        invoice_due_on: Some(d("2025-03-25")),
        ..p
    };
    assert_eq!(
        check(&earlier, Regime::Pa2023, "2025-06-01").pay_by,
        Some(d("2025-04-30")),
        "an earlier due date does not shorten the 30 days"
    );
}

#[test]
fn the_shipped_rules_give_30_days_under_each_regime_with_their_sources() {
    let rules = PromptPaymentRules::shipped();
    for &regime in Regime::ALL {
        let rule = rules.rule(regime);
        assert_eq!(rule.days, 30);
        assert_eq!(rule.confirmed, !rule.source.starts_with("UNCONFIRMED:"));
    }
    assert_eq!(rules.rule(Regime::Pcr2015).counting, DayCount::From);
    assert_eq!(rules.rule(Regime::Pa2023).counting, DayCount::BeginningWith);
}

const HEADER: &str = "regime,days,counting,starts,reference,confirmed,source\n";
const PCR: &str = "pcr2015,30,from,valid_invoice_received,reg 113,true,SI 2015/102\n";

#[rstest]
#[case::a_regime_missing(PCR, "t.csv, line 1, column `regime`: no row for pa2023")]
#[case::a_regime_twice(
    "pcr2015,30,from,valid_invoice_received,reg 113,true,SI 2015/102\npcr2015,31,from,valid_invoice_received,x,true,y\n",
    "t.csv, line 3, column `regime`: a second row for pcr2015"
)]
#[case::unconfirmed_without_saying_so(
    "pcr2015,30,from,valid_invoice_received,reg 113,false,a guess\n",
    "t.csv, line 2, column `source`: an unconfirmed row's source must begin `UNCONFIRMED:`"
)]
#[case::an_unknown_count(
    "pcr2015,30,after,valid_invoice_received,reg 113,true,SI 2015/102\n",
    "t.csv, line 2, column `counting`: `after`: unknown day count `after`: expected one of beginning_with, from"
)]
#[case::no_days(
    "pcr2015,0,from,valid_invoice_received,reg 113,true,SI 2015/102\n",
    "t.csv, line 2, column `days`: must be at least 1"
)]
fn a_bad_rules_file_is_refused_naming_the_line_and_column(
    #[case] rows: &str,
    #[case] message: &str,
) {
    let err = PromptPaymentRules::from_csv_str("t.csv", &format!("{HEADER}{rows}")).unwrap_err();
    assert_eq!(err.to_string(), message);
}

proptest! {
    #[test]
    fn an_undisputed_payment_is_late_exactly_when_paid_after_the_last_day(
        received in 0u64..3_000,
        after in 0i64..120,
        pa2023 in any::<bool>(),
    ) {
        let regime = if pa2023 { Regime::Pa2023 } else { Regime::Pcr2015 };
        let received = d("2015-03-01") + Days::new(received);
        let p = PaymentRecord {
            valid_invoice_received: received,
            invoice_date: received,
            paid_on: Some(received + chrono::Duration::days(after)),
            ..invoice("2015-03-01", None)
        };
        let t = timeliness(&p, regime, received, &PromptPaymentRules::shipped());
        let allowed = if pa2023 { 29 } else { 30 };
        prop_assert_eq!(t.late, after > allowed);
        prop_assert_eq!(t.days_to_payment, Some(after));
    }
}
