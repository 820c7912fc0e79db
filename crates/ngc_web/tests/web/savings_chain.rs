//! The savings evidence chain through the API and the tracker: a saving linked to a contract
//! shows what the contract's price evidences against the stated baseline, the evidenced figure
//! becomes the delivered one and its shortfall rolls into the next year's gap once, splits
//! never exceed the evidence, and a refused link writes nothing.

use super::support::{TestApp, TestUser, bearer, fixture_plan, seg, session};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::store_test;
use serde_json::{Value, json};

fn savings_path(org: &str) -> String {
    format!(
        "/api/v1/organisations/{org}/plans/{}/savings",
        seg(&fixture_plan().name)
    )
}

/// Enters a one-year contract of alpha's from April 2015 at £1m, and gives its id.
async fn contract(app: &TestApp, by: &TestUser, reference: &str) -> i64 {
    let reply = app
        .json(
            Method::POST,
            "/api/v1/organisations/alpha/contracts",
            bearer(by),
            json!({"reference": reference, "title": "Waste disposal", "supplier": "alpha-care",
                   "value": "1000000.00", "starts_on": "2015-04-01", "ends_on": "2016-03-31"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["id"].as_i64().unwrap()
}

async fn link(app: &TestApp, by: &TestUser, org: &str, saving: &str, body: Value) -> Value {
    let reply = app
        .json(
            Method::POST,
            &format!("{}/{saving}/links", savings_path(org)),
            bearer(by),
            body,
        )
        .await;
    json!({"status": reply.status.as_u16(), "body": reply.json()})
}

async fn saving(app: &TestApp, by: &TestUser, reference: &str) -> Value {
    let reply = app.get(&savings_path("alpha"), bearer(by)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reference"] == reference)
        .cloned()
        .unwrap()
}

async fn pressures(app: &TestApp, by: &TestUser, year: &str) -> String {
    let path = format!(
        "/api/v1/organisations/alpha/plans/{}/report",
        seg(&fixture_plan().name)
    );
    let report = app.get(&path, bearer(by)).await.json();
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == year)
        .unwrap()["pressures"]
        .as_str()
        .unwrap()
        .to_owned()
}

store_test!(
    async fn a_contract_evidences_its_saving_and_the_shortfall_rolls_on(store: Store) {
        let app = TestApp::new(store).await;
        let finance = app.user_for(Role::Finance).await;
        let commissioner = app.user_for(Role::Commissioner).await;
        let id = contract(&app, &commissioner, "W-1").await;
        let before = pressures(&app, &finance, "2016-17").await;

        // ENV-01 plans £7m in 2015-16; the £1m contract replaces £7.5m of cost: £6.5m.
        let made = link(
            &app,
            &finance,
            "alpha",
            "ENV-01",
            json!({"kind": "contract", "id": id, "baseline": "7500000.00"}),
        )
        .await;
        assert_eq!(made["status"], 201, "{made}");
        assert_eq!(made["body"]["kind"], "contract");
        assert_eq!(made["body"]["id"], id);
        assert_eq!(made["body"]["title"], "Waste disposal");
        assert_eq!(made["body"]["full_year_saving"], "6500000.00");

        let s = saving(&app, &finance, "ENV-01").await;
        assert_eq!(s["links"].as_array().unwrap().len(), 1);
        assert_eq!(s["links"][0]["kind"], "contract");
        assert_eq!(s["planned"], "7000000.00");
        assert_eq!(s["evidenced"], "6500000.00");
        assert_eq!(s["delivered"], "6500000.00");
        let first = &s["years"][0];
        assert_eq!(first["year"], "2015-16");
        assert_eq!(first["planned"], "7000000.00");
        assert_eq!(first["evidenced"], "6500000.00");
        assert_eq!(first["delivered"], "6500000.00");
        assert_eq!(first["gap"], "500000.00");
        assert_eq!(
            s["years"][1]["evidenced"],
            Value::Null,
            "the contract ended"
        );

        // The £0.5m shortfall of 2015-16 is a pressure of 2016-17, once.
        let after = pressures(&app, &finance, "2016-17").await;
        let diff = after.parse::<rust_decimal::Decimal>().unwrap()
            - before.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(diff, "500000.00".parse().unwrap());

        // The tracker shows the chain and the evidenced figure.
        let page = app
            .get(
                &format!("/finance/plans/{}/savings", seg(&fixture_plan().name)),
                session(&finance),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains(&format!("<a href=\"/contracts/{id}\">Waste disposal</a>"))
        );
        assert!(
            page.body
                .contains("saves £6,500,000.00 a year against a baseline of £7,500,000.00")
        );
    }
);

store_test!(
    async fn splits_of_one_contract_never_exceed_it(store: Store) {
        let app = TestApp::new(store).await;
        let finance = app.user_for(Role::Finance).await;
        let commissioner = app.user_for(Role::Commissioner).await;
        let id = contract(&app, &commissioner, "W-2").await;
        let whole = json!({"kind": "contract", "id": id, "baseline": "3000000.00"});
        assert_eq!(
            link(&app, &finance, "alpha", "ENV-01", whole).await["status"],
            201
        );
        let head = app.store.audit_head().await.unwrap();
        let plan = app.store.list_plans("alpha").await.unwrap()[0].id;
        let links = app.store.saving_links(plan).await.unwrap();

        // A second saving on the same contract needs both to carry split amounts.
        let second = json!({"kind": "contract", "id": id, "amount": "500000.00"});
        let refused = link(&app, &finance, "alpha", "CSC-01", second).await;
        assert_eq!(refused["status"], 422, "{refused}");
        assert_eq!(refused["body"]["error"]["field"], "amount", "{refused}");
        assert_eq!(
            app.store.audit_head().await.unwrap(),
            head,
            "nothing written"
        );
        assert_eq!(app.store.saving_links(plan).await.unwrap(), links);

        // With splits: £1.5m + £0.5m of the £2m evidence is fine; £1.6m more is not.
        let s = saving(&app, &finance, "ENV-01").await;
        let link_id = s["links"][0]["link_id"].as_i64().unwrap();
        let removed = app
            .json(
                Method::DELETE,
                &format!("{}/ENV-01/links/{link_id}", savings_path("alpha")),
                bearer(&finance),
                Value::Null,
            )
            .await;
        assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
        let a =
            json!({"kind": "contract", "id": id, "baseline": "3000000.00", "amount": "1500000.00"});
        assert_eq!(
            link(&app, &finance, "alpha", "ENV-01", a).await["status"],
            201
        );
        let b = json!({"kind": "contract", "id": id, "amount": "500000.00"});
        assert_eq!(
            link(&app, &finance, "alpha", "CSC-01", b).await["status"],
            201
        );
        let over = json!({"kind": "contract", "id": id, "amount": "0.01"});
        let refused = link(&app, &finance, "alpha", "CSC-01", over).await;
        assert_eq!(refused["status"], 422, "{refused}");
        assert!(
            refused["body"]["error"]["message"]
                .as_str()
                .unwrap()
                .contains("add up to £2,000,000.01, more than its £2,000,000.00"),
            "{refused}"
        );
        let csc = saving(&app, &finance, "CSC-01").await;
        assert_eq!(csc["years"][0]["evidenced"], "500000.00");
    }
);

store_test!(
    async fn a_council_links_only_its_own_records(store: Store) {
        let app = TestApp::new(store).await;
        let commissioner = app.user_for(Role::Commissioner).await;
        let beta = app.user("finance@beta.test", "beta", Role::Finance).await;
        let care = app.user_for(Role::Provider).await;
        let id = contract(&app, &commissioner, "W-3").await;
        let head = app.store.audit_head().await.unwrap();
        let body = json!({"kind": "contract", "id": id, "baseline": "2000000.00"});
        let theirs = link(&app, &beta, "beta", "ENV-01", body.clone()).await;
        assert_eq!(theirs["status"], 404, "{theirs}");
        let not_finance = link(&app, &care, "alpha", "ENV-01", body.clone()).await;
        assert_eq!(not_finance["status"], 403, "{not_finance}");
        let shared = json!({"kind": "shared_service", "id": 1});
        let refused = link(&app, &beta, "beta", "ENV-01", shared).await;
        assert_eq!(refused["body"]["error"]["field"], "kind", "{refused}");
        assert_eq!(
            app.store.audit_head().await.unwrap(),
            head,
            "nothing written"
        );
        let reply = app.get(&savings_path("alpha"), bearer(&beta)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
);
