//! Output styles of `ocdskit`'s global options `--pretty` and `--ascii`, as a streaming rewrite
//! of compact JSON text.
//!
//! `ocdskit` prints with Python's `json.dumps`: `--pretty` adds `indent=2` (a newline and two
//! spaces per level before each element and each closing bracket, `", "` → `","` at line ends,
//! `": "` after keys, empty `{}` and `[]` kept as they are); `--ascii` sets `ensure_ascii=True`
//! (every character outside `' '..='~'` in a string is written `\uXXXX` in lowercase hex, as a
//! surrogate pair above U+FFFF; that includes DEL, U+007F).
//!
//! [`Reformat`] is a [`Write`] adapter that takes the compact JSON text the merger writes (as
//! [`crate::pyjson`] writes it: no whitespace inside values, values separated by newlines) and
//! writes it in those styles, token by token. It keeps its state between calls, so a value, a
//! string, an escape or a multi-byte character may be split across `write` calls anywhere; it
//! holds at most one incomplete UTF-8 character, never a whole value. Runs of plain bytes are
//! copied with one `write_all`.

use std::io::{self, Write};

/// Which of `ocdskit`'s output options are on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// `--pretty`: `json.dumps(..., indent=2)`.
    pub pretty: bool,
    /// `--ascii`: `json.dumps(..., ensure_ascii=True)`.
    pub ascii: bool,
}

impl Style {
    /// Whether the style changes anything (otherwise the compact text is the output).
    pub fn is_compact(self) -> bool {
        !self.pretty && !self.ascii
    }
}

/// Rewrites compact JSON text written to it into the given [`Style`], writing to `inner`.
///
/// Whitespace between tokens is dropped inside arrays and objects and kept as it is between
/// top-level values (so the newline after each value stays). Call [`Reformat::finish`] at the
/// end to check that the text ended at a value's end.
#[derive(Debug)]
pub struct Reformat<W: Write> {
    inner: W,
    style: Style,
    /// Nesting depth (with `pretty`).
    depth: usize,
    /// Inside a string (with `pretty`).
    in_string: bool,
    /// After a backslash in a string (with `pretty`).
    escape: bool,
    /// After an opening bracket whose line break is not written yet (with `pretty`): it is not
    /// written if the bracket is closed at once.
    open: bool,
    /// The bytes of an incomplete UTF-8 character (with `ascii`).
    partial: [u8; 4],
    /// How many bytes of `partial` are there.
    have: usize,
    /// How many bytes the character in `partial` has (0: none pending).
    need: usize,
}

const SPACES: [u8; 128] = [b' '; 128];

fn invalid(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("reformatting JSON: {what}"),
    )
}

/// The length of the UTF-8 sequence starting with `lead` (0 if `lead` cannot start one).
fn sequence_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Write `\uXXXX` (lowercase hex) for a UTF-16 code unit.
fn write_unit<W: Write>(out: &mut W, unit: u32) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let escape = [
        b'\\',
        b'u',
        HEX[((unit >> 12) & 0xF) as usize],
        HEX[((unit >> 8) & 0xF) as usize],
        HEX[((unit >> 4) & 0xF) as usize],
        HEX[(unit & 0xF) as usize],
    ];
    out.write_all(&escape)
}

/// Write a character as Python's `ensure_ascii` escapes it.
fn write_escaped<W: Write>(out: &mut W, c: char) -> io::Result<()> {
    let c = u32::from(c);
    if c >= 0x1_0000 {
        let v = c - 0x1_0000;
        write_unit(out, 0xD800 | (v >> 10))?;
        write_unit(out, 0xDC00 | (v & 0x3FF))
    } else {
        write_unit(out, c)
    }
}

impl<W: Write> Reformat<W> {
    /// Rewrite into `style`, writing to `inner`.
    pub fn new(inner: W, style: Style) -> Self {
        Reformat {
            inner,
            style,
            depth: 0,
            in_string: false,
            escape: false,
            open: false,
            partial: [0; 4],
            have: 0,
            need: 0,
        }
    }

