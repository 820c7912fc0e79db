//! The rules of sealed bids that need no database: who may read a bid's content and when,
//! who may list a tender's bids, and whether a bidder's registered facts admit it to a
//! reserved competition. "Now" is an argument, as everywhere in the domain.

use super::tender::{PanelStanding, Reservation, bids_may_be_opened};
use super::{Regime, TenderStatus};
use chrono::{DateTime, SecondsFormat, Utc};

crate::text_enum! {
    /// Where a stored bid stands. Nothing is deleted: a replaced or withdrawn bid is kept.
    pub enum BidStatus as "bid status" {
        /// The bidder's current bid for the tender (at most one per bidder and tender).
        Active = "active", "Active";
        /// Replaced by a newer bid of the same bidder (which has its own id and receipt).
        Replaced = "replaced", "Replaced";
        /// Withdrawn by the bidder before the deadline.
        Withdrawn = "withdrawn", "Withdrawn";
    }
}

/// Who asks to read a tender's bids, as the reading rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// A provider's staff; `own` when the bid is their own organisation's.
    Provider { own: bool },
    /// The tender's procurement lead (the accountable officer).
    ProcurementLead,
    /// A member of the tender's evaluation panel, with their standing.
    Panel(PanelStanding),
    /// Anyone else: the buyers' other staff, administrators, other councils.
    Other,
}

/// The answer to a read: allowed, or refused as not found (404) or forbidden (403), with
/// the reason in words (it is also what the audit trail records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadDecision {
    Allow,
    /// Refused as if the bid did not exist: it is another provider's.
    NotFound(String),
    Forbidden(String),
}

/// What a reader may list of a tender's bids (metadata, never content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListDecision {
    /// Every bid of the tender (the panel and the lead, after the deadline).
    All,
    /// Only the reader's own organisation's bids (a provider, at any time).
    OwnOnly,
    Forbidden(String),
}

