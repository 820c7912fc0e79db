//! The demo's generated 2016-17 for Northamptonshire (`demo/northamptonshire-2015/ledger/`):
//! budget against actual shows the social care overspend building month by month, the
//! s114(3) in-year warning fires from the forecast outturn with its figures and months, the
//! LGSS recharges are in the ledgers, and loading again changes nothing.

use super::support::Sandbox;
use serde_json::Value;

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

fn monitoring(s: &Sandbox, today: &str) -> Value {
    json(
        s,
        &[
            "--today",
            today,
            "ledger",
            "budget-monitoring",
            "--org",
            "northamptonshire",
            "--year",
            "2016-17",
            "--format",
            "json",
        ],
    )
}

fn trial_balance(s: &Sandbox, org: &str) -> Value {
    let args = [
        "ledger",
        "trial-balance",
        "--org",
        org,
        "--at",
        "2017-03-31",
        "--format",
        "json",
    ];
    json(s, &args)
}

fn account(tb: &Value, name: &str) -> Value {
    tb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["account"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name}: {tb}"))
}

fn service<'a>(m: &'a Value, name: &str) -> &'a Value {
    m["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

/// Each month's actual less its profile, April first.
fn monthly_variance(row: &Value) -> Vec<i64> {
    let (a, p) = (
        row["actuals"].as_array().unwrap(),
        row["profile"].as_array().unwrap(),
    );
    a.iter().zip(p).map(|(a, p)| pence(a) - pence(p)).collect()
}

/// The partners' net charges for LGSS in a year, by organisation.
fn net_charges(s: &Sandbox, year: &str) -> Vec<(String, i64)> {
    let st = json(
        s,
        &[
            "shared-services",
            "statement",
            "--partnership",
            "lgss",
            "--year",
            year,
            "--format",
            "json",
        ],
    );
    st["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["organisation"].as_str().unwrap().to_owned(),
                pence(&p["net_charge"]),
            )
        })
        .collect()
}

