//! Contract KPIs through the API and the pages: a KPI set by the council, the provider's
//! returns rated in the Regulations' words with their RAG colours and late ones flagged; a
//! second return for a period refused naming `period_start` with nothing saved; a provider
//! refused on a contract it does not hold, and unable to read another's KPIs; the s52 warning
//! only on a PA2023 contract over £5m, not exempt, with fewer than three KPIs and no
//! rationale; the SVG trend on the contract page; the provider view's late returns and
//! trends; and a UK9 release on the procurement's ocid after a poor return. The server's
//! date is fixed with `Store::with_clock`.

use super::support::{Auth, Reply, TestApp, TestUser, bearer, session};
use axum::http::{Method, StatusCode};
use chrono::{TimeZone, Utc};
use ngc_domain::Role;
use ngc_store::{Actor, Clock, Store, store_test};
use serde_json::{Value, json};

struct Fixture {
    app: TestApp,
    commissioner: TestUser,
    /// alpha-care's staff: the supplier of every contract here.
    provider: TestUser,
    /// rival-care's staff.
    rival: TestUser,
    /// PA2023, £6,000,000 excluding VAT: the KPI duty applies.
    big: i64,
    /// PA2023, £4,000,000 excluding VAT (£4.8m with VAT): under the threshold.
    small: i64,
    /// PCR 2015, £9,000,000: no duty.
    pcr: i64,
    /// PA2023, £6,000,000, a light touch contract: exempt.
    light: i64,
}

