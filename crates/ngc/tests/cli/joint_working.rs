//! `ngc joint-working`: the demo's consolidation analysis of the five district waste
//! collection contracts, keyed by the seven districts' tax bases (the county holds no
//! collection function and is not in the key), and the joint tender started from it.

use super::support::{Run, Sandbox};
use rust_decimal::Decimal;
use serde_json::Value;

/// `ngc joint-working analyse` of the demo's waste collection contracts, by `key` for `year`
/// at the modelled 5%, as JSON.
fn analyse(s: &Sandbox, key: &str, year: &str) -> Run {
    s.ngc(
        &[
            "--today",
            "2026-11-28",
            "joint-working",
            "analyse",
            "--partnership",
            "northamptonshire-ca",
            "--category",
            "90511000",
            "--key",
            key,
            "--year",
            year,
            "--rate",
            "5",
            "--format",
            "json",
        ],
        "",
    )
}

fn money(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn the_demo_analysis_shares_the_waste_contracts_between_the_districts() {
    let s = Sandbox::new();
    let load = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(load.code, 0, "{}", load.stderr);
    let analyse = |key: &str| analyse(&s, key, "2016-17");
    let r = analyse("tax_base");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let a = &v["analysis"];

    let mut refs: Vec<&str> = a["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reference"].as_str().unwrap())
        .collect();
    refs.sort_unstable();
    assert_eq!(
        refs,
        [
            "BCW-WASTE-2014",
            "ENC-WASTE-2013",
            "KBC-WASTE-2011",
            "NBC-WASTE-2012",
            "SNC-WASTE-2012"
        ]
    );
    let values: Decimal = a["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| money(&c["value"]))
        .sum();
    assert_eq!(money(&a["aggregate_value"]), values);

    // The seven districts, never the county; shares to exactly 100%, parts to the penny.
    let shares = a["shares"].as_array().unwrap();
    let councils: Vec<&str> = shares
        .iter()
        .map(|s| s["council"].as_str().unwrap())
        .collect();
    assert_eq!(councils.len(), 7, "{councils:?}");
    assert!(!councils.contains(&"northamptonshire"));
    let weights: Decimal = shares
        .iter()
        .map(|s| s["weight"].as_str().unwrap().parse::<Decimal>().unwrap())
        .sum();
    let mut percent = Decimal::ZERO;
    let mut cost = Decimal::ZERO;
    let mut saved = Decimal::ZERO;
    for s in shares {
        let p: Decimal = s["percent"].as_str().unwrap().parse().unwrap();
        let w: Decimal = s["weight"].as_str().unwrap().parse().unwrap();
        // Each within a millionth of a per cent of its exact share of the tax base.
        assert!((p - w * Decimal::ONE_HUNDRED / weights).abs() <= Decimal::new(1, 6));
        percent += p;
        cost += money(&s["annual_cost"]);
        saved += money(&s["saving"]);
    }
    assert_eq!(percent, Decimal::ONE_HUNDRED);
    assert_eq!(cost, money(&a["aggregate_annual"]));
    let saving = money(&a["saving"]["annual"]);
    assert_eq!(saved, saving);
    assert_eq!(
        saving,
        (money(&a["aggregate_annual"]) * Decimal::new(5, 2)).round_dp(2)
    );
    let northampton = shares
        .iter()
        .find(|s| s["council"] == "northampton")
        .unwrap();
    assert_eq!(northampton["weight"], "64357.9");

    // No households were entered: the error names the key, the council and the year.
    let missing = analyse("households");
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr.trim().lines().count(),
        1,
        "{}",
        missing.stderr
    );
    assert!(
        missing
            .stderr
            .contains("key: Corby Borough Council has no Households for 2016-17"),
        "{}",
        missing.stderr
    );

    // The joint collection tender came from the analysis: its origin is recorded and its
    // buyers' shares are the analysis's; the county's joint-working saving is linked to the
    // combined authority.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        let tender = store
            .list_tenders()
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.reference == "NBC-2026-WASTE-001")
            .unwrap();
        let origin = store.joint_tender(tender.id).await.unwrap().unwrap();
        assert_eq!(
            (
                origin.category.as_str(),
                origin.key.as_str(),
                origin.year.as_str()
            ),
            ("90511000", "tax_base", "2016-17")
        );
        assert_eq!(origin.lead_organisation, "northampton");
        let mut tender_shares: Vec<(String, Decimal)> = tender
            .buyers
            .iter()
            .map(|b| (b.organisation.clone(), b.share_percent.parse().unwrap()))
            .collect();
        tender_shares.sort();
        let mut analysed: Vec<(String, Decimal)> = shares
            .iter()
            .map(|s| {
                (
                    s["council"].as_str().unwrap().to_owned(),
                    s["percent"].as_str().unwrap().parse().unwrap(),
                )
            })
            .collect();
        analysed.sort();
        assert_eq!(tender_shares, analysed);
        let plan = store
            .list_plans("northamptonshire")
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.name == "MTFP 2015-20")
            .unwrap();
        let links = store.saving_links(plan.id).await.unwrap();
        let jw = links.iter().find(|l| l.saving == "JW-01").unwrap();
        assert_eq!(jw.kind.as_str(), "partnership");
        assert_eq!(jw.title, "Northamptonshire Combined Authority (proposed)");
        store.close().await;
    });
}

