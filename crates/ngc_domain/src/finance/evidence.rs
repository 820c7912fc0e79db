//! The savings evidence chain: each saving of a plan linked to the records that deliver it (a
//! planned procurement, a tender, a contract, a budget line, a shared service or a
//! partnership's programme), and the three figures of a saving in a year:
//!
//! - **planned**: the plan's new saving in the year;
//! - **evidenced**: what the linked evidence shows for the year. A contract shows its price
//!   against the baseline cost stated on the link: the full-year saving (baseline less the
//!   contract's annual price, or the link's split of it) for the part of the year the contract
//!   runs. That level is counted against the plan's phasing of new savings year by year (see
//!   [`Evidenced::from_links`]). Other evidence has no figure yet: a tender or planned
//!   procurement is not priced, and a budget line's actuals arrive with the ledger;
//! - **delivered**: the evidenced figure where evidence exists for the year, otherwise the
//!   latest delivery update; where both exist and differ the evidenced figure wins and the
//!   difference is shown.
//!
//! One piece of evidence supports several savings only by explicit split amounts, which never
//! add up to more than the evidence ([`check_splits`]).

use super::savings::{DeliveryUpdate, Saving, latest_update};
use super::year::FinancialYear;
use crate::money::{Money, Rounding};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

crate::text_enum! {
    /// What kind of record a saving is linked to.
    pub enum LinkKind as "link kind" {
        /// A procurement planned in the pipeline.
        PlannedProcurement = "planned_procurement", "Planned procurement";
        /// A tender.
        Tender = "tender", "Tender";
        /// A contract in the register.
        Contract = "contract", "Contract";
        /// A line of the revenue budget.
        BudgetLine = "budget_line", "Budget line";
        /// A shared service (arrives with the shared-services work).
        SharedService = "shared_service", "Shared service";
        /// A partnership's programme.
        Partnership = "partnership", "Partnership";
    }
}

/// What the record behind a link holds, as read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Facts {
    /// A contract: its annual price and the days it runs (its current end, after variations
    /// or a termination; none when open-ended).
    Contract {
        annual_price: Money,
        start: NaiveDate,
        end: Option<NaiveDate>,
    },
    /// A record with an estimated value and no price yet (a planned procurement, a tender).
    Estimate { value: Money },
    /// A budget line and its budget.
    Budget { amount: Money },
    /// A record with no figure of its own (a partnership's programme).
    Programme,
}

/// A saving's link to one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The link's id.
    pub id: i64,
    /// The saving's reference in its plan.
    pub saving: String,
    /// The kind of record.
    pub kind: LinkKind,
    /// The record's id.
    pub target: i64,
    /// The record's title.
    pub title: String,
    /// The part of the evidence this saving claims, a year (none: all of it).
    pub amount: Option<Money>,
    /// For a contract: the annual cost of the service before the contract, stated on the link.
    pub baseline: Option<Money>,
    /// What the record holds.
    pub facts: Facts,
}

impl Link {
    /// The evidence's own figure a year, which split amounts are measured against: a
    /// contract's saving against the baseline, an estimate's value, a budget line's amount.
    pub fn evidence_value(&self) -> Option<Money> {
        match &self.facts {
            Facts::Contract { annual_price, .. } => {
                self.baseline.map(|b| (b - *annual_price).max_zero())
            }
            Facts::Estimate { value } => Some(*value),
            Facts::Budget { amount } => Some(*amount),
            Facts::Programme => None,
        }
    }

    /// The full-year saving this link evidences: for a contract, the link's split amount (the
    /// splits are checked against the baseline stated on one of the contract's links), or the
    /// whole saving against the baseline stated on this link; none otherwise.
    pub fn full_year_saving(&self) -> Option<Money> {
        match self.facts {
            Facts::Contract { .. } => self.amount.or_else(|| self.evidence_value()),
            _ => None,
        }
    }

    /// Why this link shows no figure, in words (none when it does).
    pub fn why_no_figure(&self) -> Option<&'static str> {
        match (&self.facts, self.baseline) {
            (Facts::Contract { .. }, Some(_)) => None,
            (Facts::Contract { .. }, None) if self.amount.is_some() => None,
            (Facts::Contract { .. }, None) => {
                Some("no baseline cost is stated on the link, so the price shows no saving")
            }
            (Facts::Estimate { .. }, _) => Some("not yet priced: the contract will show it"),
            (Facts::Budget { .. }, _) => Some("actuals against the budget come with the ledger"),
            (Facts::Programme, _) => Some("a programme has no figure of its own"),
        }
    }
}

/// Split amounts that break the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// A split amount below zero.
    #[error("amount: a split cannot be negative")]
    Negative,
    /// The evidence supports several savings and one of them has no split amount.
    #[error(
        "amount: {what} already supports saving {others}; each saving it supports needs an \
         explicit split amount"
    )]
    AmountRequired { what: String, others: String },
    /// A split of a contract whose saving is unknown: no link states its baseline.
    #[error("baseline: state the baseline cost of {what} so its splits can be checked")]
    NoBaseline { what: String },
    /// The splits add up to more than the evidence.
    #[error("amount: the splits of {what} add up to {total}, more than its {value}")]
    OverEvidence {
        what: String,
        total: String,
        value: String,
    },
}

