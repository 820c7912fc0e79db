//! `ngc ocds` without the rest of `ngc`: the same command line (`ocds::cli`), for benchmarks
//! and manual use.
//!
//! ```sh
//! cargo run --release -p ocds --example ngc_ocds -- compile --package < packages.json
//! cargo run --release -p ocds --example ngc_ocds -- validate package.json
//! ```

use std::process::ExitCode;

use clap::Parser;

/// The allocator of the `ngc` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ocds::cli as ocds_command;

/// `ngc ocds` (standalone).
#[derive(Debug, Parser)]
#[command(name = "ngc-ocds")]
struct Cli {
    #[command(subcommand)]
    command: ocds_command::OcdsCommand,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match ocds_command::run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
