//! Reading a contracts file: CSV streamed record by record with one reused buffer, a
//! workbook's sheet row by row converting only the cells the layout reads.

use super::ContractRow;
use super::layout::Layout;
use super::mapping::{Mapping, normalise, same_text};
use super::row::{Cells, contract};
use crate::pack::{PackError, PackErrors, Problem};
use crate::workbook::{self, cell_text, column_letter};
use calamine::Reader;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

/// A CSV record and its line.
struct CsvRow<'a> {
    line: u64,
    record: &'a csv::StringRecord,
}

impl Cells for CsvRow<'_> {
    fn line(&self) -> u64 {
        self.line
    }

    fn get(&self, index: usize) -> &str {
        self.record.get(index).map_or("", str::trim)
    }
}

/// The contracts of a CSV file, read record by record; `None` if the file cannot be read
/// or its header does not fit (reported).
pub(super) fn csv(
    file: &Path,
    mapping: Option<&Mapping>,
    errors: &mut PackErrors,
) -> Option<Vec<ContractRow>> {
    let whole = |line: Option<u64>, problem| PackError {
        file: file.to_owned(),
        line,
        column: None,
        problem,
    };
    let handle = match std::fs::File::open(file) {
        Ok(handle) => handle,
        Err(e) => {
            errors.push(whole(None, Problem::Read(e)));
            return None;
        }
    };
    csv_from(file, handle, mapping, errors)
}

/// The contracts of CSV text read from `handle`, named `file` in problems.
pub(super) fn csv_from(
    file: &Path,
    handle: impl std::io::Read,
    mapping: Option<&Mapping>,
    errors: &mut PackErrors,
) -> Option<Vec<ContractRow>> {
    let whole = |line: Option<u64>, problem| PackError {
        file: file.to_owned(),
        line,
        column: None,
        problem,
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(handle);
    let (headers, header_line) = match reader.headers() {
        Ok(h) => (
            h.iter().map(str::to_owned).collect::<Vec<_>>(),
            h.position().map_or(1, csv::Position::line),
        ),
        Err(e) => {
            errors.push(whole(Some(1), csv_problem(e)));
            return None;
        }
    };
    let layout = Layout::new(file, &headers, header_line, mapping, errors)?;
    let mut seen = HashMap::new();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let line = record.position().map_or(0, csv::Position::line);
                let row = CsvRow {
                    line,
                    record: &record,
                };
                if let Some(contract) = contract(file, &layout, &row, &mut seen, errors) {
                    rows.push(contract);
                }
            }
            Err(e) => {
                let line = e.position().map(csv::Position::line);
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                errors.push(whole(line, csv_problem(e)));
                if fatal {
                    break;
                }
            }
        }
    }
    Some(rows)
}

fn csv_problem(e: csv::Error) -> Problem {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Problem::Read(e),
        csv::ErrorKind::Utf8 { err, .. } => Problem::Csv(format!(
            "field {} is not valid UTF-8; save the file as UTF-8",
            err.field() + 1
        )),
        other => Problem::Csv(format!("malformed CSV: {other:?}")),
    }
}

/// A worksheet row: the text of the cells the layout reads.
struct SheetRow<'a> {
    line: u64,
    sheet: &'a str,
    /// The sheet's first column (0-based), for cell names.
    first_col: u32,
    texts: Vec<Cow<'a, str>>,
}

impl Cells for SheetRow<'_> {
    fn line(&self) -> u64 {
        self.line
    }

    fn get(&self, index: usize) -> &str {
        self.texts.get(index).map_or("", |t| t.as_ref())
    }

    fn cell(&self, index: usize) -> Option<String> {
        let col = self.first_col + u32::try_from(index).ok()?;
        Some(format!(
            "{}!{}{}",
            self.sheet,
            column_letter(col),
            self.line
        ))
    }
}

/// The contracts of a workbook's sheet (the mapping's, else the first); `None` if it cannot
/// be read or its header does not fit (reported).
pub(super) fn workbook(
    file: &Path,
    mapping: Option<&Mapping>,
    errors: &mut PackErrors,
) -> Option<Vec<ContractRow>> {
    let whole = |message: String| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem: Problem::Invalid(message),
    };
    let mut workbook = workbook::open(file, errors)?;
    let names = workbook.sheet_names();
    let sheet = match mapping.and_then(|m| m.sheet().map(|s| (m, s))) {
        None => names.first().cloned(),
        Some((m, wanted)) => {
            let found = names
                .iter()
                .find(|n| same_text(&normalise(wanted), n))
                .cloned();
            if found.is_none() {
                errors.push(PackError {
                    file: m.file().to_owned(),
                    line: None,
                    column: Some("sheet".into()),
                    problem: Problem::Invalid(format!(
                        "{} has no sheet `{wanted}`: its sheets are {}",
                        file.display(),
                        names.join(", ")
                    )),
                });
                return None;
            }
            found
        }
    };
    let Some(sheet) = sheet else {
        errors.push(whole("the workbook has no sheets".into()));
        return None;
    };
    let range = match workbook.worksheet_range(&sheet) {
        Ok(range) => range,
        Err(e) => {
            errors.push(whole(format!("cannot read sheet `{sheet}`: {e}")));
            return None;
        }
    };
    let Some((first_row, first_col)) = range.start() else {
        errors.push(whole(format!(
            "sheet `{sheet}` is empty: its first row must name the columns"
        )));
        return None;
    };
    let mut rows_of_sheet = range.rows();
    let header_cells = rows_of_sheet.next().unwrap_or_default();
    let headers: Vec<String> = header_cells
        .iter()
        .map(|d| cell_text(d).into_owned())
        .collect();
    let header_line = u64::from(first_row) + 1;
    let layout = Layout::new(file, &headers, header_line, mapping, errors)?;
    let used = layout.used();
    let mut seen = HashMap::new();
    let mut rows = Vec::new();
    for (offset, cells) in (1u64..).zip(rows_of_sheet) {
        let mut texts: Vec<Cow<'_, str>> = vec![Cow::Borrowed(""); headers.len()];
        for &i in &used {
            if let Some(data) = cells.get(i) {
                texts[i] = cell_text(data);
            }
        }
        if texts.iter().all(|t| t.is_empty()) {
            continue;
        }
        let row = SheetRow {
            line: header_line + offset,
            sheet: &sheet,
            first_col,
            texts,
        };
        if let Some(contract) = contract(file, &layout, &row, &mut seen, errors) {
            rows.push(contract);
        }
    }
    Some(rows)
}
