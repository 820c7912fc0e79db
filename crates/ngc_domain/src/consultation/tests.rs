use super::*;
use crate::finance::council_tax::{Band, increased_band_d, requirement};
use crate::finance::fixtures::{d, demo_plan, m, y};
use crate::finance::mtfp::project;
use crate::finance::referendum::Principles;
use crate::finance::service::ServiceLine;
use crate::money::Money;
use proptest::prelude::*;

fn step(pct: &str, breaches_duty: bool) -> ServiceStep {
    ServiceStep {
        pct: d(pct),
        consequence: format!("{pct}% means this"),
        breaches_duty,
    }
}

fn settings() -> Settings {
    Settings {
        year: y("2016-17"),
        services: vec![
            ServiceSetting {
                service: ServiceLine::AdultSocialCare,
                steps: vec![
                    step("-10", true),
                    step("-5", false),
                    step("0", false),
                    step("5", false),
                ],
            },
            ServiceSetting {
                service: ServiceLine::HighwaysAndTransport,
                steps: vec![step("-20", false), step("-10", false), step("0", false)],
            },
        ],
        savings: None,
        income: vec![IncomeSetting {
            key: "parking".into(),
            title: "Parking charges".into(),
            steps: vec![
                IncomeStep {
                    amount: m("0"),
                    consequence: "As now".into(),
                },
                IncomeStep {
                    amount: m("500000"),
                    consequence: "20p an hour more".into(),
                },
            ],
        }],
        reserves: vec![m("0"), m("2000000")],
        council_tax: TaxSetting {
            max_pct: d("4.99"),
            step_pct: d("1"),
            referendum_cost: m("400000"),
        },
        districts: vec![DistrictSetting {
            name: "Corby".into(),
            district_band_d: m("179.50"),
            parish_band_d: m("5.51"),
            police_band_d: m("204.96"),
            source: "CTR 2016-17".into(),
            confirmed: true,
        }],
    }
}

fn def() -> Definition {
    build(&demo_plan(), &settings(), &Principles::shipped()).unwrap()
}

fn keys(def: &Definition) -> Vec<&str> {
    def.questions.iter().map(|q| q.key.as_str()).collect()
}

#[test]
fn the_gap_is_the_plans_gap_for_the_year_and_the_questions_come_in_order() {
    let plan = demo_plan();
    let outcome = project(&plan)
        .into_iter()
        .find(|o| o.year == y("2016-17"))
        .unwrap();
    let def = def();
    assert_eq!(def.gap, outcome.gap);
    assert_eq!(def.band_d_before, outcome.band_d_prev);
    assert_eq!(def.asc_precept_pct, d("2"));
    assert_eq!(
        keys(&def),
        [
            "service:adult_social_care",
            "service:highways_and_transport",
            "saving:CSC-01",
            "income:parking",
            "reserves",
            "council_tax"
        ]
    );
}

#[test]
fn a_step_breaching_a_statutory_duty_is_not_offered_and_a_cut_closes_the_gap_by_its_share() {
    let def = def();
    let asc = def.question("service:adult_social_care").unwrap();
    let labels: Vec<&str> = asc.steps.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["-5%", "0%", "+5%"]);
    // Net budget 30 + 10 + 150 − 40 = £150m; 5% is £7.5m.
    assert_eq!(asc.budget, Some(m("150000000")));
    assert_eq!(asc.steps[0].effect, m("7500000"));
    assert_eq!(asc.steps[2].effect, m("-7500000"));
    assert_eq!(asc.start, 1);
}

#[test]
fn a_saving_is_accepted_or_rejected_with_its_full_year_effect_over_the_plan() {
    let def = def();
    let q = def.question("saving:CSC-01").unwrap();
    assert_eq!(q.steps[0].effect, Money::ZERO);
    assert_eq!(q.steps[1].effect, m("-2000000"));
    assert_eq!(
        q.detail,
        [
            "2016-17: £4,000,000.00 a year",
            "2017-18: £4,000,000.00 a year",
            "2018-19: £4,000,000.00 a year",
            "2019-20: £4,000,000.00 a year"
        ]
    );
}

