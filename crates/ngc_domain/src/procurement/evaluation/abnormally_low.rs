//! Abnormally low bids: a screening rule held as data (`data/abnormally_low.csv`) flags a bid
//! whose price is more than a stated percentage below the mean of the other bids, or below
//! the buyer's estimate; the buyer must then ask for and consider an explanation before it
//! accepts or rejects the bid ([`status`]).
//!
//! There is no statutory percentage. PCR 2015 reg 69 requires the buyer to ask the tenderer
//! to explain a price that appears abnormally low, and lets it reject the tender only where
//! the evidence does not account for it; PA2023 s34 lets the buyer disregard a tender as
//! abnormally low only after giving the supplier the chance to show it can perform for the
//! price. So the shipped rows are marked `confirmed=false`: their percentage is ngc's
//! screening default, and a flag is a prompt to ask, never a rejection.

pub mod status;

pub use status::{AbnormallyLowAction, AbnormallyLowError, AbnormallyLowStatus, transition};

use crate::money::{Money, Rounding};
use crate::procurement::table::{DataError, Table};
use crate::slug::Slug;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What a bid's price is compared with.
    pub enum ScreeningBasis as "screening basis" {
        /// The mean price of the other bids for the same lot (needs at least one other bid).
        MeanOfOtherBids = "mean_of_other_bids", "the mean of the other bids";
        /// The buyer's estimate of the contract's value (when it made one).
        BuyerEstimate = "buyer_estimate", "the buyer's estimate";
    }
}

/// One screening rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningRule {
    /// The rule's key (`below_mean_of_other_bids`).
    pub rule: String,
    /// A bid more than this many per cent below the basis is flagged.
    pub threshold_percent: Decimal,
    /// What the price is compared with.
    pub basis: ScreeningBasis,
    /// Where the figure comes from.
    pub source: String,
    /// Whether the figure was checked against the law (never, for a screening default).
    pub confirmed: bool,
}

/// The screening rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningRules {
    rows: Vec<ScreeningRule>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("../data/abnormally_low.csv");

impl ScreeningRules {
    /// The rules shipped with ngc: 20% below the mean of the other bids, or below the
    /// buyer's estimate (both unconfirmed screening defaults).
    pub fn shipped() -> ScreeningRules {
        ScreeningRules::from_csv_str("abnormally_low.csv", SHIPPED_CSV)
            .expect("the shipped abnormally-low rules parse")
    }

    /// Reads rules from CSV with the columns `rule,threshold_percent,basis,source,confirmed`.
    pub fn from_csv_str(file: &str, text: &str) -> Result<ScreeningRules, DataError> {
        let table = Table::parse(
            file,
            text,
            &["rule", "threshold_percent", "basis", "source", "confirmed"],
        )?;
        let mut rows: Vec<ScreeningRule> = Vec::new();
        for row in table.rows() {
            let rule = row.text("rule")?;
            if rows.iter().any(|r| r.rule == rule) {
                return Err(row.error("rule", format!("`{rule}` appears twice")));
            }
            let threshold_percent: Decimal = row.parse("threshold_percent")?;
            if threshold_percent <= Decimal::ZERO || threshold_percent >= Decimal::ONE_HUNDRED {
                return Err(row.error(
                    "threshold_percent",
                    format!("{threshold_percent} is not a percentage above 0 and below 100"),
                ));
            }
            rows.push(ScreeningRule {
                rule,
                threshold_percent,
                basis: row.parse("basis")?,
                source: row.text("source")?,
                confirmed: row.flag("confirmed")?,
            });
        }
        Ok(ScreeningRules { rows })
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[ScreeningRule] {
        &self.rows
    }
}

/// Why a bid was flagged by one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagReason {
    /// The rule's key.
    pub rule: String,
    /// What the price was compared with.
    pub basis: ScreeningBasis,
    /// The figure compared with, rounded to the penny for display.
    pub compared_with: Money,
    /// The rule's percentage.
    pub threshold_percent: Decimal,
    /// How far below the figure the price is, in per cent, to 2 places (halves up).
    pub percent_below: Decimal,
    /// Whether the rule's percentage was confirmed (never, for a screening default).
    pub confirmed: bool,
    /// The reason in words.
    pub text: String,
}

/// A bid flagged as possibly abnormally low.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// The bidder.
    pub bidder: Slug,
    /// The bid's price.
    pub price: Money,
    /// Each rule that flagged it.
    pub reasons: Vec<FlagReason>,
}

/// Screens each bid's price (for one lot) against `rules`: the mean of the other bids (when
/// there is another bid) and the buyer's `estimate` (when there is one). A bid is flagged when
/// its price is more than the rule's percentage below the figure, compared exactly. Returns
/// the flagged bids in the order of `bids`.
pub fn screen(
    bids: &[(Slug, Money)],
    estimate: Option<Money>,
    rules: &ScreeningRules,
) -> Vec<Flag> {
    let total: Decimal = bids.iter().map(|(_, p)| p.to_decimal()).sum();
    bids.iter()
        .filter_map(|(bidder, price)| {
            let reasons: Vec<FlagReason> = rules
                .rows
                .iter()
                .filter_map(|rule| {
                    let compared_with = match rule.basis {
                        ScreeningBasis::MeanOfOtherBids if bids.len() > 1 => {
                            (total - price.to_decimal()) / Decimal::from(bids.len() - 1)
                        }
                        ScreeningBasis::BuyerEstimate => estimate?.to_decimal(),
                        ScreeningBasis::MeanOfOtherBids => return None,
                    };
                    flag_reason(rule, *price, compared_with)
                })
                .collect();
            (!reasons.is_empty()).then(|| Flag {
                bidder: bidder.clone(),
                price: *price,
                reasons,
            })
        })
        .collect()
}

fn flag_reason(rule: &ScreeningRule, price: Money, compared_with: Decimal) -> Option<FlagReason> {
    if compared_with <= Decimal::ZERO {
        return None;
    }
    let below = compared_with - price.to_decimal();
    // More than N% below: below ÷ figure > N ÷ 100, multiplied out to stay exact.
    if below * Decimal::ONE_HUNDRED <= rule.threshold_percent * compared_with {
        return None;
    }
    let percent_below = crate::money::round_pct(below * Decimal::ONE_HUNDRED / compared_with);
    let shown = Money::from_decimal_rounded(compared_with, Rounding::HalfAwayFromZero)
        .expect("a mean of amounts is an amount");
    let default = if rule.confirmed {
        String::new()
    } else {
        " (ngc's screening default, not a statutory figure)".to_owned()
    };
    Some(FlagReason {
        rule: rule.rule.clone(),
        basis: rule.basis,
        compared_with: shown,
        threshold_percent: rule.threshold_percent,
        percent_below,
        confirmed: rule.confirmed,
        text: format!(
            "{} is {}% below {} ({}); bids more than {}% below it are flagged{default}: ask the supplier to explain its price before deciding",
            price.fmt_gbp(),
            percent_below,
            rule.basis.label(),
            shown.fmt_gbp(),
            rule.threshold_percent.normalize(),
        ),
    })
}

#[cfg(test)]
mod tests;
