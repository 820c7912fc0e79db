//! Notice duties for contracts below the thresholds, by regime and date
//! (`data/below_threshold_notices.csv`): Contracts Finder under PCR 2015 Part 4, notifiable
//! below-threshold contracts under the Procurement Act 2023 Part 6.

use super::regime::Regime;
use super::table::{DataError, Table, check_increasing};
use super::thresholds::VatBasis;
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// A below-threshold notice duty in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeDuty {
    /// The regime.
    pub regime: Regime,
    /// The first day it applies.
    pub from: NaiveDate,
    /// The value from which the duty applies.
    pub amount: Money,
    /// Whether `amount` includes VAT.
    pub basis: VatBasis,
    /// What must be published.
    pub duty: String,
    /// The legal reference.
    pub reference: String,
    /// Whether the row was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

/// The below-threshold notice duties of each regime, in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDuties {
    rows: Vec<NoticeDuty>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("data/below_threshold_notices.csv");

impl NoticeDuties {
    /// The duties shipped with ngc.
    pub fn shipped() -> NoticeDuties {
        NoticeDuties::from_csv_str("below_threshold_notices.csv", SHIPPED_CSV)
            .expect("the shipped below-threshold notice duties parse")
    }

    /// Reads duties from CSV with the header
    /// `regime,from,amount,basis,duty,reference,confirmed,source`; each regime's rows in date order.
    pub fn from_csv_str(file: &str, text: &str) -> Result<NoticeDuties, DataError> {
        let table = Table::parse(
            file,
            text,
            &[
                "regime",
                "from",
                "amount",
                "basis",
                "duty",
                "reference",
                "confirmed",
                "source",
            ],
        )?;
        let mut rows: Vec<NoticeDuty> = Vec::new();
        for row in table.rows() {
            let regime: Regime = row.parse("regime")?;
            let from = row.date("from")?;
            let previous = rows
                .iter()
                .rev()
                .find(|r| r.regime == regime)
                .map(|r| r.from);
            check_increasing(previous, &row, "from", from)?;
            rows.push(NoticeDuty {
                regime,
                from,
                amount: row.money("amount")?,
                basis: row.parse("basis")?,
                duty: row.text("duty")?,
                reference: row.text("reference")?,
                confirmed: row.flag("confirmed")?,
                source: row.text("source")?,
            });
        }
        Ok(NoticeDuties { rows })
    }

    /// The duty of `regime` in force on `date`, if any.
    pub fn on(&self, regime: Regime, date: NaiveDate) -> Option<&NoticeDuty> {
        self.rows
            .iter()
            .rev()
            .find(|r| r.regime == regime && r.from <= date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::pcr_2015(Regime::Pcr2015, "2015-02-26", "25000", VatBasis::ExcludingVat)]
    #[case::pcr_last_day_excluding(Regime::Pcr2015, "2021-12-31", "25000", VatBasis::ExcludingVat)]
    #[case::pcr_2022_including(Regime::Pcr2015, "2022-01-01", "25000", VatBasis::IncludingVat)]
    #[case::pcr_day_before_30k(Regime::Pcr2015, "2022-12-20", "25000", VatBasis::IncludingVat)]
    #[case::pcr_30k(Regime::Pcr2015, "2022-12-21", "30000", VatBasis::IncludingVat)]
    #[case::act(Regime::Pa2023, "2025-02-24", "30000", VatBasis::IncludingVat)]
    fn duties_change_on_their_boundary_dates(
        #[case] regime: Regime,
        #[case] on: &str,
        #[case] amount: &str,
        #[case] basis: VatBasis,
    ) {
        let duties = NoticeDuties::shipped();
        let duty = duties.on(regime, on.parse().unwrap()).unwrap();
        assert_eq!((duty.amount, duty.basis), (amount.parse().unwrap(), basis));
    }

    #[test]
    fn no_act_duty_before_the_act() {
        assert!(
            NoticeDuties::shipped()
                .on(Regime::Pa2023, "2025-02-23".parse().unwrap())
                .is_none()
        );
    }
}
