//! Storing a contract's UK9 contract performance release on its procurement's ocid.

use crate::UseCaseResult;
use crate::ocds::release::{ContractFacts, ContractStatus as OcdsStatus, Step};
use crate::ocds::{MetricFacts, Observation, PerformanceFacts, store_release_as};
use ngc_domain::contracts::kpi::rate;
use ngc_domain::contracts::{ContractStatus, VatTreatment};
use ngc_domain::procurement::{Regime, TenderStatus};
use ngc_store::contracts::Contract;
use ngc_store::{Actor, Store};

/// Stores the contract performance release (UK9) of a Procurement Act 2023 contract that came
/// from an award of a published tender: its KPIs with every return rated, and its performance
/// failures. Any other contract has no such notice: nothing is stored and the answer is
/// `None`. Unchanged content stores nothing new (the release store's rule); the answer is the
/// id of the slot's latest release.
pub async fn publish_performance(
    store: &Store,
    actor: &Actor,
    contract: &Contract,
) -> UseCaseResult<Option<i64>> {
    let (Regime::Pa2023, Some(tender_id), Some(award_id)) =
        (contract.regime, contract.tender_id, contract.award_id)
    else {
        return Ok(None);
    };
    if store.must_find_tender(tender_id).await?.status != TenderStatus::Published {
        return Ok(None);
    }
    let kpis = store.contract_kpis(contract.id).await?;
    let returns = store.kpi_returns(contract.id).await?;
    let failures = store.performance_failures(contract.id).await?;
    let metrics = kpis
        .into_iter()
        .map(|k| MetricFacts {
            observations: returns
                .iter()
                .filter(|r| r.kpi_id == k.id)
                .map(|r| Observation {
                    period: r.period,
                    value: r.value,
                    rating: rate(&k.kpi, r.value),
                    note: r.note.clone(),
                })
                .collect(),
            kpi: k.kpi,
        })
        .collect();
    let today = store.today();
    let facts = PerformanceFacts {
        contract: ContractFacts {
            id: contract.id.to_string(),
            award_id: award_id.to_string(),
            title: contract.title.clone(),
            suppliers: vec![contract.supplier_id],
            value: contract.value,
            vat_inclusive: contract.vat_treatment == VatTreatment::IncludingVat,
            status: match contract.status(today) {
                ContractStatus::Pending => OcdsStatus::Pending,
                ContractStatus::Active => OcdsStatus::Active,
                ContractStatus::Expired | ContractStatus::Terminated => OcdsStatus::Terminated,
            },
            starts_on: contract.starts_on,
            ends_on: contract.ends_on,
            signed_at: Some(contract.created_at),
        },
        metrics,
        failures: failures.into_iter().map(|f| f.failure).collect(),
        no_agreed_metrics_rationale: Some(contract.no_agreed_metrics_rationale.clone())
            .filter(|r| !r.trim().is_empty()),
    };
    let release = store_release_as(
        store,
        actor,
        tender_id,
        Step::ContractPerformance(Box::new(facts)),
    )
    .await?;
    Ok(Some(release.id))
}
