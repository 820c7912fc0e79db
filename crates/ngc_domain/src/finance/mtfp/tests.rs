use super::*;
use crate::finance::fixtures::{
    d, demo_plan, k, m, ncc_tax_base_growth_2015_16, pressure, saving, y,
};
use crate::finance::referendum::AuthorityClass;
use crate::finance::reserves::{Reserve, ReserveKind};
use crate::finance::savings::{DeliveryUpdate, Rag};
use crate::finance::service::{ServiceLine, Subjective};
use crate::finance::warning::WarningKind;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// A three-year plan small enough to check by hand.
fn small_plan() -> Plan {
    let line = |service, subjective, amount: &str| BaseLine {
        service,
        subjective,
        amount: m(amount),
    };
    let mut a = Assumptions::zero(y("2015-16"));
    a.pay_award_pct = d("2");
    a.general_inflation_pct = d("1.5");
    a.social_care_inflation_pct = d("3");
    a.demography_pct = BTreeMap::from([(ServiceLine::AdultSocialCare, d("1"))]);
    a.tax_base_growth_pct = d("1");
    a.council_tax_increase_pct = d("2");
    let mut legislation = pressure("L1", PressureKind::Legislation, &[]);
    legislation.amounts = [(y("2015-16"), m("12345.67"))].into();
    Plan {
        organisation: "smallshire".into(),
        name: "base".into(),
        authority_class: AuthorityClass::ShireCounty,
        first_year: y("2015-16"),
        years: 3,
        base: vec![
            line(
                ServiceLine::AdultSocialCare,
                Subjective::Employees,
                "1000000",
            ),
            line(ServiceLine::Cultural, Subjective::RunningCosts, "500000"),
            line(
                ServiceLine::AdultSocialCare,
                Subjective::ThirdPartyPayments,
                "2000000",
            ),
            line(ServiceLine::Cultural, Subjective::Income, "100000"),
        ],
        assumptions: vec![a],
        pressures: vec![legislation],
        funding: ["2014-15", "2015-16", "2016-17", "2017-18"]
            .iter()
            .map(|yr| FundingLine {
                source: FundingSource::RevenueSupportGrant,
                year: y(yr),
                amount: m("3000000"),
            })
            .collect(),
        council_tax: CouncilTaxBase {
            band_d: m("100"),
            tax_base: d("1000"),
        },
        savings: vec![saving(
            "S1",
            ServiceLine::Cultural,
            Rag::Green,
            &[("2015-16", 50)],
        )],
        delivery: vec![],
        reserves: vec![Reserve {
            name: "General fund".into(),
            kind: ReserveKind::GeneralFund,
            opening: m("1000000"),
            planned_use: BTreeMap::new(),
        }],
        minimum_reserve_pct: d("5"),
        scenarios: Vec::new(),
    }
}

#[test]
fn the_small_plan_reproduces_the_hand_calculation_to_the_penny() {
    let r = report(&small_plan());
    let row = &r.rows[0];
    assert_eq!(row.base_budget, m("3400000"));
    // pay 20,000 + prices 7,500 + social care 60,000 + demography 30,000 + 12,345.67
    assert_eq!(row.pressures, m("129845.67"));
    assert_eq!(
        r.detail[0].pressures_by_kind[&PressureKind::Inflation],
        m("87500")
    );
    assert_eq!(
        r.detail[0].pressures_by_kind[&PressureKind::Demography],
        m("30000")
    );
    assert_eq!(row.savings, m("50000"));
    assert_eq!(row.net_budget_requirement, m("3479845.67"));
    // RSG 3,000,000 + council tax 102.00 × 1,010
    assert_eq!(row.resources, m("3103020"));
    assert_eq!(row.gap, m("376825.67"));
    assert_eq!(row.reserves_end, m("623174.33"));
    let next = &r.rows[1];
    assert_eq!(next.base_budget, m("3479845.67"));
    assert_eq!(next.pressures, Money::ZERO);
    assert_eq!(next.reserves_end, m("246348.66"));
    assert_eq!(r.detail[1].cumulative_gap, m("753651.34"));
    assert_eq!(r.detail[1].reserves_minimum, m("173992.28"));
    assert_eq!(r.detail[1].sustainability_years, Some(d("0.7")));
}

