//! The assessment summary each assessed bidder receives before the award, by regime.
//!
//! - PA2023 s50(3) and the Procurement Regulations 2024 reg 31 (the reference followed here):
//!   the most advantageous tender's supplier; the award criteria with their relative
//!   importance and how each was scored; the recipient's score on each criterion with the
//!   reasons, and the same for the winning bid; the totals; and why the contract is or is not
//!   being awarded to the recipient.
//! - PCR 2015 reg 86 (notice of the award decision): the same criteria and scores, the
//!   characteristics and relative advantages of the successful bid, and a precise statement
//!   of when standstill ends.
//!
//! [`assessment_summary`] builds the structured summary (serde) for one bidder from the
//! ranking, the criteria set and the moderated scores with their reasons; `to_text` renders
//! it as plain text. Prices are never disclosed to another bidder: a price score's reason
//! names the method and, for the recipient's own bid only, its price.

mod text;

use super::criteria::{CriteriaSet, CriterionKind, CriterionType};
use super::price::ROUNDING_RULE;
use super::ranking::{RankBasis, Ranked, TieBreak, compare};
use super::scores::ModeratedScore;
use crate::procurement::regime::Regime;
use crate::slug::Slug;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the summary is about, beyond the scores.
#[derive(Debug, Clone, Copy)]
pub struct SummaryContext<'a> {
    /// The procurement's regime.
    pub regime: Regime,
    /// The procurement's title.
    pub procurement: &'a str,
    /// The lot's name (`Lot 1`).
    pub lot: &'a str,
    /// The tie-break rules the ranking used.
    pub tie_breaks: &'a [TieBreak],
    /// The last day of standstill: required under PCR 2015 (reg 86), unused under PA2023
    /// (standstill starts with the contract award notice, after the summaries).
    pub standstill_ends_on: Option<NaiveDate>,
}

/// One award criterion as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionSummary {
    /// Its key.
    pub key: Slug,
    /// Its title.
    pub name: String,
    /// Price or quality.
    pub criterion_type: CriterionType,
    /// Its relative importance, in per cent.
    pub weight: Decimal,
    /// The highest score available (the scale's maximum, or the price criterion's weight).
    pub maximum: Decimal,
    /// How it was scored and what scores were available, in words.
    pub how_assessed: String,
}

/// A bid's score on one criterion, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreLine {
    /// The score.
    pub score: Decimal,
    /// Out of.
    pub maximum: Decimal,
    /// Its weighted contribution to the total.
    pub weighted: Decimal,
    /// Why: the moderated reason, or how the price was scored.
    pub reason: String,
}

/// The recipient's and the winning bid's scores on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScores {
    /// The criterion.
    pub criterion: Slug,
    /// Its title.
    pub name: String,
    /// Its weight in per cent.
    pub weight: Decimal,
    /// The recipient's bid.
    pub recipient: ScoreLine,
    /// The winning bid.
    pub winner: ScoreLine,
}

/// A criterion on which the winning bid scored higher than the recipient's (PCR 2015 reg 86:
/// the relative advantages of the successful bid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advantage {
    /// The criterion.
    pub criterion: Slug,
    /// Its title.
    pub name: String,
    /// The winning bid's weighted score.
    pub winner_weighted: Decimal,
    /// The recipient's weighted score.
    pub recipient_weighted: Decimal,
    /// Why the winning bid scored as it did (its characteristics).
    pub winner_reason: String,
}

/// The assessment summary for one bidder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSummary {
    /// The regime.
    pub regime: Regime,
    /// The law that says what the summary holds.
    pub reference: String,
    /// The procurement's title.
    pub procurement: String,
    /// The lot's name.
    pub lot: String,
    /// The bidder the summary is for.
    pub recipient: Slug,
    /// Its rank (1 for the winner).
    pub recipient_rank: u32,
    /// How many bids were assessed.
    pub assessed_bids: u32,
    /// The supplier of the most advantageous tender.
    pub winner: Slug,
    /// Whether the recipient is the winner.
    pub successful: bool,
    /// The award criteria, in order.
    pub criteria: Vec<CriterionSummary>,
    /// The scores, criterion by criterion.
    pub scores: Vec<CriterionScores>,
    /// The recipient's total out of 100.
    pub recipient_total: Decimal,
    /// The winning bid's total out of 100.
    pub winner_total: Decimal,
    /// Why the contract is, or is not, being awarded to the recipient, in words.
    pub outcome: String,
    /// PCR 2015 only, unsuccessful bidders only: where the winning bid scored higher.
    pub relative_advantages: Vec<Advantage>,
    /// PCR 2015 only: the last day of standstill.
    pub standstill_ends_on: Option<NaiveDate>,
    /// How the figures were rounded.
    pub rounding: String,
}

