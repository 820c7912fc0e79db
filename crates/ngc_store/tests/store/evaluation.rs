//! The evaluation records: declarations made once, every score and moderation kept as a
//! version, prices opened once per lot, the abnormally-low steps appended in turn, one award
//! per lot, summaries sent once, a contract per award with its buyers' shares. A refused
//! write leaves everything as it was.

use super::fixtures::{contract as new_contract, joint_tender, provider};
use chrono::Duration;
use ngc_domain::money::Money;
use ngc_store::bids::NewBid;
use ngc_store::evaluation::{NewAward, NewPrice, NewScore};
use ngc_store::sealing::{BidKey, KeyRing};
use ngc_store::{Actor, Store, StoreError, store_test};
use serde_json::json;

async fn rows(store: &Store, t: i64) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        store.audit_head().await.unwrap(),
        store.tender_panel(t).await.unwrap(),
        store.evaluator_scores(t).await.unwrap(),
        store.moderated_scores(t).await.unwrap(),
        store.price_scores(t).await.unwrap(),
        store.abnormally_low_steps(t).await.unwrap(),
        store.awards_of_tender(t).await.unwrap(),
        store.assessment_summaries(t).await.unwrap(),
        store.contracts_of_tender(t).await.unwrap(),
    )
}

fn conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Conflict(why)) => why,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

