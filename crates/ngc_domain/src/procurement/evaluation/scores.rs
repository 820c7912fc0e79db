//! Evaluators' scores, moderation and weighted totals.
//!
//! Each evaluator scores every bid on every quality criterion independently, on the
//! criterion's scale. The panel then agrees a consensus (moderated) score per bidder and
//! criterion and must say why. A bid's weighted total takes the moderated quality scores and
//! the price score: each criterion contributes `weight × score ÷ maximum`, rounded to 2
//! places halves up, and the total is the sum of the contributions as shown, so the figures on
//! the page add up.

use super::criteria::{CriteriaSet, CriterionKind, CriterionType, ScoringScale};
use super::price::{PriceScore, round_score};
use crate::slug::Slug;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One evaluator's independent score of one bid on one quality criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityScore {
    /// The evaluator (a user id).
    pub evaluator: i64,
    /// The bidder (the supplier's slug).
    pub bidder: Slug,
    /// The quality criterion.
    pub criterion: Slug,
    /// The score, on the criterion's scale.
    pub score: u32,
    /// The evaluator's notes (may be empty).
    pub comment: String,
}

/// The panel's consensus score of one bid on one quality criterion, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratedScore {
    /// The bidder.
    pub bidder: Slug,
    /// The quality criterion.
    pub criterion: Slug,
    /// The agreed score, on the criterion's scale.
    pub score: u32,
    /// Why, by reference to the bid: it is given to the bidder in the assessment summary.
    pub reason: String,
}

/// Why a score or a total was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// No such criterion in the set.
    #[error("criteria set `{set}` has no criterion `{criterion}`")]
    UnknownCriterion {
        /// The set's name.
        set: String,
        /// The key given.
        criterion: Slug,
    },
    /// The price criterion is scored from the price.
    #[error("criterion `{criterion}` is scored from the price, not by evaluators")]
    NotQuality {
        /// The criterion.
        criterion: Slug,
    },
    /// A score off the scale.
    #[error("a score of {score} for criterion `{criterion}` is outside its scale of 0 to {max}")]
    OutOfScale {
        /// The criterion.
        criterion: Slug,
        /// The score given.
        score: u32,
        /// The scale's maximum.
        max: u32,
    },
    /// A moderated score without a reason.
    #[error("the moderated score of `{bidder}` for criterion `{criterion}` needs a reason")]
    NoReason {
        /// The bidder.
        bidder: Slug,
        /// The criterion.
        criterion: Slug,
    },
    /// A quality criterion not yet moderated.
    #[error("`{bidder}` has no moderated score for criterion `{criterion}`")]
    Unmoderated {
        /// The bidder.
        bidder: Slug,
        /// The criterion.
        criterion: Slug,
    },
    /// Two moderated scores for one bidder and criterion.
    #[error("`{bidder}` has two moderated scores for criterion `{criterion}`")]
    TwoModerated {
        /// The bidder.
        bidder: Slug,
        /// The criterion.
        criterion: Slug,
    },
    /// The price is not yet scored.
    #[error("the price of `{bidder}`'s bid has not been scored")]
    NoPriceScore {
        /// The bidder.
        bidder: Slug,
    },
    /// Two price scores for one bidder.
    #[error("`{bidder}` has two price scores")]
    TwoPriceScores {
        /// The bidder.
        bidder: Slug,
    },
}

/// Checks that `criterion` is a quality criterion of `set` and `score` is on its scale;
/// returns the scale.
pub fn check_score<'s>(
    set: &'s CriteriaSet,
    criterion: &Slug,
    score: u32,
) -> Result<&'s ScoringScale, ScoreError> {
    let c = set
        .get(criterion)
        .ok_or_else(|| ScoreError::UnknownCriterion {
            set: set.name().to_owned(),
            criterion: criterion.clone(),
        })?;
    let scale = c.scale().ok_or_else(|| ScoreError::NotQuality {
        criterion: criterion.clone(),
    })?;
    if !scale.contains(score) {
        return Err(ScoreError::OutOfScale {
            criterion: criterion.clone(),
            score,
            max: scale.max,
        });
    }
    Ok(scale)
}

