use super::*;
use ModificationGround as G;
use chrono::Days;
use proptest::prelude::*;
use rstest::rstest;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

/// A £1m contract (£10m for works, to be above the works threshold): under PCR 2015 from 1 April 2016 to 31 March 2019 (values excluding VAT, as
/// the thresholds then were), or under PA2023 from 1 April 2025 for exactly 1,000 days (values
/// including VAT, as the thresholds now are).
fn contract(regime: Regime, contract_type: ContractType) -> ContractTerms {
    let (start, end, vat_basis) = match regime {
        Regime::Pcr2015 => (d("2016-04-01"), d("2019-03-31"), VatBasis::ExcludingVat),
        Regime::Pa2023 => (
            d("2025-04-01"),
            d("2025-04-01") + Days::new(999),
            VatBasis::IncludingVat,
        ),
    };
    ContractTerms {
        regime,
        contract_type,
        original_value: money(if contract_type == ContractType::Works {
            "10000000"
        } else {
            "1000000"
        }),
        vat_basis,
        original_start: start,
        original_end: Some(end),
        current_end: Some(end),
        terminated_on: None,
        prior_changes: vec![],
    }
}

/// A day during either contract.
fn today(regime: Regime) -> NaiveDate {
    match regime {
        Regime::Pcr2015 => d("2017-06-01"),
        Regime::Pa2023 => d("2026-01-15"),
    }
}

fn change(ground: ModificationGround, value_change: &str) -> Modification {
    Modification {
        ground,
        value_change: money(value_change),
        new_end: None,
        reverses_termination: false,
    }
}

fn run(terms: &ContractTerms, m: &Modification) -> Result<ChangeAssessment, ChangeRefusal> {
    assess(terms, m, today(terms.regime), &ModificationRules::shipped())
}

fn prior(ground: ModificationGround, value_change: &str) -> PriorChange {
    PriorChange {
        ground,
        value_change: money(value_change),
    }
}

/// The provision and reason of a refusal that must be `NotPermitted`.
fn not_permitted(r: Result<ChangeAssessment, ChangeRefusal>) -> (String, String) {
    match r {
        Err(ChangeRefusal::NotPermitted {
            provision, reason, ..
        }) => (provision, reason),
        other => panic!("expected a refusal on the ground, got {other:?}"),
    }
}

#[test]
fn a_modification_over_half_the_original_value_is_refused_under_pcr_reg_72_naming_the_figure() {
    let terms = contract(Regime::Pcr2015, ContractType::Services);
    let err = run(&terms, &change(G::PcrAdditional, "625000")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "PCR 2015 reg 72(1)(b) and (2)(a): an additional-services modification may not exceed 50% of the original value (this one is 62.5%: £625,000.00 of £1,000,000.00)"
    );
}

#[rstest]
#[case::pcr_additional(Regime::Pcr2015, G::PcrAdditional, "PCR 2015 reg 72(1)(b)")]
#[case::pcr_unforeseeable(Regime::Pcr2015, G::PcrUnforeseeable, "PCR 2015 reg 72(1)(c)(iii)")]
#[case::pa_additional(Regime::Pa2023, G::PaAdditional, "PA2023 Sch 8 para 7")]
#[case::pa_unforeseeable(Regime::Pa2023, G::PaUnforeseeable, "PA2023 Sch 8 para 4(1)(c)")]
#[case::pa_known_risk(Regime::Pa2023, G::PaKnownRisk, "PA2023 Sch 8 para 5")]
fn exactly_half_the_value_is_permitted_and_a_penny_more_is_refused(
    #[case] regime: Regime,
    #[case] ground: ModificationGround,
    #[case] provision: &str,
) {
    let terms = contract(regime, ContractType::Services);
    let ok = run(&terms, &change(ground, "500000")).unwrap();
    assert_eq!(ok.value_change_percent, Decimal::from(50));
    assert_eq!(ok.cumulative_value, money("1500000"));
    let (refused_under, reason) = not_permitted(run(&terms, &change(ground, "500000.01")));
    assert!(refused_under.starts_with(provision), "{refused_under}");
    assert!(reason.contains("may not exceed 50%"), "{reason}");
    assert!(reason.contains("£500,000.01"), "{reason}");
}

#[test]
fn the_pcr_cap_applies_to_each_modification_not_to_their_sum() {
    let mut terms = contract(Regime::Pcr2015, ContractType::Works);
    terms.prior_changes = vec![prior(G::PcrUnforeseeable, "4000000")];
    let a = run(&terms, &change(G::PcrUnforeseeable, "4000000")).unwrap();
    assert_eq!(a.value_change_percent, Decimal::from(40));
    assert_eq!(a.cumulative_value, money("18000000"));
    assert_eq!(a.cumulative_change_percent, Decimal::from(80));
}

