//! The records behind the Transparency Code datasets, on both databases: a replaced spend
//! file's lines leave the dataset and its correction's come in, card lines go to the card
//! dataset only, and the grants register keeps every version of a changed grant while the
//! same grants again write nothing, and an earlier version is restored as a new one; and spend imported before the ledger took it is posted
//! once, to the same balances an import posts now.

use super::fixtures::council;
use ngc_domain::money::Money;
use ngc_domain::spend::journals::ExpenseCodes;
use ngc_domain::spend::{PaidOn, SpendFile, SpendLine};
use ngc_domain::transparency::{Grant, Period, Recipient};
use ngc_store::transparency::GrantsStored;
use ngc_store::{Actor, Store, StoreError, store_test};

fn line(n: u64, supplier: &str, pence: i64, merchant: &str) -> SpendLine {
    SpendLine {
        member: String::new(),
        line: n + 1,
        paid_on: PaidOn::Day("2016-05-10".parse().unwrap()),
        supplier: supplier.into(),
        redacted: false,
        amount: Money::pence(pence),
        gross: None,
        vat: None,
        irrecoverable_vat: None,
        transaction: format!("T{n}"),
        service: "Highways".into(),
        expense_type: "Repairs".into(),
        expense_code: String::new(),
        description: String::new(),
        supplier_id: String::new(),
        invoice_number: String::new(),
        merchant_category: merchant.into(),
    }
}

fn file(sha: &str, lines: Vec<SpendLine>) -> SpendFile {
    SpendFile {
        name: format!("{sha}.csv"),
        sha256: sha.into(),
        repeats: 0,
        redacted: 0,
        lines,
    }
}

