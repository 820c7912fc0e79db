//! Grouping releases by `ocid` and writing compiled releases, versioned releases or a record
//! package, with the inputs, options and output of `ocdskit compile` (1.7).
//!
//! Like `ocdskit`, the [`Merger`] reads everything first (the releases of one contracting
//! process may be anywhere in the input), then writes one result per `ocid` in `ocid` order. It
//! holds each release as its raw JSON text, grouped by `ocid`, and frees each group once written.
//! Reading is here; what is read is decided from a few fields (`probe`); writing, on every core,
//! is in `write`.

mod probe;
mod write;

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;
use std::sync::Arc;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use self::probe::{LastMeta, Probe, Version, parse_value, raw_kind, same, truthy_string};
use crate::Error;
use crate::MergeRules;
use crate::pyjson::py_str;
use crate::read::{Item, Position, Reader};
use crate::scan::{Fields, Repeats, ScannedRelease, plain_string, scan_in_parts};

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

/// Strings kept end to end in one buffer.
#[derive(Debug, Default)]
struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, index: u32) -> Option<&str> {
        let i = index as usize;
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    fn truncate(&mut self, len: usize) {
        self.ends.truncate(len);
        self.text.truncate(self.ends.last().copied().unwrap_or(0));
    }
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

/// How the work is shared between threads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parallel {
    /// At most this many threads.
    pub(crate) threads: usize,
    /// The input is scanned in parts of at least this many bytes.
    pub(crate) min_part: usize,
    /// Processes are merged in batches of about this many bytes of input.
    pub(crate) batch_bytes: usize,
}

impl Default for Parallel {
    fn default() -> Self {
        Parallel {
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            min_part: 1 << 20,
            batch_bytes: 256 << 10,
        }
    }
}

/// Collects releases by `ocid` and writes what `ocdskit compile` writes.
#[derive(Debug)]
pub struct Merger {
    rules: Option<MergeRules>,
    parallel: Parallel,
    buffers: Vec<Arc<String>>,
    /// Every release, in input order (grouped by `ocid` only when writing).
    stored: Vec<Stored>,
    /// `ocid`s that had escapes (the others are ranges of the input).
    ocid_arena: String,
    uris: Strings,
    version: Option<Value>,
    publisher: Value,
    license: Option<Value>,
    publication_policy: Option<Value>,
    extensions: Vec<Value>,
    extensions_seen: HashSet<String>,
    /// The `uri`s of the input packages (indices into `uris`).
    packages: Vec<u32>,
    items: usize,
    releases: usize,
    /// The text of the last package metadata read.
    last: LastMeta,
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
    repeats: Repeats,
    /// The `uri`, when it is a string without escapes.
    uri: Option<&'s str>,
    /// The buffer of the copies of the releases' `ocid`s.
    ocids: u32,
}

