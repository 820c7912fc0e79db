//! Partnerships and their memberships over time.

use crate::organisations::decode;
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::NaiveDate;
use ngc_domain::pack::PartnershipDraft;
use ngc_domain::partnership::{Membership, PartnershipKind, check_new_membership};
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A partnership with its members, past and present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partnership {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: PartnershipKind,
    pub lead: Option<String>,
    /// The lead organisation's name.
    pub lead_name: Option<String>,
    pub description: String,
    pub members: Vec<Member>,
}

/// One membership of a partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Member {
    #[serde(skip)]
    pub partnership_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_name: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

impl Member {
    /// Whether the membership is current on `day`.
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        Membership {
            joined_on: self.joined_on,
            left_on: self.left_on,
        }
        .is_active_on(day)
    }
}

#[derive(Debug, FromRow)]
struct PartnershipRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    lead_slug: Option<String>,
    lead_name: Option<String>,
    description: String,
}

macro_rules! select_partnership {
    ($tail:literal) => {
        concat!(
            "SELECT p.id, p.slug, p.name, p.kind, o.slug AS lead_slug, o.name AS lead_name, p.description \
             FROM partnerships p LEFT JOIN organisations o ON o.id = p.lead_id ",
            $tail
        )
    };
}
macro_rules! select_member {
    ($tail:literal) => {
        concat!(
            "SELECT m.partnership_id, m.organisation_id, o.slug AS organisation, \
             o.name AS organisation_name, m.joined_on, m.left_on \
             FROM memberships m JOIN organisations o ON o.id = m.organisation_id ",
            $tail
        )
    };
}

const LIST: &str = select_partnership!("ORDER BY p.name");
const BY_SLUG: &str = select_partnership!("WHERE p.slug = $1");
const ALL_MEMBERS: &str = select_member!("ORDER BY m.joined_on, o.name");
const MEMBERS_OF: &str = select_member!("WHERE m.partnership_id = $1 ORDER BY m.joined_on, o.name");
const MEMBERSHIPS_OF_ORG: &str = select_member!("WHERE m.organisation_id = $1");
const ID_BY_SLUG: &str = "SELECT id FROM partnerships WHERE slug = $1";
const INSERT: &str = "INSERT INTO partnerships (slug, name, kind, lead_id, description, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const UPDATE: &str =
    "UPDATE partnerships SET name = $2, kind = $3, lead_id = $4, description = $5 WHERE id = $1";
const MEMBERSHIPS_IN: &str = "SELECT joined_on, left_on FROM memberships \
    WHERE partnership_id = $1 AND organisation_id = $2";
const INSERT_MEMBER: &str = "INSERT INTO memberships (partnership_id, organisation_id, joined_on, left_on) \
    VALUES ($1, $2, $3, $4) RETURNING id";
const OPEN_MEMBERSHIP: &str = "SELECT id, joined_on FROM memberships \
    WHERE partnership_id = $1 AND organisation_id = $2 AND left_on IS NULL";
const END_MEMBERSHIP: &str = "UPDATE memberships SET left_on = $2 WHERE id = $1";

impl PartnershipRow {
    fn into_partnership(self, members: Vec<Member>) -> Result<Partnership, StoreError> {
        Ok(Partnership {
            id: self.id,
            kind: decode(&self.kind, "partnerships.kind")?,
            slug: self.slug,
            name: self.name,
            lead: self.lead_slug,
            lead_name: self.lead_name,
            description: self.description,
            members,
        })
    }
}

