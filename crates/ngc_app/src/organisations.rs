//! Organisations: the directory (instance administrators), contact details (the
//! organisation's own staff), and requests to change registration facts.

use crate::{Caller, UseCaseError, UseCaseResult, parse};
use ngc_domain::access::Action;
use ngc_domain::organisation::{
    ContactDetails, OrganisationDraft, RegistrationChange, changed_fields,
};
use ngc_store::Store;
use ngc_store::organisations::Organisation;
use ngc_store::registration::RegistrationRequest;
use serde::Deserialize;

/// An organisation to create, or the new state of one to replace. Contact fields left out
/// stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationInput {
    pub slug: String,
    pub name: String,
    /// county, district, borough, unitary, combined_authority, shared_service, provider, other_public_body
    pub kind: String,
    /// local_authority, public_service_mutual, community_interest_company, company_limited_by_shares,
    /// company_limited_by_guarantee, charity, voluntary_organisation, nhs_body
    pub legal_form: String,
    #[serde(default)]
    pub sme: bool,
    #[serde(default)]
    pub vcse: bool,
    #[serde(default)]
    pub public_service_mutual: bool,
    /// Registration identifiers in org-id form, e.g. `GB-COH-01234567`.
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// The owning organisation's slug, for council-owned companies.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(flatten)]
    pub contact: ContactInput,
}

/// Contact details and description; a field left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInput {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

impl ContactInput {
    fn apply(&self, current: &ContactDetails) -> ContactDetails {
        let pick = |new: &Option<String>, old: &String| new.clone().unwrap_or_else(|| old.clone());
        ContactDetails {
            description: pick(&self.description, &current.description),
            email: pick(&self.contact_email, &current.email),
            phone: pick(&self.contact_phone, &current.phone),
            website: pick(&self.website, &current.website),
            address: pick(&self.address, &current.address),
        }
        .trimmed()
    }
}

/// Registration facts to change; a fact left out stays as it is. Used by partial updates
/// (PATCH) and by registration change requests.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub legal_form: Option<String>,
    #[serde(default)]
    pub sme: Option<bool>,
    #[serde(default)]
    pub vcse: Option<bool>,
    #[serde(default)]
    pub public_service_mutual: Option<bool>,
    #[serde(default)]
    pub identifiers: Option<Vec<String>>,
    /// The owning organisation's slug; an empty string for none.
    #[serde(default)]
    pub owner: Option<String>,
}

impl RegistrationInput {
    /// The change these fields ask for (only the facts given).
    pub fn change(&self) -> UseCaseResult<RegistrationChange> {
        Ok(RegistrationChange {
            name: self.name.as_ref().map(|n| n.trim().to_owned()),
            kind: self
                .kind
                .as_deref()
                .map(|k| parse::word("kind", k))
                .transpose()?,
            legal_form: self
                .legal_form
                .as_deref()
                .map(|k| parse::word("legal_form", k))
                .transpose()?,
            owner: self
                .owner
                .as_deref()
                .map(|o| parse::optional_slug("owner", Some(o)))
                .transpose()?,
            identifiers: self
                .identifiers
                .as_deref()
                .map(parse::identifiers)
                .transpose()?,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
        })
    }
}

/// A partial update: the registration facts and contact fields given change, the rest stay.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationPatch {
    #[serde(flatten)]
    pub registration: RegistrationInput,
    #[serde(flatten)]
    pub contact: ContactInput,
}

/// A request to change registration facts, with the evidence for it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequestInput {
    #[serde(flatten)]
    pub change: RegistrationInput,
    /// Why the registration should change, and where that can be checked.
    pub evidence: String,
}

/// An instance administrator's decision on a request.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionInput {
    pub approve: bool,
    /// Required when refusing.
    #[serde(default)]
    pub note: String,
}

impl OrganisationInput {
    /// The registration facts as a draft, each field checked.
    pub fn draft(&self) -> UseCaseResult<OrganisationDraft> {
        let draft = OrganisationDraft {
            slug: parse::slug("slug", &self.slug)?,
            name: self.name.trim().to_owned(),
            kind: parse::word("kind", &self.kind)?,
            legal_form: parse::word("legal_form", &self.legal_form)?,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
            identifiers: parse::identifiers(&self.identifiers)?,
            owner: parse::optional_slug("owner", self.owner.as_deref())?,
        };
        draft
            .validate()
            .map_err(|e| UseCaseError::invalid(e.field(), e.to_string()))?;
        Ok(draft)
    }

    /// The same input as a patch that sets every registration fact.
    fn into_patch(self) -> OrganisationPatch {
        OrganisationPatch {
            registration: RegistrationInput {
                name: Some(self.name),
                kind: Some(self.kind),
                legal_form: Some(self.legal_form),
                sme: Some(self.sme),
                vcse: Some(self.vcse),
                public_service_mutual: Some(self.public_service_mutual),
                identifiers: Some(self.identifiers),
                owner: Some(self.owner.unwrap_or_default()),
            },
            contact: self.contact,
        }
    }
}

