//! Payments due: block instalments by their dates, and cost per case and payment by results
//! from the provider's period returns, each claim checked against the terms and the caps.
//!
//! A return's lines fall due on the last day of its period: the earliest the provider can
//! invoice for it. The statutory clock for paying runs from the invoice (see
//! [`super::prompt`]).

use super::mechanism::{Component, OutcomeMetric, PaymentTerms};
use crate::contracts::period::{Frequency, Period};
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the provider reports for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodReturn {
    /// The period reported.
    pub period: Period,
    /// Units delivered, for the cost-per-case component.
    pub units: Option<u64>,
    /// Outcomes achieved, by metric code, for payment by results.
    #[serde(default)]
    pub outcomes: BTreeMap<String, u64>,
}

/// One amount due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueLine {
    /// The period it pays for: a return's period, or for a block instalment the month it falls in.
    pub period: Period,
    /// `block`, `cost_per_case` or `payment_by_results` (see [`Component::kind`]).
    pub component: &'static str,
    /// The outcome metric's code, for payment by results.
    pub metric: Option<String>,
    /// Units or outcomes paid for (none for a block instalment).
    pub quantity: Option<u64>,
    /// The rate per unit or price per outcome (none for a block instalment).
    pub unit_price: Option<Money>,
    /// How much.
    pub amount: Money,
    /// The day it falls due.
    pub due_on: NaiveDate,
}

/// Why a return's claim is refused. Each message names the period, and the metric or
/// component, with the figures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// Units reported where nothing is paid per case.
    #[error(
        "{period}: the return reports {units} units but the terms have no cost-per-case component"
    )]
    UnitsWithoutCostPerCase {
        /// The period, in words.
        period: String,
        /// The units reported.
        units: u64,
    },
    /// An outcome the terms do not price.
    #[error("outcome `{metric}` in {period}: not an outcome metric of these terms")]
    UnknownMetric {
        /// The period, in words.
        period: String,
        /// The code reported.
        metric: String,
    },
    /// The return's period is not one the component is paid in.
    #[error(
        "{what} in {period}: not one of the {component} component's periods, which are {frequency}"
    )]
    NotAPeriod {
        /// What was claimed (`outcome `SMK-QUIT``, `units`).
        what: String,
        /// The period, in words.
        period: String,
        /// The component's kind.
        component: &'static str,
        /// How often the component is paid.
        frequency: Frequency,
    },
    /// The period was claimed before.
    #[error("{what} in {period}: already claimed in an earlier return")]
    AlreadyClaimed {
        /// What was claimed.
        what: String,
        /// The period, in words.
        period: String,
    },
    /// The claim is worth more than the metric's cap for one period.
    #[error(
        "outcome `{metric}` in {period}: {count} outcomes at {} = {} would exceed the period cap of {}",
        .price.fmt_gbp(), .amount.fmt_gbp(), .cap.fmt_gbp()
    )]
    OverPeriodCap {
        /// The metric's code.
        metric: String,
        /// The period, in words.
        period: String,
        /// Outcomes claimed.
        count: u64,
        /// The price of one.
        price: Money,
        /// What the claim is worth.
        amount: Money,
        /// The cap.
        cap: Money,
    },
    /// The claim is for more outcomes than the metric's cap for one period.
    #[error(
        "outcome `{metric}` in {period}: {count} outcomes would exceed the period cap of {cap} outcomes"
    )]
    OverPeriodOutcomeCap {
        /// The metric's code.
        metric: String,
        /// The period, in words.
        period: String,
        /// Outcomes claimed.
        count: u64,
        /// The cap.
        cap: u64,
    },
    /// With earlier periods' claims, the claim would take the metric over its contract cap.
    #[error(
        "outcome `{metric}` in {period}: {count} outcomes at {} = {}, with {} claimed in earlier periods, would bring the total to {}, over the contract cap of {}",
        .price.fmt_gbp(), .amount.fmt_gbp(), .earlier.fmt_gbp(), .total.fmt_gbp(), .cap.fmt_gbp()
    )]
    OverContractCap {
        /// The metric's code.
        metric: String,
        /// The period, in words.
        period: String,
        /// Outcomes claimed.
        count: u64,
        /// The price of one.
        price: Money,
        /// What the claim is worth.
        amount: Money,
        /// Claimed for the metric in earlier returns.
        earlier: Money,
        /// Earlier claims and this one.
        total: Money,
        /// The cap.
        cap: Money,
    },
    /// With earlier periods' claims, the claim would take the metric over its contract cap
    /// on outcomes.
    #[error(
        "outcome `{metric}` in {period}: {count} outcomes, with {earlier} claimed in earlier periods, would bring the total to {total}, over the contract cap of {cap} outcomes"
    )]
    OverContractOutcomeCap {
        /// The metric's code.
        metric: String,
        /// The period, in words.
        period: String,
        /// Outcomes claimed.
        count: u64,
        /// Outcomes claimed in earlier returns.
        earlier: u64,
        /// Earlier claims and this one.
        total: u64,
        /// The cap.
        cap: u64,
    },
    /// Quantity times price is beyond the range of an amount.
    #[error("{what} in {period}: {quantity} at {} is beyond the range of an amount", .price.fmt_gbp())]
    Overflow {
        /// What was claimed.
        what: String,
        /// The period, in words.
        period: String,
        /// Units or outcomes (for a contract cap, all claimed so far).
        quantity: u64,
        /// The rate or price.
        price: Money,
    },
}

