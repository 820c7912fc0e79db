//! Supplier self-registration: a provider registers once, without an account (the public
//! form and API); the instance administrator checks the facts it claims, may correct them,
//! and verifies the registration (its organisation and first user are created) or refuses
//! it with a note.
//!
//! Registering is public: the web app limits it per client address and checks the form's
//! CSRF token before calling [`register`].

use crate::{Caller, UseCaseError, UseCaseResult, parse};
use ngc_domain::access::Action;
use ngc_domain::organisation::{
    ContactDetails, FactCorrections, SupplierFacts, VerificationStatus,
};
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::supplier_registrations::{NewSupplierRegistration, SupplierRegistration};
use serde::Deserialize;

/// A supplier's registration: its organisation, how to reach it, and its first user.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplierRegistrationInput {
    /// The organisation's registered name.
    pub name: String,
    /// A short, stable name for addresses; left out or blank, one is made from the name.
    #[serde(default)]
    pub slug: Option<String>,
    /// public_service_mutual, community_interest_company, company_limited_by_shares,
    /// company_limited_by_guarantee, charity, voluntary_organisation or nhs_body
    pub legal_form: String,
    /// Registration identifiers in org-id form: `GB-COH-…` (Companies House, required of a
    /// company), `GB-CHC-…` (Charity Commission), `GB-PPON-…` (Public Procurement
    /// Organisation Number), `GB-MPR-…` (Mutuals Public Register).
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// Claimed: a small or medium-sized enterprise.
    #[serde(default)]
    pub sme: bool,
    /// Claimed: a voluntary, community or social enterprise.
    #[serde(default)]
    pub vcse: bool,
    /// Claimed: a public service mutual.
    #[serde(default)]
    pub public_service_mutual: bool,
    /// What the organisation does, in its own words.
    #[serde(default)]
    pub description: String,
    /// The organisation's contact email; blank: the first user's.
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    /// An `https://` or `http://` address.
    #[serde(default)]
    pub website: String,
    /// The postal address, lines separated by newlines.
    #[serde(default)]
    pub address: String,
    /// The first user's email address: they sign in with it once verified.
    pub user_email: String,
    /// The first user's name.
    pub user_name: String,
    /// The first user's password: at least 8 characters.
    pub password: String,
}

impl SupplierRegistrationInput {
    /// The slug given, or the one made from the name (`None` if the name makes none).
    pub fn slug_or_suggested(&self) -> Option<String> {
        match self.slug.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(s.to_owned()),
            _ => Slug::suggest(&self.name).map(String::from),
        }
    }

    /// The claimed registration facts, each field checked, the first wrong one named.
    pub fn facts(&self) -> UseCaseResult<SupplierFacts> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(UseCaseError::invalid(
                "name",
                "give the organisation's registered name",
            ));
        }
        let slug = match self.slug_or_suggested() {
            Some(s) => parse::slug("slug", &s)?,
            None => {
                return Err(UseCaseError::invalid(
                    "slug",
                    "the name gives no slug: choose one of 2 to 64 lowercase letters, digits and hyphens",
                ));
            }
        };
        if self.legal_form.trim().is_empty() {
            return Err(UseCaseError::invalid(
                "legal_form",
                "choose the organisation's legal form",
            ));
        }
        let facts = SupplierFacts {
            slug,
            name: name.to_owned(),
            legal_form: parse::word("legal_form", &self.legal_form)?,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
            identifiers: parse::identifiers(&self.identifiers)?,
        };
        facts
            .validate()
            .map_err(|e| UseCaseError::invalid(e.field, e.message))?;
        Ok(facts)
    }

    /// The contact details, the organisation's email defaulting to the first user's.
    pub fn contact(&self) -> ContactDetails {
        let email = if self.contact_email.trim().is_empty() {
            &self.user_email
        } else {
            &self.contact_email
        };
        ContactDetails {
            description: self.description.clone(),
            email: email.clone(),
            phone: self.contact_phone.clone(),
            website: self.website.clone(),
            address: self.address.clone(),
        }
        .trimmed()
    }
}

/// The instance administrator's decision on a registration. When verifying, the facts
/// given correct the claimed ones; a fact left out stands as claimed.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplierDecisionInput {
    /// `true` verifies the registration (creating the organisation and its first user),
    /// `false` refuses it.
    pub verify: bool,
    /// Why: required when refusing (the applicant is shown it when signing in).
    #[serde(default)]
    pub note: String,
    /// The corrected short name.
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub legal_form: Option<String>,
    #[serde(default)]
    pub sme: Option<bool>,
    #[serde(default)]
    pub vcse: Option<bool>,
    #[serde(default)]
    pub public_service_mutual: Option<bool>,
    /// The full list of identifiers, replacing the claimed ones.
    #[serde(default)]
    pub identifiers: Option<Vec<String>>,
}

