//! A mapping file: which of a file's headers hold each of ngc's columns, how its words for
//! the flags and closed sets translate to ngc's, and which register a column of bare
//! registration numbers belongs to.
//!
//! ```toml
//! sheet = "Contracts"                       # workbooks: the sheet to read (default: the first)
//!
//! [columns]                                 # ngc column = the file's header
//! reference = "Contract Reference Number"
//! supplier_id = ["Company Number", "Charity Number"]   # the first with a value in the row
//!
//! [values.route]                            # the file's word = ngc's word
//! "Invitation to Quote" = "quotes"
//!
//! [schemes]                                 # bare numbers under this header are in this register
//! "Company Number" = "GB-COH"
//! ```

use super::columns::{COUNT, Column, all_names};
use super::values;
use crate::pack::{PackError, PackErrors, Problem};
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::organisation::Scheme;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A mapping file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    #[expect(dead_code, reason = "for people reading the mapping; not used")]
    description: String,
    sheet: Option<String>,
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<Headers>>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>,
    #[serde(default)]
    schemes: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// One header, or several to try in turn.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Headers {
    One(String),
    Several(Vec<String>),
}

/// A header the mapping names for a column, with where the mapping names it.
#[derive(Debug, Clone)]
pub(super) struct MappedHeader {
    /// The header as the mapping writes it.
    pub(super) header: String,
    /// The key that names it (`columns.reference`).
    pub(super) key: String,
    /// The line of the mapping file.
    pub(super) line: u64,
}

/// A checked mapping file.
#[derive(Debug)]
pub(super) struct Mapping {
    file: PathBuf,
    sheet: Option<String>,
    headers: [Vec<MappedHeader>; COUNT],
    /// Per column: the file's word (normalised) and ngc's.
    words: [Vec<(String, String)>; COUNT],
    /// Header (normalised) and the register of the bare numbers under it.
    schemes: Vec<(String, Scheme)>,
}

impl Mapping {
    /// Reads and checks the mapping file `file`, reporting every bad key.
    pub(super) fn read(file: &Path) -> Result<Mapping, PackErrors> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            PackErrors::from(PackError {
                file: file.to_owned(),
                line: None,
                column: None,
                problem: Problem::Read(e),
            })
        })?;
        let raw: Raw = toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|span| line_at(&text, span.start));
            PackErrors::from(PackError {
                file: file.to_owned(),
                line,
                column: None,
                problem: Problem::Manifest(e.message().trim().to_owned()),
            })
        })?;
        let mut check = Check {
            file,
            text: &text,
            errors: Vec::new(),
        };
        let mut mapping = Mapping {
            file: file.to_owned(),
            sheet: raw.sheet,
            headers: std::array::from_fn(|_| Vec::new()),
            words: std::array::from_fn(|_| Vec::new()),
            schemes: Vec::new(),
        };
        for (name, headers) in &raw.columns {
            let key = format!("columns.{}", name.get_ref());
            let Some(column) = Column::named(name.get_ref()) else {
                let message = format!(
                    "unknown ngc column `{}`: the columns are {}",
                    name.get_ref(),
                    all_names()
                );
                check.report(&key, name.span().start, message);
                continue;
            };
            let list = match headers.get_ref() {
                Headers::One(h) => std::slice::from_ref(h),
                Headers::Several(hs) => hs.as_slice(),
            };
            if list.is_empty() || list.iter().any(|h| h.trim().is_empty()) {
                let message = "a column maps to a header (or a list of headers), not to a blank";
                check.report(&key, headers.span().start, message.into());
                continue;
            }
            let line = line_at(&text, headers.span().start);
            mapping.headers[column.index()] = list
                .iter()
                .map(|header| MappedHeader {
                    header: header.trim().to_owned(),
                    key: key.clone(),
                    line,
                })
                .collect();
        }
        for (name, words) in &raw.values {
            let column = Column::named(name.get_ref()).filter(|c| c.has_words());
            let Some(column) = column else {
                let message = format!(
                    "`{}` has no words to translate: [values.…] is for sme, vcse, route and vat_treatment",
                    name.get_ref()
                );
                check.report(
                    &format!("values.{}", name.get_ref()),
                    name.span().start,
                    message,
                );
                continue;
            };
            for (from, to) in words {
                let key = format!("values.{}.\"{}\"", column.name(), from.get_ref());
                match ngc_word(column, to.get_ref()) {
                    Ok(()) => mapping.words[column.index()]
                        .push((normalise(from.get_ref()), to.get_ref().trim().to_owned())),
                    Err(message) => check.report(&key, to.span().start, message),
                }
            }
        }
        let id_headers: Vec<String> = match mapping.headers(Column::SupplierId) {
            [] => vec![Column::SupplierId.name().to_owned()],
            mapped => mapped.iter().map(|m| normalise(&m.header)).collect(),
        };
        for (header, prefix) in &raw.schemes {
            let key = format!("schemes.\"{}\"", header.get_ref());
            let normal = normalise(header.get_ref());
            if !id_headers.contains(&normal) {
                let message = format!(
                    "`{}` is not a header the mapping reads supplier_id from (columns.supplier_id)",
                    header.get_ref()
                );
                check.report(&key, header.span().start, message);
                continue;
            }
            match Scheme::ALL
                .into_iter()
                .find(|s| s.prefix() == prefix.get_ref().trim())
            {
                Some(scheme) => mapping.schemes.push((normal, scheme)),
                None => {
                    let prefixes = Scheme::ALL.map(Scheme::prefix).join(", ");
                    let message = format!(
                        "unknown register `{}`: expected one of {prefixes}",
                        prefix.get_ref()
                    );
                    check.report(&key, prefix.span().start, message);
                }
            }
        }
        if check.errors.is_empty() {
            Ok(mapping)
        } else {
            check.errors.sort_by_key(|e| e.line);
            let mut errors = PackErrors::default();
            for error in check.errors {
                errors.push(error);
            }
            Err(errors)
        }
    }

    /// The mapping file.
    pub(super) fn file(&self) -> &Path {
        &self.file
    }

    /// The worksheet to read, if the mapping names one.
    pub(super) fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The headers the mapping names for `column`, in the order to try them.
    pub(super) fn headers(&self, column: Column) -> &[MappedHeader] {
        &self.headers[column.index()]
    }

    /// ngc's word for the file's word `text` in `column`, or `text` itself.
    pub(super) fn word<'a>(&'a self, column: Column, text: &'a str) -> &'a str {
        let words = &self.words[column.index()];
        if words.is_empty() {
            return text;
        }
        words
            .iter()
            .find(|(from, _)| same_text(from, text))
            .map_or(text, |(_, to)| to.as_str())
    }

    /// The register of the bare numbers under `header`, if the mapping names one.
    pub(super) fn scheme(&self, header: &str) -> Option<Scheme> {
        self.schemes
            .iter()
            .find(|(h, _)| same_text(h, header))
            .map(|&(_, scheme)| scheme)
    }

    /// The error for a header the mapping names that `data_file` does not have.
    pub(super) fn missing_header(
        &self,
        mapped: &MappedHeader,
        data_file: &Path,
        headers: &[String],
    ) -> PackError {
        let shown: Vec<&str> = headers
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
            .collect();
        PackError {
            file: self.file.clone(),
            line: Some(mapped.line),
            column: Some(mapped.key.clone()),
            problem: Problem::Invalid(format!(
                "the header `{}` is not in {}: its headers are {}",
                mapped.header,
                data_file.display(),
                shown.join(", ")
            )),
        }
    }
}

