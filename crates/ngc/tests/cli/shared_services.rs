use super::support::{Sandbox, demo_pack};
use serde_json::Value;

fn lgss_file() -> std::path::PathBuf {
    demo_pack().join("shared-services/lgss.csv")
}

/// The demo pack's councils, LGSS and the county's plan, with LGSS's figures imported.
fn lgss() -> Sandbox {
    let s = Sandbox::new();
    let r = s.ngc(&["import", "pack", demo_pack().to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.ngc(
        &[
            "import",
            "shared-services",
            lgss_file().to_str().unwrap(),
            "--partnership",
            "lgss",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("6 services, 60 service years"),
        "{}",
        r.stdout
    );
    s
}

fn json(s: &Sandbox, args: &[&str]) -> Value {
    let r = s.ngc(args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn pence(v: &Value) -> i64 {
    let text = v.as_str().unwrap_or_else(|| panic!("{v} is not money"));
    let (pounds, p) = text.split_once('.').unwrap();
    let sign = if pounds.starts_with('-') { -1 } else { 1 };
    pounds.parse::<i64>().unwrap() * 100 + sign * p.parse::<i64>().unwrap()
}

#[test]
fn the_lgss_statement_allocates_pool_less_income_to_the_penny_and_is_pinned() {
    let s = lgss();
    let st = json(
        &s,
        &[
            "shared-services",
            "statement",
            "--partnership",
            "lgss",
            "--year",
            "2016-17",
            "--format",
            "json",
        ],
    );
    let totals = &st["totals"];
    assert_eq!(
        pence(&totals["allocated"]),
        pence(&totals["pool"]) - pence(&totals["income"])
    );
    let partners = st["partners"].as_array().unwrap();
    let net: i64 = partners.iter().map(|p| pence(&p["net_charge"])).sum();
    assert_eq!(net, pence(&totals["allocated"]));
    // Milton Keynes, from April 2016, is charged; the county's back office is about 6% of
    // its net budget requirement in the plan.
    let orgs: Vec<&str> = partners
        .iter()
        .map(|p| p["organisation"].as_str().unwrap())
        .collect();
    assert_eq!(
        orgs,
        ["cambridgeshire", "milton-keynes", "northamptonshire"]
    );
    assert_eq!(partners[2]["back_office_pct"], "6.33");
    insta::assert_json_snapshot!("lgss_statement_2016_17", st);

    let csv = s.ngc(
        &[
            "shared-services",
            "statement",
            "--partnership",
            "lgss",
            "--year",
            "2016-17",
            "--format",
            "csv",
        ],
        "",
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    // A header, six services for each of three partners, and a total line for each.
    assert_eq!(csv.stdout.lines().count(), 1 + 3 * 7, "{}", csv.stdout);
}

#[test]
fn ten_years_of_lgss_savings_reproduce_the_2010_projections() {
    let s = lgss();
    let v = json(
        &s,
        &[
            "shared-services",
            "savings",
            "--partnership",
            "lgss",
            "--format",
            "json",
        ],
    );
    let years = v["view"]["years"].as_array().unwrap();
    assert_eq!(years.len(), 10);
    assert_eq!(years[0]["year"], "2010-11");
    let by: std::collections::BTreeMap<&str, i64> = v["view"]["by_partner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["organisation"].as_str().unwrap(), pence(&p["saving"])))
        .collect();
    // More than £12m for the county, more than £25m for both founding partners.
    assert!(by["northamptonshire"] > 1_200_000_000, "{by:?}");
    assert!(
        by["northamptonshire"] + by["cambridgeshire"] > 2_500_000_000,
        "{by:?}"
    );
    let published = v["published"].as_array().unwrap();
    assert_eq!(published.len(), 5);
    assert!(
        published
            .iter()
            .all(|p| p["provenance"]["confirmed"] == false)
    );
}

#[test]
fn bad_figures_are_refused_naming_the_record_and_field_and_nothing_is_written() {
    let s = lgss();
    let before = s.ngc(&["audit", "verify"], "").stdout;
    let original = std::fs::read_to_string(lgss_file()).unwrap();
    let cases: [(&str, &str, &str); 4] = [
        (
            "legal,2016-17,share,milton-keynes,18,",
            "legal,2016-17,share,milton-keynes,17,",
            "service `legal` 2016-17: shares: the partners' shares sum to 99%, not 100%",
        ),
        (
            "hr,2016-17,driver,milton-keynes,",
            "hr,2016-17,driver-gone,milton-keynes,",
            "item",
        ),
        (
            "audit,2012-13,pool,,",
            "audit,2012-13,pool,,-",
            "service `audit` 2012-13: pool: may not be negative",
        ),
        (
            "payroll,2013-14,fee,\"Schools, academies and town councils (payroll)\",",
            "payroll,2013-14,fee,\"Schools, academies and town councils (payroll)\",99",
            "service `payroll` 2013-14: income: external income of £99",
        ),
    ];
    for (i, (from, to, message)) in cases.iter().enumerate() {
        assert!(original.contains(from), "{from}");
        let file = s.dir.path().join(format!("bad-{i}.csv"));
        std::fs::write(&file, original.replacen(from, to, 1)).unwrap();
        let r = s.ngc(
            &[
                "import",
                "shared-services",
                file.to_str().unwrap(),
                "--partnership",
                "lgss",
            ],
            "",
        );
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(r.stderr.contains(message), "{message}: {}", r.stderr);
        assert_eq!(s.ngc(&["audit", "verify"], "").stdout, before, "{i}");
    }
    // A missing driver value, once the line is gone.
    let file = s.dir.path().join("missing.csv");
    let without: Vec<&str> = original
        .lines()
        .filter(|l| !l.starts_with("hr,2016-17,driver,milton-keynes,"))
        .collect();
    std::fs::write(&file, without.join("\n")).unwrap();
    let r = s.ngc(
        &[
            "import",
            "shared-services",
            file.to_str().unwrap(),
            "--partnership",
            "lgss",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "service `hr` 2016-17: driver: no headcount value for `milton-keynes`, a partner in the service that year"
        ),
        "{}",
        r.stderr
    );
    // Leaving before joining.
    let r = s.ngc(
        &[
            "shared-services",
            "exit",
            "--partnership",
            "lgss",
            "--organisation",
            "milton-keynes",
            "--notice-given-on",
            "2014-01-01",
            "--left-on",
            "2015-03-31",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("left_on: 2015-03-31 is before `milton-keynes` joined on 2016-04-01"),
        "{}",
        r.stderr
    );
    // Too little notice under the agreement's twelve months.
    let r = s.ngc(
        &[
            "shared-services",
            "exit",
            "--partnership",
            "lgss",
            "--organisation",
            "milton-keynes",
            "--notice-given-on",
            "2019-01-01",
            "--left-on",
            "2019-06-30",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("the agreement asks 12 months' notice: given on 2019-01-01, the earliest last day is 2019-12-31"),
        "{}",
        r.stderr
    );
    assert_eq!(s.ngc(&["audit", "verify"], "").stdout, before);
}
