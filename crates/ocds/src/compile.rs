//! Compiled and versioned releases, with the behaviour of the official merge routine
//! (Python `ocdsmerge` 0.8: `Merger.create_compiled_release` / `create_versioned_release`).
//!
//! The releases are sorted by `date` (stably), flattened into `path → value` pairs, merged
//! (the later value wins; in a versioned release each change is recorded with its `releaseID`,
//! `releaseDate` and `releaseTag`), and unflattened. Arrays of objects are merged by the `id` of
//! their items, `null` removes a field, and empty objects and arrays add nothing.

mod flatten;
mod tree;

use std::cmp::Ordering;

use std::borrow::Cow;

use serde_json::Value;

use crate::json::Json;

pub(crate) use self::flatten::BuildPathHasher;
use self::flatten::{Entry, Flat, Flattener, Slot, Version, encode};
pub use self::tree::Merged;
use crate::MergeRules;
use crate::pyjson::py_str_json;

/// Why releases could not be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// A release is not a JSON object.
    #[error("a release is {0}, not an object")]
    NotAnObject(&'static str),
    /// A release has no `date` field.
    #[error("the `date` field of at least one release is missing")]
    MissingDate,
    /// A release has a `null` date (and there is more than one release to sort).
    #[error("the `date` field of at least one release is null")]
    NullDate,
    /// A release has a date that is not a string.
    #[error("the `date` field of at least one release is not a string")]
    NonStringDate,
    /// A path is a value, an object and/or an array in different releases.
    #[error("inconsistent types: {0}")]
    InconsistentType(String),
    /// An `id` that cannot identify an object (an object or array).
    #[error("{0}")]
    UnsupportedId(String),
}

pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Sort releases by `date` as `ocdsmerge.util.sorted_releases` does (a single release is not
/// looked at).
fn sorted<'a>(releases: &[&'a Json<'a>]) -> Result<Vec<&'a Json<'a>>, MergeError> {
    for r in releases {
        if !r.is_object() {
            return Err(MergeError::NotAnObject(r.kind()));
        }
    }
    by_date(releases, |r| r.get("date"))
}

/// Sort items by their release's `date` (stably), as `ocdsmerge.util.sorted_releases` does.
fn by_date<'j, T: Copy>(
    items: &[T],
    date: impl Fn(T) -> Option<&'j Json<'j>>,
) -> Result<Vec<T>, MergeError> {
    let mut out = items.to_vec();
    if out.len() <= 1 {
        return Ok(out);
    }
    let mut all_strings = true;
    let mut all_numbers = true;
    for &r in &out {
        match date(r) {
            None => return Err(MergeError::MissingDate),
            Some(Json::String(_)) => all_numbers = false,
            Some(Json::Number(_) | Json::Bool(_)) => all_strings = false,
            Some(_) => {
                all_strings = false;
                all_numbers = false;
            }
        }
    }
    if all_strings {
        out.sort_by(|&a, &b| {
            let (Some(Json::String(x)), Some(Json::String(y))) = (date(a), date(b)) else {
                return Ordering::Equal;
            };
            x.cmp(y)
        });
    } else if all_numbers {
        let num = |v: T| match date(v) {
            Some(Json::Number(n)) => n.as_f64().unwrap_or(0.0),
            Some(Json::Bool(b)) => f64::from(u8::from(*b)),
            _ => 0.0,
        };
        out.sort_by(|&a, &b| num(a).partial_cmp(&num(b)).unwrap_or(Ordering::Equal));
    } else if out.iter().any(|&r| date(r).is_some_and(Json::is_null)) {
        return Err(MergeError::NullDate);
    } else {
        return Err(MergeError::NonStringDate);
    }
    Ok(out)
}

