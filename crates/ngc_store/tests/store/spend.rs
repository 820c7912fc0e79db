//! Spend imports on both databases: every line stored by its position and read back exactly,
//! repeats and month-only dates included, in batches larger than one INSERT; the same content
//! refused without a write; a corrected file swapped in keeping the earlier lines; the
//! summarised journals posted with the import, their balances, the lines behind each, and a
//! replaced file's journals reversed.

use super::fixtures::council;
use ngc_domain::ledger::Account;
use ngc_domain::money::Money;
use ngc_domain::spend::journals::ExpenseCodes;
use ngc_domain::spend::{PaidOn, SpendFile, SpendLine};
use ngc_store::spend::SpendStored;
use ngc_store::{Actor, Store, StoreError, store_test};

fn line(n: u64, day: &str, supplier: &str, pence: i64) -> SpendLine {
    SpendLine {
        member: String::new(),
        line: n + 1,
        paid_on: PaidOn::Day(day.parse().unwrap()),
        supplier: supplier.into(),
        redacted: false,
        amount: Money::pence(pence),
        gross: None,
        vat: None,
        irrecoverable_vat: None,
        transaction: format!("T{}", n / 2),
        service: "Adult social care".into(),
        expense_type: "Third party payments".into(),
        expense_code: String::new(),
        description: String::new(),
        supplier_id: String::new(),
        invoice_number: String::new(),
        merchant_category: String::new(),
    }
}

/// A file of `n` lines in April 2016 with a month-only line, a credit, VAT and a repeat.
fn file(name: &str, sha: &str, n: u64) -> SpendFile {
    let mut lines: Vec<SpendLine> = (1..=n)
        .map(|i| {
            line(
                i,
                "2016-04-15",
                &format!("Supplier {}", i % 7),
                50_000 + i as i64,
            )
        })
        .collect();
    lines[0].paid_on = PaidOn::Month("2016-04-01".parse().unwrap());
    lines[1].amount = Money::pence(-20_301);
    lines[2].gross = Some(Money::pence(60_000));
    lines[2].vat = Some(Money::pence(10_000));
    lines[2].irrecoverable_vat = Some(Money::ZERO);
    lines[3].supplier = "Redacted - personal data".into();
    lines[3].redacted = true;
    let repeat = lines[4].clone();
    lines.push(SpendLine {
        line: n + 2,
        ..repeat
    });
    SpendFile {
        name: name.into(),
        sha256: sha.into(),
        lines,
        repeats: 1,
        redacted: 1,
    }
}

/// Imports `f` with the accounts of its published names.
async fn import(
    store: &Store,
    o: i64,
    f: &SpendFile,
    replaces: Option<i64>,
    a: &Actor,
) -> Result<SpendStored, StoreError> {
    let assigned = ExpenseCodes::default().assign(&f.lines);
    store.import_spend(o, f, &assigned, replaces, a).await
}

async fn org(store: &Store) -> i64 {
    store
        .create_organisation(&council("trafford", "Trafford Council"), &Actor::system())
        .await
        .unwrap()
        .id
}

store_test!(
    async fn a_file_is_stored_whole_and_read_back_exactly(store: Store) {
        let o = org(&store).await;
        let f = file("april.csv", "aa11", 2_345);
        let id = import(&store, o, &f, None, &Actor::system())
            .await
            .unwrap()
            .id;
        let i = store.spend_import(id).await.unwrap().unwrap();
        assert_eq!(
            (i.lines, i.repeats, i.redacted, i.net_total),
            (2_346, 1, 1, f.net_total().as_pence())
        );
        assert_eq!(
            (i.first_paid_on, i.last_paid_on),
            (
                Some("2016-04-01".parse().unwrap()),
                Some("2016-04-15".parse().unwrap())
            )
        );
        let mut back = Vec::new();
        let mut from = 0;
        loop {
            let page = store.spend_lines(id, from, 1000).await.unwrap();
            if page.is_empty() {
                break;
            }
            from = page.last().unwrap().position + 1;
            back.extend(page);
        }
        assert_eq!(back.len(), f.lines.len());
        for (stored, given) in back.iter().zip(&f.lines) {
            assert_eq!(
                (
                    stored.line as u64,
                    stored.paid_on,
                    stored.month_only,
                    &stored.supplier
                ),
                (
                    given.line,
                    given.paid_on.date(),
                    given.paid_on.month_only(),
                    &given.supplier
                )
            );
            assert_eq!(stored.amount, given.amount.as_pence());
            assert_eq!(stored.gross, given.gross.map(Money::as_pence));
            assert_eq!(stored.vat, given.vat.map(Money::as_pence));
            assert_eq!(stored.redacted, given.redacted);
            assert_eq!(stored.transaction_ref, given.transaction);
        }
        assert_eq!(
            store.audit_page(None, 1).await.unwrap()[0].record.action,
            "spend.import"
        );
    }
);

