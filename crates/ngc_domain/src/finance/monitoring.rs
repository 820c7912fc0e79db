//! Budget against actual for a financial year, by service line and month, with a forecast
//! outturn by a stated method, and the in-year test of section 114(3) of the Local Government
//! Finance Act 1988.
//!
//! - **Profile.** A service line's budget is spread over the twelve months (April first) in
//!   flat twelfths by the largest-remainder allocator, so the months sum to the budget to the
//!   penny (the odd pence go to the earliest months), or by the weights an officer stored for
//!   the line; virements recorded against it move budget between lines from a month on
//!   ([`profile`] has the rules).
//! - **Actual to date** is the sum of the closed months (the complete months of the year
//!   before "today"); the budget to date is the profile of the same months; the variance is
//!   actual less budget (positive: overspent).
//! - **Forecast outturn.** The officer's forecast where one is entered; otherwise by the
//!   method asked for, from the *forecast months*: the closed months a general-ledger extract
//!   covers (months without one hold only the feeders, so they would understate the year), or
//!   every closed month where no extract covers any. The **run rate** is their actuals ÷
//!   their number × 12, to the penny half away from zero (the budget while there are none);
//!   the **budget profile** is their actuals plus the profile of every other month. The
//!   method used is returned with every figure. Commitments (contract payments due and not yet paid) are
//!   shown beside the forecast, not added to it.
//! - **Section 114(3).** The chief finance officer must report when the expenditure the
//!   authority is likely to incur in the year exceeds the resources available to meet it.
//!   Forecast net spending is the plan's net budget requirement plus the forecast variance on
//!   the service budgets; the resources available are the plan's resources for the year plus
//!   the general fund at the start of the year and the earmarked reserves the chief finance
//!   officer marks as releasable (never schools, HRA or capital reserves). Spending above
//!   them raises the most serious warning, naming the months whose actuals ran over profile.

use super::ServiceLine;
use super::warning::{Warning, WarningKind};
use super::year::FinancialYear;
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// How a forecast outturn is made where the officer has entered none.
    pub enum ForecastMethod as "forecast method" {
        /// Actual to date over the closed months, times twelve.
        RunRate = "run_rate", "Run rate";
        /// Actual to date plus the budget profile of the months to come.
        BudgetProfile = "budget_profile", "Budget profile";
    }
}

/// A service line by its word or label, ignoring case, spaces and punctuation
/// (`Adult social care`, `adult_social_care`, `ADULT SOCIAL CARE`).
pub fn service_line_named(text: &str) -> Option<ServiceLine> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let t = key(text);
    ServiceLine::ALL
        .iter()
        .copied()
        .find(|s| key(s.as_str()) == t || key(s.label()) == t)
}

/// What a service line's forecast outturn is based on.
pub const OFFICER: &str = "officer";

/// The months of a financial year.
pub const MONTHS: usize = 12;

/// The first day of each month of the year, April first.
pub fn months_of(year: FinancialYear) -> [NaiveDate; MONTHS] {
    let first = year.first_day();
    std::array::from_fn(|i| {
        let m = (first.month0() as usize + i) % MONTHS;
        let y = first.year() + i32::from(first.month0() as usize + i >= MONTHS);
        NaiveDate::from_ymd_opt(y, m as u32 + 1, 1).unwrap_or(first)
    })
}

/// How many months of `year` are complete before `today` (0 to 12).
pub fn closed_months(year: FinancialYear, today: NaiveDate) -> u8 {
    months_of(year)
        .iter()
        .filter(|m| super::super::ledger::actuals::month_end(**m) < today)
        .count() as u8
}

/// The run-rate outturn: `to_date` over `closed` months, times twelve, to the penny half away
/// from zero; `budget` while no month is closed.
pub fn run_rate(to_date: Money, closed: u8, budget: Money) -> Money {
    if closed == 0 {
        return budget;
    }
    let n = i128::from(to_date.as_pence()) * MONTHS as i128;
    let d = i128::from(closed);
    let q = n / d;
    let r = n % d;
    let q = if 2 * r.abs() >= d { q + n.signum() } else { q };
    Money::pence(i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX }))
}

/// One service line's figures going in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInput {
    /// The service line's label (or the ledger's own name for a service that is not one).
    pub service: String,
    /// The net budget for the year, before virements.
    pub budget: Money,
    /// The profile an officer stored for the line, if any (else flat twelfths).
    pub weights: Option<profile::Weights>,
    /// The net budget moved into the line by virements, by the month each takes effect.
    pub virements: [Money; MONTHS],
    /// Net actuals per month, April first.
    pub actuals: [Money; MONTHS],
    /// Contract payments due and not yet paid.
    pub commitments: Money,
    /// The officer's forecast outturn, if entered.
    pub officer_forecast: Option<Money>,
}

