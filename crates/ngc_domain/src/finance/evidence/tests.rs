use super::*;
use crate::finance::savings::{Rag, SavingCategory};
use crate::finance::service::ServiceLine;

fn y(s: &str) -> FinancialYear {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn contract_link(saving: &str, baseline: i64, price: i64, start: &str, end: &str) -> Link {
    Link {
        id: 1,
        saving: saving.into(),
        kind: LinkKind::Contract,
        target: 7,
        title: "Waste disposal".into(),
        amount: None,
        baseline: Some(Money::pounds(baseline)),
        facts: Facts::Contract {
            annual_price: Money::pounds(price),
            start: d(start),
            end: Some(d(end)),
        },
    }
}

fn saving(reference: &str, amounts: &[(&str, i64)]) -> Saving {
    Saving {
        reference: reference.into(),
        title: "Waste".into(),
        service: ServiceLine::EnvironmentalAndRegulatory,
        category: SavingCategory::Efficiency,
        amounts: amounts
            .iter()
            .map(|(yr, p)| (y(yr), Money::pounds(*p)))
            .collect(),
        owner: "Director".into(),
        rag: Rag::Amber,
        delivered_to_date: Money::ZERO,
        evidence: None,
    }
}

fn update(reference: &str, year: &str, month: u8, pounds: i64) -> DeliveryUpdate {
    DeliveryUpdate {
        reference: reference.into(),
        year: y(year),
        month,
        delivered: Money::pounds(pounds),
        rag: Rag::Green,
        note: String::new(),
    }
}

#[test]
fn a_contract_ahead_of_the_plans_phasing_covers_the_later_years() {
    // ENV-01 plans £3.5m, £2m, £1.5m; the contract saves £7m a year from 1 July 2015
    // (274 of 366 days of 2015-16): the level covers each year's planned saving in turn.
    let s = saving(
        "ENV-01",
        &[
            ("2015-16", 3_500_000),
            ("2016-17", 2_000_000),
            ("2017-18", 1_500_000),
        ],
    );
    let link = contract_link("ENV-01", 11_780_000, 4_780_000, "2015-07-01", "2025-06-30");
    let years = y("2015-16").span(5);
    let e = Evidenced::from_links(&[link], &[s], &years);
    assert_eq!(
        e.get("ENV-01", y("2015-16")),
        Some(Money::pounds(3_500_000))
    );
    assert_eq!(
        e.get("ENV-01", y("2016-17")),
        Some(Money::pounds(2_000_000))
    );
    assert_eq!(
        e.get("ENV-01", y("2017-18")),
        Some(Money::pounds(1_500_000))
    );
    assert_eq!(
        e.get("ENV-01", y("2018-19")),
        Some(Money::ZERO),
        "nothing more planned"
    );
}

#[test]
fn a_contract_short_of_the_plan_leaves_the_shortfall_in_the_year_it_runs_out() {
    // £6m a year from April 2016 against £4m + £3m planned: £4m, then £2m of £3m.
    let s = saving("S", &[("2016-17", 4_000_000), ("2017-18", 3_000_000)]);
    let link = contract_link("S", 10_000_000, 4_000_000, "2016-04-01", "2030-03-31");
    let e = Evidenced::from_links(&[link], &[s], &y("2015-16").span(3));
    assert_eq!(
        e.get("S", y("2015-16")),
        None,
        "the contract had not started"
    );
    assert_eq!(e.get("S", y("2016-17")), Some(Money::pounds(4_000_000)));
    assert_eq!(e.get("S", y("2017-18")), Some(Money::pounds(2_000_000)));
}

#[test]
fn a_contract_starting_mid_year_evidences_only_the_part_year() {
    // From 1 October 2016: 182 of 365 days of 2016-17 at £365,000 a year.
    let s = saving("S", &[("2016-17", 365_000)]);
    let link = contract_link("S", 1_365_000, 1_000_000, "2016-10-01", "2030-03-31");
    let e = Evidenced::from_links(&[link], &[s], &y("2016-17").span(2));
    assert_eq!(e.get("S", y("2016-17")), Some(Money::pounds(182_000)));
    assert_eq!(
        e.get("S", y("2017-18")),
        Some(Money::ZERO),
        "nothing planned then"
    );
}

#[test]
fn a_split_amount_is_what_the_saving_claims_of_the_evidence() {
    let mut a = contract_link("A", 10_000, 6_000, "2016-04-01", "2020-03-31");
    a.amount = Some(Money::pounds(1_000));
    let e = Evidenced::from_links(&[a], &[saving("A", &[("2016-17", 5_000)])], &[y("2016-17")]);
    assert_eq!(e.get("A", y("2016-17")), Some(Money::pounds(1_000)));
}

#[test]
fn several_savings_on_one_contract_need_splits_within_the_evidence() {
    let a = contract_link("A", 10_000, 6_000, "2016-04-01", "2020-03-31");
    let b = contract_link("B", 10_000, 6_000, "2016-04-01", "2020-03-31");
    assert!(matches!(
        check_splits(&[a.clone(), b.clone()]),
        Err(SplitError::AmountRequired { .. })
    ));
    let a = Link {
        amount: Some(Money::pounds(3_000)),
        ..a
    };
    let b = Link {
        amount: Some(Money::pounds(1_000)),
        ..b
    };
    assert_eq!(check_splits(&[a.clone(), b.clone()]), Ok(()));
    let over = Link {
        amount: Some(Money::pounds(1_001)),
        ..b
    };
    let err = check_splits(&[a, over]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "amount: the splits of contract `Waste disposal` add up to £4,001.00, more than its £4,000.00"
    );
}

#[test]
fn the_evidenced_figure_wins_and_the_difference_is_shown() {
    let s = saving("WD-002", &[("2016-17", 7_000_000)]);
    let link = contract_link("WD-002", 30_000_000, 24_000_000, "2016-04-01", "2026-03-31");
    let e = Evidenced::from_links(&[link], std::slice::from_ref(&s), &[y("2016-17")]);
    let updates = [update("WD-002", "2016-17", 6, 3_500_000)];
    let f = figures(&s, y("2016-17"), &updates, &e);
    assert_eq!(f.planned, Money::pounds(7_000_000));
    assert_eq!(f.evidenced, Some(Money::pounds(6_000_000)));
    assert_eq!(f.reported, Some(Money::pounds(3_500_000)));
    assert_eq!(f.delivered, Money::pounds(6_000_000));
    assert_eq!(f.difference, Some(Money::pounds(2_500_000)));
    assert_eq!(f.gap(), Money::pounds(1_000_000));
}

#[test]
fn without_evidence_the_delivery_update_is_the_delivered_figure() {
    let s = saving("F-01", &[("2016-17", 750_000)]);
    let f = figures(
        &s,
        y("2016-17"),
        &[update("F-01", "2016-17", 12, 500_000)],
        &Evidenced::none(),
    );
    assert_eq!(f.evidenced, None);
    assert_eq!(f.delivered, Money::pounds(500_000));
    assert_eq!(f.difference, None);
}

#[test]
fn links_without_a_price_say_why_they_show_no_figure() {
    let tender = Link {
        kind: LinkKind::Tender,
        facts: Facts::Estimate {
            value: Money::pounds(5),
        },
        ..contract_link("S", 1, 1, "2016-04-01", "2017-03-31")
    };
    assert_eq!(tender.full_year_saving(), None);
    assert!(tender.why_no_figure().unwrap().contains("not yet priced"));
    let no_baseline = Link {
        baseline: None,
        ..contract_link("S", 1, 1, "2016-04-01", "2017-03-31")
    };
    assert!(no_baseline.why_no_figure().unwrap().contains("baseline"));
    let s = saving("S", &[("2016-17", 5)]);
    let e = Evidenced::from_links(&[tender, no_baseline], &[s], &[y("2016-17")]);
    assert!(e.is_empty());
}

#[test]
fn an_evidenced_shortfall_rolls_into_the_next_year_once() {
    use crate::finance::savings::rolled_forward;
    let s = saving("WD-002", &[("2016-17", 7_000_000)]);
    // The contract saves £6m against a £7m plan: £1m short in 2016-17, nothing planned after.
    let link = contract_link("WD-002", 30_000_000, 24_000_000, "2016-04-01", "2026-03-31");
    let years = y("2016-17").span(3);
    let e = Evidenced::from_links(&[link], std::slice::from_ref(&s), &years);
    let short = |year| rolled_forward(std::slice::from_ref(&s), y(year), &[], &e);
    assert_eq!(
        short("2016-17").get("WD-002"),
        Some(&Money::pounds(1_000_000))
    );
    assert_eq!(short("2017-18").get("WD-002"), None, "never twice");
}

#[test]
fn a_split_of_a_contract_needs_a_baseline_on_one_of_its_links() {
    let mut a = contract_link("A", 10_000, 6_000, "2016-04-01", "2020-03-31");
    a.baseline = None;
    a.amount = Some(Money::pounds(1_000));
    let err = check_splits(std::slice::from_ref(&a)).unwrap_err();
    assert!(err.to_string().starts_with("baseline: "), "{err}");
    let b = Link {
        saving: "B".into(),
        amount: Some(Money::pounds(2_000)),
        ..contract_link("B", 10_000, 6_000, "2016-04-01", "2020-03-31")
    };
    assert_eq!(
        check_splits(&[a.clone(), b]),
        Ok(()),
        "the baseline on B's link serves both"
    );
    assert_eq!(a.full_year_saving(), Some(Money::pounds(1_000)));
}
