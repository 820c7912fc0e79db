use super::fixtures::council;
use chrono::Duration;
use ngc_domain::Role;
use ngc_store::rate_limit::{Attempt, Limit, Purged};
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
    async fn a_token_expires_after_90_days_or_fewer_if_asked(store: Store) {
        let u = user(&store).await;
        let now = store.now();
        let (t, secret) = store.create_token(&u, "default").await.unwrap();
        assert_eq!(t.expires_at, t.created_at + Duration::days(90));
        let (short, short_secret) = store.create_token_lasting(&u, "short", 7).await.unwrap();
        assert_eq!(short.expires_at, short.created_at + Duration::days(7));
        let listed = store.list_tokens(u.id).await.unwrap();
        let expiries: Vec<_> = listed
            .iter()
            .map(|t| (t.name.as_str(), t.expires_at))
            .collect();
        assert!(
            expiries.contains(&("default", t.expires_at)),
            "{expiries:?}"
        );
        assert!(
            expiries.contains(&("short", short.expires_at)),
            "{expiries:?}"
        );
        let eight_days = now + Duration::days(8);
        assert!(
            store
                .user_by_token(&short_secret, eight_days)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .user_by_token(&secret, eight_days)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .user_by_token(&secret, t.expires_at)
                .await
                .unwrap()
                .is_none()
        );
    }
);

fn limit(attempts: i64, growth: i64) -> Limit {
    Limit {
        attempts,
        window: Duration::minutes(15),
        block: Duration::minutes(1),
        growth,
        max_block: Duration::minutes(4),
    }
}

/// The store's time to the millisecond, as the limits keep it.
fn now_ms(store: &Store) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(store.now().timestamp_millis()).unwrap()
}

async fn allowed(store: &Store, key: &str, l: Limit, at: chrono::DateTime<chrono::Utc>) -> bool {
    store.try_sign_in(key, l, at).await.unwrap() == Attempt::Allowed
}

store_test!(
    async fn an_address_is_blocked_after_its_limit_with_growing_back_off(store: Store) {
        let t0 = now_ms(&store);
        let l = limit(3, 2);
        for _ in 0..3 {
            assert!(allowed(&store, "address:x", l, t0).await);
        }
        assert_eq!(
            store.try_sign_in("address:x", l, t0).await.unwrap(),
            Attempt::BlockedUntil(t0 + Duration::minutes(1)),
            "the fourth attempt is refused, for the first block"
        );
        assert!(
            allowed(&store, "address:y", l, t0).await,
            "other keys are not touched"
        );
        let t1 = t0 + Duration::minutes(1);
        for _ in 0..3 {
            assert!(allowed(&store, "address:x", l, t1).await);
        }
        assert_eq!(
            store.try_sign_in("address:x", l, t1).await.unwrap(),
            Attempt::BlockedUntil(t1 + Duration::minutes(2)),
            "the second block is twice the first"
        );
        assert!(!allowed(&store, "address:x", l, t1 + Duration::seconds(119)).await);
        let t2 = t1 + Duration::minutes(2);
        for _ in 0..3 {
            assert!(allowed(&store, "address:x", l, t2).await);
        }
        assert_eq!(
            store.try_sign_in("address:x", l, t2).await.unwrap(),
            Attempt::BlockedUntil(t2 + Duration::minutes(4))
        );
        let t3 = t2 + Duration::minutes(4);
        for _ in 0..3 {
            assert!(allowed(&store, "address:x", l, t3).await);
        }
        assert_eq!(
            store.try_sign_in("address:x", l, t3).await.unwrap(),
            Attempt::BlockedUntil(t3 + Duration::minutes(4)),
            "never longer than the longest block"
        );
    }
);

store_test!(
    async fn an_email_block_is_bounded_and_a_success_clears_it(store: Store) {
        let t0 = now_ms(&store);
        let l = limit(2, 1);
        assert!(allowed(&store, "email:a", l, t0).await);
        assert!(allowed(&store, "email:a", l, t0).await);
        assert!(!allowed(&store, "email:a", l, t0).await);
        let t1 = t0 + Duration::minutes(1);
        assert!(allowed(&store, "email:a", l, t1).await, "the block ends");
        assert!(allowed(&store, "email:a", l, t1).await);
        assert_eq!(
            store.try_sign_in("email:a", l, t1).await.unwrap(),
            Attempt::BlockedUntil(t1 + Duration::minutes(1)),
            "growth 1: the same block again"
        );
        store.forget_attempts("email:a").await.unwrap();
        assert!(allowed(&store, "email:a", l, t1).await);
        // Attempts counted in an old window are forgotten.
        assert!(allowed(&store, "email:a", l, t1).await);
        assert!(allowed(&store, "email:a", l, t1 + Duration::minutes(16)).await);
        assert!(allowed(&store, "email:a", l, t1 + Duration::minutes(16)).await);
    }
);

store_test!(
    async fn a_successful_attempt_is_given_back_to_its_address(store: Store) {
        let t0 = store.now();
        let l = limit(2, 2);
        for _ in 0..10 {
            assert!(allowed(&store, "address:office", l, t0).await);
            store.give_back_attempt("address:office").await.unwrap();
        }
        assert!(allowed(&store, "address:office", l, t0).await);
        assert!(allowed(&store, "address:office", l, t0).await);
        assert!(!allowed(&store, "address:office", l, t0).await);
    }
);

store_test!(
    async fn parallel_attempts_cannot_pass_the_limit(store: Store) {
        let now = store.now();
        let l = limit(5, 2);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..40 {
            let store = store.clone();
            tasks.spawn(async move { store.try_sign_in("email:race", l, now).await.unwrap() });
        }
        let mut passed = 0;
        while let Some(outcome) = tasks.join_next().await {
            if outcome.unwrap() == Attempt::Allowed {
                passed += 1;
            }
        }
        assert_eq!(passed, 5, "exactly the limit gets through");
    }
);

store_test!(
    async fn expired_sessions_and_idle_sign_in_records_are_purged(store: Store) {
        let u = user(&store).await;
        let live = store.create_session(&u).await.unwrap();
        let now = store.now();
        let l = limit(1, 2);
        assert!(allowed(&store, "address:old", l, now).await);
        assert!(allowed(&store, "address:blocked", l, now).await);
        assert!(!allowed(&store, "address:blocked", l, now).await);
        // Nothing is due yet.
        assert_eq!(
            store.purge_sign_in_records(now).await.unwrap(),
            Purged::default()
        );
        let later = now + SESSION_LIFETIME + Duration::days(1);
        let purged = store.purge_sign_in_records(later).await.unwrap();
        assert_eq!(
            purged,
            Purged {
                sessions: 1,
                sign_in_records: 2
            }
        );
        assert!(store.session(&live.secret, now).await.unwrap().is_none());
        assert!(
            allowed(&store, "address:blocked", l, later).await,
            "a purged key starts afresh"
        );
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
