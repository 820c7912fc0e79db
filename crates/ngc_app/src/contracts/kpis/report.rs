//! What a contract's KPIs show to whoever reads the contract, the s52 duty of a contract
//! (computed from the contract row alone, so a page of the register needs no query per row),
//! and a provider's KPIs across its contracts.

use super::RETURN_GRACE_DAYS;
use crate::contracts::payments::{holder, last_day, readable};
use crate::{Caller, UseCaseResult};
use chrono::{Months, NaiveDate};
use ngc_domain::access::{Action, ContractScope};
use ngc_domain::contracts::kpi::{
    KpiDuty, KpiDutyRules, KpiExemption, Rag, Rating, ReturnDue, ReturnState, Submission, Trend,
    kpi_duty, rate, returns_status, trend,
};
use ngc_domain::contracts::{Frequency, VatTreatment};
use ngc_domain::money::{Money, Rounding};
use ngc_domain::procurement::ContractType;
use ngc_domain::procurement::vat::VatRates;
use ngc_store::Store;
use ngc_store::contracts::{Contract, ContractKpi, FailureRecord, KpiReturn};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

static DUTY: LazyLock<KpiDutyRules> = LazyLock::new(KpiDutyRules::shipped);
static VAT: LazyLock<VatRates> = LazyLock::new(VatRates::shipped);

/// A return with its period's name and its rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatedReturn {
    pub ret: KpiReturn,
    /// The period's name (`2016-04`, `2016-17 Q1`).
    pub label: String,
    pub rating: Rating,
    pub rag: Rag,
}

/// One KPI with its returns, what is owed, and its trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiLine {
    pub kpi: ContractKpi,
    /// Its returns, oldest first, each rated.
    pub returns: Vec<RatedReturn>,
    /// Every return owed by today and where it stands (received, late, missing, not yet due).
    pub owed: Vec<ReturnDue>,
    /// Its trend over its last three returned values.
    pub trend: Trend,
    /// The rating of its latest return.
    pub latest: Option<Rating>,
}

/// A contract's KPIs as whoever reads the contract sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiReport {
    pub contract: Contract,
    pub today: NaiveDate,
    pub kpis: Vec<KpiLine>,
    pub failures: Vec<FailureRecord>,
    /// The s52 duty: whether it applies and is met, and the warning where it is not.
    pub duty: KpiDuty,
    /// Returns made after their due day.
    pub late_returns: usize,
    /// Returns due and not made.
    pub missing_returns: usize,
    /// Whether the caller may set KPIs and record failures.
    pub may_manage: bool,
    /// Whether the caller makes the returns (the supplier's staff).
    pub may_return: bool,
}

/// The contract's value including VAT, as the KPI duty compares it: a value excluding VAT
/// grossed up at the standard rate on its start day (rounded half away from zero); a value
/// including VAT or with no VAT as it is.
fn value_including_vat(c: &Contract) -> Money {
    match (c.vat_treatment, VAT.on(c.starts_on)) {
        (VatTreatment::ExcludingVat, Some(rate)) => c
            .value
            .mul_decimal(
                Decimal::ONE + rate.standard_rate_pct / Decimal::ONE_HUNDRED,
                Rounding::HalfAwayFromZero,
            )
            .unwrap_or(c.value),
        _ => c.value,
    }
}

/// The s52 KPI duty of a contract, from the contract row alone: its regime, its value
/// including VAT, the exemption the council recorded (a light touch contract is one whatever
/// was recorded), its rationale and its KPI count.
pub fn duty_of(c: &Contract) -> KpiDuty {
    let exemption = c
        .kpi_exemption
        .or((c.contract_type == ContractType::LightTouch).then_some(KpiExemption::LightTouch));
    kpi_duty(
        c.regime,
        value_including_vat(c),
        exemption,
        Some(c.no_agreed_metrics_rationale.as_str()),
        usize::try_from(c.kpi_count).unwrap_or(0),
        &DUTY,
    )
}

/// The KPI's lines: its returns rated, what is owed, its trend.
fn line(c: &Contract, kpi: ContractKpi, all: &[KpiReturn], today: NaiveDate) -> KpiLine {
    let mine: Vec<&KpiReturn> = all.iter().filter(|r| r.kpi_id == kpi.id).collect();
    let submissions: Vec<Submission> = mine
        .iter()
        .map(|r| Submission {
            kpi: kpi.kpi.code.clone(),
            period: r.period,
            submitted_on: r.submitted_at.date_naive(),
        })
        .collect();
    let owed = returns_status(
        std::slice::from_ref(&kpi.kpi),
        kpi.from.max(c.starts_on),
        last_day(c),
        &submissions,
        RETURN_GRACE_DAYS,
        today,
    );
    let values: Vec<Decimal> = mine.iter().filter_map(|r| r.value).collect();
    let returns: Vec<RatedReturn> = mine
        .into_iter()
        .map(|r| {
            let rating = rate(&kpi.kpi, r.value);
            RatedReturn {
                label: r.period.label(kpi.kpi.frequency),
                rating,
                rag: rating.rag(),
                ret: r.clone(),
            }
        })
        .collect();
    KpiLine {
        trend: trend(&kpi.kpi, &values),
        latest: returns.last().map(|r| r.rating),
        returns,
        owed,
        kpi,
    }
}

