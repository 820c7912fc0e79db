//! Supplier self-registration: what a provider claims about itself when it registers, the
//! rules those claims must meet before anyone looks at them, and the instance
//! administrator's corrections when verifying them.

use super::{LegalForm, OrgId, OrgKind, OrganisationDraft, Scheme};
use crate::slug::Slug;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Where a supplier's registration stands.
    pub enum VerificationStatus as "verification status" {
        Pending = "pending", "Waiting for verification";
        Verified = "verified", "Verified";
        Refused = "refused", "Refused";
    }
}

/// The registration facts a supplier claims when it registers. They become the
/// organisation's registration facts only once an instance administrator verifies them
/// (perhaps corrected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierFacts {
    pub slug: Slug,
    pub name: String,
    pub legal_form: LegalForm,
    pub sme: bool,
    pub vcse: bool,
    pub public_service_mutual: bool,
    /// Registration identifiers in org-id form (`GB-COH-…`, `GB-CHC-…`, `GB-PPON-…`).
    pub identifiers: Vec<OrgId>,
}

/// A claimed fact that breaks a rule, with the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FactError {
    pub field: &'static str,
    pub message: String,
}

/// The legal forms incorporated at Companies House, which always have a company number.
const INCORPORATED: [LegalForm; 3] = [
    LegalForm::CompanyLimitedByShares,
    LegalForm::CompanyLimitedByGuarantee,
    LegalForm::CommunityInterestCompany,
];

impl SupplierFacts {
    /// The organisation these facts describe: a provider with no owner.
    pub fn draft(&self) -> OrganisationDraft {
        OrganisationDraft {
            slug: self.slug.clone(),
            name: self.name.trim().to_owned(),
            kind: OrgKind::Provider,
            legal_form: self.legal_form,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
            identifiers: self.identifiers.clone(),
            owner: None,
        }
    }

    /// Checks the rules every supplier registration meets, naming the first field that
    /// breaks one: those of any organisation, no local authority (councils are added by the
    /// instance administrator), and a Companies House number for a company.
    pub fn validate(&self) -> Result<(), FactError> {
        self.draft().validate().map_err(|e| FactError {
            field: e.field(),
            message: e.to_string(),
        })?;
        if self.legal_form == LegalForm::LocalAuthority {
            return Err(FactError {
                field: "legal_form",
                message: "a local authority does not register as a supplier: \
                          the instance administrator adds councils"
                    .into(),
            });
        }
        let company_number = self
            .identifiers
            .iter()
            .any(|id| id.scheme() == Scheme::CompaniesHouse);
        if INCORPORATED.contains(&self.legal_form) && !company_number {
            return Err(FactError {
                field: "identifiers",
                message: format!(
                    "a {} is registered at Companies House: give its number as GB-COH-…",
                    self.legal_form.label().to_lowercase()
                ),
            });
        }
        Ok(())
    }

    /// The facts the three flags claim, in words ("SME, VCSE"), or "none".
    pub fn claimed_flags(&self) -> String {
        let flags: Vec<&str> = [
            (self.sme, "SME"),
            (self.vcse, "VCSE"),
            (self.public_service_mutual, "public service mutual"),
        ]
        .into_iter()
        .filter_map(|(on, word)| on.then_some(word))
        .collect();
        if flags.is_empty() {
            "none".into()
        } else {
            flags.join(", ")
        }
    }
}

/// The instance administrator's corrections to claimed facts, made when verifying: each
/// fact given replaces the claim, the rest stand as claimed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactCorrections {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_form: Option<LegalForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sme: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcse: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_service_mutual: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiers: Option<Vec<OrgId>>,
}

impl FactCorrections {
    /// The facts with these corrections made.
    pub fn apply(&self, facts: &SupplierFacts) -> SupplierFacts {
        let mut f = facts.clone();
        if let Some(v) = &self.slug {
            f.slug = v.clone();
        }
        if let Some(v) = &self.name {
            f.name = v.trim().to_owned();
        }
        if let Some(v) = self.legal_form {
            f.legal_form = v;
        }
        if let Some(v) = self.sme {
            f.sme = v;
        }
        if let Some(v) = self.vcse {
            f.vcse = v;
        }
        if let Some(v) = self.public_service_mutual {
            f.public_service_mutual = v;
        }
        if let Some(v) = &self.identifiers {
            f.identifiers = v.clone();
        }
        f
    }

