//! Suppliers' self-registrations, waiting outside `organisations` and `users` until an
//! instance administrator verifies them (creating the organisation and its first user) or
//! refuses them with a note. Nothing here is ever deleted.
//!
//! A pending or refused supplier is in no table that the rest of ngc reads: it cannot be
//! listed in the directory, bid, or sign in. Signing in with its email and password is
//! answered by [`Store::check_sign_in`] with where the registration stands.

use crate::credentials::{check_new_password, dummy_hash, hash_password, verify_password};
use crate::organisations::decode;
use crate::tx::WriteTx;
use crate::users::{User, UserToInsert, normalise_email};
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::Role;
use ngc_domain::organisation::{
    ContactDetails, FactCorrections, OrgId, SupplierFacts, VerificationStatus,
};
use ngc_domain::slug::Slug;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;
use std::collections::BTreeMap;

/// A supplier's registration as stored, with the decision on it once made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupplierRegistration {
    pub id: i64,
    /// The registration facts as the supplier claimed them (corrections made on verifying
    /// are on the organisation, and in the audit trail).
    pub facts: SupplierFacts,
    pub contact: ContactDetails,
    /// The first user's email and name.
    pub user_email: String,
    pub user_name: String,
    pub status: VerificationStatus,
    pub submitted_at: DateTime<Utc>,
    /// The email of the instance administrator who decided.
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
    /// The organisation's slug, once verified.
    pub organisation: Option<String>,
}

/// A registration to store. The password is given in clear and stored hashed.
#[derive(Debug, Clone)]
pub struct NewSupplierRegistration<'a> {
    pub facts: &'a SupplierFacts,
    pub contact: &'a ContactDetails,
    pub user_email: &'a str,
    pub user_name: &'a str,
    pub password: &'a str,
}

/// What an email and password open, checked with one password verification whichever it
/// is, so that the time taken tells nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInCheck {
    /// An enabled user.
    User(User),
    /// No user has the email, but a registration waiting for verification, or refused,
    /// has these credentials (the newest such registration).
    Registration(Box<SupplierRegistration>),
    /// Nothing matches.
    Failed,
}

#[derive(Debug, FromRow)]
struct RegistrationRow {
    id: i64,
    slug: String,
    name: String,
    legal_form: String,
    sme: bool,
    vcse: bool,
    public_service_mutual: bool,
    description: String,
    contact_email: String,
    contact_phone: String,
    website: String,
    address: String,
    user_email: String,
    user_name: String,
    status: String,
    submitted_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decision_note: String,
    organisation: Option<String>,
}

impl RegistrationRow {
    fn into_registration(
        self,
        identifiers: Vec<String>,
    ) -> Result<SupplierRegistration, StoreError> {
        let identifiers = identifiers
            .iter()
            .map(|v| decode::<OrgId>(v, "supplier_registration_identifiers.value"))
            .collect::<Result<_, _>>()?;
        Ok(SupplierRegistration {
            id: self.id,
            facts: SupplierFacts {
                slug: Slug::parse(&self.slug).map_err(|e| {
                    StoreError::Database(sqlx::Error::Decode(
                        format!("column supplier_registrations.slug: {e}").into(),
                    ))
                })?,
                name: self.name,
                legal_form: decode(&self.legal_form, "supplier_registrations.legal_form")?,
                sme: self.sme,
                vcse: self.vcse,
                public_service_mutual: self.public_service_mutual,
                identifiers,
            },
            contact: ContactDetails {
                description: self.description,
                email: self.contact_email,
                phone: self.contact_phone,
                website: self.website,
                address: self.address,
            },
            user_email: self.user_email,
            user_name: self.user_name,
            status: decode(&self.status, "supplier_registrations.status")?,
            submitted_at: self.submitted_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            decision_note: self.decision_note,
            organisation: self.organisation,
        })
    }
}

