//! The official merge routine's fixtures (ocds-merge `tests/fixtures`): each case is a list of
//! releases with the expected compiled and versioned release. As upstream runs them: OCDS 1.1
//! cases with the built-in rules and with the 1.1.4 release schema, OCDS 1.0 cases with the
//! 1.0.3 release schema.

use ocds::compile::{compiled_release, versioned_release};
use ocds::{CompileOptions, MergeRules, Merger};
use serde_json::Value;

use super::common::{assert_json_eq, json};

fn rules_from(schema: &str) -> MergeRules {
    MergeRules::from_schema(&json(&format!("merge/{schema}"))).expect("release schema")
}

fn check(version: &str, case: &str, rules: &MergeRules) {
    let Value::Array(releases) = json(&format!("merge/{version}/{case}.json")) else {
        panic!("{case}: not a list of releases");
    };
    let compiled = compiled_release(&releases, rules).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_json_eq(
        &format!("{version}/{case} compiled"),
        &compiled,
        &json(&format!("merge/{version}/{case}-compiled.json")),
    );
    // And as `ngc ocds compile` does it (the releases as JSON Lines).
    let lines: String = releases.iter().map(|r| format!("{r}\n")).collect();
    let mut merger = Merger::new(Some(rules.clone()));
    let mut out = Vec::new();
    merger
        .read_bytes(lines.into_bytes(), case)
        .and_then(|()| merger.write(&CompileOptions::default(), &mut out))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let line: Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_json_eq(
        &format!("{version}/{case} compiled by the merger"),
        &line,
        &json(&format!("merge/{version}/{case}-compiled.json")),
    );
    let versioned = versioned_release(&releases, rules).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_json_eq(
        &format!("{version}/{case} versioned"),
        &versioned,
        &json(&format!("merge/{version}/{case}-versioned.json")),
    );
}

macro_rules! cases_1_1 {
    ($($name:ident => $case:literal,)*) => {
        mod built_in_rules {
            $(#[test] fn $name() { super::check("1.1", $case, &ocds::MergeRules::default()); })*
        }
        mod schema_1_1_4 {
            $(#[test] fn $name() {
                super::check("1.1", $case, &super::rules_from("release-schema-1__1__4.json"));
            })*
        }
    };
}

cases_1_1! {
    contextual => "contextual",
    empty_identifiermerge_array => "empty-identifiermerge-array",
    empty_object => "empty-object",
    empty_wholelistmerge_array => "empty-wholelistmerge-array",
    fill_identifiermerge_array => "fill-identifiermerge-array",
    fill_object => "fill-object",
    fill_wholelistmerge_array => "fill-wholelistmerge-array",
    initial_null => "initial-null",
    lists => "lists",
    mergeid => "mergeid",
    null => "null",
    simple => "simple",
    single_empty_identifiermerge_array => "single-empty-identifiermerge-array",
    single_empty_object => "single-empty-object",
    single_empty_wholelistmerge_array => "single-empty-wholelistmerge-array",
    string_list => "string-list",
    unit => "unit",
}

mod schema_1_0_3 {
    #[test]
    fn suppliers() {
        super::check(
            "1.0",
            "suppliers",
            &super::rules_from("release-schema-1__0__3.json"),
        );
    }

    #[test]
    fn suppliers_with_built_in_1_0_rules() {
        super::check("1.0", "suppliers", &ocds::MergeRules::ocds_1_0());
    }
}

/// Every case in the fixture directories is listed above.
#[test]
fn every_case_is_listed() {
    let dir = super::common::fixture("merge/1.1");
    let mut cases: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !n.ends_with("-compiled.json") && !n.ends_with("-versioned.json"))
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 17, "{cases:?}");
}
