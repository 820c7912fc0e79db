//! The figures of a variation: its dates and values, whether the contract has ended, and
//! whether the change rules govern the contract at all.

use super::{Base, ChangeRefusal, ContractTerms, Modification, ModificationRules};
use crate::money::Money;
use crate::procurement::Regime;
use crate::procurement::vat::compare;
use chrono::NaiveDate;

/// The figures of a modification, computed once for both steps.
pub(super) struct Measures {
    /// The original value as changed by earlier variations.
    pub estimated_before: Money,
    /// The value after this variation.
    pub cumulative_value: Money,
    /// The last day after the variation.
    pub new_end: Option<NaiveDate>,
    /// The change of term in days, if it can be measured.
    pub term_change_days: Option<i64>,
    /// The maximum term on award in days, if it has an end.
    pub max_term_days: Option<i64>,
    /// Why the change of term cannot be measured, when it cannot.
    pub term_unmeasurable: Option<&'static str>,
}

impl Measures {
    /// The value a rule's percentage is of.
    pub(super) fn value_base(&self, terms: &ContractTerms, of: Base) -> Money {
        match of {
            Base::OriginalValue => terms.original_value,
            _ => self.estimated_before,
        }
    }
}

/// The dates and values of the modification; refuses a variation on a contract that has
/// ended, and end dates that make no sense.
pub(super) fn measure(
    terms: &ContractTerms,
    m: &Modification,
    today: NaiveDate,
) -> Result<Measures, ChangeRefusal> {
    let max_term_days = match terms.original_end {
        Some(end) if end < terms.original_start => {
            return Err(ChangeRefusal::InvalidTerm {
                start: terms.original_start,
                end,
            });
        }
        Some(end) => Some((end - terms.original_start).num_days() + 1),
        None => None,
    };
    let invalid =
        |new_end: NaiveDate, reason: String| ChangeRefusal::InvalidNewEnd { new_end, reason };
    let (new_end, term_change_days) = if m.reverses_termination {
        let on = terms.terminated_on.ok_or(ChangeRefusal::NotTerminated)?;
        let last_day_run = on.pred_opt().unwrap_or(on);
        let new_end = m.new_end.or(terms.current_end);
        match new_end {
            Some(e) if e < on => {
                return Err(invalid(
                    e,
                    format!("is before the termination on {on} it would reverse"),
                ));
            }
            Some(e) if e < today => return Err(ChangeRefusal::Expired { end: e, today }),
            _ => {}
        }
        (new_end, new_end.map(|e| (e - last_day_run).num_days()))
    } else {
        if let Some(on) = terms.terminated_on.filter(|t| *t <= today) {
            return Err(ChangeRefusal::Terminated { on, today });
        }
        if let Some(end) = terms.current_end.filter(|e| *e < today) {
            return Err(ChangeRefusal::Expired { end, today });
        }
        match m.new_end {
            None => (terms.current_end, Some(0)),
            Some(e) => {
                if e < today {
                    return Err(invalid(e, format!("is before today, {today}")));
                }
                if e < terms.original_start {
                    return Err(invalid(
                        e,
                        format!("is before the contract's start, {}", terms.original_start),
                    ));
                }
                if let Some(on) = terms.terminated_on.filter(|t| e >= *t) {
                    return Err(ChangeRefusal::TerminationPending { on, new_end: e });
                }
                (Some(e), terms.current_end.map(|c| (e - c).num_days()))
            }
        }
    };
    let term_unmeasurable = match (term_change_days, max_term_days) {
        (None, _) => Some("an open-ended term cannot be measured against an end date"),
        (Some(d), None) if d != 0 => {
            Some("the contract has no maximum term on award to measure the change against")
        }
        _ => None,
    };
    let prior = Money::checked_sum(terms.prior_changes.iter().map(|p| p.value_change))
        .ok_or(ChangeRefusal::Overflow)?;
    let estimated_before = terms
        .original_value
        .checked_add(prior)
        .ok_or(ChangeRefusal::Overflow)?;
    let cumulative_value = estimated_before
        .checked_add(m.value_change)
        .ok_or(ChangeRefusal::Overflow)?;
    if cumulative_value.is_negative() {
        return Err(ChangeRefusal::NegativeValue {
            value: cumulative_value,
        });
    }
    if !estimated_before.is_positive() {
        return Err(ChangeRefusal::NothingToMeasure {
            what: "the estimated value before this change",
            value: estimated_before,
        });
    }
    Ok(Measures {
        estimated_before,
        cumulative_value,
        new_end,
        term_change_days,
        max_term_days,
        term_unmeasurable,
    })
}

/// Whether the change rules govern the contract, and if not, why in words.
pub(super) fn subject_to_rules(
    terms: &ContractTerms,
    measures: &Measures,
    today: NaiveDate,
    rules: &ModificationRules,
) -> Result<(bool, String), ChangeRefusal> {
    let at_or_above = |value: Money, date: NaiveDate| -> Result<Option<bool>, ChangeRefusal> {
        let Some(row) = rules.thresholds().on(date) else {
            return Ok(None);
        };
        let threshold = row.amount(terms.contract_type);
        compare(
            value,
            terms.vat_basis,
            threshold,
            row.basis,
            date,
            rules.vat_rates(),
        )
        .map(|c| Some(c.at_or_above))
        .map_err(|date| ChangeRefusal::NoVatRate { date })
    };
    // A contract older than the thresholds data is treated as above them: the cautious answer.
    let public = at_or_above(terms.original_value, terms.original_start)?.unwrap_or(true);
    if public {
        return Ok((true, String::new()));
    }
    match terms.regime {
        Regime::Pcr2015 => Ok((
            false,
            format!(
                "PCR 2015 reg 72 governs contracts under Part 2, at or above the threshold; this contract's original value of {} was below the threshold on {}, so it may be varied without the reg 72 grounds",
                terms.original_value.fmt_gbp(),
                terms.original_start
            ),
        )),
        Regime::Pa2023 => {
            let converts = at_or_above(measures.cumulative_value, today)?.ok_or(
                ChangeRefusal::NoThreshold {
                    contract_type: terms.contract_type,
                    date: today,
                },
            )?;
            Ok((
                converts,
                format!(
                    "PA2023 s74(1): a below-threshold contract that the modification does not convert into a public contract (its value after the change, {}, stays below the threshold) may be modified freely, and s75 asks no notice",
                    measures.cumulative_value.fmt_gbp()
                ),
            ))
        }
    }
}
