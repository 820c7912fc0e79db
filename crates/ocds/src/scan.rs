//! A one-pass scan of well-formed input for [`Merger::read_bytes`](crate::Merger::read_bytes).
//!
//! The scan validates the JSON syntax of the whole input and finds, for each top-level object,
//! the fields that decide what it is (and for each release in its `releases` array, the
//! release's text, `ocid` and whether it has `date` and `parties`) — without building values.
//!
//! It is strictly an optimisation: it accepts only input that `serde_json` accepts and reads
//! the same way, and gives up (`None`) on anything unusual — a syntax error, a top-level value
//! that is not an object, a key with escapes or a duplicate key among those looked at, a
//! `releases` that is not an array of objects (or `null`s), `\u` escapes of surrogates, deep
//! nesting. The caller then reads the input the careful way, which gives the exact errors.

use std::ops::Range;

/// The fields of an object that decide what it is (as text of their values).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Fields<'a> {
    pub(crate) releases: Option<&'a str>,
    pub(crate) records: Option<&'a str>,
    pub(crate) ocid: Option<&'a str>,
    pub(crate) date: Option<&'a str>,
    pub(crate) parties: Option<&'a str>,
    pub(crate) version: Option<&'a str>,
    pub(crate) uri: Option<&'a str>,
    pub(crate) publisher: Option<&'a str>,
    pub(crate) license: Option<&'a str>,
    pub(crate) publication_policy: Option<&'a str>,
    pub(crate) extensions: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// The slot of a field by key (`None` for other keys), and its bit for duplicate checks.
    fn slot(&mut self, key: &[u8]) -> Option<(&mut Option<&'a str>, u16)> {
        Some(match key {
            b"releases" => (&mut self.releases, 1),
            b"records" => (&mut self.records, 2),
            b"ocid" => (&mut self.ocid, 4),
            b"date" => (&mut self.date, 8),
            b"parties" => (&mut self.parties, 16),
            b"version" => (&mut self.version, 32),
            b"uri" => (&mut self.uri, 64),
            b"publisher" => (&mut self.publisher, 128),
            b"license" => (&mut self.license, 256),
            b"publicationPolicy" => (&mut self.publication_policy, 512),
            b"extensions" => (&mut self.extensions, 1024),
            _ => return None,
        })
    }
}

/// A release of a package's `releases` array.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScannedRelease<'a> {
    pub(crate) text: &'a str,
    /// Its `ocid`, and whether it has `date` and `parties` (kept small: there is one of these
    /// for every release of the input).
    pub(crate) ocid: Option<&'a str>,
    pub(crate) has_date: bool,
    pub(crate) has_parties: bool,
    /// Whether the `ocid` is a string without escapes (its text is its value).
    pub(crate) plain_ocid: bool,
    /// Where a copy of that text is in its part's `ocids` (start, length).
    pub(crate) ocid_copy: Option<(usize, usize)>,
}

impl<'a> ScannedRelease<'a> {
    /// The release whose text is `text`, with these fields.
    pub(crate) fn new(text: &'a str, fields: &Fields<'a>) -> Self {
        ScannedRelease {
            text,
            ocid: fields.ocid,
            has_date: fields.date.is_some(),
            has_parties: fields.parties.is_some(),
            plain_ocid: fields.ocid.is_some_and(plain_string),
            ocid_copy: None,
        }
    }
}

/// A top-level object.
#[derive(Debug)]
pub(crate) struct ScannedItem<'a> {
    /// The byte offset after which the value starts (the end of the previous value).
    pub(crate) offset: u64,
    pub(crate) text: &'a str,
    pub(crate) fields: Fields<'a>,
}

/// Whether a JSON value's text is a string without escapes.
pub(crate) fn plain_string(raw: &str) -> bool {
    raw.len() >= 2 && raw.starts_with('"') && !raw.contains('\\')
}

