//! Financial years, April to March, written `2015-16`.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A local-government financial year (1 April to 31 March), named by the calendar year it
/// starts in and written `2015-16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(u16);

/// A financial year that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearError {
    /// Not of the form `YYYY-YY`.
    #[error("`{0}` is not a financial year: expected the form 2015-16")]
    Format(String),
    /// The two digits after the dash are not the year after the first.
    #[error("`{0}` is not a financial year: the year after {1} ends in {2:02}")]
    NotConsecutive(String, u16, u16),
    /// Outside the years ngc handles.
    #[error("financial year starting {0} is out of range ({min} to {max})", min = FinancialYear::MIN.0, max = FinancialYear::MAX.0)]
    OutOfRange(u16),
}

impl FinancialYear {
    /// The earliest year ngc handles (1990-91).
    pub const MIN: FinancialYear = FinancialYear(1990);
    /// The latest year ngc handles (2199-00).
    pub const MAX: FinancialYear = FinancialYear(2199);

    /// The financial year starting in April of `year`.
    pub fn starting(year: u16) -> Result<FinancialYear, YearError> {
        if (Self::MIN.0..=Self::MAX.0).contains(&year) {
            Ok(FinancialYear(year))
        } else {
            Err(YearError::OutOfRange(year))
        }
    }

    /// The calendar year the financial year starts in.
    pub fn start_year(self) -> u16 {
        self.0
    }

    /// The following year, if within range.
    pub fn next(self) -> Option<FinancialYear> {
        self.plus(1)
    }

    /// The previous year, if within range.
    pub fn prev(self) -> Option<FinancialYear> {
        self.0.checked_sub(1).and_then(|y| Self::starting(y).ok())
    }

    /// The year `n` years later, if within range.
    pub fn plus(self, n: u16) -> Option<FinancialYear> {
        self.0.checked_add(n).and_then(|y| Self::starting(y).ok())
    }

    /// 1 April, the year's first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(i32::from(self.0), 4, 1).expect("1 April exists")
    }

    /// 31 March, the year's last day.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(i32::from(self.0) + 1, 3, 31).expect("31 March exists")
    }

    /// The number of days in the year: 366 when it holds a 29 February (2015-16), else 365.
    pub fn days(self) -> u32 {
        u32::try_from((self.last_day() - self.first_day()).num_days() + 1)
            .expect("a year has a positive number of days")
    }

    /// The financial year holding `day`.
    pub fn containing(day: NaiveDate) -> Result<FinancialYear, YearError> {
        use chrono::Datelike;
        let start = if day.month() >= 4 {
            day.year()
        } else {
            day.year() - 1
        };
        let start = u16::try_from(start).map_err(|_| YearError::OutOfRange(0))?;
        Self::starting(start)
    }

    /// `n` consecutive years from this one (fewer if the range ends).
    pub fn span(self, n: u16) -> Vec<FinancialYear> {
        (0..n).filter_map(|i| self.plus(i)).collect()
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl FromStr for FinancialYear {
    type Err = YearError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let format = || YearError::Format(s.to_owned());
        let (start, end) = s.split_once('-').ok_or_else(format)?;
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(start, 4) || !digits(end, 2) {
            return Err(format());
        }
        let start: u16 = start.parse().map_err(|_| format())?;
        let end: u16 = end.parse().map_err(|_| format())?;
        let expected = (start + 1) % 100;
        if end != expected {
            return Err(YearError::NotConsecutive(s.to_owned(), start, expected));
        }
        Self::starting(start)
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[test]
    fn a_year_runs_from_1_april_to_31_march_and_counts_its_days() {
        let y: FinancialYear = "2015-16".parse().unwrap();
        assert_eq!(y.first_day().to_string(), "2015-04-01");
        assert_eq!(y.last_day().to_string(), "2016-03-31");
        assert_eq!(y.days(), 366);
        assert_eq!("2016-17".parse::<FinancialYear>().unwrap().days(), 365);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(FinancialYear::containing(day("2016-03-31")).unwrap(), y);
        assert_eq!(FinancialYear::containing(day("2015-04-01")).unwrap(), y);
        assert_eq!(
            FinancialYear::containing(day("2016-04-01"))
                .unwrap()
                .to_string(),
            "2016-17"
        );
    }

    #[rstest]
    #[case::demo_year("2015-16", 2015)]
    #[case::turn_of_the_century("1999-00", 1999)]
    #[case::two_thousand("2000-01", 2000)]
    fn parses_consecutive_years(#[case] text: &str, #[case] start: u16) {
        let year: FinancialYear = text.parse().unwrap();
        assert_eq!(year.start_year(), start);
        assert_eq!(year.to_string(), text);
    }

    #[rstest]
    #[case::not_consecutive("2015-17")]
    #[case::same_year("2015-15")]
    #[case::wrong_century_wrap("1999-01")]
    fn rejects_years_whose_digits_do_not_follow(#[case] text: &str) {
        assert!(matches!(
            text.parse::<FinancialYear>(),
            Err(YearError::NotConsecutive(..))
        ));
    }

    #[rstest]
    #[case::full_second_year("2015-2016")]
    #[case::slash("2015/16")]
    #[case::short("15-16")]
    #[case::empty("")]
    #[case::letters("20x5-16")]
    #[case::sign("+2015-16")]
    fn rejects_other_forms(#[case] text: &str) {
        assert_eq!(
            text.parse::<FinancialYear>(),
            Err(YearError::Format(text.to_owned()))
        );
    }

    #[test]
    fn rejects_years_out_of_range() {
        assert_eq!(
            "1066-67".parse::<FinancialYear>(),
            Err(YearError::OutOfRange(1066))
        );
        assert_eq!(FinancialYear::MAX.next(), None);
        assert_eq!(FinancialYear::MIN.prev(), None);
    }

    #[test]
    fn serialises_as_the_written_form() {
        let year: FinancialYear = "2016-17".parse().unwrap();
        assert_eq!(serde_json::to_string(&year).unwrap(), r#""2016-17""#);
        assert_eq!(
            serde_json::from_str::<FinancialYear>(r#""2016-17""#).unwrap(),
            year
        );
    }

    #[test]
    fn a_span_counts_consecutive_years() {
        let years = FinancialYear::starting(2015).unwrap().span(5);
        let text: Vec<String> = years.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["2015-16", "2016-17", "2017-18", "2018-19", "2019-20"]
        );
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(start in 1990u16..=2199) {
            let year = FinancialYear::starting(start).unwrap();
            prop_assert_eq!(year.to_string().parse::<FinancialYear>(), Ok(year));
        }

        #[test]
        fn next_and_prev_are_inverse(start in 1991u16..2199) {
            let year = FinancialYear::starting(start).unwrap();
            prop_assert_eq!(year.next().and_then(FinancialYear::prev), Some(year));
            prop_assert!(year.prev().unwrap() < year && year < year.next().unwrap());
        }
    }
}
