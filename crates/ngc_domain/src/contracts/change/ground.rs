//! The grounds on which a contract may be modified without a new procurement: one per route of
//! PCR 2015 reg 72(1) and of PA2023 s74 and Schedule 8. Each ground belongs to one regime.

use super::rules::RuleKey;
use crate::procurement::Regime;

crate::text_enum! {
    /// The typed rationale of a variation: the provision that permits it.
    pub enum ModificationGround as "modification ground" {
        /// Provided for in the initial procurement documents in clear, precise and unequivocal
        /// review clauses that do not alter the overall nature of the contract.
        PcrReviewClause = "pcr_review_clause", "PCR 2015 reg 72(1)(a): provided for in clear, precise and unequivocal review clauses";
        /// Additional works, services or supplies by the original contractor that have become
        /// necessary, where a change of contractor cannot be made; the price may rise by at most
        /// 50% of the original value per modification (reg 72(2)(a)).
        PcrAdditional = "pcr_additional", "PCR 2015 reg 72(1)(b): additional works, services or supplies";
        /// Circumstances a diligent authority could not have foreseen, without altering the
        /// overall nature of the contract; at most 50% of the original value per modification.
        PcrUnforeseeable = "pcr_unforeseeable", "PCR 2015 reg 72(1)(c): circumstances a diligent authority could not have foreseen";
        /// A new contractor replaces the original one under a review clause or by succession
        /// on a corporate restructuring.
        PcrNewContractor = "pcr_new_contractor", "PCR 2015 reg 72(1)(d): a new contractor replaces the original one";
        /// Not substantial within reg 72(8), whatever its value.
        PcrNotSubstantial = "pcr_not_substantial", "PCR 2015 reg 72(1)(e) and (8): not a substantial modification";
        /// De minimis: net cumulatively below the threshold and below 10% of the original value
        /// (15% for works), without altering the overall nature of the contract.
        PcrDeMinimis = "pcr_de_minimis", "PCR 2015 reg 72(1)(f) and (5): de minimis";
        /// Unambiguously provided for in the contract as awarded and in the tender or
        /// transparency notice, without changing the overall nature of the contract.
        PaProvidedFor = "pa_provided_for", "PA2023 Sch 8 para 1: provided for in the contract";
        /// Its purpose could otherwise be met by a direct award for extreme and unavoidable
        /// urgency or to protect life.
        PaUrgency = "pa_urgency", "PA2023 Sch 8 paras 2-3: urgency and the protection of life";
        /// Circumstances that could not reasonably have been foreseen before award; the
        /// estimated value may rise by at most 50%.
        PaUnforeseeable = "pa_unforeseeable", "PA2023 Sch 8 para 4: unforeseeable circumstances";
        /// A known risk identified in the tender or transparency notice has materialised; the
        /// estimated value may rise by at most 50%.
        PaKnownRisk = "pa_known_risk", "PA2023 Sch 8 paras 5-6: materialisation of a known risk";
        /// Goods, services or works in addition to those provided for, where a change of
        /// supplier is not practicable; the estimated value may rise by at most 50%.
        PaAdditional = "pa_additional", "PA2023 Sch 8 para 7: additional goods, services or works";
        /// Novation or assignment to a successor on a corporate restructuring.
        PaCorporateRestructuring = "pa_corporate_restructuring", "PA2023 Sch 8 para 9: novation or assignment on corporate restructuring";
        /// Not a substantial modification: the term changes by at most 10% of the maximum term
        /// on award, and neither the scope nor the economic balance changes materially.
        PaNotSubstantial = "pa_not_substantial", "PA2023 s74(1)(b) and (3): not a substantial modification";
        /// A below-threshold modification: at most 10% of the estimated value (15% for works),
        /// with the aggregate of such modifications below the threshold.
        PaBelowThreshold = "pa_below_threshold", "PA2023 s74(1)(c) and (4): a below-threshold modification";
        /// A light touch contract, which may be modified freely.
        PaLightTouch = "pa_light_touch", "PA2023 s74(2): a light touch contract";
    }
}

impl ModificationGround {
    /// The regime the ground belongs to.
    pub fn regime(self) -> Regime {
        use ModificationGround::*;
        match self {
            PcrReviewClause | PcrAdditional | PcrUnforeseeable | PcrNewContractor
            | PcrNotSubstantial | PcrDeMinimis => Regime::Pcr2015,
            PaProvidedFor
            | PaUrgency
            | PaUnforeseeable
            | PaKnownRisk
            | PaAdditional
            | PaCorporateRestructuring
            | PaNotSubstantial
            | PaBelowThreshold
            | PaLightTouch => Regime::Pa2023,
        }
    }

