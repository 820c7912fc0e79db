//! Ranking bids by weighted total, with ties broken by stated rules.
//!
//! The higher total ranks first. Bids with equal totals are ordered by the tender's stated
//! tie-break rules in turn, by default [`DEFAULT_TIE_BREAKS`]: the higher quality score, then
//! the lower price, then the earlier submission. Bids equal on every stated rule (the same
//! total, quality, price and submission instant) are ordered by the supplier's key,
//! alphabetically, so the order is total and deterministic: every bid has its own rank, and
//! the same bids always rank the same way whatever order they come in.

use super::scores::WeightedTotal;
use crate::money::Money;
use crate::slug::Slug;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

crate::text_enum! {
    /// A rule ordering two bids whose totals are equal.
    pub enum TieBreak as "tie-break rule" {
        /// The bid with the higher quality score (the sum of the quality contributions) first.
        HigherQualityScore = "higher_quality_score", "the higher quality score";
        /// The bid with the lower price first.
        LowerPrice = "lower_price", "the lower price";
        /// The bid submitted first (by the server's clock) first.
        EarlierSubmission = "earlier_submission", "the earlier submission";
    }
}

/// ngc's default tie-break: the higher quality score, then the lower price, then the earlier
/// submission.
pub const DEFAULT_TIE_BREAKS: &[TieBreak] = &[
    TieBreak::HigherQualityScore,
    TieBreak::LowerPrice,
    TieBreak::EarlierSubmission,
];

crate::text_enum! {
    /// What placed a bid above the bid ranked next.
    pub enum RankBasis as "rank basis" {
        /// A higher total.
        HigherTotal = "higher_total", "a higher total score";
        /// An equal total and a higher quality score.
        HigherQualityScore = "higher_quality_score", "an equal total and the higher quality score";
        /// An equal total and a lower price.
        LowerPrice = "lower_price", "an equal total and the lower price";
        /// An equal total and an earlier submission.
        EarlierSubmission = "earlier_submission", "an equal total and the earlier submission";
        /// Equal on every stated rule: the supplier's key, alphabetically.
        BidderKey = "bidder_key", "equal on every stated rule, so by the supplier's key alphabetically";
    }
}

impl From<TieBreak> for RankBasis {
    fn from(t: TieBreak) -> RankBasis {
        match t {
            TieBreak::HigherQualityScore => RankBasis::HigherQualityScore,
            TieBreak::LowerPrice => RankBasis::LowerPrice,
            TieBreak::EarlierSubmission => RankBasis::EarlierSubmission,
        }
    }
}

/// The tie-break rules in a sentence, for the tender's page.
pub fn describe_tie_breaks(rules: &[TieBreak]) -> String {
    let stated: Vec<&str> = rules.iter().map(|r| r.label()).collect();
    let tail = "bids equal on every rule are ordered by the supplier's key, alphabetically";
    if stated.is_empty() {
        format!("The higher total ranks first; {tail}.")
    } else {
        format!(
            "The higher total ranks first; equal totals are ranked by {}; {tail}.",
            stated.join(", then by ")
        )
    }
}

/// A bid to rank: its weighted total, its price and when it was submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rankable {
    /// The weighted total (which names the bidder).
    pub total: WeightedTotal,
    /// The bid's price.
    pub price: Money,
    /// When the bid was submitted.
    pub submitted_at: DateTime<Utc>,
}

impl Rankable {
    /// The bidder.
    pub fn bidder(&self) -> &Slug {
        &self.total.bidder
    }
}

/// A ranked bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// 1 for the most advantageous bid, then 2, 3, … with no two bids sharing a rank.
    pub rank: u32,
    /// The bid.
    pub bid: Rankable,
    /// What placed it above the next bid (`None` for the last).
    pub above_next_by: Option<RankBasis>,
}

impl Ranked {
    /// The bidder.
    pub fn bidder(&self) -> &Slug {
        self.bid.bidder()
    }
}

/// Why bids could not be ranked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RankingError {
    /// One bidder appears twice.
    #[error("`{bidder}` appears twice: a bidder has one bid per lot")]
    DuplicateBidder {
        /// The bidder.
        bidder: Slug,
    },
}

/// Orders two bids: `Less` when `a` ranks above `b`, with the basis that decided it.
pub fn compare(a: &Rankable, b: &Rankable, rules: &[TieBreak]) -> (Ordering, RankBasis) {
    let by_total = b.total.total.cmp(&a.total.total);
    if by_total != Ordering::Equal {
        return (by_total, RankBasis::HigherTotal);
    }
    for rule in rules {
        let o = match rule {
            TieBreak::HigherQualityScore => b.total.quality.cmp(&a.total.quality),
            TieBreak::LowerPrice => a.price.cmp(&b.price),
            TieBreak::EarlierSubmission => a.submitted_at.cmp(&b.submitted_at),
        };
        if o != Ordering::Equal {
            return (o, (*rule).into());
        }
    }
    (a.bidder().cmp(b.bidder()), RankBasis::BidderKey)
}

/// Ranks bids by total, ties broken by `rules` in turn and then by the supplier's key.
pub fn rank(bids: &[Rankable], rules: &[TieBreak]) -> Result<Vec<Ranked>, RankingError> {
    for (i, b) in bids.iter().enumerate() {
        if bids[..i].iter().any(|o| o.bidder() == b.bidder()) {
            return Err(RankingError::DuplicateBidder {
                bidder: b.bidder().clone(),
            });
        }
    }
    let mut sorted: Vec<&Rankable> = bids.iter().collect();
    sorted.sort_by(|a, b| compare(a, b, rules).0);
    Ok(sorted
        .iter()
        .enumerate()
        .map(|(i, bid)| Ranked {
            rank: u32::try_from(i + 1).expect("fewer than 4 billion bids"),
            bid: (*bid).clone(),
            above_next_by: sorted.get(i + 1).map(|next| compare(bid, next, rules).1),
        })
        .collect())
}

#[cfg(test)]
mod tests;
