//! `ngc export …`: published returns as files, the same bytes as the downloads under
//! `/open-data/{org}/`. `payment-performance compliance|payments` writes a council's payments
//! compliance figures (PA2023 s69) or its payments over £30,000 (s70) as CSV or JSON;
//! `transparency spend|card|contracts|tenders|grants` a Transparency Code dataset as CSV
//! (with its CSVW metadata beside a file) or JSON (360Giving for grants).

use super::mtfp::emit;
use super::open_store;
use crate::config::Config;
use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use ngc_app::payment_performance::{self as uc, Range, formats};
use ngc_app::transparency::{self as open, Written};
use ngc_domain::transparency::{Dataset, Period};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A council's payment performance return: `compliance` (each six-month period's
    /// payments compliance figures, PA2023 s69) or `payments` (each quarter's payments over
    /// £30,000, s70).
    PaymentPerformance(PaymentPerformanceArgs),
    /// A Local Government Transparency Code dataset of an organisation, made from its
    /// records: `spend` (expenditure over £500), `card` (procurement-card transactions),
    /// `contracts` and `tenders` (over £5,000) or `grants` (to VCSE organisations).
    Transparency(TransparencyArgs),
}

/// Which Transparency Code dataset.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WhichDataset {
    Spend,
    Card,
    Contracts,
    Tenders,
    Grants,
}

impl From<WhichDataset> for Dataset {
    fn from(d: WhichDataset) -> Dataset {
        match d {
            WhichDataset::Spend => Dataset::Spend,
            WhichDataset::Card => Dataset::Card,
            WhichDataset::Contracts => Dataset::Contracts,
            WhichDataset::Tenders => Dataset::Tenders,
            WhichDataset::Grants => Dataset::Grants,
        }
    }
}

#[derive(Debug, Args)]
pub struct TransparencyArgs {
    #[arg(value_enum)]
    dataset: WhichDataset,
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The first day (YYYY-MM-DD) [default: the start of the financial year of --to, or of
    /// today].
    #[arg(long)]
    from: Option<NaiveDate>,
    /// The last day (YYYY-MM-DD) [default: the end of the financial year of --from].
    #[arg(long)]
    to: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// The file to write, whole or not at all, with `FILE-metadata.json` (CSVW) beside a CSV
    /// [default: standard output].
    #[arg(long)]
    out: Option<PathBuf>,
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
    let args = match cmd {
        ExportCommand::PaymentPerformance(args) => args,
        ExportCommand::Transparency(args) => return transparency(config, args).await,
    };
    let store = open_store(config).await?;
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

/// Writes a dataset to `path` whole (through a `.partial` file renamed into place) or to
/// standard output.
async fn write_to(
    store: &ngc_store::Store,
    args: &TransparencyArgs,
    period: Period,
    format: open::Format,
    path: Option<&Path>,
) -> anyhow::Result<Written> {
    let dataset = Dataset::from(args.dataset);
    match path {
        Some(path) => {
            let tmp = path.with_extension("partial");
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("{}: cannot write", tmp.display()))?;
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, file);
            let written = open::write(store, &args.org, dataset, period, format, &mut w).await;
            let done = written.map_err(anyhow::Error::from).and_then(|w2| {
                w.flush()?;
                Ok(w2)
            });
            match done {
                Ok(written) => {
                    std::fs::rename(&tmp, path)
                        .with_context(|| format!("{}: cannot write", path.display()))?;
                    Ok(written)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e)
                }
            }
        }
        None => {
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout());
            let written = open::write(store, &args.org, dataset, period, format, &mut w).await?;
            w.flush()?;
            Ok(written)
        }
    }
}

/// Runs `ngc export transparency …`.
async fn transparency(config: &Config, args: TransparencyArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let period = Period::asked(args.from, args.to, config.clock().today());
    let format = match args.format {
        Format::Csv => open::Format::Csv,
        Format::Json => open::Format::Json,
    };
    let out = args.out.clone();
    let written = write_to(&store, &args, period, format, out.as_deref()).await;
    let metadata = match (&written, &out, format) {
        (Ok(w), Some(path), open::Format::Csv) => {
            let url = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some(open::csvw(&store, &args.org, w.dataset, &url).await)
        }
        _ => None,
    };
    store.close().await;
    let written = written?;
    if let (Some(m), Some(path)) = (metadata, &out) {
        let mut name = path.as_os_str().to_owned();
        name.push("-metadata.json");
        let text = format!("{}\n", serde_json::to_string_pretty(&m?)?);
        emit(Some(Path::new(&name)), &text)?;
    }
    let redacted = written.redactions.total();
    eprintln!(
        "`{}`, {}, {} to {}: {} rows{}",
        args.org,
        written.dataset.label(),
        written.from,
        written.to,
        written.rows,
        if redacted > 0 {
            format!(
                "; {redacted} beneficiaries redacted (personal data): {} by the council, {}",
                written.redactions.at_source,
                written
                    .redactions
                    .by_rule
                    .iter()
                    .map(|(r, n)| format!("{n} by rule {r}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}
