//! Validation of release and record packages in the manner of the OCDS Data Review Tool:
//! JSON Schema validation against the official 1.1.5 package schemas (or a patched release
//! schema, see [`Schemas`]), open codelist checks (codes not in an open codelist are warnings;
//! closed codelists are enforced by the schema), uniqueness of `ocid` + `id` (releases) or
//! `ocid` (records), deprecated fields (warnings) and additional fields (information: OCDS
//! allows them). Each problem has a JSON path (`releases/0/tender/status`) and a plain message.

mod fields;
mod schema;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use self::fields::Fields;
use self::schema::{Registry, Validator, generic, join};
use crate::Error;

const RELEASE_SCHEMA_ID: &str =
    "https://standard.open-contracting.org/schema/1__1__5/release-schema.json";
const RELEASE_PACKAGE_SCHEMA_ID: &str =
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json";
const RECORD_PACKAGE_SCHEMA_ID: &str =
    "https://standard.open-contracting.org/schema/1__1__5/record-package-schema.json";
const VERSIONED_RELEASE_SCHEMA_ID: &str =
    "https://standard.open-contracting.org/schema/1__1__5/versioned-release-validation-schema.json";

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

/// How serious a problem is (errors sort first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data does not conform (the only severity that fails validation).
    Error,
    /// The data conforms, but something deserves a look (e.g. a code outside an open codelist,
    /// a deprecated field).
    Warning,
    /// For information: the data uses something OCDS allows (an additional field).
    Info,
}

impl Severity {
    /// The severity's name (`error`, `warning`, `info`), as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
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
    /// A field the schema marks as deprecated.
    Deprecated,
    /// A field the schema does not define (an additional field).
    Additional,
    /// The package's extensions (which cannot be applied without a patched schema).
    Extensions,
}

/// What the schema says of a deprecated field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Deprecation {
    /// The OCDS version that deprecated the field (`deprecatedVersion`, e.g. `1.1`).
    pub version: String,
    /// Why, and what to use instead (the schema's `description`).
    pub description: String,
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
    /// For a deprecated field, what the schema says of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
}

impl Problem {
    fn new(path: impl Into<String>, message: String, severity: Severity, check: Check) -> Self {
        Problem {
            path: path.into(),
            message,
            severity,
            check,
            deprecated: None,
        }
    }

    pub(crate) fn schema(path: &str, message: String) -> Self {
        Problem::new(path, message, Severity::Error, Check::Schema)
    }
}

/// The uses of one deprecated field, grouped as the Data Review Tool groups them: by field name
/// (and what the schema says of it), with the number of uses at each path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeprecatedField {
    /// The field's name (`amendment`).
    pub field: String,
    /// The OCDS version that deprecated it.
    pub version: String,
    /// The schema's description of the deprecation.
    pub description: String,
    /// The number of uses.
    pub count: usize,
    /// Where, with array positions as `*` (`releases/*/tender/amendment`).
    pub paths: Vec<FieldUse>,
}

/// How often a field occurs at a path (array positions as `*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldUse {
    /// The path, with array positions as `*`.
    pub path: String,
    /// The number of occurrences.
    pub count: usize,
}

/// The validation report of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The file name.
    pub file: String,
    /// What the file holds: `release package`, `record package`, `release`, or `unknown`.
    pub format: String,
    /// The problems found: errors, then warnings, then information.
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
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .count()
    }

    /// The number of informational messages (additional fields).
    pub fn info_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Info)
            .count()
    }

    /// The deprecated fields used, by field name (sorted), with their paths in order of first use.
    pub fn deprecated_fields(&self) -> Vec<DeprecatedField> {
        let mut groups: BTreeMap<(&str, &Deprecation), Vec<FieldUse>> = BTreeMap::new();
        for p in &self.problems {
            let Some(d) = &p.deprecated else { continue };
            let field = p.path.rsplit('/').next().unwrap_or_default();
            count_use(groups.entry((field, d)).or_default(), generic(&p.path));
        }
        groups
            .into_iter()
            .map(|((field, d), paths)| DeprecatedField {
                field: field.to_string(),
                version: d.version.clone(),
                description: d.description.clone(),
                count: paths.iter().map(|u| u.count).sum(),
                paths,
            })
            .collect()
    }

    /// The additional fields (the outermost of each subtree), by path with array positions as
    /// `*`, in order of first occurrence.
    pub fn additional_fields(&self) -> Vec<FieldUse> {
        let mut uses = Vec::new();
        for p in self
            .problems
            .iter()
            .filter(|p| p.check == Check::Additional)
        {
            count_use(&mut uses, generic(&p.path));
        }
        uses
    }

    /// Whether the file has errors.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
}

fn count_use(uses: &mut Vec<FieldUse>, path: String) {
    match uses.iter_mut().find(|u| u.path == path) {
        Some(u) => u.count += 1,
        None => uses.push(FieldUse { path, count: 1 }),
    }
}

