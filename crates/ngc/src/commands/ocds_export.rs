//! `ngc ocds export --org SLUG`: the release package of the published notices of the
//! procurements the organisation buys in, written to stdout, the same as the public feed
//! (`/ocds/releases?buyer=SLUG`) but whole, without pages.

use super::open_store;
use crate::config::Config;
use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

/// Options of `ngc ocds export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The buyer's slug: the procurements it is one of the buyers of.
    #[arg(long)]
    pub org: String,
}

/// Writes the package, indented, to stdout.
pub async fn run(config: &Config, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let package = ngc_app::ocds::export(&store, &config.ocds_publisher(None), &args.org).await;
    store.close().await;
    let package = package?;
    let mut text = serde_json::to_string_pretty(&package)?;
    text.push('\n');
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("writing the package to stdout")?;
    Ok(ExitCode::SUCCESS)
}
