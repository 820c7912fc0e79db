//! What the OCDS Data Review Tool reports beyond the schema: deprecated fields, additional
//! fields, and extensions (applied offline through a patched release schema, `--schema`).

use std::collections::BTreeSet;

use ocds::validate::{Check, Report, Schemas, Severity, validate_value, validate_value_with};
use serde_json::{Value, json};

use super::common::{Run, TempFile, fixture, json, merge_patch, ngc_ocds, shipped_schema};

fn paths(report: &Report, check: Check) -> BTreeSet<&str> {
    report
        .problems
        .iter()
        .filter(|p| p.check == check)
        .map(|p| p.path.as_str())
        .collect()
}

fn validate_fixture(name: &str, extra: &[&str]) -> Run {
    let file = fixture(&format!("validate/{name}")).display().to_string();
    let mut args = vec!["validate", file.as_str()];
    args.extend_from_slice(extra);
    ngc_ocds(&args, b"")
}

fn json_reports(run: &Run) -> Vec<Value> {
    let value: Value = serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "the output is not JSON ({e}): {}",
            String::from_utf8_lossy(&run.stdout)
        )
    });
    value.as_array().expect("an array of reports").clone()
}

/// The official release schema with the participation fee extension applied.
fn patched_release_schema() -> Value {
    let text = std::fs::read_to_string(shipped_schema("release-schema.json")).unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    merge_patch(&mut schema, &json("validate/participation-fee-patch.json"));
    schema
}

#[test]
fn deprecated_fields_are_warnings_with_version_and_description() {
    let report = validate_value("deprecated.json", &json("validate/deprecated.json"));
    assert_eq!(report.error_count(), 0, "{report}");
    assert_eq!(report.info_count(), 0, "{report}");
    assert_eq!(
        paths(&report, Check::Deprecated),
        BTreeSet::from([
            "releases/0/planning/budget/source",
            "releases/0/tender/amendment",
            "releases/0/tender/amendment/changes",
            "releases/0/awards/0/suppliers/0/address",
            "releases/0/awards/0/amendment",
            "releases/0/contracts/0/implementation/transactions/0/amount",
            "releases/0/contracts/0/implementation/transactions/0/providerOrganization",
        ]),
        "{report}"
    );
    for p in &report.problems {
        assert_eq!(p.severity, Severity::Warning, "{p:?}");
        let d = p.deprecated.as_ref().expect("deprecation details");
        assert_eq!(d.version, "1.1");
        assert!(p.message.contains("deprecated since OCDS 1.1"), "{p:?}");
        assert!(p.message.ends_with(&d.description), "{p:?}");
    }
    let address = report
        .problems
        .iter()
        .find(|p| p.path.ends_with("/address"))
        .unwrap();
    assert!(
        address
            .deprecated
            .as_ref()
            .unwrap()
            .description
            .starts_with(
                "From version 1.1, organizations should be referenced by their identifier and name"
            ),
        "{address:?}"
    );
    // Grouped by field, as the Data Review Tool groups them.
    let groups = report.deprecated_fields();
    let names: Vec<&str> = groups.iter().map(|g| g.field.as_str()).collect();
    assert_eq!(
        names,
        [
            "address",
            "amendment",
            "amount",
            "changes",
            "providerOrganization",
            "source"
        ]
    );
    let amendment = &groups[1];
    assert_eq!(amendment.count, 2);
    assert_eq!(
        amendment
            .paths
            .iter()
            .map(|u| (u.path.as_str(), u.count))
            .collect::<Vec<_>>(),
        [
            ("releases/*/tender/amendment", 1),
            ("releases/*/awards/*/amendment", 1)
        ]
    );
    assert!(
        amendment
            .description
            .starts_with("The single amendment object")
    );
}

