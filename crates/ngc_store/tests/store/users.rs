use super::fixtures::council;
use ngc_domain::Role;
use ngc_store::users::NewUser;
use ngc_store::{Actor, Store, store_test};

store_test!(
    async fn a_disabled_user_loses_sessions_and_tokens_at_once_and_gets_them_back(store: Store) {
        store
            .create_organisation(&council("alpha", "Alpha"), &Actor::system())
            .await
            .unwrap();
        let new = NewUser {
            email: "finance@alpha.test",
            name: "",
            role: Role::Finance,
            organisation: "alpha",
            password: "password-123",
        };
        let user = store.create_user(&new, &Actor::system()).await.unwrap();
        let session = store.create_session(&user).await.unwrap();
        let (_, token) = store.create_token(&user, "t").await.unwrap();
        let now = store.now();
        assert!(store.session(&session.secret, now).await.unwrap().is_some());

        let disabled = store
            .set_user_disabled(user.id, true, &Actor::system())
            .await
            .unwrap();
        assert!(disabled.disabled);
        assert!(store.session(&session.secret, now).await.unwrap().is_none());
        assert!(store.user_by_token(&token, now).await.unwrap().is_none());
        assert!(
            store
                .authenticate("finance@alpha.test", "password-123")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            store.audit_page(None, 1).await.unwrap()[0].record.action,
            "user.disable"
        );
        // Disabling again writes nothing.
        let head = store.audit_head().await.unwrap();
        store
            .set_user_disabled(user.id, true, &Actor::system())
            .await
            .unwrap();
        assert_eq!(store.audit_head().await.unwrap(), head);

        let enabled = store
            .set_user_disabled(user.id, false, &Actor::system())
            .await
            .unwrap();
        assert!(!enabled.disabled);
        assert!(store.session(&session.secret, now).await.unwrap().is_some());
        assert!(store.user_by_token(&token, now).await.unwrap().is_some());
        assert_eq!(
            store.audit_page(None, 1).await.unwrap()[0].record.action,
            "user.enable"
        );
        assert_eq!(
            store.list_users_of(user.organisation_id).await.unwrap(),
            vec![enabled]
        );
    }
);
