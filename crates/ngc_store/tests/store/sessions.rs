use super::fixtures::council;
use chrono::Duration;
use ngc_domain::Role;
use ngc_store::sessions::SESSION_LIFETIME;
use ngc_store::users::{NewUser, User};
use ngc_store::{Actor, BackendKind, Store, StoreError, store_test};

async fn user(store: &Store) -> User {
    store
        .create_organisation(&council("alpha", "Alpha"), &Actor::system())
        .await
        .unwrap();
    let new = NewUser {
        email: "Finance@Alpha.example",
        name: "",
        role: Role::Finance,
        organisation: "alpha",
        password: "correct horse",
    };
    store.create_user(&new, &Actor::system()).await.unwrap()
}

store_test!(
    async fn users_sign_in_with_their_password_only(store: Store) {
        let u = user(&store).await;
        assert_eq!(u.email, "finance@alpha.example");
        assert_eq!(
            store
                .authenticate("FINANCE@alpha.example", "correct horse")
                .await
                .unwrap()
                .map(|x| x.id),
            Some(u.id)
        );
        assert!(
            store
                .authenticate("finance@alpha.example", "wrong")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .authenticate("nobody@alpha.example", "correct horse")
                .await
                .unwrap()
                .is_none()
        );
    }
);

store_test!(
    async fn a_duplicate_email_is_a_conflict(store: Store) {
        user(&store).await;
        let new = NewUser {
            email: "finance@alpha.example",
            name: "",
            role: Role::InstanceAdmin,
            organisation: "alpha",
            password: "x",
        };
        let err = store.create_user(&new, &Actor::system()).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.contains("finance@alpha.example")),
            "{err}"
        );
    }
);

store_test!(
    async fn a_session_lives_until_it_expires_or_is_deleted(store: Store) {
        let u = user(&store).await;
        let s = store.create_session(&u).await.unwrap();
        let now = store.now();
        let found = store.session(&s.secret, now).await.unwrap().unwrap();
        assert_eq!(found.user.id, u.id);
        assert_eq!(found.csrf_token, s.csrf_token);
        assert!(
            store
                .session(&s.secret, now + SESSION_LIFETIME + Duration::seconds(1))
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.session("not-a-session", now).await.unwrap().is_none());
        store.delete_session(&s.secret).await.unwrap();
        assert!(store.session(&s.secret, now).await.unwrap().is_none());
    }
);

store_test!(
    async fn a_token_works_until_revoked_and_only_its_owner_revokes_it(store: Store) {
        let u = user(&store).await;
        let (t, secret) = store.create_token(&u, "spreadsheet").await.unwrap();
        assert!(secret.starts_with("ngc_") && secret.starts_with(&t.prefix));
        let now = store.now();
        assert_eq!(
            store
                .user_by_token(&secret, now)
                .await
                .unwrap()
                .map(|x| x.id),
            Some(u.id)
        );
        let listed = store.list_tokens(u.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].last_used_at.is_some());
        let other = User {
            id: u.id + 1000,
            ..u.clone()
        };
        assert!(matches!(
            store.revoke_token(&other, t.id).await,
            Err(StoreError::NotFound(_))
        ));
        store.revoke_token(&u, t.id).await.unwrap();
        assert!(store.user_by_token(&secret, now).await.unwrap().is_none());
    }
);

store_test!(
    async fn five_failures_lock_a_key_out_for_the_window(store: Store) {
        let now = store.now();
        for _ in 0..4 {
            store.record_failed_login("login:x", now).await.unwrap();
        }
        assert!(!store.is_locked_out("login:x", now).await.unwrap());
        store.record_failed_login("login:x", now).await.unwrap();
        assert!(store.is_locked_out("login:x", now).await.unwrap());
        assert!(!store.is_locked_out("login:y", now).await.unwrap());
        assert!(
            !store
                .is_locked_out("login:x", now + Duration::minutes(16))
                .await
                .unwrap()
        );
        store.clear_failed_logins("login:x").await.unwrap();
        assert!(!store.is_locked_out("login:x", now).await.unwrap());
    }
);

store_test!(
    async fn sqlite_backs_up_to_a_file_and_postgres_points_to_pg_dump(store: Store) {
        user(&store).await;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("backup.db");
        match store.kind() {
            BackendKind::Sqlite => {
                store.backup_to(&out).await.unwrap();
                let copy = Store::open(&format!("sqlite://{}", out.display()))
                    .await
                    .unwrap();
                assert_eq!(copy.list_users().await.unwrap().len(), 1);
                copy.close().await;
                assert!(store.backup_to(&out).await.is_err(), "must not overwrite");
            }
            BackendKind::Postgres => {
                let err = store.backup_to(&out).await.unwrap_err();
                assert!(err.to_string().contains("pg_dump"), "{err}");
            }
        }
    }
);