#[test]
fn deprecated_fields_in_the_json_and_text_reports() {
    let run = validate_fixture("deprecated.json", &["--format", "json"]);
    assert_eq!(
        run.code, 0,
        "warnings do not fail validation: {}",
        run.stderr
    );
    let reports = json_reports(&run);
    let report = &reports[0];
    let keys: BTreeSet<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "file",
            "format",
            "errors",
            "warnings",
            "info",
            "problems",
            "deprecated_fields",
            "additional_fields"
        ])
    );
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 7);
    assert_eq!(report["info"], 0);
    let problem = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "releases/0/planning/budget/source")
        .expect("the budget source");
    assert_eq!(problem["severity"], "warning");
    assert_eq!(problem["check"], "deprecated");
    assert_eq!(problem["deprecated"]["version"], "1.1");
    assert!(
        problem["deprecated"]["description"]
            .as_str()
            .unwrap()
            .starts_with("The budget data source field")
    );
    let source = report["deprecated_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["field"] == "source")
        .expect("a group for `source`");
    assert_eq!(source["version"], "1.1");
    assert_eq!(source["count"], 1);
    assert_eq!(
        source["paths"],
        json!([{"path": "releases/*/planning/budget/source", "count": 1}])
    );
    assert_eq!(report["additional_fields"], json!([]));

    let run = validate_fixture("deprecated.json", &[]);
    assert_eq!(run.code, 0);
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.contains("deprecated.json: release package: 0 error(s), 7 warning(s), 0 info\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "\n  warning: releases/0/tender/amendment: `amendment` is deprecated since OCDS 1.1: \
             The single amendment object"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "\n  deprecated fields, by field:\n    address (since OCDS 1.1): 1 use(s): \
             releases/*/awards/*/suppliers/*/address (1)\n    amendment (since OCDS 1.1): 2 \
             use(s): releases/*/tender/amendment (1), releases/*/awards/*/amendment (1)\n"
        ),
        "{text}"
    );
}

#[test]
fn additional_fields_are_information() {
    let report = validate_value("additional.json", &json("validate/additional.json"));
    assert_eq!(report.error_count(), 0, "{report}");
    assert_eq!(report.warning_count(), 0, "{report}");
    // Only the outermost additional field of a subtree is reported; inside arrays, each item's.
    // A language variant (`title_cy`, a pattern property) is defined; the fields inside a
    // free-form object (`details`, an object without properties) are not.
    assert_eq!(
        paths(&report, Check::Additional),
        BTreeSet::from([
            "x_packageNote",
            "publisher/x_department",
            "releases/0/x_internalRef",
            "releases/0/parties/0/details/x_scale",
            "releases/0/tender/x_evaluation",
            "releases/0/tender/items/0/x_lotNumber",
            "releases/0/tender/items/2/x_lotNumber",
        ]),
        "{report}"
    );
    assert!(report.problems.iter().all(|p| p.severity == Severity::Info));
    let nested = report
        .problems
        .iter()
        .find(|p| p.path == "releases/0/tender/x_evaluation")
        .unwrap();
    assert_eq!(
        nested.message,
        "`x_evaluation` is not in the schema (an additional field, with 4 field(s) inside)"
    );
    let lot = report
        .additional_fields()
        .into_iter()
        .find(|u| u.path == "releases/*/tender/items/*/x_lotNumber")
        .unwrap();
    assert_eq!(lot.count, 2);

    let run = validate_fixture("additional.json", &["--format", "json"]);
    assert_eq!(run.code, 0, "additional fields do not fail validation");
    let reports = json_reports(&run);
    assert_eq!(reports[0]["errors"], 0);
    assert_eq!(reports[0]["warnings"], 0);
    assert_eq!(reports[0]["info"], 7);
    assert_eq!(reports[0]["problems"][0]["severity"], "info");
    assert_eq!(reports[0]["problems"][0]["check"], "additional");
    assert!(reports[0]["problems"][0].get("deprecated").is_none());
    assert_eq!(
        reports[0]["additional_fields"][5],
        json!({"path": "releases/*/tender/items/*/x_lotNumber", "count": 2})
    );

    let run = validate_fixture("additional.json", &[]);
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.contains("additional.json: release package: 0 error(s), 0 warning(s), 7 info\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  info: releases/0/tender/items/2/x_lotNumber: `x_lotNumber` is not in"),
        "{text}"
    );
    assert!(
        text.ends_with("    releases/*/tender/items/*/x_lotNumber: 2\n"),
        "{text}"
    );
}

