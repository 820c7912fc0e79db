//! The contract register through the API and the pages: each user lists and reads only the
//! contracts their organisation buys or supplies, joint contracts split their value to the
//! penny, a refused entry writes nothing, and the expiry pipeline says when to start again.

use super::support::{TestApp, TestUser, bearer, session};
use axum::http::{Method, StatusCode};
use ngc_domain::{ContractScope, Role};
use ngc_store::contracts::ContractFilter;
use ngc_store::{Store, store_test};
use serde_json::{Value, json};

/// Every contract row `organisation` may read as buyer, with its documents: what a refused
/// write must leave alone.
pub async fn contract_rows(store: &Store, organisation: i64) -> String {
    let filter = ContractFilter {
        today: store.today(),
        status: None,
        supplier: None,
        text: None,
        limit: 10_000,
        offset: 0,
    };
    let page = store
        .contracts_page(ContractScope::Buyer(organisation), &filter)
        .await
        .unwrap();
    let mut out = format!("{page:?}\n");
    for c in &page.contracts {
        out += &format!("{:?}\n", store.contract_documents(c.id).await.unwrap());
        out += &format!("{:?}\n", store.contract_revisions(c.id).await.unwrap());
    }
    out
}

async fn enter(app: &TestApp, by: &TestUser, org: &str, body: Value) -> super::support::Reply {
    app.json(
        Method::POST,
        &format!("/api/v1/organisations/{org}/contracts"),
        bearer(by),
        body,
    )
    .await
}

fn contract(reference: &str, supplier: &str, starts: &str, ends: &str) -> Value {
    json!({"reference": reference, "title": format!("Contract {reference}"),
           "supplier": supplier, "value": "1000.00", "starts_on": starts, "ends_on": ends})
}

