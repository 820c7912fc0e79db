use super::*;
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn income(council: &str, name: &str, pounds: i64) -> CouncilIncome {
    CouncilIncome {
        council: council.into(),
        name: name.into(),
        amount: Money::pounds(pounds),
    }
}

fn accounts(turnover: i64, reserves: i64, net_assets: i64) -> Accounts {
    Accounts {
        year_end: d("2016-03-31"),
        turnover: Money::pounds(turnover),
        net_assets: Money::pounds(net_assets),
        reserves: Money::pounds(reserves),
        filed_on: Some(d("2016-12-20")),
    }
}

/// A provider with £870,000 from Northamptonshire and £130,000 from Cambridgeshire, turnover
/// £1m, three months' reserves, no declining KPIs, penalties or income ending: one signal.
fn provider() -> ProviderSignals {
    ProviderSignals {
        income_by_council: vec![
            income(
                "northamptonshire",
                "Northamptonshire County Council",
                870_000,
            ),
            income("cambridgeshire", "Cambridgeshire County Council", 130_000),
        ],
        accounts: Some(accounts(1_000_000, 250_000, 400_000)),
        kpi_trends: vec![Trend::Steady, Trend::Improving, Trend::Declining],
        penalties_imposed: Money::ZERO,
        contract_income_ending_without_renewal: Money::ZERO,
    }
}

fn kinds(v: &Viability) -> Vec<FlagKind> {
    v.flags.iter().map(|f| f.kind).collect()
}

#[test]
fn the_shipped_rule_holds_ngcs_unconfirmed_defaults() {
    let r = ViabilityRule::shipped();
    assert_eq!(r.dependency_percent, Decimal::from(75));
    assert_eq!(r.declining_kpis, 2);
    assert_eq!(r.penalty_percent, Decimal::ONE);
    assert_eq!(r.min_reserve_months, Decimal::from(3));
    assert_eq!(r.ending_percent, Decimal::from(25));
    assert_eq!(r.signals_for_watch, 2);
    assert!(!r.confirmed());
    assert!(
        r.rows
            .iter()
            .all(|row| row.source.contains("ngc's policy default"))
    );
}

#[test]
fn a_dependency_flag_gives_its_reason_in_words() {
    let v = assess(&provider(), &ViabilityRule::shipped()).unwrap();
    assert_eq!(kinds(&v), [FlagKind::Dependency]);
    assert_eq!(
        v.flags[0].reason,
        "87% of its income comes from Northamptonshire County Council (threshold 75%; measured against its turnover of £1,000,000.00 for the year to 31 March 2016)"
    );
    assert!(!v.on_watch, "one kind of signal is not enough");
    assert_eq!(v.signals, 1);
}

#[test]
fn two_kinds_of_signal_put_a_provider_on_the_watch_list() {
    let mut p = provider();
    p.accounts = Some(accounts(1_000_000, 100_000, -20_000));
    let v = assess(&p, &ViabilityRule::shipped()).unwrap();
    assert_eq!(
        kinds(&v),
        [
            FlagKind::Dependency,
            FlagKind::ThinReserves,
            FlagKind::ThinReserves
        ]
    );
    assert_eq!(v.signals, 2, "two flags of one kind count once");
    assert!(v.on_watch);
    assert_eq!(
        v.flags[1].reason,
        "its reserves of £100,000.00 cover 1.2 months of spending (a twelfth of its £1,000,000.00 turnover a month, year to 31 March 2016; threshold 3 months)"
    );
    assert_eq!(
        v.flags[2].reason,
        "its accounts for the year to 31 March 2016 show net liabilities of £20,000.00"
    );
}