#[test]
fn no_additional_fields_under_values_of_the_wrong_type() {
    let mut package = json("validate/additional.json");
    package["releases"][0]["tender"]["title"] = json!({"en": "Road repairs"});
    package["releases"][0]["tender"]["items"] = json!({"x": {"y": 1}});
    let report = validate_value("p", &package);
    let errors: BTreeSet<&str> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(
        errors,
        BTreeSet::from(["releases/0/tender/title", "releases/0/tender/items"]),
        "{report}"
    );
    assert!(
        !report
            .problems
            .iter()
            .any(|p| p.path.starts_with("releases/0/tender/title/")
                || p.path.starts_with("releases/0/tender/items/")),
        "{report}"
    );
}

#[test]
fn extensions_without_a_patched_schema() {
    let run = validate_fixture("extension.json", &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = &json_reports(&run)[0];
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 1);
    assert_eq!(report["info"], 1);
    let warning = &report["problems"][0];
    assert_eq!(warning["path"], "extensions");
    assert_eq!(warning["check"], "extensions");
    assert_eq!(warning["severity"], "warning");
    let message = warning["message"].as_str().unwrap();
    assert!(
        message.contains("declares 1 extension(s), which were not applied"),
        "{message}"
    );
    assert!(message.contains("--schema"), "{message}");
    // The extension's field is additional, and the invalid amount inside it goes unnoticed.
    assert_eq!(
        report["problems"][1]["path"],
        "releases/0/tender/participationFees"
    );
    assert_eq!(report["problems"][1]["check"], "additional");
}

#[test]
fn extensions_with_a_patched_schema() {
    let schema = TempFile::json("patched-release-schema.json", &patched_release_schema());
    let run = validate_fixture(
        "extension.json",
        &["--schema", &schema.arg(), "--format", "json"],
    );
    assert_eq!(run.code, 1, "the invalid amount is now an error");
    let report = &json_reports(&run)[0];
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 0, "no warning about the extensions");
    assert_eq!(
        report["problems"],
        json!([
            {"path": "releases/0/tender/participationFees/1/value/amount",
             "message": "\"ten\" is a string, not number", "severity": "error", "check": "schema"},
            {"path": "releases/0/tender/participationFees/1/value/x_vat",
             "message": "`x_vat` is not in the schema (an additional field)",
             "severity": "info", "check": "additional"}
        ])
    );

    // Valid extension data passes; the extension's closed codelist is enforced.
    let mut package = json("validate/extension.json");
    package["releases"][0]["tender"]["participationFees"][1]["value"]["amount"] = json!(10);
    let file = TempFile::json("extension-valid.json", &package);
    let run = ngc_ocds(&["validate", &file.arg(), "--schema", &schema.arg()], b"");
    assert_eq!(run.code, 0);
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.contains(": release package: 0 error(s), 0 warning(s), 1 info\n"),
        "{text}"
    );

    package["releases"][0]["tender"]["participationFees"][0]["type"] = json!(["entry"]);
    let schemas = Schemas::with_release_schema(patched_release_schema()).unwrap();
    assert!(schemas.is_patched());
    let report = validate_value_with("p", &package, &schemas);
    assert_eq!(report.error_count(), 1, "{report}");
    assert_eq!(
        report.problems[0].path,
        "releases/0/tender/participationFees/0/type/0"
    );
    assert!(
        report.problems[0]
            .message
            .contains("closed codelist participationFeeType.csv"),
        "{report}"
    );
}

