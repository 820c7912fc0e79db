//! A fast reader of well-formed JSON text into [`Json`], for the releases the merge routine
//! reads.
//!
//! It reads exactly what `serde_json` reads, the same way (numbers are read by
//! `serde_json::Number`'s own parser), and gives up (`None`) at anything else — a syntax error,
//! a lone surrogate, deep nesting — so that the caller can ask `serde_json` for the exact error.
//! Fields and items are gathered on scratch stacks and moved into vectors of the exact size.

use std::borrow::Cow;
use std::str::FromStr;

use serde_json::Number;

use super::{Json, dedupe};
use crate::scan::{skip_ws, to_special};

/// Deeper than this, give up (`serde_json` stops at 128).
const MAX_DEPTH: usize = 100;

/// Read `text` (one JSON value, with optional whitespace around it), or `None`.
pub(super) fn parse(text: &str) -> Option<Json<'_>> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        fields: Vec::new(),
        items: Vec::new(),
    };
    let value = p.value(0)?;
    p.ws();
    (p.pos == p.bytes.len()).then_some(value)
}

/// The top-level fields of an object: key, the text of the value, and the value if it was read.
pub(crate) type Fields<'a> = Vec<(Cow<'a, str>, (&'a str, Option<Json<'a>>))>;

/// The top-level fields of a JSON object (keys unique as in Python: the first position, the last
/// value), each with the text of its value, and the value read — except where `known(key)` is
/// the text the value starts with (a complete value, followed by the end of the field): that
/// value is not read again (`None`). `None` if `text` is not an object or does not read.
pub(super) fn fields<'a>(
    text: &'a str,
    known: impl Fn(&str) -> Option<&'a str>,
) -> Option<Fields<'a>> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        fields: Vec::new(),
        items: Vec::new(),
    };
    p.ws();
    if p.peek()? != b'{' {
        return None;
    }
    p.pos += 1;
    let mut out = Vec::new();
    p.ws();
    if p.peek()? == b'}' {
        p.pos += 1;
    } else {
        loop {
            p.ws();
            if p.peek()? != b'"' {
                return None;
            }
            let key = p.string()?;
            p.ws();
            if p.peek()? != b':' {
                return None;
            }
            p.pos += 1;
            p.ws();
            let start = p.pos;
            let same = known(&key).filter(|known| {
                // (`known` is a whole value: the one here is the same if it ends there too.)
                let end = start + known.len();
                text.as_bytes()[start..].starts_with(known.as_bytes())
                    && matches!(
                        text.as_bytes().get(skip_ws(text.as_bytes(), end)),
                        Some(b',' | b'}')
                    )
            });
            let value = match same {
                Some(known) => {
                    p.pos = start + known.len();
                    None
                }
                None => Some(p.value(1)?),
            };
            out.push((key, (&text[start..p.pos], value)));
            p.ws();
            match p.peek()? {
                b',' => p.pos += 1,
                b'}' => {
                    p.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    p.ws();
    (p.pos == p.bytes.len()).then(|| dedupe(out))
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    fields: Vec<(Cow<'a, str>, Json<'a>)>,
    items: Vec<Json<'a>>,
}

impl<'a> Parser<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn ws(&mut self) {
        self.pos = skip_ws(self.bytes, self.pos);
    }

    fn value(&mut self, depth: usize) -> Option<Json<'a>> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(Json::String),
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal(b"true", Json::Bool(true)),
            b'f' => self.literal(b"false", Json::Bool(false)),
            b'n' => self.literal(b"null", Json::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], value: Json<'a>) -> Option<Json<'a>> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word).then(|| {
            self.pos = end;
            value
        })
    }

    fn number(&mut self) -> Option<Json<'a>> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        Number::from_str(&self.text[start..self.pos])
            .ok()
            .map(Json::Number)
    }

    /// A string whose opening quote is at `pos`.
    #[inline]
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos + 1;
        let mut i = start;
        loop {
            i = to_special(self.bytes, i);
            match *self.bytes.get(i)? {
                b'"' => {
                    self.pos = i + 1;
                    return Some(Cow::Borrowed(&self.text[start..i]));
                }
                b'\\' => return self.escaped(start, i).map(Cow::Owned),
                0..0x20 => return None,
                _ => i += 1,
            }
        }
    }

    /// The rest of a string with escapes: `text[start..i]` is plain, `i` is a backslash.
    #[cold]
    fn escaped(&mut self, start: usize, mut i: usize) -> Option<String> {
        let mut out = String::with_capacity(i - start + 16);
        let mut plain = start;
        loop {
            match *self.bytes.get(i)? {
                b'"' => {
                    out.push_str(&self.text[plain..i]);
                    self.pos = i + 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.text[plain..i]);
                    let escape = *self.bytes.get(i + 1)?;
                    i += 2;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let high = self.hex(i)?;
                            i += 4;
                            let code = match high {
                                0xD800..=0xDBFF => {
                                    if self.bytes.get(i..i + 2)? != b"\\u" {
                                        return None;
                                    }
                                    let low = self.hex(i + 2)?;
                                    if !(0xDC00..=0xDFFF).contains(&low) {
                                        return None;
                                    }
                                    i += 6;
                                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                                }
                                0xDC00..=0xDFFF => return None,
                                _ => high,
                            };
                            out.push(char::from_u32(code)?);
                        }
                        _ => return None,
                    }
                    plain = i;
                }
                0..0x20 => return None,
                _ => i += 1,
            }
        }
    }

    fn hex(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        digits.iter().try_fold(0, |n, &d| {
            let v = char::from(d).to_digit(16)?;
            Some(n * 16 + v)
        })
    }

    fn array(&mut self, depth: usize) -> Option<Json<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let first = self.items.len();
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Json::Array(Vec::new()));
        }
        loop {
            let item = self.value(depth)?;
            self.items.push(item);
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(Json::Array(self.items.drain(first..).collect()));
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Json<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let first = self.fields.len();
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(Json::Object(Vec::new()));
        }
        loop {
            self.ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            let value = self.value(depth)?;
            self.fields.push((key, value));
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    let fields = self.fields.drain(first..).collect();
                    return Some(Json::Object(dedupe(fields)));
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Both readers agree on `text`: the same value, or both refuse it.
    fn agree(text: &str) {
        let fast = parse(text);
        let careful = serde_json::from_str::<Json<'_>>(text).ok();
        match (&fast, &careful) {
            (Some(a), Some(b)) => assert_eq!(a, b, "{text}"),
            (None, _) => {} // gave up: the careful reader decides
            (Some(a), None) => panic!("read {text:?} as {a:?}, which serde_json refuses"),
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a": [1, -2, 3.5, 1e3, -0, 0.1, 18446744073709551616, -9223372036854775809]}"#,
            r#"{"s": "plain", "e": "a\"b\\c\/d\b\f\n\r\t", "u": "\u00e9\ud83d\ude00\u0041"}"#,
            r#" { "k" : { } , "l" : [ ] , "m" : [ { } , null , true , false ] } "#,
            r#"{"dup": 1, "x": 2, "dup": 3}"#,
            "\"caf\u{e9} \u{1f600} and a longer string past eight bytes\"",
            "[[[[[]]]]]",
        ] {
            assert!(parse(text).is_some(), "{text}");
            agree(text);
        }
    }

    #[test]
    fn gives_up_on_what_serde_json_refuses() {
        for text in [
            "",
            "{",
            "{\"a\":}",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "+1",
            "1e",
            "tru",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"\\x\"",
            "\"a\u{1}b\"",
            "\"a long string with a control \u{1f} character\"",
            "{} {}",
            "[1 2]",
            "{\"a\" 1}",
            "nul",
            "\"unterminated",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
            agree(text);
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_none());
    }

    #[test]
    fn a_field_is_not_read_again_only_when_its_whole_text_repeats() {
        // (`known` is always the text of a whole value read before.)
        let read = |text: &'static str, known: &'static str| {
            let fields = fields(text, |_| Some(known)).unwrap();
            fields[0].1.1.is_some()
        };
        assert!(!read(r#"{"a":"x"}"#, r#""x""#));
        assert!(!read(r#"{"a":{"b":1} , "c":2}"#, r#"{"b":1}"#));
        assert!(read(r#"{"a":123}"#, "12"), "a longer number");
        assert!(read(r#"{"a":1.5}"#, "1"));
        assert!(read(r#"{"a":"xy"}"#, r#""x""#));
        assert!(read(r#"{"a":[1,2,3]}"#, "[1,2]"));
        let dup = fields(r#"{"a":1,"b":2,"a":3}"#, |_| None).unwrap();
        assert_eq!(dup.len(), 2);
        assert_eq!(dup[0].1.0, "3", "the first position, the last value");
    }

    /// Valid JSON text of any shape, compact or spaced.
    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            any::<bool>().prop_map(|b| b.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| format!("{f:e}")),
            "[a-z\u{e9}\u{1f600} \\\\\"\t]{0,12}"
                .prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6)
                    .prop_map(|v| format!("[{}]", v.join(", "))),
                prop::collection::vec(("[a-d]{1,2}", inner), 0..6).prop_map(|v| {
                    let fields: Vec<String> =
                        v.iter().map(|(k, v)| format!("\"{k}\" :{v}")).collect();
                    format!("{{ {} }}", fields.join(","))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn agrees_with_serde_json_on_json(text in json_text()) {
            prop_assert!(parse(&text).is_some(), "{}", text);
            agree(&text);
        }

        #[test]
        fn agrees_with_serde_json_on_anything_json_like(text in "[ {}\\[\\],:\"\\\\a-c0-9.eE+\\-tfnul\u{e9}\n\u{1}]{0,40}") {
            agree(&text);
        }
    }
}
