//! Validation in the manner of the OCDS Data Review Tool.

use ocds::validate::{Check, Severity, validate_bytes, validate_value};
use serde_json::json;

use super::common::fixture;

#[test]
fn standard_examples_are_valid() {
    for name in [
        "merge-tender-1.json",
        "merge-award-2.json",
        "merged.json",
        "versioned.json",
    ] {
        let bytes = std::fs::read(fixture(&format!("merging/{name}"))).unwrap();
        let report = validate_bytes(name, &bytes);
        assert_eq!(report.error_count(), 0, "{report}");
    }
}

#[test]
fn contracts_finder_sample() {
    let text = std::fs::read_to_string(fixture("compile/contracts-finder-sample.json")).unwrap();
    let first: serde_json::Value = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    let report = validate_value("cf", &first);
    assert_eq!(report.format, "release package");
    // Contracts Finder sets `publisher.uid` to null and uses extension fields: no schema errors.
    assert_eq!(report.error_count(), 0, "{report}");
}

#[test]
fn problems_have_paths_and_plain_messages() {
    let package = json!({
        "uri": "not a uri",
        "publishedDate": "yesterday",
        "publisher": {"name": "P"},
        "version": "1.1",
        "releases": [
            {"ocid": "ocds-1", "id": "1", "date": "2020-01-01T00:00:00Z", "tag": ["tender"],
             "initiationType": "tender",
             "tender": {"id": "t", "status": "nonsense", "procurementMethod": "open",
                        "mainProcurementCategory": "services",
                        "documents": [{"id": "d", "documentType": "myOwnType"}],
                        "value": {"amount": "12", "currency": "GBP"}}},
            {"ocid": "ocds-1", "id": "1", "date": "2020-01-01T00:00:00Z", "tag": ["tender"],
             "initiationType": "tender"},
            {"ocid": "ocds-1", "date": "2020-01-01T00:00:00Z", "tag": ["nope"], "initiationType": "tender"}
        ]
    });
    let report = validate_value("p.json", &package);
    let find = |path: &str| {
        report
            .problems
            .iter()
            .rfind(|p| p.path == path)
            .unwrap_or_else(|| panic!("no problem at {path}: {report}"))
    };
    assert!(find("uri").message.contains("is not a URI"));
    assert!(find("publishedDate").message.contains("is not a date-time"));
    assert!(
        find("releases/0/tender/status")
            .message
            .contains("closed codelist tenderStatus.csv")
    );
    assert!(
        find("releases/0/tender/value/amount")
            .message
            .contains("is a string, not number")
    );
    let warning = find("releases/0/tender/documents/0/documentType");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.check, Check::Codelist);
    let duplicate = find("releases/1");
    assert_eq!(duplicate.check, Check::Uniqueness);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.path == "releases/2" && p.message.contains("`id` is missing but required")),
        "{report}"
    );
    assert!(
        find("releases/2/tag/0")
            .message
            .contains("\"nope\" is not one of")
    );
    assert!(report.has_errors());
}

#[test]
fn record_packages_and_non_ocds() {
    let bytes = std::fs::read(fixture("merging/versioned.json")).unwrap();
    let report = validate_bytes("versioned.json", &bytes);
    assert_eq!(report.format, "record package");
    let report = validate_value("x", &json!({"hello": 1}));
    assert_eq!(report.format, "unknown");
    assert!(report.has_errors());
    let report = validate_value("x", &json!([1]));
    assert!(report.problems[0].message.contains("found an array"));
}

#[test]
fn record_releases_are_checked_as_the_kind_they_are() {
    // `records/*/releases` is either linked releases or embedded releases: the errors reported
    // are those of the kind the items are, not "`url` is missing" for an embedded release.
    let release = json!({"ocid": "ocds-1", "id": "1", "date": "2020-01-01T00:00:00Z",
                         "tag": ["tender"], "initiationType": "tender",
                         "tender": {"id": "t", "value": {"amount": "12", "currency": "GBP"}}});
    let linked = json!({"url": "https://example.com/p.json#1", "date": "yesterday"});
    let package = |releases| {
        json!({"uri": "https://example.com/r.json", "publishedDate": "2020-01-01T00:00:00Z",
               "publisher": {"name": "P"}, "version": "1.1",
               "records": [{"ocid": "ocds-1", "releases": releases}]})
    };
    let report = validate_value("r", &package(json!([release])));
    let errors: Vec<&str> = report.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        errors,
        ["records/0/releases/0/tender/value/amount"],
        "{report}"
    );
    let report = validate_value("r", &package(json!([linked])));
    let errors: Vec<&str> = report.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(errors, ["records/0/releases/0/date"], "{report}");
}