#[test]
fn the_small_plan_warns_of_reserves_running_out_then_exhausted() {
    let r = report(&small_plan());
    let kinds: Vec<(String, WarningKind)> = r
        .warnings
        .iter()
        .map(|w| (w.year.to_string(), w.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("2015-16".into(), WarningKind::ReservesRunningOut),
            ("2016-17".into(), WarningKind::ReservesRunningOut),
            ("2017-18".into(), WarningKind::SpendingExceedsResources),
            ("2017-18".into(), WarningKind::BelowPrudentMinimum),
        ]
    );
    let exceeded = &r.warnings[2].message;
    assert!(
        exceeded.contains(
            "exceeds resources of £3,103,020.00 plus usable reserves of £246,348.66 by £130,477.01"
        ),
        "{exceeded}"
    );
}

#[test]
fn savings_lagging_the_profile_by_more_than_the_margin_are_flagged() {
    let mut plan = small_plan();
    plan.savings[0].amounts = [(y("2016-17"), k(120))].into();
    let update = |month, thousands| DeliveryUpdate {
        reference: "S1".into(),
        year: y("2016-17"),
        month,
        delivered: k(thousands),
        rag: Rag::Amber,
        note: "slipping".into(),
    };
    plan.delivery = vec![update(2, 25), update(6, 53)];
    let flagged = |plan: &Plan, month: u8, margin: &str| {
        let mut options = ReportOptions::as_at(y("2016-17"), month);
        options.warning.savings_lag_margin_pct = d(margin);
        report_with(plan, &options)
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::SavingsDeliveryLag && w.year == y("2016-17"))
    };
    // Profile to September is £60,000; £53,000 delivered is 11.67% behind.
    assert!(flagged(&plan, 6, "10"));
    assert!(!flagged(&plan, 6, "12"));
    // By May the profile is £20,000 and £25,000 was delivered: ahead.
    assert!(!flagged(&plan, 2, "10"));
    // Later updates do not count at an earlier date.
    plan.delivery.remove(0);
    assert!(flagged(&plan, 2, "10"));
}

#[test]
fn northamptonshire_2015_16_council_tax_is_1_95_per_cent_within_the_2_per_cent_limit() {
    let r = report(&demo_plan());
    let row = &r.council_tax[0];
    assert_eq!(row.year, y("2015-16"));
    assert_eq!(row.band_d, m("1069.02"));
    assert_eq!(row.tax_base, d("222837.7"));
    assert_eq!(row.increase_pct, d("1.95"));
    assert_eq!(row.referendum_limit_pct, Some(d("2.00")));
    assert!(row.within_limit);
    // Official requirement £238,217,960: Band D × tax base to within the Band D rounding.
    let official = m("238217960");
    let slack = d("0.005") * row.tax_base;
    assert!((official - row.requirement).to_decimal().abs() <= slack);
}

#[test]
fn northamptonshire_2016_17_band_d_with_the_social_care_precept_is_the_published_one() {
    let r = report(&demo_plan());
    let row = &r.council_tax[1];
    assert_eq!(row.band_d, m("1111.25"));
    assert_eq!(row.increase_pct, d("3.95"));
    assert_eq!(row.referendum_limit_pct, Some(d("4.00")));
    assert!(row.within_limit);
}

#[test]
fn an_increase_over_the_limit_is_shown_as_triggering_a_referendum() {
    let mut plan = demo_plan();
    plan.assumptions[0].council_tax_increase_pct = d("4.99");
    // 2015-16's requirement is set: the assumption does not move it.
    let set = report(&plan);
    assert_eq!(set.council_tax[0].band_d, m("1069.02"));
    assert!(set.council_tax[0].requirement_set && set.council_tax[0].within_limit);
    // As a plan year, the increase applies and triggers a referendum.
    plan.funding
        .retain(|f| !(f.source == FundingSource::CouncilTax && f.year == y("2015-16")));
    let r = report(&plan);
    assert!(!r.council_tax[0].within_limit && !r.council_tax[0].requirement_set);
    assert_eq!(r.council_tax[0].increase_pct, d("4.99"));
}

