//! Reporting periods: months, quarters and years of the financial year (April to March), the
//! periods a contract reports and is paid in, and the day each period's return falls due.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// How often something is reported or paid.
    pub enum Frequency as "frequency" {
        /// Every calendar month.
        Monthly = "monthly", "Monthly";
        /// Every quarter of the financial year (April–June, July–September, …).
        Quarterly = "quarterly", "Quarterly";
        /// Every financial year (April–March).
        Annually = "annually", "Annually";
    }
}

impl Frequency {
    /// The length of one period in months.
    pub fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::Annually => 12,
        }
    }
}

/// A reporting period: the first and last day, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

impl Period {
    /// The period of `frequency` that contains `day`, aligned to the financial year (April).
    pub fn containing(frequency: Frequency, day: NaiveDate) -> Period {
        let months_since_april = (day.month() + 12 - 4) % 12;
        let offset = months_since_april % frequency.months();
        let month_start = day.with_day(1).expect("the first of a month exists");
        let start = month_start - Months::new(offset);
        let end = start + Months::new(frequency.months()) - chrono::Days::new(1);
        Period { start, end }
    }

    /// The periods of `frequency` that overlap `from..=to`, in order.
    pub fn covering(frequency: Frequency, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
        let mut out = Vec::new();
        if to < from {
            return out;
        }
        let mut p = Period::containing(frequency, from);
        while p.start <= to {
            out.push(p);
            p = p.next(frequency);
        }
        out
    }

    /// The period after this one.
    pub fn next(self, frequency: Frequency) -> Period {
        Period::containing(frequency, self.end + chrono::Days::new(1))
    }

    /// Whether `day` falls in the period.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// The number of days in the period.
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The day a return for the period falls due: `grace_days` after its last day.
    pub fn due(self, grace_days: u32) -> NaiveDate {
        self.end + chrono::Days::new(u64::from(grace_days))
    }

    /// The period's name, as `2016-04` (a month), `2016-17 Q1` (a quarter) or `2016-17` (a year).
    pub fn label(self, frequency: Frequency) -> String {
        let fy = if self.start.month() >= 4 {
            self.start.year()
        } else {
            self.start.year() - 1
        };
        let year = format!("{fy}-{:02}", (fy + 1) % 100);
        match frequency {
            Frequency::Monthly => format!("{}-{:02}", self.start.year(), self.start.month()),
            Frequency::Quarterly => {
                let q = (self.start.month() + 12 - 4) % 12 / 3 + 1;
                format!("{year} Q{q}")
            }
            Frequency::Annually => year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    #[case::a_month(
        Frequency::Monthly,
        "2016-02-10",
        "2016-02-01",
        "2016-02-29",
        "2016-02"
    )]
    #[case::the_first_quarter(
        Frequency::Quarterly,
        "2016-05-31",
        "2016-04-01",
        "2016-06-30",
        "2016-17 Q1"
    )]
    #[case::the_last_quarter_crosses_new_year(
        Frequency::Quarterly,
        "2017-01-01",
        "2017-01-01",
        "2017-03-31",
        "2016-17 Q4"
    )]
    #[case::a_financial_year(
        Frequency::Annually,
        "2017-03-31",
        "2016-04-01",
        "2017-03-31",
        "2016-17"
    )]
    fn periods_align_to_the_financial_year(
        #[case] f: Frequency,
        #[case] day: &str,
        #[case] start: &str,
        #[case] end: &str,
        #[case] label: &str,
    ) {
        let p = Period::containing(f, d(day));
        assert_eq!((p.start, p.end), (d(start), d(end)));
        assert_eq!(p.label(f), label);
        assert!(p.contains(d(day)));
    }

    #[test]
    fn covering_lists_each_overlapping_period_once_in_order() {
        let ps = Period::covering(Frequency::Quarterly, d("2016-05-15"), d("2017-04-01"));
        let labels: Vec<_> = ps.iter().map(|p| p.label(Frequency::Quarterly)).collect();
        assert_eq!(
            labels,
            [
                "2016-17 Q1",
                "2016-17 Q2",
                "2016-17 Q3",
                "2016-17 Q4",
                "2017-18 Q1"
            ]
        );
        assert_eq!(ps.iter().map(|p| p.days()).sum::<i64>(), 365 + 91);
    }

    #[test]
    fn a_return_falls_due_its_grace_days_after_the_period_ends() {
        let p = Period::containing(Frequency::Monthly, d("2016-03-03"));
        assert_eq!(p.due(15), d("2016-04-15"));
    }
}
