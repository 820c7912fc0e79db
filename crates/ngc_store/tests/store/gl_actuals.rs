use super::fixtures::council;
use chrono::NaiveDate;
use ngc_domain::finance::{FinancialYear, ServiceLine};
use ngc_domain::ledger::actuals::{GlExtract, GlLine};
use ngc_domain::ledger::{Account, Journal, Posting, Source, SourceKind};
use ngc_domain::money::Money;
use ngc_store::{Actor, Store, store_test};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

async fn org(store: &Store, slug: &str) -> i64 {
    store
        .create_organisation(&council(slug, slug), &Actor::system())
        .await
        .unwrap()
        .id
}

fn care() -> Account {
    Account::expenditure("Adult social care", "Third party payments")
}

fn line(n: u64, month: &str, subjective: &str, amount: &str) -> GlLine {
    GlLine {
        line: n,
        month: d(month),
        service: ServiceLine::AdultSocialCare,
        cost_centre: "C1".into(),
        subjective: subjective.into(),
        income: false,
        amount: m(amount),
    }
}

fn extract(sha: &str, lines: Vec<GlLine>) -> GlExtract {
    GlExtract {
        name: format!("{sha}.csv"),
        sha256: sha.into(),
        lines,
    }
}

/// A contract payment as the feeders post it: Dr care / Cr bank.
async fn feeder(store: &Store, o: i64, key: &str, day: &str, amount: &str) {
    let src = Source {
        kind: SourceKind::ContractPayment,
        reference: key.into(),
    };
    let j = Journal::new(
        key,
        d(day),
        "payment",
        vec![
            Posting::debit(care(), m(amount), src.clone()),
            Posting::credit(Account::Bank, m(amount), src),
        ],
    )
    .unwrap();
    store.post_journal(o, &j, &Actor::system()).await.unwrap();
}

async fn net(store: &Store, o: i64, a: &Account, at: &str) -> Money {
    store.ledger_balances_at(o, d(at)).await.unwrap().net(a)
}

store_test!(
    async fn an_extract_brings_the_ledger_to_its_figures_and_never_counts_twice(store: Store) {
        let o = org(&store, "northamptonshire").await;
        feeder(&store, o, "p1", "2016-04-12", "900.00").await;
        feeder(&store, o, "p2", "2016-05-12", "30.00").await;
        let e = extract(
            "a1",
            vec![
                line(2, "2016-04-01", "Third party payments", "1000.00"),
                line(3, "2016-04-01", "Employees", "500.00"),
            ],
        );
        let first = store
            .import_gl_actuals(o, &e, &Actor::system())
            .await
            .unwrap();
        assert!(first.added);
        assert_eq!(
            (
                first.import.lines,
                first.import.net_total,
                first.import.journals
            ),
            (2, 150_000, 2)
        );
        assert_eq!(
            (
                first.import.first_month.as_str(),
                first.import.last_month.as_str()
            ),
            ("2016-04", "2016-04")
        );
        // April agrees with the finance system; May (not in the extract) keeps its feeder.
        assert_eq!(net(&store, o, &care(), "2016-04-30").await, m("1000.00"));
        let pay = Account::expenditure("Adult social care", "Employees");
        assert_eq!(net(&store, o, &pay, "2016-04-30").await, m("500.00"));
        assert_eq!(
            net(&store, o, &Account::GlControl, "2016-04-30").await,
            m("-600.00")
        );
        assert_eq!(net(&store, o, &care(), "2016-05-31").await, m("1030.00"));
        // The maintained balances still equal the postings.
        assert_eq!(
            store.ledger_balances_at(o, d("2016-12-31")).await.unwrap(),
            store.ledger_balances_from_postings(o).await.unwrap()
        );

        // The same content again adds and posts nothing.
        let (head, _) = store.audit_head().await.unwrap();
        let again = store
            .import_gl_actuals(o, &e, &Actor::system())
            .await
            .unwrap();
        assert!(!again.added);
        assert_eq!(again.import.id, first.import.id);
        assert_eq!(store.audit_head().await.unwrap().0, head);

        // A corrected extract for April posts only the difference; the first stays readable.
        let corrected = extract(
            "a2",
            vec![
                line(2, "2016-04-01", "Third party payments", "1100.00"),
                line(3, "2016-04-01", "Employees", "500.00"),
            ],
        );
        let second = store
            .import_gl_actuals(o, &corrected, &Actor::system())
            .await
            .unwrap();
        assert!(second.added);
        assert_eq!(second.import.journals, 1);
        assert_eq!(net(&store, o, &care(), "2016-04-30").await, m("1100.00"));
        let imports = store.gl_imports(o).await.unwrap();
        assert_eq!(imports.len(), 2);
        let lines = store.gl_lines(first.import.id).await.unwrap();
        assert_eq!(lines[0].amount, 100_000);
        assert_eq!(lines[0].service, "adult_social_care");
        assert_eq!(
            store.gl_months(o, "2016-04", "2017-03").await.unwrap(),
            vec![("2016-04".to_owned(), second.import.id)]
        );
        // Another council's extract of the same content is its own.
        let other = org(&store, "cambridgeshire").await;
        assert!(
            store
                .import_gl_actuals(other, &e, &Actor::system())
                .await
                .unwrap()
                .added
        );
        assert_eq!(store.gl_imports(o).await.unwrap().len(), 2);
    }
);