async fn listed(app: &TestApp, user: &TestUser) -> Vec<String> {
    let reply = app.get("/api/v1/contracts", bearer(user)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reference"].as_str().unwrap().to_owned())
        .collect()
}

store_test!(
    async fn buyers_and_suppliers_each_list_and_read_only_their_own_contracts(store: Store) {
        let app = TestApp::new(store).await;
        let alpha = app.user_for(Role::Commissioner).await;
        let beta = app
            .user("commissioner@beta.test", "beta", Role::Commissioner)
            .await;
        let care = app.user_for(Role::Provider).await;
        let reply = enter(
            &app,
            &alpha,
            "alpha",
            contract("A-1", "alpha-care", "2026-01-01", "2028-12-31"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let a1 = reply.json();
        assert_eq!(a1["supplier"], "alpha-care");
        assert_eq!(
            a1["buyers"],
            json!([{"slug": "alpha", "share": "100", "amount": "1000.00"}])
        );
        assert_eq!(a1["value"], "1000.00");
        assert_eq!(a1["start_date"], "2026-01-01");
        assert_eq!(a1["end_date"], "2028-12-31");
        assert_eq!(a1["status"], "active");
        let reply = enter(
            &app,
            &beta,
            "beta",
            contract("B-1", "alpha-care", "2026-01-01", "2027-12-31"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let b1 = reply.json()["id"].as_i64().unwrap();
        let reply = enter(
            &app,
            &beta,
            "beta",
            contract("B-2", "gamma", "2026-01-01", "2027-12-31"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

        assert_eq!(listed(&app, &alpha).await, ["A-1"]);
        assert_eq!(listed(&app, &beta).await, ["B-1", "B-2"]);
        // The provider sees its contracts with both councils, and no one else's.
        assert_eq!(listed(&app, &care).await, ["B-1", "A-1"]);
        let reply = app
            .get(&format!("/api/v1/contracts/{b1}"), bearer(&alpha))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = app
            .get(&format!("/api/v1/contracts/{b1}"), bearer(&care))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.json()["contract"]["reference"], "B-1");
        assert_eq!(reply.json()["can_manage"], false);
        let page = app.get("/contracts", session(&care)).await;
        assert!(
            page.body.contains("B-1") && page.body.contains("A-1"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("B-2"));
    }
);

store_test!(
    async fn a_joint_contract_splits_to_the_penny_and_bad_shares_write_nothing(store: Store) {
        let app = TestApp::new(store).await;
        let alpha = app.user_for(Role::Commissioner).await;
        let mut body = contract("J-1", "alpha-care", "2026-01-01", "2028-12-31");
        body["value"] = json!("100.00");
        body["buyers"] = json!([{"organisation": "alpha", "share": "33.333334"},
                                {"organisation": "beta", "share": "33.333333"},
                                {"organisation": "gamma", "share": "33.333333"}]);
        let reply = enter(&app, &alpha, "alpha", body.clone()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let amounts: Vec<String> = reply.json()["buyers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["amount"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(amounts, ["33.34", "33.33", "33.33"]);

        let alpha_id = app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap()
            .id;
        let before = (
            app.store.audit_head().await.unwrap(),
            contract_rows(&app.store, alpha_id).await,
        );
        body["reference"] = json!("J-2");
        body["buyers"][2]["share"] = json!("30");
        let reply = enter(&app, &alpha, "alpha", body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.body.contains("buyers") && reply.body.contains("not 100%"),
            "{}",
            reply.body
        );
        let after = (
            app.store.audit_head().await.unwrap(),
            contract_rows(&app.store, alpha_id).await,
        );
        assert_eq!(before, after);
    }
);

store_test!(
    async fn a_provider_may_not_enter_a_contract_and_nothing_is_written(store: Store) {
        let app = TestApp::new(store).await;
        let care = app.user_for(Role::Provider).await;
        let finance = app.user_for(Role::Finance).await;
        let alpha_id = app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap()
            .id;
        let before = (
            app.store.audit_head().await.unwrap(),
            contract_rows(&app.store, alpha_id).await,
        );
        for (who, org) in [(&care, "alpha"), (&care, "alpha-care"), (&finance, "alpha")] {
            let reply = enter(
                &app,
                who,
                org,
                contract("X-1", "alpha-care", "2026-01-01", "2027-01-01"),
            )
            .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        }
        let after = (
            app.store.audit_head().await.unwrap(),
            contract_rows(&app.store, alpha_id).await,
        );
        assert_eq!(before, after);
    }
);

store_test!(
    async fn the_expiry_pipeline_lists_what_ends_soon_and_when_to_start_again(store: Store) {
        let app = TestApp::new(store).await;
        let alpha = app.user_for(Role::Commissioner).await;
        let today = app.store.today();
        let end = |months: u32| (today + chrono::Months::new(months)).to_string();
        let start = (today - chrono::Months::new(24)).to_string();
        for (r, m, value) in [
            ("SOON", 6, "900000.00"),
            ("SMALL", 12, "5000.00"),
            ("LATER", 30, "1.00"),
        ] {
            let mut body = contract(r, "alpha-care", &start, &end(m));
            body["value"] = json!(value);
            assert_eq!(
                enter(&app, &alpha, "alpha", body).await.status,
                StatusCode::CREATED
            );
        }
        let reply = app
            .get(
                "/api/v1/organisations/alpha/contracts/expiring?months=18",
                bearer(&alpha),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let p = reply.json();
        let rows: Vec<(String, bool, u64, String, bool)> = p["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["contract"]["reference"].as_str().unwrap().to_owned(),
                    e["above_threshold"].as_bool().unwrap(),
                    e["lead_months"].as_u64().unwrap(),
                    e["recommission_by"].as_str().unwrap().to_owned(),
                    e["overdue"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "SOON".to_owned(),
                    true,
                    18,
                    (today + chrono::Months::new(6) - chrono::Months::new(18)).to_string(),
                    true
                ),
                (
                    "SMALL".to_owned(),
                    false,
                    9,
                    (today + chrono::Months::new(12) - chrono::Months::new(9)).to_string(),
                    false
                ),
            ]
        );
        assert_eq!(p["value"], "905000.00");
        let page = app.get("/contracts/expiring", session(&alpha)).await;
        assert!(
            page.body.contains("SOON") || page.body.contains("Contract SOON"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("Contract LATER"));
        let beta = app.user("finance@beta.test", "beta", Role::Finance).await;
        let reply = app
            .get(
                "/api/v1/organisations/alpha/contracts/expiring",
                bearer(&beta),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
);

store_test!(
    async fn a_commissioner_enters_a_contract_and_adds_a_document_on_the_pages(store: Store) {
        let app = TestApp::new(store).await;
        let alpha = app.user_for(Role::Commissioner).await;
        let reply = app
            .form(
                "/contracts/new",
                session(&alpha),
                &[
                    ("csrf", alpha.csrf.as_str()),
                    ("reference", "P-1"),
                    ("title", "Meals at home"),
                    ("supplier", "alpha-care"),
                    ("value", "12000.00"),
                    ("starts_on", "2026-04-01"),
                    ("ends_on", "2026-03-01"),
                    ("route", "quotes"),
                    ("vat_treatment", "excluding_vat"),
                    ("contract_type", "services"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("ends_on"), "{}", reply.body);
        assert!(
            reply.body.contains("value=\"Meals at home\""),
            "the form keeps what was typed"
        );
        let reply = app
            .form(
                "/contracts/new",
                session(&alpha),
                &[
                    ("csrf", alpha.csrf.as_str()),
                    ("reference", "P-1"),
                    ("title", "Meals at home"),
                    ("supplier", "alpha-care"),
                    ("value", "12000.00"),
                    ("starts_on", "2026-04-01"),
                    ("ends_on", "2027-03-31"),
                    ("route", "quotes"),
                    ("vat_treatment", "excluding_vat"),
                    ("contract_type", "services"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let at = reply.location().unwrap().to_owned();
        let reply = app
            .form(
                &format!("{at}/documents"),
                session(&alpha),
                &[
                    ("csrf", alpha.csrf.as_str()),
                    ("title", "Signed contract"),
                    ("kind", "contract"),
                    ("url", "https://example.org/meals.pdf"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let page = app.get(&at, session(&alpha)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Meals at home") && page.body.contains("£12,000.00"),
            "{}",
            page.body
        );
        assert!(page.body.contains("https://example.org/meals.pdf"));
        assert!(page.body.contains("Quotes"));
    }
);

store_test!(
    async fn a_dependent_provider_with_income_ending_is_on_the_watch_list(store: Store) {
        let app = TestApp::new(store).await;
        let alpha = app.user_for(Role::Commissioner).await;
        let beta = app
            .user("commissioner@beta.test", "beta", Role::Commissioner)
            .await;
        let care = app.user_for(Role::Provider).await;
        let today = app.store.today();
        let start = (today - chrono::Months::new(6)).to_string();
        // A year's contract with alpha worth £90,000 ending in 3 months; £10,000 with beta
        // running for two more years.
        let mut a = contract(
            "W-1",
            "alpha-care",
            &start,
            &(today + chrono::Months::new(3)).to_string(),
        );
        a["value"] = json!("90000.00");
        assert_eq!(
            enter(&app, &alpha, "alpha", a).await.status,
            StatusCode::CREATED
        );
        let mut b = contract(
            "W-2",
            "alpha-care",
            &start,
            &(today + chrono::Months::new(6)).to_string(),
        );
        b["value"] = json!("10000.00");
        assert_eq!(
            enter(&app, &beta, "beta", b).await.status,
            StatusCode::CREATED
        );

        let reply = app
            .get("/api/v1/providers/alpha-care", bearer(&alpha))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let v = reply.json();
        assert_eq!(v["dependency_basis"], "contract_income");
        assert_eq!(v["dependency"][0]["council"], "alpha");
        assert_eq!(v["dependency"][0]["share_percent"], "90");
        assert_eq!(v["on_watch"], true, "{v}");
        let kinds: Vec<&str> = v["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["dependency", "income_ending"], "{v}");

        // Its own accounts: the turnover becomes the measure, and thin reserves a signal.
        let accounts = json!({"year_end": "2026-03-31", "turnover": "120000.00",
                              "net_assets": "5000.00", "reserves": "6000.00", "filed_on": "2026-09-30"});
        let reply = app
            .json(
                Method::POST,
                "/api/v1/providers/alpha-care/accounts",
                bearer(&care),
                accounts,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let v = app
            .get("/api/v1/providers/alpha-care", bearer(&care))
            .await
            .json();
        assert_eq!(v["dependency_basis"], "turnover");
        assert_eq!(v["dependency"][0]["share_percent"], "75");
        let kinds: Vec<&str> = v["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"thin_reserves"), "{v}");
        let reason = &v["flags"][0]["reason"];
        assert!(
            reason.as_str().unwrap().contains("Alpha County Council"),
            "{reason}"
        );

        // Another provider sees neither the view nor may enter the accounts.
        let rival = app
            .user("provider@rival.test", "gamma", Role::Provider)
            .await;
        let reply = app
            .get("/api/v1/providers/alpha-care", bearer(&rival))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let page = app
            .get("/contracts/providers/alpha-care", session(&alpha))
            .await;
        assert!(
            page.body.contains("On the viability watch list"),
            "{}",
            page.body
        );
    }
);

store_test!(
    async fn the_provider_page_lists_the_fifty_ending_soonest_and_the_api_every_one(store: Store) {
        let app = TestApp::new(store).await;
        let alpha = app.user_for(Role::Commissioner).await;
        let today = app.store.today();
        // 52 contracts, the n-th ending n days from today.
        for n in 1..=52u64 {
            let ends = (today + chrono::Days::new(n)).to_string();
            let body = contract(&format!("P-{n:02}"), "alpha-care", "2016-04-01", &ends);
            let r = enter(&app, &alpha, "alpha", body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let page = app
            .get("/contracts/providers/alpha-care", session(&alpha))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let table = page
            .body
            .split("<table id=\"provider-contracts\">")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap();
        let shown: Vec<&str> = table
            .split("<th scope=\"row\">Contract ")
            .skip(1)
            .map(|r| &r[..4])
            .collect();
        let soonest: Vec<String> = (1..=50).map(|n| format!("P-{n:02}")).collect();
        assert_eq!(shown, soonest);
        assert!(
            page.body.contains("The 50 ending soonest of 52."),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("href=\"/contracts?supplier=alpha-care\"")
        );
        let api = app
            .get("/api/v1/providers/alpha-care", bearer(&alpha))
            .await;
        assert_eq!(api.json()["contracts"].as_array().unwrap().len(), 52);
    }
);
