//! Medium-term financial plans: stored row by row, read back into the domain's `Plan`.
//! Every change to a plan (import, merge, edit, delivery update, replace, restore) makes a
//! numbered revision holding the full content (see [`revisions`]); storing an identical plan
//! changes nothing. Pack imports merge into plans (see [`crate::pack`]).

pub mod links;
mod read;
pub mod revisions;
mod write;

pub use revisions::{PlanRevision, RevisionReason};

use crate::{Actor, Store, StoreError, on_each_backend};
use ngc_domain::finance::mtfp::Plan;
use ngc_domain::finance::savings::DeliveryUpdate;
use serde::Serialize;
use sqlx::FromRow;

/// A stored plan, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct PlanSummary {
    pub id: i64,
    pub name: String,
    pub first_year: String,
    pub years: i32,
    /// The number of the plan's current revision (0 for a plan stored before revisions were
    /// kept and not changed since).
    pub revision: i64,
    /// When the plan last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What importing a plan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PlanImport {
    Created,
    Replaced,
    Unchanged,
}

const LIST: &str = "SELECT p.id, p.name, p.first_year, p.years, p.updated_at, \
    COALESCE((SELECT MAX(r.number) FROM plan_revisions r WHERE r.plan_id = p.id), 0) AS revision \
    FROM plans p \
    JOIN organisations o ON o.id = p.organisation_id WHERE o.slug = $1 ORDER BY p.name";

impl Store {
    /// The plans of an organisation, by name.
    pub async fn list_plans(&self, organisation: &str) -> Result<Vec<PlanSummary>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(LIST).bind(organisation).fetch_all(pool).await)?)
    }

    /// The plan `name` of an organisation, or its only (first by name) plan when no name is given.
    pub async fn plan(
        &self,
        organisation: &str,
        name: Option<&str>,
    ) -> Result<Option<Plan>, StoreError> {
        let plans = self.list_plans(organisation).await?;
        let found = match name {
            Some(n) => plans.into_iter().find(|p| p.name == n),
            None => plans.into_iter().next(),
        };
        match found {
            Some(p) => self.plan_by_id(p.id).await.map(Some),
            None => Ok(None),
        }
    }

    /// The plan with this id (from [`Store::list_plans`]).
    pub async fn plan_by_id(&self, id: i64) -> Result<Plan, StoreError> {
        self.read_plan(id).await
    }

    /// Stores a plan as the content of its stored namesake (or creates it), making a revision
    /// for an import. Use [`Store::save_plan`] to say why.
    pub async fn import_plan(&self, plan: &Plan, actor: &Actor) -> Result<PlanImport, StoreError> {
        self.save_plan(plan, RevisionReason::Import, actor).await
    }

    /// Stores a plan as the content of its stored namesake (or creates it), making a revision
    /// for `reason` (e.g. [`RevisionReason::AssumptionsEdit`]); unchanged when identical.
    pub async fn save_plan(
        &self,
        plan: &Plan,
        reason: RevisionReason,
        actor: &Actor,
    ) -> Result<PlanImport, StoreError> {
        let mut tx = self.begin_write().await?;
        let outcome = tx.save_plan(plan, reason, actor).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Records a monthly delivery update on a saving of a plan.
    pub async fn record_delivery(
        &self,
        organisation: &str,
        plan: &str,
        update: &DeliveryUpdate,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        tx.record_delivery(organisation, plan, update, actor)
            .await?;
        tx.commit().await
    }
}