#[test]
fn government_funding_change_is_last_plan_year_against_the_year_before_the_plan() {
    let r = report(&demo_plan());
    let plan = demo_plan();
    let before = plan.government_funding(y("2014-15"));
    let last = plan.government_funding(y("2019-20"));
    assert_eq!(before, k(103_600 + 30_000 + 40_000 + 20_000 + 5_000));
    assert_eq!(r.totals.government_funding_change, last - before);
    assert!(r.totals.government_funding_change.is_negative());
}

#[test]
fn undelivered_savings_roll_forward_into_the_next_year_s_gap() {
    let plan = demo_plan();
    let mut late = plan.clone();
    late.delivery.push(DeliveryUpdate {
        reference: "ENV-01".into(),
        year: y("2015-16"),
        month: 12,
        delivered: k(4_500),
        rag: Rag::Red,
        note: "contract started late".into(),
    });
    let (a, b) = (report(&plan), report(&late));
    assert_eq!(a.rows[0], b.rows[0]);
    let shortfall = k(2_500);
    assert_eq!(b.rows[1].pressures - a.rows[1].pressures, shortfall);
    assert_eq!(b.rows[1].gap - a.rows[1].gap, shortfall);
    assert_eq!(
        b.detail[1].pressures_by_kind[&PressureKind::UndeliveredSavings],
        shortfall
    );
}

#[test]
fn the_report_json_carries_everything_but_the_working() {
    // The shape itself is pinned by the demo's snapshot (`crates/ngc/tests/cli/snapshots`)
    // and the OpenAPI document; here: nothing published is lost on the way.
    let r = report(&demo_plan());
    let json = serde_json::to_value(&r).unwrap();
    assert!(json.get("detail").is_none());
    let back: Report = serde_json::from_value(json).unwrap();
    assert_eq!(
        back,
        Report {
            detail: Vec::new(),
            ..r
        }
    );
}

#[test]
fn a_plan_with_the_social_care_precept_entered_for_a_plan_year_is_refused() {
    let mut plan = demo_plan();
    assert_eq!(plan.validate(), Ok(()));
    plan.funding.push(FundingLine {
        source: FundingSource::AdultSocialCarePrecept,
        year: y("2016-17"),
        amount: k(1),
    });
    assert_eq!(
        plan.validate(),
        Err(PlanError::CouncilTaxEntered(
            FundingSource::AdultSocialCarePrecept,
            y("2016-17")
        ))
    );
}

#[test]
fn duplicate_references_and_bad_ranges_are_refused() {
    let mut plan = demo_plan();
    plan.pressures[0].reference = "ENV-01".into();
    assert_eq!(
        plan.validate(),
        Err(PlanError::DuplicateReference("ENV-01".into()))
    );
    let mut plan = demo_plan();
    plan.pressures[0].uncertainty = Some(Uncertainty {
        low_pct: d("120"),
        high_pct: d("100"),
    });
    assert_eq!(plan.validate(), Err(PlanError::Uncertainty("P-01".into())));
    let mut plan = demo_plan();
    plan.years = 0;
    assert_eq!(plan.validate(), Err(PlanError::Years(0)));
}

#[test]
fn a_day_maps_to_its_financial_year_and_month() {
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    assert_eq!(year_month_of(day("2015-04-01")), Some((y("2015-16"), 1)));
    assert_eq!(year_month_of(day("2016-03-31")), Some((y("2015-16"), 12)));
    assert_eq!(year_month_of(day("2016-01-15")), Some((y("2015-16"), 10)));
}

