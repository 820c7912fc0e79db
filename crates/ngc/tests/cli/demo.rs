//! `ngc demo`: the demo's procurements are made once, each on its own dates, and their
//! notices reach the public OCDS export.

use super::support::Sandbox;
use serde_json::Value;

fn export(sandbox: &Sandbox, org: &str) -> Value {
    let r = sandbox.ngc(&["ocds", "export", "--org", org], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The releases' `tender.id`s (the buyer's references) with the releases' tags, sorted.
fn references(package: &Value) -> Vec<String> {
    let mut refs: Vec<String> = package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["tender"]["id"].as_str().unwrap(),
                r["tag"][0].as_str().unwrap()
            )
        })
        .collect();
    refs.sort();
    refs
}

#[test]
fn the_demo_replays_its_procurements_once_and_publishes_their_notices() {
    let s = Sandbox::new();
    let first = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.contains("Made 7 demo procurements"),
        "{}",
        first.stdout
    );

    // Northampton leads the joint waste collection tender for the seven districts: open
    // under the Act, published 14 days before the first load and closing 14 days after it.
    let northampton = export(&s, "northampton");
    assert_eq!(references(&northampton), ["NBC-2026-WASTE-001 tender"]);
    let waste = &northampton["releases"][0];
    assert_eq!(
        waste["tender"]["tenderPeriod"]["endDate"],
        "2026-12-12T12:00:00Z"
    );
    assert_eq!(waste["tender"]["aboveThreshold"], true);
    let buyers = waste["parties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["roles"].as_array().unwrap().iter().any(|r| r == "buyer"))
        .count();
    assert_eq!(buyers, 7, "{waste}");
    assert_eq!(waste["tender"]["documents"][0]["noticeType"], "UK4");

    // The county's own: two current under the Act, four old ones under PCR 2015, whose
    // notices carry no UK notice type. Highways, waste disposal and the mutual's reserved
    // contract were evaluated, awarded and contracted: their contract award notices are out.
    // The placements are still in evaluation.
    let county = export(&s, "northamptonshire");
    assert_eq!(
        references(&county),
        [
            "NCC-2015-HW-001 contract",
            "NCC-2015-HW-001 tender",
            "NCC-2015-WD-002 contract",
            "NCC-2015-WD-002 tender",
            "NCC-2016-CP-003 tender",
            "NCC-2017-CF-004 contract",
            "NCC-2017-CF-004 tender",
            "NCC-2026-CW-002 tender",
            "NCC-2026-RFQ-014 tender"
        ]
    );
    for release in county["releases"].as_array().unwrap() {
        let pcr = release["tender"]["id"].as_str().unwrap() < "NCC-2026";
        let notice_type = &release["tender"]["documents"][0]["noticeType"];
        assert_eq!(notice_type.is_null(), pcr, "{release}");
        if release["tag"][0] == "contract" && release["tender"]["id"] == "NCC-2017-CF-004" {
            // Reg 77: three years at most, to the mutual.
            let contract = &release["contracts"][0];
            assert_eq!(contract["period"]["startDate"], "2017-07-01T00:00:00Z");
            assert_eq!(contract["period"]["endDate"], "2020-06-30T23:59:59Z");
            let supplier = release["parties"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| {
                    p["roles"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r == "supplier")
                })
                .unwrap();
            assert_eq!(supplier["name"], "Children First Northamptonshire");
        }
    }

    // The placements: three evaluators, one removed by a declared conflict, the other two
    // scoring independently; nothing moderated or awarded yet.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        let tenders = store.list_tenders().await.unwrap();
        let placements = tenders
            .iter()
            .find(|t| t.reference == "NCC-2016-CP-003")
            .unwrap();
        let panel = store.tender_panel(placements.id).await.unwrap();
        let mut declared: Vec<_> = panel
            .iter()
            .map(|m| (m.email.as_str(), m.conflict, m.removed_at.is_some()))
            .collect();
        declared.sort();
        assert_eq!(
            declared,
            [
                ("evaluator2@northamptonshire.demo", Some(false), false),
                ("evaluator3@northamptonshire.demo", Some(true), true),
                ("evaluator@northamptonshire.demo", Some(false), false),
            ]
        );
        let scores = store.evaluator_scores(placements.id).await.unwrap();
        assert_eq!(scores.len(), 2 * 3 * 3);
        assert!(
            store
                .awards_of_tender(placements.id)
                .await
                .unwrap()
                .is_empty()
        );

        // The Next Generation bodies' performance: First for Wellbeing's KPIs fall, the
        // returns of two quarters (two KPIs each) came late and two payments to it were late;
        // with its thin reserves and its dependency on the county, it is on the watch list
        // for all three reasons.
        let store = store.with_clock(ngc_store::Clock::on("2026-11-28".parse().unwrap()));
        let ffw = ngc_app::providers::view(&store, &ngc_app::Caller::System, "first-for-wellbeing")
            .await
            .unwrap();
        let mut kinds: Vec<&str> = ffw
            .viability
            .flags
            .iter()
            .map(|f| f.kind.as_str())
            .collect();
        kinds.sort();
        assert!(ffw.viability.on_watch);
        assert!(
            ["declining_kpis", "dependency", "thin_reserves"]
                .iter()
                .all(|k| kinds.contains(k)),
            "{kinds:?}"
        );
        assert_eq!(ffw.kpis.late, 4);
        let county_payments = &ffw.payments[0];
        assert_eq!(
            (
                county_payments.council.as_str(),
                county_payments.payments,
                county_payments.late
            ),
            ("northamptonshire", 4, 2)
        );
        // The others' KPIs hold or improve.
        let olympus =
            ngc_app::providers::view(&store, &ngc_app::Caller::System, "olympus-care-services")
                .await
                .unwrap();
        assert!(
            olympus
                .viability
                .flags
                .iter()
                .all(|f| f.kind.as_str() != "declining_kpis"),
            "{:?}",
            olympus.viability.flags
        );
        store.close().await;
    });

    // A second load, on a later day, makes nothing and changes no notice.
    let again = s.ngc(&["--today", "2026-12-01", "demo", "--load-only"], "");
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(!again.stdout.contains("Made "), "{}", again.stdout);
    assert!(!again.stdout.contains("Loaded KPIs"), "{}", again.stdout);
    assert_eq!(
        export(&s, "northamptonshire")["releases"],
        county["releases"]
    );
}