async fn fixture(store: Store) -> Fixture {
    let app = TestApp::new(store.with_clock(Clock::on("2026-06-15".parse().unwrap()))).await;
    let commissioner = app.user_for(Role::Commissioner).await;
    let provider = app.user_for(Role::Provider).await;
    let rival = super::bids::provider(&app, "rival-care").await;
    let mut ids = Vec::new();
    for (reference, value, starts, kind) in [
        ("K-BIG", "6000000.00", "2026-01-01", "services"),
        ("K-SMALL", "4000000.00", "2026-01-01", "services"),
        ("K-PCR", "9000000.00", "2024-04-01", "services"),
        ("K-LIGHT", "6000000.00", "2026-01-01", "light_touch"),
        // £4.5m excluding VAT is £5.4m with it: over the threshold.
        ("K-GROSS", "4500000.00", "2026-01-01", "services"),
    ] {
        let r = app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/contracts",
                bearer(&commissioner),
                json!({"reference": reference, "title": format!("Home care {reference}"),
                       "supplier": "alpha-care", "value": value, "contract_type": kind,
                       "starts_on": starts, "ends_on": "2029-12-31"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    Fixture {
        app,
        commissioner,
        provider,
        rival,
        big: ids[0],
        small: ids[1],
        pcr: ids[2],
        light: ids[3],
    }
}

fn visits(code: &str) -> Value {
    json!({"code": code, "title": "Visits made on time", "unit": "%", "target": "95",
           "direction": "higher", "frequency": "monthly", "tolerance": "2.5"})
}

impl Fixture {
    async fn define(&self, contract: i64, body: Value) -> Reply {
        self.app
            .json(
                Method::POST,
                &format!("/api/v1/contracts/{contract}/kpis"),
                bearer(&self.commissioner),
                body,
            )
            .await
    }

    async fn send_return(&self, who: &TestUser, contract: i64, body: Value) -> Reply {
        self.app
            .json(
                Method::POST,
                &format!("/api/v1/contracts/{contract}/returns"),
                bearer(who),
                body,
            )
            .await
    }

    async fn report(&self, who: &TestUser, contract: i64) -> Reply {
        self.app
            .get(&format!("/api/v1/contracts/{contract}/kpis"), bearer(who))
            .await
    }

    /// Everything a refused return could touch: the audit head and the contract's KPI rows.
    async fn state(&self, contract: i64) -> String {
        let s = &self.app.store;
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            s.audit_head().await.unwrap(),
            s.contract_kpis(contract).await.unwrap(),
            s.kpi_returns(contract).await.unwrap(),
            s.performance_failures(contract).await.unwrap()
        )
    }
}

store_test!(
    async fn returns_are_rated_in_words_and_a_late_one_is_flagged(store: Store) {
        let f = fixture(store).await;
        let r = f.define(f.big, visits("KPI1")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let k = &r.json()["kpis"][0];
        assert_eq!(
            (
                &k["code"],
                &k["target"],
                &k["direction"],
                &k["tolerance"],
                &k["from"]
            ),
            (
                &json!("KPI1"),
                &json!("95"),
                &json!("higher"),
                &json!("2.5"),
                &json!("2026-01-01")
            )
        );
        // April, returned on 15 June: due 20 May, so late; 93 is 2 short, within 2.5.
        let april = f
            .send_return(
                &f.provider,
                f.big,
                json!({"kpi": "KPI1", "period_start": "2026-04-01", "value": "93",
                       "note": "two carers off sick"}),
            )
            .await;
        assert_eq!(april.status, StatusCode::CREATED, "{}", april.body);
        assert_eq!(
            april.json(),
            json!({"contract_id": f.big, "kpi": "KPI1", "period_start": "2026-04-01",
                   "period_end": "2026-04-30", "value": "93", "note": "two carers off sick",
                   "due_on": "2026-05-20", "late": true,
                   "rating": {"rating": "approaching_target", "label": "Approaching target",
                              "uk9_code": "slightlyBelow", "rag": "amber"},
                   "release_id": null})
        );
        // May: due 20 June, on time; 89 is 6 short, more than twice 2.5.
        let may = f
            .send_return(
                &f.provider,
                f.big,
                json!({"kpi": "KPI1", "period_start": "2026-05-01", "value": "89"}),
            )
            .await;
        assert_eq!(may.status, StatusCode::CREATED, "{}", may.body);
        assert_eq!(may.json()["late"], false);
        assert_eq!(may.json()["rating"]["label"], "Inadequate");
        assert_eq!(may.json()["rating"]["rag"], "red");

        let report = f.report(&f.commissioner, f.big).await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        let v = report.json();
        assert_eq!(v["late_returns"], 1);
        // January to March were never returned and are past due; June is not yet due.
        assert_eq!(v["missing_returns"], 3);
        let kpi = &v["kpis"][0];
        assert_eq!(kpi["trend"], "declining");
        let words: Vec<_> = kpi["returns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["label"].clone(),
                    r["rating"]["label"].clone(),
                    r["late"].clone(),
                )
            })
            .collect();
        assert_eq!(
            words,
            [
                (json!("2026-04"), json!("Approaching target"), json!(true)),
                (json!("2026-05"), json!("Inadequate"), json!(false)),
            ]
        );
        let states: Vec<_> = kpi["owed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["state"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            states,
            [
                "missing",
                "missing",
                "missing",
                "late",
                "received",
                "not_yet_due"
            ]
        );

        // The contract page: the ratings in words, the late return, the SVG trend.
        let page = f
            .app
            .get(&format!("/contracts/{}", f.big), session(&f.commissioner))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains("<svg class=\"chart kpi-trend\""),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("2026-05: 89 %, Inadequate"),
            "{}",
            page.body
        );
        assert!(page.body.contains("rag-red"), "{}", page.body);
        let kpis = f
            .app
            .get(&format!("/contracts/{}/kpis", f.big), session(&f.provider))
            .await;
        assert_eq!(kpis.status, StatusCode::OK, "{}", kpis.body);
        assert!(
            kpis.body.contains("class=\"late-return\">Late"),
            "{}",
            kpis.body
        );
        assert!(kpis.body.contains("id=\"return-form\""), "{}", kpis.body);
        assert!(!kpis.body.contains("id=\"kpi-form\""), "{}", kpis.body);

        // The provider view counts the late return and the declining KPI.
        let p = f
            .app
            .get("/api/v1/providers/alpha-care", bearer(&f.commissioner))
            .await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        assert_eq!(p.json()["late_returns"], 1);
        assert_eq!(
            p.json()["kpi_trends"],
            json!([{"contract_id": f.big, "kpi": "KPI1", "title": "Visits made on time",
                    "trend": "declining"}])
        );
        let page = f
            .app
            .get("/contracts/providers/alpha-care", session(&f.provider))
            .await;
        assert!(
            page.body
                .contains("<strong id=\"provider-late\">1</strong>"),
            "{}",
            page.body
        );
    }
);