#[test]
fn patched_schema_applies_inside_record_packages() {
    let release = json("validate/extension.json")["releases"][0].clone();
    let package = json!({
        "uri": "https://example.com/records.json",
        "publishedDate": "2024-01-31T09:30:00Z",
        "publisher": {"name": "Example Council"},
        "version": "1.1",
        "extensions": ["https://example.com/extension.json"],
        "records": [{
            "ocid": "ocds-213czf-000-00003",
            "releases": [release.clone()],
            "compiledRelease": release,
        }]
    });
    let official = validate_value("r", &package);
    assert_eq!(official.format, "record package");
    assert_eq!(
        paths(&official, Check::Additional),
        BTreeSet::from([
            "records/0/releases/0/tender/participationFees",
            "records/0/compiledRelease/tender/participationFees",
        ]),
        "{official}"
    );
    assert_eq!(
        paths(&official, Check::Extensions),
        BTreeSet::from(["extensions"])
    );
    assert_eq!(official.error_count(), 0, "{official}");

    let schemas = Schemas::with_release_schema(patched_release_schema()).unwrap();
    let patched = validate_value_with("r", &package, &schemas);
    let errors: BTreeSet<&str> = patched
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(
        errors,
        BTreeSet::from([
            "records/0/releases/0/tender/participationFees/1/value/amount",
            "records/0/compiledRelease/tender/participationFees/1/value/amount",
        ]),
        "{patched}"
    );
    assert!(paths(&patched, Check::Extensions).is_empty());
}

#[test]
fn a_schema_that_forbids_other_fields() {
    let mut schema = patched_release_schema();
    schema["definitions"]["ParticipationFee"]["additionalProperties"] = json!(false);
    let schemas = Schemas::with_release_schema(schema).unwrap();
    let mut package = json("validate/extension.json");
    package["releases"][0]["tender"]["participationFees"][0]["x_note"] = json!("n");
    let report = validate_value_with("p", &package, &schemas);
    let problems: Vec<(&str, Severity)> = report
        .problems
        .iter()
        .filter(|p| p.path.ends_with("x_note"))
        .map(|p| (p.path.as_str(), p.severity))
        .collect();
    assert_eq!(
        problems,
        [(
            "releases/0/tender/participationFees/0/x_note",
            Severity::Error
        )],
        "an error, not also an additional field: {report}"
    );
}

#[test]
fn bad_schema_files_are_clear_errors() {
    let not_json = TempFile::new("not-json.json", b"{\"properties\": ");
    let array = TempFile::new("array.json", b"[1, 2]");
    let mut dangling = patched_release_schema();
    dangling["definitions"]["Tender"]["properties"]["lots"] = json!({"$ref": "#/definitions/Lot"});
    let dangling = TempFile::json("dangling.json", &dangling);
    let package_schema = shipped_schema("release-package-schema.json");
    let missing = fixture("validate/no-such-schema.json")
        .display()
        .to_string();
    for (schema, needle) in [
        (not_json.arg(), "the schema is not JSON: EOF while parsing"),
        (array.arg(), "not a release schema: expected an object"),
        (
            package_schema.clone(),
            "not a release schema: it has no `ocid` property (it looks like a package schema)",
        ),
        (
            dangling.arg(),
            "the `$ref` \"#/definitions/Lot\" at definitions/Tender/properties/lots cannot be \
             resolved",
        ),
        (missing.clone(), "cannot read the schema"),
    ] {
        for format in ["text", "json"] {
            let run =
                validate_fixture("extension.json", &["--schema", &schema, "--format", format]);
            assert_eq!(run.code, 1, "{schema}: {}", run.stderr);
            assert!(run.stdout.is_empty(), "{schema}: nothing is validated");
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
            assert!(
                run.stderr.starts_with(&format!("error: {schema}: ")),
                "{}",
                run.stderr
            );
            assert!(run.stderr.contains(needle), "{needle:?} in {}", run.stderr);
        }
    }
}

#[test]
fn real_data_only_fails_on_errors() {
    // The Contracts Finder sample declares an extension and uses fields beyond the schema:
    // a warning and information, but no errors, so the exit status is 0.
    let text = std::fs::read_to_string(fixture("compile/contracts-finder-sample.json")).unwrap();
    let first: Value = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    let file = TempFile::json("cf.json", &first);
    let run = ngc_ocds(&["validate", &file.arg(), "--format", "json"], b"");
    assert_eq!(run.code, 0, "{}", String::from_utf8_lossy(&run.stdout));
    let report = &json_reports(&run)[0];
    assert_eq!(report["errors"], 0);
    assert_eq!(report["problems"][0]["check"], "extensions");
    assert!(report["info"].as_u64().unwrap() > 0);
}