#[test]
fn under_pa2023_the_cap_is_measured_against_the_estimated_value_after_earlier_changes() {
    let mut terms = contract(Regime::Pa2023, ContractType::Supplies);
    terms.prior_changes = vec![prior(G::PaProvidedFor, "200000")];
    let a = run(&terms, &change(G::PaUnforeseeable, "600000")).unwrap();
    assert_eq!(a.base_value, money("1200000"));
    assert_eq!(a.value_change_percent, Decimal::from(50));
    let (_, reason) = not_permitted(run(&terms, &change(G::PaUnforeseeable, "600000.01")));
    assert!(reason.contains("of the estimated value"), "{reason}");
}

#[rstest]
#[case::services_just_below_ten_percent(ContractType::Services, "60000", "39999.99", true)]
#[case::services_at_ten_percent_cumulatively(ContractType::Services, "60000", "40000", false)]
#[case::works_just_below_fifteen_percent(ContractType::Works, "1000000", "499999.99", true)]
#[case::works_at_fifteen_percent_cumulatively(ContractType::Works, "1000000", "500000", false)]
#[case::a_reduction_nets_off(ContractType::Services, "90000", "-50000", true)]
fn pcr_de_minimis_modifications_are_added_up_net_and_must_stay_below_the_percentage(
    #[case] contract_type: ContractType,
    #[case] earlier: &str,
    #[case] this: &str,
    #[case] permitted: bool,
) {
    let mut terms = contract(Regime::Pcr2015, contract_type);
    terms.prior_changes = vec![
        prior(G::PcrDeMinimis, earlier),
        prior(G::PcrAdditional, "300000"),
    ];
    let got = run(&terms, &change(G::PcrDeMinimis, this));
    if permitted {
        let a = got.unwrap();
        assert_eq!(a.notice, None, "{}", a.notice_reason);
        assert!(!a.confirmed, "the de minimis rows are unconfirmed");
    } else {
        let (provision, reason) = not_permitted(got);
        assert_eq!(provision, "PCR 2015 reg 72(5)(b) and (6)");
        assert!(
            reason.starts_with("de minimis modifications, net cumulatively, must stay below"),
            "{reason}"
        );
    }
}

#[test]
fn pcr_de_minimis_modifications_must_also_stay_below_the_threshold() {
    let mut terms = contract(Regime::Pcr2015, ContractType::Services);
    terms.original_value = money("5000000");
    // 3.3% of the value, but over the £164,176 services threshold of 2016-17.
    let (provision, reason) = not_permitted(run(&terms, &change(G::PcrDeMinimis, "165000")));
    assert_eq!(provision, "PCR 2015 reg 72(5)(a) and (6)");
    assert!(reason.contains("£164,176.00"), "{reason}");
    assert!(run(&terms, &change(G::PcrDeMinimis, "164000")).is_ok());
}

#[rstest]
#[case::services_at_ten_percent(ContractType::Services, "1000000", "100000", true)]
#[case::services_a_penny_over(ContractType::Services, "1000000", "100000.01", false)]
#[case::services_reduction_over(ContractType::Services, "1000000", "-100000.01", false)]
#[case::works_at_fifteen_percent(ContractType::Works, "10000000", "1500000", true)]
#[case::works_a_penny_over(ContractType::Works, "10000000", "1500000.01", false)]
fn a_pa2023_below_threshold_modification_is_at_most_ten_or_fifteen_percent_itself(
    #[case] contract_type: ContractType,
    #[case] value: &str,
    #[case] this: &str,
    #[case] permitted: bool,
) {
    let mut terms = contract(Regime::Pa2023, contract_type);
    terms.original_value = money(value);
    let got = run(&terms, &change(G::PaBelowThreshold, this));
    if permitted {
        got.unwrap();
    } else {
        let (provision, reason) = not_permitted(got);
        assert!(provision.starts_with("PA2023 s74(4)(a)"), "{provision}");
        assert!(
            reason.starts_with("a below-threshold modification may not exceed"),
            "{reason}"
        );
    }
}

#[test]
fn pa2023_below_threshold_modifications_must_stay_below_the_threshold_in_aggregate() {
    let mut terms = contract(Regime::Pa2023, ContractType::Services);
    terms.original_value = money("3000000");
    terms.prior_changes = vec![prior(G::PaBelowThreshold, "150000")];
    // £57,720 more brings the aggregate to the £207,720 threshold of 2026: not below it.
    let (provision, _) = not_permitted(run(&terms, &change(G::PaBelowThreshold, "57720")));
    assert_eq!(provision, "PA2023 s74(4)(b) and (6)");
    assert!(run(&terms, &change(G::PaBelowThreshold, "57719.99")).is_ok());
}