/// The councils' tax-base weights of the demo's waste analysis for `year`, by slug.
fn tax_base_weights(s: &Sandbox, year: &str) -> Result<Vec<(String, String)>, String> {
    let r = analyse(s, "tax_base", year);
    if r.code != 0 {
        return Err(r.stderr);
    }
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    Ok(v["analysis"]["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["council"].as_str().unwrap().to_owned(),
                s["weight"].as_str().unwrap().to_owned(),
            )
        })
        .collect())
}

#[test]
fn importing_the_council_tax_returns_fills_the_tax_base_key_and_keeps_what_was_entered() {
    let s = Sandbox::new();
    let load = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(load.code, 0, "{}", load.stderr);
    // No tax bases for 2015-16 yet; Corby's 2016-17 one is entered by hand, differently.
    let before = tax_base_weights(&s, "2015-16").unwrap_err();
    assert!(before.contains("Corby Borough Council has no"), "{before}");
    let r = s.ngc(
        &[
            "joint-working",
            "key-value",
            "--org",
            "corby",
            "--key",
            "tax_base",
            "--year",
            "2016-17",
            "--value",
            "18000",
            "--source",
            "Corby's own count",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    let ctr = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/finance/council-tax/ctr_1617.xlsx"
    );
    let r = s.ngc(&["import", "returns", ctr], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("entered by hand and kept (corby 2016-17)"),
        "{}",
        r.stdout
    );

    // 2015-16 now comes from the returns (line 7 of the CTR1 table), with the E-code in
    // the source; 2016-17 keeps the hand-entered value and the demo's published ones.
    let weights = tax_base_weights(&s, "2015-16").unwrap();
    assert_eq!(weights.len(), 7, "{weights:?}");
    assert!(!weights.iter().any(|(c, _)| c == "northamptonshire"));
    let weights_1617 = tax_base_weights(&s, "2016-17").unwrap();
    let of = |w: &[(String, String)], c: &str| w.iter().find(|(o, _)| o == c).unwrap().1.clone();
    assert_eq!(of(&weights_1617, "corby"), "18000");
    assert_eq!(of(&weights_1617, "northampton"), "64357.9");

    // Importing again changes nothing.
    let again = s.ngc(&["import", "returns", ctr], "");
    assert!(again.stdout.contains(": 0 entered,"), "{}", again.stdout);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        let values = store
            .key_values(
                "2015-16".parse().unwrap(),
                ngc_domain::joint_working::Key::TaxBase,
            )
            .await
            .unwrap();
        let northampton = values
            .iter()
            .find(|v| v.organisation == "northampton")
            .unwrap();
        assert!(northampton.confirmed);
        assert!(
            northampton
                .source
                .starts_with("Council Tax Requirement returns (CTR1) 2015-16")
                && northampton.source.contains("E2835"),
            "{}",
            northampton.source
        );
        assert_eq!(northampton.value, of(&weights, "northampton"));
    });
}
