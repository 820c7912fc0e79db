//! Award criteria: a tender's (or a lot's) named set of price and quality criteria, each with
//! a weight in per cent, the weights summing to exactly 100%.
//!
//! A quality criterion is scored by evaluators on a scale from 0 to its maximum, with a
//! descriptor for every point; the price criterion (at most one) is scored by a stated
//! [`PriceMethod`]. A set is checked when made and when read from JSON, so a stored set is
//! always a valid one.

use super::price::PriceMethod;
use crate::slug::Slug;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A quality scoring scale: whole scores from 0 to `max`, each with a descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoringScale {
    /// The highest score; the lowest is 0.
    pub max: u32,
    /// What each score means: `descriptors[n]` describes a score of `n`, so there are
    /// `max + 1` of them.
    pub descriptors: Vec<String>,
}

impl ScoringScale {
    /// The common 0–5 scale with ngc's default descriptors (a buyer may word its own).
    pub fn zero_to_five() -> ScoringScale {
        ScoringScale {
            max: 5,
            descriptors: [
                "Unacceptable: no response, or the response does not meet the requirement",
                "Poor: the response meets few elements of the requirement, with significant gaps or risks",
                "Weak: the response meets some elements of the requirement, with gaps or risks",
                "Satisfactory: the response meets the requirement, with minor gaps",
                "Good: the response meets the requirement fully, with good evidence",
                "Excellent: the response exceeds the requirement, with full and robust evidence",
            ]
            .map(str::to_owned)
            .to_vec(),
        }
    }

    /// Whether `score` is on the scale.
    pub fn contains(&self, score: u32) -> bool {
        score <= self.max
    }

    /// The descriptor of `score`, if it is on the scale.
    pub fn descriptor(&self, score: u32) -> Option<&str> {
        self.descriptors.get(score as usize).map(String::as_str)
    }
}

/// How a criterion is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CriterionKind {
    /// Scored from the bid's price by a stated method.
    Price {
        /// The method.
        method: PriceMethod,
    },
    /// Scored by evaluators on a scale and moderated.
    Quality {
        /// The scale.
        scale: ScoringScale,
    },
}

crate::text_enum! {
    /// Price or quality, as a word.
    pub enum CriterionType as "criterion type" {
        /// Scored from the price.
        Price = "price", "Price";
        /// Scored by evaluators.
        Quality = "quality", "Quality";
    }
}

impl CriterionKind {
    /// Price or quality.
    pub fn criterion_type(&self) -> CriterionType {
        match self {
            CriterionKind::Price { .. } => CriterionType::Price,
            CriterionKind::Quality { .. } => CriterionType::Quality,
        }
    }
}

/// One award criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// A short key, unique in its set (`price`, `method-statement`).
    pub key: Slug,
    /// The criterion's title, as published.
    pub name: String,
    /// Its weight in per cent.
    pub weight: Decimal,
    /// How it is scored.
    #[serde(flatten)]
    pub kind: CriterionKind,
}

impl Criterion {
    /// A quality criterion.
    pub fn quality(key: Slug, name: &str, weight: Decimal, scale: ScoringScale) -> Criterion {
        Criterion {
            key,
            name: name.to_owned(),
            weight,
            kind: CriterionKind::Quality { scale },
        }
    }

    /// A price criterion.
    pub fn price(key: Slug, name: &str, weight: Decimal, method: PriceMethod) -> Criterion {
        Criterion {
            key,
            name: name.to_owned(),
            weight,
            kind: CriterionKind::Price { method },
        }
    }

    /// The quality scale, for a quality criterion.
    pub fn scale(&self) -> Option<&ScoringScale> {
        match &self.kind {
            CriterionKind::Quality { scale } => Some(scale),
            CriterionKind::Price { .. } => None,
        }
    }

    /// How the criterion is assessed and what scores are available, in words (for the
    /// tender's page and the assessment summary).
    pub fn how_assessed(&self) -> String {
        match &self.kind {
            CriterionKind::Price { method } => format!(
                "Price, scored out of {}: {}",
                self.weight.normalize(),
                method.describe()
            ),
            CriterionKind::Quality { scale } => {
                let points: Vec<String> = scale
                    .descriptors
                    .iter()
                    .enumerate()
                    .map(|(n, d)| format!("{n} {d}"))
                    .collect();
                format!(
                    "Quality, scored 0 to {} by the evaluators and moderated to a consensus score, weighted as score ÷ {} × {}%: {}",
                    scale.max,
                    scale.max,
                    self.weight.normalize(),
                    points.join("; ")
                )
            }
        }
    }
}

/// A named, checked set of award criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CriteriaSetFields", into = "CriteriaSetFields")]
pub struct CriteriaSet {
    name: String,
    criteria: Vec<Criterion>,
}

/// The JSON form of a criteria set, checked by [`CriteriaSet::new`] when read.
#[derive(Serialize, Deserialize)]
struct CriteriaSetFields {
    name: String,
    criteria: Vec<Criterion>,
}

impl TryFrom<CriteriaSetFields> for CriteriaSet {
    type Error = CriteriaError;
    fn try_from(f: CriteriaSetFields) -> Result<Self, Self::Error> {
        CriteriaSet::new(&f.name, f.criteria)
    }
}

impl From<CriteriaSet> for CriteriaSetFields {
    fn from(s: CriteriaSet) -> Self {
        CriteriaSetFields {
            name: s.name,
            criteria: s.criteria,
        }
    }
}

