//! The recharge statement of a year: each partner's share of each service, the income
//! credited, exit costs, the net charge, and the saving against its baseline.

use super::{Basis, Index, Partner, ServiceError, ServiceYear, days_in_year};
use crate::finance::FinancialYear;
use crate::money::{Money, round_pct};
use crate::shares::{SplitError, percentages, split};
use crate::slug::Slug;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One partner's share of one service.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceCharge {
    pub service: String,
    pub name: String,
    /// The member council that hosts the service and to which the charge is paid.
    pub host: Slug,
    pub basis: Basis,
    /// The partner's fixed share (per cent) or driver value, as entered.
    pub driver_value: Decimal,
    /// Its days in the service that year.
    pub days: u32,
    /// Its part of the service after pro-rating by days, in per cent (the parts sum to 100).
    pub share_pct: Decimal,
    /// Its share of the pool, before income.
    pub charge: Money,
    /// Its share of the external income.
    pub income_credit: Money,
}

/// One partner's statement for the year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerStatement {
    pub organisation: Slug,
    /// Its days of membership of the partnership in the year.
    pub days: u32,
    pub services: Vec<ServiceCharge>,
    /// The external income credited to it, over every service.
    pub income_credit: Money,
    /// Exit costs charged to it in the year.
    pub exit_costs: Money,
    /// Charges less income credited, plus exit costs.
    pub net_charge: Money,
    /// Its pre-sharing baseline carried to the year by the index, pro rata to its days.
    pub baseline: Option<Money>,
    /// The baseline less the net charge.
    pub saving: Option<Money>,
    /// Its net budget for the year, where known.
    pub net_budget: Option<Money>,
    /// The net charge as a percentage of the net budget, to two places.
    pub back_office_pct: Option<Decimal>,
}

/// The year's totals.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub pool: Money,
    pub income: Money,
    /// The charges less the income credits over every partner: always `pool - income`.
    pub allocated: Money,
    pub exit_costs: Money,
}

/// A partnership's recharge statement for a year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub year: FinancialYear,
    /// The days in the year (366 in 2015-16).
    pub year_days: u32,
    /// The index the baselines are carried by.
    pub index: String,
    pub partners: Vec<PartnerStatement>,
    pub totals: Totals,
}

fn weight_error(s: &ServiceYear, field: &'static str, e: SplitError) -> ServiceError {
    ServiceError::service(s, field, e.to_string())
}

/// The partners' weights of one service, checked against who took part, with the days each
/// took part: `(organisation, value as entered, days)`.
fn participants(
    s: &ServiceYear,
    field: &'static str,
    values: &[(Slug, Decimal)],
    days: &BTreeMap<&Slug, u32>,
) -> Result<Vec<(Slug, Decimal, u32)>, ServiceError> {
    let what = match (field, s.basis) {
        ("income_key", _) => "income key value".to_owned(),
        (_, Basis::FixedShares) => "fixed share".to_owned(),
        (_, basis) => format!("{} value", basis.label().to_lowercase()),
    };
    let mut seen = BTreeSet::new();
    for (org, _) in values {
        if !seen.insert(org) {
            return Err(ServiceError::service(
                s,
                field,
                format!("`{org}` has two {what}s"),
            ));
        }
        if !days.contains_key(org) {
            return Err(ServiceError::service(
                s,
                field,
                format!("`{org}` is not a partner in the service that year"),
            ));
        }
    }
    days.iter()
        .map(|(&org, &d)| {
            let value = values
                .iter()
                .find(|(o, _)| o == org)
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    ServiceError::service(
                        s,
                        field,
                        format!("no {what} for `{org}`, a partner in the service that year"),
                    )
                })?;
            Ok((org.clone(), value, d))
        })
        .collect()
}

/// Splits `amount` by `values × days`, giving the parts and the percentages.
fn split_by_days(
    s: &ServiceYear,
    field: &'static str,
    amount: Money,
    parts: &[(Slug, Decimal, u32)],
) -> Result<(Vec<Money>, Vec<Decimal>), ServiceError> {
    let weights: Vec<Decimal> = parts
        .iter()
        .map(|(_, v, d)| v.checked_mul(Decimal::from(*d)))
        .collect::<Option<_>>()
        .ok_or_else(|| ServiceError::Overflow(format!("service `{}` {}", s.service, s.year)))?;
    let refs: Vec<(&Slug, Decimal)> = parts
        .iter()
        .zip(&weights)
        .map(|(p, w)| (&p.0, *w))
        .collect();
    let amounts = split(amount, &refs).map_err(|e| weight_error(s, field, e))?;
    let pct = percentages(&refs).map_err(|e| weight_error(s, field, e))?;
    Ok((amounts, pct))
}

/// One service's charges: `(organisation, driver value, days, share %, charge, credit)`.
type Charges = Vec<(Slug, Decimal, u32, Decimal, Money, Money)>;

