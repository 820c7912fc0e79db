//! `ngc ledger …`: an organisation's trial balance at a date, posting a shared-service
//! partnership's recharges for a year, posting spend imported before the ledger took it,
//! budget against actual, and the budget's virements and monthly profiles.
//! Opening balances are `ngc import opening-balances`.

use super::open_store;
use crate::config::Config;
use clap::{Args, Subcommand, ValueEnum};
use ngc_app::Caller;
use ngc_app::ledger::{self as uc, TrialBalanceView};
use ngc_domain::finance::FinancialYear;
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// The trial balance at the end of a day: each account's balance as a debit or a
    /// credit, and the two totals (equal).
    TrialBalance(TrialBalanceArgs),
    /// Post a shared-service partnership's recharges for a year: each partner's net charge
    /// (Dr expenditure, Cr creditors) and the host's income (Dr debtors, Cr income); posting
    /// again changes nothing.
    PostRecharges(PostRechargesArgs),
    /// Post spend imported before the ledger took spend: the lines of the organisation's
    /// current imports that carry no account, charged by the expense-code mapping, as the
    /// summarised journals an import posts now; posting again posts nothing.
    PostSpend(PostSpendArgs),
    /// Budget against actual for a financial year by service line and month, with the
    /// forecast outturn (the officer's, else by the method) and the s114(3) in-year test.
    BudgetMonitoring(BudgetMonitoringArgs),
    /// Record a virement: budget moved from one service line to another from a month of
    /// the year to March (audited; undone only by the opposite virement).
    Virement(VirementArgs),
    /// Store a service line's monthly budget profile for a year: twelve weights, April to
    /// March (`--weights ""` goes back to flat twelfths; earlier profiles are kept).
    Profile(ProfileArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct TrialBalanceArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The day (YYYY-MM-DD); today by default.
    #[arg(long)]
    at: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct PostRechargesArgs {
    #[arg(long)]
    partnership: String,
    /// The financial year (`2015-16`).
    #[arg(long)]
    year: FinancialYear,
}

#[derive(Debug, Args)]
pub struct PostSpendArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// A CSV of `expense_code,service,subjective` choosing the accounts (as `ngc import
    /// spend --expense-codes`).
    #[arg(long)]
    expense_codes: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct BudgetMonitoringArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The financial year (`2016-17`).
    #[arg(long)]
    year: String,
    /// How lines without an officer's forecast are forecast: run_rate or budget_profile.
    #[arg(long, default_value = "run_rate")]
    method: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct VirementArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The financial year (`2016-17`).
    #[arg(long)]
    year: String,
    /// The month it takes effect from (`2016-10`); the year's first month by default.
    #[arg(long, default_value = "")]
    month: String,
    /// The service line the budget moves from.
    #[arg(long)]
    from: String,
    /// The service line the budget moves to.
    #[arg(long)]
    to: String,
    /// The amount in pounds.
    #[arg(long)]
    amount: String,
    /// Why.
    #[arg(long)]
    reason: String,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The financial year (`2016-17`).
    #[arg(long)]
    year: String,
    /// The service line.
    #[arg(long)]
    service: String,
    /// Twelve weights, April to March, separated by commas; blank withdraws the profile.
    #[arg(long)]
    weights: String,
    #[arg(long, default_value = "")]
    note: String,
}

/// Runs `ngc ledger …`.
pub async fn run(config: &Config, cmd: LedgerCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let outcome = match cmd {
        LedgerCommand::TrialBalance(args) => {
            uc::trial_balance(&store, &Caller::System, &args.org, args.at)
                .await
                .map(|tb| match args.format {
                    Format::Json => format!(
                        "{}\n",
                        serde_json::to_string_pretty(&tb).unwrap_or_default()
                    ),
                    Format::Table => table(&tb),
                })
        }
        LedgerCommand::PostRecharges(args) => {
            uc::recharges::post(&store, &Caller::System, &args.partnership, args.year)
                .await
                .map(|posted| {
                    let mut out = String::new();
                    for p in &posted {
                        let j = &p.posted.journal;
                        let _ = writeln!(
                            out,
                            "{} journal {} `{}` for {}: {}",
                            if p.posted.created {
                                "posted"
                            } else {
                                "already posted"
                            },
                            j.id,
                            j.journal.key,
                            p.organisation,
                            j.journal.total()
                        );
                    }
                    if posted.is_empty() {
                        out.push_str("nothing to post: every net charge is zero\n");
                    }
                    out
                })
        }
        LedgerCommand::PostSpend(args) => {
            let codes = match &args.expense_codes {
                Some(p) => ngc_io::spend::expense_codes::read_expense_codes(p)
                    .map_err(|e| anyhow::anyhow!("{e}\nnothing was posted"))?,
                None => ngc_domain::spend::journals::ExpenseCodes::default(),
            };
            ngc_app::spend::post_unposted(&store, &Caller::System, &args.org, &codes)
                .await
                .map(|posted| {
                    let mut out = String::new();
                    for (import, lines, journals) in &posted.imports {
                        let _ = writeln!(
                            out,
                            "posted import {import}: {lines} lines as {journals} summarised journals"
                        );
                    }
                    if posted.imports.is_empty() {
                        out.push_str("nothing to post: every current import is in the ledger\n");
                    }
                    out
                })
        }
        LedgerCommand::BudgetMonitoring(args) => {
            super::actuals::report(
                &store,
                &args.org,
                &args.year,
                &args.method,
                matches!(args.format, Format::Json),
            )
            .await
        }
        LedgerCommand::Virement(a) => {
            let input = ngc_app::monitoring::VirementInput {
                year: a.year,
                month: a.month,
                from: a.from,
                to: a.to,
                amount: a.amount,
                reason: a.reason,
            };
            ngc_app::monitoring::record_virement(&store, &Caller::System, &a.org, &input)
                .await
                .map(|id| format!("recorded virement {id}\n"))
        }
        LedgerCommand::Profile(a) => {
            let input = ngc_app::monitoring::ProfileInput {
                year: a.year,
                service: a.service,
                weights: a.weights,
                note: a.note,
            };
            ngc_app::monitoring::store_profile(&store, &Caller::System, &a.org, &input)
                .await
                .map(|id| format!("stored profile {id}\n"))
        }
    };
    store.close().await;
    print!("{}", outcome?);
    Ok(ExitCode::SUCCESS)
}

fn table(tb: &TrialBalanceView) -> String {
    let mut out = format!("Trial balance of {} at {}\n", tb.organisation, tb.at);
    let width = tb
        .trial_balance
        .accounts
        .iter()
        .map(|l| l.account.to_string().len())
        .max()
        .unwrap_or(7)
        .max(7);
    let _ = writeln!(
        out,
        "{:<width$} {:>16} {:>16}",
        "account", "debit", "credit"
    );
    for l in &tb.trial_balance.accounts {
        let _ = writeln!(
            out,
            "{:<width$} {:>16} {:>16}",
            l.account.to_string(),
            l.debit,
            l.credit
        );
    }
    let _ = writeln!(
        out,
        "{:<width$} {:>16} {:>16}",
        "total", tb.trial_balance.total_debit, tb.trial_balance.total_credit
    );
    out
}
