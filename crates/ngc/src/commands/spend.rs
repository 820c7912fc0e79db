//! `ngc import spend`: an organisation's "expenditure over £500" files, one after another:
//! each is read and stored as it is read, a batch of lines at a time, in one transaction that
//! commits only once the whole file has read, and posted to the ledger as summarised journals,
//! so only a few batches of lines are held at a time. A file with a problem is
//! imported not at all: every bad row is reported, the other files are still imported, and
//! the command fails. Giving the same files again imports only those not yet imported (a file
//! is known by its content).

use super::open_store;
use crate::config::Config;
use ngc_app::Caller;
use ngc_app::spend::SpendImportError;
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

/// Reads and imports each file in turn (once by its content).
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
    let store = open_store(config).await?;
    let mut refused = Vec::new();
    for path in files {
        let source = match ngc_io::spend::open(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{e}");
                refused.push(path.display().to_string());
                continue;
            }
        };
        let outcome = ngc_app::spend::import(
            &store,
            &Caller::System,
            org,
            source,
            mapping.as_ref(),
            &codes,
            replaces,
        )
        .await;
        let outcome = match outcome {
            Ok(o) => o,
            Err(SpendImportError::Unreadable(e)) => {
                eprintln!("{e}");
                refused.push(path.display().to_string());
                continue;
            }
            Err(SpendImportError::Refused(e)) => {
                store.close().await;
                return Err(anyhow::anyhow!("{}: {e}", path.display()));
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
    if !refused.is_empty() {
        eprintln!(
            "nothing was imported from {}: a file is imported whole or not at all{}",
            refused.join(", "),
            if refused.len() < files.len() {
                "; the other files were imported"
            } else {
                ""
            }
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
