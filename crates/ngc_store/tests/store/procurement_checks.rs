//! The checks before award, challenges, and planned procurements, in the store: every
//! version of the conflicts assessment kept, the current exclusion check per supplier, the
//! registered facts snapshotted with an eligibility check, suspension until lifted.

use super::fixtures::{joint_tender, provider};
use chrono::{Duration, Utc};
use ngc_domain::money::Money;
use ngc_domain::procurement::ContractType;
use ngc_domain::procurement::lifecycle::{ExclusionResult, PlanLink, RegisteredFacts};
use ngc_store::pipeline::NewPlannedProcurement;
use ngc_store::procurement_checks::{
    NewConflictsAssessment, NewExclusionCheck, NewReservationCheck,
};
use ngc_store::tenders::NoticeRecord;
use ngc_store::{Actor, StoreError, store_test};

store_test!(
    async fn every_version_of_the_conflicts_assessment_is_kept(store: Store) {
        let (t, people) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        assert_eq!(
            store.conflicts_assessment_current(t.id).await.unwrap(),
            None
        );
        let officer = Actor::user(people.lead, t.lead_organisation_id);
        let first = store
            .record_conflicts_assessment(
                t.id,
                &NewConflictsAssessment {
                    conflicts_found: false,
                    assessment: "No panel member has an interest in a bidder.".into(),
                    mitigations: String::new(),
                },
                &officer,
            )
            .await
            .unwrap();
        assert_eq!(first.version, 1);
        assert_eq!(first.assessed_by, Some(people.lead));
        assert_eq!(
            first.assessed_by_email.as_deref(),
            Some("lead@northampton.test")
        );
        let second = store
            .record_conflicts_assessment(
                t.id,
                &NewConflictsAssessment {
                    conflicts_found: true,
                    assessment: "An evaluator's spouse works for a bidder.".into(),
                    mitigations: "The evaluator leaves the panel.".into(),
                },
                &officer,
            )
            .await
            .unwrap();
        assert_eq!(second.version, 2);
        assert_eq!(
            store.conflicts_assessment_current(t.id).await.unwrap(),
            Some(second.clone())
        );
        assert_eq!(
            store.conflicts_assessments(t.id).await.unwrap(),
            vec![second, first]
        );
    }
);

store_test!(
    async fn the_latest_exclusion_check_of_each_supplier_is_current(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        let a = Actor::system();
        for s in ["green-bins", "blue-bins"] {
            store
                .create_organisation(&provider(s, s, None), &a)
                .await
                .unwrap();
        }
        let check = |supplier: &str, result| NewExclusionCheck {
            supplier: supplier.into(),
            result,
            debarment_list_checked: true,
            grounds: "Mandatory and discretionary grounds of Schs 6 and 7".into(),
            note: String::new(),
        };
        store
            .record_exclusion_check(t.id, &check("green-bins", ExclusionResult::Excludable), &a)
            .await
            .unwrap();
        store
            .record_exclusion_check(t.id, &check("blue-bins", ExclusionResult::Clear), &a)
            .await
            .unwrap();
        let cleared = store
            .record_exclusion_check(t.id, &check("green-bins", ExclusionResult::Clear), &a)
            .await
            .unwrap();
        let current = store.exclusion_checks(t.id).await.unwrap();
        let summary: Vec<(&str, ExclusionResult)> = current
            .iter()
            .map(|c| (c.supplier.as_str(), c.result))
            .collect();
        assert_eq!(
            summary,
            [
                ("blue-bins", ExclusionResult::Clear),
                ("green-bins", ExclusionResult::Clear)
            ]
        );
        assert_eq!(current[1], cleared);
        assert_eq!(store.exclusion_check_history(t.id).await.unwrap().len(), 3);
        let head = store.audit_head().await.unwrap();
        let err = store
            .record_exclusion_check(t.id, &check("nobody", ExclusionResult::Clear), &a)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { ref field, .. } if field == "supplier"),
            "{err}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
    }
);

store_test!(
    async fn an_eligibility_check_keeps_the_registered_facts_it_started_from(store: Store) {
        let (t, people) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        let a = Actor::system();
        let mut mutual = provider("care-mutual", "Care Mutual", None);
        mutual.public_service_mutual = true;
        mutual.sme = false;
        let org = store.create_organisation(&mutual, &a).await.unwrap();
        let officer = Actor::user(people.lead, t.lead_organisation_id);
        let checked = store
            .record_reservation_check(
                t.id,
                &NewReservationCheck {
                    supplier: "care-mutual".into(),
                    eligible: true,
                    evidence: "Articles of association, clause 4; staff council minutes".into(),
                },
                &officer,
            )
            .await
            .unwrap();
        assert!(checked.eligible);
        assert_eq!(
            checked.facts,
            RegisteredFacts {
                public_service_mutual: true,
                sme: false,
                vcse: true
            }
        );
        assert_eq!(checked.checked_by, Some(people.lead));
        assert_eq!(
            store.reservation_check_current(t.id, org.id).await.unwrap(),
            Some(checked.clone())
        );
        assert_eq!(store.reservation_checks(t.id).await.unwrap(), vec![checked]);
    }
);

store_test!(
    async fn a_challenge_suspends_the_award_until_it_is_lifted(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        let a = Actor::system();
        let head = store.audit_head().await.unwrap();
        let err = store
            .record_challenge(t.id, "Claim form served", &a)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.audit_head().await.unwrap(), head);
        store
            .publish_tender(t.id, &NoticeRecord::default(), &a)
            .await
            .unwrap();
        assert!(!store.tender_suspended(t.id).await.unwrap());
        let c = store
            .record_challenge(t.id, "Claim form served by Blue Bins Ltd", &a)
            .await
            .unwrap();
        assert!(c.is_open());
        assert!(store.tender_suspended(t.id).await.unwrap());
        let lifted = store
            .lift_challenge(t.id, c.id, "Court order lifting the suspension", &a)
            .await
            .unwrap();
        assert!(!lifted.is_open());
        assert!(!store.tender_suspended(t.id).await.unwrap());
        let head = store.audit_head().await.unwrap();
        let err = store
            .lift_challenge(t.id, c.id, "again", &a)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.tender_challenges(t.id).await.unwrap(), vec![lifted]);
    }
);

store_test!(
    async fn planned_procurements_are_listed_by_planned_tender_date(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(30)).await;
        let plan = |title: &str, on: &str| NewPlannedProcurement {
            organisation: "northampton".into(),
            title: title.into(),
            description: String::new(),
            estimated_value: Money::pounds(2_500_000),
            vat_inclusive: true,
            contract_type: ContractType::Services,
            planned_tender_on: on.parse().unwrap(),
            planned_award_on: "2028-01-01".parse().unwrap(),
            planned_start_on: "2028-04-01".parse().unwrap(),
            link_kind: PlanLink::Saving,
            link_plan: Some("MTFP".into()),
            link_key: "S-WASTE".into(),
        };
        let a = Actor::system();
        let later = store
            .create_planned_procurement(&plan("Street lighting", "2027-09-01"), &a)
            .await
            .unwrap();
        let sooner = store
            .create_planned_procurement(&plan("Grounds maintenance", "2027-03-01"), &a)
            .await
            .unwrap();
        assert_eq!(sooner.estimated_value, Money::pounds(2_500_000));
        assert_eq!(sooner.link_kind, PlanLink::Saving);
        assert_eq!(
            store
                .planned_procurements(t.lead_organisation_id)
                .await
                .unwrap(),
            vec![sooner, later]
        );
    }
);
