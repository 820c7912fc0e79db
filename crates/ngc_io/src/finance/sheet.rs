//! The first sheet of a workbook (XLSX, XLSM, XLS, ODS) as rows of named columns, the header
//! in row 1: problems name the cell as well as the line and column (`amount (Budget!E7)`).

use super::cells::{Record, file_error};
use crate::pack::table;
use crate::pack::{PackErrors, Problem};
use crate::workbook::{self, cell_text, column_letter};
use calamine::Reader;
use std::path::Path;

/// A data row of a worksheet.
#[derive(Debug)]
pub(crate) struct SheetRow {
    /// The 1-based row number.
    line: u64,
    sheet: std::rc::Rc<str>,
    columns: &'static [&'static str],
    /// Per column of `columns`: the value and the column letter.
    values: Vec<(String, String)>,
}

impl Record for SheetRow {
    fn line(&self) -> u64 {
        self.line
    }

    fn value(&self, column: &str) -> &str {
        &self.values[self.column_index(column)].0
    }

    fn label(&self, column: &str) -> String {
        let letter = &self.values[self.column_index(column)].1;
        format!("{column} ({}!{letter}{})", self.sheet, self.line)
    }
}

impl SheetRow {
    fn column_index(&self, column: &str) -> usize {
        self.columns
            .iter()
            .position(|c| *c == column)
            .unwrap_or_else(|| panic!("`{column}` is not a column of this file"))
    }
}

/// The data rows of the workbook's first sheet, whose row 1 must name exactly `columns`;
/// `None`, having reported why, when the header is wrong or the file unreadable.
pub(crate) fn rows(
    file: &Path,
    columns: &'static [&'static str],
    errors: &mut PackErrors,
) -> Option<Vec<SheetRow>> {
    let whole = |message: String| file_error(file, None, None, message);
    let mut workbook = workbook::open(file, errors)?;
    let Some(sheet) = workbook::first_sheet(&workbook) else {
        errors.push(whole("the workbook has no sheets".into()));
        return None;
    };
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => {
            errors.push(whole(format!("cannot read sheet `{sheet}`: {e}")));
            return None;
        }
        None => {
            errors.push(whole("the workbook has no sheets".into()));
            return None;
        }
    };
    let sheet: std::rc::Rc<str> = sheet.into();
    let cell = |row: u32, col: u32| -> String {
        range
            .get_value((row, col))
            .map(|d| cell_text(d).into_owned())
            .unwrap_or_default()
    };
    let expected = || columns.join(", ");
    let (Some((first_row, first_col)), Some((last_row, last_col))) = (range.start(), range.end())
    else {
        errors.push(whole(format!(
            "sheet `{sheet}` is empty: row 1 must name the columns {}",
            expected()
        )));
        return None;
    };
    if first_row != 0 {
        errors.push(file_error(
            file,
            Some(1),
            None,
            format!(
                "row 1 of sheet `{sheet}` must name the columns {}",
                expected()
            ),
        ));
        return None;
    }
    // Header: which sheet column holds each budget column.
    let mut at: Vec<Option<u32>> = vec![None; columns.len()];
    let mut header_ok = true;
    for col in first_col..=last_col {
        let name = cell(0, col);
        if name.is_empty() {
            continue;
        }
        let letter = column_letter(col);
        let problem = match columns.iter().position(|c| *c == name) {
            Some(i) if at[i].is_none() => {
                at[i] = Some(col);
                continue;
            }
            Some(_) => Problem::DuplicateColumn,
            None => Problem::UnknownColumn {
                expected: expected(),
            },
        };
        errors.push(table::error(
            file,
            1,
            &format!("{name} ({sheet}!{letter}1)"),
            problem,
        ));
        header_ok = false;
    }
    for (column, col) in columns.iter().zip(&at) {
        if col.is_none() {
            let problem = Problem::MissingColumn {
                expected: expected(),
            };
            errors.push(table::error(file, 1, column, problem));
            header_ok = false;
        }
    }
    if !header_ok {
        return None;
    }
    let cols: Vec<u32> = at.into_iter().flatten().collect();
    let mut rows = Vec::new();
    for row in 1..=last_row {
        let values: Vec<(String, String)> = cols
            .iter()
            .map(|&col| (cell(row, col), column_letter(col)))
            .collect();
        if values.iter().all(|(v, _)| v.is_empty()) {
            continue;
        }
        rows.push(SheetRow {
            line: u64::from(row) + 1,
            sheet: sheet.clone(),
            columns,
            values,
        });
    }
    Some(rows)
}
