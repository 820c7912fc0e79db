//! The HTML pages: signing in and out, CSRF, error pages, forms.

use super::support::{ANON_CSRF, Auth, PASSWORD, TestApp};
use axum::http::{StatusCode, header};
use ngc_domain::Role;
use ngc_store::store_test;

fn session_cookie(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("ngc_session=")
        .to_owned()
}

store_test!(
    async fn signing_in_leads_to_the_dashboard_of_ones_organisation(store: Store) {
        let app = TestApp::new(store).await;
        app.user_for(Role::Finance).await;
        let form = app.get("/login", Auth::None).await;
        assert!(form.body.contains(r#"name="csrf""#) && form.body.contains(r#"id="sign-in""#));
        let r = app
            .form(
                "/login",
                Auth::None,
                &[
                    ("csrf", ANON_CSRF),
                    ("email", "finance@alpha.test"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), Some("/"));
        let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let secret = session_cookie(cookie);
        let session = app
            .store
            .session(&secret, app.store.now())
            .await
            .unwrap()
            .unwrap();
        let page = app
            .get(
                "/",
                Auth::Session {
                    secret: &secret,
                    csrf: &session.csrf_token,
                },
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("<h1>Dashboard</h1>") && page.body.contains("Alpha County Council"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("Alpha Alliance"),
            "the dashboard lists the organisation's partnerships"
        );
    }
);

store_test!(
    async fn a_wrong_password_re_shows_the_form_with_a_generic_message(store: Store) {
        let app = TestApp::new(store).await;
        app.user_for(Role::Finance).await;
        let r = app
            .form(
                "/login",
                Auth::None,
                &[
                    ("csrf", ANON_CSRF),
                    ("email", "finance@alpha.test"),
                    ("password", "nope"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(
            r.body
                .contains("The email address or password is not right.")
        );
        assert!(
            r.headers
                .get(header::SET_COOKIE)
                .is_none_or(|c| !c.to_str().unwrap().starts_with("ngc_session"))
        );
    }
);

store_test!(
    async fn a_form_without_its_csrf_token_is_refused(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let auth = || Auth::Session {
            secret: &admin.session,
            csrf: &admin.csrf,
        };
        let r = app.form("/tokens", auth(), &[("name", "x")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("did not come from this site"), "{}", r.body);
        let r = app
            .form("/tokens", auth(), &[("csrf", "forged"), ("name", "x")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .form(
                "/login",
                Auth::None,
                &[
                    ("csrf", "forged-but-long-enough-to-look-real-000"),
                    ("email", "a@b.c"),
                    ("password", "x"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

store_test!(
    async fn a_provider_opening_admin_gets_a_not_allowed_page(store: Store) {
        let app = TestApp::new(store).await;
        let p = app.user_for(Role::Provider).await;
        let r = app
            .get(
                "/admin",
                Auth::Session {
                    secret: &p.session,
                    csrf: &p.csrf,
                },
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(
            r.body.contains(r#"<h1 id="error-title">Not allowed</h1>"#),
            "{}",
            r.body
        );
        assert!(
            r.headers
                .get(header::CONTENT_TYPE)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }
);

store_test!(
    async fn an_unknown_page_is_an_html_404(store: Store) {
        let app = TestApp::new(store).await;
        let r = app.get("/no/such/page", Auth::None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains("Page not found"));
    }
);

store_test!(
    async fn the_organisation_form_shows_what_is_wrong_and_keeps_the_input(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let auth = Auth::Session {
            secret: &admin.session,
            csrf: &admin.csrf,
        };
        let r = app
            .form(
                "/organisations",
                auth,
                &[
                    ("csrf", &admin.csrf),
                    ("slug", "delta"),
                    ("name", "Delta Trust"),
                    ("kind", "provider"),
                    ("legal_form", "charity"),
                    ("identifiers", "GB-CHC-12"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("GB-CHC-12") && r.body.contains("6 or 7 digits"),
            "{}",
            r.body
        );
        assert!(
            r.body.contains(r#"value="Delta Trust""#),
            "the form keeps what was typed"
        );
        let ok = app
            .form(
                "/organisations",
                Auth::Session {
                    secret: &admin.session,
                    csrf: &admin.csrf,
                },
                &[
                    ("csrf", &admin.csrf),
                    ("slug", "delta"),
                    ("name", "Delta Trust"),
                    ("kind", "provider"),
                    ("legal_form", "charity"),
                    ("identifiers", "GB-CHC-1123456"),
                    ("vcse", "on"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let delta = app
            .store
            .organisation_by_slug("delta")
            .await
            .unwrap()
            .unwrap();
        assert!(delta.vcse && !delta.sme);
    }
);

store_test!(
    async fn admins_see_the_audit_trail_and_its_integrity(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let auth = || Auth::Session {
            secret: &admin.session,
            csrf: &admin.csrf,
        };
        let audit = app.get("/admin/audit", auth()).await;
        assert!(
            audit.body.contains("organisation.create") && audit.body.contains("session.create"),
            "{}",
            audit.body
        );
        let index = app.get("/admin", auth()).await;
        assert!(
            index.body.contains("audit records check out"),
            "{}",
            index.body
        );
    }
);

store_test!(
    async fn the_dashboard_lists_the_partnerships_and_offers_no_switcher(store: Store) {
        let app = TestApp::new(store).await;
        let partner = app.user_for(Role::Partner).await;
        let auth = || Auth::Session {
            secret: &partner.session,
            csrf: &partner.csrf,
        };
        let page = app.get("/", auth()).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("/switch"), "{}", page.body);
        assert!(!page.body.contains("Acting for"), "{}", page.body);
        // Alpha is a member of the Alpha Alliance only.
        assert!(page.body.contains("Alpha Alliance"), "{}", page.body);
        assert!(!page.body.contains("Beta Shared Services"), "{}", page.body);
        let r = app
            .form(
                "/switch",
                auth(),
                &[("csrf", &partner.csrf), ("partnership", "1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);
