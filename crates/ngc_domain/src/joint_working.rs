//! Joint working: the consolidation analysis of a partnership's contracts of one category
//! ("one waste collection contract instead of five").
//!
//! Pure: every contract's terms, every council's key value and every date are arguments.
//! [`analyse`] gives
//!
//! - each contract's value, annual value, end date and terms, and the aggregate;
//! - the **window** ([`window`]): the period in which every fixed-term contract can end
//!   together within its extension options, and, where there is none or besides it, the days
//!   a joint contract could start if the others are ended early or extended, with what each
//!   contract would need ([`StartOption`]);
//! - the **estimated saving**: a rate of the aggregate annual value, the rate set by the user
//!   or derived from past joint tenders ([`derived_rate`]);
//! - the **cost shares** by a key ([`Key`]: households, tax base, population or equal) over the
//!   councils that hold the function ([`holds`]): each council's percentage (by
//!   [`crate::shares::percentages`], summing to exactly 100, so they make
//!   [`crate::shares::CostShares`]) and its part of the annual cost and of the saving (by
//!   [`crate::shares::split`], summing to the whole to the penny).

use crate::finance::year::FinancialYear;
use crate::money::{Money, Rounding};
use crate::organisation::OrgKind;
use crate::shares::{self, SplitError};
use crate::slug::Slug;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

crate::text_enum! {
    /// What the councils' cost shares are in proportion to.
    pub enum Key as "cost-sharing key" {
        /// Households (dwellings on the valuation list).
        Households = "households", "Households";
        /// The council tax base for tax setting (Band D equivalents, CTR returns).
        TaxBase = "tax_base", "Council tax base";
        /// Resident population (ONS mid-year estimates).
        Population = "population", "Population";
        /// Equal shares.
        Equal = "equal", "Equal shares";
    }
}

impl Key {
    /// Whether the key needs a value per council and year (every key but equal shares).
    pub fn needs_values(self) -> bool {
        self != Key::Equal
    }
}

/// Which kinds of council hold a function, by the contracts' category (CPV code prefix).
/// Law is data: each row names its source and whether it is confirmed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FunctionRule {
    /// The CPV code prefix of the category (digits only).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub cpv_prefix: &'static str,
    /// The function, in words.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub function: &'static str,
    /// The kinds of council that hold it.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<OrgKind>))]
    pub holders: &'static [OrgKind],
    /// Where the rule comes from.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub source: &'static str,
    /// Whether the rule has been checked against its source.
    pub confirmed: bool,
}

/// The functions split between the tiers of a two-tier area. A category no row covers is
/// held by every council of the partnership.
pub const FUNCTIONS: [FunctionRule; 2] = [
    FunctionRule {
        cpv_prefix: "90511",
        function: "Waste collection",
        holders: &[OrgKind::District, OrgKind::Borough, OrgKind::Unitary],
        source: "Environmental Protection Act 1990 s30(3): the waste collection authorities \
                 are the district councils (in a two-tier area) and unitary authorities",
        confirmed: true,
    },
    FunctionRule {
        cpv_prefix: "90513",
        function: "Waste disposal",
        holders: &[OrgKind::County, OrgKind::Unitary],
        source: "Environmental Protection Act 1990 s30(2): the waste disposal authorities are \
                 the county councils (in a two-tier area) and unitary authorities",
        confirmed: true,
    },
];

/// The digits of a CPV code or category (`90511000-2` → `905110002`).
fn digits(category: &str) -> String {
    category.chars().filter(char::is_ascii_digit).collect()
}

/// The rule for a category, if one covers it.
pub fn function_of(category: &str) -> Option<&'static FunctionRule> {
    let code = digits(category);
    FUNCTIONS.iter().find(|f| code.starts_with(f.cpv_prefix))
}

/// Whether a council of this kind holds the function of the category (any council, where no
/// rule covers the category; never an organisation that is not a council).
pub fn holds(category: &str, kind: OrgKind) -> bool {
    kind.is_council() && function_of(category).is_none_or(|f| f.holders.contains(&kind))
}

/// Whether a contract's category is the analysed one: the same CPV code, ignoring the check
/// digit and anything after the first eight digits' significant part (`90511000-2` is in
/// `90511000`; `9051` takes every code under it).
pub fn in_category(contract: &str, category: &str) -> bool {
    let wanted = digits(category);
    let wanted = wanted.get(..8).unwrap_or(&wanted).trim_end_matches('0');
    !wanted.is_empty() && digits(contract).starts_with(wanted)
}

