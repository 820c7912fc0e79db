//! Price scoring: a stated method turns each bid's price into a score out of a maximum (the
//! price criterion's weight, so the score is its weighted contribution).
//!
//! Arithmetic is exact (`Decimal`) and the score is rounded once, at the end, to
//! [`SCORE_PLACES`] decimal places with halves rounded up ([`ROUNDING_RULE`]).

use super::criteria::{CriteriaSet, CriterionKind};
use crate::money::Money;
use crate::slug::Slug;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The decimal places of every evaluation score and weighted figure.
pub const SCORE_PLACES: u32 = 2;

/// The rounding of every evaluation score and weighted figure, in words.
pub const ROUNDING_RULE: &str =
    "scores are worked out exactly and rounded once to 2 decimal places, halves rounded up";

/// Rounds a score to [`SCORE_PLACES`] places, halves away from zero (scores are never
/// negative, so halves go up), and writes it with exactly that many places (`40.00`).
pub fn round_score(score: Decimal) -> Decimal {
    let mut rounded =
        score.round_dp_with_strategy(SCORE_PLACES, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(SCORE_PLACES);
    rounded
}

crate::text_enum! {
    /// How a bid's price becomes a score.
    pub enum PriceMethod as "price scoring method" {
        /// The lowest price ÷ the bid's price × the maximum: the lowest bid scores the maximum
        /// and a bid twice the lowest scores half.
        LowestOverBid = "lowest_over_bid", "Lowest price ÷ bid price × maximum";
        /// The maximum less one per cent of it for each per cent the bid is above the lowest
        /// price, never below zero: a bid twice the lowest (or more) scores nothing.
        RelativeDifference = "relative_difference", "Maximum × (1 − (bid − lowest) ÷ lowest), floored at 0";
    }
}

impl PriceMethod {
    /// The method in a sentence, for the tender's page and the assessment summary.
    pub fn describe(self) -> &'static str {
        match self {
            PriceMethod::LowestOverBid => {
                "The lowest price tendered is divided by the bid's price and multiplied by the maximum score for price, so the lowest price scores the maximum and a price twice the lowest scores half of it; scores are worked out exactly and rounded once to 2 decimal places, halves rounded up."
            }
            PriceMethod::RelativeDifference => {
                "The maximum score for price is reduced by the bid's difference from the lowest price as a share of the lowest price, so the lowest price scores the maximum, a price 10% above it scores 90% of the maximum, and a price twice the lowest or more scores 0; scores are worked out exactly and rounded once to 2 decimal places, halves rounded up."
            }
        }
    }

    /// The score of a bid priced `bid` when the lowest price is `lowest`, out of `maximum`,
    /// rounded by [`round_score`].
    pub fn score(self, bid: Money, lowest: Money, maximum: Decimal) -> Result<Decimal, PriceError> {
        if !lowest.is_positive() {
            return Err(PriceError::NotPositive {
                bidder: None,
                price: lowest,
            });
        }
        if bid < lowest {
            return Err(PriceError::BelowLowest { bid, lowest });
        }
        if maximum.is_sign_negative() {
            return Err(PriceError::NegativeMaximum { maximum });
        }
        let (bid, lowest) = (bid.to_decimal(), lowest.to_decimal());
        // Multiply before dividing, so a score that is exactly a half-penny midpoint is seen
        // as one. Prices and maxima within reason never overflow; the check is for the rest.
        let exact = match self {
            // lowest × maximum ÷ bid
            PriceMethod::LowestOverBid => lowest.checked_mul(maximum).map(|n| n / bid),
            // maximum × (1 − (bid − lowest) ÷ lowest) = maximum × (2 × lowest − bid) ÷ lowest
            PriceMethod::RelativeDifference => (lowest + lowest - bid)
                .checked_mul(maximum)
                .map(|n| (n / lowest).max(Decimal::ZERO)),
        };
        exact
            .map(round_score)
            .ok_or(PriceError::Overflow { maximum })
    }
}

