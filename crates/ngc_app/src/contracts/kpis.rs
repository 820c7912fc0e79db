//! A contract's KPIs and outcomes: the holding council's commissioners set the KPIs (or record
//! why KPIs are not appropriate) and record performance failures with their penalties; the
//! supplier's staff make a return for each KPI and period through their portal (the contract's
//! KPI page, or the API); everyone who reads the contract sees the report ([`report`]): each
//! KPI's returns rated in the Regulations' words with a RAG colour, late and missing returns,
//! the trend, the failures, and the s52 warning where the duty applies and is not met.
//!
//! Returns fall due [`RETURN_GRACE_DAYS`] days after their period ends (ngc's default; a
//! contract's own terms are not yet held). A return is late when submitted after that day.
//!
//! **UK9.** For a Procurement Act 2023 contract that came from an award (it has an ocid), a
//! contract performance release is stored on the procurement's ocid ([`publish`]) when a return
//! is rated Requires improvement or Inadequate (poor performance), when a performance failure
//! is recorded (a breach), and at least yearly: with the first return of each financial year.

mod publish;
mod report;

pub use publish::publish_performance;
pub use report::{
    KpiLine, KpiReport, ProviderKpis, ProviderReturnDue, RatedReturn, duty_of, provider_kpis,
    report,
};

use super::payments::{date, given, holder, last_day, readable};
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::{Datelike, NaiveDate};
use ngc_domain::access::{Action, ContractScope};
use ngc_domain::contracts::kpi::{
    FailureError, Kpi, KpiError, KpiExemption, PenaltyType, PerformanceFailure, Rating, rate,
};
use ngc_domain::contracts::{Frequency, Period};
use ngc_domain::money::Money;
use ngc_domain::procurement::Regime;
use ngc_store::Store;
use ngc_store::contracts::{Contract, ContractKpi, FailureRecord, KpiReturn, NewKpiReturn};
use rust_decimal::Decimal;
use serde::Deserialize;

/// Days after a period ends that its return falls due.
pub const RETURN_GRACE_DAYS: u32 = 20;

/// A KPI to set, or (with no `code`) the council's reason for setting none. Numbers are
/// decimal strings in the KPI's unit; dates YYYY-MM-DD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiInput {
    /// The contract's code for the KPI (`KPI1`), unique within the contract.
    pub code: Option<String>,
    /// What is measured.
    pub title: Option<String>,
    /// The unit (`%`, `days`).
    pub unit: Option<String>,
    /// The value to meet or beat (`95`).
    pub target: Option<String>,
    /// `higher` or `lower`: which is better.
    pub direction: Option<String>,
    /// `monthly`, `quarterly` or `annually`: how often the provider returns it.
    pub frequency: Option<String>,
    /// How far short of the target still counts as approaching it (`2.5`; 0 when not given).
    pub tolerance: Option<String>,
    /// The first day returns are owed for (the contract's start when not given).
    pub from: Option<String>,
    /// With no `code`: why the council considers the supplier's performance cannot
    /// appropriately be assessed by KPIs (PA2023 s52(2); `noAgreedMetricsRationale`). Blank
    /// clears it.
    pub no_agreed_metrics_rationale: Option<String>,
    /// With no `code`: an exemption from the KPI duty the contract falls under
    /// (`framework`, `private_utility`, `concession`, `light_touch`,
    /// `not_public_contract`).
    pub exemption: Option<String>,
}

/// A provider's return for one KPI and one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnInput {
    /// The KPI's code.
    pub kpi: String,
    /// The first day of the period (a period of the KPI's frequency, aligned to the financial
    /// year).
    pub period_start: String,
    /// The value in the KPI's unit (`93.5`); blank when the KPI did not apply in the period.
    pub value: Option<String>,
    /// A note on the value.
    #[serde(default)]
    pub note: String,
}

