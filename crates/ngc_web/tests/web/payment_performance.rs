//! The payment performance returns, published: the pages and downloads need no sign-in,
//! show only the council's own payments (another council's never appear), and the CSV and
//! JSON downloads are exactly as pinned here for a small fixture.

use super::support::{Auth, TestApp, session};
use axum::http::StatusCode;
use chrono::{NaiveDate, TimeZone, Utc};
use ngc_domain::Role;
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::procurement::{
    ClassificationScheme, CommencingEvent, ContractType, Procedure, Regime, Reservation,
};
use ngc_store::contracts::{NewContract, NewPayment, SupplierSnapshot};
use ngc_store::tenders::{NewLot, NewTender};
use ngc_store::{Actor, Clock, Store, store_test};
use rust_decimal::Decimal;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn contract(
    holder: i64,
    reference: &str,
    supplier: i64,
    starts_on: &str,
    regime: Regime,
) -> NewContract {
    NewContract {
        organisation_id: holder,
        partnership_id: None,
        reference: reference.into(),
        tender_id: None,
        lot_number: None,
        award_id: None,
        supplier_id: supplier,
        supplier: SupplierSnapshot::default(),
        title: format!("Care {reference}"),
        description: String::new(),
        category: String::new(),
        department: String::new(),
        contract_type: ContractType::Services,
        regime,
        route: Route::Tender,
        route_ground: String::new(),
        value: Money::pounds(900_000),
        annual_value: None,
        vat_treatment: VatTreatment::ExcludingVat,
        irrecoverable_vat: Money::ZERO,
        starts_on: d(starts_on),
        ends_on: None,
        review_on: None,
        extension_options: String::new(),
        latest_end_on: None,
        origin: "entered",
        buyers: vec![(holder, "100".into(), Money::pounds(900_000))],
    }
}

fn payment(contract_id: i64, amount: &str, received: &str, paid: &str) -> NewPayment {
    NewPayment {
        contract_id,
        amount: amount.parse().unwrap(),
        period: None,
        component: "block",
        invoice_reference: format!("INV-{paid}"),
        invoice_date: d(received),
        valid_invoice_received: d(received),
        invoice_due_on: None,
        paid_on: Some(d(paid)),
        disputed: false,
    }
}

/// Alpha's contract let in 2016 (PCR 2015) with three payments — in time on day 30, late on
/// day 31, and £40,000 late on day 32 — and its contract from a tender commenced on
/// 1 April 2026 (the Act) with £45,000 paid on day 29 and £30,000 on day 45; Beta's contract
/// with one payment of £99,999.00.
async fn fixture(store: Store) -> TestApp {
    let app = TestApp::new(store.with_clock(Clock::on(d("2026-10-15")))).await;
    let commissioner = app.user_for(Role::Commissioner).await;
    let s = &app.store;
    let a = Actor::system();
    let id =
        |slug: &'static str| async move { s.organisation_by_slug(slug).await.unwrap().unwrap().id };
    let (alpha, beta, care) = (id("alpha").await, id("beta").await, id("alpha-care").await);
    let tender = s
        .create_tender(
            &NewTender {
                reference: "ACC-2026-001".into(),
                lead_organisation: "alpha".into(),
                procurement_lead_id: commissioner.user.id,
                title: "Home care".into(),
                description: "Home care".into(),
                classification_scheme: ClassificationScheme::Cpv,
                classification_code: "85000000-9".into(),
                contract_type: ContractType::Services,
                procedure: Procedure::Open,
                commencing_event: CommencingEvent::ContractNotice,
                commenced_on: d("2026-04-01"),
                estimated_value: Money::pounds(900_000),
                vat_inclusive: false,
                above_threshold: true,
                reservation: Reservation::None,
                two_envelope: false,
                criteria: serde_json::json!({"name": "Tender criteria"}),
                clarification_deadline: None,
                submission_deadline: Utc.with_ymd_and_hms(2026, 4, 20, 12, 0, 0).unwrap(),
                buyers: vec![("alpha".into(), Decimal::new(100, 0))],
                lots: vec![NewLot {
                    title: "All".into(),
                    description: String::new(),
                    estimated_value: Money::pounds(900_000),
                    criteria: None,
                }],
            },
            &a,
        )
        .await
        .unwrap();
    let old = s
        .create_contract(
            &contract(alpha, "ACC-1", care, "2016-04-01", Regime::Pcr2015),
            &a,
        )
        .await
        .unwrap();
    let mut new = contract(alpha, "ACC-2", care, "2026-05-01", Regime::Pa2023);
    new.tender_id = Some(tender.id);
    let new = s.create_contract(&new, &a).await.unwrap();
    let theirs = s
        .create_contract(
            &contract(beta, "BCC-1", care, "2016-04-01", Regime::Pcr2015),
            &a,
        )
        .await
        .unwrap();
    for p in [
        payment(old, "1000.00", "2016-05-02", "2016-06-01"),
        payment(old, "2000.50", "2016-05-02", "2016-06-02"),
        payment(old, "40000.00", "2016-09-01", "2016-10-03"),
        payment(new, "45000.00", "2026-05-01", "2026-05-30"),
        payment(new, "30000.00", "2026-05-01", "2026-06-15"),
        payment(theirs, "99999.00", "2016-05-02", "2016-06-01"),
    ] {
        s.record_contract_payment(&p, &a).await.unwrap();
    }
    app
}

