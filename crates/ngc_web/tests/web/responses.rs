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

/// Ids, and the times and dates that move with the clock (deadlines are set from now).
macro_rules! tender_snapshot {
    ($name:literal, $value:expr) => {
        insta::assert_json_snapshot!($name, $value, {
            ".id" => "[id]",
            ".lots[].id" => "[id]",
            ".documents[].id" => "[id]",
            ".questions[].id" => "[id]",
            ".submission_deadline" => "[time]",
            ".questions_close" => "[time]",
            ".tenders[].id" => "[id]",
            ".tenders[].submission_deadline" => "[time]",
            ".view_from" => "[date]",
            ".view_to" => "[date]",
            ".planned_procurements[].id" => "[id]",
            ".planned_tender_on" => "[date]",
            ".planned_award_on" => "[date]",
            ".planned_start_on" => "[date]",
            ".planned_procurements[].planned_tender_on" => "[date]",
            ".planned_procurements[].planned_award_on" => "[date]",
            ".planned_procurements[].planned_start_on" => "[date]",
            ".exclusion_checks[].id" => "[id]",
            ".reservation_checks[].id" => "[id]",
            ".challenges[].id" => "[id]",
        })
    };
}

store_test!(
    async fn the_tender_routes_answer_as_documented(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let p = app.user_for(Role::Provider).await;
        let auth = Auth::Bearer(&c.token);
        let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
        let created = app
            .json(
                Method::POST,
                "/api/v1/tenders",
                auth,
                json!({"reference": "ALPHA-2026-001", "title": "Joint waste collection",
                       "description": "One collection contract for three councils",
                       "classification_scheme": "cpv", "classification_code": "90511000-2",
                       "contract_type": "services", "procedure": "open",
                       "commenced_on": "2026-03-02", "estimated_value": "12000000.01",
                       "reservation": "mutual", "submission_deadline": deadline,
                       "buyers": [{"organisation": "alpha", "share_percent": "50"},
                                  {"organisation": "beta", "share_percent": "25.5"},
                                  {"organisation": "gamma", "share_percent": "24.5"}],
                       "lots": [{"title": "North", "estimated_value": "7000000.00"},
                                {"title": "South", "estimated_value": "5000000.01"}]}),
            )
            .await;
        let created = answer(&created, StatusCode::CREATED);
        let id = created["id"].as_i64().unwrap();
        tender_snapshot!("create_tender", created);

        let documented = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/documents"),
                auth,
                json!({"title": "Specification", "kind": "specification",
                       "text": "Collect every bin once a week."}),
            )
            .await;
        tender_snapshot!("add_document", answer(&documented, StatusCode::CREATED));

        let published = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/publish"),
                auth,
                json!({"notice_id": "2026/S 000-123456"}),
            )
            .await;
        tender_snapshot!("publish_tender", answer(&published, StatusCode::OK));

        let asked = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/questions"),
                Auth::Bearer(&p.token),
                json!({"question": "Is glass collected?"}),
            )
            .await;
        let asked = answer(&asked, StatusCode::CREATED);
        let qid = asked["id"].as_i64().unwrap();
        tender_snapshot!("ask_question", asked);
        let answered = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/questions/{qid}/answer"),
                auth,
                json!({"answer": "Yes, fortnightly."}),
            )
            .await;
        tender_snapshot!("answer_question", answer(&answered, StatusCode::OK));

        let seen = app
            .get(&format!("/api/v1/tenders/{id}"), Auth::Bearer(&p.token))
            .await;
        tender_snapshot!("find_tender_as_provider", answer(&seen, StatusCode::OK));
        let listed = app.get("/api/v1/tenders", auth).await;
        tender_snapshot!("list_tenders", answer(&listed, StatusCode::OK));

        for (path, body) in [
            (
                "conflicts-assessments",
                json!({"conflicts_found": false, "assessment": "No interest found."}),
            ),
            (
                "exclusion-checks",
                json!({"supplier": "alpha-care", "result": "clear", "debarment_list_checked": true, "grounds": "Schs 6 and 7"}),
            ),
            (
                "reservation-checks",
                json!({"supplier": "alpha-care", "eligible": false, "evidence": "Not a public service mutual: articles of association"}),
            ),
            ("challenges", json!({"note": "Claim form served"})),
        ] {
            let r = app
                .json(
                    Method::POST,
                    &format!("/api/v1/tenders/{id}/{path}"),
                    auth,
                    body,
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.body);
        }
        let checks = app.get(&format!("/api/v1/tenders/{id}/checks"), auth).await;
        tender_snapshot!("find_checks", answer(&checks, StatusCode::OK));

        let plan = fixture_plan();
        let planned = app
            .json(
                Method::POST,
                "/api/v1/planned-procurements",
                auth,
                json!({"title": "Street lighting", "estimated_value": "2500000.00",
                       "vat_inclusive": true, "contract_type": "works",
                       "planned_tender_on": (app.store.today() + chrono::Duration::days(60)).to_string(),
                       "planned_award_on": (app.store.today() + chrono::Duration::days(150)).to_string(),
                       "planned_start_on": (app.store.today() + chrono::Duration::days(240)).to_string(),
                       "link_kind": "saving", "link_plan": plan.name,
                       "link_key": plan.savings[0].reference}),
            )
            .await;
        tender_snapshot!(
            "create_planned_procurement",
            answer(&planned, StatusCode::CREATED)
        );
        let pipeline = app.get("/api/v1/planned-procurements", auth).await;
        tender_snapshot!(
            "list_planned_procurements",
            answer(&pipeline, StatusCode::OK)
        );
    }
);
