//! Budget-line files in CSV and XLSX.

use ngc_domain::finance::{ServiceLine, Subjective};
use ngc_domain::money::Money;
use ngc_io::finance::read_budget;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/io/finance/fixtures")
        .join(name)
}

fn problems(path: &Path) -> Vec<String> {
    match read_budget(path) {
        Ok(lines) => panic!("read {} lines without problems", lines.len()),
        Err(e) => e.errors().iter().map(ToString::to_string).collect(),
    }
}

const CSV: &str = "\
organisation,year,service,subjective,amount
northamptonshire,2016-17,adult_social_care,third_party_payments,168151000
northamptonshire,2016-17,adult_social_care,income,40000000.50
cambridgeshire,2016-17,adult_social_care,third_party_payments,149774000
";

fn csv_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget.csv");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn a_budget_csv_reads() {
    let (_dir, path) = csv_file(CSV);
    let lines = read_budget(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1].subjective, Subjective::Income);
    assert_eq!(lines[1].amount, "40000000.50".parse::<Money>().unwrap());
    assert_eq!(lines[2].organisation, "cambridgeshire");
}

#[test]
fn a_budget_line_is_given_once_per_organisation_year_service_and_subjective() {
    let (_dir, path) = csv_file(&format!(
        "{CSV}northamptonshire,2016-17,adult_social_care,income,1\n"
    ));
    assert_eq!(
        problems(&path),
        [format!(
            "{}: line 5, column subjective: northamptonshire 2016-17 adult_social_care / income is already given on line 3",
            path.display()
        )]
    );
}

#[test]
fn a_budget_in_another_format_is_refused() {
    let (_dir, path) = csv_file(CSV);
    let txt = path.with_extension("txt");
    std::fs::rename(&path, &txt).unwrap();
    assert_eq!(
        problems(&txt),
        [format!(
            "{}: a budget file is CSV (.csv) or a workbook (.xlsx)",
            txt.display()
        )]
    );
}

#[test]
fn a_budget_workbook_reads() {
    let lines = read_budget(&fixture("budget.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0].service, ServiceLine::AdultSocialCare);
    assert_eq!(lines[0].amount, Money::pounds(168_151_000));
    assert_eq!(lines[1].amount, "40000000.50".parse::<Money>().unwrap());
    assert_eq!(lines[2].amount, "20445000.25".parse::<Money>().unwrap());
    assert_eq!(lines[3].organisation, "cambridgeshire");
}

#[test]
fn a_bad_workbook_cell_is_reported_by_its_cell() {
    let path = fixture("budget_bad_cells.xlsx");
    let problems = problems(&path);
    let file = path.display();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with(&format!(
            "{file}: line 3, column service (Budget!C3): unknown service line `libraries`: expected one of"
        )),
        "{problems:#?}"
    );
    assert_eq!(
        problems[1],
        format!(
            "{file}: line 4, column amount (Budget!E4): `20445000.125` has more than two decimal places"
        )
    );
}
