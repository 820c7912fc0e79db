//! Procurement rules as data, by date: which regime applies (the Public Contracts Regulations
//! 2015 or the Procurement Act 2023), the thresholds and below-threshold notice duties, the
//! standard VAT rate, the procedures of each regime with their minimum time limits, light-touch
//! and reservable services by CPV code, the notices each procedure needs, and standstill over
//! the UK's bank holidays.
//!
//! Pure: every date ("today" included) is an argument. The figures are CSV files shipped in
//! `procurement/data/`, each row with its `source` and a `confirmed` flag; a row that could
//! not be checked against the legislation says so (`confirmed=false`, source `UNCONFIRMED: …`).

pub mod below_threshold;
pub mod bid;
pub mod cpv;
pub mod evaluation;
pub mod lifecycle;
pub mod notices;
pub mod pipeline;
pub mod procedure;
pub mod regime;
pub mod rules;
pub mod standstill;
pub(crate) mod table;
pub mod tender;
pub mod thresholds;
pub mod time_limits;
pub mod vat;
pub mod working_days;

pub use procedure::{ContractType, Procedure};
pub use regime::{Commencement, CommencingEvent, Regime};
pub use rules::{RulesAnswer, RulesData, RulesError, RulesQuery, rules};
pub use standstill::{Standstill, StandstillError, standstill};
pub use table::DataError;
pub use tender::{
    ClassificationScheme, PanelStanding, Reservation, Stage as TenderStage, TenderStatus,
};
pub use thresholds::VatBasis;
pub use working_days::{BankHolidays, WorkingDayRule};
