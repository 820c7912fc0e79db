//! Evaluation and award through the API and the pages: criteria whose weights do not sum to
//! 100% (422 naming the set), declarations of interest, scoring (403 without a declaration or
//! with a conflict), moderation, price opening, ranking, abnormally low bids, the award (409
//! before the evaluation is complete or during another standstill), assessment summaries and
//! the contract after standstill. Every refused write leaves the database as it was.

use super::support::{Auth, TestApp, TestUser};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use ngc_domain::Role;
use ngc_store::{Store, store_test};
use serde_json::{Value, json};

fn session(u: &TestUser) -> Auth<'_> {
    Auth::Session {
        secret: &u.session,
        csrf: &u.csrf,
    }
}

fn bearer(u: &TestUser) -> Auth<'_> {
    Auth::Bearer(&u.token)
}

/// A criteria set: quality criteria of the weights given, and price at `price` percent.
pub fn criteria(name: &str, quality: &[(&str, &str)], price: &str) -> Value {
    let scale = serde_json::to_value(
        ngc_domain::procurement::evaluation::ScoringScale::zero_to_five(),
    )
    .unwrap();
    let mut rows: Vec<Value> = quality
        .iter()
        .map(|(key, weight)| {
            json!({"key": key, "name": format!("The {key}"), "weight": weight,
                   "kind": "quality", "scale": scale})
        })
        .collect();
    rows.push(json!({"key": "price", "name": "Price", "weight": price, "kind": "price",
                     "method": "lowest_over_bid"}));
    json!({"name": name, "criteria": rows})
}

async fn tender_rows(store: &Store) -> String {
    let mut out = format!("{:?}\n", store.audit_head().await.unwrap());
    for t in store.list_tenders().await.unwrap() {
        out += &format!("{:?}\n", store.tender(t.id).await.unwrap());
    }
    out
}

store_test!(
    async fn criteria_whose_weights_do_not_sum_to_100_are_refused_naming_the_set(store: Store) {
        let app = TestApp::new(store).await;
        let c = app.user_for(Role::Commissioner).await;
        let before = tender_rows(&app.store).await;
        let deadline = (Utc::now() + Duration::days(30)).to_rfc3339();
        let mut body = json!({"reference": "E-1", "title": "Day services",
            "classification_scheme": "cpv", "classification_code": "85000000-9",
            "contract_type": "services", "procedure": "open", "estimated_value": "100000",
            "submission_deadline": deadline,
            "criteria": criteria("Quality and price", &[("method", "50"), ("staff", "20")], "20"),
            "lots": [{"title": "All", "estimated_value": "100000"}]});
        let r = app
            .json(Method::POST, "/api/v1/tenders", bearer(&c), body.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "criteria");
        assert_eq!(
            r.json()["error"]["message"],
            "the weights of criteria set `Quality and price` sum to 90%, not 100%"
        );
        // A lot's own criteria are checked too, naming the lot.
        body["criteria"] = json!({});
        body["lots"][0]["criteria"] = criteria("Lot set", &[("method", "70")], "40");
        let r = app
            .json(Method::POST, "/api/v1/tenders", bearer(&c), body.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "lots[0].criteria");
        assert_eq!(
            r.json()["error"]["message"],
            "the weights of criteria set `Lot set` sum to 110%, not 100%"
        );

        let deadline = (Utc::now() + Duration::days(30))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let mut fields = vec![
            ("csrf", c.csrf.as_str()),
            ("reference", "E-1"),
            ("title", "Day services"),
            ("classification_scheme", "cpv"),
            ("classification_code", "85000000-9"),
            ("contract_type", "services"),
            ("procedure", "open"),
            ("estimated_value", "100000"),
            ("reservation", "none"),
            ("submission_deadline", deadline.as_str()),
            ("lot_title_1", "All"),
            ("lot_value_1", "100000"),
            ("criteria_name", "Page set"),
            ("criterion_key_1", "method"),
            ("criterion_name_1", "Method statement"),
            ("criterion_weight_1", "60"),
            ("criterion_type_1", "quality"),
            ("criterion_key_2", "price"),
            ("criterion_name_2", "Price"),
            ("criterion_weight_2", "30"),
            ("criterion_type_2", "price"),
        ];
        let r = app.form("/procurement/tenders", session(&c), &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains(
                "criteria: the weights of criteria set `Page set` sum to 90%, not 100%"
            ),
            "{}",
            r.body
        );
        assert!(r.body.contains("value=\"Method statement\""), "{}", r.body);
        assert_eq!(tender_rows(&app.store).await, before);

        // Weights that do sum to 100% are kept as the domain's criteria set.
        fields[19].1 = "40";
        let r = app.form("/procurement/tenders", session(&c), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let t = &app.store.list_tenders().await.unwrap()[0];
        let set: ngc_domain::procurement::evaluation::CriteriaSet =
            serde_json::from_value(t.criteria.clone()).unwrap();
        assert_eq!(set.name(), "Page set");
        assert_eq!(set.criteria().len(), 2);
        assert!(set.price().is_some());
    }
);