fn arb_plan() -> impl Strategy<Value = Plan> {
    (
        proptest::collection::vec((0i64..50_000, 0i64..5_000, 0i64..3_000), 5),
        proptest::collection::vec((0u32..500, 0u32..400, 0u32..300), 5),
        0i64..80_000,
        proptest::collection::vec(0i64..420_000, 6),
    )
        .prop_map(|(lines, pcts, general, rsg)| {
            let mut plan = demo_plan();
            let years = plan.plan_years();
            for (i, (p, s, use_)) in lines.into_iter().enumerate() {
                plan.pressures[i % 2].amounts.insert(years[i], k(p));
                plan.savings[i % 4].amounts.insert(years[i], k(s));
                plan.reserves[1].planned_use.insert(years[i], k(use_));
            }
            for (a, (pay, inf, ct)) in plan.assumptions.iter_mut().zip(pcts) {
                a.pay_award_pct = rust_decimal::Decimal::new(i64::from(pay), 2);
                a.general_inflation_pct = rust_decimal::Decimal::new(i64::from(inf), 2);
                a.council_tax_increase_pct = rust_decimal::Decimal::new(i64::from(ct), 2);
            }
            plan.reserves[0].opening = k(general);
            for (line, t) in plan
                .funding
                .iter_mut()
                .filter(|f| f.source == FundingSource::RevenueSupportGrant)
                .zip(rsg)
            {
                line.amount = k(t);
            }
            plan
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_row_obeys_the_mtfp_arithmetic(plan in arb_plan()) {
        let r = report(&plan);
        let mut reserves = crate::finance::reserves::Balances::opening(&plan.reserves).usable();
        let mut cumulative = Money::ZERO;
        for (i, (row, o)) in r.rows.iter().zip(&r.detail).enumerate() {
            prop_assert_eq!(row.net_budget_requirement, row.base_budget + row.pressures - row.savings);
            prop_assert_eq!(row.gap, row.net_budget_requirement - row.resources);
            prop_assert_eq!(o.pressures_by_kind.values().copied().sum::<Money>(), row.pressures);
            prop_assert_eq!(row.resources, o.funding + o.council_tax);
            if i > 0 {
                prop_assert_eq!(row.base_budget, r.rows[i - 1].net_budget_requirement);
            }
            reserves = reserves - o.reserves_planned_use.usable() - row.gap;
            prop_assert_eq!(row.reserves_end, reserves);
            cumulative += row.gap;
            prop_assert_eq!(o.cumulative_gap, cumulative);
            let exceeded = r.warnings.iter().any(|w| w.year == row.year && w.kind == WarningKind::SpendingExceedsResources);
            prop_assert_eq!(exceeded, row.reserves_end.is_negative());
        }
        prop_assert_eq!(r.totals.pressures, r.rows.iter().map(|x| x.pressures).sum::<Money>());
        prop_assert_eq!(r.totals.savings, r.rows.iter().map(|x| x.savings).sum::<Money>());
    }

    #[test]
    fn more_savings_never_widen_the_gap(plan in arb_plan(), extra in 1i64..10_000, at in 0usize..5) {
        let mut more = plan.clone();
        let year = plan.plan_years()[at];
        let s = &mut more.savings[0];
        let before = s.amount_in(year);
        s.amounts.insert(year, before + k(extra));
        let (a, b) = (report(&plan), report(&more));
        for (ra, rb) in a.rows.iter().zip(&b.rows) {
            prop_assert!(rb.gap <= ra.gap);
            prop_assert!(rb.reserves_end >= ra.reserves_end);
        }
    }
}

#[test]
fn the_tax_base_growth_fixture_reaches_the_official_tax_base() {
    let grown = d("216142.5")
        * (rust_decimal::Decimal::ONE
            + ncc_tax_base_growth_2015_16() / rust_decimal::Decimal::ONE_HUNDRED);
    assert_eq!(grown.round_dp(2), d("222837.7"));
}

#[test]
fn a_report_made_on_a_day_judges_delivery_at_the_end_of_the_last_complete_month() {
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let as_at = |d: &str| ReportOptions::on(day(d)).warning.as_at;
    assert_eq!(as_at("2015-10-15"), Some((y("2015-16"), 6)));
    assert_eq!(as_at("2015-10-01"), Some((y("2015-16"), 6)));
    assert_eq!(as_at("2015-04-30"), Some((y("2014-15"), 12)));
    assert_eq!(as_at("2016-01-31"), Some((y("2015-16"), 9)));
}
