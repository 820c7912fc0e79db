//! A focused JSON Schema draft-04 validator for the keywords the OCDS 1.1 schemas use:
//! `type`, `required`, `properties`, `patternProperties`, `additionalProperties`, `items`,
//! `enum`, `format` (`date-time`, `uri`), `pattern`, `minLength`, `minItems`, `minProperties`,
//! `uniqueItems`, `$ref`, `oneOf`, `anyOf`. Other keywords are ignored.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use regex_lite::Regex;
use serde_json::{Map, Value};

use super::Problem;
use crate::compile::kind;

/// Schemas by their `id`, so that `$ref`s between documents resolve.
#[derive(Debug)]
pub(crate) struct Registry {
    docs: HashMap<String, Value>,
    /// Compiled patterns, shared: a `Regex` keeps its matching caches, which a clone would not.
    regexes: std::sync::Mutex<HashMap<String, Option<Arc<Regex>>>>,
}

impl Registry {
    /// A registry of schema documents, each under the id it is referred to by.
    pub(crate) fn new(docs: impl IntoIterator<Item = (String, Value)>) -> Self {
        Registry {
            docs: docs.into_iter().collect(),
            regexes: Default::default(),
        }
    }

    pub(crate) fn doc(&self, id: &str) -> Option<&Value> {
        self.docs.get(id)
    }

    /// Follow `$ref`s from `schema` (within document `root`) to the schema they point to, and
    /// the document it is in; `None` if a reference cannot be resolved (or the chain is too long).
    pub(crate) fn resolve<'s>(
        &'s self,
        schema: &'s Value,
        root: &'s Value,
    ) -> Option<(&'s Value, &'s Value)> {
        let mut schema = schema;
        let mut root = root;
        for _ in 0..32 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                return Some((schema, root));
            };
            let (doc, pointer) = reference.split_once('#').unwrap_or((reference, ""));
            if !doc.is_empty() {
                root = self.doc(doc)?;
            }
            schema = root.pointer(pointer)?;
        }
        None
    }

    pub(crate) fn regex(&self, pattern: &str) -> Option<Arc<Regex>> {
        let mut cache = self
            .regexes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(pattern).ok().map(Arc::new))
            .clone()
    }
}

/// What the validator skips: paths (with array indexes replaced by `*`) where `uniqueItems` is
/// replaced by the OCDS uniqueness checks.
pub(crate) struct Validator<'r> {
    pub(crate) registry: &'r Registry,
    pub(crate) skip_unique: &'r [&'r str],
}

/// A JSON pointer path under construction.
pub(crate) fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}/{part}")
    }
}

/// A path with its array positions replaced by `*` (`releases/*/tender/items/*/id`).
pub(crate) fn generic(path: &str) -> String {
    path.split('/')
        .map(|p| if p.parse::<usize>().is_ok() { "*" } else { p })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_type(value: &Value, ty: &str) -> bool {
    match ty {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "number" => value.is_number(),
        "integer" => match value {
            Value::Number(n) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        _ => true,
    }
}

/// Whether a string is an RFC 3339 date-time (as `strict_rfc3339` checks it).
pub(crate) fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    let num =
        |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok()).unwrap_or(99);
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
    {
        return false;
    }
    if !matches!(b[10], b'T' | b't')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let (month, day) = (num(5..7), num(8..10));
    if !(1..=12).contains(&month)
        || day == 0
        || day > 31
        || num(11..13) > 23
        || num(14..16) > 59
        || num(17..19) > 60
    {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
                && num(i + 1..i + 3) <= 23
                && num(i + 4..i + 6) <= 59
        }
        _ => false,
    }
}

/// Whether a string is an absolute URI (a scheme, then no spaces or control characters).
pub(crate) fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<_> = map.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&map[*k])))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        Value::Number(n) => match crate::pyjson::py_num(n) {
            crate::pyjson::PyNum::Int(i) => i.to_string(),
            crate::pyjson::PyNum::Float(bits) => f64::from_bits(bits).to_string(),
        },
        other => other.to_string(),
    }
}

