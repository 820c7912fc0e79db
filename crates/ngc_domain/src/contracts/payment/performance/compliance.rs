//! The payments compliance figures of each reporting period (PA2023 s69, Procurement
//! Regulations 2024 reg 38(2)(c)), over the payments made in it.
//!
//! - A payment belongs to the period it was paid in (`paid_on`); unpaid invoices are not
//!   counted.
//! - **In time** means paid on or before the last day of the prompt-payment term of the
//!   contract's regime ([`PromptPaymentRule::pay_by`](super::super::PromptPaymentRule::pay_by):
//!   PCR 2015 reg 113(2)(a), PA2023 s68(2)); **late** means after it. A disputed invoice is
//!   outside the term (it covers valid, undisputed invoices): it is counted as paid, in the
//!   days to pay and in the bands, but neither in time nor late.
//! - **Days to pay** are counted as reg 38(2)(c) counts them: day 1 is the first day after
//!   the day the (valid) invoice was received, so a payment's days are `paid_on − received`.
//!   The average is their arithmetic mean, and the bands are days 1–30 (a payment on the day
//!   of receipt, day 0, is counted here), 31–60 and 61 or more.
//! - Percentages and the average are exact to two decimal places, rounded half away from
//!   zero (integer arithmetic, no floating point).

use super::rules::{ReportingPeriod, ReportingRule};
use super::significant::{Coverage, coverage};
use super::{ContractPayment, ratio_2dp};
use crate::contracts::payment::PromptPaymentRules;
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The figures of one reporting period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceFigures {
    /// The period.
    pub period: ReportingPeriod,
    /// Invoices paid in the period.
    pub invoices_paid: u64,
    /// What they came to.
    pub total_paid: Money,
    /// Of those, disputed invoices (outside the prompt-payment term).
    pub disputed: u64,
    /// Undisputed invoices paid on or before the last day of their regime's term.
    pub paid_in_time: u64,
    /// Undisputed invoices paid after it.
    pub paid_late: u64,
    /// `paid_in_time` as a percentage of the undisputed invoices paid, to two places.
    pub in_time_percent: Option<Decimal>,
    /// The mean days from receipt of the invoice to payment, to two places.
    pub average_days: Option<Decimal>,
    /// Paid within days 1–30 (reg 38(2)(c)(ii)(aa)).
    pub days_1_to_30: u64,
    /// Paid within days 31–60 (reg 38(2)(c)(ii)(bb)).
    pub days_31_to_60: u64,
    /// Paid on or after day 61 (reg 38(2)(c)(ii)(cc)).
    pub days_61_or_more: u64,
    /// The three bands as percentages of the invoices paid, to two places.
    pub percent_1_to_30: Option<Decimal>,
    pub percent_31_to_60: Option<Decimal>,
    pub percent_61_or_more: Option<Decimal>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The figures of every period of `rule` that overlaps `from..=to`, in order (periods with
/// no payment included, with zero counts), over the payments covered by the rule, each
/// judged under its regime's prompt-payment term in `prompt`. `None` if the amounts paid in
/// a period overflow.
pub fn compliance(
    payments: &[ContractPayment],
    rule: &ReportingRule,
    prompt: &PromptPaymentRules,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Vec<ComplianceFigures>> {
    rule.periods_covering(from, to)
        .into_iter()
        .map(|period| figures(payments, rule, prompt, period))
        .collect()
}

fn figures(
    payments: &[ContractPayment],
    rule: &ReportingRule,
    prompt: &PromptPaymentRules,
    period: ReportingPeriod,
) -> Option<ComplianceFigures> {
    let mut f = ComplianceFigures {
        invoices_paid: 0,
        total_paid: Money::ZERO,
        disputed: 0,
        paid_in_time: 0,
        paid_late: 0,
        in_time_percent: None,
        average_days: None,
        days_1_to_30: 0,
        days_31_to_60: 0,
        days_61_or_more: 0,
        percent_1_to_30: None,
        percent_31_to_60: None,
        percent_61_or_more: None,
        period,
    };
    let mut total_days: i64 = 0;
    for p in payments {
        let Some(paid) = p.record.paid_on else {
            continue;
        };
        if !f.period.period.contains(paid)
            || coverage(rule, p.regime, p.commenced_on) != Coverage::Covered
        {
            continue;
        }
        f.invoices_paid += 1;
        f.total_paid = f.total_paid.checked_add(p.record.amount)?;
        let days = (paid - p.record.valid_invoice_received).num_days();
        total_days = total_days.checked_add(days)?;
        match days {
            ..=30 => f.days_1_to_30 += 1,
            31..=60 => f.days_31_to_60 += 1,
            _ => f.days_61_or_more += 1,
        }
        if p.record.disputed {
            f.disputed += 1;
        } else if paid <= prompt.rule(p.regime).pay_by(&p.record) {
            f.paid_in_time += 1;
        } else {
            f.paid_late += 1;
        }
    }
    let paid = count(f.invoices_paid);
    let undisputed = count(f.paid_in_time + f.paid_late);
    f.in_time_percent = ratio_2dp(count(f.paid_in_time) * 100, undisputed);
    f.average_days = ratio_2dp(total_days, paid);
    f.percent_1_to_30 = ratio_2dp(count(f.days_1_to_30) * 100, paid);
    f.percent_31_to_60 = ratio_2dp(count(f.days_31_to_60) * 100, paid);
    f.percent_61_or_more = ratio_2dp(count(f.days_61_or_more) * 100, paid);
    Some(f)
}