#[test]
fn council_tax_steps_open_on_the_plan_and_mark_those_needing_a_referendum() {
    let def = def();
    let q = def.question("council_tax").unwrap();
    let labels: Vec<&str> = q.steps.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        ["0%", "+1%", "+1.95%", "+2%", "+3%", "+4%", "+4.99%"]
    );
    assert_eq!(q.start, 2);
    assert_eq!(
        q.steps[2].effect,
        Money::ZERO,
        "the plan's own step changes nothing"
    );
    // 2016-17, shire county: 4% with the precept. 2 + 2 rounds Band D to the penny just
    // under 4% (£1,111.78 on £1,069.02 is 3.99998%), so only 3% and above need one.
    let referendum: Vec<bool> = q.steps.iter().map(|s| s.referendum).collect();
    assert_eq!(referendum, [false, false, false, false, true, true, true]);
    let base = def.tax_base;
    let at = |core: &str| requirement(increased_band_d(def.band_d_before, d(core) + d("2")), base);
    assert_eq!(q.steps[1].effect, at("1") - at("1.95"));
    assert_eq!(q.steps[3].effect, at("2") - at("1.95"));
    assert_eq!(q.steps[4].effect, at("3") - at("1.95") - m("400000"));
    assert!(
        q.steps[4]
            .consequence
            .contains("Requires a referendum: the limit is 4%; holding one costs £400,000.00.")
    );
}

#[test]
fn settings_that_cannot_make_a_consultation_name_the_field() {
    let plan = demo_plan();
    let principles = Principles::shipped();
    let refuse = |s: Settings| build(&plan, &s, &principles).unwrap_err();

    let mut s = settings();
    s.year = y("2021-22");
    assert_eq!(refuse(s).field, "year");

    let mut s = settings();
    s.year = y("2015-16");
    let e = refuse(s);
    assert_eq!(e.field, "year");
    assert!(e.message.contains("already set"), "{e}");

    let mut s = settings();
    s.services[0]
        .steps
        .iter_mut()
        .for_each(|st| st.breaches_duty = true);
    assert_eq!(refuse(s).field, "services[0].steps");

    let mut s = settings();
    s.services[1].steps.pop();
    let e = refuse(s);
    assert_eq!(
        e.to_string(),
        "services[1].steps: offer a step of 0% (the budget as planned)"
    );

    let mut s = settings();
    s.services[1].steps.swap(0, 1);
    assert_eq!(refuse(s).field, "services[1].steps[1].pct");

    let mut s = settings();
    s.services.push(s.services[0].clone());
    assert_eq!(refuse(s).field, "services[2].service");

    let mut s = settings();
    s.services[0].service = ServiceLine::Housing;
    assert!(refuse(s).message.contains("no net budget for Housing"));

    let mut s = settings();
    s.reserves = vec![m("0"), m("900000000")];
    let e = refuse(s);
    assert_eq!(e.field, "reserves[1]");
    assert!(e.message.contains("below the prudent minimum"), "{e}");

    let mut s = settings();
    s.council_tax.step_pct = d("0");
    assert_eq!(refuse(s).field, "council_tax.step_pct");

    let mut s = settings();
    s.savings = Some(vec!["ENV-01".into()]);
    let e = refuse(s);
    assert_eq!(
        e.to_string(),
        "savings[0]: the plan has no saving `ENV-01` in 2016-17"
    );

    let mut s = settings();
    s.savings = Some(Vec::new());
    assert!(
        build(&plan, &s, &principles)
            .unwrap()
            .question("saving:CSC-01")
            .is_none()
    );

    let mut s = settings();
    s.income[0].key = "Parking Charges".into();
    assert_eq!(refuse(s).field, "income[0].key");
}

