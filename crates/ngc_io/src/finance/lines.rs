//! The plan's money files: the base budget, assumptions and demography, funding and reserves.

use super::cells::{Cells, file_error, read_with_years};
use crate::pack::PackErrors;
use crate::pack::table;
use ngc_domain::finance::mtfp::{Assumptions, BaseLine, FundingLine, FundingSource};
use ngc_domain::finance::reserves::{Reserve, ReserveKind};
use ngc_domain::finance::{FinancialYear, ServiceLine, Subjective};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

/// The columns of `base_budget.csv`.
pub const BASE_BUDGET_COLUMNS: &[&str] = &["service", "subjective", "amount"];

/// The columns of `assumptions.csv` (one row per plan year).
pub const ASSUMPTION_COLUMNS: &[&str] = &[
    "year",
    "pay_award_pct",
    "general_inflation_pct",
    "social_care_inflation_pct",
    "tax_base_growth_pct",
    "council_tax_increase_pct",
    "asc_precept_pct",
];

/// The columns of `demography.csv` before its plan-year columns.
pub const DEMOGRAPHY_COLUMNS: &[&str] = &["service"];

/// The columns of `funding.csv` before its year columns (the year before the plan, then the
/// plan years).
pub const FUNDING_COLUMNS: &[&str] = &["source"];

/// The columns of `reserves.csv` before its plan-year columns (planned use).
pub const RESERVE_COLUMNS: &[&str] = &["name", "kind", "opening"];

/// `base_budget.csv`: one line per service and subjective.
pub(crate) fn base(file: &Path, errors: &mut PackErrors) -> Vec<BaseLine> {
    let Some(t) = table::read(file, BASE_BUDGET_COLUMNS, errors) else {
        return Vec::new();
    };
    let mut seen: BTreeMap<(ServiceLine, Subjective), u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let service = c.parse::<ServiceLine>("service");
        let subjective = c.parse::<Subjective>("subjective");
        let amount = c.money("amount");
        let (Some(service), Some(subjective), Some(amount)) = (service, subjective, amount) else {
            continue;
        };
        if let Some(first) = seen.insert((service, subjective), row.line) {
            c.invalid(
                "subjective",
                format!("{service} / {subjective} is already given on line {first}; give one line for each"),
            );
            continue;
        }
        out.push(BaseLine {
            service,
            subjective,
            amount,
        });
    }
    out
}

/// `assumptions.csv` (one row for each plan year) with the optional `demography.csv` (one
/// row per service, a demography growth per cent in each plan-year column).
pub(crate) fn assumptions(
    file: &Path,
    demography_file: &Path,
    years: &[FinancialYear],
    errors: &mut PackErrors,
) -> Vec<Assumptions> {
    let demography = if crate::pack::source::exists(demography_file) {
        demography(demography_file, years, errors)
    } else {
        BTreeMap::new()
    };
    let Some(t) = table::read(file, ASSUMPTION_COLUMNS, errors) else {
        return Vec::new();
    };
    let mut seen: BTreeMap<FinancialYear, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let year = c.parse::<FinancialYear>("year");
        if let Some(y) = year {
            if !years.contains(&y) {
                c.invalid("year", not_a_plan_year(y, years));
            } else if let Some(first) = seen.insert(y, row.line) {
                c.invalid(
                    "year",
                    format!("assumptions for {y} are already given on line {first}"),
                );
            }
        }
        let pay_award_pct = c.pct("pay_award_pct");
        let general_inflation_pct = c.pct("general_inflation_pct");
        let social_care_inflation_pct = c.pct("social_care_inflation_pct");
        let tax_base_growth_pct = c.pct("tax_base_growth_pct");
        let council_tax_increase_pct = c.pct("council_tax_increase_pct");
        let asc_precept_pct = c.pct("asc_precept_pct");
        if !c.ok() {
            continue;
        }
        let (Some(year), Some(pay), Some(general), Some(care), Some(base), Some(ct), Some(asc)) = (
            year,
            pay_award_pct,
            general_inflation_pct,
            social_care_inflation_pct,
            tax_base_growth_pct,
            council_tax_increase_pct,
            asc_precept_pct,
        ) else {
            continue;
        };
        out.push(Assumptions {
            year,
            pay_award_pct: pay,
            general_inflation_pct: general,
            social_care_inflation_pct: care,
            demography_pct: demography
                .iter()
                .filter_map(|(&service, by_year)| by_year.get(&year).map(|&d| (service, d)))
                .collect(),
            tax_base_growth_pct: base,
            council_tax_increase_pct: ct,
            asc_precept_pct: asc,
        });
    }
    for year in years {
        if !seen.contains_key(year) {
            let message = format!("no assumptions for {year}: give one row for each plan year");
            errors.push(file_error(file, None, Some("year"), message));
        }
    }
    out
}

