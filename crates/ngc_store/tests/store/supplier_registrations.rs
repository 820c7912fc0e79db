use super::fixtures::{council, provider, slug};
use ngc_domain::Role;
use ngc_domain::organisation::{
    ContactDetails, FactCorrections, LegalForm, OrgKind, SupplierFacts, VerificationStatus,
};
use ngc_store::supplier_registrations::{NewSupplierRegistration, SignInCheck};
use ngc_store::users::NewUser;
use ngc_store::{Actor, Store, StoreError, store_test};

const PASSWORD: &str = "a long password";

fn facts(s: &str) -> SupplierFacts {
    SupplierFacts {
        slug: slug(s),
        name: "Nene Home Care CIC".into(),
        legal_form: LegalForm::CommunityInterestCompany,
        sme: true,
        vcse: true,
        public_service_mutual: true,
        identifiers: vec![
            "GB-COH-12345678".parse().unwrap(),
            "GB-PPON-PHDQ-2359-NZMP".parse().unwrap(),
        ],
    }
}

fn contact() -> ContactDetails {
    ContactDetails {
        description: "Care at home.".into(),
        email: "hello@nene.example".into(),
        phone: "01604 000000".into(),
        website: "https://nene.example".into(),
        address: "1 Bridge Street\nNorthampton".into(),
    }
}

async fn register(
    store: &Store,
    facts: &SupplierFacts,
    email: &str,
) -> Result<ngc_store::supplier_registrations::SupplierRegistration, StoreError> {
    store
        .register_supplier(&NewSupplierRegistration {
            facts,
            contact: &contact(),
            user_email: email,
            user_name: "Ann Applicant",
            password: PASSWORD,
        })
        .await
}

/// An instance administrator of a council, who decides.
async fn admin(store: &Store) -> Actor {
    store
        .create_organisation(&council("alpha", "Alpha"), &Actor::system())
        .await
        .unwrap();
    let u = store
        .create_user(
            &NewUser {
                email: "admin@alpha.test",
                name: "",
                role: Role::InstanceAdmin,
                organisation: "alpha",
                password: PASSWORD,
            },
            &Actor::system(),
        )
        .await
        .unwrap();
    Actor::user(u.id, u.organisation_id)
}

/// Everything a refused registration or decision could have written.
async fn state(store: &Store) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        store.audit_head().await.unwrap(),
        store.list_organisations().await.unwrap(),
        store.list_users().await.unwrap(),
        store.list_supplier_registrations(None).await.unwrap()
    )
}

store_test!(
    async fn a_registration_waits_outside_the_directory_and_the_users(store: Store) {
        admin(&store).await;
        let orgs = store.list_organisations().await.unwrap();
        let users = store.list_users().await.unwrap();
        let head = store.audit_head().await.unwrap();
        let r = register(&store, &facts("nene-home-care"), " Ann@Nene.Example ")
            .await
            .unwrap();
        assert_eq!(r.status, VerificationStatus::Pending);
        assert_eq!(r.user_email, "ann@nene.example");
        assert_eq!(r.facts, facts("nene-home-care"));
        assert_eq!(r.contact, contact());
        assert_eq!(r.organisation, None);
        // No organisation, no user: nothing else in ngc can take it for a supplier.
        assert_eq!(store.list_organisations().await.unwrap(), orgs);
        assert_eq!(store.list_users().await.unwrap(), users);
        assert_eq!(store.user_by_email("ann@nene.example").await.unwrap(), None);
        // One audit record, without the password.
        assert_eq!(store.audit_head().await.unwrap().0, head.0 + 1);
        let last = &store.audit_page(None, 1).await.unwrap()[0].record;
        assert_eq!(last.action, "supplier_registration.submit");
        assert_eq!(last.actor_user_id, None);
        assert!(!last.change.to_string().contains(PASSWORD));
        assert_eq!(
            store
                .list_supplier_registrations(Some(VerificationStatus::Pending))
                .await
                .unwrap(),
            vec![r]
        );
    }
);

