//! The savings programme: savings lines, their delivery status, monthly delivery updates,
//! the delivery profile, and undelivered savings rolled forward into the next year.

use super::evidence::Evidenced;
use super::service::ServiceLine;
use super::year::FinancialYear;
use crate::money::{Money, allocate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::text_enum! {
    /// What kind of saving a line is.
    pub enum SavingCategory as "saving category" {
        /// The same service for less.
        Efficiency = "efficiency", "Efficiency";
        /// More fees, charges or external income.
        Income = "income", "Income";
        /// Less service.
        ServiceReduction = "service_reduction", "Service reduction";
        /// A new way of delivering the service.
        Transformation = "transformation", "Transformation";
        /// Shared services and joint working with other councils.
        JointWorking = "joint_working", "Joint working";
    }
}

crate::text_enum! {
    /// Delivery status of a saving (red, amber, green; blue when fully delivered).
    pub enum Rag as "RAG status" {
        /// Unlikely to be delivered without action.
        Red = "red", "Red — at risk";
        /// Some risk to delivery.
        Amber = "amber", "Amber — some risk";
        /// On track.
        Green = "green", "Green — on track";
        /// Delivered in full.
        Blue = "blue", "Blue — delivered";
    }
}

crate::text_enum! {
    /// What record shows a saving is real.
    pub enum EvidenceKind as "evidence kind" {
        /// A let contract.
        Contract = "contract", "Contract";
        /// A tender under way.
        Tender = "tender", "Tender";
        /// A shared-service or joint-working record.
        SharedService = "shared_service", "Shared service";
    }
}

/// A link from a saving to the record behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The kind of record.
    pub kind: EvidenceKind,
    /// Its reference (contract or tender id, partnership slug).
    pub reference: String,
}

/// One line of the savings programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saving {
    /// A reference unique within the plan (`ASC-04`).
    pub reference: String,
    /// What the saving is.
    pub title: String,
    /// The service line it reduces.
    pub service: ServiceLine,
    /// The kind of saving.
    pub category: SavingCategory,
    /// The new saving in each year (incremental: it reduces the base from then on).
    pub amounts: BTreeMap<FinancialYear, Money>,
    /// Who is responsible for delivering it.
    pub owner: String,
    /// Current delivery status.
    pub rag: Rag,
    /// Delivered to date, as last reported.
    pub delivered_to_date: Money,
    /// The contract, tender or shared-service record behind it.
    pub evidence: Option<Evidence>,
}

impl Saving {
    /// The new saving planned in `year` (zero if none).
    pub fn amount_in(&self, year: FinancialYear) -> Money {
        self.amounts.get(&year).copied().unwrap_or_default()
    }
}

/// A monthly report of what a saving has delivered so far in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryUpdate {
    /// The saving's reference.
    pub reference: String,
    /// The financial year reported on.
    pub year: FinancialYear,
    /// The month of the financial year: 1 is April, 12 is March.
    pub month: u8,
    /// Delivered in the year up to and including this month.
    pub delivered: Money,
    /// Delivery status at the time.
    pub rag: Rag,
    /// A note in words.
    pub note: String,
}

/// The latest update for a saving and year (the highest month; of equal months, the last given).
pub fn latest_update<'a>(
    updates: &'a [DeliveryUpdate],
    reference: &str,
    year: FinancialYear,
) -> Option<&'a DeliveryUpdate> {
    updates
        .iter()
        .filter(|u| u.reference == reference && u.year == year)
        .max_by_key(|u| u.month)
}

/// What a saving has not delivered in `year`: the planned amount less the evidenced figure
/// where evidence covers the year (a contract's price is known ahead), otherwise less what
/// the year-end (month 12) update says was delivered; never below zero. Zero while there is
/// neither evidence nor a year-end update.
pub fn year_end_shortfall(
    saving: &Saving,
    year: FinancialYear,
    updates: &[DeliveryUpdate],
    evidenced: &Evidenced,
) -> Money {
    if let Some(e) = evidenced.get(&saving.reference, year) {
        return (saving.amount_in(year) - e).max_zero();
    }
    match latest_update(updates, &saving.reference, year) {
        Some(u) if u.month >= 12 => (saving.amount_in(year) - u.delivered).max_zero(),
        _ => Money::ZERO,
    }
}

/// Undelivered savings of `year` carried into the next year's gap, by saving reference. Each
/// year's shortfall is measured against that year's planned saving only, so a shortfall rolls
/// forward once and never again.
pub fn rolled_forward(
    savings: &[Saving],
    year: FinancialYear,
    updates: &[DeliveryUpdate],
    evidenced: &Evidenced,
) -> BTreeMap<String, Money> {
    savings
        .iter()
        .map(|s| {
            let short = year_end_shortfall(s, year, updates, evidenced);
            (s.reference.clone(), short)
        })
        .filter(|(_, m)| !m.is_zero())
        .collect()
}

/// The part of `amount` profiled to be delivered by the end of month `month` (1–12), spread
/// evenly over the twelve months so the months sum exactly to the whole.
pub fn profiled_to(amount: Money, month: u8) -> Money {
    let months = allocate(amount, &[1u8; 12]).expect("twelve equal weights");
    months
        .iter()
        .take(usize::from(month.min(12)))
        .copied()
        .sum()
}

