//! Contract variations: applying one numbers it within the contract, changes the contract's
//! current value and end (the original ones stay), moves the buyer's part with the value,
//! keeps the replaced version and audits; a refused one writes nothing; a termination and its
//! reversal set and clear the contract's termination.

use super::fixtures::{contract, council, provider};
use chrono::NaiveDate;
use ngc_domain::contracts::change::ModificationGround;
use ngc_domain::contracts::change::VariationKind;
use ngc_domain::money::Money;
use ngc_domain::procurement::notices::NoticeType;
use ngc_store::contracts::NewVariation;
use ngc_store::{Actor, Store, StoreError, store_test};
use serde_json::json;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A county's £900,000 contract with a provider, April 2016 to March 2019.
async fn a_contract(store: &Store) -> i64 {
    let a = Actor::system();
    let county = store
        .create_organisation(&council("northamptonshire", "Northamptonshire"), &a)
        .await
        .unwrap()
        .id;
    let care = store
        .create_organisation(&provider("olympus-care", "Olympus Care", None), &a)
        .await
        .unwrap()
        .id;
    let new = contract(
        county,
        "NCC-1",
        care,
        Money::pounds(900_000),
        "2016-04-01",
        Some("2019-03-31"),
    );
    store.create_contract(&new, &a).await.unwrap()
}

/// A variation adding `pounds` and moving the end to `end`, for the holder `org`.
fn variation(org: i64, pounds: i64, end: &str) -> NewVariation {
    NewVariation {
        kind: VariationKind::Variation,
        ground: Some(ModificationGround::PcrAdditional),
        description: "More sessions".into(),
        value_change: Money::pounds(pounds),
        ends_after: Some(d(end)),
        termination: None,
        cumulative_change_percent: "10.00".into(),
        notice: Some(NoticeType::ModificationNotice),
        notice_reason: "PCR 2015 reg 72(3)".into(),
        assessment: json!({"reasons": ["within the cap"]}),
        buyer_amounts: vec![(org, Money::pounds(900_000 + pounds))],
    }
}

async fn state(store: &Store, id: i64) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        store.audit_head().await.unwrap(),
        store.contract(id).await.unwrap(),
        store.contract_variations(id).await.unwrap(),
        store.contract_revisions(id).await.unwrap()
    )
}

store_test!(
    async fn a_variation_changes_the_current_value_and_keeps_the_old(store: Store) {
        let id = a_contract(&store).await;
        let org = store
            .contract(id)
            .await
            .unwrap()
            .unwrap()
            .organisation_id
            .unwrap();
        let a = Actor::system();
        let (c, v) = store
            .apply_variation(id, &a, |old, earlier| {
                assert_eq!(old.value, Money::pounds(900_000));
                assert!(earlier.is_empty());
                Ok(variation(org, 90_000, "2019-09-30"))
            })
            .await
            .unwrap();
        assert_eq!(v.seq, 1);
        assert_eq!(v.kind, VariationKind::Variation);
        assert_eq!(v.ground, Some(ModificationGround::PcrAdditional));
        assert_eq!(
            (v.value_before, v.value_after, v.cumulative_change),
            (
                Money::pounds(900_000),
                Money::pounds(990_000),
                Money::pounds(90_000)
            )
        );
        assert_eq!(
            (v.ends_before, v.ends_after),
            (Some(d("2019-03-31")), Some(d("2019-09-30")))
        );
        assert_eq!(v.notice, Some(NoticeType::ModificationNotice));
        assert_eq!(v.assessment, json!({"reasons": ["within the cap"]}));
        assert_eq!(
            (c.value, c.ends_on),
            (Money::pounds(990_000), Some(d("2019-09-30")))
        );
        assert_eq!(
            (c.original_value, c.original_ends_on),
            (Money::pounds(900_000), Some(d("2019-03-31")))
        );
        assert_eq!(c.buyers[0].amount, Money::pounds(990_000));
        let revisions = store.contract_revisions(id).await.unwrap();
        assert_eq!(revisions.len(), 1);
        assert_eq!(revisions[0].reason, "replaced by variation 1");
        assert!(
            revisions[0].snapshot.contains("\"value\":\"900000.00\""),
            "{}",
            revisions[0].snapshot
        );
        // The second is numbered after the first and sees it.
        let (c, v) = store
            .apply_variation(id, &a, |old, earlier| {
                assert_eq!(earlier.len(), 1);
                assert_eq!(old.value, Money::pounds(990_000));
                let mut n = variation(org, -40_000, "2019-09-30");
                n.buyer_amounts = vec![(org, Money::pounds(950_000))];
                Ok(n)
            })
            .await
            .unwrap();
        assert_eq!((v.seq, v.cumulative_change), (2, Money::pounds(50_000)));
        assert_eq!(c.value, Money::pounds(950_000));
        assert_eq!(store.contract_variations(id).await.unwrap().len(), 2);
    }
);

store_test!(
    async fn a_refused_variation_writes_nothing(store: Store) {
        let id = a_contract(&store).await;
        let before = state(&store, id).await;
        let e = store
            .apply_variation(id, &Actor::system(), |_, _| {
                Err(StoreError::invalid("ground", "refused"))
            })
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid { ref field, .. } if field == "ground"),
            "{e:?}"
        );
        assert_eq!(state(&store, id).await, before);
        let missing = store
            .apply_variation(id + 1000, &Actor::system(), |_, _| unreachable!())
            .await
            .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound(_)), "{missing:?}");
    }
);

store_test!(
    async fn a_termination_and_its_reversal_set_and_clear_it(store: Store) {
        let id = a_contract(&store).await;
        let org = store
            .contract(id)
            .await
            .unwrap()
            .unwrap()
            .organisation_id
            .unwrap();
        let a = Actor::system();
        let (c, v) = store
            .apply_variation(id, &a, |_, _| {
                Ok(NewVariation {
                    kind: VariationKind::Termination,
                    ground: None,
                    description: "Provider failed".into(),
                    value_change: Money::ZERO,
                    ends_after: Some(d("2019-03-31")),
                    termination: Some((d("2017-10-01"), "Provider failed".into())),
                    cumulative_change_percent: "0.00".into(),
                    notice: None,
                    notice_reason: "none".into(),
                    assessment: json!({}),
                    buyer_amounts: vec![(org, Money::pounds(900_000))],
                })
            })
            .await
            .unwrap();
        assert_eq!(
            (v.kind, v.terminated_on),
            (VariationKind::Termination, Some(d("2017-10-01")))
        );
        assert_eq!(v.ground, None);
        assert_eq!(
            (c.terminated_on, c.termination_reason.as_str()),
            (Some(d("2017-10-01")), "Provider failed")
        );
        let (c, v) = store
            .apply_variation(id, &a, |old, _| {
                assert_eq!(old.terminated_on, Some(d("2017-10-01")));
                let mut n = variation(org, 0, "2019-03-31");
                n.kind = VariationKind::Reversal;
                n.buyer_amounts = vec![(org, Money::pounds(900_000))];
                Ok(n)
            })
            .await
            .unwrap();
        assert_eq!(
            (v.seq, v.kind, v.terminated_on),
            (2, VariationKind::Reversal, None)
        );
        assert_eq!((c.terminated_on, c.termination_reason.as_str()), (None, ""));
        assert_eq!(store.contract_revisions(id).await.unwrap().len(), 2);
    }
);
