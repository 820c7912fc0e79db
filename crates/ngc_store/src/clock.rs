//! The one clock of a server: the system's, or a fixed date for demos, tests and benchmarks.
//!
//! The domain never reads a clock; the store and the web app take "now" and "today" from the
//! [`Clock`] their [`Store`](crate::Store) holds, so one setting (`NGC_TODAY`, or `today` in
//! the configuration) moves every date the server uses.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    fixed_date: Option<NaiveDate>,
}

impl Clock {
    /// The system clock.
    pub const fn system() -> Self {
        Self { fixed_date: None }
    }

    /// A clock whose date is always `date`; the time of day still moves with the system
    /// clock, so sessions and rate-limit windows behave as they would on that day.
    pub const fn on(date: NaiveDate) -> Self {
        Self {
            fixed_date: Some(date),
        }
    }

    /// The fixed date, when there is one.
    pub fn fixed_date(&self) -> Option<NaiveDate> {
        self.fixed_date
    }

    /// The current time as stored: UTC, whole microseconds (what both databases keep exactly).
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now().trunc_subsecs(6);
        match self.fixed_date {
            Some(date) => date.and_time(now.time()).and_utc(),
            None => now,
        }
    }

    /// Today's date (UTC).
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_keeps_its_date_and_moves_its_time() {
        let day = NaiveDate::from_ymd_opt(2015, 6, 1).unwrap();
        let clock = Clock::on(day);
        assert_eq!(clock.today(), day);
        assert_eq!(clock.now().date_naive(), day);
        assert_eq!(clock.fixed_date(), Some(day));
        assert!(clock.now() <= clock.now());
    }

    #[test]
    fn the_system_clock_is_whole_microseconds() {
        let now = Clock::system().now();
        assert_eq!(now.timestamp_subsec_nanos() % 1_000, 0);
        assert_eq!(Clock::system().fixed_date(), None);
    }
}
