//! `ngc import spend`: real councils' files imported whole and once and posted to the ledger
//! as summarised journals, an overlap warned of, a corrected file swapped in keeping the
//! earlier lines and reversing their journals, a bad file or expense-code mapping refused
//! with nothing imported.

use super::support::Sandbox;
use std::path::PathBuf;

fn spend(path: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/spend"
    ))
    .join(path)
}

fn imports(s: &Sandbox) -> Vec<(i64, String, i64, Option<i64>)> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        let org = store
            .organisation_by_slug("northampton")
            .await
            .unwrap()
            .unwrap();
        store
            .spend_imports(org.id)
            .await
            .unwrap()
            .into_iter()
            .map(|i| (i.id, i.file_name, i.lines, i.replaced_by_id))
            .collect()
    })
}

/// The ledger's bank balance at the end of 2015-16 and the net of its expenditure accounts
/// (pence), and the accounts' codes.
fn ledger(s: &Sandbox) -> (i64, i64, Vec<String>) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        let org = store
            .organisation_by_slug("northampton")
            .await
            .unwrap()
            .unwrap();
        let b = store
            .ledger_balances_at(org.id, "2016-03-31".parse().unwrap())
            .await
            .unwrap();
        let mut bank = 0;
        let mut spent = 0;
        let mut codes = Vec::new();
        for (a, net) in b.nets() {
            match a.kind() {
                ngc_domain::ledger::AccountKind::Bank => bank = net.as_pence(),
                ngc_domain::ledger::AccountKind::Expenditure => {
                    spent += net.as_pence();
                    codes.push(a.to_string());
                }
                _ => {}
            }
        }
        (bank, spent, codes)
    })
}

/// The net of the import's lines, pence.
fn net_of(s: &Sandbox, id: i64) -> i64 {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        store.spend_import(id).await.unwrap().unwrap().net_total
    })
}

