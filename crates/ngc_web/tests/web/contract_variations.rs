//! Contract variations through the API and the page: a permitted variation changes the
//! contract's current value and end and says which notice it needs; one over the 50% cap
//! (PCR 2015 reg 72) or a substantial one (PA2023 s74(3)) is refused naming the provision,
//! as is a variation on an expired contract (naming its end date), each leaving the database
//! as it was; a provider and another council cannot vary; a contract from an award makes its
//! contract change (UK10) and termination (UK11) releases on the procurement's ocid, public
//! once published; a termination is reversed through the change rules. The server's date is
//! fixed with `Store::with_clock`.

use super::support::{Auth, Reply, TestApp, TestUser, bearer, session};
use axum::http::{Method, StatusCode};
use chrono::{TimeZone, Utc};
use ngc_domain::Role;
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::procurement::{ContractType, Regime, Reservation};
use ngc_store::contracts::NewContract;
use ngc_store::{Actor, Clock, Store, store_test};
use serde_json::{Value, json};

struct Fixture {
    app: TestApp,
    commissioner: TestUser,
    /// alpha-care's staff: the supplier of `contract`.
    provider: TestUser,
    /// alpha's £900,000 contract with alpha-care, April 2016 to March 2019 (PCR 2015),
    /// entered by hand.
    contract: i64,
}

