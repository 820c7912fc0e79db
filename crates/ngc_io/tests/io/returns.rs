//! Official finance returns: the real workbooks in `../shared/data/finance` (Northamptonshire's
//! figures pinned from the data README) and small fixtures for what must work without them.

use ngc_domain::finance::referendum::AuthorityClass;
use ngc_domain::finance::resilience::{Indicator, standing};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use ngc_io::returns::{ReturnKind, Returns, ReturnsError, read_returns};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const NORTHAMPTONSHIRE: &str = "E2820";

fn fy(start: u16) -> FinancialYear {
    FinancialYear::starting(start).expect("year in range")
}

/// £ thousand as money.
fn k(thousands: i64) -> Money {
    Money::pounds(thousands * 1000)
}

/// Rounded to £ thousand, as the returns print it.
fn in_thousands(m: Money) -> i64 {
    let pence = m.as_pence();
    (pence + pence.signum() * 50_000) / 100_000
}

fn finance_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/finance"
    ))
}

/// Every return workbook in the shared data: RS 2010-11 to 2017-18 (the final 2017-18
/// before the provisional one), the RA budget 2016-17 and the CTR tables 2015-16 to 2018-19.
fn shared_paths() -> Vec<PathBuf> {
    let d = finance_dir();
    [
        "revenue-outturn/Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls",
        "revenue-outturn/Revenue_Outturn_Summary__RS__data_2011-12_by_LA_-_Revised_28-Nov-2013.xls",
        "revenue-outturn/Revenue_Outturn_Summary__RS__data_2012-13_by_LA__Revised__-_18-Feb-2014.xls",
        "revenue-outturn/Revenue_Outturn_Summary__RS__data_2013-14_by_LA_-_Revised_28-Jan-2015.xls",
        "revenue-outturn/Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls",
        "reserves-and-budgets/RS_2015-16_data_by_LA_-_Revision.xlsx",
        "reserves-and-budgets/RS_2016-17_data_by_LA.xlsx",
        "revenue-outturn/RS_2017-18_data_by_LA.xlsx",
        "reserves-and-budgets/RS_2017-18_data_by_LA_PRENOV.xlsx",
        "reserves-and-budgets/budgetaccounts1617.xlsx",
        "council-tax/ctr_1516.xlsx",
        "council-tax/ctr_1617.xlsx",
        "council-tax/ctr_1718.xlsx",
        "council-tax/ctr_1819.xlsx",
    ]
    .iter()
    .map(|p| d.join(p))
    .collect()
}

/// The shared returns, read once for all the tests in this binary.
fn shared() -> &'static Returns {
    static RETURNS: OnceLock<Returns> = OnceLock::new();
    RETURNS.get_or_init(|| read_returns(&shared_paths()).expect("the shared returns read"))
}

fn northamptonshire() -> &'static ngc_io::returns::Authority {
    shared()
        .authority(NORTHAMPTONSHIRE)
        .expect("Northamptonshire in the returns")
}

