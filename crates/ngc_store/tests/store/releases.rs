//! OCDS releases and notices: the ocid prefix fixed at first use.

use super::fixtures::joint_tender;
use chrono::{Duration, NaiveDate, Utc};
use ngc_domain::procurement::notices::NoticeType;
use ngc_store::releases::{FeedFilter, NewRelease};
use ngc_store::settings::PLACEHOLDER_OCID_PREFIX;
use ngc_store::tenders::{NewTender, Tender};
use ngc_store::{Actor, Store, StoreError, store_test};
use serde_json::{Value, json};

store_test!(
    async fn the_ocid_prefix_is_fixed_at_first_use_and_never_changes(store: Store) {
        assert_eq!(store.stored_ocid_prefix().await.unwrap(), None);
        assert_eq!(store.configured_ocid_prefix(), PLACEHOLDER_OCID_PREFIX);
        let configured = store.clone().with_ocid_prefix("ocds-b5fd17");
        let first = configured.fix_ocid_prefix(&Actor::system()).await.unwrap();
        assert_eq!(first, "ocds-b5fd17");
        let head = store.audit_head().await.unwrap();
        let page = store.audit_page(None, 1).await.unwrap();
        assert_eq!(page[0].record.action, "ocds.ocid_prefix");
        // A later configuration cannot move it, and fixing it again writes nothing.
        let reconfigured = store.clone().with_ocid_prefix("ocds-aaaaaa");
        assert_eq!(
            reconfigured
                .fix_ocid_prefix(&Actor::system())
                .await
                .unwrap(),
            "ocds-b5fd17"
        );
        assert_eq!(
            store.stored_ocid_prefix().await.unwrap().as_deref(),
            Some("ocds-b5fd17")
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
    }
);

fn release_content(ocid: &str, title: &str) -> Value {
    json!({"ocid": ocid, "initiationType": "tender", "tender": {"id": "T", "title": title}})
}

fn new<'a>(
    t: &Tender,
    ocid: &'a str,
    step: &'a str,
    slot: &'a str,
    body: &'a Value,
) -> NewRelease<'a> {
    NewRelease {
        tender_id: t.id,
        ocid,
        step,
        slot,
        tags: match step {
            "award" => ("award", "awardUpdate"),
            "planning" => ("planning", "planningUpdate"),
            _ => ("tender", "tenderUpdate"),
        },
        notice_type: Some(NoticeType::Uk4),
        body,
    }
}

/// A second tender of Northampton alone (the councils of `joint_tender` must exist).
async fn solo_tender(store: &Store, like: &Tender) -> Tender {
    let new = NewTender {
        reference: "NBC-2026-002".into(),
        lead_organisation: "northampton".into(),
        procurement_lead_id: like.procurement_lead_id,
        title: "Street cleansing".into(),
        description: String::new(),
        classification_scheme: like.classification_scheme,
        classification_code: like.classification_code.clone(),
        contract_type: like.contract_type,
        procedure: like.procedure,
        commencing_event: like.commencing_event,
        commenced_on: like.commenced_on,
        estimated_value: like.estimated_value,
        vat_inclusive: false,
        above_threshold: true,
        reservation: like.reservation,
        two_envelope: false,
        criteria: json!({}),
        clarification_deadline: None,
        submission_deadline: like.submission_deadline,
        buyers: vec![("northampton".into(), rust_decimal::Decimal::ONE_HUNDRED)],
        lots: vec![],
    };
    store.create_tender(&new, &Actor::system()).await.unwrap()
}

/// Stands in for the tenders' publish step in these tests.
async fn mark_published(store: &Store, t: &Tender) {
    store
        .execute_raw(&format!(
            "UPDATE tenders SET status = 'published' WHERE id = {}",
            t.id
        ))
        .await
        .unwrap();
}