/// The contract's KPI report (anyone who reads the contract).
pub async fn report(store: &Store, caller: &Caller, contract_id: i64) -> UseCaseResult<KpiReport> {
    let contract = readable(store, caller, contract_id).await?;
    let today = store.today();
    let returns = store.kpi_returns(contract_id).await?;
    let kpis: Vec<KpiLine> = store
        .contract_kpis(contract_id)
        .await?
        .into_iter()
        .map(|k| line(&contract, k, &returns, today))
        .collect();
    let count = |state: ReturnState| {
        kpis.iter()
            .flat_map(|k| &k.owed)
            .filter(|r| r.state == state)
            .count()
    };
    let may_manage = holder(&contract).is_ok_and(|h| caller.can(Action::ManageContracts(h)));
    let may_return = caller
        .principal()
        .and_then(|p| p.contract_scope())
        .is_some_and(|s| s == ContractScope::Supplier(contract.supplier_id));
    Ok(KpiReport {
        late_returns: count(ReturnState::Late),
        missing_returns: count(ReturnState::Missing),
        failures: store.performance_failures(contract_id).await?,
        duty: duty_of(&contract),
        kpis,
        today,
        may_manage,
        may_return,
        contract,
    })
}

/// A return a provider owes, or made late, under one of its contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderReturnDue {
    pub contract_id: i64,
    pub contract: String,
    pub kpi: String,
    pub label: String,
    pub due_on: NaiveDate,
    pub state: ReturnState,
}

/// A provider's KPIs across its contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ProviderKpis {
    /// Each KPI's trend: the contract, the KPI's code and title, and the trend.
    pub trends: Vec<(i64, String, String, Trend)>,
    /// Returns missing or not yet due, and those made late that fell due in the last
    /// [`LATE_LISTED_MONTHS`] months, soonest due first.
    pub returns: Vec<ProviderReturnDue>,
    /// How many returns were made late, ever.
    pub late: usize,
    /// How many returns are missing.
    pub missing: usize,
}

/// The months over which a provider's late returns are listed one by one (all are counted).
pub const LATE_LISTED_MONTHS: u32 = 12;

/// A provider's KPI trends and returns across `contracts` (those it supplies), from its KPIs
/// and their returns as [`ngc_store::Store::supplier_kpis`] reads them.
pub fn provider_kpis(
    contracts: &[Contract],
    kpis: Vec<ContractKpi>,
    returns: &[KpiReturn],
    today: NaiveDate,
) -> ProviderKpis {
    let by_id: HashMap<i64, &Contract> = contracts.iter().map(|c| (c.id, c)).collect();
    let mut by_kpi: HashMap<i64, Vec<KpiReturn>> = HashMap::new();
    for r in returns {
        by_kpi.entry(r.kpi_id).or_default().push(r.clone());
    }
    let listed_from = today - Months::new(LATE_LISTED_MONTHS);
    let mut out = ProviderKpis::default();
    for k in kpis {
        let Some(c) = by_id.get(&k.contract_id) else {
            continue;
        };
        let frequency: Frequency = k.kpi.frequency;
        let mine = by_kpi.remove(&k.id).unwrap_or_default();
        let l = line(c, k, &mine, today);
        out.trends.push((
            c.id,
            l.kpi.kpi.code.clone(),
            l.kpi.kpi.name.clone(),
            l.trend,
        ));
        for r in l.owed {
            match r.state {
                ReturnState::Received => continue,
                ReturnState::Late => {
                    out.late += 1;
                    if r.due_on < listed_from {
                        continue;
                    }
                }
                ReturnState::Missing => out.missing += 1,
                ReturnState::NotYetDue => {}
            }
            out.returns.push(ProviderReturnDue {
                contract_id: c.id,
                contract: c.title.clone(),
                kpi: r.kpi,
                label: r.period.label(frequency),
                due_on: r.due_on,
                state: r.state,
            });
        }
    }
    out.returns.sort_by_key(|r| (r.due_on, r.contract_id));
    out
}
