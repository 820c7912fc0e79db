//! Days of membership in a financial year: what a partner joining or leaving mid-year is
//! charged by.

use crate::finance::FinancialYear;
use crate::partnership::Membership;
use chrono::NaiveDate;

/// The days of `year` on which any of the memberships is active (joining and leaving days
/// included), no later than `until` when a service was left on that day.
pub fn days_in_year(
    memberships: &[Membership],
    until: Option<NaiveDate>,
    year: FinancialYear,
) -> u32 {
    let (first, mut last) = (year.first_day(), year.last_day());
    if let Some(until) = until {
        last = last.min(until);
    }
    memberships
        .iter()
        .map(|m| {
            let from = m.joined_on.max(first);
            let to = m.left_on.map_or(last, |l| l.min(last));
            if to < from {
                0
            } else {
                u32::try_from((to - from).num_days() + 1).expect("at most a year of days")
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(joined: &str, left: Option<&str>) -> Membership {
        Membership::new(d(joined), left.map(d)).unwrap()
    }

    #[test]
    fn a_partner_is_charged_for_the_days_it_was_a_member() {
        let y: FinancialYear = "2015-16".parse().unwrap();
        // A whole leap year.
        assert_eq!(days_in_year(&[m("2010-10-01", None)], None, y), 366);
        // Joined 1 October 2010: 182 days of 2010-11.
        let first: FinancialYear = "2010-11".parse().unwrap();
        assert_eq!(days_in_year(&[m("2010-10-01", None)], None, first), 182);
        // Left on 30 September 2015 (its last day), then rejoined on 1 January 2016.
        let history = [m("2010-10-01", Some("2015-09-30")), m("2016-01-01", None)];
        assert_eq!(days_in_year(&history, None, y), 183 + 91);
        // Repatriated a service, its last day 31 December 2015.
        assert_eq!(
            days_in_year(&[m("2010-10-01", None)], Some(d("2015-12-31")), y),
            275
        );
        // Not a member that year.
        assert_eq!(days_in_year(&[m("2016-04-01", None)], None, y), 0);
    }
}
