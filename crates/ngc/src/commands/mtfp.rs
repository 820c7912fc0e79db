//! `ngc mtfp report` and `ngc mtfp simulate`.

use super::open_store;
use crate::config::Config;
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use ngc_domain::finance::evidence::Evidenced;
use ngc_domain::finance::mtfp::{Plan, ReportOptions, report_with};
use ngc_domain::finance::referendum::Principles;
use ngc_domain::finance::risk::{SimulationOptions, simulate};
use ngc_domain::finance::statement::{LineStyle, Statement, statement};
use ngc_domain::money::Money;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum MtfpCommand {
    /// The plan year by year: base budget, pressures, savings, resources, gap, reserves.
    Report(ReportArgs),
    /// Monte-Carlo risk: the chance that reserves run out, and percentiles of gap and reserves.
    Simulate(SimulateArgs),
}

/// Which plan.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The plan's name (default: the organisation's first plan by name).
    #[arg(long)]
    plan: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SimulateFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    which: PlanArgs,
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormat,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Report one of the plan's named scenarios instead of the plan itself.
    #[arg(long)]
    scenario: Option<String>,
    /// Extra council tax referendum principles (CSV: year, authority_class, core_limit_pct,
    /// asc_precept_pct, cash_limit_gbp, confirmed, source) that add to or replace the shipped ones.
    #[arg(long, value_name = "FILE")]
    principles: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    which: PlanArgs,
    /// How many trials.
    #[arg(long)]
    trials: u32,
    /// The seed: the same seed gives the same result.
    #[arg(long, default_value_t = 2015)]
    seed: u64,
    /// Threads to share the trials (does not change the result; default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long, value_enum, default_value = "table")]
    format: SimulateFormat,
}

async fn load(config: &Config, which: &PlanArgs) -> anyhow::Result<Plan> {
    Ok(load_with_evidence(config, which).await?.0)
}

/// The plan, with what its savings' linked evidence shows.
async fn load_with_evidence(
    config: &Config,
    which: &PlanArgs,
) -> anyhow::Result<(Plan, Evidenced)> {
    let store = open_store(config).await?;
    if store.organisation_by_slug(&which.org).await?.is_none() {
        bail!("org: no organisation has the slug `{}`", which.org);
    }
    let summary = store
        .list_plans(&which.org)
        .await?
        .into_iter()
        .find(|p| which.plan.as_ref().is_none_or(|n| &p.name == n));
    let found = match summary {
        Some(s) => {
            let plan = store.plan_by_id(s.id).await?;
            let links = store.saving_links(s.id).await?;
            let evidenced = Evidenced::from_links(&links, &plan.savings, &plan.plan_years());
            Some((plan, evidenced))
        }
        None => None,
    };
    store.close().await;
    found.with_context(|| match &which.plan {
        Some(name) => format!("plan: `{}` has no plan named `{name}`", which.org),
        None => format!(
            "plan: `{}` has no plans; import one with `ngc import pack`",
            which.org
        ),
    })
}

