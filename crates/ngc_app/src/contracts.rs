//! The contract register's use cases: list and read the contracts a user may see, enter one
//! by hand, import a council's register file (merged by reference, every replaced version
//! kept), the expiry pipeline, a contract's documents, and how it pays (payment terms, the
//! provider's claims, the payments made), its KPIs ([`kpis`]: the KPIs, the provider's
//! returns rated, the performance failures, the s52 warning and the UK9 release), and its
//! variations under the change rules, terminations and reversals of termination.

mod entry;
mod expiry;
pub mod kpis;
pub mod payments;
mod register;
pub mod variations;

pub use entry::{BuyerShare, ContractInput, DocumentInput, add_document, enter, import};
pub use expiry::{ExpiringContract, Pipeline, expiring};
pub use register::{ContractDetail, ListQuery, PAGE_SIZE, get, list};

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::{Action, ContractScope};

/// The caller's contract scope, after the rule that they may read contracts at all.
fn scope_of(caller: &Caller) -> UseCaseResult<ContractScope> {
    caller.require(Action::ReadContracts)?;
    caller
        .principal()
        .and_then(|p| p.contract_scope())
        .ok_or_else(|| UseCaseError::Forbidden("contracts are read by a user".into()))
}