/// Merge releases into a compiled release and hand it to `f` (without copying the data).
pub fn with_compiled<R>(
    releases: &[&Json<'_>],
    rules: &MergeRules,
    f: impl FnOnce(&Merged<'_>) -> R,
) -> Result<R, MergeError> {
    let releases = sorted(releases)?;
    let mut data = compiled_start();
    let mut anon = 0;
    for release in releases {
        let Json::Object(obj) = release else {
            unreachable_release()?
        };
        next_release(&mut data, release.get("ocid"), release.get("date"));
        Flattener::new(&mut anon).release(obj, &rules.root, &mut data)?;
    }
    let tree = Merged::unflatten(&data)?;
    Ok(f(&tree))
}

/// Releases with more top-level fields than this (all told) are merged the whole-release way.
const MAX_FIELDS: usize = 128;

/// The encoded paths of the fields a compiled release sets itself (see [`encode`]).
const KEY_ID: &[u8] = b"\x03id";
const KEY_DATE: &[u8] = b"\x05date";
const KEY_OCID: &[u8] = b"\x05ocid";

/// A compiled release before any release: its `tag`.
fn compiled_start<'a>() -> Flat<'a> {
    let mut data: Flat<'_> = Flat::with_capacity_and_hasher(256, Default::default());
    data.insert(
        encode(&["tag"]),
        Entry::owned(Json::Array(vec![Json::String(Cow::Borrowed("compiled"))])),
    );
    data
}

/// Set what a compiled release takes from the next release (`id`, `date`, `ocid`), before the
/// release's own fields.
fn next_release<'a>(data: &mut Flat<'a>, ocid: Option<&'a Json<'a>>, date: Option<&'a Json<'a>>) {
    let id = format!("{}-{}", py_str_json(ocid), py_str_json(date));
    set(data, KEY_ID, Slot::Owned(Json::String(Cow::Owned(id))));
    set(data, KEY_DATE, slot_of(date));
    set(data, KEY_OCID, slot_of(ocid));
}

/// Merge releases given as the JSON text of objects (known to be well-formed) into a compiled
/// release and hand it to `f`, as [`with_compiled`] does, with less work: a top-level field
/// whose text repeats the text last merged for that field (and whose merge made no array item
/// without `id`, which would be new each time) is neither read nor merged again, since merging
/// it again would change nothing — OCDS releases usually repeat most of the state they carry.
/// (`id`, `date` and `ocid`, which the compiled release sets itself, are always merged.)
///
/// `None` if the texts cannot be read that way (then use [`with_compiled`]).
pub(crate) fn with_compiled_texts<R>(
    texts: &[&str],
    rules: &MergeRules,
    f: impl FnOnce(&Merged<'_>) -> R,
) -> Option<Result<R, MergeError>> {
    // Each release's fields as indices into `values`: a field whose text repeats the last text
    // read for that field is not read again. (Top-level fields are few: lists, not maps.)
    let mut values: Vec<Json<'_>> = Vec::new();
    let mut last: Vec<(Cow<'_, str>, &str, usize)> = Vec::new();
    let mut plans: Vec<Vec<(Cow<'_, str>, usize)>> = Vec::with_capacity(texts.len());
    let mut dates: Vec<Option<usize>> = Vec::with_capacity(texts.len());
    for text in texts {
        let known = |key: &str| last.iter().find(|(k, ..)| k == key).map(|&(_, raw, _)| raw);
        let fields = Json::fields_of(text, known)?;
        if fields.len() + last.len() > MAX_FIELDS {
            return None; // (Looked up in lists: the whole-release way is for unusual releases.)
        }
        let mut plan = Vec::with_capacity(fields.len());
        let mut date = None;
        for (key, (raw, value)) in fields {
            let at = last.iter().position(|(k, ..)| *k == key);
            let index = match (value, at) {
                (Some(value), _) => {
                    values.push(value);
                    values.len() - 1
                }
                (None, Some(at)) => last[at].2,
                (None, None) => return None,
            };
            match at {
                Some(at) => (last[at].1, last[at].2) = (raw, index),
                None => last.push((key.clone(), raw, index)),
            }
            if key == "date" {
                date = Some(index);
            }
            plan.push((key, index));
        }
        plans.push(plan);
        dates.push(date);
    }
    let values = values;
    let order: Vec<usize> = (0..texts.len()).collect();
    let order = match by_date(&order, |i| dates[i].map(|d| &values[d])) {
        Ok(order) => order,
        Err(e) => return Some(Err(e)),
    };

    let mut data = compiled_start();
    let mut anon = 0;
    // For each field, the value last merged, and whether merging it made no anonymous item.
    let mut merged: Vec<(&str, usize, bool)> = Vec::new();
    for i in order {
        let plan = &plans[i];
        let value = |name: &str| {
            plan.iter()
                .find(|(key, _)| key == name)
                .map(|&(_, v)| &values[v])
        };
        next_release(&mut data, value("ocid"), value("date"));
        let mut flattener = Flattener::new(&mut anon);
        for (key, v) in plan {
            let (key, v) = (key.as_ref(), *v);
            let at = merged.iter().position(|(k, ..)| *k == key);
            if key == "tag" || at.is_some_and(|at| merged[at].1 == v && merged[at].2) {
                continue;
            }
            let before = *flattener.anon;
            if let Err(e) = flattener.field(key, &values[v], Some(&rules.root), &mut data) {
                return Some(Err(e));
            }
            let repeatable = *flattener.anon == before && !matches!(key, "id" | "date" | "ocid");
            match at {
                Some(at) => (merged[at].1, merged[at].2) = (v, repeatable),
                None => merged.push((key, v, repeatable)),
            }
        }
    }
    Some(Merged::unflatten(&data).map(|tree| f(&tree)))
}

fn unreachable_release<T>() -> Result<T, MergeError> {
    Err(MergeError::NotAnObject("not an object"))
}

fn slot_of<'a>(value: Option<&'a Json<'a>>) -> Slot<'a> {
    match value {
        Some(v) => Slot::Ref(v),
        None => Slot::Owned(Json::Null),
    }
}

fn set<'a>(data: &mut Flat<'a>, key: &[u8], slot: Slot<'a>) {
    if let Some(entry) = data.get_mut(key) {
        entry.slot = slot;
    } else {
        data.insert(
            key.into(),
            Entry {
                ids: Box::new([]),
                slot,
            },
        );
    }
}

/// Merge releases into a versioned release and hand it to `f` (without copying the data).
pub fn with_versioned<R>(
    releases: &[&Json<'_>],
    rules: &MergeRules,
    f: impl FnOnce(&Merged<'_>) -> R,
) -> Result<R, MergeError> {
    let releases = sorted(releases)?;
    let key_ocid = encode(&["ocid"]);
    let mut data: Flat<'_> = Flat::with_capacity_and_hasher(256, Default::default());
    let mut anon = 0;
    let mut flat: Flat<'_> = Flat::with_capacity_and_hasher(256, Default::default());
    for release in releases {
        let Json::Object(obj) = release else {
            unreachable_release()?
        };
        let ocid = release.get("ocid");
        let release_id = release.get("id");
        let date = release.get("date");
        let tag = release.get("tag");
        flat.clear();
        Flattener::new(&mut anon).release(obj, &rules.root, &mut flat)?;
        set(&mut data, &key_ocid, slot_of(ocid));
        for (key, entry) in flat.drain(..) {
            if *key == *key_ocid {
                continue;
            }
            let Slot::Ref(value) = entry.slot else {
                continue;
            };
            let version = Version {
                release_id,
                date,
                tag,
                value,
            };
            match data.entry(key) {
                indexmap::map::Entry::Occupied(mut o) => {
                    if let Slot::History(history) = &mut o.get_mut().slot {
                        let changed = history
                            .last()
                            .is_none_or(|last| !crate::pyjson::py_eq_json(last.value, value));
                        if changed {
                            history.push(version);
                        }
                    }
                }
                indexmap::map::Entry::Vacant(v) => {
                    v.insert(Entry {
                        ids: entry.ids,
                        slot: Slot::History(vec![version]),
                    });
                }
            }
        }
    }
    let tree = Merged::unflatten(&data)?;
    Ok(f(&tree))
}

/// Merge releases (of one contracting process) into a compiled release.
pub fn compiled_release(releases: &[Value], rules: &MergeRules) -> Result<Value, MergeError> {
    let releases: Vec<Json<'_>> = releases.iter().map(Json::from_value).collect();
    let refs: Vec<&Json<'_>> = releases.iter().collect();
    with_compiled(&refs, rules, |m| m.to_value())
}

/// Merge releases (of one contracting process) into a versioned release.
pub fn versioned_release(releases: &[Value], rules: &MergeRules) -> Result<Value, MergeError> {
    let releases: Vec<Json<'_>> = releases.iter().map(Json::from_value).collect();
    let refs: Vec<&Json<'_>> = releases.iter().collect();
    with_versioned(&refs, rules, |m| m.to_value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merges_by_id_and_drops_nulls() {
        let releases = vec![
            json!({"ocid": "x", "id": "1", "date": "2020-01-01", "tag": ["tender"],
                   "tender": {"title": "A", "items": [{"id": "1", "q": 1}, {"id": 2, "q": 2}]}}),
            json!({"ocid": "x", "id": "2", "date": "2020-01-02", "tag": ["award"],
                   "tender": {"title": null, "items": [{"id": "2", "q": 3}]}}),
        ];
        let compiled = compiled_release(&releases, &MergeRules::ocds_1_1()).unwrap();
        assert_eq!(
            compiled,
            json!({"tag": ["compiled"], "id": "x-2020-01-02", "date": "2020-01-02", "ocid": "x",
                   "tender": {"items": [{"id": "1", "q": 1}, {"id": 2, "q": 3}]}})
        );
    }

    #[test]
    fn versioned_keeps_history() {
        let releases = vec![
            json!({"ocid": "x", "id": "1", "date": "2020-01-01", "tag": ["tender"], "a": 1}),
            json!({"ocid": "x", "id": "2", "date": "2020-01-02", "tag": ["award"], "a": 1.0}),
            json!({"ocid": "x", "id": "3", "date": "2020-01-03", "tag": ["award"], "a": 2}),
        ];
        let versioned = versioned_release(&releases, &MergeRules::ocds_1_1()).unwrap();
        assert_eq!(versioned["a"].as_array().unwrap().len(), 2);
        assert_eq!(versioned["ocid"], json!("x"));
    }

    #[test]
    fn date_errors() {
        let rules = MergeRules::ocds_1_1();
        let missing = vec![json!({"ocid": "x"}), json!({"ocid": "x", "date": "1"})];
        assert_eq!(
            compiled_release(&missing, &rules),
            Err(MergeError::MissingDate)
        );
        let null = vec![json!({"date": null}), json!({"date": "1"})];
        assert_eq!(compiled_release(&null, &rules), Err(MergeError::NullDate));
        let mixed = vec![json!({"date": 1}), json!({"date": "1"})];
        assert_eq!(
            compiled_release(&mixed, &rules),
            Err(MergeError::NonStringDate)
        );
        assert!(compiled_release(&[json!(1)], &rules).is_err());
    }

    #[test]
    fn inconsistent_types_are_errors() {
        let rules = MergeRules::ocds_1_1();
        let releases = vec![
            json!({"ocid": "x", "date": "1", "tender": "text"}),
            json!({"ocid": "x", "date": "2", "tender": {"title": "t"}}),
        ];
        assert!(matches!(
            compiled_release(&releases, &rules),
            Err(MergeError::InconsistentType(_))
        ));
    }

    /// Both ways of compiling agree on `texts` (the same release, or the same error), and the
    /// text way did not give up.
    fn agree(texts: &[&str], rules: &MergeRules) -> Result<Value, MergeError> {
        let parsed: Vec<Json<'_>> = texts.iter().map(|t| Json::parse(t).unwrap()).collect();
        let refs: Vec<&Json<'_>> = parsed.iter().collect();
        let whole = with_compiled(&refs, rules, |m| m.to_value());
        let by_field = with_compiled_texts(texts, rules, |m| m.to_value()).expect("read");
        assert_eq!(whole, by_field, "{texts:?}");
        whole
    }

    #[test]
    fn repeated_fields_are_merged_once_with_the_same_result() {
        let rules = MergeRules::ocds_1_1();
        // Parties repeated, changed, then back again; awards without ids repeated (each
        // release adds its own); dates out of order; a duplicate key.
        let texts = [
            r#"{"ocid":"x","id":"3","date":"2020-01-03","parties":[{"id":"p","name":"A"}],"awards":[{"title":"no id"}]}"#,
            r#"{"ocid":"x","id":"1","date":"2020-01-01","parties":[{"id":"p","name":"A"}],"awards":[{"title":"no id"}],"tender":{"title":"T"}}"#,
            r#"{"ocid":"x","id":"2","date":"2020-01-02","parties":[{"id":"p","name":"B"}],"tender":{"title":"T"},"tender":{"title":"U"}}"#,
            r#"{"ocid":"x","id":"4","date":"2020-01-04","parties":[{"id":"p","name":"A"}],"awards":[{"title":"no id"}],"tender":{"title":"U"}}"#,
        ];
        let compiled = agree(&texts, &rules).unwrap();
        assert_eq!(compiled["parties"], json!([{"id": "p", "name": "A"}]));
        assert_eq!(compiled["awards"].as_array().map(Vec::len), Some(3));
        assert_eq!(compiled["tender"]["title"], "U");
        assert_eq!(compiled["id"], "x-2020-01-04");
    }

    #[test]
    fn fields_the_compiled_release_sets_are_always_merged() {
        // Without `omitWhenMerged`, a release's own `id` replaces the compiled `ocid-date` id.
        let schema = json!({"properties": {"ocid": {"type": "string"}, "id": {"type": "string"}}});
        let rules = MergeRules::from_schema(&schema).unwrap();
        let texts = [
            r#"{"ocid":"x","id":"same","date":"2020-01-01"}"#,
            r#"{"ocid":"x","id":"same","date":"2020-01-02"}"#,
        ];
        assert_eq!(agree(&texts, &rules).unwrap()["id"], "same");
    }

    #[test]
    fn errors_are_the_same() {
        let rules = MergeRules::ocds_1_1();
        for texts in [
            [
                r#"{"ocid":"x","date":null}"#,
                r#"{"ocid":"x","date":"2020"}"#,
            ],
            [r#"{"ocid":"x"}"#, r#"{"ocid":"x","date":"2020"}"#],
            [r#"{"ocid":"x","date":1}"#, r#"{"ocid":"x","date":"2020"}"#],
            [
                r#"{"ocid":"x","date":"1","a":1}"#,
                r#"{"ocid":"x","date":"2","a":{"b":1}}"#,
            ],
            [
                r#"{"ocid":"x","date":"1","a":[{"id":{}}]}"#,
                r#"{"ocid":"x","date":"2"}"#,
            ],
        ] {
            assert!(agree(&texts, &rules).is_err(), "{texts:?}");
        }
    }

    #[test]
    fn the_keys_set_by_the_compiled_release_are_encoded_paths() {
        assert_eq!(KEY_ID, &*encode(&["id"]));
        assert_eq!(KEY_DATE, &*encode(&["date"]));
        assert_eq!(KEY_OCID, &*encode(&["ocid"]));
    }

    #[test]
    fn releases_with_very_many_fields_are_merged_the_whole_release_way() {
        let fields: String = (0..200).map(|i| format!(",\"f{i}\":{i}")).collect();
        let text = format!(r#"{{"ocid":"x","date":"1"{fields}}}"#);
        let rules = MergeRules::ocds_1_1();
        assert!(with_compiled_texts(&[&text], &rules, |_| ()).is_none());
        assert!(with_compiled_texts(&[r#"{"ocid":"x","date":"1"}"#], &rules, |_| ()).is_some());
    }
}
