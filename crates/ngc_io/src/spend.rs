//! "Expenditure over £500" files from any council: CSV (UTF-8 with or without a byte-order
//! mark, or Windows-1252), the first sheet of a workbook, or zip files holding CSVs (Trafford
//! publishes its spend zipped). The layout is recognised by the headers ([`layout`]), or named
//! by a mapping file.
//!
//! A file is read whole or not at all: every bad row is reported with its file, line, column,
//! value and why. Every line is kept, even one that repeats another exactly (payment runs share
//! transaction numbers, and a quarter of Trafford's 2025-26 lines repeat another in full);
//! repeats are counted, never refused. A file is identified by the SHA-256 of its bytes and
//! each line by its position in it (`member` and `line` within a zip).

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
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads a spend file (CSV, workbook or zip of CSVs) whole, by its headers or `mapping`.
pub fn read_spend(file: &Path, mapping: Option<&Mapping>) -> Result<SpendFile, PackErrors> {
    let bytes = std::fs::read(file).map_err(|e| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem: Problem::Read(e),
    })?;
    let lower = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut out = match lower.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(file, mapping)?,
        "zip" => read_zip(file, &bytes, mapping)?,
        _ => read_csv_bytes(file, "", &bytes, mapping)?,
    };
    out.sha256 = hex(&Sha256::digest(&bytes));
    Ok(out)
}

/// Reads CSV bytes held in memory as the file `file`.
pub fn read_spend_csv(
    file: &Path,
    bytes: &[u8],
    mapping: Option<&Mapping>,
) -> Result<SpendFile, PackErrors> {
    let mut out = read_csv_bytes(file, "", bytes, mapping)?;
    out.sha256 = hex(&Sha256::digest(bytes));
    Ok(out)
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

/// Text from bytes: UTF-8 (a byte-order mark dropped), else Windows-1252.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn read_zip(file: &Path, bytes: &[u8], mapping: Option<&Mapping>) -> Result<SpendFile, PackErrors> {
    let bad = |message: String| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem: Problem::Invalid(message),
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("cannot read the zip file: {e}")))?;
    let mut out = SpendFile {
        name: name_of(file),
        sha256: String::new(),
        lines: Vec::new(),
        repeats: 0,
        redacted: 0,
    };
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
        let mut member = archive
            .by_name(&name)
            .map_err(|e| bad(format!("cannot read {name} in the zip file: {e}")))?;
        let mut content = Vec::with_capacity(usize::try_from(member.size()).unwrap_or(0));
        member
            .read_to_end(&mut content)
            .map_err(|e| bad(format!("cannot read {name} in the zip file: {e}")))?;
        let inner = file.join(&name);
        match read_csv_bytes(&inner, &name, &content, mapping) {
            Ok(part) => {
                out.repeats += part.repeats;
                out.redacted += part.redacted;
                out.lines.extend(part.lines);
            }
            Err(e) => errors.absorb(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(out)
}

/// One row's cells, by column index.
trait Row {
    fn cell(&self, i: usize) -> &str;
}

impl Row for csv::StringRecord {
    fn cell(&self, i: usize) -> &str {
        self.get(i).unwrap_or("").trim()
    }
}

impl Row for Vec<String> {
    fn cell(&self, i: usize) -> &str {
        self.get(i).map_or("", |s| s.trim())
    }
}

/// Collects lines, their problems, repeats and redactions.
struct Lines<'a> {
    file: &'a Path,
    member: &'a str,
    layout: &'a Layout,
    out: Vec<SpendLine>,
    seen: HashSet<u64>,
    repeats: usize,
    redacted: usize,
    errors: PackErrors,
}

impl<'a> Lines<'a> {
    fn new(file: &'a Path, member: &'a str, layout: &'a Layout) -> Self {
        Lines {
            file,
            member,
            layout,
            out: Vec::new(),
            seen: HashSet::new(),
            repeats: 0,
            redacted: 0,
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

    fn add(&mut self, line: u64, row: &impl Row) {
        let layout = self.layout;
        let text = |f: Field| layout.column(f).map_or("", |i| row.cell(i));
        if layout.at.values().all(|&i| row.cell(i).is_empty()) {
            return;
        }
        let mut ok = true;
        let mut money = |this: &mut Self, f: Field| -> Option<Money> {
            let t = text(f);
            if t.is_empty() {
                return None;
            }
            match values::amount(t) {
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
        let paid_on = match values::paid_on(text(Field::Date)) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(line, Field::Date, e);
                None
            }
        };
        let supplier = text(Field::Supplier).to_owned();
        if supplier.is_empty() {
            self.error(line, Field::Supplier, "a supplier is required".into());
            ok = false;
        }
        let (Some(paid_on), Some(amount), true) = (paid_on, amount, ok) else {
            return;
        };
        let redacted = values::is_redacted(&supplier);
        let spend = SpendLine {
            member: self.member.to_owned(),
            line,
            paid_on,
            redacted,
            amount,
            gross,
            vat,
            irrecoverable_vat,
            transaction: text(Field::Transaction).to_owned(),
            service: text(Field::Service).to_owned(),
            expense_type: text(Field::ExpenseType).to_owned(),
            expense_code: text(Field::ExpenseCode).to_owned(),
            description: text(Field::Description).to_owned(),
            supplier_id: text(Field::SupplierId).to_owned(),
            invoice_number: text(Field::InvoiceNumber).to_owned(),
            merchant_category: text(Field::MerchantCategory).to_owned(),
            supplier,
        };
        if !self.seen.insert(row_hash(row, layout.headers.len())) {
            self.repeats += 1;
        }
        if redacted {
            self.redacted += 1;
        }
        self.out.push(spend);
    }

    fn finish(self, name: String) -> Result<SpendFile, PackErrors> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(SpendFile {
            name,
            sha256: String::new(),
            lines: self.out,
            repeats: self.repeats,
            redacted: self.redacted,
        })
    }
}

/// A hash of a row's every cell, to count rows that repeat another in full.
fn row_hash(row: &impl Row, columns: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for i in 0..columns {
        row.cell(i).hash(&mut h);
    }
    h.finish()
}

fn read_csv_bytes(
    file: &Path,
    member: &str,
    bytes: &[u8],
    mapping: Option<&Mapping>,
) -> Result<SpendFile, PackErrors> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| PackError {
        file: file.to_owned(),
        line: e.position().map(|p| p.line()),
        column: None,
        problem: Problem::Csv(e.to_string()),
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let layout = Layout::of(file, &headers, mapping)?;
    let mut lines = Lines::new(file, member, &layout);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                lines.add(line, &record);
            }
            Ok(false) => break,
            Err(e) => {
                lines.errors.push(csv_error(e));
                break;
            }
        }
    }
    let name = if member.is_empty() {
        name_of(file)
    } else {
        member.to_owned()
    };
    lines.finish(name)
}

fn read_workbook(file: &Path, mapping: Option<&Mapping>) -> Result<SpendFile, PackErrors> {
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
        let row: Vec<String> = cells.iter().map(|c| cell_text(c).into_owned()).collect();
        lines.add(first_row + offset, &row);
    }
    lines.finish(name_of(file))
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
