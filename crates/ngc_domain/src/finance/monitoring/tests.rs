use super::*;
use proptest::prelude::*;
use rstest::rstest;

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn y() -> FinancialYear {
    "2016-17".parse().unwrap()
}

fn input(budget: &str, monthly: &str, officer: Option<&str>) -> ServiceInput {
    let mut actuals = [Money::ZERO; MONTHS];
    for (i, a) in monthly.split(',').filter(|s| !s.is_empty()).enumerate() {
        actuals[i] = m(a);
    }
    ServiceInput {
        service: "Adult social care".into(),
        budget: m(budget),
        weights: None,
        virements: [Money::ZERO; MONTHS],
        actuals,
        commitments: m("0"),
        officer_forecast: officer.map(m),
    }
}

#[test]
fn flat_twelfths_put_the_odd_pence_in_the_earliest_months() {
    let p = profile::profiled(m("1000.00"), None);
    assert_eq!(p[..4], [m("83.34"), m("83.34"), m("83.34"), m("83.34")]);
    assert_eq!(p[4..], [m("83.33"); 8]);
    assert_eq!(p.iter().copied().sum::<Money>(), m("1000.00"));
    assert_eq!(
        profile::profiled(m("-0.05"), None)[..6],
        [m("-0.01"); 5][..]
            .iter()
            .copied()
            .chain([m("0")])
            .collect::<Vec<_>>()[..]
    );
}

#[rstest]
#[case::before_april("2016-04-15", 0)]
#[case::april_closed("2016-05-01", 1)]
#[case::last_day_not_closed("2016-05-31", 1)]
#[case::december("2017-01-10", 9)]
#[case::year_over("2017-04-01", 12)]
#[case::long_after("2020-01-01", 12)]
fn closed_months_are_the_complete_ones_before_today(#[case] today: &str, #[case] n: u8) {
    assert_eq!(closed_months(y(), today.parse().unwrap()), n);
}

#[rstest]
#[case::three_months("300.00", 3, "1200.00")]
#[case::rounds_half_away("0.01", 7, "0.02")]
#[case::rounds_down("0.01", 9, "0.01")]
#[case::negative("-0.01", 8, "-0.02")]
#[case::nothing_closed("5.00", 0, "999.99")]
fn the_run_rate_is_to_date_over_the_closed_months_times_twelve(
    #[case] to_date: &str,
    #[case] closed: u8,
    #[case] outturn: &str,
) {
    assert_eq!(run_rate(m(to_date), closed, m("999.99")), m(outturn));
}

#[test]
fn both_methods_are_given_and_the_one_asked_for_is_the_forecast() {
    // £1,200 budget (£100 a month); three months closed at £110, £120, £130.
    let s = [input("1200.00", "110.00,120.00,130.00,500.00", None)];
    let r = monitor(y(), 3, [false; 12], ForecastMethod::RunRate, &s);
    let row = &r.services[0];
    assert_eq!(row.budget_to_date, m("300.00"));
    assert_eq!(row.actual_to_date, m("360.00"));
    assert_eq!(row.variance_to_date, m("60.00"));
    assert_eq!(row.run_rate, m("1440.00"));
    assert_eq!(row.budget_profile, m("1260.00"));
    assert_eq!(row.forecast_outturn, m("1440.00"));
    assert_eq!(row.forecast_basis, "run_rate");
    assert_eq!(row.outturn_variance, m("240.00"));
    let r = monitor(y(), 3, [false; 12], ForecastMethod::BudgetProfile, &s);
    assert_eq!(r.services[0].forecast_outturn, m("1260.00"));
    assert_eq!(r.services[0].forecast_basis, "budget_profile");
    // April's actual (the fourth month, not closed) is shown but not counted to date.
    assert_eq!(r.months[3].actual, m("500.00"));
    assert!(!r.months[3].closed && r.months[2].closed);
    assert!(r.actuals_partial);
}

#[test]
fn the_officers_forecast_wins_and_the_totals_say_so() {
    let s = [
        input("1200.00", "100.00", Some("1300.00")),
        input("600.00", "60.00", None),
    ];
    let r = monitor(y(), 1, [true; 12], ForecastMethod::RunRate, &s);
    assert_eq!(r.services[0].forecast_basis, OFFICER);
    assert_eq!(r.services[0].forecast_outturn, m("1300.00"));
    assert_eq!(r.services[1].forecast_outturn, m("720.00"));
    assert_eq!(r.totals.forecast_outturn, m("2020.00"));
    assert_eq!(r.totals.outturn_variance, m("220.00"));
    assert_eq!(r.totals.forecast_basis, "mixed");
    assert_eq!(r.totals.officer_forecast, Some(m("1300.00")));
    assert!(!r.actuals_partial);
    assert_eq!(r.months[0].month, "2016-04");
    assert_eq!(r.months[11].month, "2017-03");
    assert_eq!(r.months[0].budget, m("150.00"));
}