impl Store {
    /// Every partnership with its members.
    pub async fn list_partnerships(&self) -> Result<Vec<Partnership>, StoreError> {
        let rows: Vec<PartnershipRow> =
            on_each_backend!(self, pool => sqlx::query_as(LIST).fetch_all(pool).await)?;
        let mut members: Vec<Member> =
            on_each_backend!(self, pool => sqlx::query_as(ALL_MEMBERS).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                let (mine, rest) = members.drain(..).partition(|m| m.partnership_id == r.id);
                members = rest;
                r.into_partnership(mine)
            })
            .collect()
    }

    /// The partnership with this slug, with its members.
    pub async fn partnership_by_slug(&self, slug: &str) -> Result<Option<Partnership>, StoreError> {
        let row: Option<PartnershipRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_SLUG).bind(slug).fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        let members: Vec<Member> = on_each_backend!(self, pool =>
            sqlx::query_as(MEMBERS_OF).bind(row.id).fetch_all(pool).await)?;
        row.into_partnership(members).map(Some)
    }

    /// The memberships, past and present, of one organisation.
    pub async fn memberships_of(&self, organisation_id: i64) -> Result<Vec<Member>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(MEMBERSHIPS_OF_ORG).bind(organisation_id).fetch_all(pool).await)?)
    }

    /// Creates a partnership.
    pub async fn create_partnership(
        &self,
        draft: &PartnershipDraft,
        actor: &Actor,
    ) -> Result<Partnership, StoreError> {
        let mut tx = self.begin_write().await?;
        if tx.partnership_id(draft.slug.as_str()).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "a partnership with the slug `{}` already exists",
                draft.slug
            )));
        }
        tx.insert_partnership(draft, actor).await?;
        tx.commit().await?;
        self.must_find_partnership(draft.slug.as_str()).await
    }

    /// Replaces a partnership's name, kind, lead and description (the slug never changes).
    pub async fn update_partnership(
        &self,
        slug: &str,
        draft: &PartnershipDraft,
        actor: &Actor,
    ) -> Result<Partnership, StoreError> {
        if draft.slug.as_str() != slug {
            return Err(StoreError::invalid("slug", "a slug cannot be changed"));
        }
        let mut tx = self.begin_write().await?;
        let id = tx.must_partnership_id(slug).await?;
        tx.update_partnership(id, draft, actor).await?;
        tx.commit().await?;
        self.must_find_partnership(slug).await
    }

    /// Adds an organisation to a partnership from `joined_on`.
    pub async fn add_member(
        &self,
        partnership: &str,
        organisation: &str,
        membership: &Membership,
        actor: &Actor,
    ) -> Result<Partnership, StoreError> {
        let mut tx = self.begin_write().await?;
        let pid = tx.must_partnership_id(partnership).await?;
        let oid = tx.organisation_id(organisation).await?.ok_or_else(|| {
            StoreError::invalid(
                "organisation",
                format!("no organisation has the slug `{organisation}`"),
            )
        })?;
        tx.insert_membership(pid, oid, membership, actor).await?;
        tx.commit().await?;
        self.must_find_partnership(partnership).await
    }

    /// Records that an organisation left a partnership on `left_on`.
    pub async fn end_membership(
        &self,
        partnership: &str,
        organisation: &str,
        left_on: NaiveDate,
        actor: &Actor,
    ) -> Result<Partnership, StoreError> {
        let mut tx = self.begin_write().await?;
        let pid = tx.must_partnership_id(partnership).await?;
        let oid = tx
            .organisation_id(organisation)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation `{organisation}`")))?;
        tx.end_open_membership(pid, oid, left_on, actor).await?;
        tx.commit().await?;
        self.must_find_partnership(partnership).await
    }

    async fn must_find_partnership(&self, slug: &str) -> Result<Partnership, StoreError> {
        self.partnership_by_slug(slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("partnership `{slug}`")))
    }
}

impl WriteTx {
    pub(crate) async fn partnership_id(&mut self, slug: &str) -> Result<Option<i64>, StoreError> {
        Ok(on_tx!(self, c => sqlx::query_scalar(ID_BY_SLUG).bind(slug).fetch_optional(c).await)?)
    }

