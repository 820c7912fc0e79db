//! `ngc export payment-performance`: the demo's payments make the county's compliance
//! figures (the same bytes as the download), its contracts (all let under PCR 2015) have no
//! payment the s70 return covers; a file is written whole; an unknown council is one line
//! and exit 1, a date that does not exist is bad usage (2).

use super::support::Sandbox;
use serde_json::Value;

fn demo() -> Sandbox {
    let s = Sandbox::new();
    let load = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(load.code, 0, "{}", load.stderr);
    s
}

fn export(s: &Sandbox, args: &[&str]) -> String {
    let mut all = vec!["--today", "2026-11-28", "export", "payment-performance"];
    all.extend_from_slice(args);
    let r = s.ngc(&all, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn the_payment_returns_of_the_demo_county_are_exported() {
    let s = demo();
    let csv = export(
        &s,
        &[
            "compliance",
            "--org",
            "northamptonshire",
            "--from",
            "2026-04-01",
            "--to",
            "2026-09-30",
        ],
    );
    assert_eq!(
        csv,
        "organisation,organisation_id,period,period_start,period_end,statutory,publish_by,\
         invoices_paid,total_paid,paid_in_time,paid_late,disputed,in_time_percent,\
         average_days_to_pay,paid_days_1_to_30,paid_days_31_to_60,paid_days_61_or_more,\
         percent_days_1_to_30,percent_days_31_to_60,percent_days_61_or_more\n\
         Northamptonshire County Council,GB-LAE-NTH,2026-27 H1,2026-04-01,2026-09-30,true,\
         2026-10-29,6,8931339.12,5,1,0,83.33,23.50,5,1,0,83.33,16.67,0.00\n"
    );

    let json: Value = serde_json::from_str(&export(
        &s,
        &[
            "compliance",
            "--org",
            "northamptonshire",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let periods = json["periods"].as_array().unwrap();
    assert_eq!(periods.first().unwrap()["period"]["label"], "2019-20 H1");
    assert_eq!(periods.last().unwrap()["period"]["label"], "2026-27 H2");
    assert_eq!(json["rule"]["confirmed"], false);

    // Every demo contract was let under PCR 2015: none is covered by s70.
    let out = s.dir.path().join("payments.csv");
    let payments = export(
        &s,
        &[
            "payments",
            "--org",
            "northamptonshire",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(payments, "");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "organisation,organisation_id,quarter,quarter_start,quarter_end,coverage,payment_id,\
         paid_on,amount,currency,contract_id,contract_reference,contract_title,ocid,supplier,\
         supplier_id,procurement_commenced_on\n"
    );
    assert!(!s.dir.path().join("payments.partial").exists());
}

#[test]
fn an_unknown_council_is_one_line_and_a_bad_date_is_bad_usage() {
    let s = Sandbox::new();
    let r = s.ngc(
        &[
            "export",
            "payment-performance",
            "compliance",
            "--org",
            "nowhere",
        ],
        "",
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("organisation `nowhere` not found"),
        "{}",
        r.stderr
    );
    let r = s.ngc(
        &[
            "export",
            "payment-performance",
            "payments",
            "--org",
            "northamptonshire",
            "--from",
            "2026-02-30",
        ],
        "",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}
