use super::fixtures::council;
use chrono::NaiveDate;
use ngc_domain::ledger::{Account, Journal, Posting, Source, SourceKind};
use ngc_domain::money::Money;
use ngc_store::{Actor, Store, StoreError, store_test};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn src(r: &str) -> Source {
    Source {
        kind: SourceKind::Manual,
        reference: r.into(),
    }
}

fn adults() -> Account {
    Account::expenditure("Adult social care", "Third party payments")
}

/// Dr expenditure / Cr bank.
fn spend(key: &str, day: &str, amount: &str) -> Journal {
    Journal::new(
        key,
        d(day),
        format!("Payment {key}"),
        vec![
            Posting::debit(adults(), m(amount), src(key)),
            Posting::credit(Account::Bank, m(amount), src(key)),
        ],
    )
    .unwrap()
}

async fn org(store: &Store, slug: &str) -> i64 {
    store
        .create_organisation(&council(slug, slug), &Actor::system())
        .await
        .unwrap()
        .id
}

/// The organisation's journals and their postings, counted.
async fn counts(store: &Store, o: i64) -> (usize, usize) {
    let ids = store.ledger_journal_ids(o).await.unwrap();
    let mut postings = 0;
    for &id in &ids {
        postings += store
            .ledger_journal(o, id)
            .await
            .unwrap()
            .unwrap()
            .journal
            .postings()
            .len();
    }
    (ids.len(), postings)
}

store_test!(
    async fn a_posted_journal_reads_back_and_feeds_the_trial_balance(store: Store) {
        let o = org(&store, "northamptonshire").await;
        let posted = store
            .post_journal(o, &spend("p1", "2016-05-10", "1200.50"), &Actor::system())
            .await
            .unwrap();
        assert!(posted.created);
        let back = store
            .ledger_journal(o, posted.journal.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back, posted.journal);
        let tb = store.trial_balance(o, d("2016-05-31")).await.unwrap();
        assert_eq!(tb.accounts.len(), 2);
        assert_eq!(tb.accounts[0].account, adults());
        assert_eq!(tb.accounts[0].debit, m("1200.50"));
        assert_eq!(tb.accounts[1].account, Account::Bank);
        assert_eq!(tb.accounts[1].credit, m("1200.50"));
        assert_eq!(tb.total_debit, tb.total_credit);
        // Before the journal's date there is nothing.
        let before = store.trial_balance(o, d("2016-05-09")).await.unwrap();
        assert!(before.accounts.is_empty());
        // Another organisation's ledger is its own.
        let other = org(&store, "cambridgeshire").await;
        assert!(
            store
                .trial_balance(other, d("2017-01-01"))
                .await
                .unwrap()
                .accounts
                .is_empty()
        );
        assert!(
            store
                .ledger_journal(other, posted.journal.id)
                .await
                .unwrap()
                .is_none()
        );
    }
);

store_test!(
    async fn the_same_key_again_returns_the_first_journal_and_changes_nothing(store: Store) {
        let o = org(&store, "northamptonshire").await;
        let first = store
            .post_journal(o, &spend("p1", "2016-05-10", "10.00"), &Actor::system())
            .await
            .unwrap();
        let head = store.audit_head().await.unwrap();
        let again = store
            .post_journal(o, &spend("p1", "2016-05-10", "10.00"), &Actor::system())
            .await
            .unwrap();
        assert!(!again.created);
        assert_eq!(again.journal, first.journal);
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(counts(&store, o).await, (1, 2));
        let e = store
            .post_journal(o, &spend("p1", "2016-05-10", "10.01"), &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Conflict(m) if m.contains("`p1`") && m.contains("different content")),
            "{e}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(
            store
                .trial_balance(o, d("2016-12-31"))
                .await
                .unwrap()
                .total_debit,
            m("10.00")
        );
    }
);

