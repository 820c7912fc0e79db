use super::fixtures::{council, slug};
use chrono::NaiveDate;
use ngc_domain::pack::PartnershipDraft;
use ngc_domain::partnership::{Membership, PartnershipKind};
use ngc_store::{Actor, Store, StoreError, store_test};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn lgss(store: &Store) {
    for (s, n) in [
        ("northamptonshire", "Northamptonshire"),
        ("cambridgeshire", "Cambridgeshire"),
        ("milton-keynes", "Milton Keynes"),
    ] {
        store
            .create_organisation(&council(s, n), &Actor::system())
            .await
            .unwrap();
    }
    let draft = PartnershipDraft {
        slug: slug("lgss"),
        name: "LGSS".into(),
        kind: PartnershipKind::SharedService,
        lead: Some(slug("northamptonshire")),
        description: "Shared back office".into(),
    };
    store
        .create_partnership(&draft, &Actor::system())
        .await
        .unwrap();
}

store_test!(
    async fn members_join_and_leave_on_dates(store: Store) {
        lgss(&store).await;
        let a = Actor::system();
        store
            .add_member(
                "lgss",
                "northamptonshire",
                &Membership::new(d("2010-10-01"), None).unwrap(),
                &a,
            )
            .await
            .unwrap();
        store
            .add_member(
                "lgss",
                "milton-keynes",
                &Membership::new(d("2016-04-01"), None).unwrap(),
                &a,
            )
            .await
            .unwrap();
        let p = store
            .end_membership("lgss", "milton-keynes", d("2020-03-31"), &a)
            .await
            .unwrap();
        assert_eq!(p.lead.as_deref(), Some("northamptonshire"));
        let mk = p
            .members
            .iter()
            .find(|m| m.organisation == "milton-keynes")
            .unwrap();
        assert!(mk.is_active_on(d("2018-01-01")));
        assert!(!mk.is_active_on(d("2020-04-01")));
        assert!(!mk.is_active_on(d("2015-01-01")));
    }
);

store_test!(
    async fn an_overlapping_membership_is_refused(store: Store) {
        lgss(&store).await;
        let a = Actor::system();
        store
            .add_member(
                "lgss",
                "cambridgeshire",
                &Membership::new(d("2010-10-01"), None).unwrap(),
                &a,
            )
            .await
            .unwrap();
        let err = store
            .add_member(
                "lgss",
                "cambridgeshire",
                &Membership::new(d("2012-01-01"), None).unwrap(),
                &a,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "joined_on"),
            "{err}"
        );
    }
);

store_test!(
    async fn leaving_before_joining_is_refused(store: Store) {
        lgss(&store).await;
        let a = Actor::system();
        store
            .add_member(
                "lgss",
                "cambridgeshire",
                &Membership::new(d("2010-10-01"), None).unwrap(),
                &a,
            )
            .await
            .unwrap();
        let err = store
            .end_membership("lgss", "cambridgeshire", d("2009-01-01"), &a)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "left_on"),
            "{err}"
        );
    }
);

store_test!(
    async fn memberships_of_an_organisation_are_listed(store: Store) {
        lgss(&store).await;
        let a = Actor::system();
        store
            .add_member(
                "lgss",
                "cambridgeshire",
                &Membership::new(d("2010-10-01"), None).unwrap(),
                &a,
            )
            .await
            .unwrap();
        let cambs = store
            .organisation_by_slug("cambridgeshire")
            .await
            .unwrap()
            .unwrap();
        let ms = store.memberships_of(cambs.id).await.unwrap();
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].joined_on, d("2010-10-01"));
    }
);
