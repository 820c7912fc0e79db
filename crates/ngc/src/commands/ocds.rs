//! `ngc ocds`: compile and validate Open Contracting Data Standard data without a database
//! (the `ocds` crate's own command line, [`ocds::cli`], so that the crate's tests and its
//! `ngc_ocds` example run exactly what `ngc ocds` runs), and export an organisation's
//! published notices ([`super::ocds_export`]).

use super::ocds_export::{self, ExportArgs};
use crate::config::Config;
use clap::Subcommand;
use std::process::ExitCode;

/// OCDS commands.
#[derive(Debug, Subcommand)]
pub enum OcdsCommand {
    #[command(flatten)]
    Data(ocds::cli::OcdsCommand),
    /// Write the release package of the published notices of an organisation's procurements
    /// to stdout (what `/ocds/releases?buyer=SLUG` serves, every page at once).
    Export(ExportArgs),
}

/// Runs an `ngc ocds` command.
pub async fn run(config: &Config, cmd: OcdsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        OcdsCommand::Data(cmd) => ocds::cli::run(cmd),
        OcdsCommand::Export(args) => ocds_export::run(config, &args).await,
    }
}
