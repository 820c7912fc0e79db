//! Evaluation and award through the API and the pages: criteria whose weights do not sum to
//! 100% (422 naming the set), declarations of interest, scoring (403 without a declaration or
//! with a conflict), moderation, price opening, ranking, abnormally low bids, the award (409
//! before the evaluation is complete or during another standstill), assessment summaries and
//! the contract after standstill. Every refused write leaves the database as it was.

use super::support::{TestApp, TestUser, bearer, session};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use ngc_domain::Role;
use ngc_store::{Store, store_test};
use serde_json::{Value, json};

/// A criteria set: quality criteria of the weights given, and price at `price` percent.
pub fn criteria(name: &str, quality: &[(&str, &str)], price: &str) -> Value {
    let scale =
        serde_json::to_value(ngc_domain::procurement::evaluation::ScoringScale::zero_to_five())
            .unwrap();
    let mut rows: Vec<Value> = quality
        .iter()
        .map(|(key, weight)| {
            json!({"key": key, "name": format!("The {key}"), "weight": weight,
                   "kind": "quality", "scale": scale})
        })
        .collect();
    rows.push(
        json!({"key": "price", "name": "Price", "weight": price, "kind": "price",
                     "method": "lowest_over_bid"}),
    );
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
            r.body
                .contains("criteria: the weights of criteria set `Page set` sum to 90%, not 100%"),
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

/// Everything a refused evaluation write could touch.
pub async fn evaluation_rows(store: &Store, tender: i64) -> String {
    let mut out = format!("{:?}\n", store.audit_head().await.unwrap());
    out += &format!("{:?}\n", store.tender_panel(tender).await.unwrap());
    out += &format!("{:?}\n", store.evaluator_scores(tender).await.unwrap());
    out += &format!("{:?}\n", store.moderated_scores(tender).await.unwrap());
    out += &format!("{:?}\n", store.price_scores(tender).await.unwrap());
    out += &format!("{:?}\n", store.abnormally_low_steps(tender).await.unwrap());
    out += &format!("{:?}\n", store.awards_of_tender(tender).await.unwrap());
    out += &format!("{:?}\n", store.assessment_summaries(tender).await.unwrap());
    out += &format!("{:?}\n", store.contracts_of_tender(tender).await.unwrap());
    out += &format!("{:?}\n", store.releases_of_tender(tender).await.unwrap());
    out
}

/// A closed PCR 2015 tender of alpha (two lots) with the criteria set given, led by `lead`,
/// and a bid from each provider at the prices given for lot 1.
async fn closed_tender(app: &TestApp, lead: &TestUser, bidders: &[(&TestUser, &str)]) -> i64 {
    use super::bids::{before, bid_body, midnight_today, tender};
    let deadline = midnight_today();
    let t = tender(
        &app.store,
        "EV-1",
        "alpha",
        lead.user.id,
        deadline,
        ngc_domain::procurement::Reservation::None,
    )
    .await;
    let set = criteria("Quality and price", &[("method", "60")], "40").to_string();
    app.store
        .execute_raw(&format!(
            "UPDATE tenders SET criteria = '{set}', regime = 'pcr2015' WHERE id = {}",
            t.id
        ))
        .await
        .unwrap();
    let bidding = before(&app.store, deadline);
    for (u, price) in bidders {
        let content = bid_body(price, "Our method");
        let new = ngc_store::bids::NewBid {
            tender_id: t.id,
            organisation_id: u.user.organisation_id,
            content: &content,
        };
        bidding
            .submit_bid(&new, &ngc_store::Actor::system())
            .await
            .unwrap();
    }
    t.id
}

fn bid_of(bids: &[ngc_store::bids::Bid], org: &str) -> i64 {
    bids.iter().find(|b| b.organisation == org).unwrap().id
}

store_test!(
    async fn an_evaluation_runs_to_contract_and_refuses_each_step_out_of_turn(store: Store) {
        use crate::web::bids::{commissioner, provider};
        let app = TestApp::new(store).await;
        let lead = commissioner(&app, "alpha").await;
        let e1 = app.user("e1@alpha.test", "alpha", Role::Evaluator).await;
        let e2 = app.user("e2@alpha.test", "alpha", Role::Evaluator).await;
        let e3 = app.user("e3@alpha.test", "alpha", Role::Evaluator).await;
        let care = provider(&app, "alpha-care").await;
        let rival = provider(&app, "rival-care").await;
        let cheap = provider(&app, "cheap-care").await;
        let id = closed_tender(
            &app,
            &lead,
            &[
                (&care, "90000.00"),
                (&rival, "100000.00"),
                (&cheap, "50000.00"),
            ],
        )
        .await;
        for u in [&e1, &e2, &e3] {
            app.store
                .assign_panel_member(id, u.user.id, &ngc_store::Actor::system())
                .await
                .unwrap();
        }
        let bids = app.store.bids_of_tender(id).await.unwrap();
        let (b_care, b_rival, b_cheap) = (
            bid_of(&bids, "alpha-care"),
            bid_of(&bids, "rival-care"),
            bid_of(&bids, "cheap-care"),
        );
        let api = |p: &str| format!("/api/v1/tenders/{id}/{p}");
        let page = |p: &str| format!("/procurement/tenders/{id}/{p}");
        let score = |bid: i64, s: u32| {
            json!({"bid": bid, "lot": "1", "criterion": "method", "score": s,
                   "comment": "A clear method"})
        };

        // Scoring before declaring: 403, through the API and the page; nothing changes.
        let before = evaluation_rows(&app.store, id).await;
        let r = app
            .json(Method::POST, &api("scores"), bearer(&e1), score(b_care, 4))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            r.body.contains("declare whether you have a conflict"),
            "{}",
            r.body
        );
        let bid = b_care.to_string();
        let fields = [
            ("csrf", e1.csrf.as_str()),
            ("bid", bid.as_str()),
            ("lot", "1"),
            ("criterion", "method"),
            ("score", "4"),
            ("comment", "A clear method"),
        ];
        let r = app.form(&page("scores"), session(&e1), &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(evaluation_rows(&app.store, id).await, before);

        // Declarations: e1 and e3 none (API), e2 a conflict (page), which removes e2.
        let r = app
            .json(
                Method::POST,
                &api("declarations"),
                bearer(&e1),
                json!({"conflict": false, "declaration": "No interest in any bidder"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["conflict"], false);
        assert!(r.json()["removed_at"].is_null());
        let r = app
            .json(
                Method::POST,
                &api("declarations"),
                bearer(&e3),
                json!({"declaration": "None"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .form(
                &page("declarations"),
                session(&e2),
                &[
                    ("csrf", e2.csrf.as_str()),
                    ("conflict", "true"),
                    ("declaration", "My sister runs rival-care"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let m = app
            .store
            .panel_member(id, e2.user.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.conflict, Some(true));
        assert!(m.removed_at.is_some());
        // A declaration is made once.
        let r = app
            .json(
                Method::POST,
                &api("declarations"),
                bearer(&e1),
                json!({"declaration": "Again"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        // The conflicted evaluator may not score: 403 on the API and the page.
        let before = evaluation_rows(&app.store, id).await;
        let r = app
            .json(Method::POST, &api("scores"), bearer(&e2), score(b_rival, 1))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.body.contains("conflict of interest"), "{}", r.body);
        let mut fields2 = fields;
        fields2[0].1 = e2.csrf.as_str();
        let r = app.form(&page("scores"), session(&e2), &fields2).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(evaluation_rows(&app.store, id).await, before);

        // Independent scores; a re-score keeps the old one.
        for (u, bid, s) in [
            (&e1, b_care, 3),
            (&e1, b_care, 4),
            (&e3, b_care, 2),
            (&e1, b_rival, 3),
        ] {
            let r = app
                .json(Method::POST, &api("scores"), bearer(u), score(bid, s))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let r = app.form(&page("scores"), session(&e1), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let all = app.store.evaluator_scores(id).await.unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(all.iter().filter(|s| s.superseded_at.is_some()).count(), 2);
        // Before moderation an evaluator sees only their own scores.
        let r = app.get(&api("evaluation"), bearer(&e3)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let seen: Vec<Value> = r.json()["lots"][0]["scores"].as_array().unwrap().clone();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen.iter().all(|s| s["evaluator"] == "e3@alpha.test"));
        assert!(r.json()["lots"][0]["prices"].as_array().unwrap().is_empty());
        let r = app.get(&page("evaluation"), session(&e3)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains("e1@alpha.test"), "{}", r.body);

        // An award before the evaluation is complete: 409, API and page; nothing changes.
        let before = evaluation_rows(&app.store, id).await;
        let award = json!({"lot": "1", "winner": "alpha-care"});
        let r = app
            .json(Method::POST, &api("award"), bearer(&lead), award.clone())
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("is not complete"), "{}", r.body);
        let r = app
            .form(
                &page("award"),
                session(&lead),
                &[
                    ("csrf", lead.csrf.as_str()),
                    ("lot", "1"),
                    ("winner", "alpha-care"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(evaluation_rows(&app.store, id).await, before);

        // Moderation by the lead; an evaluator then sees the others' moderated scores.
        for (bid, s) in [(b_care, 4), (b_rival, 3), (b_cheap, 5)] {
            let r = app
                .json(
                    Method::POST,
                    &api("moderations"),
                    bearer(&lead),
                    json!({"bid": bid, "lot": "1", "criterion": "method", "score": s,
                           "comment": "Agreed at the moderation meeting"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let r = app.get(&api("evaluation"), bearer(&e3)).await;
        let seen = r.json()["lots"][0]["scores"].as_array().unwrap().clone();
        assert!(
            seen.iter().any(|s| s["evaluator"] == "e1@alpha.test"),
            "{seen:?}"
        );
        // An evaluator does not moderate.
        let r = app
            .json(
                Method::POST,
                &api("moderations"),
                bearer(&e1),
                json!({"bid": b_care, "lot": "1", "criterion": "method", "score": 5,
                       "comment": "Mine"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // Prices are opened through the sealed bids (each read audited), scored and screened.
        let r = app
            .json(
                Method::POST,
                &api("price-openings"),
                bearer(&lead),
                json!({"lot": "1"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let prices = r.json();
        assert_eq!(prices.as_array().unwrap().len(), 3, "{prices}");
        let cheap_price = prices
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["bid"] == b_cheap)
            .unwrap();
        assert_eq!(cheap_price["price"], "50000.00");
        assert_eq!(cheap_price["score"], "40.00");
        let r = app
            .json(
                Method::POST,
                &api("price-openings"),
                bearer(&lead),
                json!({"lot": "1"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        // The cheap bid is flagged: no award until it is decided, and no decision before an
        // explanation is recorded.
        let r = app
            .json(Method::POST, &api("award"), bearer(&lead), award.clone())
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("abnormally low"), "{}", r.body);
        let step = |action: &str| {
            json!({"bid": b_cheap, "lot": "1", "action": action,
                   "text": "Volunteers deliver part of the service"})
        };
        let r = app
            .json(
                Method::POST,
                &api("abnormally-low"),
                bearer(&lead),
                step("reject"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        for action in ["request_explanation", "record_explanation", "reject"] {
            let r = app
                .json(
                    Method::POST,
                    &api("abnormally-low"),
                    bearer(&lead),
                    step(action),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
        }
        assert_eq!(app.store.abnormally_low_steps(id).await.unwrap().len(), 4);

        // The award: to the first-ranked admissible bid only.
        let r = app
            .json(
                Method::POST,
                &api("award"),
                bearer(&lead),
                json!({"lot": "1", "winner": "rival-care"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "winner");
        let r = app
            .json(Method::POST, &api("award"), bearer(&lead), award.clone())
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let a = r.json();
        assert_eq!(a["supplier"], "alpha-care");
        assert_eq!(a["value"], "90000.00");
        assert_eq!(a["regime"], "pcr2015");
        let ends_on: chrono::NaiveDate = a["standstill_ends_on"].as_str().unwrap().parse().unwrap();
        let award_id = a["id"].as_i64().unwrap();
        let releases = app.store.releases_of_tender(id).await.unwrap();
        assert!(
            releases
                .iter()
                .any(|r| r.slot == format!("award:{award_id}"))
        );

        // Another award during this one's standstill: 409, API and page.
        let before = evaluation_rows(&app.store, id).await;
        let r = app
            .json(
                Method::POST,
                &api("award"),
                bearer(&lead),
                json!({"lot": "2", "winner": "alpha-care"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            r.body.contains("is in standstill until the end of"),
            "{}",
            r.body
        );
        let r = app
            .form(
                &page("award"),
                session(&lead),
                &[
                    ("csrf", lead.csrf.as_str()),
                    ("lot", "2"),
                    ("winner", "alpha-care"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // No contract during standstill.
        let contract =
            json!({"award": award_id, "starts_on": (ends_on + Duration::days(2)).to_string()});
        let r = app
            .json(
                Method::POST,
                &api("contracts"),
                bearer(&lead),
                contract.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("standstill"), "{}", r.body);
        assert_eq!(evaluation_rows(&app.store, id).await, before);

        // Assessment summaries: one per ranked bidder; each provider reads only its own.
        let r = app
            .json(
                Method::POST,
                &api("summaries"),
                bearer(&lead),
                json!({"award": award_id}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["summaries"].as_array().unwrap().len(), 2);
        let r = app.get(&api("summaries"), bearer(&rival)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let mine = r.json()["summaries"].as_array().unwrap().clone();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["organisation"], "rival-care");
        assert_eq!(mine[0]["summary"]["successful"], false);
        assert_eq!(
            mine[0]["summary"]["standstill_ends_on"],
            ends_on.to_string()
        );
        let r = app.get(&page("outcome"), session(&care)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("summary-alpha-care"), "{}", r.body);
        assert!(!r.body.contains("summary-rival-care"), "{}", r.body);
        let r = app.get(&api("summaries"), bearer(&cheap)).await;
        assert!(
            r.json()["summaries"].as_array().unwrap().is_empty(),
            "{}",
            r.body
        );
        let r = app.get(&api("summaries"), bearer(&e1)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // After standstill the contract is recorded with the buyers' shares.
        let later = app
            .store
            .clone()
            .with_clock(ngc_store::Clock::on(ends_on + Duration::days(1)));
        let app2 = app.reconfigured(later, Default::default());
        let r = app2
            .json(
                Method::POST,
                &api("contracts"),
                bearer(&lead),
                contract.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let c = r.json();
        assert_eq!(c["supplier"], "alpha-care");
        assert_eq!(c["value"], "90000.00");
        assert_eq!(c["buyers"][0]["organisation"], "alpha");
        assert_eq!(c["buyers"][0]["amount"], "90000.00");
        let releases = app.store.releases_of_tender(id).await.unwrap();
        assert!(releases.iter().any(|r| r.slot.starts_with("contract:")));
        let r = app2
            .json(Method::POST, &api("contracts"), bearer(&lead), contract)
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    }
);

store_test!(
    async fn two_envelope_prices_stay_sealed_from_the_panel_until_opened(store: Store) {
        use crate::web::bids::{commissioner, provider};
        use ngc_app::bids::SEALED_PRICE;
        let app = TestApp::new(store).await;
        let lead = commissioner(&app, "alpha").await;
        let e1 = app.user("e1@alpha.test", "alpha", Role::Evaluator).await;
        let care = provider(&app, "alpha-care").await;
        let rival = provider(&app, "rival-care").await;
        let id = closed_tender(&app, &lead, &[(&care, "90000.00"), (&rival, "100000.00")]).await;
        app.store
            .execute_raw(&format!(
                "UPDATE tenders SET two_envelope = TRUE WHERE id = {id}"
            ))
            .await
            .unwrap();
        app.store
            .assign_panel_member(id, e1.user.id, &ngc_store::Actor::system())
            .await
            .unwrap();
        let api = |p: &str| format!("/api/v1/tenders/{id}/{p}");
        let r = app
            .json(
                Method::POST,
                &api("declarations"),
                bearer(&e1),
                json!({"declaration": "No interest in any bidder"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let bids = app.store.bids_of_tender(id).await.unwrap();
        let b_care = bid_of(&bids, "alpha-care");
        let price_of = |content: &Value, lot: usize| content["lots"][lot]["price"].clone();

        // The evaluator reads the quality envelope: every price sealed, on the API and the page.
        let r = app
            .get(&format!("/api/v1/bids/{b_care}"), bearer(&e1))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(price_of(&r.json()["content"], 0), SEALED_PRICE);
        assert_eq!(price_of(&r.json()["content"], 1), SEALED_PRICE);
        assert_eq!(r.json()["content"]["answers"][0]["text"], "Our method");
        let page = app
            .get(&format!("/procurement/bids/{b_care}"), session(&e1))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(SEALED_PRICE), "{}", page.body);
        assert!(!page.body.contains("90000.00"), "{}", page.body);
        // The lead reads the bid whole.
        let r = app
            .get(&format!("/api/v1/bids/{b_care}"), bearer(&lead))
            .await;
        assert_eq!(price_of(&r.json()["content"], 0), "90000.00");

        // Once lot 1 is moderated and its prices opened, the evaluator sees lot 1's price;
        // lot 2's stays sealed.
        for bid in [b_care, bid_of(&bids, "rival-care")] {
            let r = app
                .json(
                    Method::POST,
                    &api("moderations"),
                    bearer(&lead),
                    json!({"bid": bid, "lot": "1", "criterion": "method", "score": 4,
                           "comment": "Agreed at moderation"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let r = app
            .json(
                Method::POST,
                &api("price-openings"),
                bearer(&lead),
                json!({"lot": "1"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .get(&format!("/api/v1/bids/{b_care}"), bearer(&e1))
            .await;
        assert_eq!(price_of(&r.json()["content"], 0), "90000.00");
        assert_eq!(price_of(&r.json()["content"], 1), SEALED_PRICE);
    }
);
