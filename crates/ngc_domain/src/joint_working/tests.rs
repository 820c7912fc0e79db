use super::*;
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn term(reference: &str, value: i64, ends: Option<&str>, latest: Option<&str>) -> Term {
    Term {
        contract_id: 1,
        reference: reference.into(),
        title: reference.into(),
        holder: "holder".into(),
        supplier: "supplier".into(),
        buyers: vec!["holder".into()],
        value: Money::pounds(value),
        annual_value: Money::pounds(value),
        starts_on: d("2015-04-01"),
        ends_on: ends.map(d),
        latest_end_on: latest.map(d),
        extension_options: String::new(),
    }
}

fn party(slug: &str, value: Option<&str>) -> Party {
    Party {
        council: Slug::parse(slug).unwrap(),
        name: slug.to_owned(),
        value: value.map(|v| v.parse().unwrap()),
    }
}

fn year() -> FinancialYear {
    "2016-17".parse().unwrap()
}

#[rstest]
#[case::collection("90511000", OrgKind::District, true)]
#[case::collection_check_digit("90511000-2", OrgKind::Borough, true)]
#[case::county_does_not_collect("90511000", OrgKind::County, false)]
#[case::county_disposes("90513000-6", OrgKind::County, true)]
#[case::district_does_not_dispose("90513000", OrgKind::District, false)]
#[case::unitary_does_both("90511000", OrgKind::Unitary, true)]
#[case::other_categories_every_council("85311000", OrgKind::County, true)]
#[case::never_a_provider("85311000", OrgKind::Provider, false)]
fn the_councils_that_hold_a_function(
    #[case] category: &str,
    #[case] kind: OrgKind,
    #[case] holds_it: bool,
) {
    assert_eq!(holds(category, kind), holds_it);
}

#[rstest]
#[case("90511000-2", "90511000", true)]
#[case("90511000", "90511000-2", true)]
#[case("90512000", "90511000", false)]
#[case("90511000", "9051", true)]
#[case("90513000", "9051", true)]
#[case("85311000", "", false)]
fn a_contract_is_in_a_category_by_its_code(
    #[case] contract: &str,
    #[case] category: &str,
    #[case] inside: bool,
) {
    assert_eq!(in_category(contract, category), inside);
}

#[test]
fn an_annual_value_is_the_stated_one_or_the_value_spread_over_the_days() {
    let six_years = annual_value(
        Money::pounds(31_500_000),
        None,
        d("2016-04-01"),
        Some(d("2022-03-31")),
    );
    // 2,191 days: £31.5m × 365 ÷ 2,191.
    assert_eq!(six_years, Money::pence(524_760_383));
    let stated = annual_value(
        Money::pounds(10),
        Some(Money::pounds(3)),
        d("2016-04-01"),
        None,
    );
    assert_eq!(stated, Money::pounds(3));
    assert_eq!(
        annual_value(Money::pounds(10), None, d("2016-04-01"), None),
        Money::pounds(10)
    );
}

#[test]
fn contracts_whose_options_overlap_have_a_common_window() {
    let terms = [
        term("a", 1, Some("2017-03-31"), Some("2019-03-31")),
        term("b", 1, Some("2018-03-31"), Some("2018-09-30")),
    ];
    let w = window(&terms).unwrap();
    assert_eq!(w.first_end, d("2017-03-31"));
    assert_eq!(w.last_end, d("2018-03-31"));
    assert_eq!(
        w.common,
        Some(Period {
            from: d("2018-03-31"),
            to: d("2018-09-30")
        })
    );
    let starts = start_options(&terms, &w);
    assert_eq!(starts[0].basis, StartBasis::Aligned);
    assert_eq!(starts[0].starts_on, d("2018-04-01"));
    assert_eq!(starts[0].changes, 0);
    assert_eq!(
        starts[0].steps,
        vec![
            Step::ExtendByOption {
                to: d("2018-03-31"),
                days: 365
            },
            Step::Ends {
                on: d("2018-03-31")
            },
        ]
    );
    // The aligned day is the last end's next day: given once.
    assert_eq!(starts.len(), 2);
    assert_eq!(starts[1].basis, StartBasis::EarliestEnd);
    assert_eq!(
        starts[1].steps[1],
        Step::EndEarly {
            on: d("2017-03-31"),
            days: 365
        }
    );
}

