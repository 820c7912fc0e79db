//! Validation of release and record packages in the manner of the OCDS Data Review Tool:
//! JSON Schema validation against the official 1.1.5 package schemas, open codelist checks
//! (codes not in an open codelist are warnings; closed codelists are enforced by the schema),
//! and uniqueness of `ocid` + `id` (releases) or `ocid` (records). Each problem has a JSON path
//! (`releases/0/tender/status`) and a plain message.

mod schema;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use self::schema::{Registry, Validator, join};

const RELEASE_PACKAGE_SCHEMA: &str = include_str!("../schemas/release-package-schema.json");
const RECORD_PACKAGE_SCHEMA: &str = include_str!("../schemas/record-package-schema.json");
const VERSIONED_RELEASE_SCHEMA: &str =
    include_str!("../schemas/versioned-release-validation-schema.json");

const CODELISTS: &[(&str, &str)] = &[
    (
        "awardCriteria.csv",
        include_str!("../schemas/codelists/awardCriteria.csv"),
    ),
    (
        "awardStatus.csv",
        include_str!("../schemas/codelists/awardStatus.csv"),
    ),
    (
        "contractStatus.csv",
        include_str!("../schemas/codelists/contractStatus.csv"),
    ),
    (
        "currency.csv",
        include_str!("../schemas/codelists/currency.csv"),
    ),
    (
        "documentType.csv",
        include_str!("../schemas/codelists/documentType.csv"),
    ),
    (
        "extendedProcurementCategory.csv",
        include_str!("../schemas/codelists/extendedProcurementCategory.csv"),
    ),
    (
        "initiationType.csv",
        include_str!("../schemas/codelists/initiationType.csv"),
    ),
    (
        "itemClassificationScheme.csv",
        include_str!("../schemas/codelists/itemClassificationScheme.csv"),
    ),
    (
        "method.csv",
        include_str!("../schemas/codelists/method.csv"),
    ),
    (
        "milestoneStatus.csv",
        include_str!("../schemas/codelists/milestoneStatus.csv"),
    ),
    (
        "milestoneType.csv",
        include_str!("../schemas/codelists/milestoneType.csv"),
    ),
    (
        "partyRole.csv",
        include_str!("../schemas/codelists/partyRole.csv"),
    ),
    (
        "procurementCategory.csv",
        include_str!("../schemas/codelists/procurementCategory.csv"),
    ),
    (
        "relatedProcess.csv",
        include_str!("../schemas/codelists/relatedProcess.csv"),
    ),
    (
        "relatedProcessScheme.csv",
        include_str!("../schemas/codelists/relatedProcessScheme.csv"),
    ),
    (
        "releaseTag.csv",
        include_str!("../schemas/codelists/releaseTag.csv"),
    ),
    (
        "submissionMethod.csv",
        include_str!("../schemas/codelists/submissionMethod.csv"),
    ),
    (
        "tenderStatus.csv",
        include_str!("../schemas/codelists/tenderStatus.csv"),
    ),
    (
        "unitClassificationScheme.csv",
        include_str!("../schemas/codelists/unitClassificationScheme.csv"),
    ),
];

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data does not conform.
    Error,
    /// The data conforms, but something deserves a look (e.g. a code outside an open codelist).
    Warning,
}

/// What kind of check found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// The file is not JSON.
    Json,
    /// JSON Schema validation.
    Schema,
    /// A codelist check.
    Codelist,
    /// Uniqueness of identifiers.
    Uniqueness,
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The JSON path (`releases/0/tender/status`; empty for the whole document).
    pub path: String,
    /// A plain message.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
    /// The check that found it.
    pub check: Check,
}

impl Problem {
    pub(crate) fn schema(path: &str, message: String) -> Self {
        Problem {
            path: path.to_string(),
            message,
            severity: Severity::Error,
            check: Check::Schema,
        }
    }
}

/// The validation report of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The file name.
    pub file: String,
    /// What the file holds: `release package`, `record package`, `release`, or `unknown`.
    pub format: String,
    /// The problems found, errors first.
    pub problems: Vec<Problem>,
}

