//! Loading a checked data pack in one transaction: all of it or nothing, and loading the
//! same pack twice changes nothing the second time.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_tx};
use ngc_domain::organisation::OrganisationDraft;
use ngc_domain::pack::{DataPack, PartnershipDraft};
use ngc_domain::partnership::Membership;
use ngc_domain::slug::Slug;
use serde::Serialize;
use std::collections::BTreeSet;

/// What loading a pack did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadSummary {
    pub organisations_created: usize,
    pub organisations_updated: usize,
    pub partnerships_created: usize,
    pub partnerships_updated: usize,
    pub memberships_created: usize,
    pub plans_created: usize,
    pub plans_replaced: usize,
    pub unchanged: usize,
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

impl Store {
    /// Loads a checked pack: creates what is new, updates what changed, leaves the rest.
    pub async fn load_pack(
        &self,
        pack: &DataPack,
        actor: &Actor,
    ) -> Result<LoadSummary, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut sum = LoadSummary::default();
        for draft in owners_first(&pack.organisations) {
            let stored = tx
                .organisation(draft.slug.as_str())
                .await?
                .map(|o| (o.id, o.draft()));
            match stored {
                None => {
                    tx.insert_organisation(draft, actor).await?;
                    sum.organisations_created += 1;
                }
                Some((_, Some(stored))) if normalised(&stored) == normalised(draft) => {
                    sum.unchanged += 1
                }
                Some((id, _)) => {
                    tx.update_organisation(id, draft, actor).await?;
                    sum.organisations_updated += 1;
                }
            }
        }
        for draft in &pack.partnerships {
            match tx.stored_partnership(draft.slug.as_str()).await? {
                None => {
                    tx.insert_partnership(draft, actor).await?;
                    sum.partnerships_created += 1;
                }
                Some((_, Some(stored))) if stored == *draft => sum.unchanged += 1,
                Some((id, _)) => {
                    tx.update_partnership(id, draft, actor).await?;
                    sum.partnerships_updated += 1;
                }
            }
        }
        for m in &pack.memberships {
            let pid = tx
                .partnership_id(m.partnership.as_str())
                .await?
                .ok_or_else(|| {
                    StoreError::invalid(
                        "partnership",
                        format!("no partnership has the slug `{}`", m.partnership),
                    )
                })?;
            let oid = tx
                .organisation_id(m.organisation.as_str())
                .await?
                .ok_or_else(|| {
                    StoreError::invalid(
                        "organisation",
                        format!("no organisation has the slug `{}`", m.organisation),
                    )
                })?;
            let membership = Membership::new(m.joined_on, m.left_on)
                .map_err(|e| StoreError::invalid("left_on", e.to_string()))?;
            if tx.memberships_in(pid, oid).await?.contains(&membership) {
                sum.unchanged += 1;
            } else {
                tx.insert_membership(pid, oid, &membership, actor)
                    .await
                    .map_err(|e| match e {
                        StoreError::Invalid { field, message } => StoreError::Invalid {
                            field,
                            message: format!("{} in {}: {message}", m.organisation, m.partnership),
                        },
                        other => other,
                    })?;
                sum.memberships_created += 1;
            }
        }
        for plan in &pack.plans {
            match tx.import_plan(plan, actor).await? {
                crate::plans::PlanImport::Created => sum.plans_created += 1,
                crate::plans::PlanImport::Replaced => sum.plans_replaced += 1,
                crate::plans::PlanImport::Unchanged => sum.unchanged += 1,
            }
        }
        tx.commit().await?;
        Ok(sum)
    }
}
