//! `ngc import spend`: an organisation's "expenditure over £500" files. Every file is read
//! first; if any has a problem, every problem is reported and nothing is imported. Each file
//! imported is posted to the ledger as summarised journals.

use super::open_store;
use crate::config::Config;
use ngc_app::Caller;
use ngc_domain::spend::journals::ExpenseCodes;
use ngc_io::spend::expense_codes::read_expense_codes;
use ngc_io::spend::layout::Mapping;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The files that say how to read the spend files and where to charge their lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Paths<'a> {
    /// The layout mapping (TOML).
    pub mapping: Option<&'a Path>,
    /// The expense-code mapping (CSV).
    pub expense_codes: Option<&'a Path>,
}

/// Reads every file, then imports each (once by its content).
pub async fn import(
    config: &Config,
    files: &[PathBuf],
    org: &str,
    paths: Paths<'_>,
    replaces: Option<i64>,
) -> anyhow::Result<ExitCode> {
    if replaces.is_some() && files.len() != 1 {
        anyhow::bail!("replaces: a corrected file stands in for one earlier import: give one file");
    }
    let mapping = paths.mapping.map(Mapping::read).transpose()?;
    let codes = match paths.expense_codes {
        Some(p) => match read_expense_codes(p) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{e}");
                eprintln!("nothing was imported");
                return Ok(ExitCode::FAILURE);
            }
        },
        None => ExpenseCodes::default(),
    };
    let mut read = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for file in files {
        match ngc_io::spend::read_spend(file, mapping.as_ref()) {
            Ok(f) => read.push((file, f)),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        eprintln!("{}", problems.join("\n"));
        eprintln!("nothing was imported");
        return Ok(ExitCode::FAILURE);
    }
    let store = open_store(config).await?;
    for (path, file) in &read {
        let outcome = ngc_app::spend::import(&store, &Caller::System, org, file, &codes, replaces)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                store.close().await;
                return Err(e);
            }
        };
        let i = &outcome.import;
        if !outcome.added {
            println!(
                "{}: the same content as import {} ({}): nothing added",
                path.display(),
                i.id,
                i.file_name
            );
            continue;
        }
        let dates = match (i.first_paid_on, i.last_paid_on) {
            (Some(f), Some(l)) => format!(", paid {f} to {l}"),
            _ => String::new(),
        };
        println!(
            "imported {} as import {}: {} lines ({} repeating another in full, {} redacted){dates}, \
             net {}",
            path.display(),
            i.id,
            i.lines,
            i.repeats,
            i.redacted,
            ngc_domain::money::Money::pence(i.net_total).fmt_gbp()
        );
        println!(
            "posted {} summarised journals to the ledger (one per month and account){}",
            outcome.journals,
            if outcome.reversed > 0 {
                format!(
                    "; reversed the {} journals of the replaced import",
                    outcome.reversed
                )
            } else {
                String::new()
            }
        );
        for o in &outcome.overlaps {
            println!(
                "warning: its dates overlap import {} ({}, paid {} to {}); if it corrects that \
                 file, import it with --replaces {}",
                o.id,
                o.file_name,
                o.first_paid_on.map(|d| d.to_string()).unwrap_or_default(),
                o.last_paid_on.map(|d| d.to_string()).unwrap_or_default(),
                o.id
            );
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
