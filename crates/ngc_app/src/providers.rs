//! A provider across every council: its contracts, its contract income by council and its
//! dependency on each, its own accounts, and whether its viability signals put it on the
//! watch list: dependency, its KPIs declining, penalties imposed on it, thin reserves and
//! income ending without renewal; and its payments from each council ([`payments`]).

pub mod payments;

use crate::contracts::kpis::{ProviderKpis, provider_kpis};
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::{Months, NaiveDate};
use ngc_domain::access::{Action, ContractScope};
use ngc_domain::contracts::ContractStatus;
use ngc_domain::contracts::viability::{
    self, Accounts, CouncilIncome, Dependencies, ProviderSignals, Viability, ViabilityRule,
};
use ngc_domain::money::{Money, Rounding};
use ngc_store::Store;
use ngc_store::contracts::{Contract, ContractFilter};
use ngc_store::organisations::Organisation;
use ngc_store::providers::{NewAccounts, ProviderAccounts};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static RULE: LazyLock<ViabilityRule> = LazyLock::new(ViabilityRule::shipped);

/// The months ahead in which a contract ending without a successor counts as income ending.
pub const ENDING_MONTHS: u32 = 12;

/// A provider's cross-council view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderView {
    pub organisation: Organisation,
    pub today: NaiveDate,
    /// Its contracts with every council, soonest ending first.
    pub contracts: Vec<Contract>,
    /// Its contract income a year from the contracts running today, by council.
    pub income_by_council: Vec<CouncilIncome>,
    /// The annual income of running contracts that end within [`ENDING_MONTHS`] with no
    /// later contract from the same council.
    pub income_ending: Money,
    /// Its share of income from each council, against its turnover or what ngc sees.
    pub dependency: Dependencies,
    /// Its accounts, latest year first.
    pub accounts: Vec<ProviderAccounts>,
    /// Its KPIs' trends and its returns late, missing and due, across its contracts.
    pub kpis: ProviderKpis,
    /// Penalties imposed on it for failures in periods ending in the last twelve months.
    pub penalties_imposed: Money,
    pub viability: Viability,
    /// Its payments from each council: paid in the last twelve months and how fast, unpaid
    /// invoices, and what its payment terms made due that is not yet paid.
    pub payments: Vec<payments::CouncilPayments>,
}

/// Accounts to enter. Money is pounds as a decimal string; dates YYYY-MM-DD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountsInput {
    pub year_end: String,
    pub turnover: String,
    pub net_assets: String,
    pub reserves: String,
    pub filed_on: Option<String>,
}

async fn provider(store: &Store, slug: &str) -> UseCaseResult<Organisation> {
    store
        .organisation_by_slug(slug.trim())
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("provider `{}`", slug.trim())))
}

/// The annual income of a contract's buyer part: its amount spread as the contract's value is
/// (the annual value over the whole), rounded half away from zero.
fn annual_part(c: &Contract, amount: Money) -> Money {
    match c.annual_value {
        Some(a) if !c.value.is_zero() => {
            let ratio = a.to_decimal() / c.value.to_decimal();
            amount
                .mul_decimal(ratio.min(Decimal::ONE), Rounding::HalfAwayFromZero)
                .unwrap_or(amount)
        }
        _ => amount,
    }
}

/// The provider's view (its own staff, and any council's staff who read contracts), computed
/// once per change ([`Store::memo`]).
pub async fn view(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<ProviderView> {
    let organisation = provider(store, slug).await?;
    if let Caller::User(p) = caller {
        caller.require(Action::ReadContracts)?;
        match p.contract_scope() {
            Some(ContractScope::Buyer(_)) => {}
            Some(ContractScope::Supplier(own)) if own == organisation.id => {}
            _ => {
                return Err(UseCaseError::Forbidden(
                    "a provider sees its own view, not another provider's".into(),
                ));
            }
        }
    }
    let view = store
        .memo(format!("provider_view {}", organisation.id), || {
            compute(store, organisation.clone())
        })
        .await?;
    Ok(ProviderView::clone(&view))
}

/// The provider's view from the database, as of the store's day.
async fn compute(store: &Store, organisation: Organisation) -> UseCaseResult<ProviderView> {
    let today = store.today();
    let filter = ContractFilter {
        today,
        status: None,
        supplier: None,
        text: None,
        limit: 10_000,
        offset: 0,
    };
    let contracts = store
        .contracts_page(ContractScope::Supplier(organisation.id), &filter)
        .await?
        .contracts;
    let running: Vec<&Contract> = contracts
        .iter()
        .filter(|c| c.status(today) == ContractStatus::Active)
        .collect();
    let mut by_council: BTreeMap<String, Money> = BTreeMap::new();
    for c in &running {
        for b in &c.buyers {
            *by_council.entry(b.organisation.clone()).or_default() += annual_part(c, b.amount);
        }
    }
    let horizon = today + Months::new(ENDING_MONTHS);
    let mut income_ending = Money::ZERO;
    for c in &running {
        let Some(end) = c.ends_on.filter(|e| *e <= horizon) else {
            continue;
        };
        let succeeded = contracts.iter().any(|o| {
            o.id != c.id
                && o.organisation_id == c.organisation_id
                && o.ends_on.is_none_or(|e| e > end)
                && matches!(
                    o.status(today),
                    ContractStatus::Active | ContractStatus::Pending
                )
        });
        if !succeeded {
            income_ending += c.buyers.iter().map(|b| annual_part(c, b.amount)).sum();
        }
    }
    let mut payments = payments::by_council(store, organisation.id, &contracts, today).await?;
    // Each council's name, read once for both lists.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for council in by_council.keys().chain(payments.iter().map(|p| &p.council)) {
        if !names.contains_key(council) {
            let name = store
                .organisation_by_slug(council)
                .await?
                .map_or_else(|| council.clone(), |o| o.name);
            names.insert(council.clone(), name);
        }
    }
    for p in &mut payments {
        p.name.clone_from(&names[&p.council]);
    }
    let income_by_council: Vec<CouncilIncome> = by_council
        .into_iter()
        .map(|(council, amount)| CouncilIncome {
            name: names[&council].clone(),
            council,
            amount,
        })
        .collect();
    let accounts = store.provider_accounts(organisation.id).await?;
    let (kpi_list, returns) = store.supplier_kpis(organisation.id).await?;
    let kpis = provider_kpis(&contracts, kpi_list, &returns, today);
    let penalties_imposed = store
        .penalties_imposed_since(organisation.id, today - Months::new(12))
        .await?;
    let signals = ProviderSignals {
        income_by_council: income_by_council.clone(),
        accounts: accounts.first().map(|a| Accounts {
            year_end: a.year_end,
            turnover: a.turnover,
            net_assets: a.net_assets,
            reserves: a.reserves,
            filed_on: a.filed_on,
        }),
        kpi_trends: kpis.trends.iter().map(|t| t.3).collect(),
        penalties_imposed,
        contract_income_ending_without_renewal: income_ending,
    };
    let conflict = |e: viability::SignalsError| UseCaseError::Conflict(e.to_string());
    let dependency = viability::dependency(&signals).map_err(conflict)?;
    let viability = viability::assess(&signals, &RULE).map_err(conflict)?;
    Ok(ProviderView {
        payments,
        organisation,
        today,
        contracts,
        income_by_council,
        income_ending,
        dependency,
        accounts,
        kpis,
        penalties_imposed,
        viability,
    })
}