/// A contract as the analysis reads it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub contract_id: i64,
    pub reference: String,
    pub title: String,
    /// The council whose register holds it.
    pub holder: String,
    pub supplier: String,
    /// The councils that buy it.
    pub buyers: Vec<String>,
    /// The whole contract's current value.
    pub value: Money,
    /// Its value a year: as stated, or the value spread over its days ([`annual_value`]).
    pub annual_value: Money,
    pub starts_on: NaiveDate,
    /// Its current end; none when it runs until ended by notice.
    pub ends_on: Option<NaiveDate>,
    /// The latest it can end by its extension options (its end, when it has none).
    pub latest_end_on: Option<NaiveDate>,
    pub extension_options: String,
}

/// A contract's value a year: `stated` when there is one; otherwise the value × 365 ÷ the
/// days it runs (half away from zero); the whole value for an open-ended contract.
pub fn annual_value(
    value: Money,
    stated: Option<Money>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Money {
    if let Some(a) = stated {
        return a;
    }
    let Some(end) = ends_on else { return value };
    let days = (end - starts_on).num_days() + 1;
    if days <= 0 {
        return value;
    }
    value
        .mul_decimal(
            Decimal::from(365) / Decimal::from(days),
            Rounding::HalfAwayFromZero,
        )
        .unwrap_or(value)
}

/// A period of days, both inclusive.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// When the contracts end, together.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The first current end of a fixed-term contract.
    pub first_end: NaiveDate,
    /// The last current end.
    pub last_end: NaiveDate,
    /// The days on which every fixed-term contract can end within its extension options: from
    /// the last current end to the earliest latest end; none when they do not overlap.
    pub common: Option<Period>,
}

/// The window of the fixed-term contracts; none when no contract has an end date.
pub fn window(terms: &[Term]) -> Option<Window> {
    let ends: Vec<(NaiveDate, NaiveDate)> = terms
        .iter()
        .filter_map(|t| t.ends_on.map(|e| (e, t.latest_end_on.unwrap_or(e).max(e))))
        .collect();
    let first_end = ends.iter().map(|(e, _)| *e).min()?;
    let last_end = ends.iter().map(|(e, _)| *e).max()?;
    let earliest_latest = ends.iter().map(|(_, l)| *l).min()?;
    Some(Window {
        first_end,
        last_end,
        common: (last_end <= earliest_latest).then_some(Period {
            from: last_end,
            to: earliest_latest,
        }),
    })
}

/// What a contract needs for a joint contract to start on a given day (it must end the day
/// before).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// It ends that day as it stands.
    Ends { on: NaiveDate },
    /// It is extended within its options to that day.
    ExtendByOption { to: NaiveDate, days: i64 },
    /// It must be extended beyond its options (a modification to assess under the change
    /// rules) by so many days.
    ExtendBeyondOptions { to: NaiveDate, days: i64 },
    /// It must end early, so many days before its end.
    EndEarly { on: NaiveDate, days: i64 },
    /// It has no end date: it is ended by notice that day.
    EndByNotice { on: NaiveDate },
}

impl Step {
    /// Whether the contract runs as it stands or within its options.
    pub fn within_terms(self) -> bool {
        matches!(self, Step::Ends { .. } | Step::ExtendByOption { .. })
    }
}

/// What each contract needs for a joint contract to start on `start`, in the terms' order.
pub fn steps_for_start(terms: &[Term], start: NaiveDate) -> Vec<Step> {
    let last_day = start.pred_opt().unwrap_or(start);
    terms
        .iter()
        .map(|t| {
            let Some(end) = t.ends_on else {
                return Step::EndByNotice { on: last_day };
            };
            let latest = t.latest_end_on.unwrap_or(end).max(end);
            let days = (last_day - end).num_days();
            if days == 0 {
                Step::Ends { on: end }
            } else if days < 0 {
                Step::EndEarly {
                    on: last_day,
                    days: -days,
                }
            } else if last_day <= latest {
                Step::ExtendByOption { to: last_day, days }
            } else {
                Step::ExtendBeyondOptions { to: last_day, days }
            }
        })
        .collect()
}

