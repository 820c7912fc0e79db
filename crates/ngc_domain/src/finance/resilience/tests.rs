use super::*;
use crate::finance::fixtures::{d, k, y};
use proptest::prelude::*;
use rstest::rstest;

fn year(yr: &str, nre: i64, earmarked: i64, unallocated: i64) -> AuthorityYear {
    AuthorityYear {
        year: y(yr),
        net_revenue_expenditure: k(nre),
        earmarked_reserves: k(earmarked),
        unallocated_reserves: k(unallocated),
        council_tax_requirement: k(nre / 2),
        social_care_spend: k(nre * 3 / 5),
        government_grant: k(nre / 5),
    }
}

/// Northamptonshire's earmarked reserves (£ thousand) from the RS returns: 47,695 at
/// 1 April 2015, 19,636 at 31 March 2016, 8,481 at 31 March 2017; NRE 446,465 in 2015-16.
fn ncc() -> Vec<AuthorityYear> {
    vec![
        year("2014-15", 425_586, 47_695, 0),
        year("2015-16", 446_465, 19_636, 0),
        year("2016-17", 432_101, 8_481, 0),
    ]
}

#[test]
fn northamptonshire_reserves_level_and_sustainability_from_the_returns() {
    let i = indicators(&ncc(), y("2016-17")).unwrap();
    // 8,481 ÷ 432,101 = 1.96%; falling 19,607 a year on average: 0.4 years left.
    assert_eq!(i.reserves_level_pct, Some(d("1.96")));
    assert_eq!(i.reserves_sustainability_years, Some(d("0.4")));
    assert_eq!(i.reserves_change_3y_pct, None);
    let i = indicators(&ncc(), y("2015-16")).unwrap();
    assert_eq!(i.reserves_level_pct, Some(d("4.40")));
    assert_eq!(i.reserves_sustainability_years, Some(d("0.7")));
}

#[rstest]
#[case::grew(100, 130, "30.00")]
#[case::fell(100, 25, "-75.00")]
fn reserves_change_is_against_three_years_before(
    #[case] then: i64,
    #[case] now: i64,
    #[case] pct: &str,
) {
    let history = [
        year("2012-13", 1_000, then, 0),
        year("2013-14", 1_000, then, 0),
        year("2014-15", 1_000, then, 0),
        year("2015-16", 1_000, now - 5, 5),
    ];
    let i = indicators(&history, y("2015-16")).unwrap();
    assert_eq!(i.reserves_change_3y_pct, Some(d(pct)));
}

#[test]
fn a_gap_in_the_history_shortens_the_sustainability_window() {
    // 2013-14 missing: only 2014-15 → 2015-16 counts (fall of 100 a year, 300 left).
    let history = [
        year("2012-13", 1_000, 10_000, 0),
        year("2014-15", 1_000, 400, 0),
        year("2015-16", 1_000, 300, 0),
    ];
    let i = indicators(&history, y("2015-16")).unwrap();
    assert_eq!(i.reserves_sustainability_years, Some(d("3")));
}

#[test]
fn ratios_divide_by_net_revenue_expenditure() {
    let i = indicators(&[year("2015-16", 1_000, 50, 25)], y("2015-16")).unwrap();
    assert_eq!(i.reserves_level_pct, Some(d("7.50")));
    assert_eq!(i.council_tax_ratio_pct, Some(d("50.00")));
    assert_eq!(i.social_care_ratio_pct, Some(d("60.00")));
    assert_eq!(i.grant_dependency_pct, Some(d("20.00")));
    let zero = indicators(&[year("2015-16", 0, 50, 25)], y("2015-16")).unwrap();
    assert_eq!(zero.reserves_level_pct, None);
    assert_eq!(indicators(&[], y("2015-16")), None);
}

fn member(
    code: &str,
    class: AuthorityClass,
    level: &str,
    grant: &str,
    sustainability: Option<&str>,
) -> Member {
    Member {
        code: code.into(),
        class,
        indicators: Indicators {
            year: y("2016-17"),
            reserves_level_pct: Some(d(level)),
            reserves_change_3y_pct: None,
            reserves_sustainability_years: sustainability.map(d),
            council_tax_ratio_pct: None,
            social_care_ratio_pct: None,
            grant_dependency_pct: Some(d(grant)),
        },
    }
}

