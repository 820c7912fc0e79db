//! `ocdskit`'s `--root-path`: the items to process within each input value.
//!
//! `ocdskit` reads its input with `ijson.items(input, root_path, multiple_values=True)` and then
//! takes each element of an item that is an array. A root path is an ijson prefix: the keys from
//! the top-level value down, joined with `.`, where `item` stands for each element of an array
//! (`""`: each top-level value; `item`: each element of a top-level array; `releases.item`: each
//! release of each package). The match is on the joined text, as ijson's is (so a key that
//! contains a `.` matches the path of the nested keys, and an object key `item` matches `item`
//! too); a matched value is taken whole, not searched further; values that do not match are
//! skipped, and a path that matches nothing gives no items.
//!
//! This is the slow way in: each top-level value is parsed to find the items, which are copied.

use std::collections::VecDeque;
use std::fmt;

use serde::Deserializer as _;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Deserializer, StreamDeserializer};

use crate::Error;
use crate::read::{Item, Position, syntax_error};

/// The items at a root path in each of the JSON values of a text (see the [module](self)).
pub struct Items<'t> {
    stream: StreamDeserializer<'t, serde_json::de::StrRead<'t>, &'t RawValue>,
    root: String,
    name: String,
    pending: VecDeque<Item>,
    index: usize,
    done: bool,
}

impl fmt::Debug for Items<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("root", &self.root)
            .field("name", &self.name)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

/// The items at `root_path` in the concatenated JSON values of `text`; `name` (a file name or
/// `<stdin>`) prefixes error messages.
pub fn items<'t>(text: &'t str, root_path: &str, name: &str) -> Items<'t> {
    Items {
        stream: Deserializer::from_str(text).into_iter(),
        root: root_path.to_string(),
        name: name.to_string(),
        pending: VecDeque::new(),
        index: 0,
        done: false,
    }
}

/// The entries of an object, in order, duplicates included (ijson yields each).
struct Entries;

impl<'de> Visitor<'de> for Entries {
    type Value = Vec<(String, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

/// Whether the values at `prefix` are or contain the values at `root`.
fn leads_to(prefix: &str, root: &str) -> bool {
    root == prefix
        || (root.len() > prefix.len()
            && root.starts_with(prefix)
            && root.as_bytes()[prefix.len()] == b'.')
}

/// Collect the values at `root` within `raw`, whose prefix is `prefix` (`top`: `raw` is a
/// top-level value, whose children's prefixes are their keys alone).
fn select<'t>(
    raw: &'t RawValue,
    prefix: &str,
    top: bool,
    root: &str,
    out: &mut Vec<&'t RawValue>,
) -> Result<(), serde_json::Error> {
    if prefix == root {
        out.push(raw);
        return Ok(());
    }
    let child = |key: &str| {
        if top {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    let text = raw.get().trim_start();
    match text.as_bytes().first() {
        Some(b'{') => {
            let entries = Deserializer::from_str(text).deserialize_map(Entries)?;
            for (key, value) in entries {
                let path = child(&key);
                if leads_to(&path, root) {
                    select(value, &path, false, root, out)?;
                }
            }
        }
        Some(b'[') => {
            let path = child("item");
            if leads_to(&path, root) {
                let elements: Vec<&RawValue> = serde_json::from_str(text)?;
                for element in elements {
                    select(element, &path, false, root, out)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

impl Iterator for Items<'_> {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            let offset = self.stream.byte_offset() as u64;
            let raw = match self.stream.next()? {
                Ok(raw) => raw,
                Err(e) => {
                    self.done = true;
                    return Some(Err(syntax_error(&self.name, self.index, offset, &e)));
                }
            };
            let mut found = Vec::new();
            let selected = select(raw, "", true, &self.root, &mut found).and_then(|()| {
                for value in found {
                    // An item that is an array gives its elements, as `ocdskit` takes them.
                    if value.get().trim_start().starts_with('[') {
                        let elements: Vec<&RawValue> = serde_json::from_str(value.get())?;
                        for (i, element) in elements.into_iter().enumerate() {
                            self.push(element, offset, Some(i));
                        }
                    } else {
                        self.push(value, offset, None);
                    }
                }
                Ok(())
            });
            if let Err(e) = selected {
                self.done = true;
                return Some(Err(syntax_error(&self.name, self.index, offset, &e)));
            }
        }
    }
}

impl Items<'_> {
    fn push(&mut self, raw: &RawValue, offset: u64, element: Option<usize>) {
        self.pending.push_back(Item {
            raw: raw.to_owned(),
            position: Position {
                index: self.index,
                offset,
                element,
            },
        });
        self.index += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, root: &str) -> Vec<String> {
        items(text, root, "<test>")
            .map(|r| r.unwrap().raw.get().to_string())
            .collect()
    }

    #[test]
    fn like_ijson_prefixes() {
        // The same as ijson.items(..., prefix, multiple_values=True), then arrays taken apart.
        let packages = r#"[{"releases":[{"id":1},{"id":2}]},{"releases":[{"id":3}]}]"#;
        assert_eq!(
            at(packages, "item"),
            [
                r#"{"releases":[{"id":1},{"id":2}]}"#,
                r#"{"releases":[{"id":3}]}"#
            ]
        );
        assert_eq!(
            at(packages, "item.releases.item"),
            [r#"{"id":1}"#, r#"{"id":2}"#, r#"{"id":3}"#]
        );
        // An item that is an array gives its elements.
        assert_eq!(
            at(packages, "item.releases"),
            [r#"{"id":1}"#, r#"{"id":2}"#, r#"{"id":3}"#]
        );
        assert_eq!(
            at(
                r#"{"releases":[{"id":1}]} {"releases":[{"id":2}]}"#,
                "releases.item"
            ),
            [r#"{"id":1}"#, r#"{"id":2}"#]
        );
        // Nothing matches: no items, no error.
        assert!(at(packages, "releases.item").is_empty());
        assert!(at(r#"{"a":1} 2 "x""#, "item").is_empty());
        assert!(at("", "item").is_empty());
        // The prefix is joined text: dotted keys, empty keys, `item` keys, duplicate keys.
        assert_eq!(at(r#"{"a.b":1,"a":{"b":2}}"#, "a.b"), ["1", "2"]);
        assert_eq!(at(r#"{"":{"x":1}}"#, ".x"), ["1"]);
        assert_eq!(at(r#"{"a":{"":5}}"#, "a."), ["5"]);
        assert_eq!(at(r#"{"a":1,"a":2}"#, "a"), ["1", "2"]);
        assert_eq!(
            at(r#"[[1,2],[3]] {"item":7}"#, "item"),
            ["1", "2", "3", "7"]
        );
        // A match is taken whole, not searched further.
        assert_eq!(at(r#"{"a":{"a":{"a":1}}}"#, "a.a"), [r#"{"a":1}"#]);
        // The empty path: each top-level value.
        assert_eq!(at(r#"{"a":1} [2,3]"#, ""), [r#"{"a":1}"#, "2", "3"]);
    }

    #[test]
    fn errors_name_the_value() {
        let got: Vec<_> = items(
            "{\"releases\":[{}]}\n{\"releases\":[",
            "releases.item",
            "<t>",
        )
        .collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().unwrap().position.offset, 0);
        let err = got[1].as_ref().unwrap_err().to_string();
        assert!(
            err.starts_with("<t>: item 1 (after byte 17): truncated JSON at line 2"),
            "{err}"
        );
    }
}
