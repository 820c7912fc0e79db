//! Tender evaluation and award, pure rules: the award criteria of a tender or lot
//! ([`criteria`]), price scoring by a stated method ([`price`]), evaluators' scores,
//! moderation and weighted totals ([`scores`]), ranking with a stated tie-break
//! ([`ranking`]), abnormally low bids and the buyer's duty to ask for an explanation
//! ([`abnormally_low`]), the assessment summary each bidder receives ([`mod@assessment_summary`])
//! and the preconditions of an award decision ([`award`]).
//!
//! Every figure is an exact `Decimal` rounded once to 2 places, halves up
//! ([`price::ROUNDING_RULE`]); every refusal is a typed error whose message names what is
//! wrong in words.

pub mod abnormally_low;
pub mod assessment_summary;
pub mod award;
pub mod criteria;
pub mod price;
pub mod ranking;
pub mod scores;

#[cfg(test)]
mod test_support;

pub use abnormally_low::{
    AbnormallyLowAction, AbnormallyLowError, AbnormallyLowStatus, ScreeningRules, screen,
};
pub use assessment_summary::{
    AssessmentSummary, SummaryContext, SummaryError, assessment_summaries, assessment_summary,
};
pub use award::{
    AwardError, AwardRequest, BidForAward, ContractRecord, OtherDecision, check_award,
    contract_record, standstill_for,
};
pub use criteria::{CriteriaError, CriteriaSet, Criterion, CriterionKind, ScoringScale};
pub use price::{PriceMethod, PriceScore, score_prices, score_prices_for};
pub use ranking::{Rankable, Ranked, TieBreak, rank};
pub use scores::{
    EvaluationStatus, ModeratedScore, QualityScore, WeightedTotal, evaluation_status,
    price_may_be_opened, weighted_total,
};
