//! Financial planning: budgets, the medium-term financial plan, council tax and the
//! referendum test, savings delivery, reserves, risk simulation, resilience indicators and
//! the section 114 early warning. Pure rules over values: no I/O, no clock.

pub mod council_tax;
pub mod evidence;
pub mod monitoring;
pub mod mtfp;
pub mod referendum;
pub mod reserves;
pub mod resilience;
pub mod risk;
pub mod savings;
pub mod scenario;
pub mod service;
pub mod statement;
pub mod tracker;
pub mod warning;
pub mod year;

pub use council_tax::{Band, ReferendumTest, referendum_test};

pub use referendum::{AuthorityClass, Principle, Principles};
pub use service::{ServiceLine, Subjective};
pub use year::FinancialYear;

/// Plans for tests, shared with the store and web tests through the `fixtures` feature.
#[cfg(any(test, feature = "fixtures"))]
#[allow(missing_docs)]
pub mod fixtures;
