//! `ngc import returns` and `ngc resilience`.

use super::open_store;
use crate::config::Config;
use anyhow::Context;
use clap::{Args, ValueEnum};
use ngc_app::Caller;
use ngc_app::joint_working::{ReturnedTaxBase, tax_bases_from_returns};
use ngc_domain::finance::resilience::{Record, compare};
use ngc_domain::finance::year::FinancialYear;
use ngc_store::Actor;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Which organisation, which year, which format.
#[derive(Debug, Args)]
pub struct ResilienceArgs {
    /// The organisation's slug (matched to the returns by its name).
    #[arg(long)]
    org: String,
    /// The financial year, e.g. 2016-17 (default: the latest in the returns).
    #[arg(long)]
    year: Option<FinancialYear>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Reads the official workbooks and stores every authority's complete years.
pub async fn import(config: &Config, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let returns = ngc_io::returns::read_returns(files)?;
    let mut records = Vec::new();
    let mut unclassed = 0;
    for a in returns.authorities.values() {
        let Some(class) = a.class else {
            unclassed += 1;
            continue;
        };
        records.extend(a.years.values().map(|y| Record {
            code: a.code.clone(),
            name: a.name.clone(),
            class,
            year: y.clone(),
        }));
    }
    let source: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let tax_bases: Vec<ReturnedTaxBase> = returns
        .authorities
        .values()
        .flat_map(|a| {
            a.figures.iter().filter_map(|(year, f)| {
                f.tax_base.map(|tax_base| ReturnedTaxBase {
                    code: a.code.clone(),
                    name: a.name.clone(),
                    year: *year,
                    tax_base,
                })
            })
        })
        .collect();
    let store = open_store(config).await?;
    let n = store
        .import_authority_years(&records, &source.join(", "), &Actor::system())
        .await?;
    let filled =
        tax_bases_from_returns(&store, &Caller::System, &tax_bases, &source.join(", ")).await;
    store.close().await;
    println!(
        "stored {n} authority years from {} workbooks ({} authorities; {unclassed} without a known class left out)",
        returns.workbooks.len(),
        returns.authorities.len()
    );
    let filled = filled.context("filling the councils' tax bases from the returns")?;
    if !tax_bases.is_empty() {
        println!(
            "council tax bases (the tax_base key of joint working): {} entered, {} unchanged, \
             {} entered by hand and kept{}",
            filled.entered,
            filled.unchanged,
            filled.kept.len(),
            if filled.kept.is_empty() {
                String::new()
            } else {
                let kept: Vec<String> = filled
                    .kept
                    .iter()
                    .map(|(o, y)| format!("{o} {y}"))
                    .collect();
                format!(" ({})", kept.join(", "))
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints an organisation's resilience indicators and its standing within its class.
pub async fn run(config: &Config, args: ResilienceArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let org = store
        .organisation_by_slug(&args.org)
        .await?
        .with_context(|| format!("org: no organisation has the slug `{}`", args.org))?;
    let records = store.authority_records().await?;
    store.close().await;
    let c = compare(&records, &org.name, args.year)?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&c)?),
        Format::Table => {
            println!(
                "{} ({}, {}) in {}: standing within its class, {}",
                c.name,
                c.code,
                org.slug,
                c.year,
                c.class.label().to_lowercase()
            );
            println!(
                "{:<34} {:>12} {:>10} {:>11}",
                "indicator", "value", "rank", "percentile"
            );
            for s in &c.standings {
                let value = s.value.map_or("not falling".to_owned(), |v| v.to_string());
                println!(
                    "{:<34} {:>12} {:>10} {:>10}%",
                    s.indicator.label(),
                    value,
                    format!("{} of {}", s.rank, s.of),
                    s.percentile
                );
            }
            println!(
                "(rank 1 is the most resilient; percentile: share of the class less resilient)"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
