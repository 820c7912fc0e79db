//! The tender lifecycle in the store: publication against the minimum tendering period at
//! the server's time, drafts edited until published, termination, documents and
//! clarification questions. A refused write leaves the audit head and the rows as they were.

use super::fixtures::{joint_tender, provider};
use super::tenders::new_tender_like;
use chrono::{Duration, Utc};
use ngc_domain::Role;
use ngc_domain::procurement::TenderStatus;
use ngc_domain::procurement::lifecycle::DocumentKind;
use ngc_store::tender_documents::{NewDocument, sha256_hex};
use ngc_store::tenders::{NoticeRecord, Tender};
use ngc_store::users::NewUser;
use ngc_store::{Actor, Clock, Store, StoreError, store_test};

/// Everything a refused lifecycle write could touch.
async fn snapshot(store: &Store, t: &Tender) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        store.audit_head().await.unwrap(),
        store.tender(t.id).await.unwrap(),
        store.tender_questions(t.id).await.unwrap(),
        store.tender_documents(t.id).await.unwrap()
    )
}

/// A provider organisation with one user; returns (organisation id, user id).
async fn bidder(store: &Store, slug: &str) -> (i64, i64) {
    let a = Actor::system();
    let org = store
        .create_organisation(&provider(slug, slug, None), &a)
        .await
        .unwrap();
    let u = store
        .create_user(
            &NewUser {
                email: &format!("bids@{slug}.test"),
                name: "",
                role: Role::Provider,
                organisation: slug,
                password: "a long enough password",
            },
            &a,
        )
        .await
        .unwrap();
    (org.id, u.id)
}

store_test!(
    async fn publishing_records_the_time_the_limit_that_applied_and_the_notice(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(28)).await;
        let before = Utc::now();
        let notice = NoticeRecord {
            notice_id: Some("2026/S 000-123456".into()),
            published_on: Some(store.today()),
        };
        let published = store
            .publish_tender(t.id, &notice, &Actor::system())
            .await
            .unwrap();
        assert_eq!(published.status, TenderStatus::Published);
        let at = published.published_at.unwrap();
        assert!(
            at >= before - Duration::seconds(1) && at <= Utc::now(),
            "{at}"
        );
        assert_eq!(published.minimum_period_days, Some(25));
        assert!(
            published.minimum_period_basis.contains("PA2023 s54(4)"),
            "{}",
            published.minimum_period_basis
        );
        assert_eq!(published.notice_id.as_deref(), Some("2026/S 000-123456"));
        assert_eq!(published.notice_published_on, Some(store.today()));
        assert_eq!(store.tender(t.id).await.unwrap().unwrap(), published);
        let page = store.audit_page(None, 1).await.unwrap();
        assert_eq!(page[0].record.action, "tender.publish");
    }
);

store_test!(
    async fn a_deadline_inside_the_minimum_period_is_refused_naming_the_limit(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(20)).await;
        let before = snapshot(&store, &t).await;
        let err = store
            .publish_tender(t.id, &NoticeRecord::default(), &Actor::system())
            .await
            .unwrap_err();
        let StoreError::Invalid { field, message } = &err else {
            panic!("{err}")
        };
        assert_eq!(field, "submission_deadline");
        assert!(message.contains("at least 25 days"), "{message}");
        assert!(message.contains("PA2023 s54(4)"), "{message}");
        assert_eq!(snapshot(&store, &t).await, before);
    }
);

store_test!(
    async fn a_tender_is_published_once_and_then_its_details_are_fixed(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        let mut edited = new_tender_like(&t);
        edited.title = "Joint waste and recycling collection".into();
        edited.buyers = vec![
            ("northampton".into(), rust_decimal::Decimal::new(55, 0)),
            ("corby".into(), rust_decimal::Decimal::new(45, 0)),
        ];
        edited.lots = vec![ngc_store::tenders::NewLot {
            title: "Whole area".into(),
            description: String::new(),
            estimated_value: t.estimated_value,
            criteria: None,
        }];
        let draft = store
            .replace_tender_draft(t.id, &edited, &Actor::system())
            .await
            .unwrap();
        assert_eq!(draft.title, "Joint waste and recycling collection");
        assert_eq!(draft.lots.len(), 1);
        assert_eq!(draft.buyers[0].share_percent, "45");
        let published = store
            .publish_tender(t.id, &NoticeRecord::default(), &Actor::system())
            .await
            .unwrap();
        let before = snapshot(&store, &published).await;
        let err = store
            .publish_tender(t.id, &NoticeRecord::default(), &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("published once")),
            "{err}"
        );
        edited.title = "Too late".into();
        let err = store
            .replace_tender_draft(t.id, &edited, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("can no longer be edited")),
            "{err}"
        );
        assert_eq!(snapshot(&store, &published).await, before);
    }
);