    /// Only the corrections that change a claim (a "correction" to the claimed value is
    /// no correction), for the audit trail.
    pub fn changes(&self, claimed: &SupplierFacts) -> FactCorrections {
        let differs = |new: &Vec<OrgId>| {
            let mut a: Vec<String> = new.iter().map(ToString::to_string).collect();
            let mut b: Vec<String> = claimed
                .identifiers
                .iter()
                .map(ToString::to_string)
                .collect();
            a.sort();
            b.sort();
            a != b
        };
        FactCorrections {
            slug: self.slug.clone().filter(|v| *v != claimed.slug),
            name: self
                .name
                .as_ref()
                .map(|v| v.trim().to_owned())
                .filter(|v| v != claimed.name.trim()),
            legal_form: self.legal_form.filter(|v| *v != claimed.legal_form),
            sme: self.sme.filter(|v| *v != claimed.sme),
            vcse: self.vcse.filter(|v| *v != claimed.vcse),
            public_service_mutual: self
                .public_service_mutual
                .filter(|v| *v != claimed.public_service_mutual),
            identifiers: self.identifiers.clone().filter(differs),
        }
    }

    /// Whether nothing is corrected.
    pub fn is_empty(&self) -> bool {
        *self == FactCorrections::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> SupplierFacts {
        SupplierFacts {
            slug: Slug::parse("nene-care").unwrap(),
            name: "Nene Care CIC".into(),
            legal_form: LegalForm::CommunityInterestCompany,
            sme: true,
            vcse: true,
            public_service_mutual: false,
            identifiers: vec![
                "GB-COH-09876543".parse().unwrap(),
                "GB-PPON-PHDQ-2359-NZMP".parse().unwrap(),
            ],
        }
    }

    #[test]
    fn a_supplier_is_a_provider_with_no_owner() {
        let d = facts().draft();
        assert_eq!(d.kind, OrgKind::Provider);
        assert_eq!(d.owner, None);
        assert_eq!(facts().validate(), Ok(()));
    }

    #[test]
    fn a_company_without_a_company_number_is_refused_naming_the_identifiers() {
        let f = SupplierFacts {
            identifiers: vec!["GB-PPON-PHDQ-2359-NZMP".parse().unwrap()],
            ..facts()
        };
        let e = f.validate().unwrap_err();
        assert_eq!(e.field, "identifiers");
        assert!(e.message.contains("GB-COH"), "{e}");
        // A charity or a voluntary organisation needs none.
        for legal_form in [LegalForm::Charity, LegalForm::VoluntaryOrganisation] {
            let f = SupplierFacts {
                legal_form,
                identifiers: vec![],
                ..facts()
            };
            assert_eq!(f.validate(), Ok(()), "{legal_form}");
        }
    }

    #[test]
    fn a_council_does_not_register_itself() {
        let f = SupplierFacts {
            legal_form: LegalForm::LocalAuthority,
            ..facts()
        };
        assert_eq!(f.validate().unwrap_err().field, "legal_form");
    }

    #[test]
    fn a_blank_name_and_a_repeated_identifier_are_named() {
        let f = SupplierFacts {
            name: " ".into(),
            ..facts()
        };
        assert_eq!(f.validate().unwrap_err().field, "name");
        let mut f = facts();
        f.identifiers.push(f.identifiers[0].clone());
        assert_eq!(f.validate().unwrap_err().field, "identifiers");
    }

    #[test]
    fn corrections_replace_only_the_facts_they_give() {
        let c = FactCorrections {
            sme: Some(false),
            public_service_mutual: Some(true),
            ..Default::default()
        };
        let f = c.apply(&facts());
        assert!(!f.sme && f.vcse && f.public_service_mutual);
        assert_eq!(f.name, facts().name);
        assert_eq!(f.identifiers, facts().identifiers);
    }

    #[test]
    fn a_correction_to_the_claimed_value_is_no_change() {
        let mut reordered = facts().identifiers;
        reordered.reverse();
        let c = FactCorrections {
            sme: Some(true),
            name: Some(" Nene Care CIC ".into()),
            identifiers: Some(reordered),
            vcse: Some(false),
            ..Default::default()
        };
        let changes = c.changes(&facts());
        assert_eq!(
            changes,
            FactCorrections {
                vcse: Some(false),
                ..Default::default()
            }
        );
        assert!(!changes.is_empty());
        assert!(FactCorrections::default().changes(&facts()).is_empty());
    }

    #[test]
    fn the_claimed_flags_read_as_words() {
        assert_eq!(facts().claimed_flags(), "SME, VCSE");
        let none = SupplierFacts {
            sme: false,
            vcse: false,
            ..facts()
        };
        assert_eq!(none.claimed_flags(), "none");
    }
}
