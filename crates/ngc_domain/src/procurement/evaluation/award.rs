//! The preconditions of an award decision for a lot, the standstill that follows it, and the
//! inputs of the contract record.
//!
//! [`check_award`] refuses a decision while the procurement is not ready for it: a bid's
//! evaluation incomplete, an abnormally-low flag unresolved, the chosen bid not the most
//! advantageous, or another award decision of the same procurement in standstill on the day
//! or suspended by a challenge. Each refusal is a conflict with the procurement's state (the
//! web layer answers HTTP 409) and says what to do in words.

use super::abnormally_low::AbnormallyLowStatus;
use super::ranking::Ranked;
use super::scores::EvaluationStatus;
use crate::money::Money;
use crate::procurement::regime::Regime;
use crate::procurement::standstill::{Standstill, StandstillError, standstill};
use crate::procurement::working_days::BankHolidays;
use crate::shares::{BuyerAmount, CostShares};
use crate::slug::Slug;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A bid as the award check sees it: one of the lot's admissible bids (not excluded for
/// another reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidForAward {
    /// The bidder.
    pub bidder: Slug,
    /// How far its evaluation has got.
    pub evaluation: EvaluationStatus,
    /// Its abnormally-low status, when it was flagged.
    pub abnormally_low: Option<AbnormallyLowStatus>,
}

/// Another award decision of the same procurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherDecision {
    /// Its lot's name.
    pub lot: String,
    /// The procurement's regime.
    pub regime: Regime,
    /// The day its standstill runs from: the decision sent (PCR 2015) or the contract award
    /// notice published (PA2023).
    pub from: NaiveDate,
    /// Whether a challenge has suspended it (PCR 2015 reg 95, PA2023 s101).
    pub suspended_by_challenge: bool,
}

/// An award decision to check.
#[derive(Debug, Clone, Copy)]
pub struct AwardRequest<'a> {
    /// The lot's name (`Lot 1`).
    pub lot: &'a str,
    /// The bidder to award to.
    pub winner: &'a Slug,
    /// The day of the decision.
    pub on: NaiveDate,
    /// The lot's admissible bids.
    pub bids: &'a [BidForAward],
    /// The lot's ranking.
    pub ranking: &'a [Ranked],
    /// The procurement's other award decisions.
    pub other_decisions: &'a [OtherDecision],
}

/// Why an award decision may not be made now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwardError {
    /// Another decision is suspended by a challenge.
    #[error(
        "the award decision for lot `{other_lot}` is suspended by a challenge: no award decision may be made until the suspension is lifted"
    )]
    Suspended {
        /// The other decision's lot.
        other_lot: String,
    },
    /// Another decision is in standstill on the day.
    #[error(
        "the award decision for lot `{other_lot}` is in standstill until the end of {ends_on}: no other award decision of this procurement before {earliest}"
    )]
    InStandstill {
        /// The other decision's lot.
        other_lot: String,
        /// The last day of its standstill.
        ends_on: NaiveDate,
        /// The first day after it.
        earliest: NaiveDate,
    },
    /// The standstill could not be worked out.
    #[error(transparent)]
    Standstill(#[from] StandstillError),
    /// No bids.
    #[error("lot `{lot}` has no admissible bid to award")]
    NoBids {
        /// The lot.
        lot: String,
    },
    /// The winner has no admissible bid.
    #[error("`{winner}` has no admissible bid for lot `{lot}`")]
    WinnerNotABid {
        /// The lot.
        lot: String,
        /// The chosen bidder.
        winner: Slug,
    },
    /// An abnormally-low flag not yet decided.
    #[error(
        "`{bidder}`'s bid for lot `{lot}` was flagged as possibly abnormally low and is {status}: the buyer must accept or reject it before the award decision"
    )]
    AbnormallyLowUnresolved {
        /// The lot.
        lot: String,
        /// The bidder.
        bidder: Slug,
        /// Where the flag stands, in words.
        status: String,
    },
    /// The chosen bid was rejected as abnormally low.
    #[error(
        "`{winner}`'s bid for lot `{lot}` was rejected as abnormally low and cannot be awarded"
    )]
    WinnerRejected {
        /// The lot.
        lot: String,
        /// The chosen bidder.
        winner: Slug,
    },
    /// A bid's evaluation is not complete.
    #[error("the evaluation of `{bidder}`'s bid for lot `{lot}` is not complete: {missing}")]
    EvaluationIncomplete {
        /// The lot.
        lot: String,
        /// The bidder.
        bidder: Slug,
        /// What is missing, in words.
        missing: String,
    },
    /// The winner is not in the ranking.
    #[error("`{winner}` is not in the ranking of lot `{lot}`")]
    NotRanked {
        /// The lot.
        lot: String,
        /// The chosen bidder.
        winner: Slug,
    },
    /// The winner is not the most advantageous bid.
    #[error(
        "`{winner}` is ranked {rank} for lot `{lot}`: the award goes to the most advantageous bid, `{first}`'s"
    )]
    WinnerNotFirst {
        /// The lot.
        lot: String,
        /// The chosen bidder.
        winner: Slug,
        /// Its rank.
        rank: u32,
        /// The bidder ranked first.
        first: Slug,
    },
}