#[test]
fn without_a_common_window_the_others_end_early_or_are_extended() {
    let terms = [
        term("a", 1, Some("2016-08-31"), None),
        term("b", 1, Some("2017-11-30"), None),
        term("c", 1, None, None),
    ];
    let w = window(&terms).unwrap();
    assert_eq!(w.common, None);
    let starts = start_options(&terms, &w);
    assert_eq!(
        starts.iter().map(|s| s.basis).collect::<Vec<_>>(),
        vec![StartBasis::EarliestEnd, StartBasis::LastEnd]
    );
    assert_eq!(starts[1].starts_on, d("2017-12-01"));
    assert_eq!(
        starts[1].steps,
        vec![
            Step::ExtendBeyondOptions {
                to: d("2017-11-30"),
                days: 456
            },
            Step::Ends {
                on: d("2017-11-30")
            },
            Step::EndByNotice {
                on: d("2017-11-30")
            },
        ]
    );
    assert_eq!(starts[1].changes, 2);
    assert_eq!(window(&[term("c", 1, None, None)]), None);
}

#[test]
fn the_rate_of_past_tenders_is_what_they_saved_of_their_baselines() {
    let past = [
        PastTender {
            baseline: Money::pounds(1_000),
            achieved: Money::pounds(900),
        },
        PastTender {
            baseline: Money::pounds(3_000),
            achieved: Money::pounds(2_850),
        },
    ];
    // (100 + 150) ÷ 4,000 = 6.25%.
    assert_eq!(derived_rate(&past), Some("6.25".parse().unwrap()));
    assert_eq!(derived_rate(&[]), None);
}

#[test]
fn an_analysis_keyed_by_tax_base_shares_cost_and_saving_between_the_districts() {
    let input = Input {
        category: "90511000".into(),
        key: Key::TaxBase,
        year: year(),
        terms: vec![
            term("a", 3_000_000, Some("2017-03-31"), None),
            term("b", 1_000_000, Some("2017-09-30"), None),
        ],
        parties: vec![
            party("corby", Some("17892")),
            party("kettering", Some("30450")),
        ],
        rate: RateChoice::Set("10".parse().unwrap()),
        past: vec![],
    };
    let a = analyse(input).unwrap();
    assert_eq!(a.aggregate_value, Money::pounds(4_000_000));
    assert_eq!(a.saving.unwrap().annual, Money::pounds(400_000));
    assert_eq!(a.function.unwrap().function, "Waste collection");
    let shares: Vec<(String, String, i64, i64)> = a
        .shares
        .iter()
        .map(|s| {
            (
                s.council.clone(),
                s.percent.to_string(),
                s.annual_cost.as_pence(),
                s.saving.as_pence(),
            )
        })
        .collect();
    // 17,892 ÷ 48,342 = 37.0112945…%: the larger remainder takes the millionth.
    assert_eq!(
        shares,
        vec![
            ("corby".into(), "37.011295".into(), 148_045_178, 14_804_518),
            (
                "kettering".into(),
                "62.988705".into(),
                251_954_822,
                25_195_482
            ),
        ]
    );
}

#[test]
fn a_council_without_a_key_value_is_named() {
    let err = cost_shares(
        Key::Households,
        year(),
        &[party("corby", Some("1")), party("daventry", None)],
        Money::pounds(1),
        Money::ZERO,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "key: daventry has no Households for 2016-17: enter it or import the returns"
    );
    let equal = cost_shares(
        Key::Equal,
        year(),
        &[party("corby", None), party("daventry", None)],
        Money::pence(3),
        Money::ZERO,
    )
    .unwrap();
    assert_eq!(
        equal
            .iter()
            .map(|s| s.annual_cost.as_pence())
            .collect::<Vec<_>>(),
        // 1.5p each: the odd penny goes to the first slug alphabetically.
        vec![2, 1]
    );
}

