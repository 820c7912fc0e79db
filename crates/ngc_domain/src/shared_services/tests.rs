use super::*;
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn year(s: &str) -> FinancialYear {
    s.parse().unwrap()
}

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

fn partner(org: &str, joined: &str, left: Option<&str>) -> Partner {
    Partner {
        organisation: slug(org),
        memberships: vec![Membership::new(d(joined), left.map(d)).unwrap()],
        service_exits: vec![],
        exit_costs: vec![],
        baseline: None,
    }
}

fn service(code: &str, basis: Basis, pool: &str, weights: &[(&str, &str)]) -> ServiceYear {
    ServiceYear {
        service: code.to_owned(),
        name: code.to_uppercase(),
        host: slug("north"),
        year: year("2015-16"),
        pool: money(pool),
        basis,
        weights: weights
            .iter()
            .map(|(o, w)| (slug(o), w.parse().unwrap()))
            .collect(),
        fees: vec![],
        income_key: None,
    }
}

fn index() -> Index {
    Index {
        name: "Pay and prices".to_owned(),
        rates: [("2014-15", "2"), ("2015-16", "1.5")]
            .iter()
            .map(|(y, r)| (year(y), r.parse().unwrap()))
            .collect(),
    }
}

fn run(services: &[ServiceYear], partners: &[Partner]) -> Result<Statement, ServiceError> {
    statement(
        year("2015-16"),
        services,
        partners,
        &index(),
        &BTreeMap::new(),
    )
}

/// A partner's services as (code, charge, credit) in pence, and its net charge.
type Charges = Vec<(String, Vec<(String, i64, i64)>, i64)>;

fn charges(st: &Statement) -> Charges {
    st.partners
        .iter()
        .map(|p| {
            (
                p.organisation.to_string(),
                p.services
                    .iter()
                    .map(|c| {
                        (
                            c.service.clone(),
                            c.charge.as_pence(),
                            c.income_credit.as_pence(),
                        )
                    })
                    .collect(),
                p.net_charge.as_pence(),
            )
        })
        .collect()
}

#[test]
fn fees_offset_the_pool_before_it_is_allocated_by_the_driver() {
    // HR: £1,000,000.01 pool, £100,000 of fees from schools, headcount 3:1.
    let mut hr = service(
        "hr",
        Basis::Headcount,
        "1000000.01",
        &[("north", "3000"), ("cambs", "1000")],
    );
    hr.fees = vec![Fee {
        client: "Academies".to_owned(),
        amount: money("100000"),
    }];
    let partners = [
        partner("north", "2010-10-01", None),
        partner("cambs", "2010-10-01", None),
    ];
    let st = run(&[hr], &partners).unwrap();
    // Net £900,000.01 splits 675,000.0075 / 225,000.0025: the penny to the larger remainder.
    assert_eq!(
        charges(&st),
        vec![
            (
                "cambs".into(),
                vec![("hr".into(), 25_000_000, 2_500_000)],
                22_500_000
            ),
            (
                "north".into(),
                vec![("hr".into(), 75_000_001, 7_500_000)],
                67_500_001
            ),
        ]
    );
    assert_eq!(st.partners[1].services[0].share_pct, "75".parse().unwrap());
    assert_eq!(
        st.totals,
        Totals {
            pool: money("1000000.01"),
            income: money("100000"),
            allocated: money("900000.01"),
            exit_costs: Money::ZERO,
        }
    );
}

#[test]
fn a_separate_income_key_shares_the_fees_differently_from_the_pool() {
    let mut it = service(
        "it",
        Basis::Users,
        "600000",
        &[("north", "1"), ("cambs", "1")],
    );
    it.fees = vec![Fee {
        client: "Northamptonshire Fire".to_owned(),
        amount: money("60000"),
    }];
    it.income_key = Some(vec![
        (slug("north"), "2".parse().unwrap()),
        (slug("cambs"), "1".parse().unwrap()),
    ]);
    let partners = [
        partner("north", "2010-10-01", None),
        partner("cambs", "2010-10-01", None),
    ];
    let st = run(&[it], &partners).unwrap();
    assert_eq!(
        charges(&st),
        vec![
            (
                "cambs".into(),
                vec![("it".into(), 30_000_000, 2_000_000)],
                28_000_000
            ),
            (
                "north".into(),
                vec![("it".into(), 30_000_000, 4_000_000)],
                26_000_000
            ),
        ]
    );
    assert_eq!(st.totals.allocated, money("540000"));
}