/// A performance failure to record. Money is pounds as a decimal string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailureInput {
    /// The failure's id, unique within the contract (`PF1`).
    pub id: String,
    /// The KPI it is about, by code, if one.
    pub kpi: Option<String>,
    pub period_start: String,
    pub period_end: String,
    /// The category of failure (the KPI's title when blank and a KPI is given).
    #[serde(default)]
    pub category: String,
    /// What went wrong.
    #[serde(default)]
    pub description: String,
    /// How many failures of the category in the period (1 when not given).
    pub events: Option<u32>,
    /// What the provider must do, or did, to put it right.
    #[serde(default)]
    pub remedy: String,
    /// `contracted` (the default), `imposed` or `negotiated`.
    pub penalty_type: Option<String>,
    /// The penalty the contract provides for (`2000.00`; 0 when not given).
    pub penalty_contracted: Option<String>,
    /// The penalty imposed.
    pub penalty_imposed: Option<String>,
    /// How much of it has been paid.
    pub penalty_paid: Option<String>,
}

/// A return as accepted, with its rating and the UK9 release it caused, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedReturn {
    pub kpi: ContractKpi,
    pub ret: KpiReturn,
    pub rating: Rating,
    /// The id of the contract performance release stored, if one was.
    pub release_id: Option<i64>,
}

fn text(value: &Option<String>) -> String {
    given(value).unwrap_or_default().to_owned()
}

fn number(field: &str, value: &str) -> UseCaseResult<Decimal> {
    value
        .trim()
        .parse()
        .map_err(|_| UseCaseError::invalid(field, format!("`{}` is not a number", value.trim())))
}

fn money(field: &str, value: &Option<String>) -> UseCaseResult<Money> {
    given(value).map_or(Ok(Money::ZERO), |v| {
        v.parse()
            .map_err(|e: ngc_domain::money::MoneyError| UseCaseError::invalid(field, e.to_string()))
    })
}

fn required<'a>(field: &str, value: &'a Option<String>) -> UseCaseResult<&'a str> {
    given(value).ok_or_else(|| UseCaseError::invalid(field, "is required"))
}

/// The KPI's field a domain error names.
fn kpi_refused(contract_id: i64, e: &KpiError) -> UseCaseError {
    let field = match e {
        KpiError::EmptyCode { .. } | KpiError::DuplicateCode { .. } => "code",
        KpiError::Empty { field, .. } => match *field {
            "name" => "title",
            other => other,
        },
        KpiError::NegativeTolerance { .. } => "tolerance",
    };
    UseCaseError::invalid(field, format!("contract {contract_id}: {e}"))
}

/// Sets a KPI of the contract (the holding council's commissioners and administrator).
pub async fn define_kpi(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &KpiInput,
) -> UseCaseResult<ContractKpi> {
    let contract = readable(store, caller, contract_id).await?;
    caller.require(Action::ManageContracts(holder(&contract)?))?;
    let kpi = Kpi {
        code: text(&input.code),
        name: text(&input.title),
        unit: text(&input.unit),
        target: number("target", required("target", &input.target)?)?,
        direction: required("direction", &input.direction)?.parse().map_err(
            |e: ngc_domain::text_enum::UnknownValue| {
                UseCaseError::invalid("direction", e.to_string())
            },
        )?,
        frequency: required("frequency", &input.frequency)?.parse().map_err(
            |e: ngc_domain::text_enum::UnknownValue| {
                UseCaseError::invalid("frequency", e.to_string())
            },
        )?,
        tolerance: given(&input.tolerance).map_or(Ok(Decimal::ZERO), |t| number("tolerance", t))?,
    };
    kpi.validate(1).map_err(|e| kpi_refused(contract_id, &e))?;
    let from = match given(&input.from) {
        Some(f) => date("from", f)?,
        None => contract.starts_on,
    };
    if from < contract.starts_on {
        return Err(UseCaseError::invalid(
            "from",
            format!(
                "contract {contract_id}: {from} is before the contract starts on {}",
                contract.starts_on
            ),
        ));
    }
    Ok(store
        .define_kpi(contract_id, &kpi, from, &caller.actor())
        .await?)
}

