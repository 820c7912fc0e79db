//! `ngc mtfp` and `ngc resilience` on the demo.

use super::support::Sandbox;

#[test]
fn the_demo_report_has_the_published_headlines_in_the_agreed_json() {
    let s = Sandbox::new();
    s.demo();
    let r = s.ngc(
        &[
            "--today",
            "2015-10-15",
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The whole JSON, as on 15 October 2015 (savings delivery judged at September).
    insta::assert_snapshot!("demo_report", r.stdout);
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["totals"]["pressures"], "104002271.60");
    assert_eq!(j["totals"]["savings"], "68000000.00");
    assert_eq!(j["totals"]["government_funding_change"], "-79000000.00");
    let ct = &j["council_tax"][0];
    assert_eq!(
        (ct["year"].as_str(), ct["band_d"].as_str()),
        (Some("2015-16"), Some("1069.02"))
    );
    assert_eq!(ct["increase_pct"], "1.95");
    // The official 2015-16 figures (CTR 2015-16): the requirement set, and Band D from it.
    assert_eq!(
        (ct["requirement"].as_str(), ct["requirement_set"].as_bool()),
        (Some("238217960.00"), Some(true))
    );
    assert_eq!(j["council_tax"][1]["band_d"], "1111.25", "official 2016-17");
    assert_eq!(j["council_tax"][1]["requirement_set"], false);
    assert_eq!(ct["within_limit"], true);
    assert!(
        !j["warnings"].as_array().unwrap().is_empty(),
        "the early warning fires on the demo"
    );
}

#[test]
fn the_report_exports_as_csv_and_a_workbook() {
    let s = Sandbox::new();
    s.demo();
    let r = s.ngc(
        &[
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--format",
            "csv",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("line,2015-16,2016-17,2017-18,2018-19,2019-20"),
        "{}",
        r.stdout
    );
    let out = s.dir.path().join("mtfp.xlsx");
    let r = s.ngc(
        &[
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
    let r = s.ngc(
        &[
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--format",
            "xlsx",
        ],
        "",
    );
    assert_eq!(r.code, 1, "xlsx needs --out");
}

#[test]
fn zero_trials_an_unknown_plan_or_organisation_are_clear_errors() {
    let s = Sandbox::new();
    s.demo();
    let r = s.ngc(
        &[
            "mtfp",
            "simulate",
            "--org",
            "northamptonshire",
            "--trials",
            "0",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("trials"), "{}", r.stderr);
    let r = s.ngc(
        &[
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--plan",
            "Fantasy",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no plan named `Fantasy`"), "{}", r.stderr);
    let r = s.ngc(&["mtfp", "report", "--org", "atlantis"], "");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("atlantis"), "{}", r.stderr);
}

#[test]
fn a_simulation_is_the_same_for_the_same_seed_whatever_the_threads() {
    let s = Sandbox::new();
    s.demo();
    let run = |threads: &str| {
        let r = s.ngc(
            &[
                "mtfp",
                "simulate",
                "--org",
                "northamptonshire",
                "--trials",
                "2000",
                "--seed",
                "7",
                "--threads",
                threads,
                "--format",
                "json",
            ],
            "",
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    insta::assert_snapshot!("demo_simulation_2000_trials_seed_7", one);
}

#[test]
fn a_scenario_above_the_limit_is_reported_as_a_referendum_and_principles_can_be_extended() {
    let s = Sandbox::new();
    s.demo();
    let scenario = "Council tax 4.99% in 2016-17 (referendum)";
    let r = s.ngc(
        &[
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--scenario",
            scenario,
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["council_tax"][1]["within_limit"], false);
    let file = s.dir.path().join("principles.csv");
    std::fs::write(&file, "year,authority_class,core_limit_pct,asc_precept_pct,cash_limit_gbp,confirmed,source\n2016-17,shire_county,4,2,,true,a generous year\n").unwrap();
    let r = s.ngc(
        &[
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--scenario",
            scenario,
            "--format",
            "json",
            "--principles",
            file.to_str().unwrap(),
        ],
        "",
    );
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["council_tax"][1]["referendum_limit_pct"], "6.00");
    assert_eq!(j["council_tax"][1]["within_limit"], true);
}

#[test]
fn the_official_returns_rank_northamptonshire_last_of_the_shire_counties_on_reserves() {
    let s = Sandbox::new();
    s.demo();
    let data = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/finance"
    ));
    let files = [
        data.join(
            "revenue-outturn/Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls",
        ),
        data.join("reserves-and-budgets/RS_2015-16_data_by_LA_-_Revision.xlsx"),
        data.join("reserves-and-budgets/RS_2016-17_data_by_LA.xlsx"),
        data.join("council-tax/ctr_1617.xlsx"),
    ];
    let mut args = vec!["import", "returns"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let r = s.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.ngc(
        &[
            "resilience",
            "--org",
            "northamptonshire",
            "--year",
            "2016-17",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["code"], "E2820");
    let level = j["standings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["indicator"] == "reserves_level")
        .unwrap();
    assert_eq!(level["rank"], level["of"], "last of its class: {level}");
}

/// The kinds of the early warnings `ngc mtfp report --format json` gives on `today`.
fn warning_kinds(s: &Sandbox, today: &str) -> Vec<(String, String)> {
    let r = s.ngc(
        &[
            "--today",
            today,
            "mtfp",
            "report",
            "--org",
            "northamptonshire",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["year"].as_str().unwrap().to_string(),
                w["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_report_judges_savings_delivery_as_at_the_servers_date() {
    let s = Sandbox::new();
    s.demo();
    // The demo's updates to September 2015 show amber at 70% and red at 30% of profile.
    let october = warning_kinds(&s, "2015-10-15");
    assert!(
        october.contains(&("2015-16".into(), "savings_delivery_lag".into())),
        "{october:?}"
    );
    let later = warning_kinds(&s, "2026-11-28");
    assert!(
        !later.iter().any(|(_, k)| k == "savings_delivery_lag"),
        "no plan year is current: {later:?}"
    );
    assert_eq!(october.len(), later.len() + 1, "only the lag differs");
}

#[test]
fn the_table_report_states_the_council_tax_rule() {
    let s = Sandbox::new();
    s.demo();
    let r = s.ngc(&["mtfp", "report", "--org", "northamptonshire"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("requirement £238,217,960.00 (set)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(ngc_domain::finance::council_tax::RULE));
}