/// What the scan of a part of the input found.
#[derive(Debug, Default)]
pub(crate) struct Part<'a> {
    /// The objects, each with the range of its releases in `releases`.
    pub(crate) items: Vec<(ScannedItem<'a>, Range<usize>)>,
    pub(crate) releases: Vec<Option<ScannedRelease<'a>>>,
    /// For each object, which package metadata fields repeat the text of the part's previous
    /// object with that field ([`Repeats`]), worked out while the text is fresh in the cache.
    pub(crate) repeats: Vec<Repeats>,
    /// For each object, its `uri` when it is a string without escapes (a range of `uris`).
    pub(crate) uri: Vec<Option<Range<usize>>>,
    pub(crate) uris: String,
    /// Copies of the releases' plain `ocid`s, end to end: sorting and grouping the releases
    /// compare these, close together, rather than text all over the input.
    pub(crate) ocids: String,
    /// Whether the scan gave up after `items` (the rest of the input is not scanned).
    pub(crate) gave_up: bool,
}

/// The package metadata fields of an object that repeat the text of the previous object (of the
/// same part) that had the field.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Repeats(u8);

impl Repeats {
    pub(crate) const PUBLISHER: u8 = 1;
    pub(crate) const LICENSE: u8 = 2;
    pub(crate) const PUBLICATION_POLICY: u8 = 4;
    pub(crate) const EXTENSIONS: u8 = 8;
    pub(crate) const VERSION: u8 = 16;

    pub(crate) fn has(self, field: u8) -> bool {
        self.0 & field != 0
    }
}

/// The last text of each metadata field in a part.
#[derive(Default)]
struct LastSeen<'a>([Option<&'a str>; 5]);

impl<'a> LastSeen<'a> {
    /// Only the objects whose metadata the merger reads count: release packages (and the
    /// `version` of anything with `releases` and no `ocid`).
    fn repeats(&mut self, fields: &Fields<'a>) -> Repeats {
        let mut out = 0;
        let versioned =
            fields.releases.is_some() && fields.ocid.is_none() && fields.records.is_none();
        let package = versioned && fields.date.is_none();
        let now = [
            fields.publisher.filter(|_| package),
            fields.license.filter(|_| package),
            fields.publication_policy.filter(|_| package),
            fields.extensions.filter(|_| package),
            fields.version.filter(|_| versioned),
        ];
        for (i, (last, now)) in self.0.iter_mut().zip(now).enumerate() {
            if let Some(text) = now {
                if *last == Some(text) {
                    out |= 1 << i;
                }
                *last = Some(text);
            }
        }
        Repeats(out)
    }
}

/// Scan the input in up to `parts` parts (of at least `min_part` bytes) at once, in order.
///
/// The input is split where a line starts with `{` (as between the items of JSON Lines, or of
/// pretty-printed concatenated JSON). Each part is scanned as if it were a whole input, so a
/// part's scan only ends cleanly (at its end, between top-level values) when the split was
/// between top-level values — exactly where a scan of the whole input would be there; a split
/// anywhere else makes that part give up, and the whole input is then read the careful way.
pub(crate) fn scan_in_parts(text: &str, parts: usize, min_part: usize) -> Vec<Part<'_>> {
    let mut bounds = vec![0];
    let step = text.len() / parts.max(1);
    if step >= min_part.max(1) {
        for k in 1..parts {
            let from = (k * step).max(*bounds.last().unwrap_or(&0));
            match text.as_bytes()[from..].windows(2).position(|w| w == b"\n{") {
                Some(at) => bounds.push(from + at + 1),
                None => break,
            }
        }
    }
    bounds.push(text.len());
    let scan = |(start, end): (usize, usize)| -> Part<'_> {
        let mut scanner = Scanner::range(text, start, end);
        let mut part = Part::default();
        let mut releases = Vec::new();
        let mut last = LastSeen::default();
        loop {
            match scanner.next_item(&mut releases) {
                Ok(Some(item)) => {
                    part.repeats.push(last.repeats(&item.fields));
                    let uri = item.fields.uri.filter(|u| plain_string(u)).map(|u| {
                        let start = part.uris.len();
                        part.uris.push_str(&u[1..u.len() - 1]);
                        start..part.uris.len()
                    });
                    part.uri.push(uri);
                    for r in releases.iter_mut().flatten() {
                        if let (true, Some(ocid)) = (r.plain_ocid, r.ocid) {
                            let start = part.ocids.len();
                            part.ocids.push_str(&ocid[1..ocid.len() - 1]);
                            r.ocid_copy = Some((start, ocid.len() - 2));
                        }
                    }
                    let first = part.releases.len();
                    part.releases.append(&mut releases);
                    let range = first..part.releases.len();
                    part.items.push((item, range));
                }
                Ok(None) => return part,
                Err(GiveUp) => {
                    part.gave_up = true;
                    return part;
                }
            }
        }
    };
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    if ranges.len() == 1 {
        return vec![scan(ranges[0])];
    }
    std::thread::scope(|scope| {
        let others: Vec<_> = ranges[1..]
            .iter()
            .map(|&range| scope.spawn(move || scan(range)))
            .collect();
        let mut out = vec![scan(ranges[0])];
        for handle in others {
            // A scan does not panic; if one did, the careful read decides.
            out.push(handle.join().unwrap_or(Part {
                gave_up: true,
                ..Part::default()
            }));
        }
        out
    })
}

