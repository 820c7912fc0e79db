//! The public budget consultation ("You Choose"): a set of questions generated from the real
//! plan, each a short list of steps, so a resident can neither pick an illegal option nor
//! send choices that do not add up.
//!
//! The rules:
//! - **the gap** to close is the plan's gap for the consultation's year;
//! - **a service budget** moves in the steps the officer sets (per cent of its net budget, with
//!   a consequence in plain words); a step the officer marks as breaching a statutory duty is
//!   never offered;
//! - **a saving** of the year may be accepted (the plan as it is) or rejected (its amount of
//!   the year comes back into the gap); its full-year effect over the plan's years is shown;
//! - **income** (fees and charges) in the amounts the officer sets;
//! - **one-off use of reserves** in amounts that never take usable reserves below the plan's
//!   prudent minimum: a larger amount is refused when the consultation is built;
//! - **council tax**: the core increase in steps up to the officer's maximum, with the plan's
//!   adult social care precept on top and shown apart; a step whose total increase needs a
//!   referendum under the year's principle says so and adds the referendum's cost;
//! - a resident's choices close the gap when the steps' effects add up to at least the gap;
//! - **the bill**: the county's part by band (Band D times the band's ninths, to the penny),
//!   the adult social care precept apart, and, for a district the resident picks, the whole
//!   bill with the district's, the average parish and the police's charges from the official
//!   tables the officer gives (each with its source and whether it was checked).
//!
//! Results are counts per step ([`results`]), so a response adds one to one count per
//! question and the summary never reads the responses themselves.

mod build;
mod definition;
mod position;
mod respondent;
pub mod results;
mod settings;

pub use build::{BuildError, build};
pub use definition::{Definition, Question, QuestionKind, Step};
pub use position::{BandBill, ChoiceError, Choices, Position, WholeBill, evaluate, whole_bill};
pub use respondent::{AgeBand, postcode_district};
pub use results::{QuestionResult, Results, StepResult, summarise};
pub use settings::{
    DistrictSetting, IncomeSetting, IncomeStep, ServiceSetting, ServiceStep, Settings, TaxSetting,
};

#[cfg(test)]
mod tests;