fn test_of(outturn_over: &str, general: &str, releasable: &[(&str, &str)]) -> InYearTest {
    // Budget £1,200; three months at £150 against £100: run rate £1,800, so the forecast
    // variance is £600 plus `outturn_over` through an officer's forecast.
    let officer = m("1800.00") + m(outturn_over);
    let s = [input(
        "1200.00",
        "150.00,150.00,150.00",
        Some(&officer.to_string()),
    )];
    let r = monitor(y(), 3, [true; 12], ForecastMethod::RunRate, &s);
    in_year_test(
        &r,
        m("10000.00"),
        m("9800.00"),
        m(general),
        releasable
            .iter()
            .map(|(n, b)| ReserveAvailable {
                name: (*n).into(),
                balance: m(b),
            })
            .collect(),
    )
}

#[test]
fn s114_3_fires_when_forecast_spending_exceeds_resources_and_reserves_available() {
    // Spending 10,000 + 600 = 10,600; resources 9,800 + general fund 500 = 10,300: short 300.
    let t = test_of("0", "500.00", &[]);
    assert_eq!(t.forecast_net_spending, m("10600.00"));
    assert_eq!(t.reserves_available, m("500.00"));
    assert_eq!(t.headroom, m("-300.00"));
    assert!(t.triggered);
    assert_eq!(
        t.months
            .iter()
            .map(|m| (m.month.as_str(), m.overspend))
            .collect::<Vec<_>>(),
        vec![
            ("2016-04", m("50.00")),
            ("2016-05", m("50.00")),
            ("2016-06", m("50.00"))
        ]
    );
    let w = t.warning("run_rate").unwrap();
    assert_eq!(w.kind, WarningKind::ForecastExceedsResources);
    assert!(w.message.contains("by £300.00"), "{}", w.message);
    assert!(w.message.contains("2016-04 (£50.00 over)"), "{}", w.message);
    // The most serious of all warnings.
    let planned = Warning {
        year: y(),
        kind: WarningKind::SpendingExceedsResources,
        message: String::new(),
    };
    let ws = [planned, w.clone()];
    assert_eq!(super::super::warning::most_serious(&ws), Some(&w));
}

#[test]
fn a_releasable_reserve_can_meet_the_forecast_and_a_negative_balance_counts_as_none() {
    let t = test_of("0", "500.00", &[("Transformation", "300.00")]);
    assert_eq!(t.reserves_available, m("800.00"));
    assert_eq!(t.headroom, m("0.00"));
    assert!(!t.triggered);
    assert!(t.warning("run_rate").is_none());
    let t = test_of(
        "0.01",
        "-100.00",
        &[("Insurance", "800.00"), ("Odd", "-5.00")],
    );
    assert_eq!(t.reserves_available, m("800.00"));
    assert_eq!(t.headroom, m("-0.01"));
    assert!(t.triggered);
}

proptest! {
    #[test]
    fn a_profile_sums_to_its_budget(pence in -10_000_000_000i64..10_000_000_000) {
        let p = profile::profiled(Money::pence(pence), None);
        prop_assert_eq!(p.iter().copied().sum::<Money>(), Money::pence(pence));
        let spread = p.iter().map(|m| m.as_pence()).max().unwrap() - p.iter().map(|m| m.as_pence()).min().unwrap();
        prop_assert!(spread <= 1);
    }

    #[test]
    fn the_totals_are_the_sum_of_the_lines(
        budgets in proptest::collection::vec(-1_000_000i64..100_000_000, 1..6),
        closed in 0u8..=12,
        actual in -1_000_000i64..10_000_000,
    ) {
        let s: Vec<ServiceInput> = budgets.iter().map(|&b| ServiceInput {
            service: b.to_string(),
            budget: Money::pence(b),
            weights: None,
            virements: [Money::ZERO; MONTHS],
            actuals: [Money::pence(actual); MONTHS],
            commitments: Money::ZERO,
            officer_forecast: None,
        }).collect();
        let r = monitor(y(), closed, [false; 12], ForecastMethod::BudgetProfile, &s);
        let budget: Money = r.months.iter().map(|m| m.budget).sum();
        prop_assert_eq!(budget, r.totals.budget);
        prop_assert_eq!(r.totals.forecast_outturn, r.services.iter().map(|x| x.forecast_outturn).sum::<Money>());
        if closed == 12 {
            prop_assert_eq!(r.totals.budget_profile, r.totals.actual_to_date);
        }
    }
}

