//! `ngc import actuals`: a general-ledger extract, read whole first (every bad row reported,
//! nothing imported), then kept and posted in one transaction; and the budget-monitoring
//! report of `ngc ledger budget-monitoring`.

use super::open_store;
use crate::config::Config;
use ngc_app::Caller;
use ngc_app::monitoring::BudgetMonitoring;
use ngc_io::actuals::Mapping;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Reads the extract, then imports it (once by its content).
pub async fn import(
    config: &Config,
    file: &Path,
    org: &str,
    mapping: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let mapping = mapping.map(Mapping::read).transpose()?;
    let extract = match ngc_io::actuals::read_actuals(file, mapping.as_ref()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("nothing was imported");
            return Ok(ExitCode::FAILURE);
        }
    };
    let store = open_store(config).await?;
    let outcome = ngc_app::gl_actuals::import(&store, &Caller::System, org, &extract).await;
    store.close().await;
    let outcome = outcome.map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let i = &outcome.import;
    if outcome.added {
        println!(
            "imported {} as general-ledger import {}: {} lines for {} to {}, net {}; {} journals \
             posted to bring the ledger to its figures",
            file.display(),
            i.id,
            i.lines,
            i.first_month,
            i.last_month,
            ngc_domain::money::Money::pence(i.net_total).fmt_gbp(),
            i.journals
        );
    } else {
        println!(
            "{}: the same content as general-ledger import {} ({}): nothing added",
            file.display(),
            i.id,
            i.file_name
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The report as a table: a row per service line, the months, the in-year test.
pub fn table(r: &BudgetMonitoring) -> String {
    let m = &r.monitoring;
    let mut out = format!(
        "Budget against actual, {} {}: {} of 12 months closed; forecast by {} where no \
         officer's forecast; budgets from {}, profiled {}; virements {}\n",
        r.organisation,
        m.year,
        m.closed_months,
        m.method.as_str().replace('_', " "),
        r.budget_source.replace('_', " "),
        m.profile.replace('_', " "),
        r.virements.len()
    );
    let _ = writeln!(
        out,
        "forecasts stand on {}",
        if m.forecast_months.is_empty() {
            "no month yet".to_owned()
        } else {
            m.forecast_months.join(", ")
        }
    );
    if m.actuals_partial {
        let partial: Vec<&str> = m
            .months
            .iter()
            .filter(|x| x.closed && !x.general_ledger)
            .map(|x| x.month.as_str())
            .collect();
        let _ = writeln!(
            out,
            "actuals are partial for {} (no general-ledger extract: spend over £500, contract \
             payments and recharges only)",
            partial.join(", ")
        );
    }
    let width = m
        .services
        .iter()
        .map(|s| s.service.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let _ = writeln!(
        out,
        "{:<width$} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15}  basis",
        "service",
        "budget",
        "budget to date",
        "actual to date",
        "variance",
        "commitments",
        "outturn",
        "over budget"
    );
    for s in m.services.iter().chain(std::iter::once(&m.totals)) {
        let _ = writeln!(
            out,
            "{:<width$} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15}  {}",
            s.service,
            s.budget.to_string(),
            s.budget_to_date.to_string(),
            s.actual_to_date.to_string(),
            s.variance_to_date.to_string(),
            s.commitments.to_string(),
            s.forecast_outturn.to_string(),
            s.outturn_variance.to_string(),
            s.forecast_basis
        );
    }
    match (&r.in_year, &r.warning) {
        (_, Some(w)) => {
            let _ = writeln!(out, "WARNING {}", w.message);
        }
        (Some(t), None) => {
            let _ = writeln!(
                out,
                "s114(3): forecast net spending {} within resources {} plus reserves available {} \
                 (headroom {})",
                t.forecast_net_spending.fmt_gbp(),
                t.resources.fmt_gbp(),
                t.reserves_available.fmt_gbp(),
                t.headroom.fmt_gbp()
            );
        }
        (None, None) => out.push_str("s114(3): no plan covers the year, so it is not tested\n"),
    }
    out
}

/// Writes the report as JSON.
pub fn json(r: &BudgetMonitoring) -> String {
    format!("{}\n", serde_json::to_string_pretty(r).unwrap_or_default())
}

/// The report of `ngc ledger budget-monitoring`, as a table or JSON.
pub async fn report(
    store: &ngc_store::Store,
    org: &str,
    year: &str,
    method: &str,
    as_json: bool,
) -> Result<String, ngc_app::UseCaseError> {
    let year = ngc_app::monitoring::year_of("year", year)?;
    let method = ngc_app::monitoring::method_of(Some(method))?;
    let r =
        ngc_app::monitoring::budget_monitoring(store, &Caller::System, org, year, method).await?;
    Ok(if as_json { json(&r) } else { table(&r) })
}
