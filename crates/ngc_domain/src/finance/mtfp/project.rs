//! The year-by-year projection of a plan.

use super::types::{Plan, PressureKind};
use crate::finance::council_tax::year_tax;
use crate::finance::evidence::Evidenced;
use crate::finance::reserves::{Balances, prudent_minimum, sustainability_years};
use crate::finance::savings::rolled_forward;
use crate::finance::service::{ServiceLine, Subjective};
use crate::finance::year::FinancialYear;
use crate::money::{Money, Rounding};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The full working of one plan year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearOutcome {
    /// The year.
    pub year: FinancialYear,
    /// The budget brought forward.
    pub base_budget: Money,
    /// Pressures by kind (only kinds with an amount).
    pub pressures_by_kind: BTreeMap<PressureKind, Money>,
    /// All pressures.
    pub pressures: Money,
    /// New savings.
    pub savings: Money,
    /// Base + pressures − savings.
    pub net_budget_requirement: Money,
    /// Funding other than council tax.
    pub funding: Money,
    /// Council tax requirement: the one set, or Band D (unrounded) × tax base.
    pub council_tax: Money,
    /// Whether the requirement is the one the council set.
    #[serde(default)]
    pub council_tax_set: bool,
    /// Funding plus council tax.
    pub resources: Money,
    /// Requirement − resources (positive: a shortfall).
    pub gap: Money,
    /// The running sum of gaps.
    pub cumulative_gap: Money,
    /// Band D the year before.
    pub band_d_prev: Money,
    /// Band D.
    pub band_d: Money,
    /// Tax base, Band D equivalents.
    pub tax_base: Decimal,
    /// Reserves at the start of the year.
    pub reserves_start: Balances,
    /// Planned use of reserves.
    pub reserves_planned_use: Balances,
    /// Reserves at the year end.
    pub reserves_end: Balances,
    /// The prudent minimum general fund balance.
    pub reserves_minimum: Money,
    /// Years usable reserves would last at the recent drawdown rate (none: not falling).
    pub sustainability_years: Option<Decimal>,
}

fn pct_of(amount: Money, pct: Decimal) -> Money {
    amount
        .mul_decimal(pct / Decimal::ONE_HUNDRED, Rounding::HalfAwayFromZero)
        .expect("pressure in range")
}

/// Projects a plan year by year (see the rules in [`crate::finance::mtfp`]).
///
/// # Panics
/// Only if an amount overflows `Money` (beyond ±£92 thousand billion).
pub fn project(plan: &Plan) -> Vec<YearOutcome> {
    project_with(plan, &Evidenced::none())
}

/// Projects a plan with the figures its savings' evidence shows: a year's undelivered
/// savings are measured against the evidenced figure where evidence covers the year (see
/// [`crate::finance::evidence`]).
///
/// # Panics
/// Only if an amount overflows `Money`.
pub fn project_with(plan: &Plan, evidenced: &Evidenced) -> Vec<YearOutcome> {
    // The running budget by service and subjective, on which assumptions compound.
    let mut running: BTreeMap<(ServiceLine, Subjective), Money> = BTreeMap::new();
    for line in &plan.base {
        *running.entry((line.service, line.subjective)).or_default() += line.amount;
    }
    let mut base_budget: Money = plan.base.iter().map(|l| l.subjective.net(l.amount)).sum();
    let mut band_d = plan.council_tax.band_d;
    let mut band_d_carried = band_d.to_decimal();
    let mut tax_base = plan.council_tax.tax_base;
    let mut reserves = Balances::opening(&plan.reserves);
    let mut history = vec![reserves.usable()];
    let mut cumulative_gap = Money::ZERO;
    let mut out = Vec::with_capacity(usize::from(plan.years));

    for year in plan.plan_years() {
        let a = plan.assumptions_for(year);
        let mut by_kind: BTreeMap<PressureKind, Money> = BTreeMap::new();
        let mut add = |kind, m: Money| {
            if !m.is_zero() {
                *by_kind.entry(kind).or_default() += m;
            }
        };

        // Assumption-driven pressures on the running budget.
        let net_by_service = {
            let mut net: BTreeMap<ServiceLine, Money> = BTreeMap::new();
            for (&(service, subjective), &amount) in &running {
                *net.entry(service).or_default() += subjective.net(amount);
            }
            net
        };
        let mut growth: Vec<((ServiceLine, Subjective), Money)> = Vec::new();
        for (&(service, subjective), &amount) in &running {
            let pct = match subjective {
                Subjective::Employees => a.pay_award_pct,
                Subjective::RunningCosts => a.general_inflation_pct,
                Subjective::ThirdPartyPayments if service.is_social_care() => {
                    a.social_care_inflation_pct
                }
                Subjective::ThirdPartyPayments => a.general_inflation_pct,
                Subjective::Income => Decimal::ZERO,
            };
            let p = pct_of(amount, pct);
            add(PressureKind::Inflation, p);
            growth.push(((service, subjective), p));
        }
        for (&service, &pct) in &a.demography_pct {
            let net = net_by_service.get(&service).copied().unwrap_or_default();
            let p = pct_of(net, pct);
            add(PressureKind::Demography, p);
            growth.push(((service, Subjective::ThirdPartyPayments), p));
        }
        for (key, p) in growth {
            *running.entry(key).or_default() += p;
        }

        for p in &plan.pressures {
            add(p.kind, p.amount_in(year));
        }
        if let Some(prev) = year.prev() {
            let rolled: Money = rolled_forward(&plan.savings, prev, &plan.delivery, evidenced)
                .values()
                .copied()
                .sum();
            add(PressureKind::UndeliveredSavings, rolled);
        }
        let pressures: Money = by_kind.values().copied().sum();
        let savings: Money = plan.savings.iter().map(|s| s.amount_in(year)).sum();
        let net_budget_requirement = base_budget + pressures - savings;

        let band_d_prev = band_d;
        tax_base = (tax_base * (Decimal::ONE + a.tax_base_growth_pct / Decimal::ONE_HUNDRED))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let tax = year_tax(
            band_d_carried,
            a.council_tax_increase_pct + a.asc_precept_pct,
            tax_base,
            plan.set_requirement(year),
        )
        .expect("a validated plan has a positive tax base");
        band_d = tax.band_d;
        band_d_carried = tax.band_d_carried;
        let council_tax = tax.requirement;
        let funding = plan.funding_excluding_council_tax(year);
        let resources = funding + council_tax;
        let gap = net_budget_requirement - resources;
        cumulative_gap += gap;

        let reserves_start = reserves;
        let planned = Balances::planned_use(&plan.reserves, year);
        reserves = reserves.year_end(planned, gap);
        history.push(reserves.usable());

        out.push(YearOutcome {
            year,
            base_budget,
            pressures_by_kind: by_kind,
            pressures,
            savings,
            net_budget_requirement,
            funding,
            council_tax,
            council_tax_set: tax.set,
            resources,
            gap,
            cumulative_gap,
            band_d_prev,
            band_d,
            tax_base,
            reserves_start,
            reserves_planned_use: planned,
            reserves_end: reserves,
            reserves_minimum: prudent_minimum(net_budget_requirement, plan.minimum_reserve_pct),
            sustainability_years: sustainability_years(&history),
        });
        base_budget = net_budget_requirement;
    }
    out
}