/// The lines due for one return, checked against terms that passed
/// [`PaymentTerms::validate`] and the returns accepted `earlier`.
///
/// Refused: units where the terms have no cost-per-case component, an outcome code the terms
/// do not define, a period that is not one of the component's periods or was claimed before,
/// and outcomes that would exceed a cap for the period or, with the earlier returns' claims
/// for the metric, a cap over the contract. A claim exactly at a cap is allowed. A zero count
/// makes no line.
pub fn check_claim(
    terms: &PaymentTerms,
    earlier: &[PeriodReturn],
    claim: &PeriodReturn,
) -> Result<Vec<DueLine>, ClaimError> {
    let mut lines = Vec::new();
    if let Some(units) = claim.units {
        lines.extend(cost_per_case(terms, earlier, claim, units)?);
    }
    for (code, &count) in &claim.outcomes {
        lines.extend(outcome(terms, earlier, claim, code, count)?);
    }
    Ok(lines)
}

/// The payments due by `through`, and the claims refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentsDue {
    /// The lines due, by due date.
    pub lines: Vec<DueLine>,
    /// Returns refused, with why (e.g. terms varied after a claim was accepted); in JSON,
    /// the messages.
    #[serde(serialize_with = "messages")]
    pub refused: Vec<ClaimError>,
}

impl PaymentsDue {
    /// The sum of the lines, or `None` on overflow.
    pub fn total(&self) -> Option<Money> {
        Money::checked_sum(self.lines.iter().map(|l| l.amount))
    }
}

/// Everything due by `through` (inclusive): the block instalments due by then, and the lines
/// of the returns for periods ended by then. Returns are taken in period order, each checked
/// with [`check_claim`] against those accepted before it; a refused return makes no lines and
/// is listed in [`PaymentsDue::refused`], so the lines never exceed a cap.
pub fn payments_due(
    terms: &PaymentTerms,
    returns: &[PeriodReturn],
    through: NaiveDate,
) -> PaymentsDue {
    let mut lines: Vec<DueLine> = terms
        .components
        .iter()
        .filter_map(|c| match c {
            Component::Block { schedule } => Some(schedule),
            _ => None,
        })
        .flatten()
        .filter(|i| i.due_on <= through)
        .map(|i| DueLine {
            period: Period::containing(Frequency::Monthly, i.due_on),
            component: Component::BLOCK,
            metric: None,
            quantity: None,
            unit_price: None,
            amount: i.amount,
            due_on: i.due_on,
        })
        .collect();
    let mut ordered: Vec<&PeriodReturn> =
        returns.iter().filter(|r| r.period.end <= through).collect();
    ordered.sort_by_key(|r| r.period);
    let mut accepted: Vec<PeriodReturn> = Vec::with_capacity(ordered.len());
    let mut refused = Vec::new();
    for r in ordered {
        match check_claim(terms, &accepted, r) {
            Ok(due) => {
                lines.extend(due);
                accepted.push(r.clone());
            }
            Err(e) => refused.push(e),
        }
    }
    lines.sort_by(|a, b| {
        (a.due_on, a.period, rank(a.component), &a.metric).cmp(&(
            b.due_on,
            b.period,
            rank(b.component),
            &b.metric,
        ))
    });
    PaymentsDue { lines, refused }
}

fn messages<S: serde::Serializer>(errors: &[ClaimError], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(errors.iter().map(ToString::to_string))
}

fn rank(component: &str) -> u8 {
    match component {
        Component::BLOCK => 0,
        Component::COST_PER_CASE => 1,
        _ => 2,
    }
}

/// A period in words: its label when it is a month, quarter or year of the financial year,
/// else its first and last days.
fn describe(period: Period) -> String {
    Frequency::ALL
        .iter()
        .find(|&&f| Period::containing(f, period.start) == period)
        .map(|&f| period.label(f))
        .unwrap_or_else(|| format!("{} to {}", period.start, period.end))
}

