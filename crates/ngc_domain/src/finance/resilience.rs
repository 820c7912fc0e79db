//! Financial resilience indicators in the manner of CIPFA's Financial Resilience Index,
//! computed from plain figures per authority and year, and each authority's standing within
//! its class (e.g. all shire counties).
//!
//! Ratios are per cent, rounded to two places half away from zero; an indicator whose
//! denominator is zero or whose history is too short is `None`.

use super::referendum::AuthorityClass;
use super::reserves::sustainability_years;
use super::year::FinancialYear;
use crate::money::{Money, round_pct};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One authority's figures for one year (outturn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityYear {
    /// The year.
    pub year: FinancialYear,
    /// Net revenue expenditure.
    pub net_revenue_expenditure: Money,
    /// Earmarked reserves at the year end.
    pub earmarked_reserves: Money,
    /// Unallocated reserves at the year end.
    pub unallocated_reserves: Money,
    /// Council tax requirement.
    pub council_tax_requirement: Money,
    /// Adult and children's social care spending.
    pub social_care_spend: Money,
    /// Government grant (Revenue Support Grant and other general grants).
    pub government_grant: Money,
}

impl AuthorityYear {
    /// Earmarked plus unallocated reserves.
    pub fn reserves(&self) -> Money {
        self.earmarked_reserves + self.unallocated_reserves
    }
}

crate::text_enum! {
    /// A resilience indicator.
    pub enum Indicator as "resilience indicator" {
        /// Earmarked + unallocated reserves ÷ net revenue expenditure.
        ReservesLevel = "reserves_level", "Level of reserves";
        /// Change in reserves over three years.
        ReservesChange = "reserves_change", "Change in reserves (3 years)";
        /// Years until reserves are gone at the recent drawdown rate.
        ReservesSustainability = "reserves_sustainability", "Reserves sustainability";
        /// Council tax requirement ÷ net revenue expenditure.
        CouncilTaxRatio = "council_tax_ratio", "Council tax ratio";
        /// Social care spending ÷ net revenue expenditure.
        SocialCareRatio = "social_care_ratio", "Social care ratio";
        /// Government grant ÷ net revenue expenditure.
        GrantDependency = "grant_dependency", "Dependency on government grant";
    }
}

impl Indicator {
    /// Whether a higher value means more resilience (reserves, own income) or less (social
    /// care ratio, grant dependency).
    pub fn higher_is_more_resilient(self) -> bool {
        !matches!(
            self,
            Indicator::SocialCareRatio | Indicator::GrantDependency
        )
    }
}

/// The indicators of one authority in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicators {
    /// The year.
    pub year: FinancialYear,
    /// Reserves ÷ net revenue expenditure, per cent.
    pub reserves_level_pct: Option<Decimal>,
    /// Change in reserves against three years before, per cent.
    pub reserves_change_3y_pct: Option<Decimal>,
    /// Years until reserves are gone at the average drawdown of the last three years;
    /// `None` when reserves are not falling (or the history is too short to tell).
    pub reserves_sustainability_years: Option<Decimal>,
    /// Council tax requirement ÷ net revenue expenditure, per cent.
    pub council_tax_ratio_pct: Option<Decimal>,
    /// Social care spending ÷ net revenue expenditure, per cent.
    pub social_care_ratio_pct: Option<Decimal>,
    /// Government grant ÷ net revenue expenditure, per cent.
    pub grant_dependency_pct: Option<Decimal>,
}

impl Indicators {
    /// The value of one indicator.
    pub fn value(&self, indicator: Indicator) -> Option<Decimal> {
        match indicator {
            Indicator::ReservesLevel => self.reserves_level_pct,
            Indicator::ReservesChange => self.reserves_change_3y_pct,
            Indicator::ReservesSustainability => self.reserves_sustainability_years,
            Indicator::CouncilTaxRatio => self.council_tax_ratio_pct,
            Indicator::SocialCareRatio => self.social_care_ratio_pct,
            Indicator::GrantDependency => self.grant_dependency_pct,
        }
    }
}

fn ratio_pct(part: Money, whole: Money) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    Some(round_pct(
        part.to_decimal() * Decimal::ONE_HUNDRED / whole.to_decimal(),
    ))
}

