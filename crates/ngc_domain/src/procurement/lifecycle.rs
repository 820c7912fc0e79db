//! A tender's lifecycle rules other than bids: the minimum tendering period a publication
//! must respect (over [`super::time_limits`]), when clarification questions close, what a
//! supplier's registered facts say about a reserved competition, and the words of the checks
//! made before award (exclusion, documents, links to the financial plan).
//!
//! Pure: "now" and the publication time are arguments.

use super::procedure::{ContractType, Procedure};
use super::regime::Regime;
use super::tender::{Reservation, TenderStatus};
use super::time_limits::{Stage, TimeLimit, TimeLimitError, TimeLimitQuery, TimeLimitRules};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// The facts of a tender that decide its minimum tendering period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodFacts {
    /// The regime.
    pub regime: Regime,
    /// The procedure.
    pub procedure: Procedure,
    /// The type of contract (light-touch services have no statutory minimum).
    pub contract_type: ContractType,
}

impl PeriodFacts {
    /// Whether the contract is a light touch contract.
    pub fn light_touch(&self) -> bool {
        self.contract_type == ContractType::LightTouch || self.procedure == Procedure::LightTouch
    }

    /// The time-limit question for a tender notice published on `published_at`: tenders
    /// submitted electronically through ngc, the documents published with the notice, no
    /// planned procurement notice, no urgency.
    pub fn query(&self, published_at: DateTime<Utc>) -> TimeLimitQuery {
        TimeLimitQuery {
            regime: self.regime,
            procedure: self.procedure,
            stage: Stage::Tender,
            electronic: true,
            documents_with_notice: true,
            planned_notice: None,
            notice_date: published_at.date_naive(),
            urgent: false,
            light_touch: self.light_touch(),
        }
    }
}

/// A publication that respects the minimum tendering period: the limit that applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenderPeriod {
    /// The limit and why it applied.
    pub limit: TimeLimit,
    /// The earliest deadline the limit allows (none where there is no statutory minimum).
    pub earliest_deadline: Option<DateTime<Utc>>,
}

impl TenderPeriod {
    /// The limit in words: "at least 25 days: <rule> (<reference>)", or "no statutory
    /// minimum: <rule>".
    pub fn in_words(&self) -> String {
        match self.limit.days {
            Some(d) => format!("at least {d} days: {}", self.limit.basis),
            None => format!("no statutory minimum: {}", self.limit.basis),
        }
    }
}

/// Why a tender may not be published with its deadline.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The deadline comes sooner than the minimum tendering period allows.
    #[error(
        "the submission deadline {} is too soon: it must be at least {days} days after publication ({}), so no earlier than {}; the limit that applied: {basis}",
        deadline.to_rfc3339(), published_at.to_rfc3339(), earliest.to_rfc3339()
    )]
    TooShort {
        /// The minimum in days.
        days: u32,
        /// The rule that gave it, in words with its reference.
        basis: String,
        /// When the tender would be published.
        published_at: DateTime<Utc>,
        /// The earliest deadline allowed.
        earliest: DateTime<Utc>,
        /// The tender's deadline.
        deadline: DateTime<Utc>,
    },
    /// The deadline has passed already.
    #[error("the submission deadline {} has passed (it is {} now)", deadline.to_rfc3339(), now.to_rfc3339())]
    Passed {
        /// The tender's deadline.
        deadline: DateTime<Utc>,
        /// The publication time.
        now: DateTime<Utc>,
    },
    /// The rules have no limit for this procedure.
    #[error(transparent)]
    NoRule(#[from] TimeLimitError),
}

/// Checks that a tender published at `published_at` leaves at least the minimum tendering
/// period before `deadline`. The period is counted in whole days of 24 hours from the moment
/// of publication, which never gives less time than the law's count in days.
pub fn check_tender_period(
    rules: &TimeLimitRules,
    facts: &PeriodFacts,
    published_at: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Result<TenderPeriod, PeriodError> {
    if deadline <= published_at {
        return Err(PeriodError::Passed {
            deadline,
            now: published_at,
        });
    }
    let limit = rules.minimum(&facts.query(published_at))?;
    let earliest = limit
        .days
        .map(|d| published_at + Duration::days(i64::from(d)));
    if let (Some(days), Some(earliest)) = (limit.days, earliest)
        && deadline < earliest
    {
        return Err(PeriodError::TooShort {
            days,
            basis: limit.basis,
            published_at,
            earliest,
            deadline,
        });
    }
    Ok(TenderPeriod {
        limit,
        earliest_deadline: earliest,
    })
}

/// When clarification questions close: the clarification deadline, or the submission
/// deadline when the tender sets none.
pub fn questions_close(
    clarification_deadline: Option<DateTime<Utc>>,
    submission_deadline: DateTime<Utc>,
) -> DateTime<Utc> {
    clarification_deadline.unwrap_or(submission_deadline)
}

/// Why a question may not be asked now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionRefusal {
    /// The tender is a draft or terminated.
    #[error("questions are asked on a published tender; this one is {0}")]
    NotPublished(TenderStatus),
    /// The clarification period is over.
    #[error("clarification questions closed at {}", .0.to_rfc3339())]
    Closed(DateTime<Utc>),
}

