//! Streaming input: concatenated JSON values or JSON Lines, from a file or stdin.
//!
//! [`Reader`] yields one [`Item`] per top-level value; a top-level array yields one item per
//! element, as `ocdskit` does. Items are kept as raw JSON text ([`RawValue`]), which is compact
//! to hold and quick to parse later; [`Item::parse`] gives a [`Value`]. Only one top-level value
//! is held by the reader at a time. Errors name the item and the line, column and byte offset.

use std::collections::VecDeque;
use std::fmt;
use std::io::{BufReader, Read};

use serde_json::value::RawValue;
use serde_json::{Deserializer, StreamDeserializer, Value};

use crate::Error;

/// Where an item was in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The item number (0-based), counting elements of top-level arrays one by one.
    pub index: usize,
    /// The byte offset in the input after which the top-level value starts.
    pub offset: u64,
    /// For an element of a top-level array, its position in the array.
    pub element: Option<usize>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.element {
            Some(e) => write!(
                f,
                "item {} (element {} of the array after byte {})",
                self.index, e, self.offset
            ),
            None => write!(
                f,
                "item {} (the value after byte {})",
                self.index, self.offset
            ),
        }
    }
}

/// One top-level value (or element of a top-level array) of the input.
#[derive(Debug)]
pub struct Item {
    /// The JSON text of the value.
    pub raw: Box<RawValue>,
    /// Where it was.
    pub position: Position,
}

impl Item {
    /// Parse the item into a JSON value.
    pub fn parse(&self) -> Result<Value, Error> {
        serde_json::from_str(self.raw.get())
            .map_err(|e| Error::Input(format!("{}: {e}", self.position)))
    }
}

type Stream<R> = StreamDeserializer<'static, serde_json::de::IoRead<BufReader<R>>, Box<RawValue>>;

/// A streaming reader of JSON values (concatenated, whitespace- or newline-separated).
pub struct Reader<R: Read> {
    stream: Stream<R>,
    pending: VecDeque<Item>,
    index: usize,
    done: bool,
    name: String,
}

impl<R: Read> fmt::Debug for Reader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("name", &self.name)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Reader<R> {
    /// Read from `input`; `name` (a file name or `<stdin>`) prefixes error messages.
    pub fn new(input: R, name: impl Into<String>) -> Self {
        let buffered = BufReader::with_capacity(1 << 16, input);
        Reader {
            stream: Deserializer::from_reader(buffered).into_iter(),
            pending: VecDeque::new(),
            index: 0,
            done: false,
            name: name.into(),
        }
    }

    /// The name given for the input.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn fail(&mut self, offset: u64, e: &serde_json::Error) -> Error {
        self.done = true;
        syntax_error(&self.name, self.index, offset, e)
    }
}

/// The message for a JSON syntax error in item `index`, which starts after byte `offset`.
pub(crate) fn syntax_error(name: &str, index: usize, offset: u64, e: &serde_json::Error) -> Error {
    let what = if e.is_eof() {
        "truncated JSON"
    } else if e.is_io() {
        "read error"
    } else {
        "not valid JSON"
    };
    let mut detail = e.to_string();
    if let Some(cut) = detail.find(" at line ") {
        detail.truncate(cut);
    }
    Error::Input(format!(
        "{name}: item {index} (after byte {offset}): {what} at line {}, column {}: {detail}",
        e.line(),
        e.column()
    ))
}

/// The line and column (from 1) of byte `at` of `bytes`.
pub(crate) fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, column)
}

/// Check that input is UTF-8, naming the first bad byte.
pub(crate) fn utf8(name: &str, input: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(input).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = line_column(e.as_bytes(), at);
        Error::Input(format!(
            "{name}: not valid UTF-8 at byte {at} (line {line}, column {column})"
        ))
    })
}

impl<R: Read> Iterator for Reader<R> {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(item) = self.pending.pop_front() {
            return Some(Ok(item));
        }
        if self.done {
            return None;
        }
        let offset = self.stream.byte_offset() as u64;
        match self.stream.next()? {
            Err(e) => Some(Err(self.fail(offset, &e))),
            Ok(raw) => {
                if raw.get().starts_with('[') {
                    let elements: Vec<Box<RawValue>> = match serde_json::from_str(raw.get()) {
                        Ok(v) => v,
                        Err(e) => return Some(Err(self.fail(offset, &e))),
                    };
                    for (i, element) in elements.into_iter().enumerate() {
                        self.pending.push_back(Item {
                            raw: element,
                            position: Position {
                                index: self.index,
                                offset,
                                element: Some(i),
                            },
                        });
                        self.index += 1;
                    }
                    self.next()
                } else {
                    let item = Item {
                        raw,
                        position: Position {
                            index: self.index,
                            offset,
                            element: None,
                        },
                    };
                    self.index += 1;
                    Some(Ok(item))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> Vec<Result<String, String>> {
        Reader::new(input.as_bytes(), "<test>")
            .map(|r| {
                r.map(|i| i.raw.get().to_string())
                    .map_err(|e| e.to_string())
            })
            .collect()
    }

    #[test]
    fn concatenated_lines_and_arrays() {
        let got = read("{\"a\":1}{\"b\":2}\n{\"c\":3}\n[{\"d\":4},{\"e\":5}] 6");
        let got: Vec<_> = got.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            got,
            [
                "{\"a\":1}",
                "{\"b\":2}",
                "{\"c\":3}",
                "{\"d\":4}",
                "{\"e\":5}",
                "6"
            ]
        );
        assert!(read("").is_empty());
        assert!(read(" \n ").is_empty());
    }

    #[test]
    fn errors_name_the_position() {
        let got = read("{\"a\":1}\n{\"b\":");
        assert!(got[0].is_ok());
        let err = got[1].as_ref().unwrap_err();
        assert!(err.contains("<test>: item 1"), "{err}");
        assert!(err.contains("truncated JSON at line 2"), "{err}");
        let got = read("{\"a\":1} nope");
        let err = got[1].as_ref().unwrap_err();
        assert!(err.contains("not valid JSON at line 1"), "{err}");
        assert_eq!(got.len(), 2);
    }
}
