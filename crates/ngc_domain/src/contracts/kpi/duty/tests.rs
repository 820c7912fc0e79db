use super::*;
use proptest::prelude::*;
use rstest::rstest;

fn over() -> Money {
    Money::pounds(5_000_000) + Money::pence(1)
}

#[test]
fn the_shipped_rules_carry_the_acts_figures() {
    let rules = KpiDutyRules::shipped();
    let pa = rules.for_regime(Regime::Pa2023).unwrap();
    assert_eq!(pa.threshold, Money::pounds(5_000_000));
    assert_eq!(pa.minimum_kpis, 3);
    assert!(pa.rationale_disapplies);
    let listed: Vec<_> = pa.exemptions.iter().map(|(e, _)| *e).collect();
    for e in KpiExemption::ALL {
        assert!(listed.contains(e), "{e} is listed");
    }
    assert!(rules.for_regime(Regime::Pcr2015).is_none());
}

#[rstest]
#[case::pcr_never_warns(Regime::Pcr2015, Money::pounds(50_000_000), None, None, 0, false, true)]
#[case::exactly_five_million(Regime::Pa2023, Money::pounds(5_000_000), None, None, 0, false, true)]
#[case::a_penny_over_with_none(Regime::Pa2023, over(), None, None, 0, true, false)]
#[case::two_kpis_are_too_few(Regime::Pa2023, over(), None, None, 2, true, false)]
#[case::three_kpis_meet_it(Regime::Pa2023, over(), None, None, 3, true, true)]
#[case::more_also_meet_it(Regime::Pa2023, over(), None, None, 7, true, true)]
#[case::a_framework(
    Regime::Pa2023,
    over(),
    Some(KpiExemption::Framework),
    None,
    0,
    false,
    true
)]
#[case::a_concession(
    Regime::Pa2023,
    over(),
    Some(KpiExemption::Concession),
    None,
    0,
    false,
    true
)]
#[case::light_touch(
    Regime::Pa2023,
    over(),
    Some(KpiExemption::LightTouch),
    None,
    0,
    false,
    true
)]
#[case::a_private_utility(
    Regime::Pa2023,
    over(),
    Some(KpiExemption::PrivateUtility),
    None,
    0,
    false,
    true
)]
#[case::below_the_works_threshold(
    Regime::Pa2023,
    over(),
    Some(KpiExemption::NotPublicContract),
    None,
    0,
    false,
    true
)]
#[case::a_recorded_rationale(
    Regime::Pa2023,
    over(),
    None,
    Some("a one-off delivery of goods"),
    0,
    false,
    true
)]
#[case::a_blank_rationale_is_none(Regime::Pa2023, over(), None, Some("  "), 1, true, false)]
fn the_s52_duty_applies_only_to_pa2023_contracts_over_five_million_that_are_not_exempt(
    #[case] regime: Regime,
    #[case] value: Money,
    #[case] exemption: Option<KpiExemption>,
    #[case] rationale: Option<&str>,
    #[case] kpis: usize,
    #[case] applies: bool,
    #[case] satisfied: bool,
) {
    let duty = kpi_duty(
        regime,
        value,
        exemption,
        rationale,
        kpis,
        &KpiDutyRules::shipped(),
    );
    assert_eq!(
        (duty.applies, duty.satisfied),
        (applies, satisfied),
        "{duty:?}"
    );
    assert_eq!(duty.warning.is_some(), applies && !satisfied, "{duty:?}");
}

#[test]
fn the_warning_says_what_is_needed_and_how_to_meet_it() {
    let duty = kpi_duty(
        Regime::Pa2023,
        Money::pounds(6_000_000),
        None,
        None,
        1,
        &KpiDutyRules::shipped(),
    );
    assert_eq!(
        duty.warning.as_deref(),
        Some(
            "a contract worth more than £5,000,000.00 including VAT needs at least 3 KPIs (PA2023 s52(1)); it has 1. Set 2 more, or record why KPIs are not appropriate (PA2023 s52(2); Procurement Regulations 2024 reg 32(2)(s))."
        )
    );
}

#[test]
fn an_exemption_gives_its_reference() {
    let duty = kpi_duty(
        Regime::Pa2023,
        Money::pounds(9_000_000),
        Some(KpiExemption::Framework),
        None,
        0,
        &KpiDutyRules::shipped(),
    );
    assert_eq!(
        duty.reason,
        "a framework: outside the KPI duty (PA2023 s52(6)(a))"
    );
}

#[test]
fn an_exemption_the_rules_do_not_list_leaves_the_duty_in_place() {
    let text = "regime,rule,value,reference,confirmed,source\n\
        pa2023,threshold,100,s1,true,x\n\
        pa2023,vat_basis,including_vat,s1,true,x\n\
        pa2023,minimum_kpis,2,s1,true,x\n";
    let rules = KpiDutyRules::from_csv_str("t.csv", text).unwrap();
    let duty = kpi_duty(
        Regime::Pa2023,
        Money::pounds(101),
        Some(KpiExemption::Framework),
        Some("not measurable"),
        0,
        &rules,
    );
    assert!(duty.applies && !duty.satisfied);
    assert!(
        duty.reason
            .ends_with("framework is not an exemption the rules list")
    );
    assert!(!duty.warning.unwrap().contains("record why"));
}

#[rstest]
#[case::no_minimum(
    "pa2023,threshold,100,s,true,x\npa2023,vat_basis,including_vat,s,true,x\n",
    "no `minimum_kpis` row for pa2023"
)]
#[case::excluding_vat(
    "pa2023,vat_basis,excluding_vat,s,true,x\n",
    "the duty compares a value including VAT"
)]
#[case::two_thresholds(
    "pa2023,threshold,100,s,true,x\npa2023,threshold,200,s,true,x\n",
    "a second `threshold` row for pa2023"
)]
#[case::unknown_exemption("pa2023,exemption,charity,s,true,x\n", "unknown KPI exemption")]
#[case::unknown_rule("pa2023,maximum_kpis,9,s,true,x\n", "`maximum_kpis`: expected")]
#[case::zero_minimum("pa2023,minimum_kpis,0,s,true,x\n", "at least 1")]
fn a_faulty_rules_file_is_refused_with_the_reason(#[case] rows: &str, #[case] message: &str) {
    let text = format!("regime,rule,value,reference,confirmed,source\n{rows}");
    let err = KpiDutyRules::from_csv_str("t.csv", &text).unwrap_err();
    assert!(err.message.contains(message), "{err}");
}

proptest! {
    #[test]
    fn a_pcr_contract_never_warns(value in 0i64..i64::MAX, kpis in 0usize..10) {
        let duty = kpi_duty(Regime::Pcr2015, Money::pence(value), None, None, kpis, &KpiDutyRules::shipped());
        prop_assert!(!duty.applies && duty.warning.is_none());
    }

    #[test]
    fn where_the_duty_applies_it_is_met_exactly_by_three_or_more_kpis(
        pence in 500_000_001i64..i64::MAX, kpis in 0usize..10,
    ) {
        let duty = kpi_duty(Regime::Pa2023, Money::pence(pence), None, None, kpis, &KpiDutyRules::shipped());
        prop_assert!(duty.applies);
        prop_assert_eq!(duty.satisfied, kpis >= 3);
        prop_assert_eq!(duty.warning.is_some(), kpis < 3);
    }
}
