//! A tender's evaluation panel through the API and the page: the lead's commissioners add
//! the buyers' evaluators and commissioners, the buyers' staff read it, and every refused
//! addition leaves the panel and the audit trail as they were.

use super::support::{Auth, TestApp, TestUser, bearer, session};
use super::tenders::draft;
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::store_test;
use serde_json::{Value, json};

async fn add(app: &TestApp, by: &TestUser, id: i64, user: &str) -> super::support::Reply {
    app.json(
        Method::POST,
        &format!("/api/v1/tenders/{id}/panel"),
        bearer(by),
        json!({ "user": user }),
    )
    .await
}

/// The panel's members as (email, standing).
fn members(panel: &Value) -> Vec<(String, String)> {
    panel["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap().to_owned(),
                m["standing"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn snapshot(app: &TestApp, id: i64) -> String {
    format!(
        "{:?}\n{:?}",
        app.store.audit_head().await.unwrap(),
        app.store.tender_panel(id).await.unwrap()
    )
}

store_test!(
    async fn the_lead_puts_the_buyers_evaluators_on_the_panel_by_api_and_page(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let e = app.user_for(Role::Evaluator).await;
        let f = app.user_for(Role::Finance).await;
        let id = draft(&app, &c, "PANEL-1", 30).await;

        let r = add(&app, &c, id, "  Evaluator@Alpha.test ").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            members(&r.json()),
            [("evaluator@alpha.test".to_owned(), "undeclared".to_owned())]
        );
        assert!(
            r.json()["members"][0]["assigned_at"]
                .as_str()
                .unwrap()
                .ends_with("+00:00")
        );

        // The page adds the commissioner too, and shows both to the council's finance officer.
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/panel"),
                session(&c),
                &[("csrf", &c.csrf), ("user", "commissioner@alpha.test")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = app
            .get(&format!("/procurement/tenders/{id}/panel"), session(&f))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("evaluator@alpha.test"), "{}", page.body);
        assert!(
            page.body.contains("commissioner@alpha.test"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("id=\"panel-form\""),
            "finance may not add"
        );
        let panel = app
            .get(&format!("/api/v1/tenders/{id}/panel"), bearer(&e))
            .await;
        assert_eq!(panel.status, StatusCode::OK);
        assert_eq!(members(&panel.json()).len(), 2);
    }
);

store_test!(
    async fn refused_additions_change_nothing(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let f = app.user_for(Role::Finance).await;
        let p = app.user_for(Role::Provider).await;
        app.user_for(Role::Evaluator).await;
        app.user("evaluator@beta.test", "beta", Role::Evaluator)
            .await;
        let id = draft(&app, &c, "PANEL-2", 30).await;
        assert_eq!(
            add(&app, &c, id, "evaluator@alpha.test").await.status,
            StatusCode::CREATED
        );
        let before = snapshot(&app, id).await;

        for (by, user, status, says) in [
            (
                &c,
                "provider@alpha-care.test",
                StatusCode::UNPROCESSABLE_ENTITY,
                "not a buyer",
            ),
            (
                &c,
                "evaluator@beta.test",
                StatusCode::UNPROCESSABLE_ENTITY,
                "not a buyer",
            ),
            (
                &c,
                "finance@alpha.test",
                StatusCode::UNPROCESSABLE_ENTITY,
                "evaluators and commissioners",
            ),
            (
                &c,
                "nobody@alpha.test",
                StatusCode::UNPROCESSABLE_ENTITY,
                "no active user",
            ),
            (
                &c,
                "evaluator@alpha.test",
                StatusCode::CONFLICT,
                "already on the panel",
            ),
            (&f, "commissioner@alpha.test", StatusCode::FORBIDDEN, ""),
            (&p, "commissioner@alpha.test", StatusCode::NOT_FOUND, ""),
        ] {
            let r = add(&app, by, id, user).await;
            assert_eq!(r.status, status, "{user}: {}", r.body);
            assert!(r.body.contains(says), "{user}: {}", r.body);
            assert_eq!(snapshot(&app, id).await, before, "{user}");
        }
        // The page says why, in place, and writes nothing either.
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/panel"),
                session(&c),
                &[("csrf", &c.csrf), ("user", "finance@alpha.test")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("evaluators and commissioners"),
            "{}",
            r.body
        );
        assert_eq!(snapshot(&app, id).await, before);
        // A provider never sees a draft's panel; the public has to sign in.
        let r = app
            .get(&format!("/api/v1/tenders/{id}/panel"), bearer(&p))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app
            .get(&format!("/api/v1/tenders/{id}/panel"), Auth::None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        // A terminated procurement's panel is closed.
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/terminate"),
                bearer(&c),
                json!({"reason": "Not needed"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let before = snapshot(&app, id).await;
        let r = add(&app, &c, id, "commissioner@alpha.test").await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(snapshot(&app, id).await, before);
    }
);