#[rstest]
#[case::schools("Schools balances", true)]
#[case::dsg("DSG deficit", true)]
#[case::hra("HRA reserve", true)]
#[case::hra_long("Housing Revenue Account", true)]
#[case::capital("Capital receipts reserve", true)]
#[case::transformation("Transformation", false)]
#[case::insurance("Insurance", false)]
#[case::not_a_word("Capitalisation of IT", false)]
fn schools_hra_and_capital_reserves_are_never_releasable(#[case] name: &str, #[case] fenced: bool) {
    assert_eq!(
        ringfenced(name).is_some(),
        fenced,
        "{name}: {:?}",
        ringfenced(name)
    );
}

#[test]
fn the_ringfence_list_is_data_with_its_sources_and_none_is_claimed_confirmed() {
    let rows: Vec<&str> = RINGFENCED_CSV.lines().skip(1).collect();
    assert!(rows.len() >= 4);
    for r in rows {
        let f: Vec<&str> = r.splitn(4, ',').collect();
        assert_eq!(f.len(), 4, "{r}");
        assert_eq!(f[2], "false", "{r}");
        assert!(f[3].starts_with("UNCONFIRMED"), "{r}");
    }
}

#[test]
fn a_savings_cost_line_says_whether_the_money_came_off() {
    let s = [
        input("1200.00", "110.00,120.00,130.00", None),
        ServiceInput {
            service: "Education".into(),
            ..input("600.00", "50.00,50.00,50.00", None)
        },
    ];
    let lines = cost_lines(&monitor(y(), 3, [true; 12], ForecastMethod::RunRate, &s));
    let care = &lines["Adult social care"];
    assert_eq!((care.came_off, care.over), (false, m("240.00")));
    assert_eq!(care.forecast_outturn, m("1440.00"));
    let edu = &lines["Education"];
    assert_eq!(
        (edu.came_off, edu.over, edu.basis.as_str()),
        (true, m("0.00"), "run_rate")
    );
}

#[test]
fn forecasts_stand_on_the_months_a_general_ledger_extract_covers() {
    // Three months closed; April and May from the general ledger, June from feeders only.
    let s = [input("1200.00", "110.00,110.00,20.00", None)];
    let mut gl = [false; 12];
    gl[0] = true;
    gl[1] = true;
    let r = monitor(y(), 3, gl, ForecastMethod::RunRate, &s);
    assert_eq!(r.forecast_months, ["2016-04", "2016-05"]);
    let row = &r.services[0];
    assert_eq!(row.actual_to_date, m("240.00"));
    assert_eq!(row.run_rate, m("1320.00"));
    assert_eq!(row.budget_profile, m("1220.00"));
    assert!(r.actuals_partial);
    // With no extract at all, every closed month.
    let r = monitor(y(), 3, [false; 12], ForecastMethod::RunRate, &s);
    assert_eq!(r.forecast_months, ["2016-04", "2016-05", "2016-06"]);
    assert_eq!(r.services[0].run_rate, m("960.00"));
}

#[test]
fn a_virement_moves_budget_between_lines_from_its_month_and_the_total_stays() {
    // £600 moved from Education to Adult social care from October (month 6): £100 a month
    // for the last six months; April to September keep their twelfths.
    let mut care = input("1200.00", "100.00,100.00,100.00", None);
    care.virements[6] = m("600.00");
    let mut edu = ServiceInput {
        service: "Education".into(),
        ..input("1200.00", "100.00,100.00,100.00", None)
    };
    edu.virements[6] = m("-600.00");
    edu.weights = Some("2,2,2,2,2,2,0,0,0,0,0,0".parse().unwrap());
    let r = monitor(
        y(),
        3,
        [true; 12],
        ForecastMethod::BudgetProfile,
        &[care, edu],
    );
    let (c, e) = (&r.services[0], &r.services[1]);
    assert_eq!(
        (c.original_budget, c.virements, c.budget),
        (m("1200.00"), m("600.00"), m("1800.00"))
    );
    assert_eq!(c.profile[5], m("100.00"));
    assert_eq!(c.profile[6], m("200.00"));
    assert_eq!(c.profile_basis, "flat_twelfths");
    // Education spends its budget by September on its stored profile, then gives up £100 a
    // month.
    assert_eq!(e.profile[0], m("200.00"));
    assert_eq!(e.profile[6], m("-100.00"));
    assert_eq!(
        (e.budget, e.profile_basis.as_str()),
        (m("600.00"), "stored")
    );
    // The budget profile forecast: three months' actuals plus the profile of the rest.
    assert_eq!(c.budget_profile, m("300.00") + m("1500.00"));
    assert_eq!(e.outturn_variance, e.budget_profile - m("600.00"));
    assert_eq!(r.totals.budget, m("2400.00"));
    assert_eq!(r.totals.virements, Money::ZERO);
    assert_eq!(r.profile, "mixed");
}
