use super::fixtures::council;
use chrono::NaiveDate;
use ngc_domain::Role;
use ngc_store::consultations::{NewConsultation, NewNote, NewResponse, StoredConsultation};
use ngc_store::users::NewUser;
use ngc_store::{Actor, Store, StoreError, store_test};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A council and a finance officer of it acting for it.
async fn council_and_officer(store: &Store, slug: &str) -> (i64, Actor) {
    let org = store
        .create_organisation(&council(slug, slug), &Actor::system())
        .await
        .unwrap();
    let email = format!("finance@{slug}.test");
    let user = store
        .create_user(
            &NewUser {
                email: &email,
                name: "Finance officer",
                role: Role::Finance,
                organisation: slug,
                password: "a long enough password",
            },
            &Actor::system(),
        )
        .await
        .unwrap();
    (org.id, Actor::user(user.id, org.id))
}

fn consultation(organisation_id: i64, opens_on: &str, closes_on: &str) -> NewConsultation<'static> {
    NewConsultation {
        organisation_id,
        plan: "MTFP 2016-20",
        year: "2016-17",
        title: "Help us balance the budget",
        introduction: "We must save £30m next year.",
        opens_on: day(opens_on),
        closes_on: day(closes_on),
        settings: r#"{"options":["libraries","roads"]}"#,
        definition: r#"{"options":[{"key":"libraries","steps":[0,1,2]},{"key":"roads","steps":[0,1]}]}"#,
    }
}

async fn created(store: &Store) -> (StoredConsultation, Actor) {
    let (org, officer) = council_and_officer(store, "northamptonshire").await;
    let c = store
        .create_consultation(&consultation(org, "2016-01-04", "2016-02-12"), &officer)
        .await
        .unwrap();
    (c, officer)
}

fn steps(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(k, s)| ((*k).to_owned(), *s)).collect()
}

fn response<'a>(
    consultation_id: i64,
    token_hash: &'a str,
    steps: &'a [(String, i64)],
) -> NewResponse<'a> {
    NewResponse {
        consultation_id,
        token_hash,
        choices: r#"{"libraries":2,"roads":1}"#,
        steps,
        postcode_district: Some("NN1"),
        age_band: None,
    }
}

store_test!(
    async fn a_consultation_reads_back_as_it_was_created_and_is_audited(store: Store) {
        let (org, officer) = council_and_officer(&store, "northamptonshire").await;
        let new = consultation(org, "2016-01-04", "2016-02-12");
        let c = store.create_consultation(&new, &officer).await.unwrap();
        assert_eq!(
            (
                c.organisation_id,
                c.plan.as_str(),
                c.year.as_str(),
                c.title.as_str()
            ),
            (org, new.plan, new.year, new.title)
        );
        assert_eq!((c.opens_on, c.closes_on), (new.opens_on, new.closes_on));
        assert_eq!(
            (c.settings.as_str(), c.definition.as_str()),
            (new.settings, new.definition)
        );
        assert!(!c.results_published);
        assert_eq!(c.created_by, officer.user_id);
        assert_eq!(store.consultation(c.id).await.unwrap(), Some(c.clone()));
        assert_eq!(store.consultation(c.id + 1).await.unwrap(), None);
        let second = store
            .create_consultation(&consultation(org, "2016-06-01", "2016-06-30"), &officer)
            .await
            .unwrap();
        assert_eq!(
            store.consultations_of(org).await.unwrap(),
            vec![second, c.clone()],
            "the newest first"
        );
        let record = store.audit_page(None, 1).await.unwrap().remove(0).record;
        assert_eq!(record.action, "consultation.create");
        assert_eq!(record.entity, "consultation");
        assert!(store.verify_audit().await.is_ok());
    }
);

