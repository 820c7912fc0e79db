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
        command: ocds::cli::OcdsCommand,
    }

    let cli = Cli::try_parse_from(std::iter::once("ngc-ocds").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("bad arguments {args:?}: {e}"));
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = ocds::cli::run_with(cli.command, input, &mut stdout, &mut stderr)
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
/// Run `compile --schema <the shipped release schema> OPTIONS` on the fixture `input` and check
/// that the output is the fixture `expected` (made by `ocdskit`), byte for byte.
pub fn compile_is_identical(input: &str, options: &[&str], expected: &str) {
    let input = std::fs::read(fixture(input)).unwrap();
    let schema = shipped_schema("release-schema.json");
    let mut args = vec!["compile", "--schema", &schema];
    args.extend_from_slice(options);
    let run = ngc_ocds(&args, &input);
    assert_eq!(run.code, 0, "{options:?}: {}", run.stderr);
    let expected = std::fs::read_to_string(fixture(expected)).unwrap();
    let got = String::from_utf8(run.stdout).unwrap();
    assert!(
        got == expected,
        "{options:?}: output differs from ocdskit's\n got:      {}\n expected: {}",
        &got[..got.len().min(3000)],
        &expected[..expected.len().min(3000)]
    );
}

pub fn shipped_schema(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(name)
        .display()
        .to_string()
}

/// A file in a temporary directory, removed when dropped.
pub struct TempFile {
    /// Where it is.
    pub path: PathBuf,
}

impl TempFile {
    /// Write `contents` to a new temporary file whose name ends with `name`.
    pub fn new(name: &str, contents: &[u8]) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "ocds-conformance-{}-{n}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, contents).expect("writing a temporary file");
        TempFile { path }
    }

    /// Write `value` as JSON to a new temporary file.
    pub fn json(name: &str, value: &Value) -> Self {
        TempFile::new(name, value.to_string().as_bytes())
    }

    /// The path, as a command-line argument.
    pub fn arg(&self) -> String {
        self.path.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Apply a JSON Merge Patch (RFC 7386), the form of an OCDS extension's `release-schema.json`.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(map) = target else {
        unreachable!("just made an object")
    };
    for (key, value) in patch {
        if value.is_null() {
            map.remove(key);
        } else {
            merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}
