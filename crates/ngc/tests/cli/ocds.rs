//! `ngc ocds`: the commands other tools rely on, run as a process (no database).

use super::support::Sandbox;
use std::path::PathBuf;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ocds/tests/fixtures"
    ))
    .join(path)
}

fn schema() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ocds/schemas/release-schema.json"
    )
    .to_owned()
}

#[test]
fn compile_matches_ocdskit_on_real_contracts_finder_data() {
    let s = Sandbox::new();
    let input = std::fs::read_to_string(fixture("compile/contracts-finder-sample.json")).unwrap();
    let r = s.ngc(&["ocds", "compile", "--schema", &schema()], &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        std::fs::read_to_string(fixture("compile/compiled.expected")).unwrap()
    );
}

#[test]
fn a_large_file_on_stdin_is_read_in_parts_and_compiles_as_through_a_pipe() {
    // About 9.5 MB of pretty-printed packages: read in parts, scanned in parts, merged in
    // batches on every core.
    let s = Sandbox::new();
    let sample = std::fs::read_to_string(fixture("compile/contracts-finder-sample.json")).unwrap();
    let input: String = (0..130)
        .map(|k| sample.replace("\"ocid\": \"", &format!("\"ocid\": \"r{k:03}-")))
        .collect();
    let path = s.dir.path().join("large.json");
    std::fs::write(&path, &input).unwrap();
    let args = ["ocds", "compile", "--schema", &schema()];
    let from_file = s.ngc_with_file(&args, &path);
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    let piped = s.ngc(&args, &input);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(from_file.stdout == piped.stdout, "the outputs differ");
    let one = std::fs::read_to_string(fixture("compile/compiled.expected")).unwrap();
    assert_eq!(from_file.stdout.lines().count(), 130 * one.lines().count());
}

#[test]
fn a_versioned_record_package_matches_ocdskit() {
    let s = Sandbox::new();
    let input = std::fs::read_to_string(fixture("compile/contracts-finder-sample.json")).unwrap();
    let args = [
        "ocds",
        "compile",
        "--schema",
        &schema(),
        "--package",
        "--versioned",
        "--uri",
        "http://example.com/x",
        "--published-date",
        "2024-01-01T00:00:00Z",
        "--publisher-name",
        "Test",
    ];
    let r = s.ngc(&args, &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        std::fs::read_to_string(fixture("compile/package-versioned.expected")).unwrap()
    );
}

#[test]
fn bad_input_is_one_line_naming_the_position_and_nothing_on_stdout() {
    let s = Sandbox::new();
    let cases = [
        ("hello", "not valid JSON"),
        (r#"{"ocid":"x","id":"1"}"#, "no `date`"),
    ];
    for (input, message) in cases {
        let r = s.ngc(&["ocds", "compile"], input);
        assert_eq!(r.code, 1, "{input}");
        assert!(r.stdout.is_empty(), "{input}: {}", r.stdout);
        assert!(
            r.stderr.contains(message) && r.stderr.trim().lines().count() == 1,
            "{input}: {}",
            r.stderr
        );
    }
    let record_package = std::fs::read_to_string(fixture("corpus/record-package.json")).unwrap();
    let r = s.ngc(&["ocds", "compile"], &record_package);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("record package"), "{}", r.stderr);
}

#[test]
fn validate_reports_per_file_and_fails_on_errors() {
    let s = Sandbox::new();
    let good = fixture("merging/merge-tender-1.json");
    let r = s.ngc(&["ocds", "validate", good.to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let bad = fixture("corpus/truncated.json");
    let r = s.ngc(
        &[
            "ocds",
            "validate",
            "--format",
            "json",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(r.code, 1);
    let reports: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 2);
    assert_eq!(s.ngc(&["ocds", "compile", "--bogus"], "").code, 2);
}

#[test]
fn ocdskit_global_options_are_compile_options() {
    let s = Sandbox::new();
    let input = std::fs::read_to_string(fixture("options/unicode.json")).unwrap();
    let args = [
        "ocds",
        "compile",
        "--schema",
        &schema(),
        "--versioned",
        "--ascii",
        "--pretty",
        "--encoding",
        "UTF-8",
    ];
    let r = s.ngc(&args, &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        std::fs::read_to_string(fixture("options/unicode-ascii-pretty-versioned.expected"))
            .unwrap()
    );
    let input = std::fs::read_to_string(fixture("options/packages-array.json")).unwrap();
    let args = [
        "ocds",
        "compile",
        "--schema",
        &schema(),
        "--root-path",
        "item",
    ];
    let r = s.ngc(&args, &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        std::fs::read_to_string(fixture("options/packages-array-item.expected")).unwrap()
    );
    let r = s.ngc(&["ocds", "compile", "--encoding", "ebcdic"], &input);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.trim().lines().count() == 1 && r.stderr.contains("unsupported encoding"),
        "{}",
        r.stderr
    );
}
