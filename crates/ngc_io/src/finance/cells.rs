//! Reading the values of one row of a plan or budget file, reporting each bad cell against
//! its file, line and column; and the column sets of files with a column per year.

use crate::pack::rows::parse_date;
use crate::pack::table::{self, Row, Table};
use crate::pack::{PackError, PackErrors, Problem};
use chrono::NaiveDate;
use ngc_domain::finance::FinancialYear;
use ngc_domain::money::Money;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::Path;
use std::str::FromStr;

/// One data row of a CSV file or a worksheet.
pub(crate) trait Record {
    /// The 1-based line (CSV) or row (worksheet); the header is line 1.
    fn line(&self) -> u64;
    /// The trimmed value in `column`, empty if blank.
    fn value(&self, column: &str) -> &str;
    /// How errors name `column`: the column itself, or with its cell (`amount (Sheet1!E7)`).
    fn label(&self, column: &str) -> String {
        column.to_owned()
    }
}

impl Record for Row {
    fn line(&self) -> u64 {
        self.line
    }

    fn value(&self, column: &str) -> &str {
        Row::value(self, column)
    }
}

/// The values of one row, each bad one reported; `ok` is false once any was.
pub(crate) struct Cells<'a, R: Record> {
    file: &'a Path,
    row: &'a R,
    errors: &'a mut PackErrors,
    ok: bool,
}

impl<'a, R: Record> Cells<'a, R> {
    pub(crate) fn new(file: &'a Path, row: &'a R, errors: &'a mut PackErrors) -> Self {
        Cells {
            file,
            row,
            errors,
            ok: true,
        }
    }

    /// Whether every value read so far was good.
    pub(crate) fn ok(&self) -> bool {
        self.ok
    }

    pub(crate) fn line(&self) -> u64 {
        self.row.line()
    }

    /// Reports a problem with `column` of this row.
    pub(crate) fn report(&mut self, column: &str, problem: Problem) {
        self.ok = false;
        self.errors.push(PackError {
            file: self.file.to_owned(),
            line: Some(self.row.line()),
            column: Some(self.row.label(column)),
            problem,
        });
    }

    /// Reports a rule broken by `column`'s value.
    pub(crate) fn invalid(&mut self, column: &str, message: impl Into<String>) {
        self.report(column, Problem::Invalid(message.into()));
    }

    /// The value, possibly empty.
    pub(crate) fn text(&self, column: &str) -> String {
        self.row.value(column).to_owned()
    }

    /// A value that must not be empty.
    pub(crate) fn required(&mut self, column: &str) -> Option<String> {
        match self.row.value(column) {
            "" => {
                self.report(column, Problem::Required);
                None
            }
            value => Some(value.to_owned()),
        }
    }

    /// A required value parsed with `FromStr` (words of a closed set, years, slugs).
    pub(crate) fn parse<T>(&mut self, column: &str) -> Option<T>
    where
        T: FromStr,
        T::Err: Display,
    {
        let value = self.required(column)?;
        match value.parse() {
            Ok(v) => Some(v),
            Err(e) => {
                self.invalid(column, e.to_string());
                None
            }
        }
    }

    /// A required amount of money, at most two decimal places.
    pub(crate) fn money(&mut self, column: &str) -> Option<Money> {
        let value = self.required(column)?;
        self.money_of(column, &value)
    }

    /// An amount of money, or `Some(None)` when blank.
    pub(crate) fn optional_money(&mut self, column: &str) -> Option<Option<Money>> {
        match self.row.value(column) {
            "" => Some(None),
            value => {
                let value = value.to_owned();
                self.money_of(column, &value).map(Some)
            }
        }
    }

