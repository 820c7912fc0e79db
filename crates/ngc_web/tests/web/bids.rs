//! Sealed bids through the API and the pages: each bad-input and security case of the
//! issue (late bid 409, another provider's bid 404, the buyer before the deadline 403, a
//! reserved tender 422 naming the condition, a tampered ciphertext refused naming the bid),
//! every read attempt audited, a copy of the database revealing no bid, and the documented
//! answers pinned by snapshots. The clock is moved with `Store::with_clock`.

use super::support::{Auth, Reply, TestApp, TestUser, session};
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use ngc_domain::Role;
use ngc_domain::money::Money;
use ngc_domain::procurement::{
    ClassificationScheme, CommencingEvent, ContractType, Procedure, Reservation,
};
use ngc_store::sealing::{BidKey, KeyRing, content_digest};
use ngc_store::tenders::{NewLot, NewTender, Tender};
use ngc_store::{Actor, BackendKind, Clock, Store, store_test};
use serde_json::{Value, json};

/// The bid key of every test app.
pub fn test_keys() -> KeyRing {
    KeyRing::single(BidKey::from_bytes([42; 32]))
}

/// A published tender of `lead` (a council slug), led by the user `lead_user`, with two
/// lots (North, South), closing at `deadline`, reserved as asked. Publishing is the tenders
/// use case's; here the status is set behind the store's back.
pub async fn tender(
    store: &Store,
    reference: &str,
    lead: &str,
    lead_user: i64,
    deadline: DateTime<Utc>,
    reservation: Reservation,
) -> Tender {
    let lot = |title: &str| NewLot {
        title: title.into(),
        description: String::new(),
        estimated_value: Money::pounds(100_000),
        criteria: None,
    };
    let new = NewTender {
        reference: reference.into(),
        lead_organisation: lead.into(),
        procurement_lead_id: lead_user,
        title: format!("Waste collection {reference}"),
        description: String::new(),
        classification_scheme: ClassificationScheme::Cpv,
        classification_code: "90511000-2".into(),
        contract_type: ContractType::Services,
        procedure: Procedure::Open,
        commencing_event: CommencingEvent::ContractNotice,
        commenced_on: "2026-11-14".parse().unwrap(),
        estimated_value: Money::pounds(200_000),
        vat_inclusive: false,
        above_threshold: false,
        reservation,
        two_envelope: false,
        criteria: json!({}),
        clarification_deadline: None,
        submission_deadline: deadline,
        buyers: vec![(lead.into(), rust_decimal::Decimal::ONE_HUNDRED)],
        lots: vec![lot("North"), lot("South")],
    };
    let t = store.create_tender(&new, &Actor::system()).await.unwrap();
    store
        .execute_raw(&format!(
            "UPDATE tenders SET status = 'published' WHERE id = {}",
            t.id
        ))
        .await
        .unwrap();
    store.must_find_tender(t.id).await.unwrap()
}

/// Puts a user on a tender's panel with a declaration of no conflict. Declarations are the
/// evaluation use case's; here the row is set behind the store's back.
pub async fn clear_for_panel(store: &Store, tender_id: i64, user_id: i64) {
    store
        .assign_panel_member(tender_id, user_id, &Actor::system())
        .await
        .unwrap();
    store
        .execute_raw(&format!(
            "UPDATE tender_panel SET conflict = FALSE, declared_at = '2026-01-01T00:00:00Z', \
             declaration = 'none' WHERE tender_id = {tender_id} AND user_id = {user_id}"
        ))
        .await
        .unwrap();
}

/// The store on the day before `deadline`'s date (so before it, whatever the time of day).
pub fn before(store: &Store, deadline: DateTime<Utc>) -> Store {
    store
        .clone()
        .with_clock(Clock::on(deadline.date_naive() - Duration::days(1)))
}

/// The store on the day after `deadline`'s date: the deadline has passed.
pub fn after(store: &Store, deadline: DateTime<Utc>) -> Store {
    store
        .clone()
        .with_clock(Clock::on(deadline.date_naive() + Duration::days(1)))
}