fn list_uses(uses: &[FieldUse]) -> String {
    uses.iter()
        .map(|u| format!("{} ({})", u.path, u.count))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {}: {} error(s), {} warning(s), {} info",
            self.file,
            self.format,
            self.error_count(),
            self.warning_count(),
            self.info_count()
        )?;
        for p in &self.problems {
            let path = if p.path.is_empty() {
                "(document)"
            } else {
                p.path.as_str()
            };
            writeln!(f, "  {}: {path}: {}", p.severity.as_str(), p.message)?;
        }
        let deprecated = self.deprecated_fields();
        if !deprecated.is_empty() {
            writeln!(f, "  deprecated fields, by field:")?;
            for d in &deprecated {
                let since = if d.version.is_empty() {
                    String::new()
                } else {
                    format!(" (since OCDS {})", d.version)
                };
                writeln!(
                    f,
                    "    {}{since}: {} use(s): {}",
                    d.field,
                    d.count,
                    list_uses(&d.paths)
                )?;
            }
        }
        let additional = self.additional_fields();
        if !additional.is_empty() {
            writeln!(f, "  additional fields, by path:")?;
            for u in &additional {
                writeln!(f, "    {}: {}", u.path, u.count)?;
            }
        }
        Ok(())
    }
}

struct Data {
    codelists: HashMap<String, HashSet<String>>,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let codelists = CODELISTS
            .iter()
            .map(|(name, csv)| ((*name).to_string(), codes(csv)))
            .collect();
        Data { codelists }
    })
}

/// The schemas packages are validated against: the official OCDS 1.1.5 package schemas, with
/// either the official release schema ([`Schemas::official`]) or a patched one
/// ([`Schemas::with_release_schema`]).
#[derive(Debug)]
pub struct Schemas {
    registry: Registry,
    patched: bool,
}

fn shipped(text: &str) -> Value {
    serde_json::from_str(text).expect("shipped schema is JSON")
}

impl Schemas {
    /// The official OCDS 1.1.5 schemas.
    pub fn official() -> &'static Schemas {
        static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
        SCHEMAS.get_or_init(|| Schemas {
            registry: Registry::new([
                (
                    RELEASE_SCHEMA_ID.to_string(),
                    shipped(crate::rules::RELEASE_SCHEMA_1_1_5),
                ),
                (
                    RELEASE_PACKAGE_SCHEMA_ID.to_string(),
                    shipped(RELEASE_PACKAGE_SCHEMA),
                ),
                (
                    RECORD_PACKAGE_SCHEMA_ID.to_string(),
                    shipped(RECORD_PACKAGE_SCHEMA),
                ),
                (
                    VERSIONED_RELEASE_SCHEMA_ID.to_string(),
                    shipped(VERSIONED_RELEASE_SCHEMA),
                ),
            ]),
            patched: false,
        })
    }

    /// The official package schemas with a patched release schema (the release schema with
    /// extensions applied) in place of the official one: the releases of release packages and
    /// the releases and compiled releases of record packages are validated against it.
    /// (Versioned releases are still validated against the official versioned release schema.)
    ///
    /// Fails if `schema` does not look like a release schema (an object whose `properties` has
    /// `ocid`) or has a `$ref` that cannot be resolved.
    pub fn with_release_schema(schema: Value) -> Result<Schemas, Error> {
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                Error::Schema(format!(
                    "not a release schema: expected an object with a `properties` object, found {}",
                    match &schema {
                        Value::Object(_) => "an object without one",
                        other => crate::compile::kind(other),
                    }
                ))
            })?;
        if !props.contains_key("ocid") {
            let hint = if props.contains_key("releases") || props.contains_key("records") {
                " (it looks like a package schema)"
            } else {
                ""
            };
            return Err(Error::Schema(format!(
                "not a release schema: it has no `ocid` property{hint}"
            )));
        }
        let own_id = schema
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty() && *id != RELEASE_SCHEMA_ID)
            .map(str::to_string);
        let mut docs = vec![
            (RELEASE_SCHEMA_ID.to_string(), schema.clone()),
            (
                RELEASE_PACKAGE_SCHEMA_ID.to_string(),
                shipped(RELEASE_PACKAGE_SCHEMA),
            ),
            (
                RECORD_PACKAGE_SCHEMA_ID.to_string(),
                shipped(RECORD_PACKAGE_SCHEMA),
            ),
            (
                VERSIONED_RELEASE_SCHEMA_ID.to_string(),
                shipped(VERSIONED_RELEASE_SCHEMA),
            ),
        ];
        if let Some(id) = own_id
            && !docs.iter().any(|(known, _)| *known == id)
        {
            docs.push((id, schema));
        }
        let registry = Registry::new(docs);
        let root = registry.doc(RELEASE_SCHEMA_ID).expect("just registered");
        check_refs(&registry, root, root, "", 0)?;
        Ok(Schemas {
            registry,
            patched: true,
        })
    }

    /// Whether the release schema is a patched one.
    pub fn is_patched(&self) -> bool {
        self.patched
    }
}

