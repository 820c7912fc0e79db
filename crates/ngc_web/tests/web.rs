//! HTTP tests of the whole router in process (`Router::oneshot`), on both databases.

mod web {
    pub mod api;
    pub mod bids;
    pub mod budget_monitoring;
    pub mod consultations;
    pub mod contract_kpis;
    pub mod contract_payments;
    pub mod contract_variations;
    pub mod contracts;
    pub mod evaluation;
    pub mod figures;
    pub mod finance;
    pub mod joint_working;
    pub mod ledger;
    pub mod matrix;
    pub mod ocds;
    pub mod open_data;
    pub mod openapi;
    pub mod pages;
    pub mod panel;
    pub mod payment_performance;
    pub mod plan_updates;
    pub mod registration;
    pub mod registration_portal;
    pub mod responses;
    pub mod revisions;
    pub mod savings_chain;
    pub mod security;
    pub mod shared_services;
    pub mod support;
    pub mod tenders;
    pub mod users;
}
