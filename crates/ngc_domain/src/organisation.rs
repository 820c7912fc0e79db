//! Organisations: councils, combined authorities, shared-service bodies and providers.

pub mod contact;
mod org_id;
pub mod registration;
pub mod supplier;

pub use contact::{ContactDetails, ContactError};
pub use org_id::{OrgId, OrgIdError, Scheme};
pub use registration::{RegistrationChange, RegistrationField, RequestStatus, changed_fields};
pub use supplier::{FactCorrections, FactError, SupplierFacts, VerificationStatus};

use crate::slug::{Slug, SlugError};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What sort of body an organisation is.
    pub enum OrgKind as "organisation kind" {
        County = "county", "County council";
        District = "district", "District council";
        Borough = "borough", "Borough council";
        Unitary = "unitary", "Unitary authority";
        CombinedAuthority = "combined_authority", "Combined authority";
        SharedService = "shared_service", "Shared-service body";
        Provider = "provider", "Provider";
        OtherPublicBody = "other_public_body", "Other public body";
    }
}

impl OrgKind {
    /// Whether this kind is a local authority that sets a budget and commissions.
    pub fn is_council(self) -> bool {
        matches!(
            self,
            OrgKind::County | OrgKind::District | OrgKind::Borough | OrgKind::Unitary
        )
    }
}

crate::text_enum! {
    /// The legal form of an organisation.
    pub enum LegalForm as "legal form" {
        LocalAuthority = "local_authority", "Local authority";
        PublicServiceMutual = "public_service_mutual", "Public service mutual";
        CommunityInterestCompany = "community_interest_company", "Community interest company";
        CompanyLimitedByShares = "company_limited_by_shares", "Company limited by shares";
        CompanyLimitedByGuarantee = "company_limited_by_guarantee", "Company limited by guarantee";
        Charity = "charity", "Charity";
        VoluntaryOrganisation = "voluntary_organisation", "Voluntary organisation";
        NhsBody = "nhs_body", "NHS body";
    }
}

/// What it takes to create or update an organisation, before it has a database id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationDraft {
    pub slug: Slug,
    pub name: String,
    pub kind: OrgKind,
    pub legal_form: LegalForm,
    pub sme: bool,
    pub vcse: bool,
    pub public_service_mutual: bool,
    /// Registration identifiers in org-id form (`GB-COH-01234567`).
    pub identifiers: Vec<OrgId>,
    /// The owning organisation, for council-owned companies.
    pub owner: Option<Slug>,
}

/// A field of an organisation draft that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("slug: {0}")]
    Slug(#[from] SlugError),
    #[error("name: must be 1 to 200 characters")]
    Name,
    #[error("identifiers: {0}")]
    Identifier(#[from] OrgIdError),
    #[error("owner: an organisation cannot own itself")]
    OwnsItself,
    #[error("identifiers: `{0}` is given twice")]
    DuplicateIdentifier(String),
}

impl DraftError {
    /// The name of the offending field, for forms and API errors.
    pub fn field(&self) -> &'static str {
        match self {
            DraftError::Slug(_) => "slug",
            DraftError::Name => "name",
            DraftError::Identifier(_) | DraftError::DuplicateIdentifier(_) => "identifiers",
            DraftError::OwnsItself => "owner",
        }
    }
}

impl OrganisationDraft {
    /// Checks the rules that hold for every organisation.
    pub fn validate(&self) -> Result<(), DraftError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(DraftError::Name);
        }
        if self.owner.as_ref() == Some(&self.slug) {
            return Err(DraftError::OwnsItself);
        }
        let mut seen = std::collections::BTreeSet::new();
        for id in &self.identifiers {
            if !seen.insert(id.to_string()) {
                return Err(DraftError::DuplicateIdentifier(id.to_string()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> OrganisationDraft {
        OrganisationDraft {
            slug: Slug::parse("first-for-wellbeing").unwrap(),
            name: "First for Wellbeing CIC".into(),
            kind: OrgKind::Provider,
            legal_form: LegalForm::CommunityInterestCompany,
            sme: true,
            vcse: true,
            public_service_mutual: true,
            identifiers: vec!["GB-COH-09876543".parse().unwrap()],
            owner: Some(Slug::parse("northamptonshire").unwrap()),
        }
    }

    #[test]
    fn a_complete_draft_is_valid() {
        assert_eq!(draft().validate(), Ok(()));
    }

    #[test]
    fn a_blank_name_is_refused() {
        let d = OrganisationDraft {
            name: "  ".into(),
            ..draft()
        };
        assert_eq!(d.validate().unwrap_err().field(), "name");
    }

    #[test]
    fn an_organisation_cannot_own_itself() {
        let d = OrganisationDraft {
            owner: Some(draft().slug),
            ..draft()
        };
        assert_eq!(d.validate(), Err(DraftError::OwnsItself));
    }

    #[test]
    fn unknown_kinds_list_the_choices() {
        let err = "parish".parse::<OrgKind>().unwrap_err().to_string();
        assert!(
            err.contains("county") && err.contains("combined_authority"),
            "{err}"
        );
    }

    #[test]
    fn councils_are_the_four_local_authority_kinds() {
        let councils: Vec<_> = OrgKind::ALL.iter().filter(|k| k.is_council()).collect();
        assert_eq!(councils.len(), 4);
    }
}
