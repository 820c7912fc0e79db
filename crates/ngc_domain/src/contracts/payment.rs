//! How a contract pays its provider, and whether the council paid on time.
//!
//! - [`mechanism`]: the payment terms, made of components: a block schedule of instalments,
//!   cost per case (a rate times the units the provider reports for a period) and payment by
//!   results (outcome metrics, each with a price and optional caps per period and over the
//!   contract, after the INDIGO data standard of the Government Outcomes Lab). A contract may
//!   combine them, e.g. a block payment with a part paid by results.
//! - [`due`]: the payments due, from the terms and the provider's period returns; a claim
//!   over a cap, or for an outcome the terms do not price, is refused with the figures.
//! - [`prompt`]: payments made, against the statutory term to pay a valid, undisputed invoice
//!   within 30 days (PCR 2015 reg 113, PA2023 s68), read from `data/prompt_payment.csv`.
//! - [`performance`]: the returns on payment performance under PA2023 s69 (the payments
//!   compliance notice, by six-month period) and s70 (payments over £30,000, by quarter),
//!   with their periods read from `data/payment_reporting.csv`.

pub mod due;
pub mod mechanism;
pub mod performance;
pub mod prompt;

pub use due::{ClaimError, DueLine, PaymentsDue, PeriodReturn, check_claim, payments_due};
pub use mechanism::{Component, Instalment, OutcomeMetric, PaymentTerms, TermsError};
pub use prompt::{
    ClockStart, DayCount, PaymentRecord, PromptPaymentRule, PromptPaymentRules, Timeliness,
    timeliness,
};
