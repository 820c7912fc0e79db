//! Grouping releases by `ocid` and writing compiled releases, versioned releases or a record
//! package, with the inputs, options and output of `ocdskit compile` (1.7).
//!
//! Like `ocdskit`, the [`Merger`] reads everything first (the releases of one contracting
//! process may be anywhere in the input), then writes one result per `ocid` in `ocid` order. It
//! holds each release as its raw JSON text, grouped by `ocid`, and frees each group once written.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use std::borrow::Cow;

use crate::compile::{Merged, with_compiled, with_versioned};
use crate::json::Json;
use crate::pyjson::{self, py_str};
use crate::read::{Item, Position, Reader};
use crate::scan::{Fields, GiveUp, ScannedRelease, Scanner};
use crate::{Error, MergeRules};

/// Options of `compile`, as `ocdskit compile` takes them.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    /// Write versioned releases instead of compiled releases (with `package`: both, per record).
    pub versioned: bool,
    /// Wrap the results in a record package.
    pub package: bool,
    /// With `package`: link releases (`url`, `date`, `tag`) instead of embedding them, where the
    /// release came from a package with a `uri`.
    pub linked_releases: bool,
    /// The record package's `uri`.
    pub uri: String,
    /// The record package's `publishedDate`.
    pub published_date: String,
    /// The record package's `version`.
    pub version: String,
    /// The record package's `publisher` (if empty, the last input package's publisher).
    pub publisher: Map<String, Value>,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            versioned: false,
            package: false,
            linked_releases: false,
            uri: String::new(),
            published_date: String::new(),
            version: "1.1".into(),
            publisher: Map::new(),
        }
    }
}

/// Where an `ocid` is: a range of an input buffer, or of `Merger::ocid_arena`.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// The buffer, or `u32::MAX` for the arena.
    buf: u32,
    start: usize,
    len: usize,
}

#[derive(Debug)]
struct Stored {
    ocid: Span,
    /// Where the release's JSON text is: `Merger::buffers[buf][start..start + len]`.
    buf: u32,
    start: usize,
    len: usize,
    /// Index into `Merger::uris` of the package the release came from.
    package: Option<u32>,
}

/// Collects releases by `ocid` and writes what `ocdskit compile` writes.
#[derive(Debug)]
pub struct Merger {
    rules: Option<MergeRules>,
    buffers: Vec<Rc<String>>,
    /// Every release, in input order (grouped by `ocid` only when writing).
    stored: Vec<Stored>,
    /// `ocid`s that had escapes (the others are ranges of the input).
    ocid_arena: String,
    uris: Vec<String>,
    version: Option<Value>,
    publisher: Value,
    license: Option<Value>,
    publication_policy: Option<Value>,
    extensions: Vec<Value>,
    extensions_seen: HashSet<String>,
    packages: Vec<Value>,
    items: usize,
    releases: usize,
    /// The text of the last package metadata read.
    last: LastMeta,
}

/// The text of the metadata of the last package read (`None`: no package yet).
#[derive(Debug, Default)]
struct LastMeta {
    publisher: Option<String>,
    license: Option<String>,
    publication_policy: Option<String>,
    extensions: Option<String>,
}

