//! Sign-in limits by address and email, trusted proxies, token expiry, CSRF whatever the
//! extractor order, `Secure` cookies and the `/metrics` token.

use super::support::{ANON_CSRF, Auth, METRICS_TOKEN, PASSWORD, Reply, TestApp};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts};
use axum::http::{Method, Request, StatusCode, header};
use ngc_domain::Role;
use ngc_store::{Clock, store_test};
use ngc_web::auth::{CsrfForm, MaybeUser};
use ngc_web::{AppState, WebConfig};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

const EMAIL: &str = "finance@alpha.test";

/// `POST /api/v1/tokens` from `peer`, with an optional `X-Forwarded-For`.
async fn token_from(
    app: &TestApp,
    peer: &str,
    forwarded: Option<&str>,
    email: &str,
    password: &str,
) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/tokens")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    let mut req = req
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    app.send(req).await
}

async fn token_count(app: &TestApp, user_id: i64) -> usize {
    app.store.list_tokens(user_id).await.unwrap().len()
}

store_test!(
    async fn an_address_is_limited_before_the_email(store: Store) {
        let app = TestApp::new(store).await;
        let finance = app.user_for(Role::Finance).await;
        let before = token_count(&app, finance.user.id).await;
        for _ in 0..5 {
            let r = token_from(&app, "198.51.100.1:1000", None, EMAIL, "wrong").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        }
        let r = token_from(&app, "198.51.100.1:1000", None, EMAIL, PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert_eq!(
            token_count(&app, finance.user.id).await,
            before,
            "no token made"
        );
        // The owner, from another address, still signs in: the email is not locked.
        let r = token_from(&app, "203.0.113.5:1000", None, EMAIL, PASSWORD).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(token_count(&app, finance.user.id).await, before + 1);
    }
);

store_test!(
    async fn an_email_is_limited_across_addresses_for_a_bounded_time(store: Store) {
        let app = TestApp::new(store).await;
        app.user_for(Role::Finance).await;
        app.user_for(Role::Commissioner).await;
        for i in 0..20 {
            let peer = format!("198.51.100.{}:1000", i / 4 + 1);
            let r = token_from(&app, &peer, None, EMAIL, "wrong").await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "attempt {i}: {}",
                r.body
            );
        }
        let r = token_from(&app, "203.0.113.9:1000", None, EMAIL, PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        let other = token_from(
            &app,
            "203.0.113.9:1000",
            None,
            "commissioner@alpha.test",
            PASSWORD,
        )
        .await;
        assert_eq!(
            other.status,
            StatusCode::CREATED,
            "another email is not touched"
        );
        // The email's block is time-bounded: 15 minutes, checked at the store.
        let later = app.store.now() + chrono::Duration::minutes(16);
        assert_eq!(
            app.store
                .try_sign_in(
                    &ngc_web::auth::email_key(EMAIL),
                    ngc_store::rate_limit::EMAIL_LIMIT,
                    later
                )
                .await
                .unwrap(),
            ngc_store::rate_limit::Attempt::Allowed
        );
    }
);

store_test!(
    async fn forwarded_for_counts_only_from_a_trusted_proxy(store: Store) {
        let config = WebConfig {
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            ..WebConfig::default()
        };
        let app = TestApp::with_config(store, config).await;
        app.user_for(Role::Finance).await;
        // A stranger's own header is ignored: rotating it does not escape the limit.
        for i in 0..5 {
            let fake = format!("192.0.2.{i}");
            let r = token_from(&app, "198.51.100.7:1", Some(&fake), EMAIL, "wrong").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let r = token_from(&app, "198.51.100.7:1", Some("192.0.2.99"), EMAIL, "wrong").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Behind the trusted proxy, each client is counted on its own.
        for _ in 0..5 {
            let r = token_from(&app, "10.0.0.2:1", Some("192.0.2.1"), EMAIL, "wrong").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let blocked = token_from(&app, "10.0.0.2:1", Some("192.0.2.1"), EMAIL, PASSWORD).await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
        let other = token_from(&app, "10.0.0.2:1", Some("192.0.2.2"), EMAIL, PASSWORD).await;
        assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
    }
);

store_test!(
    async fn parallel_sign_ins_cannot_pass_the_limit(store: Store) {
        let app = std::sync::Arc::new(TestApp::new(store).await);
        app.user_for(Role::Finance).await;
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..30 {
            let app = app.clone();
            tasks.spawn(async move {
                token_from(&app, "198.51.100.3:1", None, EMAIL, "wrong")
                    .await
                    .status
            });
        }
        let mut checked = 0;
        while let Some(status) = tasks.join_next().await {
            match status.unwrap() {
                StatusCode::UNAUTHORIZED => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => {}
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!(
            checked, 5,
            "only the limit's worth of passwords were checked"
        );
    }
);

store_test!(
    async fn tokens_expire_and_show_when(store: Store) {
        let app = TestApp::new(store.clone()).await;
        let finance = app.user_for(Role::Finance).await;
        let r = app
            .json(
                Method::POST,
                "/api/v1/tokens",
                Auth::None,
                json!({"email": EMAIL, "password": PASSWORD, "expires_in_days": 2}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let created = r.json();
        let secret = created["token"].as_str().unwrap().to_owned();
        let expires_at: chrono::DateTime<chrono::Utc> =
            created["expires_at"].as_str().unwrap().parse().unwrap();
        let made = app.store.now();
        assert!(expires_at > made + chrono::Duration::days(2) - chrono::Duration::minutes(1));
        assert!(expires_at <= made + chrono::Duration::days(2));

        let listed = app
            .get("/api/v1/tokens", Auth::Bearer(&secret))
            .await
            .json();
        let mine = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == created["id"])
            .unwrap()
            .clone();
        assert_eq!(mine["expires_at"], created["expires_at"]);
        let page = app
            .get(
                "/tokens",
                Auth::Session {
                    secret: &finance.session,
                    csrf: &finance.csrf,
                },
            )
            .await;
        assert!(
            page.body
                .contains(&expires_at.format("%Y-%m-%d %H:%M").to_string()),
            "the page shows the expiry"
        );

        // Three days on, the same token is refused.
        let later = (app.store.now() + chrono::Duration::days(3)).date_naive();
        let late = app.reconfigured(
            store.clone().with_clock(Clock::on(later)),
            WebConfig::default(),
        );
        let r = late.get("/api/v1/me", Auth::Bearer(&secret)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

        // More than 90 days is refused, and makes nothing.
        let before = token_count(&app, finance.user.id).await;
        let r = app
            .json(
                Method::POST,
                "/api/v1/tokens",
                Auth::None,
                json!({"email": EMAIL, "password": PASSWORD, "expires_in_days": 91}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "expires_in_days");
        assert_eq!(token_count(&app, finance.user.id).await, before);
    }
);

#[derive(Debug, Deserialize)]
struct NameForm {
    name: String,
}

fn form_request(session: &str, csrf_cookie: Option<&str>, csrf_field: &str) -> Request<Body> {
    let cookie = match csrf_cookie {
        Some(c) => format!("ngc_session={session}; ngc_csrf={c}"),
        None => format!("ngc_session={session}"),
    };
    Request::builder()
        .method(Method::POST)
        .uri("/anything")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf_field}&name=x")))
        .unwrap()
}

store_test!(
    async fn csrf_finds_the_session_token_whatever_the_extractor_order(store: Store) {
        let app = TestApp::new(store.clone()).await;
        let finance = app.user_for(Role::Finance).await;
        let state = AppState::new(store, WebConfig::default());

        // The form extractor alone: the session is resolved by the check itself.
        let req = form_request(&finance.session, None, &finance.csrf);
        let form = CsrfForm::<NameForm>::from_request(req, &state)
            .await
            .unwrap();
        assert_eq!(form.0.name, "x");

        // After the user was resolved by an earlier extractor.
        let (mut parts, body) = form_request(&finance.session, None, &finance.csrf).into_parts();
        let MaybeUser(user) = MaybeUser::from_request_parts(&mut parts, &state)
            .await
            .unwrap();
        assert!(user.is_some());
        let form = CsrfForm::<NameForm>::from_request(Request::from_parts(parts, body), &state)
            .await
            .unwrap();
        assert_eq!(form.0.name, "x");

        // A signed-in form must carry the session's token, not a cookie of its own making.
        let req = form_request(&finance.session, Some(ANON_CSRF), ANON_CSRF);
        assert!(
            CsrfForm::<NameForm>::from_request(req, &state)
                .await
                .is_err()
        );
        let req = form_request(&finance.session, None, "not-the-token");
        assert!(
            CsrfForm::<NameForm>::from_request(req, &state)
                .await
                .is_err()
        );
    }
);

fn set_cookies(r: &Reply) -> Vec<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

store_test!(
    async fn every_cookie_is_secure_when_asked(store: Store) {
        let base = TestApp::new(store.clone()).await;
        base.user_for(Role::Finance).await;
        for secure in [true, false] {
            let config = WebConfig {
                secure_cookies: secure,
                ..WebConfig::default()
            };
            let app = base.reconfigured(store.clone(), config);
            let req = Request::builder()
                .uri("/login")
                .body(Body::empty())
                .unwrap();
            let form = app.send(req).await;
            let signed_in = app
                .form(
                    "/login",
                    Auth::None,
                    &[
                        ("csrf", ANON_CSRF),
                        ("email", EMAIL),
                        ("password", PASSWORD),
                    ],
                )
                .await;
            assert_eq!(
                signed_in.status,
                StatusCode::SEE_OTHER,
                "{}",
                signed_in.body
            );
            let session = set_cookies(&signed_in)
                .into_iter()
                .find(|c| c.starts_with("ngc_session="))
                .unwrap();
            let secret = session["ngc_session=".len()..].split(';').next().unwrap();
            let csrf = app
                .store
                .session(secret, app.store.now())
                .await
                .unwrap()
                .unwrap()
                .csrf_token;
            let out = app
                .form(
                    "/logout",
                    Auth::Session {
                        secret,
                        csrf: &csrf,
                    },
                    &[("csrf", &csrf)],
                )
                .await;
            let cookies: Vec<String> = [&form, &signed_in, &out]
                .into_iter()
                .flat_map(set_cookies)
                .collect();
            assert_eq!(cookies.len(), 3, "{cookies:?}");
            for c in cookies {
                assert_eq!(c.contains("; Secure"), secure, "{c}");
            }
        }
    }
);

store_test!(
    async fn metrics_need_the_configured_token(store: Store) {
        let app = TestApp::new(store.clone()).await;
        app.get("/healthz", Auth::None).await;
        assert_eq!(
            app.get("/metrics", Auth::None).await.status,
            StatusCode::UNAUTHORIZED
        );
        let wrong = app
            .get("/metrics", Auth::Bearer("metrics-token-for-test"))
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(!wrong.body.contains("ngc_http_requests_total"));
        let right = app.get("/metrics", Auth::Bearer(METRICS_TOKEN)).await;
        assert_eq!(right.status, StatusCode::OK);
        assert!(
            right.body.contains(
                "ngc_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
            ),
            "{}",
            right.body
        );
        let none = app.reconfigured(store, WebConfig::default());
        let r = none.get("/metrics", Auth::Bearer(METRICS_TOKEN)).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "no token configured: not served"
        );
    }
);

store_test!(
    async fn the_tokens_page_makes_a_token_lasting_the_days_asked(store: Store) {
        let app = TestApp::new(store).await;
        let finance = app.user_for(Role::Finance).await;
        let auth = Auth::Session {
            secret: &finance.session,
            csrf: &finance.csrf,
        };
        let before = app.store.list_tokens(finance.user.id).await.unwrap();
        let r = app
            .form(
                "/tokens",
                auth,
                &[
                    ("csrf", &finance.csrf),
                    ("name", "sheet"),
                    ("expires_in_days", "5"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let after = app.store.list_tokens(finance.user.id).await.unwrap();
        assert_eq!(after.len(), before.len() + 1);
        let made = after.iter().find(|t| t.name == "sheet").unwrap();
        assert_eq!(made.expires_at, made.created_at + chrono::Duration::days(5));
        assert!(
            r.body.contains(&made.prefix),
            "the page lists the new token"
        );

        for bad in ["abc", "0", "91"] {
            let r = app
                .form(
                    "/tokens",
                    auth,
                    &[
                        ("csrf", &finance.csrf),
                        ("name", "bad"),
                        ("expires_in_days", bad),
                    ],
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{bad}: {}",
                r.body
            );
            assert!(r.body.contains("1 to 90"), "{bad}: {}", r.body);
        }
        assert_eq!(
            app.store.list_tokens(finance.user.id).await.unwrap(),
            after,
            "refused forms make nothing"
        );
    }
);

store_test!(
    async fn the_sign_in_page_is_limited_like_the_api(store: Store) {
        let app = TestApp::new(store).await;
        app.user_for(Role::Finance).await;
        let sign_in = |password: &'static str| {
            let app = &app;
            async move {
                app.form(
                    "/login",
                    Auth::None,
                    &[
                        ("csrf", ANON_CSRF),
                        ("email", EMAIL),
                        ("password", password),
                    ],
                )
                .await
            }
        };
        for _ in 0..5 {
            let r = sign_in("wrong").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert!(
                r.body
                    .contains("The email address or password is not right.")
            );
        }
        let r = sign_in(PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("Too many failed sign-ins"), "{}", r.body);
        assert!(
            !set_cookies(&r)
                .iter()
                .any(|c| c.starts_with("ngc_session=")),
            "no session"
        );
    }
);
