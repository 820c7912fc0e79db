//! Helpers shared by the conformance tests.

use std::path::PathBuf;

use serde_json::Value;

/// A path under `tests/fixtures`.
pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Read a JSON fixture.
pub fn json(path: &str) -> Value {
    let text = std::fs::read_to_string(fixture(path))
        .unwrap_or_else(|e| panic!("cannot read fixture {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {path} is not JSON: {e}"))
}

/// Assert JSON equality, showing both values compactly on failure.
pub fn assert_json_eq(case: &str, got: &Value, expected: &Value) {
    assert!(
        got == expected,
        "{case}: output differs\n got:      {got}\n expected: {expected}"
    );
}

/// The outcome of running an `ngc ocds` command.
#[derive(Debug)]
pub struct Run {
    /// The exit status.
    pub code: u8,
    /// What was written to stdout.
    pub stdout: Vec<u8>,
    /// What was written to stderr.
    pub stderr: String,
}

/// Run `ngc ocds ARGS...` with `input` on stdin.
pub fn ngc_ocds(args: &[&str], input: &[u8]) -> Run {
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: crate::ocds_command::OcdsCommand,
    }

    let cli = Cli::try_parse_from(std::iter::once("ngc-ocds").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("bad arguments {args:?}: {e}"));
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = crate::ocds_command::run_with(cli.command, input, &mut stdout, &mut stderr)
        .unwrap_or_else(|e| panic!("unexpected failure: {e:#}"));
    let code = if code == std::process::ExitCode::SUCCESS {
        0
    } else {
        1
    };
    Run {
        code,
        stdout,
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// The path of a shipped schema, as a string.
pub fn shipped_schema(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(name)
        .display()
        .to_string()
}