store_test!(
    async fn the_same_content_again_is_refused_without_a_write(store: Store) {
        let o = org(&store).await;
        import(
            &store,
            o,
            &file("april.csv", "aa11", 10),
            None,
            &Actor::system(),
        )
        .await
        .unwrap();
        let head = store.audit_head().await.unwrap();
        let err = import(
            &store,
            o,
            &file("april-copy.csv", "aa11", 10),
            None,
            &Actor::system(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("the same content as import")),
            "{err:?}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.spend_imports(o).await.unwrap().len(), 1);
    }
);

store_test!(
    async fn a_corrected_file_replaces_an_earlier_one_and_keeps_its_lines(store: Store) {
        let o = org(&store).await;
        let a = Actor::system();
        let first = import(&store, o, &file("april.csv", "aa11", 10), None, &a)
            .await
            .unwrap()
            .id;
        // An import that is not the organisation's is refused, and nothing is written.
        let head = store.audit_head().await.unwrap();
        let err = import(
            &store,
            o,
            &file("april-v2.csv", "bb22", 12),
            Some(first + 99),
            &a,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { ref field, .. } if field == "replaces"),
            "{err:?}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.spend_imports(o).await.unwrap().len(), 1);

        let second = import(
            &store,
            o,
            &file("april-v2.csv", "bb22", 12),
            Some(first),
            &a,
        )
        .await
        .unwrap()
        .id;
        let imports = store.spend_imports(o).await.unwrap();
        assert_eq!(imports[0].replaced_by_id, Some(second));
        assert_eq!(imports[1].replaces_id, Some(first));
        assert_eq!(store.spend_lines(first, 0, 100).await.unwrap().len(), 11);
        assert_eq!(store.spend_lines(second, 0, 100).await.unwrap().len(), 13);
        // A replaced import is not replaced twice.
        let err = import(&store, o, &file("april-v3.csv", "cc33", 6), Some(first), &a)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { ref message, .. } if message.contains("already replaced")),
            "{err:?}"
        );
    }
);

/// Two months and two services, with a refund that nets one month's account to a credit and
/// a pair that nets another to nil.
fn two_months(name: &str, sha: &str, roads_may: i64) -> SpendFile {
    let mut parks = line(3, "2016-04-20", "Greenery Ltd", 30_000);
    parks.service = "Parks".into();
    let mut refund = line(5, "2016-05-03", "Greenery Ltd", -12_000);
    refund.service = "Parks".into();
    let mut nil_a = line(6, "2016-05-04", "Acme", 10_000);
    nil_a.expense_type = "Supplies".into();
    let mut nil_b = line(7, "2016-05-05", "Acme", -10_000);
    nil_b.expense_type = "Supplies".into();
    SpendFile {
        name: name.into(),
        sha256: sha.into(),
        lines: vec![
            line(1, "2016-04-11", "Care Co", 100_000),
            line(2, "2016-04-29", "Care Co", 50_050),
            parks,
            line(4, "2016-05-31", "Care Co", roads_may),
            refund,
            nil_a,
            nil_b,
        ],
        repeats: 0,
        redacted: 0,
    }
}

fn care() -> Account {
    Account::expenditure("Adult social care", "Third party payments")
}

