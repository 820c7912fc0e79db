//! A consultation as residents see it: the gap, the questions and their steps. Built once
//! from the plan and the officer's [`super::Settings`] ([`super::build`]) and kept, so a
//! later change to the plan never changes a consultation that is open.

use super::settings::DistrictSetting;
use crate::finance::service::ServiceLine;
use crate::finance::year::FinancialYear;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What a question is about.
    pub enum QuestionKind as "question kind" {
        /// A service budget.
        Service = "service", "Service budget";
        /// A savings proposal of the plan.
        Saving = "saving", "Savings proposal";
        /// Fees and charges.
        Income = "income", "Income";
        /// One-off use of reserves.
        Reserves = "reserves", "Reserves";
        /// The council tax increase.
        CouncilTax = "council_tax", "Council tax";
    }
}

/// A consultation's questions and the figures its bills are worked from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// The plan year consulted on.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2016-17"))]
    pub year: FinancialYear,
    /// The gap to close: the plan's gap for the year.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub gap: Money,
    /// Band D the year before.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub band_d_before: Money,
    /// The year's tax base (Band D equivalents).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax_base: Decimal,
    /// The adult social care precept of the year in the plan, in per cent (on top of the
    /// core increase, shown apart on the bill).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub asc_precept_pct: Decimal,
    /// The questions, in the order residents see them.
    pub questions: Vec<Question>,
    /// The other parts of the bill by district, for the whole bill.
    #[serde(default)]
    pub districts: Vec<DistrictSetting>,
}

/// One question: its steps, of which a resident picks one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// A stable key: `service:adult_social_care`, `saving:NCC-16-04`, `income:parking`,
    /// `reserves`, `council_tax`.
    pub key: String,
    /// What it is about.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: QuestionKind,
    /// The title shown.
    pub title: String,
    /// The service line it concerns, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub service: Option<ServiceLine>,
    /// The service's net budget, for a service question.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub budget: Option<Money>,
    /// More about it, line by line (a saving's full-year effect by year).
    pub detail: Vec<String>,
    /// The steps offered, in order.
    pub steps: Vec<Step>,
    /// The step the page opens on: the plan as it stands.
    pub start: usize,
}

/// One step of a question.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The label shown (`-5%`, `Accept`, `£500,000`).
    pub label: String,
    /// The figure averaged in the results: the per cent change of a service or of council
    /// tax, the pounds of income or reserves, 1 for an accepted saving and 0 for a rejected one.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub value: Decimal,
    /// How much the step closes the gap (negative: it widens it).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub effect: Money,
    /// What it would mean, in plain words.
    pub consequence: String,
    /// Whether choosing it needs a council tax referendum.
    pub referendum: bool,
}

impl Definition {
    /// The question with `key`.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }
}