crate::text_enum! {
    /// How a start day for the joint contract was chosen.
    pub enum StartBasis as "start basis" {
        /// The day after the common window opens: every contract within its terms.
        Aligned = "aligned", "Every contract ends within its terms";
        /// The day after the first contract ends: the others end early.
        EarliestEnd = "earliest_end", "The others end early";
        /// The day after the last contract ends: the others are extended.
        LastEnd = "last_end", "The others are extended";
    }
}

/// A day a joint contract could start and what each contract needs for it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartOption {
    pub basis: StartBasis,
    pub starts_on: NaiveDate,
    /// One step per contract, in the analysis's order.
    pub steps: Vec<Step>,
    /// How many contracts need more than their own terms allow (ending early, extending
    /// beyond options, or notice).
    pub changes: usize,
}

/// The start options: aligned (when there is a common window), the day after the first end
/// and the day after the last end; the same day is given once, under its first basis.
pub fn start_options(terms: &[Term], window: &Window) -> Vec<StartOption> {
    let next = |d: NaiveDate| d.succ_opt().unwrap_or(d);
    let mut days = Vec::new();
    if let Some(c) = window.common {
        days.push((StartBasis::Aligned, next(c.from)));
    }
    days.push((StartBasis::EarliestEnd, next(window.first_end)));
    days.push((StartBasis::LastEnd, next(window.last_end)));
    let mut out: Vec<StartOption> = Vec::new();
    for (basis, day) in days {
        if out.iter().any(|o| o.starts_on == day) {
            continue;
        }
        let steps = steps_for_start(terms, day);
        let changes = steps.iter().filter(|s| !s.within_terms()).count();
        out.push(StartOption {
            basis,
            starts_on: day,
            steps,
            changes,
        });
    }
    out
}

/// A past joint tender: the aggregate annual value of the contracts it consolidated, and the
/// annual value of the contracts it let.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PastTender {
    pub baseline: Money,
    pub achieved: Money,
}

/// The saving rate past joint tenders achieved: their baselines less what they let, over
/// their baselines, in per cent to two places (half away from zero); none without a past
/// tender with a baseline above zero.
pub fn derived_rate(past: &[PastTender]) -> Option<Decimal> {
    let baseline: i128 = past.iter().map(|p| i128::from(p.baseline.as_pence())).sum();
    if baseline <= 0 {
        return None;
    }
    let achieved: i128 = past.iter().map(|p| i128::from(p.achieved.as_pence())).sum();
    let saved = Decimal::from_i128_with_scale(baseline - achieved, 0);
    Some(crate::money::round_pct(
        saved * Decimal::ONE_HUNDRED / Decimal::from_i128_with_scale(baseline, 0),
    ))
}

/// Where the saving rate came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RateBasis {
    /// Set by the user.
    Set,
    /// Derived from this many past joint tenders.
    Derived { tenders: usize },
}

/// The estimated saving a year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Saving {
    /// Per cent of the aggregate annual value.
    pub rate: Decimal,
    pub basis: RateBasis,
    /// The saving a year, to the penny (half away from zero).
    pub annual: Money,
}

/// A council the cost is shared between, with its key value (none when it has none for the
/// key and year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub council: Slug,
    pub name: String,
    pub value: Option<Decimal>,
}

/// One council's share.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    pub council: String,
    pub name: String,
    /// Its key value (1 for equal shares).
    pub weight: Decimal,
    /// Its share in per cent; the shares sum to exactly 100.
    pub percent: Decimal,
    /// Its part of the aggregate annual cost.
    pub annual_cost: Money,
    /// Its part of the estimated saving a year.
    pub saving: Money,
}

/// Why an analysis cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JointError {
    /// The rate is outside 0–100 or too precise.
    #[error(
        "rate: {0}% is not a saving rate: give a percentage from 0 to 100 with at most two decimal places"
    )]
    Rate(Decimal),
    /// A council has no value for the key and year.
    #[error("key: {council} has no {key} for {year}: enter it or import the returns")]
    MissingValue {
        council: String,
        key: &'static str,
        year: FinancialYear,
    },
    /// No council holds the function.
    #[error("key: no current member council holds the function of category {0}")]
    NoCouncil(String),
    /// The key values give no basis to split.
    #[error("key: {0}")]
    Split(#[from] SplitError),
    /// A sum too large for pence.
    #[error("the contracts' values are too large to add up")]
    Overflow,
}