#[test]
fn every_kind_of_signal_can_be_raised_at_once() {
    let mut p = provider();
    p.accounts = Some(accounts(1_000_000, 0, 10));
    p.kpi_trends = vec![Trend::Declining, Trend::Declining, Trend::Steady];
    p.penalties_imposed = Money::pounds(10_000);
    p.contract_income_ending_without_renewal = Money::pounds(250_000);
    let v = assess(&p, &ViabilityRule::shipped()).unwrap();
    assert_eq!(kinds(&v), FlagKind::ALL);
    assert_eq!(v.signals, 5);
    let reasons: Vec<_> = v.flags.iter().map(|f| f.reason.as_str()).collect();
    assert_eq!(
        reasons[1],
        "2 of its 3 KPIs are declining over their last three periods (threshold 2)"
    );
    assert_eq!(
        reasons[2],
        "penalties of £10,000.00 were imposed on it, 1% of its £1,000,000.00 contract income (threshold 1%)"
    );
    assert_eq!(
        reasons[4],
        "£250,000.00 a year, 25% of the £1,000,000.00 contract income ngc sees, comes from contracts ending without renewal (threshold 25%)"
    );
}

#[rstest]
#[case::dependency_exactly_at_the_threshold(|p: &mut ProviderSignals| {
    p.income_by_council[0].amount = Money::pounds(750_000);
    p.income_by_council[1].amount = Money::pounds(250_000);
}, true)]
#[case::dependency_a_penny_under(|p: &mut ProviderSignals| {
    p.income_by_council[0].amount = Money::pence(74_999_999);
    p.income_by_council[1].amount = Money::pence(25_000_001);
}, false)]
fn dependency_is_flagged_at_or_above_its_threshold(
    #[case] change: fn(&mut ProviderSignals),
    #[case] flagged: bool,
) {
    let mut p = provider();
    change(&mut p);
    let v = assess(&p, &ViabilityRule::shipped()).unwrap();
    assert_eq!(
        v.flags.iter().any(|f| f.kind == FlagKind::Dependency),
        flagged
    );
}

#[rstest]
#[case::one_declining_kpi(|p: &mut ProviderSignals| p.kpi_trends = vec![Trend::Declining], None)]
#[case::two_declining_kpis(
    |p: &mut ProviderSignals| p.kpi_trends = vec![Trend::Declining; 2],
    Some(FlagKind::DecliningKpis)
)]
#[case::penalties_under_one_percent(|p: &mut ProviderSignals| p.penalties_imposed = Money::pence(999_999), None)]
#[case::penalties_of_one_percent(
    |p: &mut ProviderSignals| p.penalties_imposed = Money::pounds(10_000),
    Some(FlagKind::Penalties)
)]
#[case::exactly_three_months_reserves(|p: &mut ProviderSignals| p.accounts = Some(accounts(1_200_000, 300_000, 1)), None)]
#[case::just_under_three_months(
    |p: &mut ProviderSignals| p.accounts = Some(accounts(1_200_000, 299_999, 1)),
    Some(FlagKind::ThinReserves)
)]
#[case::income_ending_under_a_quarter(
    |p: &mut ProviderSignals| p.contract_income_ending_without_renewal = Money::pence(24_999_999),
    None
)]
#[case::income_ending_a_quarter(
    |p: &mut ProviderSignals| p.contract_income_ending_without_renewal = Money::pounds(250_000),
    Some(FlagKind::IncomeEnding)
)]
fn each_signal_is_raised_at_its_threshold(
    #[case] change: fn(&mut ProviderSignals),
    #[case] raised: Option<FlagKind>,
) {
    let mut p = provider();
    p.income_by_council[0].amount = Money::pounds(500_000);
    p.income_by_council[1].amount = Money::pounds(500_000);
    p.kpi_trends.clear();
    change(&mut p);
    let v = assess(&p, &ViabilityRule::shipped()).unwrap();
    assert_eq!(kinds(&v), raised.into_iter().collect::<Vec<_>>());
}

