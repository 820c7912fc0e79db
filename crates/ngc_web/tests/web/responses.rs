//! The documented answers of the API routes this release added, pinned by insta snapshots
//! (times and secrets redacted), the same on both databases. Who may call each route, and
//! that a refused call writes nothing, is the authorisation matrix's job (`matrix.rs`).

use super::support::{Auth, TestApp, fixture_plan, seg};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::store_test;
use serde_json::{Value, json};

/// Times change from run to run: every field named `at` or `…_at` shows `[time]`.
fn redact_times(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if (key == "at" || key.ends_with("_at")) && !v.is_null() {
                    *v = json!("[time]");
                } else {
                    redact_times(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_times),
        _ => {}
    }
}

/// The reply's JSON, with times redacted, after checking its status.
fn answer(reply: &super::support::Reply, status: StatusCode) -> Value {
    assert_eq!(reply.status, status, "{}", reply.body);
    let mut value: Value = serde_json::from_str(&reply.body).unwrap();
    redact_times(&mut value);
    value
}

store_test!(
    async fn the_new_organisation_and_user_routes_answer_as_documented(store: Store) {
        let app = TestApp::new(store).await;
        let org_admin = app.user_for(Role::OrgAdmin).await;
        let instance = app.user_for(Role::InstanceAdmin).await;
        let as_org = Auth::Bearer(&org_admin.token);
        let as_instance = Auth::Bearer(&instance.token);

        let patched = app
            .json(
                Method::PATCH,
                "/api/v1/organisations/alpha",
                as_org,
                json!({"description": "The county council."}),
            )
            .await;
        insta::assert_json_snapshot!("patch_organisation", answer(&patched, StatusCode::OK));

        let requested = app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/registration-requests",
                as_org,
                json!({"name": "Alpha Council", "evidence": "council minute 12"}),
            )
            .await;
        let requested = answer(&requested, StatusCode::CREATED);
        let id = requested["id"].as_i64().unwrap();
        insta::assert_json_snapshot!("create_registration_request", requested, {".id" => "[id]"});

        let listed = app
            .get("/api/v1/organisations/alpha/registration-requests", as_org)
            .await;
        insta::assert_json_snapshot!("list_registration_requests", answer(&listed, StatusCode::OK), {"[].id" => "[id]"});

        let decided = app
            .json(
                Method::POST,
                &format!("/api/v1/organisations/alpha/registration-requests/{id}/decision"),
                as_instance,
                json!({"approve": false, "note": "The minute does not say so."}),
            )
            .await;
        insta::assert_json_snapshot!("decide_registration_request", answer(&decided, StatusCode::OK), {".id" => "[id]"});

        let victim = app.user("victim@alpha.test", "alpha", Role::Finance).await;
        let disabled = app
            .json(
                Method::POST,
                &format!("/api/v1/users/{}/disable", victim.user.id),
                as_org,
                json!({}),
            )
            .await;
        insta::assert_json_snapshot!("disable_user", answer(&disabled, StatusCode::OK), {".id" => "[id]"});
        let enabled = app
            .json(
                Method::POST,
                &format!("/api/v1/users/{}/enable", victim.user.id),
                as_org,
                json!({}),
            )
            .await;
        insta::assert_json_snapshot!("enable_user", answer(&enabled, StatusCode::OK), {".id" => "[id]"});
    }
);

store_test!(
    async fn the_new_plan_routes_answer_as_documented(store: Store) {
        let app = TestApp::new(store).await;
        let finance = app.user_for(Role::Finance).await;
        let auth = Auth::Bearer(&finance.token);
        let plan = fixture_plan();
        let base = format!("/api/v1/organisations/alpha/plans/{}", seg(&plan.name));

        let delivered = app
            .json(
                Method::POST,
                &format!("{base}/delivery"),
                auth,
                json!({"reference": plan.savings[0].reference, "year": "2015-16", "month": 3,
                       "delivered": "1000.00", "rag": "amber", "note": "Quarter one"}),
            )
            .await;
        insta::assert_json_snapshot!("record_delivery", answer(&delivered, StatusCode::CREATED));

        let assumed = app
            .json(
                Method::PUT,
                &format!("{base}/assumptions"),
                auth,
                json!([{"year": "2016-17", "council_tax_increase_pct": "1.5"}]),
            )
            .await;
        insta::assert_json_snapshot!("update_assumptions", answer(&assumed, StatusCode::OK));

        let revisions = app.get(&format!("{base}/revisions"), auth).await;
        insta::assert_json_snapshot!("list_revisions", answer(&revisions, StatusCode::OK));

        let one = answer(
            &app.get(&format!("{base}/revisions/1"), auth).await,
            StatusCode::OK,
        );
        // The revision's plan is the imported fixture, exactly; its metadata is pinned.
        let content: ngc_domain::finance::mtfp::Plan =
            serde_json::from_value(one["plan"].clone()).unwrap();
        assert_eq!(content, plan);
        insta::assert_json_snapshot!("find_revision", one["revision"]);

        let restored = app
            .json(
                Method::POST,
                &format!("{base}/revisions/1/restore"),
                auth,
                json!({}),
            )
            .await;
        insta::assert_json_snapshot!("restore_revision", answer(&restored, StatusCode::OK));
    }
);