/// The indicators for `year` from an authority's history (any order; one entry per year).
/// `None` if the history has no entry for `year`.
pub fn indicators(history: &[AuthorityYear], year: FinancialYear) -> Option<Indicators> {
    let now = history.iter().find(|h| h.year == year)?;
    let at = |back: u16| {
        let y = FinancialYear::starting(year.start_year().checked_sub(back)?).ok()?;
        history.iter().find(|h| h.year == y)
    };
    let nre = now.net_revenue_expenditure;
    let reserves_change_3y_pct =
        at(3).and_then(|then| crate::money::percent_change(then.reserves(), now.reserves()));
    // Year-end reserves of the up to three consecutive years before, oldest first.
    let mut recent: Vec<Money> = (1..=3u16)
        .map_while(|back| at(back).map(AuthorityYear::reserves))
        .collect();
    recent.reverse();
    recent.push(now.reserves());
    Some(Indicators {
        year,
        reserves_level_pct: ratio_pct(now.reserves(), nre),
        reserves_change_3y_pct,
        reserves_sustainability_years: sustainability_years(&recent),
        council_tax_ratio_pct: ratio_pct(now.council_tax_requirement, nre),
        social_care_ratio_pct: ratio_pct(now.social_care_spend, nre),
        grant_dependency_pct: ratio_pct(now.government_grant, nre),
    })
}

/// One authority in a class comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Its code (e.g. the DLUHC E-code).
    pub code: String,
    /// Its class.
    pub class: AuthorityClass,
    /// Its indicators for the year compared.
    pub indicators: Indicators,
}

/// Where an authority stands on one indicator within its class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// The indicator.
    pub indicator: Indicator,
    /// The authority's value (`None`: not falling, for sustainability; otherwise no data).
    pub value: Option<Decimal>,
    /// 1 is the most resilient; equal values share the better rank.
    pub rank: usize,
    /// How many members of the class have a value to rank.
    pub of: usize,
    /// Per cent of the other ranked members that are less resilient (100: most resilient),
    /// one place, half away from zero.
    pub percentile: Decimal,
}

/// How resilient a value is, as a number to sort descending (None = not falling, for
/// sustainability, is the most resilient).
fn resilience_key(indicator: Indicator, value: Option<Decimal>) -> Option<Decimal> {
    match (indicator, value) {
        (Indicator::ReservesSustainability, None) => Some(Decimal::MAX),
        (_, None) => None,
        (i, Some(v)) if i.higher_is_more_resilient() => Some(v),
        (_, Some(v)) => Some(-v),
    }
}

/// The standing of member `code` within the members of its own class, per indicator it has a
/// value for. `None` if `code` is not among `members`.
pub fn standing(members: &[Member], code: &str) -> Option<Vec<Standing>> {
    let me = members.iter().find(|m| m.code == code)?;
    let class: Vec<&Member> = members.iter().filter(|m| m.class == me.class).collect();
    let mut out = Vec::new();
    for &indicator in Indicator::ALL {
        let value = me.indicators.value(indicator);
        let Some(mine) = resilience_key(indicator, value) else {
            continue;
        };
        let keys: Vec<Decimal> = class
            .iter()
            .filter_map(|m| resilience_key(indicator, m.indicators.value(indicator)))
            .collect();
        let of = keys.len();
        let better = keys.iter().filter(|&&k| k > mine).count();
        let worse = keys.iter().filter(|&&k| k < mine).count();
        let percentile = if of > 1 {
            (Decimal::from(worse) * Decimal::ONE_HUNDRED / Decimal::from(of - 1))
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        } else {
            Decimal::ONE_HUNDRED
        };
        out.push(Standing {
            indicator,
            value,
            rank: better + 1,
            of,
            percentile,
        });
    }
    Some(out)
}

/// The members of a comparison for `year`: every authority (code, class, history) with
/// indicators that year.
pub fn members<'a, I>(histories: I, year: FinancialYear) -> Vec<Member>
where
    I: IntoIterator<Item = (&'a str, AuthorityClass, &'a [AuthorityYear])>,
{
    histories
        .into_iter()
        .filter_map(|(code, class, history)| {
            indicators(history, year).map(|indicators| Member {
                code: code.to_owned(),
                class,
                indicators,
            })
        })
        .collect()
}