    /// The writer written to.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// Check that the text written ended at the end of a value, flush, and give back the inner
    /// writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.need > 0 {
            return Err(invalid("the text ends inside a UTF-8 character"));
        }
        if self.in_string {
            return Err(invalid("the text ends inside a string"));
        }
        if self.depth > 0 {
            return Err(invalid("the text ends inside an array or object"));
        }
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// Write a line break and the indentation of the current depth.
    fn newline(&mut self) -> io::Result<()> {
        self.inner.write_all(b"\n")?;
        let mut left = self.depth * 2;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.inner.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    /// Take bytes of a pending UTF-8 character from `buf`; returns how many were taken.
    fn continue_char(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut taken = 0;
        while self.have < self.need {
            let Some(&b) = buf.get(taken) else {
                return Ok(taken);
            };
            if b & 0xC0 != 0x80 {
                return Err(invalid("invalid UTF-8"));
            }
            self.partial[self.have] = b;
            self.have += 1;
            taken += 1;
        }
        let c = std::str::from_utf8(&self.partial[..self.need])
            .ok()
            .and_then(|s| s.chars().next())
            .ok_or_else(|| invalid("invalid UTF-8"))?;
        self.need = 0;
        self.have = 0;
        write_escaped(&mut self.inner, c)?;
        Ok(taken)
    }

    /// Handle a byte of a string that is DEL or not ASCII (with `ascii`); returns how many bytes
    /// of `buf` (which starts with it) were taken.
    fn non_ascii(&mut self, buf: &[u8]) -> io::Result<usize> {
        let lead = buf[0];
        if lead == 0x7F {
            write_unit(&mut self.inner, 0x7F)?;
            return Ok(1);
        }
        let len = sequence_len(lead);
        if len == 0 {
            return Err(invalid("invalid UTF-8"));
        }
        self.partial[0] = lead;
        self.have = 1;
        self.need = len;
        Ok(1 + self.continue_char(&buf[1..])?)
    }

    /// `--ascii` alone: a byte-level rewrite (in valid JSON, bytes that are not ASCII only
    /// occur in strings, and DEL only in strings).
    fn write_ascii(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut i = 0;
        if self.need > 0 {
            i += self.continue_char(buf)?;
        }
        while i < buf.len() {
            let run = buf[i..].iter().position(|&b| b >= 0x7F);
            let end = run.map_or(buf.len(), |p| i + p);
            if end > i {
                self.inner.write_all(&buf[i..end])?;
            }
            i = end;
            if i < buf.len() {
                i += self.non_ascii(&buf[i..])?;
            }
        }
        Ok(())
    }

    /// `--pretty`, with or without `--ascii`.
    fn write_pretty(&mut self, buf: &[u8]) -> io::Result<()> {
        let ascii = self.style.ascii;
        let mut i = 0;
        while i < buf.len() {
            if self.in_string {
                if self.need > 0 {
                    i += self.continue_char(&buf[i..])?;
                    continue;
                }
                if self.escape {
                    // The character after a backslash (ASCII: `"\/bfnrtu`).
                    self.escape = false;
                    self.inner.write_all(&buf[i..=i])?;
                    i += 1;
                    continue;
                }
                let rest = &buf[i..];
                let stop = rest
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || (ascii && b >= 0x7F));
                let Some(p) = stop else {
                    self.inner.write_all(rest)?;
                    return Ok(());
                };
                match rest[p] {
                    b'"' => {
                        self.inner.write_all(&rest[..=p])?;
                        self.in_string = false;
                        i += p + 1;
                    }
                    b'\\' => {
                        self.inner.write_all(&rest[..=p])?;
                        self.escape = true;
                        i += p + 1;
                    }
                    _ => {
                        if p > 0 {
                            self.inner.write_all(&rest[..p])?;
                        }
                        i += p;
                        i += self.non_ascii(&buf[i..])?;
                    }
                }
                continue;
            }
            let b = buf[i];
            let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
            if space {
                if self.depth == 0 {
                    self.inner.write_all(&buf[i..=i])?;
                }
                i += 1;
                continue;
            }
            if self.open {
                self.open = false;
                if b == b'}' || b == b']' {
                    self.depth -= 1;
                    self.inner.write_all(&buf[i..=i])?;
                    i += 1;
                    continue;
                }
                self.newline()?;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.inner.write_all(b"\"")?;
                    i += 1;
                }
                b'{' | b'[' => {
                    self.inner.write_all(&buf[i..=i])?;
                    self.depth += 1;
                    self.open = true;
                    i += 1;
                }
                b'}' | b']' => {
                    self.depth = self
                        .depth
                        .checked_sub(1)
                        .ok_or_else(|| invalid("unbalanced brackets"))?;
                    self.newline()?;
                    self.inner.write_all(&buf[i..=i])?;
                    i += 1;
                }
                b',' => {
                    self.inner.write_all(b",")?;
                    self.newline()?;
                    i += 1;
                }
                b':' => {
                    self.inner.write_all(b": ")?;
                    i += 1;
                }
                _ => {
                    // A number or a literal (`true`, `false`, `null`): copy up to the next
                    // token.
                    let rest = &buf[i..];
                    let end = rest
                        .iter()
                        .position(|&b| {
                            matches!(
                                b,
                                b'{' | b'}'
                                    | b'['
                                    | b']'
                                    | b','
                                    | b':'
                                    | b'"'
                                    | b' '
                                    | b'\t'
                                    | b'\n'
                                    | b'\r'
                            )
                        })
                        .unwrap_or(rest.len());
                    self.inner.write_all(&rest[..end])?;
                    i += end;
                }
            }
        }
        Ok(())
    }
}