/// Why a criteria set is not valid. Every message names the set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CriteriaError {
    /// The set has no name.
    #[error("a criteria set needs a name")]
    NoName,
    /// The set has no criteria.
    #[error("criteria set `{set}` has no criteria: it needs at least one")]
    Empty {
        /// The set's name.
        set: String,
    },
    /// The weights do not sum to 100%.
    #[error("the weights of criteria set `{set}` sum to {}%, not 100%", total.normalize())]
    Weights {
        /// The set's name.
        set: String,
        /// The sum of the weights, in per cent.
        total: Decimal,
    },
    /// Two criteria share a key.
    #[error("criteria set `{set}` has two criteria with the key `{key}`")]
    DuplicateKey {
        /// The set's name.
        set: String,
        /// The repeated key.
        key: Slug,
    },
    /// A criterion has no title.
    #[error("criterion `{key}` of criteria set `{set}` has no name")]
    NoCriterionName {
        /// The set's name.
        set: String,
        /// The criterion.
        key: Slug,
    },
    /// A negative weight.
    #[error("criterion `{key}` of criteria set `{set}` has a negative weight ({}%)", weight.normalize())]
    NegativeWeight {
        /// The set's name.
        set: String,
        /// The criterion.
        key: Slug,
        /// Its weight.
        weight: Decimal,
    },
    /// More than one price criterion.
    #[error(
        "criteria set `{set}` has two price criteria, `{first}` and `{second}`: it may have one"
    )]
    TwoPriceCriteria {
        /// The set's name.
        set: String,
        /// The first price criterion.
        first: Slug,
        /// The second.
        second: Slug,
    },
    /// A quality scale whose maximum is 0.
    #[error("the scoring scale of criterion `{key}` of criteria set `{set}` must go above 0")]
    ScaleMax {
        /// The set's name.
        set: String,
        /// The criterion.
        key: Slug,
    },
    /// A quality scale without one descriptor per point.
    #[error(
        "the scoring scale of criterion `{key}` of criteria set `{set}` has {found} descriptors; a 0–{max} scale needs {}, one for each score", max + 1
    )]
    Descriptors {
        /// The set's name.
        set: String,
        /// The criterion.
        key: Slug,
        /// The scale's maximum.
        max: u32,
        /// The descriptors given.
        found: usize,
    },
    /// A blank descriptor.
    #[error(
        "the scoring scale of criterion `{key}` of criteria set `{set}` has no descriptor for a score of {score}"
    )]
    BlankDescriptor {
        /// The set's name.
        set: String,
        /// The criterion.
        key: Slug,
        /// The score left undescribed.
        score: u32,
    },
}

impl CriteriaSet {
    /// Checks and makes a set: a name; at least one criterion; unique keys; every criterion
    /// named; weights not negative and summing to exactly 100%; at most one price criterion;
    /// every quality scale above 0 with a non-blank descriptor for each score.
    pub fn new(name: &str, criteria: Vec<Criterion>) -> Result<CriteriaSet, CriteriaError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CriteriaError::NoName);
        }
        let set = || name.to_owned();
        if criteria.is_empty() {
            return Err(CriteriaError::Empty { set: set() });
        }
        let mut price: Option<&Slug> = None;
        for (i, c) in criteria.iter().enumerate() {
            let key = || c.key.clone();
            if criteria[..i].iter().any(|o| o.key == c.key) {
                return Err(CriteriaError::DuplicateKey {
                    set: set(),
                    key: key(),
                });
            }
            if c.name.trim().is_empty() {
                return Err(CriteriaError::NoCriterionName {
                    set: set(),
                    key: key(),
                });
            }
            if c.weight < Decimal::ZERO {
                return Err(CriteriaError::NegativeWeight {
                    set: set(),
                    key: key(),
                    weight: c.weight,
                });
            }
            match &c.kind {
                CriterionKind::Price { .. } => {
                    if let Some(first) = price {
                        return Err(CriteriaError::TwoPriceCriteria {
                            set: set(),
                            first: first.clone(),
                            second: key(),
                        });
                    }
                    price = Some(&c.key);
                }
                CriterionKind::Quality { scale } => check_scale(name, &c.key, scale)?,
            }
        }
        let total: Decimal = criteria.iter().map(|c| c.weight).sum();
        if total != Decimal::ONE_HUNDRED {
            return Err(CriteriaError::Weights { set: set(), total });
        }
        Ok(CriteriaSet {
            name: name.to_owned(),
            criteria,
        })
    }

    /// The set's name (`Lot 1 criteria`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The criteria, in their published order.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// The criterion with this key.
    pub fn get(&self, key: &Slug) -> Option<&Criterion> {
        self.criteria.iter().find(|c| &c.key == key)
    }

    /// The price criterion, if the set has one.
    pub fn price(&self) -> Option<&Criterion> {
        self.criteria
            .iter()
            .find(|c| matches!(c.kind, CriterionKind::Price { .. }))
    }

    /// The quality criteria, in order.
    pub fn quality(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria
            .iter()
            .filter(|c| matches!(c.kind, CriterionKind::Quality { .. }))
    }
}

fn check_scale(set: &str, key: &Slug, scale: &ScoringScale) -> Result<(), CriteriaError> {
    if scale.max == 0 {
        return Err(CriteriaError::ScaleMax {
            set: set.to_owned(),
            key: key.clone(),
        });
    }
    if scale.descriptors.len() as u64 != u64::from(scale.max) + 1 {
        return Err(CriteriaError::Descriptors {
            set: set.to_owned(),
            key: key.clone(),
            max: scale.max,
            found: scale.descriptors.len(),
        });
    }
    if let Some(score) = scale.descriptors.iter().position(|d| d.trim().is_empty()) {
        return Err(CriteriaError::BlankDescriptor {
            set: set.to_owned(),
            key: key.clone(),
            score: score as u32,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