store_test!(
    async fn a_second_return_for_a_period_is_refused_naming_the_field(store: Store) {
        let f = fixture(store).await;
        assert_eq!(
            f.define(f.big, visits("KPI1")).await.status,
            StatusCode::CREATED
        );
        let body = json!({"kpi": "KPI1", "period_start": "2026-05-01", "value": "96"});
        let r = f.send_return(&f.provider, f.big, body.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let before = f.state(f.big).await;
        let again = f.send_return(&f.provider, f.big, body).await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );
        assert_eq!(again.json()["error"]["field"], "period_start");
        let message = again.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.starts_with(&format!(
                "contract {}: KPI `KPI1` already has a return for the period 2026-05-01 to \
                 2026-05-31",
                f.big
            )),
            "{message}"
        );
        // Through the page as well: the form again with the complaint, nothing saved.
        let page = f
            .app
            .form(
                &format!("/contracts/{}/returns", f.big),
                session(&f.provider),
                &[
                    ("csrf", f.provider.csrf.as_str()),
                    ("kpi", "KPI1"),
                    ("period_start", "2026-05-01"),
                    ("value", "97"),
                ],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            page.body
        );
        assert!(page.body.contains("already has a return"), "{}", page.body);
        assert_eq!(f.state(f.big).await, before);
    }
);