/// Delivery against profile across a savings programme at a month of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLag {
    /// The year.
    pub year: FinancialYear,
    /// The month of the year (1 = April).
    pub month: u8,
    /// What the profile expected by then.
    pub profiled: Money,
    /// What the latest updates report as delivered.
    pub delivered: Money,
    /// Profile less delivered (negative when ahead).
    pub lag: Money,
    /// The lag as a percentage of the profile, two places; zero when nothing was profiled.
    pub lag_pct: Decimal,
}

/// Delivery against profile for all savings in `year` as at the end of `month`. A saving
/// without an update counts as nothing delivered.
pub fn delivery_lag(
    savings: &[Saving],
    updates: &[DeliveryUpdate],
    year: FinancialYear,
    month: u8,
) -> DeliveryLag {
    let mut profiled = Money::ZERO;
    let mut delivered = Money::ZERO;
    for s in savings {
        let amount = s.amount_in(year);
        if amount.is_zero() {
            continue;
        }
        profiled += profiled_to(amount, month);
        delivered += updates
            .iter()
            .filter(|u| u.reference == s.reference && u.year == year && u.month <= month)
            .max_by_key(|u| u.month)
            .map_or(Money::ZERO, |u| u.delivered);
    }
    let lag = profiled - delivered;
    let lag_pct = crate::money::percent_change(profiled, delivered)
        .map(|p| -p)
        .unwrap_or_default();
    DeliveryLag {
        year,
        month,
        profiled,
        delivered,
        lag,
        lag_pct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn y(s: &str) -> FinancialYear {
        s.parse().unwrap()
    }

    fn saving(reference: &str, year: &str, pounds: i64) -> Saving {
        Saving {
            reference: reference.into(),
            title: "Review of out-of-county placements".into(),
            service: ServiceLine::ChildrensSocialCare,
            category: SavingCategory::Transformation,
            amounts: [(y(year), Money::pounds(pounds))].into(),
            owner: "Director of Children's Services".into(),
            rag: Rag::Amber,
            delivered_to_date: Money::ZERO,
            evidence: Some(Evidence {
                kind: EvidenceKind::Contract,
                reference: "CT-2015-001".into(),
            }),
        }
    }

    fn update(reference: &str, year: &str, month: u8, pounds: i64) -> DeliveryUpdate {
        DeliveryUpdate {
            reference: reference.into(),
            year: y(year),
            month,
            delivered: Money::pounds(pounds),
            rag: Rag::Amber,
            note: String::new(),
        }
    }

    #[rstest]
    #[case::half_delivered(vec![update("S1", "2015-16", 12, 1_500_000)], 2_500_000)]
    #[case::over_delivered(vec![update("S1", "2015-16", 12, 5_000_000)], 0)]
    #[case::not_yet_year_end(vec![update("S1", "2015-16", 9, 100)], 0)]
    #[case::latest_month_counts(vec![update("S1", "2015-16", 12, 4_000_000), update("S1", "2015-16", 6, 1)], 0)]
    #[case::other_saving_ignored(vec![update("S2", "2015-16", 12, 0)], 0)]
    fn undelivered_savings_roll_forward_at_the_year_end(
        #[case] updates: Vec<DeliveryUpdate>,
        #[case] shortfall_pounds: i64,
    ) {
        let s = saving("S1", "2015-16", 4_000_000);
        let rolled = rolled_forward(&[s], y("2015-16"), &updates, &Evidenced::none());
        assert_eq!(
            rolled.get("S1").copied().unwrap_or_default(),
            Money::pounds(shortfall_pounds)
        );
    }

    #[test]
    fn delivery_lag_compares_the_latest_update_with_the_even_profile() {
        let savings = [
            saving("S1", "2015-16", 1_200),
            saving("S2", "2015-16", 2_400),
        ];
        let updates = [
            update("S1", "2015-16", 3, 300),
            update("S1", "2015-16", 6, 600),
            update("S2", "2015-16", 6, 600),
            update("S2", "2015-16", 7, 9_999),
        ];
        let lag = delivery_lag(&savings, &updates, y("2015-16"), 6);
        assert_eq!(lag.profiled, Money::pounds(1_800));
        assert_eq!(lag.delivered, Money::pounds(1_200));
        assert_eq!(lag.lag, Money::pounds(600));
        assert_eq!(lag.lag_pct, "33.33".parse().unwrap());
    }

    proptest! {
        #[test]
        fn the_profile_reaches_the_whole_amount_in_march(pence in -1_000_000_000i64..1_000_000_000) {
            prop_assert_eq!(profiled_to(Money::pence(pence), 12), Money::pence(pence));
        }

        #[test]
        fn the_profile_never_falls_month_on_month(pence in 0i64..1_000_000_000, month in 1u8..12) {
            let m = Money::pence(pence);
            prop_assert!(profiled_to(m, month) <= profiled_to(m, month + 1));
        }

        #[test]
        fn a_shortfall_is_never_negative_nor_more_than_planned(
            planned in 0i64..10_000_000, delivered in -1_000_000i64..20_000_000,
        ) {
            let s = Saving { amounts: [(y("2016-17"), Money::pence(planned))].into(), ..saving("S", "2016-17", 0) };
            let u = DeliveryUpdate { delivered: Money::pence(delivered), ..update("S", "2016-17", 12, 0) };
            let short = year_end_shortfall(&s, y("2016-17"), &[u], &Evidenced::none());
            prop_assert!(short >= Money::ZERO);
            prop_assert!(short <= Money::pence(planned).max(Money::pence(planned - delivered)));
        }
    }
}