#[test]
fn the_demo_shows_the_2016_17_overspend_building_and_the_s114_3_warning_once() {
    let s = Sandbox::new();
    let r = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Posted LGSS's recharges for 2015-16 and 2016-17"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Loaded Northamptonshire's 2016-17"),
        "{}",
        r.stdout
    );
    let m = monitoring(&s, "2026-11-28");
    assert_eq!(m["budget_source"], "budget_lines");
    assert_eq!(m["closed_months"], 12);
    assert_eq!(m["actuals_partial"], false);
    // Every month comes from the general-ledger extract, and runs further over its profile
    // than the month before.
    let months = m["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert!(months.iter().all(|x| x["general_ledger"] == true), "{m}");
    let variance: Vec<i64> = months.iter().map(|x| pence(&x["variance"])).collect();
    assert!(variance[0] > 0, "{variance:?}");
    assert!(
        variance.windows(2).all(|w| w[1] > w[0]),
        "the overspend builds: {variance:?}"
    );
    // The modelled virement moves £300,000 to children's social care from October, and the
    // total budget stays the plan's.
    assert_eq!(m["virements"][0]["month"], "2016-10", "{}", m["virements"]);
    assert_eq!(
        service(&m, "Children's social care")["virements"],
        "300000.00"
    );
    assert_eq!(service(&m, "Central services")["virements"], "-300000.00");
    assert_eq!(m["totals"]["virements"], "0.00");
    // In the demand-led services: children's social care more every month, adults' from June.
    let children = monthly_variance(service(&m, "Children's social care"));
    assert!(children.windows(2).all(|w| w[1] > w[0]), "{children:?}");
    let adults = monthly_variance(service(&m, "Adult social care"));
    assert!(adults[2..].windows(2).all(|w| w[1] > w[0]), "{adults:?}");
    let over: i64 = ["Children's social care", "Adult social care"]
        .iter()
        .map(|n| pence(&service(&m, n)["outturn_variance"]))
        .sum();
    let total = pence(&m["totals"]["outturn_variance"]);
    assert!(over > total && total > 0, "{over} {total}");
    // Plausible: between £10m and £20m on a budget of about £420m.
    assert!((1_000_000_000..2_000_000_000).contains(&total), "{total}");

    // The in-year test: the budget is the plan's net budget requirement; the two reserves the
    // chief finance officer released cover the plan's own gap, and the overspend does not fit.
    let t = &m["in_year"];
    assert_eq!(m["plan"], "MTFP 2015-20");
    assert_eq!(t["net_budget_requirement"], m["totals"]["budget"]);
    assert_eq!(pence(&t["forecast_variance"]), total);
    assert_eq!(
        m["releasable_reserves"],
        serde_json::json!(["Budget equalisation reserve", "Transformation reserve"])
    );
    let without = pence(&t["resources"]) + pence(&t["reserves_available"])
        - pence(&t["net_budget_requirement"]);
    assert!(
        without >= 0,
        "without the overspend the year is covered: {without}"
    );
    assert_eq!(pence(&t["headroom"]), without - total);
    assert_eq!(t["triggered"], true);
    let over_months: Vec<&str> = t["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["month"].as_str().unwrap())
        .collect();
    assert_eq!(over_months.len(), 12);
    assert_eq!(over_months[11], "2017-03");
    assert_eq!(t["months"][11]["overspend"], months[11]["variance"]);
    assert_eq!(m["warning"]["kind"], "forecast_exceeds_resources");
    let message = m["warning"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("2016-17: forecast net spending"),
        "{message}"
    );
    assert!(message.contains("2017-03 ("), "{message}");
    // In the year itself it fires from the first quarter's figures: not with two months
    // closed, but with three.
    let june = monitoring(&s, "2016-06-10");
    assert_eq!(june["closed_months"], 2);
    assert_eq!(june["in_year"]["triggered"], false, "{}", june["in_year"]);
    let july = monitoring(&s, "2016-07-10");
    assert_eq!(july["closed_months"], 3);
    assert_eq!(july["in_year"]["triggered"], true, "{}", july["in_year"]);

    // The trial balances balance and hold the LGSS recharges of both years: the county's
    // net charges as expenditure, the other partners' as its income (it is the lead); the
    // extract carries the same figures, so it changed none of them.
    let mut charges = Vec::new();
    for year in ["2015-16", "2016-17"] {
        charges.extend(net_charges(&s, year));
    }
    let charge_of = |org: &str| -> i64 {
        charges
            .iter()
            .filter(|(o, _)| o == org)
            .map(|(_, c)| c)
            .sum()
    };
    let tb = trial_balance(&s, "northamptonshire");
    assert_eq!(tb["total_debit"], tb["total_credit"]);
    assert_eq!(
        pence(
            &account(
                &tb,
                "expenditure:Central services:Support service recharges"
            )["debit"]
        ),
        charge_of("northamptonshire")
    );
    assert_eq!(
        pence(&account(&tb, "income:Central services:Shared service income")["credit"]),
        charge_of("cambridgeshire") + charge_of("milton-keynes")
    );
    assert!(pence(&account(&tb, "gl_control")["credit"]) > 0, "{tb}");
    for org in ["cambridgeshire", "milton-keynes"] {
        let other = trial_balance(&s, org);
        assert_eq!(other["total_debit"], other["total_credit"]);
        assert_eq!(
            pence(
                &account(
                    &other,
                    "expenditure:Central services:Support service recharges"
                )["debit"]
            ),
            charge_of(org),
            "{org}"
        );
    }

    // Loading again changes nothing: no line printed, the same trial balance and report,
    // not one audit record more.
    let audit = s.ngc(&["audit", "verify"], "");
    assert_eq!(audit.code, 0, "{}", audit.stderr);
    let r = s.ngc(&["--today", "2026-12-01", "demo", "--load-only"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("recharges"), "{}", r.stdout);
    assert!(!r.stdout.contains("2016-17 (generated"), "{}", r.stdout);
    assert_eq!(trial_balance(&s, "northamptonshire"), tb);
    assert_eq!(monitoring(&s, "2026-11-28"), m);
    assert_eq!(s.ngc(&["audit", "verify"], "").stdout, audit.stdout);
}

#[test]
fn officers_record_a_virement_and_a_profile_from_the_command_line() {
    let s = Sandbox::new();
    let r = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let org = ["--org", "northamptonshire", "--year", "2016-17"];
    let virement = [
        "--from",
        "Education",
        "--to",
        "adult_social_care",
        "--amount",
        "1200.00",
        "--month",
        "2017-01",
        "--reason",
        "winter",
    ];
    let r = s.ngc(&[&["ledger", "virement"][..], &org, &virement].concat(), "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("recorded virement "), "{}", r.stdout);
    let weights = [
        "--service",
        "Education",
        "--weights",
        "0,0,0,0,0,0,0,0,0,0,0,1",
    ];
    let r = s.ngc(&[&["ledger", "profile"][..], &org, &weights].concat(), "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = monitoring(&s, "2026-11-28");
    let care = service(&m, "Adult social care");
    assert_eq!(care["virements"], "1200.00");
    assert_eq!(
        pence(&care["budget"]),
        pence(&care["original_budget"]) + 120_000
    );
    // £1,200 from January: £400 more in January than December (flat twelfths put an odd
    // penny in the earlier months).
    let step = pence(&care["profile"][9]) - pence(&care["profile"][8]);
    assert!((39_999..=40_000).contains(&step), "{step}");
    let edu = service(&m, "Education");
    assert_eq!(edu["profile_basis"], "stored");
    // Every pound of the original budget in March, less the £400 a month moved out.
    assert_eq!(edu["profile"][0], "0.00");
    assert_eq!(pence(&edu["profile"][9]), -40_000);
    assert_eq!(
        pence(&edu["profile"][11]),
        pence(&edu["original_budget"]) - 40_000
    );
    // Bad weights: refused, naming the month, and nothing stored.
    let bad = [
        "--service",
        "Education",
        "--weights",
        "1,1,1,1,1,x,1,1,1,1,1,1",
    ];
    let r = s.ngc(&[&["ledger", "profile"][..], &org, &bad].concat(), "");
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("September"), "{}", r.stderr);
    assert_eq!(monitoring(&s, "2026-11-28")["services"], m["services"]);
}
