//! Small builders shared by the store tests.

use ngc_domain::organisation::{LegalForm, OrgKind, OrganisationDraft};
use ngc_domain::slug::Slug;

pub fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

pub fn council(s: &str, name: &str) -> OrganisationDraft {
    OrganisationDraft {
        slug: slug(s),
        name: name.into(),
        kind: OrgKind::County,
        legal_form: LegalForm::LocalAuthority,
        sme: false,
        vcse: false,
        public_service_mutual: false,
        identifiers: vec![],
        owner: None,
    }
}

pub fn provider(s: &str, name: &str, owner: Option<&str>) -> OrganisationDraft {
    OrganisationDraft {
        kind: OrgKind::Provider,
        legal_form: LegalForm::CommunityInterestCompany,
        sme: true,
        vcse: true,
        owner: owner.map(slug),
        ..council(s, name)
    }
}
