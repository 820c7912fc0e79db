//! The expiry pipeline: a council's contracts ending in the coming months, with their value
//! and the day re-commissioning must start.

use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::{Months, NaiveDate};
use ngc_domain::access::{Action, ContractScope};
use ngc_domain::contracts::VatTreatment;
use ngc_domain::contracts::register::{self, recommissioning_lead_months};
use ngc_domain::money::Money;
use ngc_domain::procurement::thresholds::{Thresholds, VatBasis};
use ngc_domain::procurement::vat::{VatRates, compare};
use ngc_store::Store;
use ngc_store::contracts::Contract;
use serde::Serialize;
use std::sync::LazyLock;

static THRESHOLDS: LazyLock<Thresholds> = LazyLock::new(Thresholds::shipped);
static VAT: LazyLock<VatRates> = LazyLock::new(VatRates::shipped);

/// A contract in the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpiringContract {
    pub contract: Contract,
    pub ends_on: NaiveDate,
    /// Whether re-letting it today would be at or above the procurement threshold.
    pub above_threshold: bool,
    /// The months before the end that re-commissioning takes.
    pub lead_months: u32,
    pub recommission_by: NaiveDate,
    /// Whether that day has passed.
    pub overdue: bool,
}

/// A council's expiry pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    pub organisation: String,
    pub today: NaiveDate,
    pub months: u32,
    /// The last day in view.
    pub until: NaiveDate,
    pub contracts: Vec<ExpiringContract>,
    /// The value of the contracts in view.
    pub value: Money,
    /// How many are past the day re-commissioning should have started.
    pub overdue: usize,
}

/// The longest horizon the pipeline looks over.
pub const MAX_MONTHS: u32 = 120;

fn above_threshold(c: &Contract, today: NaiveDate) -> bool {
    let Some(row) = THRESHOLDS.on(today) else {
        return false;
    };
    let basis = match c.vat_treatment {
        VatTreatment::IncludingVat => VatBasis::IncludingVat,
        VatTreatment::ExcludingVat | VatTreatment::NoVat => VatBasis::ExcludingVat,
    };
    compare(
        c.value,
        basis,
        row.amount(c.contract_type),
        row.basis,
        today,
        &VAT,
    )
    .map(|cmp| cmp.at_or_above)
    .unwrap_or(c.value >= row.amount(c.contract_type))
}

/// The contracts `council` buys ending within `months` of the server's date, soonest first,
/// each with the day re-commissioning must start: 18 months before the end at or above the
/// threshold, 9 below (ngc's planning defaults). Read by the council's own staff, or the
/// command line. Computed once per change ([`Store::memo`]).
pub async fn expiring(
    store: &Store,
    caller: &Caller,
    council: &str,
    months: u32,
) -> UseCaseResult<Pipeline> {
    let holder = store
        .organisation_by_slug(council.trim())
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{}`", council.trim())))?;
    if let Caller::User(p) = caller {
        caller.require(Action::ReadContracts)?;
        if p.contract_scope() != Some(ContractScope::Buyer(holder.id)) {
            return Err(UseCaseError::Forbidden(
                "the expiry pipeline is open to the council's own staff".into(),
            ));
        }
    }
    if months == 0 || months > MAX_MONTHS {
        return Err(UseCaseError::invalid(
            "months",
            format!("must be from 1 to {MAX_MONTHS}"),
        ));
    }
    let pipeline = store
        .memo(format!("expiring {} {months}", holder.id), || {
            pipeline(store, holder.id, holder.slug.clone(), months)
        })
        .await?;
    Ok(Pipeline::clone(&pipeline))
}

/// The pipeline of the council `holder` (`slug`) over `months`, from the database.
async fn pipeline(
    store: &Store,
    holder: i64,
    slug: String,
    months: u32,
) -> UseCaseResult<Pipeline> {
    let today = store.today();
    let until = today + Months::new(months);
    let mut contracts = Vec::new();
    for c in store.contracts_ending(holder, today, until).await? {
        let above = above_threshold(&c, today);
        let lead = recommissioning_lead_months(above);
        let Some(e) = register::expiring(c.ends_on, lead, today, months) else {
            continue;
        };
        contracts.push(ExpiringContract {
            ends_on: e.ends_on,
            above_threshold: above,
            lead_months: lead,
            recommission_by: e.recommission_by,
            overdue: e.overdue,
            contract: c,
        });
    }
    Ok(Pipeline {
        organisation: slug,
        today,
        months,
        until,
        value: contracts.iter().map(|c| c.contract.value).sum(),
        overdue: contracts.iter().filter(|c| c.overdue).count(),
        contracts,
    })
}