fn counties() -> Vec<Member> {
    use AuthorityClass::*;
    vec![
        member("E2820", ShireCounty, "1.96", "12", Some("0.4")),
        member("E0521", ShireCounty, "9.50", "10", None),
        member("E1000", ShireCounty, "5.00", "30", Some("8")),
        member("E1001", ShireCounty, "5.00", "20", Some("2")),
        member("E9999", Unitary, "0.10", "1", Some("0.1")),
    ]
}

#[test]
fn an_authority_is_ranked_within_its_own_class_only() {
    let s = standing(&counties(), "E2820").unwrap();
    let level = s
        .iter()
        .find(|x| x.indicator == Indicator::ReservesLevel)
        .unwrap();
    assert_eq!((level.rank, level.of, level.percentile), (4, 4, d("0")));
    let sustainability = s
        .iter()
        .find(|x| x.indicator == Indicator::ReservesSustainability)
        .unwrap();
    assert_eq!((sustainability.rank, sustainability.of), (4, 4));
}

#[test]
fn lower_grant_dependency_ranks_as_more_resilient() {
    let s = standing(&counties(), "E0521").unwrap();
    let grant = s
        .iter()
        .find(|x| x.indicator == Indicator::GrantDependency)
        .unwrap();
    assert_eq!((grant.rank, grant.percentile), (1, d("100")));
    let sustainability = s
        .iter()
        .find(|x| x.indicator == Indicator::ReservesSustainability)
        .unwrap();
    assert_eq!(sustainability.value, None);
    assert_eq!(sustainability.rank, 1, "reserves not falling rank first");
}

#[test]
fn equal_values_share_the_better_rank() {
    let a = standing(&counties(), "E1000").unwrap();
    let b = standing(&counties(), "E1001").unwrap();
    let rank = |s: &[Standing]| {
        s.iter()
            .find(|x| x.indicator == Indicator::ReservesLevel)
            .unwrap()
            .rank
    };
    assert_eq!((rank(&a), rank(&b)), (2, 2));
    assert_eq!(standing(&counties(), "nobody"), None);
}

proptest! {
    #[test]
    fn ranks_run_from_one_to_the_class_size(levels in proptest::collection::vec(0u32..10_000, 1..30)) {
        let members: Vec<Member> = levels
            .iter()
            .enumerate()
            .map(|(i, &l)| member(&format!("E{i}"), AuthorityClass::ShireCounty, &Decimal::new(i64::from(l), 2).to_string(), "10", None))
            .collect();
        let mut ranks = Vec::new();
        for m in &members {
            let s = standing(&members, &m.code).unwrap();
            let level = s.iter().find(|x| x.indicator == Indicator::ReservesLevel).unwrap();
            prop_assert!(level.rank >= 1 && level.rank <= members.len());
            prop_assert!(level.percentile >= Decimal::ZERO && level.percentile <= Decimal::ONE_HUNDRED);
            ranks.push((level.value, level.rank));
        }
        for &(va, ra) in &ranks {
            for &(vb, rb) in &ranks {
                if va > vb { prop_assert!(ra < rb); }
                if va == vb { prop_assert_eq!(ra, rb); }
            }
        }
    }
}

#[test]
fn organisation_names_match_the_returns_names() {
    assert_eq!(
        name_key("Northamptonshire County Council"),
        name_key("Northamptonshire")
    );
    assert_eq!(name_key("Milton Keynes Council"), name_key("Milton Keynes"));
    assert_eq!(name_key("Corby Borough Council"), "corby");
    assert_ne!(
        name_key("East Northamptonshire Council"),
        name_key("Northamptonshire")
    );
}

#[test]
fn a_plan_gives_its_own_history_from_the_year_before_it() {
    use crate::finance::fixtures::demo_plan;
    use crate::finance::mtfp::report;
    let plan = demo_plan();
    let r = report(&plan);
    let history = from_plan(&plan, &r);
    assert_eq!(history.len(), r.rows.len() + 1);
    assert_eq!(history[0].year, plan.first_year.prev().unwrap());
    for (h, row) in history[1..].iter().zip(&r.rows) {
        assert_eq!(h.year, row.year);
        assert_eq!(h.net_revenue_expenditure, row.net_budget_requirement);
        assert_eq!(h.reserves(), row.reserves_end);
    }
    let last = r.rows.last().unwrap().year;
    assert!(indicators(&history, last).is_some());
}
