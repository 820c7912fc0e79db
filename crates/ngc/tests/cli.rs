//! The `ngc` binary as other tools see it: exit codes, one-line errors, nothing half-written.

mod cli {
    pub mod actuals;
    pub mod audit;
    pub mod backup;
    pub mod bid_keys;
    pub mod contracts;
    pub mod demo;
    pub mod demo_actuals;
    pub mod export;
    pub mod import;
    pub mod joint_working;
    pub mod ledger;
    pub mod merge;
    pub mod mtfp;
    pub mod ocds;
    pub mod ocds_export;
    pub mod procurement;
    pub mod secrets;
    pub mod shared_services;
    pub mod spend;
    pub mod support;
    pub mod users;
}