store_test!(
    async fn evaluation_records_keep_every_version_and_refuse_repeats(store: Store) {
        let store = store.with_bid_keys(KeyRing::single(BidKey::from_bytes([7; 32])));
        let (t, people) = joint_tender(&store, store.now() + Duration::days(3)).await;
        store
            .execute_raw(&format!(
                "UPDATE tenders SET status = 'published' WHERE id = {}",
                t.id
            ))
            .await
            .unwrap();
        let a = Actor::system();
        let org = store
            .create_organisation(&provider("nene-care", "Nene Valley Care", None), &a)
            .await
            .unwrap()
            .id;
        let content = json!({"lots": [{"lot": "1", "price": "100.00"}]});
        let bid = store
            .submit_bid(
                &NewBid {
                    tender_id: t.id,
                    organisation_id: org,
                    content: &content,
                },
                &a,
            )
            .await
            .unwrap()
            .id;

        // Declarations: once; a conflict removes the member.
        for u in [people.lead_evaluator, people.partner_evaluator] {
            store.assign_panel_member(t.id, u, &a).await.unwrap();
        }
        let m = store
            .declare_interest(t.id, people.lead_evaluator, false, "None", &a)
            .await
            .unwrap();
        assert_eq!((m.conflict, m.removed_at), (Some(false), None));
        let m = store
            .declare_interest(t.id, people.partner_evaluator, true, "A director", &a)
            .await
            .unwrap();
        assert_eq!(m.conflict, Some(true));
        assert_eq!(m.removed_at, m.declared_at);
        let before = rows(&store, t.id).await;
        let why = conflict(
            store
                .declare_interest(t.id, people.lead_evaluator, true, "Changed my mind", &a)
                .await,
        );
        assert!(why.contains("made once"), "{why}");
        assert_eq!(rows(&store, t.id).await, before);

        // Scores and moderations: a new one supersedes, the old one stays.
        let s = |score: i32, text: &'static str| NewScore {
            tender_id: t.id,
            lot_number: 1,
            bid_id: bid,
            criterion: "method",
            score,
            text,
        };
        store
            .record_evaluator_score(&s(2, "Thin"), people.lead_evaluator, &a)
            .await
            .unwrap();
        store
            .record_evaluator_score(
                &s(3, "On a second reading, sound"),
                people.lead_evaluator,
                &a,
            )
            .await
            .unwrap();
        let scores = store.evaluator_scores(t.id).await.unwrap();
        assert_eq!(scores.len(), 2);
        assert!(scores[0].superseded_at.is_some() && scores[1].superseded_at.is_none());
        assert_eq!((scores[0].score, scores[1].score), (2, 3));
        assert_eq!(scores[1].evaluator, "eval@northampton.test");
        store
            .record_moderated_score(&s(3, "Agreed"), &a)
            .await
            .unwrap();
        store
            .record_moderated_score(&s(4, "Agreed again"), &a)
            .await
            .unwrap();
        let moderated = store.moderated_scores(t.id).await.unwrap();
        assert_eq!(moderated.len(), 2);
        assert!(moderated[0].superseded_at.is_some() && moderated[1].superseded_at.is_none());

        // Prices: opened once per lot, with the flags as the first abnormally-low step.
        let price = NewPrice {
            bid_id: bid,
            price: Money::pounds(100),
            lowest: Money::pounds(100),
            method: Some("lowest_over_bid".into()),
            maximum: Some("40".into()),
            score: Some("40.00".into()),
        };
        let flagged = json!({"status": "flagged"});
        let flags = [(
            bid,
            flagged.clone(),
            json!([{"rule": "below_buyer_estimate"}]),
        )];
        store
            .record_price_opening(t.id, 1, std::slice::from_ref(&price), &flags, &a)
            .await
            .unwrap();
        let before = rows(&store, t.id).await;
        let why = conflict(store.record_price_opening(t.id, 1, &[price], &[], &a).await);
        assert!(why.contains("already opened"), "{why}");
        assert_eq!(rows(&store, t.id).await, before);
        let prices = store.price_scores(t.id).await.unwrap();
        assert_eq!(prices[0].price, Money::pounds(100));
        assert_eq!(prices[0].score.as_deref(), Some("40.00"));

        // Abnormally low: a step only follows the status it was taken from.
        let asked = json!({"status": "explanation_requested", "on": "2026-12-02"});
        store
            .record_abnormally_low_step(t.id, 1, bid, &flagged, &asked, &a)
            .await
            .unwrap();
        let before = rows(&store, t.id).await;
        let why = conflict(
            store
                .record_abnormally_low_step(
                    t.id,
                    1,
                    bid,
                    &flagged,
                    &json!({"status": "accepted"}),
                    &a,
                )
                .await,
        );
        assert!(why.contains("changed meanwhile"), "{why}");
        assert_eq!(rows(&store, t.id).await, before);
        let steps = store.abnormally_low_steps(t.id).await.unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].status, asked);

        // One award per lot; summaries once; one contract per award, with the buyers' shares.
        let ranking = json!([]);
        let new_award = NewAward {
            tender_id: t.id,
            lot_number: 1,
            bid_id: bid,
            supplier_id: org,
            value: Money::pounds(100),
            regime: "pcr2015",
            decided_on: "2026-12-01".parse().unwrap(),
            standstill_from: Some("2026-12-01".parse().unwrap()),
            standstill_ends_on: Some("2026-12-11".parse().unwrap()),
            ranking: &ranking,
        };
        let award = store.record_award(&new_award, &a).await.unwrap();
        assert_eq!(award.supplier, "nene-care");
        let before = rows(&store, t.id).await;
        let why = conflict(store.record_award(&new_award, &a).await);
        assert!(why.contains("already awarded"), "{why}");
        assert_eq!(rows(&store, t.id).await, before);
        let summary = json!({"recipient": "nene-care", "successful": true});
        store
            .record_summaries_sent(&award, &[(org, bid, summary.clone())], &a)
            .await
            .unwrap();
        let before = rows(&store, t.id).await;
        conflict(store.record_summaries_sent(&award, &[], &a).await);
        assert_eq!(rows(&store, t.id).await, before);
        let sent = store.assessment_summaries(t.id).await.unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].content, summary);
        let north = t
            .buyers
            .iter()
            .find(|b| b.organisation == "northampton")
            .unwrap();
        let corby = t.buyers.iter().find(|b| b.organisation == "corby").unwrap();
        let mut contract = new_contract(
            t.lead_organisation_id,
            "JW-1",
            org,
            Money::pounds(100),
            "2027-01-01",
            None,
        );
        contract.tender_id = Some(t.id);
        contract.lot_number = Some(1);
        contract.award_id = Some(award.id);
        contract.title = "Joint waste collection".into();
        contract.buyers = vec![
            (north.organisation_id, "60".into(), Money::pounds(60)),
            (corby.organisation_id, "40".into(), Money::pounds(40)),
        ];
        store.create_contract(&contract, &a).await.unwrap();
        let before = rows(&store, t.id).await;
        conflict(store.create_contract(&contract, &a).await);
        assert_eq!(rows(&store, t.id).await, before);
        let c = &store.contracts_of_tender(t.id).await.unwrap()[0];
        let split: Vec<(&str, Money)> = c
            .buyers
            .iter()
            .map(|b| (b.organisation.as_str(), b.amount))
            .collect();
        assert_eq!(
            split,
            [
                ("corby", Money::pounds(40)),
                ("northampton", Money::pounds(60))
            ]
        );
        assert_eq!(c.award_id, Some(award.id));
    }
);