#[test]
fn the_plan_as_it_is_leaves_the_whole_gap_and_choices_close_it() {
    let def = def();
    let plan_as_is = evaluate(&def, &Choices::new()).unwrap();
    assert_eq!(plan_as_is.closed_by, Money::ZERO);
    assert_eq!(plan_as_is.remaining, def.gap);
    assert_eq!(plan_as_is.closed, !def.gap.is_positive());
    assert!(!plan_as_is.referendum);

    let choices = Choices::from([
        ("service:adult_social_care".to_owned(), 0),
        ("service:highways_and_transport".to_owned(), 0),
        ("income:parking".to_owned(), 1),
        ("reserves".to_owned(), 1),
        ("council_tax".to_owned(), 4),
    ]);
    let p = evaluate(&def, &choices).unwrap();
    let effect = |key: &str, i: usize| def.question(key).unwrap().steps[i].effect;
    let expected = effect("service:adult_social_care", 0)
        + effect("service:highways_and_transport", 0)
        + m("500000")
        + m("2000000")
        + effect("council_tax", 4);
    assert_eq!(p.closed_by, expected);
    assert_eq!(p.remaining, def.gap - expected);
    assert_eq!(p.closed, !(def.gap - expected).is_positive());
    assert!(p.referendum);
    assert_eq!(p.steps, [0, 0, 0, 1, 1, 4]);
}

#[test]
fn the_bill_is_the_county_part_by_band_with_the_precept_apart() {
    let def = def();
    let p = evaluate(&def, &Choices::from([("council_tax".to_owned(), 1)])).unwrap();
    let band_d = increased_band_d(def.band_d_before, d("3"));
    let asc = increased_band_d(def.band_d_before, d("2")) - def.band_d_before;
    let bill = |b: Band| p.bills.iter().find(|x| x.band == b).copied().unwrap();
    assert_eq!(bill(Band::D).charge, band_d);
    assert_eq!(bill(Band::A).charge, Band::A.charge(band_d));
    assert_eq!(bill(Band::H).charge, Band::H.charge(band_d));
    assert_eq!(bill(Band::D).asc_precept, asc);
    assert_eq!(p.bills.len(), 8);
}

#[test]
fn the_whole_bill_adds_the_district_parish_and_police_by_band() {
    let def = def();
    let p = evaluate(&def, &Choices::new()).unwrap();
    let whole = whole_bill(&def, &p, 0).unwrap();
    let d = whole.iter().find(|b| b.band == Band::D).unwrap();
    assert_eq!(d.county, p.bills[3].charge);
    assert_eq!(d.total, d.county + m("179.50") + m("5.51") + m("204.96"));
    let a = whole.iter().find(|b| b.band == Band::A).unwrap();
    assert_eq!(a.district, Band::A.charge(m("179.50")));
    assert_eq!(a.total, a.county + a.district + a.parish + a.police);
    assert!(whole_bill(&def, &p, 1).is_none());

    let plan = demo_plan();
    let mut s = settings();
    s.districts.push(s.districts[0].clone());
    let e = build(&plan, &s, &Principles::shipped()).unwrap_err();
    assert_eq!(e.field, "districts[1].name");
    let mut s = settings();
    s.districts[0].police_band_d = m("-1");
    let e = build(&plan, &s, &Principles::shipped()).unwrap_err();
    assert_eq!(e.field, "districts[0].police_band_d");
}

#[test]
fn choices_outside_what_is_offered_are_refused_in_words() {
    let def = def();
    let one = |k: &str, i: usize| Choices::from([(k.to_owned(), i)]);
    assert_eq!(
        evaluate(&def, &one("service:adult_social_care", 3))
            .unwrap_err()
            .to_string(),
        "Adult social care: that choice is outside what is offered"
    );
    assert_eq!(
        evaluate(&def, &one("council_tax", 7))
            .unwrap_err()
            .to_string(),
        "Council tax: an increase above the largest offered (+4.99%) cannot be chosen"
    );
    assert_eq!(
        evaluate(&def, &one("service:fire_and_rescue", 0)).unwrap_err(),
        ChoiceError::UnknownQuestion("service:fire_and_rescue".into())
    );
}

