//! A tender's lasting facts and the stage it is in: draft, open for bids, in evaluation,
//! terminated. The stage follows from the stored status, the submission deadline and the
//! server's clock (an argument): nothing is scheduled.

use chrono::{DateTime, Utc};
use serde::Serialize;

crate::text_enum! {
    /// The classification scheme of a tender's subject.
    pub enum ClassificationScheme as "classification scheme" {
        /// The Common Procurement Vocabulary (CPV 2008).
        Cpv = "cpv", "CPV 2008";
        /// ProClass, the local-government procurement classification.
        Proclass = "proclass", "ProClass";
    }
}

crate::text_enum! {
    /// To whom a competition is reserved.
    pub enum Reservation as "reservation" {
        /// Open to every supplier.
        None = "none", "Not reserved";
        /// Reserved for public service mutuals (PCR 2015 reg 77; PA2023 s33).
        Mutual = "mutual", "Reserved for public service mutuals";
        /// A below-threshold competition reserved for suppliers in the UK or the locality
        /// (PA2023 s86 as amended, from 4 February 2026).
        Local = "local", "Reserved for UK or local suppliers";
        /// A below-threshold competition reserved for SMEs and VCSEs (from 4 February 2026).
        SmeVcse = "sme_vcse", "Reserved for SMEs and VCSEs";
    }
}

crate::text_enum! {
    /// The stored status of a tender; the stages in between follow from the dates.
    pub enum TenderStatus as "tender status" {
        /// Being prepared by the buyer; seen by the buyer's staff only.
        Draft = "draft", "Draft";
        /// The tender notice is out.
        Published = "published", "Published";
        /// The procurement was terminated (with its notice).
        Terminated = "terminated", "Terminated";
    }
}

crate::text_enum! {
    /// Where a tender stands on a given instant.
    pub enum Stage as "tender stage" {
        /// Not yet published.
        Draft = "draft", "Draft";
        /// Published, before the submission deadline: bids may be submitted, replaced and
        /// withdrawn; nobody may read one.
        Open = "open", "Open for bids";
        /// The deadline has passed: the panel evaluates; no bid may be submitted.
        Evaluation = "evaluation", "Evaluation";
        /// Terminated.
        Terminated = "terminated", "Terminated";
    }
}

/// The stage of a tender with this status and deadline at `now`.
pub fn stage(
    status: TenderStatus,
    submission_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Stage {
    match status {
        TenderStatus::Draft => Stage::Draft,
        TenderStatus::Terminated => Stage::Terminated,
        TenderStatus::Published if now < submission_deadline => Stage::Open,
        TenderStatus::Published => Stage::Evaluation,
    }
}

/// Whether bids are still accepted at `now`: published and strictly before the deadline.
pub fn accepts_bids(
    status: TenderStatus,
    submission_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    stage(status, submission_deadline, now) == Stage::Open
}

/// Whether bid content may be opened at `now` (by someone the rules allow): only once the
/// deadline has passed.
pub fn bids_may_be_opened(submission_deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= submission_deadline
}

/// A panel member's standing on a tender, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelStanding {
    /// Assigned, with no declaration yet: may see no bid.
    Undeclared,
    /// Declared no conflict: may read bids after the deadline and score.
    Cleared,
    /// Declared a conflict: removed from the tender.
    Conflicted,
}

impl PanelStanding {
    /// The standing that follows from a declaration (`None` = not yet declared).
    pub fn from_declaration(conflict: Option<bool>) -> Self {
        match conflict {
            None => PanelStanding::Undeclared,
            Some(false) => PanelStanding::Cleared,
            Some(true) => PanelStanding::Conflicted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rstest::rstest;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, s).unwrap()
    }

    #[rstest]
    #[case(TenderStatus::Draft, at(11, 0, 0), Stage::Draft)]
    #[case(TenderStatus::Draft, at(13, 0, 0), Stage::Draft)]
    #[case(TenderStatus::Published, at(11, 59, 59), Stage::Open)]
    #[case(TenderStatus::Published, at(12, 0, 0), Stage::Evaluation)]
    #[case(TenderStatus::Published, at(12, 0, 1), Stage::Evaluation)]
    #[case(TenderStatus::Terminated, at(11, 0, 0), Stage::Terminated)]
    fn the_stage_follows_from_status_deadline_and_clock(
        #[case] status: TenderStatus,
        #[case] now: DateTime<Utc>,
        #[case] expected: Stage,
    ) {
        assert_eq!(stage(status, at(12, 0, 0), now), expected);
    }

    #[test]
    fn a_bid_at_the_deadline_instant_is_late() {
        let deadline = at(12, 0, 0);
        assert!(accepts_bids(
            TenderStatus::Published,
            deadline,
            at(11, 59, 59)
        ));
        assert!(!accepts_bids(TenderStatus::Published, deadline, deadline));
        assert!(!bids_may_be_opened(deadline, at(11, 59, 59)));
        assert!(bids_may_be_opened(deadline, deadline));
    }

    #[test]
    fn a_declaration_decides_the_standing() {
        assert_eq!(
            PanelStanding::from_declaration(None),
            PanelStanding::Undeclared
        );
        assert_eq!(
            PanelStanding::from_declaration(Some(false)),
            PanelStanding::Cleared
        );
        assert_eq!(
            PanelStanding::from_declaration(Some(true)),
            PanelStanding::Conflicted
        );
    }
}