/// Why a summary could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SummaryError {
    /// No ranked bid.
    #[error("there is no ranked bid to summarise")]
    EmptyRanking,
    /// The recipient is not ranked.
    #[error("`{recipient}` is not among the ranked bids")]
    NotRanked {
        /// The bidder asked about.
        recipient: Slug,
    },
    /// A PCR notice without the standstill end.
    #[error(
        "a PCR 2015 notice of the award decision must say when standstill ends (reg 86): give the last day of standstill"
    )]
    NoStandstillEnd,
    /// A total without a criterion's contribution.
    #[error("`{bidder}`'s total has no score for criterion `{criterion}`")]
    NoScore {
        /// The bidder.
        bidder: Slug,
        /// The criterion.
        criterion: Slug,
    },
    /// A quality score without a moderated reason.
    #[error("`{bidder}`'s score for criterion `{criterion}` has no moderated reason to give")]
    NoReason {
        /// The bidder.
        bidder: Slug,
        /// The criterion.
        criterion: Slug,
    },
}

/// The reference of each regime.
pub fn reference(regime: Regime) -> &'static str {
    match regime {
        Regime::Pa2023 => "Procurement Act 2023 s50(3); Procurement Regulations 2024 reg 31",
        Regime::Pcr2015 => "Public Contracts Regulations 2015 reg 86",
    }
}