#[test]
fn without_accounts_dependency_is_measured_against_contract_income_and_reserves_are_not_assessed() {
    let mut p = provider();
    p.accounts = None;
    let deps = dependency(&p).unwrap();
    assert_eq!(deps.basis, DependencyBasis::ContractIncome);
    assert_eq!(deps.measured_against, Money::pounds(1_000_000));
    let v = assess(&p, &ViabilityRule::shipped()).unwrap();
    assert_eq!(kinds(&v), [FlagKind::Dependency]);
    assert!(
        v.flags[0].reason.ends_with(
            "(threshold 75%; measured against the £1,000,000.00 contract income ngc sees)"
        )
    );
    assert_eq!(
        v.notes,
        [
            "no accounts given: dependency is measured against the £1,000,000.00 contract income ngc sees, and reserves are not assessed"
        ]
    );
}

#[test]
fn accounts_older_than_the_contracts_give_way_to_the_contract_income() {
    let mut p = provider();
    p.accounts = Some(accounts(400_000, 200_000, 1));
    let deps = dependency(&p).unwrap();
    assert_eq!(deps.basis, DependencyBasis::ContractIncome);
    assert_eq!(deps.other_income, Money::ZERO);
    let v = assess(&p, &ViabilityRule::shipped()).unwrap();
    assert!(v.notes[0].contains("less than the £1,000,000.00 contract income ngc sees"));
}

#[test]
fn against_turnover_the_rest_is_other_income() {
    let mut p = provider();
    p.accounts = Some(accounts(3_000_000, 1_000_000, 1));
    let deps = dependency(&p).unwrap();
    assert_eq!(deps.basis, DependencyBasis::Turnover);
    let shares: Vec<_> = deps
        .councils
        .iter()
        .map(|c| c.share_percent.to_string())
        .collect();
    assert_eq!(shares, ["29.00", "4.33"]);
    assert_eq!(deps.other_income, Money::pounds(2_000_000));
    assert_eq!(deps.other_percent.to_string(), "66.67");
    let v = assess(&p, &ViabilityRule::shipped()).unwrap();
    assert!(v.flags.is_empty());
}

#[rstest]
#[case::negative_income(
    |p: &mut ProviderSignals| p.income_by_council[1].amount = Money::pence(-1),
    "income from `cambridgeshire`: -0.01 is negative"
)]
#[case::a_council_twice(
    |p: &mut ProviderSignals| p.income_by_council[1].council = "northamptonshire".into(),
    "income from `northamptonshire` is listed twice"
)]
#[case::more_ending_than_there_is(
    |p: &mut ProviderSignals| p.contract_income_ending_without_renewal = Money::pounds(1_000_001),
    "contract_income_ending_without_renewal: 1000001.00 exceeds the 1000000.00 contract income ngc sees"
)]
#[case::negative_turnover(
    |p: &mut ProviderSignals| p.accounts = Some(accounts(-1, 0, 0)),
    "accounts.turnover: -1.00 is negative"
)]
fn faulty_signals_are_refused_naming_the_field(
    #[case] spoil: fn(&mut ProviderSignals),
    #[case] message: &str,
) {
    let mut p = provider();
    spoil(&mut p);
    let err = assess(&p, &ViabilityRule::shipped()).unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[rstest]
#[case::missing_rule(
    "dependency_percent,75,false,UNCONFIRMED: x\n",
    "no `declining_kpis` row"
)]
#[case::percent_over_100(
    "dependency_percent,101,false,UNCONFIRMED: x\n",
    "expected above 0, at most 100"
)]
#[case::too_many_signals("signals_for_watch,6,false,UNCONFIRMED: x\n", "expected 1 to 5")]
#[case::unknown_rule(
    "turnover_floor,1,false,UNCONFIRMED: x\n",
    "`turnover_floor`: expected one of"
)]
#[case::repeated(
    "ending_percent,25,false,UNCONFIRMED: x\nending_percent,30,false,UNCONFIRMED: x\n",
    "a second `ending_percent` row"
)]
fn a_faulty_rule_file_is_refused_with_the_reason(#[case] rows: &str, #[case] message: &str) {
    let text = format!("rule,value,confirmed,source\n{rows}");
    let err = ViabilityRule::from_csv_str("t.csv", &text).unwrap_err();
    assert!(err.message.contains(message), "{err}");
}