store_test!(
    async fn a_file_posts_a_journal_per_month_and_account_with_its_lines_behind(store: Store) {
        let o = org(&store).await;
        let a = Actor::system();
        let f = two_months("spend.csv", "dd44", 70_000);
        let stored = import(&store, o, &f, None, &a).await.unwrap();
        // April: care and parks; May: care and parks' refund; May's supplies net to nil.
        assert_eq!((stored.journals, stored.reversed), (4, 0));
        let tb = store
            .ledger_balances_at(o, "2016-05-31".parse().unwrap())
            .await
            .unwrap();
        let net = |acc: &Account| tb.net(acc).to_string();
        assert_eq!(net(&care()), "2200.50");
        assert_eq!(
            net(&Account::expenditure("Parks", "Third party payments")),
            "180.00"
        );
        assert_eq!(net(&Account::Creditors), "0.00");
        assert_eq!(net(&Account::Bank), "-2380.50");
        // April alone: the journals fall on their last payment day.
        let april = store
            .ledger_balances_at(o, "2016-04-30".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(april.net(&care()).to_string(), "1500.50");
        let key = format!("spend:{}:2016-04:{}", stored.id, care());
        let j = store.ledger_journal_by_key(o, &key).await.unwrap().unwrap();
        assert_eq!(j.journal.date, "2016-04-29".parse().unwrap());
        assert_eq!(j.journal.description, "Spend 2016-04, spend.csv: 2 lines");
        assert_eq!(
            j.journal.postings()[0].source.reference,
            format!("{}/2016-04", stored.id)
        );
        let behind = store
            .spend_lines_behind(
                stored.id,
                &care().to_string(),
                "2016-04-01".parse().unwrap(),
                "2016-04-30".parse().unwrap(),
                1,
            )
            .await
            .unwrap();
        assert_eq!(behind.total, 2);
        assert_eq!(behind.lines.len(), 1);
        assert_eq!((behind.lines[0].line, behind.lines[0].amount), (2, 100_000));
        // One audit record for the import and its journals.
        let last = &store.audit_page(None, 1).await.unwrap()[0].record;
        assert_eq!(last.action, "spend.import");
        assert_eq!(last.change["journals_posted"], 4);
    }
);

store_test!(
    async fn a_replaced_file_s_journals_are_reversed_and_only_the_correction_counts(store: Store) {
        let o = org(&store).await;
        let a = Actor::system();
        let first = import(&store, o, &two_months("v1.csv", "ee55", 70_000), None, &a)
            .await
            .unwrap();
        let second = import(
            &store,
            o,
            &two_months("v2.csv", "ff66", 90_000),
            Some(first.id),
            &a,
        )
        .await
        .unwrap();
        assert_eq!((second.journals, second.reversed), (4, 4));
        let tb = store
            .ledger_balances_at(o, "2016-05-31".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(tb.net(&care()).to_string(), "2400.50");
        assert_eq!(tb.net(&Account::Bank).to_string(), "-2580.50");
        // The first import's journals are reversed once each, on their own dates.
        let key = format!("spend:{}:2016-04:{}", first.id, care());
        let j = store.ledger_journal_by_key(o, &key).await.unwrap().unwrap();
        let rkey = ngc_domain::spend::journals::reversal_key(j.id, second.id);
        let r = store
            .ledger_journal_by_key(o, &rkey)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.journal.reverses, r.journal.date),
            (Some(j.id), j.journal.date)
        );
        // Its lines stay, readable.
        assert_eq!(store.spend_lines(first.id, 0, 100).await.unwrap().len(), 7);
    }
);

