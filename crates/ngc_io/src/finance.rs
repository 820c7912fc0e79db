//! Financial plans and budgets from files.
//!
//! A data pack holds its medium-term financial plans under `plans/<plan-name>/`, each a
//! directory of `plan.toml` and CSV files a finance officer can keep in a spreadsheet:
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `plan.toml` | — | `organisation`, `name`, `description`, `authority_class`, `first_year` (`2015-16`), `years` (default 5), `minimum_reserve_pct`, `[council_tax] band_d, tax_base` (the year before the plan) |
//! | `base_budget.csv` | service and subjective | `service, subjective, amount` — the budget of the year before the plan; income positive |
//! | `assumptions.csv` | plan year (every one) | `year, pay_award_pct, general_inflation_pct, social_care_inflation_pct, tax_base_growth_pct, council_tax_increase_pct, asc_precept_pct` |
//! | `demography.csv` (optional) | service | `service`, then a column per plan year: demography growth per cent |
//! | `pressures.csv` | pressure | `reference, kind, service, description, low_pct, high_pct`, then a column per plan year: the new pressure that year |
//! | `funding.csv` | source | `source`, then the year before the plan and each plan year |
//! | `savings.csv` | saving | `reference, title, service, category, owner, rag, delivered_to_date, evidence` (`kind:reference`), then a column per plan year: the new saving that year |
//! | `reserves.csv` | reserve | `name, kind, opening`, then a column per plan year: planned use |
//! | `delivery.csv` (optional) | saving, year and month | `reference, year, month, delivered, rag, note` |
//!
//! Year columns are written like `2015-16` and must be exactly the plan's years (funding:
//! the year before too); a blank cell is no amount. Amounts are pounds with at most two
//! decimal places — more are refused, never rounded. Percentages are plain numbers (`1.95`).
//! Every file is checked in full and every bad cell reported with its file, line and column
//! before anything is returned; a plan is returned only when nothing is wrong and it passes
//! [`Plan::validate`].

mod accounts;
mod budget;
pub(crate) mod cells;
mod lines;
mod manifest;
mod programme;
mod scenarios;
pub(crate) mod sheet;

pub use accounts::{ACCOUNTS_COLUMNS, AccountsLine, read_accounts};
pub use budget::{BUDGET_COLUMNS, read_budget, read_budget_bytes};
pub use lines::{
    ASSUMPTION_COLUMNS, BASE_BUDGET_COLUMNS, DEMOGRAPHY_COLUMNS, FUNDING_COLUMNS, RESERVE_COLUMNS,
};
pub use programme::{DELIVERY_COLUMNS, PRESSURE_COLUMNS, SAVING_COLUMNS};

use crate::pack::{PackError, PackErrors, Problem};
use ngc_domain::finance::mtfp::{Plan, PlanError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The folder of a data pack that holds its plans, one directory each.
pub const PLANS_DIR: &str = "plans";
/// The plan's settings.
pub const PLAN_MANIFEST: &str = "plan.toml";
/// The budget the plan starts from.
pub const BASE_BUDGET: &str = "base_budget.csv";
/// Assumptions per plan year.
pub const ASSUMPTIONS: &str = "assumptions.csv";
/// Demography growth per service and plan year (optional).
pub const DEMOGRAPHY: &str = "demography.csv";
/// Named pressures.
pub const PRESSURES: &str = "pressures.csv";
/// Funding by source.
pub const FUNDING: &str = "funding.csv";
/// The savings programme.
pub const SAVINGS: &str = "savings.csv";
/// Reserves and their planned use.
pub const RESERVES: &str = "reserves.csv";
/// Monthly savings delivery updates (optional).
pub const DELIVERY: &str = "delivery.csv";
/// Named variants of the plan (optional).
pub const SCENARIOS: &str = "scenarios.csv";

/// Reads every plan of the data pack in `pack_dir`: each directory under `plans/`, in name
/// order. A pack without plans has none. Returns every problem in every plan (up to
/// [`crate::pack::MAX_REPORTED`]) if there is any, and refuses two plans with the same
/// organisation and name.
pub fn read_plans(pack_dir: &Path) -> Result<Vec<Plan>, PackErrors> {
    Ok(read_plan_dirs(pack_dir)?
        .into_iter()
        .map(|(_, plan)| plan)
        .collect())
}

/// As [`read_plans`], each plan with the name of the directory under `plans/` it was read from.
pub fn read_plan_dirs(pack_dir: &Path) -> Result<Vec<(String, Plan)>, PackErrors> {
    let plans_dir = pack_dir.join(PLANS_DIR);
    if !crate::pack::source::exists(&plans_dir) {
        return Ok(Vec::new());
    }
    let mut errors = PackErrors::default();
    let mut dirs: Vec<PathBuf> = match crate::pack::source::subdirs(&plans_dir) {
        Ok(dirs) => dirs,
        Err(e) => return Err(read_error(&plans_dir, e).into()),
    };
    dirs.sort();
    let mut plans = Vec::new();
    let mut names: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    for dir in dirs {
        if let Some(plan) = read_plan_into(&dir, &mut errors) {
            let key = (plan.organisation.clone(), plan.name.clone());
            if let Some(first) = names.insert(key, dir.clone()) {
                errors.push(PackError {
                    file: dir.join(PLAN_MANIFEST),
                    line: None,
                    column: Some("name".into()),
                    problem: Problem::Invalid(format!(
                        "`{}` already has a plan named `{}` in {}",
                        plan.organisation,
                        plan.name,
                        first.display()
                    )),
                });
            }
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            plans.push((name, plan));
        }
    }
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors)
    }
}

