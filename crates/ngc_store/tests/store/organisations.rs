use super::fixtures::{council, provider};
use ngc_store::{Actor, StoreError, store_test};

store_test!(
    async fn an_organisation_round_trips_with_its_identifiers_and_owner(store: Store) {
        store
            .create_organisation(
                &council("northamptonshire", "Northamptonshire County Council"),
                &Actor::system(),
            )
            .await
            .unwrap();
        let mut draft = provider(
            "first-for-wellbeing",
            "First for Wellbeing CIC",
            Some("northamptonshire"),
        );
        draft.identifiers = vec!["GB-COH-09876543".parse().unwrap()];
        let created = store
            .create_organisation(&draft, &Actor::system())
            .await
            .unwrap();
        let found = store
            .organisation_by_slug("first-for-wellbeing")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(created, found);
        assert_eq!(found.owner.as_deref(), Some("northamptonshire"));
        assert_eq!(found.identifiers, ["GB-COH-09876543"]);
        assert!(found.sme && found.vcse);
    }
);

store_test!(
    async fn a_duplicate_slug_is_a_conflict_naming_the_slug(store: Store) {
        store
            .create_organisation(&council("corby", "Corby"), &Actor::system())
            .await
            .unwrap();
        let err = store
            .create_organisation(&council("corby", "Corby again"), &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.contains("`corby`")),
            "{err}"
        );
    }
);

store_test!(
    async fn an_identifier_belongs_to_one_organisation(store: Store) {
        let mut a = council("alpha", "Alpha");
        a.identifiers = vec!["GB-LAE-ALP".parse().unwrap()];
        store
            .create_organisation(&a, &Actor::system())
            .await
            .unwrap();
        let mut b = council("beta", "Beta");
        b.identifiers = a.identifiers.clone();
        let err = store
            .create_organisation(&b, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("GB-LAE-ALP") && err.to_string().contains("alpha"),
            "{err}"
        );
    }
);

store_test!(
    async fn an_unknown_owner_is_an_invalid_field(store: Store) {
        let err = store
            .create_organisation(
                &provider("orphan", "Orphan Ltd", Some("nobody")),
                &Actor::system(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "owner"),
            "{err}"
        );
    }
);

store_test!(
    async fn updating_keeps_the_slug_and_replaces_the_rest(store: Store) {
        store
            .create_organisation(&council("kettering", "Kettering"), &Actor::system())
            .await
            .unwrap();
        let mut d = council("kettering", "Kettering Borough Council");
        d.identifiers = vec!["GB-LAE-KET".parse().unwrap()];
        let updated = store
            .update_organisation("kettering", &d, &Actor::system())
            .await
            .unwrap();
        assert_eq!(updated.name, "Kettering Borough Council");
        assert_eq!(updated.identifiers, ["GB-LAE-KET"]);
        let renamed = council("kettering-bc", "Kettering");
        assert!(
            store
                .update_organisation("kettering", &renamed, &Actor::system())
                .await
                .is_err()
        );
    }
);
