//! Procurement pages.

pub mod bids;