    /// The provision relied on, short: `PCR 2015 reg 72(1)(b)`.
    pub fn provision(self) -> &'static str {
        use ModificationGround::*;
        match self {
            PcrReviewClause => "PCR 2015 reg 72(1)(a)",
            PcrAdditional => "PCR 2015 reg 72(1)(b)",
            PcrUnforeseeable => "PCR 2015 reg 72(1)(c)",
            PcrNewContractor => "PCR 2015 reg 72(1)(d)",
            PcrNotSubstantial => "PCR 2015 reg 72(1)(e)",
            PcrDeMinimis => "PCR 2015 reg 72(1)(f)",
            PaProvidedFor => "PA2023 Sch 8 para 1",
            PaUrgency => "PA2023 Sch 8 paras 2-3",
            PaUnforeseeable => "PA2023 Sch 8 para 4",
            PaKnownRisk => "PA2023 Sch 8 paras 5-6",
            PaAdditional => "PA2023 Sch 8 para 7",
            PaCorporateRestructuring => "PA2023 Sch 8 para 9",
            PaNotSubstantial => "PA2023 s74(1)(b)",
            PaBelowThreshold => "PA2023 s74(1)(c)",
            PaLightTouch => "PA2023 s74(2)",
        }
    }

    /// The rule capping an increase in value on this ground, if it has one.
    pub fn increase_cap(self) -> Option<RuleKey> {
        use ModificationGround::*;
        match self {
            PcrAdditional | PaAdditional => Some(RuleKey::IncreaseCapAdditional),
            PcrUnforeseeable | PaUnforeseeable => Some(RuleKey::IncreaseCapUnforeseeable),
            PaKnownRisk => Some(RuleKey::IncreaseCapKnownRisk),
            _ => None,
        }
    }

    /// What the authority must itself be satisfied of on this ground: the conditions no
    /// figure can test.
    pub fn conditions(self) -> &'static str {
        use ModificationGround::*;
        match self {
            PcrReviewClause => {
                "the initial procurement documents provide for it in clear, precise and unequivocal review clauses that state its scope, nature and conditions and do not alter the overall nature of the contract"
            }
            PcrAdditional => {
                "the additional works, services or supplies have become necessary, were not in the initial procurement, and a change of contractor cannot be made for economic or technical reasons and would cause significant inconvenience or substantial duplication of costs; successive modifications must not aim to circumvent the Regulations (reg 72(2)(b))"
            }
            PcrUnforeseeable => {
                "the need was brought about by circumstances a diligent contracting authority could not have foreseen and the modification does not alter the overall nature of the contract; successive modifications must not aim to circumvent the Regulations (reg 72(2)(b))"
            }
            PcrNewContractor => {
                "the new contractor replaces the original one under an unequivocal review clause, or succeeds to its position on a corporate restructuring, meets the original selection criteria, and there are no other substantial modifications"
            }
            PcrNotSubstantial => {
                "the modification does not render the contract materially different in character, introduce conditions that would have admitted other candidates or tenders, shift the economic balance in the contractor's favour, extend the scope considerably, or replace the contractor (reg 72(8))"
            }
            PcrDeMinimis => "the modification does not alter the overall nature of the contract",
            PaProvidedFor => {
                "the possibility of the modification is unambiguously provided for in the contract as awarded and in the tender or transparency notice, and it does not change the overall nature of the contract"
            }
            PaUrgency => {
                "its purpose could otherwise be achieved by a direct award under s41 for extreme and unavoidable urgency (Sch 5 para 13) or under regulations to protect life (s42)"
            }
            PaUnforeseeable => {
                "the circumstances could not reasonably have been foreseen before the award and the modification does not change the overall nature of the contract"
            }
            PaKnownRisk => {
                "a known risk identified in the tender or transparency notice has materialised through no act or omission of the authority or supplier, and modifying the contract is in the public interest"
            }
            PaAdditional => {
                "the goods, services or works are additional to those provided for and a change of supplier would bring incompatible or non-interchangeable goods, services or works, or significant inconvenience or substantial duplication of costs"
            }
            PaCorporateRestructuring => {
                "the contract passes by novation or assignment to a successor on a corporate restructuring and the successor is not an excluded supplier"
            }
            PaNotSubstantial => {
                "the modification does not materially change the scope of the contract or its economic balance in the supplier's favour (s74(3)(b) and (c))"
            }
            PaBelowThreshold => {
                "the modification does not materially change the scope of the contract (s74(4)(c))"
            }
            PaLightTouch => "the contract is for light touch services",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grounds_label_cites_its_regime_and_provision() {
        for g in ModificationGround::ALL {
            let prefix = match g.regime() {
                Regime::Pcr2015 => "PCR 2015 ",
                Regime::Pa2023 => "PA2023 ",
            };
            assert!(g.label().starts_with(prefix), "{g}");
            assert!(g.provision().starts_with(prefix), "{g}");
            assert!(g.label().starts_with(g.provision()), "{g}");
            assert_eq!(g.as_str().parse::<ModificationGround>(), Ok(*g));
        }
    }
}
