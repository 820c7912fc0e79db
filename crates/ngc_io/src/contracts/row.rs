//! One row of a contracts file read into a [`ContractRow`]: each value parsed, the rules
//! between values checked (dates in order, a ground for the route, a reference used once),
//! every problem reported against its line and column.

use super::columns::Column;
use super::layout::{Layout, Source};
use super::mapping::same_text;
use super::{Category, ContractRow, values};
use crate::pack::{PackError, PackErrors, Problem};
use ngc_domain::contracts::{Route, VatTreatment};
use std::collections::HashMap;
use std::path::Path;

/// One data row of a file.
pub(super) trait Cells {
    /// The 1-based line (CSV) or row (workbook).
    fn line(&self) -> u64;
    /// The trimmed text in the file column `index`; empty if blank or absent.
    fn get(&self, index: usize) -> &str;
    /// The cell of file column `index` (`Contracts!L7`), in a workbook.
    fn cell(&self, _index: usize) -> Option<String> {
        None
    }
}

/// Reads one row's values against a layout, reporting each bad one.
struct RowReader<'a, R: Cells> {
    file: &'a Path,
    layout: &'a Layout<'a>,
    row: &'a R,
    errors: &'a mut PackErrors,
    ok: bool,
}

impl<'a, R: Cells> RowReader<'a, R> {
    /// The first of `column`'s file columns with a value, and the value.
    fn raw(&self, column: Column) -> Option<(&'a str, &'a Source)> {
        let row = self.row;
        self.layout
            .sources(column)
            .iter()
            .find_map(|s| match row.get(s.index) {
                "" => None,
                text => Some((text, s)),
            })
    }

    /// How a problem names `column`: `value`, or with the file's header and the cell,
    /// `value (Contract Value, Contracts!L7)`. Without `source`, the file column the value
    /// was read from, else the first it could be.
    fn label(&self, column: Column, source: Option<&Source>) -> String {
        let name = column.name();
        let source = source
            .or_else(|| self.raw(column).map(|(_, s)| s))
            .or_else(|| self.layout.sources(column).first());
        let Some(source) = source else {
            return name.to_owned();
        };
        let header = (self.layout.mapping.is_some() && !same_text(name, &source.header))
            .then_some(source.header.as_str());
        match (header, self.row.cell(source.index)) {
            (None, None) => name.to_owned(),
            (Some(h), None) => format!("{name} ({h})"),
            (None, Some(c)) => format!("{name} ({c})"),
            (Some(h), Some(c)) => format!("{name} ({h}, {c})"),
        }
    }

    fn report(&mut self, column: Column, source: Option<&Source>, problem: Problem) {
        self.ok = false;
        let label = self.label(column, source);
        self.errors.push(PackError {
            file: self.file.to_owned(),
            line: Some(self.row.line()),
            column: Some(label),
            problem,
        });
    }

    /// `column`'s value read by `parse` (after the mapping's word translation): `Some(None)`
    /// when blank, `None` when bad (reported).
    fn optional<T>(
        &mut self,
        column: Column,
        parse: impl FnOnce(&str, &Source) -> Result<T, String>,
    ) -> Option<Option<T>> {
        let Some((text, source)) = self.raw(column) else {
            return Some(None);
        };
        let text = match self.layout.mapping {
            Some(m) if column.has_words() => m.word(column, text),
            _ => text,
        };
        match parse(text, source) {
            Ok(v) => Some(Some(v)),
            Err(message) => {
                self.report(column, Some(source), Problem::Invalid(message));
                None
            }
        }
    }

    /// As [`Self::optional`], a blank reported as missing.
    fn required<T>(
        &mut self,
        column: Column,
        parse: impl FnOnce(&str, &Source) -> Result<T, String>,
    ) -> Option<T> {
        match self.optional(column, parse) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                self.report(column, None, Problem::Required);
                None
            }
            None => None,
        }
    }
}

