//! Standstill: the days after an award decision during which the contract may not be entered
//! into.
//!
//! - PCR 2015 reg 87: standstill ends at the end of the 10th day after the award decision is
//!   sent electronically; if that day is not a working day (England and Wales), at the end of
//!   the next working day.
//! - PA2023 s51: 8 working days beginning with the day the contract award notice is published;
//!   that day counts when it is a working day (s123: no weekend, no bank holiday in any part
//!   of the UK).

use super::regime::Regime;
use super::working_days::{BankHolidays, OutOfRange};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// The standstill of an award decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standstill {
    /// The regime.
    pub regime: Regime,
    /// The day the award decision was sent (PCR 2015) or the contract award notice published
    /// (PA2023).
    pub from: NaiveDate,
    /// The last day of standstill.
    pub ends_on: NaiveDate,
    /// The first day the contract may be entered into (the day after `ends_on`).
    pub earliest_contract_date: NaiveDate,
    /// The rule, in words with its reference.
    pub rule: &'static str,
}

/// Why a standstill could not be worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StandstillError {
    /// A day it passes through is outside the bank-holiday data.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
}

/// The rule of each regime, in words.
pub fn rule(regime: Regime) -> &'static str {
    match regime {
        Regime::Pcr2015 => {
            "PCR 2015 reg 87: standstill ends at the end of the 10th day after the award decision is sent electronically, or if that is not a working day (England and Wales) at the end of the next working day"
        }
        Regime::Pa2023 => {
            "PA2023 s51: 8 working days beginning with the day the contract award notice is published (s123: not a weekend or a bank holiday in any part of the UK)"
        }
    }
}

