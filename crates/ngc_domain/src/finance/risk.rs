//! Monte-Carlo risk simulation of a plan: savings delivery and pressure outturns drawn at
//! random, giving per year the probability that usable reserves run out or the general fund
//! falls below the prudent minimum, and percentiles of the gap and of reserves.
//!
//! Model: in each trial each saving delivers one random fraction of its amounts (by default
//! from its RAG status, see [`Distribution::for_rag`]) — one draw per saving, so a saving
//! that slips in one year slips in its later tranches too; each pressure with an uncertainty
//! range turns out one random multiple of its planned amounts, triangular around 100%. A
//! shortfall or overrun in a year stays in the base for the later years, as in the plan
//! itself. Saving years with a year-end delivery update are known, not drawn (the plan
//! already rolls their shortfall forward). Pay, price and demography assumptions are taken
//! as planned.
//!
//! Determinism: trial `i` draws from its own ChaCha8 stream — key from the seed, stream
//! number `i` — so the results depend on the seed and the number of trials only, never on
//! how many threads share the work. Arithmetic inside a trial is in `f64` pence (statistics,
//! never stored); reported amounts are rounded to the penny.

use super::mtfp::{Plan, project};
use super::savings::{Rag, latest_update};
use super::year::FinancialYear;
use crate::money::Money;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A distribution of a fraction (of a saving delivered, or of a pressure's planned amount).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Distribution {
    /// Always this fraction.
    Fixed {
        /// The fraction.
        value: f64,
    },
    /// Any fraction between `low` and `high` equally likely.
    Uniform {
        /// The lowest fraction.
        low: f64,
        /// The highest fraction.
        high: f64,
    },
    /// Triangular: from `low` to `high`, most likely `mode`.
    Triangular {
        /// The lowest fraction.
        low: f64,
        /// The most likely fraction.
        mode: f64,
        /// The highest fraction.
        high: f64,
    },
}

impl Distribution {
    /// The default delivery distribution for a RAG status: green 85–100% (most likely all),
    /// amber 50–100% (most likely 85%), red 0–90% (most likely 40%), blue always 100%.
    pub fn for_rag(rag: Rag) -> Distribution {
        match rag {
            Rag::Green => Distribution::Triangular {
                low: 0.85,
                mode: 1.0,
                high: 1.0,
            },
            Rag::Amber => Distribution::Triangular {
                low: 0.5,
                mode: 0.85,
                high: 1.0,
            },
            Rag::Red => Distribution::Triangular {
                low: 0.0,
                mode: 0.4,
                high: 0.9,
            },
            Rag::Blue => Distribution::Fixed { value: 1.0 },
        }
    }

    /// The mean fraction.
    pub fn mean(self) -> f64 {
        match self {
            Distribution::Fixed { value } => value,
            Distribution::Uniform { low, high } => (low + high) / 2.0,
            Distribution::Triangular { low, mode, high } => (low + mode + high) / 3.0,
        }
    }

    /// Whether the parameters make a distribution (`low ≤ mode ≤ high`, all finite).
    pub fn is_valid(self) -> bool {
        match self {
            Distribution::Fixed { value } => value.is_finite(),
            Distribution::Uniform { low, high } => {
                low.is_finite() && high.is_finite() && low <= high
            }
            Distribution::Triangular { low, mode, high } => {
                low.is_finite() && high.is_finite() && low <= mode && mode <= high
            }
        }
    }

    /// The inverse distribution function: the fraction at quantile `u` in [0, 1).
    fn quantile(self, u: f64) -> f64 {
        match self {
            Distribution::Fixed { value } => value,
            Distribution::Uniform { low, high } => low + u * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let width = high - low;
                if width <= 0.0 {
                    return low;
                }
                let c = (mode - low) / width;
                if u < c {
                    low + (u * width * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * width * (high - mode)).sqrt()
                }
            }
        }
    }
}

/// What to simulate and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationOptions {
    /// The number of trials.
    pub trials: u32,
    /// The seed; the same seed and trials give the same result.
    pub seed: u64,
    /// Threads to share the trials (1 or more; does not change the result).
    pub threads: usize,
    /// Delivery distributions overriding the RAG default, by saving reference.
    pub saving_overrides: BTreeMap<String, Distribution>,
}

impl SimulationOptions {
    /// `trials` trials from `seed` on one thread, with RAG defaults.
    pub fn new(trials: u32, seed: u64) -> SimulationOptions {
        SimulationOptions {
            trials,
            seed,
            threads: 1,
            saving_overrides: BTreeMap::new(),
        }
    }
}

