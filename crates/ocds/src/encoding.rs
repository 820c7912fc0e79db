//! Input encodings of `ocdskit`'s global option `--encoding`: the input is transcoded to UTF-8
//! before it is read.
//!
//! The encodings supported are UTF-8, UTF-8 with a byte order mark (`utf-8-sig`), ISO-8859-1
//! (`latin-1`) and Windows-1252 (`cp1252`), under any name Python's `codecs.lookup` accepts for
//! them (`UTF8`, `utf_8`, `Latin 1`, `iso-8859-1`, `l1`, `windows-1252`, `1252`, ...).

use std::fmt;

use crate::Error;

/// An input encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (`utf-8`).
    Utf8,
    /// UTF-8, without the byte order mark if the input starts with one (`utf-8-sig`).
    Utf8Sig,
    /// ISO-8859-1 (`latin-1`): each byte is the code point of the same value.
    Latin1,
    /// Windows-1252 (`cp1252`): ISO-8859-1 but for 0x80–0x9F, five of which are undefined.
    Cp1252,
}

/// The encodings supported, for messages.
pub const SUPPORTED: &str = "utf-8, utf-8-sig, latin-1 (iso-8859-1) and cp1252 (windows-1252)";

/// Windows-1252's characters for bytes 0x80–0x9F (`None`: undefined, as in Python's codec).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// A codec name as Python's `encodings.normalize_encoding` makes it (after `codecs.lookup`
/// lower-cases it): runs of characters other than letters, digits and `.` become one `_`, and
/// are dropped at the ends.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut punct = false;
    for c in name.chars() {
        if c.is_alphanumeric() || c == '.' {
            if punct && !out.is_empty() {
                out.push('_');
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            }
            punct = false;
        } else {
            punct = true;
        }
    }
    out
}

/// Python's aliases (`encodings.aliases`) of the supported codecs.
fn alias(name: &str) -> Option<Encoding> {
    Some(match name {
        "cp65001" | "u8" | "utf" | "utf8" | "utf8_ucs2" | "utf8_ucs4" => Encoding::Utf8,
        "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1" | "iso_8859_1"
        | "iso_8859_1_1987" | "iso_ir_100" | "l1" | "latin" | "latin1" => Encoding::Latin1,
        "1252" | "windows_1252" => Encoding::Cp1252,
        _ => return None,
    })
}

/// Python's codec modules (`encodings.*`) of the supported codecs.
fn module(name: &str) -> Option<Encoding> {
    Some(match name {
        "utf_8" => Encoding::Utf8,
        "utf_8_sig" => Encoding::Utf8Sig,
        "latin_1" | "iso8859_1" => Encoding::Latin1,
        "cp1252" => Encoding::Cp1252,
        _ => return None,
    })
}

impl Encoding {
    /// The encoding of a Python codec name, as `codecs.lookup` finds it (`None` if it is not a
    /// name of a supported encoding).
    pub fn from_python_name(name: &str) -> Option<Encoding> {
        let name = normalize(name);
        alias(&name)
            .or_else(|| alias(&name.replace('.', "_")))
            .or_else(|| module(&name))
    }

