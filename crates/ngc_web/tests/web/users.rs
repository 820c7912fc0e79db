//! Users: disabled and enabled by their organisation's administrators or an instance
//! administrator; a disabled user's sessions and tokens stop at once.

use super::support::{Auth, TestApp, session};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::store_test;
use serde_json::json;

store_test!(
    async fn a_disabled_users_session_and_token_get_401_at_once(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::OrgAdmin).await;
        let f = app.user_for(Role::Finance).await;
        assert_eq!(
            app.get("/api/v1/me", Auth::Bearer(&f.token)).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.get("/api/v1/me", session(&f)).await.status,
            StatusCode::OK
        );

        let path = format!("/api/v1/users/{}/disable", f.user.id);
        let r = app
            .json(Method::POST, &path, Auth::Bearer(&admin.token), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["disabled"], true);
        assert_eq!(
            app.get("/api/v1/me", Auth::Bearer(&f.token)).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/api/v1/me", session(&f)).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/finance", session(&f)).await.location(),
            Some("/login")
        );

        let path = format!("/api/v1/users/{}/enable", f.user.id);
        let r = app
            .json(Method::POST, &path, Auth::Bearer(&admin.token), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.get("/api/v1/me", Auth::Bearer(&f.token)).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.get("/api/v1/me", session(&f)).await.status,
            StatusCode::OK
        );
    }
);

store_test!(
    async fn only_the_users_own_admins_or_the_instance_admin_disable_them(store: Store) {
        let app = TestApp::new(store).await;
        let org_admin = app.user_for(Role::OrgAdmin).await;
        let finance = app.user_for(Role::Finance).await;
        let instance = app.user_for(Role::InstanceAdmin).await;
        let beta = app.user("finance@beta.test", "beta", Role::Finance).await;
        let head = app.store.audit_head().await.unwrap();
        let disable = |id: i64| format!("/api/v1/users/{id}/disable");
        // Another organisation's admin, a non-admin, and oneself: refused, nothing changes.
        for (who, target, status) in [
            (&org_admin, &beta, StatusCode::FORBIDDEN),
            (&finance, &org_admin, StatusCode::FORBIDDEN),
            (&org_admin, &instance, StatusCode::FORBIDDEN),
            (&org_admin, &org_admin, StatusCode::CONFLICT),
        ] {
            let r = app
                .json(
                    Method::POST,
                    &disable(target.user.id),
                    Auth::Bearer(&who.token),
                    json!({}),
                )
                .await;
            assert_eq!(
                r.status, status,
                "{} disabling {}: {}",
                who.user.email, target.user.email, r.body
            );
        }
        assert_eq!(app.store.audit_head().await.unwrap(), head);
        for u in [&beta, &org_admin, &instance] {
            assert!(
                !app.store
                    .user_by_id(u.user.id)
                    .await
                    .unwrap()
                    .unwrap()
                    .disabled
            );
        }
        // The instance administrator disables anyone's users.
        let r = app
            .json(
                Method::POST,
                &disable(beta.user.id),
                Auth::Bearer(&instance.token),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            app.store
                .user_by_id(beta.user.id)
                .await
                .unwrap()
                .unwrap()
                .disabled
        );
        // An unknown user is 404.
        let r = app
            .json(
                Method::POST,
                &disable(999_999),
                Auth::Bearer(&instance.token),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

store_test!(
    async fn the_users_page_disables_and_lists_only_the_admins_own_users(store: Store) {
        let app = TestApp::new(store).await;
        let org_admin = app.user_for(Role::OrgAdmin).await;
        let f = app.user_for(Role::Finance).await;
        app.user("finance@beta.test", "beta", Role::Finance).await;
        let page = app.get("/admin/users", session(&org_admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&f.user.email), "{}", page.body);
        assert!(!page.body.contains("finance@beta.test"), "{}", page.body);
        assert!(
            !page.body.contains(r#"value="instance_admin""#),
            "{}",
            page.body
        );

        let r = app
            .form(
                &format!("/admin/users/{}/disable", f.user.id),
                session(&org_admin),
                &[("csrf", &org_admin.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            app.store
                .user_by_id(f.user.id)
                .await
                .unwrap()
                .unwrap()
                .disabled
        );
        let page = app.get("/admin/users", session(&org_admin)).await;
        assert!(
            page.body.contains(&format!("Enable {}", f.user.email)),
            "{}",
            page.body
        );
        let r = app
            .form(
                &format!("/admin/users/{}/enable", f.user.id),
                session(&org_admin),
                &[("csrf", &org_admin.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            !app.store
                .user_by_id(f.user.id)
                .await
                .unwrap()
                .unwrap()
                .disabled
        );

        let api = app
            .get("/api/v1/users", Auth::Bearer(&org_admin.token))
            .await
            .json();
        let orgs: Vec<&str> = api
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["organisation"].as_str().unwrap())
            .collect();
        assert!(
            !orgs.is_empty() && orgs.iter().all(|o| *o == "alpha"),
            "{orgs:?}"
        );
    }
);

store_test!(
    async fn an_organisation_admin_adds_users_to_its_own_organisation_only(store: Store) {
        let app = TestApp::new(store).await;
        let org_admin = app.user_for(Role::OrgAdmin).await;
        let head = app.store.audit_head().await.unwrap();
        for (org, role) in [("beta", "finance"), ("alpha", "instance_admin")] {
            let r = app
                .json(
                    Method::POST,
                    "/api/v1/users",
                    Auth::Bearer(&org_admin.token),
                    json!({"email": "new@alpha.test", "role": role, "organisation": org, "password": "password-123"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{org} {role}: {}", r.body);
        }
        assert_eq!(app.store.audit_head().await.unwrap(), head);
        assert!(
            app.store
                .user_by_email("new@alpha.test")
                .await
                .unwrap()
                .is_none()
        );
        let r = app
            .json(
                Method::POST,
                "/api/v1/users",
                Auth::Bearer(&org_admin.token),
                json!({"email": "new@alpha.test", "role": "finance", "organisation": "alpha", "password": "password-123"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
);
