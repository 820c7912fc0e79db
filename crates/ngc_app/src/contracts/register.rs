//! Listing and reading contracts: only those the caller's scope holds.

use super::scope_of;
use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::contracts::ContractStatus;
use ngc_store::Store;
use ngc_store::contracts::{
    Contract, ContractDocument, ContractFilter, ContractPage, ContractRevision,
};
use serde::{Deserialize, Serialize};

/// Contracts on a page of the register.
pub const PAGE_SIZE: i64 = 50;

/// Which contracts to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ListQuery {
    /// `pending`, `active`, `expired` or `terminated`.
    pub status: Option<String>,
    /// A supplier's slug.
    pub supplier: Option<String>,
    /// Words in the title, reference or supplier's name.
    pub q: Option<String>,
    /// The page, from 1.
    pub page: Option<i64>,
}

/// A contract with what its page shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractDetail {
    pub contract: Contract,
    /// The server's date the status is judged on.
    pub today: chrono::NaiveDate,
    pub status: ContractStatus,
    pub documents: Vec<ContractDocument>,
    pub revisions: Vec<ContractRevision>,
    /// Whether the caller may change it.
    pub can_manage: bool,
}

/// A page of the contracts the caller may read, soonest ending first (computed once per
/// change, [`Store::memo`]).
pub async fn list(
    store: &Store,
    caller: &Caller,
    query: &ListQuery,
) -> UseCaseResult<ContractPage> {
    let scope = scope_of(caller)?;
    let status = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<ContractStatus>())
        .transpose()
        .map_err(|e| UseCaseError::invalid("status", e.to_string()))?;
    let page = query.page.unwrap_or(1);
    if page < 1 {
        return Err(UseCaseError::invalid("page", "pages count from 1"));
    }
    let filter = ContractFilter {
        today: store.today(),
        status,
        supplier: query.supplier.clone().filter(|s| !s.is_empty()),
        text: query.q.clone(),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    // Computed once per change of the database (and day): the page depends only on the
    // scope and the filter, both settled above.
    let page = store
        .memo(format!("contracts_page {scope:?} {filter:?}"), || async {
            store.contracts_page(scope, &filter).await
        })
        .await?;
    Ok(ContractPage::clone(&page))
}

/// One contract the caller may read (404 for any other, so its existence is not told).
pub async fn get(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<ContractDetail> {
    let scope = scope_of(caller)?;
    let contract = store
        .visible_contract(scope, id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("contract {id}")))?;
    let can_manage = contract
        .organisation_id
        .is_some_and(|org| caller.can(Action::ManageContracts(org)));
    let today = store.today();
    Ok(ContractDetail {
        today,
        status: contract.status(today),
        documents: store.contract_documents(id).await?,
        revisions: if can_manage {
            store.contract_revisions(id).await?
        } else {
            Vec::new()
        },
        can_manage,
        contract,
    })
}
