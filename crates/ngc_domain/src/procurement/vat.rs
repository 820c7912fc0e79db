//! The standard rate of VAT by date (`data/vat_rates.csv`), and comparing a value with a
//! threshold like with like: both including VAT, or both excluding it.

use super::table::{DataError, Table, check_increasing};
use super::thresholds::VatBasis;
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The standard rate in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VatRate {
    /// The first day it applies.
    pub from: NaiveDate,
    /// The rate in per cent.
    pub standard_rate_pct: Decimal,
    /// Whether the row was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

/// Standard VAT rates by date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatRates {
    rows: Vec<VatRate>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("data/vat_rates.csv");

impl VatRates {
    /// The rates shipped with ngc (20% from 4 January 2011).
    pub fn shipped() -> VatRates {
        VatRates::from_csv_str("vat_rates.csv", SHIPPED_CSV).expect("the shipped VAT rates parse")
    }

    /// Reads rates from CSV with the header `from,standard_rate_pct,confirmed,source`.
    pub fn from_csv_str(file: &str, text: &str) -> Result<VatRates, DataError> {
        let table = Table::parse(
            file,
            text,
            &["from", "standard_rate_pct", "confirmed", "source"],
        )?;
        let mut rows: Vec<VatRate> = Vec::new();
        for row in table.rows() {
            let from = row.date("from")?;
            check_increasing(rows.last().map(|r| r.from), &row, "from", from)?;
            let pct: Decimal = row.parse("standard_rate_pct")?;
            if pct.is_sign_negative() || pct >= Decimal::ONE_HUNDRED {
                return Err(row.error("standard_rate_pct", format!("{pct} is not a rate")));
            }
            rows.push(VatRate {
                from,
                standard_rate_pct: pct,
                confirmed: row.flag("confirmed")?,
                source: row.text("source")?,
            });
        }
        Ok(VatRates { rows })
    }

    /// The rate in force on `date`, if the data reaches back that far.
    pub fn on(&self, date: NaiveDate) -> Option<&VatRate> {
        self.rows.iter().rev().find(|r| r.from <= date)
    }
}

/// A value compared with a threshold, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Whether the value equals or exceeds the threshold.
    pub at_or_above: bool,
    /// How the comparison was made, in words.
    pub explanation: String,
    /// The VAT rate used to convert, when the bases differed.
    pub vat_rate: Option<VatRate>,
}

