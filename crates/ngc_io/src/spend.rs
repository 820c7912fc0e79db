//! "Expenditure over £500" files from any council: CSV (UTF-8 with or without a byte-order
//! mark, or Windows-1252), the first sheet of a workbook, or zip files holding CSVs (Trafford
//! publishes its spend zipped). The layout is recognised by the headers ([`layout`]), or named
//! by a mapping file.
//!
//! A file is opened ([`open`], [`from_bytes`]), which gives its name and the SHA-256 of its
//! bytes (a file is identified by its content), then read line by line
//! ([`SpendSource::read`]): each good line is handed on as it is parsed, so a file of any
//! length is read holding one record, and every bad row is reported with its file, line,
//! column, value and why. Once a row is refused no more lines are handed on, and the reader
//! must drop what it was handed: a file is taken whole or not at all. Every line is kept, even
//! one that repeats another exactly (payment runs share transaction numbers, and a quarter of
//! Trafford's 2025-26 lines repeat another in full); repeats are counted, never refused. Each
//! line is known by its position in the file (`member` and `line` within a zip).
//! [`read_spend`] reads a file whole into memory.

pub mod expense_codes;
pub mod layout;
pub mod values;

use crate::pack::{PackError, PackErrors, Problem};
use crate::workbook::{self, cell_text};
use calamine::Reader;
use layout::{Field, Layout, Mapping};
use ngc_domain::money::Money;
pub use ngc_domain::spend::{PaidOn, SpendFile, SpendLine};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// Reads a spend file (CSV, workbook or zip of CSVs) whole, by its headers or `mapping`.
pub fn read_spend(file: &Path, mapping: Option<&Mapping>) -> Result<SpendFile, PackErrors> {
    open(file)?.read_whole(mapping)
}

/// Reads CSV bytes held in memory as the file `file`.
pub fn read_spend_csv(
    file: &Path,
    bytes: &[u8],
    mapping: Option<&Mapping>,
) -> Result<SpendFile, PackErrors> {
    from_bytes(file, bytes.to_vec()).read_whole(mapping)
}

/// Opens a spend file to be read: its name and the SHA-256 of its bytes are known before any
/// line is read. A CSV is hashed as it is read from the disk and read again line by line; a
/// zip file (a few megabytes for a year of a large council) is held compressed.
pub fn open(file: &Path) -> Result<SpendSource, PackErrors> {
    let unreadable = |e: std::io::Error| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem: Problem::Read(e),
    };
    let lower = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (sha256, body) = match lower.as_str() {
        "zip" => {
            let bytes = std::fs::read(file).map_err(unreadable)?;
            (hex(&Sha256::digest(&bytes)), Body::Zip(bytes))
        }
        other => {
            let mut hasher = Sha256::new();
            let mut f = std::fs::File::open(file).map_err(unreadable)?;
            std::io::copy(&mut f, &mut hasher).map_err(unreadable)?;
            let body = if matches!(other, "xlsx" | "xlsm" | "xls" | "ods") {
                Body::Workbook
            } else {
                Body::CsvFile
            };
            (hex(&hasher.finalize()), body)
        }
    };
    Ok(SpendSource {
        path: file.to_owned(),
        name: name_of(file),
        sha256,
        body,
    })
}

/// A CSV held in memory, as the file `file`.
pub fn from_bytes(file: &Path, bytes: Vec<u8>) -> SpendSource {
    SpendSource {
        path: file.to_owned(),
        name: name_of(file),
        sha256: hex(&Sha256::digest(&bytes)),
        body: Body::Csv(bytes),
    }
}

/// A spend file opened to be read line by line ([`open`], [`from_bytes`]).
#[derive(Debug)]
pub struct SpendSource {
    path: PathBuf,
    name: String,
    sha256: String,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// A CSV read from the disk as it is parsed.
    CsvFile,
    /// A CSV in memory.
    Csv(Vec<u8>),
    /// A zip file's bytes.
    Zip(Vec<u8>),
    /// A workbook, read by its path.
    Workbook,
}

/// What reading a file's lines counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines handed on.
    pub lines: usize,
    /// Lines that repeat an earlier line of the file in every cell (kept, counted).
    pub repeats: usize,
    /// Lines whose supplier is redacted.
    pub redacted: usize,
}

/// Whether the reader should go on handing lines.
pub type Flow = std::ops::ControlFlow<()>;

impl SpendSource {
    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The SHA-256 of its bytes, hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Reads every line by the headers or `mapping`, handing each good line to `each` in file
    /// order until a row is refused; the rest are still checked, so every bad row is reported
    /// (with file, line, column, value and why) and `Err` means the lines handed on must not
    /// be kept. `each` returning [`Flow::Break`] stops the reading (`Ok` with what was
    /// counted so far). Only the lines being parsed are held.
    pub fn read(
        &self,
        mapping: Option<&Mapping>,
        each: &mut dyn FnMut(SpendLine) -> Flow,
    ) -> Result<Counts, PackErrors> {
        let mut sink = Sink {
            each,
            counts: Counts::default(),
            refused: false,
            stopped: false,
        };
        let file = self.path.as_path();
        match &self.body {
            Body::CsvFile => {
                let f = std::fs::File::open(file).map_err(|e| PackError {
                    file: file.to_owned(),
                    line: None,
                    column: None,
                    problem: Problem::Read(e),
                })?;
                read_csv(file, "", f, mapping, &mut sink)?;
            }
            Body::Csv(bytes) => read_csv(file, "", bytes.as_slice(), mapping, &mut sink)?,
            Body::Zip(bytes) => read_zip(file, bytes, mapping, &mut sink)?,
            Body::Workbook => read_workbook(file, mapping, &mut sink)?,
        }
        Ok(sink.counts)
    }

