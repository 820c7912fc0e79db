//! The savings tracker: for one year, each saving's three figures (planned, evidenced by its
//! linked contracts, delivered: the evidenced figure where there is one, else the latest
//! update), totals by RAG status, and the items at risk first.

use super::evidence::{Evidenced, figures};
use super::mtfp::Plan;
use super::savings::{Rag, latest_update};
use super::year::FinancialYear;
use crate::money::Money;
use serde::Serialize;

/// One saving in the tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackedSaving {
    pub reference: String,
    pub title: String,
    pub owner: String,
    pub service: &'static str,
    /// The status of the latest update in the year, else the saving's own.
    pub rag: Rag,
    /// The new saving planned in the year.
    pub planned: Money,
    /// What the linked evidence shows for the year, if it covers it.
    pub evidenced: Option<Money>,
    /// What the latest update reports as delivered, if there is one.
    pub reported: Option<Money>,
    /// Delivered: the evidenced figure, else the reported one, else zero.
    pub delivered: Money,
    /// Evidenced less reported, where both exist and differ.
    pub difference: Option<Money>,
    /// The month of the latest update (1 = April), if any.
    pub as_at_month: Option<u8>,
    /// The note of the latest update.
    pub note: String,
    /// Planned less delivered, never below zero.
    pub shortfall: Money,
}

/// Planned amounts by RAG status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RagTotal {
    pub rag: Rag,
    pub count: usize,
    pub planned: Money,
    pub delivered: Money,
}

/// The tracker for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tracker {
    pub year: FinancialYear,
    pub planned: Money,
    pub delivered: Money,
    pub by_rag: Vec<RagTotal>,
    /// Red first, then amber, then the rest; larger shortfalls first within each.
    pub items: Vec<TrackedSaving>,
}

fn risk_order(rag: Rag) -> u8 {
    match rag {
        Rag::Red => 0,
        Rag::Amber => 1,
        _ => 2,
    }
}

/// The tracker of `plan` for `year`: only savings with an amount planned in that year.
pub fn tracker(plan: &Plan, year: FinancialYear, evidenced: &Evidenced) -> Tracker {
    let mut items: Vec<TrackedSaving> = plan
        .savings
        .iter()
        .filter(|s| !s.amount_in(year).is_zero())
        .map(|s| {
            let f = figures(s, year, &plan.delivery, evidenced);
            let latest = latest_update(&plan.delivery, &s.reference, year);
            TrackedSaving {
                reference: s.reference.clone(),
                title: s.title.clone(),
                owner: s.owner.clone(),
                service: s.service.label(),
                rag: latest.map_or(s.rag, |u| u.rag),
                planned: f.planned,
                evidenced: f.evidenced,
                reported: f.reported,
                delivered: f.delivered,
                difference: f.difference,
                as_at_month: latest.map(|u| u.month),
                note: latest.map(|u| u.note.clone()).unwrap_or_default(),
                shortfall: f.gap(),
            }
        })
        .collect();
    items.sort_by(|a, b| {
        risk_order(a.rag)
            .cmp(&risk_order(b.rag))
            .then(b.shortfall.cmp(&a.shortfall))
    });
    let by_rag = Rag::ALL
        .iter()
        .map(|&rag| {
            let mine: Vec<_> = items.iter().filter(|i| i.rag == rag).collect();
            RagTotal {
                rag,
                count: mine.len(),
                planned: mine.iter().map(|i| i.planned).sum(),
                delivered: mine.iter().map(|i| i.delivered).sum(),
            }
        })
        .filter(|t| t.count > 0)
        .collect();
    Tracker {
        year,
        planned: items.iter().map(|i| i.planned).sum(),
        delivered: items.iter().map(|i| i.delivered).sum(),
        by_rag,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::demo_plan;
    use crate::finance::savings::DeliveryUpdate;

    #[test]
    fn the_tracker_puts_red_items_first_and_totals_agree() {
        let mut plan = demo_plan();
        let year = plan.first_year;
        let first = plan
            .savings
            .iter()
            .find(|s| !s.amount_in(year).is_zero())
            .unwrap()
            .clone();
        plan.delivery.push(DeliveryUpdate {
            reference: first.reference.clone(),
            year,
            month: 9,
            delivered: Money::pounds(1),
            rag: Rag::Red,
            note: "slipping".into(),
        });
        let t = tracker(&plan, year, &Evidenced::none());
        assert_eq!(t.items[0].reference, first.reference);
        assert_eq!(t.items[0].as_at_month, Some(9));
        assert_eq!(t.by_rag.iter().map(|r| r.planned).sum::<Money>(), t.planned);
        assert_eq!(
            t.by_rag.iter().map(|r| r.count).sum::<usize>(),
            t.items.len()
        );
        let planned: Money = plan.savings.iter().map(|s| s.amount_in(year)).sum();
        assert_eq!(t.planned, planned);
        assert_eq!(t.delivered, Money::pounds(1));
    }
}
