//! Budget against actual for a financial year (`ngc_domain::finance::monitoring` has the
//! rules): the budget by service line from the revenue budget lines of the year (or, where
//! there are none, the base lines of the plan whose first year it is), spread in flat
//! twelfths or by the profile an officer stored, with the virements recorded against it; the actuals from the ledger's maintained monthly balances (never from postings);
//! commitments; the officers' forecasts; the forecast outturn by the stated method; and the
//! s114(3) in-year test against the plan's resources and reserves. Computed once per change
//! of the database and day (`Store::memo`).
//!
//! Who: reading is the ledger's readers (`Action::ReadLedger`: the organisation's finance
//! officers and administrators); entering a forecast, recording a virement, storing a
//! profile and marking an earmarked reserve releasable are the plan's keepers
//! (`Action::UpdatePlans`), each audited. The in-year
//! warning alone is shown to the plan's readers wherever the plan's warnings show.

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::finance::monitoring::profile::{Weights, check_virement};
use ngc_domain::finance::monitoring::{
    ForecastMethod, InYearTest, MONTHS, Monitoring, ReserveAvailable, ServiceInput, closed_months,
    in_year_test, monitor, months_of, ringfenced, service_line_named,
};
use ngc_domain::finance::mtfp::{Plan, project};
use ngc_domain::finance::reserves::ReserveKind;
use ngc_domain::finance::service::net_by_service;
use ngc_domain::finance::warning::Warning;
use ngc_domain::finance::{FinancialYear, ServiceLine};
use ngc_domain::ledger::{AccountKind, month_of};
use ngc_domain::money::Money;
use ngc_store::Store;
use ngc_store::monitoring::{NewVirement, StoredVirement};
use ngc_store::organisations::Organisation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Budget against actual for an organisation's year, with the in-year test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetMonitoring {
    /// The organisation's slug.
    pub organisation: String,
    /// Where the budgets come from: `budget_lines` (the revenue budget lines of the year),
    /// `plan` (the base lines of the plan whose first year it is) or `none`.
    pub budget_source: String,
    /// The plan the in-year test reads (the first by name covering the year), if any.
    pub plan: Option<String>,
    #[serde(flatten)]
    pub monitoring: Monitoring,
    /// The s114(3) in-year test, where a plan covers the year.
    pub in_year: Option<InYearTest>,
    /// The warning the test raises, if triggered.
    pub warning: Option<Warning>,
    /// The earmarked reserves marked releasable, by name.
    pub releasable_reserves: Vec<String>,
    /// The virements recorded against the year's budget, in the order recorded.
    pub virements: Vec<VirementView>,
}

/// A virement recorded against a year's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VirementView {
    pub id: i64,
    /// The month it takes effect from (`YYYY-MM`).
    pub month: String,
    /// The service line the budget moves from.
    pub from: String,
    /// The service line the budget moves to.
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "250000.00"))]
    pub amount: Money,
    pub reason: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

impl From<StoredVirement> for VirementView {
    fn from(v: StoredVirement) -> Self {
        Self {
            id: v.id,
            month: v.month,
            from: v.from_service,
            to: v.to_service,
            amount: Money::pence(v.amount),
            reason: v.reason,
            recorded_at: v.recorded_at,
        }
    }
}

/// A virement: budget moved from one service line to another from a month of the year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VirementInput {
    /// The financial year (`2016-17`).
    pub year: String,
    /// The month it takes effect from (`2016-10`); blank: the year's first month.
    #[serde(default)]
    pub month: String,
    /// The service line the budget moves from, by name or word.
    pub from: String,
    /// The service line the budget moves to.
    pub to: String,
    /// The amount in pounds (`250000.00`), more than zero.
    pub amount: String,
    /// Why (required: financial regulations ask every virement's reason).
    pub reason: String,
}

/// An officer's monthly profile for a service line's budget.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileInput {
    /// The financial year (`2016-17`).
    pub year: String,
    /// The service line, by name or word.
    pub service: String,
    /// Twelve weights, April to March, separated by commas (`5,5,5,5,5,5,5,5,15,15,15,10`;
    /// any scale, up to two decimals); blank withdraws the profile (flat twelfths again).
    #[serde(default)]
    pub weights: String,
    #[serde(default)]
    pub note: String,
}

