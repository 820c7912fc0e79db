//! The section 114 early warning: plan years that show the signs which preceded
//! Northamptonshire's 2018 notice, each with its reasons in words.

use super::mtfp::{Plan, YearOutcome};
use super::savings::delivery_lag;
use super::year::FinancialYear;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// The sign a warning is about.
    pub enum WarningKind as "warning kind" {
        /// In the year: forecast spending exceeds resources and the reserves available to
        /// meet it (s114(3) LGFA 1988), from the budget against actual.
        ForecastExceedsResources = "forecast_exceeds_resources", "Forecast spending exceeds resources and reserves (s114(3))";
        /// Spending exceeds resources including usable reserves.
        SpendingExceedsResources = "spending_exceeds_resources", "Spending exceeds resources and reserves";
        /// The general fund falls below the prudent minimum.
        BelowPrudentMinimum = "below_prudent_minimum", "Reserves below the prudent minimum";
        /// Usable reserves would last fewer than the set number of years.
        ReservesRunningOut = "reserves_running_out", "Reserves running out";
        /// Savings delivery lags its profile by more than the margin.
        SavingsDeliveryLag = "savings_delivery_lag", "Savings delivery behind profile";
    }
}

/// One early warning.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The plan year.
    pub year: FinancialYear,
    /// What sign it is.
    pub kind: WarningKind,
    /// The reasons, in words and figures.
    pub message: String,
}

/// The most serious warning: the in-year forecast beyond resources first, then planned
/// spending beyond resources, then reserves below the minimum, then reserves running out,
/// then delivery lag; the earliest year within a kind.
pub fn most_serious(warnings: &[Warning]) -> Option<&Warning> {
    warnings.iter().min_by_key(|w| (w.kind, w.year))
}

/// Thresholds and "now" for the early warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningOptions {
    /// The year and month (1 = April) savings delivery is judged at; none: not judged.
    pub as_at: Option<(FinancialYear, u8)>,
    /// How far (per cent of the profile) delivery may lag before a warning (default 10).
    pub savings_lag_margin_pct: Decimal,
    /// Warn when reserves would last fewer years than this (default 3).
    pub sustainability_floor_years: Decimal,
}

impl Default for WarningOptions {
    fn default() -> Self {
        WarningOptions {
            as_at: None,
            savings_lag_margin_pct: Decimal::TEN,
            sustainability_floor_years: Decimal::from(3),
        }
    }
}

/// The early warnings for a plan's projected years, in year order.
pub fn warnings(plan: &Plan, outcomes: &[YearOutcome], options: &WarningOptions) -> Vec<Warning> {
    let mut out = Vec::new();
    for o in outcomes {
        let mut warn = |kind, message: String| {
            out.push(Warning {
                year: o.year,
                kind,
                message,
            })
        };
        let usable_end = o.reserves_end.usable();
        if usable_end.is_negative() {
            let available = o.reserves_start.usable() - o.reserves_planned_use.usable();
            warn(
                WarningKind::SpendingExceedsResources,
                format!(
                    "{}: the net budget requirement of {} exceeds resources of {} plus usable \
                     reserves of {} by {}",
                    o.year,
                    o.net_budget_requirement.fmt_gbp(),
                    o.resources.fmt_gbp(),
                    available.fmt_gbp(),
                    (-usable_end).fmt_gbp(),
                ),
            );
        }
        if o.reserves_end.general < o.reserves_minimum {
            warn(
                WarningKind::BelowPrudentMinimum,
                format!(
                    "{}: the general fund of {} at the year end is below the prudent minimum of \
                     {} ({}% of the net budget requirement)",
                    o.year,
                    o.reserves_end.general.fmt_gbp(),
                    o.reserves_minimum.fmt_gbp(),
                    plan.minimum_reserve_pct.normalize(),
                ),
            );
        }
        if let Some(years) = o.sustainability_years
            && usable_end.is_positive()
            && years < options.sustainability_floor_years
        {
            warn(
                WarningKind::ReservesRunningOut,
                format!(
                    "{}: usable reserves of {} would last {} years at the recent rate of \
                     drawdown, under {} years",
                    o.year,
                    usable_end.fmt_gbp(),
                    years,
                    options.sustainability_floor_years.normalize(),
                ),
            );
        }
        if let Some((year, month)) = options.as_at
            && year == o.year
        {
            let lag = delivery_lag(&plan.savings, &plan.delivery, year, month);
            let margin =
                lag.profiled.to_decimal() * options.savings_lag_margin_pct / Decimal::ONE_HUNDRED;
            if lag.profiled.is_positive() && lag.lag.to_decimal() > margin {
                warn(
                    WarningKind::SavingsDeliveryLag,
                    format!(
                        "{}: savings delivered to month {} are {} against a profile of {}, \
                         {} ({}%) behind, more than the {}% margin",
                        o.year,
                        month,
                        lag.delivered.fmt_gbp(),
                        lag.profiled.fmt_gbp(),
                        lag.lag.fmt_gbp(),
                        lag.lag_pct,
                        options.savings_lag_margin_pct.normalize(),
                    ),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(year: &str, kind: WarningKind) -> Warning {
        Warning {
            year: year.parse().unwrap(),
            kind,
            message: String::new(),
        }
    }

    #[test]
    fn spending_beyond_resources_is_more_serious_than_an_earlier_low_balance() {
        let ws = [
            w("2015-16", WarningKind::BelowPrudentMinimum),
            w("2018-19", WarningKind::SpendingExceedsResources),
            w("2017-18", WarningKind::SpendingExceedsResources),
        ];
        let top = most_serious(&ws).unwrap();
        assert_eq!(
            (top.kind, top.year.to_string().as_str()),
            (WarningKind::SpendingExceedsResources, "2017-18")
        );
        assert!(most_serious(&[]).is_none());
    }
}
