//! Conformance and robustness tests of the `ocds` crate (one integration-test binary).
//!
//! - `merge_fixtures`: every case of the official merge routine's test suite.
//! - `merging_example`: the standard's worked merging example.
//! - `compile_cli`: `compile` end to end (reader → merger → output), as `ngc ocds compile` runs it.
//! - `options`: `compile` with `ocdskit`'s `--ascii`, `--pretty`, `--encoding` and `--root-path`.
//! - `validate`: validation of packages.
//! - `validate_drt`: deprecated fields, additional fields and extensions (`validate --schema`).
//! - `robustness`: a regression corpus of nasty inputs and a property test over arbitrary bytes.

#[path = "conformance/common.rs"]
mod common;
#[path = "conformance/compile_cli.rs"]
mod compile_cli;
#[path = "conformance/merge_fixtures.rs"]
mod merge_fixtures;
#[path = "conformance/merging_example.rs"]
mod merging_example;
/// The `ngc ocds` command module itself, run against in-memory stdin/stdout.
#[path = "../../ngc/src/commands/ocds.rs"]
#[allow(dead_code)]
mod ocds_command;
#[path = "conformance/options.rs"]
mod options;
#[path = "conformance/robustness.rs"]
mod robustness;
#[path = "conformance/validate.rs"]
mod validate;
#[path = "conformance/validate_drt.rs"]
mod validate_drt;