/// An officer's forecast outturn for a service line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastInput {
    /// The financial year (`2016-17`).
    pub year: String,
    /// The service line, by name or word (`Adult social care`, `adult_social_care`).
    pub service: String,
    /// The forecast outturn in pounds (`123456.78`, net of income); blank withdraws it.
    #[serde(default)]
    pub amount: Option<String>,
    /// Why (the basis of the forecast).
    #[serde(default)]
    pub note: String,
}

/// The chief finance officer's marking of an earmarked reserve.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReleasableInput {
    /// The earmarked reserve's name, as in the plan.
    pub reserve: String,
    /// Whether it may be released to meet the year's spending.
    pub releasable: bool,
    #[serde(default)]
    pub note: String,
}

/// Parses a financial year, naming the field.
pub fn year_of(field: &str, text: &str) -> UseCaseResult<FinancialYear> {
    text.trim()
        .parse()
        .map_err(|e: ngc_domain::finance::year::YearError| {
            UseCaseError::invalid(field, format!("`{}`: {e}", text.trim()))
        })
}

/// Parses a forecast method, naming the field.
pub fn method_of(text: Option<&str>) -> UseCaseResult<ForecastMethod> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(ForecastMethod::RunRate),
        Some(t) => t.parse().map_err(|e: ngc_domain::text_enum::UnknownValue| {
            UseCaseError::invalid("method", e.to_string())
        }),
    }
}

async fn organisation(store: &Store, slug: &str) -> UseCaseResult<Organisation> {
    crate::organisations::find(store, slug.trim()).await
}

/// The organisation's budget against actual for `year`, the lines without an officer's
/// forecast forecast by `method`.
pub async fn budget_monitoring(
    store: &Store,
    caller: &Caller,
    slug: &str,
    year: FinancialYear,
    method: ForecastMethod,
) -> UseCaseResult<Arc<BudgetMonitoring>> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadLedger(org.id))?;
    computed(store, &org, year, method).await
}

async fn computed(
    store: &Store,
    org: &Organisation,
    year: FinancialYear,
    method: ForecastMethod,
) -> UseCaseResult<Arc<BudgetMonitoring>> {
    store
        .memo(
            format!("budget_monitoring {} {year} {method}", org.id),
            || compute(store, org, year, method),
        )
        .await
}

/// The name a ledger service or contract department is reported under: the service line's
/// label where it names one, else itself (`Unallocated` when blank).
fn service_key(name: &str) -> String {
    match service_line_named(name) {
        Some(s) => s.label().to_owned(),
        None if name.trim().is_empty() => crate::ledger::UNALLOCATED_SERVICE.to_owned(),
        None => name.trim().to_owned(),
    }
}

async fn plan_covering(
    store: &Store,
    org: &Organisation,
    year: FinancialYear,
) -> UseCaseResult<Option<Plan>> {
    for p in store.list_plans(org.slug.as_str()).await? {
        let Ok(first) = p.first_year.parse::<FinancialYear>() else {
            continue;
        };
        let years = u16::try_from(p.years).unwrap_or(0);
        if first <= year && first.plus(years).is_some_and(|end| year < end) {
            return Ok(Some(store.plan_by_id(p.id).await?));
        }
    }
    Ok(None)
}