/// Checks the links of one record (every saving's link to the same kind and id): several
/// links need explicit amounts, and the amounts never add up to more than the evidence's
/// figure where it has one.
pub fn check_splits(links: &[Link]) -> Result<(), SplitError> {
    if links
        .iter()
        .any(|l| l.amount.is_some_and(Money::is_negative))
    {
        return Err(SplitError::Negative);
    }
    let Some(first) = links.first() else {
        return Ok(());
    };
    let what = format!("{} `{}`", first.kind.label().to_lowercase(), first.title);
    if links.len() > 1 && links.iter().any(|l| l.amount.is_none()) {
        let others: Vec<&str> = links.iter().map(|l| l.saving.as_str()).collect();
        return Err(SplitError::AmountRequired {
            what,
            others: others.join(", "),
        });
    }
    let total: Money = links.iter().filter_map(|l| l.amount).sum();
    let value = links.iter().find_map(Link::evidence_value);
    if matches!(first.facts, Facts::Contract { .. }) && value.is_none() && !total.is_zero() {
        return Err(SplitError::NoBaseline { what });
    }
    match value {
        Some(v) if total > v => Err(SplitError::OverEvidence {
            what,
            total: total.fmt_gbp(),
            value: v.fmt_gbp(),
        }),
        _ => Ok(()),
    }
}

/// The first and last day of a financial year.
fn days_of(year: FinancialYear) -> (NaiveDate, NaiveDate) {
    let y = i32::from(year.start_year());
    (
        NaiveDate::from_ymd_opt(y, 4, 1).expect("1 April"),
        NaiveDate::from_ymd_opt(y + 1, 3, 31).expect("31 March"),
    )
}

/// The days of `year` a contract running `start`–`end` covers, and the days in the year.
fn covered(start: NaiveDate, end: Option<NaiveDate>, year: FinancialYear) -> (i64, i64) {
    let (first, last) = days_of(year);
    let from = start.max(first);
    let to = end.map_or(last, |e| e.min(last));
    let in_year = (last - first).num_days() + 1;
    (((to - from).num_days() + 1).max(0), in_year)
}

/// A link's saving in force during `year` (its level, not the new saving of the year), and
/// whether the contract runs in the year at all.
fn level(link: &Link, year: FinancialYear) -> Option<Money> {
    let Facts::Contract { start, end, .. } = link.facts else {
        return None;
    };
    let full = link.full_year_saving()?;
    let (days, in_year) = covered(start, end, year);
    if days <= 0 {
        return None;
    }
    let factor = Decimal::from(days) / Decimal::from(in_year);
    full.mul_decimal(factor, Rounding::HalfAwayFromZero).ok()
}

/// The evidenced new saving of each saving and year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evidenced(BTreeMap<(String, FinancialYear), Money>);

impl Evidenced {
    /// No evidence.
    pub fn none() -> Self {
        Self::default()
    }

    /// The figures the links show in `years` for `savings`. For each saving, the saving in
    /// force under its contract links (the sum of their levels) is counted against the plan's
    /// phasing in order: each year is evidenced with what the level holds beyond what earlier
    /// years already took, up to the year's planned saving. A contract ahead of the plan's
    /// phasing therefore covers later years; one that falls short leaves a shortfall that rolls
    /// forward once. A year no linked contract runs in has no evidence.
    pub fn from_links(links: &[Link], savings: &[Saving], years: &[FinancialYear]) -> Self {
        let mut out = BTreeMap::new();
        for saving in savings {
            let mine: Vec<&Link> = links
                .iter()
                .filter(|l| l.saving == saving.reference)
                .collect();
            if mine.is_empty() {
                continue;
            }
            let mut taken = Money::ZERO;
            for &year in years {
                let levels: Vec<Money> = mine.iter().filter_map(|l| level(l, year)).collect();
                if levels.is_empty() {
                    continue;
                }
                let level: Money = levels.into_iter().sum();
                let available = (level - taken).max_zero();
                let evidenced = available.min(saving.amount_in(year).max_zero());
                taken += evidenced;
                out.insert((saving.reference.clone(), year), evidenced);
            }
        }
        Evidenced(out)
    }

    /// The evidenced new saving of `reference` in `year`, if its evidence covers the year.
    pub fn get(&self, reference: &str, year: FinancialYear) -> Option<Money> {
        self.0.get(&(reference.to_owned(), year)).copied()
    }

    /// Whether nothing is evidenced.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A saving's three figures in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// The plan's new saving in the year.
    pub planned: Money,
    /// What the evidence shows, if it covers the year.
    pub evidenced: Option<Money>,
    /// What the latest delivery update reports, if there is one.
    pub reported: Option<Money>,
    /// The evidenced figure, else the reported one, else nothing.
    pub delivered: Money,
    /// Evidenced less reported, where both exist and differ.
    pub difference: Option<Money>,
}

impl Figures {
    /// Planned less delivered, never below zero.
    pub fn gap(&self) -> Money {
        (self.planned - self.delivered).max_zero()
    }
}

/// The three figures of `saving` in `year`.
pub fn figures(
    saving: &Saving,
    year: FinancialYear,
    updates: &[DeliveryUpdate],
    evidenced: &Evidenced,
) -> Figures {
    let evidence = evidenced.get(&saving.reference, year);
    let reported = latest_update(updates, &saving.reference, year).map(|u| u.delivered);
    let difference = match (evidence, reported) {
        (Some(e), Some(r)) if e != r => Some(e - r),
        _ => None,
    };
    Figures {
        planned: saving.amount_in(year),
        evidenced: evidence,
        reported,
        delivered: evidence.or(reported).unwrap_or_default(),
        difference,
    }
}

#[cfg(test)]
mod tests;