fn cost_per_case(
    terms: &PaymentTerms,
    earlier: &[PeriodReturn],
    claim: &PeriodReturn,
    units: u64,
) -> Result<Option<DueLine>, ClaimError> {
    let period = describe(claim.period);
    let Some((unit, rate, frequency)) = terms.components.iter().find_map(|c| match c {
        Component::CostPerCase {
            unit,
            rate,
            frequency,
        } => Some((unit, *rate, *frequency)),
        _ => None,
    }) else {
        return Err(ClaimError::UnitsWithoutCostPerCase { period, units });
    };
    let what = format!("units ({unit})");
    check_period(claim, frequency, Component::COST_PER_CASE, &what)?;
    if earlier
        .iter()
        .any(|r| r.period == claim.period && r.units.is_some())
    {
        return Err(ClaimError::AlreadyClaimed { what, period });
    }
    if units == 0 {
        return Ok(None);
    }
    let amount = times(rate, units).ok_or_else(|| ClaimError::Overflow {
        what: what.clone(),
        period: period.clone(),
        quantity: units,
        price: rate,
    })?;
    Ok(Some(DueLine {
        period: claim.period,
        component: Component::COST_PER_CASE,
        metric: None,
        quantity: Some(units),
        unit_price: Some(rate),
        amount,
        due_on: claim.period.end,
    }))
}

fn outcome(
    terms: &PaymentTerms,
    earlier: &[PeriodReturn],
    claim: &PeriodReturn,
    code: &str,
    count: u64,
) -> Result<Option<DueLine>, ClaimError> {
    let period = describe(claim.period);
    let Some((metric, frequency)) = find_metric(terms, code) else {
        return Err(ClaimError::UnknownMetric {
            period,
            metric: code.to_owned(),
        });
    };
    let what = format!("outcome `{code}`");
    check_period(claim, frequency, Component::PAYMENT_BY_RESULTS, &what)?;
    if earlier
        .iter()
        .any(|r| r.period == claim.period && r.outcomes.contains_key(code))
    {
        return Err(ClaimError::AlreadyClaimed { what, period });
    }
    if count == 0 {
        return Ok(None);
    }
    let price = metric.price;
    let overflow = |quantity| ClaimError::Overflow {
        what: what.clone(),
        period: period.clone(),
        quantity,
        price,
    };
    let amount = times(price, count).ok_or_else(|| overflow(count))?;
    let metric_code = || code.to_owned();
    if let Some(cap) = metric.period_cap.filter(|&cap| amount > cap) {
        return Err(ClaimError::OverPeriodCap {
            metric: metric_code(),
            period,
            count,
            price,
            amount,
            cap,
        });
    }
    if let Some(cap) = metric.period_cap_outcomes.filter(|&cap| count > cap) {
        return Err(ClaimError::OverPeriodOutcomeCap {
            metric: metric_code(),
            period,
            count,
            cap,
        });
    }
    let earlier_count = earlier
        .iter()
        .filter_map(|r| r.outcomes.get(code))
        .try_fold(0u64, |sum, &n| sum.checked_add(n))
        .ok_or_else(|| overflow(u64::MAX))?;
    let total_count = earlier_count
        .checked_add(count)
        .ok_or_else(|| overflow(u64::MAX))?;
    let total = times(price, total_count).ok_or_else(|| overflow(total_count))?;
    if let Some(cap) = metric.contract_cap.filter(|&cap| total > cap) {
        return Err(ClaimError::OverContractCap {
            metric: metric_code(),
            period,
            count,
            price,
            amount,
            earlier: total - amount,
            total,
            cap,
        });
    }
    if let Some(cap) = metric
        .contract_cap_outcomes
        .filter(|&cap| total_count > cap)
    {
        return Err(ClaimError::OverContractOutcomeCap {
            metric: metric_code(),
            period,
            count,
            earlier: earlier_count,
            total: total_count,
            cap,
        });
    }
    Ok(Some(DueLine {
        period: claim.period,
        component: Component::PAYMENT_BY_RESULTS,
        metric: Some(metric_code()),
        quantity: Some(count),
        unit_price: Some(price),
        amount,
        due_on: claim.period.end,
    }))
}

fn find_metric<'t>(terms: &'t PaymentTerms, code: &str) -> Option<(&'t OutcomeMetric, Frequency)> {
    terms.components.iter().find_map(|c| match c {
        Component::PaymentByResults { frequency, metrics } => metrics
            .iter()
            .find(|m| m.code == code)
            .map(|m| (m, *frequency)),
        _ => None,
    })
}

fn check_period(
    claim: &PeriodReturn,
    frequency: Frequency,
    component: &'static str,
    what: &str,
) -> Result<(), ClaimError> {
    if Period::containing(frequency, claim.period.start) == claim.period {
        Ok(())
    } else {
        Err(ClaimError::NotAPeriod {
            what: what.to_owned(),
            period: describe(claim.period),
            component,
            frequency,
        })
    }
}

/// `price × quantity`, or `None` when it does not fit.
fn times(price: Money, quantity: u64) -> Option<Money> {
    price.checked_mul(i64::try_from(quantity).ok()?)
}

#[cfg(test)]
mod tests;