#[test]
fn a_partner_joining_mid_year_pays_for_its_days_and_the_others_for_the_rest() {
    // Equal fixed shares; `mk` joins on 1 January 2016 (91 of 366 days).
    let legal = service(
        "legal",
        Basis::FixedShares,
        "366000",
        &[("north", "40"), ("cambs", "40"), ("mk", "20")],
    );
    let partners = [
        partner("north", "2010-10-01", None),
        partner("cambs", "2010-10-01", None),
        partner("mk", "2016-01-01", None),
    ];
    let st = run(&[legal], &partners).unwrap();
    let mk = &st
        .partners
        .iter()
        .find(|p| p.organisation == slug("mk"))
        .unwrap();
    assert_eq!(mk.days, 91);
    assert_eq!(mk.services[0].days, 91);
    // Weights 40×366, 40×366, 20×91 = 14,640 : 14,640 : 1,820 of £366,000.
    let pence: Vec<i64> = st
        .partners
        .iter()
        .map(|p| p.net_charge.as_pence())
        .collect();
    // Exactly 17,229,067.52p, 2,141,864.95p and 17,229,067.52p: the two pence left go to
    // `mk` (largest remainder) and to `cambs` (equal weight to `north`, first slug).
    assert_eq!(pence, vec![17_229_068, 2_141_865, 17_229_067]);
    assert_eq!(pence.iter().sum::<i64>(), 36_600_000);
}

#[test]
fn a_repatriated_service_stops_its_charge_but_not_the_others() {
    let hr = service(
        "hr",
        Basis::Headcount,
        "1000",
        &[("north", "1"), ("cambs", "1")],
    );
    // Its IT users are no longer counted.
    let it = service("it", Basis::Users, "1000", &[("north", "1")]);
    let mut cambs = partner("cambs", "2010-10-01", None);
    // Cambridgeshire took IT back in house from 1 April 2015: its last day was 31 March.
    cambs.service_exits = vec![ServiceExit {
        service: "it".to_owned(),
        left_on: d("2015-03-31"),
    }];
    let st = run(&[hr, it], &[partner("north", "2010-10-01", None), cambs]).unwrap();
    assert_eq!(
        charges(&st),
        vec![
            ("cambs".into(), vec![("hr".into(), 50_000, 0)], 50_000),
            (
                "north".into(),
                vec![("hr".into(), 50_000, 0), ("it".into(), 100_000, 0)],
                150_000
            ),
        ]
    );
}

#[test]
fn a_leaver_meets_its_exit_costs_and_its_baseline_is_carried_by_the_index() {
    let hr = service(
        "hr",
        Basis::Headcount,
        "1000",
        &[("north", "1"), ("cambs", "1")],
    );
    let mut cambs = partner("cambs", "2010-10-01", Some("2015-09-30"));
    cambs.exit_costs = vec![ExitCost {
        due_on: d("2015-09-30"),
        amount: money("250"),
        reason: "Stranded IT licences".to_owned(),
    }];
    let mut north = partner("north", "2010-10-01", None);
    north.baseline = Some(Baseline {
        year: year("2013-14"),
        amount: money("1000"),
        source: "2009-10 outturn".to_owned(),
    });
    let st = run(&[hr], &[north, cambs]).unwrap();
    let (cambs, north) = (&st.partners[0], &st.partners[1]);
    assert_eq!(cambs.days, 183);
    assert_eq!(cambs.exit_costs, money("250"));
    // 1×183 : 1×366 of £1,000: £333.33 and £666.67.
    assert_eq!(cambs.net_charge, money("583.33"));
    assert_eq!(north.net_charge, money("666.67"));
    // £1,000 × 1.02 × 1.015 = £1,035.30, a whole year.
    assert_eq!(north.baseline, Some(money("1035.30")));
    assert_eq!(north.saving, Some(money("368.63")));
    assert_eq!(cambs.baseline, None);
    assert_eq!(st.totals.allocated, money("1000"));
    assert_eq!(st.totals.exit_costs, money("250"));
}

