//! Procurement notices as OCDS 1.1: the instance's ocid prefix and the ocid of each
//! procurement ([`prefix`]).

pub mod prefix;

pub use prefix::{PrefixStatus, check_prefix, ocid};