impl Report {
    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// The number of warnings.
    pub fn warning_count(&self) -> usize {
        self.problems.len() - self.error_count()
    }

    /// Whether the file has errors.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {}: {} error(s), {} warning(s)",
            self.file,
            self.format,
            self.error_count(),
            self.warning_count()
        )?;
        for p in &self.problems {
            let severity = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let path = if p.path.is_empty() {
                "(document)"
            } else {
                p.path.as_str()
            };
            writeln!(f, "  {severity}: {path}: {}", p.message)?;
        }
        Ok(())
    }
}

struct Data {
    registry: Registry,
    codelists: HashMap<String, HashSet<String>>,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let docs = [
            crate::rules::RELEASE_SCHEMA_1_1_5,
            RELEASE_PACKAGE_SCHEMA,
            RECORD_PACKAGE_SCHEMA,
            VERSIONED_RELEASE_SCHEMA,
        ]
        .map(|s| serde_json::from_str::<Value>(s).expect("shipped schema is JSON"));
        let codelists = CODELISTS
            .iter()
            .map(|(name, csv)| ((*name).to_string(), codes(csv)))
            .collect();
        Data {
            registry: Registry::new(docs),
            codelists,
        }
    })
}

/// The values of the `Code` column of a codelist CSV.
fn codes(csv: &str) -> HashSet<String> {
    let rows = parse_csv(csv);
    let Some(header) = rows.first() else {
        return HashSet::new();
    };
    let Some(col) = header.iter().position(|h| h == "Code") else {
        return HashSet::new();
    };
    rows.iter()
        .skip(1)
        .filter_map(|r| r.get(col).cloned())
        .collect()
}

