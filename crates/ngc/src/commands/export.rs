//! `ngc export …`: published returns as files. `payment-performance compliance|payments`
//! writes a council's payments compliance figures (PA2023 s69) or its payments over £30,000
//! (s70) as CSV or JSON, the same bytes as the downloads under `/open-data/{org}/`.

use super::mtfp::emit;
use super::open_store;
use crate::config::Config;
use clap::{Args, Subcommand, ValueEnum};
use ngc_app::payment_performance::{self as uc, Range, formats};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A council's payment performance return: `compliance` (each six-month period's
    /// payments compliance figures, PA2023 s69) or `payments` (each quarter's payments over
    /// £30,000, s70).
    PaymentPerformance(PaymentPerformanceArgs),
}

/// Which return.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Return {
    Compliance,
    Payments,
}

/// The file format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct PaymentPerformanceArgs {
    #[arg(value_enum)]
    which: Return,
    /// The council's slug.
    #[arg(long)]
    org: String,
    /// The first day (YYYY-MM-DD): periods overlapping it on are written [default: the
    /// first payment's day].
    #[arg(long)]
    from: Option<chrono::NaiveDate>,
    /// The last day (YYYY-MM-DD) [default: the last payment's day].
    #[arg(long)]
    to: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// The file to write, whole or not at all [default: standard output].
    #[arg(long)]
    out: Option<PathBuf>,
}

fn json(v: &serde_json::Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default())
}

/// Runs `ngc export …`.
pub async fn run(config: &Config, cmd: ExportCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let ExportCommand::PaymentPerformance(args) = cmd;
    let range = Range {
        from: args.from,
        to: args.to,
    };
    let text = match args.which {
        Return::Compliance => {
            uc::compliance(&store, &args.org, range)
                .await
                .map(|r| match args.format {
                    Format::Csv => formats::compliance_csv(&r),
                    Format::Json => json(&formats::compliance_json(&r)),
                })
        }
        Return::Payments => uc::payments_over_threshold(&store, &args.org, range)
            .await
            .map(|r| match args.format {
                Format::Csv => formats::payments_csv(&r),
                Format::Json => json(&formats::payments_json(&r)),
            }),
    };
    store.close().await;
    emit(args.out.as_deref(), &text?)?;
    Ok(ExitCode::SUCCESS)
}
