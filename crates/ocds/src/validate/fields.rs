//! Deprecated fields and additional fields, found by walking the data alongside the schema, as
//! the OCDS Data Review Tool reports them.
//!
//! - A field is **deprecated** if its property schema has `deprecated` (`{"deprecatedVersion":
//!   "1.1", "description": "..."}`), or the schema its `$ref` points to has.
//! - A field is **additional** if no schema that applies to its object defines it (`properties`,
//!   `patternProperties` or an `additionalProperties` schema). Only the outermost additional
//!   field of a subtree is reported, with the number of fields inside it.
//!
//! Where several schemas apply (`oneOf`, `anyOf`, `allOf`), a field is defined if any of them
//! defines it, as the Data Review Tool's list of schema fields is the union of the branches.

use serde_json::{Map, Value};

use super::schema::{Registry, join};
use super::{Check, Deprecation, Problem, Severity};

/// A schema and the document it is in.
type Node<'s> = (&'s Value, &'s Value);

/// How deep `oneOf`/`anyOf`/`allOf` branches and `$ref`s are followed for one value.
const MAX_EXPANSION: usize = 16;

pub(crate) struct Fields<'r> {
    pub(crate) registry: &'r Registry,
}

/// Whether `schema` describes values of JSON type `ty` (`"object"` or `"array"`) and so says
/// which fields or items they have. A schema without `type` describes them if it has
/// `properties` (objects) or `items` (arrays), and does not if it only combines other schemas.
fn describes(schema: &Value, ty: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == ty,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(ty)),
        Some(_) => true,
        None => {
            let own = match ty {
                "object" => ["properties", "patternProperties", "additionalProperties"]
                    .iter()
                    .any(|k| schema.get(k).is_some()),
                _ => schema.get("items").is_some(),
            };
            own || !["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|k| schema.get(k).is_some())
        }
    }
}

/// The number of fields inside a value (in nested objects, also inside arrays).
fn count_fields(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.len() + map.values().map(count_fields).sum::<usize>(),
        Value::Array(items) => items.iter().map(count_fields).sum(),
        _ => 0,
    }
}