store_test!(
    async fn a_reversal_restores_the_balances_once_and_is_not_reversed(store: Store) {
        let o = org(&store, "northamptonshire").await;
        let a = Actor::system();
        store
            .post_journal(o, &spend("keep", "2016-04-02", "5.00"), &a)
            .await
            .unwrap();
        let before = store.trial_balance(o, d("2016-12-31")).await.unwrap();
        let wrong = store
            .post_journal(o, &spend("wrong", "2016-05-10", "99.99"), &a)
            .await
            .unwrap();
        let rev = store
            .reverse_journal(
                o,
                wrong.journal.id,
                "rev-wrong",
                d("2016-06-01"),
                "Wrong contract",
                &a,
            )
            .await
            .unwrap();
        assert_eq!(rev.journal.journal.reverses, Some(wrong.journal.id));
        assert_eq!(
            store.trial_balance(o, d("2016-12-31")).await.unwrap(),
            before
        );
        // In May the wrong journal still stands; the reversal is dated June.
        assert_eq!(
            store
                .trial_balance(o, d("2016-05-31"))
                .await
                .unwrap()
                .total_debit,
            m("104.99")
        );
        // The same reversal again returns it; another reversal of the same journal is refused.
        let again = store
            .reverse_journal(
                o,
                wrong.journal.id,
                "rev-wrong",
                d("2016-06-01"),
                "Wrong contract",
                &a,
            )
            .await
            .unwrap();
        assert!(!again.created);
        let e = store
            .reverse_journal(o, wrong.journal.id, "rev-2", d("2016-06-02"), "Again", &a)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Conflict(m) if m.contains("reversed already")),
            "{e}"
        );
        let e = store
            .reverse_journal(o, rev.journal.id, "rev-rev", d("2016-06-02"), "Undo", &a)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Conflict(m) if m.contains("is itself a reversal")),
            "{e}"
        );
        let e = store
            .reverse_journal(o, 9999, "rev-none", d("2016-06-02"), "None", &a)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
        assert_eq!(counts(&store, o).await, (3, 6));
    }
);

store_test!(
    async fn balances_are_kept_by_account_and_month(store: Store) {
        let o = org(&store, "northamptonshire").await;
        let a = Actor::system();
        for (k, day, amount) in [
            ("a", "2016-04-30", "1.00"),
            ("b", "2016-05-01", "2.00"),
            ("c", "2016-05-31", "4.00"),
            ("e", "2016-06-01", "8.00"),
        ] {
            store
                .post_journal(o, &spend(k, day, amount), &a)
                .await
                .unwrap();
        }
        let months = store
            .ledger_month_balances(o, "2016-04", "2016-05")
            .await
            .unwrap();
        let adults: Vec<(String, Money)> = months
            .iter()
            .filter(|b| b.account == adults())
            .map(|b| (b.month.clone(), b.debit))
            .collect();
        assert_eq!(
            adults,
            vec![("2016-04".into(), m("1.00")), ("2016-05".into(), m("6.00"))]
        );
        for (at, total) in [
            ("2016-04-29", "0.00"),
            ("2016-04-30", "1.00"),
            ("2016-05-01", "3.00"),
            ("2016-05-30", "3.00"),
            ("2016-05-31", "7.00"),
            ("2016-06-01", "15.00"),
        ] {
            let tb = store.trial_balance(o, d(at)).await.unwrap();
            assert_eq!(tb.total_debit, m(total), "at {at}");
            assert_eq!(tb.total_credit, m(total), "at {at}");
        }
    }
);

fn account() -> impl Strategy<Value = Account> {
    prop_oneof![
        Just(Account::Bank),
        Just(Account::Creditors),
        Just(Account::Debtors),
        Just(Account::GeneralReserve),
        Just(adults()),
        Just(Account::income("Adult social care", "Fees and charges")),
    ]
}

/// Up to five journals, each of one to three balanced pairs, on days of 2016.
/// A journal as generated: its day of 2016 and its (debit, credit, pence) pairs.
type Generated = (u32, Vec<(Account, Account, i64)>);

fn journals() -> impl Strategy<Value = Vec<Generated>> {
    vec(
        (
            1u32..366,
            vec((account(), account(), 1i64..1_000_000), 1..4),
        ),
        1..6,
    )
}