/// The risk in one plan year: the simulation JSON row.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearRisk {
    /// The year.
    pub year: FinancialYear,
    /// Share of trials in which usable reserves are below zero at the year end.
    pub p_reserves_exhausted: f64,
    /// Share of trials in which the general fund ends below the prudent minimum.
    pub p_below_minimum: f64,
    /// 5th percentile of the gap.
    pub gap_p5: Money,
    /// Median gap.
    pub gap_p50: Money,
    /// 95th percentile of the gap.
    pub gap_p95: Money,
    /// 5th percentile of usable reserves at the year end.
    pub reserves_p5: Money,
    /// Median usable reserves at the year end.
    pub reserves_p50: Money,
    /// 95th percentile of usable reserves at the year end.
    pub reserves_p95: Money,
}

/// A simulation's result.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    /// The number of trials run.
    pub trials: u32,
    /// The seed.
    pub seed: u64,
    /// The risk per plan year.
    pub years: Vec<YearRisk>,
}

/// Why a simulation cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulationError {
    /// Zero trials.
    #[error("trials: at least one trial is needed")]
    NoTrials,
    /// An override that is not a distribution.
    #[error("saving `{0}`: the delivery distribution needs low ≤ mode ≤ high")]
    BadDistribution(String),
    /// An override for a saving the plan does not have.
    #[error("saving `{0}` is not in the plan")]
    UnknownSaving(String),
}

/// One random line: a saving or a pressure, with its drawn years' amounts.
#[derive(Debug, Clone)]
struct Item {
    /// Planned amount per plan year in pence (zero where nothing is drawn).
    amounts: Vec<f64>,
    dist: Distribution,
    /// Savings: shortfall = amount × (1 − f); pressures: overrun = amount × (f − 1).
    saving: bool,
}

/// The deterministic skeleton plus the random items.
struct Model {
    years: Vec<FinancialYear>,
    gap: Vec<f64>,
    requirement: Vec<f64>,
    planned_general: Vec<f64>,
    planned_earmarked: Vec<f64>,
    opening_general: f64,
    opening_earmarked: f64,
    minimum_fraction: f64,
    items: Vec<Item>,
}

fn pence(m: Money) -> f64 {
    m.as_pence() as f64
}

impl Model {
    fn build(plan: &Plan, options: &SimulationOptions) -> Result<Model, SimulationError> {
        for (reference, dist) in &options.saving_overrides {
            if !dist.is_valid() {
                return Err(SimulationError::BadDistribution(reference.clone()));
            }
            if !plan.savings.iter().any(|s| &s.reference == reference) {
                return Err(SimulationError::UnknownSaving(reference.clone()));
            }
        }
        let outcomes = project(plan);
        let years: Vec<FinancialYear> = outcomes.iter().map(|o| o.year).collect();
        let mut items = Vec::new();
        for s in &plan.savings {
            let dist = options
                .saving_overrides
                .get(&s.reference)
                .copied()
                .unwrap_or_else(|| Distribution::for_rag(s.rag));
            let amounts: Vec<f64> = years
                .iter()
                .map(|&year| {
                    let known = latest_update(&plan.delivery, &s.reference, year)
                        .is_some_and(|u| u.month >= 12);
                    if known { 0.0 } else { pence(s.amount_in(year)) }
                })
                .collect();
            if amounts.iter().any(|&a| a != 0.0) {
                items.push(Item {
                    amounts,
                    dist,
                    saving: true,
                });
            }
        }
        for p in &plan.pressures {
            let Some(u) = p.uncertainty else { continue };
            let f = |d: Decimal| (d / Decimal::ONE_HUNDRED).to_f64().unwrap_or(1.0);
            let (low, high) = (f(u.low_pct), f(u.high_pct));
            let dist = Distribution::Triangular {
                low,
                mode: 1.0_f64.clamp(low, high),
                high,
            };
            let amounts: Vec<f64> = years.iter().map(|&y| pence(p.amount_in(y))).collect();
            if amounts.iter().any(|&a| a != 0.0) {
                items.push(Item {
                    amounts,
                    dist,
                    saving: false,
                });
            }
        }
        let opening = outcomes
            .first()
            .map(|o| o.reserves_start)
            .unwrap_or_default();
        Ok(Model {
            gap: outcomes.iter().map(|o| pence(o.gap)).collect(),
            requirement: outcomes
                .iter()
                .map(|o| pence(o.net_budget_requirement))
                .collect(),
            planned_general: outcomes
                .iter()
                .map(|o| pence(o.reserves_planned_use.general))
                .collect(),
            planned_earmarked: outcomes
                .iter()
                .map(|o| pence(o.reserves_planned_use.earmarked))
                .collect(),
            opening_general: pence(opening.general),
            opening_earmarked: pence(opening.earmarked),
            minimum_fraction: (plan.minimum_reserve_pct / Decimal::ONE_HUNDRED)
                .to_f64()
                .unwrap_or(0.0),
            years,
            items,
        })
    }

