//! What the officer sets when creating a consultation from a plan year. Kept as given with
//! the consultation, next to the [`super::Definition`] built from it.

use crate::finance::mtfp::{Plan, project};
use crate::finance::service::ServiceLine;
use crate::finance::year::FinancialYear;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The officer's choices for a consultation on one plan year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The plan year consulted on.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2016-17"))]
    pub year: FinancialYear,
    /// Service budgets that may move.
    #[serde(default)]
    pub services: Vec<ServiceSetting>,
    /// The savings proposals offered to accept or reject, by reference; left out, every
    /// saving of the year.
    #[serde(default)]
    pub savings: Option<Vec<String>>,
    /// Income options (fees and charges).
    #[serde(default)]
    pub income: Vec<IncomeSetting>,
    /// One-off amounts of reserves offered (each at most what keeps usable reserves at the
    /// plan's prudent minimum).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub reserves: Vec<Money>,
    /// The council tax question.
    pub council_tax: TaxSetting,
    /// The other parts of the bill by district (district, average parish, police), so a
    /// resident who picks their district sees the whole bill, not only the county's part.
    #[serde(default)]
    pub districts: Vec<DistrictSetting>,
}

/// One district's parts of the Band D bill other than the county's: official figures, each
/// with its source and whether it was checked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictSetting {
    /// The district's name.
    pub name: String,
    /// The district council's Band D (excluding parish precepts).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "179.50"))]
    pub district_band_d: Money,
    /// The average parish precept at Band D across the district.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "5.51"))]
    pub parish_band_d: Money,
    /// The police (and crime commissioner's) Band D.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "204.96"))]
    pub police_band_d: Money,
    /// Where the figures come from.
    pub source: String,
    /// Whether they were checked against that source.
    pub confirmed: bool,
}

/// A service budget that may move, and its steps.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSetting {
    /// The service line (its word, e.g. `adult_social_care`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "highways_and_transport"))]
    pub service: ServiceLine,
    /// The steps, each a change in per cent of the service's net budget.
    pub steps: Vec<ServiceStep>,
}

/// One step of a service budget.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceStep {
    /// The change in per cent (−5 is a 5% cut).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "-5"))]
    pub pct: Decimal,
    /// What it would mean, in plain words.
    pub consequence: String,
    /// The officer's flag: this step would breach a statutory duty, so it is not offered.
    #[serde(default)]
    pub breaches_duty: bool,
}

/// An income option: a fee or charge and the amounts it could raise.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeSetting {
    /// A short key, unique among the income options (`parking`).
    pub key: String,
    /// The option's title.
    pub title: String,
    /// The steps: an amount raised in the year and what it means.
    pub steps: Vec<IncomeStep>,
}

/// One step of an income option.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeStep {
    /// The income raised in the year.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "500000"))]
    pub amount: Money,
    /// What it would mean, in plain words.
    pub consequence: String,
}

/// The council tax question.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxSetting {
    /// The largest core increase offered, in per cent.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "4.99"))]
    pub max_pct: Decimal,
    /// The step between increases offered, in per cent (from 0 up to the maximum; the
    /// maximum itself is always offered).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1"))]
    pub step_pct: Decimal,
    /// What holding a referendum would cost, added to the gap by a step that needs one.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "400000"))]
    pub referendum_cost: Money,
}

impl Settings {
    /// A starting point for an officer: the first plan year whose council tax is not yet set
    /// (`None` when every year is set), each service with a net budget at a 5% cut and as
    /// planned (consequences to be written), every saving of the year, no income options, no
    /// reserves, council tax up to 4.99% in steps of 1%, and no referendum cost yet.
    pub fn draft(plan: &Plan) -> Option<Settings> {
        let year = project(plan).into_iter().find(|o| !o.council_tax_set)?.year;
        let mut budgets = std::collections::BTreeMap::new();
        for line in &plan.base {
            *budgets.entry(line.service).or_insert(Money::ZERO) += line.subjective.net(line.amount);
        }
        let services = budgets
            .into_iter()
            .filter(|(_, b)| b.is_positive())
            .map(|(service, _)| ServiceSetting {
                service,
                steps: vec![
                    ServiceStep {
                        pct: Decimal::from(-5),
                        consequence: format!(
                            "Say in plain words what a 5% cut to {} would mean.",
                            service.label()
                        ),
                        breaches_duty: false,
                    },
                    ServiceStep {
                        pct: Decimal::ZERO,
                        consequence: "Services as planned.".into(),
                        breaches_duty: false,
                    },
                ],
            })
            .collect();
        Some(Settings {
            year,
            services,
            savings: None,
            income: Vec::new(),
            reserves: Vec::new(),
            council_tax: TaxSetting {
                max_pct: Decimal::new(499, 2),
                step_pct: Decimal::ONE,
                referendum_cost: Money::ZERO,
            },
            districts: Vec::new(),
        })
    }
}