store_test!(
    async fn a_release_is_stored_once_per_state_of_its_slot_numbered_and_tagged(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(28)).await;
        let ocid = format!("ocds-ngc000-{}", t.id);
        let a = Actor::system();
        let first = release_content(&ocid, "Joint waste collection");
        let (r1, created) = store
            .put_release(&new(&t, &ocid, "tender", "tender", &first), &a)
            .await
            .unwrap();
        assert!(created);
        assert_eq!(r1.release_id, format!("{ocid}-tender-1"));
        assert_eq!(r1.tag, "tender");
        assert_eq!(r1.notice_type, Some(NoticeType::Uk4));
        assert!(!r1.is_published());
        let keys: Vec<&String> = r1.release.as_object().unwrap().keys().take(4).collect();
        assert_eq!(keys, ["ocid", "id", "date", "tag"]);
        assert_eq!(r1.release["tag"], json!(["tender"]));
        assert_eq!(r1.release["tender"]["title"], "Joint waste collection");
        assert_eq!(
            store.audit_page(None, 1).await.unwrap()[0].record.action,
            "ocds.release"
        );

        // The same state again writes nothing and gives the same release.
        let head = store.audit_head().await.unwrap();
        let (again, created) = store
            .put_release(&new(&t, &ocid, "tender", "tender", &first), &a)
            .await
            .unwrap();
        assert!(!created);
        assert_eq!(again, r1);
        assert_eq!(store.audit_head().await.unwrap(), head);

        // A changed state is an update; going back is another change.
        let second = release_content(&ocid, "Joint waste and recycling collection");
        let (r2, _) = store
            .put_release(&new(&t, &ocid, "tender", "tender", &second), &a)
            .await
            .unwrap();
        assert_eq!(
            (r2.release_id.as_str(), r2.tag.as_str()),
            (format!("{ocid}-tender-2").as_str(), "tenderUpdate")
        );
        let (r3, created) = store
            .put_release(&new(&t, &ocid, "tender", "tender", &first), &a)
            .await
            .unwrap();
        assert!(created);
        assert_eq!(r3.release_id, format!("{ocid}-tender-3"));

        // Each award is a slot of its own; their ids count the step's releases.
        let award = release_content(&ocid, "Lot 1");
        let (w1, _) = store
            .put_release(&new(&t, &ocid, "award", "award:1", &award), &a)
            .await
            .unwrap();
        let (w2, _) = store
            .put_release(&new(&t, &ocid, "award", "award:2", &award), &a)
            .await
            .unwrap();
        assert_eq!((w1.tag.as_str(), w2.tag.as_str()), ("award", "award"));
        assert_eq!(w2.release_id, format!("{ocid}-award-2"));
        let all: Vec<String> = store
            .releases_of_tender(t.id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.release_id)
            .collect();
        assert_eq!(all.len(), 5);
        assert_eq!(store.release_by_id(r2.id).await.unwrap().unwrap(), r2);
    }
);

store_test!(
    async fn a_publication_is_recorded_once_and_a_platform_notice_id_for_one_release(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(28)).await;
        let ocid = format!("ocds-ngc000-{}", t.id);
        let a = Actor::system();
        let (tender, _) = store
            .put_release(
                &new(&t, &ocid, "tender", "tender", &release_content(&ocid, "A")),
                &a,
            )
            .await
            .unwrap();
        let (planning, _) = store
            .put_release(
                &new(
                    &t,
                    &ocid,
                    "planning",
                    "planning",
                    &release_content(&ocid, "A"),
                ),
                &a,
            )
            .await
            .unwrap();
        let day: NaiveDate = "2026-11-20".parse().unwrap();
        let published = store
            .record_publication(tender.id, "012345-2026", day, &a)
            .await
            .unwrap();
        let p = published.publication.clone().unwrap();
        assert_eq!(
            (p.platform_notice_id.as_str(), p.published_on, p.seq),
            ("012345-2026", day, 1)
        );
        assert_eq!(
            published.release, tender.release,
            "the release itself never changes"
        );
        assert_eq!(
            store.audit_page(None, 1).await.unwrap()[0].record.action,
            "ocds.publication"
        );

        let head = store.audit_head().await.unwrap();
        let err = store
            .record_publication(tender.id, "099999-2026", day, &a)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("012345-2026")),
            "{err}"
        );
        let err = store
            .record_publication(planning.id, "012345-2026", day, &a)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { ref field, .. } if field == "platform_notice_id"),
            "{err}"
        );
        let err = store
            .record_publication(planning.id + 100, "077777-2026", day, &a)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err}");
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(
            store.release_by_id(tender.id).await.unwrap().unwrap(),
            published
        );
        assert!(
            !store
                .release_by_id(planning.id)
                .await
                .unwrap()
                .unwrap()
                .is_published()
        );

        let second = store
            .record_publication(planning.id, "012346-2026", day, &a)
            .await
            .unwrap();
        assert_eq!(second.publication.unwrap().seq, 2);
    }
);

