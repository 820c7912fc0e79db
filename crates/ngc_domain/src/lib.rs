//! Pure rules and types of ngc. Nothing here reads a database, a file or a clock:
//! every input, "now" included, is an argument, and every rule returns a value.

pub mod access;
pub mod audit;
pub mod consultation;
pub mod contracts;
pub mod finance;
pub mod joint_working;
pub mod ledger;
pub mod merge;
pub mod money;
mod openapi;
pub mod organisation;
pub mod pack;
pub mod partnership;
pub mod procurement;
pub mod role;
pub mod shared_services;
pub mod shares;
pub mod slug;
pub mod spend;
pub mod text_enum;
pub mod transparency;

pub use access::{Action, ContractScope, Decision, Principal};
pub use organisation::{LegalForm, OrgId, OrgKind};
pub use partnership::PartnershipKind;
pub use role::Role;
