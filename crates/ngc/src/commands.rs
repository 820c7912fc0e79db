//! One module per command; each opens what it needs and reports in one line.

mod actuals;
mod audit;
mod backup;
pub mod contracts;
mod demo;
pub mod export;
pub mod grants;
pub mod import;
pub mod joint_working;
pub mod ledger;
pub mod mtfp;
pub mod ocds;
pub mod ocds_export;
pub mod plan;
pub mod procurement;
pub mod resilience;
mod serve;
pub mod shared_services;
mod spend;
mod user;

use crate::cli::Command;
use crate::config::Config;
use anyhow::{Context, bail};
use ngc_store::{BackendKind, Store};
use std::process::ExitCode;

/// Runs a command.
pub async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(bind) => serve::run(&config, bind.bind.as_deref()).await,
        Command::Demo {
            bind,
            load_only,
            pack,
            allow_demo_passwords,
        } => {
            let addr = config.bind(bind.bind.as_deref());
            if !load_only && !allow_demo_passwords && !demo::is_loopback(&addr) {
                anyhow::bail!(
                    "ngc demo: refusing to serve the demo's known passwords on {addr}, outside \
                     loopback; bind to 127.0.0.1, or pass --allow-demo-passwords if that is intended"
                );
            }
            demo::run(&config, bind.bind.as_deref(), load_only, pack).await
        }
        Command::Migrate => {
            let store = Store::open_and_migrate(&config.database_url)
                .await
                .with_context(|| format!("migrating {}", config.redacted_url()))?;
            println!("database {} is up to date", config.redacted_url());
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => user::run(&config, cmd).await,
        Command::Import(cmd) => import::run(&config, cmd).await,
        Command::Audit(cmd) => audit::run(&config, cmd).await,
        Command::Mtfp(cmd) => mtfp::run(&config, cmd).await,
        Command::Plan(cmd) => plan::run(&config, cmd).await,
        Command::Resilience(args) => resilience::run(&config, args).await,
        Command::Ocds(cmd) => ocds::run(&config, cmd).await,
        Command::Procurement(cmd) => procurement::run(cmd),
        Command::Contracts(cmd) => contracts::run(&config, cmd).await,
        Command::SharedServices(cmd) => shared_services::run(&config, cmd).await,
        Command::JointWorking(cmd) => joint_working::run(&config, cmd).await,
        Command::Ledger(cmd) => ledger::run(&config, cmd).await,
        Command::Export(cmd) => export::run(&config, cmd).await,
        Command::Grants(cmd) => grants::run(&config, cmd).await,
        Command::Backup { out } => backup::backup(&config, &out).await,
        Command::Restore { file } => backup::restore(&config, &file).await,
    }
}

/// Opens the configured database; PostgreSQL must have been migrated with `ngc migrate`.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = config.configure(
        Store::open(&config.database_url)
            .await
            .with_context(|| format!("opening {}", config.redacted_url()))?,
    );
    if store.kind() == BackendKind::Postgres {
        let pending = store.pending_migrations().await?;
        if !pending.is_empty() {
            bail!(
                "{} needs migrations {pending:?}: run `ngc migrate --database-url …` first",
                config.redacted_url()
            );
        }
    }
    Ok(store)
}