async fn payments(store: &Store, org: i64, card: bool) -> Vec<SpendLine> {
    let year = Period::financial_year_of("2016-05-10".parse().unwrap());
    let mut out = Vec::new();
    let n = store
        .transparency_payments(org, year, card, |r| {
            out.push(r);
            Ok::<(), StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(n as usize, out.len());
    out
}

store_test!(
    async fn a_corrected_file_stands_in_for_the_one_it_replaces(store: Store) {
        let a = Actor::system();
        let org = store
            .create_organisation(&council("trafford", "Trafford Council"), &a)
            .await
            .unwrap()
            .id;
        let codes = ExpenseCodes::default();
        let first = file(
            "a",
            vec![
                line(1, "Wrong Ltd", 100_000, ""),
                line(2, "Card Shop", 5_000, "5942"),
            ],
        );
        let id = store
            .import_spend(org, &first, &codes.assign(&first.lines), None, &a)
            .await
            .unwrap()
            .id;
        let names = |rs: Vec<SpendLine>| rs.into_iter().map(|r| r.supplier).collect::<Vec<_>>();
        assert_eq!(names(payments(&store, org, false).await), ["Wrong Ltd"]);
        assert_eq!(names(payments(&store, org, true).await), ["Card Shop"]);
        let second = file("b", vec![line(1, "Right Ltd", 100_000, "")]);
        store
            .import_spend(org, &second, &codes.assign(&second.lines), Some(id), &a)
            .await
            .unwrap();
        let now = payments(&store, org, false).await;
        assert_eq!(now.len(), 1);
        assert_eq!(
            (now[0].supplier.as_str(), now[0].amount),
            ("Right Ltd", Money::pence(100_000))
        );
        assert!(payments(&store, org, true).await.is_empty());
    }
);

fn grant(id: &str, pence: i64) -> Grant {
    Grant {
        identifier: id.into(),
        title: "Lunch club".into(),
        description: "Weekly".into(),
        amount_awarded: Money::pence(pence),
        amount_disbursed: None,
        award_date: "2016-07-01".parse().unwrap(),
        start_on: None,
        end_on: None,
        recipient: Recipient {
            identifier: "GB-CHC-1".into(),
            name: "Age Concern".into(),
            charity_number: "1".into(),
            company_number: String::new(),
        },
        department: String::new(),
        programme_code: String::new(),
        programme_title: String::new(),
    }
}

store_test!(
    async fn a_changed_grant_keeps_its_earlier_version_and_a_repeat_writes_nothing(store: Store) {
        let a = Actor::system();
        let org = store
            .create_organisation(&council("trafford", "Trafford Council"), &a)
            .await
            .unwrap()
            .id;
        let year = Period::financial_year_of("2016-07-01".parse().unwrap());
        let first = [grant("G1", 250_000), grant("G2", 100_000)];
        let stored = store.record_grants(org, "g.csv", &first, &a).await.unwrap();
        assert_eq!(
            stored,
            GrantsStored {
                added: 2,
                changed: 0,
                unchanged: 0
            }
        );
        let head = store.audit_head().await.unwrap();
        let again = store.record_grants(org, "g.csv", &first, &a).await.unwrap();
        assert_eq!(
            again,
            GrantsStored {
                added: 0,
                changed: 0,
                unchanged: 2
            }
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        let changed = store
            .record_grants(org, "g2.csv", &[grant("G1", 300_000)], &a)
            .await
            .unwrap();
        assert_eq!(
            changed,
            GrantsStored {
                added: 0,
                changed: 1,
                unchanged: 0
            }
        );
        let current = store.grants(org, year).await.unwrap();
        assert_eq!(current, [grant("G1", 300_000), grant("G2", 100_000)]);
        assert_eq!(
            store.grant_versions(org, "G1").await.unwrap(),
            [grant("G1", 250_000), grant("G1", 300_000)]
        );
        assert_eq!(
            store.audit_page(None, 1).await.unwrap()[0].record.action,
            "grants.import"
        );
        // The first version made current again, as a third: every version stays.
        let restored = store.restore_grant(org, "G1", 1, &a).await.unwrap();
        assert_eq!(restored, grant("G1", 250_000));
        assert_eq!(
            store.grant_versions(org, "G1").await.unwrap(),
            [
                grant("G1", 250_000),
                grant("G1", 300_000),
                grant("G1", 250_000)
            ]
        );
        assert_eq!(
            store.grants(org, year).await.unwrap()[0],
            grant("G1", 250_000)
        );
        let audit = store.audit_page(None, 1).await.unwrap().remove(0).record;
        assert_eq!(
            (audit.action.as_str(), &audit.change["restored_version"]),
            ("grant.restore", &serde_json::json!(1))
        );
        // The current version, a version or grant that does not exist: refused, no change.
        let head = store.audit_head().await.unwrap();
        assert!(matches!(
            store.restore_grant(org, "G1", 3, &a).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.restore_grant(org, "G1", 4, &a).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.restore_grant(org, "G1", 0, &a).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.restore_grant(org, "G9", 1, &a).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.grant_versions(org, "G1").await.unwrap().len(), 3);
    }
);

store_test!(
    async fn spend_imported_before_the_ledger_took_it_is_posted_once(store: Store) {
        let a = Actor::system();
        let org = store
            .create_organisation(&council("trafford", "Trafford Council"), &a)
            .await
            .unwrap()
            .id;
        let codes = ExpenseCodes::default();
        let f = file(
            "a",
            vec![line(1, "A Ltd", 100_000, ""), line(2, "B Ltd", 50_000, "")],
        );
        let first = store
            .import_spend(org, &f, &codes.assign(&f.lines), None, &a)
            .await
            .unwrap();
        let year = Period::financial_year_of("2016-05-10".parse().unwrap());
        let tb = |s: &Store| {
            let s = s.clone();
            async move {
                s.trial_balance(org, "2017-03-31".parse().unwrap())
                    .await
                    .unwrap()
            }
        };
        let posted = tb(&store).await;
        // As migration 0027 alone left it: lines without accounts, no journals.
        for sql in [
            "DELETE FROM ledger_postings",
            "DELETE FROM ledger_balances",
            "DELETE FROM ledger_journals",
            "UPDATE spend_lines SET account = NULL",
        ] {
            store.execute_raw(sql).await.unwrap();
        }
        assert_ne!(tb(&store).await, posted);
        let done = store.post_unposted_spend(org, &codes, &a).await.unwrap();
        assert_eq!(done.imports, [(first.id, 2, first.journals)]);
        assert_eq!(tb(&store).await, posted);
        let head = store.audit_head().await.unwrap();
        let again = store.post_unposted_spend(org, &codes, &a).await.unwrap();
        assert!(again.imports.is_empty());
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(payments(&store, org, false).await.len(), 2, "{year:?}");
    }
);

store_test!(
    async fn every_line_of_a_large_file_streams_once_in_file_order(store: Store) {
        // More lines than a batch of the SQLite bulk read holds, every field kept.
        let a = Actor::system();
        let org = store
            .create_organisation(&council("trafford", "Trafford Council"), &a)
            .await
            .unwrap()
            .id;
        let lines: Vec<SpendLine> = (0..5_000u64)
            .map(|n| SpendLine {
                paid_on: if n % 7 == 0 {
                    PaidOn::Month("2016-06-01".parse().unwrap())
                } else {
                    PaidOn::Day("2016-05-10".parse().unwrap())
                },
                redacted: n % 11 == 0,
                gross: (n % 3 == 0).then(|| Money::pence(120_000 + n as i64)),
                vat: (n % 3 == 0).then(|| Money::pence(20_000)),
                irrecoverable_vat: (n % 5 == 0).then(|| Money::pence(-1)),
                description: format!("Line «{n}», \"quoted\""),
                invoice_number: format!("INV-{n}"),
                ..line(n, &format!("Supplier {n}"), 100_000 + n as i64, "")
            })
            .collect();
        let f = file("big", lines.clone());
        let codes = ExpenseCodes::default();
        store
            .import_spend(org, &f, &codes.assign(&f.lines), None, &a)
            .await
            .unwrap();
        assert_eq!(payments(&store, org, false).await, lines);
    }
);