/// The core of an authority's name, for matching an organisation to the official returns:
/// lower case, without "council", "county", "borough", "district", "city of" and punctuation.
pub fn name_key(name: &str) -> String {
    const NOISE: [&str; 7] = [
        "council", "county", "borough", "district", "city", "of", "the",
    ];
    name.to_lowercase()
        .replace(['&', ',', '.', '(', ')'], " ")
        .split_whitespace()
        .filter(|w| !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The history a plan implies, for the resilience indicators of the plan itself: the year
/// before the plan (opening reserves, base budget) and each plan year (net budget
/// requirement, year-end reserves by kind, council tax, government funding). Social care
/// spending keeps the base budget's share of the net budget — the plan does not project
/// spending by service.
pub fn from_plan(plan: &super::mtfp::Plan, report: &super::mtfp::Report) -> Vec<AuthorityYear> {
    use super::reserves::Balances;
    let base: Money = plan.base.iter().map(|l| l.subjective.net(l.amount)).sum();
    let care: Money = plan
        .base
        .iter()
        .filter(|l| l.service.is_social_care())
        .map(|l| l.subjective.net(l.amount))
        .sum();
    let care_share = |nre: Money| -> Money {
        if base.is_zero() {
            return Money::ZERO;
        }
        let share = care.to_decimal() / base.to_decimal();
        nre.mul_decimal(share, crate::money::Rounding::HalfAwayFromZero)
            .unwrap_or_default()
    };
    let mut out = Vec::with_capacity(report.detail.len() + 1);
    if let Some(before) = plan.first_year.prev() {
        let opening = Balances::opening(&plan.reserves);
        out.push(AuthorityYear {
            year: before,
            net_revenue_expenditure: base,
            earmarked_reserves: opening.earmarked,
            unallocated_reserves: opening.general,
            council_tax_requirement: super::council_tax::requirement(
                plan.council_tax.band_d,
                plan.council_tax.tax_base,
            ),
            social_care_spend: care,
            government_grant: plan.government_funding(before),
        });
    }
    for d in &report.detail {
        out.push(AuthorityYear {
            year: d.year,
            net_revenue_expenditure: d.net_budget_requirement,
            earmarked_reserves: d.reserves_end.earmarked,
            unallocated_reserves: d.reserves_end.general,
            council_tax_requirement: d.council_tax,
            social_care_spend: care_share(d.net_budget_requirement),
            government_grant: plan.government_funding(d.year),
        });
    }
    out
}

/// One authority's figures for one year, with who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub code: String,
    pub name: String,
    pub class: AuthorityClass,
    pub year: AuthorityYear,
}

/// An authority's standing within its class in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub code: String,
    pub name: String,
    pub class: AuthorityClass,
    pub year: FinancialYear,
    pub indicators: Indicators,
    pub standings: Vec<Standing>,
}

/// Why no comparison could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error(
        "no authority in the imported returns is called `{0}`: import the returns with `ngc import returns`"
    )]
    Unknown(String),
    #[error("{name} has no complete year {year} in the imported returns")]
    NoYear { name: String, year: FinancialYear },
}

/// Compares the authority named like `name` (see [`name_key`]) with its class in `year`
/// (default: its latest complete year).
pub fn compare(
    records: &[Record],
    name: &str,
    year: Option<FinancialYear>,
) -> Result<Comparison, CompareError> {
    let key = name_key(name);
    let me = records
        .iter()
        .find(|r| name_key(&r.name) == key)
        .ok_or_else(|| CompareError::Unknown(name.to_owned()))?;
    let mut by_code: std::collections::BTreeMap<&str, (AuthorityClass, Vec<AuthorityYear>)> =
        std::collections::BTreeMap::new();
    for r in records {
        by_code
            .entry(&r.code)
            .or_insert_with(|| (r.class, Vec::new()))
            .1
            .push(r.year.clone());
    }
    let history = &by_code[me.code.as_str()].1;
    let year = match year {
        Some(y) => y,
        None => history
            .iter()
            .map(|h| h.year)
            .max()
            .expect("the authority has a record"),
    };
    let no_year = || CompareError::NoYear {
        name: me.name.clone(),
        year,
    };
    let mine = indicators(history, year).ok_or_else(no_year)?;
    let all = members(
        by_code
            .iter()
            .map(|(code, (class, h))| (*code, *class, h.as_slice())),
        year,
    );
    let standings = standing(&all, &me.code).ok_or_else(no_year)?;
    Ok(Comparison {
        code: me.code.clone(),
        name: me.name.clone(),
        class: me.class,
        year,
        indicators: mine,
        standings,
    })
}

#[cfg(test)]
mod tests;