store_test!(
    async fn a_refused_registration_writes_nothing_and_names_the_field(store: Store) {
        admin(&store).await;
        let mut taken = provider("taken-care", "Taken Care", None);
        taken.identifiers = vec!["GB-CHC-1123456".parse().unwrap()];
        store
            .create_organisation(&taken, &Actor::system())
            .await
            .unwrap();
        register(&store, &facts("pending-care"), "pending@care.example")
            .await
            .unwrap();
        let before = state(&store).await;

        let mut cases: Vec<(SupplierFacts, &str, &str)> = Vec::new();
        cases.push((facts("taken-care"), "new@care.example", "slug"));
        cases.push((facts("pending-care"), "new@care.example", "slug"));
        let mut f = facts("fresh-care");
        f.identifiers.push("GB-CHC-1123456".parse().unwrap());
        cases.push((f, "new@care.example", "identifiers"));
        cases.push((
            SupplierFacts {
                identifiers: vec!["GB-COH-12345678".parse().unwrap()],
                ..facts("fresh-care")
            },
            "new@care.example",
            "identifiers",
        ));
        let fresh = SupplierFacts {
            identifiers: vec!["GB-COH-87654321".parse().unwrap()],
            ..facts("fresh-care")
        };
        cases.push((fresh.clone(), "admin@alpha.test", "user_email"));
        cases.push((fresh, "PENDING@care.example", "user_email"));
        for (f, email, field) in cases {
            let err = register(&store, &f, email).await.unwrap_err();
            match &err {
                StoreError::Conflict(m) => {
                    assert!(m.starts_with(&format!("{field}:")), "{field}: {m}")
                }
                other => panic!("{field}: expected a conflict, got {other:?}"),
            }
        }
        // Invalid fields, each named.
        let no_company_number = SupplierFacts {
            identifiers: vec![],
            ..facts("fresh-care")
        };
        let err = register(&store, &no_company_number, "new@care.example")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "identifiers"),
            "{err:?}"
        );
        let err = register(&store, &facts("fresh-care"), "not an email")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "user_email"),
            "{err:?}"
        );
        let err = store
            .register_supplier(&NewSupplierRegistration {
                facts: &facts("fresh-care"),
                contact: &ContactDetails {
                    website: "nene.example".into(),
                    ..contact()
                },
                user_email: "new@care.example",
                user_name: "Ann",
                password: PASSWORD,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "website"),
            "{err:?}"
        );
        let err = store
            .register_supplier(&NewSupplierRegistration {
                facts: &facts("fresh-care"),
                contact: &contact(),
                user_email: "new@care.example",
                user_name: "Ann",
                password: "short",
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "password"),
            "{err:?}"
        );
        assert_eq!(state(&store).await, before);
    }
);

