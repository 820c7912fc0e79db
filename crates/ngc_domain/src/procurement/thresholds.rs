//! The procurement thresholds for sub-central authorities by period (`data/thresholds.csv`):
//! values excluding VAT before 1 January 2022 and including VAT from then.

use super::procedure::ContractType;
use super::table::{DataError, Table, check_increasing};
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

crate::text_enum! {
    /// Whether an amount includes VAT.
    pub enum VatBasis as "VAT basis" {
        /// The amount excludes VAT.
        ExcludingVat = "excluding_vat", "excluding VAT";
        /// The amount includes VAT.
        IncludingVat = "including_vat", "including VAT";
    }
}

/// The thresholds in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThresholdRow {
    /// The first day the row applies.
    pub from: NaiveDate,
    /// Supplies and services contracts.
    pub supplies_services: Money,
    /// Works contracts.
    pub works: Money,
    /// Light-touch (social and other specific) services.
    pub light_touch: Money,
    /// Whether the amounts include VAT.
    pub basis: VatBasis,
    /// Whether the figures were checked against the legislation.
    pub confirmed: bool,
    /// Where the figures come from.
    pub source: String,
}

impl ThresholdRow {
    /// The threshold for a type of contract.
    pub fn amount(&self, contract_type: ContractType) -> Money {
        match contract_type {
            ContractType::Supplies | ContractType::Services => self.supplies_services,
            ContractType::Works => self.works,
            ContractType::LightTouch => self.light_touch,
        }
    }
}

/// The thresholds by period, in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    rows: Vec<ThresholdRow>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("data/thresholds.csv");

impl Thresholds {
    /// The thresholds shipped with ngc (from 26 February 2015).
    pub fn shipped() -> Thresholds {
        Thresholds::from_csv_str("thresholds.csv", SHIPPED_CSV)
            .expect("the shipped thresholds parse")
    }

    /// Reads thresholds from CSV with the header
    /// `from,supplies_services,works,light_touch,basis,confirmed,source`; rows in date order.
    pub fn from_csv_str(file: &str, text: &str) -> Result<Thresholds, DataError> {
        let table = Table::parse(
            file,
            text,
            &[
                "from",
                "supplies_services",
                "works",
                "light_touch",
                "basis",
                "confirmed",
                "source",
            ],
        )?;
        let mut rows: Vec<ThresholdRow> = Vec::new();
        for row in table.rows() {
            let from = row.date("from")?;
            check_increasing(rows.last().map(|r| r.from), &row, "from", from)?;
            rows.push(ThresholdRow {
                from,
                supplies_services: row.money("supplies_services")?,
                works: row.money("works")?,
                light_touch: row.money("light_touch")?,
                basis: row.parse("basis")?,
                confirmed: row.flag("confirmed")?,
                source: row.text("source")?,
            });
        }
        Ok(Thresholds { rows })
    }

    /// The row in force on `date`, if the data reaches back that far.
    pub fn on(&self, date: NaiveDate) -> Option<&ThresholdRow> {
        self.rows.iter().rev().find(|r| r.from <= date)
    }

    /// Every row, in date order.
    pub fn rows(&self) -> &[ThresholdRow] {
        &self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    #[case::before_the_first_row("2015-02-25", None)]
    #[case::first_day("2015-02-26", Some(("172514", "4322012", "625050", VatBasis::ExcludingVat)))]
    #[case::last_day_of_2015("2015-12-31", Some(("172514", "4322012", "625050", VatBasis::ExcludingVat)))]
    #[case::first_day_2016("2016-01-01", Some(("164176", "4104394", "589148", VatBasis::ExcludingVat)))]
    #[case::last_day_2017("2017-12-31", Some(("164176", "4104394", "589148", VatBasis::ExcludingVat)))]
    #[case::first_day_2018("2018-01-01", Some(("181302", "4551413", "615278", VatBasis::ExcludingVat)))]
    #[case::first_day_2020("2020-01-01", Some(("189330", "4733252", "663540", VatBasis::ExcludingVat)))]
    #[case::last_day_2021("2021-12-31", Some(("189330", "4733252", "663540", VatBasis::ExcludingVat)))]
    #[case::first_day_2022("2022-01-01", Some(("213477", "5336937", "663540", VatBasis::IncludingVat)))]
    #[case::first_day_2024("2024-01-01", Some(("214904", "5372609", "663540", VatBasis::IncludingVat)))]
    #[case::act_commencement("2025-02-24", Some(("214904", "5372609", "663540", VatBasis::IncludingVat)))]
    #[case::last_day_2025("2025-12-31", Some(("214904", "5372609", "663540", VatBasis::IncludingVat)))]
    #[case::first_day_2026("2026-01-01", Some(("207720", "5193000", "663540", VatBasis::IncludingVat)))]
    fn thresholds_change_on_their_boundary_dates(
        #[case] on: &str,
        #[case] expected: Option<(&str, &str, &str, VatBasis)>,
    ) {
        let t = Thresholds::shipped();
        let got = t.on(date(on)).map(|r| {
            (
                r.amount(ContractType::Supplies),
                r.amount(ContractType::Works),
                r.amount(ContractType::LightTouch),
                r.basis,
            )
        });
        let expected = expected.map(|(s, w, l, b)| {
            (
                s.parse().unwrap(),
                w.parse().unwrap(),
                l.parse().unwrap(),
                b,
            )
        });
        assert_eq!(got, expected);
        if let Some(row) = t.on(date(on)) {
            assert_eq!(row.amount(ContractType::Services), row.supplies_services);
        }
    }

    #[test]
    fn vat_basis_switches_on_1_january_2022_and_unchecked_rows_say_so() {
        for row in Thresholds::shipped().rows() {
            let expected = if row.from < date("2022-01-01") {
                VatBasis::ExcludingVat
            } else {
                VatBasis::IncludingVat
            };
            assert_eq!(row.basis, expected, "{}", row.from);
            assert_eq!(
                row.confirmed,
                !row.source.starts_with("UNCONFIRMED"),
                "{}",
                row.from
            );
        }
    }

    const HEADER: &str = "from,supplies_services,works,light_touch,basis,confirmed,source";

    #[rstest]
    #[case::bad_date("2015-02-30,1,2,3,excluding_vat,true,x", 2, "from")]
    #[case::bad_amount("2015-02-26,1.001,2,3,excluding_vat,true,x", 2, "supplies_services")]
    #[case::negative("2015-02-26,1,-2,3,excluding_vat,true,x", 2, "works")]
    #[case::bad_basis("2015-02-26,1,2,3,net,true,x", 2, "basis")]
    #[case::bad_flag("2015-02-26,1,2,3,excluding_vat,yes,x", 2, "confirmed")]
    #[case::no_source("2015-02-26,1,2,3,excluding_vat,true,", 2, "source")]
    #[case::out_of_order(
        "2016-01-01,1,2,3,excluding_vat,true,x\n2015-01-01,1,2,3,excluding_vat,true,x",
        3,
        "from"
    )]
    fn errors_name_the_file_line_and_column(
        #[case] rows: &str,
        #[case] line: usize,
        #[case] column: &str,
    ) {
        let err = Thresholds::from_csv_str("t.csv", &format!("{HEADER}\n{rows}")).unwrap_err();
        assert_eq!(
            (err.file.as_str(), err.line, err.column.as_str()),
            ("t.csv", line, column),
            "{err}"
        );
    }
}