    /// Runs trials `first..first + out.len() / ny`, writing (gap, reserves) per year and
    /// counting exhausted / below-minimum trials per year.
    fn run(
        &self,
        key: [u8; 32],
        first: u64,
        gaps: &mut [f64],
        reserves: &mut [f64],
        counts: &mut [(u32, u32)],
    ) {
        let ny = self.years.len();
        let mut delta = vec![0.0f64; ny];
        for (t, (gap_row, res_row)) in gaps.chunks_mut(ny).zip(reserves.chunks_mut(ny)).enumerate()
        {
            let mut rng = ChaCha8Rng::from_seed(key);
            rng.set_stream(first + t as u64);
            delta.iter_mut().for_each(|d| *d = 0.0);
            for item in &self.items {
                // 53 random bits → a uniform in [0, 1).
                let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
                let f = item.dist.quantile(u);
                let coef = if item.saving { 1.0 - f } else { f - 1.0 };
                for (d, a) in delta.iter_mut().zip(&item.amounts) {
                    *d += coef * a;
                }
            }
            let (mut general, mut earmarked) = (self.opening_general, self.opening_earmarked);
            let mut carried = 0.0;
            for y in 0..ny {
                carried += delta[y];
                let gap = self.gap[y] + carried;
                general -= self.planned_general[y] + gap;
                earmarked -= self.planned_earmarked[y];
                if general < 0.0 && earmarked > 0.0 {
                    let take = (-general).min(earmarked);
                    general += take;
                    earmarked -= take;
                }
                let usable = general + earmarked;
                gap_row[y] = gap;
                res_row[y] = usable;
                if usable < 0.0 {
                    counts[y].0 += 1;
                }
                if general < self.minimum_fraction * (self.requirement[y] + carried) {
                    counts[y].1 += 1;
                }
            }
        }
    }
}

/// Runs the simulation (see the module notes for the model and its determinism).
pub fn simulate(plan: &Plan, options: &SimulationOptions) -> Result<Simulation, SimulationError> {
    if options.trials == 0 {
        return Err(SimulationError::NoTrials);
    }
    let model = Model::build(plan, options)?;
    let ny = model.years.len();
    let n = options.trials as usize;
    let key = ChaCha8Rng::seed_from_u64(options.seed).get_seed();
    let mut gaps = vec![0.0f64; n * ny];
    let mut reserves = vec![0.0f64; n * ny];
    let threads = options.threads.clamp(1, n);
    let per = n.div_ceil(threads);
    let mut counts = vec![vec![(0u32, 0u32); ny]; threads];
    std::thread::scope(|scope| {
        let chunks = gaps
            .chunks_mut(per * ny)
            .zip(reserves.chunks_mut(per * ny))
            .zip(counts.iter_mut())
            .enumerate();
        for (i, ((g, r), c)) in chunks {
            let model = &model;
            scope.spawn(move || model.run(key, (i * per) as u64, g, r, c));
        }
    });
    let mut years = Vec::with_capacity(ny);
    let mut column = vec![0.0f64; n];
    for (y, &year) in model.years.iter().enumerate() {
        let (exhausted, below) = counts.iter().fold((0u64, 0u64), |(a, b), c| {
            (a + u64::from(c[y].0), b + u64::from(c[y].1))
        });
        let mut pct = |data: &[f64]| -> [Money; 3] {
            for (slot, row) in column.iter_mut().zip(data.chunks(ny)) {
                *slot = row[y];
            }
            column.sort_unstable_by(f64::total_cmp);
            [5, 50, 95].map(|p| Money::pence(column[nearest_rank(p, n)].round() as i64))
        };
        let [gap_p5, gap_p50, gap_p95] = pct(&gaps);
        let [reserves_p5, reserves_p50, reserves_p95] = pct(&reserves);
        years.push(YearRisk {
            year,
            p_reserves_exhausted: exhausted as f64 / n as f64,
            p_below_minimum: below as f64 / n as f64,
            gap_p5,
            gap_p50,
            gap_p95,
            reserves_p5,
            reserves_p50,
            reserves_p95,
        });
    }
    Ok(Simulation {
        trials: options.trials,
        seed: options.seed,
        years,
    })
}

/// The index of the `p`th percentile of `n` sorted values by the nearest-rank method.
fn nearest_rank(p: usize, n: usize) -> usize {
    (p * n).div_ceil(100).clamp(1, n) - 1
}

#[cfg(test)]
mod tests;
