use super::fixtures::council;
use ngc_domain::finance::fixtures::demo_plan;
use ngc_domain::finance::mtfp::report;
use ngc_domain::finance::savings::{DeliveryUpdate, Rag};
use ngc_domain::money::Money;
use ngc_store::plans::PlanImport;
use ngc_store::{Actor, Store, StoreError, store_test};

async fn with_council(store: &Store) {
    let plan = demo_plan();
    store
        .create_organisation(
            &council(&plan.organisation, "Northamptonshire"),
            &Actor::system(),
        )
        .await
        .unwrap();
}

store_test!(
    async fn a_plan_reads_back_exactly_as_it_was_stored(store: Store) {
        with_council(&store).await;
        let plan = demo_plan();
        assert_eq!(
            store.import_plan(&plan, &Actor::system()).await.unwrap(),
            PlanImport::Created
        );
        let back = store
            .plan(&plan.organisation, Some(&plan.name))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back, plan);
        assert_eq!(
            report(&back),
            report(&plan),
            "the same figures to the penny"
        );
        assert_eq!(
            store.plan(&plan.organisation, None).await.unwrap().as_ref(),
            Some(&plan)
        );
        assert!(
            store
                .plan(&plan.organisation, Some("no such plan"))
                .await
                .unwrap()
                .is_none()
        );
    }
);

store_test!(
    async fn importing_the_same_plan_twice_changes_nothing(store: Store) {
        with_council(&store).await;
        let plan = demo_plan();
        store.import_plan(&plan, &Actor::system()).await.unwrap();
        let audit = store.verify_audit().await.unwrap();
        assert_eq!(
            store.import_plan(&plan, &Actor::system()).await.unwrap(),
            PlanImport::Unchanged
        );
        assert_eq!(store.verify_audit().await.unwrap(), audit);
        let mut changed = plan.clone();
        changed.savings[0].title = "Renamed saving".into();
        assert_eq!(
            store.import_plan(&changed, &Actor::system()).await.unwrap(),
            PlanImport::Replaced
        );
        assert_eq!(
            store
                .plan(&plan.organisation, Some(&plan.name))
                .await
                .unwrap()
                .unwrap(),
            changed
        );
        assert_eq!(store.list_plans(&plan.organisation).await.unwrap().len(), 1);
    }
);

store_test!(
    async fn a_delivery_update_is_recorded_against_its_saving(store: Store) {
        with_council(&store).await;
        let plan = demo_plan();
        store.import_plan(&plan, &Actor::system()).await.unwrap();
        let reference = plan.savings[0].reference.clone();
        let update = DeliveryUpdate {
            reference: reference.clone(),
            year: plan.first_year,
            month: 6,
            delivered: Money::pounds(250_000),
            rag: Rag::Red,
            note: "Procurement slipped".into(),
        };
        store
            .record_delivery(&plan.organisation, &plan.name, &update, &Actor::system())
            .await
            .unwrap();
        let back = store
            .plan(&plan.organisation, Some(&plan.name))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back.delivery.last(), Some(&update));
        assert_eq!(back.savings[0].rag, Rag::Red);
        let unknown = DeliveryUpdate {
            reference: "NOPE-1".into(),
            ..update.clone()
        };
        let err = store
            .record_delivery(&plan.organisation, &plan.name, &unknown, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "reference"),
            "{err}"
        );
        let bad_month = DeliveryUpdate {
            month: 13,
            ..update
        };
        assert!(
            store
                .record_delivery(&plan.organisation, &plan.name, &bad_month, &Actor::system())
                .await
                .is_err()
        );
    }
);

store_test!(
    async fn a_plan_for_an_unknown_organisation_is_refused(store: Store) {
        let err = store
            .import_plan(&demo_plan(), &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "organisation"),
            "{err}"
        );
    }
);

store_test!(
    async fn a_budget_import_replaces_the_years_it_covers(store: Store) {
        use ngc_domain::finance::service::{BudgetLine, ServiceLine, Subjective};
        with_council(&store).await;
        let org = demo_plan().organisation;
        let line = |year: &str, service, subjective, pounds| BudgetLine {
            organisation: org.clone(),
            year: year.parse().unwrap(),
            service,
            subjective,
            amount: Money::pounds(pounds),
        };
        let first = [
            line(
                "2015-16",
                ServiceLine::AdultSocialCare,
                Subjective::Employees,
                100,
            ),
            line(
                "2015-16",
                ServiceLine::AdultSocialCare,
                Subjective::Income,
                30,
            ),
            line(
                "2016-17",
                ServiceLine::Education,
                Subjective::RunningCosts,
                50,
            ),
        ];
        assert_eq!(
            store
                .import_budget(&org, &first, &Actor::system())
                .await
                .unwrap(),
            3
        );
        let again = [line(
            "2015-16",
            ServiceLine::HighwaysAndTransport,
            Subjective::RunningCosts,
            7,
        )];
        store
            .import_budget(&org, &again, &Actor::system())
            .await
            .unwrap();
        let lines = store.budget_lines(&org).await.unwrap();
        assert_eq!(lines.len(), 2, "2015-16 replaced, 2016-17 kept: {lines:?}");
        let mut other = again.clone();
        other[0].organisation = "somewhere-else".into();
        let err = store
            .import_budget(&org, &other, &Actor::system())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
);