fn check_contact(contact: &ContactDetails) -> UseCaseResult<()> {
    contact
        .validate()
        .map_err(|e| UseCaseError::invalid(e.field, e.message))
}

/// The organisation with this slug.
pub async fn find(store: &Store, slug: &str) -> UseCaseResult<Organisation> {
    store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{slug}`")))
}

/// Adds an organisation to the directory (instance administrators).
pub async fn create(
    store: &Store,
    caller: &Caller,
    input: OrganisationInput,
) -> UseCaseResult<Organisation> {
    caller.require(Action::CreateOrganisation)?;
    let draft = input.draft()?;
    let contact = input.contact.apply(&ContactDetails::default());
    check_contact(&contact)?;
    let org = store.create_organisation(&draft, &caller.actor()).await?;
    if contact == ContactDetails::default() {
        return Ok(org);
    }
    Ok(store
        .edit_organisation(&org.slug, None, Some(&contact), &caller.actor())
        .await?)
}

/// Replaces an organisation's registration facts and the contact fields given (PUT).
pub async fn replace(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: OrganisationInput,
) -> UseCaseResult<Organisation> {
    if input.slug.trim() != slug {
        // Authorise before saying anything about the body.
        let org = find(store, slug).await?;
        caller.require(Action::UpdateOrganisationDetails(org.id))?;
        return Err(UseCaseError::invalid("slug", "a slug cannot be changed"));
    }
    update(store, caller, slug, input.into_patch()).await
}

/// Changes the registration facts and contact fields given, the rest staying (PATCH).
///
/// The organisation's own staff may change its contact details and description; a change
/// to any registration fact needs an instance administrator, and is otherwise refused
/// whole, naming the facts, with nothing written. A patch that changes nothing writes
/// nothing.
pub async fn update(
    store: &Store,
    caller: &Caller,
    slug: &str,
    patch: OrganisationPatch,
) -> UseCaseResult<Organisation> {
    let org = find(store, slug).await?;
    caller.require(Action::UpdateOrganisationDetails(org.id))?;
    let current = org.draft().ok_or_else(|| {
        UseCaseError::Conflict(format!("organisation `{slug}` does not read back"))
    })?;
    let draft = patch.registration.change()?.apply(&current);
    draft
        .validate()
        .map_err(|e| UseCaseError::invalid(e.field(), e.to_string()))?;
    let changed = changed_fields(&current, &draft);
    if !changed.is_empty()
        && let Err(UseCaseError::Forbidden(why)) =
            caller.require(Action::ChangeRegistration(org.id))
    {
        let names: Vec<&str> = changed.iter().map(|f| f.as_str()).collect();
        return Err(UseCaseError::Forbidden(format!(
            "{}: {why}",
            names.join(", ")
        )));
    }
    let contact = patch.contact.apply(&org.contact);
    check_contact(&contact)?;
    let registration = (!changed.is_empty()).then_some(&draft);
    let contact = (contact != org.contact).then_some(&contact);
    if registration.is_none() && contact.is_none() {
        return Ok(org);
    }
    Ok(store
        .edit_organisation(slug, registration, contact, &caller.actor())
        .await?)
}

/// Asks an instance administrator to change registration facts, with evidence.
pub async fn request_registration_change(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: RegistrationRequestInput,
) -> UseCaseResult<RegistrationRequest> {
    let org = find(store, slug).await?;
    caller.require(Action::RequestRegistrationChange(org.id))?;
    let change = input.change.change()?;
    Ok(store
        .request_registration_change(slug, &change, &input.evidence, &caller.actor())
        .await?)
}

/// The organisation's registration change requests and their decisions, newest first.
pub async fn registration_requests(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<Vec<RegistrationRequest>> {
    let org = find(store, slug).await?;
    caller.require(Action::ReadRegistrationRequests(org.id))?;
    Ok(store.registration_requests_of(org.id).await?)
}

/// Every request waiting for a decision (instance administrators).
pub async fn pending_registration_requests(
    store: &Store,
    caller: &Caller,
) -> UseCaseResult<Vec<RegistrationRequest>> {
    caller.require(Action::DecideRegistrationChange)?;
    Ok(store.pending_registration_requests().await?)
}

/// Approves (applying the change, audited) or refuses a request of the organisation with
/// `slug` (instance administrators).
pub async fn decide_registration_change(
    store: &Store,
    caller: &Caller,
    slug: &str,
    request_id: i64,
    decision: DecisionInput,
) -> UseCaseResult<RegistrationRequest> {
    caller.require(Action::DecideRegistrationChange)?;
    let request = store
        .registration_request(request_id)
        .await?
        .filter(|r| r.organisation == slug)
        .ok_or_else(|| {
            UseCaseError::NotFound(format!("registration request {request_id} of `{slug}`"))
        })?;
    Ok(store
        .decide_registration_request(
            request.id,
            decision.approve,
            &decision.note,
            &caller.actor(),
        )
        .await?)
}
