use super::fixtures::{council, joint_tender};
use chrono::{Duration, Utc};
use ngc_domain::money::Money;
use ngc_domain::procurement::{Regime, Reservation, TenderStage, TenderStatus};
use ngc_store::users::NewUser;
use ngc_store::{Actor, StoreError, store_test};

store_test!(
    async fn a_tender_is_created_as_a_draft_with_its_buyers_and_lots(store: Store) {
        let deadline = Utc::now() + Duration::days(28);
        let (t, people) = joint_tender(&store, deadline).await;
        let read = store.tender(t.id).await.unwrap().unwrap();
        assert_eq!(read, t);
        assert_eq!(t.status, TenderStatus::Draft);
        assert_eq!(t.stage(Utc::now()), TenderStage::Draft);
        assert_eq!(t.regime, Regime::Pa2023);
        assert_eq!(t.reservation, Reservation::None);
        assert_eq!(t.lead_organisation, "northampton");
        assert_eq!(t.procurement_lead_id, people.lead);
        assert_eq!(t.estimated_value, Money::pounds(12_000_000));
        let shares: Vec<(&str, &str)> = t
            .buyers
            .iter()
            .map(|b| (b.organisation.as_str(), b.share_percent.as_str()))
            .collect();
        assert_eq!(shares, [("corby", "40"), ("northampton", "60")]);
        let lots: Vec<(i32, &str, Money)> = t
            .lots
            .iter()
            .map(|l| (l.number, l.title.as_str(), l.estimated_value))
            .collect();
        assert_eq!(
            lots,
            [
                (1, "North", Money::pounds(7_000_000)),
                (2, "South", Money::pounds(5_000_000))
            ]
        );
        assert_eq!(
            t.submission_deadline.timestamp_micros(),
            deadline.timestamp_micros()
        );
        let listed = store.list_tenders().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].buyers, t.buyers);
        let page = store.audit_page(None, 1).await.unwrap();
        assert_eq!(page[0].record.action, "tender.create");
    }
);

store_test!(
    async fn a_reused_reference_is_refused_and_nothing_is_written(store: Store) {
        let (t, _) = joint_tender(&store, Utc::now() + Duration::days(28)).await;
        let head = store.audit_head().await.unwrap();
        let again = ngc_store::tenders::NewTender {
            title: "Another".into(),
            ..new_tender_like(&t)
        };
        let err = store
            .create_tender(&again, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("NBC-2026-001")),
            "{err}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.list_tenders().await.unwrap().len(), 1);
    }
);

store_test!(
    async fn only_a_buyers_user_joins_the_panel_once(store: Store) {
        let (t, people) = joint_tender(&store, Utc::now() + Duration::days(28)).await;
        let a = Actor::system();
        store
            .create_organisation(&council("kettering", "Kettering"), &a)
            .await
            .unwrap();
        let outsider = store
            .create_user(
                &NewUser {
                    email: "eval@kettering.test",
                    name: "",
                    role: ngc_domain::Role::Evaluator,
                    organisation: "kettering",
                    password: "a long enough password",
                },
                &a,
            )
            .await
            .unwrap();
        let panel = store
            .assign_panel_member(t.id, people.lead_evaluator, &a)
            .await
            .unwrap();
        assert_eq!(panel.len(), 1);
        let panel = store
            .assign_panel_member(t.id, people.partner_evaluator, &a)
            .await
            .unwrap();
        assert_eq!(panel.len(), 2);
        let head = store.audit_head().await.unwrap();
        let err = store
            .assign_panel_member(t.id, outsider.id, &a)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { ref field, .. } if field == "user"),
            "{err}"
        );
        let err = store
            .assign_panel_member(t.id, people.lead_evaluator, &a)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.audit_head().await.unwrap(), head);
        let member = store
            .panel_member(t.id, people.partner_evaluator)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(member.email, "eval@corby.test");
        assert_eq!(
            member.standing(),
            ngc_domain::procurement::PanelStanding::Undeclared
        );
        assert!(
            store
                .panel_member(t.id, outsider.id)
                .await
                .unwrap()
                .is_none()
        );
    }
);

/// A tender to create with the same details as `t`, led by Northampton alone, with no lots.
pub fn new_tender_like(t: &ngc_store::tenders::Tender) -> ngc_store::tenders::NewTender {
    ngc_store::tenders::NewTender {
        reference: t.reference.clone(),
        lead_organisation: t.lead_organisation.clone(),
        procurement_lead_id: t.procurement_lead_id,
        title: t.title.clone(),
        description: t.description.clone(),
        classification_scheme: t.classification_scheme,
        classification_code: t.classification_code.clone(),
        contract_type: t.contract_type,
        procedure: t.procedure,
        commencing_event: t.commencing_event,
        commenced_on: t.commenced_on,
        estimated_value: t.estimated_value,
        vat_inclusive: t.vat_inclusive,
        above_threshold: t.above_threshold,
        reservation: t.reservation,
        two_envelope: t.two_envelope,
        criteria: t.criteria.clone(),
        clarification_deadline: t.clarification_deadline,
        submission_deadline: t.submission_deadline,
        buyers: vec![("northampton".into(), rust_decimal::Decimal::ONE_HUNDRED)],
        lots: vec![],
    }
}
