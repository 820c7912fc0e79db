//! Spend imports on both databases: every line stored by its position and read back exactly,
//! repeats and month-only dates included, in batches larger than one INSERT; the same content
//! refused without a write; a corrected file swapped in keeping the earlier lines.

use super::fixtures::council;
use ngc_domain::money::Money;
use ngc_domain::spend::{PaidOn, SpendFile, SpendLine};
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
        let id = store
            .import_spend(o, &f, None, &Actor::system())
            .await
            .unwrap();
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
        store
            .import_spend(o, &file("april.csv", "aa11", 10), None, &Actor::system())
            .await
            .unwrap();
        let head = store.audit_head().await.unwrap();
        let err = store
            .import_spend(
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
        let first = store
            .import_spend(o, &file("april.csv", "aa11", 10), None, &a)
            .await
            .unwrap();
        // An import that is not the organisation's is refused, and nothing is written.
        let head = store.audit_head().await.unwrap();
        let err = store
            .import_spend(o, &file("april-v2.csv", "bb22", 12), Some(first + 99), &a)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { ref field, .. } if field == "replaces"),
            "{err:?}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.spend_imports(o).await.unwrap().len(), 1);

        let second = store
            .import_spend(o, &file("april-v2.csv", "bb22", 12), Some(first), &a)
            .await
            .unwrap();
        let imports = store.spend_imports(o).await.unwrap();
        assert_eq!(imports[0].replaced_by_id, Some(second));
        assert_eq!(imports[1].replaces_id, Some(first));
        assert_eq!(store.spend_lines(first, 0, 100).await.unwrap().len(), 11);
        assert_eq!(store.spend_lines(second, 0, 100).await.unwrap().len(), 13);
        // A replaced import is not replaced twice.
        let err = store
            .import_spend(o, &file("april-v3.csv", "cc33", 6), Some(first), &a)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { ref message, .. } if message.contains("already replaced")),
            "{err:?}"
        );
    }
);
