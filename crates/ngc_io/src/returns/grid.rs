//! A worksheet read as a table: the header row found by its `E-code` cell, a text
//! description of every column (its own header, the group headings above it and the
//! sub-heading below it), the authority rows, cell references and numbers from cells.

use super::ReturnsError;
use super::record::Identity;
use crate::workbook::{cell_text, column_letter};
use calamine::{Data, Range};
use ngc_domain::finance::year::FinancialYear;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

/// How many rows from the top the header row may be.
const HEADER_SEARCH_ROWS: usize = 30;
/// How many rows above the header row count as group headings.
const GROUP_ROWS: usize = 4;

/// Text for matching: lower case, apostrophes dropped, any other run of non-alphanumeric
/// characters one space (`Children's Social Care` → `childrens social care`).
pub(super) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, '\'' | '’' | '‘') {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// The first financial year written `2015-16` in `text`.
pub(super) fn year_in(text: &str) -> Option<FinancialYear> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(6)).find_map(|i| {
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes.get(i + 7).is_none_or(|b| !b.is_ascii_digit());
        if before_ok && after_ok {
            text.get(i..i + 7)?.parse().ok()
        } else {
            None
        }
    })
}

/// Whether `text` is a DLUHC authority code (`E2820`).
pub(super) fn is_ecode(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5 && b[0] == b'E' && b[1..].iter().all(u8::is_ascii_digit)
}

/// One column of a table, described by its headings (all normalised).
#[derive(Debug, Clone, Default)]
pub(super) struct Column {
    /// Its own header cell, or the nearest non-blank one to its left (pairs of year columns
    /// share one header).
    pub own: String,
    /// Group headings above the header row, nearest first, each carried rightwards.
    pub groups: Vec<String>,
    /// The sub-heading below the header row, as written (e.g. `2015-16`); empty if none.
    pub sub: String,
}

impl Column {
    /// The financial year named in the sub-heading.
    pub fn sub_year(&self) -> Option<FinancialYear> {
        year_in(&self.sub)
    }
}

/// A worksheet with a header row whose first cells hold `E-code`.
pub(super) struct Table<'a> {
    pub file: &'a Path,
    pub sheet: &'a str,
    range: &'a Range<Data>,
    /// The text of the rows above the header row, as written (for recognition).
    pub title: String,
    /// The columns, indexed like the rows.
    pub columns: Vec<Column>,
    /// Index of the code column and the header row (within the range).
    code_col: usize,
    header_row: usize,
    /// First row after the header (and its sub-heading row, if any).
    first_row: usize,
}

