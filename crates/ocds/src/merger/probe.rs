//! What a top-level item or release is, read from its deciding fields without parsing the rest.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::scan::Fields;

/// The text of the metadata of the last package read (`None`: no package yet).
#[derive(Debug, Default)]
pub(super) struct LastMeta {
    pub(super) publisher: Option<String>,
    pub(super) license: Option<String>,
    pub(super) publication_policy: Option<String>,
    pub(super) extensions: Option<String>,
}

/// Whether `raw` is the text last seen; remember it.
pub(super) fn same(last: &mut Option<String>, raw: &str) -> bool {
    if last.as_deref() == Some(raw) {
        return true;
    }
    let s = last.get_or_insert_with(String::new);
    s.clear();
    s.push_str(raw);
    false
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// The fields of a top-level item that decide what it is.
#[derive(Deserialize)]
pub(super) struct Probe<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    releases: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    records: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    ocid: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    date: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    pub(super) parties: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    version: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    uri: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    publisher: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    license: Option<&'a RawValue>,
    #[serde(
        borrow,
        default,
        deserialize_with = "present",
        rename = "publicationPolicy"
    )]
    publication_policy: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    extensions: Option<&'a RawValue>,
}

pub(super) fn raw_kind(raw: &str) -> &'static str {
    match raw.trim_start().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

pub(super) fn parse_value(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

impl<'a> Probe<'a> {
    pub(super) fn fields(&self) -> Fields<'a> {
        let get = |r: Option<&'a RawValue>| r.map(RawValue::get);
        Fields {
            releases: get(self.releases),
            records: get(self.records),
            ocid: get(self.ocid),
            date: get(self.date),
            parties: get(self.parties),
            version: get(self.version),
            uri: get(self.uri),
            publisher: get(self.publisher),
            license: get(self.license),
            publication_policy: get(self.publication_policy),
            extensions: get(self.extensions),
        }
    }
}

/// The text of a JSON value that is a non-empty string (as Python's truthy `str`), without
/// parsing it when it has no escapes.
pub(super) fn truthy_string(raw: &str) -> Option<Cow<'_, str>> {
    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some("") => None,
        Some(inner) if !inner.contains('\\') => Some(Cow::Borrowed(inner)),
        _ => match parse_value(raw) {
            Value::String(s) if !s.is_empty() => Some(Cow::Owned(s)),
            _ => None,
        },
    }
}

/// The OCDS version of an item: the text of its package's `version`, or implied by its fields.
#[derive(Debug, Clone, Copy)]
pub(super) enum Version<'a> {
    Raw(&'a str),
    Implied(&'static str),
}

impl Version<'_> {
    /// Whether this is the version `earlier` (without building a value when it is plain).
    pub(super) fn is(&self, earlier: &Value) -> bool {
        match self {
            Version::Implied(v) => earlier.as_str() == Some(v),
            Version::Raw(raw) => match (
                raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')),
                earlier,
            ) {
                (Some(inner), Value::String(e)) if !inner.contains('\\') => inner == e,
                _ => self.value() == *earlier,
            },
        }
    }

    pub(super) fn value(&self) -> Value {
        match self {
            Version::Raw(raw) => parse_value(raw),
            Version::Implied(v) => Value::String((*v).into()),
        }
    }
}