/// The standstill of an award decision sent (PCR 2015) or whose contract award notice is
/// published (PA2023) on `from`.
pub fn standstill_for(
    regime: Regime,
    from: NaiveDate,
    holidays: &BankHolidays,
) -> Result<Standstill, StandstillError> {
    standstill(regime, from, holidays)
}

/// Checks that the award decision `req` may be made on its day. Checked in this order: no
/// other decision of the procurement suspended by a challenge or in standstill on the day
/// (from its start to the end of its last day); the lot has bids and the winner one of them;
/// every abnormally-low flag decided and the winner's not rejected; the evaluation of every
/// bid not rejected complete; and the winner ranked first among the bids not rejected.
pub fn check_award(req: &AwardRequest<'_>, holidays: &BankHolidays) -> Result<(), AwardError> {
    let lot = || req.lot.to_owned();
    for other in req.other_decisions {
        if other.suspended_by_challenge {
            return Err(AwardError::Suspended {
                other_lot: other.lot.clone(),
            });
        }
        if other.from <= req.on {
            let s = standstill_for(other.regime, other.from, holidays)?;
            if req.on <= s.ends_on {
                return Err(AwardError::InStandstill {
                    other_lot: other.lot.clone(),
                    ends_on: s.ends_on,
                    earliest: s.earliest_contract_date,
                });
            }
        }
    }
    if req.bids.is_empty() {
        return Err(AwardError::NoBids { lot: lot() });
    }
    let winner = req
        .bids
        .iter()
        .find(|b| &b.bidder == req.winner)
        .ok_or_else(|| AwardError::WinnerNotABid {
            lot: lot(),
            winner: req.winner.clone(),
        })?;
    for bid in req.bids {
        if let Some(status) = bid.abnormally_low.as_ref().filter(|s| !s.is_resolved()) {
            return Err(AwardError::AbnormallyLowUnresolved {
                lot: lot(),
                bidder: bid.bidder.clone(),
                status: status.to_string(),
            });
        }
    }
    if winner
        .abnormally_low
        .as_ref()
        .is_some_and(AbnormallyLowStatus::is_rejected)
    {
        return Err(AwardError::WinnerRejected {
            lot: lot(),
            winner: req.winner.clone(),
        });
    }
    let rejected = |bidder: &Slug| {
        req.bids.iter().any(|b| {
            &b.bidder == bidder
                && b.abnormally_low
                    .as_ref()
                    .is_some_and(AbnormallyLowStatus::is_rejected)
        })
    };
    for bid in req.bids.iter().filter(|b| !rejected(&b.bidder)) {
        if !bid.evaluation.is_complete() {
            return Err(AwardError::EvaluationIncomplete {
                lot: lot(),
                bidder: bid.bidder.clone(),
                missing: bid.evaluation.missing(),
            });
        }
    }
    let ranked = req
        .ranking
        .iter()
        .find(|r| r.bidder() == req.winner)
        .ok_or_else(|| AwardError::NotRanked {
            lot: lot(),
            winner: req.winner.clone(),
        })?;
    let first = req
        .ranking
        .iter()
        .find(|r| !rejected(r.bidder()))
        .expect("the winner is ranked and not rejected");
    if first.bidder() != req.winner {
        return Err(AwardError::WinnerNotFirst {
            lot: lot(),
            winner: req.winner.clone(),
            rank: ranked.rank,
            first: first.bidder().clone(),
        });
    }
    Ok(())
}

/// What the contract record is made from: the winner, the lot, the value and each buyer's
/// part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRecord {
    /// The supplier awarded the contract.
    pub winner: Slug,
    /// The lot's name.
    pub lot: String,
    /// The contract's value.
    pub value: Money,
    /// Each buyer's share and part of the value, summing exactly to it.
    pub buyers: Vec<BuyerAmount>,
}

/// A contract's value below zero.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a contract's value may not be negative ({})", value.fmt_gbp())]
pub struct NegativeValue {
    /// The value given.
    pub value: Money,
}

/// The contract record's inputs, the value split between the buyers by their cost shares.
pub fn contract_record(
    winner: &Slug,
    lot: &str,
    value: Money,
    shares: &CostShares,
) -> Result<ContractRecord, NegativeValue> {
    if value.is_negative() {
        return Err(NegativeValue { value });
    }
    Ok(ContractRecord {
        winner: winner.clone(),
        lot: lot.to_owned(),
        value,
        buyers: shares.split(value),
    })
}

#[cfg(test)]
mod tests;