/// Reads and checks the plan in `dir` (see the module documentation for its files),
/// returning every problem found if there is any.
pub fn read_plan(dir: &Path) -> Result<Plan, PackErrors> {
    let mut errors = PackErrors::default();
    match read_plan_into(dir, &mut errors) {
        Some(plan) if errors.is_empty() => Ok(plan),
        _ => Err(errors),
    }
}

/// Reads the plan in `dir`, adding its problems to `errors`; `None` if it has any.
fn read_plan_into(dir: &Path, errors: &mut PackErrors) -> Option<Plan> {
    let before_count = errors.errors().len() + errors.omitted();
    let manifest_file = dir.join(PLAN_MANIFEST);
    let m = manifest::read(&manifest_file, errors)?;
    let years = m.first_year.span(m.years);
    let Some(before) = m.first_year.prev() else {
        let message = format!(
            "a plan cannot start in {}, the first year ngc handles",
            m.first_year
        );
        errors.push(cells::file_error(
            &manifest_file,
            None,
            Some("first_year"),
            message,
        ));
        return None;
    };

    let base = lines::base(&dir.join(BASE_BUDGET), errors);
    let assumptions = lines::assumptions(
        &dir.join(ASSUMPTIONS),
        &dir.join(DEMOGRAPHY),
        &years,
        errors,
    );
    let mut refs = programme::References::new();
    let pressures = programme::pressures(&dir.join(PRESSURES), &years, &mut refs, errors);
    let funding = lines::funding(&dir.join(FUNDING), &years, before, errors);
    let savings = programme::savings(&dir.join(SAVINGS), &years, &mut refs, errors);
    let reserves = lines::reserves(&dir.join(RESERVES), &years, errors);
    let delivery_file = dir.join(DELIVERY);
    let delivery = if crate::pack::source::exists(&delivery_file) {
        let known: BTreeSet<String> = refs
            .iter()
            .filter(|(_, (file, _))| *file == SAVINGS)
            .map(|(r, _)| r.clone())
            .collect();
        programme::delivery(&delivery_file, &years, &known, errors)
    } else {
        Vec::new()
    };
    let scenario_file = dir.join(SCENARIOS);
    let scenarios = if crate::pack::source::exists(&scenario_file) {
        scenarios::read(&scenario_file, errors)
    } else {
        Vec::new()
    };
    if errors.errors().len() + errors.omitted() > before_count {
        return None;
    }

    let plan = Plan {
        organisation: m.organisation,
        name: m.name,
        authority_class: m.authority_class,
        first_year: m.first_year,
        years: m.years,
        base,
        assumptions,
        pressures,
        funding,
        council_tax: m.council_tax,
        savings,
        delivery,
        reserves,
        minimum_reserve_pct: m.minimum_reserve_pct,
        scenarios,
    };
    if let Err(e) = plan.validate() {
        errors.push(plan_error(dir, &e));
        return None;
    }
    tracing::debug!(
        plan.dir = %dir.display(),
        plan.organisation = %plan.organisation,
        plan.name = %plan.name,
        plan.pressures = plan.pressures.len(),
        plan.savings = plan.savings.len(),
        "read plan"
    );
    Some(plan)
}

/// A rule of [`Plan::validate`] broken, against the file that breaks it. The readers check
/// each of these with lines first; this is the last line of defence.
fn plan_error(dir: &Path, e: &PlanError) -> PackError {
    let (file, column) = match e {
        PlanError::Years(_) => (PLAN_MANIFEST, "years"),
        PlanError::TaxBase => (PLAN_MANIFEST, "council_tax.tax_base"),
        PlanError::DuplicateReference(_) => (SAVINGS, "reference"),
        PlanError::DuplicateAssumptions(_) => (ASSUMPTIONS, "year"),
        PlanError::CouncilTaxEntered(..) => (FUNDING, "source"),
        PlanError::Uncertainty(_) => (PRESSURES, "low_pct"),
        PlanError::Scenario(_) => (SCENARIOS, "target"),
        PlanError::DuplicateScenario(_) => (SCENARIOS, "scenario"),
    };
    cells::file_error(&dir.join(file), None, Some(column), e.to_string())
}

fn read_error(path: &Path, e: std::io::Error) -> PackError {
    PackError {
        file: path.to_owned(),
        line: None,
        column: None,
        problem: Problem::Read(e),
    }
}