/// A small RFC 4180 CSV parser (quoted fields, doubled quotes, newlines in quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Check codes against open codelists, walking the release schema alongside the data.
fn open_codelists(
    value: &Value,
    schema: &Value,
    root: &Value,
    path: &str,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => match r.split_once('#').and_then(|(_, p)| root.pointer(p)) {
            Some(s) => s,
            None => return,
        },
        None => schema,
    };
    if let (Some(list), Some(true)) = (
        schema.get("codelist").and_then(Value::as_str),
        schema.get("openCodelist").and_then(Value::as_bool),
    ) && let Some(known) = data().codelists.get(list)
    {
        let values: Vec<(String, &Value)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (join(path, &i.to_string()), v))
                .collect(),
            other => vec![(path.to_string(), other)],
        };
        for (p, v) in values {
            if let Value::String(code) = v
                && !known.contains(code)
            {
                out.push(Problem {
                    path: p,
                    message: format!(
                        "\"{code}\" is not in the open codelist {list} (an additional code)"
                    ),
                    severity: Severity::Warning,
                    check: Check::Codelist,
                });
            }
        }
    }
    match value {
        Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, v) in map {
                    if let Some(s) = props.get(k) {
                        open_codelists(v, s, root, &join(path, k), out, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items").filter(|s| s.is_object()) {
                for (i, v) in items.iter().enumerate() {
                    open_codelists(v, s, root, &join(path, &i.to_string()), out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn uniqueness(value: &Value, format: &str, out: &mut Vec<Problem>) {
    let (list, what) = match format {
        "release package" => ("releases", "the combination of `ocid` and `id`"),
        "record package" => ("records", "the `ocid`"),
        _ => return,
    };
    let Some(items) = value.get(list).and_then(Value::as_array) else {
        return;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let key = if list == "releases" {
            match (item.get("ocid"), item.get("id")) {
                (Some(o), Some(id)) => format!("{o} {id}"),
                _ => continue,
            }
        } else {
            match item.get("ocid") {
                Some(o) => o.to_string(),
                None => continue,
            }
        };
        if let Some(first) = seen.get(&key) {
            out.push(Problem {
                path: format!("{list}/{i}"),
                message: format!("{what} ({key}) is not unique: {list}/{first} has the same"),
                severity: Severity::Error,
                check: Check::Uniqueness,
            });
        } else {
            seen.insert(key, i);
        }
    }
}

/// Validate a parsed document (a release package or record package).
pub fn validate_value(file: &str, value: &Value) -> Report {
    let d = data();
    let (format, schema_id) = if value.get("records").is_some() {
        (
            "record package",
            "https://standard.open-contracting.org/schema/1__1__5/record-package-schema.json",
        )
    } else if value.get("releases").is_some() {
        (
            "release package",
            "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json",
        )
    } else if value.get("ocid").is_some() && value.get("date").is_some() {
        (
            "release",
            "https://standard.open-contracting.org/schema/1__1__5/release-schema.json",
        )
    } else {
        let problem = Problem {
            path: String::new(),
            message: format!(
                "not OCDS data: expected a release package or record package, found {}",
                match value {
                    Value::Object(_) => "an object without `releases` or `records`",
                    other => crate::compile::kind(other),
                }
            ),
            severity: Severity::Error,
            check: Check::Schema,
        };
        return Report {
            file: file.into(),
            format: "unknown".into(),
            problems: vec![problem],
        };
    };
    let root = d.registry.doc(schema_id).expect("shipped schema");
    let validator = Validator {
        registry: &d.registry,
        skip_unique: &["releases", "records"],
    };
    let mut problems = Vec::new();
    validator.validate(value, root, root, "", &mut problems);
    uniqueness(value, format, &mut problems);
    let release_schema = d
        .registry
        .doc("https://standard.open-contracting.org/schema/1__1__5/release-schema.json")
        .expect("shipped schema");
    let mut releases: Vec<(String, &Value)> = Vec::new();
    match format {
        "release" => releases.push((String::new(), value)),
        "release package" => {
            if let Some(items) = value.get("releases").and_then(Value::as_array) {
                releases.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (format!("releases/{i}"), r)),
                );
            }
        }
        _ => {
            if let Some(records) = value.get("records").and_then(Value::as_array) {
                for (i, record) in records.iter().enumerate() {
                    if let Some(c) = record.get("compiledRelease") {
                        releases.push((format!("records/{i}/compiledRelease"), c));
                    }
                    if let Some(items) = record.get("releases").and_then(Value::as_array) {
                        releases.extend(
                            items
                                .iter()
                                .enumerate()
                                .filter(|(_, r)| r.get("ocid").is_some())
                                .map(|(j, r)| (format!("records/{i}/releases/{j}"), r)),
                        );
                    }
                }
            }
        }
    }
    for (path, release) in releases {
        open_codelists(
            release,
            release_schema,
            release_schema,
            &path,
            &mut problems,
            0,
        );
    }
    problems.sort_by_key(|p| p.severity == Severity::Warning);
    Report {
        file: file.into(),
        format: format.into(),
        problems,
    }
}

/// Validate the bytes of a file: JSON syntax first, then [`validate_value`].
pub fn validate_bytes(file: &str, bytes: &[u8]) -> Report {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => validate_value(file, &value),
        Err(e) => {
            let what = if e.is_eof() {
                "truncated JSON"
            } else {
                "not valid JSON"
            };
            let mut detail = e.to_string();
            if let Some(cut) = detail.find(" at line ") {
                detail.truncate(cut);
            }
            Report {
                file: file.into(),
                format: "unknown".into(),
                problems: vec![Problem {
                    path: String::new(),
                    message: format!(
                        "{what} at line {}, column {}: {detail}",
                        e.line(),
                        e.column()
                    ),
                    severity: Severity::Error,
                    check: Check::Json,
                }],
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codelists_are_read() {
        let d = data();
        assert!(d.codelists["currency.csv"].contains("GBP"));
        assert!(d.codelists["documentType.csv"].contains("tenderNotice"));
        assert!(d.codelists["releaseTag.csv"].contains("compiled"));
    }

    #[test]
    fn csv_quotes() {
        let rows = parse_csv("a,b\n\"x,1\",\"say \"\"hi\"\"\nthere\"\n");
        assert_eq!(
            rows[1],
            vec!["x,1".to_string(), "say \"hi\"\nthere".to_string()]
        );
    }
}