    /// A required `YYYY-MM-DD` date (the pack's rule).
    pub(crate) fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let value = self.required(column)?;
        self.date_of(column, &value)
    }

    /// A `YYYY-MM-DD` date, or `Some(None)` when blank.
    pub(crate) fn optional_date(&mut self, column: &str) -> Option<Option<NaiveDate>> {
        match self.row.value(column) {
            "" => Some(None),
            value => {
                let value = value.to_owned();
                self.date_of(column, &value).map(Some)
            }
        }
    }

    fn date_of(&mut self, column: &str, value: &str) -> Option<NaiveDate> {
        parse_date(value)
            .map_err(|message| self.invalid(column, message))
            .ok()
    }

    fn money_of(&mut self, column: &str, value: &str) -> Option<Money> {
        match value.parse::<Money>() {
            Ok(m) => Some(m),
            Err(e) => {
                self.invalid(column, e.to_string());
                None
            }
        }
    }

    /// A required percentage (a plain decimal number, `1.95` for 1.95%).
    pub(crate) fn pct(&mut self, column: &str) -> Option<Decimal> {
        let value = self.required(column)?;
        self.pct_of(column, &value)
    }

    /// A percentage, or `Some(None)` when blank.
    pub(crate) fn optional_pct(&mut self, column: &str) -> Option<Option<Decimal>> {
        match self.row.value(column) {
            "" => Some(None),
            value => {
                let value = value.to_owned();
                self.pct_of(column, &value).map(Some)
            }
        }
    }

    fn pct_of(&mut self, column: &str, value: &str) -> Option<Decimal> {
        match parse_pct(value) {
            Ok(d) => Some(d),
            Err(message) => {
                self.invalid(column, message);
                None
            }
        }
    }

    /// The amounts in the year columns `years`; blank cells are no amount.
    pub(crate) fn amounts(&mut self, years: &[FinancialYear]) -> BTreeMap<FinancialYear, Money> {
        let mut out = BTreeMap::new();
        for &year in years {
            if let Some(Some(m)) = self.optional_money(&year.to_string()) {
                out.insert(year, m);
            }
        }
        out
    }

    /// The percentages in the year columns `years`; blank cells are none.
    pub(crate) fn pcts(&mut self, years: &[FinancialYear]) -> BTreeMap<FinancialYear, Decimal> {
        let mut out = BTreeMap::new();
        for &year in years {
            if let Some(Some(d)) = self.optional_pct(&year.to_string()) {
                out.insert(year, d);
            }
        }
        out
    }
}

/// A percentage written as a plain decimal number.
pub(crate) fn parse_pct(value: &str) -> Result<Decimal, String> {
    let plain = value
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    match value.parse::<Decimal>() {
        Ok(d) if plain => Ok(d),
        _ => Err(format!(
            "`{value}` is not a percentage: expected a plain number such as 1.95 (for 1.95%)"
        )),
    }
}

/// Reads a CSV file whose header must name exactly `fixed` and then `years` as year
/// columns (`2015-16`), in any order.
pub(crate) fn read_with_years(
    file: &Path,
    fixed: &[&str],
    years: &[FinancialYear],
    errors: &mut PackErrors,
) -> Option<Table> {
    let mut names: Vec<String> = fixed.iter().map(|c| (*c).to_owned()).collect();
    names.extend(years.iter().map(ToString::to_string));
    let columns: Vec<&str> = names.iter().map(String::as_str).collect();
    table::read(file, &columns, errors)
}

/// An error about a whole file, or a line of it without a column.
pub(crate) fn file_error(
    file: &Path,
    line: Option<u64>,
    column: Option<&str>,
    message: String,
) -> PackError {
    PackError {
        file: file.to_owned(),
        line,
        column: column.map(str::to_owned),
        problem: Problem::Invalid(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_plain_numbers() {
        assert_eq!(parse_pct("1.95"), Ok("1.95".parse().unwrap()));
        assert_eq!(parse_pct("-0.5"), Ok("-0.5".parse().unwrap()));
        assert!(parse_pct("2%").is_err());
        assert!(parse_pct("1e3").is_err());
        assert!(parse_pct("").is_err());
    }
}