impl<'r> Validator<'r> {
    /// Validate `value` at `path` against `schema` (within document `root`).
    pub(crate) fn validate(
        &self,
        value: &Value,
        schema: &Value,
        root: &Value,
        path: &str,
        out: &mut Vec<Problem>,
    ) {
        let Some((schema, root)) = self.registry.resolve(schema, root) else {
            out.push(Problem::schema(
                path,
                "the schema has a `$ref` that cannot be resolved".into(),
            ));
            return;
        };
        let Some(s) = schema.as_object() else { return };

        if let Some(ty) = s.get("type") {
            let types: Vec<&str> = match ty {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !types.is_empty() && !types.iter().any(|t| is_type(value, t)) {
                let expected = types
                    .iter()
                    .filter(|t| **t != "null")
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" or ");
                let expected = if expected.is_empty() {
                    "null".to_string()
                } else {
                    expected
                };
                out.push(Problem::schema(
                    path,
                    format!("{} is {}, not {expected}", show(value), kind(value)),
                ));
                return;
            }
        }
        if let Some(Value::Array(allowed)) = s.get("enum")
            && !allowed.iter().any(|a| crate::pyjson::py_eq(a, value))
        {
            let codelist = s.get("codelist").and_then(Value::as_str);
            let message = match codelist {
                Some(c) => format!("{} is not a code of the closed codelist {c}", show(value)),
                None => format!(
                    "{} is not one of {}",
                    show(value),
                    show(&Value::Array(allowed.clone()))
                ),
            };
            out.push(Problem::schema(path, message));
        }
        match value {
            Value::String(text) => self.string(text, s, path, out),
            Value::Array(items) => self.array(items, s, root, path, out),
            Value::Object(map) => self.object(map, s, root, path, out),
            _ => {}
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = s.get(keyword) {
                self.branches(keyword, value, branches, root, path, out);
            }
        }
    }