impl SupplierDecisionInput {
    /// The corrections asked for, each field checked.
    pub fn corrections(&self) -> UseCaseResult<FactCorrections> {
        Ok(FactCorrections {
            slug: self
                .slug
                .as_deref()
                .map(|s| parse::slug("slug", s))
                .transpose()?,
            name: self.name.as_ref().map(|n| n.trim().to_owned()),
            legal_form: self
                .legal_form
                .as_deref()
                .map(|f| parse::word("legal_form", f))
                .transpose()?,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
            identifiers: self
                .identifiers
                .as_deref()
                .map(parse::identifiers)
                .transpose()?,
        })
    }
}

/// Registers a supplier, waiting for verification. Anyone may: it creates no account and
/// gives no access until an instance administrator verifies it. Refused whole, writing
/// nothing, naming the field: a bad field (422), or a slug, identifier or email already
/// taken or claimed (409).
pub async fn register(
    store: &Store,
    input: SupplierRegistrationInput,
) -> UseCaseResult<SupplierRegistration> {
    let facts = input.facts()?;
    let contact = input.contact();
    Ok(store
        .register_supplier(&NewSupplierRegistration {
            facts: &facts,
            contact: &contact,
            user_email: &input.user_email,
            user_name: &input.user_name,
            password: &input.password,
        })
        .await?)
}

/// The registrations with this status (oldest first), or all of them (newest first), for
/// the instance administrator.
pub async fn list(
    store: &Store,
    caller: &Caller,
    status: Option<VerificationStatus>,
) -> UseCaseResult<Vec<SupplierRegistration>> {
    caller.require(Action::VerifySupplierRegistrations)?;
    Ok(store.list_supplier_registrations(status).await?)
}

/// Verifies (with corrections) or refuses (with a note) a pending registration, for the
/// instance administrator.
pub async fn decide(
    store: &Store,
    caller: &Caller,
    id: i64,
    input: SupplierDecisionInput,
) -> UseCaseResult<SupplierRegistration> {
    caller.require(Action::VerifySupplierRegistrations)?;
    let registration = if input.verify {
        let corrections = input.corrections()?;
        store
            .verify_supplier_registration(id, &corrections, &input.note, &caller.actor())
            .await?
    } else {
        store
            .refuse_supplier_registration(id, &input.note, &caller.actor())
            .await?
    };
    Ok(registration)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SupplierRegistrationInput {
        SupplierRegistrationInput {
            name: "Nene Home Care Ltd".into(),
            legal_form: "company_limited_by_shares".into(),
            identifiers: vec!["GB-COH-12345678".into(), " ".into()],
            user_email: "ann@nene.example".into(),
            user_name: "Ann".into(),
            password: "a long password".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_blank_slug_is_made_from_the_name() {
        let facts = input().facts().unwrap();
        assert_eq!(facts.slug.as_str(), "nene-home-care");
        let given = SupplierRegistrationInput {
            slug: Some(" nene-care ".into()),
            ..input()
        };
        assert_eq!(given.facts().unwrap().slug.as_str(), "nene-care");
    }

    #[test]
    fn each_bad_field_is_named() {
        let field = |i: SupplierRegistrationInput| match i.facts() {
            Err(UseCaseError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(SupplierRegistrationInput {
                name: " ".into(),
                ..input()
            }),
            "name"
        );
        assert_eq!(
            field(SupplierRegistrationInput {
                name: "!!".into(),
                ..input()
            }),
            "slug"
        );
        assert_eq!(
            field(SupplierRegistrationInput {
                slug: Some("Not A Slug".into()),
                ..input()
            }),
            "slug"
        );
        assert_eq!(
            field(SupplierRegistrationInput {
                legal_form: "plc".into(),
                ..input()
            }),
            "legal_form"
        );
        assert_eq!(
            field(SupplierRegistrationInput {
                legal_form: " ".into(),
                ..input()
            }),
            "legal_form"
        );
        assert_eq!(
            field(SupplierRegistrationInput {
                identifiers: vec!["GB-PPON-123".into()],
                ..input()
            }),
            "identifiers"
        );
    }

    #[test]
    fn the_contact_email_defaults_to_the_first_users() {
        assert_eq!(input().contact().email, "ann@nene.example");
        let own = SupplierRegistrationInput {
            contact_email: " Office@Nene.Example ".into(),
            ..input()
        };
        assert_eq!(own.contact().email, "office@nene.example");
    }
}