macro_rules! select_registration {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.slug, r.name, r.legal_form, r.sme, r.vcse, r.public_service_mutual, \
             r.description, r.contact_email, r.contact_phone, r.website, r.address, r.user_email, \
             r.user_name, r.status, r.submitted_at, d.email AS decided_by, r.decided_at, \
             r.decision_note, o.slug AS organisation FROM supplier_registrations r \
             LEFT JOIN users d ON d.id = r.decided_by \
             LEFT JOIN organisations o ON o.id = r.organisation_id ",
            $tail
        )
    };
}

const ALL: &str = select_registration!("ORDER BY r.id DESC");
const WITH_STATUS: &str = select_registration!("WHERE r.status = $1 ORDER BY r.id");
const BY_ID: &str = select_registration!("WHERE r.id = $1");
const ALL_IDENTIFIERS: &str =
    "SELECT registration_id, value FROM supplier_registration_identifiers ORDER BY value";
const IDENTIFIERS_OF: &str = "SELECT registration_id, value FROM supplier_registration_identifiers \
    WHERE registration_id = $1 ORDER BY value";
const PENDING_WITH_SLUG: &str =
    "SELECT id FROM supplier_registrations WHERE slug = $1 AND status = 'pending'";
const PENDING_WITH_EMAIL: &str =
    "SELECT id FROM supplier_registrations WHERE user_email = $1 AND status = 'pending'";
const PENDING_WITH_IDENTIFIER: &str = "SELECT r.id FROM supplier_registration_identifiers i \
    JOIN supplier_registrations r ON r.id = i.registration_id \
    WHERE i.value = $1 AND r.status = 'pending'";
const ORGANISATION_WITH_IDENTIFIER: &str = "SELECT o.slug FROM organisation_identifiers i \
    JOIN organisations o ON o.id = i.organisation_id WHERE i.value = $1";
const USER_WITH_EMAIL: &str = "SELECT id FROM users WHERE email = $1";
const INSERT: &str = "INSERT INTO supplier_registrations \
    (slug, name, legal_form, sme, vcse, public_service_mutual, description, contact_email, \
     contact_phone, website, address, user_email, user_name, password_hash, status, submitted_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending', $15) RETURNING id";
const INSERT_IDENTIFIER: &str =
    "INSERT INTO supplier_registration_identifiers (registration_id, value) VALUES ($1, $2)";
const PASSWORD_HASH_OF: &str = "SELECT password_hash FROM supplier_registrations WHERE id = $1";
const VERIFY: &str = "UPDATE supplier_registrations SET status = 'verified', decided_by = $2, \
    decided_at = $3, decision_note = $4, organisation_id = $5, user_id = $6, password_hash = '' \
    WHERE id = $1 AND status = 'pending'";
const REFUSE: &str = "UPDATE supplier_registrations SET status = 'refused', decided_by = $2, \
    decided_at = $3, decision_note = $4 WHERE id = $1 AND status = 'pending'";
const USER_PASSWORD: &str =
    "SELECT id, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL";
/// The newest undecided or refused registration of an email that no user has.
const REGISTRATION_PASSWORD: &str = "SELECT r.id, r.password_hash FROM supplier_registrations r \
    WHERE r.user_email = $1 AND r.status <> 'verified' \
    AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = $1) ORDER BY r.id DESC LIMIT 1";

/// The longest first user's name.
const MAX_NAME: usize = 200;

fn contact_field(field: &str) -> String {
    match field {
        "email" => "contact_email".into(),
        "phone" => "contact_phone".into(),
        other => other.into(),
    }
}

/// Checks a registration as a whole, naming the first field that is wrong; returns the
/// normalised email and name.
fn check(new: &NewSupplierRegistration<'_>) -> Result<(String, String), StoreError> {
    new.facts
        .validate()
        .map_err(|e| StoreError::invalid(e.field, e.message))?;
    let email = normalise_email(new.user_email).map_err(|_| {
        StoreError::invalid(
            "user_email",
            format!("`{}` is not an email address", new.user_email.trim()),
        )
    })?;
    // After the user's email: the contact email may be a copy of it.
    new.contact
        .validate()
        .map_err(|e| StoreError::invalid(contact_field(e.field), e.message))?;
    let name = new.user_name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(StoreError::invalid(
            "user_name",
            format!("give your name, at most {MAX_NAME} characters"),
        ));
    }
    check_new_password(new.password)?;
    Ok((email, name.to_owned()))
}