fn demography(
    file: &Path,
    years: &[FinancialYear],
    errors: &mut PackErrors,
) -> BTreeMap<ServiceLine, BTreeMap<FinancialYear, Decimal>> {
    let Some(t) = read_with_years(file, DEMOGRAPHY_COLUMNS, years, errors) else {
        return BTreeMap::new();
    };
    let mut lines: BTreeMap<ServiceLine, u64> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let service = c.parse::<ServiceLine>("service");
        let pcts = c.pcts(years);
        let Some(service) = service.filter(|_| c.ok()) else {
            continue;
        };
        if let Some(first) = lines.insert(service, row.line) {
            c.invalid(
                "service",
                format!("{service} is already given on line {first}"),
            );
            continue;
        }
        out.insert(service, pcts);
    }
    out
}

/// `funding.csv`: one row per source, amounts in the year before the plan and each plan year.
/// Council tax may be given for the year before the plan only: plan years compute it.
pub(crate) fn funding(
    file: &Path,
    years: &[FinancialYear],
    before: FinancialYear,
    errors: &mut PackErrors,
) -> Vec<FundingLine> {
    let all: Vec<FinancialYear> = std::iter::once(before)
        .chain(years.iter().copied())
        .collect();
    let Some(t) = read_with_years(file, FUNDING_COLUMNS, &all, errors) else {
        return Vec::new();
    };
    let mut seen: BTreeMap<FundingSource, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let source = c.parse::<FundingSource>("source");
        let amounts = c.amounts(&all);
        let Some(source) = source.filter(|_| c.ok()) else {
            continue;
        };
        if let Some(first) = seen.insert(source, row.line) {
            c.invalid(
                "source",
                format!("{source} is already given on line {first}"),
            );
            continue;
        }
        // A plan year's `council_tax` is the requirement the council set (Band D follows from
        // it); the precept is part of that requirement, never a line of its own.
        if source == FundingSource::AdultSocialCarePrecept {
            for year in amounts.keys().filter(|y| years.contains(y)) {
                c.invalid(
                    &year.to_string(),
                    format!("{source} in plan years is part of the council tax requirement: give the requirement set as council_tax, or leave {year} blank for the plan to compute it"),
                );
            }
        }
        if !c.ok() {
            continue;
        }
        out.extend(amounts.into_iter().map(|(year, amount)| FundingLine {
            source,
            year,
            amount,
        }));
    }
    out
}

/// `reserves.csv`: one row per reserve, its opening balance and planned use in each plan
/// year (a negative amount is a planned contribution).
pub(crate) fn reserves(
    file: &Path,
    years: &[FinancialYear],
    errors: &mut PackErrors,
) -> Vec<Reserve> {
    let Some(t) = read_with_years(file, RESERVE_COLUMNS, years, errors) else {
        return Vec::new();
    };
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let name = c.required("name");
        let kind = c.parse::<ReserveKind>("kind");
        let opening = c.money("opening");
        let planned_use = c.amounts(years);
        let (Some(name), Some(kind), Some(opening)) = (name, kind, opening) else {
            continue;
        };
        if let Some(first) = seen.insert(name.to_lowercase(), row.line) {
            c.invalid("name", format!("`{name}` is already given on line {first}"));
            continue;
        }
        if c.ok() {
            out.push(Reserve {
                name,
                kind,
                opening,
                planned_use,
            });
        }
    }
    out
}

/// The message for a year that is not one of the plan's.
pub(crate) fn not_a_plan_year(year: FinancialYear, years: &[FinancialYear]) -> String {
    let list: Vec<String> = years.iter().map(ToString::to_string).collect();
    format!(
        "{year} is not a year of the plan: expected one of {}",
        list.join(", ")
    )
}
