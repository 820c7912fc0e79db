use super::*;
use ngc_domain::money::Money;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn an_extract_is_read_by_its_headers() {
    let d = tmp();
    let f = write(
        d.path(),
        "gl.csv",
        "\u{feff}Period,Service line,Subjective,Amount\n\
         2016-04,Adult social care,Employees,\"1,234.56\"\n\
         2016-17 P02,adult_social_care,Income,(80.00)\n\
         2016/17 P12,Education,Third party payments,5\n\
         \n\
         2016-05-31,Central services,Running costs,-0.01\n",
    );
    let e = read_actuals(&f, None).unwrap();
    assert_eq!(e.name, "gl.csv");
    assert_eq!(e.sha256.len(), 64);
    let got: Vec<(u64, String, &str, bool, Money)> = e
        .lines
        .iter()
        .map(|l| {
            (
                l.line,
                l.month.to_string(),
                l.service.as_str(),
                l.income,
                l.amount,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                2,
                "2016-04-01".into(),
                "adult_social_care",
                false,
                Money::pence(123_456)
            ),
            (
                3,
                "2016-05-01".into(),
                "adult_social_care",
                true,
                Money::pence(-8_000)
            ),
            (
                4,
                "2017-03-01".into(),
                "education",
                false,
                Money::pence(500)
            ),
            (
                6,
                "2016-05-01".into(),
                "central_services",
                false,
                Money::pence(-1)
            ),
        ]
    );
}

#[test]
fn every_bad_row_is_reported_with_line_column_value_and_why() {
    let d = tmp();
    let f = write(
        d.path(),
        "bad.csv",
        "Period,Service,Subjective,Amount\n\
         2016-04,Education,Employees,12.345\n\
         2016-13,Education,Employees,1\n\
         2016-04,Libraries,Employees,abc\n\
         2016-17 P13,Education,,1\n",
    );
    let err = read_actuals(&f, None).unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    assert!(
        lines[0].starts_with(&format!(
            "{}: line 2, column Amount: `12.345` has more than two decimal places",
            f.display()
        )),
        "{err}"
    );
    assert!(
        lines[1].contains("line 3, column Period: `2016-13` is not a month of the calendar"),
        "{err}"
    );
    assert!(
        lines[2].contains("line 4, column Service: `Libraries` is not a service line"),
        "{err}"
    );
    assert!(
        lines[3].contains("line 4, column Amount: `abc` is not an amount of money"),
        "{err}"
    );
    assert!(
        lines[4].contains("line 5, column Period: `2016-17 P13` is not a period of the year"),
        "{err}"
    );
    assert!(
        lines[5].contains("line 5, column Subjective: a subjective is required"),
        "{err}"
    );
}

#[test]
fn a_missing_column_is_named_and_so_is_a_mapping_naming_a_missing_one() {
    let d = tmp();
    let f = write(
        d.path(),
        "gl.csv",
        "Period,Service,Amount\n2016-04,Education,1\n",
    );
    let err = read_actuals(&f, None).unwrap_err().to_string();
    assert!(
        err.contains("line 1, column subjective: missing column"),
        "{err}"
    );
    let m = write(
        d.path(),
        "map.toml",
        "[columns]\nsubjective = \"Subj Desc\"\n",
    );
    let mapping = Mapping::read(&m).unwrap();
    let err = read_actuals(&f, Some(&mapping)).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: column columns.subjective: {} has no column Subj Desc: its header is Period, Service, Amount",
            m.display(),
            f.display()
        )
    );
}

#[test]
fn a_mapping_places_cost_centres_and_names_income_subjectives() {
    let d = tmp();
    let m = write(
        d.path(),
        "map.toml",
        "income_subjectives = [\"Fees and charges\"]\n[columns]\nperiod = \"Fin Period\"\namount = \"YTD\"\n[cost_centres]\nC1040 = \"adult_social_care\"\nC2210 = \"Children's social care\"\n",
    );
    let mapping = Mapping::read(&m).unwrap();
    let f = write(
        d.path(),
        "gl.csv",
        "Fin Period,Cost Centre,Subjective,YTD\n2016-04,C1040,Fees and charges,-10\n2016-04,C2210,Employees,20\n2016-04,C9999,Employees,1\n",
    );
    let err = read_actuals(&f, Some(&mapping)).unwrap_err().to_string();
    assert!(
        err.contains("line 4, column Cost Centre: the mapping places no cost centre `C9999` on a service line"),
        "{err}"
    );
    let f = write(
        d.path(),
        "gl2.csv",
        "Fin Period,Cost Centre,Subjective,YTD\n2016-04,C1040,Fees and charges,-10\n2016-04,C2210,Employees,20\n",
    );
    let e = read_actuals(&f, Some(&mapping)).unwrap();
    assert_eq!(
        e.lines[0].account().to_string(),
        "income:Adult social care:Fees and charges"
    );
    assert_eq!(
        e.lines[1].account().to_string(),
        "expenditure:Children's social care:Employees"
    );
    let err = Mapping::parse(Path::new("m.toml"), "[cost_centres]\nX = \"Libraries\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("m.toml: column cost_centres.X: `Libraries` is not a service line"),
        "{err}"
    );
}
