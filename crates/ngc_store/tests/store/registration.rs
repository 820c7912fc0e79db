use super::fixtures::{council, provider};
use ngc_domain::organisation::{
    ContactDetails, OrgKind, RegistrationChange, RegistrationField, RequestStatus,
};
use ngc_store::{Actor, Store, StoreError, store_test};

async fn seed(store: &Store) {
    store
        .create_organisation(&council("alpha", "Alpha"), &Actor::system())
        .await
        .unwrap();
    store
        .create_organisation(&provider("nene-care", "Nene Care", None), &Actor::system())
        .await
        .unwrap();
}

fn to_county() -> RegistrationChange {
    RegistrationChange {
        kind: Some(OrgKind::County),
        public_service_mutual: Some(true),
        ..Default::default()
    }
}

store_test!(
    async fn contact_details_are_stored_audited_and_leave_registration_alone(store: Store) {
        seed(&store).await;
        let before = store
            .organisation_by_slug("nene-care")
            .await
            .unwrap()
            .unwrap();
        let head = store.audit_head().await.unwrap();
        let contact = ContactDetails {
            description: "  Care at home.  ".into(),
            email: "Hello@Nene.example".into(),
            phone: "01604 123456".into(),
            website: "https://nene.example".into(),
            address: "1 High Street".into(),
        };
        let after = store
            .edit_organisation("nene-care", None, Some(&contact), &Actor::system())
            .await
            .unwrap();
        assert_eq!(after.contact.description, "Care at home.");
        assert_eq!(after.contact.email, "hello@nene.example");
        assert_eq!(after.draft(), before.draft());
        assert_eq!(store.audit_head().await.unwrap().0, head.0 + 1);
        let last = store.audit_page(None, 1).await.unwrap();
        assert_eq!(last[0].record.action, "organisation.contact");
        let bad = ContactDetails {
            website: "nene.example".into(),
            ..contact
        };
        let err = store
            .edit_organisation("nene-care", None, Some(&bad), &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "website"),
            "{err}"
        );
        assert_eq!(store.audit_head().await.unwrap().0, head.0 + 1);
    }
);

store_test!(
    async fn an_approved_request_applies_its_facts_and_keeps_history(store: Store) {
        seed(&store).await;
        let asked = store
            .request_registration_change(
                "nene-care",
                &to_county(),
                "Council minute 12",
                &Actor::system(),
            )
            .await
            .unwrap();
        assert_eq!(asked.status, RequestStatus::Pending);
        assert_eq!(
            asked.change.fields(),
            vec![
                RegistrationField::Kind,
                RegistrationField::PublicServiceMutual
            ]
        );
        assert_eq!(asked.previous.kind, Some(OrgKind::Provider));
        assert_eq!(asked.previous.public_service_mutual, Some(false));
        // Nothing changes until it is decided.
        let org = store
            .organisation_by_slug("nene-care")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(org.kind, OrgKind::Provider);
        assert_eq!(
            store.pending_registration_requests().await.unwrap().len(),
            1
        );

        let decided = store
            .decide_registration_request(asked.id, true, "checked", &Actor::system())
            .await
            .unwrap();
        assert_eq!(decided.status, RequestStatus::Approved);
        assert_eq!(decided.decision_note, "checked");
        assert!(decided.decided_at.is_some());
        let org = store
            .organisation_by_slug("nene-care")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(org.kind, OrgKind::County);
        assert!(org.public_service_mutual);
        assert_eq!(org.name, "Nene Care");
        let actions: Vec<String> = store
            .audit_page(None, 3)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.record.action)
            .collect();
        assert_eq!(
            actions,
            [
                "organisation.registration_decision",
                "organisation.update",
                "organisation.registration_request"
            ]
        );
        // Deciding twice is a conflict and writes nothing.
        let head = store.audit_head().await.unwrap();
        let err = store
            .decide_registration_request(asked.id, false, "no", &Actor::system())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.audit_head().await.unwrap(), head);
        let history = store.registration_requests_of(org.id).await.unwrap();
        assert_eq!(history, vec![decided]);
        assert!(
            store
                .pending_registration_requests()
                .await
                .unwrap()
                .is_empty()
        );
    }
);

store_test!(
    async fn a_refused_request_changes_nothing_but_its_status(store: Store) {
        seed(&store).await;
        let asked = store
            .request_registration_change("nene-care", &to_county(), "trust us", &Actor::system())
            .await
            .unwrap();
        let before = store
            .organisation_by_slug("nene-care")
            .await
            .unwrap()
            .unwrap();
        let err = store
            .decide_registration_request(asked.id, false, " ", &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "note"),
            "{err}"
        );
        let refused = store
            .decide_registration_request(asked.id, false, "no evidence", &Actor::system())
            .await
            .unwrap();
        assert_eq!(refused.status, RequestStatus::Refused);
        assert_eq!(
            store
                .organisation_by_slug("nene-care")
                .await
                .unwrap()
                .unwrap(),
            before
        );
    }
);

store_test!(
    async fn a_request_needs_evidence_and_a_real_change(store: Store) {
        seed(&store).await;
        let head = store.audit_head().await.unwrap();
        let err = store
            .request_registration_change("nene-care", &to_county(), "  ", &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "evidence"),
            "{err}"
        );
        let same = RegistrationChange {
            kind: Some(OrgKind::Provider),
            ..Default::default()
        };
        let err = store
            .request_registration_change("nene-care", &same, "why not", &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "change"),
            "{err}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
    }
);
