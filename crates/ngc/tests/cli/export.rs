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

const TRAFFORD_GRANTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/transparency/trafford/transparency_code/grants/\
     trafford_council_voluntary_sector_grants.csv"
);

/// `ngc export transparency`: Darlington's real spend for 2015-16 comes out whole with the
/// payments to individuals redacted and counted, and its CSVW metadata beside the file; a
/// council's real 360Giving grants go into the register once and come out as 360Giving with
/// the council's org-id; an unknown council or a bad grants file writes nothing.
#[test]
fn the_demo_publishes_its_transparency_datasets_from_its_records() {
    let s = demo();
    let transparency = |args: &[&str]| {
        let mut all = vec!["--today", "2026-11-28", "export", "transparency"];
        all.extend_from_slice(args);
        s.ngc(&all, "")
    };
    let spend = transparency(&["spend", "--org", "darlington", "--from", "2015-04-01"]);
    assert_eq!(spend.code, 0, "{}", spend.stderr);
    let rows: Vec<&str> = spend.stdout.lines().collect();
    assert!(
        rows[0].starts_with("OrganisationLabel,OrganisationURI,EffectiveDate,"),
        "{}",
        rows[0]
    );
    assert_eq!(rows.len(), 10_799);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.starts_with("Darlington Borough Council,"))
    );
    let redacted = rows
        .iter()
        .filter(|r| r.contains(",Redacted – personal data,"))
        .count();
    assert_eq!(redacted, 36);
    assert!(
        spend.stderr.contains("`darlington`, Expenditure over £500, 2015-04-01 to 2016-03-31: 10798 rows; 36 beneficiaries redacted"),
        "{}",
        spend.stderr
    );
    assert!(
        !rows
            .iter()
            .any(|r| r.contains("Adoption Allowance") && !r.contains("Redacted"))
    );

    let out = s.dir.path().join("darlington-spend.csv");
    let file = transparency(&[
        "spend",
        "--org",
        "darlington",
        "--from",
        "2015-04-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(file.code, 0, "{}", file.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), spend.stdout);
    let metadata: Value = serde_json::from_str(
        &std::fs::read_to_string(s.dir.path().join("darlington-spend.csv-metadata.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(metadata["url"], "darlington-spend.csv");
    assert_eq!(
        metadata["tableSchema"]["columns"].as_array().unwrap().len(),
        rows[0].split(',').count()
    );

    let import = |path: &str| s.ngc(&["import", "grants", path, "--org", "darlington"], "");
    let first = import(TRAFFORD_GRANTS);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let added: usize = first
        .stdout
        .split(" added")
        .next()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(added > 100, "{}", first.stdout);
    let again = import(TRAFFORD_GRANTS);
    assert!(
        again.stdout.contains(": 0 added, 0 changed"),
        "{}",
        again.stdout
    );
    let grants = transparency(&[
        "grants",
        "--org",
        "darlington",
        "--from",
        "2000-01-01",
        "--to",
        "2030-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(grants.code, 0, "{}", grants.stderr);
    let json: Value = serde_json::from_str(&grants.stdout).unwrap();
    let list = json["grants"].as_array().unwrap();
    assert_eq!(list.len(), added);
    assert_eq!(list[0]["fundingOrganization"][0]["id"], "GB-LAE-DAL");
    assert!(
        list.iter()
            .any(|g| g["id"] == "360G-traffordmbc-VSG1342" && g["amountAwarded"] == 2266.0)
    );

    let bad = s.dir.path().join("bad.csv");
    std::fs::write(&bad, "Identifier,Title,Description,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name\nNEW-1,T,D,12.345,2016-01-01,GB-CHC-1,A\n").unwrap();
    let refused = import(bad.to_str().unwrap());
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("line 2") && refused.stderr.contains("Amount Awarded"),
        "{}",
        refused.stderr
    );
    let after = transparency(&[
        "grants",
        "--org",
        "darlington",
        "--from",
        "2000-01-01",
        "--to",
        "2030-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(
        after.stdout, grants.stdout,
        "nothing of the bad file was imported"
    );

    // A corrected grant gets a new version; the earlier one is restored as a third.
    let fix = s.dir.path().join("fix.csv");
    std::fs::write(&fix, "Identifier,Title,Description,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name\n360G-traffordmbc-VSG1342,Corrected,D,9999.00,2016-01-01,GB-CHC-1,A\n").unwrap();
    assert_eq!(import(fix.to_str().unwrap()).code, 0);
    let grant = ["--org", "darlington", "--grant", "360G-traffordmbc-VSG1342"];
    let versions = s.ngc(&[&["grants", "versions"][..], &grant].concat(), "");
    assert_eq!(versions.code, 0, "{}", versions.stderr);
    let lines: Vec<&str> = versions.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", versions.stdout);
    assert!(
        lines[1].starts_with("2 (current) Corrected") && lines[1].contains("£9,999.00"),
        "{}",
        versions.stdout
    );
    let restore = s.ngc(
        &[&["grants", "restore"][..], &grant, &["--version", "1"]].concat(),
        "",
    );
    assert_eq!(restore.code, 0, "{}", restore.stderr);
    let versions = s.ngc(&[&["grants", "versions"][..], &grant].concat(), "");
    assert_eq!(versions.stdout.lines().count(), 3, "{}", versions.stdout);
    assert!(
        versions
            .stdout
            .lines()
            .last()
            .unwrap()
            .contains("£2,266.00"),
        "{}",
        versions.stdout
    );
    let current = s.ngc(
        &[&["grants", "restore"][..], &grant, &["--version", "3"]].concat(),
        "",
    );
    assert_ne!(current.code, 0);
    assert!(
        current.stderr.contains("is the current one"),
        "{}",
        current.stderr
    );

    // Darlington's spend went into its ledger as it was imported: nothing is left to post.
    let post = s.ngc(&["ledger", "post-spend", "--org", "darlington"], "");
    assert_eq!(post.code, 0, "{}", post.stderr);
    assert_eq!(
        post.stdout,
        "nothing to post: every current import is in the ledger\n"
    );

    let nowhere = s.dir.path().join("nowhere.csv");
    let unknown = transparency(&[
        "spend",
        "--org",
        "nowhere",
        "--out",
        nowhere.to_str().unwrap(),
    ]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("nowhere"), "{}", unknown.stderr);
    assert!(!nowhere.exists() && !s.dir.path().join("nowhere.partial").exists());
}