#[test]
fn back_office_is_a_share_of_the_partners_net_budget() {
    let hr = service("hr", Basis::Headcount, "25000000", &[("north", "1")]);
    let budgets = BTreeMap::from([(slug("north"), money("420000000"))]);
    let st = statement(
        year("2015-16"),
        &[hr],
        &[partner("north", "2010-10-01", None)],
        &index(),
        &budgets,
    )
    .unwrap();
    assert_eq!(
        st.partners[0].back_office_pct,
        Some("5.95".parse().unwrap())
    );
}

#[rstest]
#[case::shares_not_100(
    service("legal", Basis::FixedShares, "100", &[("north", "60"), ("cambs", "35")]),
    "service `legal` 2015-16: shares: the partners' shares sum to 95%, not 100%"
)]
#[case::missing_driver(
    service("hr", Basis::Headcount, "100", &[("north", "60")]),
    "service `hr` 2015-16: driver: no headcount value for `cambs`, a partner in the service that year"
)]
#[case::outsider(
    service("hr", Basis::Headcount, "100", &[("north", "60"), ("cambs", "1"), ("oxon", "1")]),
    "service `hr` 2015-16: driver: `oxon` is not a partner in the service that year"
)]
#[case::negative_pool(
    service("hr", Basis::Headcount, "-1", &[("north", "1"), ("cambs", "1")]),
    "service `hr` 2015-16: pool: may not be negative (£-1.00)"
)]
#[case::income_above_pool(
    ServiceYear { fees: vec![Fee { client: "Schools".into(), amount: money("101") }],
        ..service("hr", Basis::Headcount, "100", &[("north", "1"), ("cambs", "1")]) },
    "service `hr` 2015-16: income: external income of £101.00 is more than the pool of £100.00"
)]
#[case::host_outside(
    ServiceYear { host: slug("oxon"), ..service("hr", Basis::Headcount, "100", &[("north", "1"), ("cambs", "1")]) },
    "service `hr` 2015-16: host: `oxon` is not a member of the partnership that year"
)]
#[case::all_zero(
    service("hr", Basis::Headcount, "100", &[("north", "0"), ("cambs", "0")]),
    "service `hr` 2015-16: driver: no party has a weight above zero: no basis to split £100.00"
)]
fn bad_service_years_are_refused_naming_the_record_and_field(
    #[case] s: ServiceYear,
    #[case] message: &str,
) {
    let partners = [
        partner("north", "2010-10-01", None),
        partner("cambs", "2010-10-01", None),
    ];
    assert_eq!(run(&[s], &partners).unwrap_err().to_string(), message);
}

#[test]
fn a_baseline_carried_through_a_year_without_a_rate_is_refused() {
    let mut north = partner("north", "2010-10-01", None);
    north.baseline = Some(Baseline {
        year: year("2012-13"),
        amount: money("1000"),
        source: "x".to_owned(),
    });
    let err = run(&[], &[north]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "index `Pay and prices`: no rate for 2013-14, needed to carry `north`'s baseline forward"
    );
}

#[test]
fn savings_accumulate_by_partner_and_year() {
    let hr = |y: &str| ServiceYear {
        year: year(y),
        ..service("hr", Basis::Headcount, "900", &[("north", "1")])
    };
    let mut north = partner("north", "2014-04-01", None);
    north.baseline = Some(Baseline {
        year: year("2014-15"),
        amount: money("1000"),
        source: "x".to_owned(),
    });
    let years: Vec<Statement> = ["2015-16", "2014-15"]
        .iter()
        .map(|y| {
            statement(
                year(y),
                &[hr(y)],
                std::slice::from_ref(&north),
                &index(),
                &BTreeMap::new(),
            )
            .unwrap()
        })
        .collect();
    let view = savings(&years);
    let rows: Vec<(String, i64, i64)> = view
        .years
        .iter()
        .map(|y| {
            (
                y.year.to_string(),
                y.saving.as_pence(),
                y.cumulative.as_pence(),
            )
        })
        .collect();
    // 2014-15: 1,000 − 900; 2015-16: 1,015 − 900.
    assert_eq!(
        rows,
        vec![
            ("2014-15".into(), 10_000, 10_000),
            ("2015-16".into(), 11_500, 21_500)
        ]
    );
    assert_eq!(
        view.by_partner,
        vec![PartnerSaving {
            organisation: slug("north"),
            saving: money("215")
        }]
    );
    assert_eq!(view.total, money("215"));
}