impl Merger {
    /// A merger using the rules of `schema` if given; otherwise the official rules for the
    /// version of the input (1.1.5 for OCDS 1.1, 1.0.3 for OCDS 1.0), as `ocdskit` picks them.
    pub fn new(rules: Option<MergeRules>) -> Self {
        Merger {
            rules,
            parallel: Parallel::default(),
            buffers: Vec::new(),
            stored: Vec::new(),
            ocid_arena: String::new(),
            uris: Strings::default(),
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
        let text = Arc::new(crate::read::utf8(name, input)?);
        let buf = self.buffers.len();
        self.buffers.push(Arc::clone(&text));
        // Well-formed input is read in one pass; at anything unusual, the state is put back
        // and the input read the careful way, which gives the exact errors.
        let mark = self.mark();
        let mut index = 0;
        let mut gave_up = false;
        let parts = scan_in_parts(&text, self.parallel.threads, self.parallel.min_part);
        for mut part in parts {
            let ocids = self.buffers.len() as u32;
            self.buffers.push(Arc::new(std::mem::take(&mut part.ocids)));
            let items = part.items.iter().zip(&part.repeats).zip(&part.uri);
            for (((item, range), &repeats), uri) in items {
                let at = Position {
                    index,
                    offset: item.offset,
                    element: None,
                };
                let scanned = Scanned {
                    fields: item.fields,
                    releases: &part.releases[range.clone()],
                    repeats,
                    uri: uri.clone().map(|r| &part.uris[r]),
                    ocids,
                };
                self.add_raw(buf, &text, item.text, Some(scanned), at, name)?;
                index += 1;
            }
            if part.gave_up {
                gave_up = true;
                break;
            }
        }
        if !gave_up {
            return Ok(());
        }
        self.reset(mark);
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
        let text = Arc::new(item.raw.get().to_string());
        let buf = self.buffers.len();
        self.buffers.push(Arc::clone(&text));
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
        // (What the scan found is an object: its text is not looked at again.)
        let kind = if scanned.is_some() {
            "an object"
        } else {
            raw_kind(item)
        };
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
            (Some(_), None) => match probe.version {
                Some(raw) => Version::Raw(raw),
                None => Version::Implied("1.0"),
            },
            (Some(releases), Some(_)) => {
                let any_parties = match &scanned {
                    Some(s) => s.releases.iter().flatten().any(|r| r.has_parties),
                    None => {
                        let rels: Vec<&RawValue> =
                            serde_json::from_str(releases).unwrap_or_default();
                        rels.iter().any(|r| {
                            serde_json::from_str::<Probe<'_>>(r.get())
                                .is_ok_and(|p| p.parties.is_some())
                        })
                    }
                };
                Version::Implied(if any_parties { "1.1" } else { "1.0" })
            }
            (None, _) => Version::Implied(if probe.parties.is_some() {
                "1.1"
            } else {
                "1.0"
            }),
        };
        // (A version that repeats the previous package's text was checked with it.)
        let repeated = matches!(version, Version::Raw(_))
            && scanned.is_some_and(|s| s.repeats.has(Repeats::VERSION));
        match &self.version {
            Some(earlier) if !repeated && !version.is(earlier) => {
                return Err(fail(format!(
                    "version error: this item uses version {}, but earlier items used version {}; \
                     upgrade the items to the same version first (e.g. with `ocdskit upgrade`)",
                    py_str(Some(&version.value())),
                    py_str(Some(earlier))
                )));
            }
            Some(_) => {}
            None => self.version = Some(version.value()),
        }
        self.items += 1;

        if probe.date.is_some() {
            let release = scanned.map(|s| (ScannedRelease::new(item, &s.fields), s.ocids));
            return self.add_release(buf, text, item, release, None, &at, name, None);
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
        let repeats = scanned.map_or(Repeats::default(), |s| s.repeats);
        let new = |field: u8, last: &mut Option<String>, text: &str| {
            !repeats.has(field) && !same(last, text)
        };
        if let Some(p) = probe
            .publisher
            .filter(|p| new(Repeats::PUBLISHER, &mut self.last.publisher, p))
        {
            self.publisher = parse_value(p);
        }
        if let Some(l) = probe
            .license
            .filter(|l| new(Repeats::LICENSE, &mut self.last.license, l))
        {
            self.license = Some(parse_value(l));
        }
        if let Some(p) = probe.publication_policy.filter(|p| {
            new(
                Repeats::PUBLICATION_POLICY,
                &mut self.last.publication_policy,
                p,
            )
        }) {
            self.publication_policy = Some(parse_value(p));
        }
        if let Some(ext) = probe
            .extensions
            .filter(|e| new(Repeats::EXTENSIONS, &mut self.last.extensions, e))
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
        let uri = match scanned.and_then(|s| s.uri) {
            Some(plain) => (!plain.is_empty()).then_some(Cow::Borrowed(plain)),
            None => probe.uri.and_then(truthy_string),
        };
        let package = match uri {
            Some(u) => {
                let index = self.uris.len() as u32;
                self.uris.push(&u);
                if self.version.as_ref().and_then(Value::as_str) < Some("1.2") {
                    self.packages.push(index);
                }
                Some(index)
            }
            None => None,
        };
        if let Some(s) = scanned {
            for (i, release) in s.releases.iter().enumerate() {
                if let Some(r) = release {
                    let scanned = Some((*r, s.ocids));
                    self.add_release(buf, text, r.text, scanned, Some(i), &at, name, package)?;
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
        scanned: Option<(ScannedRelease<'_>, u32)>,
        index: Option<usize>,
        at: &Position,
        name: &str,
        package: Option<u32>,
    ) -> Result<(), Error> {
        let place = || match index {
            Some(i) => format!("{name}: {at}: releases[{i}]"),
            None => format!("{name}: {at}"),
        };
        // What the scan found (with where the copy of the `ocid` is), or a probe of the text.
        let (ocid, has_date, plain, copy) = match scanned {
            Some((r, ocids)) => {
                let copy = r.ocid_copy.map(|(start, len)| Span {
                    buf: ocids,
                    start,
                    len,
                });
                (r.ocid, r.has_date, r.plain_ocid, copy)
            }
            None => {
                if raw_kind(raw) != "an object" {
                    return Err(Error::Input(format!(
                        "{}: a release is {}, not an object",
                        place(),
                        raw_kind(raw)
                    )));
                }
                let probe = serde_json::from_str::<Probe<'_>>(raw).map_err(|e| {
                    Error::Input(format!("{}: cannot read the release: {e}", place()))
                })?;
                let Fields { ocid, date, .. } = probe.fields();
                (ocid, date.is_some(), ocid.is_some_and(plain_string), None)
            }
        };
        let Some(raw_ocid) = ocid else {
            return Err(Error::Input(format!(
                "{}: the release has no `ocid`",
                place()
            )));
        };
        let ocid_span = if let Some(copy) = copy {
            copy
        } else if plain {
            Span {
                buf: buf as u32,
                start: raw_ocid.as_ptr() as usize - text.as_ptr() as usize + 1,
                len: raw_ocid.len() - 2,
            }
        } else {
            let Ok(Value::String(decoded)) = serde_json::from_str::<Value>(raw_ocid) else {
                return Err(Error::Input(format!(
                    "{}: the release's `ocid` is not a string",
                    place()
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
        if !has_date {
            return Err(Error::Input(format!(
                "{}: the release (ocid {}) has no `date`",
                place(),
                self.ocid(ocid_span)
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

    /// The JSON text of a stored release.
    fn text(&self, stored: &Stored) -> &str {
        &self.buffers[stored.buf as usize][stored.start..stored.start + stored.len]
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
}

#[cfg(test)]
mod tests;