    /// Reads every line into memory.
    pub fn read_whole(&self, mapping: Option<&Mapping>) -> Result<SpendFile, PackErrors> {
        let mut lines = Vec::new();
        let counts = self.read(mapping, &mut |l| {
            lines.push(l);
            Flow::Continue(())
        })?;
        Ok(SpendFile {
            name: self.name.clone(),
            sha256: self.sha256.clone(),
            lines,
            repeats: counts.repeats,
            redacted: counts.redacted,
        })
    }
}

/// Where good lines go, and what is counted of them.
struct Sink<'e> {
    each: &'e mut dyn FnMut(SpendLine) -> Flow,
    counts: Counts,
    /// A row was refused: no more lines are handed on.
    refused: bool,
    /// `each` asked to stop.
    stopped: bool,
}

impl Sink<'_> {
    fn take(&mut self, line: SpendLine, repeat: bool) {
        if self.refused || self.stopped {
            return;
        }
        self.counts.lines += 1;
        self.counts.repeats += usize::from(repeat);
        self.counts.redacted += usize::from(line.redacted);
        if (self.each)(line).is_break() {
            self.stopped = true;
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn name_of(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A cell's text: UTF-8, else Windows-1252 (a council's file is one or the other).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn read_zip(
    file: &Path,
    bytes: &[u8],
    mapping: Option<&Mapping>,
    sink: &mut Sink<'_>,
) -> Result<(), PackErrors> {
    let bad = |message: String| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem: Problem::Invalid(message),
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("cannot read the zip file: {e}")))?;
    let mut errors = PackErrors::default();
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    let csvs: Vec<String> = names
        .into_iter()
        .filter(|n| n.to_lowercase().ends_with(".csv") && !n.starts_with("__MACOSX"))
        .collect();
    if csvs.is_empty() {
        return Err(bad("the zip file holds no CSV file".into()).into());
    }
    for name in csvs {
        if sink.stopped {
            break;
        }
        let member = archive
            .by_name(&name)
            .map_err(|e| bad(format!("cannot read {name} in the zip file: {e}")))?;
        let inner = file.join(&name);
        if let Err(e) = read_csv(&inner, &name, member, mapping, sink) {
            sink.refused = true;
            errors.absorb(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(())
}

/// One row's cells, by column index, trimmed.
trait Row {
    fn cell(&self, i: usize) -> Cow<'_, str>;
    /// The bytes of the first `columns` cells as published, for finding repeats.
    fn raw(&self, i: usize) -> &[u8];
}

impl Row for csv::ByteRecord {
    fn cell(&self, i: usize) -> Cow<'_, str> {
        match decode(self.raw(i)) {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
        }
    }

    fn raw(&self, i: usize) -> &[u8] {
        self.get(i).unwrap_or_default()
    }
}

impl Row for Vec<String> {
    fn cell(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.get(i).map_or("", |s| s.trim()))
    }

    fn raw(&self, i: usize) -> &[u8] {
        self.get(i).map_or(&[], |s| s.as_bytes())
    }
}

/// Checks rows and hands good lines to the sink, counting repeats and collecting problems.
struct Lines<'a> {
    file: &'a Path,
    member: &'a str,
    layout: &'a Layout,
    seen: HashSet<u64>,
    errors: PackErrors,
}

impl<'a> Lines<'a> {
    fn new(file: &'a Path, member: &'a str, layout: &'a Layout) -> Self {
        Lines {
            file,
            member,
            layout,
            seen: HashSet::new(),
            errors: PackErrors::default(),
        }
    }

    fn error(&mut self, line: u64, field: Field, problem: String) {
        let header = self
            .layout
            .column(field)
            .map_or(field.name(), |i| self.layout.headers[i].as_str())
            .to_owned();
        self.errors.push(PackError {
            file: self.file.to_owned(),
            line: Some(line),
            column: Some(header),
            problem: Problem::Invalid(problem),
        });
    }