store_test!(
    async fn closing_before_opening_is_refused_and_writes_nothing(store: Store) {
        let (org, officer) = council_and_officer(&store, "northamptonshire").await;
        let head = store.audit_head().await.unwrap();
        let err = store
            .create_consultation(&consultation(org, "2016-02-12", "2016-02-11"), &officer)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "closes_on"),
            "{err:?}"
        );
        assert!(store.consultations_of(org).await.unwrap().is_empty());
        assert_eq!(store.audit_head().await.unwrap(), head);
        let one_day = store
            .create_consultation(&consultation(org, "2016-02-12", "2016-02-12"), &officer)
            .await
            .unwrap();
        assert_eq!(
            one_day.opens_on, one_day.closes_on,
            "a single day is allowed"
        );
    }
);

store_test!(
    async fn open_consultations_are_those_open_on_the_day_soonest_closing_first(store: Store) {
        let (org, officer) = council_and_officer(&store, "northamptonshire").await;
        let mut ids = Vec::new();
        for (opens, closes) in [
            ("2016-01-04", "2016-02-12"),
            ("2016-01-20", "2016-01-31"),
            ("2016-02-01", "2016-03-01"),
        ] {
            let c = store
                .create_consultation(&consultation(org, opens, closes), &officer)
                .await
                .unwrap();
            ids.push(c.id);
        }
        let open = |d: &'static str| {
            let store = store.clone();
            async move {
                store
                    .open_consultations(day(d))
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|c| c.id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(open("2016-01-03").await, Vec::<i64>::new());
        assert_eq!(
            open("2016-01-04").await,
            vec![ids[0]],
            "the opening day counts"
        );
        assert_eq!(
            open("2016-01-31").await,
            vec![ids[1], ids[0]],
            "the closing day counts"
        );
        assert_eq!(open("2016-02-01").await, vec![ids[0], ids[2]]);
        assert_eq!(open("2016-02-13").await, vec![ids[2]]);
        assert_eq!(open("2016-03-02").await, Vec::<i64>::new());
    }
);

store_test!(
    async fn responses_increment_the_tallies_of_the_steps_chosen(store: Store) {
        let (c, _) = created(&store).await;
        let first = steps(&[("libraries", 2), ("roads", 1)]);
        let second = steps(&[("libraries", 2), ("roads", 0)]);
        let a = store
            .record_response(&response(c.id, "hash-a", &first))
            .await
            .unwrap();
        let b = store
            .record_response(&response(c.id, "hash-b", &second))
            .await
            .unwrap();
        assert_ne!(a, b);
        assert_eq!(store.consultation_response_count(c.id).await.unwrap(), 2);
        assert_eq!(
            store.consultation_tallies(c.id).await.unwrap(),
            vec![
                ("libraries".to_owned(), 2, 2),
                ("roads".to_owned(), 0, 1),
                ("roads".to_owned(), 1, 1),
            ]
        );
        let responses = store.consultation_responses(c.id).await.unwrap();
        assert_eq!(
            responses.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![a, b]
        );
        assert_eq!(responses[0].choices, r#"{"libraries":2,"roads":1}"#);
        assert_eq!(responses[0].postcode_district.as_deref(), Some("NN1"));
        assert_eq!(responses[0].age_band, None);
        let record = store.audit_page(None, 1).await.unwrap().remove(0).record;
        assert_eq!(record.action, "consultation.respond");
        assert_eq!(record.entity, "consultation_response");
        assert_eq!(record.entity_id, b.to_string());
        assert_eq!(record.actor_user_id, None);
        assert_eq!(record.change, serde_json::json!({"consultation_id": c.id}));
        assert!(store.verify_audit().await.is_ok());
    }
);

store_test!(
    async fn the_same_token_twice_is_a_conflict_and_changes_nothing(store: Store) {
        let (c, _) = created(&store).await;
        let first = steps(&[("libraries", 2), ("roads", 1)]);
        store
            .record_response(&response(c.id, "hash-a", &first))
            .await
            .unwrap();
        let head = store.audit_head().await.unwrap();
        let tallies = store.consultation_tallies(c.id).await.unwrap();
        let again = steps(&[("libraries", 0), ("roads", 1)]);
        let err = store
            .record_response(&response(c.id, "hash-a", &again))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m.contains("already responded")),
            "{err:?}"
        );
        assert_eq!(store.consultation_response_count(c.id).await.unwrap(), 1);
        assert_eq!(store.consultation_tallies(c.id).await.unwrap(), tallies);
        assert_eq!(store.audit_head().await.unwrap(), head);
        let other = store
            .create_consultation(
                &consultation(c.organisation_id, "2016-06-01", "2016-06-30"),
                &Actor::system(),
            )
            .await
            .unwrap();
        store
            .record_response(&response(other.id, "hash-a", &again))
            .await
            .expect("the same browser may answer another consultation");
        let missing = store
            .record_response(&response(other.id + 1, "hash-z", &again))
            .await
            .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound(_)), "{missing:?}");
    }
);

