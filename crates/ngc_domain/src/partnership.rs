//! Partnerships between organisations: combined authorities, shared services, alliances.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What binds the members of a partnership.
    pub enum PartnershipKind as "partnership kind" {
        /// Councils commissioning jointly under a combined authority.
        CombinedAuthority = "combined_authority", "Combined authority";
        /// Councils sharing back-office services and their costs (e.g. LGSS).
        SharedService = "shared_service", "Shared service";
        /// A looser alliance of councils (e.g. England's Economic Heartland).
        Alliance = "alliance", "Alliance";
    }
}

/// One organisation's membership of a partnership, from the day it joined to the day it left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

/// A membership whose dates break a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MembershipError {
    #[error("left_on: {left} is before joined_on {joined}")]
    LeftBeforeJoined { joined: NaiveDate, left: NaiveDate },
    #[error("joined_on: the organisation is already a member from {0}")]
    AlreadyMember(NaiveDate),
}

impl Membership {
    /// A membership open from `joined_on`, checking `left_on` does not come first.
    pub fn new(joined_on: NaiveDate, left_on: Option<NaiveDate>) -> Result<Self, MembershipError> {
        match left_on {
            Some(left) if left < joined_on => Err(MembershipError::LeftBeforeJoined {
                joined: joined_on,
                left,
            }),
            _ => Ok(Self { joined_on, left_on }),
        }
    }

    /// Whether the organisation is a member on `day` (it is a member on the day it leaves).
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.joined_on <= day && self.left_on.is_none_or(|left| day <= left)
    }

    /// Whether two memberships of the same organisation overlap in time.
    pub fn overlaps(&self, other: &Membership) -> bool {
        let ends_before =
            |a: &Membership, b: &Membership| a.left_on.is_some_and(|l| l < b.joined_on);
        !ends_before(self, other) && !ends_before(other, self)
    }
}

/// Checks a new membership against the organisation's earlier ones in the same partnership.
pub fn check_new_membership(
    existing: &[Membership],
    new: &Membership,
) -> Result<(), MembershipError> {
    match existing.iter().find(|m| m.overlaps(new)) {
        Some(m) => Err(MembershipError::AlreadyMember(m.joined_on)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_member_is_active_from_joining_to_leaving_inclusive() {
        let m = Membership::new(d("2010-10-01"), Some(d("2018-03-31"))).unwrap();
        assert!(!m.is_active_on(d("2010-09-30")));
        assert!(m.is_active_on(d("2010-10-01")));
        assert!(m.is_active_on(d("2018-03-31")));
        assert!(!m.is_active_on(d("2018-04-01")));
    }

    #[test]
    fn an_open_membership_never_ends() {
        let m = Membership::new(d("2016-04-01"), None).unwrap();
        assert!(m.is_active_on(d("2099-01-01")));
    }

    #[test]
    fn leaving_before_joining_is_refused() {
        let err = Membership::new(d("2016-04-01"), Some(d("2016-03-31"))).unwrap_err();
        assert!(err.to_string().starts_with("left_on:"), "{err}");
    }

    #[test]
    fn rejoining_after_leaving_is_allowed_but_overlap_is_not() {
        let first = Membership::new(d("2010-10-01"), Some(d("2014-03-31"))).unwrap();
        let rejoin = Membership::new(d("2015-04-01"), None).unwrap();
        let overlap = Membership::new(d("2013-04-01"), None).unwrap();
        assert_eq!(
            check_new_membership(std::slice::from_ref(&first), &rejoin),
            Ok(())
        );
        assert_eq!(
            check_new_membership(&[first], &overlap),
            Err(MembershipError::AlreadyMember(d("2010-10-01")))
        );
    }
}
