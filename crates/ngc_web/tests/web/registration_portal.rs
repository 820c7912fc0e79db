//! Supplier self-registration, end to end through the API and the pages: a provider
//! registers without an account, waits (unable to sign in, absent from the directory), and
//! signs in once the instance administrator verifies it; a refused registration writes
//! nothing; only the instance administrator decides; the public form is limited per client
//! address and CSRF-protected.

use super::support::{ANON_CSRF, Auth, PASSWORD, Reply, TestApp, session};
use axum::http::{Method, StatusCode, header};
use ngc_domain::Role;
use ngc_domain::organisation::VerificationStatus;
use ngc_store::store_test;
use serde_json::{Value, json};

const APPLICANT: &str = "ann@nene-home-care.example";
const APPLICANT_PASSWORD: &str = "nene home care 2026";

/// The registration form of Nene Home Care, as the page posts it.
fn form_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("csrf", ANON_CSRF),
        ("name", "Nene Home Care Ltd"),
        ("slug", ""),
        ("legal_form", "company_limited_by_shares"),
        ("identifiers", "GB-COH-12345678\r\nGB-PPON-PHDQ-2359-NZMP"),
        ("sme", "on"),
        ("public_service_mutual", "on"),
        ("description", "Care at home across the Nene valley."),
        ("contact_phone", "01604 000000"),
        ("website", "https://nene-home-care.example"),
        ("address", "1 Bridge Street\r\nNorthampton"),
        ("user_name", "Ann Applicant"),
        ("user_email", APPLICANT),
        ("password", APPLICANT_PASSWORD),
        ("password_confirm", APPLICANT_PASSWORD),
    ]
}

/// The form with some fields changed.
fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut fields = form_fields();
    for (k, v) in changes {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some(field) => field.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// The same registration as the API takes it.
fn api_body() -> Value {
    json!({
        "name": "Nene Home Care Ltd",
        "legal_form": "company_limited_by_shares",
        "identifiers": ["GB-COH-12345678", "GB-PPON-PHDQ-2359-NZMP"],
        "sme": true,
        "public_service_mutual": true,
        "description": "Care at home across the Nene valley.",
        "contact_phone": "01604 000000",
        "website": "https://nene-home-care.example",
        "address": "1 Bridge Street\nNorthampton",
        "user_name": "Ann Applicant",
        "user_email": APPLICANT,
        "password": APPLICANT_PASSWORD,
    })
}

/// Everything a registration or a decision could write.
async fn state(app: &TestApp) -> String {
    let store = &app.store;
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        store.audit_head().await.unwrap(),
        store.list_organisations().await.unwrap(),
        store.list_users().await.unwrap(),
        store.list_supplier_registrations(None).await.unwrap()
    )
}

/// Signs in through the page.
async fn sign_in_on_page(app: &TestApp, email: &str, password: &str) -> Reply {
    app.form(
        "/login",
        Auth::None,
        &[
            ("csrf", ANON_CSRF),
            ("email", email),
            ("password", password),
        ],
    )
    .await
}

async fn register_on_page(app: &TestApp, fields: &[(&str, &str)]) -> Reply {
    app.form("/register", Auth::None, fields).await
}

/// Registers through the page from the client at `peer` (each address has only so many
/// registrations an hour).
async fn register_from(app: &TestApp, peer: usize, fields: &[(&str, &str)]) -> Reply {
    app.call_from(
        &format!("192.0.2.{peer}:1000"),
        Method::POST,
        "/register",
        Auth::None,
        Some(axum::body::Body::from(
            serde_urlencoded::to_string(fields).unwrap(),
        )),
        Some("application/x-www-form-urlencoded"),
    )
    .await
}

/// The id of the only pending registration.
async fn pending_id(app: &TestApp) -> i64 {
    let pending = app
        .store
        .list_supplier_registrations(Some(VerificationStatus::Pending))
        .await
        .unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    pending[0].id
}

