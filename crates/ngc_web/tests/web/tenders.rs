//! The tender lifecycle through the API and the pages alike: joint tenders whose shares do
//! not sum to 100% are refused (422), drafts do not exist for other councils (404),
//! publication respects the minimum tendering period, clarification answers reach every
//! bidder without the asker, the checks before award, challenges, termination and the
//! pipeline. Every refused write leaves the database as it was.

use super::support::{Auth, Reply, TestApp, TestUser, bearer, fixture_plan, session};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use ngc_domain::Role;
use ngc_domain::organisation::{LegalForm, OrgKind, OrganisationDraft};
use ngc_domain::slug::Slug;
use ngc_store::{Actor, Clock, Store, store_test};
use serde_json::{Value, json};

/// A tender's JSON body closing `days` from now, with the buyers given (none: the caller's
/// council alone).
fn tender(reference: &str, days: i64, buyers: Value) -> Value {
    let deadline = (Utc::now() + Duration::days(days)).to_rfc3339();
    json!({"reference": reference, "title": "Joint waste collection",
           "classification_scheme": "cpv", "classification_code": "90511000-2",
           "contract_type": "services", "procedure": "open", "estimated_value": "100.01",
           "submission_deadline": deadline, "buyers": buyers,
           "lots": [{"title": "North", "estimated_value": "60.00"},
                    {"title": "South", "estimated_value": "40.01"}]})
}

/// The same tender as the page form's fields (deadline as the browser sends it, UTC).
fn tender_form<'a>(
    csrf: &'a str,
    reference: &'a str,
    deadline: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("reference", reference),
        ("title", "Joint waste collection"),
        ("classification_scheme", "cpv"),
        ("classification_code", "90511000-2"),
        ("contract_type", "services"),
        ("procedure", "open"),
        ("estimated_value", "100.01"),
        ("reservation", "none"),
        ("submission_deadline", deadline),
        ("lot_title_1", "North"),
        ("lot_value_1", "100.01"),
    ]
}

/// Everything a refused tender write could touch: the audit head, every tender in full, its
/// questions and documents.
async fn snapshot(store: &Store) -> String {
    let mut out = format!("{:?}\n", store.audit_head().await.unwrap());
    for t in store.list_tenders().await.unwrap() {
        out += &format!("{:?}\n", store.tender(t.id).await.unwrap());
        out += &format!("{:?}\n", store.tender_questions(t.id).await.unwrap());
        out += &format!("{:?}\n", store.tender_documents(t.id).await.unwrap());
    }
    out
}