    /// The encoding's name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Sig => "utf-8-sig",
            Encoding::Latin1 => "latin-1",
            Encoding::Cp1252 => "cp1252",
        }
    }

    /// Transcode `input` to UTF-8; `name` (a file name or `<stdin>`) prefixes the error, which
    /// names the first byte that is not valid in this encoding.
    pub fn decode(self, input: Vec<u8>, name: &str) -> Result<String, Error> {
        let fail = |input: &[u8], at: usize| {
            let (line, column) = crate::read::line_column(input, at);
            Error::Input(format!(
                "{name}: not valid {} at byte {at} (0x{:02x}, line {line}, column {column}); \
                 try --encoding {}",
                self.name(),
                input[at],
                if self == Encoding::Latin1 {
                    "utf-8"
                } else {
                    "latin-1"
                }
            ))
        };
        match self {
            Encoding::Utf8 | Encoding::Utf8Sig => {
                let mut input = input;
                let bom = if self == Encoding::Utf8Sig && input.starts_with(b"\xEF\xBB\xBF") {
                    3
                } else {
                    0
                };
                if let Err(e) = std::str::from_utf8(&input[bom..]) {
                    return Err(fail(&input, bom + e.valid_up_to()));
                }
                input.drain(..bom);
                Ok(String::from_utf8(input).expect("checked above"))
            }
            Encoding::Latin1 | Encoding::Cp1252 => {
                let high = input.iter().filter(|b| **b >= 0x80).count();
                if high == 0 {
                    return Ok(String::from_utf8(input).expect("ASCII is UTF-8"));
                }
                let mut out = String::with_capacity(input.len() + 2 * high);
                let mut i = 0;
                while i < input.len() {
                    let end = input[i..]
                        .iter()
                        .position(|b| *b >= 0x80)
                        .map_or(input.len(), |p| i + p);
                    out.push_str(std::str::from_utf8(&input[i..end]).expect("ASCII is UTF-8"));
                    i = end;
                    if let Some(&b) = input.get(i) {
                        let c = match (self, b) {
                            (Encoding::Cp1252, 0x80..=0x9F) => {
                                CP1252_HIGH[usize::from(b - 0x80)].ok_or_else(|| fail(&input, i))?
                            }
                            _ => char::from(b),
                        };
                        out.push(c);
                        i += 1;
                    }
                }
                Ok(out)
            }
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_names() {
        for (name, expected) in [
            ("utf-8", Some(Encoding::Utf8)),
            ("UTF8", Some(Encoding::Utf8)),
            ("UTF 8", Some(Encoding::Utf8)),
            ("-utf--8-", Some(Encoding::Utf8)),
            ("u8", Some(Encoding::Utf8)),
            ("utf-8-sig", Some(Encoding::Utf8Sig)),
            ("UTF_8_SIG", Some(Encoding::Utf8Sig)),
            ("latin-1", Some(Encoding::Latin1)),
            ("Latin 1", Some(Encoding::Latin1)),
            ("ISO-8859-1", Some(Encoding::Latin1)),
            ("iso8859_1", Some(Encoding::Latin1)),
            ("iso_8859_1:1987", Some(Encoding::Latin1)),
            ("iso8859.1", Some(Encoding::Latin1)),
            ("l1", Some(Encoding::Latin1)),
            ("cp1252", Some(Encoding::Cp1252)),
            ("Windows-1252", Some(Encoding::Cp1252)),
            ("1252", Some(Encoding::Cp1252)),
            // Names Python does not accept either.
            ("utf8-sig", None),
            ("latin.1", None),
            ("cp-1252", None),
            ("windows1252", None),
            // Encodings Python has that are not supported here.
            ("utf-16", None),
            ("ascii", None),
            ("", None),
        ] {
            assert_eq!(Encoding::from_python_name(name), expected, "{name:?}");
        }
    }

    #[test]
    fn decodes_like_python() {
        let bytes = b"Caf\xe9 \x80 \x9f \xa0 \xff".to_vec();
        assert_eq!(
            Encoding::Latin1.decode(bytes.clone(), "<t>").unwrap(),
            "Café \u{80} \u{9f} \u{a0} ÿ"
        );
        assert_eq!(
            Encoding::Cp1252.decode(bytes, "<t>").unwrap(),
            "Café € Ÿ \u{a0} ÿ"
        );
        assert_eq!(
            Encoding::Utf8Sig
                .decode(b"\xef\xbb\xbf\"\xc3\xa9\"".to_vec(), "<t>")
                .unwrap(),
            "\"é\""
        );
        assert_eq!(
            Encoding::Utf8Sig.decode(b"[]".to_vec(), "<t>").unwrap(),
            "[]"
        );
        // utf-8 keeps a byte order mark (and the JSON reader rejects it).
        assert_eq!(
            Encoding::Utf8
                .decode(b"\xef\xbb\xbf[]".to_vec(), "<t>")
                .unwrap(),
            "\u{feff}[]"
        );
        assert_eq!(
            Encoding::Latin1.decode(b"plain".to_vec(), "<t>").unwrap(),
            "plain"
        );
    }

    #[test]
    fn cp1252_table_matches_python() {
        // Python: bytes(range(0x80, 0xa0)).decode("cp1252", errors="replace")
        let expected = "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ";
        let got: String = CP1252_HIGH
            .iter()
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn invalid_bytes_name_the_offset() {
        let err = Encoding::Cp1252
            .decode(b"{\"a\":\n\"x\x81\"}".to_vec(), "<stdin>")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "<stdin>: not valid cp1252 at byte 8 (0x81, line 2, column 3); try --encoding latin-1"
        );
        let err = Encoding::Utf8Sig
            .decode(b"\xef\xbb\xbf\"\xe9\"".to_vec(), "<stdin>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not valid utf-8-sig at byte 4 (0xe9"), "{err}");
    }
}