async fn compute(
    store: &Store,
    org: &Organisation,
    year: FinancialYear,
    method: ForecastMethod,
) -> UseCaseResult<BudgetMonitoring> {
    let plan = plan_covering(store, org, year).await?;
    let lines: Vec<_> = store
        .budget_lines(org.slug.as_str())
        .await?
        .into_iter()
        .filter(|l| l.year == year)
        .collect();
    let (budget_source, budgets): (&str, BTreeMap<ServiceLine, Money>) = if !lines.is_empty() {
        ("budget_lines", net_by_service(&lines))
    } else if let Some(p) = plan.as_ref().filter(|p| p.first_year == year) {
        let mut b = BTreeMap::new();
        for l in &p.base {
            *b.entry(l.service).or_insert(Money::ZERO) += l.subjective.net(l.amount);
        }
        ("plan", b)
    } else {
        ("none", BTreeMap::new())
    };
    let months = months_of(year);
    let (from, to) = (month_of(months[0]), month_of(months[11]));
    let index: BTreeMap<String, usize> = months
        .iter()
        .enumerate()
        .map(|(i, m)| (month_of(*m), i))
        .collect();
    let mut actuals: BTreeMap<String, [Money; 12]> = BTreeMap::new();
    for b in store.ledger_month_balances(org.id, &from, &to).await? {
        let (Some(service), AccountKind::Expenditure | AccountKind::Income) =
            (b.account.service(), b.account.kind())
        else {
            continue;
        };
        if let Some(&i) = index.get(&b.month) {
            actuals.entry(service_key(service)).or_default()[i] += b.debit - b.credit;
        }
    }
    let mut commitments: BTreeMap<String, Money> = BTreeMap::new();
    for (department, amount) in store
        .commitments(org.id, year.first_day(), year.last_day())
        .await?
    {
        *commitments.entry(service_key(&department)).or_default() += amount;
    }
    let forecasts: BTreeMap<String, Money> =
        store.forecasts(org.id, year).await?.into_iter().collect();
    let recorded = store.virements(org.id, year).await?;
    let mut virements: BTreeMap<String, [Money; MONTHS]> = BTreeMap::new();
    for v in &recorded {
        let Some(&i) = index.get(&v.month) else {
            continue;
        };
        virements.entry(v.from_service.clone()).or_default()[i] -= Money::pence(v.amount);
        virements.entry(v.to_service.clone()).or_default()[i] += Money::pence(v.amount);
    }
    // Profiles were checked when stored; one that no longer reads is flat twelfths.
    let profiles: BTreeMap<String, Weights> = store
        .profiles(org.id, year)
        .await?
        .into_iter()
        .filter_map(|(s, w)| w.parse().ok().map(|w| (s, w)))
        .collect();
    let mut general_ledger = [false; 12];
    for (month, _) in store.gl_months(org.id, &from, &to).await? {
        if let Some(&i) = index.get(&month) {
            general_ledger[i] = true;
        }
    }
    let budgets: BTreeMap<String, Money> = budgets
        .into_iter()
        .map(|(s, m)| (s.label().to_owned(), m))
        .collect();
    let mut names: Vec<String> = ServiceLine::ALL
        .iter()
        .map(|s| s.label().to_owned())
        .filter(|n| {
            budgets.contains_key(n)
                || actuals.contains_key(n)
                || commitments.contains_key(n)
                || forecasts.contains_key(n)
                || virements.contains_key(n)
        })
        .collect();
    let mut others: Vec<String> = actuals
        .keys()
        .chain(commitments.keys())
        .filter(|n| !names.contains(n))
        .cloned()
        .collect();
    others.sort();
    others.dedup();
    names.extend(others);
    let inputs: Vec<ServiceInput> = names
        .into_iter()
        .map(|name| ServiceInput {
            budget: budgets.get(&name).copied().unwrap_or_default(),
            weights: profiles.get(&name).copied(),
            virements: virements.get(&name).copied().unwrap_or_default(),
            actuals: actuals.get(&name).copied().unwrap_or_default(),
            commitments: commitments.get(&name).copied().unwrap_or_default(),
            officer_forecast: forecasts.get(&name).copied(),
            service: name,
        })
        .collect();
    let monitoring = monitor(
        year,
        closed_months(year, store.today()),
        general_ledger,
        method,
        &inputs,
    );
    let releasable_reserves = store.releasable_reserves(org.id).await?;
    let (in_year, plan_name) = match &plan {
        Some(p) => {
            let outcome = project(p).into_iter().find(|o| o.year == year);
            let test = outcome.map(|o| {
                let releasable = p
                    .reserves
                    .iter()
                    .filter(|r| {
                        r.kind == ReserveKind::Earmarked && releasable_reserves.contains(&r.name)
                    })
                    .map(|r| ReserveAvailable {
                        name: r.name.clone(),
                        balance: r.opening
                            - r.planned_use
                                .iter()
                                .filter(|(y, _)| **y < year)
                                .map(|(_, m)| *m)
                                .sum::<Money>(),
                    })
                    .collect();
                in_year_test(
                    &monitoring,
                    o.net_budget_requirement,
                    o.resources,
                    o.reserves_start.general,
                    releasable,
                )
            });
            (test, Some(p.name.clone()))
        }
        None => (None, None),
    };
    let warning = in_year
        .as_ref()
        .and_then(|t| t.warning(&monitoring.totals.forecast_basis));
    Ok(BudgetMonitoring {
        organisation: org.slug.to_string(),
        budget_source: budget_source.to_owned(),
        plan: plan_name,
        monitoring,
        in_year,
        warning,
        releasable_reserves,
        virements: recorded.into_iter().map(VirementView::from).collect(),
    })
}