store_test!(
    async fn publishing_results_toggles_and_is_audited(store: Store) {
        let (c, officer) = created(&store).await;
        let shown = store
            .publish_consultation_results(c.id, true, &officer)
            .await
            .unwrap();
        assert!(shown.results_published);
        assert!(
            store
                .consultation(c.id)
                .await
                .unwrap()
                .unwrap()
                .results_published
        );
        let record = store.audit_page(None, 1).await.unwrap().remove(0).record;
        assert_eq!(record.action, "consultation.publish_results");
        let head = store.audit_head().await.unwrap();
        store
            .publish_consultation_results(c.id, true, &officer)
            .await
            .unwrap();
        assert_eq!(
            store.audit_head().await.unwrap(),
            head,
            "already published: nothing written"
        );
        let hidden = store
            .publish_consultation_results(c.id, false, &officer)
            .await
            .unwrap();
        assert!(!hidden.results_published);
        assert_eq!(store.consultation(c.id).await.unwrap(), Some(hidden));
        let err = store
            .publish_consultation_results(c.id + 1, true, &officer)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    }
);

store_test!(
    async fn notes_are_listed_for_their_plan_only(store: Store) {
        let (c, officer) = created(&store).await;
        let note = |plan: &'static str, line: &'static str| NewNote {
            consultation_id: c.id,
            organisation_id: c.organisation_id,
            plan,
            line,
            note: "Most respondents would protect libraries.",
        };
        let a = store
            .attach_consultation_note(&note("MTFP 2016-20", "service:libraries"), &officer)
            .await
            .unwrap();
        let b = store
            .attach_consultation_note(&note("MTFP 2016-20", "SAV-12"), &officer)
            .await
            .unwrap();
        store
            .attach_consultation_note(&note("Other plan", "service:libraries"), &officer)
            .await
            .unwrap();
        assert_eq!(a.attached_by, officer.user_id);
        assert_eq!(
            store
                .consultation_notes_of_plan(c.organisation_id, "MTFP 2016-20")
                .await
                .unwrap(),
            vec![a, b]
        );
        let (other_org, other_officer) = council_and_officer(&store, "corby").await;
        assert!(
            store
                .consultation_notes_of_plan(other_org, "MTFP 2016-20")
                .await
                .unwrap()
                .is_empty()
        );
        let err = store
            .attach_consultation_note(
                &NewNote {
                    organisation_id: other_org,
                    ..note("MTFP 2016-20", "service:libraries")
                },
                &other_officer,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(_)),
            "another council's consultation: {err:?}"
        );
    }
);

store_test!(
    async fn the_consultation_key_is_made_once_and_stays_the_same(store: Store) {
        let (a, b) = tokio::join!(store.consultation_key(), store.consultation_key());
        let key = a.unwrap();
        assert_eq!(b.unwrap(), key, "two first calls agree");
        assert_eq!(key.len(), 32);
        assert!(key.iter().any(|b| *b != 0));
        let made: Vec<_> = store
            .audit_page(None, 100)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.record.action == "consultation.key_created")
            .collect();
        assert_eq!(made.len(), 1, "made once");
        assert!(
            !made[0]
                .record
                .change
                .to_string()
                .contains(&hex::encode(&key)),
            "no secret in the audit"
        );
        let head = store.audit_head().await.unwrap();
        assert_eq!(store.consultation_key().await.unwrap(), key);
        assert_eq!(
            store.audit_head().await.unwrap(),
            head,
            "read, not made again"
        );
    }
);