/// Creates a draft through the API as `u`, closing in `days`; returns its id.
pub async fn draft(app: &TestApp, u: &TestUser, reference: &str, days: i64) -> i64 {
    let r = app
        .json(
            Method::POST,
            "/api/v1/tenders",
            bearer(u),
            tender(reference, days, json!([])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

async fn publish(app: &TestApp, u: &TestUser, id: i64) -> Reply {
    app.json(
        Method::POST,
        &format!("/api/v1/tenders/{id}/publish"),
        bearer(u),
        json!({}),
    )
    .await
}

/// A second provider, Beta Bins, with a user.
async fn other_provider(app: &TestApp) -> TestUser {
    let draft = OrganisationDraft {
        slug: Slug::parse("beta-bins").unwrap(),
        name: "Beta Bins CIC".into(),
        kind: OrgKind::Provider,
        legal_form: LegalForm::CommunityInterestCompany,
        sme: true,
        vcse: true,
        public_service_mutual: false,
        identifiers: vec![],
        owner: None,
    };
    app.store
        .create_organisation(&draft, &Actor::system())
        .await
        .unwrap();
    app.user("provider@beta-bins.test", "beta-bins", Role::Provider)
        .await
}

store_test!(
    async fn joint_tender_shares_that_do_not_sum_to_100_are_refused_by_api_and_page(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let before = snapshot(&app.store).await;

        let buyers = json!([{"organisation": "alpha", "share_percent": "60"},
                            {"organisation": "gamma", "share_percent": "30"}]);
        let r = app
            .json(
                Method::POST,
                "/api/v1/tenders",
                bearer(&c),
                tender("J-1", 30, buyers),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "buyers");
        let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("sum to 90%, not 100%"), "{message}");

        let deadline = (Utc::now() + Duration::days(30))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let mut fields = tender_form(&c.csrf, "J-1", &deadline);
        fields.extend([
            ("buyer_1", "alpha"),
            ("share_1", "60"),
            ("buyer_2", "gamma"),
            ("share_2", "30"),
        ]);
        let r = app.form("/procurement/tenders", session(&c), &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"form-error\""), "{}", r.body);
        assert!(
            r.body
                .contains("buyers: the buyers&#x27; cost shares sum to 90%, not 100%")
                || r.body
                    .contains("buyers: the buyers&#39; cost shares sum to 90%, not 100%"),
            "{}",
            r.body
        );
        // The form comes back as typed.
        assert!(r.body.contains("value=\"J-1\""), "{}", r.body);
        assert_eq!(snapshot(&app.store).await, before);

        // Shares that do sum to 100% make a joint tender; the estimate is split exactly.
        let buyers = json!([{"organisation": "alpha", "share_percent": "33.33"},
                            {"organisation": "beta", "share_percent": "33.33"},
                            {"organisation": "gamma", "share_percent": "33.34"}]);
        let r = app
            .json(
                Method::POST,
                "/api/v1/tenders",
                bearer(&c),
                tender("J-2", 30, buyers),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let shares: Vec<(String, String)> = r.json()["buyers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["organisation"].as_str().unwrap().to_owned(),
                    b["share_of_estimated_value"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        // 10,001 pence by 33.33/33.33/33.34: 3,333.33, 3,333.33 and 3,334.33 pence; the
        // penny left over goes to the largest remainder.
        assert_eq!(
            shares,
            [
                ("alpha".to_owned(), "33.33".to_owned()),
                ("beta".to_owned(), "33.33".to_owned()),
                ("gamma".to_owned(), "33.35".to_owned())
            ]
        );
        let id = r.json()["id"].as_i64().unwrap();
        let page = app
            .get(&format!("/procurement/tenders/{id}"), session(&c))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("£33.35"), "{}", page.body);
    }
);

store_test!(
    async fn drafts_do_not_exist_for_other_councils_on_the_api_or_the_pages(store: Store) {
        let app = TestApp::new(store).await;
        let alpha = app.user_for(Role::Commissioner).await;
        let id = draft(&app, &alpha, "ALPHA-DRAFT-1", 30).await;
        let beta = app
            .user("commissioner@beta.test", "beta", Role::Commissioner)
            .await;
        let provider = app.user_for(Role::Provider).await;
        let instance = app.user_for(Role::InstanceAdmin).await;
        let before = snapshot(&app.store).await;
        for u in [&beta, &provider, &instance] {
            let r = app.get(&format!("/api/v1/tenders/{id}"), bearer(u)).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{}: {}",
                u.user.email,
                r.body
            );
            let r = app
                .get(&format!("/procurement/tenders/{id}"), session(u))
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", u.user.email);
            assert!(!r.body.contains("ALPHA-DRAFT-1"));
            let r = app.get("/api/v1/tenders", bearer(u)).await;
            assert!(!r.body.contains("ALPHA-DRAFT-1"), "{}", r.body);
        }
        for u in [&beta, &provider] {
            let r = app.get("/procurement", session(u)).await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(!r.body.contains("ALPHA-DRAFT-1"), "{}", r.body);
        }
        // Writes on it are "not found" too, and change nothing.
        let r = publish(&app, &beta, id).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .json(
                Method::PUT,
                &format!("/api/v1/tenders/{id}"),
                bearer(&beta),
                tender("ALPHA-DRAFT-1", 30, json!([])),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/publish"),
                session(&beta),
                &[("csrf", &beta.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(snapshot(&app.store).await, before);
        // Its own council's staff see it, by stage.
        let r = app.get("/procurement", session(&alpha)).await;
        assert!(r.body.contains("ALPHA-DRAFT-1"), "{}", r.body);
        let evaluator = app.user_for(Role::Evaluator).await;
        let r = app
            .get(&format!("/api/v1/tenders/{id}"), bearer(&evaluator))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["stage"], "draft");
    }
);

store_test!(
    async fn publication_respects_the_minimum_tendering_period_and_happens_once(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let soon = draft(&app, &c, "SOON-1", 20).await;
        let before = snapshot(&app.store).await;
        let r = publish(&app, &c, soon).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "submission_deadline");
        let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(
            message.contains("at least 25 days after publication"),
            "{message}"
        );
        assert!(message.contains("PA2023 s54(4)"), "{message}");
        assert!(message.contains("submitted electronically"), "{message}");
        let page = app
            .form(
                &format!("/procurement/tenders/{soon}/publish"),
                session(&c),
                &[("csrf", &c.csrf), ("notice_id", "")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body.contains("at least 25 days after publication"),
            "{}",
            page.body
        );
        // The draft page said so beforehand.
        let shown = app
            .get(&format!("/procurement/tenders/{soon}"), session(&c))
            .await;
        assert!(
            shown
                .body
                .contains("Move the submission deadline before publishing")
        );
        assert_eq!(snapshot(&app.store).await, before);

        let id = draft(&app, &c, "ON-TIME-1", 30).await;
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/publish"),
                session(&c),
                &[
                    ("csrf", &c.csrf),
                    ("notice_id", "2026/S 000-123456"),
                    ("notice_published_on", &app.store.today().to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let t = app
            .get(&format!("/api/v1/tenders/{id}"), bearer(&c))
            .await
            .json();
        assert_eq!(t["status"], "published");
        assert_eq!(t["stage"], "open");
        assert_eq!(t["minimum_tender_period"]["days"], 25);
        assert_eq!(t["notice"]["id"], "2026/S 000-123456");
        // Publishing stored the tender notice's release with its publication: it is public.
        let feed = app.get("/ocds/releases", Auth::None).await.json();
        let release = &feed["releases"][0];
        assert_eq!(feed["releases"].as_array().unwrap().len(), 1, "{feed}");
        assert!(
            release["ocid"]
                .as_str()
                .unwrap()
                .ends_with(&format!("-{id}")),
            "{release}"
        );
        assert_eq!(release["tag"], json!(["tender"]));
        assert_eq!(release["tender"]["id"], "ON-TIME-1");
        let published_at = t["published_at"].as_str().unwrap();
        assert!(published_at.ends_with("+00:00"), "{published_at}");
        assert!(
            t["submission_deadline"]
                .as_str()
                .unwrap()
                .ends_with("+00:00")
        );

        let before = snapshot(&app.store).await;
        let r = publish(&app, &c, id).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/publish"),
                session(&c),
                &[("csrf", &c.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // Its details can no longer be edited.
        let r = app
            .json(
                Method::PUT,
                &format!("/api/v1/tenders/{id}"),
                bearer(&c),
                tender("ON-TIME-1", 30, json!([])),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let deadline = (Utc::now() + Duration::days(30))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let r = app
            .form(
                &format!("/procurement/tenders/{id}"),
                session(&c),
                &tender_form(&c.csrf, "ON-TIME-1", &deadline),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("can no longer be edited"), "{}", r.body);
        assert_eq!(snapshot(&app.store).await, before);
        // A finance officer of the council sees it but may not publish: 403, nothing written.
        let f = app.user_for(Role::Finance).await;
        let other = draft(&app, &c, "ON-TIME-2", 30).await;
        let before = snapshot(&app.store).await;
        let r = publish(&app, &f, other).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(snapshot(&app.store).await, before);
    }
);

store_test!(
    async fn answers_reach_every_bidder_without_the_asker(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let asker = app.user_for(Role::Provider).await; // Alpha Care Ltd
        let other = other_provider(&app).await;
        let id = draft(&app, &c, "Q-1", 30).await;
        assert_eq!(publish(&app, &c, id).await.status, StatusCode::OK);

        let r = app
            .form(
                &format!("/procurement/tenders/{id}/questions"),
                session(&asker),
                &[("csrf", &asker.csrf), ("question", "Is glass collected?")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/questions"),
                bearer(&asker),
                json!({"question": "Are bins supplied?"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(r.json().get("asked_by").is_none(), "{}", r.body);
        let second = r.json()["id"].as_i64().unwrap();

        // The buyer's staff see who asked; nobody else sees an unanswered question.
        let buyer = app
            .get(&format!("/api/v1/tenders/{id}"), bearer(&c))
            .await
            .json();
        let asked_by: Vec<&str> = buyer["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["asked_by"].as_str().unwrap())
            .collect();
        assert_eq!(asked_by, ["alpha-care", "alpha-care"]);
        let page = app
            .get(&format!("/procurement/tenders/{id}"), session(&c))
            .await;
        assert!(
            page.body.contains("asked by Alpha Care Ltd"),
            "{}",
            page.body
        );
        let first = buyer["questions"][0]["id"].as_i64().unwrap();
        let r = app
            .get(&format!("/api/v1/tenders/{id}"), bearer(&other))
            .await;
        assert!(!r.body.contains("glass"), "{}", r.body);

        // Answered on the page and through the API.
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/questions/{first}/answer"),
                session(&c),
                &[("csrf", &c.csrf), ("answer", "Yes, fortnightly.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/questions/{second}/answer"),
                bearer(&c),
                json!({"answer": "Yes, two per household."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        for u in [&other, &asker] {
            let api = app.get(&format!("/api/v1/tenders/{id}"), bearer(u)).await;
            assert!(api.body.contains("Yes, fortnightly."), "{}", api.body);
            assert!(api.body.contains("Yes, two per household."), "{}", api.body);
            assert!(!api.body.contains("alpha-care"), "{}", api.body);
            assert!(!api.body.contains("Alpha Care"), "{}", api.body);
            assert!(!api.body.contains("asked_by"), "{}", api.body);
        }
        let page = app
            .get(&format!("/procurement/tenders/{id}"), session(&other))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Is glass collected?"), "{}", page.body);
        assert!(page.body.contains("Yes, fortnightly."), "{}", page.body);
        assert!(!page.body.contains("alpha-care"), "{}", page.body);
        assert!(!page.body.contains("Alpha Care"), "{}", page.body);

        // An answer is given once; a council officer does not ask.
        let before = snapshot(&app.store).await;
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/questions/{first}/answer"),
                bearer(&c),
                json!({"answer": "No."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/questions"),
                bearer(&c),
                json!({"question": "Mine?"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(snapshot(&app.store).await, before);

        // Forty days on by the server's clock the clarification period is over: 409, stating
        // when it closed, on the API and the page.
        let later_store = app
            .store
            .clone()
            .with_clock(Clock::on(app.store.today() + Duration::days(40)));
        let later = app.reconfigured(later_store, Default::default());
        let r = later
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/questions"),
                bearer(&other),
                json!({"question": "Too late?"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            r.body.contains("clarification questions closed at"),
            "{}",
            r.body
        );
        let s = later.store.create_session(&other.user).await.unwrap();
        let r = later
            .form(
                &format!("/procurement/tenders/{id}/questions"),
                Auth::Session {
                    secret: &s.secret,
                    csrf: &s.csrf_token,
                },
                &[("csrf", &s.csrf_token), ("question", "Too late?")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            r.body.contains("clarification questions closed at"),
            "{}",
            r.body
        );
        let questions = app.store.tender_questions(id).await.unwrap();
        assert_eq!(questions.len(), 2);
    }
);

store_test!(
    async fn documents_checks_challenges_and_termination(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let p = app.user_for(Role::Provider).await;
        let id = draft(&app, &c, "CHK-1", 30).await;
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{id}/documents"),
                bearer(&c),
                json!({"title": "Specification", "kind": "specification", "text": "abc"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            r.json()["sha256"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/documents"),
                session(&c),
                &[
                    ("csrf", &c.csrf),
                    ("title", "Terms"),
                    ("kind", "terms"),
                    ("url", "ftp://x"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("is not a web address"), "{}", r.body);
        assert_eq!(publish(&app, &c, id).await.status, StatusCode::OK);

        let base = format!("/api/v1/tenders/{id}");
        for (assessment, found, mitigations) in [
            ("No interest found.", false, ""),
            (
                "An evaluator's spouse works for a bidder.",
                true,
                "The evaluator stands down.",
            ),
        ] {
            let r = app
                .json(
                    Method::POST,
                    &format!("{base}/conflicts-assessments"),
                    bearer(&c),
                    json!({"conflicts_found": found, "assessment": assessment, "mitigations": mitigations}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/exclusion-checks"),
                session(&c),
                &[
                    ("csrf", &c.csrf),
                    ("supplier", "alpha-care"),
                    ("result", "clear"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("debarment_list_checked"), "{}", r.body);
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/exclusion-checks"),
                session(&c),
                &[
                    ("csrf", &c.csrf),
                    ("supplier", "alpha-care"),
                    ("result", "clear"),
                    ("debarment_list_checked", "true"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // Not reserved: there is no eligibility to check.
        let r = app
            .json(
                Method::POST,
                &format!("{base}/reservation-checks"),
                bearer(&c),
                json!({"supplier": "alpha-care", "eligible": true, "evidence": "x"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        let r = app
            .json(
                Method::POST,
                &format!("{base}/challenges"),
                bearer(&c),
                json!({"note": "Claim form served by Beta Bins"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let challenge = r.json()["id"].as_i64().unwrap();
        assert!(app.store.tender_suspended(id).await.unwrap());
        let checks = app.get(&format!("{base}/checks"), bearer(&c)).await.json();
        assert_eq!(checks["suspended"], true);
        let versions: Vec<i64> = checks["conflicts_assessments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["version"].as_i64().unwrap())
            .collect();
        assert_eq!(versions, [2, 1]);
        assert_eq!(checks["exclusion_checks"][0]["supplier"], "alpha-care");
        assert_eq!(
            checks["exclusion_checks"][0]["checked_by"],
            "commissioner@alpha.test"
        );
        let page = app
            .get(&format!("/procurement/tenders/{id}/checks"), session(&c))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("A challenge suspends the award"),
            "{}",
            page.body
        );
        assert!(page.body.contains("2 (current)"), "{}", page.body);
        // A provider sees neither the checks nor the suspension.
        let r = app.get(&format!("{base}/checks"), bearer(&p)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .get(&format!("/procurement/tenders/{id}/checks"), session(&p))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/challenges/{challenge}/lift"),
                session(&c),
                &[
                    ("csrf", &c.csrf),
                    ("note", "Court order lifting the suspension"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(!app.store.tender_suspended(id).await.unwrap());

        let r = app
            .form(
                &format!("/procurement/tenders/{id}/terminate"),
                session(&c),
                &[("csrf", &c.csrf), ("reason", " ")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app
            .form(
                &format!("/procurement/tenders/{id}/terminate"),
                session(&c),
                &[
                    ("csrf", &c.csrf),
                    ("reason", "The districts chose to keep their contracts"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let t = app.get(&base, bearer(&c)).await.json();
        assert_eq!(t["stage"], "terminated");
        // Termination stored its notice's release (UK12) beside the tender notice's.
        let notices = app.get(&format!("{base}/notices"), bearer(&c)).await.json();
        let steps: Vec<&str> = notices["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["step"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["tender", "termination"], "{notices}");
        let page = app
            .get(&format!("/procurement/tenders/{id}"), session(&p))
            .await;
        assert!(
            page.body
                .contains("The districts chose to keep their contracts"),
            "{}",
            page.body
        );
        let before = snapshot(&app.store).await;
        let r = app
            .json(
                Method::POST,
                &format!("{base}/terminate"),
                bearer(&c),
                json!({"reason": "again"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(snapshot(&app.store).await, before);
    }
);

store_test!(
    async fn the_pipeline_shows_eighteen_months_and_what_a_uk1_notice_would_carry(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let plan = fixture_plan();
        let today = app.store.today();
        let on = |days: i64| (today + Duration::days(days)).to_string();
        for (title, value, vat, tender_on) in [
            ("Street lighting", "2500000.00", true, on(60)),
            ("Grounds maintenance", "1999999.99", true, on(90)),
            ("Leisure centres", "1666666.67", false, on(120)),
            ("Libraries", "9000000.00", true, on(600)),
        ] {
            let r = app
                .json(
                    Method::POST,
                    "/api/v1/planned-procurements",
                    bearer(&c),
                    json!({"title": title, "estimated_value": value, "vat_inclusive": vat,
                           "contract_type": "services", "planned_tender_on": tender_on,
                           "planned_award_on": on(700), "planned_start_on": on(800),
                           "link_kind": "saving", "link_plan": plan.name,
                           "link_key": plan.savings[0].reference}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let listed = app
            .get("/api/v1/planned-procurements", bearer(&c))
            .await
            .json();
        let flags: Vec<(&str, bool, bool)> = listed["planned_procurements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["title"].as_str().unwrap(),
                    p["in_view"].as_bool().unwrap(),
                    p["on_pipeline_notice"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            flags,
            [
                ("Street lighting", true, true),
                ("Grounds maintenance", true, false),
                ("Leisure centres", true, true),
                ("Libraries", false, false)
            ]
        );
        assert_eq!(listed["pipeline_notice_rule_confirmed"], false);
        let page = app.get("/procurement/pipeline", session(&c)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("1 more planned outside this view"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("PA2023 s93, unconfirmed"),
            "{}",
            page.body
        );

        // A link to no line of the plan is refused, naming the field, on both.
        let before = snapshot(&app.store).await;
        let r = app
            .json(
                Method::POST,
                "/api/v1/planned-procurements",
                bearer(&c),
                json!({"title": "X", "estimated_value": "1.00", "contract_type": "services",
                       "planned_tender_on": on(1), "planned_award_on": on(2),
                       "planned_start_on": on(3), "link_kind": "saving",
                       "link_plan": plan.name, "link_key": "NO-SUCH-SAVING"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "link_key");
        let (t1, t2, t3) = (on(1), on(2), on(3));
        let r = app
            .form(
                "/procurement/pipeline",
                session(&c),
                &[
                    ("csrf", &c.csrf),
                    ("title", "X"),
                    ("estimated_value", "1.00"),
                    ("contract_type", "services"),
                    ("planned_tender_on", &t1),
                    ("planned_award_on", &t2),
                    ("planned_start_on", &t3),
                    ("link_kind", "service_line"),
                    ("link_plan", &plan.name),
                    ("link_key", "no_such_service"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("link_key:"), "{}", r.body);
        assert_eq!(snapshot(&app.store).await, before);
        let beta = app
            .store
            .organisation_by_slug("beta")
            .await
            .unwrap()
            .unwrap();
        assert!(
            app.store
                .planned_procurements(beta.id)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

store_test!(
    async fn a_provider_sees_the_open_tenders_it_may_bid_for(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let p = app.user_for(Role::Provider).await; // Alpha Care Ltd: neither SME, VCSE nor mutual
        let open = draft(&app, &c, "OPEN-1", 30).await;
        publish(&app, &c, open).await;
        let mut reserved = tender("MUTUALS-1", 30, json!([]));
        reserved["reservation"] = json!("mutual");
        reserved["title"] = json!("Youth services for mutuals");
        let r = app
            .json(Method::POST, "/api/v1/tenders", bearer(&c), reserved)
            .await;
        let reserved = r.json()["id"].as_i64().unwrap();
        publish(&app, &c, reserved).await;
        let page = app.get("/procurement", session(&p)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("OPEN-1"), "{}", page.body);
        assert!(!page.body.contains("MUTUALS-1"), "{}", page.body);
        assert!(
            page.body.contains("1 more open tender is reserved"),
            "{}",
            page.body
        );
        let tender_page = app
            .get(&format!("/procurement/tenders/{open}"), session(&p))
            .await;
        assert!(
            tender_page
                .body
                .contains("Ask a clarification question until")
        );
        assert!(tender_page.body.contains("id=\"question-form\""));
        // The council's own staff see both, under "Open for bids".
        let page = app.get("/procurement", session(&c)).await;
        assert!(page.body.contains("MUTUALS-1") && page.body.contains("OPEN-1"));
    }
);
