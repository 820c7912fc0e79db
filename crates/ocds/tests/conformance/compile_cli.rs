//! `ngc ocds compile` end to end: byte-identical to `ocdskit compile` (1.7.0) on real Contracts
//! Finder packages and on hand-written edge cases, and clear errors on bad input.

use super::common::{Run, compile_is_identical, fixture, ngc_ocds, shipped_schema};

fn check_identical(input: &str, options: &[&str], expected: &str) {
    compile_is_identical(
        &format!("compile/{input}"),
        options,
        &format!("compile/{expected}"),
    );
}

#[test]
fn contracts_finder_compiled() {
    check_identical("contracts-finder-sample.json", &[], "compiled.expected");
}

#[test]
fn contracts_finder_versioned() {
    check_identical(
        "contracts-finder-sample.json",
        &["--versioned"],
        "versioned.expected",
    );
}

#[test]
fn contracts_finder_package_versioned_with_metadata() {
    check_identical(
        "contracts-finder-sample.json",
        &[
            "--package",
            "--versioned",
            "--uri",
            "http://example.com/x",
            "--published-date",
            "2024-01-01T00:00:00Z",
            "--publisher-name",
            "Test",
        ],
        "package-versioned.expected",
    );
}

#[test]
fn contracts_finder_package_linked() {
    check_identical(
        "contracts-finder-sample.json",
        &["--package", "--linked-releases"],
        "package-linked.expected",
    );
}

#[test]
fn tricky_compiled() {
    check_identical("tricky.json", &[], "tricky-compiled.expected");
}

#[test]
fn tricky_versioned() {
    check_identical("tricky.json", &["--versioned"], "tricky-versioned.expected");
}

#[test]
fn tricky_package_versioned() {
    check_identical(
        "tricky.json",
        &["--package", "--versioned"],
        "tricky-package-versioned.expected",
    );
}

/// Items whose `id`s have the same text and different types (`1` and `"1"`, `2` and `2.0`), in
/// one release: as Python's dicts, a path keeps the item it was first put with.
#[test]
fn ids_of_the_same_text_compiled() {
    check_identical("duplicate-ids.json", &[], "duplicate-ids-compiled.expected");
}

#[test]
fn ids_of_the_same_text_versioned() {
    check_identical(
        "duplicate-ids.json",
        &["--versioned"],
        "duplicate-ids-versioned.expected",
    );
}

#[test]
fn ids_of_the_same_text_in_a_record_package() {
    check_identical(
        "duplicate-ids.json",
        &["--package", "--versioned"],
        "duplicate-ids-package-versioned.expected",
    );
}

#[test]
fn tricky_package_linked() {
    check_identical(
        "tricky.json",
        &["--package", "--linked-releases"],
        "tricky-package-linked.expected",
    );
}

#[test]
fn default_rules_without_schema_warn_about_extensions() {
    let input = std::fs::read(fixture("compile/contracts-finder-sample.json")).unwrap();
    let run = ngc_ocds(&["compile"], &input);
    assert_eq!(run.code, 0);
    let expected = std::fs::read(fixture("compile/compiled.expected")).unwrap();
    assert_eq!(run.stdout, expected);
    assert!(run.stderr.contains("extension"), "{}", run.stderr);
}

#[test]
fn fake_metadata() {
    let run = ngc_ocds(&["compile", "--package", "--fake"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "{\"uri\":\"placeholder:\",\"publisher\":{},\"publishedDate\":\"9999-01-01T00:00:00Z\",\"version\":\"1.1\",\"records\":[]}\n"
    );
}

fn fails(args: &[&str], input: &[u8], needle: &str) -> Run {
    let run = ngc_ocds(args, input);
    assert_eq!(run.code, 1, "{args:?} should fail; stderr: {}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    assert!(
        run.stderr.contains(needle),
        "expected {needle:?} in {}",
        run.stderr
    );
    run
}

#[test]
fn not_json() {
    let run = fails(
        &["compile"],
        b"hello",
        "<stdin>: item 0 (after byte 0): not valid JSON at line 1, column 1",
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn truncated_json() {
    let input = b"{\"ocid\":\"a\",\"date\":\"1\"}\n{\"ocid\":\"b\",\"da";
    let run = fails(
        &["compile"],
        input,
        "item 1 (after byte 23): truncated JSON at line 2",
    );
    assert!(
        run.stdout.is_empty(),
        "nothing is written when the input is bad"
    );
}

#[test]
fn release_without_ocid() {
    fails(
        &["compile"],
        b"{\"id\":\"1\",\"date\":\"2020\"}",
        "item 0 (the value after byte 0): the release has no `ocid`",
    );
}

#[test]
fn release_without_date() {
    fails(
        &["compile"],
        b"{\"ocid\":\"x\",\"id\":\"1\"}",
        "the release has no `date`",
    );
    fails(
        &["compile"],
        b"{\"version\":\"1.1\",\"releases\":[{\"ocid\":\"x\",\"date\":\"1\"},{\"ocid\":\"x\"}]}",
        "releases[1]: the release (ocid x) has no `date`",
    );
}

#[test]
fn record_package_where_releases_are_expected() {
    fails(
        &["compile"],
        b"{\"uri\":\"u\",\"version\":\"1.1\",\"records\":[]}",
        "this is a record package",
    );
}

#[test]
fn schema_that_is_not_a_release_schema() {
    let schema = shipped_schema("release-package-schema.json");
    fails(
        &["compile", "--schema", &schema],
        b"",
        "not a release schema",
    );
    fails(
        &["compile", "--schema", "/nonexistent/schema.json"],
        b"",
        "cannot read the schema",
    );
}

#[test]
fn merge_error_names_the_ocid_and_keeps_complete_lines() {
    let input = b"{\"ocid\":\"a\",\"date\":\"1\"}{\"ocid\":\"b\",\"date\":\"1\",\"tender\":\"t\"}{\"ocid\":\"b\",\"date\":\"2\",\"tender\":{\"id\":\"x\"}}";
    let run = fails(&["compile"], input, "b: inconsistent types");
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "{\"tag\":[\"compiled\"],\"id\":\"a-1\",\"date\":\"1\",\"ocid\":\"a\"}\n"
    );
    // A record package is one value: nothing at all is written.
    let run = fails(&["compile", "--package"], input, "b: inconsistent types");
    assert!(run.stdout.is_empty());
}

#[test]
fn inconsistent_versions() {
    fails(
        &["compile"],
        b"{\"ocid\":\"a\",\"date\":\"1\",\"parties\":[]}{\"ocid\":\"b\",\"date\":\"1\"}",
        "version error: this item uses version 1.0, but earlier items used version 1.1",
    );
}

#[test]
fn validate_reports() {
    let good = fixture("merging/merge-tender-1.json");
    let run = ngc_ocds(&["validate", good.to_str().unwrap()], b"");
    let text = String::from_utf8(run.stdout).unwrap();
    assert_eq!(run.code, 0, "{text}");
    assert!(text.contains("release package: 0 error(s)"), "{text}");

    let bad = fixture("corpus/truncated.json");
    let run = ngc_ocds(
        &[
            "validate",
            "--format",
            "json",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.code, 1);
    let reports: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(reports[0]["errors"], 0);
    assert_eq!(reports[1]["errors"], 1);
    assert!(
        reports[1]["problems"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("truncated JSON")
    );

    let run = ngc_ocds(&["validate", "/nonexistent.json"], b"");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("/nonexistent.json: cannot read the file")
    );
}
