//! Contract payments through the API and the page: mixed block and payment-by-results terms
//! make exactly the due lines the terms and claims imply; a claim over a cap is refused
//! naming the metric and the cap with nothing saved; one claim per period; a provider claims
//! only on its own contracts; a payment 31 days after a valid invoice is late and one 30
//! days after is not (PCR 2015 reg 113); a provider cannot record payments and another
//! council cannot read them. The server's date is fixed with `Store::with_clock`.

use super::support::{Reply, TestApp, TestUser, bearer, session};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::{Clock, Store, store_test};
use serde_json::{Value, json};

pub struct Fixture {
    pub app: TestApp,
    pub commissioner: TestUser,
    pub finance: TestUser,
    /// alpha-care's staff: the supplier of `contract`.
    pub provider: TestUser,
    /// alpha's contract with alpha-care, April 2016 to March 2019 (PCR 2015).
    pub contract: i64,
    /// alpha's contract with rival-care.
    pub rivals: i64,
}

/// The test app on `today`, with alpha's two contracts entered through the API.
pub async fn fixture(store: Store, today: &str) -> Fixture {
    let app = TestApp::new(store.with_clock(Clock::on(today.parse().unwrap()))).await;
    let commissioner = app.user_for(Role::Commissioner).await;
    let finance = app.user_for(Role::Finance).await;
    let provider = app.user_for(Role::Provider).await;
    super::bids::provider(&app, "rival-care").await;
    let mut ids = Vec::new();
    for (reference, supplier) in [("ACC-1", "alpha-care"), ("ACC-2", "rival-care")] {
        let r = app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/contracts",
                bearer(&commissioner),
                json!({"reference": reference, "title": format!("Stop smoking {reference}"),
                       "supplier": supplier, "value": "900000.00",
                       "starts_on": "2016-04-01", "ends_on": "2019-03-31"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    Fixture {
        app,
        commissioner,
        finance,
        provider,
        contract: ids[0],
        rivals: ids[1],
    }
}

/// Block instalments at the end of April, July and January, and a quarterly part paid by
/// results: stop-smoking quits at £250 (at most £30,000 a quarter) and weight loss at
/// £120.50 (at most 50 a quarter).
fn terms() -> Value {
    json!({"components": [
        {"kind": "block", "schedule": [
            {"due_on": "2016-04-30", "amount": "50000.00"},
            {"due_on": "2016-07-31", "amount": "50000.00"},
            {"due_on": "2017-01-31", "amount": "50000.00"}]},
        {"kind": "payment_by_results", "frequency": "quarterly", "metrics": [
            {"code": "SMK-QUIT", "definition": "A smoker quits, confirmed by CO test at four weeks",
             "price": "250.00", "period_cap": "30000.00", "contract_cap": "100000.00"},
            {"code": "WT-LOSS", "definition": "5% of body weight lost at twelve weeks",
             "price": "120.50", "period_cap_outcomes": 50}]}
    ]})
}

impl Fixture {
    pub async fn set_terms(&self, contract: i64) -> Reply {
        self.app
            .json(
                Method::PUT,
                &format!("/api/v1/contracts/{contract}/payment-terms"),
                bearer(&self.commissioner),
                terms(),
            )
            .await
    }

    async fn claim(&self, who: &TestUser, contract: i64, body: Value) -> Reply {
        self.app
            .json(
                Method::POST,
                &format!("/api/v1/contracts/{contract}/claims"),
                bearer(who),
                body,
            )
            .await
    }

    pub async fn pay(&self, who: &TestUser, body: Value) -> Reply {
        self.app
            .json(
                Method::POST,
                &format!("/api/v1/contracts/{}/payments", self.contract),
                bearer(who),
                body,
            )
            .await
    }

    async fn summary(&self, who: &TestUser) -> Reply {
        self.app
            .get(
                &format!("/api/v1/contracts/{}/payments", self.contract),
                bearer(who),
            )
            .await
    }

    /// Everything a refused write could touch: the audit head and the contract's payment rows.
    async fn state(&self, contract: i64) -> String {
        let s = &self.app.store;
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            s.audit_head().await.unwrap(),
            s.payment_terms_history(contract).await.unwrap(),
            s.contract_claims(contract).await.unwrap(),
            s.contract_payments(contract).await.unwrap()
        )
    }
}

fn message(r: &Reply) -> String {
    r.json()["error"]["message"].as_str().unwrap().to_owned()
}

/// A due line as `(due_on, component, metric, quantity, amount)`.
fn lines(v: &Value) -> Vec<(String, String, String, u64, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["due_on"].as_str().unwrap().to_owned(),
                l["component"].as_str().unwrap().to_owned(),
                l["metric"].as_str().unwrap_or("").to_owned(),
                l["quantity"].as_u64().unwrap_or(0),
                l["amount"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn line(
    due: &str,
    component: &str,
    metric: &str,
    quantity: u64,
    amount: &str,
) -> (String, String, String, u64, String) {
    (
        due.into(),
        component.into(),
        metric.into(),
        quantity,
        amount.into(),
    )
}

store_test!(
    async fn mixed_block_and_results_terms_make_exactly_the_due_lines_of_the_claims(store: Store) {
        let f = fixture(store, "2017-01-10").await;
        let set = f.set_terms(f.contract).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        // The terms come back as sent, with the caps not given as nulls.
        let mut sent = terms();
        let metrics = &mut sent["components"][1]["metrics"];
        for n in ["period_cap_outcomes", "contract_cap_outcomes"] {
            metrics[0][n] = Value::Null;
        }
        for n in ["period_cap", "contract_cap", "contract_cap_outcomes"] {
            metrics[1][n] = Value::Null;
        }
        assert_eq!(set.json()["terms"], sent);
        // Q1 by the terms' frequency; Q2 by its last day.
        let q1 = f
            .claim(
                &f.provider,
                f.contract,
                json!({"period_start": "2016-04-01", "outcomes": {"SMK-QUIT": 40, "WT-LOSS": 12}}),
            )
            .await;
        assert_eq!(q1.status, StatusCode::CREATED, "{}", q1.body);
        assert_eq!(q1.json()["claim"]["period"], "2016-17 Q1");
        assert_eq!(
            lines(&q1.json()["lines"]),
            [
                line(
                    "2016-06-30",
                    "payment_by_results",
                    "SMK-QUIT",
                    40,
                    "10000.00"
                ),
                line("2016-06-30", "payment_by_results", "WT-LOSS", 12, "1446.00"),
            ]
        );
        let q2 = f
            .claim(&f.provider, f.contract,
                json!({"period_start": "2016-07-01", "period_end": "2016-09-30", "outcomes": {"SMK-QUIT": 100}}))
            .await;
        assert_eq!(q2.status, StatusCode::CREATED, "{}", q2.body);

        let s = f.summary(&f.provider).await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        let s = s.json();
        assert_eq!(
            lines(&s["due"]),
            [
                line("2016-04-30", "block", "", 0, "50000.00"),
                line(
                    "2016-06-30",
                    "payment_by_results",
                    "SMK-QUIT",
                    40,
                    "10000.00"
                ),
                line("2016-06-30", "payment_by_results", "WT-LOSS", 12, "1446.00"),
                line("2016-07-31", "block", "", 0, "50000.00"),
                line(
                    "2016-09-30",
                    "payment_by_results",
                    "SMK-QUIT",
                    100,
                    "25000.00"
                ),
            ]
        );
        // 50,000 + 10,000 + 1,446 + 50,000 + 25,000.
        assert_eq!(s["total_due"], "136446.00");
        assert_eq!(
            lines(&s["scheduled"]),
            [line("2017-01-31", "block", "", 0, "50000.00")]
        );
        // The third quarter has ended with no claim.
        assert_eq!(s["returns_due"][0]["period"], "2016-17 Q3");
        assert_eq!(s["returns_due"].as_array().unwrap().len(), 1);
        assert_eq!(s["claims"].as_array().unwrap().len(), 2);
        assert_eq!(s["regime"], "pcr2015");
    }
);

store_test!(
    async fn a_claim_over_a_cap_is_refused_naming_the_metric_and_cap_saving_nothing(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.set_terms(f.contract).await;
        let before = f.state(f.contract).await;
        // 121 quits at £250 = £30,250, over the £30,000 a quarter.
        let r = f
            .claim(
                &f.provider,
                f.contract,
                json!({"period_start": "2016-04-01", "frequency": "quarterly",
                       "outcomes": {"SMK-QUIT": 121, "WT-LOSS": 3}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "outcomes.SMK-QUIT");
        assert_eq!(
            message(&r),
            format!(
                "contract {}: outcome `SMK-QUIT` in 2016-17 Q1: 121 outcomes at £250.00 = \
                 £30,250.00 would exceed the period cap of £30,000.00",
                f.contract
            )
        );
        assert_eq!(f.state(f.contract).await, before);
        // A cap on outcomes is named the same way.
        let r = f
            .claim(
                &f.provider,
                f.contract,
                json!({"period_start": "2016-04-01", "outcomes": {"WT-LOSS": 51}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "outcomes.WT-LOSS");
        assert!(
            message(&r).ends_with("51 outcomes would exceed the period cap of 50 outcomes"),
            "{}",
            message(&r)
        );
        assert_eq!(f.state(f.contract).await, before);
    }
);

store_test!(
    async fn a_second_claim_for_the_same_period_is_refused_naming_the_period(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.set_terms(f.contract).await;
        let first = f
            .claim(
                &f.provider,
                f.contract,
                json!({"period_start": "2016-04-01", "outcomes": {"SMK-QUIT": 10}}),
            )
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let before = f.state(f.contract).await;
        let again = f
            .claim(&f.provider, f.contract,
                json!({"period_start": "2016-04-01", "period_end": "2016-06-30", "outcomes": {"WT-LOSS": 1}}))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(
            message(&again).contains("already has a claim for the period 2016-04-01 to 2016-06-30"),
            "{}",
            message(&again)
        );
        assert_eq!(f.state(f.contract).await, before);
    }
);

store_test!(
    async fn a_provider_cannot_claim_on_a_contract_it_does_not_hold(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.set_terms(f.rivals).await;
        let before = f.state(f.rivals).await;
        let r = f
            .claim(
                &f.provider,
                f.rivals,
                json!({"period_start": "2016-04-01", "outcomes": {"SMK-QUIT": 1}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(message(&r), format!("contract {} not found", f.rivals));
        // The council's own staff read the contract but do not claim on it.
        let r = f
            .claim(
                &f.commissioner,
                f.rivals,
                json!({"period_start": "2016-04-01", "outcomes": {"SMK-QUIT": 1}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            message(&r).contains(&format!("contract {}", f.rivals)),
            "{}",
            message(&r)
        );
        assert_eq!(f.state(f.rivals).await, before);
    }
);

pub fn invoice(received: &str, paid: &str) -> Value {
    json!({"amount": "50000.00", "component": "block", "invoice_reference": format!("INV-{paid}"),
           "invoice_date": "2016-04-29", "valid_invoice_received": received, "paid_on": paid,
           "period_start": "2016-04-01", "period_end": "2016-04-30"})
}

store_test!(
    async fn a_payment_31_days_after_a_valid_invoice_is_late_and_30_is_not(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.set_terms(f.contract).await;
        let on_time = f.pay(&f.finance, invoice("2016-05-02", "2016-06-01")).await;
        assert_eq!(on_time.status, StatusCode::CREATED, "{}", on_time.body);
        let on_time = on_time.json();
        assert_eq!(on_time["days_to_payment"], 30);
        assert_eq!(on_time["late"], false);
        assert_eq!(on_time["pay_by"], "2016-06-01");
        let late = f.pay(&f.finance, invoice("2016-05-02", "2016-06-02")).await;
        assert_eq!(late.status, StatusCode::CREATED, "{}", late.body);
        let late = late.json();
        assert_eq!(late["days_to_payment"], 31);
        assert_eq!(late["late"], true);
        assert_eq!(
            late["reason"],
            "paid on 2016-06-02, 31 days after the invoice was received, 1 day late: the 30 days \
             from the day the valid invoice was received, 2016-05-02, ended on 2016-06-01 \
             (PCR 2015 reg 113(2)(a))"
        );
        // A disputed invoice paid late is not late: the term covers undisputed invoices.
        let mut disputed = invoice("2016-05-02", "2016-07-29");
        disputed["disputed"] = json!(true);
        let disputed = f.pay(&f.finance, disputed).await.json();
        assert_eq!(
            (
                disputed["late"].clone(),
                disputed["days_to_payment"].clone()
            ),
            (json!(false), json!(88))
        );

        let s = f.summary(&f.provider).await.json();
        let made: Vec<(i64, bool)> = s["made"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["days_to_payment"].as_i64().unwrap(),
                    p["late"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(made, [(30, false), (31, true), (88, false)]);
        assert_eq!(s["late_count"], 1);
        assert_eq!(s["total_paid"], "150000.00");
        // (30 + 31 + 88) / 3 = 49.666…, to one place.
        assert_eq!(s["average_days_to_payment"], "49.7");
    }
);

store_test!(
    async fn a_provider_cannot_record_payments_and_another_council_cannot_read_them(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        let beta = f.app.user("finance@beta.test", "beta", Role::Finance).await;
        let before = f.state(f.contract).await;
        let r = f
            .pay(&f.provider, invoice("2016-05-02", "2016-06-01"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(f.state(f.contract).await, before);
        // Nor may the council's finance officers set the terms: that is its commissioners'.
        let r = f
            .app
            .json(
                Method::PUT,
                &format!("/api/v1/contracts/{}/payment-terms", f.contract),
                bearer(&f.finance),
                terms(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(f.state(f.contract).await, before);

        let r = f.summary(&beta).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = f.pay(&beta, invoice("2016-05-02", "2016-06-01")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(f.state(f.contract).await, before);
        // The supplier reads its own.
        assert_eq!(f.summary(&f.provider).await.status, StatusCode::OK);
    }
);

store_test!(
    async fn bad_terms_claims_and_payments_are_refused_naming_the_field(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        let mut bad = terms();
        bad["components"][1]["metrics"][0]["period_cap"] = json!("200.00");
        let r = f
            .app
            .json(
                Method::PUT,
                &format!("/api/v1/contracts/{}/payment-terms", f.contract),
                bearer(&f.commissioner),
                bad,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            message(&r).ends_with("component 2 (payment_by_results): metrics[1].period_cap (`SMK-QUIT`) £200.00 is below the price of one outcome, £250.00"),
            "{}",
            message(&r)
        );
        // Claims wait for terms.
        let r = f
            .claim(
                &f.provider,
                f.contract,
                json!({"period_start": "2016-04-01", "outcomes": {"SMK-QUIT": 1}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        f.set_terms(f.contract).await;
        for (body, field) in [
            (
                json!({"period_start": "2016-05-01", "frequency": "quarterly", "outcomes": {"SMK-QUIT": 1}}),
                "period_start",
            ),
            (
                json!({"period_start": "2016-10-01", "outcomes": {"SMK-QUIT": 1}}),
                "period_end",
            ),
            (
                json!({"period_start": "2016-04-01", "outcomes": {"NOPE": 1}}),
                "outcomes.NOPE",
            ),
            (
                json!({"period_start": "2016-04-01", "frequency": "quarterly", "units": 3}),
                "units",
            ),
            (
                json!({"period_start": "2016-04-01", "frequency": "quarterly"}),
                "units",
            ),
        ] {
            let r = f.claim(&f.provider, f.contract, body.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                r.body
            );
            assert_eq!(r.json()["error"]["field"], field, "{body}: {}", r.body);
        }
        for (change, field) in [
            (json!({"amount": "12.345"}), "amount"),
            (json!({"amount": "0.00"}), "amount"),
            (json!({"component": "cost_per_case"}), "component"),
            (
                json!({"valid_invoice_received": "2016-04-28"}),
                "valid_invoice_received",
            ),
            (json!({"paid_on": "2016-05-01"}), "paid_on"),
            (json!({"paid_on": "2016-12-16"}), "paid_on"),
        ] {
            let mut body = invoice("2016-05-02", "2016-06-01");
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let r = f.pay(&f.finance, body).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{change}: {}",
                r.body
            );
            assert_eq!(r.json()["error"]["field"], field, "{change}: {}", r.body);
        }
        assert!(
            f.app
                .store
                .contract_claims(f.contract)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            f.app
                .store
                .contract_payments(f.contract)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

store_test!(
    async fn the_page_shows_late_payments_and_takes_a_claim_and_a_payment_by_form(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.set_terms(f.contract).await;
        let path = format!("/contracts/{}/payments", f.contract);
        let provider_page = f.app.get(&path, session(&f.provider)).await;
        assert_eq!(provider_page.status, StatusCode::OK);
        assert!(provider_page.body.contains("id=\"claim-form\""));
        assert!(!provider_page.body.contains("id=\"payment-form\""));

        let claim = f
            .app
            .form(
                &format!("/contracts/{}/claims", f.contract),
                session(&f.provider),
                &[
                    ("csrf", &f.provider.csrf),
                    ("period_start", "2016-04-01"),
                    ("frequency", ""),
                    ("outcome:SMK-QUIT", "8"),
                    ("outcome:WT-LOSS", ""),
                ],
            )
            .await;
        assert_eq!(claim.status, StatusCode::SEE_OTHER, "{}", claim.body);
        assert_eq!(claim.location(), Some(path.as_str()));
        let claims = f.app.store.contract_claims(f.contract).await.unwrap();
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0].outcomes.get("SMK-QUIT"), Some(&8));
        assert!(!claims[0].outcomes.contains_key("WT-LOSS"));

        // Over the cap: the page again, with the domain's words.
        let over = f
            .app
            .form(
                &format!("/contracts/{}/claims", f.contract),
                session(&f.provider),
                &[
                    ("csrf", &f.provider.csrf),
                    ("period_start", "2016-07-01"),
                    ("outcome:SMK-QUIT", "121"),
                ],
            )
            .await;
        assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            over.body
                .contains("would exceed the period cap of £30,000.00"),
            "{}",
            over.body
        );
        assert_eq!(
            f.app.store.contract_claims(f.contract).await.unwrap().len(),
            1
        );

        let finance_page = f.app.get(&path, session(&f.finance)).await;
        assert!(finance_page.body.contains("id=\"payment-form\""));
        assert!(!finance_page.body.contains("id=\"claim-form\""));
        let paid = f
            .app
            .form(
                &path,
                session(&f.finance),
                &[
                    ("csrf", &f.finance.csrf),
                    ("invoice_reference", "INV-9"),
                    ("amount", "2000.00"),
                    ("component", "payment_by_results"),
                    ("period_start", "2016-04-01"),
                    ("period_end", "2016-06-30"),
                    ("invoice_date", "2016-07-01"),
                    ("valid_invoice_received", "2016-07-04"),
                    ("invoice_due_on", ""),
                    ("paid_on", "2016-08-04"),
                ],
            )
            .await;
        assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
        let page = f.app.get(&path, session(&f.provider)).await;
        assert!(
            page.body
                .contains("<strong>Paid late</strong>: paid on 2016-08-04, 31 days after"),
            "{}",
            page.body
        );
        assert!(page.body.contains("£2,000.00"));
        assert!(page.body.contains("2016-17 Q1"));
    }
);

store_test!(
    async fn the_provider_view_sums_its_own_payments_by_council(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.set_terms(f.contract).await;
        let claim = f
            .claim(
                &f.provider,
                f.contract,
                json!({"period_start": "2016-04-01", "frequency": "quarterly",
                       "outcomes": {"SMK-QUIT": 10}}),
            )
            .await;
        assert_eq!(claim.status, StatusCode::CREATED, "{}", claim.body);
        for body in [
            invoice("2016-05-02", "2016-06-01"),
            invoice("2016-05-02", "2016-06-02"),
            // Received on 1 November and unpaid on 15 December: past its 30 days.
            json!({"amount": "1234.56", "component": "block", "invoice_reference": "INV-NOV",
                   "invoice_date": "2016-10-31", "valid_invoice_received": "2016-11-01"}),
        ] {
            let r = f.pay(&f.finance, body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        // A payment to another provider is not in this one's view.
        let other = f
            .app
            .json(
                Method::POST,
                &format!("/api/v1/contracts/{}/payments", f.rivals),
                bearer(&f.finance),
                invoice("2016-05-02", "2016-05-20"),
            )
            .await;
        assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);

        let summary = f.summary(&f.provider).await.json();
        // Due by today: the April and July instalments and the claim's £2,500; paid: £100,000.
        assert_eq!(summary["total_due"], "102500.00");
        let view = f
            .app
            .get("/api/v1/providers/alpha-care", bearer(&f.provider))
            .await;
        assert_eq!(view.status, StatusCode::OK, "{}", view.body);
        assert_eq!(
            view.json()["payments"],
            json!([{"council": "alpha", "name": "Alpha County Council", "paid": "100000.00",
                    "payments": 2, "average_days_to_payment": "30.5", "late": 2,
                    "unpaid": "1234.56", "unpaid_invoices": 1, "due_unpaid": "2500.00"}])
        );
        // The commissioner sees the same figures on the provider's page.
        let page = f
            .app
            .get("/contracts/providers/alpha-care", session(&f.commissioner))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let row = page.body.split("<table id=\"payments\">").nth(1).unwrap();
        let row = row.split("</table>").next().unwrap();
        for cell in ["£100,000.00", "30.5", "£1,234.56 (1)", "£2,500.00"] {
            assert!(row.contains(cell), "{cell} missing from {row}");
        }
    }
);
