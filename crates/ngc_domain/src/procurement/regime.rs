//! Which law governs a procurement: the Public Contracts Regulations 2015 go on applying to
//! procurements commenced before 24 February 2025; the Procurement Act 2023 applies to those
//! commenced from that date (transitional provisions, SI 2024/716 reg 5).

use super::working_days::WorkingDayRule;
use chrono::NaiveDate;
use serde::Serialize;

crate::text_enum! {
    /// The procurement regime.
    pub enum Regime as "regime" {
        /// The Public Contracts Regulations 2015 (SI 2015/102).
        Pcr2015 = "pcr2015", "Public Contracts Regulations 2015";
        /// The Procurement Act 2023.
        Pa2023 = "pa2023", "Procurement Act 2023";
    }
}

crate::text_enum! {
    /// The event that commenced a procurement (SI 2024/716 reg 5).
    pub enum CommencingEvent as "commencing event" {
        /// A contract notice (or tender notice) submitted for publication.
        ContractNotice = "contract_notice", "Contract notice submitted for publication";
        /// A prior information notice used as a call for competition submitted for publication.
        PriorInformationNotice = "prior_information_notice", "Prior information notice (call for competition) submitted";
        /// Suppliers first contacted about the procurement without a call for competition
        /// (a negotiated procedure without prior publication, or a direct award).
        SupplierContacted = "supplier_contacted", "Suppliers first contacted";
    }
}

/// The first day of the Procurement Act 2023 regime.
pub const PA2023_COMMENCEMENT: NaiveDate = match NaiveDate::from_ymd_opt(2025, 2, 24) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The legal reference for the choice of regime.
pub const REGIME_REFERENCE: &str = "SI 2024/716 reg 5: procurements commenced before 24 February 2025 continue under PCR 2015; the Procurement Act 2023 applies to those commenced from that date";

impl Regime {
    /// The regime of a procurement commenced on `date`.
    pub fn for_commencement(date: NaiveDate) -> Regime {
        if date < PA2023_COMMENCEMENT {
            Regime::Pcr2015
        } else {
            Regime::Pa2023
        }
    }

    /// Which days are working days for this regime's time periods.
    pub fn working_days(self) -> WorkingDayRule {
        match self {
            Regime::Pcr2015 => WorkingDayRule::EnglandAndWales,
            Regime::Pa2023 => WorkingDayRule::AnyPartOfUk,
        }
    }
}

/// The commencement of a procurement: the event and its date. It decides the regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Commencement {
    /// What commenced the procurement.
    pub event: CommencingEvent,
    /// The day it happened.
    pub date: NaiveDate,
}

impl Commencement {
    /// The regime that governs the procurement.
    pub fn regime(&self) -> Regime {
        Regime::for_commencement(self.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::pcr_start("2015-02-26", Regime::Pcr2015)]
    #[case::last_pcr_day("2025-02-23", Regime::Pcr2015)]
    #[case::first_act_day("2025-02-24", Regime::Pa2023)]
    #[case::later("2026-11-28", Regime::Pa2023)]
    fn the_regime_follows_the_commencement_date(#[case] date: &str, #[case] regime: Regime) {
        let date: NaiveDate = date.parse().unwrap();
        let c = Commencement {
            event: CommencingEvent::ContractNotice,
            date,
        };
        assert_eq!(c.regime(), regime);
    }
}
