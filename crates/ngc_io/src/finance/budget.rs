//! Budget-line files: one line per organisation, year, service line and subjective, in CSV or
//! in a workbook (XLSX; the first sheet, the header in row 1).

use super::cells::{Cells, Record, file_error};
use super::sheet;
use crate::pack::PackErrors;
use crate::pack::table;
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
        Some("xlsx" | "xlsm" | "xls" | "ods") => sheet::rows(path, BUDGET_COLUMNS, &mut errors)
            .map(|rows| lines(path, &rows, &mut errors)),
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

/// Reads a CSV budget-line file held in memory (the demo carries its own), named `path` in
/// errors.
pub fn read_budget_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<BudgetLine>, PackErrors> {
    let mut files = crate::pack::source::Memory::new();
    files.insert(path, bytes);
    crate::pack::source::with(std::rc::Rc::new(files), || read_budget(path))
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
