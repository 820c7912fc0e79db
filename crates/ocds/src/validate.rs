//! Validation of release and record packages in the manner of the OCDS Data Review Tool:
//! JSON Schema validation against the official 1.1.5 package schemas (or a patched release
//! schema, see [`Schemas`]), open codelist checks (codes not in an open codelist are warnings;
//! closed codelists are enforced by the schema), uniqueness of `ocid` + `id` (releases) or
//! `ocid` (records), deprecated fields (warnings) and additional fields (information: OCDS
//! allows them). Each problem has a JSON path (`releases/0/tender/status`) and a plain message.

mod codelists;
mod fields;
mod report;
mod schema;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use self::codelists::open_codelists;
use self::fields::Fields;
pub use self::report::{Check, DeprecatedField, Deprecation, FieldUse, Problem, Report, Severity};
use self::schema::{Registry, Validator, join};
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

/// The schemas packages are validated against: the official OCDS 1.1.5 package schemas, with
/// either the official release schema ([`Schemas::official`]) or a patched one
/// ([`Schemas::with_release_schema`]).
#[derive(Debug)]
pub struct Schemas {
    registry: Registry,
    patched: bool,
}

/// The schema documents by id: the given release schema and the shipped package and versioned
/// release schemas.
fn documents(release_schema: Value) -> Vec<(String, Value)> {
    vec![
        (RELEASE_SCHEMA_ID.to_string(), release_schema),
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
    ]
}

fn shipped(text: &str) -> Value {
    serde_json::from_str(text).expect("shipped schema is JSON")
}

impl Schemas {
    /// The official OCDS 1.1.5 schemas.
    pub fn official() -> &'static Schemas {
        static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
        SCHEMAS.get_or_init(|| Schemas {
            registry: Registry::new(documents(shipped(crate::rules::RELEASE_SCHEMA_1_1_5))),
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
        let mut docs = documents(schema.clone());
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
