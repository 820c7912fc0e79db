//! The results of a consultation, from counts per step: each response adds one to the count
//! of the step it chose for each question, so the summary's cost does not grow with the
//! number of responses.

use super::build::band_d_at;
use super::definition::{Definition, QuestionKind};
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A consultation's results.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    /// The number of responses.
    pub responses: u64,
    /// Per question, in the consultation's order.
    pub questions: Vec<QuestionResult>,
    /// The average core council tax increase chosen, in per cent to two places (none
    /// before the first response).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub average_tax_pct: Option<Decimal>,
    /// The Band D that average gives, to the penny.
    pub average_band_d: Option<Money>,
}

/// The choices made on one question.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    /// The question's key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// The mean of the steps' values chosen, to two places (none before the first response).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub mean: Option<Decimal>,
    /// The median of the steps' values chosen (the mean of the middle two for an even count).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub median: Option<Decimal>,
    /// Per step, in the question's order.
    pub steps: Vec<StepResult>,
}

/// How many chose one step.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepResult {
    /// The step's label.
    pub label: String,
    /// Responses choosing it.
    pub responses: u64,
    /// Their share of all responses, in per cent to one place.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub share_pct: Decimal,
}

/// The results of `def` from its counts: `(question key, step, responses)` rows and the
/// number of responses. Counts of keys or steps the definition does not have are ignored.
pub fn summarise(def: &Definition, counts: &[(String, i64, i64)], responses: u64) -> Results {
    let questions: Vec<QuestionResult> = def
        .questions
        .iter()
        .map(|q| {
            let mut n = vec![0u64; q.steps.len()];
            for (key, step, count) in counts {
                if *key == q.key
                    && let Some(slot) = usize::try_from(*step).ok().and_then(|s| n.get_mut(s))
                {
                    *slot += u64::try_from(*count).unwrap_or(0);
                }
            }
            let total: u64 = n.iter().sum();
            let values: Vec<(Decimal, u64)> = q
                .steps
                .iter()
                .map(|s| s.value)
                .zip(n.iter().copied())
                .collect();
            QuestionResult {
                key: q.key.clone(),
                title: q.title.clone(),
                mean: mean(&values, total),
                median: median(&values, total),
                steps: q
                    .steps
                    .iter()
                    .zip(&n)
                    .map(|(s, &count)| StepResult {
                        label: s.label.clone(),
                        responses: count,
                        share_pct: share(count, responses),
                    })
                    .collect(),
            }
        })
        .collect();
    let tax = def
        .questions
        .iter()
        .zip(&questions)
        .find(|(q, _)| q.kind == QuestionKind::CouncilTax)
        .and_then(|(_, r)| r.mean);
    Results {
        responses,
        average_band_d: tax.map(|pct| band_d_at(def.band_d_before, pct, def.asc_precept_pct)),
        average_tax_pct: tax,
        questions,
    }
}

fn round2(d: Decimal) -> Decimal {
    let mut d = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    d.rescale(2);
    d
}

fn mean(values: &[(Decimal, u64)], total: u64) -> Option<Decimal> {
    if total == 0 {
        return None;
    }
    let sum: Decimal = values.iter().map(|(v, n)| *v * Decimal::from(*n)).sum();
    Some(round2(sum / Decimal::from(total)))
}

/// The value at 0-based rank `rank` of the sorted values.
fn at_rank(sorted: &[(Decimal, u64)], rank: u64) -> Decimal {
    let mut seen = 0;
    for (v, n) in sorted {
        seen += n;
        if rank < seen {
            return *v;
        }
    }
    sorted.last().map_or(Decimal::ZERO, |(v, _)| *v)
}

fn median(values: &[(Decimal, u64)], total: u64) -> Option<Decimal> {
    if total == 0 {
        return None;
    }
    let mut sorted: Vec<(Decimal, u64)> = values.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_by_key(|(v, _)| *v);
    let lower = at_rank(&sorted, (total - 1) / 2);
    let upper = at_rank(&sorted, total / 2);
    Some(round2((lower + upper) / Decimal::TWO))
}

fn share(count: u64, total: u64) -> Decimal {
    if total == 0 {
        return Decimal::ZERO;
    }
    let mut share = (Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(total))
        .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    share.rescale(1);
    share
}
