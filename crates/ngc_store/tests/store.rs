//! Store tests: each runs on SQLite and on PostgreSQL (`NGC_TEST_POSTGRES_URL`).

mod store {
    pub mod audit;
    pub mod bids;
    pub mod consultations;
    pub mod contract_kpis;
    pub mod contract_payments;
    pub mod contract_variations;
    pub mod contracts;
    pub mod evaluation;
    pub mod fixtures;
    pub mod gl_actuals;
    pub mod joint_working;
    pub mod ledger;
    pub mod memo;
    pub mod organisations;
    pub mod pack;
    pub mod pack_merge;
    pub mod partnerships;
    pub mod payment_reporting;
    pub mod plans;
    pub mod procurement_checks;
    pub mod registration;
    pub mod releases;
    pub mod returns;
    pub mod saving_links;
    pub mod schema;
    pub mod sealing;
    pub mod sessions;
    pub mod shared_services;
    pub mod spend;
    pub mod supplier_registrations;
    pub mod tender_lifecycle;
    pub mod tenders;
    pub mod transparency;
    pub mod users;
}
