//! What every workbook reader shares: opening a workbook with its errors reported against the
//! file, a cell as text, and a column's spreadsheet letter.

use crate::pack::{PackError, PackErrors, Problem};
use calamine::{Data, Reader, Sheets};
use std::borrow::Cow;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// The workbook at `file` (XLSX, XLSM, XLS, ODS); `None`, having reported why, when it cannot
/// be read.
pub(crate) fn open(file: &Path, errors: &mut PackErrors) -> Option<Sheets<BufReader<File>>> {
    match calamine::open_workbook_auto(file) {
        Ok(w) => Some(w),
        Err(e) => {
            errors.push(PackError {
                file: file.to_owned(),
                line: None,
                column: None,
                problem: match e {
                    calamine::Error::Io(e) => Problem::Read(e),
                    e => Problem::Invalid(format!("cannot read the workbook: {e}")),
                },
            });
            None
        }
    }
}

/// The name of the workbook's first sheet, if it has one.
pub(crate) fn first_sheet(workbook: &Sheets<BufReader<File>>) -> Option<String> {
    workbook.sheet_names().first().cloned()
}

/// A cell as text: numbers as their shortest exact decimal (so that `1234.5` stays so and a
/// third decimal place shows), dates as `2016-04-01`, text trimmed; booleans as `TRUE` or
/// `FALSE` and errors as written, to be refused.
pub(crate) fn cell_text(data: &Data) -> Cow<'_, str> {
    match data {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) => Cow::Borrowed(s.trim()),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(f.to_string()),
        Data::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, s, ms) = d.to_ymd_hms_milli();
            if (h, min, s, ms) == (0, 0, 0, 0) {
                Cow::Owned(format!("{y:04}-{m:02}-{day:02}"))
            } else {
                Cow::Owned(format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}"))
            }
        }
        Data::DateTime(d) => Cow::Owned(d.as_f64().to_string()),
        Data::DateTimeIso(s) => match s.strip_suffix("T00:00:00") {
            Some(date) => Cow::Borrowed(date),
            None => Cow::Borrowed(s.as_str()),
        },
        Data::DurationIso(s) => Cow::Borrowed(s.as_str()),
        Data::Error(e) => Cow::Owned(format!("#{e:?}")),
    }
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
pub(crate) fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::{cell_text, column_letter};
    use calamine::Data;

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn cells_read_as_the_text_a_reader_sees() {
        assert_eq!(cell_text(&Data::Float(1234.5)), "1234.5");
        assert_eq!(cell_text(&Data::Float(0.125)), "0.125");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::String("  HR ".into())), "HR");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2016-04-01T00:00:00".into())),
            "2016-04-01"
        );
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
