//! The use cases of ngc, one function each: authorise the caller with
//! [`ngc_domain::access`], validate the input, store the change with its audit record.
//!
//! The API handler, the page handler and the command line call the same function, so a rule
//! is checked once, in one order, whichever way a user comes in. Handlers only parse, call
//! and render.

pub mod awards;
pub mod bids;
mod caller;
pub mod checks;
pub mod consultations;
pub mod contracts;
mod error;
pub mod evaluation;
pub mod gl_actuals;
pub mod joint_working;
pub mod ledger;
pub mod monitoring;
pub mod ocds;
pub mod organisations;
pub mod panel;
mod parse;
pub mod partnerships;
pub mod payment_performance;
pub mod pipeline;
pub mod plan_revisions;
pub mod plans;
pub mod providers;
pub mod questions;
pub mod shared_services;
pub mod spend;
pub mod supplier_registrations;
pub mod tenders;
pub mod tokens;
pub mod transparency;
pub mod users;

pub use caller::{Caller, principal_of};
pub use error::{UseCaseError, UseCaseResult};