fn journal(i: usize, day: u32, pairs: &[(Account, Account, i64)]) -> Journal {
    let date = NaiveDate::from_yo_opt(2016, day).unwrap();
    let postings = pairs
        .iter()
        .flat_map(|(a, b, p)| {
            [
                Posting::debit(a.clone(), Money::pence(*p), src(&format!("j{i}"))),
                Posting::credit(b.clone(), Money::pence(*p), src(&format!("j{i}"))),
            ]
        })
        .collect();
    Journal::new(format!("j{i}"), date, "generated", postings).unwrap()
}

/// Runs a property against the store with a few cases (each case posts to a fresh
/// organisation, so cases do not see each other).
fn check<S, F>(store: &Store, strategy: S, body: F)
where
    S: Strategy,
    S::Value: Clone + std::fmt::Debug,
    F: Fn(
        Store,
        i64,
        S::Value,
    ) -> futures_util::future::BoxFuture<'static, Result<(), TestCaseError>>,
{
    let mut runner = TestRunner::new(Config {
        cases: 6,
        failure_persistence: None,
        ..Config::default()
    });
    let handle = tokio::runtime::Handle::current();
    let n = std::sync::atomic::AtomicUsize::new(0);
    tokio::task::block_in_place(|| {
        runner
            .run(&strategy, |value| {
                let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                handle.block_on(async {
                    let o = org(store, &format!("case-{i}")).await;
                    body(store.clone(), o, value).await
                })
            })
            .unwrap();
    });
}

store_test!(
    async fn balances_equal_the_sum_of_postings_and_reposting_changes_nothing(store: Store) {
        check(&store, journals(), |store, o, js| {
            Box::pin(async move {
                let a = Actor::system();
                for (i, (day, pairs)) in js.iter().enumerate() {
                    store
                        .post_journal(o, &journal(i, *day, pairs), &a)
                        .await
                        .unwrap();
                }
                let maintained = store.ledger_balances_at(o, d("2016-12-31")).await.unwrap();
                let summed = store.ledger_balances_from_postings(o).await.unwrap();
                prop_assert_eq!(maintained.nets(), summed.nets());
                let tb = store.trial_balance(o, d("2016-12-31")).await.unwrap();
                prop_assert_eq!(tb.total_debit, tb.total_credit);
                // Posting every key again changes nothing.
                let head = store.audit_head().await.unwrap();
                for (i, (day, pairs)) in js.iter().enumerate() {
                    let again = store
                        .post_journal(o, &journal(i, *day, pairs), &a)
                        .await
                        .unwrap();
                    prop_assert!(!again.created);
                }
                prop_assert_eq!(store.audit_head().await.unwrap(), head);
                prop_assert_eq!(store.trial_balance(o, d("2016-12-31")).await.unwrap(), tb);
                Ok(())
            })
        });
    }
);

store_test!(
    async fn a_reversal_restores_the_stored_balances(store: Store) {
        check(
            &store,
            (journals(), 1u32..366),
            |store, o, (js, rev_day)| {
                Box::pin(async move {
                    let a = Actor::system();
                    let mut ids = Vec::new();
                    for (i, (day, pairs)) in js.iter().enumerate() {
                        ids.push(
                            store
                                .post_journal(o, &journal(i, *day, pairs), &a)
                                .await
                                .unwrap()
                                .journal
                                .id,
                        );
                    }
                    let at = d("2017-03-31");
                    let before = store.trial_balance(o, at).await.unwrap();
                    let (last, last_pairs) = js.last().unwrap();
                    let extra = journal(99, *last, last_pairs);
                    let id = store.post_journal(o, &extra, &a).await.unwrap().journal.id;
                    let rev_date = NaiveDate::from_yo_opt(2016, rev_day).unwrap();
                    store
                        .reverse_journal(o, id, "rev", rev_date, "undo", &a)
                        .await
                        .unwrap();
                    prop_assert_eq!(store.trial_balance(o, at).await.unwrap(), before);
                    let maintained = store.ledger_balances_at(o, at).await.unwrap();
                    let summed = store.ledger_balances_from_postings(o).await.unwrap();
                    prop_assert_eq!(maintained.nets(), summed.nets());
                    Ok(())
                })
            },
        );
    }
);