#[rstest]
#[case::exactly_ten_percent(100, true)]
#[case::a_day_over(101, false)]
#[case::shortened_by_ten_percent(-100, true)]
#[case::shortened_by_more(-101, false)]
fn a_pa2023_modification_changing_the_term_by_more_than_ten_percent_is_substantial(
    #[case] days: i64,
    #[case] permitted: bool,
) {
    let terms = contract(Regime::Pa2023, ContractType::Services);
    let end = terms.current_end.unwrap();
    let new_end = if days >= 0 {
        end + Days::new(days as u64)
    } else {
        end - Days::new(days.unsigned_abs())
    };
    let m = Modification {
        new_end: Some(new_end),
        ..change(G::PaNotSubstantial, "0")
    };
    let got = run(&terms, &m);
    if permitted {
        let a = got.unwrap();
        assert_eq!(a.term_change_days, Some(days));
        assert_eq!(a.term_change_percent, Some(Decimal::from(days / 10)));
    } else {
        let (provision, reason) = not_permitted(got);
        assert_eq!(provision, "PA2023 s74(3)(a)");
        assert!(
            reason.ends_with(&format!(
                "(this one is {}%: {days} days of 1000)",
                Decimal::new(days, 1)
            )),
            "{reason}"
        );
    }
}

#[rstest]
#[case::services_ten_percent_and_ten_percent_of_term(
    ContractType::Services,
    "1000000",
    "100000",
    100,
    None
)]
#[case::services_value_a_penny_over(
    ContractType::Services,
    "1000000",
    "100000.01",
    0,
    Some(ChangeNotice::ContractChangeNotice)
)]
#[case::services_reduction_over(
    ContractType::Services,
    "1000000",
    "-100000.01",
    0,
    Some(ChangeNotice::ContractChangeNotice)
)]
#[case::services_term_a_day_over(
    ContractType::Services,
    "1000000",
    "0",
    101,
    Some(ChangeNotice::ContractChangeNotice)
)]
#[case::supplies_ten_percent(ContractType::Supplies, "1000000", "100000", 0, None)]
#[case::works_fifteen_percent(ContractType::Works, "10000000", "1500000", 100, None)]
#[case::works_a_penny_over(
    ContractType::Works,
    "10000000",
    "1500000.01",
    0,
    Some(ChangeNotice::ContractChangeNotice)
)]
#[case::works_term_a_day_over(
    ContractType::Works,
    "10000000",
    "0",
    101,
    Some(ChangeNotice::ContractChangeNotice)
)]
fn pa2023_s75_needs_a_contract_change_notice_unless_value_and_term_are_both_small(
    #[case] contract_type: ContractType,
    #[case] value: &str,
    #[case] this: &str,
    #[case] extend_days: u64,
    #[case] notice: Option<ChangeNotice>,
) {
    let mut terms = contract(Regime::Pa2023, contract_type);
    terms.original_value = money(value);
    let m = Modification {
        new_end: Some(terms.current_end.unwrap() + Days::new(extend_days)),
        ..change(G::PaProvidedFor, this)
    };
    let a = run(&terms, &m).unwrap();
    assert_eq!(a.notice, notice, "{}", a.notice_reason);
    assert!(
        a.notice_reason.starts_with("PA2023 s75"),
        "{}",
        a.notice_reason
    );
}

#[test]
fn a_pa2023_light_touch_contract_may_be_modified_freely_and_needs_no_notice() {
    let terms = contract(Regime::Pa2023, ContractType::LightTouch);
    let a = run(&terms, &change(G::PaUnforeseeable, "700000")).unwrap();
    assert_eq!(a.notice, None);
    assert!(a.notice_reason.starts_with("PA2023 s75(6)(b)"));
    assert!(a.reasons[0].starts_with("PA2023 s74(2)"));
    let services = contract(Regime::Pa2023, ContractType::Services);
    let (provision, _) = not_permitted(run(&services, &change(G::PaUnforeseeable, "700000")));
    assert_eq!(provision, "PA2023 Sch 8 para 4(1)(c)");
    let (provision, _) = not_permitted(run(&services, &change(G::PaLightTouch, "1")));
    assert_eq!(provision, "PA2023 s74(2)");
}

