//! Working days over the UK's bank holidays (`data/uk-bank-holidays.csv`: every division's
//! bank holidays 2015-2027 with substitute days and one-off holidays; 2019 onwards from
//! GOV.UK's bank-holidays.json, earlier years computed from the Banking and Financial Dealings
//! Act 1971 Schedule 1 and the usual proclamations).

use super::table::{DataError, Table};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeMap;

crate::text_enum! {
    /// A division of the UK for bank holidays.
    pub enum Division as "division" {
        /// England and Wales.
        EnglandAndWales = "england-and-wales", "England and Wales";
        /// Scotland.
        Scotland = "scotland", "Scotland";
        /// Northern Ireland.
        NorthernIreland = "northern-ireland", "Northern Ireland";
    }
}

crate::text_enum! {
    /// Which days are not working days.
    pub enum WorkingDayRule as "working-day rule" {
        /// Weekends and the bank holidays of England and Wales (PCR 2015 reg 2(1)).
        EnglandAndWales = "england_and_wales", "Weekends and bank holidays in England and Wales";
        /// Weekends and a bank holiday in any part of the UK (PA2023 s123).
        AnyPartOfUk = "any_part_of_uk", "Weekends and bank holidays in any part of the UK";
    }
}

impl WorkingDayRule {
    /// The legal reference.
    pub fn reference(self) -> &'static str {
        match self {
            WorkingDayRule::EnglandAndWales => {
                "PCR 2015 reg 2(1): a working day is not a Saturday, Sunday or bank holiday in England and Wales"
            }
            WorkingDayRule::AnyPartOfUk => {
                "PA2023 s123: a working day is not a Saturday, Sunday or bank holiday in any part of the United Kingdom"
            }
        }
    }

    fn counts(self, division: Division) -> bool {
        match self {
            WorkingDayRule::EnglandAndWales => division == Division::EnglandAndWales,
            WorkingDayRule::AnyPartOfUk => true,
        }
    }
}

/// A date outside the years the bank-holiday data covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{date} is outside the bank holidays known to ngc ({first} to {last})")]
pub struct OutOfRange {
    /// The date asked about.
    pub date: NaiveDate,
    /// The first day covered.
    pub first: NaiveDate,
    /// The last day covered.
    pub last: NaiveDate,
}

/// The bank holidays of every division, for whole years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankHolidays {
    by_date: BTreeMap<NaiveDate, Vec<(Division, String)>>,
    first: NaiveDate,
    last: NaiveDate,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("data/uk-bank-holidays.csv");

impl BankHolidays {
    /// The bank holidays shipped with ngc (2015 to 2027).
    pub fn shipped() -> BankHolidays {
        BankHolidays::from_csv_str("uk-bank-holidays.csv", SHIPPED_CSV)
            .expect("the shipped bank holidays parse")
    }

    /// Reads bank holidays from CSV with the header `division,date,title,notes,source`. The
    /// data covers whole years, from the first year in it to the last, and every division must
    /// have holidays in each of them.
    pub fn from_csv_str(file: &str, text: &str) -> Result<BankHolidays, DataError> {
        let table = Table::parse(file, text, &["division", "date", "title", "source"])?;
        let mut by_date: BTreeMap<NaiveDate, Vec<(Division, String)>> = BTreeMap::new();
        let mut years: BTreeMap<(Division, i32), usize> = BTreeMap::new();
        let mut last_line = 1;
        for row in table.rows() {
            let division: Division = row.parse("division")?;
            let date = row.date("date")?;
            let title = row.text("title")?;
            row.text("source")?;
            let day = by_date.entry(date).or_default();
            if day.iter().any(|(d, _)| *d == division) {
                return Err(row.error("date", format!("{date} given twice for {division}")));
            }
            day.push((division, title));
            *years.entry((division, date.year())).or_default() += 1;
            last_line = row.line();
        }
        let error = |message: String| DataError {
            file: file.to_owned(),
            line: last_line,
            column: "date".into(),
            message,
        };
        let (Some(first), Some(last)) = (by_date.keys().next(), by_date.keys().next_back()) else {
            return Err(error("no bank holidays".into()));
        };
        let (first_year, last_year) = (first.year(), last.year());
        for year in first_year..=last_year {
            for division in Division::ALL {
                if !years.contains_key(&(*division, year)) {
                    return Err(error(format!("no bank holidays for {division} in {year}")));
                }
            }
        }
        Ok(BankHolidays {
            by_date,
            first: NaiveDate::from_ymd_opt(first_year, 1, 1).expect("1 January"),
            last: NaiveDate::from_ymd_opt(last_year, 12, 31).expect("31 December"),
        })
    }