impl Store {
    /// Stores a supplier's registration, waiting for verification, audited as
    /// `supplier_registration.submit` (by no user: the applicant has no account yet).
    ///
    /// Refused whole, with nothing written, when a field breaks a rule (invalid, naming the
    /// field), or when the slug, an identifier or the email is already an organisation's, a
    /// user's, or claimed by another registration waiting for verification (a conflict
    /// naming the field).
    pub async fn register_supplier(
        &self,
        new: &NewSupplierRegistration<'_>,
    ) -> Result<SupplierRegistration, StoreError> {
        let (email, name) = check(new)?;
        let contact = new.contact.trimmed();
        let hash = {
            let password = new.password.to_owned();
            tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| StoreError::Unsupported(format!("password hashing failed: {e}")))?
        };
        let facts = new.facts;
        let mut tx = self.begin_write().await?;
        tx.check_unclaimed(facts, &email).await?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(facts.slug.as_str())
            .bind(facts.name.trim())
            .bind(facts.legal_form.as_str())
            .bind(facts.sme)
            .bind(facts.vcse)
            .bind(facts.public_service_mutual)
            .bind(&contact.description)
            .bind(&contact.email)
            .bind(&contact.phone)
            .bind(&contact.website)
            .bind(&contact.address)
            .bind(&email)
            .bind(&name)
            .bind(&hash)
            .bind(now)
            .fetch_one(c)
            .await)?;
        for identifier in &facts.identifiers {
            let value = identifier.to_string();
            on_tx!(tx, c => sqlx::query(INSERT_IDENTIFIER).bind(id).bind(&value).execute(c).await.map(crate::backend::affected))?;
        }
        tx.audit(
            &Actor::system(),
            "supplier_registration.submit",
            "supplier_registration",
            &id.to_string(),
            json!({"facts": facts, "contact": contact, "user_email": email, "user_name": name,
                   "via": "self-registration"}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_registration(id).await
    }

    /// The registrations with this status (oldest first), or every registration (newest
    /// first).
    pub async fn list_supplier_registrations(
        &self,
        status: Option<VerificationStatus>,
    ) -> Result<Vec<SupplierRegistration>, StoreError> {
        let rows: Vec<RegistrationRow> = match status {
            Some(s) => on_each_backend!(self, pool =>
                sqlx::query_as(WITH_STATUS).bind(s.as_str()).fetch_all(pool).await)?,
            None => on_each_backend!(self, pool => sqlx::query_as(ALL).fetch_all(pool).await)?,
        };
        let ids: Vec<(i64, String)> = on_each_backend!(self, pool =>
            sqlx::query_as(ALL_IDENTIFIERS).fetch_all(pool).await)?;
        let mut by_registration: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (registration, value) in ids {
            by_registration.entry(registration).or_default().push(value);
        }
        rows.into_iter()
            .map(|r| {
                let ids = by_registration.remove(&r.id).unwrap_or_default();
                r.into_registration(ids)
            })
            .collect()
    }

    /// The registration with this id.
    pub async fn supplier_registration(
        &self,
        id: i64,
    ) -> Result<Option<SupplierRegistration>, StoreError> {
        let row: Option<RegistrationRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        let ids: Vec<(i64, String)> = on_each_backend!(self, pool =>
            sqlx::query_as(IDENTIFIERS_OF).bind(id).fetch_all(pool).await)?;
        row.into_registration(ids.into_iter().map(|(_, v)| v).collect())
            .map(Some)
    }

    /// Verifies a pending registration with the administrator's corrections, in one
    /// transaction: the organisation is created from the (corrected) facts with the
    /// contact details, its first user is created as a provider with the password chosen at
    /// registration, and the registration records the decision. Audited as
    /// `organisation.create`, `organisation.contact`, `user.create` and
    /// `supplier_registration.verify` (with the corrections that changed a claim). A
    /// decided registration, or a slug, identifier or email taken meanwhile, is a conflict
    /// and nothing is written.
    pub async fn verify_supplier_registration(
        &self,
        id: i64,
        corrections: &FactCorrections,
        note: &str,
        actor: &Actor,
    ) -> Result<SupplierRegistration, StoreError> {
        let note = note.trim();
        let mut tx = self.begin_write().await?;
        let registration = tx.pending_registration(id).await?;
        let facts = corrections.apply(&registration.facts);
        facts
            .validate()
            .map_err(|e| StoreError::invalid(e.field, e.message))?;
        tx.check_unclaimed_by_others(&facts, &registration.user_email, id)
            .await?;
        let organisation = tx.insert_organisation(&facts.draft(), actor).await?;
        if registration.contact != ContactDetails::default() {
            tx.update_contact(organisation, &registration.contact, actor)
                .await?;
        }
        let hash: String =
            on_tx!(tx, c => sqlx::query_scalar(PASSWORD_HASH_OF).bind(id).fetch_one(c).await)?;
        let user = UserToInsert {
            email: &registration.user_email,
            name: &registration.user_name,
            password_hash: &hash,
            role: Role::Provider,
            organisation_id: organisation,
            organisation: facts.slug.as_str(),
        };
        let user_id = tx.insert_user(&user, actor).await?;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(VERIFY)
            .bind(id)
            .bind(actor.user_id)
            .bind(now)
            .bind(note)
            .bind(organisation)
            .bind(user_id)
            .execute(c)
            .await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "supplier_registration.verify",
            "supplier_registration",
            &id.to_string(),
            json!({"organisation": facts.slug, "user": registration.user_email,
                   "corrections": corrections.changes(&registration.facts), "note": note}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_registration(id).await
    }

    /// Refuses a pending registration with a note saying why, audited as
    /// `supplier_registration.refuse`. Nothing else is written; the slug, identifiers and
    /// email are free again. A decided registration is a conflict.
    pub async fn refuse_supplier_registration(
        &self,
        id: i64,
        note: &str,
        actor: &Actor,
    ) -> Result<SupplierRegistration, StoreError> {
        let note = note.trim();
        if note.is_empty() {
            return Err(StoreError::invalid(
                "note",
                "say why the registration is refused: the applicant is shown it",
            ));
        }
        let mut tx = self.begin_write().await?;
        tx.pending_registration(id).await?;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(REFUSE)
            .bind(id)
            .bind(actor.user_id)
            .bind(now)
            .bind(note)
            .execute(c)
            .await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "supplier_registration.refuse",
            "supplier_registration",
            &id.to_string(),
            json!({"note": note}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_registration(id).await
    }

    /// What an email and password open: an enabled user, else a registration waiting for
    /// verification or refused (when no user has the email), else nothing. One password
    /// hash is verified whatever the case.
    pub async fn check_sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<SignInCheck, StoreError> {
        let email = email.trim().to_lowercase();
        let user: Option<(i64, String)> = on_each_backend!(self, pool =>
            sqlx::query_as(USER_PASSWORD).bind(&email).fetch_optional(pool).await)?;
        let registration: Option<(i64, String)> = match user {
            Some(_) => None,
            None => on_each_backend!(self, pool =>
                sqlx::query_as(REGISTRATION_PASSWORD).bind(&email).fetch_optional(pool).await)?,
        };
        let hash = match (&user, &registration) {
            (Some((_, h)), _) | (None, Some((_, h))) => h.clone(),
            (None, None) => dummy_hash().to_owned(),
        };
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .unwrap_or(false);
        if !ok {
            return Ok(SignInCheck::Failed);
        }
        match (user, registration) {
            (Some((id, _)), _) => Ok(self
                .user_by_id(id)
                .await?
                .map_or(SignInCheck::Failed, SignInCheck::User)),
            (None, Some((id, _))) => Ok(self
                .supplier_registration(id)
                .await?
                .map_or(SignInCheck::Failed, |r| {
                    SignInCheck::Registration(Box::new(r))
                })),
            (None, None) => Ok(SignInCheck::Failed),
        }
    }

    async fn must_find_registration(&self, id: i64) -> Result<SupplierRegistration, StoreError> {
        self.supplier_registration(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("supplier registration {id}")))
    }
}

impl WriteTx {
    /// The registration with this id, which must be waiting for a decision.
    async fn pending_registration(&mut self, id: i64) -> Result<SupplierRegistration, StoreError> {
        let row: Option<RegistrationRow> =
            on_tx!(self, c => sqlx::query_as(BY_ID).bind(id).fetch_optional(c).await)?;
        let row = row.ok_or_else(|| StoreError::NotFound(format!("supplier registration {id}")))?;
        let ids: Vec<(i64, String)> =
            on_tx!(self, c => sqlx::query_as(IDENTIFIERS_OF).bind(id).fetch_all(c).await)?;
        let registration = row.into_registration(ids.into_iter().map(|(_, v)| v).collect())?;
        if registration.status != VerificationStatus::Pending {
            return Err(StoreError::Conflict(format!(
                "supplier registration {id} was already {}",
                registration.status
            )));
        }
        Ok(registration)
    }

    /// Refuses a slug, identifier or email that an organisation, a user or a pending
    /// registration already has.
    async fn check_unclaimed(
        &mut self,
        facts: &SupplierFacts,
        email: &str,
    ) -> Result<(), StoreError> {
        self.check_unclaimed_by_others(facts, email, 0).await
    }

    /// [`WriteTx::check_unclaimed`], leaving registration `own` out of the pending ones.
    async fn check_unclaimed_by_others(
        &mut self,
        facts: &SupplierFacts,
        email: &str,
        own: i64,
    ) -> Result<(), StoreError> {
        let slug = facts.slug.as_str();
        if self.organisation_id(slug).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "slug: an organisation already has the slug `{slug}`: choose another"
            )));
        }
        let pending: Vec<i64> = on_tx!(self, c =>
            sqlx::query_scalar(PENDING_WITH_SLUG).bind(slug).fetch_all(c).await)?;
        if pending.iter().any(|p| *p != own) {
            return Err(StoreError::Conflict(format!(
                "slug: `{slug}` is claimed by another registration waiting for verification: choose another"
            )));
        }
        for identifier in &facts.identifiers {
            let value = identifier.to_string();
            let holder: Option<String> = on_tx!(self, c => sqlx::query_scalar(ORGANISATION_WITH_IDENTIFIER)
                .bind(&value).fetch_optional(c).await)?;
            if let Some(holder) = holder {
                return Err(StoreError::Conflict(format!(
                    "identifiers: `{value}` already belongs to organisation `{holder}`"
                )));
            }
            let pending: Vec<i64> = on_tx!(self, c =>
                sqlx::query_scalar(PENDING_WITH_IDENTIFIER).bind(&value).fetch_all(c).await)?;
            if pending.iter().any(|p| *p != own) {
                return Err(StoreError::Conflict(format!(
                    "identifiers: `{value}` is claimed by another registration waiting for verification"
                )));
            }
        }
        let user: Option<i64> = on_tx!(self, c =>
            sqlx::query_scalar(USER_WITH_EMAIL).bind(email).fetch_optional(c).await)?;
        if user.is_some() {
            return Err(StoreError::Conflict(format!(
                "user_email: a user with the email `{email}` already exists: sign in instead, or use another address"
            )));
        }
        let pending: Vec<i64> = on_tx!(self, c =>
            sqlx::query_scalar(PENDING_WITH_EMAIL).bind(email).fetch_all(c).await)?;
        if pending.iter().any(|p| *p != own) {
            return Err(StoreError::Conflict(format!(
                "user_email: a registration with the email `{email}` is already waiting for verification"
            )));
        }
        Ok(())
    }
}