#[test]
fn spend_files_are_imported_whole_and_once_and_a_correction_keeps_the_old_lines() {
    let s = Sandbox::new();
    s.demo();
    let (bank0, spent0, _) = ledger(&s);
    let salford = spend("salford/2015-04.csv");
    let darlington = spend("darlington/2015-04.csv");
    let r = s.ngc(
        &[
            "import",
            "spend",
            salford.to_str().unwrap(),
            darlington.to_str().unwrap(),
            "--org",
            "northampton",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("as import 13: 2170 lines"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("paid 2015-04-01 to 2015-04-30"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("as import 14: 672 lines"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("summarised journals to the ledger (one per month and account)"),
        "{}",
        r.stdout
    );
    // The ledger holds the spend, every penny of it, paid from the bank.
    let (n1, n2) = (net_of(&s, 13), net_of(&s, 14));
    let (bank, spent, _) = ledger(&s);
    assert_eq!((bank - bank0, spent - spent0), (-(n1 + n2), n1 + n2));
    assert!(
        r.stdout
            .contains("warning: its dates overlap import 13 (2015-04.csv"),
        "{}",
        r.stdout
    );

    // The same content again adds nothing.
    let r = s.ngc(
        &[
            "import",
            "spend",
            salford.to_str().unwrap(),
            "--org",
            "northampton",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("the same content as import 13"),
        "{}",
        r.stdout
    );

    // A bad file given with a good one: the bad one's problems named and nothing of it
    // imported; the good one imported (import 15).
    let bad = s.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Payment Date,Supplier Name,Net Amount\n2015-05-01,A Ltd,12.345\n",
    )
    .unwrap();
    let may = spend("salford/2015-05.csv");
    let r = s.ngc(
        &[
            "import",
            "spend",
            may.to_str().unwrap(),
            bad.to_str().unwrap(),
            "--org",
            "northampton",
        ],
        "",
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "bad.csv: line 2, column Net Amount: `12.345` has more than two decimal places"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("nothing was imported from ")
            && r.stderr.contains(
                "bad.csv: a file is imported whole or not at all; the other \
                                  files were imported"
            ),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("as import 15"), "{}", r.stdout);
    let may_lines = ngc_io::spend::read_spend(&may, None).unwrap().lines.len() as i64;
    let n_may = net_of(&s, 15);

    // A corrected April file stands in for import 13 (the demo's Darlington files are imports 1
    // to 11, Northamptonshire's generated 2016-17 file import 12), whose lines are kept.
    let text = std::fs::read_to_string(&salford).unwrap();
    let corrected = s.dir.path().join("salford-2015-04-corrected.csv");
    let fewer: Vec<&str> = text.lines().take(101).collect();
    std::fs::write(&corrected, fewer.join("\n")).unwrap();
    let r = s.ngc(
        &[
            "import",
            "spend",
            corrected.to_str().unwrap(),
            "--org",
            "northampton",
            "--replaces",
            "13",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("as import 16: 100 lines"), "{}", r.stdout);
    assert!(
        r.stdout.contains("reversed the") && r.stdout.contains("journals of the replaced import"),
        "{}",
        r.stdout
    );
    let n3 = net_of(&s, 16);
    assert_eq!(ledger(&s).0 - bank0, -(n2 + n_may + n3));
    assert!(!r.stdout.contains("overlap import 13"), "{}", r.stdout);
    assert_eq!(
        imports(&s),
        vec![
            (13, "2015-04.csv".into(), 2170, Some(16)),
            (14, "2015-04.csv".into(), 672, None),
            (15, "2015-05.csv".into(), may_lines, None),
            (16, "salford-2015-04-corrected.csv".into(), 100, None),
        ]
    );
}

#[test]
fn an_expense_code_mapping_charges_lines_to_its_accounts_and_a_bad_one_imports_nothing() {
    let s = Sandbox::new();
    s.demo();
    let before = ledger(&s);
    let calderdale = spend("calderdale/2015-04.csv");
    let bad = s.dir.path().join("codes.csv");
    std::fs::write(
        &bad,
        "expense_code,service,subjective\nX1,Roads,Repairs\nX2,,Supplies\nX1,Parks,Grounds\n",
    )
    .unwrap();
    let args = |codes: &std::path::Path| {
        vec![
            "import".to_owned(),
            "spend".into(),
            calderdale.to_str().unwrap().into(),
            "--org".into(),
            "northampton".into(),
            "--expense-codes".into(),
            codes.to_str().unwrap().into(),
        ]
    };
    let run = |codes: &std::path::Path| {
        let a = args(codes);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        s.ngc(&a, "")
    };
    let r = run(&bad);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "codes.csv: line 4, column expense_code: expense code `X1` is mapped already, on line 2"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert!(imports(&s).is_empty());
    assert_eq!(ledger(&s), before);

    // Every expense code Calderdale's April file holds, mapped to one account.
    let file = ngc_io::spend::read_spend(&calderdale, None).unwrap();
    let codes: std::collections::BTreeSet<&str> = file
        .lines
        .iter()
        .map(|l| l.expense_code.trim())
        .filter(|c| !c.is_empty())
        .collect();
    assert!(codes.len() > 10, "{codes:?}");
    let good = s.dir.path().join("good.csv");
    let mut mapping = String::from("expense_code,service,subjective\n");
    for code in &codes {
        mapping += &format!("{code},Mapped service,Mapped subjective\n");
    }
    std::fs::write(&good, mapping).unwrap();
    let r = run(&good);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (bank, spent, accounts) = ledger(&s);
    assert_eq!(
        (bank - before.0, spent - before.1),
        (-net_of(&s, 13), net_of(&s, 13))
    );
    let new: Vec<&String> = accounts.iter().filter(|a| !before.2.contains(a)).collect();
    if file.lines.iter().all(|l| !l.expense_code.trim().is_empty()) {
        assert_eq!(new, ["expenditure:Mapped service:Mapped subjective"]);
    } else {
        assert!(
            new.contains(&&"expenditure:Mapped service:Mapped subjective".to_owned()),
            "{new:?}"
        );
    }
}

#[test]
fn a_bad_row_after_batches_already_stored_leaves_nothing_imported() {
    let s = Sandbox::new();
    s.demo();
    let before = (imports(&s), ledger(&s));
    // More good lines than go to the store in one batch, then a bad one: the lines stored so
    // far are rolled back with the import.
    let mut text = String::from("Payment Date,Supplier Name,Net Amount,Service\n");
    for i in 0..9_000 {
        text.push_str(&format!(
            "2015-06-{:02},Supplier {i},{}.00,Roads\n",
            i % 28 + 1,
            600 + i
        ));
    }
    text.push_str("2015-06-31,Late Ltd,700.00,Roads\n");
    let file = s.dir.path().join("june.csv");
    std::fs::write(&file, text).unwrap();
    let r = s.ngc(
        &[
            "import",
            "spend",
            file.to_str().unwrap(),
            "--org",
            "northampton",
        ],
        "",
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("june.csv: line 9002, column Payment Date: `2015-06-31` is not a day"),
        "{}",
        r.stderr
    );
    assert_eq!((imports(&s), ledger(&s)), before);
}
