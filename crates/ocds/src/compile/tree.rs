//! Unflattening merged data into a JSON tree, as `ocdsmerge.flatten.unflatten` does.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::json::Json;

use super::MergeError;
use super::flatten::{BuildPathHasher, Flat, Ident, Part, Slot, Version, decode};

#[derive(Debug)]
enum Leaf<'f> {
    Val(&'f Json<'f>),
    Owned(Json<'f>),
    Hist(&'f [Version<'f>]),
}

/// The fields of an object node, in order: a list searched in turn while short (most OCDS
/// objects have a few fields), indexed once it is long.
#[derive(Debug, Default)]
struct Fields<'f> {
    list: Vec<(Cow<'f, str>, usize)>,
    index: Option<HashMap<Cow<'f, [u8]>, usize, BuildPathHasher>>,
}

fn bytes<'f>(key: &Cow<'f, str>) -> Cow<'f, [u8]> {
    match key {
        Cow::Borrowed(k) => Cow::Borrowed(k.as_bytes()),
        Cow::Owned(k) => Cow::Owned(k.as_bytes().to_vec()),
    }
}

/// Longer than this, a [`Fields`] is indexed.
const SHORT: usize = 16;

impl<'f> Fields<'f> {
    fn get(&self, key: &[u8]) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self
                .list
                .iter()
                .find(|(k, _)| k.as_bytes() == key)
                .map(|&(_, v)| v),
        }
    }

    /// Add a field (whose key is not there yet).
    fn insert(&mut self, key: Cow<'f, str>, node: usize) {
        if let Some(index) = &mut self.index {
            index.insert(bytes(&key), node);
        } else if self.list.len() == SHORT {
            let mut index = HashMap::with_capacity_and_hasher(SHORT * 2, Default::default());
            for (k, v) in &self.list {
                index.insert(bytes(k), *v);
            }
            index.insert(bytes(&key), node);
            self.index = Some(index);
        }
        self.list.push((key, node));
    }

    fn iter(&self) -> impl Iterator<Item = (&Cow<'f, str>, &usize)> {
        self.list.iter().map(|(k, v)| (k, v))
    }

    fn len(&self) -> usize {
        self.list.len()
    }
}

#[derive(Debug)]
enum Node<'f> {
    Obj(Fields<'f>),
    Arr(Vec<usize>),
    Leaf(Leaf<'f>),
}

/// A merged (compiled or versioned) release, borrowing from the releases it was made of.
///
/// Serialize it directly (no copy of the data), or turn it into a [`Value`] with
/// [`Merged::to_value`].
#[derive(Debug)]
pub struct Merged<'f> {
    nodes: Vec<Node<'f>>,
}

