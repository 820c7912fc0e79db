//! Organisations and their registration identifiers.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::organisation::{ContactDetails, LegalForm, OrgKind, OrganisationDraft};
use ngc_domain::slug::Slug;
use serde::Serialize;
use sqlx::FromRow;
use std::collections::BTreeMap;

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub legal_form: LegalForm,
    pub sme: bool,
    pub vcse: bool,
    pub public_service_mutual: bool,
    pub identifiers: Vec<String>,
    pub owner: Option<String>,
    /// The owning organisation's name.
    pub owner_name: Option<String>,
    /// Contact details and description, which the organisation's own users edit.
    pub contact: ContactDetails,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, FromRow)]
struct OrganisationRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    legal_form: String,
    sme: bool,
    vcse: bool,
    public_service_mutual: bool,
    owner_slug: Option<String>,
    owner_name: Option<String>,
    description: String,
    contact_email: String,
    contact_phone: String,
    website: String,
    address: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

pub(crate) fn decode<T: std::str::FromStr>(value: &str, column: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e: T::Err| {
        StoreError::Database(sqlx::Error::Decode(format!("column {column}: {e}").into()))
    })
}

impl OrganisationRow {
    fn into_organisation(self, identifiers: Vec<String>) -> Result<Organisation, StoreError> {
        Ok(Organisation {
            id: self.id,
            kind: decode(&self.kind, "organisations.kind")?,
            legal_form: decode(&self.legal_form, "organisations.legal_form")?,
            slug: self.slug,
            name: self.name,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
            identifiers,
            owner: self.owner_slug,
            owner_name: self.owner_name,
            contact: ContactDetails {
                description: self.description,
                email: self.contact_email,
                phone: self.contact_phone,
                website: self.website,
                address: self.address,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The columns of an organisation row; each query below adds its own tail.
macro_rules! select_organisation {
    ($tail:literal) => {
        concat!(
            "SELECT o.id, o.slug, o.name, o.kind, o.legal_form, o.sme, o.vcse, \
             o.public_service_mutual, w.slug AS owner_slug, w.name AS owner_name, o.description, o.contact_email, \
             o.contact_phone, o.website, o.address, o.created_at, o.updated_at \
             FROM organisations o LEFT JOIN organisations w ON w.id = o.owner_id ",
            $tail
        )
    };
}

const LIST: &str = select_organisation!("ORDER BY o.name");
const BY_SLUG: &str = select_organisation!("WHERE o.slug = $1");
const BY_ID: &str = select_organisation!("WHERE o.id = $1");
const ALL_IDENTIFIERS: &str =
    "SELECT organisation_id, value FROM organisation_identifiers ORDER BY value";
const IDENTIFIERS_OF: &str = "SELECT organisation_id, value FROM organisation_identifiers WHERE organisation_id = $1 ORDER BY value";
const ID_BY_SLUG: &str = "SELECT id FROM organisations WHERE slug = $1";
const INSERT: &str = "INSERT INTO organisations \
    (slug, name, kind, legal_form, sme, vcse, public_service_mutual, owner_id, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
const UPDATE: &str = "UPDATE organisations SET name = $2, kind = $3, legal_form = $4, sme = $5, \
    vcse = $6, public_service_mutual = $7, owner_id = $8, updated_at = $9 WHERE id = $1";
const UPDATE_CONTACT: &str = "UPDATE organisations SET description = $2, contact_email = $3, \
    contact_phone = $4, website = $5, address = $6, updated_at = $7 WHERE id = $1";
const DELETE_IDENTIFIERS: &str = "DELETE FROM organisation_identifiers WHERE organisation_id = $1";
const INSERT_IDENTIFIER: &str =
    "INSERT INTO organisation_identifiers (organisation_id, value) VALUES ($1, $2)";
const IDENTIFIER_OWNER: &str = "SELECT o.slug FROM organisation_identifiers i \
    JOIN organisations o ON o.id = i.organisation_id WHERE i.value = $1 AND i.organisation_id <> $2";

impl Store {
    /// Every organisation, by name.
    pub async fn list_organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        let rows: Vec<OrganisationRow> =
            on_each_backend!(self, pool => sqlx::query_as(LIST).fetch_all(pool).await)?;
        let ids: Vec<(i64, String)> =
            on_each_backend!(self, pool => sqlx::query_as(ALL_IDENTIFIERS).fetch_all(pool).await)?;
        let mut by_org: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (org, value) in ids {
            by_org.entry(org).or_default().push(value);
        }
        rows.into_iter()
            .map(|r| {
                let ids = by_org.remove(&r.id).unwrap_or_default();
                r.into_organisation(ids)
            })
            .collect()
    }

    /// The organisation with this slug.
    pub async fn organisation_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<Organisation>, StoreError> {
        let row: Option<OrganisationRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_SLUG).bind(slug).fetch_optional(pool).await)?;
        self.with_identifiers(row).await
    }

    /// The organisation with this id.
    pub async fn organisation_by_id(&self, id: i64) -> Result<Option<Organisation>, StoreError> {
        let row: Option<OrganisationRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await)?;
        self.with_identifiers(row).await
    }

    async fn with_identifiers(
        &self,
        row: Option<OrganisationRow>,
    ) -> Result<Option<Organisation>, StoreError> {
        let Some(row) = row else { return Ok(None) };
        let ids: Vec<(i64, String)> = on_each_backend!(self, pool =>
            sqlx::query_as(IDENTIFIERS_OF).bind(row.id).fetch_all(pool).await)?;
        row.into_organisation(ids.into_iter().map(|(_, v)| v).collect())
            .map(Some)
    }

    /// Creates an organisation; a taken slug or identifier is a conflict naming it.
    pub async fn create_organisation(
        &self,
        draft: &OrganisationDraft,
        actor: &Actor,
    ) -> Result<Organisation, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = tx.insert_organisation(draft, actor).await?;
        tx.commit().await?;
        self.must_find_organisation(id).await
    }

