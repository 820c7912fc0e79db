//! Council Tax Requirement tables (CTR1/CTR2/CTR3 summary, sheet `Data`): one row per
//! billing or precepting authority, £, a pair of columns (previous year, this year) per line.

use super::grid::Table;
use super::record::{Record, Target};
use super::revenue::fill;
use super::{ReturnsError, Workbook};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::{Money, Rounding};
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    Requirement,
    BandD,
    TaxBase,
}

/// The line a heading names: the requirement including local (parish) precepts, the
/// average Band D including local precepts, the tax base for tax setting.
fn line(heading: &str) -> Option<Line> {
    if heading.contains("council tax requirement") && !heading.contains("excluding") {
        Some(Line::Requirement)
    } else if heading.contains("band d")
        && !heading.contains("excluding")
        && !heading.contains("major")
    {
        Some(Line::BandD)
    } else if heading.contains("council tax base for council tax setting") {
        Some(Line::TaxBase)
    } else {
        None
    }
}

/// The columns to read: (line, year, column), first column per line and year.
pub(super) fn plan(table: &Table) -> Vec<(Line, FinancialYear, usize)> {
    let mut out: Vec<(Line, FinancialYear, usize)> = Vec::new();
    for (j, column) in table.columns.iter().enumerate() {
        let (Some(line), Some(year)) = (line(&column.own), column.sub_year()) else {
            continue;
        };
        if !out.iter().any(|&(l, y, _)| l == line && y == year) {
            out.push((line, year, j));
        }
    }
    out
}

/// Whether a plan reads a council tax requirement.
pub(super) fn is_useful(plan: &[(Line, FinancialYear, usize)]) -> bool {
    plan.iter().any(|(l, _, _)| *l == Line::Requirement)
}

/// Reads a CTR data sheet into `records`. The latest year in the sheet is its own year;
/// figures for earlier years are kept as secondary (a later workbook's own year wins).
pub(super) fn read(
    table: &Table,
    plan: &[(Line, FinancialYear, usize)],
    records: &mut BTreeMap<(String, FinancialYear, Target), Record>,
    workbook: &mut Workbook,
) -> Result<(), ReturnsError> {
    let Some(current) = plan.iter().map(|&(_, y, _)| y).max() else {
        return Ok(());
    };
    let ids = table.identity_columns();
    let mut seen = HashSet::new();
    for (r, row) in table.authority_rows() {
        let identity = table.identity(row, &ids);
        if !seen.insert(identity.code.clone()) {
            return Err(table.cell_error(
                r,
                0,
                format!("authority {} appears twice", identity.code),
            ));
        }
        for &(line, year, col) in plan {
            let Some(value) = table.number(r, row, col)? else {
                continue;
            };
            let record = records
                .entry((identity.code.clone(), year, Target::Outturn))
                .or_insert_with(|| {
                    Record::new(identity.clone(), year, Target::Outturn, year == current)
                });
            let f = &mut record.figures;
            let money = || {
                Money::from_decimal_rounded(value, Rounding::HalfAwayFromZero)
                    .map_err(|_| table.cell_error(r, col, format!("{value} is out of range")))
            };
            match line {
                Line::Requirement => fill(&mut f.council_tax_requirement, Some(money()?)),
                Line::BandD => fill(&mut f.band_d, Some(money()?)),
                Line::TaxBase => fill(&mut f.tax_base, Some(value.normalize())),
            }
        }
    }
    for &(_, year, _) in plan {
        workbook.note_year(year);
    }
    Ok(())
}