fn deprecation_of(schema: &Value) -> Option<Deprecation> {
    let d = schema.get("deprecated")?;
    let text = |key: &str| {
        d.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    match d {
        Value::Null | Value::Bool(false) => None,
        _ => Some(Deprecation {
            version: text("deprecatedVersion"),
            description: text("description"),
        }),
    }
}

impl<'r> Fields<'r> {
    /// Walk `value` at `path`, described by `schema` (in document `root`).
    pub(crate) fn check(
        &self,
        value: &Value,
        schema: &'r Value,
        root: &'r Value,
        path: &str,
        out: &mut Vec<Problem>,
    ) {
        let mut schemas = Vec::new();
        self.expand(schema, root, &mut schemas, 0);
        self.walk(value, &schemas, path, out);
    }

    /// The schemas that apply to a value: `schema` itself with its `$ref`s resolved, and the
    /// branches of its `oneOf`, `anyOf` and `allOf`.
    fn expand(&self, schema: &'r Value, root: &'r Value, into: &mut Vec<Node<'r>>, depth: usize) {
        if depth > MAX_EXPANSION {
            return;
        }
        let Some((schema, root)) = self.registry.resolve(schema, root) else {
            return;
        };
        if !schema.is_object() {
            return;
        }
        into.push((schema, root));
        for keyword in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(branches)) = schema.get(keyword) {
                for branch in branches {
                    self.expand(branch, root, into, depth + 1);
                }
            }
        }
    }

    fn walk(&self, value: &Value, schemas: &[Node<'r>], path: &str, out: &mut Vec<Problem>) {
        match value {
            Value::Object(map) => self.object(map, schemas, path, out),
            Value::Array(items) => {
                let mut item_schemas = Vec::new();
                for (schema, root) in schemas {
                    if describes(schema, "array")
                        && let Some(item) = schema.get("items").filter(|i| i.is_object())
                    {
                        self.expand(item, root, &mut item_schemas, 0);
                    }
                }
                if item_schemas.is_empty() {
                    return;
                }
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, &item_schemas, &join(path, &i.to_string()), out);
                }
            }
            _ => {}
        }
    }

    fn object(
        &self,
        map: &Map<String, Value>,
        schemas: &[Node<'r>],
        path: &str,
        out: &mut Vec<Problem>,
    ) {
        let objects: Vec<&Node<'r>> = schemas
            .iter()
            .filter(|(s, _)| describes(s, "object"))
            .collect();
        if objects.is_empty() {
            // Not an object where the schema expects one (a schema error says so), or nothing
            // is known about it.
            return;
        }
        // Fields that the schema forbids are schema errors, not additional fields.
        let closed = objects
            .iter()
            .any(|(s, _)| s.get("additionalProperties") == Some(&Value::Bool(false)));
        for (key, child) in map {
            let child_path = join(path, key);
            let mut child_schemas = Vec::new();
            let mut defined = false;
            let mut deprecation = None;
            for (schema, root) in &objects {
                if let Some(prop) = schema.get("properties").and_then(|p| p.get(key)) {
                    defined = true;
                    if deprecation.is_none() {
                        deprecation = deprecation_of(prop).or_else(|| {
                            self.registry
                                .resolve(prop, root)
                                .and_then(|(target, _)| deprecation_of(target))
                        });
                    }
                    self.expand(prop, root, &mut child_schemas, 0);
                }
            }
            if !defined {
                for (schema, root) in &objects {
                    if let Some(patterns) =
                        schema.get("patternProperties").and_then(Value::as_object)
                    {
                        for (pattern, prop) in patterns {
                            if self
                                .registry
                                .regex(pattern)
                                .is_some_and(|re| re.is_match(key))
                            {
                                defined = true;
                                self.expand(prop, root, &mut child_schemas, 0);
                            }
                        }
                    }
                }
            }
            if !defined {
                for (schema, root) in &objects {
                    if let Some(prop) = schema.get("additionalProperties").filter(|p| p.is_object())
                    {
                        defined = true;
                        self.expand(prop, root, &mut child_schemas, 0);
                    }
                }
            }
            if !defined {
                if !closed {
                    let inside = count_fields(child);
                    let message = if inside == 0 {
                        format!("`{key}` is not in the schema (an additional field)")
                    } else {
                        format!(
                            "`{key}` is not in the schema (an additional field, with {inside} \
                             field(s) inside)"
                        )
                    };
                    out.push(Problem {
                        path: child_path,
                        message,
                        severity: Severity::Info,
                        check: Check::Additional,
                        deprecated: None,
                    });
                }
                continue;
            }
            if let Some(d) = deprecation {
                let since = if d.version.is_empty() {
                    String::new()
                } else {
                    format!(" since OCDS {}", d.version)
                };
                let why = if d.description.is_empty() {
                    String::new()
                } else {
                    format!(": {}", d.description)
                };
                out.push(Problem {
                    path: child_path.clone(),
                    message: format!("`{key}` is deprecated{since}{why}"),
                    severity: Severity::Warning,
                    check: Check::Deprecated,
                    deprecated: Some(d),
                });
            }
            self.walk(child, &child_schemas, &child_path, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nested_fields() {
        let v = serde_json::json!({"a": {"b": 1, "c": [{"d": 1}, 2]}, "e": null});
        assert_eq!(count_fields(&v), 5);
        assert_eq!(count_fields(&Value::Null), 0);
    }

    #[test]
    fn what_schemas_describe() {
        assert!(describes(
            &serde_json::json!({"type": ["object", "null"]}),
            "object"
        ));
        assert!(!describes(&serde_json::json!({"type": "string"}), "object"));
        assert!(describes(
            &serde_json::json!({"description": "anything"}),
            "object"
        ));
        assert!(!describes(
            &serde_json::json!({"oneOf": [{"type": "string"}]}),
            "object"
        ));
        assert!(describes(
            &serde_json::json!({"items": {}, "oneOf": []}),
            "array"
        ));
    }
}
