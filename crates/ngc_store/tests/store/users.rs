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

/// An existing deployment's administrators were global: migration 0007 keeps their powers
/// by making them instance administrators.
#[tokio::test]
async fn migration_0007_makes_the_old_administrators_instance_administrators() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pool) = super::fixtures::sqlite_before_migration(dir.path(), 7).await;
    sqlx::query(
        "INSERT INTO organisations (slug, name, kind, legal_form, created_at, updated_at) \
         VALUES ('alpha', 'Alpha', 'county', 'local_authority', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    for (email, role) in [
        ("admin@alpha.test", "admin"),
        ("finance@alpha.test", "finance"),
    ] {
        sqlx::query(
            "INSERT INTO users (email, name, password_hash, role, organisation_id, created_at) \
             VALUES ($1, '', 'x', $2, 1, '2026-01-01T00:00:00Z')",
        )
        .bind(email)
        .bind(role)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
    let store = Store::open(&url).await.unwrap();
    let roles: Vec<(String, Role)> = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.email, u.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("admin@alpha.test".to_owned(), Role::InstanceAdmin),
            ("finance@alpha.test".to_owned(), Role::Finance)
        ]
    );
    store.close().await;
}