store_test!(
    async fn a_writer_dropped_before_it_finishes_leaves_nothing(store: Store) {
        let o = org(&store).await;
        let head = store.audit_head().await.unwrap();
        let f = file("april.csv", "cc33", 50);
        let codes: Vec<&str> = f.lines.iter().map(|_| "expenditure:A:B").collect();
        let mut w = store
            .begin_spend_import(o, &f.name, &f.sha256, None, &Actor::system())
            .await
            .unwrap();
        w.add(&f.lines, &codes).await.unwrap();
        drop(w);
        assert!(store.spend_imports(o).await.unwrap().is_empty());
        assert!(
            store
                .spend_import_by_sha(o, "cc33")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        // The same file then imports whole.
        import(&store, o, &f, None, &Actor::system()).await.unwrap();
        assert_eq!(store.spend_imports(o).await.unwrap()[0].lines, 51);
    }
);

store_test!(
    async fn text_with_tabs_backslashes_and_newlines_is_stored_exactly(store: Store) {
        let o = org(&store).await;
        let mut f = file("odd.csv", "dd44", 6);
        f.lines[0].supplier = "A\\B\tC\nD\r\"E\",F".into();
        f.lines[1].description = "\\N".into();
        f.lines[2].member = "inner\\file.csv".into();
        let id = import(&store, o, &f, None, &Actor::system())
            .await
            .unwrap()
            .id;
        let back = store.spend_lines(id, 0, 10).await.unwrap();
        assert_eq!(back[0].supplier, "A\\B\tC\nD\r\"E\",F");
        assert_eq!(back[1].description, "\\N");
        assert_eq!(back[2].member, "inner\\file.csv");
        assert_eq!(back[2].gross, Some(60_000));
        assert_eq!(back[1].gross, None);
    }
);

/// Migration 0033 rebuilds SQLite's spend lines WITHOUT ROWID, in the order of their key, and
/// copies every line across unchanged.
#[tokio::test]
async fn migration_0033_keeps_every_spend_line_in_the_order_of_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pool) = super::fixtures::sqlite_before_migration(dir.path(), 33).await;
    for sql in [
        "INSERT INTO organisations (slug, name, kind, legal_form, created_at, updated_at) \
         VALUES ('alpha', 'Alpha', 'county', 'local_authority', '2026-01-01T00:00:00Z', \
         '2026-01-01T00:00:00Z')",
        "INSERT INTO spend_imports (organisation_id, file_name, sha256, lines, repeats, \
         redacted, first_paid_on, last_paid_on, net_total, imported_at) VALUES \
         (1, 'a.csv', 'ab', 3, 0, 1, '2016-04-01', '2016-04-30', 1500, '2026-01-01T00:00:00Z')",
        // Written out of order, as rows of a rowid table may lie.
        "INSERT INTO spend_lines (import_id, position, member, line, paid_on, month_only, \
         supplier, redacted, amount, gross, vat, irrecoverable_vat, transaction_ref, service, \
         expense_type, expense_code, description, supplier_id, invoice_number, \
         merchant_category, account) VALUES \
         (1, 2, '', 4, '2016-04-30', FALSE, 'C Ltd', FALSE, 700, 840, 140, 0, 'T3', 'Roads', \
          'Repairs', '41', 'd', 's3', 'i3', '', 'expenditure:Roads:Repairs'), \
         (1, 0, '', 2, '2016-04-01', TRUE, 'Redacted', TRUE, 300, NULL, NULL, NULL, 'T1', \
          'Care', 'Direct payments', '', '', '', '', '', NULL), \
         (1, 1, '', 3, '2016-04-02', FALSE, 'B Ltd', FALSE, 500, NULL, NULL, NULL, 'T2', \
          'Libraries', 'Books', '', '', '', '', '5942', 'expenditure:Libraries:Books')",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    let store = Store::open(&url).await.unwrap();
    let back = store.spend_lines(1, 0, 10).await.unwrap();
    let got: Vec<_> = back
        .iter()
        .map(|l| {
            (
                l.position,
                l.line,
                l.supplier.as_str(),
                l.month_only,
                l.amount,
                l.gross,
                l.merchant_category.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, 2, "Redacted", true, 300, None, ""),
            (1, 3, "B Ltd", false, 500, None, "5942"),
            (2, 4, "C Ltd", false, 700, Some(840), ""),
        ]
    );
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let (sql, accounts): (String, i64) = sqlx::query_as(
        "SELECT (SELECT sql FROM sqlite_master WHERE name = 'spend_lines'), \
         (SELECT COUNT(*) FROM spend_lines WHERE account IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(sql.ends_with("WITHOUT ROWID"), "{sql}");
    assert_eq!(accounts, 2);
    pool.close().await;
}
