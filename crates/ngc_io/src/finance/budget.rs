//! Budget-line files: one line per organisation, year, service line and subjective, in CSV or
//! in a workbook (XLSX; the first sheet, the header in row 1).

use super::cells::{Cells, Record, file_error};
use crate::pack::table;
use crate::pack::{PackError, PackErrors, Problem};
use calamine::{Data, Reader};
use ngc_domain::finance::service::BudgetLine;
use ngc_domain::finance::{FinancialYear, ServiceLine, Subjective};
use ngc_domain::slug::Slug;
use std::collections::BTreeMap;
use std::path::Path;

/// The columns of a budget-line file.
pub const BUDGET_COLUMNS: &[&str] = &["organisation", "year", "service", "subjective", "amount"];

/// Reads budget lines from `path`: CSV (`.csv`) or a workbook (`.xlsx`, `.xlsm`, `.xls`,
/// `.ods`), checking every value and refusing two lines for the same organisation, year,
/// service and subjective. In a workbook, problems name the cell as well
/// (`line 7, column amount (Budget!E7)`).
pub fn read_budget(path: &Path) -> Result<Vec<BudgetLine>, PackErrors> {
    let mut errors = PackErrors::default();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let lines = match extension.as_deref() {
        Some("csv") => table::read(path, BUDGET_COLUMNS, &mut errors)
            .map(|t| lines(path, &t.rows, &mut errors)),
        Some("xlsx" | "xlsm" | "xls" | "ods") => {
            sheet_rows(path, &mut errors).map(|rows| lines(path, &rows, &mut errors))
        }
        _ => {
            let message = "a budget file is CSV (.csv) or a workbook (.xlsx)".to_owned();
            errors.push(file_error(path, None, None, message));
            None
        }
    };
    match lines {
        Some(lines) if errors.is_empty() => {
            tracing::debug!(budget.file = %path.display(), budget.lines = lines.len(), "read budget");
            Ok(lines)
        }
        _ => Err(errors),
    }
}

fn lines<R: Record>(file: &Path, rows: &[R], errors: &mut PackErrors) -> Vec<BudgetLine> {
    type Key = (String, FinancialYear, ServiceLine, Subjective);
    let mut seen: BTreeMap<Key, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in rows {
        let mut c = Cells::new(file, row, errors);
        let organisation = c
            .required("organisation")
            .and_then(|text| match Slug::parse(&text) {
                Ok(slug) => Some(slug),
                Err(e) => {
                    c.invalid("organisation", e.to_string());
                    None
                }
            });
        let year = c.parse::<FinancialYear>("year");
        let service = c.parse::<ServiceLine>("service");
        let subjective = c.parse::<Subjective>("subjective");
        let amount = c.money("amount");
        let (Some(organisation), Some(year), Some(service), Some(subjective), Some(amount)) =
            (organisation, year, service, subjective, amount)
        else {
            continue;
        };
        let organisation = organisation.as_str().to_owned();
        let key = (organisation.clone(), year, service, subjective);
        if let Some(first) = seen.insert(key, row.line()) {
            c.invalid(
                "subjective",
                format!("{organisation} {year} {service} / {subjective} is already given on line {first}"),
            );
            continue;
        }
        out.push(BudgetLine {
            organisation,
            year,
            service,
            subjective,
            amount,
        });
    }
    out
}

/// A data row of a worksheet.
#[derive(Debug)]
struct SheetRow {
    /// The 1-based row number.
    line: u64,
    sheet: std::rc::Rc<str>,
    /// Per column of [`BUDGET_COLUMNS`]: the value and the column letter.
    values: Vec<(String, String)>,
}

impl Record for SheetRow {
    fn line(&self) -> u64 {
        self.line
    }

    fn value(&self, column: &str) -> &str {
        &self.values[column_index(column)].0
    }

    fn label(&self, column: &str) -> String {
        let letter = &self.values[column_index(column)].1;
        format!("{column} ({}!{letter}{})", self.sheet, self.line)
    }
}

fn column_index(column: &str) -> usize {
    BUDGET_COLUMNS
        .iter()
        .position(|c| *c == column)
        .unwrap_or_else(|| panic!("`{column}` is not a budget column"))
}

/// The data rows of the workbook's first sheet, whose row 1 must name exactly the budget
/// columns; `None`, having reported why, when the header is wrong or the file unreadable.
fn sheet_rows(file: &Path, errors: &mut PackErrors) -> Option<Vec<SheetRow>> {
    let whole = |message: String| file_error(file, None, None, message);
    let mut workbook = match calamine::open_workbook_auto(file) {
        Ok(w) => w,
        Err(calamine::Error::Io(e)) => {
            errors.push(PackError {
                file: file.to_owned(),
                line: None,
                column: None,
                problem: Problem::Read(e),
            });
            return None;
        }
        Err(e) => {
            errors.push(whole(format!("cannot read the workbook: {e}")));
            return None;
        }
    };
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
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
            .map(cell_text)
            .unwrap_or_default()
    };
    let expected = || BUDGET_COLUMNS.join(", ");
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
    let mut at: Vec<Option<u32>> = vec![None; BUDGET_COLUMNS.len()];
    let mut header_ok = true;
    for col in first_col..=last_col {
        let name = cell(0, col);
        if name.is_empty() {
            continue;
        }
        let letter = column_letter(col);
        let problem = match BUDGET_COLUMNS.iter().position(|c| *c == name) {
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
    for (column, col) in BUDGET_COLUMNS.iter().zip(&at) {
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
            values,
        });
    }
    Some(rows)
}

/// A cell as text: numbers as their shortest exact decimal (so that `1234.5` stays so and a
/// third decimal place shows), text trimmed; errors and booleans as written, to be refused.
fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string().to_uppercase(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::column_letter;

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