/// Whether ngc reads `word` in `column`.
fn ngc_word(column: Column, word: &str) -> Result<(), String> {
    let word = word.trim();
    match column {
        Column::Sme | Column::Vcse => values::flag(word).map(drop),
        Column::Route => values::word::<Route>(word).map(drop),
        Column::VatTreatment => values::word::<VatTreatment>(word).map(drop),
        _ => Ok(()),
    }
}

/// Text for comparing headers and words: trimmed, runs of spaces as one, lower case.
pub(super) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(piece.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Whether `text` normalises to `normal` (already normalised), without allocating.
pub(super) fn same_text(normal: &str, text: &str) -> bool {
    let mut expected = normal.split(' ');
    let mut pieces = text.split_whitespace();
    loop {
        match (expected.next(), pieces.next()) {
            (None, None) => return true,
            (Some(e), Some(p)) => {
                if !e.chars().eq(p.chars().flat_map(char::to_lowercase)) {
                    return false;
                }
            }
            (Some(""), None) if normal.is_empty() => return true,
            _ => return false,
        }
    }
}

/// Collects the problems of a mapping file, each at its line and key.
struct Check<'a> {
    file: &'a Path,
    text: &'a str,
    errors: Vec<PackError>,
}

impl Check<'_> {
    fn report(&mut self, key: &str, offset: usize, message: String) {
        self.errors.push(PackError {
            file: self.file.to_owned(),
            line: Some(line_at(self.text, offset)),
            column: Some(key.to_owned()),
            problem: Problem::Invalid(message),
        });
    }
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u64 {
    let before = text.get(..offset).unwrap_or(text);
    before.bytes().filter(|&b| b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_without_case_or_extra_spaces() {
        assert_eq!(
            normalise("  Contract   Reference\tNumber "),
            "contract reference number"
        );
        assert!(same_text(
            "contract reference number",
            " Contract  REFERENCE number"
        ));
        assert!(!same_text(
            "contract reference number",
            "Contract Reference"
        ));
        assert!(!same_text(
            "contract reference",
            "Contract Reference Number"
        ));
        assert!(same_text("", "  "));
        assert!(!same_text("", "x"));
    }
}
