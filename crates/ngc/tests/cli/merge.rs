//! `ngc import pack` and `ngc demo` merge with what users entered; `--replace` and
//! `ngc plan revisions|restore`; the demo pack carried in the binary.

use super::support::{Sandbox, copy_demo_pack};
use ngc_domain::finance::savings::{DeliveryUpdate, Rag};
use ngc_domain::money::Money;
use ngc_store::{Actor, Store};

const ORG: &str = "northamptonshire";
const PLAN: &str = "MTFP 2015-20";
const SAVINGS: &str = "plans/mtfp-2015-20/savings.csv";

/// Records a delivery update on ECON-01 (green in the pack) as a user of the app would.
fn record_update(s: &Sandbox, rag: Rag) -> DeliveryUpdate {
    let update = DeliveryUpdate {
        reference: "ECON-01".into(),
        year: "2015-16".parse().unwrap(),
        month: 9,
        delivered: Money::pence(61_000_000),
        rag,
        note: "Recorded on the savings tracker".into(),
    };
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(&s.url()).await.unwrap();
        store
            .record_delivery(ORG, PLAN, &update, &Actor::system())
            .await
            .unwrap();
        store.close().await;
    });
    update
}

fn stored_delivery(s: &Sandbox) -> Vec<DeliveryUpdate> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(&s.url()).await.unwrap();
        let plan = store.plan(ORG, Some(PLAN)).await.unwrap().unwrap();
        store.close().await;
        plan.delivery
    })
}

/// A copy of the demo pack with `from` replaced by `to` in ECON-01's row of the savings.
fn edited_pack(s: &Sandbox, from: &str, to: &str) -> std::path::PathBuf {
    let dir = s.dir.path().join("pack");
    copy_demo_pack(&dir);
    let file = dir.join(SAVINGS);
    let text = std::fs::read_to_string(&file).unwrap();
    let edited: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("ECON-01,") {
                l.replacen(from, to, 1)
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&file, edited.join("\n") + "\n").unwrap();
    dir
}

#[test]
fn a_conflicting_pack_exits_1_naming_file_row_field_and_values_and_replace_overrides_it() {
    let s = Sandbox::new();
    s.demo();
    record_update(&s, Rag::Amber);
    let verify = s.ngc(&["audit", "verify"], "");
    let pack = edited_pack(&s, ",green,", ",red,");
    let r = s.ngc(&["import", "pack", pack.to_str().unwrap()], "");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "{SAVINGS}, row ECON-01 (reference), field rag: changed both in the app and in the \
             pack since the last import: base \"green\", app \"amber\", pack \"red\""
        )),
        "{}",
        r.stderr
    );
    assert_eq!(
        s.ngc(&["audit", "verify"], "").stdout,
        verify.stdout,
        "nothing written"
    );

    let r = s.ngc(&["import", "pack", pack.to_str().unwrap(), "--replace"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 replaced"), "{}", r.stdout);
    assert!(
        !stored_delivery(&s).iter().any(|u| u.month == 9),
        "the pack's version won"
    );

    let list = s.ngc(&["plan", "revisions", "--org", ORG], "");
    assert_eq!(list.code, 0, "{}", list.stderr);
    let reasons: Vec<&str> = list
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(4).unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["replace", "delivery_update", "import"],
        "{}",
        list.stdout
    );

    let r = s.ngc(
        &[
            "plan",
            "restore",
            "--org",
            ORG,
            "--plan",
            PLAN,
            "--revision",
            "2",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.trim(),
        format!("restored revision 2 of `{PLAN}` as revision 4")
    );
    assert!(stored_delivery(&s).iter().any(|u| u.month == 9));
}

#[test]
fn starting_the_demo_again_keeps_what_a_user_entered() {
    let s = Sandbox::new();
    s.demo();
    let update = record_update(&s, Rag::Amber);
    s.demo();
    assert!(stored_delivery(&s).contains(&update));
    // A changed pack (the title only) merges without losing the update either.
    let pack = edited_pack(&s, "Less spent", "Much less spent");
    let r = s.ngc(
        &["demo", "--load-only", "--pack", pack.to_str().unwrap()],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 merged"), "{}", r.stdout);
    assert!(stored_delivery(&s).contains(&update));
}

#[test]
fn the_demo_runs_from_an_empty_directory_and_keeps_its_anchor_date() {
    let s = Sandbox::new();
    let empty = tempfile::tempdir().unwrap();
    let first = s.ngc_in(
        empty.path(),
        &["demo", "--load-only"],
        &[("NGC_TODAY", "2016-01-15")],
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first
            .stdout
            .contains("Demo dates are anchored at 2016-01-15"),
        "{}",
        first.stdout
    );
    let report = s.ngc(&["mtfp", "report", "--org", ORG, "--format", "json"], "");
    assert_eq!(report.code, 0, "{}", report.stderr);
    let later = s.ngc_in(
        empty.path(),
        &["demo", "--load-only"],
        &[("NGC_TODAY", "2017-03-01")],
    );
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert!(
        later
            .stdout
            .contains("Demo dates are anchored at 2016-01-15"),
        "{}",
        later.stdout
    );
    assert!(std::fs::read_dir(empty.path()).unwrap().next().is_none());
}
