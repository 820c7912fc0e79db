//! Flattening a release into `path → value` pairs, as `ocdsmerge.flatten.flatten` does.
//!
//! A path is a sequence of parts: object keys, and for items of arrays of objects the item's
//! identifier (Python's `IdValue`: the `str()` of its `id`, or a fresh unique value when it has
//! none). Paths compare by the text of their parts only, exactly as Python tuples of `str`
//! subclasses do, so a path is stored as its encoded text; what Python keeps inside each `IdValue`
//! (the raw identifier and the original `id` value) rides along in [`Entry::ids`].

use std::hash::{BuildHasherDefault, Hasher};

use indexmap::IndexMap;
use indexmap::map::RawEntryApiV1;
use indexmap::map::raw_entry_v1::RawEntryMut;
use std::borrow::Cow;

use crate::json::Json;

use super::MergeError;
use crate::pyjson::{PyNum, py_num};
use crate::rules::{Rule, RuleNode};

/// A fast, deterministic hasher for path keys (FNV-1a over 8-byte words).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PathHasher(u64);

impl Hasher for PathHasher {
    fn finish(&self) -> u64 {
        // Final avalanche so that the low bits used by hash tables are well mixed.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            h = (h ^ word).wrapping_mul(0x0100_0000_01b3);
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type BuildPathHasher = BuildHasherDefault<PathHasher>;

/// Python's equality of identifiers (`1 == 1.0 == True`, `"1" != 1`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Ident<'a> {
    Null,
    Str(&'a str),
    Num(PyNum),
    /// An object without `id`: Python gives it a fresh UUID, which equals nothing else.
    Anon(u64),
}

/// What Python's `IdValue` carries besides its text.
#[derive(Debug, Clone)]
pub(crate) struct IdMeta<'a> {
    pub(crate) ident: Ident<'a>,
    /// The original `id` value, set on the new object; `None` if absent or null.
    pub(crate) original: Option<&'a Json<'a>>,
}

/// One version of a field in a versioned release.
#[derive(Debug, Clone)]
pub(crate) struct Version<'a> {
    pub(crate) release_id: Option<&'a Json<'a>>,
    pub(crate) date: Option<&'a Json<'a>>,
    pub(crate) tag: Option<&'a Json<'a>>,
    pub(crate) value: &'a Json<'a>,
}

/// The value stored at a path.
#[derive(Debug, Clone)]
pub(crate) enum Slot<'a> {
    Ref(&'a Json<'a>),
    Owned(Json<'a>),
    History(Vec<Version<'a>>),
}

impl Slot<'_> {
    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Slot::Ref(Json::Null) | Slot::Owned(Json::Null))
    }
}

/// A flattened value: the identifier parts of its path, and the value.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    /// `(part index, identifier)` for each part of the path that is an array item.
    pub(crate) ids: Box<[(u16, IdMeta<'a>)]>,
    pub(crate) slot: Slot<'a>,
}

impl<'a> Entry<'a> {
    pub(crate) fn owned(value: Json<'a>) -> Self {
        Entry {
            ids: Box::new([]),
            slot: Slot::Owned(value),
        }
    }

    pub(crate) fn id_at(&self, index: usize) -> Option<&IdMeta<'a>> {
        self.ids
            .iter()
            .find(|(i, _)| usize::from(*i) == index)
            .map(|(_, m)| m)
    }
}

/// Flattened data, in insertion order, keyed by encoded path.
pub(crate) type Flat<'a> = IndexMap<Box<[u8]>, Entry<'a>, BuildPathHasher>;

