//! `ngc joint-working analyse` and `ngc joint-working key-value`: a partnership's
//! consolidation analysis of its members' contracts of one category, and a council's
//! cost-sharing key value for a year. The same use cases as the pages and the API
//! (`ngc_app::joint_working`), called as the system.

use super::open_store;
use crate::config::Config;
use clap::{Args, Subcommand, ValueEnum};
use ngc_app::Caller;
use ngc_app::joint_working::{self as uc, AnalysisQuery, AnalysisView, KeyValueInput};
use ngc_domain::joint_working::Step;
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum JointWorkingCommand {
    /// The consolidation analysis of a partnership's contracts of one category: each
    /// contract, the aggregate, the window, the estimated saving and the councils' cost shares.
    Analyse(AnalyseArgs),
    /// Enter a council's value for a cost-sharing key in a year (it replaces the one before).
    KeyValue(KeyValueArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// The partnership.
    #[arg(long)]
    partnership: String,
    /// The contracts' category: a CPV code (`90511000`).
    #[arg(long)]
    category: String,
    /// tax_base, households, population or equal.
    #[arg(long)]
    key: String,
    /// The financial year of the key values (`2016-17`).
    #[arg(long)]
    year: String,
    /// The saving rate in per cent; without it, the rate past joint tenders achieved.
    #[arg(long)]
    rate: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct KeyValueArgs {
    /// The council.
    #[arg(long)]
    org: String,
    /// tax_base, households or population.
    #[arg(long)]
    key: String,
    /// The financial year (`2016-17`).
    #[arg(long)]
    year: String,
    /// The value (a decimal above zero).
    #[arg(long)]
    value: String,
    /// Where the figure comes from.
    #[arg(long)]
    source: String,
    /// The figure has been checked against its source.
    #[arg(long)]
    confirmed: bool,
}

/// Runs `ngc joint-working …`.
pub async fn run(config: &Config, cmd: JointWorkingCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let outcome = match cmd {
        JointWorkingCommand::Analyse(args) => {
            let query = AnalysisQuery {
                category: args.category,
                key: args.key,
                year: args.year,
                rate: args.rate,
            };
            uc::analyse(&store, &Caller::System, &args.partnership, &query)
                .await
                .map(|view| match args.format {
                    Format::Json => serde_json::to_string_pretty(&*view)
                        .map(|s| format!("{s}\n"))
                        .unwrap_or_default(),
                    Format::Table => table(&view),
                })
        }
        JointWorkingCommand::KeyValue(args) => {
            let input = KeyValueInput {
                organisation: args.org.clone(),
                year: args.year.clone(),
                key: args.key.clone(),
                value: args.value.clone(),
                source: args.source,
                confirmed: args.confirmed,
            };
            uc::set_key_values(&store, &Caller::System, &[input])
                .await
                .map(|_| {
                    format!(
                        "{}: {} {} is {}\n",
                        args.org, args.key, args.year, args.value
                    )
                })
        }
    };
    store.close().await;
    print!("{}", outcome?);
    Ok(ExitCode::SUCCESS)
}

fn step(s: &Step) -> String {
    match *s {
        Step::Ends { on } => format!("ends {on}"),
        Step::ExtendByOption { to, days } => format!("extend by option to {to} ({days} days)"),
        Step::ExtendBeyondOptions { to, days } => {
            format!("extend beyond its options to {to} ({days} days)")
        }
        Step::EndEarly { on, days } => format!("end early on {on} ({days} days early)"),
        Step::EndByNotice { on } => format!("end by notice on {on}"),
    }
}

/// The analysis as a plain table.
pub fn table(v: &AnalysisView) -> String {
    let a = &v.analysis;
    let mut out = String::new();
    let function = a
        .function
        .map(|f| format!(" ({}: {})", f.function, f.source))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}: {} contracts of category {}{function}",
        v.partnership_name,
        a.contracts.len(),
        a.category
    );
    let _ = writeln!(
        out,
        "{:<16} {:<22} {:>16} {:>14} {:<10} {:<10}",
        "reference", "holder", "value", "a year", "ends", "latest end"
    );
    for c in &a.contracts {
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<16} {:<22} {:>16} {:>14} {:<10} {:<10}",
            c.reference,
            c.holder,
            c.value.fmt_gbp(),
            c.annual_value.fmt_gbp(),
            day(c.ends_on),
            day(c.latest_end_on)
        );
    }
    let _ = writeln!(
        out,
        "aggregate: {} ({} a year)",
        a.aggregate_value.fmt_gbp(),
        a.aggregate_annual.fmt_gbp()
    );
    match &a.window {
        Some(w) => {
            let common = w.common.map_or(
                "none: not every contract can end within its terms on one day".to_owned(),
                |c| format!("{} to {}", c.from, c.to),
            );
            let _ = writeln!(
                out,
                "window: first end {}, last end {}; all can end together: {common}",
                w.first_end, w.last_end
            );
        }
        None => {
            let _ = writeln!(out, "window: no contract has an end date");
        }
    }
    for s in &a.starts {
        let _ = writeln!(
            out,
            "a joint contract could start {} ({}; {} contracts changed)",
            s.starts_on,
            s.basis.label().to_lowercase(),
            s.changes
        );
        for (c, st) in a.contracts.iter().zip(&s.steps) {
            let _ = writeln!(out, "  {:<16} {}", c.reference, step(st));
        }
    }
    match &a.saving {
        Some(s) => {
            let basis = match s.basis {
                ngc_domain::joint_working::RateBasis::Set => "rate set".to_owned(),
                ngc_domain::joint_working::RateBasis::Derived { tenders } => {
                    format!("rate of {tenders} past joint tenders")
                }
            };
            let _ = writeln!(
                out,
                "estimated saving: {} a year at {}% ({basis})",
                s.annual.fmt_gbp(),
                s.rate
            );
        }
        None => {
            let _ = writeln!(
                out,
                "estimated saving: none (no past joint tender has let contracts: give --rate)"
            );
        }
    }
    let _ = writeln!(
        out,
        "shares by {} {}:",
        a.key.label().to_lowercase(),
        a.year
    );
    let _ = writeln!(
        out,
        "{:<28} {:>14} {:>11} {:>16} {:>14}",
        "council", "key value", "share %", "cost a year", "saving a year"
    );
    for s in &a.shares {
        let _ = writeln!(
            out,
            "{:<28} {:>14} {:>11} {:>16} {:>14}",
            s.name,
            s.weight,
            s.percent,
            s.annual_cost.fmt_gbp(),
            s.saving.fmt_gbp()
        );
    }
    out
}
