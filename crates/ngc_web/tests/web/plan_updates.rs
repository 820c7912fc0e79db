//! Plan updates through the API, by the same use cases the pages call: an allowed call
//! answers exactly what was stored; a refused or invalid one changes nothing.

use super::support::{Auth, TestApp, fixture_plan, seg};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_domain::finance::mtfp::Plan;
use ngc_store::{Store, store_test};
use serde_json::json;

/// The stored plan and the audit trail's head: what a refused write must leave alone.
async fn state(store: &Store, org: &str) -> (Plan, Option<i64>) {
    let plan = store
        .plan(org, Some(&fixture_plan().name))
        .await
        .unwrap()
        .unwrap();
    let head = store
        .audit_page(None, 1)
        .await
        .unwrap()
        .first()
        .map(|e| e.record.seq);
    (plan, head)
}

fn api(org: &str, what: &str) -> String {
    format!(
        "/api/v1/organisations/{org}/plans/{}/{what}",
        seg(&fixture_plan().name)
    )
}

store_test!(
    async fn a_delivery_update_through_the_api_is_stored_and_answered(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let plan = fixture_plan();
        let saving = &plan.savings[0];
        let body = json!({"reference": saving.reference, "year": "2015-16", "month": 6,
            "delivered": "250000.5", "rag": "amber", "note": "behind"});
        let r = app
            .json(
                Method::POST,
                &api("alpha", "delivery"),
                Auth::Bearer(&f.token),
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            r.json(),
            json!({"reference": saving.reference, "year": "2015-16", "month": 6,
                "delivered": "250000.50", "rag": "amber", "note": "behind"})
        );
        let (stored, _) = state(&app.store, "alpha").await;
        let u = stored.delivery.last().unwrap();
        assert_eq!(
            (u.reference.as_str(), u.month, u.delivered.to_string()),
            (saving.reference.as_str(), 6, "250000.50".to_string())
        );
    }
);

store_test!(
    async fn refused_and_invalid_plan_updates_change_nothing(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let c = app.user_for(Role::Commissioner).await;
        let saving = fixture_plan().savings[0].reference.clone();
        let delivery = |month: u64, delivered: &str, reference: &str| {
            json!({"reference": reference, "year": "2015-16", "month": month,
                "delivered": delivered, "rag": "red"})
        };
        let cases = [
            // A commissioner may read the plan, not change it.
            (
                &c.token,
                "alpha",
                "delivery",
                delivery(3, "1", &saving),
                StatusCode::FORBIDDEN,
            ),
            // Another council's plan.
            (
                &f.token,
                "beta",
                "delivery",
                delivery(3, "1", &saving),
                StatusCode::FORBIDDEN,
            ),
            (
                &f.token,
                "alpha",
                "delivery",
                delivery(13, "1", &saving),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                &f.token,
                "alpha",
                "delivery",
                delivery(3, "-1", &saving),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                &f.token,
                "alpha",
                "delivery",
                delivery(3, "1", "NO-SUCH"),
                StatusCode::NOT_FOUND,
            ),
            (
                &c.token,
                "alpha",
                "assumptions",
                json!([{"year": "2016-17", "council_tax_increase_pct": "1.5"}]),
                StatusCode::FORBIDDEN,
            ),
            // One bad year spoils the whole request.
            (
                &f.token,
                "alpha",
                "assumptions",
                json!([{"year": "2016-17", "council_tax_increase_pct": "1.5"},
                    {"year": "2030-31", "pay_award_pct": "2"}]),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                &f.token,
                "alpha",
                "assumptions",
                json!([{"year": "2016-17", "pay_award_pct": "many"}]),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ];
        for (token, org, what, body, status) in cases {
            let before = (
                state(&app.store, "alpha").await,
                state(&app.store, "beta").await,
            );
            let method = if what == "delivery" {
                Method::POST
            } else {
                Method::PUT
            };
            let r = app
                .json(method, &api(org, what), Auth::Bearer(token), body.clone())
                .await;
            assert_eq!(r.status, status, "{body}: {}", r.body);
            let after = (
                state(&app.store, "alpha").await,
                state(&app.store, "beta").await,
            );
            assert_eq!(before, after, "{body} changed the store");
        }
    }
);

async fn band_d_2016_17(app: &TestApp, token: &str) -> serde_json::Value {
    app.get(&api("alpha", "report"), Auth::Bearer(token))
        .await
        .json()["council_tax"][1]["band_d"]
        .clone()
}

store_test!(
    async fn new_assumptions_through_the_api_are_stored_and_move_the_report(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let band_d_before = band_d_2016_17(&app, &f.token).await;
        let r = app
            .json(
                Method::PUT,
                &api("alpha", "assumptions"),
                Auth::Bearer(&f.token),
                json!([{"year": "2016-17", "council_tax_increase_pct": "0", "asc_precept_pct": "0"}]),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let years = r.json();
        assert_eq!(years.as_array().unwrap().len(), 5);
        assert_eq!(
            (
                &years[1]["year"],
                &years[1]["council_tax_increase_pct"],
                &years[1]["asc_precept_pct"]
            ),
            (&json!("2016-17"), &json!("0"), &json!("0"))
        );
        let (stored, _) = state(&app.store, "alpha").await;
        let a = stored.assumptions_for("2016-17".parse().unwrap());
        assert!(a.council_tax_increase_pct.is_zero() && a.asc_precept_pct.is_zero());
        // No increase: 2016-17's Band D is 2015-16's, and the report shows it at once.
        let band_d_after = band_d_2016_17(&app, &f.token).await;
        assert_ne!(band_d_before, band_d_after);
        assert_eq!(band_d_after, json!("1069.02"));
    }
);