/// Whether a question may be asked at `now`: on a published tender, strictly before
/// [`questions_close`].
pub fn may_ask(
    status: TenderStatus,
    clarification_deadline: Option<DateTime<Utc>>,
    submission_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), QuestionRefusal> {
    if status != TenderStatus::Published {
        return Err(QuestionRefusal::NotPublished(status));
    }
    let close = questions_close(clarification_deadline, submission_deadline);
    if now >= close {
        return Err(QuestionRefusal::Closed(close));
    }
    Ok(())
}

/// A supplier's registered facts (set by the instance administrator), the starting point of
/// a buyer's eligibility check for a reserved competition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RegisteredFacts {
    /// A public service mutual.
    pub public_service_mutual: bool,
    /// A small or medium-sized enterprise.
    pub sme: bool,
    /// A voluntary, community or social enterprise.
    pub vcse: bool,
}

/// What the registered facts say about a supplier and a reservation. The buyer decides, on
/// evidence, per procurement; this is only where the check starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "answer", content = "reason", rename_all = "snake_case")]
pub enum StartingPoint {
    /// The competition is not reserved: every supplier may bid.
    Open,
    /// The registered facts meet the reservation's condition.
    Qualifies(&'static str),
    /// The registered facts do not meet it.
    DoesNotQualify(&'static str),
    /// The registered facts do not say: the buyer checks the evidence.
    BuyerDecides(&'static str),
}

impl StartingPoint {
    /// Whether the supplier may be expected to bid (open, qualifying, or for the buyer to
    /// decide).
    pub fn may_bid(self) -> bool {
        !matches!(self, StartingPoint::DoesNotQualify(_))
    }
}

/// Where the eligibility check of a supplier with these facts starts, for a competition
/// reserved as `reservation`.
pub fn starting_point(reservation: Reservation, facts: RegisteredFacts) -> StartingPoint {
    match reservation {
        Reservation::None => StartingPoint::Open,
        Reservation::Mutual if facts.public_service_mutual => StartingPoint::Qualifies(
            "registered as a public service mutual; the buyer checks the mission, profit and ownership conditions on evidence (PCR 2015 reg 77; PA2023 s33)",
        ),
        Reservation::Mutual => StartingPoint::DoesNotQualify(
            "not registered as a public service mutual (PCR 2015 reg 77; PA2023 s33)",
        ),
        Reservation::SmeVcse if facts.sme || facts.vcse => StartingPoint::Qualifies(
            "registered as an SME or a VCSE (below-threshold reservation, from 4 February 2026)",
        ),
        Reservation::SmeVcse => StartingPoint::DoesNotQualify(
            "registered as neither an SME nor a VCSE (below-threshold reservation, from 4 February 2026)",
        ),
        Reservation::Local => StartingPoint::BuyerDecides(
            "where a supplier is established is not a registered fact: the buyer checks it on evidence",
        ),
    }
}

crate::text_enum! {
    /// The result of checking a supplier against the exclusion grounds and the debarment
    /// list (PA2023 ss57-58, Schs 6-7; PCR 2015 reg 57).
    pub enum ExclusionResult as "exclusion result" {
        /// No ground applies and the supplier is not on the debarment list.
        Clear = "clear", "No exclusion ground applies";
        /// A discretionary ground applies: the buyer decides whether to exclude.
        Excludable = "excludable", "Excludable: a discretionary ground applies";
        /// A mandatory ground applies or the supplier is on the debarment list.
        Excluded = "excluded", "Excluded: a mandatory ground applies or debarred";
    }
}

crate::text_enum! {
    /// What a procurement document is.
    pub enum DocumentKind as "document kind" {
        /// The specification.
        Specification = "specification", "Specification";
        /// Instructions to bidders.
        Instructions = "instructions", "Instructions to bidders";
        /// The terms and conditions of the contract.
        Terms = "terms", "Terms and conditions";
        /// The pricing schedule.
        Pricing = "pricing", "Pricing schedule";
        /// A clarification or addendum.
        Clarification = "clarification", "Clarification or addendum";
        /// Anything else.
        Other = "other", "Other";
    }
}

crate::text_enum! {
    /// What a planned procurement is linked to in the financial plan.
    pub enum PlanLink as "plan link" {
        /// A service line of a plan's base budget.
        ServiceLine = "service_line", "Service line";
        /// A revenue budget line (year, service, subjective).
        BudgetLine = "budget_line", "Budget line";
        /// A saving of a plan, by reference.
        Saving = "saving", "Saving";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rstest::rstest;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn facts(regime: Regime, procedure: Procedure, contract_type: ContractType) -> PeriodFacts {
        PeriodFacts {
            regime,
            procedure,
            contract_type,
        }
    }

    #[rstest]
    #[case::act_open_25_days(Regime::Pa2023, Procedure::Open, ContractType::Services, 25, true)]
    #[case::act_open_24_days(Regime::Pa2023, Procedure::Open, ContractType::Services, 24, false)]
    #[case::pcr_open_30_days(Regime::Pcr2015, Procedure::Open, ContractType::Services, 30, true)]
    #[case::pcr_open_29_days(Regime::Pcr2015, Procedure::Open, ContractType::Services, 29, false)]
    #[case::act_light_touch_any(Regime::Pa2023, Procedure::Open, ContractType::LightTouch, 1, true)]
    #[case::pcr_light_touch_any(
        Regime::Pcr2015,
        Procedure::LightTouch,
        ContractType::LightTouch,
        1,
        true
    )]
    fn the_deadline_must_leave_the_minimum_tendering_period(
        #[case] regime: Regime,
        #[case] procedure: Procedure,
        #[case] contract_type: ContractType,
        #[case] days: i64,
        #[case] allowed: bool,
    ) {
        let published = match regime {
            Regime::Pa2023 => at(2026, 3, 2, 9),
            Regime::Pcr2015 => at(2016, 3, 1, 9),
        };
        let deadline = published + Duration::days(days);
        let result = check_tender_period(
            &TimeLimitRules::shipped(),
            &facts(regime, procedure, contract_type),
            published,
            deadline,
        );
        assert_eq!(result.is_ok(), allowed, "{result:?}");
    }

    #[test]
    fn a_refusal_says_which_limit_applied_and_the_earliest_deadline() {
        let published = at(2026, 3, 2, 9);
        let err = check_tender_period(
            &TimeLimitRules::shipped(),
            &facts(Regime::Pa2023, Procedure::Open, ContractType::Services),
            published,
            published + Duration::days(20),
        )
        .unwrap_err();
        let PeriodError::TooShort { days, earliest, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*days, 25);
        assert_eq!(*earliest, at(2026, 3, 27, 9));
        let words = err.to_string();
        assert!(words.contains("at least 25 days"), "{words}");
        assert!(words.contains("PA2023 s54(4)"), "{words}");
        assert!(words.contains("electronically"), "{words}");
    }

    #[test]
    fn the_applied_limit_is_kept_in_words() {
        let published = at(2026, 3, 2, 9);
        let period = check_tender_period(
            &TimeLimitRules::shipped(),
            &facts(Regime::Pa2023, Procedure::Open, ContractType::Services),
            published,
            published + Duration::days(28),
        )
        .unwrap();
        assert_eq!(period.limit.days, Some(25));
        assert_eq!(period.earliest_deadline, Some(at(2026, 3, 27, 9)));
        assert!(period.in_words().starts_with("at least 25 days: "));
        let light = check_tender_period(
            &TimeLimitRules::shipped(),
            &facts(Regime::Pa2023, Procedure::Open, ContractType::LightTouch),
            published,
            published + Duration::days(3),
        )
        .unwrap();
        assert_eq!(light.earliest_deadline, None);
        assert!(light.in_words().starts_with("no statutory minimum: "));
    }

    #[test]
    fn a_deadline_already_past_cannot_be_published() {
        let now = at(2026, 3, 2, 9);
        let err = check_tender_period(
            &TimeLimitRules::shipped(),
            &facts(Regime::Pa2023, Procedure::Open, ContractType::LightTouch),
            now,
            now,
        )
        .unwrap_err();
        assert!(matches!(err, PeriodError::Passed { .. }), "{err:?}");
    }

    #[test]
    fn questions_close_at_the_clarification_deadline_or_else_the_submission_deadline() {
        let sub = at(2026, 4, 1, 12);
        let clar = at(2026, 3, 20, 12);
        assert_eq!(questions_close(Some(clar), sub), clar);
        assert_eq!(questions_close(None, sub), sub);
        let p = TenderStatus::Published;
        assert_eq!(may_ask(p, Some(clar), sub, at(2026, 3, 20, 11)), Ok(()));
        assert_eq!(
            may_ask(p, Some(clar), sub, clar),
            Err(QuestionRefusal::Closed(clar))
        );
        assert_eq!(may_ask(p, None, sub, at(2026, 3, 31, 12)), Ok(()));
        assert_eq!(
            may_ask(TenderStatus::Draft, None, sub, at(2026, 3, 1, 12)),
            Err(QuestionRefusal::NotPublished(TenderStatus::Draft))
        );
    }

    #[rstest]
    #[case(Reservation::None, RegisteredFacts::default(), true)]
    #[case(Reservation::Mutual, RegisteredFacts { public_service_mutual: true, ..Default::default() }, true)]
    #[case(Reservation::Mutual, RegisteredFacts { sme: true, vcse: true, ..Default::default() }, false)]
    #[case(Reservation::SmeVcse, RegisteredFacts { vcse: true, ..Default::default() }, true)]
    #[case(Reservation::SmeVcse, RegisteredFacts::default(), false)]
    #[case(Reservation::Local, RegisteredFacts::default(), true)]
    fn registered_facts_are_the_starting_point_of_eligibility(
        #[case] reservation: Reservation,
        #[case] facts: RegisteredFacts,
        #[case] may_bid: bool,
    ) {
        assert_eq!(starting_point(reservation, facts).may_bid(), may_bid);
    }
}
