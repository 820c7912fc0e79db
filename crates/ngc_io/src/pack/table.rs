//! A CSV file with a fixed set of named columns, read whole, each row with its line number.

use super::error::{PackError, PackErrors, Problem};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rows of one CSV file, values in the order of the file's declared columns.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) rows: Vec<Row>,
}

/// One data row.
#[derive(Debug)]
pub(crate) struct Row {
    /// 1-based; the header is line 1.
    pub(crate) line: u64,
    columns: Arc<[String]>,
    values: Vec<String>,
}

impl Row {
    /// The trimmed value in `column`, empty if blank.
    pub(crate) fn value(&self, column: &str) -> &str {
        let i = self
            .columns
            .iter()
            .position(|c| *c == column)
            .unwrap_or_else(|| panic!("`{column}` is not one of the columns {:?}", self.columns));
        &self.values[i]
    }
}

/// An error at a line and column of `file`.
pub(crate) fn error(file: &Path, line: u64, column: &str, problem: Problem) -> PackError {
    PackError {
        file: file.to_owned(),
        line: Some(line),
        column: Some(column.to_owned()),
        problem,
    }
}

/// Reads `file`, whose header must name exactly `columns` (in any order).
/// Returns `None`, having reported why, when the file cannot be read or its header is wrong;
/// rows that are malformed as CSV are reported and left out.
pub(crate) fn read(file: &Path, columns: &[&str], errors: &mut PackErrors) -> Option<Table> {
    let file_error = |line: Option<u64>, problem| PackError {
        file: PathBuf::from(file),
        line,
        column: None,
        problem,
    };
    let bytes = match super::source::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            errors.push(file_error(None, Problem::Read(e)));
            return None;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(std::io::Cursor::new(bytes));
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => {
            errors.push(file_error(line_of(&e).or(Some(1)), csv_problem(e)));
            return None;
        }
    };
    let header_line = headers.position().map_or(1, |p| p.line());
    let expected = || columns.join(", ");
    let mut index: Vec<Option<usize>> = vec![None; columns.len()];
    let mut header_ok = true;
    for (at, name) in headers.iter().enumerate() {
        let problem = match columns.iter().position(|c| *c == name) {
            Some(i) if index[i].is_none() => {
                index[i] = Some(at);
                continue;
            }
            Some(_) => Problem::DuplicateColumn,
            None => Problem::UnknownColumn {
                expected: expected(),
            },
        };
        let shown = if name.is_empty() { "(blank)" } else { name };
        errors.push(error(file, header_line, shown, problem));
        header_ok = false;
    }
    for (column, at) in columns.iter().zip(&index) {
        if at.is_none() {
            let problem = Problem::MissingColumn {
                expected: expected(),
            };
            errors.push(error(file, header_line, column, problem));
            header_ok = false;
        }
    }
    if !header_ok {
        return None;
    }

    let names: Arc<[String]> = columns.iter().map(|c| (*c).to_owned()).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.push(Row {
                line: record.position().map_or(0, |p| p.line()),
                columns: Arc::clone(&names),
                values: index
                    .iter()
                    .map(|at| at.and_then(|at| record.get(at)).unwrap_or("").to_owned())
                    .collect(),
            }),
            Err(e) => {
                let line = line_of(&e);
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                errors.push(file_error(line, csv_problem(e)));
                if fatal {
                    break;
                }
            }
        }
    }
    Some(Table { rows })
}

fn line_of(e: &csv::Error) -> Option<u64> {
    e.position().map(|p| p.line())
}

fn csv_problem(e: csv::Error) -> Problem {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Problem::Read(e),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Problem::Csv(format!(
            "the row has {len} fields but the header has {expected_len}"
        )),
        csv::ErrorKind::Utf8 { err, .. } => Problem::Csv(format!(
            "field {} is not valid UTF-8; save the file as UTF-8",
            err.field() + 1
        )),
        other => Problem::Csv(format!("malformed CSV: {other:?}")),
    }
}
