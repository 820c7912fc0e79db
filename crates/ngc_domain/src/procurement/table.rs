//! Reading the shipped CSV tables (the procurement rules, and `contracts/data/`'s KPI duty and
//! viability rule): a header naming the columns (in any order), rows of fields, and errors
//! that name the file, line and column.

use crate::finance::referendum::split_csv_line;
use crate::money::Money;
use chrono::NaiveDate;
use std::fmt::Display;
use std::str::FromStr;

/// A data table that could not be read: which file, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}, column `{column}`: {message}")]
pub struct DataError {
    /// The file's name.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The column's name (empty for a whole line).
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// A parsed CSV table whose required columns are known to be present.
pub(crate) struct Table<'f> {
    file: &'f str,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// One row of a [`Table`].
pub(crate) struct Row<'a> {
    file: &'a str,
    header: &'a [String],
    line: usize,
    fields: &'a [String],
}

impl<'f> Table<'f> {
    /// Splits `text` into rows, checking that every column in `columns` is in the header and
    /// that every row has as many fields as the header. Blank lines are skipped.
    pub(crate) fn parse(file: &'f str, text: &str, columns: &[&str]) -> Result<Self, DataError> {
        let error = |line: usize, column: &str, message: String| DataError {
            file: file.to_owned(),
            line,
            column: column.to_owned(),
            message,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, header) = lines
            .next()
            .ok_or_else(|| error(1, "", "no header row".into()))?;
        let header: Vec<String> = split_csv_line(header)
            .map_err(|m| error(1, "", m))?
            .into_iter()
            .map(|h| h.trim().to_owned())
            .collect();
        if let Some(missing) = columns.iter().find(|c| !header.iter().any(|h| h == *c)) {
            return Err(error(1, missing, "missing column".into()));
        }
        let mut rows = Vec::new();
        for (i, raw) in lines {
            let fields = split_csv_line(raw).map_err(|m| error(i + 1, "", m))?;
            if fields.len() != header.len() {
                return Err(error(
                    i + 1,
                    "",
                    format!("{} fields, expected {}", fields.len(), header.len()),
                ));
            }
            rows.push((i + 1, fields));
        }
        Ok(Table { file, header, rows })
    }

    /// The rows, in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, fields)| Row {
            file: self.file,
            header: &self.header,
            line: *line,
            fields,
        })
    }

    /// An error about the file as a whole (a rule it lacks), reported at the header.
    pub(crate) fn error(&self, column: &str, message: impl Into<String>) -> DataError {
        DataError {
            file: self.file.to_owned(),
            line: 1,
            column: column.to_owned(),
            message: message.into(),
        }
    }
}

impl Row<'_> {
    /// The 1-based line of the row.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// The trimmed text of a column checked by [`Table::parse`].
    pub(crate) fn get(&self, column: &str) -> &str {
        let i = self
            .header
            .iter()
            .position(|h| h == column)
            .expect("columns are checked when the table is parsed");
        self.fields[i].trim()
    }

    /// An error at this row and column.
    pub(crate) fn error(&self, column: &str, message: impl Into<String>) -> DataError {
        DataError {
            file: self.file.to_owned(),
            line: self.line,
            column: column.to_owned(),
            message: message.into(),
        }
    }

    /// A column parsed with `FromStr`.
    pub(crate) fn parse<T: FromStr>(&self, column: &str) -> Result<T, DataError>
    where
        T::Err: Display,
    {
        let text = self.get(column);
        text.parse()
            .map_err(|e| self.error(column, format!("`{text}`: {e}")))
    }

    /// A `YYYY-MM-DD` date.
    pub(crate) fn date(&self, column: &str) -> Result<NaiveDate, DataError> {
        let text = self.get(column);
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| self.error(column, format!("`{text}` is not a date (YYYY-MM-DD)")))
    }

    /// A non-negative amount of money.
    pub(crate) fn money(&self, column: &str) -> Result<Money, DataError> {
        let amount: Money = self.parse(column)?;
        if amount < Money::ZERO {
            return Err(self.error(column, "an amount may not be negative"));
        }
        Ok(amount)
    }

    /// `true` or `false`.
    pub(crate) fn flag(&self, column: &str) -> Result<bool, DataError> {
        match self.get(column) {
            "true" => Ok(true),
            "false" => Ok(false),
            s => Err(self.error(column, format!("`{s}`: expected true or false"))),
        }
    }

    /// A column that must not be empty.
    pub(crate) fn text(&self, column: &str) -> Result<String, DataError> {
        match self.get(column) {
            "" => Err(self.error(column, "empty")),
            s => Ok(s.to_owned()),
        }
    }

    /// The `confirmed` flag and the `source`; an unconfirmed row's source must begin
    /// `UNCONFIRMED:`.
    pub(crate) fn provenance(&self) -> Result<(bool, String), DataError> {
        let confirmed = self.flag("confirmed")?;
        let source = self.text("source")?;
        if !confirmed && !source.starts_with("UNCONFIRMED:") {
            return Err(self.error(
                "source",
                "an unconfirmed row's source must begin `UNCONFIRMED:`",
            ));
        }
        Ok((confirmed, source))
    }
}

/// Checks that rows keyed by a start date are in strictly increasing order.
pub(crate) fn check_increasing(
    previous: Option<NaiveDate>,
    row: &Row<'_>,
    column: &str,
    date: NaiveDate,
) -> Result<(), DataError> {
    match previous {
        Some(p) if p >= date => Err(row.error(
            column,
            format!("{date} does not come after the previous row's {p}"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_column_is_named() {
        let err = Table::parse("t.csv", "rule,value\n", &["rule", "source"])
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "t.csv, line 1, column `source`: missing column"
        );
    }

    #[test]
    fn a_short_row_is_refused_at_its_line() {
        let err = Table::parse("t.csv", "rule,value\n\na,1\nb\n", &["rule"])
            .err()
            .unwrap();
        assert_eq!(err.line, 4);
        assert_eq!(err.message, "1 fields, expected 2");
    }

    #[test]
    fn an_unconfirmed_row_must_say_so_in_its_source() {
        let text = "rule,confirmed,source\na,false,\"a guess\"\n";
        let rows = Table::parse("t.csv", text, &["rule", "confirmed", "source"]).unwrap();
        let err = rows.rows().next().unwrap().provenance().unwrap_err();
        assert_eq!(err.column, "source");
        let text = "rule,confirmed,source\na,false,\"UNCONFIRMED: a guess\"\n";
        let rows = Table::parse("t.csv", text, &["rule", "confirmed", "source"]).unwrap();
        assert_eq!(
            rows.rows().next().unwrap().provenance().unwrap(),
            (false, "UNCONFIRMED: a guess".to_owned())
        );
    }
}