impl QualityScore {
    /// An evaluator's score, checked against the criterion's scale.
    pub fn new(
        set: &CriteriaSet,
        evaluator: i64,
        bidder: Slug,
        criterion: Slug,
        score: u32,
        comment: &str,
    ) -> Result<QualityScore, ScoreError> {
        check_score(set, &criterion, score)?;
        Ok(QualityScore {
            evaluator,
            bidder,
            criterion,
            score,
            comment: comment.trim().to_owned(),
        })
    }
}

impl ModeratedScore {
    /// A moderated score, checked against the criterion's scale; the reason is required.
    pub fn new(
        set: &CriteriaSet,
        bidder: Slug,
        criterion: Slug,
        score: u32,
        reason: &str,
    ) -> Result<ModeratedScore, ScoreError> {
        check_score(set, &criterion, score)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ScoreError::NoReason { bidder, criterion });
        }
        Ok(ModeratedScore {
            bidder,
            criterion,
            score,
            reason: reason.to_owned(),
        })
    }
}

/// One criterion's part of a bid's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// The criterion.
    pub criterion: Slug,
    /// Its title.
    pub name: String,
    /// Price or quality.
    pub criterion_type: CriterionType,
    /// Its weight in per cent.
    pub weight: Decimal,
    /// The score: the moderated score, or the price score.
    pub score: Decimal,
    /// The score's maximum: the scale's, or the price score's.
    pub maximum: Decimal,
    /// `weight × score ÷ maximum`, rounded to 2 places halves up (0 when the maximum is 0).
    pub weighted: Decimal,
}

/// A bid's weighted total, criterion by criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedTotal {
    /// The bidder.
    pub bidder: Slug,
    /// Each criterion's contribution, in the set's order.
    pub contributions: Vec<Contribution>,
    /// The sum of the quality contributions.
    pub quality: Decimal,
    /// The price contribution (0 without a price criterion).
    pub price: Decimal,
    /// The total out of 100: the sum of the contributions.
    pub total: Decimal,
}

fn weighted(weight: Decimal, score: Decimal, maximum: Decimal) -> Decimal {
    if maximum.is_zero() {
        return round_score(Decimal::ZERO);
    }
    // Multiply before dividing so that exact midpoints round as midpoints.
    round_score(weight * score / maximum)
}

fn one<'a, T>(
    mut items: impl Iterator<Item = &'a T>,
    two: impl FnOnce() -> ScoreError,
) -> Result<Option<&'a T>, ScoreError> {
    let first = items.next();
    match items.next() {
        Some(_) => Err(two()),
        None => Ok(first),
    }
}

/// The weighted total of `bidder`'s bid: its price score (from `price_scores`) when the set
/// has a price criterion, and its moderated score (from `moderated`) on every quality
/// criterion. Scores of other bidders in the slices are ignored. Refused, naming the
/// criterion, when a score is missing, repeated, or off its scale.
pub fn weighted_total(
    set: &CriteriaSet,
    bidder: &Slug,
    price_scores: &[PriceScore],
    moderated: &[ModeratedScore],
) -> Result<WeightedTotal, ScoreError> {
    let mut contributions = Vec::with_capacity(set.criteria().len());
    let (mut quality, mut price) = (Decimal::ZERO, Decimal::ZERO);
    for c in set.criteria() {
        let (score, maximum) = match &c.kind {
            CriterionKind::Price { .. } => {
                let s = one(price_scores.iter().filter(|s| &s.bidder == bidder), || {
                    ScoreError::TwoPriceScores {
                        bidder: bidder.clone(),
                    }
                })?
                .ok_or_else(|| ScoreError::NoPriceScore {
                    bidder: bidder.clone(),
                })?;
                (s.score, s.maximum)
            }
            CriterionKind::Quality { .. } => {
                let m = one(
                    moderated
                        .iter()
                        .filter(|m| &m.bidder == bidder && m.criterion == c.key),
                    || ScoreError::TwoModerated {
                        bidder: bidder.clone(),
                        criterion: c.key.clone(),
                    },
                )?
                .ok_or_else(|| ScoreError::Unmoderated {
                    bidder: bidder.clone(),
                    criterion: c.key.clone(),
                })?;
                let scale = check_score(set, &c.key, m.score)?;
                (Decimal::from(m.score), Decimal::from(scale.max))
            }
        };
        let part = weighted(c.weight, score, maximum);
        match c.kind {
            CriterionKind::Price { .. } => price += part,
            CriterionKind::Quality { .. } => quality += part,
        }
        contributions.push(Contribution {
            criterion: c.key.clone(),
            name: c.name.clone(),
            criterion_type: c.kind.criterion_type(),
            weight: c.weight,
            score,
            maximum,
            weighted: part,
        });
    }
    Ok(WeightedTotal {
        bidder: bidder.clone(),
        contributions,
        quality: round_score(quality),
        price: round_score(price),
        total: round_score(quality + price),
    })
}