/// One service line in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRow {
    pub service: String,
    /// The budget before virements.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1200000.00"))]
    pub original_budget: Money,
    /// The net budget moved into the line by virements (negative: moved out).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.00"))]
    pub virements: Money,
    /// The budget after virements.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1200000.00"))]
    pub budget: Money,
    /// The budget per month, April first, after virements.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub profile: Vec<Money>,
    /// How the original budget is spread: `flat_twelfths` or `stored` (an officer's
    /// weights); `mixed` in the totals when lines differ.
    pub profile_basis: String,
    /// The net actuals per month, April first.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub actuals: Vec<Money>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub budget_to_date: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub actual_to_date: Money,
    /// Actual less budget to date (positive: overspent).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub variance_to_date: Money,
    /// Contract payments due and not yet paid.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub commitments: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub officer_forecast: Option<Money>,
    /// The outturn by the run rate.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub run_rate: Money,
    /// The outturn by the budget profile.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub budget_profile: Money,
    /// The forecast outturn: the officer's, else by the method asked for.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub forecast_outturn: Money,
    /// `officer`, `run_rate` or `budget_profile`.
    pub forecast_basis: String,
    /// Forecast outturn less budget (positive: an overspend).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outturn_variance: Money,
}

/// One month of the year, all service lines together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Whether the month is complete.
    pub closed: bool,
    /// Whether a general-ledger extract covers it (otherwise its actuals are partial: spend
    /// over £500, contract payments and recharges only).
    pub general_ledger: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub budget: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub actual: Money,
    /// Actual less budget.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub variance: Money,
}

/// Budget against actual for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Monitoring {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2016-17"))]
    pub year: FinancialYear,
    /// The complete months of the year (0 to 12).
    pub closed_months: u8,
    /// The method for lines without an officer's forecast.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "run_rate"))]
    pub method: ForecastMethod,
    /// How budgets are spread over the months: `flat_twelfths`, `stored` (every line by an
    /// officer's weights) or `mixed`.
    pub profile: String,
    /// Whether any closed month lacks a general-ledger extract.
    pub actuals_partial: bool,
    /// The months (`YYYY-MM`) the forecasts stand on: the closed months a general-ledger
    /// extract covers, if any; else every closed month.
    pub forecast_months: Vec<String>,
    pub months: Vec<MonthRow>,
    pub services: Vec<ServiceRow>,
    pub totals: ServiceRow,
}

/// What a basis that differs between lines is reported as in the totals.
pub const MIXED: &str = "mixed";

/// The one basis of all the rows, `mixed` when they differ, `default` when there are none.
fn one_basis<'a>(bases: impl Iterator<Item = &'a str>, default: &str) -> String {
    let set: std::collections::BTreeSet<&str> = bases.collect();
    match set.len() {
        0 => default.to_owned(),
        1 => set.into_iter().next().unwrap_or_default().to_owned(),
        _ => MIXED.to_owned(),
    }
}

fn row(
    input: &ServiceInput,
    closed: usize,
    basis: &[bool; MONTHS],
    method: ForecastMethod,
) -> ServiceRow {
    let profile = profile::monthly_budget(input.budget, input.weights.as_ref(), &input.virements);
    let virements: Money = input.virements.iter().copied().sum();
    let budget = input.budget + virements;
    let budget_to_date: Money = profile[..closed].iter().copied().sum();
    let actual_to_date: Money = input.actuals[..closed].iter().copied().sum();
    let (mut known, mut to_come, mut n) = (Money::ZERO, Money::ZERO, 0u8);
    for i in 0..MONTHS {
        if basis[i] {
            known += input.actuals[i];
            n += 1;
        } else {
            to_come += profile[i];
        }
    }
    let run = run_rate(known, n, budget);
    let by_profile = known + to_come;
    let (forecast_outturn, forecast_basis) = match (input.officer_forecast, method) {
        (Some(f), _) => (f, OFFICER.to_owned()),
        (None, ForecastMethod::RunRate) => (run, method.as_str().to_owned()),
        (None, ForecastMethod::BudgetProfile) => (by_profile, method.as_str().to_owned()),
    };
    ServiceRow {
        service: input.service.clone(),
        original_budget: input.budget,
        virements,
        budget,
        profile: profile.to_vec(),
        profile_basis: if input.weights.is_some() {
            profile::STORED
        } else {
            profile::FLAT
        }
        .to_owned(),
        actuals: input.actuals.to_vec(),
        budget_to_date,
        actual_to_date,
        variance_to_date: actual_to_date - budget_to_date,
        commitments: input.commitments,
        officer_forecast: input.officer_forecast,
        run_rate: run,
        budget_profile: by_profile,
        forecast_outturn,
        forecast_basis,
        outturn_variance: forecast_outturn - budget,
    }
}

