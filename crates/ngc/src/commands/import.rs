//! `ngc import …`.

use super::open_store;
use crate::cli::ImportCommand;
use crate::config::Config;
use ngc_store::Actor;
use ngc_store::pack::{LoadMode, LoadSummary};
use std::process::ExitCode;

/// Runs an import.
pub async fn run(config: &Config, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ImportCommand::Pack { dir, replace } => {
            let pack = ngc_io::pack::read_pack(&dir)?;
            let store = open_store(config).await?;
            let mode = if replace {
                LoadMode::Replace
            } else {
                LoadMode::Merge
            };
            let summary = store.load_pack_with(&pack, mode, &Actor::system()).await;
            store.close().await;
            println!("{}", describe(&pack.name, &summary?));
            Ok(ExitCode::SUCCESS)
        }
        ImportCommand::Budget { file, org } => {
            let lines = ngc_io::finance::read_budget(&file)?;
            let store = open_store(config).await?;
            let n = store
                .import_budget(&org, &lines, &Actor::system())
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            store.close().await;
            println!(
                "imported {n} budget lines for `{org}` from {}",
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        ImportCommand::Accounts { file } => {
            let lines: Vec<_> = ngc_io::finance::read_accounts(&file)?
                .into_iter()
                .map(|l| ngc_app::providers::ImportedAccounts {
                    line: l.line,
                    provider: l.provider,
                    accounts: ngc_store::providers::NewAccounts {
                        year_end: l.year_end,
                        turnover: l.turnover,
                        net_assets: l.net_assets,
                        reserves: l.reserves,
                        filed_on: l.filed_on,
                    },
                })
                .collect();
            let store = open_store(config).await?;
            let n = ngc_app::providers::import_accounts(&store, &ngc_app::Caller::System, &lines)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()));
            store.close().await;
            println!(
                "imported {} providers' accounts from {}",
                n?,
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        ImportCommand::SharedServices { file, partnership } => {
            let agreement = ngc_io::shared_services::read_shared_services(&file)?;
            let store = open_store(config).await?;
            let summary = ngc_app::shared_services::import(
                &store,
                &ngc_app::Caller::System,
                &partnership,
                agreement,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()));
            store.close().await;
            let s = summary?;
            println!(
                "imported {} into `{partnership}`: {} services, {} service years, {} index rates, \
                 {} baselines, {} published figures; {} earlier rows kept as superseded",
                file.display(),
                s.services,
                s.years,
                s.index_rates,
                s.baselines,
                s.published,
                s.superseded
            );
            Ok(ExitCode::SUCCESS)
        }
        ImportCommand::OpeningBalances { file, org, on } => {
            let lines: Vec<_> = ngc_io::ledger::read_opening_balances(&file)?
                .into_iter()
                .map(|l| {
                    let source = ngc_domain::ledger::Source {
                        kind: ngc_domain::ledger::SourceKind::OpeningBalance,
                        reference: l.source,
                    };
                    let posting = ngc_domain::ledger::Posting {
                        account: l.account,
                        side: l.side,
                        amount: l.amount,
                        source,
                    };
                    (l.line, posting)
                })
                .collect();
            let store = open_store(config).await?;
            let posted =
                ngc_app::ledger::opening::post(&store, &ngc_app::Caller::System, &org, on, &lines)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()));
            store.close().await;
            let p = posted?;
            println!(
                "{} opening balances of `{org}` at {} from {} as journal {}: {} lines, {} each side",
                if p.created {
                    "posted"
                } else {
                    "already posted:"
                },
                p.journal.journal.date,
                file.display(),
                p.journal.id,
                p.journal.journal.postings().len(),
                p.journal.journal.total()
            );
            Ok(ExitCode::SUCCESS)
        }
        ImportCommand::Returns { files } => super::resilience::import(config, &files).await,
        ImportCommand::Spend {
            files,
            org,
            mapping,
            expense_codes,
            replaces,
        } => {
            let paths = super::spend::Paths {
                mapping: mapping.as_deref(),
                expense_codes: expense_codes.as_deref(),
            };
            super::spend::import(config, &files, &org, paths, replaces).await
        }
        ImportCommand::Actuals { file, org, mapping } => {
            super::actuals::import(config, &file, &org, mapping.as_deref()).await
        }
        ImportCommand::Grants { file, org } => {
            let grants = ngc_io::grants::read_grants(&file)?;
            let store = open_store(config).await?;
            let name = file.display().to_string();
            let stored = ngc_app::transparency::import_grants(
                &store,
                &ngc_app::Caller::System,
                &org,
                &name,
                &grants,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{name}: {e}"));
            store.close().await;
            let stored = stored?;
            println!(
                "{name}: {} grants for `{org}`: {} added, {} changed (earlier versions kept), {} \
                 unchanged",
                grants.len(),
                stored.added,
                stored.changed,
                stored.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What loading the pack `name` did, in one line.
pub fn describe(name: &str, s: &LoadSummary) -> String {
    if s.same_content {
        return format!(
            "pack `{name}` is the same as the last import (sha256 {}): nothing changed",
            s.content_sha256
        );
    }
    format!(
        "loaded pack `{name}`: {} organisations created, {} updated; {} partnerships created, \
         {} updated; {} memberships created, {} updated; {} plans created, {} merged, {} replaced; \
         {} unchanged",
        s.organisations_created,
        s.organisations_updated,
        s.partnerships_created,
        s.partnerships_updated,
        s.memberships_created,
        s.memberships_updated,
        s.plans_created,
        s.plans_merged,
        s.plans_replaced,
        s.unchanged
    )
}