fn text(text: &str, _: &Source) -> Result<String, String> {
    Ok(text.to_owned())
}

/// The contract on `row`, or `None` having reported every problem with it. `seen` holds the
/// references of earlier rows and their lines.
pub(super) fn contract<R: Cells>(
    file: &Path,
    layout: &Layout<'_>,
    row: &R,
    seen: &mut HashMap<String, u64>,
    errors: &mut PackErrors,
) -> Option<ContractRow> {
    let mut r = RowReader {
        file,
        layout,
        row,
        errors,
        ok: true,
    };
    let reference = r.required(Column::Reference, text);
    let title = r.required(Column::Title, text);
    let description = r.optional(Column::Description, text);
    let department = r.optional(Column::Department, text);
    let supplier_name = r.required(Column::SupplierName, text);
    let supplier_id = r.optional(Column::SupplierId, |t, s| values::supplier_id(t, s.scheme));
    let sme = r.optional(Column::Sme, |t, _| values::flag(t));
    let vcse = r.optional(Column::Vcse, |t, _| values::flag(t));
    let start_date = r.required(Column::StartDate, |t, _| values::date(t));
    let end_date = r.optional(Column::EndDate, |t, _| values::date(t));
    let review_date = r.optional(Column::ReviewDate, |t, _| values::date(t));
    let value = r.required(Column::Value, |t, _| values::pounds(t));
    let irrecoverable_vat = r.optional(Column::IrrecoverableVat, |t, _| values::pounds(t));
    let vat_treatment = r.optional(Column::VatTreatment, |t, _| values::word::<VatTreatment>(t));
    let category = r.optional(Column::Category, |t, _| Ok(Category::parse(t)));
    let route = r.optional(Column::Route, |t, _| values::word::<Route>(t));
    let route_ground = r.optional(Column::RouteGround, text);

    if let (Some(start), Some(Some(end))) = (start_date, end_date)
        && end < start
    {
        let message = format!("the contract ends on {end}, before it starts on {start}");
        r.report(Column::EndDate, None, Problem::Invalid(message));
    }
    if let (Some(start), Some(Some(review))) = (start_date, review_date) {
        let end = end_date.flatten().filter(|&end| end >= start);
        if review < start {
            let message =
                format!("the review date {review} is before the contract starts on {start}");
            r.report(Column::ReviewDate, None, Problem::Invalid(message));
        } else if let Some(end) = end.filter(|&end| review > end) {
            let message = format!("the review date {review} is after the contract ends on {end}");
            r.report(Column::ReviewDate, None, Problem::Invalid(message));
        }
    }
    if let (Some(Some(route)), Some(None)) = (route, &route_ground)
        && route.needs_ground()
    {
        let message = format!(
            "a {} needs its ground: the regulation or section relied on, e.g. PCR 2015 reg 32(2)(b)",
            route.label().to_lowercase()
        );
        r.report(Column::RouteGround, None, Problem::Invalid(message));
    }
    if let Some(reference) = &reference {
        let line = row.line();
        match seen.get(reference.as_str()) {
            Some(&first) => {
                let message = format!("`{reference}` is already the reference on line {first}");
                r.report(Column::Reference, None, Problem::Invalid(message));
            }
            None => {
                seen.insert(reference.clone(), line);
            }
        }
    }
    if !r.ok {
        return None;
    }
    Some(ContractRow {
        line: row.line(),
        reference: reference?,
        title: title?,
        description: description?,
        department: department?,
        supplier_name: supplier_name?,
        supplier_id: supplier_id?,
        sme: sme?,
        vcse: vcse?,
        start_date: start_date?,
        end_date: end_date?,
        review_date: review_date?,
        value: value?,
        irrecoverable_vat: irrecoverable_vat?,
        vat_treatment: vat_treatment?.unwrap_or(VatTreatment::ExcludingVat),
        category: category?,
        route: route?.unwrap_or(Route::Tender),
        route_ground: route_ground?,
    })
}