impl<'a> Table<'a> {
    /// The table of a sheet, if it has an `E-code` header row near the top.
    pub fn find(file: &'a Path, sheet: &'a str, range: &'a Range<Data>) -> Option<Table<'a>> {
        let rows: Vec<&[Data]> = range.rows().take(HEADER_SEARCH_ROWS).collect();
        let (header_row, code_col) = rows.iter().enumerate().find_map(|(i, row)| {
            let col = row.iter().take(3).position(|c| {
                let n = normalise(&cell_text(c));
                n == "e code" || n == "ecode"
            })?;
            Some((i, col))
        })?;
        let width = range.width();
        let header = rows[header_row];
        let mut columns = vec![Column::default(); width];
        let mut carried = String::new();
        for (j, column) in columns.iter_mut().enumerate() {
            let text = normalise(&cell_text(&header[j]));
            if !text.is_empty() {
                carried = text;
            }
            column.own.clone_from(&carried);
        }
        for above in (header_row.saturating_sub(GROUP_ROWS)..header_row).rev() {
            let mut carried = String::new();
            for (j, column) in columns.iter_mut().enumerate() {
                let text = normalise(&cell_text(&rows[above][j]));
                if !text.is_empty() {
                    carried = text;
                }
                if !carried.is_empty() {
                    column.groups.push(carried.clone());
                }
            }
        }
        let mut first_row = header_row + 1;
        if let Some(next) = range.rows().nth(header_row + 1)
            && !is_ecode(&cell_text(&next[code_col]))
        {
            for (column, cell) in columns.iter_mut().zip(next) {
                column.sub = cell_text(cell).into_owned();
            }
            first_row += 1;
        }
        let title: String = rows[..header_row]
            .iter()
            .flat_map(|row| row.iter().map(cell_text))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Some(Table {
            file,
            sheet,
            range,
            title,
            columns,
            code_col,
            header_row,
            first_row,
        })
    }

    /// The normalised title text (the rows above the header).
    pub fn title_words(&self) -> String {
        normalise(&self.title)
    }

    /// The index of the first column whose own header satisfies `pred`.
    pub fn column(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.columns.iter().position(|c| pred(&c.own))
    }

    /// The index of the first column after the code column whose own header is one of
    /// `names` (normalised).
    pub fn named(&self, names: &[&str]) -> Option<usize> {
        self.columns
            .iter()
            .enumerate()
            .skip(self.code_col + 1)
            .find(|(j, c)| {
                names.contains(&c.own.as_str()) && !c.own.is_empty() && self.header_cell_is_own(*j)
            })
            .map(|(j, _)| j)
    }

    fn header_cell_is_own(&self, col: usize) -> bool {
        self.range
            .rows()
            .nth(self.header_row)
            .and_then(|row| row.get(col))
            .is_some_and(|c| !cell_text(c).is_empty())
    }

    /// A cell reference like `F7` for a row and column of the range.
    pub fn cell_ref(&self, row: usize, col: usize) -> String {
        let (r0, c0) = self.range.start().unwrap_or((0, 0));
        format!(
            "{}{}",
            column_letter(c0 + col as u32),
            r0 as usize + row + 1
        )
    }

    /// An error for a cell.
    pub fn cell_error(&self, row: usize, col: usize, message: String) -> ReturnsError {
        ReturnsError::Cell {
            file: self.file.to_path_buf(),
            sheet: self.sheet.to_owned(),
            cell: self.cell_ref(row, col),
            message,
        }
    }

    /// The authority rows: (row index, the row), those whose code cell is an E-code. Other
    /// rows (totals, class summaries, notes, blanks) are skipped.
    pub fn authority_rows(&self) -> impl Iterator<Item = (usize, &'a [Data])> + '_ {
        let code_col = self.code_col;
        self.range
            .rows()
            .enumerate()
            .skip(self.first_row)
            .filter(move |(_, row)| is_ecode(&cell_text(&row[code_col])))
    }

    /// The identity on an authority row: code, and name/class/ONS code where the table has
    /// those columns.
    pub fn identity(&self, row: &[Data], cols: &IdentityColumns) -> Identity {
        let text = |c: Option<usize>| {
            c.map(|c| cell_text(&row[c]).into_owned())
                .filter(|t| !t.is_empty() && t != "-")
        };
        Identity {
            code: cell_text(&row[self.code_col]).into_owned(),
            name: text(cols.name),
            class_code: text(cols.class),
            ons_code: text(cols.ons),
        }
    }

    /// The columns holding the name, class and ONS code.
    pub fn identity_columns(&self) -> IdentityColumns {
        IdentityColumns {
            name: self.named(&["local authority", "authority", "la name", "name"]),
            class: self.named(&["class"]),
            ons: self.named(&["ons code", "ons"]),
        }
    }

    /// The number in a cell, `None` when blank or a missing-value marker; an error naming
    /// the cell otherwise.
    pub fn number(
        &self,
        row_index: usize,
        row: &[Data],
        col: usize,
    ) -> Result<Option<Decimal>, ReturnsError> {
        number(&row[col]).map_err(|m| self.cell_error(row_index, col, m))
    }
}

/// Where the identity columns of a table are.
#[derive(Debug, Clone, Copy)]
pub(super) struct IdentityColumns {
    name: Option<usize>,
    class: Option<usize>,
    ons: Option<usize>,
}

/// Markers official statistics use for a figure that is not available (beyond blanks).
const MISSING_MARKERS: &[&str] = &["..", "...", "…", ".", "-", "–", "—", "x", "X", ":", "*"];

/// The number in a cell: `None` for a blank or a missing-value marker (`..`, `-`, `x`, …);
/// an error message for anything else that is not a number.
pub(super) fn number(cell: &Data) -> Result<Option<Decimal>, String> {
    match cell {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some(Decimal::from(*i))),
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(format!("{f} is not a number"));
            }
            // The shortest decimal that reads back as the same float: what the file says.
            Decimal::from_str(&f.to_string())
                .map(Some)
                .map_err(|_| format!("{f} is out of range"))
        }
        Data::String(s) => {
            let t = s.trim();
            if t.is_empty() || MISSING_MARKERS.contains(&t) {
                return Ok(None);
            }
            let plain: String = t.chars().filter(|c| !matches!(c, ',' | '£')).collect();
            Decimal::from_str(plain.trim())
                .or_else(|_| Decimal::from_scientific(plain.trim()))
                .map(Some)
                .map_err(|_| format!("{t:?} is not a number"))
        }
        Data::Bool(b) => Err(format!(
            "{} is not a number",
            if *b { "TRUE" } else { "FALSE" }
        )),
        Data::Error(e) => Err(format!("the error value {e} is not a number")),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err(format!("the date {cell} is not a number"))
        }
    }
}

