//! Partnerships and their membership over time (instance administrators).

use crate::{Caller, UseCaseError, UseCaseResult, parse};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::pack::PartnershipDraft;
use ngc_domain::partnership::Membership;
use ngc_store::Store;
use ngc_store::partnerships::Partnership;
use serde::Deserialize;

/// A partnership to create, or the new state of one to replace.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnershipInput {
    pub slug: String,
    pub name: String,
    /// combined_authority, shared_service or alliance
    pub kind: String,
    /// The lead (accountable) organisation's slug.
    #[serde(default)]
    pub lead: Option<String>,
    #[serde(default)]
    pub description: String,
}

impl PartnershipInput {
    /// Checks every field and names the first one that is wrong.
    pub fn draft(&self) -> UseCaseResult<PartnershipDraft> {
        let slug = parse::slug("slug", &self.slug)?;
        let kind = parse::word("kind", &self.kind)?;
        let lead = parse::optional_slug("lead", self.lead.as_deref())?;
        if self.name.trim().is_empty() {
            return Err(UseCaseError::invalid("name", "must not be empty"));
        }
        Ok(PartnershipDraft {
            slug,
            name: self.name.trim().to_owned(),
            kind,
            lead,
            description: self.description.trim().to_owned(),
        })
    }
}

/// An organisation joining a partnership.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberInput {
    /// The organisation's slug.
    pub organisation: String,
    pub joined_on: NaiveDate,
    #[serde(default)]
    pub left_on: Option<NaiveDate>,
}

/// The day an organisation left.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaveInput {
    pub left_on: NaiveDate,
}

/// The partnership with this slug.
pub async fn find(store: &Store, slug: &str) -> UseCaseResult<Partnership> {
    store
        .partnership_by_slug(slug)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("partnership `{slug}`")))
}

/// Creates a partnership.
pub async fn create(
    store: &Store,
    caller: &Caller,
    input: PartnershipInput,
) -> UseCaseResult<Partnership> {
    caller.require(Action::ManagePartnerships)?;
    let draft = input.draft()?;
    Ok(store.create_partnership(&draft, &caller.actor()).await?)
}

/// Replaces a partnership's name, kind, lead and description.
pub async fn update(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: PartnershipInput,
) -> UseCaseResult<Partnership> {
    caller.require(Action::ManagePartnerships)?;
    let draft = input.draft()?;
    Ok(store
        .update_partnership(slug, &draft, &caller.actor())
        .await?)
}

/// Adds an organisation to a partnership.
pub async fn add_member(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: MemberInput,
) -> UseCaseResult<Partnership> {
    caller.require(Action::ManagePartnerships)?;
    let m = Membership::new(input.joined_on, input.left_on)
        .map_err(|e| UseCaseError::invalid("left_on", e.to_string()))?;
    Ok(store
        .add_member(slug, input.organisation.trim(), &m, &caller.actor())
        .await?)
}

/// Records that an organisation left a partnership.
pub async fn end_membership(
    store: &Store,
    caller: &Caller,
    slug: &str,
    organisation: &str,
    input: LeaveInput,
) -> UseCaseResult<Partnership> {
    caller.require(Action::ManagePartnerships)?;
    Ok(store
        .end_membership(slug, organisation, input.left_on, &caller.actor())
        .await?)
}
