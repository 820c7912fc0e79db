use super::fixtures::{council, provider, slug};
use ngc_domain::pack::{DataPack, MembershipDraft, PartnershipDraft};
use ngc_domain::partnership::PartnershipKind;
use ngc_store::audit::Verification;
use ngc_store::{Actor, StoreError, store_test};

pub fn pack() -> DataPack {
    DataPack {
        name: "test".into(),
        // The owned company comes first: the loader must put its owner in before it.
        organisations: vec![
            provider("olympus-care", "Olympus Care", Some("northamptonshire")),
            council("northamptonshire", "Northamptonshire"),
            council("cambridgeshire", "Cambridgeshire"),
        ],
        partnerships: vec![PartnershipDraft {
            slug: slug("lgss"),
            name: "LGSS".into(),
            kind: PartnershipKind::SharedService,
            lead: Some(slug("northamptonshire")),
            description: String::new(),
        }],
        memberships: ["northamptonshire", "cambridgeshire"]
            .into_iter()
            .map(|o| MembershipDraft {
                partnership: slug("lgss"),
                organisation: slug(o),
                joined_on: "2010-10-01".parse().unwrap(),
                left_on: None,
            })
            .collect(),
        plans: Vec::new(),
        plan_dirs: Vec::new(),
    }
}

store_test!(
    async fn loading_a_pack_twice_changes_nothing_the_second_time(store: Store) {
        let first = store.load_pack(&pack(), &Actor::system()).await.unwrap();
        assert_eq!(
            (
                first.organisations_created,
                first.partnerships_created,
                first.memberships_created
            ),
            (3, 1, 2)
        );
        let audited = match store.verify_audit().await.unwrap() {
            Verification::Intact(n) => n,
            other => panic!("{other:?}"),
        };
        let second = store.load_pack(&pack(), &Actor::system()).await.unwrap();
        assert!(second.same_content, "{second:?}");
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Verification::Intact(audited)
        );
        // The same records under another name: each is unchanged, only the import is audited.
        let renamed = DataPack {
            name: "renamed".into(),
            ..pack()
        };
        let third = store.load_pack(&renamed, &Actor::system()).await.unwrap();
        assert_eq!(third.unchanged, 6, "{third:?}");
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Verification::Intact(audited + 1)
        );
    }
);

store_test!(
    async fn a_changed_row_is_updated(store: Store) {
        store.load_pack(&pack(), &Actor::system()).await.unwrap();
        let mut p = pack();
        p.organisations[2].name = "Cambridgeshire County Council".into();
        let sum = store.load_pack(&p, &Actor::system()).await.unwrap();
        assert_eq!(sum.organisations_updated, 1);
        let c = store
            .organisation_by_slug("cambridgeshire")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.name, "Cambridgeshire County Council");
    }
);

store_test!(
    async fn a_pack_that_fails_part_way_loads_nothing(store: Store) {
        let mut p = pack();
        p.memberships.push(MembershipDraft {
            partnership: slug("lgss"),
            organisation: slug("nowhere"),
            joined_on: "2010-10-01".parse().unwrap(),
            left_on: None,
        });
        let err = store.load_pack(&p, &Actor::system()).await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid { .. }), "{err}");
        assert!(store.list_organisations().await.unwrap().is_empty());
        assert_eq!(store.verify_audit().await.unwrap(), Verification::Intact(0));
    }
);