/// A deadline as the messages show it: RFC 3339 with its offset, to the second.
pub fn show_deadline(deadline: DateTime<Utc>) -> String {
    deadline.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Why a bid is sealed at `now`, before `deadline`.
pub fn sealed_until(deadline: DateTime<Utc>) -> String {
    format!(
        "bids are sealed until the submission deadline, {}: nobody may read a bid before it, \
         the buyer and administrators included",
        show_deadline(deadline)
    )
}

/// Whether `reader` may read the content of a bid of a tender closing at `deadline`, at `now`.
///
/// Another provider's bid is "not found", before the deadline and after. Before the
/// deadline nobody reads any bid. After it, only the procurement lead and the panel members
/// who declared no conflict do; a bidder keeps its receipt but does not read bids back.
pub fn may_read(reader: Reader, deadline: DateTime<Utc>, now: DateTime<Utc>) -> ReadDecision {
    if reader == (Reader::Provider { own: false }) {
        return ReadDecision::NotFound("another provider's bid".into());
    }
    if !bids_may_be_opened(deadline, now) {
        return ReadDecision::Forbidden(sealed_until(deadline));
    }
    match reader {
        Reader::ProcurementLead | Reader::Panel(PanelStanding::Cleared) => ReadDecision::Allow,
        Reader::Panel(PanelStanding::Undeclared) => ReadDecision::Forbidden(
            "declare whether you have a conflict of interest before reading any bid".into(),
        ),
        Reader::Panel(PanelStanding::Conflicted) => ReadDecision::Forbidden(
            "you declared a conflict of interest: you are removed from this tender".into(),
        ),
        Reader::Provider { .. } => ReadDecision::Forbidden(
            "after the deadline only the tender's evaluation panel and procurement lead read \
             bids; your receipt is in the list of your bids"
                .into(),
        ),
        Reader::Other => ReadDecision::Forbidden(
            "only the tender's evaluation panel and procurement lead read its bids".into(),
        ),
    }
}

/// What `reader` may list of the bids of a tender closing at `deadline`, at `now`: a
/// provider its own organisation's, always; the panel (cleared) and the lead every bid once
/// the deadline has passed; nobody anything else.
pub fn may_list(reader: Reader, deadline: DateTime<Utc>, now: DateTime<Utc>) -> ListDecision {
    if let Reader::Provider { .. } = reader {
        return ListDecision::OwnOnly;
    }
    if !bids_may_be_opened(deadline, now) {
        return ListDecision::Forbidden(sealed_until(deadline));
    }
    match may_read(reader, deadline, now) {
        ReadDecision::Allow => ListDecision::All,
        ReadDecision::Forbidden(why) | ReadDecision::NotFound(why) => ListDecision::Forbidden(why),
    }
}

/// Why a bid cannot be stored (submitted, replaced or withdrawn) now: the tender is not
/// open. `None` when it is open (published, strictly before the deadline).
pub fn closed_reason(
    status: TenderStatus,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<String> {
    match status {
        TenderStatus::Draft => Some("the tender is not published".into()),
        TenderStatus::Terminated => Some("the tender was terminated".into()),
        TenderStatus::Published if now < deadline => None,
        TenderStatus::Published => Some(format!(
            "the submission deadline, {}, has passed (server time {}): late bids are refused",
            show_deadline(deadline),
            now.to_rfc3339_opts(SecondsFormat::Secs, false)
        )),
    }
}

/// A bidder's registered facts (set by the instance administrator), as the reservation
/// rules read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidderFacts {
    pub name: String,
    pub sme: bool,
    pub vcse: bool,
    pub public_service_mutual: bool,
    /// The bidder's registration identifiers (org-id form; every scheme ngc knows is a UK
    /// register).
    pub identifiers: Vec<String>,
}

impl Reservation {
    /// Whether a bidder with these registered facts may bid for a competition so reserved,
    /// or the condition it fails, in words naming the condition and its legal basis.
    ///
    /// These are the facts checked at submission; whether a supplier qualifies remains the
    /// buyer's judgement, recorded on evidence per tender before award.
    /// - `Mutual`: registered as a public service mutual (PCR 2015 reg 77, PA2023 s33).
    /// - `SmeVcse`: registered as an SME or a VCSE.
    /// - `Local`: registered in the UK, i.e. holding a UK registration identifier (GB-…);
    ///   whether it is local to the area is not a registered fact and is left to the buyer's
    ///   eligibility check.
    pub fn admits(self, regime: Regime, facts: &BidderFacts) -> Result<(), String> {
        let name = &facts.name;
        match self {
            Reservation::None => Ok(()),
            Reservation::Mutual if facts.public_service_mutual => Ok(()),
            Reservation::Mutual => Err(format!(
                "the tender is reserved for public service mutuals ({}): {name} is not \
                 registered as a public service mutual",
                match regime {
                    Regime::Pcr2015 => "PCR 2015 reg 77",
                    Regime::Pa2023 => "PA2023 s33",
                }
            )),
            Reservation::SmeVcse if facts.sme || facts.vcse => Ok(()),
            Reservation::SmeVcse => Err(format!(
                "the tender is reserved for SMEs and VCSEs: {name} is registered as neither \
                 an SME nor a VCSE"
            )),
            Reservation::Local if facts.identifiers.iter().any(|i| i.starts_with("GB-")) => Ok(()),
            Reservation::Local => Err(format!(
                "the tender is reserved for UK or local suppliers: {name} has no UK \
                 registration identifier (Companies House, Charity Commission, Mutuals \
                 Public Register…) on its registration"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use rstest::rstest;

    fn deadline() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
    }
    fn before() -> DateTime<Utc> {
        deadline() - Duration::seconds(1)
    }
    fn after() -> DateTime<Utc> {
        deadline()
    }

    #[rstest]
    #[case::lead(Reader::ProcurementLead)]
    #[case::cleared(Reader::Panel(PanelStanding::Cleared))]
    #[case::undeclared(Reader::Panel(PanelStanding::Undeclared))]
    #[case::conflicted(Reader::Panel(PanelStanding::Conflicted))]
    #[case::bidder(Reader::Provider { own: true })]
    #[case::other(Reader::Other)]
    fn nobody_reads_a_bid_before_the_deadline(#[case] reader: Reader) {
        let d = may_read(reader, deadline(), before());
        assert_eq!(
            d,
            ReadDecision::Forbidden(
                "bids are sealed until the submission deadline, 2026-12-01T12:00:00+00:00: \
                 nobody may read a bid before it, the buyer and administrators included"
                    .into()
            )
        );
        assert!(matches!(
            may_list(reader, deadline(), before()),
            ListDecision::Forbidden(_) | ListDecision::OwnOnly
        ));
    }

    #[rstest]
    #[case::lead(Reader::ProcurementLead, true)]
    #[case::cleared(Reader::Panel(PanelStanding::Cleared), true)]
    #[case::undeclared(Reader::Panel(PanelStanding::Undeclared), false)]
    #[case::conflicted(Reader::Panel(PanelStanding::Conflicted), false)]
    #[case::bidder(Reader::Provider { own: true }, false)]
    #[case::other(Reader::Other, false)]
    fn after_the_deadline_only_the_lead_and_the_cleared_panel_read(
        #[case] reader: Reader,
        #[case] reads: bool,
    ) {
        assert_eq!(
            may_read(reader, deadline(), after()) == ReadDecision::Allow,
            reads
        );
        let listed = may_list(reader, deadline(), after());
        match reader {
            Reader::Provider { .. } => assert_eq!(listed, ListDecision::OwnOnly),
            _ if reads => assert_eq!(listed, ListDecision::All),
            _ => assert!(matches!(listed, ListDecision::Forbidden(_))),
        }
    }

    #[test]
    fn another_providers_bid_is_not_found_before_and_after() {
        for now in [before(), after()] {
            assert!(matches!(
                may_read(Reader::Provider { own: false }, deadline(), now),
                ReadDecision::NotFound(_)
            ));
        }
        assert_eq!(
            may_list(Reader::Provider { own: false }, deadline(), before()),
            ListDecision::OwnOnly
        );
    }

    #[test]
    fn a_bid_is_stored_only_while_the_tender_is_open() {
        assert_eq!(
            closed_reason(TenderStatus::Published, deadline(), before()),
            None
        );
        assert_eq!(
            closed_reason(
                TenderStatus::Published,
                deadline(),
                after() + Duration::seconds(5)
            )
            .unwrap(),
            "the submission deadline, 2026-12-01T12:00:00+00:00, has passed (server time \
             2026-12-01T12:00:05+00:00): late bids are refused"
        );
        assert!(closed_reason(TenderStatus::Draft, deadline(), before()).is_some());
        assert!(closed_reason(TenderStatus::Terminated, deadline(), before()).is_some());
    }

    fn facts() -> BidderFacts {
        BidderFacts {
            name: "Nene Valley Care".into(),
            sme: false,
            vcse: false,
            public_service_mutual: false,
            identifiers: vec![],
        }
    }

    #[test]
    fn a_reserved_competition_admits_only_bidders_whose_registration_meets_its_condition() {
        let f = facts();
        assert_eq!(Reservation::None.admits(Regime::Pa2023, &f), Ok(()));
        assert_eq!(
            Reservation::Mutual.admits(Regime::Pcr2015, &f).unwrap_err(),
            "the tender is reserved for public service mutuals (PCR 2015 reg 77): Nene \
             Valley Care is not registered as a public service mutual"
        );
        assert!(
            Reservation::Mutual
                .admits(Regime::Pa2023, &f)
                .unwrap_err()
                .contains("(PA2023 s33)")
        );
        let mutual = BidderFacts {
            public_service_mutual: true,
            ..facts()
        };
        assert_eq!(Reservation::Mutual.admits(Regime::Pa2023, &mutual), Ok(()));
        assert!(
            Reservation::SmeVcse
                .admits(Regime::Pa2023, &f)
                .unwrap_err()
                .contains("neither an SME nor a VCSE")
        );
        for f in [
            BidderFacts {
                sme: true,
                ..facts()
            },
            BidderFacts {
                vcse: true,
                ..facts()
            },
        ] {
            assert_eq!(Reservation::SmeVcse.admits(Regime::Pa2023, &f), Ok(()));
        }
        assert!(
            Reservation::Local
                .admits(Regime::Pa2023, &f)
                .unwrap_err()
                .contains("no UK registration identifier")
        );
        let registered = BidderFacts {
            identifiers: vec!["GB-COH-01234567".into()],
            ..facts()
        };
        assert_eq!(
            Reservation::Local.admits(Regime::Pa2023, &registered),
            Ok(())
        );
    }
}