    fn string(&self, text: &str, s: &Map<String, Value>, path: &str, out: &mut Vec<Problem>) {
        if let Some(min) = s.get("minLength").and_then(Value::as_u64)
            && (text.chars().count() as u64) < min
        {
            out.push(Problem::schema(
                path,
                format!(
                    "{} is too short (at least {min} characters)",
                    show(&Value::String(text.into()))
                ),
            ));
        }
        match s.get("format").and_then(Value::as_str) {
            Some("date-time") if !is_date_time(text) => out.push(Problem::schema(
                path,
                format!(
                    "{} is not a date-time (like 2020-01-31T09:30:00Z)",
                    show(&Value::String(text.into()))
                ),
            )),
            Some("uri") if !is_uri(text) => out.push(Problem::schema(
                path,
                format!("{} is not a URI", show(&Value::String(text.into()))),
            )),
            _ => {}
        }
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str)
            && let Some(re) = self.registry.regex(pattern)
            && !re.is_match(text)
        {
            out.push(Problem::schema(
                path,
                format!(
                    "{} does not match the pattern {pattern}",
                    show(&Value::String(text.into()))
                ),
            ));
        }
    }

    fn array(
        &self,
        items: &[Value],
        s: &Map<String, Value>,
        root: &Value,
        path: &str,
        out: &mut Vec<Problem>,
    ) {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            out.push(Problem::schema(
                path,
                format!(
                    "the array has {} items; at least {min} are required",
                    items.len()
                ),
            ));
        }
        if s.get("uniqueItems").and_then(Value::as_bool) == Some(true)
            && !self.skip_unique.contains(&generic(path).as_str())
        {
            let mut seen = HashSet::new();
            for (i, item) in items.iter().enumerate() {
                if !seen.insert(canonical(item)) {
                    out.push(Problem::schema(
                        &join(path, &i.to_string()),
                        format!("{} is a duplicate; the items must be unique", show(item)),
                    ));
                }
            }
        }
        if let Some(item_schema) = s.get("items").filter(|i| i.is_object()) {
            for (i, item) in items.iter().enumerate() {
                self.validate(item, item_schema, root, &join(path, &i.to_string()), out);
            }
        }
    }

    fn object(
        &self,
        map: &Map<String, Value>,
        s: &Map<String, Value>,
        root: &Value,
        path: &str,
        out: &mut Vec<Problem>,
    ) {
        if let Some(Value::Array(required)) = s.get("required") {
            for field in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(field) {
                    out.push(Problem::schema(
                        path,
                        format!("`{field}` is missing but required"),
                    ));
                }
            }
        }
        if let Some(min) = s.get("minProperties").and_then(Value::as_u64)
            && (map.len() as u64) < min
        {
            out.push(Problem::schema(
                path,
                format!(
                    "the object has {} fields; at least {min} are required",
                    map.len()
                ),
            ));
        }
        let properties = s.get("properties").and_then(Value::as_object);
        let patterns: Vec<(Arc<Regex>, &Value)> = s
            .get("patternProperties")
            .and_then(Value::as_object)
            .map(|p| {
                p.iter()
                    .filter_map(|(k, v)| Some((self.registry.regex(k)?, v)))
                    .collect()
            })
            .unwrap_or_default();
        let additional = s.get("additionalProperties");
        for (key, child) in map {
            let child_path = join(path, key);
            let mut defined = false;
            if let Some(prop) = properties.and_then(|p| p.get(key)) {
                defined = true;
                self.validate(child, prop, root, &child_path, out);
            }
            for (re, prop) in &patterns {
                if re.is_match(key) {
                    defined = true;
                    self.validate(child, prop, root, &child_path, out);
                }
            }
            match additional {
                _ if defined => {}
                Some(Value::Bool(false)) => out.push(Problem::schema(
                    &child_path,
                    format!("`{key}` is not allowed here: the schema allows no other fields"),
                )),
                Some(prop @ Value::Object(_)) => {
                    self.validate(child, prop, root, &child_path, out);
                }
                _ => {}
            }
        }
    }

    /// How many of the fields of `value` (of its items, for an array) `schema` defines.
    fn known_fields(&self, value: &Value, schema: &Value, root: &Value) -> usize {
        let Some((schema, root)) = self.registry.resolve(schema, root) else {
            return 0;
        };
        match value {
            Value::Object(map) => schema
                .get("properties")
                .and_then(Value::as_object)
                .map_or(0, |props| {
                    map.keys().filter(|k| props.contains_key(*k)).count()
                }),
            Value::Array(items) => match schema.get("items").filter(|i| i.is_object()) {
                Some(item) => items.iter().map(|v| self.known_fields(v, item, root)).sum(),
                None => 0,
            },
            _ => 0,
        }
    }

    fn branches(
        &self,
        keyword: &str,
        value: &Value,
        branches: &[Value],
        root: &Value,
        path: &str,
        out: &mut Vec<Problem>,
    ) {
        let results: Vec<Vec<Problem>> = branches
            .iter()
            .map(|b| {
                let mut errs = Vec::new();
                self.validate(value, b, root, path, &mut errs);
                errs
            })
            .collect();
        let valid = results.iter().filter(|r| r.is_empty()).count();
        if valid == 0 {
            // Report the errors of the branch the value was meant for: the one that knows most
            // of its fields (as the Data Review Tool picks embedded or linked releases in a
            // record by their fields), then the one with the fewest errors.
            let best = results.into_iter().zip(branches).min_by_key(|(errs, b)| {
                (
                    std::cmp::Reverse(self.known_fields(value, b, root)),
                    errs.len(),
                )
            });
            if let Some((best, _)) = best {
                out.extend(best);
            }
        } else if valid > 1 && keyword == "oneOf" {
            out.push(Problem::schema(
                path,
                "the value matches more than one of the allowed forms".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times() {
        for ok in [
            "2020-01-31T09:30:00Z",
            "2020-01-31T09:30:00.123+01:00",
            "2013-07-17T16:36:56.000Z",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2020-01-31",
            "2020-13-01T00:00:00Z",
            "2020-01-31T09:30:00",
            "31/01/2020",
            "2020-01-31T09:30:00+0100",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn uris() {
        assert!(is_uri("https://example.com/a?b=c#d"));
        assert!(is_uri("placeholder:"));
        assert!(!is_uri("example.com"));
        assert!(!is_uri("http://exa mple.com"));
    }
}