/// The year budget monitoring shows when none is asked for (the ledger's readers,
/// `Action::ReadLedger`): see [`current_year`].
pub async fn default_year(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<FinancialYear> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadLedger(org.id))?;
    current_year(store, &org).await
}

/// The organisation's monitoring year: the financial year holding today; but where no
/// general-ledger extract of the organisation covers a month of it, the latest earlier year
/// one covers (the months before a new year's first extract, or a demo of past years), so
/// the budget-monitoring page and the in-year warning open on actuals when there are any.
async fn current_year(store: &Store, org: &Organisation) -> UseCaseResult<FinancialYear> {
    let today = FinancialYear::containing(store.today())
        .map_err(|e| UseCaseError::invalid("year", e.to_string()))?;
    let (first, last) = (month_of(today.first_day()), month_of(today.last_day()));
    let mut latest: Option<String> = None;
    for i in store.gl_imports(org.id).await? {
        if i.first_month <= last && i.last_month >= first {
            return Ok(today);
        }
        if i.last_month < first && latest.as_ref().is_none_or(|l| *l < i.last_month) {
            latest = Some(i.last_month);
        }
    }
    Ok(latest
        .and_then(|m| chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .and_then(|d| FinancialYear::containing(d).ok())
        .unwrap_or(today))
}

/// The in-year s114(3) warning for the organisation's monitoring year ([`current_year`]:
/// the year holding today, or the latest year of its actuals before it), by the run rate,
/// with the name of the plan it tests against, for the plan's readers
/// (`Action::ReadPlans`): shown wherever the plan's warnings show.
pub async fn in_year_warning(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<Option<(String, Warning)>> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadPlans(org.id))?;
    let Ok(year) = current_year(store, &org).await else {
        return Ok(None);
    };
    let r = computed(store, &org, year, ForecastMethod::RunRate).await?;
    Ok(r.plan.clone().zip(r.warning.clone()))
}

/// The service line `text` names, or an error naming `field` and listing the lines.
fn service_named(field: &str, text: &str) -> UseCaseResult<ServiceLine> {
    service_line_named(text).ok_or_else(|| {
        let names: Vec<&str> = ServiceLine::ALL.iter().map(|s| s.label()).collect();
        UseCaseError::invalid(
            field,
            format!(
                "`{}` is not a service line: the service lines are {}",
                text.trim(),
                names.join(", ")
            ),
        )
    })
}

/// Enters (or, with a blank amount, withdraws) an officer's forecast outturn for a service
/// line and year, audited; earlier forecasts are kept. Returns the entry's id.
pub async fn enter_forecast(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &ForecastInput,
) -> UseCaseResult<i64> {
    let org = organisation(store, slug).await?;
    caller.require(Action::UpdatePlans(org.id))?;
    let year = year_of("year", &input.year)?;
    let service = service_named("service", &input.service)?;
    let amount = match input
        .amount
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(a) => Some(
            a.parse::<Money>()
                .map_err(|e| UseCaseError::invalid("amount", format!("`{a}`: {e}")))?,
        ),
    };
    Ok(store
        .enter_forecast(
            org.id,
            year,
            service.label(),
            amount,
            input.note.trim(),
            &caller.actor(),
        )
        .await?)
}