/// The summary for `recipient`, from the lot's `ranking` of the assessed bids (its first is
/// the most advantageous tender; leave out bids rejected as abnormally low), the criteria set
/// and the moderated scores with their reasons.
pub fn assessment_summary(
    ctx: &SummaryContext<'_>,
    set: &CriteriaSet,
    ranking: &[Ranked],
    moderated: &[ModeratedScore],
    recipient: &Slug,
) -> Result<AssessmentSummary, SummaryError> {
    let winner = ranking.first().ok_or(SummaryError::EmptyRanking)?;
    let mine = ranking
        .iter()
        .find(|r| r.bidder() == recipient)
        .ok_or_else(|| SummaryError::NotRanked {
            recipient: recipient.clone(),
        })?;
    let standstill_ends_on = match ctx.regime {
        Regime::Pcr2015 => Some(
            ctx.standstill_ends_on
                .ok_or(SummaryError::NoStandstillEnd)?,
        ),
        Regime::Pa2023 => None,
    };
    let successful = mine.bidder() == winner.bidder();
    let mut scores = Vec::with_capacity(set.criteria().len());
    for c in set.criteria() {
        scores.push(CriterionScores {
            criterion: c.key.clone(),
            name: c.name.clone(),
            weight: c.weight,
            recipient: line(set, c.key.clone(), mine, moderated, true)?,
            winner: line(set, c.key.clone(), winner, moderated, successful)?,
        });
    }
    let relative_advantages = match (ctx.regime, successful) {
        (Regime::Pcr2015, false) => scores
            .iter()
            .filter(|s| s.winner.weighted > s.recipient.weighted)
            .map(|s| Advantage {
                criterion: s.criterion.clone(),
                name: s.name.clone(),
                winner_weighted: s.winner.weighted,
                recipient_weighted: s.recipient.weighted,
                winner_reason: s.winner.reason.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(AssessmentSummary {
        regime: ctx.regime,
        reference: reference(ctx.regime).to_owned(),
        procurement: ctx.procurement.to_owned(),
        lot: ctx.lot.to_owned(),
        recipient: recipient.clone(),
        recipient_rank: mine.rank,
        assessed_bids: u32::try_from(ranking.len()).expect("fewer than 4 billion bids"),
        winner: winner.bidder().clone(),
        successful,
        criteria: set
            .criteria()
            .iter()
            .map(|c| CriterionSummary {
                key: c.key.clone(),
                name: c.name.clone(),
                criterion_type: c.kind.criterion_type(),
                weight: c.weight,
                maximum: match &c.kind {
                    CriterionKind::Price { .. } => c.weight,
                    CriterionKind::Quality { scale } => Decimal::from(scale.max),
                },
                how_assessed: c.how_assessed(),
            })
            .collect(),
        scores,
        recipient_total: mine.bid.total.total,
        winner_total: winner.bid.total.total,
        outcome: outcome(ctx, mine, winner, ranking.len()),
        relative_advantages,
        standstill_ends_on,
        rounding: ROUNDING_RULE.to_owned(),
    })
}

/// The summaries for every ranked bidder, in rank order.
pub fn assessment_summaries(
    ctx: &SummaryContext<'_>,
    set: &CriteriaSet,
    ranking: &[Ranked],
    moderated: &[ModeratedScore],
) -> Result<Vec<AssessmentSummary>, SummaryError> {
    ranking
        .iter()
        .map(|r| assessment_summary(ctx, set, ranking, moderated, r.bidder()))
        .collect()
}

/// One bid's line for one criterion. `own` says whether the summary's recipient is this
/// bidder (its own price may be named).
fn line(
    set: &CriteriaSet,
    criterion: Slug,
    bid: &Ranked,
    moderated: &[ModeratedScore],
    own: bool,
) -> Result<ScoreLine, SummaryError> {
    let bidder = bid.bidder();
    let c = bid
        .bid
        .total
        .contributions
        .iter()
        .find(|c| c.criterion == criterion)
        .ok_or_else(|| SummaryError::NoScore {
            bidder: bidder.clone(),
            criterion: criterion.clone(),
        })?;
    let reason = match set.get(&criterion).map(|c| &c.kind) {
        Some(CriterionKind::Price { method }) => {
            let whose = if own {
                format!("Your price of {}", bid.bid.price.fmt_gbp())
            } else {
                "The bid's price".to_owned()
            };
            format!(
                "{whose} scored {} out of {} by the stated method: {}.",
                c.score,
                c.maximum.normalize(),
                method.label().to_lowercase()
            )
        }
        _ => moderated
            .iter()
            .find(|m| &m.bidder == bidder && m.criterion == criterion)
            .map(|m| m.reason.trim().to_owned())
            .filter(|r| !r.is_empty())
            .ok_or_else(|| SummaryError::NoReason {
                bidder: bidder.clone(),
                criterion: criterion.clone(),
            })?,
    };
    Ok(ScoreLine {
        score: c.score,
        maximum: c.maximum,
        weighted: c.weighted,
        reason,
    })
}

fn outcome(ctx: &SummaryContext<'_>, mine: &Ranked, winner: &Ranked, bids: usize) -> String {
    let total = mine.bid.total.total;
    if mine.bidder() == winner.bidder() {
        return format!(
            "Your bid is the most advantageous tender for {}, ranked first of {bids} with a total of {total} out of 100: the buyer intends to award the contract to you.",
            ctx.lot
        );
    }
    let (_, basis) = compare(&winner.bid, &mine.bid, ctx.tie_breaks);
    let why = match basis {
        RankBasis::HigherTotal => format!(
            "its total of {} is higher than yours",
            winner.bid.total.total
        ),
        other => format!(
            "your totals are equal and ties are broken by {}",
            tie_words(other)
        ),
    };
    format!(
        "Your bid ranked {} of {bids} for {} with a total of {total} out of 100. The contract is not being awarded to you: the most advantageous tender is `{}`'s, because {why}.",
        mine.rank,
        ctx.lot,
        winner.bidder()
    )
}

fn tie_words(basis: RankBasis) -> &'static str {
    match basis {
        RankBasis::HigherQualityScore => "the higher quality score, which is the winning bid's",
        RankBasis::LowerPrice => "the lower price, which is the winning bid's",
        RankBasis::EarlierSubmission => "the earlier submission, which is the winning bid's",
        RankBasis::BidderKey | RankBasis::HigherTotal => {
            "the suppliers' keys in alphabetical order, every stated rule being equal"
        }
    }
}

#[cfg(test)]
mod tests;
