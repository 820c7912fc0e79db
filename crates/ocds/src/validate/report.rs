//! What validation found: problems with their severity, check and JSON path, and the report of
//! a file (with deprecated and additional fields grouped, as the Data Review Tool groups them).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::schema::generic;

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
    pub(super) fn new(
        path: impl Into<String>,
        message: String,
        severity: Severity,
        check: Check,
    ) -> Self {
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