/// The shares of `annual_cost` and `saving` by the parties' weights (1 each for equal
/// shares): percentages by [`shares::percentages`], amounts by [`shares::split`].
pub fn cost_shares(
    key: Key,
    year: FinancialYear,
    parties: &[Party],
    annual_cost: Money,
    saving: Money,
) -> Result<Vec<Share>, JointError> {
    let mut weights = Vec::with_capacity(parties.len());
    for p in parties {
        let w = if key.needs_values() {
            p.value.ok_or_else(|| JointError::MissingValue {
                council: p.name.clone(),
                key: key.label(),
                year,
            })?
        } else {
            Decimal::ONE
        };
        weights.push((&p.council, w));
    }
    let percents = shares::percentages(&weights)?;
    let costs = shares::split(annual_cost, &weights)?;
    let savings = shares::split(saving, &weights)?;
    Ok(parties
        .iter()
        .zip(weights.iter())
        .zip(percents.into_iter().zip(costs.into_iter().zip(savings)))
        .map(|((p, (_, w)), (percent, (cost, saved)))| Share {
            council: p.council.to_string(),
            name: p.name.clone(),
            weight: w.normalize(),
            percent,
            annual_cost: cost,
            saving: saved,
        })
        .collect())
}

/// The saving rate asked for: one the user sets, or the one past joint tenders achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateChoice {
    Set(Decimal),
    FromPast,
}

/// What an analysis takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub category: String,
    pub key: Key,
    pub year: FinancialYear,
    /// The contracts of the category bought by current members, soonest ending first.
    pub terms: Vec<Term>,
    /// The member councils that hold the function, with their key values.
    pub parties: Vec<Party>,
    pub rate: RateChoice,
    /// Past joint tenders with contracts let, for a derived rate.
    pub past: Vec<PastTender>,
}

/// The consolidation analysis.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    pub category: String,
    /// The function the category belongs to and the rule's source, if a rule covers it.
    pub function: Option<FunctionRule>,
    pub key: Key,
    pub year: FinancialYear,
    pub contracts: Vec<Term>,
    /// The contracts' values added up.
    pub aggregate_value: Money,
    /// Their annual values added up.
    pub aggregate_annual: Money,
    pub window: Option<Window>,
    pub starts: Vec<StartOption>,
    /// None when the rate is to be derived and no past joint tender has let contracts.
    pub saving: Option<Saving>,
    pub shares: Vec<Share>,
}

/// Makes the consolidation analysis.
pub fn analyse(input: Input) -> Result<Analysis, JointError> {
    if input.parties.is_empty() {
        return Err(JointError::NoCouncil(input.category));
    }
    let aggregate_value =
        Money::checked_sum(input.terms.iter().map(|t| t.value)).ok_or(JointError::Overflow)?;
    let aggregate_annual = Money::checked_sum(input.terms.iter().map(|t| t.annual_value))
        .ok_or(JointError::Overflow)?;
    let rate = match input.rate {
        RateChoice::Set(r) => {
            if r < Decimal::ZERO || r > Decimal::ONE_HUNDRED || r.normalize().scale() > 2 {
                return Err(JointError::Rate(r));
            }
            Some((r.normalize(), RateBasis::Set))
        }
        RateChoice::FromPast => derived_rate(&input.past).map(|r| {
            (
                r,
                RateBasis::Derived {
                    tenders: input.past.len(),
                },
            )
        }),
    };
    let saving = match rate {
        Some((rate, basis)) => Some(Saving {
            rate,
            basis,
            annual: aggregate_annual
                .mul_decimal(rate / Decimal::ONE_HUNDRED, Rounding::HalfAwayFromZero)
                .map_err(|_| JointError::Overflow)?,
        }),
        None => None,
    };
    let shares = cost_shares(
        input.key,
        input.year,
        &input.parties,
        aggregate_annual,
        saving.map_or(Money::ZERO, |s| s.annual),
    )?;
    let window = window(&input.terms);
    let starts = window
        .as_ref()
        .map(|w| start_options(&input.terms, w))
        .unwrap_or_default();
    Ok(Analysis {
        function: function_of(&input.category).copied(),
        category: input.category,
        key: input.key,
        year: input.year,
        contracts: input.terms,
        aggregate_value,
        aggregate_annual,
        window,
        starts,
        saving,
        shares,
    })
}

#[cfg(test)]
mod tests;