fn signals_strategy() -> impl Strategy<Value = ProviderSignals> {
    (
        vec(0i64..10_000_000_000, 0..6),
        proptest::option::of((0i64..50_000_000_000, -1_000_000_000i64..1_000_000_000)),
        vec(
            prop_oneof![
                Just(Trend::Improving),
                Just(Trend::Steady),
                Just(Trend::Declining)
            ],
            0..6,
        ),
        0i64..100_000_000,
        0u32..=100,
    )
        .prop_map(|(amounts, accounts, trends, penalties, ending_pct)| {
            let income_by_council: Vec<_> = amounts
                .iter()
                .enumerate()
                .map(|(i, &a)| CouncilIncome {
                    council: format!("council-{i}"),
                    name: format!("Council {i}"),
                    amount: Money::pence(a),
                })
                .collect();
            let total: i64 = amounts.iter().sum();
            ProviderSignals {
                income_by_council,
                accounts: accounts.map(|(turnover, reserves)| Accounts {
                    year_end: "2016-03-31".parse().unwrap(),
                    turnover: Money::pence(turnover),
                    net_assets: Money::pence(reserves),
                    reserves: Money::pence(reserves),
                    filed_on: None,
                }),
                kpi_trends: trends,
                penalties_imposed: Money::pence(penalties),
                contract_income_ending_without_renewal: Money::pence(
                    total / 100 * i64::from(ending_pct),
                ),
            }
        })
}

proptest! {
    #[test]
    fn dependency_shares_sum_to_100_percent_of_what_is_measured(p in signals_strategy()) {
        let deps = dependency(&p).unwrap();
        let sum: Decimal = deps.councils.iter().map(|c| c.share_percent).sum::<Decimal>() + deps.other_percent;
        if deps.measured_against.is_zero() {
            prop_assert_eq!(sum, Decimal::ZERO);
        } else {
            prop_assert_eq!(sum, Decimal::ONE_HUNDRED);
            let parts: Money = deps.councils.iter().map(|c| c.amount).sum::<Money>() + deps.other_income;
            prop_assert_eq!(parts, deps.measured_against);
            for c in &deps.councils {
                let exact = Decimal::from(c.amount.as_pence()) * Decimal::ONE_HUNDRED
                    / Decimal::from(deps.measured_against.as_pence());
                prop_assert!((c.share_percent - exact).abs() < Decimal::new(1, 2));
            }
        }
    }

    #[test]
    fn the_watch_list_takes_a_provider_on_as_many_kinds_of_signal_as_the_rule_asks(p in signals_strategy()) {
        let rule = ViabilityRule::shipped();
        let v = assess(&p, &rule).unwrap();
        let kinds: std::collections::BTreeSet<_> = v.flags.iter().map(|f| f.kind).collect();
        prop_assert_eq!(v.signals, kinds.len());
        prop_assert_eq!(v.on_watch, kinds.len() >= rule.signals_for_watch);
        prop_assert!(v.flags.iter().all(|f| !f.reason.is_empty()));
    }

    #[test]
    fn more_penalties_never_take_a_provider_off_the_watch_list(p in signals_strategy(), extra in 0i64..100_000_000) {
        let rule = ViabilityRule::shipped();
        let before = assess(&p, &rule).unwrap();
        let mut worse = p.clone();
        worse.penalties_imposed = p.penalties_imposed + Money::pence(extra);
        let after = assess(&worse, &rule).unwrap();
        prop_assert!(after.signals >= before.signals);
        prop_assert!(after.on_watch || !before.on_watch);
    }
}
