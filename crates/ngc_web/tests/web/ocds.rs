//! Notices as OCDS: each step's release stored once per state, the officer's record of its
//! publication through the API and the page, and the public feed and records of published
//! notices only.

use super::support::{Auth, Reply, TestApp, TestUser};
use axum::http::{Method, StatusCode};
use chrono::{TimeZone, Utc};
use ngc_app::UseCaseError;
use ngc_app::ocds::{AwardFacts, AwardStatus, StandstillDays, Step, store_release};
use ngc_domain::Role;
use ngc_domain::money::Money;
use ngc_domain::procurement::{
    ClassificationScheme, CommencingEvent, ContractType, Procedure, Reservation,
};
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

/// Fields that change from run to run, redacted.
fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if matches!(key.as_str(), "date" | "released_at" | "publishedDate") {
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
