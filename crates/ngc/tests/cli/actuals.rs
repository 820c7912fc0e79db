//! `ngc import actuals` and `ngc ledger budget-monitoring` as a process: a bad extract is
//! refused whole naming file, line, column and value; a good one posts once; the report reads
//! it back, saying which months are partial.

use super::support::{Sandbox, demo_pack};
use serde_json::Value;

fn pack() -> Sandbox {
    let s = Sandbox::new();
    let r = s.ngc(&["import", "pack", demo_pack().to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    s
}

fn write(s: &Sandbox, name: &str, text: &str) -> String {
    let path = s.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn trial_balance(s: &Sandbox) -> String {
    let r = s.ngc(
        &[
            "ledger",
            "trial-balance",
            "--org",
            "northamptonshire",
            "--at",
            "2016-03-31",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn a_bad_extract_is_refused_whole_naming_each_row_and_a_good_one_posts_once() {
    let s = pack();
    let before = trial_balance(&s);
    let bad = write(
        &s,
        "gl-bad.csv",
        "Period,Service line,Subjective,Amount\n\
         2015-04,Adult social care,Third party payments,1234.56\n\
         2015-04,Adult social care,Employees,12.345\n\
         2015-13,Education,Employees,abc\n",
    );
    let r = s.ngc(
        &["import", "actuals", &bad, "--org", "northamptonshire"],
        "",
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines[0],
        format!("{bad}: line 3, column Amount: `12.345` has more than two decimal places")
    );
    assert!(
        lines[1].starts_with(&format!("{bad}: line 4, column Period: `2015-13`")),
        "{}",
        r.stderr
    );
    assert_eq!(
        lines[2],
        format!("{bad}: line 4, column Amount: `abc` is not an amount of money")
    );
    assert_eq!(lines.last(), Some(&"nothing was imported"));
    assert_eq!(trial_balance(&s), before);

    let good = write(
        &s,
        "gl-2015-04.csv",
        "Period,Service line,Subjective,Amount\n\
         2015-04,Adult social care,Third party payments,1234.56\n\
         2015-16 P01,Education,Employees,\"1,000.00\"\n",
    );
    let args = [
        "import",
        "actuals",
        good.as_str(),
        "--org",
        "northamptonshire",
    ];
    let r = s.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("2 lines for 2015-04 to 2015-04, net £2,234.56; 2 journals posted"),
        "{}",
        r.stdout
    );
    let r = s.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("nothing added"), "{}", r.stdout);

    let r = s.ngc(
        &[
            "ledger",
            "budget-monitoring",
            "--org",
            "northamptonshire",
            "--year",
            "2015-16",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j: Value = serde_json::from_str(&r.stdout).unwrap();
    let care = j["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["service"] == "Adult social care")
        .unwrap();
    assert_eq!(care["actuals"][0], "1234.56");
    assert_eq!(j["months"][0]["general_ledger"], true);
    assert_eq!(j["months"][1]["general_ledger"], false);
    assert_eq!(j["actuals_partial"], true);
    let r = s.ngc(
        &[
            "ledger",
            "budget-monitoring",
            "--org",
            "northamptonshire",
            "--year",
            "2015-16",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("actuals are partial for 2015-05, 2015-06"),
        "{}",
        r.stdout
    );
    let r = s.ngc(
        &[
            "ledger",
            "budget-monitoring",
            "--org",
            "northamptonshire",
            "--year",
            "2015-16",
            "--method",
            "guess",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("method"), "{}", r.stderr);
}