#[test]
fn every_shared_workbook_is_recognised_by_its_content() {
    let kinds: Vec<(String, ReturnKind, Vec<String>)> = shared()
        .workbooks
        .iter()
        .map(|w| {
            (
                w.path.file_name().unwrap().to_string_lossy().into_owned(),
                w.kind,
                w.years.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    let rs = ReturnKind::RevenueOutturn;
    let ctr = ReturnKind::CouncilTaxRequirement;
    let expected: Vec<(ReturnKind, Vec<&str>)> = vec![
        (rs, vec!["2010-11"]),
        (rs, vec!["2011-12"]),
        (rs, vec!["2012-13"]),
        (rs, vec!["2013-14"]),
        (rs, vec!["2014-15"]),
        (rs, vec!["2015-16"]),
        (rs, vec!["2016-17"]),
        (rs, vec!["2017-18"]),
        (rs, vec!["2017-18"]),
        (ReturnKind::RevenueBudget, vec!["2016-17"]),
        (ctr, vec!["2014-15", "2015-16"]),
        (ctr, vec!["2015-16", "2016-17"]),
        (ctr, vec!["2016-17", "2017-18"]),
        (ctr, vec!["2017-18", "2018-19"]),
    ];
    assert_eq!(kinds.len(), expected.len());
    for ((file, kind, years), (want_kind, want_years)) in kinds.iter().zip(&expected) {
        assert_eq!(
            (kind, years),
            (
                want_kind,
                &want_years.iter().map(|y| y.to_string()).collect()
            ),
            "{file}"
        );
    }
    // The older RS workbooks: net current expenditure and the 31 March reserves sheet, not
    // the net total cost sheet.
    let rs_2012 = &shared().workbooks[2];
    assert_eq!(
        rs_2012.sheets,
        ["RS LA Data 2012-13 (1)", "RS LA Data 2012-13 (2)"]
    );
    // The RS 2017-18 workbook also holds a CTR table; it is read as the RS it is.
    assert_eq!(shared().workbooks[7].sheets, ["RS LA Data 2017-18"]);
}

#[test]
fn northamptonshire_is_a_shire_county_with_its_codes() {
    let ncc = northamptonshire();
    assert_eq!(ncc.name, "Northamptonshire");
    assert_eq!(ncc.class_code.as_deref(), Some("SC"));
    assert_eq!(ncc.class, Some(AuthorityClass::ShireCounty));
    assert_eq!(ncc.ons_code.as_deref(), Some("E10000021"));
}

#[test]
fn northamptonshire_net_revenue_expenditure_2010_to_2017() {
    let ncc = northamptonshire();
    let nre = |y| ncc.figures[&fy(y)].net_revenue_expenditure.unwrap();
    let thousands: Vec<i64> = (2010..=2017).map(|y| in_thousands(nre(y))).collect();
    assert_eq!(
        thousands,
        [
            390_378, 395_976, 400_938, 421_601, 425_586, 446_465, 432_101, 421_884
        ]
    );
    // Exact: whole thousands stay whole; 446465.36165000004 thousand is £446,465,361.65.
    assert_eq!(nre(2010), k(390_378));
    assert_eq!(nre(2015), Money::pence(44_646_536_165));
    // The 2016-17 budget (RA) against its outturn (RS).
    let budget = &ncc.budgets[&fy(2016)];
    assert_eq!(budget.net_revenue_expenditure, Some(k(423_686)));
    assert_eq!(budget.earmarked_reserves_end, Some(k(18_388)));
    assert_eq!(ncc.years[&fy(2016)].net_revenue_expenditure, nre(2016));
}

#[test]
fn northamptonshire_earmarked_reserves_run_down_2015_to_2017() {
    let ncc = northamptonshire();
    let f = |y| &ncc.figures[&fy(y)];
    // 1 April 2015 = 31 March 2015, the end of 2014-15: the same in both returns.
    assert_eq!(f(2014).earmarked_reserves_end, Some(k(47_695)));
    assert_eq!(f(2015).earmarked_reserves_start, Some(k(47_695)));
    assert_eq!(f(2015).earmarked_reserves_end, Some(k(19_636)));
    // The 2016-17 return restates 1 April 2016; the year's own 31 March figure stands.
    assert_eq!(f(2016).earmarked_reserves_start, Some(k(17_075)));
    assert_eq!(f(2016).earmarked_reserves_end, Some(k(8_481)));
    let earmarked: Vec<Money> = [2014, 2015, 2016]
        .iter()
        .map(|&y| ncc.years[&fy(y)].earmarked_reserves)
        .collect();
    assert_eq!(earmarked, [k(47_695), k(19_636), k(8_481)]);
    assert_eq!(ncc.years[&fy(2015)].unallocated_reserves, k(12_010));
    assert_eq!(ncc.years[&fy(2016)].unallocated_reserves, k(11_721));
}

#[test]
fn northamptonshire_council_tax_requirement_is_the_ctr_figure_to_the_pound() {
    let ncc = northamptonshire();
    let f = |y| &ncc.figures[&fy(y)];
    assert_eq!(
        f(2015).council_tax_requirement,
        Some(Money::pounds(238_217_960))
    );
    assert_eq!(
        ncc.years[&fy(2015)].council_tax_requirement,
        Money::pounds(238_217_960)
    );
    // 2014-15 from the previous-year column of the 2015-16 table, not the RS's £226,641k.
    assert_eq!(
        f(2014).council_tax_requirement,
        Some(Money::pounds(226_640_615))
    );
    assert_eq!(
        f(2017).council_tax_requirement,
        Some(Money::pence(27_336_843_461))
    );
    // Before the CTR tables, the RS figure in £ thousand.
    assert_eq!(f(2013).council_tax_requirement, Some(k(217_382)));
    assert_eq!(f(2014).band_d, Some(Money::pence(104_857)));
    assert_eq!(f(2015).band_d, Some(Money::pence(106_902)));
    assert_eq!(f(2015).tax_base, Some(Decimal::new(2_228_377, 1)));
    // 2018-19: only the CTR, so no complete year.
    assert!(f(2018).council_tax_requirement.is_some());
    assert!(!ncc.years.contains_key(&fy(2018)));
}

#[test]
fn northamptonshire_revenue_support_grant_falls() {
    let ncc = northamptonshire();
    let rsg: Vec<Money> = (2013..=2017)
        .map(|y| ncc.years[&fy(y)].government_grant)
        .collect();
    assert_eq!(
        rsg,
        [k(120_830), k(103_606), k(77_936), k(55_865), k(35_516)]
    );
    assert_eq!(
        ncc.figures[&fy(2015)]
            .revenue_support_grant
            .unwrap()
            .fmt_gbp(),
        "£77,936,000.00"
    );
}

#[test]
fn northamptonshire_complete_years_are_2010_to_2017() {
    let ncc = northamptonshire();
    let years: Vec<u16> = ncc.years.keys().map(|y| y.start_year()).collect();
    assert_eq!(years, (2010..=2017).collect::<Vec<_>>());
    // Social care: one line in 2010-11, adult plus children's after.
    assert_eq!(ncc.years[&fy(2010)].social_care_spend, k(242_527));
    assert_eq!(ncc.years[&fy(2011)].social_care_spend, k(168_967 + 79_526));
}

#[test]
fn there_are_27_shire_counties_in_2015_16() {
    let returns = shared();
    let counties = returns.in_class(AuthorityClass::ShireCounty, fy(2015));
    assert_eq!(counties.len(), 27);
    let complete = counties
        .iter()
        .filter(|a| a.years.contains_key(&fy(2015)))
        .count();
    assert_eq!(complete, 27, "every shire county has a complete 2015-16");
    let names: Vec<&str> = counties.iter().map(|a| a.name.as_str()).collect();
    for name in [
        "Northamptonshire",
        "Cambridgeshire",
        "Kent",
        "Surrey",
        "Worcestershire",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let members = returns.members(fy(2015));
    let shire = members
        .iter()
        .filter(|m| m.class == AuthorityClass::ShireCounty)
        .count();
    assert_eq!(shire, 27);
}

#[test]
fn northamptonshire_is_at_the_bottom_of_the_shire_counties_on_reserves() {
    let standing_in = |year| {
        let members = shared().members(fy(year));
        let all = standing(&members, NORTHAMPTONSHIRE).expect("Northamptonshire ranked");
        move |indicator| {
            let s = all.iter().find(|s| s.indicator == indicator).cloned();
            s.expect("a standing for the indicator")
        }
    };
    let y2015 = standing_in(2015);
    let sustainability = y2015(Indicator::ReservesSustainability);
    assert_eq!((sustainability.rank, sustainability.of), (27, 27));
    assert_eq!(sustainability.value, Some(Decimal::new(24, 1)));

    let y2016 = standing_in(2016);
    let sustainability = y2016(Indicator::ReservesSustainability);
    assert_eq!(sustainability.of, 27);
    assert!(sustainability.rank >= 26, "{sustainability:?}");
    assert_eq!(sustainability.value, Some(Decimal::new(15, 1)));
    let level = y2016(Indicator::ReservesLevel);
    assert_eq!((level.rank, level.of), (27, 27), "lowest reserves of all");
}

// ---- fixtures: no ../shared needed ----

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/io/fixtures/returns")
        .join(name)
}

fn error_of(paths: &[PathBuf]) -> ReturnsError {
    match read_returns(paths) {
        Ok(_) => panic!("read without an error"),
        Err(e) => e,
    }
}

#[test]
fn a_small_rs_reads_with_missing_markers_as_missing() {
    let returns = read_returns(&[fixture("rs_2015-16_small.xlsx")]).unwrap();
    assert_eq!(
        returns.authorities.len(),
        3,
        "the total row is not an authority"
    );
    let ncc = &returns.authorities[NORTHAMPTONSHIRE];
    let year = &ncc.years[&fy(2015)];
    assert_eq!(year.net_revenue_expenditure, Money::pence(44_646_536_165));
    assert_eq!(year.government_grant, k(77_936));
    assert_eq!(year.earmarked_reserves, k(19_636));
    assert_eq!(year.council_tax_requirement, k(238_218));
    assert_eq!(
        ncc.figures[&fy(2015)].earmarked_reserves_start,
        Some(k(47_695))
    );

    let cambs = &returns.authorities["E0521"];
    let f = &cambs.figures[&fy(2015)];
    assert_eq!(f.children_social_care, None, "`..`");
    assert_eq!(f.council_tax_requirement, None, "`-`");
    assert_eq!(f.earmarked_reserves_end, None, "blank");
    assert_eq!(f.adult_social_care, Some(k(150_000)));
    assert!(cambs.years.is_empty(), "an incomplete year is not made up");

    let barking = &returns.authorities["E5030"];
    assert_eq!(barking.class, Some(AuthorityClass::LondonBorough), "`L`");
}

#[test]
fn a_ctr_table_gives_the_exact_requirement_whatever_the_order_of_paths() {
    let rs = fixture("rs_2015-16_small.xlsx");
    let ctr = fixture("ctr_1516_small.xlsx");
    for paths in [vec![rs.clone(), ctr.clone()], vec![ctr.clone(), rs.clone()]] {
        let returns = read_returns(&paths).unwrap();
        let ncc = &returns.authorities[NORTHAMPTONSHIRE];
        assert_eq!(
            ncc.years[&fy(2015)].council_tax_requirement,
            Money::pounds(238_217_960)
        );
        assert_eq!(
            ncc.figures[&fy(2014)].council_tax_requirement,
            Some(Money::pounds(226_640_615))
        );
        assert_eq!(ncc.figures[&fy(2015)].band_d, Some(Money::pence(106_902)));
        let cambs = &returns.authorities["E0521"];
        assert_eq!(
            cambs.figures[&fy(2014)].council_tax_requirement,
            Some(Money::pence(23_789_000_050))
        );
        assert_eq!(cambs.figures[&fy(2015)].council_tax_requirement, None);
        assert!(
            !returns.authorities.contains_key("SC"),
            "class summary rows are skipped"
        );
    }
}

#[test]
fn a_cell_that_is_not_a_number_is_an_error_naming_file_sheet_and_cell() {
    let path = fixture("rs_2015-16_bad_cell.xlsx");
    let error = error_of(&[fixture("rs_2015-16_small.xlsx"), path.clone()]);
    assert_eq!(
        error.to_string(),
        format!(
            "{}: sheet RS LA Data 2015-16, cell F5: \"n/a\" is not a number",
            path.display()
        )
    );
    assert!(matches!(error, ReturnsError::Cell { ref cell, .. } if cell == "F5"));
}

#[test]
fn a_workbook_that_is_no_return_is_an_error_naming_it() {
    let path = fixture("not_a_return.xlsx");
    let error = error_of(std::slice::from_ref(&path));
    assert!(matches!(error, ReturnsError::Unrecognised { .. }));
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: not a recognised return: ", path.display())),
        "{message}"
    );

    let csv = fixture("not_a_workbook.csv");
    let message = error_of(std::slice::from_ref(&csv)).to_string();
    assert!(
        message.starts_with(&format!(
            "{}: not a recognised return: not an Excel workbook",
            csv.display()
        )),
        "{message}"
    );
}

#[test]
fn the_first_bad_path_is_reported_and_a_missing_file_is_named() {
    let missing = fixture("no_such_file.xlsx");
    let error = error_of(&[
        fixture("rs_2015-16_small.xlsx"),
        missing.clone(),
        fixture("not_a_return.xlsx"),
    ]);
    assert!(matches!(error, ReturnsError::Io { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with(&missing.display().to_string())
    );
}

#[test]
fn no_paths_is_no_authorities() {
    let returns = read_returns(&[]).unwrap();
    assert!(returns.authorities.is_empty() && returns.workbooks.is_empty());
}
