//! The plan's named lines: pressures, the savings programme and savings delivery updates.

use super::cells::{Cells, read_with_years};
use super::lines::not_a_plan_year;
use crate::pack::PackErrors;
use crate::pack::table;
use ngc_domain::finance::mtfp::{Pressure, PressureKind, Uncertainty};
use ngc_domain::finance::savings::{
    DeliveryUpdate, Evidence, EvidenceKind, Rag, Saving, SavingCategory,
};
use ngc_domain::finance::{FinancialYear, ServiceLine};
use ngc_domain::money::Money;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The columns of `pressures.csv` before its plan-year columns.
pub const PRESSURE_COLUMNS: &[&str] = &[
    "reference",
    "kind",
    "service",
    "description",
    "low_pct",
    "high_pct",
];

/// The columns of `savings.csv` before its plan-year columns.
pub const SAVING_COLUMNS: &[&str] = &[
    "reference",
    "title",
    "service",
    "category",
    "owner",
    "rag",
    "delivered_to_date",
    "evidence",
];

/// The columns of `delivery.csv`.
pub const DELIVERY_COLUMNS: &[&str] = &["reference", "year", "month", "delivered", "rag", "note"];

/// References used so far across the plan's files: reference → (file name, line).
pub(crate) type References = BTreeMap<String, (&'static str, u64)>;

/// Checks a reference is new in the plan, reporting where it was used first.
fn new_reference<R: super::cells::Record>(
    c: &mut Cells<'_, R>,
    refs: &mut References,
    reference: &str,
    file_name: &'static str,
) -> bool {
    if let Some(&(first_file, first_line)) = refs.get(reference) {
        let at = if first_file == file_name {
            format!("line {first_line}")
        } else {
            format!("line {first_line} of {first_file}")
        };
        c.invalid(
            "reference",
            format!("reference `{reference}` is already used on {at}; references must be unique in the plan"),
        );
        return false;
    }
    refs.insert(reference.to_owned(), (file_name, c.line()));
    true
}

/// `pressures.csv`: one row per pressure, the new pressure in each plan-year column.
pub(crate) fn pressures(
    file: &Path,
    years: &[FinancialYear],
    refs: &mut References,
    errors: &mut PackErrors,
) -> Vec<Pressure> {
    let Some(t) = read_with_years(file, PRESSURE_COLUMNS, years, errors) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let reference = c.required("reference");
        let kind = c.parse::<PressureKind>("kind");
        let service = c.parse::<ServiceLine>("service");
        let description = c.required("description");
        let low = c.optional_pct("low_pct");
        let high = c.optional_pct("high_pct");
        let amounts = c.amounts(years);
        let uncertainty = match (low, high) {
            (Some(None), Some(None)) => Some(None),
            (Some(Some(low_pct)), Some(Some(high_pct))) => {
                if low_pct < Decimal::ZERO || low_pct > high_pct {
                    c.invalid(
                        "low_pct",
                        format!("low_pct {low_pct} must be between 0 and high_pct {high_pct}"),
                    );
                    None
                } else {
                    Some(Some(Uncertainty { low_pct, high_pct }))
                }
            }
            (Some(None), Some(Some(_))) => {
                c.invalid("low_pct", "give both low_pct and high_pct, or neither");
                None
            }
            (Some(Some(_)), Some(None)) => {
                c.invalid("high_pct", "give both low_pct and high_pct, or neither");
                None
            }
            _ => None,
        };
        let Some(reference) = reference else { continue };
        if !new_reference(&mut c, refs, &reference, super::PRESSURES) || !c.ok() {
            continue;
        }
        let (Some(kind), Some(service), Some(description), Some(uncertainty)) =
            (kind, service, description, uncertainty)
        else {
            continue;
        };
        if kind == PressureKind::UndeliveredSavings {
            c.invalid(
                "kind",
                "undelivered savings are rolled forward from delivery.csv, not entered as a pressure",
            );
            continue;
        }
        out.push(Pressure {
            reference,
            kind,
            service,
            description,
            amounts,
            uncertainty,
        });
    }
    out
}

