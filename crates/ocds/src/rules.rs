//! Merge rules derived from a release schema, as the official merge routine derives them.
//!
//! A rule applies to a path of property names (array positions are not part of the path):
//! `omitWhenMerged` drops the field, `wholeListMerge` replaces the field's value as a whole.
//! Arrays of objects whose items have an `id` property and no rule are merged by identifier.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::Error;

/// The official OCDS 1.1.5 release schema, shipped inside the crate.
pub const RELEASE_SCHEMA_1_1_5: &str = include_str!("../schemas/release-schema.json");
/// The official OCDS 1.0.3 release schema, shipped inside the crate.
pub const RELEASE_SCHEMA_1_0_3: &str = include_str!("../schemas/release-schema-1__0__3.json");

/// How the merge routine treats one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// The field is not carried into compiled and versioned releases.
    OmitWhenMerged,
    /// The field's value (an array) replaces the earlier value as a whole.
    WholeListMerge,
}

impl Rule {
    /// The rule's name as the OCDS schema spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::OmitWhenMerged => "omitWhenMerged",
            Rule::WholeListMerge => "wholeListMerge",
        }
    }
}

/// A node of the rule tree: the rule at this path, and the rules below it.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleNode {
    pub(crate) rule: Option<Rule>,
    /// (Looked up for every field of every release: a fast hasher.)
    pub(crate) children: HashMap<String, RuleNode, crate::compile::BuildPathHasher>,
}

/// The merge rules of a release schema, keyed by paths of property names.
///
/// [`MergeRules::default`] gives the rules of the official OCDS 1.1.5 release schema.
#[derive(Debug, Clone)]
pub struct MergeRules {
    pub(crate) root: RuleNode,
}

/// How deep `$ref` chains and nested properties may go before a schema is refused as recursive.
const MAX_DEPTH: usize = 64;

impl Default for MergeRules {
    fn default() -> Self {
        MergeRules::ocds_1_1()
    }
}

impl MergeRules {
    /// No rules at all: every array of objects is merged by identifier, nothing is omitted.
    pub fn empty() -> Self {
        MergeRules {
            root: RuleNode::default(),
        }
    }

    /// The rules of the official OCDS 1.1.5 release schema (the default of the merge routine).
    pub fn ocds_1_1() -> Self {
        static RULES: std::sync::OnceLock<MergeRules> = std::sync::OnceLock::new();
        RULES
            .get_or_init(|| {
                let schema: Value =
                    serde_json::from_str(RELEASE_SCHEMA_1_1_5).expect("shipped schema is JSON");
                MergeRules::from_schema(&schema).expect("shipped schema is a release schema")
            })
            .clone()
    }

    /// The rules of the official OCDS 1.0.3 release schema.
    pub fn ocds_1_0() -> Self {
        let schema: Value =
            serde_json::from_str(RELEASE_SCHEMA_1_0_3).expect("shipped schema is JSON");
        MergeRules::from_schema(&schema).expect("shipped schema is a release schema")
    }

    /// The official rules for an OCDS minor version (`"1.0"` or `"1.1"`), as `ocdskit` picks
    /// them when no schema is given; `None` for an unknown version.
    pub fn for_version(version: &str) -> Option<Self> {
        match version {
            "1.1" => Some(MergeRules::ocds_1_1()),
            "1.0" => Some(MergeRules::ocds_1_0()),
            _ => None,
        }
    }

    /// Derive the rules from a release schema, resolving local `$ref`s (`#/definitions/...`).
    ///
    /// Fails if the schema is not an object with a `properties` object that has an `ocid`
    /// property (that is, if it does not look like a release schema), or if a `$ref` cannot be
    /// resolved.
    pub fn from_schema(schema: &Value) -> Result<Self, Error> {
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .ok_or_else(|| Error::Schema("the schema has no `properties` object".into()))?;
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
        let mut root = RuleNode::default();
        let resolver = Resolver { root: schema };
        derive(&resolver, props, &mut root, 0)?;
        Ok(MergeRules { root })
    }

    /// The rule at a path of property names, if any.
    pub fn get<S: AsRef<str>>(&self, path: &[S]) -> Option<Rule> {
        let mut node = &self.root;
        for part in path {
            node = node.children.get(part.as_ref())?;
        }
        node.rule
    }

    /// Every rule with its path, sorted by path.
    pub fn iter(&self) -> Vec<(Vec<String>, Rule)> {
        fn walk(node: &RuleNode, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Rule)>) {
            if let Some(rule) = node.rule {
                out.push((path.clone(), rule));
            }
            for (key, child) in &node.children {
                path.push(key.clone());
                walk(child, path, out);
                path.pop();
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut Vec::new(), &mut out);
        out.sort();
        out
    }

