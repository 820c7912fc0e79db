//! The savings evidence chain in the store: a link reads its contract's facts (the council's
//! share of the annual price, the days it runs), a link to another council's record is refused
//! with nothing written, a removed link is kept, and the marker moves with every change.

use super::fixtures::{contract, council, provider};
use ngc_domain::finance::evidence::{Facts, LinkKind};
use ngc_domain::finance::fixtures::demo_plan;
use ngc_domain::money::Money;
use ngc_store::plans::links::NewLink;
use ngc_store::{Actor, StoreError, store_test};

fn link(saving: &str, target: i64, baseline: Option<i64>) -> NewLink {
    NewLink {
        saving_reference: saving.into(),
        kind: LinkKind::Contract,
        target_id: target,
        amount: None,
        baseline: baseline.map(Money::pounds),
        note: String::new(),
    }
}

store_test!(
    async fn links_read_facts_and_are_kept(store: Store) {
        let a = Actor::system();
        let county = store
            .create_organisation(&council("northamptonshire", "Northamptonshire"), &a)
            .await
            .unwrap()
            .id;
        let other = store
            .create_organisation(&council("cambridgeshire", "Cambridgeshire"), &a)
            .await
            .unwrap()
            .id;
        let supplier = store
            .create_organisation(&provider("waste-co", "Waste Co", None), &a)
            .await
            .unwrap()
            .id;
        store.import_plan(&demo_plan(), &a).await.unwrap();
        let plan = store.list_plans("northamptonshire").await.unwrap()[0].id;
        let ours = store
            .create_contract(
                &contract(
                    county,
                    "W-1",
                    supplier,
                    Money::pounds(10_000_000),
                    "2015-07-01",
                    Some("2025-06-30"),
                ),
                &a,
            )
            .await
            .unwrap();
        let theirs = store
            .create_contract(
                &contract(
                    other,
                    "C-1",
                    supplier,
                    Money::pounds(1_000),
                    "2015-04-01",
                    None,
                ),
                &a,
            )
            .await
            .unwrap();
        let marker = store.evidence_marker(plan).await.unwrap();

        let made = store
            .link_saving(county, plan, &link("ENV-01", ours, Some(2_000_000)), &a)
            .await
            .unwrap();
        assert_eq!(made.title, "Contract W-1");
        let Facts::Contract {
            annual_price,
            start,
            end,
        } = made.facts
        else {
            panic!("a contract's facts");
        };
        // £10m over 3,653 days at 365.25 days a year.
        assert_eq!(annual_price, Money::pence(99_986_313));
        assert_eq!(start.to_string(), "2015-07-01");
        assert_eq!(end.unwrap().to_string(), "2025-06-30");
        assert_ne!(store.evidence_marker(plan).await.unwrap(), marker);

        let head = store.audit_head().await.unwrap();
        let refused = store
            .link_saving(county, plan, &link("ENV-01", theirs, None), &a)
            .await
            .unwrap_err();
        assert!(matches!(refused, StoreError::NotFound(_)), "{refused}");
        assert_eq!(store.audit_head().await.unwrap(), head, "nothing written");
        assert_eq!(store.saving_links(plan).await.unwrap(), vec![made.clone()]);

        let other = store
            .unlink_saving(plan, "CSC-01", made.id, &a)
            .await
            .unwrap_err();
        assert!(
            matches!(other, StoreError::NotFound(_)),
            "another saving's link"
        );
        store
            .unlink_saving(plan, "ENV-01", made.id, &a)
            .await
            .unwrap();
        assert!(store.saving_links(plan).await.unwrap().is_empty());
        assert!(
            store
                .saving_link_ever_made(plan, "ENV-01", LinkKind::Contract, ours)
                .await
                .unwrap(),
            "the removed link is kept"
        );
        let again = store
            .unlink_saving(plan, "ENV-01", made.id, &a)
            .await
            .unwrap_err();
        assert!(matches!(again, StoreError::NotFound(_)));
    }
);
