//! The notices a procurement needs: UK1 to UK17 under the Procurement Act 2023 (the Central
//! Digital Platform's notice types), and the PCR 2015 notices otherwise.

use super::procedure::Procedure;
use super::regime::Regime;

crate::text_enum! {
    /// A notice type. The `UK…` values are the Procurement Act 2023's; the others are PCR 2015's.
    pub enum NoticeType as "notice type" {
        /// UK1: pipeline notice (PA2023 s93).
        Uk1 = "UK1", "Pipeline notice";
        /// UK2: preliminary market engagement notice (s17).
        Uk2 = "UK2", "Preliminary market engagement notice";
        /// UK3: planned procurement notice (s15).
        Uk3 = "UK3", "Planned procurement notice";
        /// UK4: tender notice (s21; below threshold, s87).
        Uk4 = "UK4", "Tender notice";
        /// UK5: transparency notice (s44).
        Uk5 = "UK5", "Transparency notice";
        /// UK6: contract award notice (s50).
        Uk6 = "UK6", "Contract award notice";
        /// UK7: contract details notice (s53; below threshold, s88).
        Uk7 = "UK7", "Contract details notice";
        /// UK8: payments compliance notice (s69).
        Uk8 = "UK8", "Payments compliance notice";
        /// UK9: contract performance notice (s71).
        Uk9 = "UK9", "Contract performance notice";
        /// UK10: contract change notice (s75).
        Uk10 = "UK10", "Contract change notice";
        /// UK11: contract termination notice (s80).
        Uk11 = "UK11", "Contract termination notice";
        /// UK12: procurement termination notice (s55).
        Uk12 = "UK12", "Procurement termination notice";
        /// UK13: dynamic market notice, establishment (s39).
        Uk13 = "UK13", "Dynamic market notice: establishment";
        /// UK14: dynamic market notice, modification (s39).
        Uk14 = "UK14", "Dynamic market notice: modification";
        /// UK15: dynamic market notice, cessation (s39).
        Uk15 = "UK15", "Dynamic market notice: cessation";
        /// UK16: utilities dynamic market notice, establishment (s40).
        Uk16 = "UK16", "Utilities dynamic market notice: establishment";
        /// UK17: utilities dynamic market notice, modification (s40).
        Uk17 = "UK17", "Utilities dynamic market notice: modification";
        /// PCR 2015: prior information notice (reg 48).
        PriorInformationNotice = "prior_information_notice", "Prior information notice (reg 48)";
        /// PCR 2015: contract notice (reg 49), in the OJEU and from 1 January 2021 Find a Tender.
        ContractNotice = "contract_notice", "Contract notice (reg 49)";
        /// PCR 2015: contract award notice (reg 50).
        ContractAwardNotice = "contract_award_notice", "Contract award notice (reg 50)";
        /// PCR 2015: the opportunity on Contracts Finder (reg 106 above the threshold, reg 110 below).
        ContractsFinderOpportunity = "contracts_finder_opportunity", "Contracts Finder opportunity (regs 106, 110)";
        /// PCR 2015: the award on Contracts Finder (reg 108 above the threshold, reg 112 below).
        ContractsFinderAward = "contracts_finder_award", "Contracts Finder award (regs 108, 112)";
        /// PCR 2015: the notice of a modification under reg 72(1)(b) or (c) (reg 72(3)).
        ModificationNotice = "modification_notice", "Modification notice (reg 72(3))";
    }
}

/// What decides the notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeQuery {
    /// The regime.
    pub regime: Regime,
    /// The procedure.
    pub procedure: Procedure,
    /// Whether a planned procurement notice (UK3) or prior information notice is used.
    pub planned_notice: bool,
    /// Below the threshold: whether the value reaches the below-threshold notice duty.
    pub below_threshold_notifiable: bool,
}

/// The notices the procurement will need, in the order they are published. A procurement
/// termination notice (UK12) is needed only if the procurement is terminated, and the
/// contract-stage notices (UK8-UK11) only as the contract runs, so neither is listed. Below the
/// threshold the UK4 (and Contracts Finder opportunity) is needed only if the opportunity is
/// advertised.
pub fn notices(q: NoticeQuery) -> Vec<NoticeType> {
    use NoticeType::*;
    let mut out = Vec::new();
    match (q.regime, q.procedure) {
        (_, Procedure::Exempt) => {}
        (Regime::Pa2023, Procedure::DirectAward) => out.extend([Uk5, Uk6, Uk7]),
        (Regime::Pa2023, Procedure::BelowThreshold) => {
            if q.below_threshold_notifiable {
                out.extend([Uk4, Uk7]);
            }
        }
        (Regime::Pa2023, _) => {
            if q.planned_notice {
                out.push(Uk3);
            }
            out.extend([Uk4, Uk6, Uk7]);
        }
        (Regime::Pcr2015, Procedure::BelowThresholdQuotes) => {
            if q.below_threshold_notifiable {
                out.extend([ContractsFinderOpportunity, ContractsFinderAward]);
            }
        }
        (Regime::Pcr2015, _) => {
            if q.planned_notice {
                out.push(PriorInformationNotice);
            }
            out.extend([
                ContractNotice,
                ContractsFinderOpportunity,
                ContractAwardNotice,
                ContractsFinderAward,
            ]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use NoticeType::*;
    use rstest::rstest;

    fn q(regime: Regime, procedure: Procedure) -> NoticeQuery {
        NoticeQuery {
            regime,
            procedure,
            planned_notice: false,
            below_threshold_notifiable: true,
        }
    }

    #[rstest]
    #[case::act_open(q(Regime::Pa2023, Procedure::Open), vec![Uk4, Uk6, Uk7])]
    #[case::act_open_with_uk3(NoticeQuery { planned_notice: true, ..q(Regime::Pa2023, Procedure::Open) }, vec![Uk3, Uk4, Uk6, Uk7])]
    #[case::act_direct_award(q(Regime::Pa2023, Procedure::DirectAward), vec![Uk5, Uk6, Uk7])]
    #[case::act_below_threshold(q(Regime::Pa2023, Procedure::BelowThreshold), vec![Uk4, Uk7])]
    #[case::act_below_notifiable(NoticeQuery { below_threshold_notifiable: false, ..q(Regime::Pa2023, Procedure::BelowThreshold) }, vec![])]
    #[case::act_exempt(q(Regime::Pa2023, Procedure::Exempt), vec![])]
    #[case::pcr_open(q(Regime::Pcr2015, Procedure::Open), vec![ContractNotice, ContractsFinderOpportunity, ContractAwardNotice, ContractsFinderAward])]
    #[case::pcr_quotes(q(Regime::Pcr2015, Procedure::BelowThresholdQuotes), vec![ContractsFinderOpportunity, ContractsFinderAward])]
    fn notices_by_procedure(#[case] query: NoticeQuery, #[case] expected: Vec<NoticeType>) {
        assert_eq!(notices(query), expected);
    }

    #[test]
    fn uk_notice_types_only_under_the_act() {
        for regime in Regime::ALL {
            for p in Procedure::ALL
                .iter()
                .filter(|p| p.regimes().contains(regime))
            {
                for n in notices(q(*regime, *p)) {
                    assert_eq!(
                        n.as_str().starts_with("UK"),
                        *regime == Regime::Pa2023,
                        "{n}"
                    );
                }
            }
        }
    }
}