/// `savings.csv`: one row per saving, the new saving in each plan-year column.
pub(crate) fn savings(
    file: &Path,
    years: &[FinancialYear],
    refs: &mut References,
    errors: &mut PackErrors,
) -> Vec<Saving> {
    let Some(t) = read_with_years(file, SAVING_COLUMNS, years, errors) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let reference = c.required("reference");
        let title = c.required("title");
        let service = c.parse::<ServiceLine>("service");
        let category = c.parse::<SavingCategory>("category");
        let owner = c.required("owner");
        let rag = c.parse::<Rag>("rag");
        let delivered = c.optional_money("delivered_to_date");
        let evidence = evidence(&mut c);
        let amounts = c.amounts(years);
        let Some(reference) = reference else { continue };
        if !new_reference(&mut c, refs, &reference, super::SAVINGS) || !c.ok() {
            continue;
        }
        let (
            Some(title),
            Some(service),
            Some(category),
            Some(owner),
            Some(rag),
            Some(delivered),
            Some(evidence),
        ) = (title, service, category, owner, rag, delivered, evidence)
        else {
            continue;
        };
        out.push(Saving {
            reference,
            title,
            service,
            category,
            amounts,
            owner,
            rag,
            delivered_to_date: delivered.unwrap_or_default(),
            evidence,
        });
    }
    out
}

/// The `evidence` cell: blank, or `kind:reference` (`contract:CT-2015-001`).
fn evidence<R: super::cells::Record>(c: &mut Cells<'_, R>) -> Option<Option<Evidence>> {
    let text = c.text("evidence");
    if text.is_empty() {
        return Some(None);
    }
    let choices = || {
        EvidenceKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((kind, reference)) = text.split_once(':') else {
        c.invalid(
            "evidence",
            format!("`{text}` is not evidence: expected kind:reference, e.g. contract:CT-2015-001, with kind one of {}", choices()),
        );
        return None;
    };
    let reference = reference.trim();
    match kind.trim().parse::<EvidenceKind>() {
        Ok(_) if reference.is_empty() => {
            c.invalid(
                "evidence",
                format!("`{text}` names no reference after the colon"),
            );
            None
        }
        Ok(kind) => Some(Some(Evidence {
            kind,
            reference: reference.to_owned(),
        })),
        Err(e) => {
            c.invalid("evidence", e.to_string());
            None
        }
    }
}

/// `delivery.csv` (optional): monthly delivery updates on savings of the plan.
pub(crate) fn delivery(
    file: &Path,
    years: &[FinancialYear],
    savings: &BTreeSet<String>,
    errors: &mut PackErrors,
) -> Vec<DeliveryUpdate> {
    let Some(t) = table::read(file, DELIVERY_COLUMNS, errors) else {
        return Vec::new();
    };
    let mut seen: BTreeMap<(String, FinancialYear, u8), u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let reference = c.required("reference");
        if let Some(r) = &reference
            && !savings.contains(r)
        {
            c.invalid(
                "reference",
                format!("no saving `{r}` in {}", super::SAVINGS),
            );
        }
        let year = c.parse::<FinancialYear>("year");
        if let Some(y) = year
            && !years.contains(&y)
        {
            c.invalid("year", not_a_plan_year(y, years));
        }
        let month = c.parse::<u8>("month");
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            c.invalid(
                "month",
                format!("month {m} is not a month of the financial year: 1 is April, 12 is March"),
            );
        }
        let delivered: Option<Money> = c.money("delivered");
        let rag = c.parse::<Rag>("rag");
        let note = c.text("note");
        let (Some(reference), Some(year), Some(month), Some(delivered), Some(rag)) =
            (reference, year, month, delivered, rag)
        else {
            continue;
        };
        if !c.ok() {
            continue;
        }
        if let Some(first) = seen.insert((reference.clone(), year, month), row.line) {
            c.invalid(
                "month",
                format!("`{reference}` already has an update for month {month} of {year} on line {first}"),
            );
            continue;
        }
        out.push(DeliveryUpdate {
            reference,
            year,
            month,
            delivered,
            rag,
            note,
        });
    }
    out
}
