//! Medium-term financial plans: stored row by row, read back into the domain's `Plan`.
//! Importing a plan replaces the stored plan of the same name as a whole (one transaction,
//! one audit record); importing an identical plan changes nothing.

mod read;
mod write;

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
    /// When the plan last changed (every plan write sets it): the plan's change marker
    /// until plans carry numbered revisions.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What importing a plan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PlanImport {
    Created,
    Replaced,
    Unchanged,
}

const LIST: &str = "SELECT p.id, p.name, p.first_year, p.years, p.updated_at FROM plans p \
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

    /// Stores a plan, replacing a stored plan of the same name and organisation.
    pub async fn import_plan(&self, plan: &Plan, actor: &Actor) -> Result<PlanImport, StoreError> {
        let mut tx = self.begin_write().await?;
        let outcome = tx.import_plan(plan, actor).await?;
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