store_test!(
    async fn a_procurement_is_terminated_once_with_its_reason(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        store
            .publish_tender(t.id, &NoticeRecord::default(), &Actor::system())
            .await
            .unwrap();
        let done = store
            .terminate_tender(t.id, "The need has gone", &Actor::system())
            .await
            .unwrap();
        assert_eq!(done.status, TenderStatus::Terminated);
        assert_eq!(done.termination_reason, "The need has gone");
        assert!(done.terminated_at.is_some());
        let before = snapshot(&store, &done).await;
        let err = store
            .terminate_tender(t.id, "again", &Actor::system())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        let doc = NewDocument {
            title: "Late addendum".into(),
            kind: DocumentKind::Clarification,
            url: None,
            body: Some("text".into()),
            sha256: None,
        };
        let err = store
            .add_tender_document(t.id, &doc, &Actor::system())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(snapshot(&store, &done).await, before);
    }
);

store_test!(
    async fn documents_keep_their_text_and_its_sha256(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        let text = "Collect every bin once a week.\n";
        let spec = store
            .add_tender_document(
                t.id,
                &NewDocument {
                    title: "Specification".into(),
                    kind: DocumentKind::Specification,
                    url: None,
                    body: Some(text.into()),
                    sha256: Some("ignored for a text".into()),
                },
                &Actor::system(),
            )
            .await
            .unwrap();
        // The SHA-256 of the text's UTF-8 bytes (and the function agrees with FIPS 180-2's
        // example for "abc").
        assert_eq!(spec.sha256, Some(sha256_hex(text)));
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(spec.body.as_deref(), Some(text));
        let link = store
            .add_tender_document(
                t.id,
                &NewDocument {
                    title: "Terms".into(),
                    kind: DocumentKind::Terms,
                    url: Some("https://example.org/terms.pdf".into()),
                    body: None,
                    sha256: None,
                },
                &Actor::system(),
            )
            .await
            .unwrap();
        assert_eq!(link.sha256, None);
        assert_eq!(
            store.tender_documents(t.id).await.unwrap(),
            vec![spec, link]
        );
    }
);

store_test!(
    async fn questions_are_asked_while_clarification_is_open_and_answered_once(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        let (org, user) = bidder(&store, "green-bins").await;
        let asker = Actor::user(user, org);
        let before = snapshot(&store, &t).await;
        let err = store
            .ask_question(t.id, user, org, "Is glass collected?", &asker)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("draft")),
            "{err}"
        );
        assert_eq!(snapshot(&store, &t).await, before);
        store
            .publish_tender(t.id, &NoticeRecord::default(), &Actor::system())
            .await
            .unwrap();
        let q = store
            .ask_question(t.id, user, org, "Is glass collected?", &asker)
            .await
            .unwrap();
        assert_eq!(q.asker_organisation, "green-bins");
        assert!(!q.is_answered());
        let a = store
            .answer_question(t.id, q.id, "Yes, fortnightly.", &Actor::system())
            .await
            .unwrap();
        assert_eq!(a.answer.as_deref(), Some("Yes, fortnightly."));
        assert!(a.answered_at.is_some());
        let t = store.tender(t.id).await.unwrap().unwrap();
        let before = snapshot(&store, &t).await;
        let err = store
            .answer_question(t.id, q.id, "No.", &Actor::system())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        let err = store
            .answer_question(t.id, q.id + 1000, "No.", &Actor::system())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err}");
        // Forty days on by the server's clock, the clarification period (the submission
        // deadline here) is over.
        let later = store
            .clone()
            .with_clock(Clock::on(store.today() + Duration::days(40)));
        let err = later
            .ask_question(t.id, user, org, "And paper?", &asker)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("closed at")),
            "{err}"
        );
        assert_eq!(snapshot(&store, &t).await, before);
        assert_eq!(store.tender_questions(t.id).await.unwrap(), vec![a]);
    }
);
