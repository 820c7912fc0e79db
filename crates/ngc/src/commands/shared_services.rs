//! `ngc shared-services …`: a partnership's recharge statement for a year, its savings over
//! the years, and recording a partner's exit. Importing the figures is
//! `ngc import shared-services`.

use super::open_store;
use crate::config::Config;
use clap::{Args, Subcommand, ValueEnum};
use ngc_app::Caller;
use ngc_app::shared_services::{self as uc, ExitInput, Savings};
use ngc_domain::finance::FinancialYear;
use ngc_domain::shared_services::Statement;
use serde_json::Value;
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum SharedServicesCommand {
    /// Each partner's recharge statement for a year: its share of each service (basis, driver
    /// value, share, charge), income credited, net charge, saving against its baseline and
    /// back office as a share of its net budget; the totals (allocated = pool − income).
    Statement(StatementArgs),
    /// The partnership's savings by year against the partners' baselines, cumulative, beside
    /// the published projections and reported outturns.
    Savings(SavingsArgs),
    /// Record a partner leaving the partnership (with notice) or repatriating one service.
    Exit(ExitArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct StatementArgs {
    #[arg(long)]
    partnership: String,
    /// The financial year (`2015-16`).
    #[arg(long)]
    year: FinancialYear,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct SavingsArgs {
    #[arg(long)]
    partnership: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ExitArgs {
    #[arg(long)]
    partnership: String,
    /// The leaving partner.
    #[arg(long)]
    organisation: String,
    /// Repatriate only this service (its code), staying in the others.
    #[arg(long)]
    service: Option<String>,
    #[arg(long)]
    notice_given_on: chrono::NaiveDate,
    /// The last day of membership (or of the service).
    #[arg(long)]
    left_on: chrono::NaiveDate,
    /// Stranded costs the leaver must meet, in pounds.
    #[arg(long)]
    exit_cost: Option<String>,
    #[arg(long, default_value = "")]
    reason: String,
}

/// Runs `ngc shared-services …`.
pub async fn run(config: &Config, cmd: SharedServicesCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let outcome = match cmd {
        SharedServicesCommand::Statement(args) => {
            uc::statement(&store, &Caller::System, &args.partnership, args.year)
                .await
                .map(|s| match args.format {
                    Format::Json => pretty(&serde_json::to_value(&*s).unwrap_or_default()),
                    Format::Table => statement_table(&s),
                    Format::Csv => statement_csv(&s),
                })
        }
        SharedServicesCommand::Savings(args) => {
            uc::savings(&store, &Caller::System, &args.partnership)
                .await
                .map(|s| match args.format {
                    Format::Json => pretty(&serde_json::to_value(&*s).unwrap_or_default()),
                    Format::Table => savings_table(&s),
                    Format::Csv => savings_csv(&s),
                })
        }
        SharedServicesCommand::Exit(args) => {
            let input = ExitInput {
                organisation: args.organisation.clone(),
                service: args.service.clone(),
                notice_given_on: args.notice_given_on,
                left_on: args.left_on,
                exit_cost: args.exit_cost,
                reason: args.reason,
            };
            uc::record_exit(&store, &Caller::System, &args.partnership, input)
                .await
                .map(|id| match &args.service {
                    Some(s) => format!(
                        "recorded exit {id}: `{}` leaves service `{s}` after {}\n",
                        args.organisation, args.left_on
                    ),
                    None => format!(
                        "recorded exit {id}: `{}` leaves `{}` after {}\n",
                        args.organisation, args.partnership, args.left_on
                    ),
                })
        }
    };
    store.close().await;
    print!("{}", outcome?);
    Ok(ExitCode::SUCCESS)
}

fn pretty(value: &Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}

fn or_dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn statement_table(s: &Statement) -> String {
    let mut out = format!(
        "Recharge statement {} ({} days; baselines carried by {})\n",
        s.year, s.year_days, s.index
    );
    for p in &s.partners {
        let _ = writeln!(out, "\n{} ({} days)", p.organisation, p.days);
        let _ = writeln!(
            out,
            "  {:<10} {:<12} {:>14} {:>11} {:>15} {:>13}",
            "service", "basis", "driver", "share %", "charge", "income"
        );
        for c in &p.services {
            let _ = writeln!(
                out,
                "  {:<10} {:<12} {:>14} {:>11} {:>15} {:>13}",
                c.service,
                c.basis.as_str(),
                c.driver_value.normalize().to_string(),
                c.share_pct.round_dp(2).to_string(),
                c.charge.to_string(),
                c.income_credit.to_string()
            );
        }
        let _ = writeln!(
            out,
            "  income credited {}  exit costs {}  net charge {}  baseline {}  saving {}  back office {}%",
            p.income_credit,
            p.exit_costs,
            p.net_charge,
            or_dash(p.baseline),
            or_dash(p.saving),
            or_dash(p.back_office_pct)
        );
    }
    let _ = writeln!(
        out,
        "\npool {}  income {}  allocated {} (pool - income)  exit costs {}",
        s.totals.pool, s.totals.income, s.totals.allocated, s.totals.exit_costs
    );
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One line per partner and service, then one per partner with its totals (service blank).
fn statement_csv(s: &Statement) -> String {
    let mut out = String::from(
        "year,organisation,service,host,basis,driver_value,days,share_pct,charge,income_credit,exit_costs,net_charge,baseline,saving,back_office_pct\n",
    );
    for p in &s.partners {
        for c in &p.services {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},,,,,",
                s.year,
                p.organisation,
                csv_field(&c.service),
                c.host,
                c.basis.as_str(),
                c.driver_value.normalize(),
                c.days,
                c.share_pct.normalize(),
                c.charge,
                c.income_credit
            );
        }
        let blank = |v: Option<String>| v.unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},,,,,{},,{},{},{},{},{},{},{}",
            s.year,
            p.organisation,
            p.days,
            p.services
                .iter()
                .map(|c| c.charge)
                .sum::<ngc_domain::money::Money>(),
            p.income_credit,
            p.exit_costs,
            p.net_charge,
            blank(p.baseline.map(|m| m.to_string())),
            blank(p.saving.map(|m| m.to_string())),
            blank(p.back_office_pct.map(|d| d.to_string()))
        );
    }
    out
}

fn savings_table(s: &Savings) -> String {
    let mut out = format!(
        "Savings against the partners' baselines (carried by {})\n",
        s.index
    );
    let _ = writeln!(
        out,
        "{:<9} {:<24} {:>15} {:>15} {:>15} {:>16}",
        "year", "partner", "baseline", "net charge", "saving", "cumulative"
    );
    for y in &s.view.years {
        for p in &y.partners {
            let _ = writeln!(
                out,
                "{:<9} {:<24} {:>15} {:>15} {:>15} {:>16}",
                y.year.to_string(),
                p.organisation.as_str(),
                p.baseline.to_string(),
                p.net_charge.to_string(),
                p.saving.to_string(),
                p.cumulative.to_string()
            );
        }
        let _ = writeln!(
            out,
            "{:<9} {:<24} {:>15} {:>15} {:>15} {:>16}",
            y.year.to_string(),
            "all partners",
            "",
            "",
            y.saving.to_string(),
            y.cumulative.to_string()
        );
    }
    let _ = writeln!(out, "\ntotal {}", s.view.total);
    if !s.published.is_empty() {
        let _ = writeln!(out, "\npublished figures:");
        for p in &s.published {
            let _ = writeln!(
                out,
                "  {} {} {}: {} ({}{})",
                p.year,
                p.organisation
                    .as_ref()
                    .map_or("all partners", |o| o.as_str()),
                p.kind.label(),
                p.amount,
                p.provenance.source,
                if p.provenance.confirmed {
                    ""
                } else {
                    "; unconfirmed"
                }
            );
        }
    }
    out
}

fn savings_csv(s: &Savings) -> String {
    let mut out = String::from("year,organisation,baseline,net_charge,saving,cumulative\n");
    for y in &s.view.years {
        for p in &y.partners {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{}",
                y.year, p.organisation, p.baseline, p.net_charge, p.saving, p.cumulative
            );
        }
        let _ = writeln!(out, "{},,,,{},{}", y.year, y.saving, y.cumulative);
    }
    out
}