    fn insert(node: &mut RuleNode, key: &str, rule: Rule) {
        node.children.entry(key.to_owned()).or_default().rule = Some(rule);
    }
}

struct Resolver<'s> {
    root: &'s Value,
}

impl<'s> Resolver<'s> {
    /// Follow `$ref` (replacing the referring object entirely, as `jsonref` does).
    fn resolve(&self, mut value: &'s Value) -> Result<&'s Value, Error> {
        for _ in 0..MAX_DEPTH {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok(value);
            };
            let pointer = reference.split_once('#').map(|(_, p)| p).unwrap_or("");
            if !reference.starts_with('#') && !reference.contains("release-schema.json") {
                return Err(Error::Schema(format!(
                    "cannot resolve `$ref` {reference:?}: only references within the schema are supported"
                )));
            }
            value = self.root.pointer(pointer).ok_or_else(|| {
                Error::Schema(format!("cannot resolve `$ref` {reference:?} in the schema"))
            })?;
        }
        Err(Error::Schema(
            "`$ref` chain too long (recursive schema?)".into(),
        ))
    }
}

fn types(value: &Value) -> Vec<&str> {
    match value.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// The recursion of `ocdsmerge.rules._get_merge_rules`.
fn derive(
    resolver: &Resolver<'_>,
    properties: &Map<String, Value>,
    node: &mut RuleNode,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::Schema(
            "the schema nests properties too deeply (recursive schema?)".into(),
        ));
    }
    for (key, raw) in properties {
        let value = resolver.resolve(raw)?;
        let types = types(value);
        let strategy = value.get("mergeStrategy").and_then(Value::as_str);
        if truthy(value.get("omitWhenMerged")) || strategy == Some("ocdsOmit") {
            MergeRules::insert(node, key, Rule::OmitWhenMerged);
        } else if types.contains(&"array")
            && (truthy(value.get("wholeListMerge")) || strategy == Some("ocdsVersion"))
        {
            MergeRules::insert(node, key, Rule::WholeListMerge);
        } else if types.contains(&"object") && value.get("properties").is_some() {
            if let Some(props) = value.get("properties").and_then(Value::as_object) {
                let mut child = RuleNode::default();
                derive(resolver, props, &mut child, depth + 1)?;
                if child.rule.is_some() || !child.children.is_empty() {
                    node.children.insert(key.clone(), child);
                }
            }
        } else if types.contains(&"array") && value.get("items").is_some() {
            let items = resolver.resolve(&value["items"])?;
            let item_types = types_of(items);
            if item_types.iter().any(|t| t != "object") {
                MergeRules::insert(node, key, Rule::WholeListMerge);
            } else if item_types.iter().any(|t| t == "object") && items.get("properties").is_some()
            {
                match items.get("properties").and_then(Value::as_object) {
                    Some(props) if props.contains_key("id") => {
                        let mut child = RuleNode::default();
                        derive(resolver, props, &mut child, depth + 1)?;
                        if child.rule.is_some() || !child.children.is_empty() {
                            node.children.insert(key.clone(), child);
                        }
                    }
                    _ => MergeRules::insert(node, key, Rule::WholeListMerge),
                }
            }
        }
    }
    Ok(())
}

fn types_of(value: &Value) -> Vec<String> {
    types(value).into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules() {
        let rules = MergeRules::ocds_1_1();
        assert_eq!(rules.get(&["id"]), Some(Rule::OmitWhenMerged));
        assert_eq!(rules.get(&["tag"]), Some(Rule::OmitWhenMerged));
        assert_eq!(rules.get(&["ocid"]), None);
        assert_eq!(
            rules.get(&["tender", "submissionMethod"]),
            Some(Rule::WholeListMerge)
        );
        assert_eq!(rules.get(&["awards", "suppliers"]), None);
        let old = MergeRules::ocds_1_0();
        assert_eq!(
            old.get(&["awards", "suppliers"]),
            Some(Rule::WholeListMerge)
        );
    }

    #[test]
    fn refuses_package_schema() {
        let schema: Value =
            serde_json::from_str(include_str!("../schemas/release-package-schema.json")).unwrap();
        let err = MergeRules::from_schema(&schema).unwrap_err().to_string();
        assert!(err.contains("not a release schema"), "{err}");
        assert!(MergeRules::from_schema(&Value::Null).is_err());
    }

    #[test]
    fn unresolvable_ref() {
        let schema = serde_json::json!({"properties": {"ocid": {"type": "string"},
            "x": {"$ref": "#/definitions/Nope"}}});
        assert!(MergeRules::from_schema(&schema).is_err());
    }
}