store_test!(
    async fn the_sign_in_page_leads_to_the_registration_form(store: Store) {
        let app = TestApp::new(store).await;
        let login = app.get("/login", Auth::None).await;
        assert!(
            login.body.contains(r#"href="/register""#)
                && login.body.contains("Register as a supplier"),
            "{}",
            login.body
        );
        let form = app.get("/register", Auth::None).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(r#"name="csrf""#), "{}", form.body);
        assert!(form.body.contains(r#"id="register""#), "{}", form.body);
        // No council registers itself as a supplier.
        assert!(!form.body.contains(r#"value="local_authority""#));
    }
);

store_test!(
    async fn a_refused_registration_writes_nothing(store: Store) {
        let app = TestApp::new(store).await;
        // The fixture's provider holds a company number; a finance officer holds an email.
        let admin = app.user_for(Role::InstanceAdmin).await;
        app.json(
            Method::PATCH,
            "/api/v1/organisations/alpha-care",
            Auth::Bearer(&admin.token),
            json!({"identifiers": ["GB-COH-87654321"]}),
        )
        .await;
        app.user_for(Role::Finance).await;
        let before = state(&app).await;

        // Bad fields, each named, the form shown again with what was typed (no password).
        let mut peer = 0;
        for (changes, field) in [
            (vec![("name", "  ")], "name"),
            (vec![("slug", "Not A Slug")], "slug"),
            (vec![("identifiers", "GB-PPON-123")], "identifiers"),
            (
                vec![("identifiers", "GB-PPON-PHDQ-2359-NZMP")],
                "identifiers",
            ),
            (vec![("website", "nene.example")], "website"),
            (vec![("user_email", "ann")], "user_email"),
            (
                vec![("password", "short"), ("password_confirm", "short")],
                "password",
            ),
            (
                vec![("password_confirm", "something else")],
                "password_confirm",
            ),
        ] {
            peer += 1;
            let r = register_from(&app, peer, &with(&changes)).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}: {}",
                r.body
            );
            assert!(
                r.body.contains(&format!(r##"href="#{field}""##)),
                "{field} is not named: {}",
                r.body
            );
            assert!(
                r.body.contains(&format!(r#"name="{field}""#)),
                "{field}: {}",
                r.body
            );
            assert!(
                r.body.contains("Care at home across the Nene valley."),
                "{field}"
            );
            assert!(
                !r.body.contains(APPLICANT_PASSWORD),
                "{field}: the password is shown"
            );
        }
        // Taken: a slug, an identifier, an email.
        for (changes, field) in [
            (vec![("slug", "alpha-care")], "slug"),
            (vec![("identifiers", "GB-COH-87654321")], "identifiers"),
            (vec![("user_email", "finance@alpha.test")], "user_email"),
        ] {
            peer += 1;
            let r = register_from(&app, peer, &with(&changes)).await;
            assert_eq!(r.status, StatusCode::CONFLICT, "{field}: {}", r.body);
            assert!(
                r.body.contains(&format!(r##"href="#{field}""##)),
                "{field}: {}",
                r.body
            );
        }
        // The same through the API.
        let mut body = api_body();
        body["slug"] = json!("alpha-care");
        let r = app
            .json(
                Method::POST,
                "/api/v1/supplier-registrations",
                Auth::None,
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("slug:"),
            "{}",
            r.body
        );
        let mut body = api_body();
        body["legal_form"] = json!("local_authority");
        let r = app
            .json(
                Method::POST,
                "/api/v1/supplier-registrations",
                Auth::None,
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "legal_form");
        // A form without its CSRF token, or with another's, is refused.
        let mut forged = form_fields();
        forged[0].1 = "forged-token-of-enough-length-1234567890";
        let r = register_on_page(&app, &forged).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = register_on_page(&app, &form_fields()[1..]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        assert_eq!(
            state(&app).await,
            before,
            "a refused registration wrote something"
        );
    }
);

store_test!(
    async fn a_pending_supplier_cannot_sign_in_and_is_not_a_verified_provider(store: Store) {
        let app = TestApp::new(store).await;
        let finance = app.user_for(Role::Finance).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let r = register_on_page(&app, &form_fields()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), Some("/login?registered=1"));
        let landed = app.get("/login?registered=1", Auth::None).await;
        assert!(
            landed.body.contains(r#"id="login-notice""#),
            "{}",
            landed.body
        );

        // Signing in with the right password says the registration waits; no session.
        let r = sign_in_on_page(&app, APPLICANT, APPLICANT_PASSWORD).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.body.contains("waiting for verification"), "{}", r.body);
        assert!(
            r.headers
                .get(header::SET_COOKIE)
                .is_none_or(|c| !c.to_str().unwrap().contains("ngc_session="))
        );
        // A wrong password says nothing about the registration.
        let r = sign_in_on_page(&app, APPLICANT, "wrong password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        assert!(!r.body.contains("waiting for verification"), "{}", r.body);
        let r = app
            .json(
                Method::POST,
                "/api/v1/tokens",
                Auth::None,
                json!({"email": APPLICANT, "password": APPLICANT_PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("waiting for verification")
        );

        // Not in the directory of organisations, nor among the users.
        let listed = app
            .get("/api/v1/organisations", Auth::Bearer(&finance.token))
            .await
            .json();
        let slugs: Vec<&str> = listed["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["slug"].as_str().unwrap())
            .collect();
        assert!(!slugs.contains(&"nene-home-care"), "{slugs:?}");
        let page = app.get("/organisations", session(&finance)).await;
        assert!(!page.body.contains("Nene Home Care"), "{}", page.body);
        let r = app
            .get(
                "/api/v1/organisations/nene-home-care",
                Auth::Bearer(&finance.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.store.user_by_email(APPLICANT).await.unwrap(), None);

        // The instance administrator sees it waiting, with the facts it claims.
        let pending = app
            .get("/api/v1/supplier-registrations", Auth::Bearer(&admin.token))
            .await;
        assert_eq!(pending.status, StatusCode::OK, "{}", pending.body);
        let pending = pending.json();
        assert_eq!(pending.as_array().unwrap().len(), 1);
        assert_eq!(pending[0]["slug"], "nene-home-care");
        assert_eq!(pending[0]["status"], "pending");
        assert_eq!(pending[0]["public_service_mutual"], true);
        assert_eq!(pending[0]["contact_email"], APPLICANT);
        let page = app.get("/admin/registrations", session(&admin)).await;
        assert!(page.body.contains("Nene Home Care Ltd"), "{}", page.body);
        assert!(
            page.body.contains("SME, public service mutual"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains(
                "https://find-and-update.company-information.service.gov.uk/company/12345678"
            ),
            "{}",
            page.body
        );
        let index = app.get("/admin", session(&admin)).await;
        assert!(
            index.body.contains("1 waiting for verification"),
            "{}",
            index.body
        );
    }
);

store_test!(
    async fn after_verification_the_supplier_signs_in_and_lands_on_the_dashboard(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let r = register_on_page(&app, &form_fields()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = pending_id(&app).await;
        // The administrator finds it is no public service mutual, and verifies it so.
        let r = app
            .form(
                &format!("/admin/registrations/{id}/decision"),
                session(&admin),
                &[
                    ("csrf", &admin.csrf),
                    ("facts", "on"),
                    ("name", "Nene Home Care Ltd"),
                    ("slug", "nene-home-care"),
                    ("legal_form", "company_limited_by_shares"),
                    ("sme", "on"),
                    ("identifiers", "GB-COH-12345678\r\nGB-PPON-PHDQ-2359-NZMP"),
                    ("note", "Checked at Companies House; not a mutual"),
                    ("decision", "verify"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), Some("/admin/registrations"));
        let org = app
            .store
            .organisation_by_slug("nene-home-care")
            .await
            .unwrap()
            .unwrap();
        assert!(org.sme && !org.vcse && !org.public_service_mutual);
        assert_eq!(org.contact.phone, "01604 000000");
        let page = app.get("/admin/registrations", session(&admin)).await;
        assert!(
            page.body.contains(r#"id="decided-registrations""#),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("Checked at Companies House"),
            "{}",
            page.body
        );

        let r = sign_in_on_page(&app, APPLICANT, APPLICANT_PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), Some("/"));
        let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        let secret = cookie
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("ngc_session=")
            .to_owned();
        let s = app
            .store
            .session(&secret, app.store.now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.user.role, Role::Provider);
        let dashboard = app
            .get(
                "/",
                Auth::Session {
                    secret: &secret,
                    csrf: &s.csrf_token,
                },
            )
            .await;
        assert_eq!(dashboard.status, StatusCode::OK);
        assert!(
            dashboard.body.contains("<h1>Dashboard</h1>")
                && dashboard.body.contains("Nene Home Care Ltd"),
            "{}",
            dashboard.body
        );
    }
);

store_test!(
    async fn a_refused_applicant_is_told_why_and_may_register_again(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let r = app
            .json(
                Method::POST,
                "/api/v1/supplier-registrations",
                Auth::None,
                api_body(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let path = format!("/api/v1/supplier-registrations/{id}/decision");
        let before = state(&app).await;
        let r = app
            .json(
                Method::POST,
                &path,
                Auth::Bearer(&admin.token),
                json!({"verify": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "note");
        assert_eq!(state(&app).await, before);
        let r = app
            .json(
                Method::POST,
                &path,
                Auth::Bearer(&admin.token),
                json!({"verify": false, "note": "Companies House has no such company"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "refused");
        let r = sign_in_on_page(&app, APPLICANT, APPLICANT_PASSWORD).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            r.body
                .contains("Your registration was refused: Companies House has no such company."),
            "{}",
            r.body
        );
        // Decided once only.
        let r = app
            .json(
                Method::POST,
                &path,
                Auth::Bearer(&admin.token),
                json!({"verify": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // The claims are free again.
        let r = app
            .json(
                Method::POST,
                "/api/v1/supplier-registrations",
                Auth::None,
                api_body(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
);

store_test!(
    async fn a_non_admin_cannot_verify(store: Store) {
        let app = TestApp::new(store).await;
        let r = register_on_page(&app, &form_fields()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = pending_id(&app).await;
        for &role in Role::ALL {
            if role == Role::InstanceAdmin {
                continue;
            }
            let u = app.user_for(role).await;
            let before = state(&app).await;
            let r = app
                .json(
                    Method::POST,
                    &format!("/api/v1/supplier-registrations/{id}/decision"),
                    Auth::Bearer(&u.token),
                    json!({"verify": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}: {}", r.body);
            let r = app
                .form(
                    &format!("/admin/registrations/{id}/decision"),
                    session(&u),
                    &[("csrf", &u.csrf), ("decision", "verify")],
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}: {}", r.body);
            let r = app
                .get("/api/v1/supplier-registrations", Auth::Bearer(&u.token))
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}: {}", r.body);
            assert_eq!(state(&app).await, before, "{role} changed something");
        }
        // Still pending, no organisation, no user.
        assert_eq!(pending_id(&app).await, id);
        assert!(
            app.store
                .organisation_by_slug("nene-home-care")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(app.store.user_by_email(APPLICANT).await.unwrap(), None);
    }
);

store_test!(
    async fn registrations_are_limited_per_client_address(store: Store) {
        let config = ngc_web::WebConfig {
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            ..ngc_web::WebConfig::default()
        };
        let app = TestApp::with_config(store, config).await;
        let post = |peer: &'static str, forwarded: Option<&'static str>, body: Value| {
            let app = &app;
            async move {
                let mut req = axum::http::Request::builder()
                    .method(Method::POST)
                    .uri("/api/v1/supplier-registrations")
                    .header(header::CONTENT_TYPE, "application/json");
                if let Some(f) = forwarded {
                    req = req.header("x-forwarded-for", f);
                }
                let mut req = req.body(axum::body::Body::from(body.to_string())).unwrap();
                req.extensions_mut().insert(axum::extract::ConnectInfo(
                    peer.parse::<std::net::SocketAddr>().unwrap(),
                ));
                app.send(req).await
            }
        };
        // Ten attempts within the hour, accepted or not, use up the address's allowance.
        let mut bad = api_body();
        bad["name"] = json!("");
        for i in 0..10 {
            let r = post("198.51.100.1:1", None, bad.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "attempt {i}: {}",
                r.body
            );
        }
        let before = state(&app).await;
        let r = post("198.51.100.1:1", None, api_body()).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert_eq!(r.json()["error"]["code"], "too_many_requests");
        assert_eq!(
            state(&app).await,
            before,
            "a blocked registration wrote something"
        );
        // The page says so too, from the same address.
        let mut req = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/register")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("ngc_csrf={ANON_CSRF}"))
            .body(axum::body::Body::from(
                serde_urlencoded::to_string(form_fields()).unwrap(),
            ))
            .unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(
            "198.51.100.1:2".parse::<std::net::SocketAddr>().unwrap(),
        ));
        let page = app.send(req).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.body);
        assert!(
            page.body.contains("too many registrations"),
            "{}",
            page.body
        );
        assert_eq!(state(&app).await, before);
        // A stranger's own X-Forwarded-For does not escape the limit …
        let r = post("198.51.100.1:1", Some("192.0.2.50"), api_body()).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        // … but behind a trusted proxy each client counts on its own, and sign-ins are
        // not touched by registrations.
        let r = post("10.0.0.2:1", Some("198.51.100.1"), api_body()).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        let r = post("10.0.0.2:1", Some("192.0.2.7"), api_body()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        app.user_for(Role::Finance).await;
        let r = sign_in_on_page(&app, "finance@alpha.test", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

/// Times and ids change from run to run.
fn redacted(reply: &Reply, status: StatusCode) -> Value {
    assert_eq!(reply.status, status, "{}", reply.body);
    let mut value = reply.json();
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if (key.ends_with("_at") && !v.is_null()) || key == "id" {
                        *v = json!("[redacted]");
                    } else {
                        walk(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

store_test!(
    async fn the_supplier_registration_routes_answer_as_documented(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let as_admin = Auth::Bearer(&admin.token);
        let created = app
            .json(
                Method::POST,
                "/api/v1/supplier-registrations",
                Auth::None,
                api_body(),
            )
            .await;
        let id = created.json()["id"].as_i64().unwrap();
        insta::assert_json_snapshot!(
            "create_supplier_registration",
            redacted(&created, StatusCode::CREATED)
        );
        let listed = app.get("/api/v1/supplier-registrations", as_admin).await;
        insta::assert_json_snapshot!(
            "list_supplier_registrations",
            redacted(&listed, StatusCode::OK)
        );
        let verified = app
            .json(
                Method::POST,
                &format!("/api/v1/supplier-registrations/{id}/decision"),
                as_admin,
                json!({"verify": true, "public_service_mutual": false, "slug": "nene-care",
                       "note": "Checked at Companies House"}),
            )
            .await;
        insta::assert_json_snapshot!(
            "verify_supplier_registration",
            redacted(&verified, StatusCode::OK)
        );
        let mut other = api_body();
        other["name"] = json!("Welland Support CIO");
        other["legal_form"] = json!("charity");
        other["identifiers"] = json!(["GB-CHC-1123456"]);
        other["user_email"] = json!("bo@welland.example");
        let other = app
            .json(
                Method::POST,
                "/api/v1/supplier-registrations",
                Auth::None,
                other,
            )
            .await;
        let other_id = other.json()["id"].as_i64().unwrap();
        let refused = app
            .json(
                Method::POST,
                &format!("/api/v1/supplier-registrations/{other_id}/decision"),
                as_admin,
                json!({"verify": false, "note": "Not a registered charity"}),
            )
            .await;
        insta::assert_json_snapshot!(
            "refuse_supplier_registration",
            redacted(&refused, StatusCode::OK)
        );
        let all = app
            .get("/api/v1/supplier-registrations?status=all", as_admin)
            .await;
        let statuses: Vec<String> = all
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(statuses, vec!["refused", "verified"], "newest first");
        let bad = app
            .get("/api/v1/supplier-registrations?status=maybe", as_admin)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(bad.json()["error"]["field"], "status");
    }
);