#[rstest]
#[case("-1")]
#[case("100.01")]
#[case("2.125")]
fn a_rate_outside_the_range_is_refused(#[case] rate: &str) {
    let input = Input {
        category: "90511000".into(),
        key: Key::Equal,
        year: year(),
        terms: vec![],
        parties: vec![party("corby", None)],
        rate: RateChoice::Set(rate.parse().unwrap()),
        past: vec![],
    };
    assert!(
        analyse(input)
            .unwrap_err()
            .to_string()
            .starts_with("rate: ")
    );
}

proptest! {
    #[test]
    fn cost_shares_always_sum_to_the_aggregate_to_the_penny(
        values in vec((1u64..10_000_000, 0u32..3), 1..10),
        total in 0i64..100_000_000_000,
        rate in 0u32..=10_000,
    ) {
        let parties: Vec<Party> = values
            .iter()
            .enumerate()
            .map(|(i, (v, places))| Party {
                council: Slug::parse(&format!("council-{i}")).unwrap(),
                name: format!("Council {i}"),
                value: Some(Decimal::new(*v as i64, *places)),
            })
            .collect();
        let saving = Money::pence(total)
            .mul_decimal(Decimal::new(i64::from(rate), 4), Rounding::HalfAwayFromZero)
            .unwrap();
        let shares = cost_shares(Key::Population, year(), &parties, Money::pence(total), saving).unwrap();
        prop_assert_eq!(shares.iter().map(|s| s.annual_cost).sum::<Money>(), Money::pence(total));
        prop_assert_eq!(shares.iter().map(|s| s.saving).sum::<Money>(), saving);
        prop_assert_eq!(shares.iter().map(|s| s.percent).sum::<Decimal>(), Decimal::ONE_HUNDRED);
        let made = crate::shares::CostShares::new(
            shares
                .iter()
                .map(|s| crate::shares::CostShare {
                    buyer: Slug::parse(&s.council).unwrap(),
                    percent: s.percent,
                })
                .collect(),
        );
        prop_assert!(made.is_ok());
    }

    #[test]
    fn every_start_option_ends_each_contract_the_day_before(
        ends in vec((0i64..2_000, 0i64..800, proptest::bool::ANY), 1..8),
    ) {
        let base = d("2016-04-01");
        let terms: Vec<Term> = ends
            .iter()
            .map(|(e, ext, open)| {
                let end = base + chrono::Days::new(*e as u64);
                let mut t = term("t", 1, None, None);
                if !open {
                    t.ends_on = Some(end);
                    t.latest_end_on = Some(end + chrono::Days::new(*ext as u64));
                }
                t
            })
            .collect();
        let Some(w) = window(&terms) else {
            prop_assert!(terms.iter().all(|t| t.ends_on.is_none()));
            return Ok(());
        };
        prop_assert!(w.first_end <= w.last_end);
        // A common window exists exactly when every contract can reach the last end.
        let reachable = terms.iter().filter_map(|t| t.latest_end_on).all(|l| l >= w.last_end);
        prop_assert_eq!(w.common.is_some(), reachable);
        for option in start_options(&terms, &w) {
            let last_day = option.starts_on.pred_opt().unwrap();
            for (t, step) in terms.iter().zip(&option.steps) {
                let on = match *step {
                    Step::Ends { on } | Step::EndEarly { on, .. } | Step::EndByNotice { on } => on,
                    Step::ExtendByOption { to, .. } | Step::ExtendBeyondOptions { to, .. } => to,
                };
                prop_assert_eq!(on, last_day);
                if let (Some(end), Some(latest)) = (t.ends_on, t.latest_end_on) {
                    prop_assert_eq!(step.within_terms(), end <= last_day && last_day <= latest);
                }
            }
            if option.basis == StartBasis::Aligned {
                prop_assert_eq!(option.changes, terms.iter().filter(|t| t.ends_on.is_none()).count());
            }
        }
    }
}