    /// Updates the organisation with `slug` (the slug itself never changes).
    pub async fn update_organisation(
        &self,
        slug: &str,
        draft: &OrganisationDraft,
        actor: &Actor,
    ) -> Result<Organisation, StoreError> {
        if draft.slug.as_str() != slug {
            return Err(StoreError::invalid("slug", "a slug cannot be changed"));
        }
        let mut tx = self.begin_write().await?;
        let id = tx
            .organisation_id(slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation `{slug}`")))?;
        tx.update_organisation(id, draft, actor).await?;
        tx.commit().await?;
        self.must_find_organisation(id).await
    }

    /// Edits the organisation with `slug` in one transaction: its registration facts when
    /// `registration` is given, its contact details when `contact` is given. Each part is
    /// audited on its own (`organisation.update`, `organisation.contact`).
    pub async fn edit_organisation(
        &self,
        slug: &str,
        registration: Option<&OrganisationDraft>,
        contact: Option<&ContactDetails>,
        actor: &Actor,
    ) -> Result<Organisation, StoreError> {
        if let Some(draft) = registration
            && draft.slug.as_str() != slug
        {
            return Err(StoreError::invalid("slug", "a slug cannot be changed"));
        }
        let mut tx = self.begin_write().await?;
        let id = tx
            .organisation_id(slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation `{slug}`")))?;
        if let Some(draft) = registration {
            tx.update_organisation(id, draft, actor).await?;
        }
        if let Some(contact) = contact {
            tx.update_contact(id, contact, actor).await?;
        }
        tx.commit().await?;
        self.must_find_organisation(id).await
    }

    async fn must_find_organisation(&self, id: i64) -> Result<Organisation, StoreError> {
        self.organisation_by_id(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation {id}")))
    }
}

impl Organisation {
    /// The organisation as a draft, to compare with an incoming one; `None` if a stored
    /// slug or identifier no longer reads (it will be rewritten).
    pub fn draft(&self) -> Option<OrganisationDraft> {
        Some(OrganisationDraft {
            slug: Slug::parse(&self.slug).ok()?,
            name: self.name.clone(),
            kind: self.kind,
            legal_form: self.legal_form,
            sme: self.sme,
            vcse: self.vcse,
            public_service_mutual: self.public_service_mutual,
            identifiers: self
                .identifiers
                .iter()
                .map(|v| v.parse())
                .collect::<Result<_, _>>()
                .ok()?,
            owner: self.owner.as_deref().and_then(|s| Slug::parse(s).ok()),
        })
    }
}

impl WriteTx {
    /// The organisation with this slug, seen inside the transaction.
    pub(crate) async fn organisation(
        &mut self,
        slug: &str,
    ) -> Result<Option<Organisation>, StoreError> {
        let row: Option<OrganisationRow> = on_tx!(self, c =>
            sqlx::query_as(BY_SLUG).bind(slug).fetch_optional(c).await)?;
        let Some(row) = row else { return Ok(None) };
        let ids: Vec<(i64, String)> = on_tx!(self, c =>
            sqlx::query_as(IDENTIFIERS_OF).bind(row.id).fetch_all(c).await)?;
        row.into_organisation(ids.into_iter().map(|(_, v)| v).collect())
            .map(Some)
    }

    /// The id of the organisation with this slug, seen inside the transaction.
    pub(crate) async fn organisation_id(&mut self, slug: &str) -> Result<Option<i64>, StoreError> {
        Ok(on_tx!(self, c => sqlx::query_scalar(ID_BY_SLUG).bind(slug).fetch_optional(c).await)?)
    }

    async fn owner_id(&mut self, draft: &OrganisationDraft) -> Result<Option<i64>, StoreError> {
        match &draft.owner {
            None => Ok(None),
            Some(owner) => self
                .organisation_id(owner.as_str())
                .await?
                .map(Some)
                .ok_or_else(|| {
                    StoreError::invalid("owner", format!("no organisation has the slug `{owner}`"))
                }),
        }
    }

    pub(crate) async fn insert_organisation(
        &mut self,
        draft: &OrganisationDraft,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        draft
            .validate()
            .map_err(|e| StoreError::invalid(e.field(), e.to_string()))?;
        if self.organisation_id(draft.slug.as_str()).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "an organisation with the slug `{}` already exists",
                draft.slug
            )));
        }
        let owner = self.owner_id(draft).await?;
        let now = self.now();
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT)
            .bind(draft.slug.as_str())
            .bind(draft.name.trim())
            .bind(draft.kind.as_str())
            .bind(draft.legal_form.as_str())
            .bind(draft.sme)
            .bind(draft.vcse)
            .bind(draft.public_service_mutual)
            .bind(owner)
            .bind(now)
            .fetch_one(c)
            .await)?;
        self.write_identifiers(id, draft).await?;
        self.audit(
            actor,
            "organisation.create",
            "organisation",
            &id.to_string(),
            serde_json::to_value(draft).unwrap_or_default(),
        )
        .await?;
        Ok(id)
    }

    pub(crate) async fn update_organisation(
        &mut self,
        id: i64,
        draft: &OrganisationDraft,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        draft
            .validate()
            .map_err(|e| StoreError::invalid(e.field(), e.to_string()))?;
        let owner = self.owner_id(draft).await?;
        let now = self.now();
        on_tx!(self, c => sqlx::query(UPDATE)
            .bind(id)
            .bind(draft.name.trim())
            .bind(draft.kind.as_str())
            .bind(draft.legal_form.as_str())
            .bind(draft.sme)
            .bind(draft.vcse)
            .bind(draft.public_service_mutual)
            .bind(owner)
            .bind(now)
            .execute(c)
            .await.map(crate::backend::affected))?;
        on_tx!(self, c => sqlx::query(DELETE_IDENTIFIERS).bind(id).execute(c).await.map(crate::backend::affected))?;
        self.write_identifiers(id, draft).await?;
        self.audit(
            actor,
            "organisation.update",
            "organisation",
            &id.to_string(),
            serde_json::to_value(draft).unwrap_or_default(),
        )
        .await
    }

    /// Replaces an organisation's contact details and description, audited.
    pub(crate) async fn update_contact(
        &mut self,
        id: i64,
        contact: &ContactDetails,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let contact = contact.trimmed();
        contact
            .validate()
            .map_err(|e| StoreError::invalid(e.field, e.message))?;
        let now = self.now();
        on_tx!(self, c => sqlx::query(UPDATE_CONTACT)
            .bind(id)
            .bind(&contact.description)
            .bind(&contact.email)
            .bind(&contact.phone)
            .bind(&contact.website)
            .bind(&contact.address)
            .bind(now)
            .execute(c)
            .await.map(crate::backend::affected))?;
        self.audit(
            actor,
            "organisation.contact",
            "organisation",
            &id.to_string(),
            serde_json::to_value(&contact).unwrap_or_default(),
        )
        .await
    }

    async fn write_identifiers(
        &mut self,
        id: i64,
        draft: &OrganisationDraft,
    ) -> Result<(), StoreError> {
        for identifier in &draft.identifiers {
            let value = identifier.to_string();
            let holder: Option<String> = on_tx!(self, c => sqlx::query_scalar(IDENTIFIER_OWNER)
                .bind(&value)
                .bind(id)
                .fetch_optional(c)
                .await)?;
            if let Some(holder) = holder {
                return Err(StoreError::Conflict(format!(
                    "identifiers: `{value}` already belongs to organisation `{holder}`"
                )));
            }
            on_tx!(self, c => sqlx::query(INSERT_IDENTIFIER).bind(id).bind(&value).execute(c).await.map(crate::backend::affected))?;
        }
        Ok(())
    }
}
