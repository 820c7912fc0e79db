//! `ngc plan revisions` and `ngc plan restore`: a plan's numbered revisions.

use super::open_store;
use crate::config::Config;
use clap::{Args, Subcommand};
use ngc_app::{Caller, plan_revisions};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// List the revisions of an organisation's plans (or one plan), newest first.
    Revisions(RevisionsArgs),
    /// Restore a revision of a plan: its content becomes the plan's, as a new revision.
    Restore(RestoreArgs),
}

#[derive(Debug, Args)]
pub struct RevisionsArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The plan's name (default: every plan of the organisation).
    #[arg(long)]
    plan: Option<String>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The plan's name.
    #[arg(long)]
    plan: String,
    /// The revision to restore.
    #[arg(long)]
    revision: i64,
}

/// Runs `ngc plan …`.
pub async fn run(config: &Config, cmd: PlanCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let result = match cmd {
        PlanCommand::Revisions(args) => revisions(&store, args).await,
        PlanCommand::Restore(args) => {
            let revision = plan_revisions::restore(
                &store,
                &Caller::System,
                &args.org,
                &args.plan,
                args.revision,
            )
            .await;
            revision.map_err(anyhow::Error::from).map(|n| {
                println!(
                    "restored revision {} of `{}` as revision {n}",
                    args.revision, args.plan
                );
            })
        }
    };
    store.close().await;
    result?;
    Ok(ExitCode::SUCCESS)
}

async fn revisions(store: &ngc_store::Store, args: RevisionsArgs) -> anyhow::Result<()> {
    let names = match args.plan {
        Some(name) => vec![name],
        None => {
            let plans = store.list_plans(&args.org).await?;
            if plans.is_empty() && store.organisation_by_slug(&args.org).await?.is_none() {
                anyhow::bail!("organisation `{}` not found", args.org);
            }
            plans.into_iter().map(|p| p.name).collect()
        }
    };
    for name in names {
        let list = plan_revisions::list(store, &Caller::System, &args.org, &name).await?;
        println!("{name}");
        for r in list {
            println!(
                "  {:>4}  {}  {:<16}  {}",
                r.number,
                r.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                r.reason,
                r.actor_email.as_deref().unwrap_or("system")
            );
        }
    }
    Ok(())
}