/// Compares `value` (on `value_basis`) with `threshold` (on `threshold_basis`). When the bases
/// differ, the amount excluding VAT is grossed up at the standard rate in force on `date`, exactly
/// (no rounding), so both sides include VAT.
pub fn compare(
    value: Money,
    value_basis: VatBasis,
    threshold: Money,
    threshold_basis: VatBasis,
    date: NaiveDate,
    rates: &VatRates,
) -> Result<Comparison, NaiveDate> {
    if value_basis == threshold_basis {
        let at_or_above = value >= threshold;
        return Ok(Comparison {
            at_or_above,
            explanation: format!(
                "{} {} compared with the threshold {} {}: {}",
                value.fmt_gbp(),
                value_basis.label(),
                threshold.fmt_gbp(),
                threshold_basis.label(),
                if at_or_above { "at or above" } else { "below" }
            ),
            vat_rate: None,
        });
    }
    let rate = rates.on(date).ok_or(date)?;
    let factor = Decimal::ONE + rate.standard_rate_pct / Decimal::ONE_HUNDRED;
    let gross = |m: Money| m.to_decimal() * factor;
    let show = |d: Decimal| {
        Money::from_decimal_rounded(d, crate::money::Rounding::HalfAwayFromZero)
            .map(Money::fmt_gbp)
            .unwrap_or_else(|_| d.to_string())
    };
    let (at_or_above, explanation) = match value_basis {
        VatBasis::ExcludingVat => {
            let v = gross(value);
            (
                v >= threshold.to_decimal(),
                format!(
                    "{} excluding VAT grossed up at the standard rate of {}% to {} including VAT, compared with the threshold {} including VAT",
                    value.fmt_gbp(),
                    rate.standard_rate_pct,
                    show(v),
                    threshold.fmt_gbp()
                ),
            )
        }
        VatBasis::IncludingVat => {
            let t = gross(threshold);
            (
                value.to_decimal() >= t,
                format!(
                    "{} including VAT compared with the threshold {} excluding VAT grossed up at the standard rate of {}% to {} including VAT",
                    value.fmt_gbp(),
                    threshold.fmt_gbp(),
                    rate.standard_rate_pct,
                    show(t)
                ),
            )
        }
    };
    Ok(Comparison {
        at_or_above,
        explanation: format!(
            "{explanation}: {}",
            if at_or_above { "at or above" } else { "below" }
        ),
        vat_rate: Some(rate.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn twenty_per_cent_from_4_january_2011() {
        let rates = VatRates::shipped();
        assert!(rates.on(day("2011-01-03")).is_none());
        assert_eq!(
            rates.on(day("2011-01-04")).unwrap().standard_rate_pct,
            Decimal::from(20)
        );
    }

    #[rstest]
    // 2020 threshold £189,330 excluding VAT is £227,196 including VAT.
    #[case::incl_just_below(
        "227195.99",
        VatBasis::IncludingVat,
        "189330",
        VatBasis::ExcludingVat,
        false
    )]
    #[case::incl_equal(
        "227196",
        VatBasis::IncludingVat,
        "189330",
        VatBasis::ExcludingVat,
        true
    )]
    // 2022 threshold £213,477 including VAT is £177,897.50 excluding VAT.
    #[case::excl_just_below(
        "177897.49",
        VatBasis::ExcludingVat,
        "213477",
        VatBasis::IncludingVat,
        false
    )]
    #[case::excl_equal(
        "177897.50",
        VatBasis::ExcludingVat,
        "213477",
        VatBasis::IncludingVat,
        true
    )]
    #[case::same_basis_below(
        "213476.99",
        VatBasis::IncludingVat,
        "213477",
        VatBasis::IncludingVat,
        false
    )]
    #[case::same_basis_equal(
        "189330",
        VatBasis::ExcludingVat,
        "189330",
        VatBasis::ExcludingVat,
        true
    )]
    fn comparisons_are_like_with_like_and_exact(
        #[case] value: &str,
        #[case] value_basis: VatBasis,
        #[case] threshold: &str,
        #[case] threshold_basis: VatBasis,
        #[case] at_or_above: bool,
    ) {
        let c = compare(
            m(value),
            value_basis,
            m(threshold),
            threshold_basis,
            day("2022-06-01"),
            &VatRates::shipped(),
        )
        .unwrap();
        assert_eq!(c.at_or_above, at_or_above, "{}", c.explanation);
        assert_eq!(c.vat_rate.is_some(), value_basis != threshold_basis);
    }

    #[test]
    fn the_explanation_names_the_rate_and_the_converted_amount() {
        let c = compare(
            m("200000"),
            VatBasis::IncludingVat,
            m("189330"),
            VatBasis::ExcludingVat,
            day("2020-06-01"),
            &VatRates::shipped(),
        )
        .unwrap();
        assert!(c.explanation.contains("20%"), "{}", c.explanation);
        assert!(c.explanation.contains("£227,196.00"), "{}", c.explanation);
        assert!(!c.at_or_above);
    }

    #[test]
    fn no_rate_before_the_data_is_an_error() {
        let err = compare(
            m("1"),
            VatBasis::IncludingVat,
            m("1"),
            VatBasis::ExcludingVat,
            day("2010-01-01"),
            &VatRates::shipped(),
        )
        .unwrap_err();
        assert_eq!(err, day("2010-01-01"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn bases() -> impl Strategy<Value = VatBasis> {
            prop_oneof![Just(VatBasis::ExcludingVat), Just(VatBasis::IncludingVat)]
        }

        proptest! {
            #[test]
            fn a_larger_value_is_never_further_below(
                a in 0i64..10_000_000_000,
                b in 0i64..10_000_000_000,
                t in 0i64..1_000_000_000,
                vb in bases(),
                tb in bases(),
            ) {
                let rates = VatRates::shipped();
                let on = day("2020-06-01");
                let (lo, hi) = (a.min(b), a.max(b));
                let low = compare(Money::pence(lo), vb, Money::pence(t), tb, on, &rates).unwrap();
                let high = compare(Money::pence(hi), vb, Money::pence(t), tb, on, &rates).unwrap();
                prop_assert!(!low.at_or_above || high.at_or_above);
            }

            #[test]
            fn grossing_up_either_side_gives_the_same_answer(v in 0i64..10_000_000_000, t in 0i64..1_000_000_000) {
                // value incl. VAT vs threshold excl. VAT  ==  value excl. VAT (v / 1.2) vs the same,
                // whenever v / 1.2 is whole pence.
                let rates = VatRates::shipped();
                let on = day("2020-06-01");
                let v = v - v % 12;
                let incl = compare(Money::pence(v), VatBasis::IncludingVat, Money::pence(t), VatBasis::ExcludingVat, on, &rates).unwrap();
                let excl = compare(Money::pence(v / 12 * 10), VatBasis::ExcludingVat, Money::pence(t), VatBasis::ExcludingVat, on, &rates).unwrap();
                prop_assert_eq!(incl.at_or_above, excl.at_or_above);
            }
        }
    }
}