store_test!(
    async fn forecasts_and_reserve_markings_keep_every_version_the_latest_current(store: Store) {
        let o = org(&store, "northamptonshire").await;
        let y: FinancialYear = "2016-17".parse().unwrap();
        let a = Actor::system();
        store
            .enter_forecast(o, y, "Adult social care", Some(m("100.00")), "first", &a)
            .await
            .unwrap();
        store
            .enter_forecast(o, y, "Adult social care", Some(m("120.50")), "second", &a)
            .await
            .unwrap();
        store
            .enter_forecast(o, y, "Education", Some(m("5.00")), "", &a)
            .await
            .unwrap();
        store
            .enter_forecast(o, y, "Education", None, "withdrawn", &a)
            .await
            .unwrap();
        assert_eq!(
            store.forecasts(o, y).await.unwrap(),
            vec![("Adult social care".to_owned(), m("120.50"))]
        );
        assert!(
            store
                .forecasts(o, y.next().unwrap())
                .await
                .unwrap()
                .is_empty()
        );
        store
            .mark_reserve(o, "Insurance", true, "", &a)
            .await
            .unwrap();
        store
            .mark_reserve(o, "Transformation", true, "", &a)
            .await
            .unwrap();
        store
            .mark_reserve(o, "Insurance", false, "needed", &a)
            .await
            .unwrap();
        assert_eq!(
            store.releasable_reserves(o).await.unwrap(),
            vec!["Transformation".to_owned()]
        );
        let other = org(&store, "cambridgeshire").await;
        assert!(store.releasable_reserves(other).await.unwrap().is_empty());
        assert!(store.forecasts(other, y).await.unwrap().is_empty());
    }
);

store_test!(
    async fn virements_are_kept_in_order_and_audited(store: Store) {
        use ngc_store::monitoring::NewVirement;
        let o = org(&store, "northamptonshire").await;
        let y: FinancialYear = "2016-17".parse().unwrap();
        let v = NewVirement {
            year: y,
            month: "2016-10",
            from_service: "Education",
            to_service: "Adult social care",
            amount: m("250000.00"),
            reason: "winter pressures",
        };
        let first = store
            .record_virement(o, &v, &Actor::system())
            .await
            .unwrap();
        let back = NewVirement {
            month: "2017-01",
            from_service: "Adult social care",
            to_service: "Education",
            amount: m("0.01"),
            ..v.clone()
        };
        let second = store
            .record_virement(o, &back, &Actor::system())
            .await
            .unwrap();
        let a = store.audit_page(None, 1).await.unwrap().remove(0).record;
        assert_eq!(
            (a.action.as_str(), a.entity_id.as_str()),
            ("budget_virement.record", second.to_string().as_str())
        );
        assert_eq!(a.change["amount"], "0.01");
        let all = store.virements(o, y).await.unwrap();
        let got: Vec<_> = all
            .iter()
            .map(|r| (r.id, r.month.as_str(), r.from_service.as_str(), r.amount))
            .collect();
        assert_eq!(
            got,
            [
                (first, "2016-10", "Education", 25_000_000),
                (second, "2017-01", "Adult social care", 1)
            ]
        );
        assert_eq!(all[0].reason, "winter pressures");
        assert!(
            store
                .virements(o, y.next().unwrap())
                .await
                .unwrap()
                .is_empty()
        );
        let other = org(&store, "cambridgeshire").await;
        assert!(store.virements(other, y).await.unwrap().is_empty());
        // A virement of nothing is refused by the table itself, and nothing is kept.
        let (head, _) = store.audit_head().await.unwrap();
        let nothing = NewVirement {
            amount: m("0"),
            ..v.clone()
        };
        assert!(
            store
                .record_virement(o, &nothing, &Actor::system())
                .await
                .is_err()
        );
        assert_eq!(store.virements(o, y).await.unwrap().len(), 2);
        assert_eq!(store.audit_head().await.unwrap().0, head);
    }
);

store_test!(
    async fn profiles_keep_every_version_the_latest_current(store: Store) {
        let o = org(&store, "northamptonshire").await;
        let y: FinancialYear = "2016-17".parse().unwrap();
        let a = Actor::system();
        let w1 = "1,1,1,1,1,1,1,1,1,1,1,2";
        let w2 = "5,5,5,5,5,5,5,5,15,15,15,10";
        store
            .store_profile(o, y, "Highways and transport", Some(w1), "", &a)
            .await
            .unwrap();
        store
            .store_profile(o, y, "Highways and transport", Some(w2), "gritting", &a)
            .await
            .unwrap();
        store
            .store_profile(o, y, "Education", Some(w1), "", &a)
            .await
            .unwrap();
        store
            .store_profile(o, y, "Education", None, "flat again", &a)
            .await
            .unwrap();
        assert_eq!(
            store.profiles(o, y).await.unwrap(),
            vec![("Highways and transport".to_owned(), w2.to_owned())]
        );
        assert!(
            store
                .profiles(o, y.next().unwrap())
                .await
                .unwrap()
                .is_empty()
        );
        let other = org(&store, "cambridgeshire").await;
        assert!(store.profiles(other, y).await.unwrap().is_empty());
    }
);