store_test!(
    async fn verifying_creates_the_organisation_and_its_provider(store: Store) {
        let admin = admin(&store).await;
        let r = register(&store, &facts("nene-home-care"), "ann@nene.example")
            .await
            .unwrap();
        // Before verification the credentials open only the registration.
        assert_eq!(
            store
                .check_sign_in("ann@nene.example", PASSWORD)
                .await
                .unwrap(),
            SignInCheck::Registration(Box::new(r.clone()))
        );
        assert_eq!(
            store
                .check_sign_in("ann@nene.example", "wrong")
                .await
                .unwrap(),
            SignInCheck::Failed
        );
        let head = store.audit_head().await.unwrap();
        let corrections = FactCorrections {
            public_service_mutual: Some(false),
            sme: Some(true),
            ..Default::default()
        };
        let v = store
            .verify_supplier_registration(r.id, &corrections, "Checked at Companies House", &admin)
            .await
            .unwrap();
        assert_eq!(v.status, VerificationStatus::Verified);
        assert_eq!(v.organisation.as_deref(), Some("nene-home-care"));
        assert_eq!(v.decided_by.as_deref(), Some("admin@alpha.test"));
        // The claim stays on the registration; the organisation has the corrected facts.
        assert!(v.facts.public_service_mutual);
        let org = store
            .organisation_by_slug("nene-home-care")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(org.kind, OrgKind::Provider);
        assert!(org.sme && org.vcse && !org.public_service_mutual);
        assert_eq!(
            org.identifiers,
            vec!["GB-COH-12345678", "GB-PPON-PHDQ-2359-NZMP"]
        );
        assert_eq!(org.contact, contact());
        let user = store
            .user_by_email("ann@nene.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.role, Role::Provider);
        assert_eq!(user.organisation, "nene-home-care");
        assert_eq!(user.name, "Ann Applicant");
        assert!(!user.disabled);
        assert_eq!(
            store
                .check_sign_in("ann@nene.example", PASSWORD)
                .await
                .unwrap(),
            SignInCheck::User(user.clone())
        );
        assert_eq!(
            store
                .authenticate("ann@nene.example", PASSWORD)
                .await
                .unwrap(),
            Some(user)
        );
        let actions: Vec<String> = store
            .audit_page(None, 10)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.record.seq > head.0)
            .map(|e| e.record.action)
            .collect();
        assert_eq!(
            actions,
            vec![
                "supplier_registration.verify",
                "user.create",
                "organisation.contact",
                "organisation.create"
            ]
        );
        let last = &store.audit_page(None, 1).await.unwrap()[0].record;
        assert_eq!(
            last.change["corrections"],
            serde_json::json!({"public_service_mutual": false})
        );
        // Decided once only.
        let before = state(&store).await;
        let err = store
            .refuse_supplier_registration(r.id, "no", &admin)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert_eq!(state(&store).await, before);
    }
);

store_test!(
    async fn a_slug_taken_meanwhile_stops_verification_until_corrected(store: Store) {
        let admin = admin(&store).await;
        let r = register(&store, &facts("nene-home-care"), "ann@nene.example")
            .await
            .unwrap();
        store
            .create_organisation(&provider("nene-home-care", "Other", None), &Actor::system())
            .await
            .unwrap();
        let before = state(&store).await;
        let err = store
            .verify_supplier_registration(r.id, &FactCorrections::default(), "", &admin)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.starts_with("slug:")),
            "{err:?}"
        );
        assert_eq!(state(&store).await, before, "nothing half-written");
        let corrected = FactCorrections {
            slug: Some(slug("nene-home-care-cic")),
            ..Default::default()
        };
        let v = store
            .verify_supplier_registration(r.id, &corrected, "", &admin)
            .await
            .unwrap();
        assert_eq!(v.organisation.as_deref(), Some("nene-home-care-cic"));
    }
);

store_test!(
    async fn a_refusal_says_why_and_frees_the_claims(store: Store) {
        let admin = admin(&store).await;
        let r = register(&store, &facts("nene-home-care"), "ann@nene.example")
            .await
            .unwrap();
        let before = state(&store).await;
        let err = store
            .refuse_supplier_registration(r.id, "  ", &admin)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "note"),
            "{err:?}"
        );
        assert_eq!(state(&store).await, before);
        let refused = store
            .refuse_supplier_registration(r.id, "No such company at Companies House", &admin)
            .await
            .unwrap();
        assert_eq!(refused.status, VerificationStatus::Refused);
        assert_eq!(refused.decision_note, "No such company at Companies House");
        assert!(store.list_organisations().await.unwrap().len() == 1);
        assert_eq!(store.user_by_email("ann@nene.example").await.unwrap(), None);
        let last = &store.audit_page(None, 1).await.unwrap()[0].record;
        assert_eq!(last.action, "supplier_registration.refuse");
        // The applicant, signing in, finds the refusal.
        assert_eq!(
            store
                .check_sign_in("ann@nene.example", PASSWORD)
                .await
                .unwrap(),
            SignInCheck::Registration(Box::new(refused))
        );
        // The slug, identifiers and email may be registered again.
        let again = register(&store, &facts("nene-home-care"), "ann@nene.example")
            .await
            .unwrap();
        assert_eq!(again.status, VerificationStatus::Pending);
        assert_eq!(
            store
                .list_supplier_registrations(Some(VerificationStatus::Pending))
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store.list_supplier_registrations(None).await.unwrap().len(),
            2
        );
    }
);
