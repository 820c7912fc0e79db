//! `ngc procurement rules` and `ngc procurement standstill`: the procurement rules of the day,
//! from data shipped in the binary (no database).
//!
//! Values are parsed here rather than by clap so that a bad value gives one line naming its
//! flag and exit status 1; a missing or unknown flag is bad usage (clap, exit status 2).

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand, ValueEnum};
use ngc_domain::money::Money;
use ngc_domain::procurement::cpv::{CpvCode, CpvList, CpvRange};
use ngc_domain::procurement::{
    BankHolidays, ContractType, Procedure, Regime, RulesAnswer, RulesData, RulesQuery, Standstill,
    VatBasis, rules, standstill,
};
use std::process::ExitCode;

/// Procurement commands.
#[derive(Debug, Subcommand)]
pub enum ProcurementCommand {
    /// The rules for a procurement: regime, threshold, procedures, minimum tender period,
    /// notices and standstill.
    Rules(RulesArgs),
    /// When standstill ends and the contract may be entered into.
    Standstill(StandstillArgs),
    /// Whether a CPV code is a light-touch service, and reservable for public service mutuals,
    /// under the regime of a date.
    Cpv(CpvArgs),
}

/// Options of `ngc procurement cpv`.
#[derive(Debug, Args)]
pub struct CpvArgs {
    /// The CPV code: 8 digits, optionally with its check digit (85311000-2).
    #[arg(long)]
    code: String,
    /// The commencement date (YYYY-MM-DD) that decides the regime.
    #[arg(long, value_name = "DATE")]
    start: String,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// The answer of `ngc procurement cpv`.
#[derive(Debug, serde::Serialize)]
struct CpvAnswer<'a> {
    code: CpvCode,
    regime: Regime,
    light_touch: bool,
    light_touch_entry: Option<&'a CpvRange>,
    reservable: bool,
    reservable_entry: Option<&'a CpvRange>,
}

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Options of `ngc procurement rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The estimated value, a decimal amount in pounds (e.g. 250000 or 250000.00).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    value: String,
    /// supplies, services, works or light-touch.
    #[arg(long, value_name = "TYPE")]
    contract_type: String,
    /// The commencement date (YYYY-MM-DD): the day the contract or tender notice is sent.
    #[arg(long, value_name = "DATE")]
    start: String,
    /// The value includes VAT (default: it excludes VAT).
    #[arg(long)]
    vat_inclusive: bool,
    /// The procedure to give the minimum tender period for (default: the first available):
    /// open, restricted, competitive_with_negotiation, light_touch, below_threshold_quotes,
    /// competitive_flexible, direct_award, below_threshold or exempt.
    #[arg(long, value_name = "P")]
    procedure: Option<String>,
    /// Whether tenders may be submitted electronically (true or false; default true).
    #[arg(long, value_name = "BOOL", default_value = "true")]
    electronic: String,
    /// Whether the procurement documents go with the notice (true or false; default true).
    #[arg(long, value_name = "BOOL", default_value = "true")]
    documents_with_notice: String,
    /// The day a planned procurement notice (UK3) or prior information notice was published.
    #[arg(long, value_name = "DATE")]
    after_planned_notice: Option<String>,
    /// Urgency makes the usual time limits impractical.
    #[arg(long)]
    urgent: bool,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Options of `ngc procurement standstill`.
#[derive(Debug, Args)]
pub struct StandstillArgs {
    /// pcr2015 or pa2023.
    #[arg(long)]
    regime: String,
    /// The day the award decision is sent (PCR 2015) or the contract award notice is
    /// published (PA2023), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    from: String,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Runs a procurement command.
pub fn run(command: ProcurementCommand) -> anyhow::Result<ExitCode> {
    match command {
        ProcurementCommand::Rules(args) => run_rules(&args),
        ProcurementCommand::Standstill(args) => run_standstill(&args),
        ProcurementCommand::Cpv(args) => run_cpv(&args),
    }
}

fn date(flag: &str, text: &str) -> anyhow::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| anyhow!("--{flag}: `{text}` is not a date (YYYY-MM-DD)"))
}

fn boolean(flag: &str, text: &str) -> anyhow::Result<bool> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(anyhow!("--{flag}: `{text}`: expected true or false")),
    }
}

fn query(args: &RulesArgs) -> anyhow::Result<RulesQuery> {
    let value: Money = args.value.parse().map_err(|e| anyhow!("--value: {e}"))?;
    let contract_type = match args.contract_type.as_str() {
        "light-touch" => ContractType::LightTouch,
        "light_touch" => ContractType::LightTouch,
        other => other.parse().map_err(|_| {
            anyhow!("--contract-type: `{other}`: expected supplies, services, works or light-touch")
        })?,
    };
    let procedure = args
        .procedure
        .as_deref()
        .map(|p| p.parse::<Procedure>())
        .transpose()
        .map_err(|e| anyhow!("--procedure: {e}"))?;
    Ok(RulesQuery {
        value,
        value_basis: if args.vat_inclusive {
            VatBasis::IncludingVat
        } else {
            VatBasis::ExcludingVat
        },
        contract_type,
        start: date("start", &args.start)?,
        procedure,
        electronic: boolean("electronic", &args.electronic)?,
        documents_with_notice: boolean("documents-with-notice", &args.documents_with_notice)?,
        planned_notice: args
            .after_planned_notice
            .as_deref()
            .map(|d| date("after-planned-notice", d))
            .transpose()?,
        urgent: args.urgent,
    })
}

fn run_rules(args: &RulesArgs) -> anyhow::Result<ExitCode> {
    let q = query(args)?;
    let answer = rules(&q, &RulesData::shipped())
        .map_err(|e| anyhow!("--{}: {e}", e.field().replace('_', "-")))?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&answer).context("JSON")?),
        Format::Table => print!("{}", rules_table(&answer)),
    }
    Ok(ExitCode::SUCCESS)
}

fn rules_table(a: &RulesAnswer) -> String {
    let join = |items: Vec<&str>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items.join(", ")
        }
    };
    let rows = [
        ("regime", a.regime.to_string()),
        ("threshold", a.threshold.to_string()),
        ("threshold_basis", a.threshold_basis.to_string()),
        ("above_threshold", a.above_threshold.to_string()),
        ("value_comparison", a.value_comparison.clone()),
        (
            "procedures",
            join(a.procedures.iter().map(|p| p.as_str()).collect()),
        ),
        (
            "minimum_tender_period_days",
            a.minimum_tender_period_days
                .map_or_else(|| "none".into(), |d| d.to_string()),
        ),
        (
            "minimum_tender_period_basis",
            a.minimum_tender_period_basis.clone(),
        ),
        (
            "notices",
            join(a.notices.iter().map(|n| n.as_str()).collect()),
        ),
        ("standstill_rule", a.standstill_rule.clone()),
    ];
    let mut out = String::new();
    for (name, value) in rows {
        out.push_str(&format!("{name:<28} {value}\n"));
    }
    for (i, source) in a.sources.iter().enumerate() {
        let name = if i == 0 { "sources" } else { "" };
        out.push_str(&format!("{name:<28} {source}\n"));
    }
    out
}

fn run_standstill(args: &StandstillArgs) -> anyhow::Result<ExitCode> {
    let regime: Regime = args.regime.parse().map_err(|e| anyhow!("--regime: {e}"))?;
    let from = date("from", &args.from)?;
    let s: Standstill =
        standstill(regime, from, &BankHolidays::shipped()).map_err(|e| anyhow!("--from: {e}"))?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&s).context("JSON")?),
        Format::Table => {
            println!("{:<24} {}", "regime", s.regime);
            println!("{:<24} {}", "from", s.from);
            println!("{:<24} {}", "ends_on", s.ends_on);
            println!(
                "{:<24} {}",
                "earliest_contract_date", s.earliest_contract_date
            );
            println!("{:<24} {}", "rule", s.rule);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_cpv(args: &CpvArgs) -> anyhow::Result<ExitCode> {
    let code: CpvCode = args.code.parse().map_err(|e| anyhow!("--code: {e}"))?;
    let regime = Regime::for_commencement(date("start", &args.start)?);
    let (light, reservable) = (CpvList::light_touch(), CpvList::reservable());
    let answer = CpvAnswer {
        code,
        regime,
        light_touch_entry: light.find(regime, code),
        light_touch: light.find(regime, code).is_some(),
        reservable_entry: reservable.find(regime, code),
        reservable: reservable.find(regime, code).is_some(),
    };
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&answer).context("JSON")?),
        Format::Table => {
            let entry = |e: Option<&CpvRange>| match e {
                None => "no".to_owned(),
                Some(r) => format!(
                    "yes: {} to {} ({}); {}",
                    r.from, r.to, r.description, r.source
                ),
            };
            println!("{:<12} {}", "code", answer.code);
            println!("{:<12} {}", "regime", answer.regime);
            println!("{:<12} {}", "light_touch", entry(answer.light_touch_entry));
            println!("{:<12} {}", "reservable", entry(answer.reservable_entry));
        }
    }
    Ok(ExitCode::SUCCESS)
}
