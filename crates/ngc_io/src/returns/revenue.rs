//! Revenue Outturn Summary (RS) and Revenue Account budget (RA) data sheets: one row per
//! authority, £ thousand, columns found by their headings.

use super::grid::{BalanceDate, Table, year_in};
use super::record::{Identity, Record, Target};
use super::{ReturnsError, Workbook};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::{Money, Rounding};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Whether a table is an RS (outturn) or RA (budget) data sheet, from its title.
pub(super) fn kind(table: &Table) -> Option<Target> {
    let title = table.title_words();
    if title.contains("revenue outturn") {
        Some(Target::Outturn)
    } else if title.contains("revenue account budget") {
        Some(Target::Budget)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fund {
    Earmarked,
    Unallocated,
}

/// The columns of one RS/RA sheet that ngc reads.
#[derive(Debug, Default)]
pub(super) struct Plan {
    nre: Option<usize>,
    ctr: Option<usize>,
    rsg: Option<usize>,
    adult: Option<usize>,
    children: Option<usize>,
    social_care: Option<usize>,
    reserves: Vec<(Fund, BalanceDate, usize)>,
}

impl Plan {
    /// Whether the sheet has anything to read.
    pub fn is_useful(&self) -> bool {
        self.nre.is_some() || !self.reserves.is_empty()
    }
}

/// Which columns to read. Spending and financing lines come only from the net current
/// expenditure sheet (the capital-charges and net-total-cost sheets of the older workbooks
/// repeat the headings with other figures); reserves levels come from any sheet but the
/// net-total-cost one, dated by `1 April` / `31 March` in their heading or group heading.
pub(super) fn plan(table: &Table) -> Plan {
    let title = table.title_words();
    let mut plan = Plan::default();
    if title.contains("net current expenditure") {
        plan.nre = table.column(|h| h.contains("net revenue expenditure"));
        plan.ctr = table.column(|h| h.contains("council tax requirement"));
        plan.rsg = table.column(|h| h.contains("revenue support grant"));
        plan.adult = table.named(&["adult social care", "total adult social care"]);
        plan.children = table.named(&[
            "children social care",
            "childrens social care",
            "total children social care",
            "total childrens social care",
        ]);
        plan.social_care = table.named(&["social care", "total social care"]);
    }
    if !title.contains("net total cost") {
        for (j, column) in table.columns.iter().enumerate() {
            let h = &column.own;
            if !(h.contains("reserve") && h.contains("level")) {
                continue;
            }
            let fund = if h.contains("unallocated") {
                Fund::Unallocated
            } else if h.contains("earmarked")
                && !h.contains("school")
                && !h.contains("public health")
            {
                Fund::Earmarked
            } else {
                continue;
            };
            let date = BalanceDate::find(h)
                .or_else(|| column.groups.iter().find_map(|g| BalanceDate::find(g)));
            if let Some(date) = date {
                // The first column for a fund and date wins.
                if !plan
                    .reserves
                    .iter()
                    .any(|(f, d, _)| *f == fund && *d == date)
                {
                    plan.reserves.push((fund, date, j));
                }
            }
        }
    }
    plan
}

/// The year of an RS/RA sheet: written in its title or its name (they must agree).
pub(super) fn sheet_year(table: &Table) -> Result<FinancialYear, ReturnsError> {
    match (year_in(&table.title), year_in(table.sheet)) {
        (Some(a), Some(b)) if a != b => Err(ReturnsError::Sheet {
            file: table.file.to_path_buf(),
            sheet: table.sheet.to_owned(),
            message: format!("the title says {a} but the sheet name says {b}"),
        }),
        (Some(y), _) | (None, Some(y)) => Ok(y),
        (None, None) => Err(ReturnsError::Sheet {
            file: table.file.to_path_buf(),
            sheet: table.sheet.to_owned(),
            message: "no financial year (such as 2015-16) in the title or sheet name".into(),
        }),
    }
}

/// An amount in £ thousand as money, rounded to the penny half away from zero (exact for
/// figures with up to five decimal places; spreadsheet-computed figures such as
/// `446465.36165000004` carry float noise beyond the penny).
fn thousands(value: Decimal) -> Option<Money> {
    let pounds = value.checked_mul(Decimal::ONE_THOUSAND)?;
    Money::from_decimal_rounded(pounds, Rounding::HalfAwayFromZero).ok()
}

/// Reads one RS/RA sheet into `records` (keyed by code, year and target); a figure already
/// read from an earlier sheet of the workbook is kept.
pub(super) fn read(
    table: &Table,
    plan: &Plan,
    target: Target,
    year: FinancialYear,
    records: &mut BTreeMap<(String, FinancialYear, Target), Record>,
    workbook: &mut Workbook,
) -> Result<(), ReturnsError> {
    let ids = table.identity_columns();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (r, row) in table.authority_rows() {
        let identity = table.identity(row, &ids);
        if let Some(first) = seen.insert(identity.code.clone(), r) {
            let message = format!(
                "authority {} is on this row and on row {}",
                identity.code,
                table
                    .cell_ref(first, 0)
                    .trim_start_matches(char::is_alphabetic)
            );
            return Err(table.cell_error(r, 0, message));
        }
        let money = |col: Option<usize>| -> Result<Option<Money>, ReturnsError> {
            let Some(col) = col else { return Ok(None) };
            match table.number(r, row, col)? {
                None => Ok(None),
                Some(v) => thousands(v)
                    .map(Some)
                    .ok_or_else(|| table.cell_error(r, col, format!("{v} is out of range"))),
            }
        };
        let f = &mut entry(records, &identity, year, target).figures;
        fill(&mut f.net_revenue_expenditure, money(plan.nre)?);
        fill(&mut f.council_tax_requirement, money(plan.ctr)?);
        // Income is negative in the returns; ngc holds the grant as a positive amount.
        fill(&mut f.revenue_support_grant, money(plan.rsg)?.map(|m| -m));
        fill(&mut f.adult_social_care, money(plan.adult)?);
        fill(&mut f.children_social_care, money(plan.children)?);
        fill(&mut f.social_care, money(plan.social_care)?);
        for &(fund, date, col) in &plan.reserves {
            let Some(y) = date.year(year) else { continue };
            let value = money(Some(col))?;
            let f = &mut entry(records, &identity, y, target).figures;
            let slot = match (fund, date.is_start()) {
                (Fund::Earmarked, true) => &mut f.earmarked_reserves_start,
                (Fund::Earmarked, false) => &mut f.earmarked_reserves_end,
                (Fund::Unallocated, true) => &mut f.unallocated_reserves_start,
                (Fund::Unallocated, false) => &mut f.unallocated_reserves_end,
            };
            fill(slot, value);
        }
    }
    workbook.note_year(year);
    Ok(())
}

/// The record for an authority, year and target, made if new.
fn entry<'r>(
    records: &'r mut BTreeMap<(String, FinancialYear, Target), Record>,
    identity: &Identity,
    year: FinancialYear,
    target: Target,
) -> &'r mut Record {
    records
        .entry((identity.code.clone(), year, target))
        .or_insert_with(|| Record::new(identity.clone(), year, target, true))
}

/// Sets `slot` if it is empty.
pub(super) fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}