    async fn must_partnership_id(&mut self, slug: &str) -> Result<i64, StoreError> {
        self.partnership_id(slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("partnership `{slug}`")))
    }

    async fn lead_id(&mut self, draft: &PartnershipDraft) -> Result<Option<i64>, StoreError> {
        match &draft.lead {
            None => Ok(None),
            Some(lead) => self
                .organisation_id(lead.as_str())
                .await?
                .map(Some)
                .ok_or_else(|| {
                    StoreError::invalid("lead", format!("no organisation has the slug `{lead}`"))
                }),
        }
    }

    pub(crate) async fn insert_partnership(
        &mut self,
        draft: &PartnershipDraft,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        if draft.name.trim().is_empty() {
            return Err(StoreError::invalid("name", "must not be empty"));
        }
        let lead = self.lead_id(draft).await?;
        let now = self.now();
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT)
            .bind(draft.slug.as_str())
            .bind(draft.name.trim())
            .bind(draft.kind.as_str())
            .bind(lead)
            .bind(&draft.description)
            .bind(now)
            .fetch_one(c)
            .await)?;
        self.audit(
            actor,
            "partnership.create",
            "partnership",
            &id.to_string(),
            serde_json::to_value(draft).unwrap_or_default(),
        )
        .await?;
        Ok(id)
    }

    pub(crate) async fn update_partnership(
        &mut self,
        id: i64,
        draft: &PartnershipDraft,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        if draft.name.trim().is_empty() {
            return Err(StoreError::invalid("name", "must not be empty"));
        }
        let lead = self.lead_id(draft).await?;
        on_tx!(self, c => sqlx::query(UPDATE)
            .bind(id)
            .bind(draft.name.trim())
            .bind(draft.kind.as_str())
            .bind(lead)
            .bind(&draft.description)
            .execute(c)
            .await.map(crate::backend::affected))?;
        self.audit(
            actor,
            "partnership.update",
            "partnership",
            &id.to_string(),
            serde_json::to_value(draft).unwrap_or_default(),
        )
        .await
    }

    /// The memberships an organisation already has in a partnership.
    pub(crate) async fn memberships_in(
        &mut self,
        partnership_id: i64,
        organisation_id: i64,
    ) -> Result<Vec<Membership>, StoreError> {
        let rows: Vec<(NaiveDate, Option<NaiveDate>)> = on_tx!(self, c =>
            sqlx::query_as(MEMBERSHIPS_IN).bind(partnership_id).bind(organisation_id).fetch_all(c).await)?;
        Ok(rows
            .into_iter()
            .map(|(joined_on, left_on)| Membership { joined_on, left_on })
            .collect())
    }

    /// Ends an organisation's open membership of a partnership on `left_on`.
    pub(crate) async fn end_open_membership(
        &mut self,
        partnership_id: i64,
        organisation_id: i64,
        left_on: NaiveDate,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let open: Option<(i64, NaiveDate)> = on_tx!(self, c => sqlx::query_as(OPEN_MEMBERSHIP)
            .bind(partnership_id).bind(organisation_id).fetch_optional(c).await)?;
        let (mid, joined_on) = open.ok_or_else(|| {
            StoreError::invalid(
                "organisation",
                "the organisation is not a current member of the partnership",
            )
        })?;
        Membership::new(joined_on, Some(left_on))
            .map_err(|e| StoreError::invalid("left_on", e.to_string()))?;
        on_tx!(self, c => sqlx::query(END_MEMBERSHIP).bind(mid).bind(left_on).execute(c).await.map(crate::backend::affected))?;
        self.audit(
            actor,
            "membership.end",
            "membership",
            &mid.to_string(),
            json!({"partnership_id": partnership_id, "organisation_id": organisation_id, "left_on": left_on}),
        )
        .await
    }

    pub(crate) async fn insert_membership(
        &mut self,
        partnership_id: i64,
        organisation_id: i64,
        membership: &Membership,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let existing = self.memberships_in(partnership_id, organisation_id).await?;
        check_new_membership(&existing, membership)
            .map_err(|e| StoreError::invalid("joined_on", e.to_string()))?;
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_MEMBER)
            .bind(partnership_id)
            .bind(organisation_id)
            .bind(membership.joined_on)
            .bind(membership.left_on)
            .fetch_one(c)
            .await)?;
        self.audit(
            actor,
            "membership.create",
            "membership",
            &id.to_string(),
            json!({"partnership_id": partnership_id, "organisation_id": organisation_id,
                   "joined_on": membership.joined_on, "left_on": membership.left_on}),
        )
        .await?;
        Ok(id)
    }
}
