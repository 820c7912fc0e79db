//! The procedures of each regime and the types of contract.

use super::regime::Regime;

crate::text_enum! {
    /// The type of contract, which picks the threshold.
    pub enum ContractType as "contract type" {
        /// Supplies (goods).
        Supplies = "supplies", "Supplies";
        /// Services other than light-touch services.
        Services = "services", "Services";
        /// Works.
        Works = "works", "Works";
        /// Light-touch services (social and other specific services).
        LightTouch = "light_touch", "Light-touch services";
    }
}

crate::text_enum! {
    /// A procedure. `open`, `below_threshold` and `exempt` exist in both regimes; the others
    /// in one only (see [`Procedure::regimes`]).
    pub enum Procedure as "procedure" {
        /// The open procedure (PCR 2015 reg 27; PA2023 s20(2)(a)).
        Open = "open", "Open procedure";
        /// The restricted procedure (PCR 2015 reg 28).
        Restricted = "restricted", "Restricted procedure";
        /// The competitive procedure with negotiation (PCR 2015 reg 29).
        CompetitiveWithNegotiation = "competitive_with_negotiation", "Competitive procedure with negotiation";
        /// The light-touch regime for social and other specific services (PCR 2015 regs 74-76).
        LightTouch = "light_touch", "Light-touch regime";
        /// Quotes for a contract below the threshold (PCR 2015 Part 4, regs 109-112).
        BelowThresholdQuotes = "below_threshold_quotes", "Below-threshold quotes";
        /// The competitive flexible procedure (PA2023 s20(2)(b)).
        CompetitiveFlexible = "competitive_flexible", "Competitive flexible procedure";
        /// Direct award, after a transparency notice (PA2023 ss41, 44, Sch 5).
        DirectAward = "direct_award", "Direct award";
        /// A below-threshold contract (PA2023 Part 6, ss84-88).
        BelowThreshold = "below_threshold", "Below-threshold contract";
        /// A contract outside the regime: PCR 2015 reg 12 (public-public, e.g. a council-owned
        /// company) or PA2023 Sch 2 (exempted contracts, e.g. vertical arrangements).
        Exempt = "exempt", "Exempt contract";
    }
}

impl Procedure {
    /// The regimes that have this procedure.
    pub fn regimes(self) -> &'static [Regime] {
        match self {
            Procedure::Open | Procedure::Exempt => &[Regime::Pcr2015, Regime::Pa2023],
            Procedure::Restricted
            | Procedure::CompetitiveWithNegotiation
            | Procedure::LightTouch
            | Procedure::BelowThresholdQuotes => &[Regime::Pcr2015],
            Procedure::CompetitiveFlexible | Procedure::DirectAward | Procedure::BelowThreshold => {
                &[Regime::Pa2023]
            }
        }
    }

    /// The legal reference for the procedure under `regime`.
    pub fn reference(self, regime: Regime) -> &'static str {
        match (regime, self) {
            (Regime::Pcr2015, Procedure::Open) => "PCR 2015 reg 27",
            (Regime::Pcr2015, Procedure::Restricted) => "PCR 2015 reg 28",
            (Regime::Pcr2015, Procedure::CompetitiveWithNegotiation) => "PCR 2015 reg 29",
            (Regime::Pcr2015, Procedure::LightTouch) => "PCR 2015 regs 74-76",
            (Regime::Pcr2015, Procedure::BelowThresholdQuotes) => "PCR 2015 Part 4 (regs 109-112)",
            (Regime::Pcr2015, Procedure::Exempt) => "PCR 2015 reg 12",
            (Regime::Pa2023, Procedure::Open) => "PA2023 s20(2)(a)",
            (Regime::Pa2023, Procedure::CompetitiveFlexible) => "PA2023 s20(2)(b)",
            (Regime::Pa2023, Procedure::DirectAward) => "PA2023 ss41, 44 and Sch 5",
            (Regime::Pa2023, Procedure::BelowThreshold) => "PA2023 Part 6 (ss84-88)",
            (Regime::Pa2023, Procedure::Exempt) => "PA2023 Sch 2",
            _ => "not a procedure of this regime",
        }
    }
}

/// The procedures open to a procurement of `contract_type` under `regime`, above or below the
/// threshold, in a fixed order (the first is the default).
pub fn available(
    regime: Regime,
    contract_type: ContractType,
    above_threshold: bool,
) -> Vec<Procedure> {
    use Procedure::*;
    match (regime, above_threshold, contract_type) {
        (Regime::Pcr2015, true, ContractType::LightTouch) => vec![LightTouch, Exempt],
        (Regime::Pcr2015, true, _) => vec![Open, Restricted, CompetitiveWithNegotiation, Exempt],
        (Regime::Pcr2015, false, _) => vec![BelowThresholdQuotes, Exempt],
        (Regime::Pa2023, true, _) => vec![Open, CompetitiveFlexible, DirectAward, Exempt],
        (Regime::Pa2023, false, _) => vec![BelowThreshold, Exempt],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_available_procedure_belongs_to_its_regime() {
        for regime in Regime::ALL {
            for ct in ContractType::ALL {
                for above in [true, false] {
                    for p in available(*regime, *ct, above) {
                        assert!(p.regimes().contains(regime), "{p} {regime}");
                        assert_ne!(p.reference(*regime), "not a procedure of this regime");
                    }
                }
            }
        }
    }
}