const PAGES: [&str; 6] = [
    "/open-data/alpha/payment-compliance",
    "/open-data/alpha/payment-compliance.csv",
    "/open-data/alpha/payment-compliance.json",
    "/open-data/alpha/payments-over-30k",
    "/open-data/alpha/payments-over-30k.csv",
    "/open-data/alpha/payments-over-30k.json",
];

store_test!(
    async fn the_returns_need_no_sign_in_and_show_only_the_councils_own_payments(store: Store) {
        let app = fixture(store).await;
        for path in PAGES {
            let r = app.get(path, Auth::None).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
            assert!(
                !r.body.contains("99999") && !r.body.contains("99,999"),
                "{path}: {}",
                r.body
            );
        }
        let page = app.get(PAGES[0], Auth::None).await.body;
        assert!(page.contains("2016-17 H1"), "{page}");
        assert!(page.contains("2025-26 H2 from 2026-01-01"), "{page}");
        assert!(page.contains("cannot feed these returns"), "{page}");
        let payments = app.get(PAGES[3], Auth::None).await.body;
        assert!(payments.contains("£45,000.00"), "{payments}");
        assert!(
            !payments.contains("£40,000.00"),
            "a PCR 2015 contract is not covered: {payments}"
        );
        // Beta's own return has Beta's payment, and none of Alpha's.
        let beta = app
            .get("/open-data/beta/payment-compliance.csv", Auth::None)
            .await
            .body;
        assert!(beta.contains(",99999.00,"), "{beta}");
        assert!(
            !beta.contains("3000.50") && !beta.contains("45000"),
            "{beta}"
        );
        let missing = app
            .get("/open-data/nowhere/payment-compliance", Auth::None)
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);

store_test!(
    async fn the_downloads_are_exactly_the_published_files(store: Store) {
        let app = fixture(store).await;
        let csv = app
            .get(
                "/open-data/alpha/payment-compliance.csv?from=2016-04-01&to=2016-12-31",
                Auth::None,
            )
            .await;
        assert_eq!(
            csv.headers.get("content-type").unwrap(),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            csv.body,
            "organisation,organisation_id,period,period_start,period_end,statutory,publish_by,\
             invoices_paid,total_paid,paid_in_time,paid_late,disputed,in_time_percent,\
             average_days_to_pay,paid_days_1_to_30,paid_days_31_to_60,paid_days_61_or_more,\
             percent_days_1_to_30,percent_days_31_to_60,percent_days_61_or_more\n\
             Alpha County Council,ngc-alpha,2016-17 H1,2016-04-01,2016-09-30,false,,2,3000.50,1,1,0,\
             50.00,30.50,1,1,0,50.00,50.00,0.00\n\
             Alpha County Council,ngc-alpha,2016-17 H2,2016-10-01,2017-03-31,false,,1,40000.00,0,1,0,\
             0.00,32.00,0,1,0,0.00,100.00,0.00\n"
        );
        let csv = app
            .get(
                "/open-data/alpha/payments-over-30k.csv?from=2026-04-01&to=2026-06-30",
                Auth::None,
            )
            .await;
        assert_eq!(
            csv.body,
            format!(
                "organisation,organisation_id,quarter,quarter_start,quarter_end,coverage,payment_id,\
                 paid_on,amount,currency,contract_id,contract_reference,contract_title,ocid,supplier,\
                 supplier_id,procurement_commenced_on\n\
                 Alpha County Council,ngc-alpha,2026-27 Q1,2026-04-01,2026-06-30,covered,{p},2026-05-30,\
                 45000.00,GBP,{c},ACC-2,Care ACC-2,,Alpha Care Ltd,ngc-alpha-care,2026-04-01\n",
                p = payment_id(&app, "45000.00").await,
                c = contract_id(&app, "ACC-2").await,
            )
        );
        let json = app
            .get(
                "/open-data/alpha/payments-over-30k.json?from=2026-04-01&to=2026-06-30",
                Auth::None,
            )
            .await;
        let rule = serde_json::to_value(
            ngc_domain::contracts::payment::performance::ReportingRules::shipped().rule(
                ngc_domain::contracts::payment::performance::ReturnKind::PaymentsOverThreshold,
            ),
        )
        .unwrap();
        let expected = serde_json::json!({
            "council": {"id": "ngc-alpha", "slug": "alpha", "name": "Alpha County Council"},
            "rule": rule,
            "note": ngc_app::payment_performance::SPEND_NOTE,
            "quarters": [{
                "label": "2026-27 Q1", "start": "2026-04-01", "end": "2026-06-30",
                "statutory": true, "publish_by": "2026-07-29", "count": 1, "total": "45000.00",
                "contracts": [{
                    "id": contract_id(&app, "ACC-2").await.to_string(),
                    "title": "Care ACC-2",
                    "implementation": {"transactions": [{
                        "id": payment_id(&app, "45000.00").await.to_string(),
                        "date": "2026-05-30T00:00:00Z",
                        "value": {"amount": 45000, "currency": "GBP"},
                        "payer": {"id": "ngc-alpha", "name": "Alpha County Council"},
                        "payee": {"id": "ngc-alpha-care", "name": "Alpha Care Ltd"},
                    }]},
                }],
                "undetermined": [],
            }],
        });
        assert_eq!(json.body, expected.to_string());
        let compliance = app
            .get(
                "/open-data/alpha/payment-compliance.json?from=2026-01-01&to=2026-03-31",
                Auth::None,
            )
            .await
            .json();
        assert_eq!(compliance["periods"].as_array().unwrap().len(), 1);
        assert_eq!(compliance["periods"][0]["invoices_paid"], 0);
        assert_eq!(
            compliance["periods"][0]["period"]["publish_by"],
            "2026-04-29"
        );
        let h1 = app
            .get(
                "/open-data/alpha/payment-compliance.json?from=2026-04-01&to=2026-09-30",
                Auth::None,
            )
            .await
            .json();
        // £45,000 on day 29 is in time under the Act; £30,000 on day 45 is late.
        let f = &h1["periods"][0];
        assert_eq!(
            (
                f["invoices_paid"].clone(),
                f["paid_in_time"].clone(),
                f["paid_late"].clone(),
                f["average_days"].clone(),
                f["total_paid"].clone()
            ),
            (
                2.into(),
                1.into(),
                1.into(),
                "37.00".into(),
                "75000.00".into()
            )
        );
    }
);

async fn payment_id(app: &TestApp, amount: &str) -> i64 {
    let alpha = app
        .store
        .organisation_by_slug("alpha")
        .await
        .unwrap()
        .unwrap()
        .id;
    app.store
        .payments_made_under_register(alpha, d("2000-01-01"), d("2100-01-01"))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.record.amount.to_string() == amount)
        .unwrap()
        .id
}

async fn contract_id(app: &TestApp, reference: &str) -> i64 {
    let alpha = app
        .store
        .organisation_by_slug("alpha")
        .await
        .unwrap()
        .unwrap()
        .id;
    app.store
        .payments_made_under_register(alpha, d("2000-01-01"), d("2100-01-01"))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.contract_reference.as_deref() == Some(reference))
        .unwrap()
        .contract_id
}

store_test!(
    async fn officers_find_the_returns_from_the_contract_register(store: Store) {
        let app = fixture(store).await;
        let finance = app.user_for(Role::Finance).await;
        let page = app.get("/contracts", session(&finance)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains("href=\"/open-data/alpha/payment-compliance\""),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("href=\"/open-data/alpha/payments-over-30k\""),
            "{}",
            page.body
        );
    }
);