/// Records why the council considers KPIs not appropriate for the contract, and the
/// exemption from the KPI duty it falls under, if any (the holding council's commissioners
/// and administrator). A blank reason clears it.
pub async fn record_rationale(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &KpiInput,
) -> UseCaseResult<Contract> {
    let contract = readable(store, caller, contract_id).await?;
    caller.require(Action::ManageContracts(holder(&contract)?))?;
    let exemption = given(&input.exemption)
        .map(|e| {
            e.parse::<KpiExemption>()
                .map_err(|err| UseCaseError::invalid("exemption", err.to_string()))
        })
        .transpose()?;
    let rationale = text(&input.no_agreed_metrics_rationale);
    if rationale.is_empty() && exemption.is_none() && input.no_agreed_metrics_rationale.is_none() {
        return Err(UseCaseError::invalid(
            "code",
            "give a KPI's code to set a KPI, or no_agreed_metrics_rationale to record why \
             there are none",
        ));
    }
    store
        .set_kpi_rationale(contract_id, &rationale, exemption, &caller.actor())
        .await?;
    readable(store, caller, contract_id).await
}

/// The financial year (its first calendar year) a day falls in.
fn financial_year(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// Submits the supplier's return for a KPI and a period (its own staff only; a contract it
/// does not hold is 404). The period must be one of the KPI's frequency that has ended, within
/// the contract's term and on or after the KPI's first day; a second return for the same KPI
/// and period is refused naming `period_start`. Nothing is saved when a return is refused.
/// A return rated Requires improvement or Inadequate, or the contract's first of a financial
/// year, stores a UK9 release for a PA2023 contract from an award.
pub async fn submit_return(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &ReturnInput,
) -> UseCaseResult<AcceptedReturn> {
    let contract = readable(store, caller, contract_id).await?;
    if let Some(p) = caller.principal()
        && p.contract_scope() != Some(ContractScope::Supplier(contract.supplier_id))
    {
        return Err(UseCaseError::Forbidden(format!(
            "only the staff of the supplier, {}, make returns under contract {contract_id}",
            contract.supplier_name
        )));
    }
    let code = input.kpi.trim();
    let kpis = store.contract_kpis(contract_id).await?;
    let kpi = kpis
        .iter()
        .find(|k| k.kpi.code == code)
        .ok_or_else(|| {
            UseCaseError::invalid("kpi", format!("contract {contract_id} has no KPI `{code}`"))
        })?
        .clone();
    let period = return_period(&contract, &kpi, &input.period_start, store.today())?;
    let value = given(&input.value)
        .map(|v| number("value", v))
        .transpose()?;
    let today = store.today();
    let due_on = period.due(RETURN_GRACE_DAYS);
    let earlier = store.kpi_returns(contract_id).await?;
    let first_of_year = !earlier
        .iter()
        .any(|r| financial_year(r.period.start) == financial_year(period.start));
    let ret = store
        .submit_kpi_return(
            &kpi,
            &NewKpiReturn {
                kpi_id: kpi.id,
                period,
                value,
                note: input.note.trim().to_owned(),
                due_on,
                late: today > due_on,
            },
            &caller.actor(),
        )
        .await?;
    let rating = rate(&kpi.kpi, value);
    let poor = matches!(rating, Rating::RequiresImprovement | Rating::Inadequate);
    let release_id = if poor || first_of_year {
        publish_performance(store, &caller.actor(), &contract).await?
    } else {
        None
    };
    Ok(AcceptedReturn {
        kpi,
        ret,
        rating,
        release_id,
    })
}

/// The period a return is for: the KPI's period starting on `start`, ended by `today`, within
/// the contract's term and on or after the KPI's first day.
fn return_period(
    contract: &Contract,
    kpi: &ContractKpi,
    start: &str,
    today: NaiveDate,
) -> UseCaseResult<Period> {
    let id = contract.id;
    let start = date("period_start", start)?;
    let frequency: Frequency = kpi.kpi.frequency;
    let period = Period::containing(frequency, start);
    if period.start != start {
        return Err(UseCaseError::invalid(
            "period_start",
            format!(
                "{start} is not the first day of a {} period of KPI `{}`: that period starts on {}",
                frequency.as_str(),
                kpi.kpi.code,
                period.start
            ),
        ));
    }
    if period.end >= today {
        return Err(UseCaseError::invalid(
            "period_start",
            format!(
                "contract {id}: the period {} to {} has not ended: return it once it has",
                period.start, period.end
            ),
        ));
    }
    if period.end < kpi.from.max(contract.starts_on) {
        return Err(UseCaseError::invalid(
            "period_start",
            format!(
                "contract {id}: the period ends on {}, before KPI `{}` applies from {}",
                period.end,
                kpi.kpi.code,
                kpi.from.max(contract.starts_on)
            ),
        ));
    }
    if let Some(last) = last_day(contract).filter(|&l| period.start > l) {
        return Err(UseCaseError::invalid(
            "period_start",
            format!(
                "contract {id}: the period starts on {}, after the contract ended on {last}",
                period.start
            ),
        ));
    }
    Ok(period)
}

/// The failure's field a domain error names.
fn failure_refused(contract_id: i64, e: &FailureError) -> UseCaseError {
    let field = match e {
        FailureError::EmptyId { .. } => "id",
        FailureError::Empty { field, .. } => *field,
        FailureError::PeriodBackwards { .. } => "period_end",
        FailureError::Negative { field, .. } => *field,
        FailureError::PaidMoreThanImposed { .. } => "penalty_paid",
        FailureError::ImposedMoreThanContracted { .. } => "penalty_imposed",
    };
    UseCaseError::invalid(field, format!("contract {contract_id}: {e}"))
}

/// Records a performance failure with its remedy and penalties (the holding council's
/// commissioners and administrator), checked by the domain's rule; stores a UK9 release for a
/// PA2023 contract from an award.
pub async fn record_failure(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &FailureInput,
) -> UseCaseResult<FailureRecord> {
    let contract = readable(store, caller, contract_id).await?;
    caller.require(Action::ManageContracts(holder(&contract)?))?;
    let kpi = match given(&input.kpi) {
        Some(code) => Some(
            store
                .contract_kpis(contract_id)
                .await?
                .into_iter()
                .find(|k| k.kpi.code == code)
                .ok_or_else(|| {
                    UseCaseError::invalid(
                        "kpi",
                        format!("contract {contract_id} has no KPI `{code}`"),
                    )
                })?,
        ),
        None => None,
    };
    let category = match (input.category.trim(), &kpi) {
        ("", Some(k)) => k.kpi.name.clone(),
        (c, _) => c.to_owned(),
    };
    let failure = PerformanceFailure {
        id: input.id.trim().to_owned(),
        period: Period {
            start: date("period_start", &input.period_start)?,
            end: date("period_end", &input.period_end)?,
        },
        category,
        description: input.description.trim().to_owned(),
        events: input.events.unwrap_or(1),
        remedy: input.remedy.trim().to_owned(),
        penalty_type: given(&input.penalty_type).map_or(Ok(PenaltyType::Contracted), |t| {
            t.parse().map_err(|e: ngc_domain::text_enum::UnknownValue| {
                UseCaseError::invalid("penalty_type", e.to_string())
            })
        })?,
        penalty_contracted: money("penalty_contracted", &input.penalty_contracted)?,
        penalty_imposed: money("penalty_imposed", &input.penalty_imposed)?,
        penalty_paid: money("penalty_paid", &input.penalty_paid)?,
    };
    failure
        .validate(1)
        .map_err(|e| failure_refused(contract_id, &e))?;
    let saved = store
        .record_performance_failure(contract_id, kpi.map(|k| k.id), &failure, &caller.actor())
        .await?;
    if contract.regime == Regime::Pa2023 {
        publish_performance(store, &caller.actor(), &contract).await?;
    }
    Ok(saved)
}
