//! The procurement pipeline: which planned procurements the pipeline view covers (the next
//! 18 months from a date), and which of them a pipeline notice (UK1, PA2023 s93) would carry,
//! from `data/pipeline_notice.csv` by period.

use super::table::{DataError, Table, check_increasing};
use super::thresholds::VatBasis;
use super::vat::{Comparison, VatRates, compare};
use crate::money::Money;
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// How far ahead the pipeline view looks, in months.
pub const WINDOW_MONTHS: u32 = 18;

/// The first and last day of the pipeline view on `today`: today and 18 months on.
pub fn window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let end = today
        .checked_add_months(Months::new(WINDOW_MONTHS))
        .unwrap_or(NaiveDate::MAX);
    (today, end)
}

/// Whether a procurement planned to go to tender on `planned_tender_on` is in the pipeline
/// view on `today`.
pub fn in_window(today: NaiveDate, planned_tender_on: NaiveDate) -> bool {
    let (from, to) = window(today);
    planned_tender_on >= from && planned_tender_on <= to
}

/// The pipeline notice rule in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PipelineRule {
    /// The first day it applies.
    pub from: NaiveDate,
    /// A planned contract of this estimated value or more is carried.
    pub contract_value: Money,
    /// The VAT basis of `contract_value`.
    pub basis: VatBasis,
    /// The notice is a duty for an authority expecting to pay more than this under relevant
    /// contracts in the coming financial year.
    pub authority_spend: Money,
    /// The notice (UK1).
    pub notice: String,
    /// The legal reference.
    pub reference: String,
    /// Whether the row was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

impl PipelineRule {
    /// The rule in words, with its reference and whether it is confirmed.
    pub fn in_words(&self) -> String {
        format!(
            "a {} pipeline notice carries the planned contracts worth {} or more {} ({}{}); it is a duty for an authority expecting to pay more than {} under relevant contracts in the coming financial year",
            self.notice,
            self.contract_value.fmt_gbp(),
            self.basis.label(),
            self.reference,
            if self.confirmed { "" } else { ", unconfirmed" },
            self.authority_spend.fmt_gbp(),
        )
    }

    /// Whether a planned contract of `value` (on `basis`) would be carried, compared like
    /// with like at the VAT rate of `date`; `Err` names a date with no VAT rate.
    pub fn carries(
        &self,
        value: Money,
        basis: VatBasis,
        date: NaiveDate,
        vat: &VatRates,
    ) -> Result<Comparison, NaiveDate> {
        compare(value, basis, self.contract_value, self.basis, date, vat)
    }
}

/// Pipeline notice rules by date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineRules {
    rows: Vec<PipelineRule>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("data/pipeline_notice.csv");

impl PipelineRules {
    /// The rules shipped with ngc.
    pub fn shipped() -> PipelineRules {
        PipelineRules::from_csv_str("pipeline_notice.csv", SHIPPED_CSV)
            .expect("the shipped pipeline notice rules parse")
    }

    /// Reads rules from CSV with the header
    /// `from,contract_value,basis,authority_spend,notice,reference,confirmed,source`.
    pub fn from_csv_str(file: &str, text: &str) -> Result<PipelineRules, DataError> {
        let table = Table::parse(
            file,
            text,
            &[
                "from",
                "contract_value",
                "basis",
                "authority_spend",
                "notice",
                "reference",
                "confirmed",
                "source",
            ],
        )?;
        let mut rows: Vec<PipelineRule> = Vec::new();
        for row in table.rows() {
            let from = row.date("from")?;
            check_increasing(rows.last().map(|r| r.from), &row, "from", from)?;
            let confirmed = row.flag("confirmed")?;
            let source = row.text("source")?;
            if !confirmed && !source.starts_with("UNCONFIRMED:") {
                return Err(row.error(
                    "source",
                    "an unconfirmed row's source begins with `UNCONFIRMED:`",
                ));
            }
            rows.push(PipelineRule {
                from,
                contract_value: row.money("contract_value")?,
                basis: row.parse("basis")?,
                authority_spend: row.money("authority_spend")?,
                notice: row.text("notice")?,
                reference: row.text("reference")?,
                confirmed,
                source,
            });
        }
        Ok(PipelineRules { rows })
    }

    /// The rule in force on `date`: none before the Procurement Act 2023 (PCR 2015 has no
    /// pipeline notice).
    pub fn on(&self, date: NaiveDate) -> Option<&PipelineRule> {
        self.rows.iter().rev().find(|r| r.from <= date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    #[case::today("2026-03-02", true)]
    #[case::yesterday("2026-03-01", false)]
    #[case::eighteen_months_on("2027-09-02", true)]
    #[case::a_day_later("2027-09-03", false)]
    fn the_view_covers_the_next_eighteen_months(#[case] planned: &str, #[case] shown: bool) {
        assert_eq!(in_window(day("2026-03-02"), day(planned)), shown);
    }

    #[test]
    fn the_shipped_rule_starts_with_the_act_and_says_it_is_unconfirmed() {
        let rules = PipelineRules::shipped();
        assert!(rules.on(day("2025-02-23")).is_none());
        let rule = rules.on(day("2026-03-02")).unwrap();
        assert_eq!(rule.contract_value, Money::pounds(2_000_000));
        assert_eq!(rule.notice, "UK1");
        assert!(!rule.confirmed);
        assert!(rule.in_words().contains("PA2023 s93, unconfirmed"));
    }

    #[rstest]
    #[case::exactly_two_million_including_vat("2000000.00", VatBasis::IncludingVat, true)]
    #[case::a_penny_less("1999999.99", VatBasis::IncludingVat, false)]
    #[case::excluding_vat_grossed_up("1666666.67", VatBasis::ExcludingVat, true)]
    #[case::excluding_vat_just_under("1666666.66", VatBasis::ExcludingVat, false)]
    fn a_contract_worth_two_million_or_more_is_carried(
        #[case] value: &str,
        #[case] basis: VatBasis,
        #[case] carried: bool,
    ) {
        let rules = PipelineRules::shipped();
        let date = day("2026-03-02");
        let c = rules
            .on(date)
            .unwrap()
            .carries(value.parse().unwrap(), basis, date, &VatRates::shipped())
            .unwrap();
        assert_eq!(c.at_or_above, carried, "{}", c.explanation);
    }

    #[test]
    fn an_unconfirmed_row_must_say_so() {
        let text = "from,contract_value,basis,authority_spend,notice,reference,confirmed,source\n\
            2025-02-24,2000000,including_vat,100000000,UK1,s93,false,a guess\n";
        let err = PipelineRules::from_csv_str("p.csv", text).unwrap_err();
        assert_eq!((err.line, err.column.as_str()), (2, "source"));
    }
}