/// Writes `text` to the file or standard output, the file whole or not at all.
pub(crate) fn emit(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            let tmp = path.with_extension("partial");
            std::fs::write(&tmp, text)
                .with_context(|| format!("{}: cannot write", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}

/// Runs an MTFP command.
pub async fn run(config: &Config, cmd: MtfpCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        MtfpCommand::Report(args) => {
            let (mut plan, evidenced) = load_with_evidence(config, &args.which).await?;
            if let Some(name) = &args.scenario {
                let scenario = plan
                    .scenarios
                    .iter()
                    .find(|s| &s.name == name)
                    .with_context(|| {
                        let names: Vec<&str> =
                            plan.scenarios.iter().map(|s| s.name.as_str()).collect();
                        format!(
                            "scenario: `{}` has no scenario `{name}` (it has: {})",
                            plan.name,
                            names.join(", ")
                        )
                    })?;
                plan = ngc_domain::finance::scenario::apply(&plan, scenario)?;
            }
            let mut options = ReportOptions {
                evidenced,
                ..ReportOptions::on(config.clock().today())
            };
            if let Some(path) = &args.principles {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("{}: cannot read", path.display()))?;
                let extra = Principles::from_csv_str(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                options.principles = options.principles.extended_with(extra);
            }
            let r = report_with(&plan, &options);
            match args.format {
                ReportFormat::Json => emit(
                    args.out.as_deref(),
                    &(serde_json::to_string_pretty(&r)? + "\n"),
                )?,
                ReportFormat::Table => {
                    emit(args.out.as_deref(), &table(&statement(&plan, &r), &r))?
                }
                ReportFormat::Csv => {
                    let mut buf = Vec::new();
                    ngc_io::export::statement_csv(&statement(&plan, &r), &mut buf)?;
                    emit(args.out.as_deref(), &String::from_utf8(buf)?)?;
                }
                ReportFormat::Xlsx => {
                    let out = args
                        .out
                        .as_deref()
                        .context("--out FILE is needed for xlsx")?;
                    ngc_io::export::statement_xlsx(&statement(&plan, &r), out)?;
                }
            }
        }
        MtfpCommand::Simulate(args) => {
            let plan = load(config, &args.which).await?;
            let mut options = SimulationOptions::new(args.trials, args.seed);
            options.threads = args
                .threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
            let sim = simulate(&plan, &options)?;
            match args.format {
                SimulateFormat::Json => {
                    let doc = serde_json::json!({
                        "organisation": plan.organisation, "plan": plan.name,
                        "trials": sim.trials, "seed": sim.seed, "years": sim.years,
                    });
                    println!("{}", serde_json::to_string_pretty(&doc)?);
                }
                SimulateFormat::Table => {
                    println!(
                        "{} — {}: {} trials, seed {}",
                        plan.organisation, plan.name, sim.trials, sim.seed
                    );
                    println!(
                        "{:<8} {:>10} {:>10} {:>16} {:>16} {:>16} {:>16} {:>16} {:>16}",
                        "year",
                        "P(empty)",
                        "P(<min)",
                        "gap p5",
                        "gap p50",
                        "gap p95",
                        "reserves p5",
                        "reserves p50",
                        "reserves p95"
                    );
                    for y in &sim.years {
                        println!(
                            "{:<8} {:>9.1}% {:>9.1}% {:>16} {:>16} {:>16} {:>16} {:>16} {:>16}",
                            y.year.to_string(),
                            y.p_reserves_exhausted * 100.0,
                            y.p_below_minimum * 100.0,
                            y.gap_p5.fmt_gbp(),
                            y.gap_p50.fmt_gbp(),
                            y.gap_p95.fmt_gbp(),
                            y.reserves_p5.fmt_gbp(),
                            y.reserves_p50.fmt_gbp(),
                            y.reserves_p95.fmt_gbp()
                        );
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The statement as a text table, then council tax and the warnings.
fn table(s: &Statement, r: &ngc_domain::finance::mtfp::Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} (£)", s.organisation, s.plan);
    let _ = write!(out, "{:<40}", "");
    for y in &s.years {
        let _ = write!(out, " {:>16}", y.to_string());
    }
    out.push('\n');
    for section in &s.sections {
        let _ = writeln!(out, "\n{}", section.heading.to_uppercase());
        for line in &section.lines {
            let label = if line.style == LineStyle::Total {
                line.label.to_uppercase()
            } else {
                format!("  {}", line.label)
            };
            let _ = write!(out, "{label:<40}");
            for v in &line.values {
                let _ = write!(out, " {:>16}", money(*v));
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "\nCOUNCIL TAX");
    for c in &r.council_tax {
        let limit = c
            .referendum_limit_pct
            .map_or("no principle".to_owned(), |l| format!("limit {l}%"));
        let verdict = if c.within_limit {
            "within the limit"
        } else {
            "REFERENDUM"
        };
        let _ = writeln!(
            out,
            "  {}  Band D {}  {:+}%  ({limit}, {verdict})  tax base {}  requirement {}{}",
            c.year,
            c.band_d.fmt_gbp(),
            c.increase_pct,
            c.tax_base,
            c.requirement.fmt_gbp(),
            if c.requirement_set { " (set)" } else { "" }
        );
    }
    let _ = writeln!(out, "  {}", ngc_domain::finance::council_tax::RULE);
    let _ = writeln!(
        out,
        "\nOver the plan: pressures {}, savings {}, change in government funding {}",
        r.totals.pressures.fmt_gbp(),
        r.totals.savings.fmt_gbp(),
        r.totals.government_funding_change.fmt_gbp()
    );
    if r.warnings.is_empty() {
        let _ = writeln!(out, "\nNo section 114 warnings.");
    } else {
        let _ = writeln!(out, "\nSECTION 114 EARLY WARNINGS");
        for w in &r.warnings {
            let _ = writeln!(out, "  {} {}: {}", w.year, w.kind, w.message);
        }
    }
    out
}

fn money(m: Money) -> String {
    m.fmt_gbp().trim_start_matches('£').replace("-£", "-")
}
