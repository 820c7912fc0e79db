//! `ngc import …`.

use super::open_store;
use crate::cli::ImportCommand;
use crate::config::Config;
use ngc_store::Actor;
use std::process::ExitCode;

/// Runs an import.
pub async fn run(config: &Config, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ImportCommand::Pack { dir } => {
            let pack = ngc_io::pack::read_pack(&dir)?;
            let store = open_store(config).await?;
            let summary = store.load_pack(&pack, &Actor::system()).await?;
            println!(
                "loaded pack `{}`: {} organisations created, {} updated; {} partnerships created, {} updated; \
                 {} memberships created; {} plans created, {} replaced; {} unchanged",
                pack.name,
                summary.organisations_created,
                summary.organisations_updated,
                summary.partnerships_created,
                summary.partnerships_updated,
                summary.memberships_created,
                summary.plans_created,
                summary.plans_replaced,
                summary.unchanged
            );
            store.close().await;
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
        ImportCommand::Returns { files } => super::resilience::import(config, &files).await,
    }
}
