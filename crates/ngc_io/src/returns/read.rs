//! Reading workbooks (in parallel) and recognising their data sheets by content.

use super::grid::Table;
use super::record::{Record, Target};
use super::{ReturnKind, ReturnsError, Workbook, ctr, revenue};
use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use ngc_domain::finance::year::FinancialYear;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One workbook read: what it is and its records.
pub(super) type Read = Result<(Workbook, Vec<Record>), ReturnsError>;

/// Reads every path, one thread per core, results in the order of `paths`.
pub(super) fn read_all(paths: &[PathBuf]) -> Vec<Read> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len());
    if workers <= 1 {
        return paths.iter().map(|p| read_workbook(p)).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Read>>> = paths.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    let result = read_workbook(path);
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every path is read")
        })
        .collect()
}

/// A data sheet found in a workbook.
enum Found {
    Revenue(Target, revenue::Plan),
    Ctr(Vec<(ctr::Line, FinancialYear, usize)>),
}

/// Reads one workbook: recognises its data sheets and returns its records.
fn read_workbook(path: &Path) -> Read {
    let bytes = std::fs::read(path).map_err(|source| ReturnsError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let unrecognised = |reason: String| ReturnsError::Unrecognised {
        file: path.to_path_buf(),
        reason,
    };
    let mut book = open_workbook_auto_from_rs(Cursor::new(&bytes[..]))
        .map_err(|e| unrecognised(format!("not an Excel workbook ({e})")))?;
    let mut sheets: Vec<(String, Range<Data>)> = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ReturnsError::Sheet {
                file: path.to_path_buf(),
                sheet: name.clone(),
                message: format!("cannot be read: {e}"),
            })?;
        sheets.push((name, range));
    }
    let mut found: Vec<(&Table, Found)> = Vec::new();
    let tables: Vec<Table> = sheets
        .iter()
        .filter_map(|(name, range)| Table::find(path, name, range))
        .collect();
    for table in &tables {
        if let Some(target) = revenue::kind(table) {
            let plan = revenue::plan(table);
            if plan.is_useful() {
                found.push((table, Found::Revenue(target, plan)));
            }
        } else {
            let plan = ctr::plan(table);
            if ctr::is_useful(&plan) {
                found.push((table, Found::Ctr(plan)));
            }
        }
    }
    // A workbook is one kind: revenue data sheets if it has any (the RS 2017-18 workbook
    // also carries a copy of the CTR table), else CTR data sheets.
    let kind = if let Some(target) = found.iter().find_map(|(_, f)| match f {
        Found::Revenue(t, _) => Some(*t),
        Found::Ctr(_) => None,
    }) {
        found.retain(|(_, f)| matches!(f, Found::Revenue(..)));
        match target {
            Target::Outturn => ReturnKind::RevenueOutturn,
            Target::Budget => ReturnKind::RevenueBudget,
        }
    } else if !found.is_empty() {
        ReturnKind::CouncilTaxRequirement
    } else {
        return Err(unrecognised(
            "no Revenue Outturn Summary (RS), Revenue Account budget (RA) or Council Tax \
             Requirement (CTR) data sheet with an E-code header row"
                .into(),
        ));
    };
    let mut workbook = Workbook {
        path: path.to_path_buf(),
        kind,
        sheets: Vec::new(),
        years: BTreeSet::new(),
    };
    let mut records = BTreeMap::new();
    for (table, plan) in &found {
        match plan {
            Found::Revenue(target, plan) => {
                let year = revenue::sheet_year(table)?;
                revenue::read(table, plan, *target, year, &mut records, &mut workbook)?;
            }
            Found::Ctr(plan) => ctr::read(table, plan, &mut records, &mut workbook)?,
        }
        workbook.sheets.push(table.sheet.to_owned());
    }
    Ok((workbook, records.into_values().collect()))
}