/// Budget against actual: each service line (in the order given) and the totals. `closed`
/// is the number of complete months (see [`closed_months`]); `general_ledger` says which
/// months a general-ledger extract covers.
pub fn monitor(
    year: FinancialYear,
    closed: u8,
    general_ledger: [bool; MONTHS],
    method: ForecastMethod,
    services: &[ServiceInput],
) -> Monitoring {
    let closed_n = usize::from(closed.min(MONTHS as u8));
    // The months the forecasts stand on: the closed months a general-ledger extract covers,
    // if there are any (partial months would understate the year); else every closed month.
    let covered: [bool; MONTHS] = std::array::from_fn(|i| i < closed_n && general_ledger[i]);
    let basis = if covered.iter().any(|c| *c) {
        covered
    } else {
        std::array::from_fn(|i| i < closed_n)
    };
    let rows: Vec<ServiceRow> = services
        .iter()
        .map(|s| row(s, closed_n, &basis, method))
        .collect();
    let sum = |f: &dyn Fn(&ServiceRow) -> Money| rows.iter().map(f).sum::<Money>();
    let month_sum = |f: &dyn Fn(&ServiceRow) -> &Vec<Money>, i: usize| {
        rows.iter().map(|r| f(r)[i]).sum::<Money>()
    };
    let profile: Vec<Money> = (0..MONTHS).map(|i| month_sum(&|r| &r.profile, i)).collect();
    let actuals: Vec<Money> = (0..MONTHS).map(|i| month_sum(&|r| &r.actuals, i)).collect();
    let officer = rows
        .iter()
        .filter_map(|r| r.officer_forecast)
        .reduce(|a, b| a + b);
    let profile_basis = one_basis(rows.iter().map(|r| r.profile_basis.as_str()), profile::FLAT);
    let totals = ServiceRow {
        service: "Total".into(),
        original_budget: sum(&|r| r.original_budget),
        virements: sum(&|r| r.virements),
        budget: sum(&|r| r.budget),
        profile: profile.clone(),
        profile_basis: profile_basis.clone(),
        actuals: actuals.clone(),
        budget_to_date: sum(&|r| r.budget_to_date),
        actual_to_date: sum(&|r| r.actual_to_date),
        variance_to_date: sum(&|r| r.variance_to_date),
        commitments: sum(&|r| r.commitments),
        officer_forecast: officer,
        run_rate: sum(&|r| r.run_rate),
        budget_profile: sum(&|r| r.budget_profile),
        forecast_outturn: sum(&|r| r.forecast_outturn),
        forecast_basis: one_basis(
            rows.iter().map(|r| r.forecast_basis.as_str()),
            method.as_str(),
        ),
        outturn_variance: sum(&|r| r.outturn_variance),
    };
    let months = months_of(year)
        .iter()
        .enumerate()
        .map(|(i, m)| MonthRow {
            month: crate::ledger::month_of(*m),
            closed: i < closed_n,
            general_ledger: general_ledger[i],
            budget: profile[i],
            actual: actuals[i],
            variance: actuals[i] - profile[i],
        })
        .collect();
    Monitoring {
        year,
        closed_months: closed_n as u8,
        method,
        profile: profile_basis,
        actuals_partial: (0..closed_n).any(|i| !general_ledger[i]),
        forecast_months: basis
            .iter()
            .zip(months_of(year))
            .filter(|(b, _)| **b)
            .map(|(_, m)| crate::ledger::month_of(m))
            .collect(),
        months,
        services: rows,
        totals,
    }
}

/// An earmarked reserve the chief finance officer has marked as releasable, with its balance
/// at the start of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReserveAvailable {
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub balance: Money,
}

/// A month whose actuals ran over its profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthOverspend {
    /// `YYYY-MM`.
    pub month: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub overspend: Money,
}

/// The in-year test of s114(3) LGFA 1988, with its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InYearTest {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2016-17"))]
    pub year: FinancialYear,
    /// The plan's net budget requirement for the year.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub net_budget_requirement: Money,
    /// Forecast outturn less budget over the service lines.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub forecast_variance: Money,
    /// The requirement plus the forecast variance.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub forecast_net_spending: Money,
    /// The plan's resources for the year (funding and council tax).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub resources: Money,
    /// The general fund at the start of the year.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub general_fund: Money,
    /// The earmarked reserves marked releasable.
    pub releasable: Vec<ReserveAvailable>,
    /// The general fund (never below zero) plus the releasable reserves.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reserves_available: Money,
    /// Resources plus reserves available less forecast net spending (negative: short).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub headroom: Money,
    /// Whether forecast spending exceeds resources plus the reserves available.
    pub triggered: bool,
    /// The closed months whose actuals ran over profile, in month order.
    pub months: Vec<MonthOverspend>,
}

