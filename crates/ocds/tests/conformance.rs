//! Conformance and robustness tests of the `ocds` crate (one integration-test binary).
//!
//! - `merge_fixtures`: every case of the official merge routine's test suite.
//! - `merging_example`: the standard's worked merging example.
//! - `compile_cli`: `compile` end to end (reader → merger → output), as `ngc ocds compile` runs it.
//! - `options`: `compile` with `ocdskit`'s `--ascii`, `--pretty`, `--encoding` and `--root-path`.
//! - `validate`: validation of packages.
//! - `validate_drt`: deprecated fields, additional fields and extensions (`validate --schema`).
//! - `robustness`: a regression corpus of nasty inputs and a property test over arbitrary bytes.

mod conformance {
    pub mod common;
    mod compile_cli;
    mod merge_fixtures;
    mod merging_example;
    mod options;
    mod robustness;
    mod validate;
    mod validate_drt;
}
