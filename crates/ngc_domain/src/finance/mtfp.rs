//! The medium-term financial plan: inputs (assumptions, pressures, funding, savings,
//! reserves, council tax) and the report — per year the base budget, pressures, savings,
//! net budget requirement, resources, gap and reserves, exact to the penny.
//!
//! The rules, year by year (year 1 is the plan's first year):
//! - base budget: year 1, the net of the opening budget lines; later, the previous year's net
//!   budget requirement (so savings and pressures are permanent unless reversed);
//! - pressures: pay award on employees, general inflation on running costs and third-party
//!   payments (social-care inflation on social care's third-party payments), demography
//!   growth on each service's net budget — each rounded to the penny and compounding on the
//!   running budget — plus the plan's own pressure lines, plus savings the year before left
//!   undelivered at its year-end update (rolled forward);
//! - net budget requirement = base + pressures − savings;
//! - resources = funding lines of the year + the council tax requirement, under
//!   [`super::council_tax::RULE`]: in a year whose requirement the council set, that figure,
//!   with Band D = requirement ÷ tax base to the penny; otherwise Band D rises by the council
//!   tax increase plus the adult social care precept, carried unrounded, and the requirement is
//!   Band D × tax base to the penny; the tax base grows by its growth, to two places;
//! - gap = requirement − resources; cumulative gap = the running sum of gaps;
//! - reserves: planned use, then the gap from the general fund, then earmarked reserves.

mod project;
mod types;

pub use project::{YearOutcome, project, project_with};
pub use types::{
    Assumptions, BaseLine, CouncilTaxBase, DEFAULT_YEARS, FundingLine, FundingSource, Plan,
    PlanError, Pressure, PressureKind, Uncertainty,
};

use super::council_tax::referendum_test;
use super::evidence::Evidenced;
use super::referendum::Principles;
use super::warning::{Warning, WarningOptions, warnings};
use super::year::FinancialYear;
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The MTFP report: the JSON shape the CLI and API publish.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The organisation's slug.
    pub organisation: String,
    /// The plan's name.
    pub plan: String,
    /// The plan years.
    pub years: Vec<FinancialYear>,
    /// The result per year.
    pub rows: Vec<ReportRow>,
    /// Totals over the plan.
    pub totals: Totals,
    /// Council tax and the referendum test per year.
    pub council_tax: Vec<CouncilTaxRow>,
    /// Section 114 early warnings.
    pub warnings: Vec<Warning>,
    /// The full working per year (cumulative gap, reserves by kind, minimum, sustainability);
    /// not part of the published JSON.
    #[serde(skip)]
    pub detail: Vec<YearOutcome>,
}

/// One year of the report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// The year.
    pub year: FinancialYear,
    /// The budget brought forward.
    pub base_budget: Money,
    /// All pressures of the year.
    pub pressures: Money,
    /// New savings of the year.
    pub savings: Money,
    /// Base + pressures − savings.
    pub net_budget_requirement: Money,
    /// Funding including council tax.
    pub resources: Money,
    /// Requirement − resources.
    pub gap: Money,
    /// Usable reserves at the year end.
    pub reserves_end: Money,
}

/// Totals over the plan years.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// All pressures.
    pub pressures: Money,
    /// All savings.
    pub savings: Money,
    /// Government funding in the last plan year less that of the year before the plan.
    pub government_funding_change: Money,
}

/// Council tax in one plan year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilTaxRow {
    /// The year.
    pub year: FinancialYear,
    /// The Band D charge.
    pub band_d: Money,
    /// The increase on the year before, per cent to two places.
    pub increase_pct: Decimal,
    /// The referendum limit, per cent to two places (none if no principle is known).
    pub referendum_limit_pct: Option<Decimal>,
    /// Whether the increase stays within the referendum principles.
    pub within_limit: bool,
    /// The tax base in Band D equivalents.
    pub tax_base: Decimal,
    /// The council tax requirement: the one the council set, or Band D × tax base (see
    /// [`crate::finance::council_tax::RULE`]).
    pub requirement: Money,
    /// Whether the requirement is the one the council set (Band D = requirement ÷ tax base).
    #[serde(default)]
    pub requirement_set: bool,
}

