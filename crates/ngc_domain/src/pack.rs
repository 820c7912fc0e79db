//! A data pack: the organisations, partnerships, memberships and financial plans a council
//! loads in one go.
//! Files are read and checked by `ngc_io`; the store loads a checked pack in one transaction.

use crate::organisation::OrganisationDraft;
use crate::partnership::PartnershipKind;
use crate::slug::Slug;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A partnership to create or update, before it has a database id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnershipDraft {
    pub slug: Slug,
    pub name: String,
    pub kind: PartnershipKind,
    /// The organisation that hosts the partnership (the accountable body), if any.
    pub lead: Option<Slug>,
    pub description: String,
}

/// One organisation's membership of a partnership, by slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipDraft {
    pub partnership: Slug,
    pub organisation: Slug,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

/// Everything in a data pack, checked row by row and across files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataPack {
    /// The pack's name from `pack.toml`.
    pub name: String,
    pub organisations: Vec<OrganisationDraft>,
    pub partnerships: Vec<PartnershipDraft>,
    pub memberships: Vec<MembershipDraft>,
    /// Medium-term financial plans, from `plans/*/`.
    pub plans: Vec<crate::finance::mtfp::Plan>,
    /// The directory under `plans/` each plan was read from, in the order of `plans` (to name
    /// the files of a merge conflict); a plan without one is named by its plan name.
    #[serde(default)]
    pub plan_dirs: Vec<String>,
}
