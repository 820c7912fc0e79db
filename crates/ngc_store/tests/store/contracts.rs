//! The contract register: who reads which contract, a page of them, an import's merge with
//! every replaced version kept, and the contracts ending within a horizon.

use super::fixtures::{contract, council, provider, slug};
use chrono::NaiveDate;
use ngc_domain::ContractScope;
use ngc_domain::money::Money;
use ngc_domain::pack::PartnershipDraft;
use ngc_domain::partnership::{Membership, PartnershipKind};
use ngc_store::contracts::{ContractFilter, Scope};
use ngc_store::{Actor, Store, store_test};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct Orgs {
    county: i64,
    district: i64,
    outsider: i64,
    supplier: i64,
    other_supplier: i64,
}

async fn orgs(store: &Store) -> Orgs {
    let a = Actor::system();
    let mut ids = Vec::new();
    for (s, n) in [
        ("northamptonshire", "Northamptonshire"),
        ("corby", "Corby"),
        ("cambridgeshire", "Cambridgeshire"),
    ] {
        ids.push(
            store
                .create_organisation(&council(s, n), &a)
                .await
                .unwrap()
                .id,
        );
    }
    for (s, n) in [
        ("olympus-care", "Olympus Care"),
        ("first-for-wellbeing", "First for Wellbeing"),
    ] {
        ids.push(
            store
                .create_organisation(&provider(s, n, None), &a)
                .await
                .unwrap()
                .id,
        );
    }
    Orgs {
        county: ids[0],
        district: ids[1],
        outsider: ids[2],
        supplier: ids[3],
        other_supplier: ids[4],
    }
}

fn filter(today: &str) -> ContractFilter {
    ContractFilter {
        today: d(today),
        status: None,
        supplier: None,
        text: None,
        limit: 50,
        offset: 0,
    }
}

async fn references(store: &Store, scope: Scope, f: &ContractFilter) -> Vec<String> {
    store
        .contracts_page(scope, f)
        .await
        .unwrap()
        .contracts
        .into_iter()
        .map(|c| c.reference.unwrap())
        .collect()
}

