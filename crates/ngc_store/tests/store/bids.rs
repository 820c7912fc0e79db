//! Sealed bids in the store: the deadline is checked inside the write by the server clock,
//! replaced and withdrawn bids are kept, nothing opens before the deadline (whoever asks),
//! every opening attempt is audited, a tampered ciphertext is refused naming the bid, and a
//! copy of the database holds no bid in the clear.

use super::fixtures::{joint_tender, provider};
use chrono::{DateTime, Duration, Utc};
use ngc_domain::procurement::bid::BidStatus;
use ngc_store::bids::NewBid;
use ngc_store::sealing::{BidKey, KeyRing, SealError, content_digest};
use ngc_store::tenders::Tender;
use ngc_store::{Actor, BackendKind, Clock, Store, StoreError, store_test};
use serde_json::{Value, json};

/// A store that seals with a fixed test key.
fn keyed(store: Store) -> Store {
    store.with_bid_keys(KeyRing::single(BidKey::from_bytes([7; 32])))
}

/// Publishes a tender behind the store's back (publishing is the tenders use case's; the
/// bid rules only read the status).
pub async fn publish(store: &Store, tender: &Tender) {
    store
        .execute_raw(&format!(
            "UPDATE tenders SET status = 'published' WHERE id = {}",
            tender.id
        ))
        .await
        .unwrap();
}

/// The same store on the day after `deadline`: its deadline has passed.
fn after(store: &Store, deadline: DateTime<Utc>) -> Store {
    store
        .clone()
        .with_clock(Clock::on(deadline.date_naive() + Duration::days(1)))
}

/// An open joint tender closing in three days, and two providers' ids.
async fn open_tender(store: &Store) -> (Tender, i64, i64) {
    let deadline = store.now() + Duration::days(3);
    let (t, _) = joint_tender(store, deadline).await;
    publish(store, &t).await;
    let a = Actor::system();
    let mut ids = Vec::new();
    for (slug, name) in [
        ("nene-care", "Nene Valley Care"),
        ("wellbeing", "First for Wellbeing"),
    ] {
        ids.push(
            store
                .create_organisation(&provider(slug, name, None), &a)
                .await
                .unwrap()
                .id,
        );
    }
    (t, ids[0], ids[1])
}

fn content(price: &str, answer: &str) -> Value {
    json!({
        "lots": [{"lot": "1", "price": price}],
        "answers": [{"question": "Social value", "text": answer}],
    })
}

async fn submit(
    store: &Store,
    t: &Tender,
    org: i64,
    c: &Value,
) -> Result<ngc_store::bids::Bid, StoreError> {
    store
        .submit_bid(
            &NewBid {
                tender_id: t.id,
                organisation_id: org,
                content: c,
            },
            &Actor::system(),
        )
        .await
}

async fn last_audit(store: &Store) -> ngc_domain::audit::AuditRecord {
    store.audit_page(None, 1).await.unwrap().remove(0).record
}

store_test!(
    async fn a_bid_is_stored_sealed_with_its_receipt_and_audited_without_its_content(store: Store) {
        let store = keyed(store);
        let (t, nene, _) = open_tender(&store).await;
        let c = content("1234567.89", "Apprenticeships in Corby");
        let bid = submit(&store, &t, nene, &c).await.unwrap();
        assert_eq!(bid.tender_id, t.id);
        assert_eq!(bid.organisation, "nene-care");
        assert_eq!(bid.status, BidStatus::Active);
        assert_eq!(bid.key_id, store.bid_keys().unwrap().current_id());
        assert_eq!(bid.content_sha256, content_digest(&c).unwrap().sha256_hex);
        assert!(bid.submitted_at <= store.now());
        assert_eq!(store.bid(bid.id).await.unwrap(), Some(bid.clone()));
        assert_eq!(store.bids_of_tender(t.id).await.unwrap(), vec![bid.clone()]);
        assert_eq!(
            store.bids_of_organisation(nene).await.unwrap(),
            vec![bid.clone()]
        );
        let record = last_audit(&store).await;
        assert_eq!(record.action, "bid.submit");
        assert_eq!(record.entity_id, bid.id.to_string());
        assert_eq!(
            record.change,
            json!({"tender_id": t.id, "organisation_id": nene, "content_sha256": bid.content_sha256})
        );
    }
);

store_test!(
    async fn a_late_bid_is_refused_by_the_server_clock_naming_the_deadline(store: Store) {
        let store = keyed(store);
        let (t, nene, _) = open_tender(&store).await;
        let late = after(&store, t.submission_deadline);
        let head = store.audit_head().await.unwrap();
        let err = submit(&late, &t, nene, &content("1.00", "late"))
            .await
            .unwrap_err();
        let deadline = t
            .submission_deadline
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.contains(&deadline) && m.contains("late bids are refused")),
            "{err}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert!(store.bids_of_tender(t.id).await.unwrap().is_empty());
    }
);

