//! Provider returns: which KPI returns a contract is owed by today, and whether each came in
//! on time, late, or not at all.

use super::Kpi;
use crate::contracts::period::Period;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Where a return stands on a day.
    pub enum ReturnState as "return state" {
        /// Submitted on or before its due day.
        Received = "received", "Received";
        /// Submitted after its due day.
        Late = "late", "Late";
        /// Not submitted, and its due day has passed.
        Missing = "missing", "Missing";
        /// Not submitted, and its due day has not passed.
        NotYetDue = "not_yet_due", "Not yet due";
    }
}

/// A return the provider made: the KPI, the period it reports and the day it came in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// The KPI's code.
    pub kpi: String,
    /// The period reported.
    pub period: Period,
    /// The day it was submitted.
    pub submitted_on: NaiveDate,
}

/// One return owed: for a KPI and a period, when it falls due and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnDue {
    /// The KPI's code.
    pub kpi: String,
    /// The period the return reports.
    pub period: Period,
    /// The last day to submit it on time.
    pub due_on: NaiveDate,
    /// The day it was submitted (the first submission, if there were several).
    pub submitted_on: Option<NaiveDate>,
    /// Where it stands today.
    pub state: ReturnState,
}

/// The returns a contract running from `start` to `end` (open-ended if `None`) is owed on
/// `today`, in order of the periods' first days and, for periods starting on the same day, in
/// the order of `kpis`.
///
/// Nothing before the contract starts; from then, one return per KPI for every period of the
/// KPI's frequency that overlaps the contract and has begun by `today`; periods are whole financial-year periods ([`Period::covering`]), so a
/// contract starting mid-month owes a return for that month. Each falls due `grace_days` after
/// its period ends. A return submitted more than once counts from its first submission (a
/// correction does not make it late); submissions for other KPIs or periods are ignored.
pub fn returns_status(
    kpis: &[Kpi],
    start: NaiveDate,
    end: Option<NaiveDate>,
    received: &[Submission],
    grace_days: u32,
    today: NaiveDate,
) -> Vec<ReturnDue> {
    let last = end.map_or(today, |e| e.min(today));
    let mut owed: Vec<(usize, ReturnDue)> = Vec::new();
    for (order, kpi) in kpis.iter().enumerate() {
        for period in Period::covering(kpi.frequency, start, last) {
            let due_on = period.due(grace_days);
            let submitted_on = received
                .iter()
                .filter(|s| s.kpi == kpi.code && s.period == period)
                .map(|s| s.submitted_on)
                .min();
            let state = match submitted_on {
                Some(day) if day <= due_on => ReturnState::Received,
                Some(_) => ReturnState::Late,
                None if today > due_on => ReturnState::Missing,
                None => ReturnState::NotYetDue,
            };
            owed.push((
                order,
                ReturnDue {
                    kpi: kpi.code.clone(),
                    period,
                    due_on,
                    submitted_on,
                    state,
                },
            ));
        }
    }
    owed.sort_by_key(|(order, r)| (r.period.start, *order));
    owed.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::super::Direction;
    use super::super::tests::kpi;
    use super::*;
    use crate::contracts::period::Frequency;
    use proptest::prelude::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn monthly() -> Kpi {
        kpi(Direction::HigherIsBetter, "95", "5")
    }

    fn month(day: &str) -> Period {
        Period::containing(Frequency::Monthly, d(day))
    }

    fn sent(period: Period, on: &str) -> Submission {
        Submission {
            kpi: "KPI1".into(),
            period,
            submitted_on: d(on),
        }
    }

    #[rstest]
    #[case::on_the_due_day(Some("2016-05-15"), "2016-06-30", ReturnState::Received)]
    #[case::early(Some("2016-05-02"), "2016-06-30", ReturnState::Received)]
    #[case::a_day_late(Some("2016-05-16"), "2016-06-30", ReturnState::Late)]
    #[case::none_on_the_due_day(None, "2016-05-15", ReturnState::NotYetDue)]
    #[case::none_the_day_after(None, "2016-05-16", ReturnState::Missing)]
    fn april_2016s_return_is_due_fifteen_days_after_the_month(
        #[case] submitted: Option<&str>,
        #[case] today: &str,
        #[case] want: ReturnState,
    ) {
        let april = month("2016-04-01");
        let received: Vec<_> = submitted.map(|s| sent(april, s)).into_iter().collect();
        let owed = returns_status(
            &[monthly()],
            d("2016-04-01"),
            Some(d("2016-04-30")),
            &received,
            15,
            d(today),
        );
        assert_eq!(owed.len(), 1);
        assert_eq!(owed[0].due_on, d("2016-05-15"));
        assert_eq!(owed[0].state, want);
    }

    #[test]
    fn a_contract_owes_a_return_per_kpi_per_begun_period_in_period_order() {
        let mut quarterly = kpi(Direction::LowerIsBetter, "10", "1");
        quarterly.code = "KPI2".into();
        quarterly.frequency = Frequency::Quarterly;
        let received = vec![
            sent(month("2016-05-01"), "2016-06-20"),
            sent(month("2016-05-01"), "2016-06-01"),
        ];
        let owed = returns_status(
            &[monthly(), quarterly],
            d("2016-05-10"),
            None,
            &received,
            15,
            d("2016-07-20"),
        );
        let got: Vec<_> = owed
            .iter()
            .map(|r| (r.kpi.as_str(), r.period.label(Frequency::Monthly), r.state))
            .collect();
        assert_eq!(
            got,
            [
                ("KPI2", "2016-04".to_owned(), ReturnState::Missing),
                ("KPI1", "2016-05".to_owned(), ReturnState::Received),
                ("KPI1", "2016-06".to_owned(), ReturnState::Missing),
                ("KPI1", "2016-07".to_owned(), ReturnState::NotYetDue),
                ("KPI2", "2016-07".to_owned(), ReturnState::NotYetDue),
            ]
        );
        assert_eq!(
            owed[1].submitted_on,
            Some(d("2016-06-01")),
            "the first submission counts"
        );
    }

    #[test]
    fn nothing_is_owed_before_the_contract_starts_or_after_it_ends() {
        let none = returns_status(
            &[monthly()],
            d("2016-04-01"),
            None,
            &[],
            15,
            d("2016-03-31"),
        );
        assert!(none.is_empty());
        let owed = returns_status(
            &[monthly()],
            d("2016-04-01"),
            Some(d("2016-06-30")),
            &[],
            15,
            d("2017-01-01"),
        );
        assert_eq!(owed.len(), 3);
        assert!(owed.iter().all(|r| r.state == ReturnState::Missing));
    }

    proptest! {
        #[test]
        fn every_owed_return_has_begun_and_its_state_matches_its_dates(
            start in 0i64..800, length in 0i64..800, today in 0i64..1600, grace in 0u32..40,
            sent_after in proptest::collection::vec(0i64..60, 0..30),
        ) {
            let base = d("2015-04-01");
            let start = base + chrono::Days::new(start as u64);
            let end = start + chrono::Days::new(length as u64);
            let today = base + chrono::Days::new(today as u64);
            let periods = Period::covering(Frequency::Monthly, start, end);
            let received: Vec<_> = periods.iter().zip(&sent_after)
                .map(|(p, &after)| Submission { kpi: "KPI1".into(), period: *p, submitted_on: p.end + chrono::Days::new(after as u64) })
                .collect();
            let owed = returns_status(&[monthly()], start, Some(end), &received, grace, today);
            let begun = periods.iter().filter(|p| p.start <= today).count();
            prop_assert_eq!(owed.len(), if today < start { 0 } else { begun });
            for r in &owed {
                prop_assert!(r.period.start <= today);
                let want = match r.submitted_on {
                    Some(s) if s <= r.due_on => ReturnState::Received,
                    Some(_) => ReturnState::Late,
                    None if today > r.due_on => ReturnState::Missing,
                    None => ReturnState::NotYetDue,
                };
                prop_assert_eq!(r.state, want);
            }
        }
    }
}