/// A partner's memberships: up to two spells around 2015-16, possibly leaving a service.
fn any_partner(i: usize) -> impl Strategy<Value = Partner> {
    (
        0i64..500,
        0i64..500,
        any::<bool>(),
        0i64..400,
        0i64..400,
        any::<bool>(),
    )
        .prop_map(move |(join, stay, rejoin, gap, exit, repatriate)| {
            let start = d("2015-01-01");
            let joined = start + chrono::Days::new(join as u64);
            let left = joined + chrono::Days::new(stay as u64);
            let mut memberships = vec![Membership::new(joined, Some(left)).unwrap()];
            if rejoin {
                let again = left + chrono::Days::new(gap as u64 + 1);
                memberships.push(Membership::new(again, None).unwrap());
            }
            let service_exits = if repatriate {
                vec![ServiceExit {
                    service: "hr".to_owned(),
                    left_on: start + chrono::Days::new(exit as u64),
                }]
            } else {
                vec![]
            };
            Partner {
                organisation: slug(&format!("partner-{i}")),
                memberships,
                service_exits,
                exit_costs: vec![],
                baseline: None,
            }
        })
}

proptest! {
    #[test]
    fn per_service_the_charges_sum_to_pool_less_income_whoever_joined_or_left(
        host in any_partner(0).prop_map(|mut p| { p.memberships = vec![Membership::new(d("2010-10-01"), None).unwrap()]; p.service_exits.clear(); p }),
        partners_raw in vec(any_partner(0), 0..5),
        pool in 0i64..10_000_000_000,
        income_share in 0u32..=100,
        drivers in vec(0u32..100_000, 6),
        keyed in any::<bool>(),
    ) {
        let mut partners = vec![host];
        for (i, mut p) in partners_raw.into_iter().enumerate() {
            p.organisation = slug(&format!("partner-{}", i + 1));
            partners.push(p);
        }
        let y = year("2015-16");
        let present: Vec<&Partner> = partners
            .iter()
            .filter(|p| days_in_year(&p.memberships, p.service_exits.first().map(|e| e.left_on), y) > 0)
            .collect();
        let weights: Vec<(Slug, Decimal)> = present
            .iter()
            .enumerate()
            .map(|(i, p)| (p.organisation.clone(), Decimal::from(drivers[i] + u32::from(i == 0))))
            .collect();
        let income = Money::pence(pool / 100 * i64::from(income_share));
        let s = ServiceYear {
            service: "hr".to_owned(),
            name: "HR".to_owned(),
            host: slug("partner-0"),
            year: y,
            pool: Money::pence(pool),
            basis: Basis::Headcount,
            weights: weights.clone(),
            fees: vec![Fee { client: "Schools".to_owned(), amount: income }],
            income_key: keyed.then(|| weights.iter().map(|(o, _)| (o.clone(), Decimal::ONE)).collect()),
        };
        let st = statement(y, &[s], &partners, &index(), &BTreeMap::new()).unwrap();
        prop_assert_eq!(st.totals.allocated, Money::pence(pool) - income);
        let charged: Money = st.partners.iter().flat_map(|p| &p.services).map(|c| c.charge).sum();
        let credited: Money = st.partners.iter().map(|p| p.income_credit).sum();
        let net: Money = st.partners.iter().map(|p| p.net_charge).sum();
        prop_assert_eq!(charged, Money::pence(pool));
        prop_assert_eq!(credited, income);
        prop_assert_eq!(net, Money::pence(pool) - income);
        let pct: Decimal = st.partners.iter().flat_map(|p| &p.services).map(|c| c.share_pct).sum();
        prop_assert_eq!(pct, Decimal::ONE_HUNDRED);
        // Nobody outside the service that year is charged.
        for p in &st.partners {
            for c in &p.services {
                prop_assert!(c.days > 0);
                prop_assert!(c.days <= y.days());
            }
        }
    }
}