#[test]
fn results_count_each_step_and_give_mean_median_and_shares() {
    let def = def();
    // Four responses: adult social care −5, −5, 0, +5; council tax steps 0, 2, 2, 6.
    let counts = vec![
        ("service:adult_social_care".to_owned(), 0, 2),
        ("service:adult_social_care".to_owned(), 1, 1),
        ("service:adult_social_care".to_owned(), 2, 1),
        ("council_tax".to_owned(), 0, 1),
        ("council_tax".to_owned(), 2, 2),
        ("council_tax".to_owned(), 6, 1),
        ("council_tax".to_owned(), 99, 5),
        ("gone".to_owned(), 0, 5),
    ];
    let r = summarise(&def, &counts, 4);
    assert_eq!(r.responses, 4);
    let asc = &r.questions[0];
    assert_eq!(asc.mean, Some(d("-1.25")));
    assert_eq!(asc.median, Some(d("-2.5")));
    let shares: Vec<Decimal> = asc.steps.iter().map(|s| s.share_pct).collect();
    assert_eq!(shares, [d("50"), d("25"), d("25")]);
    let tax = r.questions.iter().find(|q| q.key == "council_tax").unwrap();
    // (0 + 1.95 + 1.95 + 4.99) / 4 = 2.2225 → 2.22; median (1.95 + 1.95) / 2.
    assert_eq!(tax.mean, Some(d("2.22")));
    assert_eq!(tax.median, Some(d("1.95")));
    assert_eq!(r.average_tax_pct, Some(d("2.22")));
    assert_eq!(
        r.average_band_d,
        Some(increased_band_d(def.band_d_before, d("4.22")))
    );
    let none = summarise(&def, &[], 0);
    assert_eq!(none.questions[0].mean, None);
    assert_eq!(none.average_band_d, None);
}

use rust_decimal::Decimal;

proptest! {
    /// Whatever the counts, the median lies between the smallest and largest value chosen,
    /// the mean too, and the counts add up to the responses.
    #[test]
    fn summaries_stay_within_what_was_chosen(counts in proptest::collection::vec(0i64..50, 3)) {
        let def = def();
        let total: i64 = counts.iter().sum();
        let rows: Vec<(String, i64, i64)> = counts
            .iter()
            .enumerate()
            .map(|(i, n)| ("service:adult_social_care".to_owned(), i as i64, *n))
            .collect();
        let r = summarise(&def, &rows, total as u64);
        let q = &r.questions[0];
        prop_assert_eq!(q.steps.iter().map(|s| s.responses).sum::<u64>(), total as u64);
        if total == 0 {
            prop_assert!(q.mean.is_none() && q.median.is_none());
        } else {
            let chosen: Vec<Decimal> = [d("-5"), d("0"), d("5")]
                .into_iter()
                .zip(&counts)
                .filter(|(_, n)| **n > 0)
                .map(|(v, _)| v)
                .collect();
            let (lo, hi) = (chosen[0], *chosen.last().unwrap());
            prop_assert!(q.median.unwrap() >= lo && q.median.unwrap() <= hi);
            prop_assert!(q.mean.unwrap() >= lo && q.mean.unwrap() <= hi);
        }
    }
}

#[test]
fn a_draft_is_a_consultation_the_plan_can_meet() {
    let plan = demo_plan();
    let draft = Settings::draft(&plan).unwrap();
    assert_eq!(draft.year, y("2016-17"), "2015-16's council tax is set");
    let def = build(&plan, &draft, &Principles::shipped()).unwrap();
    assert_eq!(
        def.question("service:adult_social_care")
            .unwrap()
            .steps
            .len(),
        2
    );
    assert!(def.question("council_tax").is_some());
}