/// A bid's price score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceScore {
    /// The bidder (the supplier's slug).
    pub bidder: Slug,
    /// The bid's price.
    pub price: Money,
    /// The lowest price among the bids scored together.
    pub lowest: Money,
    /// The method.
    pub method: PriceMethod,
    /// The maximum score (the price criterion's weight).
    pub maximum: Decimal,
    /// The score, out of `maximum`, to [`SCORE_PLACES`] places.
    pub score: Decimal,
}

/// Why prices could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// A price of zero or less cannot be divided by.
    #[error("{}", not_positive(bidder.as_ref(), *price))]
    NotPositive {
        /// The bidder, when known.
        bidder: Option<Slug>,
        /// The price.
        price: Money,
    },
    /// A bid below the stated lowest price.
    #[error("the bid price {} is below the lowest price {}", bid.fmt_gbp(), lowest.fmt_gbp())]
    BelowLowest {
        /// The bid's price.
        bid: Money,
        /// The stated lowest price.
        lowest: Money,
    },
    /// A negative maximum score.
    #[error("the maximum score for price may not be negative ({maximum})")]
    NegativeMaximum {
        /// The maximum.
        maximum: Decimal,
    },
    /// The figures are beyond exact decimal arithmetic.
    #[error("a maximum score for price of {maximum} is too large to work with")]
    Overflow {
        /// The maximum.
        maximum: Decimal,
    },
    /// One bidder priced twice.
    #[error("`{bidder}` has two prices: a bidder has one bid per lot")]
    DuplicateBidder {
        /// The bidder.
        bidder: Slug,
    },
    /// The criteria set has no price criterion to score by.
    #[error("criteria set `{set}` has no price criterion: its bids are scored on quality alone")]
    NoPriceCriterion {
        /// The criteria set's name.
        set: String,
    },
}

fn not_positive(bidder: Option<&Slug>, price: Money) -> String {
    match bidder {
        Some(b) => format!(
            "the price of `{b}`'s bid ({}) must be above zero to be scored",
            price.fmt_gbp()
        ),
        None => format!(
            "the lowest price ({}) must be above zero to score against",
            price.fmt_gbp()
        ),
    }
}

/// Scores every bid's price by `method` out of `maximum`, against the lowest of them.
/// The scores come back in the order of `bids`.
pub fn score_prices(
    method: PriceMethod,
    maximum: Decimal,
    bids: &[(Slug, Money)],
) -> Result<Vec<PriceScore>, PriceError> {
    for (i, (bidder, price)) in bids.iter().enumerate() {
        if !price.is_positive() {
            return Err(PriceError::NotPositive {
                bidder: Some(bidder.clone()),
                price: *price,
            });
        }
        if bids[..i].iter().any(|(b, _)| b == bidder) {
            return Err(PriceError::DuplicateBidder {
                bidder: bidder.clone(),
            });
        }
    }
    let Some(lowest) = bids.iter().map(|(_, p)| *p).min() else {
        return Ok(Vec::new());
    };
    bids.iter()
        .map(|(bidder, price)| {
            Ok(PriceScore {
                bidder: bidder.clone(),
                price: *price,
                lowest,
                method,
                maximum,
                score: method.score(*price, lowest, maximum)?,
            })
        })
        .collect()
}

/// Scores every bid's price by the criteria set's price criterion: its method, out of its
/// weight.
pub fn score_prices_for(
    set: &CriteriaSet,
    bids: &[(Slug, Money)],
) -> Result<Vec<PriceScore>, PriceError> {
    let criterion = set.price().ok_or_else(|| PriceError::NoPriceCriterion {
        set: set.name().to_owned(),
    })?;
    let CriterionKind::Price { method } = criterion.kind else {
        unreachable!("CriteriaSet::price returns the price criterion")
    };
    score_prices(method, criterion.weight, bids)
}

#[cfg(test)]
mod tests;