/// The standstill of a decision sent or published on `from` under `regime`.
pub fn standstill(
    regime: Regime,
    from: NaiveDate,
    holidays: &BankHolidays,
) -> Result<Standstill, StandstillError> {
    let working = regime.working_days();
    let next = |d: NaiveDate| {
        d.checked_add_days(Days::new(1)).ok_or(OutOfRange {
            date: d,
            first: holidays.covers().0,
            last: holidays.covers().1,
        })
    };
    // Reject a start outside the data even where the count would not look at it.
    holidays.is_working_day(from, working)?;
    let ends_on = match regime {
        Regime::Pcr2015 => {
            let mut day = from + Days::new(10);
            while !holidays.is_working_day(day, working)? {
                day = next(day)?;
            }
            day
        }
        Regime::Pa2023 => {
            let mut day = from;
            let mut counted = 0;
            loop {
                if holidays.is_working_day(day, working)? {
                    counted += 1;
                    if counted == 8 {
                        break day;
                    }
                }
                day = next(day)?;
            }
        }
    };
    Ok(Standstill {
        regime,
        from,
        ends_on,
        earliest_contract_date: next(ends_on)?,
        rule: rule(regime),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};
    use proptest::prelude::*;
    use rstest::rstest;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    // PCR: 1 Jun 2016 + 10 = Sat 11 Jun: the end moves to Mon 13 Jun.
    #[case::pcr_day_10_a_saturday(Regime::Pcr2015, "2016-06-01", "2016-06-13", "2016-06-14")]
    #[case::pcr_ordinary(Regime::Pcr2015, "2016-06-06", "2016-06-16", "2016-06-17")]
    // 16 Dec 2016 + 10 = Mon 26 Dec (Boxing Day), Tue 27 Dec (substitute Christmas Day): 28 Dec.
    #[case::pcr_christmas(Regime::Pcr2015, "2016-12-16", "2016-12-28", "2016-12-29")]
    // 22 Dec 2021 + 10 = Sat 1 Jan; Sun 2; Mon 3 Jan substitute New Year's Day: Tue 4 Jan.
    #[case::pcr_new_year(Regime::Pcr2015, "2021-12-22", "2022-01-04", "2022-01-05")]
    // 4 Apr 2021 is Easter Sunday; 25 Mar + 10 = Sun 4 Apr, Mon 5 Apr Easter Monday: Tue 6 Apr.
    #[case::pcr_easter(Regime::Pcr2015, "2021-03-25", "2021-04-06", "2021-04-07")]
    // 23 Dec 2025 + 10 = Fri 2 Jan 2026: a Scottish holiday, a working day for PCR.
    #[case::pcr_ignores_2_january(Regime::Pcr2015, "2025-12-23", "2026-01-02", "2026-01-03")]
    // 7 Mar 2016 + 10 = Thu 17 Mar: St Patrick's Day, a working day for PCR.
    #[case::pcr_ignores_st_patrick(Regime::Pcr2015, "2016-03-07", "2016-03-17", "2016-03-18")]
    // 2 Jul 2018 + 10 = Thu 12 Jul: the Twelfth, a working day for PCR.
    #[case::pcr_ignores_the_twelfth(Regime::Pcr2015, "2018-07-02", "2018-07-12", "2018-07-13")]
    // 20 Nov 2017 + 10 = Thu 30 Nov: St Andrew's Day, a working day for PCR.
    #[case::pcr_ignores_st_andrew(Regime::Pcr2015, "2017-11-20", "2017-11-30", "2017-12-01")]
    // PA2023: Mon 2 Jun 2025 counts: 2,3,4,5,6,9,10,11 June.
    #[case::act_plain(Regime::Pa2023, "2025-06-02", "2025-06-11", "2025-06-12")]
    // Published on a Saturday: the count starts on Monday.
    #[case::act_weekend_start(Regime::Pa2023, "2025-06-07", "2025-06-18", "2025-06-19")]
    // Mon 22 Dec 2025: 22, 23, 24, (25, 26 holidays), 29, 30, 31, (1, 2 Jan holidays: 2 Jan Scotland), 5, 6.
    #[case::act_christmas_and_2_january(Regime::Pa2023, "2025-12-22", "2026-01-06", "2026-01-07")]
    // Thu 10 Apr 2025: 10, 11, (Good Friday 18, Easter Monday 21), 14, 15, 16, 17, 22, 23.
    #[case::act_easter(Regime::Pa2023, "2025-04-10", "2025-04-23", "2025-04-24")]
    // Mon 10 Mar 2025: 10..14, (17 St Patrick's Day, NI), 18, 19, 20.
    #[case::act_st_patrick(Regime::Pa2023, "2025-03-10", "2025-03-20", "2025-03-21")]
    // Mon 7 Jul 2025: 7..11, (14 Jul substitute for the Twelfth, NI), 15, 16, 17.
    #[case::act_the_twelfth(Regime::Pa2023, "2025-07-07", "2025-07-17", "2025-07-18")]
    // Mon 3 Jul 2023: 3..7, 10, 11, (12 Jul the Twelfth, NI), 13.
    #[case::act_12_july(Regime::Pa2023, "2023-07-03", "2023-07-13", "2023-07-14")]
    // Under PCR: Sun 2 Jul + 10 = Wed 12 Jul, a working day in England and Wales.
    #[case::pcr_12_july(Regime::Pcr2015, "2023-07-02", "2023-07-12", "2023-07-13")]
    // Mon 23 Nov 2026: 23..27, (30 Nov St Andrew's Day, Scotland), 1, 2, 3 Dec.
    #[case::act_st_andrew(Regime::Pa2023, "2026-11-23", "2026-12-03", "2026-12-04")]
    fn standstill_by_example(
        #[case] regime: Regime,
        #[case] from: &str,
        #[case] ends_on: &str,
        #[case] earliest: &str,
    ) {
        let s = standstill(regime, day(from), &BankHolidays::shipped()).unwrap();
        assert_eq!(
            (s.ends_on, s.earliest_contract_date),
            (day(ends_on), day(earliest))
        );
    }

    #[test]
    fn the_same_dates_differ_between_the_regimes_only_by_the_holiday_rule() {
        // Counting 8 working days from Mon 23 Nov 2026 on England and Wales's days ends
        // on Wed 2 Dec; the Act's any-part rule adds St Andrew's Day.
        let h = BankHolidays::shipped();
        let mut day = day("2026-11-23");
        let mut counted = 0;
        while counted < 8 {
            if h.is_working_day(day, crate::procurement::WorkingDayRule::EnglandAndWales)
                .unwrap()
            {
                counted += 1;
            }
            if counted < 8 {
                day = day.succ_opt().unwrap();
            }
        }
        let act = standstill(Regime::Pa2023, "2026-11-23".parse().unwrap(), &h).unwrap();
        assert_eq!(day, "2026-12-02".parse::<NaiveDate>().unwrap());
        assert_eq!(act.ends_on, day.succ_opt().unwrap());
    }

    #[test]
    fn beyond_the_data_is_an_error_not_a_guess() {
        let h = BankHolidays::shipped();
        assert!(standstill(Regime::Pa2023, day("2027-12-28"), &h).is_err());
        assert!(standstill(Regime::Pcr2015, day("2014-12-20"), &h).is_err());
    }

    fn dates() -> impl Strategy<Value = NaiveDate> {
        // 2015-01-01 to 2027-11-30, leaving room for the count inside the data.
        (0u64..4716).prop_map(|n| day("2015-01-01") + Days::new(n))
    }

    fn regimes() -> impl Strategy<Value = Regime> {
        prop_oneof![Just(Regime::Pcr2015), Just(Regime::Pa2023)]
    }

    proptest! {
        #[test]
        fn standstill_never_ends_on_a_weekend_or_a_bank_holiday(regime in regimes(), from in dates()) {
            let h = BankHolidays::shipped();
            let s = standstill(regime, from, &h).unwrap();
            prop_assert!(!matches!(s.ends_on.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert!(h.holidays_on(s.ends_on, regime.working_days()).unwrap().is_empty());
            prop_assert!(s.earliest_contract_date > s.ends_on);
            prop_assert_eq!(s.earliest_contract_date, s.ends_on.succ_opt().unwrap());
        }

        #[test]
        fn standstill_is_at_least_its_minimum_length(regime in regimes(), from in dates()) {
            let s = standstill(regime, from, &BankHolidays::shipped()).unwrap();
            let days = (s.ends_on - s.from).num_days();
            match regime {
                // At least the 10th day after.
                Regime::Pcr2015 => prop_assert!(days >= 10),
                // 8 working days beginning with the day: at least 7 days after it.
                Regime::Pa2023 => prop_assert!(days >= 7),
            }
        }
    }
}