store_test!(
    async fn a_provider_cannot_return_on_or_read_a_contract_it_does_not_hold(store: Store) {
        let f = fixture(store).await;
        assert_eq!(
            f.define(f.big, visits("KPI1")).await.status,
            StatusCode::CREATED
        );
        let before = f.state(f.big).await;
        let r = f
            .send_return(
                &f.rival,
                f.big,
                json!({"kpi": "KPI1", "period_start": "2026-05-01", "value": "96"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(
            f.report(&f.rival, f.big).await.status,
            StatusCode::NOT_FOUND
        );
        let page = f
            .app
            .get(&format!("/contracts/{}/kpis", f.big), session(&f.rival))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        // The council's own commissioner reads it but makes no return.
        let r = f
            .send_return(
                &f.commissioner,
                f.big,
                json!({"kpi": "KPI1", "period_start": "2026-05-01", "value": "96"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(f.state(f.big).await, before);
    }
);

store_test!(
    async fn the_s52_warning_shows_only_where_the_duty_applies_and_is_not_met(store: Store) {
        let f = fixture(store).await;
        let warnings = |v: &Value| -> Vec<(String, bool)> {
            let mut out: Vec<(String, bool)> = v["contracts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["reference"].as_str().unwrap().to_owned(),
                        !c["kpi_warning"].is_null(),
                    )
                })
                .collect();
            out.sort();
            out
        };
        let list = f
            .app
            .get("/api/v1/contracts", bearer(&f.commissioner))
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(
            warnings(&list.json()),
            [
                ("K-BIG".to_owned(), true),
                ("K-GROSS".to_owned(), true),
                ("K-LIGHT".to_owned(), false),
                ("K-PCR".to_owned(), false),
                ("K-SMALL".to_owned(), false)
            ]
        );
        let page = f.app.get("/contracts", session(&f.commissioner)).await;
        assert_eq!(
            page.body.matches("s52: too few KPIs").count(),
            2,
            "{}",
            page.body
        );
        let report = f.report(&f.commissioner, f.big).await.json();
        assert_eq!(
            report["duty"]["warning"],
            "a contract worth more than £5,000,000.00 including VAT needs at least 3 KPIs \
             (PA2023 s52(1)); it has 0. Set 3 more, or record why KPIs are not appropriate \
             (PA2023 s52(2); Procurement Regulations 2024 reg 32(2)(s))."
        );
        for id in [f.small, f.pcr, f.light] {
            let r = f.report(&f.commissioner, id).await.json();
            assert_eq!(r["duty"]["applies"], false, "{r}");
        }
        // Two KPIs are not enough; the third meets the duty.
        for code in ["KPI1", "KPI2"] {
            assert_eq!(
                f.define(f.big, visits(code)).await.status,
                StatusCode::CREATED
            );
        }
        let r = f.report(&f.commissioner, f.big).await.json();
        assert!(
            r["duty"]["warning"]
                .as_str()
                .unwrap()
                .contains("it has 2. Set 1 more")
        );
        let third = f.define(f.big, visits("KPI3")).await;
        assert_eq!(third.json()["duty"]["satisfied"], true);
        assert_eq!(third.json()["duty"]["warning"], Value::Null);
        // A rationale lifts the duty on a contract with none.
        let big2 = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/contracts",
                bearer(&f.commissioner),
                json!({"reference": "K-BIG2", "title": "Spot care", "supplier": "alpha-care",
                       "value": "7000000.00", "starts_on": "2026-01-01"}),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let r = f
            .define(
                big2,
                json!({"no_agreed_metrics_rationale": "Spot purchases of single placements"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["duty"]["applies"], false);
        assert_eq!(
            r.json()["no_agreed_metrics_rationale"],
            "Spot purchases of single placements"
        );
        // Only the £4.5m contract (£5.4m with VAT) still warns.
        let page = f.app.get("/contracts", session(&f.commissioner)).await;
        assert_eq!(
            page.body.matches("s52: too few KPIs").count(),
            1,
            "{}",
            page.body
        );
    }
);

store_test!(
    async fn a_poor_return_on_an_awarded_pa2023_contract_makes_a_uk9_release(store: Store) {
        use ngc_domain::contracts::{Route, VatTreatment};
        use ngc_domain::money::Money;
        use ngc_domain::procurement::{ContractType, Regime, Reservation};
        let app = TestApp::new(store.with_clock(Clock::on("2027-06-15".parse().unwrap()))).await;
        let commissioner = app.user_for(Role::Commissioner).await;
        let provider = app.user_for(Role::Provider).await;
        let s = &app.store;
        let deadline = Utc.with_ymd_and_hms(2027, 1, 10, 12, 0, 0).unwrap();
        let t = crate::web::bids::tender(
            s,
            "UK9-1",
            "alpha",
            commissioner.user.id,
            deadline,
            Reservation::None,
        )
        .await;
        assert_eq!(t.regime, Regime::Pa2023);
        let content = crate::web::bids::bid_body("90000.00", "Our method");
        let bid = crate::web::bids::before(s, deadline)
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
        let award = s
            .record_award(
                &ngc_store::evaluation::NewAward {
                    tender_id: t.id,
                    lot_number: 1,
                    bid_id: bid.id,
                    supplier_id: provider.user.organisation_id,
                    value: Money::pounds(90_000),
                    regime: "pa2023",
                    decided_on: "2027-01-15".parse().unwrap(),
                    standstill_from: None,
                    standstill_ends_on: None,
                    ranking: &json!([]),
                },
                &Actor::system(),
            )
            .await
            .unwrap();
        let alpha = commissioner.user.organisation_id;
        let value = Money::pounds(90_000);
        let id = s
            .create_contract(
                &ngc_store::contracts::NewContract {
                    organisation_id: alpha,
                    partnership_id: None,
                    reference: "UK9-1/1".into(),
                    tender_id: Some(t.id),
                    lot_number: Some(1),
                    award_id: Some(award.id),
                    supplier_id: provider.user.organisation_id,
                    supplier: Default::default(),
                    title: "Waste collection North".into(),
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
                    ends_on: Some("2029-01-31".parse().unwrap()),
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
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/contracts/{id}/kpis"),
                bearer(&commissioner),
                json!({"code": "BINS", "title": "Bins collected on the day", "unit": "%",
                       "target": "99", "direction": "higher", "frequency": "monthly",
                       "tolerance": "1"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // 95 is 4 short of 99, more than twice the tolerance of 1: Inadequate.
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/contracts/{id}/returns"),
                bearer(&provider),
                json!({"kpi": "BINS", "period_start": "2027-05-01", "value": "95"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["rating"]["uk9_code"], "significantlyBelow");
        let release = r.json()["release_id"].as_i64().expect("a UK9 release");
        s.record_publication(
            release,
            "009999-2027",
            "2027-06-15".parse().unwrap(),
            &Actor::system(),
        )
        .await
        .unwrap();
        let feed = app.get("/ocds/releases", Auth::None).await;
        assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
        let feed = feed.json();
        let uk9 = feed["releases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["tag"] == json!(["implementation"]))
            .unwrap_or_else(|| panic!("no UK9 release in {feed}"));
        let contract = &uk9["contracts"][0];
        assert_eq!(contract["id"], id.to_string());
        assert_eq!(contract["awardID"], award.id.to_string());
        assert_eq!(contract["documents"][0]["noticeType"], "UK9");
        assert_eq!(
            contract["implementation"]["metrics"][0]["observations"][0]["measureClassification"],
            json!({"id": "significantlyBelow", "description": "Inadequate"})
        );
        assert_eq!(
            contract["implementation"]["metrics"][0]["observations"][0]["measure"],
            "95"
        );
        assert_eq!(contract["agreedMetrics"][0]["id"], "BINS");
    }
);