#[rstest]
#[case::additional(G::PcrAdditional, Some(ChangeNotice::ModificationNotice))]
#[case::unforeseeable(G::PcrUnforeseeable, Some(ChangeNotice::ModificationNotice))]
#[case::review_clause(G::PcrReviewClause, None)]
#[case::new_contractor(G::PcrNewContractor, None)]
#[case::not_substantial(G::PcrNotSubstantial, None)]
#[case::de_minimis(G::PcrDeMinimis, None)]
fn pcr_asks_a_modification_notice_only_after_reg_72_1_b_or_c(
    #[case] ground: ModificationGround,
    #[case] notice: Option<ChangeNotice>,
) {
    for ct in [ContractType::Services, ContractType::Works] {
        let a = run(&contract(Regime::Pcr2015, ct), &change(ground, "50000")).unwrap();
        assert_eq!(a.notice, notice, "{ct}: {}", a.notice_reason);
        assert!(a.notice_reason.starts_with("PCR 2015 reg 72(3)"));
    }
}

#[test]
fn a_novation_on_corporate_restructuring_always_needs_a_contract_change_notice() {
    let terms = contract(Regime::Pa2023, ContractType::Services);
    let a = run(&terms, &change(G::PaCorporateRestructuring, "0")).unwrap();
    assert_eq!(a.notice, Some(ChangeNotice::ContractChangeNotice));
    assert!(a.notice_reason.contains("Sch 8 para 9"));
}

#[test]
fn a_reduction_in_value_is_within_the_caps_on_increases_and_lowers_the_cumulative_value() {
    let terms = contract(Regime::Pcr2015, ContractType::Services);
    let a = run(&terms, &change(G::PcrAdditional, "-600000")).unwrap();
    assert_eq!(a.value_change_percent, Decimal::from(-60));
    assert_eq!(a.cumulative_value, money("400000"));
    assert_eq!(a.cumulative_change_percent, Decimal::from(-60));
    let too_far = run(&terms, &change(G::PcrAdditional, "-1000000.01"));
    assert_eq!(
        too_far,
        Err(ChangeRefusal::NegativeValue {
            value: money("-0.01")
        })
    );
}

/// The PA2023 contract (1,000 days to 2027-12-26) terminated with effect from `on`.
fn terminated(on: &str) -> ContractTerms {
    ContractTerms {
        terminated_on: Some(d(on)),
        ..contract(Regime::Pa2023, ContractType::Services)
    }
}

fn reversal(ground: ModificationGround) -> Modification {
    Modification {
        reverses_termination: true,
        ..change(ground, "0")
    }
}

#[test]
fn reversing_a_termination_extends_the_term_from_the_termination_date() {
    // Terminated from 2027-09-18: restoring the end of 2027-12-26 gives back 100 days.
    let terms = terminated("2027-09-18");
    let today = d("2027-10-01");
    let rules = ModificationRules::shipped();
    let a = assess(&terms, &reversal(G::PaNotSubstantial), today, &rules).unwrap();
    assert_eq!(a.term_change_days, Some(100));
    assert_eq!(a.new_end, terms.current_end);
    assert_eq!(a.notice, None, "{}", a.notice_reason);
    assert!(a.reasons[0].contains("reverses the termination on 2027-09-18"));
    // A day earlier, the reversal gives back 101 days: substantial, and a notice is needed.
    let terms = terminated("2027-09-17");
    let (provision, _) = not_permitted(assess(
        &terms,
        &reversal(G::PaNotSubstantial),
        today,
        &rules,
    ));
    assert_eq!(provision, "PA2023 s74(3)(a)");
    let a = assess(&terms, &reversal(G::PaProvidedFor), today, &rules).unwrap();
    assert_eq!(a.notice, Some(ChangeNotice::ContractChangeNotice));
}

#[test]
fn a_terminated_contract_can_be_varied_only_to_reverse_the_termination() {
    let terms = terminated("2026-01-01");
    assert_eq!(
        run(&terms, &change(G::PaProvidedFor, "1000")),
        Err(ChangeRefusal::Terminated {
            on: d("2026-01-01"),
            today: d("2026-01-15")
        })
    );
    let live = contract(Regime::Pa2023, ContractType::Services);
    assert_eq!(
        run(&live, &reversal(G::PaProvidedFor)),
        Err(ChangeRefusal::NotTerminated)
    );
}

