use super::support::{Sandbox, demo_pack};
use serde_json::Value;

/// The demo pack's councils and partnerships.
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

fn json(s: &Sandbox, args: &[&str]) -> Value {
    let r = s.ngc(args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn trial_balance(s: &Sandbox, org: &str, at: &str) -> Value {
    json(
        s,
        &[
            "ledger",
            "trial-balance",
            "--org",
            org,
            "--at",
            at,
            "--format",
            "json",
        ],
    )
}

fn pence(v: &Value) -> i64 {
    let text = v.as_str().unwrap_or_else(|| panic!("{v} is not money"));
    let (pounds, p) = text.split_once('.').unwrap();
    let sign = if pounds.starts_with('-') { -1 } else { 1 };
    pounds.parse::<i64>().unwrap() * 100 + sign * p.parse::<i64>().unwrap()
}

const OPENING: &str = "account,debit,credit,source\n\
    bank,1500.25,,statement of accounts 2014-15\n\
    debtors,200,,statement of accounts 2014-15\n\
    creditors,,700.25,statement of accounts 2014-15\n\
    earmarked_reserve:Insurance,,400,statement of accounts 2014-15\n\
    general_reserve,,600,statement of accounts 2014-15\n";

#[test]
fn opening_balances_post_once_and_give_the_trial_balance() {
    let s = pack();
    let file = write(&s, "opening.csv", OPENING);
    let args = [
        "import",
        "opening-balances",
        &file,
        "--org",
        "northamptonshire",
        "--on",
        "2015-04-01",
    ];
    let r = s.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("posted opening balances"),
        "{}",
        r.stdout
    );
    // Before the day there is nothing; on it, every line on its side.
    let empty = trial_balance(&s, "northamptonshire", "2015-03-31");
    assert_eq!(empty["accounts"], Value::Array(vec![]));
    let tb = trial_balance(&s, "northamptonshire", "2015-04-01");
    assert_eq!(
        tb["accounts"],
        serde_json::json!([
            {"account": "creditors", "debit": "0.00", "credit": "700.25"},
            {"account": "debtors", "debit": "200.00", "credit": "0.00"},
            {"account": "bank", "debit": "1500.25", "credit": "0.00"},
            {"account": "earmarked_reserve:Insurance", "debit": "0.00", "credit": "400.00"},
            {"account": "general_reserve", "debit": "0.00", "credit": "600.00"},
        ])
    );
    assert_eq!(tb["total_debit"], "1700.25");
    assert_eq!(tb["total_credit"], "1700.25");
    assert_eq!(tb["organisation"], "northamptonshire");
    assert_eq!(tb["at"], "2015-04-01");
    // The same file again changes nothing; a different one for the same day is refused.
    let r = s.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("already posted"), "{}", r.stdout);
    let other = write(
        &s,
        "other.csv",
        &OPENING
            .replace("1500.25", "1500.26")
            .replace("700.25", "700.26"),
    );
    let r = s.ngc(
        &[
            "import",
            "opening-balances",
            &other,
            "--org",
            "northamptonshire",
            "--on",
            "2015-04-01",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("`opening_balance:2015-04-01`") && r.stderr.contains("different content"),
        "{}",
        r.stderr
    );
    assert_eq!(
        trial_balance(&s, "northamptonshire", "2016-03-31")["total_debit"],
        "1700.25"
    );
    // The table shows the same figures.
    let r = s.ngc(
        &[
            "ledger",
            "trial-balance",
            "--org",
            "northamptonshire",
            "--at",
            "2015-04-01",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Trial balance of northamptonshire at 2015-04-01"),
        "{}",
        r.stdout
    );
    let total = r.stdout.lines().last().unwrap();
    let words: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(words, ["total", "1700.25", "1700.25"], "{total}");
}

#[test]
fn a_bad_opening_balances_file_names_the_line_and_column_and_posts_nothing() {
    let s = pack();
    for (text, expected) in [
        (
            "account,debit,credit,source\nbank,12.345,,x\ngeneral_reserve,,12.34,x\n",
            "line 2, column debit",
        ),
        (
            "account,debit,credit,source\ncash,1,,x\ngeneral_reserve,,1,x\n",
            "unknown account kind `cash`",
        ),
        (
            "account,debit,credit,source\nbank,1,1,x\n",
            "line 2, column credit",
        ),
        (
            "account,debit,credit,source\nbank,1,,\ngeneral_reserve,,1,x\n",
            "line 2, column source",
        ),
        ("account,debit,source\nbank,1,x\n", "missing column"),
        (
            "account,debit,credit,source\nbank,10,,x\ngeneral_reserve,,9.99,x\n",
            "does not balance: debits 10.00, credits 9.99",
        ),
    ] {
        let file = write(&s, "bad.csv", text);
        let r = s.ngc(
            &[
                "import",
                "opening-balances",
                &file,
                "--org",
                "northamptonshire",
                "--on",
                "2015-04-01",
            ],
            "",
        );
        assert_eq!(r.code, 1, "{text}: {}", r.stdout);
        assert!(r.stderr.contains(expected), "{text}: {}", r.stderr);
        assert!(r.stderr.contains("bad.csv"), "{}", r.stderr);
    }
    let tb = trial_balance(&s, "northamptonshire", "2020-01-01");
    assert_eq!(tb["accounts"], Value::Array(vec![]));
}

#[test]
fn the_trial_balance_refuses_bad_input_in_one_line() {
    let s = pack();
    let r = s.ngc(&["ledger", "trial-balance", "--org", "nowhere"], "");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("organisation `nowhere` not found"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    let r = s.ngc(
        &[
            "ledger",
            "trial-balance",
            "--org",
            "northamptonshire",
            "--at",
            "2015-02-30",
        ],
        "",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = s.ngc(
        &[
            "ledger",
            "trial-balance",
            "--org",
            "northamptonshire",
            "--format",
            "xml",
        ],
        "",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn recharges_post_each_partners_net_charge_and_the_hosts_income_once() {
    let s = pack();
    let lgss = demo_pack().join("shared-services/lgss.csv");
    let r = s.ngc(
        &[
            "import",
            "shared-services",
            lgss.to_str().unwrap(),
            "--partnership",
            "lgss",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
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
    let args = [
        "ledger",
        "post-recharges",
        "--partnership",
        "lgss",
        "--year",
        "2016-17",
    ];
    let r = s.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("posted journal"))
            .count(),
        4,
        "{}",
        r.stdout
    );
    let mut others = 0;
    for p in st["partners"].as_array().unwrap() {
        let org = p["organisation"].as_str().unwrap();
        let net = pence(&p["net_charge"]);
        let tb = trial_balance(&s, org, "2017-03-31");
        let line = |account: &str| {
            tb["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["account"] == account)
                .cloned()
                .unwrap_or_else(|| panic!("{org} has no {account}: {tb}"))
        };
        let charge = line("expenditure:Central services:Support service recharges");
        assert_eq!(pence(&charge["debit"]), net, "{org}");
        assert_eq!(pence(&line("creditors")["credit"]), net, "{org}");
        assert_eq!(tb["total_debit"], tb["total_credit"]);
        if org != "northamptonshire" {
            others += net;
        }
        // Nothing is dated before the year's last day.
        let before = trial_balance(&s, org, "2017-03-30");
        assert_eq!(before["accounts"], Value::Array(vec![]), "{org}");
    }
    let host = trial_balance(&s, "northamptonshire", "2017-03-31");
    let income = host["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["account"] == "income:Central services:Shared service income")
        .unwrap();
    assert_eq!(pence(&income["credit"]), others);
    // Again: nothing changes.
    let r = s.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .all(|l| l.starts_with("already posted journal")),
        "{}",
        r.stdout
    );
    assert_eq!(trial_balance(&s, "northamptonshire", "2017-03-31"), host);
    let r = s.ngc(
        &[
            "ledger",
            "post-recharges",
            "--partnership",
            "nope",
            "--year",
            "2016-17",
        ],
        "",
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn the_demo_posts_the_countys_modelled_opening_balances_once() {
    let s = Sandbox::new();
    let r = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Posted Northamptonshire's opening balances at 2015-04-01"),
        "{}",
        r.stdout
    );
    let tb = trial_balance(&s, "northamptonshire", "2015-04-01");
    assert_eq!(tb["total_debit"], "79704000.00");
    assert_eq!(tb["total_credit"], "79704000.00");
    let general = tb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["account"] == "general_reserve")
        .unwrap();
    assert_eq!(general["credit"], "12009000.00");
    let r = s.ngc(&["--today", "2026-12-01", "demo", "--load-only"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("opening balances"), "{}", r.stdout);
    assert_eq!(trial_balance(&s, "northamptonshire", "2015-04-01"), tb);
}

#[test]
fn the_demo_imports_darlingtons_real_spend_once_into_its_ledger() {
    let s = Sandbox::new();
    let r = s.ngc(&["--today", "2026-11-28", "demo", "--load-only"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The pack's copy is the shared data's, file for file; its net is every line's.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../demo/northamptonshire-2015/spend/darlington");
    let mut net = ngc_domain::money::Money::ZERO;
    let mut lines = 0;
    let mut files = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let f = ngc_io::spend::read_spend(&p, None).unwrap();
            net += f.net_total();
            lines += f.lines.len();
            files += 1;
        }
    }
    assert_eq!(files, 11);
    assert!(
        r.stdout.contains(&format!(
            "Imported Darlington's real spend over £500 for 2015-16: 11 files, {lines} lines"
        )),
        "{}",
        r.stdout
    );
    let tb = trial_balance(&s, "darlington", "2016-03-31");
    let bank = tb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["account"] == "bank")
        .unwrap();
    assert_eq!(bank["credit"], serde_json::json!(net.to_string()));
    let r = s.ngc(&["--today", "2026-12-01", "demo", "--load-only"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains("Darlington's real spend"),
        "{}",
        r.stdout
    );
    assert_eq!(trial_balance(&s, "darlington", "2016-03-31"), tb);
}
