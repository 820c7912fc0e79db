//! Joint working in the store: key values are stored all or none (a bad one names its field
//! and writes nothing), the partnership's contracts are its current members' running ones, and
//! a joint tender is created with its origin in one transaction.

use super::fixtures::{contract, council, joint_tender, provider, slug};
use super::tenders::new_tender_like;
use chrono::{Duration, Utc};
use ngc_domain::joint_working::Key;
use ngc_domain::money::Money;
use ngc_domain::pack::PartnershipDraft;
use ngc_domain::partnership::{Membership, PartnershipKind};
use ngc_store::joint_working::{NewJointTender, NewKeyValue};
use ngc_store::{Actor, StoreError, store_test};

fn value(org: &str, v: &str) -> NewKeyValue {
    NewKeyValue {
        organisation: org.into(),
        year: "2016-17".parse().unwrap(),
        key: Key::TaxBase,
        value: v.parse().unwrap(),
        source: "CTR1 2016-17".into(),
        confirmed: true,
    }
}

async fn partnership(store: &ngc_store::Store, members: &[(&str, &str, Option<&str>)]) -> i64 {
    let a = Actor::system();
    let draft = PartnershipDraft {
        slug: slug("northamptonshire-ca"),
        name: "Combined authority".into(),
        kind: PartnershipKind::CombinedAuthority,
        lead: None,
        description: String::new(),
    };
    let p = store.create_partnership(&draft, &a).await.unwrap();
    for (org, joined, left) in members {
        let m = Membership::new(joined.parse().unwrap(), left.map(|l| l.parse().unwrap())).unwrap();
        store
            .add_member("northamptonshire-ca", org, &m, &a)
            .await
            .unwrap();
    }
    p.id
}

store_test!(
    async fn key_values_are_stored_all_or_none(store: Store) {
        let a = Actor::system();
        for (s, n) in [("corby", "Corby"), ("kettering", "Kettering")] {
            store.create_organisation(&council(s, n), &a).await.unwrap();
        }
        store
            .create_organisation(&provider("waste-co", "Waste Co", None), &a)
            .await
            .unwrap();
        let year = "2016-17".parse().unwrap();
        store
            .set_key_values(
                &[value("corby", "17892"), value("kettering", "30450.5")],
                &a,
            )
            .await
            .unwrap();
        let before = store.key_values(year, Key::TaxBase).await.unwrap();
        assert_eq!(
            before
                .iter()
                .map(|v| (v.organisation.as_str(), v.value.as_str(), v.confirmed))
                .collect::<Vec<_>>(),
            vec![("corby", "17892", true), ("kettering", "30450.5", true)]
        );
        let head = store.audit_head().await.unwrap();
        for (bad, field) in [
            (value("nowhere", "1"), "values[1].organisation"),
            (value("waste-co", "1"), "values[1].organisation"),
            (value("kettering", "0"), "values[1].value"),
            (
                NewKeyValue {
                    source: " ".into(),
                    ..value("kettering", "1")
                },
                "values[1].source",
            ),
        ] {
            let err = store
                .set_key_values(&[value("corby", "1"), bad], &a)
                .await
                .unwrap_err();
            assert!(
                matches!(err, StoreError::Invalid { field: ref f, .. } if f == field),
                "{err}"
            );
            assert_eq!(store.audit_head().await.unwrap(), head);
            assert_eq!(store.key_values(year, Key::TaxBase).await.unwrap(), before);
        }
        store
            .set_key_values(&[value("corby", "18000")], &a)
            .await
            .unwrap();
        let after = store.key_values(year, Key::TaxBase).await.unwrap();
        assert_eq!(after[0].value, "18000");
        assert!(
            store
                .key_values(year, Key::Households)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

store_test!(
    async fn the_partnership_reads_its_current_members_running_contracts(store: Store) {
        let a = Actor::system();
        let mut ids = Vec::new();
        for (s, n) in [
            ("corby", "Corby"),
            ("kettering", "Kettering"),
            ("leicester", "Leicester"),
        ] {
            ids.push(
                store
                    .create_organisation(&council(s, n), &a)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let supplier = store
            .create_organisation(&provider("waste-co", "Waste Co", None), &a)
            .await
            .unwrap()
            .id;
        let pid = partnership(
            &store,
            &[
                ("corby", "2015-04-01", None),
                ("kettering", "2015-04-01", Some("2016-03-31")),
            ],
        )
        .await;
        let make = |holder, reference: &'static str, ends: &'static str| {
            contract(
                holder,
                reference,
                supplier,
                Money::pounds(1_000_000),
                "2014-04-01",
                Some(ends),
            )
        };
        for c in [
            make(ids[0], "CORBY-RUNNING", "2018-03-31"),
            make(ids[0], "CORBY-ENDED", "2016-06-30"),
            make(ids[1], "KETTERING-LEFT", "2018-03-31"),
            make(ids[2], "LEICESTER", "2018-03-31"),
        ] {
            store.create_contract(&c, &a).await.unwrap();
        }
        let on = "2016-09-01".parse().unwrap();
        let got = store.partnership_contracts(pid, on).await.unwrap();
        assert_eq!(
            got.iter()
                .map(|c| c.reference.clone().unwrap())
                .collect::<Vec<_>>(),
            vec!["CORBY-RUNNING"]
        );
        assert_eq!(got[0].buyers[0].organisation, "corby");
        // Kettering was a member in 2015: its contract counted then.
        let then = store
            .partnership_contracts(pid, "2015-09-01".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(then.len(), 3);
    }
);

store_test!(
    async fn a_joint_tender_is_created_with_its_origin_or_not_at_all(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(28)).await;
        let pid = partnership(&store, &[("corby", "2015-04-01", None)]).await;
        let a = Actor::system();
        let origin = NewJointTender {
            partnership_id: pid,
            category: "90511000".into(),
            key: Key::TaxBase,
            year: "2016-17".parse().unwrap(),
            rate: Some("7.5".parse().unwrap()),
            baseline: Money::pounds(20_000_000),
            saving: Some(Money::pounds(1_500_000)),
            analysis: serde_json::json!({"aggregate_annual": "20000000.00"}),
        };
        let new = ngc_store::tenders::NewTender {
            reference: "NBC-JW-1".into(),
            ..new_tender_like(&t)
        };
        let made = store.create_joint_tender(&new, &origin, &a).await.unwrap();
        let j = store.joint_tender(made.id).await.unwrap().unwrap();
        assert_eq!(
            (
                j.reference.as_str(),
                j.status.as_str(),
                j.rate.as_deref(),
                j.baseline,
                j.saving
            ),
            (
                "NBC-JW-1",
                "draft",
                Some("7.5"),
                2_000_000_000,
                Some(150_000_000)
            )
        );
        assert_eq!(store.joint_tenders_of(pid).await.unwrap(), vec![j]);
        assert_eq!(store.joint_tender(t.id).await.unwrap(), None);
        // A reused reference: nothing is written, neither the tender nor its origin.
        let head = store.audit_head().await.unwrap();
        let err = store
            .create_joint_tender(&new, &origin, &a)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.joint_tenders_of(pid).await.unwrap().len(), 1);
        assert_eq!(store.all_joint_tenders().await.unwrap().len(), 1);
    }
);
