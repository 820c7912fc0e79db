//! Assessing a provider: each kind of signal against its threshold, with its reason in words.

use super::{
    Accounts, Dependencies, DependencyBasis, Flag, FlagKind, ProviderSignals, SignalsError,
    Viability, ViabilityRule, dependency,
};
use crate::contracts::kpi::Trend;
use crate::money::{Money, round_pct};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// Assesses a provider by the rule in the documentation of [`super`] (`contracts::viability`).
pub fn assess(signals: &ProviderSignals, rule: &ViabilityRule) -> Result<Viability, SignalsError> {
    let deps = dependency(signals)?;
    let income = signals.contract_income()?;
    let accounts = signals.accounts.as_ref();
    let mut flags = dependency_flags(&deps, accounts, rule);
    flags.extend(declining_kpis(&signals.kpi_trends, rule));
    flags.extend(penalties(signals.penalties_imposed, income, rule));
    flags.extend(accounts.map(|a| reserves(a, rule)).unwrap_or_default());
    flags.extend(income_ending(
        signals.contract_income_ending_without_renewal,
        income,
        rule,
    ));
    flags.sort_by_key(|f| f.kind);
    let kinds = FlagKind::ALL
        .iter()
        .filter(|k| flags.iter().any(|f| f.kind == **k))
        .count();
    Ok(Viability {
        on_watch: kinds >= rule.signals_for_watch,
        signals: kinds,
        flags,
        notes: notes(&deps, accounts, income),
        confirmed: rule.confirmed(),
    })
}

/// One flag per council whose share is at or above the threshold.
fn dependency_flags(
    deps: &Dependencies,
    accounts: Option<&Accounts>,
    rule: &ViabilityRule,
) -> Vec<Flag> {
    let measured = measured_against(deps, accounts);
    deps.councils
        .iter()
        .filter(|c| {
            c.amount.is_positive()
                && at_least(c.amount, rule.dependency_percent, deps.measured_against)
        })
        .map(|c| Flag {
            kind: FlagKind::Dependency,
            reason: format!(
                "{}% of its income comes from {} (threshold {}%; {measured})",
                pct(c.share_percent),
                c.name,
                pct(rule.dependency_percent)
            ),
        })
        .collect()
}

fn declining_kpis(trends: &[Trend], rule: &ViabilityRule) -> Option<Flag> {
    let declining = trends.iter().filter(|t| **t == Trend::Declining).count();
    (declining >= rule.declining_kpis).then(|| Flag {
        kind: FlagKind::DecliningKpis,
        reason: format!(
            "{declining} of its {} KPIs are declining over their last three periods (threshold {})",
            trends.len(),
            rule.declining_kpis
        ),
    })
}

fn penalties(penalties: Money, income: Money, rule: &ViabilityRule) -> Option<Flag> {
    if !penalties.is_positive() {
        return None;
    }
    let reason = if income.is_zero() {
        format!(
            "penalties of {} were imposed on it, and ngc sees no contract income",
            penalties.fmt_gbp()
        )
    } else if at_least(penalties, rule.penalty_percent, income) {
        format!(
            "penalties of {} were imposed on it, {}% of its {} contract income (threshold {}%)",
            penalties.fmt_gbp(),
            pct(share_of(penalties, income)),
            income.fmt_gbp(),
            pct(rule.penalty_percent)
        )
    } else {
        return None;
    };
    Some(Flag {
        kind: FlagKind::Penalties,
        reason,
    })
}

/// Reserves covering fewer months of spending than the threshold (a month's spending being a
/// twelfth of turnover), and net liabilities: a flag each.
fn reserves(a: &Accounts, rule: &ViabilityRule) -> Vec<Flag> {
    let mut flags = Vec::new();
    let twelve_months = Decimal::from(a.reserves.as_pence()) * Decimal::from(12);
    let turnover = Decimal::from(a.turnover.as_pence());
    if a.turnover.is_positive() && twelve_months < rule.min_reserve_months * turnover {
        let months = (twelve_months / turnover)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
        flags.push(Flag {
            kind: FlagKind::ThinReserves,
            reason: format!(
                "its reserves of {} cover {} months of spending (a twelfth of its {} turnover a month, year to {}; threshold {} months)",
                a.reserves.fmt_gbp(),
                pct(months),
                a.turnover.fmt_gbp(),
                day(a.year_end),
                pct(rule.min_reserve_months)
            ),
        });
    }
    if a.net_assets.is_negative() {
        flags.push(Flag {
            kind: FlagKind::ThinReserves,
            reason: format!(
                "its accounts for the year to {} show net liabilities of {}",
                day(a.year_end),
                a.net_assets.checked_neg().unwrap_or(Money::MAX).fmt_gbp()
            ),
        });
    }
    flags
}

fn income_ending(ending: Money, income: Money, rule: &ViabilityRule) -> Option<Flag> {
    (ending.is_positive() && at_least(ending, rule.ending_percent, income)).then(|| Flag {
        kind: FlagKind::IncomeEnding,
        reason: format!(
            "{} a year, {}% of the {} contract income ngc sees, comes from contracts ending without renewal (threshold {}%)",
            ending.fmt_gbp(),
            pct(share_of(ending, income)),
            income.fmt_gbp(),
            pct(rule.ending_percent)
        ),
    })
}

/// What was measured another way, or not assessed, and why.
fn notes(deps: &Dependencies, accounts: Option<&Accounts>, income: Money) -> Vec<String> {
    let mut notes = Vec::new();
    match accounts {
        None => notes.push(format!(
            "no accounts given: dependency is {}, and reserves are not assessed",
            measured_against(deps, accounts)
        )),
        Some(a) => {
            if deps.basis == DependencyBasis::ContractIncome && income.is_positive() {
                notes.push(format!(
                    "its accounts for the year to {} show turnover of {}, less than the {} contract income ngc sees: dependency is measured against the contract income",
                    day(a.year_end),
                    a.turnover.fmt_gbp(),
                    income.fmt_gbp()
                ));
            }
            if a.turnover.is_zero() {
                notes.push(format!(
                    "its accounts for the year to {} show no turnover, so its reserves cannot be set against its spending",
                    day(a.year_end)
                ));
            }
        }
    }
    notes
}

/// What the dependency shares are measured against, in words.
fn measured_against(deps: &Dependencies, accounts: Option<&Accounts>) -> String {
    match (deps.basis, accounts) {
        (DependencyBasis::Turnover, Some(a)) => format!(
            "measured against its turnover of {} for the year to {}",
            deps.measured_against.fmt_gbp(),
            day(a.year_end)
        ),
        _ => format!(
            "measured against the {} contract income ngc sees",
            deps.measured_against.fmt_gbp()
        ),
    }
}

/// A percentage for a reason: trailing zeros dropped (`87`, `87.5`).
fn pct(p: Decimal) -> String {
    p.normalize().to_string()
}

/// `part` as a share of a non-zero `whole`, in per cent, rounded to two places half away from
/// zero.
fn share_of(part: Money, whole: Money) -> Decimal {
    round_pct(
        Decimal::from(part.as_pence()) * Decimal::ONE_HUNDRED / Decimal::from(whole.as_pence()),
    )
}

/// Whether `part` is at least `percent` per cent of `whole`, exactly.
fn at_least(part: Money, percent: Decimal, whole: Money) -> bool {
    Decimal::from(part.as_pence()) * Decimal::ONE_HUNDRED
        >= percent * Decimal::from(whole.as_pence())
}

/// A day as `31 March 2016`.
fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}