/// The midnight (UTC) that begins today: a deadline already past by the system clock.
pub fn midnight_today() -> DateTime<Utc> {
    Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

/// A bid body.
pub fn bid_body(price: &str, answer: &str) -> Value {
    json!({
        "lots": [{"lot": "1", "price": price}, {"lot": "South", "price": "50000.00"}],
        "answers": [{"question": "Social value", "text": answer}],
        "attachments": [{"name": "method.txt", "content_base64": "TWV0aG9kIHN0YXRlbWVudA=="}],
    })
}

/// A provider organisation and a user of it.
pub async fn provider(app: &TestApp, slug: &str) -> TestUser {
    if app
        .store
        .organisation_by_slug(slug)
        .await
        .unwrap()
        .is_none()
    {
        let draft = ngc_domain::organisation::OrganisationDraft {
            slug: ngc_domain::slug::Slug::parse(slug).unwrap(),
            name: format!("{slug} Ltd"),
            kind: ngc_domain::organisation::OrgKind::Provider,
            legal_form: ngc_domain::organisation::LegalForm::CompanyLimitedByShares,
            sme: false,
            vcse: false,
            public_service_mutual: false,
            identifiers: vec![],
            owner: None,
        };
        app.store
            .create_organisation(&draft, &Actor::system())
            .await
            .unwrap();
    }
    app.user(&format!("bids@{slug}.test"), slug, Role::Provider)
        .await
}

/// A commissioner of `org` (the lead of that council's tenders).
pub async fn commissioner(app: &TestApp, org: &str) -> TestUser {
    app.user(&format!("lead@{org}.test"), org, Role::Commissioner)
        .await
}

/// Times change from run to run: `server_time` and every field named `…_at` show `[time]`.
fn redact_times(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if (key == "server_time" || key.ends_with("_at")) && !v.is_null() {
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

fn message(r: &Reply) -> String {
    r.json()["error"]["message"].as_str().unwrap().to_owned()
}

fn show(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The audit actions after `seq`, oldest first.
async fn audit_since(store: &Store, seq: i64) -> Vec<(String, String, Value)> {
    let mut out: Vec<_> = store
        .audit_page(None, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.record.seq > seq)
        .map(|e| (e.record.action, e.record.entity_id, e.record.change))
        .collect();
    out.reverse();
    out
}

/// The user signed in afresh on `app` (whose clock may run days past their session's end).
async fn signed_in_on(app: &TestApp, u: &TestUser) -> TestUser {
    let s = app.store.create_session(&u.user).await.unwrap();
    TestUser {
        session: s.secret,
        csrf: s.csrf_token,
        ..u.clone()
    }
}

/// An app whose clock reads the day after `deadline`.
fn later(app: &TestApp, deadline: DateTime<Utc>) -> TestApp {
    app.reconfigured(after(&app.store, deadline), Default::default())
}

/// The fields of the bid form for `body`-like content with this price and answer.
fn form_fields<'a>(user: &'a TestUser, price: &'a str, answer: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", user.csrf.as_str()),
        ("price_1", price),
        ("price_2", ""),
        ("question_1", "Social value"),
        ("answer_1", answer),
        ("question_2", ""),
        ("answer_2", ""),
    ]
}

store_test!(
    async fn a_provider_submits_replaces_and_withdraws_with_verifiable_receipts(store: Store) {
        let app = TestApp::new(store).await;
        let lead = commissioner(&app, "alpha").await;
        let p = app.user_for(Role::Provider).await;
        let deadline = Utc::now() + Duration::days(3);
        let t = tender(
            &app.store,
            "T-1",
            "alpha",
            lead.user.id,
            deadline,
            Reservation::None,
        )
        .await;
        let as_p = Auth::Bearer(&p.token);

        let sent = bid_body("123456.78", "Apprentices");
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", t.id),
                as_p,
                sent.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let receipt = r.json();
        let first = receipt["bid_id"].as_i64().unwrap();
        assert_eq!(receipt["tender_id"], json!(t.id));
        assert_eq!(
            receipt["content_sha256"],
            json!(content_digest(&sent).unwrap().sha256_hex),
            "the receipt is the SHA-256 of the body's RFC 8785 form"
        );
        let server_time: DateTime<Utc> = receipt["server_time"].as_str().unwrap().parse().unwrap();
        assert!(
            server_time <= app.store.now() && server_time > app.store.now() - Duration::minutes(1)
        );
        // The same body with its members in another order has the same receipt.
        let reordered: Value = serde_json::from_str(
            r#"{"attachments":[{"content_base64":"TWV0aG9kIHN0YXRlbWVudA==","name":"method.txt"}],
                "answers":[{"text":"Apprentices","question":"Social value"}],
                "lots":[{"price":"123456.78","lot":"1"},{"price":"50000.00","lot":"South"}]}"#,
        )
        .unwrap();
        assert_eq!(
            receipt["content_sha256"],
            json!(content_digest(&reordered).unwrap().sha256_hex)
        );

        // Submitting again is a conflict: replace instead.
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", t.id),
                as_p,
                sent.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        let replacement = bid_body("120000.00", "Apprentices and local jobs");
        let r = app
            .json(
                Method::PUT,
                &format!("/api/v1/bids/{first}"),
                as_p,
                replacement.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let second = r.json()["bid_id"].as_i64().unwrap();
        assert_ne!(second, first);
        assert_eq!(r.json()["replaces_id"], json!(first));
        assert_eq!(
            r.json()["content_sha256"],
            json!(content_digest(&replacement).unwrap().sha256_hex)
        );

        let r = app
            .get(&format!("/api/v1/tenders/{}/bids", t.id), as_p)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let statuses: Vec<(i64, String)> = r.json()["bids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["id"].as_i64().unwrap(),
                    b["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            statuses,
            [(first, "replaced".into()), (second, "active".into())]
        );

        let r = app
            .call(
                Method::DELETE,
                &format!("/api/v1/bids/{second}"),
                as_p,
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], json!("withdrawn"));

        // The pages: submit, see the receipt, replace, withdraw, list.
        let page = format!("/procurement/tenders/{}/bid", t.id);
        let r = app.get(&page, session(&p)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Submit a bid"), "{}", r.body);
        let r = app
            .form(&page, session(&p), &form_fields(&p, "99.50", "Jobs"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), Some(page.as_str()));
        let mine = app.store.bids_of_tender(t.id).await.unwrap();
        let third = mine.last().unwrap().clone();
        let expected = json!({"lots": [{"lot": "1", "price": "99.50"}], "answers": [{"question": "Social value", "text": "Jobs"}]});
        assert_eq!(
            third.content_sha256,
            content_digest(&expected).unwrap().sha256_hex
        );
        let r = app.get(&page, session(&p)).await;
        assert!(
            r.body.contains(&third.content_sha256),
            "the page shows the receipt"
        );
        assert!(r.body.contains("Replace your bid"));
        let r = app
            .form(
                &format!("/procurement/bids/{}/replace", third.id),
                session(&p),
                &form_fields(&p, "98.00", "Jobs"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let fourth = app
            .store
            .bids_of_tender(t.id)
            .await
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(fourth.replaces_id, Some(third.id));
        let r = app
            .form(
                &format!("/procurement/bids/{}/withdraw", fourth.id),
                session(&p),
                &[("csrf", p.csrf.as_str())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            app.store.bid(fourth.id).await.unwrap().unwrap().status,
            ngc_domain::procurement::bid::BidStatus::Withdrawn
        );
        let r = app.get("/procurement/bids", session(&p)).await;
        assert_eq!(r.status, StatusCode::OK);
        for b in app.store.bids_of_tender(t.id).await.unwrap() {
            assert!(
                r.body.contains(&b.content_sha256),
                "my bids list bid {}",
                b.id
            );
        }
        // A wrong price is named, on the API and on the page, and changes nothing.
        let head = app.store.audit_head().await.unwrap();
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", t.id),
                as_p,
                json!({"lots": [{"lot": "1", "price": "10.001"}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], json!("lots[0].price"));
        let r = app
            .form(&page, session(&p), &form_fields(&p, "10.001", "x"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("10.001"), "the form keeps what was typed");
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", t.id),
                as_p,
                json!({"lots": [{"lot": "East", "price": "10.00"}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            message(&r),
            "tender T-1 has no lot `East`: its lots are 1 (North), 2 (South)"
        );
        assert_eq!(app.store.audit_head().await.unwrap(), head);
    }
);

store_test!(
    async fn a_late_bid_is_refused_with_409_stating_the_deadline(store: Store) {
        let app = TestApp::new(store).await;
        let lead = commissioner(&app, "alpha").await;
        let p = app.user_for(Role::Provider).await;
        let deadline = Utc::now() + Duration::days(3);
        let t = tender(
            &app.store,
            "T-1",
            "alpha",
            lead.user.id,
            deadline,
            Reservation::None,
        )
        .await;
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", t.id),
                Auth::Bearer(&p.token),
                bid_body("10.00", "on time"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let on_time = r.json()["bid_id"].as_i64().unwrap();

        let late = later(&app, deadline);
        let p_late = signed_in_on(&late, &p).await;
        let head = app.store.audit_head().await.unwrap();
        let bids = app.store.bids_of_tender(t.id).await.unwrap();
        let r = late
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", t.id),
                Auth::Bearer(&p.token),
                bid_body("9.00", "late"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            message(&r).contains(&format!(
                "the submission deadline, {}, has passed",
                show(t.submission_deadline)
            )),
            "{}",
            r.body
        );
        let r = late
            .json(
                Method::PUT,
                &format!("/api/v1/bids/{on_time}"),
                Auth::Bearer(&p.token),
                bid_body("9.00", "late"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = late
            .call(
                Method::DELETE,
                &format!("/api/v1/bids/{on_time}"),
                Auth::Bearer(&p.token),
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = late
            .form(
                &format!("/procurement/tenders/{}/bid", t.id),
                session(&p_late),
                &form_fields(&p_late, "9.00", "late"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains(&show(t.submission_deadline)), "{}", r.body);
        let r = late
            .get(
                &format!("/procurement/tenders/{}/bid", t.id),
                session(&p_late),
            )
            .await;
        assert!(r.body.contains("takes no bids now"), "{}", r.body);
        assert_eq!(app.store.audit_head().await.unwrap(), head);
        assert_eq!(app.store.bids_of_tender(t.id).await.unwrap(), bids);
    }
);

/// A tender of alpha led by its commissioner, with a bid from alpha-care and one from a
/// rival, closing in three days; the alpha evaluator is on the panel, cleared.
struct Sealed {
    app: TestApp,
    tender: Tender,
    lead: TestUser,
    evaluator: TestUser,
    provider: TestUser,
    rival: TestUser,
    own_bid: i64,
    rival_bid: i64,
    sent: Value,
}

async fn sealed(store: Store) -> Sealed {
    let app = TestApp::new(store).await;
    let lead = commissioner(&app, "alpha").await;
    let evaluator = app.user_for(Role::Evaluator).await;
    let p = app.user_for(Role::Provider).await;
    let rival = provider(&app, "rival-care").await;
    let deadline = Utc::now() + Duration::days(3);
    let t = tender(
        &app.store,
        "T-1",
        "alpha",
        lead.user.id,
        deadline,
        Reservation::None,
    )
    .await;
    clear_for_panel(&app.store, t.id, evaluator.user.id).await;
    let sent = bid_body("123456.78", "Apprentices in Corby");
    let mut ids = Vec::new();
    for (u, b) in [
        (&p, sent.clone()),
        (&rival, bid_body("130000.00", "Rival answer")),
    ] {
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", t.id),
                Auth::Bearer(&u.token),
                b,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["bid_id"].as_i64().unwrap());
    }
    Sealed {
        app,
        tender: t,
        lead,
        evaluator,
        provider: p,
        rival,
        own_bid: ids[0],
        rival_bid: ids[1],
        sent,
    }
}

store_test!(
    async fn another_providers_bid_is_not_found_before_or_after_the_deadline(store: Store) {
        let s = sealed(store).await;
        let late = later(&s.app, s.tender.submission_deadline);
        for app in [&s.app, &late] {
            let provider = signed_in_on(app, &s.provider).await;
            let head = app.store.audit_head().await.unwrap().0;
            let r = app
                .get(
                    &format!("/api/v1/bids/{}", s.rival_bid),
                    Auth::Bearer(&s.provider.token),
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
            assert_eq!(message(&r), format!("bid {} not found", s.rival_bid));
            let r = app
                .get(
                    &format!("/procurement/bids/{}", s.rival_bid),
                    session(&provider),
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
            assert!(!r.body.contains("Rival answer"));
            // Changing it is "not found" too, and the list holds only the provider's own bid.
            let r = app
                .json(
                    Method::PUT,
                    &format!("/api/v1/bids/{}", s.rival_bid),
                    Auth::Bearer(&s.provider.token),
                    bid_body("1.00", "x"),
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
            let r = app
                .get(
                    &format!("/api/v1/tenders/{}/bids", s.tender.id),
                    Auth::Bearer(&s.provider.token),
                )
                .await;
            let ids: Vec<i64> = r.json()["bids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["id"].as_i64().unwrap())
                .collect();
            assert_eq!(ids, [s.own_bid]);
            let audited = audit_since(&app.store, head).await;
            let refusals: Vec<_> = audited
                .iter()
                .filter(|(a, id, _)| a == "bid.read_refused" && *id == s.rival_bid.to_string())
                .collect();
            assert_eq!(refusals.len(), 2, "{audited:?}");
            assert_eq!(refusals[0].2["reason"], json!("another provider's bid"));
        }
        // Nor does the bidder read its own bid back (its receipt is in its list).
        let r = late
            .get(
                &format!("/api/v1/bids/{}", s.own_bid),
                Auth::Bearer(&s.provider.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let _ = &s.rival;
    }
);

store_test!(
    async fn nobody_reads_a_bid_before_the_deadline_the_buyer_gets_403_stating_it(store: Store) {
        let s = sealed(store).await;
        let admin = s.app.user_for(Role::OrgAdmin).await;
        let instance = s.app.user_for(Role::InstanceAdmin).await;
        let deadline = show(s.tender.submission_deadline);
        let head = s.app.store.audit_head().await.unwrap().0;
        for u in [&s.lead, &s.evaluator, &admin, &instance, &s.provider] {
            let r = s
                .app
                .get(
                    &format!("/api/v1/bids/{}", s.own_bid),
                    Auth::Bearer(&u.token),
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{}: {}",
                u.user.email,
                r.body
            );
            assert_eq!(
                message(&r),
                format!(
                    "bid {}: bids are sealed until the submission deadline, {deadline}: nobody may read a bid before it, the buyer and administrators included",
                    s.own_bid
                )
            );
            let r = s
                .app
                .get(&format!("/procurement/bids/{}", s.own_bid), session(u))
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", u.user.email);
            assert!(r.body.contains(&deadline), "{}", r.body);
            assert!(!r.body.contains("123456.78") && !r.body.contains("Apprentices"));
        }
        let r = s
            .app
            .get(
                &format!("/api/v1/tenders/{}/bids", s.tender.id),
                Auth::Bearer(&s.lead.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(message(&r).contains(&deadline));
        // Ten attempts, ten refusals on the audit trail, each naming the deadline.
        let audited = audit_since(&s.app.store, head).await;
        assert_eq!(audited.len(), 10, "{audited:?}");
        assert!(audited.iter().all(|(a, id, c)| a == "bid.read_refused"
            && *id == s.own_bid.to_string()
            && c["reason"].as_str().unwrap().contains(&deadline)));
    }
);

store_test!(
    async fn only_the_lead_and_the_cleared_panel_read_after_the_deadline(store: Store) {
        let s = sealed(store).await;
        let late = later(&s.app, s.tender.submission_deadline);
        let undeclared = s
            .app
            .user("eval2@alpha.test", "alpha", Role::Evaluator)
            .await;
        s.app
            .store
            .assign_panel_member(s.tender.id, undeclared.user.id, &Actor::system())
            .await
            .unwrap();
        let finance = s.app.user_for(Role::Finance).await;
        let lead = signed_in_on(&late, &s.lead).await;
        let evaluator = signed_in_on(&late, &s.evaluator).await;
        let head = s.app.store.audit_head().await.unwrap().0;
        for u in [&lead, &evaluator] {
            let r = late
                .get(
                    &format!("/api/v1/bids/{}", s.own_bid),
                    Auth::Bearer(&u.token),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}: {}", u.user.email, r.body);
            assert_eq!(r.json()["content"], s.sent);
            assert_eq!(
                r.json()["bid"]["content_sha256"],
                json!(content_digest(&s.sent).unwrap().sha256_hex)
            );
            let r = late
                .get(&format!("/procurement/bids/{}", s.own_bid), session(u))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert!(
                r.body.contains("£123,456.78") && r.body.contains("Apprentices in Corby"),
                "{}",
                r.body
            );
            assert!(r.body.contains("Lot 2: South"), "{}", r.body);
            let r = late
                .get(
                    &format!("/api/v1/tenders/{}/bids", s.tender.id),
                    Auth::Bearer(&u.token),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert_eq!(r.json()["bids"].as_array().unwrap().len(), 2);
        }
        for u in [&undeclared, &finance] {
            let r = late
                .get(
                    &format!("/api/v1/bids/{}", s.own_bid),
                    Auth::Bearer(&u.token),
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{}: {}",
                u.user.email,
                r.body
            );
        }
        let r = late
            .get("/api/v1/bids/999999", Auth::Bearer(&s.lead.token))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let audited: Vec<(String, String)> = audit_since(&s.app.store, head)
            .await
            .into_iter()
            .map(|(a, id, _)| (a, id))
            .collect();
        let own = s.own_bid.to_string();
        let read = ("bid.read".to_owned(), own.clone());
        let refused = ("bid.read_refused".to_owned(), own.clone());
        assert_eq!(
            audited,
            [
                read.clone(),
                read.clone(),
                read.clone(),
                read.clone(),
                refused.clone(),
                refused,
                ("bid.read_refused".to_owned(), "999999".to_owned()),
            ]
        );
    }
);

store_test!(
    async fn a_reserved_tender_refuses_an_unqualified_bidder_naming_the_condition(store: Store) {
        let app = TestApp::new(store).await;
        let lead = commissioner(&app, "alpha").await;
        let p = app.user_for(Role::Provider).await;
        let deadline = Utc::now() + Duration::days(3);
        let cases = [
            (
                Reservation::Mutual,
                "the tender is reserved for public service mutuals (PA2023 s33): Alpha Care Ltd is not registered as a public service mutual",
            ),
            (
                Reservation::SmeVcse,
                "the tender is reserved for SMEs and VCSEs: Alpha Care Ltd is registered as neither an SME nor a VCSE",
            ),
            (
                Reservation::Local,
                "the tender is reserved for UK or local suppliers: Alpha Care Ltd has no UK registration identifier (Companies House, Charity Commission, Mutuals Public Register…) on its registration",
            ),
        ];
        let head = app.store.audit_head().await.unwrap();
        let mut tenders = Vec::new();
        for (i, (reservation, condition)) in cases.iter().enumerate() {
            let t = tender(
                &app.store,
                &format!("R-{i}"),
                "alpha",
                lead.user.id,
                deadline,
                *reservation,
            )
            .await;
            let head = app.store.audit_head().await.unwrap();
            let r = app
                .json(
                    Method::POST,
                    &format!("/api/v1/tenders/{}/bids", t.id),
                    Auth::Bearer(&p.token),
                    bid_body("10.00", "x"),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert_eq!(r.json()["error"]["field"], json!("reservation"));
            assert_eq!(message(&r), *condition);
            let r = app
                .form(
                    &format!("/procurement/tenders/{}/bid", t.id),
                    session(&p),
                    &form_fields(&p, "10.00", "x"),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                r.body.contains(&condition.replace('\'', "&#x27;")) || r.body.contains(*condition),
                "{}",
                r.body
            );
            assert_eq!(app.store.audit_head().await.unwrap(), head);
            assert!(app.store.bids_of_tender(t.id).await.unwrap().is_empty());
            tenders.push(t);
        }
        let _ = head;
        // Registered as a mutual, an SME and with a Companies House number, it may bid for all three.
        let mut care = app
            .store
            .organisation_by_slug("alpha-care")
            .await
            .unwrap()
            .unwrap();
        care.public_service_mutual = true;
        care.sme = true;
        let draft = ngc_domain::organisation::OrganisationDraft {
            slug: ngc_domain::slug::Slug::parse("alpha-care").unwrap(),
            name: care.name.clone(),
            kind: care.kind,
            legal_form: care.legal_form,
            sme: true,
            vcse: false,
            public_service_mutual: true,
            identifiers: vec!["GB-COH-01234567".parse().unwrap()],
            owner: Some(ngc_domain::slug::Slug::parse("alpha").unwrap()),
        };
        app.store
            .update_organisation("alpha-care", &draft, &Actor::system())
            .await
            .unwrap();
        for t in &tenders {
            let r = app
                .json(
                    Method::POST,
                    &format!("/api/v1/tenders/{}/bids", t.id),
                    Auth::Bearer(&p.token),
                    bid_body("10.00", "x"),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
    }
);

store_test!(
    async fn a_tampered_ciphertext_is_refused_on_read_naming_the_bid_and_audited(store: Store) {
        let s = sealed(store).await;
        s.app
            .store
            .execute_raw(&format!(
                "UPDATE bids SET ciphertext = (SELECT ciphertext FROM bids WHERE id = {}) WHERE id = {}",
                s.rival_bid, s.own_bid
            ))
            .await
            .unwrap();
        let late = later(&s.app, s.tender.submission_deadline);
        let lead = signed_in_on(&late, &s.lead).await;
        let head = s.app.store.audit_head().await.unwrap().0;
        let refusal = format!(
            "bid {}: its sealed content failed authentication (tampered, or sealed with another key); refused",
            s.own_bid
        );
        let r = late
            .get(
                &format!("/api/v1/bids/{}", s.own_bid),
                Auth::Bearer(&s.lead.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(message(&r), refusal);
        let r = late
            .get(&format!("/procurement/bids/{}", s.own_bid), session(&lead))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains(&format!("bid {}", s.own_bid)), "{}", r.body);
        let audited = audit_since(&s.app.store, head).await;
        assert_eq!(audited.len(), 2);
        for (action, id, change) in audited {
            assert_eq!(
                (action.as_str(), id),
                ("bid.read_refused", s.own_bid.to_string())
            );
            assert_eq!(change["reason"], json!(refusal));
        }
        // The untouched bid still opens.
        let r = late
            .get(
                &format!("/api/v1/bids/{}", s.rival_bid),
                Auth::Bearer(&s.lead.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
);

store_test!(
    async fn a_copy_of_the_database_alone_reveals_no_bid(store: Store) {
        if store.kind() != BackendKind::Sqlite {
            return; // A copy of PostgreSQL is pg_dump's; the SQLite file is what gets copied.
        }
        let s = sealed(store).await;
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("copy.db");
        s.app.store.backup_to(&copy).await.unwrap();
        let bytes = std::fs::read(&copy).unwrap();
        let found = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        let receipt = content_digest(&s.sent).unwrap().sha256_hex;
        assert!(
            found(&receipt) && found("rival-care"),
            "the copy holds the bids' metadata"
        );
        for secret in [
            "123456.78",
            "130000.00",
            "Apprentices in Corby",
            "Rival answer",
            "Social value",
            "TWV0aG9kIHN0YXRlbWVudA",
        ] {
            assert!(
                !found(secret),
                "`{secret}` is readable in a copy of the database"
            );
        }
    }
);

store_test!(
    async fn the_bid_routes_answer_as_documented(store: Store) {
        let s = sealed(store).await;
        let as_p = Auth::Bearer(&s.provider.token);
        let redactions = redact_times;
        let r = s
            .app
            .get(&format!("/api/v1/tenders/{}/bids", s.tender.id), as_p)
            .await;
        let mut listed = r.json();
        redactions(&mut listed);
        insta::assert_json_snapshot!("list_bids", listed, {".bids[].id" => "[id]", ".bids[].tender_id" => "[id]"});
        let r = s
            .app
            .json(
                Method::PUT,
                &format!("/api/v1/bids/{}", s.own_bid),
                as_p,
                bid_body("100.00", "Replaced"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let mut replaced = r.json();
        let new_id = replaced["bid_id"].as_i64().unwrap();
        redactions(&mut replaced);
        insta::assert_json_snapshot!("replace_bid", replaced, {".bid_id" => "[id]", ".tender_id" => "[id]", ".replaces_id" => "[id]"});
        let late = later(&s.app, s.tender.submission_deadline);
        let r = late
            .get(
                &format!("/api/v1/bids/{new_id}"),
                Auth::Bearer(&s.lead.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let mut opened = r.json();
        redactions(&mut opened);
        insta::assert_json_snapshot!("find_bid", opened, {".bid.id" => "[id]", ".bid.tender_id" => "[id]", ".bid.replaces_id" => "[id]"});
        let r = s
            .app
            .call(
                Method::DELETE,
                &format!("/api/v1/bids/{new_id}"),
                as_p,
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let mut withdrawn = r.json();
        redactions(&mut withdrawn);
        insta::assert_json_snapshot!("withdraw_bid", withdrawn, {".id" => "[id]", ".tender_id" => "[id]", ".replaces_id" => "[id]"});
        let r = s
            .app
            .json(
                Method::POST,
                &format!("/api/v1/tenders/{}/bids", s.tender.id),
                as_p,
                bid_body("101.00", "Again"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let mut created = r.json();
        redactions(&mut created);
        insta::assert_json_snapshot!("create_bid", created, {".bid_id" => "[id]", ".tender_id" => "[id]"});
        let _ = (&s.evaluator, &s.rival, s.rival_bid);
    }
);
