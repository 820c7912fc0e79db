//! Which notice each step of a procurement publishes, by regime, and how OCDS names it.
//!
//! | step | Procurement Act 2023 | PCR 2015 |
//! |---|---|---|
//! | planning | UK3 planned procurement notice (s15), or UK2 preliminary market engagement notice (s17) | prior information notice (reg 48), above the threshold |
//! | tender | UK4 tender notice (s21; below the threshold s87); UK5 transparency notice before a direct award (s44) | contract notice (reg 49); below the threshold, the Contracts Finder opportunity (reg 110) |
//! | award | UK6 contract award notice (s50), which starts standstill; none below the threshold | none: the decision goes to the bidders by letter (reg 86) |
//! | contract | UK7 contract details notice (s53; below the threshold s88) | contract award notice (reg 50); below the threshold, the Contracts Finder award (reg 112) |
//! | termination | UK12 procurement termination notice (s55); none below the threshold | none |
//! | contract performance | UK9 contract performance notice (s71) | none |
//! | contract change | UK10 contract change notice (s75), when the change rules ask for it | modification notice (reg 72(3)), when the change rules ask for it |
//! | contract termination | UK11 contract termination notice (s80); none below the threshold | none |
//!
//! An exempt contract (PCR 2015 reg 12, PA2023 Sch 2) has no notice at any step. Only the
//! Procurement Act's notices carry a UK `noticeType`; PCR-era releases name their notice in
//! the document's title only.

use ngc_domain::procurement::notices::NoticeType;
use ngc_domain::procurement::{Procedure, Regime};

/// A step of a procurement that makes a release, without its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// A planned procurement (or market engagement) notice.
    Planning,
    /// The tender notice: the competition is advertised.
    Tender,
    /// An award decision.
    Award,
    /// A contract entered into.
    Contract,
    /// The procurement is terminated.
    Termination,
    /// The contract's performance is reported (UK9 under the Act).
    ContractPerformance,
    /// A contract is varied (or its termination reversed).
    ContractChange,
    /// A contract is terminated.
    ContractTermination,
}

impl StepKind {
    /// Every step, in the order a procurement takes them.
    pub const ALL: [StepKind; 8] = [
        StepKind::Planning,
        StepKind::Tender,
        StepKind::Award,
        StepKind::Contract,
        StepKind::Termination,
        StepKind::ContractPerformance,
        StepKind::ContractChange,
        StepKind::ContractTermination,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Planning => "planning",
            StepKind::Tender => "tender",
            StepKind::Award => "award",
            StepKind::Contract => "contract",
            StepKind::Termination => "termination",
            StepKind::ContractPerformance => "contract_performance",
            StepKind::ContractChange => "contract_change",
            StepKind::ContractTermination => "contract_termination",
        }
    }

    /// The step for a stored word.
    pub fn parse(word: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The release tags (OCDS `releaseTag` codelist): of the step's first release, and of
    /// the releases that update it.
    pub fn tags(self) -> (&'static str, &'static str) {
        match self {
            StepKind::Planning => ("planning", "planningUpdate"),
            StepKind::Tender => ("tender", "tenderUpdate"),
            StepKind::Award => ("award", "awardUpdate"),
            StepKind::Contract => ("contract", "contractUpdate"),
            StepKind::Termination => ("tenderCancellation", "tenderCancellation"),
            StepKind::ContractPerformance => ("implementation", "implementationUpdate"),
            StepKind::ContractChange => ("contractAmendment", "contractAmendment"),
            StepKind::ContractTermination => ("contractTermination", "contractTermination"),
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            StepKind::Planning => "Planning",
            StepKind::Tender => "Tender",
            StepKind::Award => "Award",
            StepKind::Contract => "Contract",
            StepKind::Termination => "Termination",
            StepKind::ContractPerformance => "Contract performance",
            StepKind::ContractChange => "Contract change",
            StepKind::ContractTermination => "Contract termination",
        }
    }
}

/// Which planning notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanningNotice {
    /// A planned procurement notice (UK3; PCR: a prior information notice).
    PlannedProcurement,
    /// A preliminary market engagement notice (UK2; PCR 2015 has none).
    MarketEngagement,
}

/// The notice a step publishes, if any (see the module's table). For a contract change this is
/// the regime's notice; whether the change needs it is the change rules' answer, which the
/// step's facts carry.
pub fn notice_for(
    regime: Regime,
    procedure: Procedure,
    above_threshold: bool,
    step: StepKind,
    planning: PlanningNotice,
) -> Option<NoticeType> {
    use NoticeType::*;
    if procedure == Procedure::Exempt {
        return None;
    }
    let below = !above_threshold
        || matches!(
            procedure,
            Procedure::BelowThreshold | Procedure::BelowThresholdQuotes
        );
    match (regime, step) {
        (Regime::Pa2023, StepKind::Planning) => Some(match planning {
            PlanningNotice::PlannedProcurement => Uk3,
            PlanningNotice::MarketEngagement => Uk2,
        }),
        (Regime::Pa2023, StepKind::Tender) if procedure == Procedure::DirectAward => Some(Uk5),
        (Regime::Pa2023, StepKind::Tender) => Some(Uk4),
        (Regime::Pa2023, StepKind::Award) => (!below).then_some(Uk6),
        (Regime::Pa2023, StepKind::Contract) => Some(Uk7),
        (Regime::Pa2023, StepKind::Termination) => (!below).then_some(Uk12),
        (Regime::Pa2023, StepKind::ContractPerformance) => Some(Uk9),
        (Regime::Pa2023, StepKind::ContractChange) => Some(Uk10),
        (Regime::Pa2023, StepKind::ContractTermination) => (!below).then_some(Uk11),
        (Regime::Pcr2015, StepKind::ContractChange) => Some(ModificationNotice),
        (Regime::Pcr2015, StepKind::ContractTermination) => None,
        (Regime::Pcr2015, StepKind::Planning) => (!below
            && planning == PlanningNotice::PlannedProcurement)
            .then_some(PriorInformationNotice),
        (Regime::Pcr2015, StepKind::Tender) => Some(if below {
            ContractsFinderOpportunity
        } else {
            ContractNotice
        }),
        (
            Regime::Pcr2015,
            StepKind::Award | StepKind::Termination | StepKind::ContractPerformance,
        ) => None,
        (Regime::Pcr2015, StepKind::Contract) => Some(if below {
            ContractsFinderAward
        } else {
            ContractAwardNotice
        }),
    }
}

