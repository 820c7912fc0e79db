//! The JSON API: the error envelope, tokens, organisations, partnerships.

use super::support::{Auth, PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::store_test;
use serde_json::json;

store_test!(
    async fn a_token_from_email_and_password_opens_the_api(store: Store) {
        let app = TestApp::new(store).await;
        app.user_for(Role::Finance).await;
        let r = app
            .json(
                Method::POST,
                "/api/v1/tokens",
                Auth::None,
                json!({"email": "finance@alpha.test", "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let token = r.json()["token"].as_str().unwrap().to_owned();
        let me = app.get("/api/v1/me", Auth::Bearer(&token)).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.json()["organisation"], "alpha");
        assert_eq!(me.json()["role"], "finance");
        let orgs = app
            .get("/api/v1/organisations", Auth::Bearer(&token))
            .await
            .json();
        let slugs: Vec<&str> = orgs["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["slug"].as_str().unwrap())
            .collect();
        assert_eq!(slugs, ["alpha-care", "alpha", "beta", "gamma"]);
    }
);

store_test!(
    async fn a_wrong_password_is_refused_generically_then_rate_limited(store: Store) {
        let app = TestApp::new(store).await;
        app.user_for(Role::Finance).await;
        let attempt = |password: &'static str| {
            let app = &app;
            async move {
                app.json(
                    Method::POST,
                    "/api/v1/tokens",
                    Auth::None,
                    json!({"email": "finance@alpha.test", "password": password}),
                )
                .await
            }
        };
        for _ in 0..5 {
            let r = attempt("wrong").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert_eq!(r.json()["error"]["code"], "unauthorized");
        }
        let r = attempt(PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the right password must wait too: {}",
            r.body
        );
        let unknown = app
            .json(
                Method::POST,
                "/api/v1/tokens",
                Auth::None,
                json!({"email": "nobody@alpha.test", "password": "x"}),
            )
            .await;
        assert_eq!(
            unknown.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the address is limited whatever the email: {}",
            unknown.body
        );
    }
);

store_test!(
    async fn a_revoked_or_made_up_token_is_unauthorised(store: Store) {
        let app = TestApp::new(store).await;
        let u = app.user_for(Role::Finance).await;
        assert_eq!(
            app.get("/api/v1/me", Auth::Bearer("ngc_made-up"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let tokens = app
            .get("/api/v1/tokens", Auth::Bearer(&u.token))
            .await
            .json();
        let id = tokens[0]["id"].as_i64().unwrap();
        assert!(
            tokens[0].get("token").is_none(),
            "a listed token must not show its secret"
        );
        let r = app
            .call(
                Method::DELETE,
                &format!("/api/v1/tokens/{id}"),
                Auth::Bearer(&u.token),
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            app.get("/api/v1/me", Auth::Bearer(&u.token)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
);

store_test!(
    async fn a_duplicate_slug_is_409_naming_the_slug(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let body = json!({"slug": "beta", "name": "Another Beta", "kind": "county", "legal_form": "local_authority"});
        let r = app
            .json(
                Method::POST,
                "/api/v1/organisations",
                Auth::Bearer(&admin.token),
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["error"]["code"], "conflict");
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("`beta`"),
            "{}",
            r.body
        );
    }
);

store_test!(
    async fn an_invalid_org_id_is_422_naming_the_field_and_the_form(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let body = json!({"slug": "delta", "name": "Delta", "kind": "provider", "legal_form": "charity", "identifiers": ["GB-CHC-12AB"]});
        let r = app
            .json(
                Method::POST,
                "/api/v1/organisations",
                Auth::Bearer(&admin.token),
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = &r.json()["error"];
        assert_eq!(e["field"], "identifiers");
        assert!(
            e["message"].as_str().unwrap().contains("6 or 7 digits"),
            "{}",
            r.body
        );
    }
);

store_test!(
    async fn an_unknown_role_lists_the_roles(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let body = json!({"email": "x@alpha.test", "role": "mayor", "organisation": "alpha", "password": "password-123"});
        let r = app
            .json(
                Method::POST,
                "/api/v1/users",
                Auth::Bearer(&admin.token),
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let msg = r.json()["error"]["message"].as_str().unwrap().to_owned();
        for role in Role::ALL {
            assert!(msg.contains(role.as_str()), "{msg}");
        }
    }
);

store_test!(
    async fn a_provider_edits_its_own_contact_details_but_not_a_council(store: Store) {
        let app = TestApp::new(store).await;
        let p = app.user_for(Role::Provider).await;
        let mine = json!({"slug": "alpha-care", "name": "Alpha Care Ltd", "kind": "provider",
            "legal_form": "company_limited_by_shares", "owner": "alpha",
            "contact_email": "care@alpha.example", "website": "https://alpha.example"});
        let r = app
            .json(
                Method::PUT,
                "/api/v1/organisations/alpha-care",
                Auth::Bearer(&p.token),
                mine,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["contact_email"], "care@alpha.example");
        assert_eq!(r.json()["website"], "https://alpha.example");
        let theirs = json!({"slug": "beta", "name": "Beta County Council", "kind": "county",
            "legal_form": "local_authority", "description": "Taken over"});
        let r = app
            .json(
                Method::PUT,
                "/api/v1/organisations/beta",
                Auth::Bearer(&p.token),
                theirs,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let beta = app
            .store
            .organisation_by_slug("beta")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(beta.contact.description, "");
    }
);

store_test!(
    async fn malformed_json_gets_the_error_envelope(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let r = app
            .call(
                Method::POST,
                "/api/v1/organisations",
                Auth::Bearer(&admin.token),
                Some("{not json".into()),
                Some("application/json"),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["error"]["code"], "bad_request");
        assert_eq!(
            app.get("/api/v1/nothing-here", Auth::None).await.json()["error"]["code"],
            "not_found"
        );
    }
);

store_test!(
    async fn partnership_members_are_listed_with_their_dates(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let r = app
            .json(
                Method::POST,
                "/api/v1/partnerships/beta-shared/members/gamma/leave",
                Auth::Bearer(&admin.token),
                json!({"left_on": "2020-03-31"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p = app
            .get(
                "/api/v1/partnerships/beta-shared",
                Auth::Bearer(&admin.token),
            )
            .await
            .json();
        let gamma = p["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["organisation"] == "gamma")
            .unwrap()
            .clone();
        assert_eq!(gamma["joined_on"], "2015-04-01");
        assert_eq!(gamma["left_on"], "2020-03-31");
    }
);

store_test!(
    async fn health_readiness_and_metrics_answer(store: Store) {
        let app = TestApp::new(store).await;
        assert_eq!(app.get("/healthz", Auth::None).await.status, StatusCode::OK);
        assert_eq!(app.get("/readyz", Auth::None).await.status, StatusCode::OK);
        let m = app
            .get("/metrics", Auth::Bearer(crate::web::support::METRICS_TOKEN))
            .await;
        assert!(
            m.body.contains(
                "ngc_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"
            ),
            "{}",
            m.body
        );
        assert!(m.body.contains("ngc_db_pool_connections"), "{}", m.body);
    }
);
