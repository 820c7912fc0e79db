//! `ngc`: the command line of the Next Generation Council platform.
//!
//! Exit status: 0 on success, 1 on a user error (a one-line message naming the problem),
//! 2 on bad usage (clap's own).

mod bid_keys;
mod cli;
mod commands;
mod config;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: markedly faster than the system allocator for the many small, short-lived
/// allocations of merging OCDS releases on several threads (see docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let config = match config::Config::resolve(&cli.global) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(1);
        }
    };
    config::init_tracing(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    format!("{e:#}").replace('\n', " ")
}