fn provenance(source: &str) -> Provenance {
    Provenance {
        source: source.to_owned(),
        confirmed: false,
    }
}

fn draft(code: &str, y: &str, pool: &str) -> YearDraft {
    YearDraft {
        service: code.to_owned(),
        year: year(y),
        pool: money(pool),
        basis: Basis::FixedShares,
        weights: vec![(slug("north"), "100".parse().unwrap())],
        fees: vec![],
        income_key: None,
        provenance: provenance(&format!("{code} {y}")),
    }
}

fn hosted(code: &str, name: &str, host: &str) -> ServiceDraft {
    ServiceDraft {
        code: code.to_owned(),
        name: name.to_owned(),
        host: slug(host),
    }
}

#[test]
fn applying_an_agreement_replaces_what_it_names_and_keeps_the_rest() {
    let stored = Figures::default()
        .apply(&Agreement {
            services: vec![hosted("hr", "HR", "north"), hosted("it", "IT", "north")],
            years: vec![
                draft("hr", "2015-16", "100"),
                draft("it", "2015-16", "200"),
                draft("hr", "2014-15", "90"),
            ],
            index_name: Some("Pay and prices".into()),
            baselines: vec![BaselineDraft {
                organisation: slug("north"),
                year: year("2010-11"),
                amount: money("1000"),
                provenance: provenance("budget 2010"),
            }],
            ..Agreement::default()
        })
        .unwrap();
    // In year then service order.
    let order: Vec<(String, String)> = stored
        .years
        .iter()
        .map(|(y, _)| (y.year.to_string(), y.service.clone()))
        .collect();
    assert_eq!(
        order,
        [("2014-15", "hr"), ("2015-16", "hr"), ("2015-16", "it")]
            .map(|(y, s)| (y.to_owned(), s.to_owned()))
    );
    assert_eq!(
        stored.financial_years(),
        vec![year("2014-15"), year("2015-16")]
    );

    // HR moves to south and its 2015-16 figures are replaced; IT and 2014-15 stay.
    let after = stored
        .clone()
        .apply(&Agreement {
            services: vec![hosted("hr", "Human resources", "south")],
            years: vec![draft("hr", "2015-16", "150")],
            ..Agreement::default()
        })
        .unwrap();
    assert_eq!(after.years.len(), 3);
    for (y, _) in after.years.iter().filter(|(y, _)| y.service == "hr") {
        assert_eq!(
            (y.name.as_str(), y.host.as_str()),
            ("Human resources", "south")
        );
    }
    let hr = |f: &Figures, y: &str| {
        f.years
            .iter()
            .find(|(s, _)| s.service == "hr" && s.year == year(y))
            .map(|(s, p)| (s.pool, p.source.clone()))
            .unwrap()
    };
    assert_eq!(hr(&after, "2015-16"), (money("150"), "hr 2015-16".into()));
    assert_eq!(hr(&after, "2014-15"), (money("90"), "hr 2014-15".into()));
    assert_eq!(after.index().name, "Pay and prices");
    assert_eq!(
        after.baseline(&slug("north")).unwrap().amount,
        money("1000")
    );
    assert_eq!(after.baseline(&slug("south")), None);
}

#[test]
fn a_year_of_an_undefined_service_is_refused_by_name() {
    let err = Figures::default()
        .apply(&Agreement {
            years: vec![draft("payroll", "2015-16", "10")],
            ..Agreement::default()
        })
        .unwrap_err();
    assert_eq!(err, UndefinedService("payroll".into()));
    assert!(err.to_string().contains("service `payroll`"));
}