fn service_charges(s: &ServiceYear, partners: &[Partner]) -> Result<Charges, ServiceError> {
    if s.pool.is_negative() {
        return Err(ServiceError::service(
            s,
            "pool",
            format!("may not be negative (£{})", s.pool),
        ));
    }
    if let Some(f) = s.fees.iter().find(|f| f.amount.is_negative()) {
        return Err(ServiceError::service(
            s,
            "income",
            format!("`{}`'s fee may not be negative (£{})", f.client, f.amount),
        ));
    }
    let income = Money::checked_sum(s.fees.iter().map(|f| f.amount))
        .ok_or_else(|| ServiceError::Overflow(format!("service `{}` {}", s.service, s.year)))?;
    if income > s.pool {
        return Err(ServiceError::service(
            s,
            "income",
            format!(
                "external income of £{income} is more than the pool of £{}",
                s.pool
            ),
        ));
    }
    let days: BTreeMap<&Slug, u32> = partners
        .iter()
        .filter_map(|p| {
            let until = p
                .service_exits
                .iter()
                .filter(|e| e.service == s.service)
                .map(|e| e.left_on)
                .min();
            let d = days_in_year(&p.memberships, until, s.year);
            (d > 0).then_some((&p.organisation, d))
        })
        .collect();
    let host_days = partners
        .iter()
        .find(|p| p.organisation == s.host)
        .map(|p| days_in_year(&p.memberships, None, s.year));
    if host_days.unwrap_or(0) == 0 {
        return Err(ServiceError::service(
            s,
            "host",
            format!("`{}` is not a member of the partnership that year", s.host),
        ));
    }
    let field = if s.basis == Basis::FixedShares {
        "shares"
    } else {
        "driver"
    };
    let parts = participants(s, field, &s.weights, &days)?;
    if s.basis == Basis::FixedShares {
        let total: Decimal = s.weights.iter().map(|(_, w)| *w).sum();
        if total != Decimal::ONE_HUNDRED {
            return Err(ServiceError::service(
                s,
                "shares",
                format!(
                    "the partners' shares sum to {}%, not 100%",
                    total.normalize()
                ),
            ));
        }
    }
    let (charges, credits, pct) = match &s.income_key {
        None => {
            // The fees offset the pool before it is allocated.
            let (net, pct) = split_by_days(s, field, s.pool - income, &parts)?;
            let (credits, _) = split_by_days(s, field, income, &parts)?;
            let charges = net.iter().zip(&credits).map(|(n, c)| *n + *c).collect();
            (charges, credits, pct)
        }
        Some(key) => {
            let keyed = participants(s, "income_key", key, &days)?;
            let (charges, pct) = split_by_days(s, field, s.pool, &parts)?;
            let (credits, _) = split_by_days(s, "income_key", income, &keyed)?;
            (charges, credits, pct)
        }
    };
    Ok(parts
        .into_iter()
        .zip(pct)
        .zip(charges.into_iter().zip(credits))
        .map(|(((org, value, d), pct), (charge, credit))| (org, value, d, pct, charge, credit))
        .collect())
}

/// The recharge statement of `year` for a partnership's `services` (that year's) and
/// `partners`; baselines are carried by `index`, and `net_budgets` give each partner's net
/// budget for the year where known.
pub fn statement(
    year: FinancialYear,
    services: &[ServiceYear],
    partners: &[Partner],
    index: &Index,
    net_budgets: &BTreeMap<Slug, Money>,
) -> Result<Statement, ServiceError> {
    let year_days = year.days();
    let mut rows: BTreeMap<Slug, PartnerStatement> = BTreeMap::new();
    for p in partners {
        let days = days_in_year(&p.memberships, None, year);
        if days == 0 {
            continue;
        }
        let baseline = match &p.baseline {
            Some(b) if b.year <= year => {
                let carried = index.carry(&p.organisation, b.amount, b.year, year)?;
                Some(
                    carried
                        .mul_decimal(
                            Decimal::from(days) / Decimal::from(year_days),
                            crate::money::Rounding::HalfAwayFromZero,
                        )
                        .map_err(|_| {
                            ServiceError::Overflow(format!("`{}`'s baseline", p.organisation))
                        })?,
                )
            }
            _ => None,
        };
        let exit_costs = p
            .exit_costs
            .iter()
            .filter(|c| c.due_on >= year.first_day() && c.due_on <= year.last_day())
            .map(|c| c.amount)
            .sum();
        rows.insert(
            p.organisation.clone(),
            PartnerStatement {
                organisation: p.organisation.clone(),
                days,
                services: Vec::new(),
                income_credit: Money::ZERO,
                exit_costs,
                net_charge: Money::ZERO,
                baseline,
                saving: None,
                net_budget: net_budgets.get(&p.organisation).copied(),
                back_office_pct: None,
            },
        );
    }
    let mut totals = Totals {
        pool: Money::ZERO,
        income: Money::ZERO,
        allocated: Money::ZERO,
        exit_costs: Money::ZERO,
    };
    for s in services.iter().filter(|s| s.year == year) {
        totals.pool += s.pool;
        totals.income += s.income();
        for (org, value, days, share_pct, charge, credit) in service_charges(s, partners)? {
            let row = rows
                .get_mut(&org)
                .expect("a partner in a service is a member that year");
            row.services.push(ServiceCharge {
                service: s.service.clone(),
                name: s.name.clone(),
                host: s.host.clone(),
                basis: s.basis,
                driver_value: value,
                days,
                share_pct,
                charge,
                income_credit: credit,
            });
            row.income_credit += credit;
            totals.allocated += charge - credit;
        }
    }
    for row in rows.values_mut() {
        let charges: Money = row.services.iter().map(|c| c.charge).sum();
        row.net_charge = charges - row.income_credit + row.exit_costs;
        totals.exit_costs += row.exit_costs;
        row.saving = row.baseline.map(|b| b - row.net_charge);
        row.back_office_pct = row.net_budget.filter(|b| !b.is_zero()).map(|b| {
            round_pct(row.net_charge.to_decimal() * Decimal::ONE_HUNDRED / b.to_decimal())
        });
    }
    Ok(Statement {
        year,
        year_days,
        index: index.name.clone(),
        partners: rows.into_values().collect(),
        totals,
    })
}