/// Whether `raw` is the text last seen; remember it.
fn same(last: &mut Option<String>, raw: &str) -> bool {
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
struct Probe<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    releases: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    records: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    ocid: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    date: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    parties: Option<&'a RawValue>,
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

fn raw_kind(raw: &str) -> &'static str {
    match raw.trim_start().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

fn parse_value(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

impl<'a> Probe<'a> {
    fn fields(&self) -> Fields<'a> {
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

/// The state of a [`Merger`] before a read, to go back to.
struct Mark {
    stored: usize,
    ocid_arena: usize,
    uris: usize,
    version: Option<Value>,
    publisher: Value,
    license: Option<Value>,
    publication_policy: Option<Value>,
    extensions: usize,
    packages: usize,
    items: usize,
    releases: usize,
}

/// What the one-pass scan found about an item.
#[derive(Clone, Copy)]
struct Scanned<'s, 'a> {
    fields: Fields<'a>,
    releases: &'s [Option<ScannedRelease<'a>>],
}

fn truthy_str(value: Option<&Value>) -> Option<&str> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

impl Merger {
    /// A merger using the rules of `schema` if given; otherwise the official rules for the
    /// version of the input (1.1.5 for OCDS 1.1, 1.0.3 for OCDS 1.0), as `ocdskit` picks them.
    pub fn new(rules: Option<MergeRules>) -> Self {
        Merger {
            rules,
            buffers: Vec::new(),
            stored: Vec::new(),
            ocid_arena: String::new(),
            uris: Vec::new(),
            version: None,
            publisher: Value::Object(Map::new()),
            license: None,
            publication_policy: None,
            extensions: Vec::new(),
            extensions_seen: HashSet::new(),
            packages: Vec::new(),
            items: 0,
            releases: 0,
            last: LastMeta::default(),
        }
    }

    /// Add every item of a reader.
    pub fn read<R: Read>(&mut self, reader: Reader<R>) -> Result<(), Error> {
        let name = reader.name().to_string();
        for item in reader {
            self.add(&item?, &name)?;
        }
        Ok(())
    }

    /// Add every item of a whole input held in memory (the fastest way in: the releases are
    /// kept as ranges of this buffer, not copied).
    pub fn read_bytes(&mut self, input: Vec<u8>, name: &str) -> Result<(), Error> {
        let text = Rc::new(crate::read::utf8(name, input)?);
        let buf = self.buffers.len();
        self.buffers.push(Rc::clone(&text));
        // Well-formed input is read in one pass; at anything unusual, the state is put back
        // and the input read the careful way, which gives the exact errors.
        let mark = self.mark();
        let mut scanner = Scanner::new(&text);
        let mut releases = Vec::new();
        let mut index = 0;
        loop {
            match scanner.next_item(&mut releases) {
                Ok(Some(item)) => {
                    let at = Position {
                        index,
                        offset: item.offset,
                        element: None,
                    };
                    let scanned = Scanned {
                        fields: item.fields,
                        releases: &releases,
                    };
                    self.add_raw(buf, &text, item.text, Some(scanned), at, name)?;
                    index += 1;
                }
                Ok(None) => return Ok(()),
                Err(GiveUp) => {
                    self.reset(mark);
                    break;
                }
            }
        }
        let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<&RawValue>();
        let mut index = 0;
        loop {
            let offset = stream.byte_offset() as u64;
            let raw = match stream.next() {
                None => return Ok(()),
                Some(Err(e)) => return Err(crate::read::syntax_error(name, index, offset, &e)),
                Some(Ok(raw)) => raw,
            };
            if raw.get().starts_with('[') {
                let elements: Vec<&RawValue> = serde_json::from_str(raw.get())
                    .map_err(|e| crate::read::syntax_error(name, index, offset, &e))?;
                for (i, element) in elements.into_iter().enumerate() {
                    let at = Position {
                        index,
                        offset,
                        element: Some(i),
                    };
                    self.add_raw(buf, &text, element.get(), None, at, name)?;
                    index += 1;
                }
            } else {
                let at = Position {
                    index,
                    offset,
                    element: None,
                };
                self.add_raw(buf, &text, raw.get(), None, at, name)?;
                index += 1;
            }
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            stored: self.stored.len(),
            ocid_arena: self.ocid_arena.len(),
            uris: self.uris.len(),
            version: self.version.clone(),
            publisher: self.publisher.clone(),
            license: self.license.clone(),
            publication_policy: self.publication_policy.clone(),
            extensions: self.extensions.len(),
            packages: self.packages.len(),
            items: self.items,
            releases: self.releases,
        }
    }

    /// Put the state back as it was at `mark` (the input buffers stay).
    fn reset(&mut self, mark: Mark) {
        self.stored.truncate(mark.stored);
        self.ocid_arena.truncate(mark.ocid_arena);
        self.uris.truncate(mark.uris);
        self.version = mark.version;
        self.publisher = mark.publisher;
        self.license = mark.license;
        self.publication_policy = mark.publication_policy;
        if self.extensions.len() > mark.extensions {
            self.extensions.truncate(mark.extensions);
            self.extensions_seen = self.extensions.iter().map(Value::to_string).collect();
        }
        self.packages.truncate(mark.packages);
        self.items = mark.items;
        self.releases = mark.releases;
        self.last = LastMeta::default();
    }

    /// The number of releases added.
    pub fn release_count(&self) -> usize {
        self.releases
    }

    /// The number of contracting processes (distinct `ocid`s) added.
    pub fn process_count(&self) -> usize {
        let mut ocids: Vec<&str> = self.stored.iter().map(|s| self.ocid(s.ocid)).collect();
        ocids.sort_unstable();
        ocids.dedup();
        ocids.len()
    }

    /// The extensions declared by the input packages (their rules are not applied unless a
    /// patched schema is given).
    pub fn extensions(&self) -> &[Value] {
        &self.extensions
    }

    /// Add one item: a release, a release package or a record.
    pub fn add(&mut self, item: &Item, name: &str) -> Result<(), Error> {
        let text = Rc::new(item.raw.get().to_string());
        let buf = self.buffers.len();
        self.buffers.push(Rc::clone(&text));
        let raw: &RawValue = serde_json::from_str(&text).map_err(|e| {
            crate::read::syntax_error(name, item.position.index, item.position.offset, &e)
        })?;
        self.add_raw(buf, &text, raw.get(), None, item.position, name)
    }

    fn add_raw(
        &mut self,
        buf: usize,
        text: &str,
        item: &str,
        scanned: Option<Scanned<'_, '_>>,
        at: Position,
        name: &str,
    ) -> Result<(), Error> {
        let fail = |msg: String| Error::Input(format!("{name}: {at}: {msg}"));
        let kind = raw_kind(item);
        if kind != "an object" {
            return Err(fail(format!(
                "expected a release or release package (an object), found {kind}"
            )));
        }
        let probe = match &scanned {
            Some(s) => s.fields,
            None => serde_json::from_str::<Probe<'_>>(item)
                .map_err(|e| {
                    let kind = raw_kind(item);
                    if kind == "an object" {
                        fail(format!("cannot read the object: {e}"))
                    } else {
                        fail(format!(
                            "expected a release or release package (an object), found {kind}"
                        ))
                    }
                })?
                .fields(),
        };
        if probe.records.is_some() {
            return Err(fail(
                "this is a record package; `compile` reads releases and release packages".into(),
            ));
        }

        let version = match (probe.releases, probe.ocid) {
            (Some(_), None) => probe
                .version
                .map(parse_value)
                .unwrap_or_else(|| Value::String("1.0".into())),
            (Some(releases), Some(_)) => {
                let any_parties = match &scanned {
                    Some(s) => s
                        .releases
                        .iter()
                        .flatten()
                        .any(|r| r.fields.parties.is_some()),
                    None => {
                        let rels: Vec<&RawValue> =
                            serde_json::from_str(releases).unwrap_or_default();
                        rels.iter().any(|r| {
                            serde_json::from_str::<Probe<'_>>(r.get())
                                .is_ok_and(|p| p.parties.is_some())
                        })
                    }
                };
                Value::String(if any_parties { "1.1" } else { "1.0" }.into())
            }
            (None, _) => Value::String(
                if probe.parties.is_some() {
                    "1.1"
                } else {
                    "1.0"
                }
                .into(),
            ),
        };
        match &self.version {
            Some(earlier) if *earlier != version => {
                return Err(fail(format!(
                    "version error: this item uses version {}, but earlier items used version {}; \
                     upgrade the items to the same version first (e.g. with `ocdskit upgrade`)",
                    py_str(Some(&version)),
                    py_str(Some(earlier))
                )));
            }
            Some(_) => {}
            None => self.version = Some(version.clone()),
        }
        self.items += 1;

        if probe.date.is_some() {
            let fields = scanned.map(|s| s.fields);
            return self.add_release(buf, text, item, fields, None, &at, name, None);
        }
        let Some(releases) = probe.releases else {
            return Err(fail(if probe.ocid.is_some() {
                "the release has no `date`".into()
            } else {
                "not OCDS: neither a release (no `date`) nor a release package (no `releases`)"
                    .into()
            }));
        };

        // A release package (or a record): its metadata, then its releases.
        // (Packages usually repeat their metadata: the same text is not parsed again.)
        if let Some(p) = probe
            .publisher
            .filter(|p| !same(&mut self.last.publisher, p))
        {
            self.publisher = parse_value(p);
        }
        if let Some(l) = probe.license.filter(|l| !same(&mut self.last.license, l)) {
            self.license = Some(parse_value(l));
        }
        if let Some(p) = probe
            .publication_policy
            .filter(|p| !same(&mut self.last.publication_policy, p))
        {
            self.publication_policy = Some(parse_value(p));
        }
        if let Some(ext) = probe
            .extensions
            .filter(|e| !same(&mut self.last.extensions, e))
        {
            match parse_value(ext) {
                Value::Array(items) => {
                    for e in items {
                        if self.extensions_seen.insert(e.to_string()) {
                            self.extensions.push(e);
                        }
                    }
                }
                other => {
                    self.last.extensions = None;
                    return Err(fail(format!(
                        "`extensions` is {}, not an array",
                        crate::compile::kind(&other)
                    )));
                }
            }
        }
        let uri = probe.uri.map(parse_value);
        let uri = truthy_str(uri.as_ref()).map(str::to_owned);
        let package = match &uri {
            Some(u) => {
                if matches!(&version, Value::String(v) if v.as_str() < "1.2") {
                    self.packages.push(Value::String(u.clone()));
                }
                self.uris.push(u.clone());
                Some((self.uris.len() - 1) as u32)
            }
            None => None,
        };
        if let Some(s) = scanned {
            for (i, release) in s.releases.iter().enumerate() {
                if let Some(r) = release {
                    let fields = Some(r.fields);
                    self.add_release(buf, text, r.text, fields, Some(i), &at, name, package)?;
                }
            }
            return Ok(());
        }
        let list: Vec<&RawValue> = serde_json::from_str(releases).map_err(|_| {
            fail(format!(
                "`releases` is {}, not an array",
                raw_kind(releases)
            ))
        })?;
        for (i, release) in list.into_iter().enumerate() {
            if release.get() == "null" {
                continue;
            }
            self.add_release(buf, text, release.get(), None, Some(i), &at, name, package)?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn add_release(
        &mut self,
        buf: usize,
        text: &str,
        raw: &str,
        fields: Option<Fields<'_>>,
        index: Option<usize>,
        at: &Position,
        name: &str,
        package: Option<u32>,
    ) -> Result<(), Error> {
        let place = match index {
            Some(i) => format!("{name}: {at}: releases[{i}]"),
            None => format!("{name}: {at}"),
        };
        if raw_kind(raw) != "an object" {
            return Err(Error::Input(format!(
                "{place}: a release is {}, not an object",
                raw_kind(raw)
            )));
        }
        let probe = match fields {
            Some(f) => f,
            None => serde_json::from_str::<Probe<'_>>(raw)
                .map_err(|e| {
                    let kind = raw_kind(raw);
                    if kind == "an object" {
                        Error::Input(format!("{place}: cannot read the release: {e}"))
                    } else {
                        Error::Input(format!("{place}: a release is {kind}, not an object"))
                    }
                })?
                .fields(),
        };
        let Some(raw_ocid) = probe.ocid else {
            return Err(Error::Input(format!("{place}: the release has no `ocid`")));
        };
        let ocid_span = if raw_ocid.starts_with('"') && !raw_ocid.contains('\\') {
            Span {
                buf: buf as u32,
                start: raw_ocid.as_ptr() as usize - text.as_ptr() as usize + 1,
                len: raw_ocid.len() - 2,
            }
        } else {
            let Ok(Value::String(decoded)) = serde_json::from_str::<Value>(raw_ocid) else {
                return Err(Error::Input(format!(
                    "{place}: the release's `ocid` is not a string"
                )));
            };
            let start = self.ocid_arena.len();
            self.ocid_arena.push_str(&decoded);
            Span {
                buf: u32::MAX,
                start,
                len: decoded.len(),
            }
        };
        let ocid = self.ocid(ocid_span);
        if probe.date.is_none() {
            return Err(Error::Input(format!(
                "{place}: the release (ocid {ocid}) has no `date`"
            )));
        }
        let start = raw.as_ptr() as usize - text.as_ptr() as usize;
        let stored = Stored {
            ocid: ocid_span,
            buf: buf as u32,
            start,
            len: raw.len(),
            package,
        };
        self.stored.push(stored);
        self.releases += 1;
        Ok(())
    }

    fn rules(&self) -> Result<MergeRules, Error> {
        if let Some(rules) = &self.rules {
            return Ok(rules.clone());
        }
        match &self.version {
            None => Ok(MergeRules::ocds_1_1()),
            Some(Value::String(v)) if MergeRules::for_version(v).is_some() => {
                Ok(MergeRules::for_version(v).unwrap_or_default())
            }
            Some(v) => Err(Error::Input(format!(
                "the `version` value ({}) of a release package is not recognized; give a release \
                 schema with --schema",
                v
            ))),
        }
    }

    fn ocid(&self, span: Span) -> &str {
        let text = if span.buf == u32::MAX {
            self.ocid_arena.as_str()
        } else {
            self.buffers[span.buf as usize].as_str()
        };
        &text[span.start..span.start + span.len]
    }

    /// The releases sorted by `ocid` (stably: input order within a process).
    fn sorted(&mut self) -> Vec<Stored> {
        let mut stored = std::mem::take(&mut self.stored);
        stored.sort_by(|a, b| self.ocid(a.ocid).cmp(self.ocid(b.ocid)));
        stored
    }

    /// Write the output of `ocdskit compile` with these options: one compiled (or versioned)
    /// release per line, or a record package on one line.
    ///
    /// Each line is written only once complete. The groups are freed as they are written.
    pub fn write<W: Write>(&mut self, options: &CompileOptions, out: &mut W) -> Result<(), Error> {
        if options.package {
            self.write_package(options, out)
        } else {
            self.write_releases(options.versioned, out)
        }
    }

    fn write_releases<W: Write>(&mut self, versioned: bool, out: &mut W) -> Result<(), Error> {
        let rules = self.rules()?;
        let mut line = Vec::with_capacity(1 << 16);
        let all = self.sorted();
        for stored in all.chunk_by(|a, b| self.ocid(a.ocid) == self.ocid(b.ocid)) {
            let ocid = self.ocid(stored[0].ocid).to_string();
            let releases = parse_group(&self.buffers, &ocid, stored)?;
            let refs: Vec<&Json<'_>> = releases.iter().collect();
            line.clear();
            let write = |m: &Merged<'_>| pyjson::to_writer(&mut line, m);
            let result = if versioned {
                with_versioned(&refs, &rules, write)
            } else {
                with_compiled(&refs, &rules, write)
            };
            result
                .map_err(|source| Error::Merge {
                    ocid: ocid.clone(),
                    source,
                })?
                .map_err(Error::Io)?;
            line.push(b'\n');
            out.write_all(&line)?;
        }
        Ok(())
    }

    fn package_header(&self, options: &CompileOptions) -> Map<String, Value> {
        let mut header = Map::new();
        header.insert("uri".into(), Value::String(options.uri.clone()));
        let publisher = if options.publisher.is_empty() {
            self.publisher.clone()
        } else {
            Value::Object(options.publisher.clone())
        };
        header.insert("publisher".into(), publisher);
        header.insert(
            "publishedDate".into(),
            Value::String(options.published_date.clone()),
        );
        if let Some(l) = self.license.as_ref().filter(|l| !l.is_null()) {
            header.insert("license".into(), l.clone());
        }
        if let Some(p) = self.publication_policy.as_ref().filter(|p| !p.is_null()) {
            header.insert("publicationPolicy".into(), p.clone());
        }
        header.insert("version".into(), Value::String(options.version.clone()));
        if !self.extensions.is_empty() {
            header.insert("extensions".into(), Value::Array(self.extensions.clone()));
        }
        if !self.packages.is_empty() {
            header.insert("packages".into(), Value::Array(self.packages.clone()));
        }
        header
    }

    fn write_package<W: Write>(
        &mut self,
        options: &CompileOptions,
        out: &mut W,
    ) -> Result<(), Error> {
        let rules = self.rules()?;
        let mut head = pyjson::to_string(&self.package_header(options));
        head.pop(); // the closing brace
        out.write_all(head.as_bytes())?;
        out.write_all(b",\"records\":[")?;
        let mut buf = Vec::with_capacity(1 << 16);
        let uris = std::mem::take(&mut self.uris);
        let all = self.sorted();
        let groups = all.chunk_by(|a, b| self.ocid(a.ocid) == self.ocid(b.ocid));
        for (n, stored) in groups.enumerate() {
            let ocid = self.ocid(stored[0].ocid).to_string();
            let releases = parse_group(&self.buffers, &ocid, stored)?;
            let refs: Vec<&Json<'_>> = releases.iter().collect();
            let linked = if options.linked_releases {
                Some(linked_releases(&ocid, stored, &releases, &uris)?)
            } else {
                None
            };
            buf.clear();
            if n > 0 {
                buf.push(b',');
            }
            let mut record = |compiled: &Merged<'_>, versioned: Option<&Merged<'_>>| {
                let record = RecordOut {
                    ocid: &ocid,
                    releases: match &linked {
                        Some(l) => ReleasesOut::Linked(l),
                        None => ReleasesOut::Full(&releases),
                    },
                    compiled,
                    versioned,
                };
                pyjson::to_writer(&mut buf, &record)
            };
            let merged = with_compiled(&refs, &rules, |c| {
                if options.versioned {
                    with_versioned(&refs, &rules, |v| record(c, Some(v)))
                } else {
                    Ok(record(c, None))
                }
            });
            merged
                .and_then(|inner| inner)
                .map_err(|source| Error::Merge {
                    ocid: ocid.clone(),
                    source,
                })?
                .map_err(Error::Io)?;
            out.write_all(&buf)?;
        }
        out.write_all(b"]}\n")?;
        Ok(())
    }
}

fn parse_group<'b>(
    buffers: &'b [Rc<String>],
    ocid: &str,
    stored: &[Stored],
) -> Result<Vec<Json<'b>>, Error> {
    stored
        .iter()
        .map(|s| {
            let text = &buffers[s.buf as usize][s.start..s.start + s.len];
            serde_json::from_str(text)
                .map_err(|e| Error::Input(format!("{ocid}: cannot parse a release: {e}")))
        })
        .collect()
}

fn linked_releases<'b>(
    ocid: &str,
    stored: &[Stored],
    releases: &[Json<'b>],
    uris: &[String],
) -> Result<Vec<Json<'b>>, Error> {
    stored
        .iter()
        .zip(releases)
        .map(|(s, release)| {
            let Some(uri) = s.package.and_then(|p| uris.get(p as usize)) else {
                return Ok(release.clone());
            };
            let id = match release.get("id") {
                Some(Json::String(id)) => id,
                _ => {
                    return Err(Error::Input(format!(
                        "{ocid}: cannot link a release without a string `id`"
                    )));
                }
            };
            let mut linked = vec![(
                Cow::Borrowed("url"),
                Json::String(Cow::Owned(format!("{uri}#{id}"))),
            )];
            for field in ["date", "tag"] {
                let value = release.get(field).ok_or_else(|| {
                    Error::Input(format!(
                        "{ocid}: cannot link release {id}: it has no `{field}`"
                    ))
                })?;
                linked.push((Cow::Borrowed(field), value.clone()));
            }
            Ok(Json::Object(linked))
        })
        .collect()
}

enum ReleasesOut<'a, 'm> {
    Full(&'a [Json<'m>]),
    Linked(&'a [Json<'m>]),
}

struct RecordOut<'a, 'm> {
    ocid: &'a str,
    releases: ReleasesOut<'a, 'm>,
    compiled: &'a Merged<'m>,
    versioned: Option<&'a Merged<'m>>,
}

impl Serialize for RecordOut<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("ocid", self.ocid)?;
        match self.releases {
            ReleasesOut::Full(r) | ReleasesOut::Linked(r) => map.serialize_entry("releases", r)?,
        }
        map.serialize_entry("compiledRelease", self.compiled)?;
        if let Some(v) = self.versioned {
            map.serialize_entry("versionedRelease", v)?;
        }
        map.end()
    }
}