fn version_value<'f>(v: &Version<'f>) -> Json<'f> {
    Json::Object(vec![
        (
            Cow::Borrowed("releaseID"),
            v.release_id.cloned().unwrap_or(Json::Null),
        ),
        (
            Cow::Borrowed("releaseDate"),
            v.date.cloned().unwrap_or(Json::Null),
        ),
        (
            Cow::Borrowed("releaseTag"),
            v.tag.cloned().unwrap_or(Json::Null),
        ),
        (Cow::Borrowed("value"), v.value.clone()),
    ])
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn joined(parts: &[(usize, Part<'_>)], end: usize) -> String {
    parts[..end]
        .iter()
        .map(|(_, p)| match p {
            Part::Text(t) => String::from_utf8_lossy(t),
            Part::Anon => Cow::Borrowed("<no id>"),
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl<'f> Merged<'f> {
    /// Build the tree from flattened data.
    pub(crate) fn unflatten(flat: &'f Flat<'_>) -> Result<Self, MergeError> {
        let mut tree = Merged {
            nodes: vec![Node::Obj(Fields::default())],
        };
        let mut identifiers: HashMap<(&'f [u8], Ident<'f>), usize, BuildPathHasher> =
            HashMap::default();
        let mut parts = Vec::with_capacity(16);
        for (key, entry) in flat {
            decode(key, &mut parts);
            let n = parts.len();
            let mut cur = 0;
            for i in 0..n {
                let (start, part) = parts[i];
                if let Some(meta) = entry.id_at(i) {
                    let id_path = (&key[..start], meta.ident.clone());
                    if let Some(&node) = identifiers.get(&id_path) {
                        cur = node;
                        continue;
                    }
                    let new = tree.nodes.len();
                    let mut map = Fields::default();
                    if meta.original.is_some() {
                        map.insert(Cow::Borrowed("id"), new + 1);
                    }
                    tree.nodes.push(Node::Obj(map));
                    if let Some(original) = meta.original {
                        tree.nodes.push(Node::Leaf(Leaf::Val(original)));
                    }
                    identifiers.insert(id_path, new);
                    tree.explode(cur);
                    match &mut tree.nodes[cur] {
                        Node::Arr(items) => items.push(new),
                        _ => {
                            return Err(MergeError::InconsistentType(format!(
                                "An earlier release had the object {} for /{}, but the current release has an array",
                                short(&tree.value(cur)),
                                joined(&parts, i)
                            )));
                        }
                    }
                    cur = new;
                    continue;
                }
                let Part::Text(text) = part else {
                    continue;
                };
                tree.explode(cur);
                let next_is_id = i + 1 < n && entry.id_at(i + 1).is_some();
                let len = tree.nodes.len();
                let Node::Obj(map) = &mut tree.nodes[cur] else {
                    return Err(MergeError::InconsistentType(format!(
                        "An earlier release had the value {} for /{}, but the current release has an object with a {:?} key",
                        short(&tree.value(cur)),
                        joined(&parts, i),
                        String::from_utf8_lossy(text)
                    )));
                };
                if let Some(child) = map.get(text) {
                    cur = child;
                    continue;
                }
                let text = std::str::from_utf8(text).unwrap_or_default();
                if i + 1 < n {
                    map.insert(Cow::Borrowed(text), len);
                    tree.nodes.push(if next_is_id {
                        Node::Arr(Vec::new())
                    } else {
                        Node::Obj(Fields::default())
                    });
                    cur = len;
                } else if !entry.slot.is_none() {
                    map.insert(Cow::Borrowed(text), len);
                    tree.nodes.push(Node::Leaf(match &entry.slot {
                        Slot::Ref(v) => Leaf::Val(v),
                        Slot::Owned(v) => Leaf::Val(v),
                        Slot::History(h) => Leaf::Hist(h),
                    }));
                }
            }
        }
        Ok(tree)
    }

    /// Turn a leaf holding an object or array into nodes, so that it can be entered.
    fn explode(&mut self, id: usize) {
        let explodable = matches!(
            &self.nodes[id],
            Node::Leaf(
                Leaf::Val(Json::Object(_) | Json::Array(_))
                    | Leaf::Owned(Json::Object(_) | Json::Array(_))
                    | Leaf::Hist(_)
            )
        );
        if !explodable {
            return;
        }
        let Node::Leaf(leaf) = std::mem::replace(&mut self.nodes[id], Node::Arr(Vec::new())) else {
            return;
        };
        let start = self.nodes.len();
        let node = match leaf {
            Leaf::Val(Json::Object(map)) => {
                let mut out = Fields::default();
                for (i, (k, v)) in map.iter().enumerate() {
                    out.insert(Cow::Borrowed(k.as_ref()), start + i);
                    self.nodes.push(Node::Leaf(Leaf::Val(v)));
                }
                Node::Obj(out)
            }
            Leaf::Val(Json::Array(items)) => {
                let ids = (start..start + items.len()).collect();
                self.nodes
                    .extend(items.iter().map(|v| Node::Leaf(Leaf::Val(v))));
                Node::Arr(ids)
            }
            Leaf::Owned(Json::Object(map)) => {
                let mut out = Fields::default();
                for (i, (k, v)) in map.into_iter().enumerate() {
                    out.insert(k, start + i);
                    self.nodes.push(Node::Leaf(Leaf::Owned(v)));
                }
                Node::Obj(out)
            }
            Leaf::Owned(Json::Array(items)) => {
                let ids = (start..start + items.len()).collect();
                self.nodes
                    .extend(items.into_iter().map(|v| Node::Leaf(Leaf::Owned(v))));
                Node::Arr(ids)
            }
            Leaf::Hist(history) => {
                let ids = (start..start + history.len()).collect();
                self.nodes.extend(
                    history
                        .iter()
                        .map(|v| Node::Leaf(Leaf::Owned(version_value(v)))),
                );
                Node::Arr(ids)
            }
            other => Node::Leaf(other),
        };
        self.nodes[id] = node;
    }

    fn value(&self, id: usize) -> Value {
        match &self.nodes[id] {
            Node::Obj(map) => Value::Object(
                map.iter()
                    .map(|(k, &v)| (k.to_string(), self.value(v)))
                    .collect(),
            ),
            Node::Arr(items) => Value::Array(items.iter().map(|&v| self.value(v)).collect()),
            Node::Leaf(Leaf::Val(v)) => v.to_value(),
            Node::Leaf(Leaf::Owned(v)) => v.to_value(),
            Node::Leaf(Leaf::Hist(h)) => {
                Value::Array(h.iter().map(|v| version_value(v).to_value()).collect())
            }
        }
    }

    /// The merged release as a JSON value (copies the data).
    pub fn to_value(&self) -> Value {
        self.value(0)
    }
}

struct NodeRef<'t, 'f> {
    tree: &'t Merged<'f>,
    id: usize,
}

struct VersionRef<'t, 'f>(&'t Version<'f>);

impl Serialize for VersionRef<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("releaseID", v.release_id.unwrap_or(&Json::Null))?;
        map.serialize_entry("releaseDate", v.date.unwrap_or(&Json::Null))?;
        map.serialize_entry("releaseTag", v.tag.unwrap_or(&Json::Null))?;
        map.serialize_entry("value", v.value)?;
        map.end()
    }
}

impl Serialize for NodeRef<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.tree.nodes[self.id] {
            Node::Obj(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, &v) in map.iter() {
                    m.serialize_entry(
                        k.as_ref(),
                        &NodeRef {
                            tree: self.tree,
                            id: v,
                        },
                    )?;
                }
                m.end()
            }
            Node::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for &v in items {
                    seq.serialize_element(&NodeRef {
                        tree: self.tree,
                        id: v,
                    })?;
                }
                seq.end()
            }
            Node::Leaf(Leaf::Val(v)) => v.serialize(s),
            Node::Leaf(Leaf::Owned(v)) => v.serialize(s),
            Node::Leaf(Leaf::Hist(h)) => {
                let mut seq = s.serialize_seq(Some(h.len()))?;
                for v in h.iter() {
                    seq.serialize_element(&VersionRef(v))?;
                }
                seq.end()
            }
        }
    }
}

impl Serialize for Merged<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        NodeRef { tree: self, id: 0 }.serialize(s)
    }
}