    /// The first and last days covered.
    pub fn covers(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    fn check(&self, date: NaiveDate) -> Result<(), OutOfRange> {
        if date < self.first || date > self.last {
            return Err(OutOfRange {
                date,
                first: self.first,
                last: self.last,
            });
        }
        Ok(())
    }

    /// The bank holidays on `date` that count under `rule`, as `title (division)`.
    pub fn holidays_on(
        &self,
        date: NaiveDate,
        rule: WorkingDayRule,
    ) -> Result<Vec<String>, OutOfRange> {
        self.check(date)?;
        Ok(self
            .by_date
            .get(&date)
            .into_iter()
            .flatten()
            .filter(|(d, _)| rule.counts(*d))
            .map(|(d, t)| format!("{t} ({})", d.label()))
            .collect())
    }

    /// Whether `date` is a working day under `rule`.
    pub fn is_working_day(
        &self,
        date: NaiveDate,
        rule: WorkingDayRule,
    ) -> Result<bool, OutOfRange> {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        Ok(!weekend && self.holidays_on(date, rule)?.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    #[case::christmas_2025("2025-12-25", false, false)]
    #[case::new_year_2026("2026-01-01", false, false)]
    #[case::second_january_scotland("2026-01-02", true, false)]
    #[case::st_andrews_day_2026("2026-11-30", true, false)]
    #[case::st_patricks_day("2025-03-17", true, false)]
    #[case::battle_of_the_boyne("2025-07-14", true, false)]
    #[case::good_friday_2016("2016-03-25", false, false)]
    #[case::easter_monday_2016_not_scotland("2016-03-28", false, false)]
    #[case::summer_holiday_scotland_only("2025-08-04", true, false)]
    #[case::ordinary_tuesday("2025-06-03", true, true)]
    #[case::saturday("2025-06-07", false, false)]
    fn working_days_by_rule(
        #[case] date: &str,
        #[case] england_and_wales: bool,
        #[case] any_part: bool,
    ) {
        let h = BankHolidays::shipped();
        assert_eq!(
            h.is_working_day(day(date), WorkingDayRule::EnglandAndWales)
                .unwrap(),
            england_and_wales,
            "England and Wales"
        );
        assert_eq!(
            h.is_working_day(day(date), WorkingDayRule::AnyPartOfUk)
                .unwrap(),
            any_part,
            "any part"
        );
    }

    #[test]
    fn the_data_covers_2015_to_2027_and_nothing_beyond() {
        let h = BankHolidays::shipped();
        assert_eq!(h.covers(), (day("2015-01-01"), day("2027-12-31")));
        assert!(
            h.is_working_day(day("2028-01-04"), WorkingDayRule::AnyPartOfUk)
                .is_err()
        );
        assert!(
            h.is_working_day(day("2014-12-31"), WorkingDayRule::AnyPartOfUk)
                .is_err()
        );
    }

    #[test]
    fn a_missing_year_for_a_division_is_an_error() {
        let text = "division,date,title,notes,source\n\
                    england-and-wales,2015-01-01,New Year,,x\n\
                    scotland,2015-01-01,New Year,,x\n\
                    northern-ireland,2015-01-01,New Year,,x\n\
                    england-and-wales,2016-01-01,New Year,,x\n";
        let err = BankHolidays::from_csv_str("h.csv", text).unwrap_err();
        assert!(err.message.contains("scotland in 2016"), "{err}");
    }

    #[test]
    fn a_holiday_given_twice_is_named() {
        let text = "division,date,title,notes,source\n\
                    scotland,2015-01-01,New Year,,x\n\
                    scotland,2015-01-01,New Year,,x\n";
        let err = BankHolidays::from_csv_str("h.csv", text).unwrap_err();
        assert_eq!((err.line, err.column.as_str()), (3, "date"));
    }
}
