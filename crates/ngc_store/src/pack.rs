//! Loading a checked data pack in one transaction, all of it or nothing, as a three-way merge
//! keyed on natural keys (see `ngc_domain::merge`): each imported record keeps the pack's
//! version it came from (its base, in `import_bases`); on re-import a field the pack did not
//! change keeps the app's value, a field only the pack changed takes the pack's, and a field
//! both changed differently refuses the whole import. Records created in the app (or stored
//! before bases were kept) have no base and are never touched; `--replace` adopts them. A pack whose content hash equals the last import's writes nothing at all;
//! [`LoadMode::Replace`] makes the pack's version win (the replaced plan stays a revision).

use crate::plans::RevisionReason;
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_tx};
use ngc_domain::merge::{Conflict, Layout, merge};
use ngc_domain::organisation::OrganisationDraft;
use ngc_domain::pack::{DataPack, MembershipDraft, PartnershipDraft};
use ngc_domain::partnership::Membership;
use ngc_domain::slug::Slug;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// How an import treats records the app has changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LoadMode {
    /// A three-way merge: refused whole on a conflict.
    #[default]
    Merge,
    /// The pack's version wins wherever it differs (`--replace`).
    Replace,
}

/// What loading a pack did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadSummary {
    pub organisations_created: usize,
    pub organisations_updated: usize,
    pub partnerships_created: usize,
    pub partnerships_updated: usize,
    pub memberships_created: usize,
    pub memberships_updated: usize,
    pub plans_created: usize,
    /// Plans the pack's changes were merged into.
    pub plans_merged: usize,
    /// Plans the pack's version replaced (`--replace`); the replaced content stays a revision.
    pub plans_replaced: usize,
    pub unchanged: usize,
    /// The pack's content hash equalled the last import's, so nothing was written.
    pub same_content: bool,
    /// SHA-256 of the pack's content.
    pub content_sha256: String,
}

const PARTNERSHIP: &str = "SELECT p.id, p.name, p.kind, o.slug AS lead_slug, p.description \
    FROM partnerships p LEFT JOIN organisations o ON o.id = p.lead_id WHERE p.slug = $1";

fn parse<T: std::str::FromStr>(v: &str) -> Option<T> {
    v.parse().ok()
}

impl WriteTx {
    async fn stored_partnership(
        &mut self,
        slug: &str,
    ) -> Result<Option<(i64, Option<PartnershipDraft>)>, StoreError> {
        let row: Option<(i64, String, String, Option<String>, String)> = on_tx!(self, c =>
            sqlx::query_as(PARTNERSHIP).bind(slug).fetch_optional(c).await)?;
        let Some((id, name, kind, lead, description)) = row else {
            return Ok(None);
        };
        let draft = parse(&kind).map(|kind| PartnershipDraft {
            slug: Slug::parse(slug).expect("stored slugs are valid"),
            name,
            kind,
            lead: lead.and_then(|s| Slug::parse(&s).ok()),
            description,
        });
        Ok(Some((id, draft)))
    }
}

fn normalised(d: &OrganisationDraft) -> OrganisationDraft {
    let mut d = d.clone();
    d.name = d.name.trim().to_owned();
    d.identifiers.sort();
    d
}