/// The test app on `today`, with alpha's contract entered through the API.
async fn fixture(store: Store, today: &str) -> Fixture {
    let app = TestApp::new(store.with_clock(Clock::on(today.parse().unwrap()))).await;
    let commissioner = app.user_for(Role::Commissioner).await;
    let provider = app.user_for(Role::Provider).await;
    let r = app
        .json(
            Method::POST,
            "/api/v1/organisations/alpha/contracts",
            bearer(&commissioner),
            json!({"reference": "ACC-1", "title": "Domiciliary care", "supplier": "alpha-care",
                   "value": "900000.00", "starts_on": "2016-04-01", "ends_on": "2019-03-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    Fixture {
        contract: r.json()["id"].as_i64().unwrap(),
        app,
        commissioner,
        provider,
    }
}

async fn vary(app: &TestApp, who: &TestUser, contract: i64, body: Value) -> Reply {
    app.json(
        Method::POST,
        &format!("/api/v1/contracts/{contract}/variations"),
        bearer(who),
        body,
    )
    .await
}

async fn terminate(app: &TestApp, who: &TestUser, contract: i64, body: Value) -> Reply {
    app.json(
        Method::POST,
        &format!("/api/v1/contracts/{contract}/termination"),
        bearer(who),
        body,
    )
    .await
}

/// Everything a refused write could touch: the audit head, the contract, its variations and
/// its revisions, and the releases.
async fn state(store: &Store, contract: i64) -> String {
    let c = store.contract(contract).await.unwrap().unwrap();
    let releases = match c.tender_id {
        Some(t) => format!("{:?}", store.releases_of_tender(t).await.unwrap()),
        None => String::new(),
    };
    format!(
        "{:?}\n{c:?}\n{:?}\n{:?}\n{releases}",
        store.audit_head().await.unwrap(),
        store.contract_variations(contract).await.unwrap(),
        store.contract_revisions(contract).await.unwrap()
    )
}

/// The fields `keys` of `v`, as an object.
fn pick(v: &Value, keys: &[&str]) -> Value {
    Value::Object(
        keys.iter()
            .map(|k| ((*k).to_owned(), v[*k].clone()))
            .collect(),
    )
}

fn error(r: &Reply) -> (String, String) {
    let e = &r.json()["error"];
    (
        e["field"].as_str().unwrap_or_default().to_owned(),
        e["message"].as_str().unwrap_or_default().to_owned(),
    )
}

store_test!(
    async fn a_permitted_variation_changes_the_value_and_end_and_names_its_notice(store: Store) {
        let f = fixture(store, "2017-06-01").await;
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pcr_additional", "description": "Two more care rounds",
                   "value_change": "90000.00", "new_end_date": "2019-09-30"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v = &r.json()["variation"];
        assert_eq!(
            pick(
                v,
                &[
                    "seq",
                    "kind",
                    "ground",
                    "value_change",
                    "value_before",
                    "value_after",
                    "end_date_before",
                    "new_end_date",
                    "cumulative_change",
                    "cumulative_change_percent",
                    "notice",
                    "notice_type",
                    "release_id",
                    "ocid"
                ]
            ),
            json!({"seq": 1, "kind": "variation", "ground": "pcr_additional",
                   "value_change": "90000.00", "value_before": "900000.00",
                   "value_after": "990000.00", "end_date_before": "2019-03-31",
                   "new_end_date": "2019-09-30", "cumulative_change": "90000.00",
                   "cumulative_change_percent": "10.00",
                   "notice": "Modification notice, PCR 2015 reg 72(3)",
                   "notice_type": "modification_notice", "release_id": null, "ocid": null})
        );
        assert!(
            v["notice_reason"]
                .as_str()
                .unwrap()
                .starts_with("PCR 2015 reg 72(3): a contract modified under PCR 2015 reg 72(1)(b)"),
            "{v}"
        );
        let c = &r.json()["contract"];
        assert_eq!(
            (
                &c["value"],
                &c["end_date"],
                &c["original_value"],
                &c["original_end_date"]
            ),
            (
                &json!("990000.00"),
                &json!("2019-09-30"),
                &json!("900000.00"),
                &json!("2019-03-31")
            )
        );
        // A reduction by the de minimis route needs no notice; the cumulative change is
        // against the original value.
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pcr_de_minimis", "description": "One round fewer",
                   "value_change": "-45000.00"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v = &r.json()["variation"];
        assert_eq!(
            (
                &v["seq"],
                &v["cumulative_change"],
                &v["cumulative_change_percent"],
                &v["notice"]
            ),
            (&json!(2), &json!("45000.00"), &json!("5.00"), &Value::Null)
        );
        // Both are listed, to the supplier too; the old versions are kept.
        let list = f
            .app
            .get(
                &format!("/api/v1/contracts/{}/variations", f.contract),
                bearer(&f.provider),
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let list = list.json();
        assert_eq!(
            (&list["value"], &list["original_value"], &list["end_date"]),
            (
                &json!("945000.00"),
                &json!("900000.00"),
                &json!("2019-09-30")
            )
        );
        let seqs: Vec<i64> = list["variations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["seq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs, [1, 2]);
        assert_eq!(
            f.app
                .store
                .contract_revisions(f.contract)
                .await
                .unwrap()
                .len(),
            2
        );
        // The page lists them with their notices.
        let page = f
            .app
            .get(
                &format!("/contracts/{}/variations", f.contract),
                session(&f.commissioner),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains("Modification notice, PCR 2015 reg 72(3)")
        );
        assert!(page.body.contains("None needed"));
        assert!(page.body.contains("id=\"variation-form\""));
    }
);

store_test!(
    async fn a_variation_over_the_50_percent_cap_is_refused_and_saves_nothing(store: Store) {
        let f = fixture(store, "2017-06-01").await;
        let before = state(&f.app.store, f.contract).await;
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pcr_additional", "description": "A second service",
                   "value_change": "500000.00"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let (field, message) = error(&r);
        assert_eq!(field, "ground");
        assert!(
            message.starts_with("contract ACC-1: PCR 2015 reg 72(1)(b) and (2)(a): an additional-services modification may not exceed 50% of the original value (this one is 55.56%"),
            "{message}"
        );
        assert_eq!(state(&f.app.store, f.contract).await, before);
        // A ground of the other regime is refused too.
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pa_not_substantial", "description": "x", "value_change": "1.00"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(error(&r).0, "ground");
        // On the page, the refusal is shown with its provision.
        let page = f
            .app
            .form(
                &format!("/contracts/{}/variations", f.contract),
                session(&f.commissioner),
                &[
                    ("csrf", &f.commissioner.csrf),
                    ("ground", "pcr_unforeseeable"),
                    ("description", "Flood damage"),
                    ("value_change", "600000.00"),
                    ("new_end_date", ""),
                ],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            page.body
        );
        assert!(
            page.body.contains("PCR 2015 reg 72(1)(c)(iii) and (2)(a)"),
            "{}",
            page.body
        );
        assert_eq!(state(&f.app.store, f.contract).await, before);
    }
);

store_test!(
    async fn a_variation_of_an_expired_contract_names_its_end_date(store: Store) {
        let f = fixture(store, "2019-06-01").await;
        let before = state(&f.app.store, f.contract).await;
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pcr_review_clause", "description": "Extension",
                   "new_end_date": "2020-03-31"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            error(&r),
            (
                "ends_on".to_owned(),
                "contract ACC-1: the contract ended on 2019-03-31, before 2019-06-01: a contract \
                 that has expired cannot be varied"
                    .to_owned()
            )
        );
        assert_eq!(state(&f.app.store, f.contract).await, before);
    }
);

store_test!(
    async fn a_provider_or_another_council_cannot_vary_or_terminate(store: Store) {
        let f = fixture(store, "2017-06-01").await;
        let beta = f
            .app
            .user("commissioner@beta.test", "beta", Role::Commissioner)
            .await;
        let finance = f.app.user_for(Role::Finance).await;
        let before = state(&f.app.store, f.contract).await;
        let body = json!({"ground": "pcr_additional", "description": "More",
                          "value_change": "1000.00"});
        for (who, status) in [
            (&f.provider, StatusCode::FORBIDDEN),
            (&finance, StatusCode::FORBIDDEN),
            (&beta, StatusCode::NOT_FOUND),
        ] {
            let r = vary(&f.app, who, f.contract, body.clone()).await;
            assert_eq!(r.status, status, "{}", r.body);
            let r = terminate(
                &f.app,
                who,
                f.contract,
                json!({"terminated_on": "2017-07-01", "reason": "x"}),
            )
            .await;
            assert_eq!(r.status, status, "{}", r.body);
        }
        let r = f
            .app
            .get(
                &format!("/api/v1/contracts/{}/variations", f.contract),
                bearer(&beta),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(state(&f.app.store, f.contract).await, before);
    }
);

/// A contract from an award: alpha's published PA2023 tender above the threshold, lot 1
/// awarded to alpha-care at £1,000,000, February 2027 to January 2030. The app's date is
/// 1 June 2027.
async fn awarded(store: Store) -> (Fixture, i64) {
    use super::bids::{before, bid_body, tender};
    let deadline = Utc.with_ymd_and_hms(2027, 1, 4, 12, 0, 0).unwrap();
    let app = TestApp::new(store.with_clock(Clock::on("2027-06-01".parse().unwrap()))).await;
    let commissioner = app.user_for(Role::Commissioner).await;
    let provider = app.user_for(Role::Provider).await;
    let s = &app.store;
    let t = tender(
        s,
        "AW-1",
        "alpha",
        commissioner.user.id,
        deadline,
        Reservation::None,
    )
    .await;
    s.execute_raw(&format!(
        "UPDATE tenders SET above_threshold = TRUE WHERE id = {}",
        t.id
    ))
    .await
    .unwrap();
    let content = bid_body("1000000.00", "Our method");
    let bid = before(s, deadline)
        .submit_bid(
            &ngc_store::bids::NewBid {
                tender_id: t.id,
                organisation_id: provider.user.organisation_id,
                content: &content,
            },
            &Actor::system(),
        )
        .await
        .unwrap();
    let value = Money::pounds(1_000_000);
    let award = s
        .record_award(
            &ngc_store::evaluation::NewAward {
                tender_id: t.id,
                lot_number: 1,
                bid_id: bid.id,
                supplier_id: provider.user.organisation_id,
                value,
                regime: "pa2023",
                decided_on: "2027-01-10".parse().unwrap(),
                standstill_from: None,
                standstill_ends_on: None,
                ranking: &json!([]),
            },
            &Actor::system(),
        )
        .await
        .unwrap();
    let alpha = commissioner.user.organisation_id;
    let contract = s
        .create_contract(
            &NewContract {
                organisation_id: alpha,
                partnership_id: None,
                reference: "AW-1/1".into(),
                tender_id: Some(t.id),
                lot_number: Some(1),
                award_id: Some(award.id),
                supplier_id: provider.user.organisation_id,
                supplier: Default::default(),
                title: "Waste collection, north".into(),
                description: String::new(),
                category: String::new(),
                department: String::new(),
                contract_type: ContractType::Services,
                regime: Regime::Pa2023,
                route: Route::Tender,
                route_ground: String::new(),
                value,
                annual_value: None,
                vat_treatment: VatTreatment::ExcludingVat,
                irrecoverable_vat: Money::ZERO,
                starts_on: "2027-02-01".parse().unwrap(),
                ends_on: Some("2030-01-31".parse().unwrap()),
                review_on: None,
                extension_options: String::new(),
                latest_end_on: None,
                origin: "award",
                buyers: vec![(alpha, "100".into(), value)],
            },
            &Actor::system(),
        )
        .await
        .unwrap();
    (
        Fixture {
            app,
            commissioner,
            provider,
            contract,
        },
        t.id,
    )
}

/// Records the publication of the notice of a variation's release.
async fn publish(f: &Fixture, tender: i64, variation: &Value, platform_id: &str) {
    let notice = variation["notice_id"].as_i64().unwrap();
    let r = f
        .app
        .json(
            Method::POST,
            &format!("/api/v1/tenders/{tender}/notices/{notice}/publication"),
            bearer(&f.commissioner),
            json!({"platform_notice_id": platform_id, "published_on": "2027-06-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// The public feed's release with this id.
async fn public_release(app: &TestApp, release_id: &str) -> Value {
    let feed = app.get("/ocds/releases", Auth::None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    feed.json()["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == release_id)
        .cloned()
        .unwrap_or_else(|| panic!("{release_id} is not in the feed: {}", feed.body))
}

store_test!(
    async fn an_awarded_contract_publishes_its_change_and_termination_and_a_reversal(store: Store) {
        let (f, tender) = awarded(store).await;
        // A substantial change of term is refused under PA2023 s74(3)(a).
        let before = state(&f.app.store, f.contract).await;
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pa_not_substantial", "description": "A longer term",
                   "new_end_date": "2030-12-31"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let (field, message) = error(&r);
        assert_eq!(field, "ground");
        assert!(message.contains("PA2023 s74(3)(a): a modification that is not substantial may not change the term by more than 10%"), "{message}");
        assert_eq!(state(&f.app.store, f.contract).await, before);

        // 20% more for unforeseeable circumstances: permitted, and a UK10 is needed.
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pa_unforeseeable", "description": "New estates",
                   "value_change": "200000.00"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let change = r.json()["variation"].clone();
        assert_eq!(
            (
                &change["notice"],
                &change["notice_type"],
                &change["cumulative_change_percent"]
            ),
            (
                &json!("Contract change notice (UK10), PA2023 s75"),
                &json!("UK10"),
                &json!("20.00")
            )
        );
        let ocid = change["ocid"].as_str().unwrap().to_owned();
        let change_id = change["release_id"].as_str().unwrap().to_owned();
        assert_eq!(change_id, format!("{ocid}-contract_change-1"));
        publish(&f, tender, &change, "010000-2027").await;
        let rel = public_release(&f.app, &change_id).await;
        assert_eq!(rel["ocid"], json!(ocid));
        assert_eq!(rel["tag"], json!(["contractAmendment"]));
        let c = &rel["contracts"][0];
        assert_eq!(c["id"], json!(f.contract.to_string()));
        assert_eq!(c["value"], json!({"amount": 1200000, "currency": "GBP"}));
        assert_eq!(c["documents"][0]["noticeType"], json!("UK10"));
        assert_eq!(
            c["amendments"][0]["rationale"],
            json!("PA2023 Sch 8 para 4: unforeseeable circumstances")
        );

        // Terminated from 1 July: UK11.
        let r = terminate(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"terminated_on": "2027-07-01", "reason": "The supplier is insolvent"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let ended = r.json()["variation"].clone();
        assert_eq!(
            (
                &ended["kind"],
                &ended["terminated_on"],
                &ended["notice_type"]
            ),
            (&json!("termination"), &json!("2027-07-01"), &json!("UK11"))
        );
        assert_eq!(r.json()["contract"]["terminated_on"], json!("2027-07-01"));
        publish(&f, tender, &ended, "010001-2027").await;
        let rel = public_release(&f.app, ended["release_id"].as_str().unwrap()).await;
        assert_eq!(rel["tag"], json!(["contractTermination"]));
        let c = &rel["contracts"][0];
        assert_eq!(c["period"]["endDate"], json!("2027-06-30T23:59:59Z"));
        assert_eq!(c["documents"][0]["noticeType"], json!("UK11"));
        assert_eq!(
            c["documents"][0]["description"],
            json!("The supplier is insolvent")
        );

        // Reversing it restores the term: a change of term too large for "not substantial",
        // permitted on another ground, with a UK10.
        let before = state(&f.app.store, f.contract).await;
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pa_not_substantial", "description": "Rescue",
                   "reverses_termination": true}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(error(&r).0, "ground");
        assert_eq!(state(&f.app.store, f.contract).await, before);
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pa_unforeseeable", "description": "Rescued by its parent",
                   "reverses_termination": true}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let back = &r.json()["variation"];
        assert_eq!(
            (
                &back["kind"],
                &back["seq"],
                &back["new_end_date"],
                &back["notice_type"]
            ),
            (
                &json!("reversal"),
                &json!(3),
                &json!("2030-01-31"),
                &json!("UK10")
            )
        );
        assert_eq!(r.json()["contract"]["terminated_on"], Value::Null);
        assert_eq!(r.json()["contract"]["status"], json!("active"));
        assert_eq!(
            back["release_id"],
            json!(format!("{ocid}-contract_change-2"))
        );
        // A second reversal finds nothing to reverse.
        let r = vary(
            &f.app,
            &f.commissioner,
            f.contract,
            json!({"ground": "pa_unforeseeable", "description": "Again",
                   "reverses_termination": true}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(error(&r).0, "reverses_termination");
    }
);