store_test!(
    async fn buyers_partners_and_suppliers_each_read_only_their_contracts(store: Store) {
        let o = orgs(&store).await;
        let a = Actor::system();
        let care = contract(
            o.county,
            "NCC-1",
            o.supplier,
            Money::pounds(900),
            "2016-04-01",
            Some("2019-03-31"),
        );
        store.create_contract(&care, &a).await.unwrap();
        let mut waste = contract(
            o.county,
            "NCC-2",
            o.other_supplier,
            Money::pounds(500),
            "2016-04-01",
            Some("2018-03-31"),
        );
        let draft = PartnershipDraft {
            slug: slug("waste-partnership"),
            name: "Waste partnership".into(),
            kind: PartnershipKind::Alliance,
            lead: Some(slug("northamptonshire")),
            description: String::new(),
        };
        let p = store.create_partnership(&draft, &a).await.unwrap();
        store
            .add_member(
                "waste-partnership",
                "corby",
                &Membership::new(d("2015-01-01"), Some(d("2017-03-31"))).unwrap(),
                &a,
            )
            .await
            .unwrap();
        waste.partnership_id = Some(p.id);
        let waste_id = store.create_contract(&waste, &a).await.unwrap();

        let f = filter("2016-06-01");
        assert_eq!(
            references(&store, ContractScope::Buyer(o.county), &f).await,
            ["NCC-2", "NCC-1"]
        );
        assert_eq!(
            references(&store, ContractScope::Buyer(o.district), &f).await,
            ["NCC-2"]
        );
        assert!(
            references(&store, ContractScope::Buyer(o.outsider), &f)
                .await
                .is_empty()
        );
        let after_leaving = filter("2017-06-01");
        assert!(
            references(&store, ContractScope::Buyer(o.district), &after_leaving)
                .await
                .is_empty()
        );
        assert_eq!(
            references(&store, ContractScope::Supplier(o.supplier), &f).await,
            ["NCC-1"]
        );
        assert!(
            store
                .visible_contract(ContractScope::Buyer(o.outsider), waste_id)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .visible_contract(ContractScope::Supplier(o.supplier), waste_id)
                .await
                .unwrap()
                .is_none()
        );
        let seen = store
            .visible_contract(ContractScope::Supplier(o.other_supplier), waste_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(seen.buyers.len(), 1);
        assert_eq!(seen.buyers[0].amount, Money::pounds(500));
    }
);

store_test!(
    async fn a_page_filters_by_status_supplier_and_words_and_counts_every_match(store: Store) {
        let o = orgs(&store).await;
        let a = Actor::system();
        for (r, s, start, end) in [
            ("A", o.supplier, "2015-04-01", Some("2016-03-31")),
            ("B", o.supplier, "2016-04-01", Some("2020-03-31")),
            ("C", o.other_supplier, "2017-04-01", None),
        ] {
            store
                .create_contract(&contract(o.county, r, s, Money::pounds(10), start, end), &a)
                .await
                .unwrap();
        }
        let scope = ContractScope::Buyer(o.county);
        let mut f = filter("2016-06-01");
        f.status = Some(ngc_domain::contracts::ContractStatus::Expired);
        assert_eq!(references(&store, scope, &f).await, ["A"]);
        f.status = Some(ngc_domain::contracts::ContractStatus::Pending);
        assert_eq!(references(&store, scope, &f).await, ["C"]);
        let mut f = filter("2016-06-01");
        f.supplier = Some("olympus-care".into());
        assert_eq!(references(&store, scope, &f).await, ["A", "B"]);
        let mut f = filter("2016-06-01");
        f.text = Some("contract b".into());
        assert_eq!(references(&store, scope, &f).await, ["B"]);
        let mut f = filter("2016-06-01");
        f.limit = 2;
        let page = store.contracts_page(scope, &f).await.unwrap();
        assert_eq!((page.total, page.contracts.len()), (3, 2));
    }
);

store_test!(
    async fn an_import_adds_new_updates_changed_keeping_the_old_and_skips_the_same(store: Store) {
        let o = orgs(&store).await;
        let a = Actor::system();
        let first = vec![
            contract(
                o.county,
                "R-1",
                o.supplier,
                Money::pounds(100),
                "2016-04-01",
                Some("2017-03-31"),
            ),
            contract(
                o.county,
                "R-2",
                o.supplier,
                Money::pounds(200),
                "2016-04-01",
                Some("2017-03-31"),
            ),
        ];
        let out = store
            .import_contracts(o.county, &first, "a.csv", &a)
            .await
            .unwrap();
        assert_eq!(out.added, ["R-1", "R-2"]);
        let mut second = first.clone();
        second[1].value = Money::pounds(250);
        second.push(contract(
            o.county,
            "R-3",
            o.supplier,
            Money::pounds(1),
            "2016-04-01",
            None,
        ));
        let out = store
            .import_contracts(o.county, &second, "b.csv", &a)
            .await
            .unwrap();
        assert_eq!(
            (out.added.as_slice(), out.updated.as_slice(), out.unchanged),
            (&["R-3".to_owned()][..], &["R-2".to_owned()][..], 1)
        );
        let page = store
            .contracts_page(ContractScope::Buyer(o.county), &filter("2016-06-01"))
            .await
            .unwrap();
        let r2 = page
            .contracts
            .iter()
            .find(|c| c.reference.as_deref() == Some("R-2"))
            .unwrap();
        assert_eq!(r2.value, Money::pounds(250));
        assert_eq!(r2.buyers[0].amount, Money::pounds(250));
        let revisions = store.contract_revisions(r2.id).await.unwrap();
        assert_eq!(revisions.len(), 1);
        assert_eq!(revisions[0].reason, "replaced by an import of b.csv");
        let old: serde_json::Value = serde_json::from_str(&revisions[0].snapshot).unwrap();
        assert_eq!(old["value"], "200.00");
        assert_eq!(page.total, 3);
    }
);

store_test!(
    async fn a_failed_import_writes_nothing(store: Store) {
        let o = orgs(&store).await;
        let a = Actor::system();
        let mut rows = vec![contract(
            o.county,
            "R-1",
            o.supplier,
            Money::pounds(1),
            "2016-04-01",
            None,
        )];
        let mut bad = contract(
            o.county,
            "R-2",
            o.supplier,
            Money::pounds(1),
            "2016-04-01",
            None,
        );
        bad.supplier_id = 999_999;
        bad.buyers = vec![(o.county, "100".into(), Money::pounds(1))];
        rows.push(bad);
        assert!(
            store
                .import_contracts(o.county, &rows, "bad.csv", &a)
                .await
                .is_err()
        );
        let page = store
            .contracts_page(ContractScope::Buyer(o.county), &filter("2016-06-01"))
            .await
            .unwrap();
        assert_eq!(page.total, 0);
    }
);

store_test!(
    async fn the_contracts_ending_within_a_horizon_are_the_live_ones_a_council_buys(store: Store) {
        let o = orgs(&store).await;
        let a = Actor::system();
        for (r, end) in [
            ("SOON", "2017-01-31"),
            ("LATER", "2019-01-31"),
            ("GONE", "2016-01-31"),
        ] {
            store
                .create_contract(
                    &contract(
                        o.county,
                        r,
                        o.supplier,
                        Money::pounds(1),
                        "2015-04-01",
                        Some(end),
                    ),
                    &a,
                )
                .await
                .unwrap();
        }
        store
            .create_contract(
                &contract(
                    o.district,
                    "CBC",
                    o.supplier,
                    Money::pounds(1),
                    "2015-04-01",
                    Some("2017-01-31"),
                ),
                &a,
            )
            .await
            .unwrap();
        let ending = store
            .contracts_ending(o.county, d("2016-06-01"), d("2017-12-01"))
            .await
            .unwrap();
        let refs: Vec<_> = ending
            .iter()
            .map(|c| c.reference.clone().unwrap())
            .collect();
        assert_eq!(refs, ["SOON"]);
    }
);
