//! An organisation's expense-code mapping for its spend (`ngc import spend --expense-codes
//! FILE`): a CSV file, one expense code a line,
//!
//! `expense_code,service,subjective`
//!
//! where `service` is the service line the code's payments are charged to (blank: the
//! line's own published service) and `subjective` the subjective. Every problem names the
//! line and column; nothing is returned unless every line is good.

use crate::pack::{PackErrors, Problem, table};
use ngc_domain::spend::journals::{ExpenseCode, ExpenseCodes, MappingError};
use std::path::Path;

/// The columns of an expense-code mapping.
pub const EXPENSE_CODE_COLUMNS: &[&str] = &["expense_code", "service", "subjective"];

/// Reads an expense-code mapping.
pub fn read_expense_codes(path: &Path) -> Result<ExpenseCodes, PackErrors> {
    let mut errors = PackErrors::default();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    if let Some(t) = table::read(path, EXPENSE_CODE_COLUMNS, &mut errors) {
        for row in &t.rows {
            rows.push(ExpenseCode {
                expense_code: row.value("expense_code").to_owned(),
                service: row.value("service").to_owned(),
                subjective: row.value("subjective").to_owned(),
            });
            lines.push(row.line);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    ExpenseCodes::new(&rows).map_err(|e| {
        let (row, column) = match &e {
            MappingError::BlankCode { row } => (*row, "expense_code"),
            MappingError::BlankSubjective { row, .. } => (*row, "subjective"),
            MappingError::Duplicate { row, .. } => (*row, "expense_code"),
        };
        let line = lines[row - 1];
        let message = match e {
            MappingError::Duplicate { first, code, .. } => format!(
                "expense code `{code}` is mapped already, on line {}",
                lines[first - 1]
            ),
            MappingError::BlankCode { .. } => "the expense code is blank".to_owned(),
            MappingError::BlankSubjective { code, .. } => {
                format!("the subjective for expense code `{code}` is blank")
            }
        };
        let mut errors = PackErrors::default();
        errors.push(table::error(path, line, column, Problem::Invalid(message)));
        errors
    })
}
