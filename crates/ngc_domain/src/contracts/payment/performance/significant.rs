//! The payments of more than the threshold in each quarter (PA2023 s70), under contracts
//! whose procurement commenced on or after the covered day.
//!
//! A contract is covered when ngc knows its procurement commenced on or after the day. When
//! it does not know the day (a contract entered or imported without its tender), a contract
//! under PCR 2015 is not covered if the covered day is on or after the Act's commencement
//! (a PCR 2015 procurement commenced before it, SI 2024/716 reg 5); one under the Act is
//! *undetermined*, and listed apart so that an officer can check it: never guessed either
//! way.

use super::ContractPayment;
use super::rules::{ReportingPeriod, ReportingRule};
use crate::money::Money;
use crate::procurement::Regime;
use crate::procurement::regime::PA2023_COMMENCEMENT;
use chrono::NaiveDate;
use serde::Serialize;

/// Whether a contract's payments are covered by a return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Covered.
    Covered,
    /// Not covered: its procurement commenced before the covered day.
    NotCovered,
    /// ngc does not know when its procurement commenced.
    Undetermined,
}

/// Whether a contract procured under `regime`, commenced on `commenced_on` where known, is
/// covered by `rule`.
pub fn coverage(rule: &ReportingRule, regime: Regime, commenced_on: Option<NaiveDate>) -> Coverage {
    let Some(from) = rule.covered_from else {
        return Coverage::Covered;
    };
    match (commenced_on, regime) {
        (Some(day), _) if day >= from => Coverage::Covered,
        (Some(_), _) => Coverage::NotCovered,
        (None, Regime::Pcr2015) if from >= PA2023_COMMENCEMENT => Coverage::NotCovered,
        (None, _) => Coverage::Undetermined,
    }
}

/// A payment over the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignificantPayment {
    /// The payment's id.
    pub payment_id: i64,
    /// The contract it was made under.
    pub contract_id: i64,
    /// The contract's supplier.
    pub supplier_id: i64,
    /// How much.
    pub amount: Money,
    /// The day it was paid.
    pub paid_on: NaiveDate,
}

/// The payments over the threshold made in one quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterPayments {
    /// The quarter.
    pub period: ReportingPeriod,
    /// The payments under covered contracts, by day paid then id.
    pub payments: Vec<SignificantPayment>,
    /// What they came to.
    pub total: Money,
    /// Payments over the threshold under contracts whose commencement ngc does not know.
    pub undetermined: Vec<SignificantPayment>,
}

/// The payments over `rule`'s threshold in every period of `rule` that overlaps `from..=to`,
/// in order (periods with none included). `None` if a quarter's total overflows.
pub fn significant(
    payments: &[ContractPayment],
    rule: &ReportingRule,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Vec<QuarterPayments>> {
    let mut chosen: Vec<(Coverage, SignificantPayment)> = payments
        .iter()
        .filter(|p| rule.threshold.is_none_or(|t| p.record.amount > t))
        .filter_map(|p| {
            let paid_on = p.record.paid_on?;
            let cover = coverage(rule, p.regime, p.commenced_on);
            (cover != Coverage::NotCovered).then_some((
                cover,
                SignificantPayment {
                    payment_id: p.id,
                    contract_id: p.contract_id,
                    supplier_id: p.supplier_id,
                    amount: p.record.amount,
                    paid_on,
                },
            ))
        })
        .collect();
    chosen.sort_by_key(|(_, s)| (s.paid_on, s.payment_id));
    rule.periods_covering(from, to)
        .into_iter()
        .map(|period| {
            let within = |c: Coverage| {
                chosen
                    .iter()
                    .filter(|(cover, s)| *cover == c && period.period.contains(s.paid_on))
                    .map(|(_, s)| s.clone())
                    .collect::<Vec<_>>()
            };
            let payments = within(Coverage::Covered);
            let total = Money::checked_sum(payments.iter().map(|s| s.amount))?;
            Some(QuarterPayments {
                undetermined: within(Coverage::Undetermined),
                payments,
                total,
                period,
            })
        })
        .collect()
}
