//! `ngc grants …`: the versions of a grant in an organisation's register, and restoring an
//! earlier one. Grants come in with `ngc import grants`; a changed grant gets a new version
//! and the earlier ones are kept.

use super::open_store;
use crate::config::Config;
use clap::{Args, Subcommand};
use ngc_app::Caller;
use ngc_domain::transparency::Grant;
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum GrantsCommand {
    /// Every version of a grant, the first recorded first (the last is current).
    Versions(GrantArgs),
    /// Make an earlier version of a grant current again, as a new version (every version is
    /// kept).
    Restore(RestoreArgs),
}

#[derive(Debug, Args)]
pub struct GrantArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The grant's identifier (360Giving's `Identifier`).
    #[arg(long)]
    grant: String,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    grant: GrantArgs,
    /// The version to restore, as `ngc grants versions` numbers them (1 is the first).
    #[arg(long)]
    version: usize,
}

fn line(out: &mut String, n: usize, g: &Grant, current: bool) {
    let _ = writeln!(
        out,
        "{n}{} {} to {} ({}), awarded {} on {}",
        if current { " (current)" } else { "" },
        g.title,
        g.recipient.name,
        g.recipient.identifier,
        g.amount_awarded.fmt_gbp(),
        g.award_date
    );
}

/// Runs `ngc grants …`.
pub async fn run(config: &Config, cmd: GrantsCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let outcome = match cmd {
        GrantsCommand::Versions(a) => {
            ngc_app::transparency::grant_versions(&store, &Caller::System, &a.org, &a.grant)
                .await
                .map(|versions| {
                    let mut out = String::new();
                    for (i, g) in versions.iter().enumerate() {
                        line(&mut out, i + 1, g, i + 1 == versions.len());
                    }
                    out
                })
        }
        GrantsCommand::Restore(a) => ngc_app::transparency::restore_grant(
            &store,
            &Caller::System,
            &a.grant.org,
            &a.grant.grant,
            a.version,
        )
        .await
        .map(|g| {
            let mut out = format!(
                "restored version {} of grant `{}`: ",
                a.version, a.grant.grant
            );
            line(&mut out, a.version, &g, true);
            out
        }),
    };
    store.close().await;
    print!("{}", outcome?);
    Ok(ExitCode::SUCCESS)
}
