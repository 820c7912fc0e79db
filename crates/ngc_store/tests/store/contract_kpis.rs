//! Contract KPIs: KPIs with their codes unique per contract, one return per KPI and period
//! (a second writes nothing), performance failures with their penalties, the KPI count read
//! with the contract for the register, and a supplier's KPIs and penalties in few queries.

use super::fixtures::{contract, council, provider};
use chrono::NaiveDate;
use ngc_domain::contracts::kpi::{Direction, Kpi, KpiExemption, PenaltyType, PerformanceFailure};
use ngc_domain::contracts::{Frequency, Period};
use ngc_domain::money::Money;
use ngc_store::contracts::{NewKpiReturn, Scope};
use ngc_store::{Actor, Store, StoreError, store_test};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A county's contract with a provider, from April 2016 for three years; the ids of the
/// contract and the provider.
async fn a_contract(store: &Store) -> (i64, i64) {
    let a = Actor::system();
    let county = store
        .create_organisation(&council("northamptonshire", "Northamptonshire"), &a)
        .await
        .unwrap()
        .id;
    let care = store
        .create_organisation(&provider("olympus-care", "Olympus Care", None), &a)
        .await
        .unwrap()
        .id;
    let new = contract(
        county,
        "NCC-1",
        care,
        Money::pounds(900_000),
        "2016-04-01",
        Some("2019-03-31"),
    );
    (store.create_contract(&new, &a).await.unwrap(), care)
}

fn visits() -> Kpi {
    Kpi {
        code: "KPI1".into(),
        name: "Visits made on time".into(),
        unit: "%".into(),
        target: "95".parse().unwrap(),
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Monthly,
        tolerance: "2.5".parse().unwrap(),
    }
}

fn april() -> Period {
    Period::containing(Frequency::Monthly, d("2016-04-01"))
}

fn a_return(kpi_id: i64, value: &str) -> NewKpiReturn {
    NewKpiReturn {
        kpi_id,
        period: april(),
        value: Some(value.parse().unwrap()),
        note: "two carers off sick".into(),
        due_on: d("2016-05-20"),
        late: false,
    }
}

fn failure(id: &str) -> PerformanceFailure {
    PerformanceFailure {
        id: id.into(),
        period: april(),
        category: "Visits made on time".into(),
        description: "Visits missed in the north locality".into(),
        events: 14,
        remedy: "Rota rebuilt; two carers recruited".into(),
        penalty_type: PenaltyType::Contracted,
        penalty_contracted: Money::pounds(2_000),
        penalty_imposed: Money::pounds(1_500),
        penalty_paid: Money::pounds(1_000),
    }
}

async fn audit_seq(store: &Store) -> i64 {
    store.audit_head().await.unwrap().0
}

store_test!(
    async fn a_kpi_is_kept_exactly_and_counted_with_its_contract(store: Store) {
        let (id, care) = a_contract(&store).await;
        let a = Actor::system();
        let seq = audit_seq(&store).await;
        let kpi = store
            .define_kpi(id, &visits(), d("2016-04-01"), &a)
            .await
            .unwrap();
        assert_eq!(audit_seq(&store).await, seq + 1);
        assert_eq!(
            store.contract_kpis(id).await.unwrap(),
            std::slice::from_ref(&kpi)
        );
        assert_eq!(kpi.kpi, visits());
        let c = store
            .visible_contract(Scope::Supplier(care), id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.kpi_count, 1);
        assert_eq!(c.no_agreed_metrics_rationale, "");
        assert_eq!(c.kpi_exemption, None);
    }
);

store_test!(
    async fn a_second_kpi_with_the_same_code_is_refused_naming_the_code(store: Store) {
        let (id, _) = a_contract(&store).await;
        let a = Actor::system();
        store
            .define_kpi(id, &visits(), d("2016-04-01"), &a)
            .await
            .unwrap();
        let seq = audit_seq(&store).await;
        let err = store
            .define_kpi(id, &visits(), d("2016-04-01"), &a)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "code"),
            "{err:?}"
        );
        assert_eq!(store.contract_kpis(id).await.unwrap().len(), 1);
        assert_eq!(audit_seq(&store).await, seq);
    }
);

store_test!(
    async fn the_rationale_and_exemption_are_kept_on_the_contract(store: Store) {
        let (id, care) = a_contract(&store).await;
        let a = Actor::system();
        store
            .set_kpi_rationale(id, "spot purchases", Some(KpiExemption::LightTouch), &a)
            .await
            .unwrap();
        let c = store
            .visible_contract(Scope::Supplier(care), id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.no_agreed_metrics_rationale, "spot purchases");
        assert_eq!(c.kpi_exemption, Some(KpiExemption::LightTouch));
    }
);

store_test!(
    async fn a_second_return_for_a_period_is_refused_and_writes_nothing(store: Store) {
        let (id, care) = a_contract(&store).await;
        let a = Actor::system();
        let kpi = store
            .define_kpi(id, &visits(), d("2016-04-01"), &a)
            .await
            .unwrap();
        let first = store
            .submit_kpi_return(&kpi, &a_return(kpi.id, "93.5"), &a)
            .await
            .unwrap();
        assert_eq!(first.value, Some("93.5".parse().unwrap()));
        assert_eq!(
            store.kpi_returns(id).await.unwrap(),
            std::slice::from_ref(&first)
        );
        let seq = audit_seq(&store).await;
        let err = store
            .submit_kpi_return(&kpi, &a_return(kpi.id, "99"), &a)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "period_start: contract {id}: KPI `KPI1` already has a return for the period \
                 2016-04-01 to 2016-04-30 (return {}): one return per KPI and period",
                first.id
            )
        );
        assert_eq!(
            store.kpi_returns(id).await.unwrap(),
            std::slice::from_ref(&first)
        );
        assert_eq!(audit_seq(&store).await, seq);
        let (kpis, returns) = store.supplier_kpis(care).await.unwrap();
        assert_eq!(kpis, [kpi]);
        assert_eq!(returns, [first]);
    }
);

store_test!(
    async fn failures_keep_their_penalties_and_sum_for_the_supplier(store: Store) {
        let (id, care) = a_contract(&store).await;
        let a = Actor::system();
        let saved = store
            .record_performance_failure(id, None, &failure("PF1"), &a)
            .await
            .unwrap();
        assert_eq!(saved.failure, failure("PF1"));
        store
            .record_performance_failure(id, None, &failure("PF2"), &a)
            .await
            .unwrap();
        let err = store
            .record_performance_failure(id, None, &failure("PF1"), &a)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "id"),
            "{err:?}"
        );
        assert_eq!(store.performance_failures(id).await.unwrap().len(), 2);
        assert_eq!(
            store
                .penalties_imposed_since(care, d("2016-04-01"))
                .await
                .unwrap(),
            Money::pounds(3_000)
        );
        assert_eq!(
            store
                .penalties_imposed_since(care, d("2016-05-01"))
                .await
                .unwrap(),
            Money::ZERO
        );
    }
);