/// The in-year test (see the module docs).
pub fn in_year_test(
    monitoring: &Monitoring,
    net_budget_requirement: Money,
    resources: Money,
    general_fund: Money,
    releasable: Vec<ReserveAvailable>,
) -> InYearTest {
    let forecast_variance = monitoring.totals.outturn_variance;
    let forecast_net_spending = net_budget_requirement + forecast_variance;
    let reserves_available = general_fund.max_zero()
        + releasable
            .iter()
            .map(|r| r.balance.max_zero())
            .sum::<Money>();
    let headroom = resources + reserves_available - forecast_net_spending;
    InYearTest {
        year: monitoring.year,
        net_budget_requirement,
        forecast_variance,
        forecast_net_spending,
        resources,
        general_fund,
        releasable,
        reserves_available,
        headroom,
        triggered: headroom.is_negative(),
        months: monitoring
            .months
            .iter()
            .filter(|m| m.closed && m.variance.is_positive())
            .map(|m| MonthOverspend {
                month: m.month.clone(),
                overspend: m.variance,
            })
            .collect(),
    }
}

impl InYearTest {
    /// The early warning the test raises, if it is triggered.
    pub fn warning(&self, method: &str) -> Option<Warning> {
        if !self.triggered {
            return None;
        }
        let months = if self.months.is_empty() {
            "no closed month ran over its profile".to_owned()
        } else {
            let list: Vec<String> = self
                .months
                .iter()
                .map(|m| format!("{} ({} over)", m.month, m.overspend.fmt_gbp()))
                .collect();
            format!("the months over profile: {}", list.join(", "))
        };
        Some(Warning {
            year: self.year,
            kind: WarningKind::ForecastExceedsResources,
            message: format!(
                "{}: forecast net spending of {} (the net budget requirement of {} and a \
                 forecast variance of {}, by {}) exceeds resources of {} plus reserves \
                 available of {} by {} (s114(3) LGFA 1988); {months}",
                self.year,
                self.forecast_net_spending.fmt_gbp(),
                self.net_budget_requirement.fmt_gbp(),
                self.forecast_variance.fmt_gbp(),
                method.replace('_', " "),
                self.resources.fmt_gbp(),
                self.reserves_available.fmt_gbp(),
                (-self.headroom).fmt_gbp(),
            ),
        })
    }
}

pub mod profile;
#[cfg(test)]
mod tests;

/// The reserves never available to meet the year's spending, as data
/// (`ringfenced_reserves.csv`: a word of the reserve's name, what it is, `confirmed`, the
/// source): schools' balances, the housing revenue account and capital reserves.
pub const RINGFENCED_CSV: &str = include_str!("ringfenced_reserves.csv");

/// Why a reserve of this name may not be marked releasable (what it is and the source), if
/// a word of the shipped list is in its name (ignoring case, spaces and punctuation).
pub fn ringfenced(name: &str) -> Option<String> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(key)
        .filter(|w| !w.is_empty())
        .collect();
    let whole = key(name);
    RINGFENCED_CSV.lines().skip(1).find_map(|row| {
        let mut f = row.splitn(4, ',');
        let (word, what, _confirmed, source) = (f.next()?, f.next()?, f.next()?, f.next()?);
        let hit = words.iter().any(|w| w == word) || (word.len() > 10 && whole.contains(word));
        hit.then(|| {
            format!("`{name}` is {what}, never available to meet the year's spending ({source})")
        })
    })
}

/// Whether a saving's money came off its cost line: the service line's forecast outturn
/// against its budget (the budget after the saving).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostLine {
    pub service: String,
    pub budget: Money,
    pub forecast_outturn: Money,
    /// `officer`, `run_rate` or `budget_profile`.
    pub basis: String,
    /// Forecast outturn within the budget.
    pub came_off: bool,
    /// Forecast outturn less budget (positive: the money did not come off).
    pub over: Money,
}

/// The cost line of every service line of the report, by service.
pub fn cost_lines(m: &Monitoring) -> std::collections::BTreeMap<String, CostLine> {
    m.services
        .iter()
        .map(|r| {
            (
                r.service.clone(),
                CostLine {
                    service: r.service.clone(),
                    budget: r.budget,
                    forecast_outturn: r.forecast_outturn,
                    basis: r.forecast_basis.clone(),
                    came_off: r.outturn_variance <= Money::ZERO,
                    over: r.outturn_variance,
                },
            )
        })
        .collect()
}