/// Check that every `$ref` in `value` (at `path` in schema `root`) can be resolved.
fn check_refs(
    registry: &Registry,
    value: &Value,
    root: &Value,
    path: &str,
    depth: usize,
) -> Result<(), Error> {
    if depth > 256 {
        return Err(Error::Schema(format!(
            "the schema nests too deeply at {path}"
        )));
    }
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let shown = if path.is_empty() { "(document)" } else { path };
                let Some(text) = reference.as_str() else {
                    return Err(Error::Schema(format!(
                        "the `$ref` at {shown} is {}, not a string",
                        crate::compile::kind(reference)
                    )));
                };
                if registry.resolve(value, root).is_none() {
                    return Err(Error::Schema(format!(
                        "the `$ref` {text:?} at {shown} cannot be resolved (only references \
                         within the schema and to the OCDS 1.1.5 schemas are)"
                    )));
                }
            }
            for (key, child) in map {
                check_refs(registry, child, root, &join(path, key), depth + 1)?;
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_refs(
                    registry,
                    child,
                    root,
                    &join(path, &i.to_string()),
                    depth + 1,
                )?;
            }
        }
        _ => {}
    }
    Ok(())
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
                out.push(Problem::new(
                    p,
                    format!("\"{code}\" is not in the open codelist {list} (an additional code)"),
                    Severity::Warning,
                    Check::Codelist,
                ));
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
            out.push(Problem::new(
                format!("{list}/{i}"),
                format!("{what} ({key}) is not unique: {list}/{first} has the same"),
                Severity::Error,
                Check::Uniqueness,
            ));
        } else {
            seen.insert(key, i);
        }
    }
}

/// Validate a parsed document (a release package or record package) against the official
/// OCDS 1.1.5 schemas.
pub fn validate_value(file: &str, value: &Value) -> Report {
    validate_value_with(file, value, Schemas::official())
}

/// The warning for a package that declares extensions when the release schema is not patched.
fn extensions_not_applied(value: &Value) -> Option<Problem> {
    let count = value.get("extensions")?.as_array()?.len();
    (count > 0).then(|| {
        Problem::new(
            "extensions",
            format!(
                "the package declares {count} extension(s), which were not applied (they \
                 cannot be fetched offline): their fields are reported as additional fields \
                 and are not validated; give a patched release schema with --schema to apply \
                 them"
            ),
            Severity::Warning,
            Check::Extensions,
        )
    })
}

/// Validate a parsed document (a release package or record package) against `schemas`.
pub fn validate_value_with(file: &str, value: &Value, schemas: &Schemas) -> Report {
    let (format, schema_id) = if value.get("records").is_some() {
        ("record package", RECORD_PACKAGE_SCHEMA_ID)
    } else if value.get("releases").is_some() {
        ("release package", RELEASE_PACKAGE_SCHEMA_ID)
    } else if value.get("ocid").is_some() && value.get("date").is_some() {
        ("release", RELEASE_SCHEMA_ID)
    } else {
        let problem = Problem::schema(
            "",
            format!(
                "not OCDS data: expected a release package or record package, found {}",
                match value {
                    Value::Object(_) => "an object without `releases` or `records`",
                    other => crate::compile::kind(other),
                }
            ),
        );
        return Report {
            file: file.into(),
            format: "unknown".into(),
            problems: vec![problem],
        };
    };
    let registry = &schemas.registry;
    let root = registry.doc(schema_id).expect("registered schema");
    let validator = Validator {
        registry,
        skip_unique: &["releases", "records"],
    };
    let mut problems = Vec::new();
    validator.validate(value, root, root, "", &mut problems);
    uniqueness(value, format, &mut problems);
    if !schemas.patched
        && format != "release"
        && let Some(warning) = extensions_not_applied(value)
    {
        problems.push(warning);
    }
    let release_schema = registry.doc(RELEASE_SCHEMA_ID).expect("registered schema");
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
    Fields { registry }.check(value, root, root, "", &mut problems);
    problems.sort_by_key(|p| p.severity);
    Report {
        file: file.into(),
        format: format.into(),
        problems,
    }
}

/// Validate the bytes of a file against the official OCDS 1.1.5 schemas: JSON syntax first,
/// then [`validate_value`].
pub fn validate_bytes(file: &str, bytes: &[u8]) -> Report {
    validate_bytes_with(file, bytes, Schemas::official())
}

/// Validate the bytes of a file against `schemas`: JSON syntax first, then
/// [`validate_value_with`].
pub fn validate_bytes_with(file: &str, bytes: &[u8], schemas: &Schemas) -> Report {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => validate_value_with(file, &value, schemas),
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
                problems: vec![Problem::new(
                    "",
                    format!(
                        "{what} at line {}, column {}: {detail}",
                        e.line(),
                        e.column()
                    ),
                    Severity::Error,
                    Check::Json,
                )],
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
