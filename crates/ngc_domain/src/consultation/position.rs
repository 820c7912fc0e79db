//! A resident's choices and where they leave the gap and the household's bill.

use super::build::band_d_at;
use super::definition::{Definition, QuestionKind};
use crate::finance::council_tax::Band;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A resident's choices: the step picked for each question, by its key. A question left
/// out stands at its start (the plan as it is).
pub type Choices = BTreeMap<String, usize>;

/// Choices that are not the consultation's to make, in words a resident understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    /// A key that is not a question of the consultation.
    #[error("`{0}` is not a question of this consultation")]
    UnknownQuestion(String),
    /// A step beyond the question's steps.
    #[error("{title}: that choice is outside what is offered")]
    OutOfBounds {
        /// The question's title.
        title: String,
    },
    /// A council tax step beyond the largest offered.
    #[error("Council tax: an increase above the largest offered ({max}) cannot be chosen")]
    TaxAboveOffered {
        /// The largest increase offered.
        max: String,
    },
}

/// One band's bill: the county council's part of it, and the adult social care precept
/// within that.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandBill {
    /// The band.
    pub band: Band,
    /// The county council's charge for the band.
    pub charge: Money,
    /// The adult social care precept within it.
    pub asc_precept: Money,
}

/// Where a resident's choices leave the gap and the bill.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The gap to close.
    pub gap: Money,
    /// How much the choices close it.
    pub closed_by: Money,
    /// What is left: the gap less what the choices close (zero or less once closed).
    pub remaining: Money,
    /// Whether the gap is closed, so the choices may be submitted.
    pub closed: bool,
    /// The step chosen for each question, in the consultation's order.
    pub steps: Vec<usize>,
    /// Whether the choices need a council tax referendum.
    pub referendum: bool,
    /// The county council's part of the bill, Band A to H.
    pub bills: Vec<BandBill>,
}

/// Where `choices` leave the gap and the bill.
///
/// # Errors
/// A key that is not a question, or a step outside a question's steps (for council tax,
/// [`ChoiceError::TaxAboveOffered`]).
pub fn evaluate(def: &Definition, choices: &Choices) -> Result<Position, ChoiceError> {
    if let Some(key) = choices.keys().find(|k| def.question(k).is_none()) {
        return Err(ChoiceError::UnknownQuestion(key.clone()));
    }
    let mut steps = Vec::with_capacity(def.questions.len());
    let mut closed_by = Money::ZERO;
    let mut referendum = false;
    let mut core_pct = rust_decimal::Decimal::ZERO;
    for q in &def.questions {
        let i = choices.get(&q.key).copied().unwrap_or(q.start);
        let Some(step) = q.steps.get(i) else {
            return Err(if q.kind == QuestionKind::CouncilTax {
                ChoiceError::TaxAboveOffered {
                    max: q.steps.last().map(|s| s.label.clone()).unwrap_or_default(),
                }
            } else {
                ChoiceError::OutOfBounds {
                    title: q.title.clone(),
                }
            });
        };
        closed_by += step.effect;
        referendum |= step.referendum;
        if q.kind == QuestionKind::CouncilTax {
            core_pct = step.value;
        }
        steps.push(i);
    }
    let band_d = band_d_at(def.band_d_before, core_pct, def.asc_precept_pct);
    let asc_d =
        crate::finance::council_tax::increased_band_d(def.band_d_before, def.asc_precept_pct)
            - def.band_d_before;
    let bills = Band::ALL
        .iter()
        .map(|&band| BandBill {
            band,
            charge: band.charge(band_d),
            asc_precept: band.charge(asc_d),
        })
        .collect();
    let remaining = def.gap - closed_by;
    Ok(Position {
        gap: def.gap,
        closed_by,
        remaining,
        closed: !remaining.is_positive(),
        steps,
        referendum,
        bills,
    })
}

/// One band's whole bill in a district: the county's charge (with the adult social care
/// precept), the district's, the average parish precept and the police's.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WholeBill {
    /// The band.
    pub band: Band,
    /// The county council's charge, as the choices set it.
    pub county: Money,
    /// The district council's charge.
    pub district: Money,
    /// The average parish precept.
    pub parish: Money,
    /// The police's charge.
    pub police: Money,
    /// The whole bill.
    pub total: Money,
}

/// The whole bill by band in the district at `district` (an index into the definition's
/// districts) where `position` leaves the county's part; `None` for no such district.
pub fn whole_bill(
    def: &Definition,
    position: &Position,
    district: usize,
) -> Option<Vec<WholeBill>> {
    let d = def.districts.get(district)?;
    Some(
        position
            .bills
            .iter()
            .map(|b| {
                let district = b.band.charge(d.district_band_d);
                let parish = b.band.charge(d.parish_band_d);
                let police = b.band.charge(d.police_band_d);
                WholeBill {
                    band: b.band,
                    county: b.charge,
                    district,
                    parish,
                    police,
                    total: b.charge + district + parish + police,
                }
            })
            .collect(),
    )
}