/// Marks an earmarked reserve of the organisation's plans releasable (or not) to meet the
/// year's spending, audited. A general fund, a name no plan holds as an earmarked reserve,
/// and a schools, HRA or capital reserve are refused (422 naming `reserve`).
pub async fn mark_reserve(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &ReleasableInput,
) -> UseCaseResult<i64> {
    let org = organisation(store, slug).await?;
    caller.require(Action::UpdatePlans(org.id))?;
    let name = input.reserve.trim();
    if input.releasable
        && let Some(why) = ringfenced(name)
    {
        return Err(UseCaseError::invalid("reserve", why));
    }
    let mut earmarked = Vec::new();
    for p in store.list_plans(org.slug.as_str()).await? {
        for r in store.plan_by_id(p.id).await?.reserves {
            if r.kind == ReserveKind::Earmarked && !earmarked.contains(&r.name) {
                earmarked.push(r.name);
            }
        }
    }
    if !earmarked.iter().any(|r| r == name) {
        return Err(UseCaseError::invalid(
            "reserve",
            format!(
                "`{name}` is not an earmarked reserve of the organisation's plans: they are {}",
                if earmarked.is_empty() {
                    "none".to_owned()
                } else {
                    earmarked.join(", ")
                }
            ),
        ));
    }
    Ok(store
        .mark_reserve(
            org.id,
            name,
            input.releasable,
            input.note.trim(),
            &caller.actor(),
        )
        .await?)
}

/// Records a virement against the organisation's budget for a year, audited. Refused (422
/// naming the field, nothing recorded): a year or month that does not read, a month outside
/// the year, a name that is not a service line, the same line twice, an amount that is not
/// more than zero, and a blank reason. Returns the virement's id.
pub async fn record_virement(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &VirementInput,
) -> UseCaseResult<i64> {
    let org = organisation(store, slug).await?;
    caller.require(Action::UpdatePlans(org.id))?;
    let year = year_of("year", &input.year)?;
    let months: Vec<String> = months_of(year).iter().map(|m| month_of(*m)).collect();
    let month = match input.month.trim() {
        "" => months[0].clone(),
        m if months.iter().any(|x| x == m) => m.to_owned(),
        m => {
            return Err(UseCaseError::invalid(
                "month",
                format!(
                    "`{m}` is not a month of {year}: give one from {} to {} (YYYY-MM)",
                    months[0],
                    months[MONTHS - 1]
                ),
            ));
        }
    };
    let from = service_named("from", &input.from)?;
    let to = service_named("to", &input.to)?;
    let text = input.amount.trim();
    let amount = text
        .parse::<Money>()
        .map_err(|e| UseCaseError::invalid("amount", format!("`{text}`: {e}")))?;
    check_virement(from.label(), to.label(), amount).map_err(|e| {
        let field = if from == to { "to" } else { "amount" };
        UseCaseError::invalid(field, e.to_string())
    })?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(UseCaseError::invalid(
            "reason",
            "a virement needs its reason".to_owned(),
        ));
    }
    let v = NewVirement {
        year,
        month: &month,
        from_service: from.label(),
        to_service: to.label(),
        amount,
        reason,
    };
    Ok(store.record_virement(org.id, &v, &caller.actor()).await?)
}

/// Stores (or, with blank weights, withdraws) an officer's monthly profile for a service
/// line's budget in a year, audited; earlier profiles are kept. Weights that do not read are
/// refused (422 naming `weights` and the month), nothing stored. Returns the entry's id.
pub async fn store_profile(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &ProfileInput,
) -> UseCaseResult<i64> {
    let org = organisation(store, slug).await?;
    caller.require(Action::UpdatePlans(org.id))?;
    let year = year_of("year", &input.year)?;
    let service = service_named("service", &input.service)?;
    let weights = match input.weights.trim() {
        "" => None,
        w => Some(
            w.parse::<Weights>()
                .map_err(|e| UseCaseError::invalid("weights", e.to_string()))?
                .to_string(),
        ),
    };
    Ok(store
        .store_profile(
            org.id,
            year,
            service.label(),
            weights.as_deref(),
            input.note.trim(),
            &caller.actor(),
        )
        .await?)
}