/// Where flattened values go.
pub(crate) trait Sink<'a> {
    /// The value at `path` (whose array items have identifiers `ids`).
    fn put(&mut self, path: &[u8], ids: &[(u16, IdMeta<'a>)], value: &'a Json<'a>);
}

/// Flattened values in a dict, as Python's: a later value of a path replaces the earlier one in
/// its place, and the path keeps the identifiers it was first put with (Python keeps the first
/// key object of equal keys: a path of `"1"` that equals a path of `1` stays the item of `1`).
/// That is how a release is flattened, and how a compiled release takes a release's values
/// (`dict.update`).
impl<'a> Sink<'a> for Flat<'a> {
    fn put(&mut self, path: &[u8], ids: &[(u16, IdMeta<'a>)], value: &'a Json<'a>) {
        // (One lookup, hashing the path once, whether the path is there or not.)
        match self.raw_entry_mut_v1().from_key(path) {
            RawEntryMut::Occupied(mut o) => o.get_mut().slot = Slot::Ref(value),
            RawEntryMut::Vacant(v) => {
                v.insert(
                    path.into(),
                    Entry {
                        ids: ids.into(),
                        slot: Slot::Ref(value),
                    },
                );
            }
        }
    }
}

/// A part of a decoded path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'k> {
    /// The bytes of a `str` key.
    Text(&'k [u8]),
    Anon,
}

/// Append a text part to an encoded path.
pub(crate) fn push_text(path: &mut Vec<u8>, text: &str) {
    let mut n = text.len() as u64 + 1;
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            path.push(byte);
            break;
        }
        path.push(byte | 0x80);
    }
    path.extend_from_slice(text.as_bytes());
}

fn push_anon(path: &mut Vec<u8>, n: u64) {
    path.push(0);
    path.extend_from_slice(&n.to_le_bytes());
}

/// Encode a path of plain keys.
pub(crate) fn encode(parts: &[&str]) -> Box<[u8]> {
    let mut path = Vec::new();
    for part in parts {
        push_text(&mut path, part);
    }
    path.into_boxed_slice()
}

/// Decode an encoded path into `(byte offset of the part, part)`.
pub(crate) fn decode<'k>(key: &'k [u8], out: &mut Vec<(usize, Part<'k>)>) {
    out.clear();
    let mut pos = 0;
    while pos < key.len() {
        let start = pos;
        let mut n: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = key[pos];
            pos += 1;
            n |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        if n == 0 {
            pos += 8;
            out.push((start, Part::Anon));
        } else {
            let len = (n - 1) as usize;
            // (Checked as UTF-8 only where a key is new to the tree.)
            let text = &key[pos..pos + len];
            pos += len;
            out.push((start, Part::Text(text)));
        }
    }
}

/// The state of one flattening.
pub(crate) struct Flattener<'a, 'r> {
    pub(crate) anon: &'r mut u64,
    path: Vec<u8>,
    ids: Vec<(u16, IdMeta<'a>)>,
    depth: u16,
    scratch: String,
}

impl<'a, 'r> Flattener<'a, 'r> {
    pub(crate) fn new(anon: &'r mut u64) -> Self {
        Flattener {
            anon,
            path: Vec::with_capacity(128),
            ids: Vec::new(),
            depth: 0,
            scratch: String::new(),
        }
    }

    /// Flatten a release (skipping its `tag`, which the merge routine pops first).
    pub(crate) fn release(
        &mut self,
        release: &'a [(Cow<'a, str>, Json<'a>)],
        rules: &RuleNode,
        out: &mut impl Sink<'a>,
    ) -> Result<(), MergeError> {
        self.object(release, Some(rules), true, out)
    }

    fn object(
        &mut self,
        obj: &'a [(Cow<'a, str>, Json<'a>)],
        rules: Option<&RuleNode>,
        skip_tag: bool,
        out: &mut impl Sink<'a>,
    ) -> Result<(), MergeError> {
        for (key, value) in obj {
            if skip_tag && key == "tag" {
                continue;
            }
            self.field(key, value, rules, out)?;
        }
        Ok(())
    }

    /// Flatten one field of an object (whose rules are `rules`).
    pub(crate) fn field(
        &mut self,
        key: &str,
        value: &'a Json<'a>,
        rules: Option<&RuleNode>,
        out: &mut impl Sink<'a>,
    ) -> Result<(), MergeError> {
        let node = rules.and_then(|n| n.children.get(key));
        let rule = node.and_then(|n| n.rule);
        if rule == Some(Rule::OmitWhenMerged) {
            return Ok(());
        }
        let len = self.path.len();
        push_text(&mut self.path, key);
        self.depth += 1;
        self.value(value, rule, node, out)?;
        self.depth -= 1;
        self.path.truncate(len);
        Ok(())
    }

    fn value(
        &mut self,
        value: &'a Json<'a>,
        rule: Option<Rule>,
        node: Option<&RuleNode>,
        out: &mut impl Sink<'a>,
    ) -> Result<(), MergeError> {
        let whole = rule == Some(Rule::WholeListMerge)
            || match value {
                Json::Object(_) => false,
                Json::Array(items) => items.iter().any(|i| !i.is_object()),
                _ => true,
            };
        if whole {
            out.put(&self.path, &self.ids, value);
            return Ok(());
        }
        match value {
            Json::Object(obj) if !obj.is_empty() => self.object(obj, node, false, out),
            Json::Array(items) => {
                for item in items {
                    let Json::Object(obj) = item else { continue };
                    let meta = self.id_meta(obj)?;
                    if obj.is_empty() {
                        continue;
                    }
                    let len = self.path.len();
                    match meta.ident {
                        Ident::Anon(n) => push_anon(&mut self.path, n),
                        _ => push_text(&mut self.path, &self.scratch),
                    }
                    self.ids.push((self.depth, meta));
                    self.depth += 1;
                    self.object(obj, node, false, out)?;
                    self.depth -= 1;
                    self.ids.pop();
                    self.path.truncate(len);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The identifier of an array item; its text is left in `self.scratch`.
    fn id_meta(&mut self, obj: &'a [(Cow<'a, str>, Json<'a>)]) -> Result<IdMeta<'a>, MergeError> {
        self.scratch.clear();
        let Some(id) = obj.iter().find(|(k, _)| k == "id").map(|(_, v)| v) else {
            *self.anon += 1;
            return Ok(IdMeta {
                ident: Ident::Anon(*self.anon),
                original: None,
            });
        };
        let ident = match id {
            Json::Null => Ident::Null,
            Json::String(s) => Ident::Str(s),
            Json::Bool(b) => Ident::Num(PyNum::Int(i128::from(*b))),
            Json::Number(n) => Ident::Num(py_num(n)),
            Json::Object(_) | Json::Array(_) => {
                return Err(MergeError::UnsupportedId(format!(
                    "an `id` is an {} (it must be a string or a number)",
                    if id.is_object() { "object" } else { "array" }
                )));
            }
        };
        match id {
            Json::String(s) => self.scratch.push_str(s),
            other => self
                .scratch
                .push_str(&crate::pyjson::py_str_json(Some(other))),
        }
        Ok(IdMeta {
            ident,
            original: if id.is_null() { None } else { Some(id) },
        })
    }
}
