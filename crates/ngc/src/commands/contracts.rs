//! `ngc contracts import` and `ngc contracts expiring`: a council's register from a file, and
//! its contracts ending in the coming months.

use super::open_store;
use crate::config::Config;
use clap::{Args, Subcommand, ValueEnum};
use ngc_app::Caller;
use ngc_app::contracts::{self as uc, Pipeline};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ContractsCommand {
    /// Import a register file (CSV or XLSX, "contracts over £5,000"): all rows or none,
    /// merged by reference, every replaced version kept.
    Import(ImportArgs),
    /// The contracts ending within the coming months, with the day re-commissioning must start.
    Expiring(ExpiringArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file (`.csv` or `.xlsx`), in ngc's columns (docs/formats/contracts.md) unless a
    /// mapping is given.
    file: PathBuf,
    /// The council whose register it is.
    #[arg(long)]
    org: String,
    /// A mapping file (TOML) from ngc's columns to the file's headers.
    #[arg(long)]
    mapping: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ExpiringArgs {
    /// The council.
    #[arg(long)]
    org: String,
    /// How many months ahead.
    #[arg(long, default_value_t = 18)]
    months: u32,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Runs `ngc contracts …`.
pub async fn run(config: &Config, cmd: ContractsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ContractsCommand::Import(args) => {
            let rows = ngc_io::contracts::read_contracts(&args.file, args.mapping.as_deref())?;
            let entries: Vec<_> = rows.into_iter().map(|r| r.into_entry()).collect();
            let store = open_store(config).await?;
            let source = args.file.display().to_string();
            let outcome = uc::import(&store, &Caller::System, &args.org, &entries, &source).await;
            store.close().await;
            let outcome = outcome?;
            println!(
                "imported {source} into `{}`: {} added, {} updated (old versions kept), {} unchanged",
                args.org,
                outcome.added.len(),
                outcome.updated.len(),
                outcome.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        ContractsCommand::Expiring(args) => {
            let store = open_store(config).await?;
            let pipeline = uc::expiring(&store, &Caller::System, &args.org, args.months).await;
            store.close().await;
            let pipeline = pipeline?;
            match args.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&json(&pipeline))?),
                Format::Table => print!("{}", table(&pipeline)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn json(p: &Pipeline) -> serde_json::Value {
    serde_json::json!({
        "organisation": p.organisation,
        "today": p.today,
        "months": p.months,
        "until": p.until,
        "value": p.value,
        "overdue": p.overdue,
        "contracts": p.contracts.iter().map(|e| serde_json::json!({
            "id": e.contract.id,
            "reference": e.contract.reference,
            "title": e.contract.title,
            "supplier": e.contract.supplier,
            "value": e.contract.value,
            "end_date": e.ends_on,
            "above_threshold": e.above_threshold,
            "lead_months": e.lead_months,
            "recommission_by": e.recommission_by,
            "overdue": e.overdue,
        })).collect::<Vec<_>>(),
    })
}

fn table(p: &Pipeline) -> String {
    let mut out = format!(
        "{}: {} contracts ending {} to {}, worth {}; {} past the day re-commissioning should have started\n",
        p.organisation,
        p.contracts.len(),
        p.today,
        p.until,
        p.value.fmt_gbp(),
        p.overdue
    );
    out.push_str(&format!(
        "{:<16} {:<40} {:<24} {:>16} {:<10} {:<15}\n",
        "reference", "title", "supplier", "value", "ends", "recommission by"
    ));
    for e in &p.contracts {
        let title: String = e.contract.title.chars().take(40).collect();
        out.push_str(&format!(
            "{:<16} {:<40} {:<24} {:>16} {:<10} {}{}\n",
            e.contract.reference.as_deref().unwrap_or(""),
            title,
            e.contract.supplier,
            e.contract.value.fmt_gbp(),
            e.ends_on,
            e.recommission_by,
            if e.overdue { " (overdue)" } else { "" }
        ));
    }
    out
}