/// Orders drafts so that every owner comes before the organisations it owns.
fn owners_first(drafts: &[OrganisationDraft]) -> Vec<&OrganisationDraft> {
    let in_pack: BTreeSet<&str> = drafts.iter().map(|d| d.slug.as_str()).collect();
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    let mut order = Vec::with_capacity(drafts.len());
    while order.len() < drafts.len() {
        let before = order.len();
        for d in drafts {
            let ready = d
                .owner
                .as_ref()
                .is_none_or(|o| !in_pack.contains(o.as_str()) || placed.contains(o.as_str()));
            if ready && !placed.contains(d.slug.as_str()) {
                placed.insert(d.slug.as_str());
                order.push(d);
            }
        }
        if order.len() == before {
            // An ownership cycle: let the store report the missing owner.
            order.extend(drafts.iter().filter(|d| !placed.contains(d.slug.as_str())));
        }
    }
    order
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

fn from_json<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, StoreError> {
    serde_json::from_value(value)
        .map_err(|e| StoreError::invalid(what, format!("the merged {what} does not read: {e}")))
}

/// A conflict as the store's error: one line naming file, row, field and the three values.
fn conflict(c: Box<Conflict>) -> StoreError {
    StoreError::Conflict(c.to_string())
}

/// The merged value of a record, or the pack's under [`LoadMode::Replace`].
fn merged(
    mode: LoadMode,
    base: Option<&Value>,
    app: &Value,
    pack: &Value,
    layout: &Layout,
) -> Result<Value, StoreError> {
    match mode {
        LoadMode::Replace => Ok(pack.clone()),
        LoadMode::Merge => merge(base, app, pack, layout).map_err(conflict),
    }
}

/// What the merge makes of a stored row (`ours`, `None` when it no longer reads and is
/// rewritten from the pack): `None` when it stays as it is, else the row to write.
fn merge_stored(
    mode: LoadMode,
    base: Option<&Value>,
    ours: Option<Value>,
    theirs: &Value,
    layout: &Layout,
) -> Result<Option<Value>, StoreError> {
    let result = match &ours {
        None => theirs.clone(),
        Some(ours) => merged(mode, base, ours, theirs, layout)?,
    };
    Ok((Some(&result) != ours.as_ref()).then_some(result))
}

fn membership_key(m: &MembershipDraft) -> String {
    format!("{}/{}/{}", m.partnership, m.organisation, m.joined_on)
}

impl WriteTx {
    /// Records the pack's version as the record's base, unless the record was left alone for
    /// having none (made in the app): under a merge it stays the app's, untouched.
    async fn keep_base(
        &mut self,
        mode: LoadMode,
        kind: &str,
        key: &str,
        managed: bool,
        theirs: &Value,
    ) -> Result<(), StoreError> {
        if managed || mode == LoadMode::Replace {
            self.set_import_base(kind, key, theirs).await?;
        }
        Ok(())
    }
}

const UPDATE_LEFT_ON: &str = "UPDATE memberships SET left_on = $4 \
    WHERE partnership_id = $1 AND organisation_id = $2 AND joined_on = $3";

impl WriteTx {
    async fn merge_organisations(
        &mut self,
        pack: &DataPack,
        mode: LoadMode,
        actor: &Actor,
        sum: &mut LoadSummary,
    ) -> Result<(), StoreError> {
        for draft in owners_first(&pack.organisations) {
            let slug = draft.slug.as_str();
            let theirs = to_json(&normalised(draft));
            let base = self.import_base("organisation", slug).await?;
            let stored = self.organisation(slug).await?.map(|o| (o.id, o.draft()));
            let created = stored.is_none();
            match stored {
                None => {
                    self.insert_organisation(draft, actor).await?;
                    sum.organisations_created += 1;
                }
                Some((id, stored)) => {
                    let ours = stored.as_ref().map(|d| to_json(&normalised(d)));
                    let layout = Layout::row("organisations.csv", "slug", slug);
                    match merge_stored(mode, base.as_ref(), ours, &theirs, &layout)? {
                        None => sum.unchanged += 1,
                        Some(result) => {
                            let draft: OrganisationDraft = from_json(result, "organisation")?;
                            self.update_organisation(id, &draft, actor).await?;
                            sum.organisations_updated += 1;
                        }
                    }
                }
            }
            self.keep_base(
                mode,
                "organisation",
                slug,
                base.is_some() || created,
                &theirs,
            )
            .await?;
        }
        Ok(())
    }

    async fn merge_partnerships(
        &mut self,
        pack: &DataPack,
        mode: LoadMode,
        actor: &Actor,
        sum: &mut LoadSummary,
    ) -> Result<(), StoreError> {
        for draft in &pack.partnerships {
            let slug = draft.slug.as_str();
            let theirs = to_json(draft);
            let base = self.import_base("partnership", slug).await?;
            let stored = self.stored_partnership(slug).await?;
            let created = stored.is_none();
            match stored {
                None => {
                    self.insert_partnership(draft, actor).await?;
                    sum.partnerships_created += 1;
                }
                Some((id, stored)) => {
                    let ours = stored.as_ref().map(to_json);
                    let layout = Layout::row("partnerships.csv", "slug", slug);
                    match merge_stored(mode, base.as_ref(), ours, &theirs, &layout)? {
                        None => sum.unchanged += 1,
                        Some(result) => {
                            let draft: PartnershipDraft = from_json(result, "partnership")?;
                            self.update_partnership(id, &draft, actor).await?;
                            sum.partnerships_updated += 1;
                        }
                    }
                }
            }
            self.keep_base(
                mode,
                "partnership",
                slug,
                base.is_some() || created,
                &theirs,
            )
            .await?;
        }
        Ok(())
    }

    async fn merge_memberships(
        &mut self,
        pack: &DataPack,
        mode: LoadMode,
        actor: &Actor,
        sum: &mut LoadSummary,
    ) -> Result<(), StoreError> {
        for m in &pack.memberships {
            let pid = self
                .partnership_id(m.partnership.as_str())
                .await?
                .ok_or_else(|| {
                    StoreError::invalid(
                        "partnership",
                        format!("no partnership has the slug `{}`", m.partnership),
                    )
                })?;
            let oid = self
                .organisation_id(m.organisation.as_str())
                .await?
                .ok_or_else(|| {
                    StoreError::invalid(
                        "organisation",
                        format!("no organisation has the slug `{}`", m.organisation),
                    )
                })?;
            let key = membership_key(m);
            let theirs = to_json(m);
            let base = self.import_base("membership", &key).await?;
            let stored = self
                .memberships_in(pid, oid)
                .await?
                .into_iter()
                .find(|s| s.joined_on == m.joined_on);
            let created = stored.is_none();
            match stored {
                // Removed in the app since the pack last brought it unchanged: stays removed.
                None if mode == LoadMode::Merge && base.as_ref() == Some(&theirs) => {
                    sum.unchanged += 1
                }
                None => {
                    let membership = Membership::new(m.joined_on, m.left_on)
                        .map_err(|e| StoreError::invalid("left_on", e.to_string()))?;
                    self.insert_membership(pid, oid, &membership, actor)
                        .await
                        .map_err(|e| match e {
                            StoreError::Invalid { field, message } => StoreError::Invalid {
                                field,
                                message: format!(
                                    "{} in {}: {message}",
                                    m.organisation, m.partnership
                                ),
                            },
                            other => other,
                        })?;
                    sum.memberships_created += 1;
                }
                Some(stored) => {
                    let ours = to_json(&MembershipDraft {
                        left_on: stored.left_on,
                        ..m.clone()
                    });
                    let layout = Layout::row(
                        "memberships.csv",
                        "partnership, organisation, joined_on",
                        &format!("{}, {}, {}", m.partnership, m.organisation, m.joined_on),
                    );
                    let result = merged(mode, base.as_ref(), &ours, &theirs, &layout)?;
                    if result == ours {
                        sum.unchanged += 1;
                    } else {
                        let draft: MembershipDraft = from_json(result, "membership")?;
                        Membership::new(draft.joined_on, draft.left_on)
                            .map_err(|e| StoreError::invalid("left_on", e.to_string()))?;
                        on_tx!(self, c => sqlx::query(UPDATE_LEFT_ON).bind(pid).bind(oid)
                            .bind(draft.joined_on).bind(draft.left_on)
                            .execute(c).await.map(crate::backend::affected))?;
                        self.audit(
                            actor,
                            "membership.update",
                            "membership",
                            &key,
                            json!({ "left_on": draft.left_on }),
                        )
                        .await?;
                        sum.memberships_updated += 1;
                    }
                }
            }
            self.keep_base(mode, "membership", &key, base.is_some() || created, &theirs)
                .await?;
        }
        Ok(())
    }

    async fn merge_plans(
        &mut self,
        pack: &DataPack,
        mode: LoadMode,
        actor: &Actor,
        sum: &mut LoadSummary,
    ) -> Result<(), StoreError> {
        for (i, plan) in pack.plans.iter().enumerate() {
            let key = format!("{}/{}", plan.organisation, plan.name);
            let theirs = to_json(plan);
            let base = self.import_base("plan", &key).await?;
            let existing = self.plan_id(&plan.organisation, &plan.name).await?;
            let created = existing.is_none();
            match existing {
                None => {
                    self.create_plan(plan, RevisionReason::Import, actor)
                        .await?;
                    sum.plans_created += 1;
                }
                Some(id) => {
                    let ours = to_json(&self.read_plan(id).await?);
                    let dir = pack.plan_dirs.get(i).unwrap_or(&plan.name);
                    let result = merged(mode, base.as_ref(), &ours, &theirs, &Layout::plan(dir))?;
                    let reason = match mode {
                        LoadMode::Merge => RevisionReason::Merge,
                        LoadMode::Replace => RevisionReason::Replace,
                    };
                    let result: ngc_domain::finance::mtfp::Plan = from_json(result, "plan")?;
                    let detail = json!({ "pack": pack.name });
                    match self
                        .write_plan_content(id, &result, reason, detail, actor)
                        .await?
                    {
                        None => sum.unchanged += 1,
                        Some(_) if mode == LoadMode::Replace => sum.plans_replaced += 1,
                        Some(_) => sum.plans_merged += 1,
                    }
                }
            }
            self.keep_base(mode, "plan", &key, base.is_some() || created, &theirs)
                .await?;
        }
        Ok(())
    }
}

impl Store {
    /// Loads a checked pack as a three-way merge (see the module documentation).
    pub async fn load_pack(
        &self,
        pack: &DataPack,
        actor: &Actor,
    ) -> Result<LoadSummary, StoreError> {
        self.load_pack_with(pack, LoadMode::Merge, actor).await
    }

    /// Loads a checked pack in `mode`: creates what is new, merges (or replaces) what changed,
    /// leaves the rest; all of it or, on any error or conflict, nothing. A merge of a pack
    /// whose content hash equals the last import's writes nothing at all.
    pub async fn load_pack_with(
        &self,
        pack: &DataPack,
        mode: LoadMode,
        actor: &Actor,
    ) -> Result<LoadSummary, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut sum = LoadSummary {
            content_sha256: crate::imports::content_hash(pack),
            ..LoadSummary::default()
        };
        if mode == LoadMode::Merge
            && tx.last_import_hash().await?.as_deref() == Some(&sum.content_sha256)
        {
            // Dropped without committing: nothing written.
            sum.same_content = true;
            return Ok(sum);
        }
        tx.merge_organisations(pack, mode, actor, &mut sum).await?;
        tx.merge_partnerships(pack, mode, actor, &mut sum).await?;
        tx.merge_memberships(pack, mode, actor, &mut sum).await?;
        tx.merge_plans(pack, mode, actor, &mut sum).await?;
        tx.record_import(&pack.name, &sum.content_sha256, actor)
            .await?;
        let change = json!({
            "pack": pack.name,
            "content_sha256": sum.content_sha256,
            "replace": mode == LoadMode::Replace,
            "summary": sum,
        });
        tx.audit(actor, "pack.import", "pack", &pack.name, change)
            .await?;
        tx.commit().await?;
        Ok(sum)
    }
}