#[test]
fn a_variation_on_an_expired_contract_is_refused_naming_its_end() {
    let terms = contract(Regime::Pcr2015, ContractType::Services);
    let err = assess(
        &terms,
        &change(G::PcrNotSubstantial, "0"),
        d("2019-04-01"),
        &ModificationRules::shipped(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ChangeRefusal::Expired {
            end: d("2019-03-31"),
            today: d("2019-04-01")
        }
    );
    assert!(
        err.to_string()
            .starts_with("the contract ended on 2019-03-31")
    );
    // On its last day it can still be varied.
    assert!(
        assess(
            &terms,
            &change(G::PcrNotSubstantial, "0"),
            d("2019-03-31"),
            &ModificationRules::shipped()
        )
        .is_ok()
    );
}

#[test]
fn a_ground_of_the_other_regime_is_refused() {
    let terms = contract(Regime::Pcr2015, ContractType::Services);
    let err = run(&terms, &change(G::PaUnforeseeable, "1")).unwrap_err();
    assert!(matches!(err, ChangeRefusal::GroundOfAnotherRegime { .. }));
    assert!(err.to_string().contains("Procurement Act 2023"), "{err}");
}

#[test]
fn a_contract_below_the_threshold_is_outside_the_rules_until_a_change_converts_it() {
    let mut small = contract(Regime::Pcr2015, ContractType::Services);
    small.original_value = money("100000");
    let a = run(&small, &change(G::PcrAdditional, "60000")).unwrap();
    assert!(!a.subject_to_rules);
    assert_eq!(a.notice, None);
    let mut small = contract(Regime::Pa2023, ContractType::Services);
    small.original_value = money("100000");
    let a = run(&small, &change(G::PaAdditional, "100000")).unwrap();
    assert!(!a.subject_to_rules, "£200,000 stays below £207,720");
    // £110,000 more converts it into a public contract: now the 50% cap applies.
    let (provision, _) = not_permitted(run(&small, &change(G::PaAdditional, "110000")));
    assert_eq!(provision, "PA2023 Sch 8 para 7");
}

#[test]
fn an_answer_relying_on_an_unconfirmed_figure_says_so() {
    let terms = contract(Regime::Pa2023, ContractType::Services);
    let confirmed = run(&terms, &change(G::PaUnforeseeable, "1000")).unwrap();
    assert!(confirmed.confirmed);
    let unconfirmed = run(&terms, &change(G::PaAdditional, "1000")).unwrap();
    assert!(!unconfirmed.confirmed);
    assert!(
        unconfirmed
            .reasons
            .iter()
            .any(|r| r.contains("not confirmed"))
    );
}

#[test]
fn a_new_end_before_today_or_past_a_pending_termination_is_refused() {
    let terms = contract(Regime::Pa2023, ContractType::Services);
    let m = Modification {
        new_end: Some(d("2026-01-14")),
        ..change(G::PaProvidedFor, "0")
    };
    assert!(matches!(
        run(&terms, &m),
        Err(ChangeRefusal::InvalidNewEnd { .. })
    ));
    let pending = terminated("2026-06-30");
    let m = Modification {
        new_end: Some(d("2026-07-31")),
        ..change(G::PaProvidedFor, "0")
    };
    assert!(matches!(
        run(&pending, &m),
        Err(ChangeRefusal::TerminationPending { .. })
    ));
}

proptest! {
    #[test]
    fn the_pcr_cap_permits_exactly_the_increases_of_at_most_half_the_original_value(
        original in 20_000_000i64..10_000_000_000,
        change_pence in -12_000_000_000i64..20_000_000_000,
    ) {
        let mut terms = contract(Regime::Pcr2015, ContractType::Services);
        terms.original_value = Money::pence(original);
        let m = Modification { value_change: Money::pence(change_pence), ..change(G::PcrAdditional, "0") };
        let got = run(&terms, &m);
        if original + change_pence < 0 {
            prop_assert!(
                matches!(got, Err(ChangeRefusal::NegativeValue { .. })),
                "{:?}",
                got
            );
        } else {
            prop_assert_eq!(got.is_ok(), change_pence <= 0 || 2 * change_pence <= original);
        }
    }

    #[test]
    fn under_pa2023_a_notice_is_needed_exactly_when_the_value_moves_more_than_ten_percent(
        earlier in proptest::collection::vec(-20_000_000i64..50_000_000, 0..4),
        change_pence in -20_000_000i64..20_000_000,
    ) {
        let mut terms = contract(Regime::Pa2023, ContractType::Services);
        terms.prior_changes = earlier.iter().map(|p| PriorChange {
            ground: G::PaProvidedFor,
            value_change: Money::pence(*p),
        }).collect();
        let before = 100_000_000 + earlier.iter().sum::<i64>();
        let m = Modification { value_change: Money::pence(change_pence), ..change(G::PaProvidedFor, "0") };
        let a = run(&terms, &m).unwrap();
        prop_assert_eq!(a.cumulative_value, Money::pence(before + change_pence));
        prop_assert_eq!(a.notice.is_none(), change_pence.abs() * 10 <= before);
    }
}