fn money(field: &str, v: &str) -> UseCaseResult<Money> {
    v.trim()
        .parse()
        .map_err(|e: ngc_domain::money::MoneyError| UseCaseError::invalid(field, e.to_string()))
}

fn date(field: &str, v: &str) -> UseCaseResult<NaiveDate> {
    v.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            field,
            format!("`{}` is not a date: use YYYY-MM-DD", v.trim()),
        )
    })
}

/// Records a provider's accounts for a year (its own administrator or staff, or the command
/// line). Figures entered before for the same year are kept, superseded.
pub async fn record_accounts(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &AccountsInput,
) -> UseCaseResult<ProviderAccounts> {
    let organisation = provider(store, slug).await?;
    caller.require(Action::RecordProviderAccounts(organisation.id))?;
    let a = NewAccounts {
        year_end: date("year_end", &input.year_end)?,
        turnover: money("turnover", &input.turnover)?,
        net_assets: money("net_assets", &input.net_assets)?,
        reserves: money("reserves", &input.reserves)?,
        filed_on: input
            .filed_on
            .as_deref()
            .filter(|f| !f.trim().is_empty())
            .map(|f| date("filed_on", f))
            .transpose()?,
    };
    check_accounts(&a).map_err(|(field, message)| UseCaseError::invalid(field, message))?;
    let id = store
        .record_provider_accounts(organisation.id, &a, &caller.actor())
        .await?;
    store
        .provider_accounts(organisation.id)
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| UseCaseError::NotFound(format!("accounts {id}")))
}

/// The rules on a year's figures: turnover is not negative, and accounts are filed after
/// their year ends. The field and the message when one is broken.
fn check_accounts(a: &NewAccounts) -> Result<(), (&'static str, &'static str)> {
    if a.turnover.is_negative() {
        return Err(("turnover", "may not be negative"));
    }
    if a.filed_on.is_some_and(|f| f < a.year_end) {
        return Err(("filed_on", "accounts are filed after their year ends"));
    }
    Ok(())
}

/// A provider's accounts from an import: the line of the file, the provider's slug and the
/// figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAccounts {
    pub line: u64,
    pub provider: String,
    pub accounts: NewAccounts,
}

/// Imports providers' accounts (the command line, or each provider's own administrator or
/// staff): all or none. Every provider must be registered and the caller allowed to record
/// its accounts; every line must pass the rules of [`record_accounts`]. A refusal names the
/// line and the field, and nothing is written. Figures entered before for the same provider
/// and year are kept, superseded. Returns how many were recorded.
pub async fn import_accounts(
    store: &Store,
    caller: &Caller,
    lines: &[ImportedAccounts],
) -> UseCaseResult<usize> {
    let mut rows = Vec::with_capacity(lines.len());
    for l in lines {
        let organisation = store
            .organisation_by_slug(l.provider.trim())
            .await?
            .ok_or_else(|| {
                UseCaseError::invalid(
                    "provider",
                    format!("line {}: no organisation `{}`", l.line, l.provider.trim()),
                )
            })?;
        caller.require(Action::RecordProviderAccounts(organisation.id))?;
        check_accounts(&l.accounts).map_err(|(field, message)| {
            UseCaseError::invalid(field, format!("line {}: {message}", l.line))
        })?;
        rows.push((organisation.id, l.accounts.clone()));
    }
    Ok(store
        .import_provider_accounts(&rows, &caller.actor())
        .await?
        .len())
}