    fn add(&mut self, line: u64, row: &impl Row, sink: &mut Sink<'_>) {
        let layout = self.layout;
        let text = |f: Field| layout.column(f).map_or(Cow::Borrowed(""), |i| row.cell(i));
        if layout.at.values().all(|&i| row.cell(i).is_empty()) {
            return;
        }
        let mut ok = true;
        let mut money = |this: &mut Self, f: Field| -> Option<Money> {
            let t = text(f);
            if t.is_empty() {
                return None;
            }
            match values::amount(&t) {
                Ok(m) => Some(m),
                Err(e) => {
                    this.error(line, f, e);
                    ok = false;
                    None
                }
            }
        };
        let gross = money(self, Field::Gross);
        let vat = money(self, Field::Vat);
        let irrecoverable_vat = money(self, Field::IrrecoverableVat);
        let net = money(self, Field::Amount);
        let amount = match (net, gross, vat) {
            (Some(n), ..) => Some(n),
            (None, Some(g), Some(v)) => g.checked_sub(v),
            (None, Some(g), None) => Some(g),
            (None, None, _) => None,
        };
        if amount.is_none() && ok {
            self.error(line, Field::Amount, "an amount is required".into());
            ok = false;
        }
        let paid_on = match values::paid_on(&text(Field::Date)) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(line, Field::Date, e);
                None
            }
        };
        let supplier = text(Field::Supplier).into_owned();
        if supplier.is_empty() {
            self.error(line, Field::Supplier, "a supplier is required".into());
            ok = false;
        }
        let (Some(paid_on), Some(amount), true) = (paid_on, amount, ok) else {
            sink.refused = true;
            return;
        };
        if !self.errors.is_empty() {
            sink.refused = true;
        }
        let repeat = !self.seen.insert(row_hash(row, layout.headers.len()));
        let spend = SpendLine {
            member: self.member.to_owned(),
            line,
            paid_on,
            redacted: values::is_redacted(&supplier),
            amount,
            gross,
            vat,
            irrecoverable_vat,
            transaction: text(Field::Transaction).into_owned(),
            service: text(Field::Service).into_owned(),
            expense_type: text(Field::ExpenseType).into_owned(),
            expense_code: text(Field::ExpenseCode).into_owned(),
            description: text(Field::Description).into_owned(),
            supplier_id: text(Field::SupplierId).into_owned(),
            invoice_number: text(Field::InvoiceNumber).into_owned(),
            merchant_category: text(Field::MerchantCategory).into_owned(),
            supplier,
        };
        sink.take(spend, repeat);
    }

    fn finish(self) -> Result<(), PackErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// A hash of a row's every cell as published, to count rows that repeat another in full.
fn row_hash(row: &impl Row, columns: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for i in 0..columns {
        row.raw(i).hash(&mut h);
    }
    h.finish()
}

/// Reads a CSV (UTF-8 with or without a byte-order mark, or Windows-1252) record by record.
fn read_csv(
    file: &Path,
    member: &str,
    input: impl Read,
    mapping: Option<&Mapping>,
    sink: &mut Sink<'_>,
) -> Result<(), PackErrors> {
    let mut input = std::io::BufReader::with_capacity(1 << 16, input);
    let csv_error = |e: csv::Error| PackError {
        file: file.to_owned(),
        line: e.position().map(|p| p.line()),
        column: None,
        problem: Problem::Csv(e.to_string()),
    };
    // The byte-order mark, if any, is not part of the first header.
    let start = input.fill_buf().map_err(|e| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem: Problem::Read(e),
    })?;
    if start.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let header_record = reader.byte_headers().map_err(csv_error)?.clone();
    let headers: Vec<String> = (0..header_record.len())
        .map(|i| header_record.cell(i).into_owned())
        .collect();
    let layout = Layout::of(file, &headers, mapping).inspect_err(|_| sink.refused = true)?;
    let mut lines = Lines::new(file, member, &layout);
    let mut record = csv::ByteRecord::new();
    while !sink.stopped {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                lines.add(line, &record, sink);
            }
            Ok(false) => break,
            Err(e) => {
                lines.errors.push(csv_error(e));
                sink.refused = true;
                break;
            }
        }
    }
    lines.finish()
}

fn read_workbook(
    file: &Path,
    mapping: Option<&Mapping>,
    sink: &mut Sink<'_>,
) -> Result<(), PackErrors> {
    let mut errors = PackErrors::default();
    let Some(mut book) = workbook::open(file, &mut errors) else {
        return Err(errors);
    };
    let whole = |message: String| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem: Problem::Invalid(message),
    };
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(whole(format!("cannot read the first sheet: {e}")).into()),
        None => return Err(whole("the workbook has no sheets".into()).into()),
    };
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
    let mut rows = range.rows();
    let headers: Vec<String> = rows
        .next()
        .unwrap_or_default()
        .iter()
        .map(|c| cell_text(c).into_owned())
        .collect();
    let layout = Layout::of(file, &headers, mapping)?;
    let mut lines = Lines::new(file, "", &layout);
    for (offset, cells) in (2u64..).zip(rows) {
        if sink.stopped {
            break;
        }
        let row: Vec<String> = cells.iter().map(|c| cell_text(c).into_owned()).collect();
        lines.add(first_row + offset, &row, sink);
    }
    lines.finish()
}

/// Where a line came from, for reports: `file.zip/member.csv` line 7, or `file.csv` line 7.
pub fn place(file: &Path, line: &SpendLine) -> (PathBuf, u64) {
    if line.member.is_empty() {
        (file.to_owned(), line.line)
    } else {
        (file.join(&line.member), line.line)
    }
}

#[cfg(test)]
mod tests;
