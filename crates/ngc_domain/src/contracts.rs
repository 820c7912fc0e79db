//! Contracts and provider performance: the register's rules (status, route, the expiry
//! pipeline), the reporting periods shared by payments and KPI returns, payment mechanisms,
//! KPIs and their ratings, variations under the change rules, and the viability signals of a
//! provider.
//!
//! Pure: "today" and every record are arguments. Figures from the law are CSV files in
//! `contracts/data/`, each row with its `source` and a `confirmed` flag.

pub mod change;
pub mod kpi;
pub mod payment;
pub mod period;
pub mod register;
pub mod viability;

pub use change::{
    ChangeAssessment, ChangeNotice, ChangeRefusal, ContractTerms, Modification, ModificationGround,
    ModificationRules, PriorChange,
};
pub use period::{Frequency, Period};
pub use register::{ContractStatus, Route, VatTreatment};