/// A reserves balance date in a heading: `1 April [YYYY]` (start of the year) or
/// `31 March [YYYY]` (end of the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BalanceDate {
    /// 1 April, with the calendar year if written.
    Start(Option<u16>),
    /// 31 March, with the calendar year if written.
    End(Option<u16>),
}

impl BalanceDate {
    /// The date written in normalised `text`, if any.
    pub fn find(text: &str) -> Option<BalanceDate> {
        let words: Vec<&str> = text.split(' ').collect();
        words.windows(2).enumerate().find_map(|(i, w)| {
            let year = words
                .get(i + 2)
                .filter(|y| y.len() == 4)
                .and_then(|y| y.parse::<u16>().ok());
            match w {
                ["1", "april"] => Some(BalanceDate::Start(year)),
                ["31", "march"] => Some(BalanceDate::End(year)),
                _ => None,
            }
        })
    }

    /// The financial year the balance opens or closes, given the return's own year for
    /// dates written without a year.
    pub fn year(self, default: FinancialYear) -> Option<FinancialYear> {
        match self {
            BalanceDate::Start(None) | BalanceDate::End(None) => Some(default),
            BalanceDate::Start(Some(y)) => FinancialYear::starting(y).ok(),
            BalanceDate::End(Some(y)) => FinancialYear::starting(y.checked_sub(1)?).ok(),
        }
    }

    /// Whether this is an opening balance.
    pub fn is_start(self) -> bool {
        matches!(self, BalanceDate::Start(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_headings() {
        assert_eq!(normalise("Children's Social Care"), "childrens social care");
        assert_eq!(normalise("E-code"), "e code");
        assert_eq!(
            normalise("NET REVENUE EXPENDITURE (TOTAL OF LINES 795 TO 798)"),
            "net revenue expenditure total of lines 795 to 798"
        );
    }

    #[test]
    fn finds_years_and_dates() {
        assert_eq!(
            year_in("RS LA Data 2015-16 (1)").map(|y| y.start_year()),
            Some(2015)
        );
        assert_eq!(year_in("E10000021"), None);
        assert_eq!(year_in("20150-16"), None);
        assert_eq!(
            BalanceDate::find(&normalise("Financial reserves levels at 31 March 2015")),
            Some(BalanceDate::End(Some(2015)))
        );
        assert_eq!(
            BalanceDate::find(&normalise("Estimated schools reserves level at 1 April")),
            Some(BalanceDate::Start(None))
        );
        let y = FinancialYear::starting(2014).unwrap();
        assert_eq!(BalanceDate::End(Some(2015)).year(y), Some(y));
    }

    #[test]
    fn reads_numbers_and_markers() {
        assert_eq!(
            number(&Data::Float(446465.36165000004)).unwrap(),
            Some("446465.36165000004".parse().unwrap())
        );
        assert_eq!(
            number(&Data::String(" 1,234 ".into())).unwrap(),
            Some(Decimal::from(1234))
        );
        for marker in ["", "..", "-", "x", " x "] {
            assert_eq!(
                number(&Data::String(marker.into())).unwrap(),
                None,
                "{marker:?}"
            );
        }
        assert_eq!(
            number(&Data::String("n/a".into())).unwrap_err(),
            "\"n/a\" is not a number"
        );
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(97), "CT");
    }
}