store_test!(
    async fn a_draft_takes_no_bid_and_a_bidder_has_one_active_bid_per_tender(store: Store) {
        let store = keyed(store);
        let (t, _) = joint_tender(&store, store.now() + Duration::days(3)).await;
        let org = store
            .create_organisation(&provider("solo", "Solo", None), &Actor::system())
            .await
            .unwrap()
            .id;
        let err = submit(&store, &t, org, &content("1.00", "a"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m == "the tender is not published"),
            "{err}"
        );
        publish(&store, &t).await;
        let first = submit(&store, &t, org, &content("1.00", "a"))
            .await
            .unwrap();
        let head = store.audit_head().await.unwrap();
        let err = submit(&store, &t, org, &content("2.00", "b"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.contains(&format!("already has bid {}", first.id))),
            "{err}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.bids_of_tender(t.id).await.unwrap(), vec![first]);
    }
);

store_test!(
    async fn a_replacement_keeps_the_old_bid_and_has_its_own_id_and_receipt(store: Store) {
        let store = keyed(store);
        let (t, nene, _) = open_tender(&store).await;
        let old = submit(&store, &t, nene, &content("100.00", "first"))
            .await
            .unwrap();
        let c = content("99.99", "second");
        let new = store
            .replace_bid(old.id, &c, &Actor::system())
            .await
            .unwrap();
        assert_ne!(new.id, old.id);
        assert_eq!(new.status, BidStatus::Active);
        assert_eq!(new.replaces_id, Some(old.id));
        assert_eq!(new.content_sha256, content_digest(&c).unwrap().sha256_hex);
        assert_ne!(new.content_sha256, old.content_sha256);
        let kept = store.bid(old.id).await.unwrap().unwrap();
        assert_eq!(kept.status, BidStatus::Replaced);
        assert_eq!(kept.replaced_by_id, Some(new.id));
        assert_eq!(kept.replaced_at, Some(new.submitted_at));
        assert_eq!(kept.content_sha256, old.content_sha256);
        let record = last_audit(&store).await;
        assert_eq!(record.action, "bid.replace");
        assert_eq!(record.change["replaces"], json!(old.id));

        let head = store.audit_head().await.unwrap();
        let err = store
            .replace_bid(old.id, &c, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m == &format!("bid {} was replaced by bid {}: change the current bid", old.id, new.id)),
            "{err}"
        );
        let err = store
            .withdraw_bid(old.id, &Actor::system())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.bids_of_tender(t.id).await.unwrap().len(), 2);
    }
);

store_test!(
    async fn a_withdrawn_bid_is_kept_and_the_bidder_may_bid_again(store: Store) {
        let store = keyed(store);
        let (t, nene, _) = open_tender(&store).await;
        let bid = submit(&store, &t, nene, &content("100.00", "first"))
            .await
            .unwrap();
        let gone = store.withdraw_bid(bid.id, &Actor::system()).await.unwrap();
        assert_eq!(gone.status, BidStatus::Withdrawn);
        assert!(gone.withdrawn_at.is_some());
        assert_eq!(last_audit(&store).await.action, "bid.withdraw");
        let err = store
            .withdraw_bid(bid.id, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m == &format!("bid {} was withdrawn: submit a new bid", bid.id)),
            "{err}"
        );
        let again = submit(&store, &t, nene, &content("90.00", "again"))
            .await
            .unwrap();
        assert_eq!(again.status, BidStatus::Active);
        // After the deadline nothing changes any more.
        let late = after(&store, t.submission_deadline);
        let err = late
            .withdraw_bid(again.id, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.contains("has passed")),
            "{err}"
        );
        let err = late
            .replace_bid(again.id, &content("1.00", "x"), &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.contains("has passed")),
            "{err}"
        );
    }
);

