//! Notices as OCDS: each step's release stored once per state, the officer's record of its
//! publication through the API and the page, and the public feed and records of published
//! notices only.

use super::support::{Auth, Reply, TestApp, TestUser};
use axum::http::{Method, StatusCode};
use chrono::{TimeZone, Utc};
use ngc_app::UseCaseError;
use ngc_app::ocds::{AwardFacts, AwardStatus, PlanningNotice, StandstillDays, Step, store_release};
use ngc_domain::Role;
use ngc_domain::money::Money;
use ngc_domain::procurement::{
    ClassificationScheme, CommencingEvent, ContractType, Procedure, Reservation,
};
use ngc_store::releases::Release;
use ngc_store::tenders::{NewLot, NewTender, Tender};
use ngc_store::{Actor, Store, store_test};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// A draft tender led by `lead` (with `also` as a second buyer, 50/50), commenced on
/// `commenced_on` (which decides the regime), with one lot.
pub async fn draft_tender(
    store: &Store,
    reference: &str,
    lead: &str,
    procurement_lead_id: i64,
    also: Option<&str>,
    commenced_on: &str,
) -> Tender {
    let pcr = commenced_on < "2025-02-24";
    let mut buyers = vec![(lead.to_owned(), Decimal::ONE_HUNDRED)];
    if let Some(other) = also {
        buyers = vec![
            (lead.to_owned(), Decimal::new(50, 0)),
            (other.to_owned(), Decimal::new(50, 0)),
        ];
    }
    let new = NewTender {
        reference: reference.into(),
        lead_organisation: lead.into(),
        procurement_lead_id,
        title: format!("Waste collection {reference}"),
        description: "Household waste and recycling collection".into(),
        classification_scheme: ClassificationScheme::Cpv,
        classification_code: "90511000-2".into(),
        contract_type: ContractType::Services,
        procedure: if pcr {
            Procedure::Restricted
        } else {
            Procedure::Open
        },
        commencing_event: CommencingEvent::ContractNotice,
        commenced_on: commenced_on.parse().unwrap(),
        estimated_value: Money::pence(1_200_000_050),
        vat_inclusive: false,
        above_threshold: true,
        reservation: Reservation::None,
        two_envelope: false,
        criteria: json!({}),
        clarification_deadline: None,
        submission_deadline: Utc.with_ymd_and_hms(2030, 1, 31, 12, 0, 0).unwrap(),
        buyers,
        lots: vec![NewLot {
            title: "Whole area".into(),
            description: String::new(),
            estimated_value: Money::pence(1_200_000_050),
            criteria: None,
        }],
    };
    store.create_tender(&new, &Actor::system()).await.unwrap()
}

/// Stands in for the tenders' publish step (not on this branch yet).
pub async fn mark_published(store: &Store, tender_id: i64) {
    store
        .execute_raw(&format!(
            "UPDATE tenders SET status = 'published' WHERE id = {tender_id}"
        ))
        .await
        .unwrap();
}