/// The OCDS `documentType` of a notice (the core codelist, with the UK extension's
/// `marketEngagementNotice` and `tenderCancellationNotice`).
pub fn document_type(notice: NoticeType) -> &'static str {
    use NoticeType::*;
    match notice {
        Uk1 | Uk3 | PriorInformationNotice => "plannedProcurementNotice",
        Uk2 => "marketEngagementNotice",
        Uk4 | Uk5 | ContractNotice | ContractsFinderOpportunity => "tenderNotice",
        Uk6 | ContractAwardNotice | ContractsFinderAward => "awardNotice",
        Uk7 | Uk8 | Uk9 | Uk10 | Uk11 | ModificationNotice => "contractNotice",
        Uk12 => "tenderCancellationNotice",
        Uk13 | Uk14 | Uk15 | Uk16 | Uk17 => "tenderNotice",
    }
}

/// The UK extension's `noticeType`: the notice's code under the Procurement Act 2023, never
/// for a PCR-era procurement.
pub fn uk_notice_type(regime: Regime, notice: NoticeType) -> Option<&'static str> {
    (regime == Regime::Pa2023 && notice.as_str().starts_with("UK")).then(|| notice.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use NoticeType::*;
    use rstest::rstest;

    const PLANNED: PlanningNotice = PlanningNotice::PlannedProcurement;

    #[rstest]
    #[case::act_open_tender(Regime::Pa2023, Procedure::Open, true, StepKind::Tender, Some(Uk4))]
    #[case::act_flexible_award(
        Regime::Pa2023,
        Procedure::CompetitiveFlexible,
        true,
        StepKind::Award,
        Some(Uk6)
    )]
    #[case::act_contract(Regime::Pa2023, Procedure::Open, true, StepKind::Contract, Some(Uk7))]
    #[case::act_termination(
        Regime::Pa2023,
        Procedure::Open,
        true,
        StepKind::Termination,
        Some(Uk12)
    )]
    #[case::act_planning(Regime::Pa2023, Procedure::Open, true, StepKind::Planning, Some(Uk3))]
    #[case::act_direct_award(
        Regime::Pa2023,
        Procedure::DirectAward,
        true,
        StepKind::Tender,
        Some(Uk5)
    )]
    #[case::act_below_tender(
        Regime::Pa2023,
        Procedure::BelowThreshold,
        false,
        StepKind::Tender,
        Some(Uk4)
    )]
    #[case::act_below_award(
        Regime::Pa2023,
        Procedure::BelowThreshold,
        false,
        StepKind::Award,
        None
    )]
    #[case::act_below_contract(
        Regime::Pa2023,
        Procedure::BelowThreshold,
        false,
        StepKind::Contract,
        Some(Uk7)
    )]
    #[case::act_exempt(Regime::Pa2023, Procedure::Exempt, true, StepKind::Contract, None)]
    #[case::pcr_tender(
        Regime::Pcr2015,
        Procedure::Restricted,
        true,
        StepKind::Tender,
        Some(ContractNotice)
    )]
    #[case::pcr_award(Regime::Pcr2015, Procedure::Open, true, StepKind::Award, None)]
    #[case::pcr_contract(
        Regime::Pcr2015,
        Procedure::Open,
        true,
        StepKind::Contract,
        Some(ContractAwardNotice)
    )]
    #[case::pcr_quotes(
        Regime::Pcr2015,
        Procedure::BelowThresholdQuotes,
        false,
        StepKind::Tender,
        Some(ContractsFinderOpportunity)
    )]
    #[case::pcr_planning(
        Regime::Pcr2015,
        Procedure::Open,
        true,
        StepKind::Planning,
        Some(PriorInformationNotice)
    )]
    fn the_notice_of_each_step(
        #[case] regime: Regime,
        #[case] procedure: Procedure,
        #[case] above: bool,
        #[case] step: StepKind,
        #[case] expected: Option<NoticeType>,
    ) {
        assert_eq!(
            notice_for(regime, procedure, above, step, PLANNED),
            expected
        );
    }

    #[test]
    fn only_the_act_has_uk_notice_types() {
        for step in StepKind::ALL {
            for p in Procedure::ALL {
                for above in [true, false] {
                    if let Some(n) = notice_for(Regime::Pcr2015, *p, above, step, PLANNED) {
                        assert_eq!(uk_notice_type(Regime::Pcr2015, n), None, "{n}");
                    }
                    if let Some(n) = notice_for(Regime::Pa2023, *p, above, step, PLANNED) {
                        assert_eq!(uk_notice_type(Regime::Pa2023, n), Some(n.as_str()));
                    }
                }
            }
        }
    }

    #[test]
    fn a_step_reads_back_from_its_word() {
        for s in StepKind::ALL {
            assert_eq!(StepKind::parse(s.as_str()), Some(s));
        }
        assert_eq!(StepKind::parse("bid"), None);
    }
}