/// Deeper than this, give up (`serde_json` stops at 128).
const MAX_DEPTH: usize = 100;

/// The scan of a whole input, one top-level object at a time.
pub(crate) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` (little-endian) that is `"`, `\` or a control character;
/// exact up to the first such byte (above it, borrows may mark others).
#[inline]
fn special(w: u64) -> u64 {
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    zero(quote) | zero(backslash) | control
}

/// The position of the first byte at or after `pos` that is not JSON whitespace.
#[inline]
pub(crate) fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\t' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// Inside a string, from `i`: the position of the first `"`, `\` or control character — or of
/// somewhere in the last 8 bytes, from which to go on a byte at a time. Eight bytes at a time.
#[inline]
pub(crate) fn to_special(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let mask = special(u64::from_le_bytes(word));
        if mask != 0 {
            return i + (mask.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Gave up: read the input the careful way.
#[derive(Debug)]
pub(crate) struct GiveUp;

impl<'a> Scanner<'a> {
    #[cfg(test)]
    pub(crate) fn new(text: &'a str) -> Self {
        Self::range(text, 0, text.len())
    }

    /// The scan of `text[start..end]`, as if the input ended at `end` (offsets and texts are of
    /// `text`). `start` and `end` must be character boundaries.
    pub(crate) fn range(text: &'a str, start: usize, end: usize) -> Self {
        Scanner {
            text,
            bytes: &text.as_bytes()[..end],
            pos: start,
        }
    }

    /// The next top-level object (`Ok(None)` at the end), with the elements of its `releases`
    /// array (if it is one) in `releases`: `None` for `null`.
    pub(crate) fn next_item(
        &mut self,
        releases: &mut Vec<Option<ScannedRelease<'a>>>,
    ) -> Result<Option<ScannedItem<'a>>, GiveUp> {
        releases.clear();
        let offset = self.pos as u64;
        self.ws();
        match self.peek() {
            None => return Ok(None),
            Some(b'{') => {}
            Some(_) => return Err(GiveUp),
        }
        let start = self.pos;
        let mut fields = Fields::default();
        self.object(Some(&mut fields), Some(releases), 1)
            .ok_or(GiveUp)?;
        Ok(Some(ScannedItem {
            offset,
            text: &self.text[start..self.pos],
            fields,
        }))
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn ws(&mut self) {
        self.pos = skip_ws(self.bytes, self.pos);
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Option<()> {
        self.ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// Skip a string whose opening quote is at `pos`; whether it had escapes.
    fn string(&mut self) -> Option<bool> {
        self.pos += 1;
        let bytes = self.bytes;
        let mut escaped = false;
        loop {
            self.pos = to_special(bytes, self.pos);
            let b = *bytes.get(self.pos)?;
            self.pos += 1;
            match b {
                b'"' => return Some(escaped),
                b'\\' => {
                    escaped = true;
                    match *bytes.get(self.pos)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 1,
                        b'u' => {
                            let hex = bytes.get(self.pos + 1..self.pos + 5)?;
                            let hex = std::str::from_utf8(hex).ok()?;
                            if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                                return None;
                            }
                            let code = u16::from_str_radix(hex, 16).ok()?;
                            if (0xD800..=0xDFFF).contains(&code) {
                                return None;
                            }
                            self.pos += 5;
                        }
                        _ => return None,
                    }
                }
                0..0x20 => return None,
                _ => {}
            }
        }
    }

    fn digits(&mut self) -> Option<()> {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }

    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.digits()?;
        }
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.bytes.get(self.pos..self.pos + word.len())? == word {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    /// Skip any value (after whitespace).
    fn value(&mut self, depth: usize) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.object(None, None, depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.value(depth)?;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The elements of a `releases` array: objects (with their fields) or `null`s.
    fn releases(&mut self, out: &mut Vec<Option<ScannedRelease<'a>>>, depth: usize) -> Option<()> {
        if self.peek() != Some(b'[') || depth + 1 > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            match self.peek()? {
                b'{' => {
                    let start = self.pos;
                    let mut fields = Fields::default();
                    self.object(Some(&mut fields), None, depth + 2)?;
                    let text = &self.text[start..self.pos];
                    out.push(Some(ScannedRelease::new(text, &fields)));
                }
                b'n' => {
                    self.literal(b"null")?;
                    out.push(None);
                }
                _ => return None,
            }
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Skip an object; with `fields`, note the fields that matter (and with `releases`, scan a
    /// `releases` array's elements).
    fn object(
        &mut self,
        mut fields: Option<&mut Fields<'a>>,
        mut releases: Option<&mut Vec<Option<ScannedRelease<'a>>>>,
        depth: usize,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Some(());
        }
        let mut seen = 0u16;
        loop {
            self.ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key_start = self.pos + 1;
            let escaped = self.string()?;
            let key = &self.bytes[key_start..self.pos - 1];
            self.eat(b':')?;
            self.ws();
            let start = self.pos;
            let slot = match fields.as_deref_mut() {
                Some(_) if escaped => return None,
                Some(f) => f.slot(key),
                None => None,
            };
            match slot {
                Some((slot, bit)) => {
                    if seen & bit != 0 {
                        return None;
                    }
                    seen |= bit;
                    match releases.as_deref_mut() {
                        Some(list) if bit == 1 => self.releases(list, depth)?,
                        _ => self.value(depth)?,
                    }
                    *slot = Some(&self.text[start..self.pos]);
                }
                None => self.value(depth)?,
            }
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_packages_and_releases() {
        let text = r#" {"uri":"u","releases":[{"ocid":"a","date":"d","x":[1,-2.5e3,{"y":"\n\u00e9"}]},null]}
{"ocid":"b","date":"e","parties":[]}"#;
        let mut scanner = Scanner::new(text);
        let mut releases = Vec::new();
        let first = scanner.next_item(&mut releases).unwrap().unwrap();
        assert_eq!(first.offset, 0);
        assert_eq!(first.fields.uri, Some("\"u\""));
        assert_eq!(releases.len(), 2);
        let r = releases[0].unwrap();
        assert_eq!(r.ocid, Some("\"a\""));
        assert!(r.text.starts_with("{\"ocid\"") && r.text.ends_with("}]}"));
        assert!(r.has_date && !r.has_parties && r.plain_ocid);
        assert!(releases[1].is_none());
        let second = scanner.next_item(&mut releases).unwrap().unwrap();
        assert_eq!(second.offset, first.text.len() as u64 + 1);
        assert!(second.fields.parties.is_some());
        assert!(releases.is_empty());
        assert!(scanner.next_item(&mut releases).unwrap().is_none());
    }

    #[test]
    fn gives_up_on_anything_unusual() {
        for text in [
            "[{}]",
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":\"\t\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"ocid\":1,\"ocid\":2}",
            "{\"oc\\u0069d\":1}",
            "{\"releases\":{}}",
            "{\"releases\":[1]}",
            "{\"a\":tru}",
            "{} x",
            "{\"a\":1",
        ] {
            assert!(scan(text).is_none(), "{text}");
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(scan(&deep).is_none());
        assert!(scan("{\"a\":{\"ocid\":1,\"ocid\":2}}").is_some());
    }

    fn scan(text: &str) -> Option<usize> {
        let mut scanner = Scanner::new(text);
        let mut releases = Vec::new();
        let mut n = 0;
        while scanner.next_item(&mut releases).ok()?.is_some() {
            n += 1;
        }
        Some(n)
    }
}