/// How far the evaluation of one bid has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationStatus {
    /// The bidder.
    pub bidder: Slug,
    /// The quality criteria without a moderated score, in the set's order.
    pub unmoderated: Vec<Slug>,
    /// Whether the price is scored (always, when the set has no price criterion).
    pub price_scored: bool,
}

impl EvaluationStatus {
    /// Whether every quality criterion is moderated and the price scored.
    pub fn is_complete(&self) -> bool {
        self.unmoderated.is_empty() && self.price_scored
    }

    /// What is left, in words (empty when complete): "no moderated score for `method`,
    /// `social-value`; price not scored".
    pub fn missing(&self) -> String {
        let mut parts = Vec::new();
        if !self.unmoderated.is_empty() {
            parts.push(format!(
                "no moderated score for {}",
                quoted(&self.unmoderated)
            ));
        }
        if !self.price_scored {
            parts.push("price not scored".to_owned());
        }
        parts.join("; ")
    }
}

fn quoted(keys: &[Slug]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the evaluation of `bidder`'s bid is complete: every quality criterion moderated
/// and, when the set has a price criterion, the price scored.
pub fn evaluation_status(
    set: &CriteriaSet,
    bidder: &Slug,
    price_scores: &[PriceScore],
    moderated: &[ModeratedScore],
) -> EvaluationStatus {
    EvaluationStatus {
        bidder: bidder.clone(),
        unmoderated: set
            .quality()
            .filter(|c| {
                !moderated
                    .iter()
                    .any(|m| &m.bidder == bidder && m.criterion == c.key)
            })
            .map(|c| c.key.clone())
            .collect(),
        price_scored: set.price().is_none() || price_scores.iter().any(|s| &s.bidder == bidder),
    }
}

/// A two-envelope tender's prices may not be opened yet: the quality criteria still to be
/// moderated, per bidder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "prices stay sealed until every quality criterion is moderated for every bidder: {}",
    missing.iter().map(|(b, c)| format!("`{b}` has no moderated score for {}", quoted(c))).collect::<Vec<_>>().join("; ")
)]
pub struct PricesSealed {
    /// Each bidder still to be moderated, with its criteria.
    pub missing: Vec<(Slug, Vec<Slug>)>,
}

/// For a two-envelope tender: whether the price envelopes may be opened, which is when every
/// quality criterion is moderated for every one of `bidders`.
pub fn price_may_be_opened(
    set: &CriteriaSet,
    bidders: &[Slug],
    moderated: &[ModeratedScore],
) -> Result<(), PricesSealed> {
    let missing: Vec<(Slug, Vec<Slug>)> = bidders
        .iter()
        .map(|b| {
            (
                b.clone(),
                evaluation_status(set, b, &[], moderated).unmoderated,
            )
        })
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PricesSealed { missing })
    }
}

#[cfg(test)]
mod tests;