/// Choices for a report beyond the plan itself.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The referendum principles to test against.
    pub principles: Principles,
    /// The savings delivery margin and "now" for the early warning.
    pub warning: WarningOptions,
    /// What the savings' evidence shows (none by default).
    pub evidenced: Evidenced,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            principles: Principles::shipped(),
            warning: WarningOptions::default(),
            evidenced: Evidenced::none(),
        }
    }
}

impl ReportOptions {
    /// Options for a report made on `today`: savings delivery is judged at the end of the
    /// last complete month before `today` (on 15 October 2015, at the end of September, month
    /// 6 of 2015-16), so a programme lagging its monthly profile raises its warning.
    pub fn on(today: NaiveDate) -> ReportOptions {
        use chrono::Datelike;
        let as_at = today
            .with_day(1)
            .and_then(|first| first.pred_opt())
            .and_then(year_month_of);
        ReportOptions {
            warning: WarningOptions {
                as_at,
                ..WarningOptions::default()
            },
            ..ReportOptions::default()
        }
    }

    /// Options with savings delivery judged as at the end of `month` (1 = April) of `year`.
    pub fn as_at(year: FinancialYear, month: u8) -> ReportOptions {
        ReportOptions {
            warning: WarningOptions {
                as_at: Some((year, month)),
                ..WarningOptions::default()
            },
            ..ReportOptions::default()
        }
    }
}

/// The report of a plan with the shipped referendum principles and no delivery date.
pub fn report(plan: &Plan) -> Report {
    report_with(plan, &ReportOptions::default())
}

/// The report of a plan with the given options.
pub fn report_with(plan: &Plan, options: &ReportOptions) -> Report {
    let outcomes = project_with(plan, &options.evidenced);
    let years: Vec<FinancialYear> = outcomes.iter().map(|o| o.year).collect();
    let rows = outcomes
        .iter()
        .map(|o| ReportRow {
            year: o.year,
            base_budget: o.base_budget,
            pressures: o.pressures,
            savings: o.savings,
            net_budget_requirement: o.net_budget_requirement,
            resources: o.resources,
            gap: o.gap,
            reserves_end: o.reserves_end.usable(),
        })
        .collect();
    let council_tax = outcomes
        .iter()
        .map(|o| {
            let principle = options.principles.get(o.year, plan.authority_class);
            let test = referendum_test(o.band_d_prev, o.band_d, principle);
            CouncilTaxRow {
                year: o.year,
                band_d: o.band_d,
                increase_pct: two_places(test.increase_pct),
                referendum_limit_pct: test.limit_pct.map(two_places),
                within_limit: !test.triggered,
                tax_base: o.tax_base,
                requirement: o.council_tax,
                requirement_set: o.council_tax_set,
            }
        })
        .collect();
    let government = |year: Option<FinancialYear>| -> Money {
        year.map_or(Money::ZERO, |y| plan.government_funding(y))
    };
    let totals = Totals {
        pressures: outcomes.iter().map(|o| o.pressures).sum(),
        savings: outcomes.iter().map(|o| o.savings).sum(),
        government_funding_change: government(years.last().copied())
            - government(plan.first_year.prev()),
    };
    Report {
        organisation: plan.organisation.clone(),
        plan: plan.name.clone(),
        years,
        rows,
        totals,
        council_tax,
        warnings: warnings(plan, &outcomes, &options.warning),
        detail: outcomes,
    }
}

fn two_places(d: Decimal) -> Decimal {
    let mut d = d.round_dp(2);
    d.rescale(2);
    d
}

/// The financial year and month of that year (1 = April … 12 = March) a day falls in.
pub fn year_month_of(day: NaiveDate) -> Option<(FinancialYear, u8)> {
    use chrono::Datelike;
    let (start, month) = if day.month() >= 4 {
        (day.year(), day.month() - 3)
    } else {
        (day.year() - 1, day.month() + 9)
    };
    let year = FinancialYear::starting(u16::try_from(start).ok()?).ok()?;
    Some((year, u8::try_from(month).ok()?))
}

#[cfg(test)]
mod tests;
