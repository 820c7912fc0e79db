//! `ngc contracts import` and `ngc contracts expiring`: a register file goes in all or
//! nothing, merging by reference; the demo's district waste contracts show in the pipeline.

use super::support::Sandbox;
use serde_json::Value;

const HEADER: &str = "reference,title,supplier_name,supplier_id,start_date,end_date,value\n";

#[test]
fn an_import_merges_by_reference_and_a_bad_file_writes_nothing() {
    let s = Sandbox::new();
    let load = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(load.code, 0, "{}", load.stderr);
    assert!(
        load.stdout.contains("Entered 18 demo contracts"),
        "{}",
        load.stdout
    );

    let file = s.dir.path().join("register.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}IMP-1,Day opportunities,Nene Valley Care CIC,GB-COH-99000101,2026-04-01,2027-03-31,48000.00\n\
             IMP-2,Advocacy,Ise Valley Advice Centre,,2026-04-01,2027-09-30,\"£12,500.50\"\n"
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let run = s.ngc(
        &[
            "--today",
            "2026-11-28",
            "contracts",
            "import",
            path,
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("2 added, 0 updated (old versions kept), 0 unchanged"),
        "{}",
        run.stdout
    );

    // A changed value updates; an unknown identifier and a third decimal place refuse the
    // whole file, naming each line and column.
    std::fs::write(
        &file,
        format!(
            "{HEADER}IMP-1,Day opportunities,Nene Valley Care CIC,GB-COH-99000101,2026-04-01,2027-03-31,50000.00\n\
             IMP-3,Transport,Nobody Ltd,GB-COH-12345678,2026-04-01,2027-03-31,100.00\n\
             IMP-4,Meals,Sywell Meals CIC,,2026-04-01,2027-03-31,100.005\n"
        ),
    )
    .unwrap();
    let run = s.ngc(
        &[
            "--today",
            "2026-11-28",
            "contracts",
            "import",
            path,
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("line 4, column value"),
        "{}",
        run.stderr
    );
    let expiring = |s: &Sandbox| -> Value {
        let r = s.ngc(
            &[
                "--today",
                "2026-11-28",
                "contracts",
                "expiring",
                "--org",
                "northamptonshire",
                "--months",
                "12",
                "--format",
                "json",
            ],
            "",
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    let before = expiring(&s);
    std::fs::write(
        &file,
        format!(
            "{HEADER}IMP-1,Day opportunities,Nene Valley Care CIC,GB-COH-99000101,2026-04-01,2027-03-31,50000.00\n\
             IMP-3,Transport,Nobody Ltd,GB-COH-12345678,2026-04-01,2027-03-31,100.00\n"
        ),
    )
    .unwrap();
    let run = s.ngc(
        &[
            "--today",
            "2026-11-28",
            "contracts",
            "import",
            path,
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("line 3, column supplier_id: no organisation is registered with identifier GB-COH-12345678"),
        "{}",
        run.stderr
    );
    assert_eq!(expiring(&s), before, "a refused import changed nothing");
    let imp1 = |p: &Value| {
        p["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["reference"] == "IMP-1")
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(imp1(&before), "48000.00");

    std::fs::write(
        &file,
        format!("{HEADER}IMP-1,Day opportunities,Nene Valley Care CIC,GB-COH-99000101,2026-04-01,2027-03-31,50000.00\n"),
    )
    .unwrap();
    let run = s.ngc(
        &[
            "--today",
            "2026-11-28",
            "contracts",
            "import",
            path,
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 added, 1 updated"), "{}", run.stdout);
    assert_eq!(imp1(&expiring(&s)), "50000.00");
}

#[test]
fn the_demo_pipeline_shows_the_district_waste_contracts_with_their_start_again_dates() {
    let s = Sandbox::new();
    let load = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(load.code, 0, "{}", load.stderr);
    let mut ends = Vec::new();
    for org in [
        "kettering",
        "corby",
        "south-northamptonshire",
        "daventry",
        "east-northamptonshire",
        "northampton",
        "wellingborough",
    ] {
        let r = s.ngc(
            &[
                "--today",
                "2026-11-28",
                "contracts",
                "expiring",
                "--org",
                org,
                "--months",
                "24",
                "--format",
                "json",
            ],
            "",
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let p: Value = serde_json::from_str(&r.stdout).unwrap();
        for c in p["contracts"].as_array().unwrap() {
            ends.push((
                org.to_owned(),
                c["reference"].as_str().unwrap().to_owned(),
                c["end_date"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let refs: std::collections::BTreeSet<&str> = ends.iter().map(|(_, r, _)| r.as_str()).collect();
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        [
            "BCW-WASTE-2014",
            "ENC-WASTE-2013",
            "KBC-WASTE-2011",
            "NBC-WASTE-2012",
            "SNC-WASTE-2012"
        ]
    );
    // Corby and Kettering share one contract; it shows in both districts' pipelines.
    assert!(
        ends.contains(&("corby".into(), "KBC-WASTE-2011".into(), "2027-04-28".into())),
        "{ends:?}"
    );
    assert!(ends.contains(&(
        "kettering".into(),
        "KBC-WASTE-2011".into(),
        "2027-04-28".into()
    )));
}