impl<W: Write> Write for Reformat<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.style.pretty {
            self.write_pretty(buf)?;
        } else if self.style.ascii {
            self.write_ascii(buf)?;
        } else {
            self.inner.write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reformat_in_pieces(input: &str, style: Style, piece: usize) -> String {
        let mut w = Reformat::new(Vec::new(), style);
        for chunk in input.as_bytes().chunks(piece) {
            w.write_all(chunk).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    /// The same output whether the input comes whole, in 1-byte writes or in 2- and 3-byte
    /// writes.
    fn reformat(input: &str, style: Style) -> String {
        let whole = reformat_in_pieces(input, style, input.len().max(1));
        for piece in [1, 2, 3, 5] {
            assert_eq!(
                reformat_in_pieces(input, style, piece),
                whole,
                "{piece}-byte writes"
            );
        }
        whole
    }

    const PRETTY: Style = Style {
        pretty: true,
        ascii: false,
    };
    const ASCII: Style = Style {
        pretty: false,
        ascii: true,
    };
    const BOTH: Style = Style {
        pretty: true,
        ascii: true,
    };

    #[test]
    fn ascii_escapes_like_ensure_ascii() {
        // What Python's json.dumps("Café 😀 \x7f ~ \u0800", ensure_ascii=True) writes.
        assert_eq!(
            reformat("[\"Café 😀 \u{7f} ~ \u{800}\",\"\\\"é\\\\\"]\n", ASCII),
            "[\"Caf\\u00e9 \\ud83d\\ude00 \\u007f ~ \\u0800\",\"\\\"\\u00e9\\\\\"]\n"
        );
        assert_eq!(
            reformat("{\"\u{10ffff}\":\"\u{ffff}\"}", ASCII),
            "{\"\\udbff\\udfff\":\"\\uffff\"}"
        );
        // ASCII text is copied as it is.
        let plain = "{\"a\":[1,2.5,\"x\\n\\u001f\"],\"b\":null}\n";
        assert_eq!(reformat(plain, ASCII), plain);
    }

    #[test]
    fn pretty_like_indent_2() {
        // What Python's json.dumps(value, indent=2) writes.
        let input = "{\"a\":[1,-2.5e+20,true,null],\"b\":{},\"c\":[],\"d\":{\"e\":[{}]},\"s\":\"x,y:{[\\\"]}\\\\\"}\n";
        let expected = "{\n  \"a\": [\n    1,\n    -2.5e+20,\n    true,\n    null\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": [\n      {}\n    ]\n  },\n  \"s\": \"x,y:{[\\\"]}\\\\\"\n}\n";
        assert_eq!(reformat(input, PRETTY), expected);
        // Values one per line stay one per value, each followed by its newline.
        assert_eq!(
            reformat("{\"a\":1}\n[]\n{}\n\"é\"\n", PRETTY),
            "{\n  \"a\": 1\n}\n[]\n{}\n\"é\"\n"
        );
    }

    #[test]
    fn pretty_and_ascii() {
        assert_eq!(
            reformat("{\"é😀\":[\"\u{7f}\\\"é\",{}]}\n", BOTH),
            "{\n  \"\\u00e9\\ud83d\\ude00\": [\n    \"\\u007f\\\"\\u00e9\",\n    {}\n  ]\n}\n"
        );
    }

    #[test]
    fn deep_nesting_indents_past_the_spaces_buffer() {
        let depth = 100;
        let input = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let got = reformat(&input, PRETTY);
        let innermost = format!("\n{}[]\n", " ".repeat(2 * (depth - 1)));
        assert!(got.contains(&innermost));
        assert_eq!(got.lines().count(), 2 * depth - 1);
    }

    #[test]
    fn compact_is_copied() {
        let input = "{\"a\":\"é\"}\n";
        assert_eq!(reformat(input, Style::default()), input);
    }

    #[test]
    fn incomplete_text_is_an_error() {
        for (input, style) in [("\"é", ASCII), ("{\"a\":1", PRETTY), ("\"abc", PRETTY)] {
            let mut w = Reformat::new(Vec::new(), style);
            let bytes = input.as_bytes();
            w.write_all(&bytes[..bytes.len() - usize::from(style.ascii)])
                .unwrap();
            assert!(w.finish().is_err(), "{input:?}");
        }
        let mut w = Reformat::new(Vec::new(), ASCII);
        assert!(w.write_all(b"\"\xff\"").is_err());
        let mut w = Reformat::new(Vec::new(), BOTH);
        assert!(w.write_all(b"\"\xc3(\"").is_err());
    }
}