store_test!(
    async fn nothing_opens_before_the_deadline_and_every_attempt_is_audited(store: Store) {
        let store = keyed(store);
        let (t, nene, _) = open_tender(&store).await;
        let c = content("1234.56", "Local jobs");
        let bid = submit(&store, &t, nene, &c).await.unwrap();
        let reader = Actor::user(1, t.lead_organisation_id);

        let err = store.open_bid_content(bid.id, &reader).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Forbidden(m) if m.starts_with(&format!("bid {}: bids are sealed until the submission deadline", bid.id))),
            "{err}"
        );
        let record = last_audit(&store).await;
        assert_eq!(record.action, "bid.read_refused");
        assert_eq!(record.actor_user_id, Some(1));
        assert_eq!(record.change["reason"], json!(err.to_string()));
        let err = store.sealed_bid(bid.id).await.unwrap_err();
        assert!(matches!(err, StoreError::Forbidden(_)), "{err}");

        let later = after(&store, t.submission_deadline);
        let opened = later.open_bid_content(bid.id, &reader).await.unwrap();
        assert_eq!(opened.content, c);
        assert_eq!(opened.bid, bid);
        let record = last_audit(&store).await;
        assert_eq!(record.action, "bid.read");
        assert_eq!(
            record.change,
            json!({"tender_id": t.id, "content_sha256": bid.content_sha256})
        );
        let sealed = later.sealed_bid(bid.id).await.unwrap();
        assert_eq!(sealed.key_id, bid.key_id);
        assert!(!sealed.ciphertext.is_empty());

        later
            .refuse_bid_read(bid.id, Some(t.id), &reader, "not on the panel")
            .await
            .unwrap();
        let record = last_audit(&store).await;
        assert_eq!(record.action, "bid.read_refused");
        assert_eq!(
            record.change,
            json!({"tender_id": t.id, "reason": "not on the panel"})
        );

        // Without the key the content stays closed, even after the deadline (and audited).
        let keyless = after(&store, t.submission_deadline)
            .with_bid_keys(KeyRing::single(BidKey::from_bytes([8; 32])));
        let err = keyless.open_bid_content(bid.id, &reader).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Sealing(SealError::UnknownKey { bid_id, .. }) if *bid_id == bid.id),
            "{err}"
        );
        assert_eq!(last_audit(&store).await.action, "bid.read_refused");
    }
);

store_test!(
    async fn a_tampered_bid_is_refused_naming_it_and_the_refusal_is_audited(store: Store) {
        let store = keyed(store);
        let (t, nene, wellbeing) = open_tender(&store).await;
        let a = submit(&store, &t, nene, &content("100.00", "a"))
            .await
            .unwrap();
        let b = submit(&store, &t, wellbeing, &content("200.00", "b"))
            .await
            .unwrap();
        let later = after(&store, t.submission_deadline);
        let reader = Actor::user(1, t.lead_organisation_id);

        // Another bid's ciphertext moved onto this one fails authentication.
        store
            .execute_raw(&format!(
                "UPDATE bids SET ciphertext = (SELECT ciphertext FROM bids WHERE id = {}) WHERE id = {}",
                b.id, a.id
            ))
            .await
            .unwrap();
        let err = later.open_bid_content(a.id, &reader).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "bid {}: its sealed content failed authentication (tampered, or sealed with \
                 another key); refused",
                a.id
            )
        );
        let record = last_audit(&store).await;
        assert_eq!(record.action, "bid.read_refused");
        assert_eq!(record.entity_id, a.id.to_string());
        assert_eq!(record.change["reason"], json!(err.to_string()));

        // A receipt altered in the table no longer matches the content.
        store
            .execute_raw(&format!(
                "UPDATE bids SET content_sha256 = '{}' WHERE id = {}",
                "0".repeat(64),
                b.id
            ))
            .await
            .unwrap();
        let err = later.open_bid_content(b.id, &reader).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "bid {}: its opened content does not match its stored receipt (SHA-256); refused",
                b.id
            )
        );
        assert_eq!(last_audit(&store).await.action, "bid.read_refused");
    }
);

store_test!(
    async fn a_copy_of_the_database_holds_no_bid_in_the_clear(store: Store) {
        if store.kind() != BackendKind::Sqlite {
            return; // The copy is SQLite's `VACUUM INTO`; PostgreSQL is backed up with pg_dump.
        }
        let store = keyed(store);
        let (t, nene, _) = open_tender(&store).await;
        let price = "8765432.19";
        let answer = "Our zero-emission fleet of 41 electric refuse trucks";
        let bid = submit(&store, &t, nene, &content(price, answer))
            .await
            .unwrap();
        store
            .replace_bid(bid.id, &content("8765431.00", answer), &Actor::system())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("copy.db");
        store.backup_to(&copy).await.unwrap();
        let bytes = std::fs::read(&copy).unwrap();
        let found = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(
            found("nene-care"),
            "the copy should hold the bidder's metadata"
        );
        assert!(
            found(&bid.content_sha256),
            "the copy should hold the receipt"
        );
        for secret in [price, "8765431.00", answer, "Social value", "zero-emission"] {
            assert!(
                !found(secret),
                "`{secret}` is readable in a copy of the database"
            );
        }
    }
);