/// Fields that change from run to run, redacted: when a release or a notice was made, when a
/// package was published, and the compiled release's id (its ocid and latest date).
fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let release = map.contains_key("ocid");
            let compiled = map.get("tag") == Some(&json!(["compiled"]));
            for (key, v) in map.iter_mut() {
                let made = (release && key == "date") || (compiled && key == "id");
                if made || matches!(key.as_str(), "released_at" | "publishedDate") {
                    *v = json!("[time]");
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

fn answer(reply: &Reply, status: StatusCode) -> Value {
    assert_eq!(reply.status, status, "{}", reply.body);
    let mut value = reply.json();
    redact(&mut value);
    value
}

struct Fixture {
    app: TestApp,
    commissioner: TestUser,
    tender: Tender,
}

async fn fixture(store: Store) -> Fixture {
    let app = TestApp::new(store).await;
    let commissioner = app.user_for(Role::Commissioner).await;
    let tender = draft_tender(
        &app.store,
        "ALPHA-2026-001",
        "alpha",
        commissioner.user.id,
        Some("gamma"),
        "2025-06-02",
    )
    .await;
    Fixture {
        app,
        commissioner,
        tender,
    }
}

store_test!(
    async fn a_notice_is_prepared_once_per_state_and_its_publication_recorded(store: Store) {
        let f = fixture(store).await;
        let app = &f.app;
        let auth = Auth::Bearer(&f.commissioner.token);
        let notices = format!("/api/v1/tenders/{}/notices", f.tender.id);
        let prepared = app
            .json(Method::POST, &notices, auth, json!({"step": "tender"}))
            .await;
        let prepared = answer(&prepared, StatusCode::OK);
        insta::assert_json_snapshot!("prepare_notice", prepared);
        // Nothing changed: the same notice, nothing written.
        let head = app.store.audit_head().await.unwrap();
        let again = app
            .json(Method::POST, &notices, auth, json!({"step": "tender"}))
            .await;
        assert_eq!(answer(&again, StatusCode::OK)["id"], prepared["id"]);
        assert_eq!(app.store.audit_head().await.unwrap(), head);

        let id = prepared["id"].as_i64().unwrap();
        let publication = format!("{notices}/{id}/publication");
        let tomorrow = (app.store.today() + chrono::Duration::days(1)).to_string();
        for (body, status, field) in [
            (
                json!({"platform_notice_id": "012345-2025", "published_on": tomorrow}),
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("published_on"),
            ),
            (
                json!({"platform_notice_id": " ", "published_on": "2025-06-03"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("platform_notice_id"),
            ),
            (
                json!({"platform_notice_id": "012345-2025", "published_on": "3 Nov"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("published_on"),
            ),
        ] {
            let r = app.json(Method::POST, &publication, auth, body).await;
            assert_eq!(r.status, status, "{}", r.body);
            assert_eq!(r.json()["error"]["field"].as_str(), field);
        }
        let unknown = app
            .json(
                Method::POST,
                &format!("{notices}/{}/publication", id + 1000),
                auth,
                json!({"platform_notice_id": "012345-2025", "published_on": "2025-06-03"}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
        assert_eq!(app.store.audit_head().await.unwrap(), head);

        let recorded = app
            .json(
                Method::POST,
                &publication,
                auth,
                json!({"platform_notice_id": "012345-2025", "published_on": "2025-06-03"}),
            )
            .await;
        insta::assert_json_snapshot!("record_publication", answer(&recorded, StatusCode::OK));
        let twice = app
            .json(
                Method::POST,
                &publication,
                auth,
                json!({"platform_notice_id": "012399-2025", "published_on": "2025-06-04"}),
            )
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
        assert!(twice.body.contains("012345-2025"), "{}", twice.body);

        // A planning notice is another notice; terminating needs a terminated tender.
        let planning = app
            .json(
                Method::POST,
                &notices,
                auth,
                json!({"step": "planning", "planning_notice": "market_engagement"}),
            )
            .await;
        let planning = answer(&planning, StatusCode::OK);
        assert_eq!(planning["notice_type"], "UK2");
        let terminate = app
            .json(Method::POST, &notices, auth, json!({"step": "termination"}))
            .await;
        assert_eq!(terminate.status, StatusCode::CONFLICT, "{}", terminate.body);
        let award = app
            .json(Method::POST, &notices, auth, json!({"step": "award"}))
            .await;
        assert_eq!(
            award.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            award.body
        );
        let listed = app.get(&notices, auth).await;
        let listed = answer(&listed, StatusCode::OK);
        let ids: Vec<&Value> = listed["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| &n["id"])
            .collect();
        assert_eq!(ids, [&prepared["id"], &planning["id"]]);
    }
);

store_test!(
    async fn the_notices_page_prepares_a_notice_and_records_its_publication(store: Store) {
        let f = fixture(store).await;
        let app = &f.app;
        let c = &f.commissioner;
        let session = Auth::Session {
            secret: &c.session,
            csrf: &c.csrf,
        };
        let page = format!("/procurement/tenders/{}/notices", f.tender.id);
        let empty = app.get(&page, session).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        assert!(empty.body.contains("id=\"no-notices\""), "{}", empty.body);

        let made = app
            .form(&page, session, &[("csrf", &c.csrf), ("notice", "tender")])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert_eq!(made.location(), Some(page.as_str()));
        let notice = app.store.releases_of_tender(f.tender.id).await.unwrap();
        assert_eq!(notice.len(), 1);
        let shown = app.get(&page, session).await;
        assert!(shown.body.contains("UK4: Tender notice"), "{}", shown.body);
        // The release as JSON, escaped in the page.
        assert!(
            shown.body.contains("&#34;noticeType&#34;: &#34;UK4&#34;"),
            "{}",
            shown.body
        );

        let action = format!("{page}/{}/publication", notice[0].id);
        let head = app.store.audit_head().await.unwrap();
        let refused = app
            .form(
                &action,
                session,
                &[
                    ("csrf", &c.csrf),
                    ("platform_notice_id", "012345-2025"),
                    ("published_on", "2999-01-01"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("id=\"form-error\""),
            "{}",
            refused.body
        );
        assert_eq!(app.store.audit_head().await.unwrap(), head);
        let recorded = app
            .form(
                &action,
                session,
                &[
                    ("csrf", &c.csrf),
                    ("platform_notice_id", "012345-2025"),
                    ("published_on", "2025-06-03"),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let shown = app.get(&page, session).await;
        assert!(
            shown
                .body
                .contains("Published 2025-06-03 as notice 012345-2025"),
            "{}",
            shown.body
        );
    }
);

store_test!(
    async fn a_step_stores_its_release_once_per_state_when_its_state_allows(store: Store) {
        let f = fixture(store).await;
        let s = &f.app.store;
        let t = f.tender.id;
        let first = store_release(s, t, Step::Tender).await.unwrap();
        let again = store_release(s, t, Step::Tender).await.unwrap();
        assert_eq!(again, first);
        assert_eq!(first.release["tender"]["documents"][0]["noticeType"], "UK4");
        assert_eq!(first.ocid, format!("ocds-ngc000-{t}"));
        let alpha_care = s.organisation_by_slug("alpha-care").await.unwrap().unwrap();
        let award = AwardFacts {
            id: "award-1".into(),
            lots: vec![1],
            suppliers: vec![alpha_care.id],
            value: Money::pence(1_150_000_000),
            vat_inclusive: false,
            status: AwardStatus::Pending,
            decided_at: Utc.with_ymd_and_hms(2030, 3, 2, 10, 0, 0).unwrap(),
            standstill: Some(StandstillDays {
                starts_on: "2030-03-04".parse().unwrap(),
                ends_on: "2030-03-13".parse().unwrap(),
            }),
            assessment_summaries_sent_at: Some(Utc.with_ymd_and_hms(2030, 3, 2, 15, 0, 0).unwrap()),
        };
        let head = s.audit_head().await.unwrap();
        let err = store_release(s, t, Step::Award(award.clone()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, UseCaseError::Conflict(ref m) if m.contains("draft")),
            "{err}"
        );
        let err = store_release(s, t, Step::Termination).await.unwrap_err();
        assert!(matches!(err, UseCaseError::Conflict(_)), "{err}");
        assert_eq!(s.audit_head().await.unwrap(), head);
        mark_published(s, t).await;
        let awarded = store_release(s, t, Step::Award(award.clone()))
            .await
            .unwrap();
        assert_eq!(awarded.tag, "award");
        assert_eq!(awarded.slot, "award:award-1");
        let a = &awarded.release["awards"][0];
        assert_eq!(a["documents"][0]["noticeType"], "UK6");
        assert_eq!(a["assessmentSummariesDateSent"], "2030-03-02T15:00:00Z");
        assert_eq!(a["standstillPeriod"]["endDate"], "2030-03-13T23:59:59Z");
        let final_award = AwardFacts {
            status: AwardStatus::Active,
            ..award
        };
        let updated = store_release(s, t, Step::Award(final_award)).await.unwrap();
        assert_eq!(updated.tag, "awardUpdate");
        assert_eq!(updated.release_id, format!("ocds-ngc000-{t}-award-2"));
        // Publishing the tender changed nothing its tender notice says.
        assert_eq!(store_release(s, t, Step::Tender).await.unwrap(), first);
    }
);

/// Records the publication of the release of `step` of tender `t`, made now.
async fn published_notice(store: &Store, t: i64, step: Step, notice_id: &str, on: &str) -> Release {
    let r = store_release(store, t, step).await.unwrap();
    store
        .record_publication(r.id, notice_id, on.parse().unwrap(), &Actor::system())
        .await
        .unwrap()
}

/// A path from a URL of the test app's publisher.
fn local(url: &Value) -> String {
    url.as_str()
        .unwrap()
        .strip_prefix("http://127.0.0.1:8080")
        .unwrap()
        .to_owned()
}

fn release_ids(package: &Value) -> Vec<String> {
    package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_valid(package: &Value) {
    let report = ocds::validate::validate_value("package", package);
    let errors: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.severity == ocds::validate::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Three tenders: alpha's joint tender with gamma (published, the Act), beta's 2016 tender
/// (published, PCR 2015) and alpha's draft.
struct Feed {
    app: TestApp,
    /// The user id of alpha's commissioner.
    joint_lead: i64,
    joint: Release,
    pcr: Release,
    draft_tender_notice: Release,
    draft_planning: Release,
}

async fn feed(store: Store) -> Feed {
    let app = TestApp::new(store).await;
    let alpha = app.user_for(Role::Commissioner).await.user.id;
    let beta = app
        .user("commissioner@beta.test", "beta", Role::Commissioner)
        .await
        .user
        .id;
    let s = &app.store;
    let joint = draft_tender(
        s,
        "ALPHA-2025-001",
        "alpha",
        alpha,
        Some("gamma"),
        "2025-06-02",
    )
    .await;
    let pcr = draft_tender(s, "BETA-2016-007", "beta", beta, None, "2016-03-01").await;
    let draft = draft_tender(s, "ALPHA-2025-002", "alpha", alpha, None, "2025-06-02").await;
    mark_published(s, joint.id).await;
    mark_published(s, pcr.id).await;
    let joint = published_notice(s, joint.id, Step::Tender, "001000-2025", "2025-06-03").await;
    let pcr = published_notice(s, pcr.id, Step::Tender, "2016/S 044-075000", "2016-03-04").await;
    let draft_tender_notice =
        published_notice(s, draft.id, Step::Tender, "001001-2025", "2025-06-10").await;
    let draft_planning = published_notice(
        s,
        draft.id,
        Step::Planning(PlanningNotice::PlannedProcurement),
        "001002-2025",
        "2025-06-12",
    )
    .await;
    // Made, never published: never public.
    store_release(
        s,
        joint.tender_id,
        Step::Planning(PlanningNotice::PlannedProcurement),
    )
    .await
    .unwrap();
    Feed {
        app,
        joint_lead: alpha,
        joint,
        pcr,
        draft_tender_notice,
        draft_planning,
    }
}

store_test!(
    async fn the_public_feed_is_published_notices_never_a_drafts_page_by_page(store: Store) {
        let f = feed(store).await;
        let app = &f.app;
        let all = app.get("/ocds/releases", Auth::None).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        assert_eq!(all.headers["content-type"], "application/json");
        let all = all.json();
        assert_eq!(
            release_ids(&all),
            [
                f.joint.release_id.clone(),
                f.pcr.release_id.clone(),
                f.draft_planning.release_id.clone()
            ]
        );
        assert!(!all.to_string().contains(&f.draft_tender_notice.release_id));
        assert_eq!(all["version"], "1.1");
        assert_eq!(all["uri"], "http://127.0.0.1:8080/ocds/releases");
        assert_eq!(all["extensions"].as_array().unwrap().len(), 7);
        assert!(all.get("links").is_none());
        // The PCR-era notice carries no UK notice type; the Act's does.
        assert_eq!(
            all["releases"][0]["tender"]["documents"][0]["noticeType"],
            "UK4"
        );
        assert!(
            all["releases"][1]["tender"]["documents"][0]
                .get("noticeType")
                .is_none()
        );
        assert_valid(&all);

        // Page by page, following links.next.
        let first = app.get("/ocds/releases?limit=2", Auth::None).await.json();
        assert_eq!(release_ids(&first).len(), 2);
        let next = local(&first["links"]["next"]);
        assert_eq!(next, "/ocds/releases?offset=2&limit=2");
        let second = app.get(&next, Auth::None).await.json();
        assert_eq!(
            release_ids(&second),
            vec![f.draft_planning.release_id.clone()]
        );
        assert!(second.get("links").is_none());

        // By buyer and by publication day.
        for (query, expected) in [
            ("buyer=gamma", vec![f.joint.release_id.clone()]),
            ("buyer=beta", vec![f.pcr.release_id.clone()]),
            (
                "since=2025-06-01&until=2025-06-11",
                vec![f.joint.release_id.clone()],
            ),
            (
                "since=2025-06-11",
                vec![f.draft_planning.release_id.clone()],
            ),
            ("until=2016-12-31", vec![f.pcr.release_id.clone()]),
        ] {
            let got = app
                .get(&format!("/ocds/releases?{query}"), Auth::None)
                .await;
            assert_eq!(got.status, StatusCode::OK, "{query}: {}", got.body);
            assert_eq!(release_ids(&got.json()), expected, "{query}");
        }
        let mut gamma = app
            .get("/ocds/releases?buyer=gamma", Auth::None)
            .await
            .json();
        redact(&mut gamma);
        insta::assert_json_snapshot!("feed_of_gamma", gamma);
        let unknown = app.get("/ocds/releases?buyer=nobody", Auth::None).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
        let bad = app.get("/ocds/releases?since=June", Auth::None).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(bad.json()["error"]["field"], "since");
    }
);

store_test!(
    async fn a_record_compiles_the_published_releases_of_its_process_only(store: Store) {
        let f = feed(store).await;
        let app = &f.app;
        let s = &app.store;
        let t = f.joint.tender_id;
        let supplier = s.organisation_by_slug("alpha-care").await.unwrap().unwrap();
        let award = AwardFacts {
            id: "award-1".into(),
            lots: vec![1],
            suppliers: vec![supplier.id],
            value: Money::pence(1_150_000_000),
            vat_inclusive: false,
            status: AwardStatus::Pending,
            decided_at: Utc.with_ymd_and_hms(2025, 8, 1, 10, 0, 0).unwrap(),
            standstill: Some(StandstillDays {
                starts_on: "2025-08-04".parse().unwrap(),
                ends_on: "2025-08-13".parse().unwrap(),
            }),
            assessment_summaries_sent_at: Some(Utc.with_ymd_and_hms(2025, 8, 1, 15, 0, 0).unwrap()),
        };
        let awarded = published_notice(s, t, Step::Award(award), "001500-2025", "2025-08-04").await;
        // Standstill under the Act runs from the recorded publication of the award notice.
        assert_eq!(
            ngc_app::ocds::award_notice_published_on(s, t, "award-1")
                .await
                .unwrap(),
            Some("2025-08-04".parse().unwrap())
        );
        assert_eq!(
            ngc_app::ocds::award_notice_published_on(s, t, "award-2")
                .await
                .unwrap(),
            None
        );
        let path = format!("/ocds/records/{}", f.joint.ocid);
        let reply = app.get(&path, Auth::None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.headers["content-type"], "application/json");
        let package = reply.json();
        assert_valid(&package);
        assert_eq!(package["uri"], format!("http://127.0.0.1:8080{path}"));
        let record = &package["records"][0];
        let ids: Vec<&Value> = record["releases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["id"])
            .collect();
        assert_eq!(
            ids,
            [&json!(f.joint.release_id), &json!(awarded.release_id)]
        );
        let compiled = &record["compiledRelease"];
        assert_eq!(compiled["tag"], json!(["compiled"]));
        assert_eq!(compiled["awards"][0]["documents"][0]["noticeType"], "UK6");
        assert_eq!(
            compiled["tender"]["documents"][0]["datePublished"],
            "2025-06-03T00:00:00Z"
        );
        let parties: Vec<&Value> = compiled["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["id"])
            .collect();
        assert_eq!(
            parties,
            [
                &json!("ngc-alpha"),
                &json!("ngc-gamma"),
                &json!("ngc-alpha-care")
            ]
        );
        let mut shown = package.clone();
        redact(&mut shown);
        insta::assert_json_snapshot!("record_of_the_joint_tender", shown);

        // The draft tender's record holds its public planning notice, never its tender notice.
        let draft = app
            .get(
                &format!("/ocds/records/{}", f.draft_planning.ocid),
                Auth::None,
            )
            .await
            .json();
        let ids: Vec<&Value> = draft["records"][0]["releases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["id"])
            .collect();
        assert_eq!(ids, [&json!(f.draft_planning.release_id)]);
        assert_eq!(
            draft["records"][0]["compiledRelease"]["tender"]["status"],
            "planned"
        );
        // A process with nothing published has no public record.
        let quiet = draft_tender(
            s,
            "ALPHA-2025-003",
            "alpha",
            f.joint_lead,
            None,
            "2025-06-02",
        )
        .await;
        mark_published(s, quiet.id).await;
        let unpublished = store_release(s, quiet.id, Step::Tender).await.unwrap();
        for missing in [unpublished.ocid, "ocds-ngc000-999".to_owned()] {
            let r = app
                .get(&format!("/ocds/records/{missing}"), Auth::None)
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}: {}", r.body);
            assert_eq!(r.json()["error"]["code"], "not_found");
        }
    }
);

store_test!(
    async fn a_published_uk6_carries_the_standstill_that_runs_from_its_publication(store: Store) {
        let app = TestApp::new(store).await;
        let lead = app.user_for(Role::Commissioner).await.user.id;
        let s = &app.store;
        let t = draft_tender(s, "ALPHA-2025-009", "alpha", lead, None, "2025-06-02").await;
        mark_published(s, t.id).await;
        let alpha_care = s.organisation_by_slug("alpha-care").await.unwrap().unwrap();
        let award = AwardFacts {
            id: "award-9".into(),
            lots: vec![1],
            suppliers: vec![alpha_care.id],
            value: Money::pence(1_150_000_000),
            vat_inclusive: false,
            status: AwardStatus::Pending,
            decided_at: Utc.with_ymd_and_hms(2025, 7, 1, 10, 0, 0).unwrap(),
            standstill: None,
            assessment_summaries_sent_at: None,
        };
        // Before publication the stored release has no standstill: it has not begun.
        let stored = store_release(s, t.id, Step::Award(award.clone()))
            .await
            .unwrap();
        assert!(stored.release["awards"][0]["standstillPeriod"].is_null());
        published_notice(s, t.id, Step::Award(award), "009999-2025", "2025-07-02").await;
        // Published on Wednesday 2 July 2025: eight working days beginning with that day
        // (PA2023 s51), to the end of Friday 11 July.
        let feed = app.get("/ocds/releases", Auth::None).await.json();
        let award = feed["releases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["tag"] == json!(["award"]))
            .unwrap()["awards"][0]
            .clone();
        assert_eq!(
            award["standstillPeriod"]["startDate"],
            "2025-07-02T00:00:00Z"
        );
        assert_eq!(award["standstillPeriod"]["endDate"], "2025-07-11T23:59:59Z");
    }
);