store_test!(
    async fn the_feed_is_published_notices_in_recording_order_never_of_a_draft(store: Store) {
        let (joint, _) = joint_tender(&store, Utc::now() + Duration::days(28)).await;
        let solo = solo_tender(&store, &joint).await;
        let a = Actor::system();
        let oj = format!("ocds-ngc000-{}", joint.id);
        let os = format!("ocds-ngc000-{}", solo.id);
        let put = |t: Tender, ocid: String, step: &'static str| {
            let store = store.clone();
            async move {
                let b = release_content(&ocid, step);
                store
                    .put_release(&new(&t, &ocid, step, step, &b), &Actor::system())
                    .await
                    .unwrap()
                    .0
            }
        };
        let joint_tender_notice = put(joint.clone(), oj.clone(), "tender").await;
        let joint_planning = put(joint.clone(), oj.clone(), "planning").await;
        let solo_tender_notice = put(solo.clone(), os.clone(), "tender").await;
        let unrecorded = put(solo.clone(), os.clone(), "planning").await;
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        mark_published(&store, &solo).await;
        // Recorded in this order: the solo tender's notice, the joint (draft) tender's
        // notice, the joint tender's planning notice.
        for (r, id, on) in [
            (&solo_tender_notice, "A-1", "2026-11-22"),
            (&joint_tender_notice, "A-2", "2026-11-20"),
            (&joint_planning, "A-3", "2026-10-01"),
        ] {
            store
                .record_publication(r.id, id, day(on), &a)
                .await
                .unwrap();
        }
        let ids = |rs: Vec<ngc_store::releases::Release>| -> Vec<i64> {
            rs.into_iter().map(|r| r.id).collect()
        };
        let all = FeedFilter::default();
        // The joint tender is still a draft: its tender notice stays out, its planning notice
        // is public; an unrecorded notice never is.
        assert_eq!(
            ids(store.published_releases(&all).await.unwrap()),
            [solo_tender_notice.id, joint_planning.id]
        );
        assert!(!ids(store.published_releases(&all).await.unwrap()).contains(&unrecorded.id));
        mark_published(&store, &joint).await;
        assert_eq!(
            ids(store.published_releases(&all).await.unwrap()),
            [
                solo_tender_notice.id,
                joint_tender_notice.id,
                joint_planning.id
            ]
        );
        let corby = store.organisation_by_slug("corby").await.unwrap().unwrap();
        let of_corby = FeedFilter {
            buyer: Some(corby.id),
            ..all
        };
        assert_eq!(
            ids(store.published_releases(&of_corby).await.unwrap()),
            [joint_tender_notice.id, joint_planning.id]
        );
        let november = FeedFilter {
            since: Some(day("2026-11-01")),
            until: Some(day("2026-11-21")),
            ..all
        };
        assert_eq!(
            ids(store.published_releases(&november).await.unwrap()),
            [joint_tender_notice.id]
        );
        let page = FeedFilter {
            offset: 1,
            limit: Some(1),
            ..all
        };
        assert_eq!(
            ids(store.published_releases(&page).await.unwrap()),
            [joint_tender_notice.id]
        );
        assert_eq!(
            ids(store.published_releases_of(&oj).await.unwrap()),
            [joint_tender_notice.id, joint_planning.id]
        );
        assert!(
            store
                .published_releases_of("ocds-ngc000-999")
                .await
                .unwrap()
                .is_empty()
        );
    }
);
