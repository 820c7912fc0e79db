//! Numbered plan revisions: every change to a plan records who made it, when and why, with
//! the plan's full content, so that any revision can be read and restored.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::finance::mtfp::Plan;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// Why a plan revision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionReason {
    /// Created or stored by an import (or the content held before revisions were kept).
    Import,
    /// A pack import merged into the plan.
    Merge,
    /// Assumptions edited in the app.
    AssumptionsEdit,
    /// A monthly delivery update recorded on a saving.
    DeliveryUpdate,
    /// `--replace`: the pack's version replaced the plan.
    Replace,
    /// An earlier revision restored.
    Restore,
}

impl RevisionReason {
    /// The reason as stored (`import`, `merge`, `assumptions_edit`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionReason::Import => "import",
            RevisionReason::Merge => "merge",
            RevisionReason::AssumptionsEdit => "assumptions_edit",
            RevisionReason::DeliveryUpdate => "delivery_update",
            RevisionReason::Replace => "replace",
            RevisionReason::Restore => "restore",
        }
    }
}

/// A plan revision, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct PlanRevision {
    /// 1, 2, … per plan.
    pub number: i64,
    /// `import`, `merge`, `assumptions_edit`, `delivery_update`, `replace` or `restore`.
    pub reason: String,
    pub created_at: DateTime<Utc>,
    /// The user who made it; `None` for the system (imports, set-up commands).
    pub actor_user_id: Option<i64>,
    /// That user's email.
    pub actor_email: Option<String>,
}

const NEXT: &str = "SELECT COALESCE(MAX(number), 0) + 1 FROM plan_revisions WHERE plan_id = $1";
const COUNT: &str = "SELECT COUNT(*) FROM plan_revisions WHERE plan_id = $1";
const INSERT: &str = "INSERT INTO plan_revisions (plan_id, number, reason, actor_user_id, \
    created_at, content) VALUES ($1, $2, $3, $4, $5, $6)";
const TOUCH: &str = "UPDATE plans SET updated_at = $2 WHERE id = $1";
const LIST: &str = "SELECT r.number, r.reason, r.created_at, r.actor_user_id, u.email AS actor_email \
    FROM plan_revisions r LEFT JOIN users u ON u.id = r.actor_user_id \
    WHERE r.plan_id = $1 ORDER BY r.number DESC";
const ONE: &str = "SELECT r.number, r.reason, r.created_at, r.actor_user_id, u.email AS actor_email \
    FROM plan_revisions r LEFT JOIN users u ON u.id = r.actor_user_id \
    WHERE r.plan_id = $1 AND r.number = $2";
const CONTENT: &str = "SELECT content FROM plan_revisions WHERE plan_id = $1 AND number = $2";
const FIND: &str = "SELECT p.id FROM plans p JOIN organisations o ON o.id = p.organisation_id \
    WHERE o.slug = $1 AND p.name = $2";

fn decode(text: &str) -> Result<Plan, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::invalid("plan_revisions.content", e.to_string()))
}

impl WriteTx {
    /// Records the plan's current content as its next revision, bumps `updated_at`, and
    /// returns the revision's number.
    pub(crate) async fn revise(
        &mut self,
        plan_id: i64,
        reason: RevisionReason,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let plan = self.read_plan(plan_id).await?;
        let content =
            ngc_domain::audit::canonical_json(&serde_json::to_value(&plan).unwrap_or_default());
        let number: i64 =
            on_tx!(self, c => sqlx::query_scalar(NEXT).bind(plan_id).fetch_one(c).await)?;
        let now = self.now();
        on_tx!(self, c => sqlx::query(INSERT)
            .bind(plan_id)
            .bind(number)
            .bind(reason.as_str())
            .bind(actor.user_id)
            .bind(now)
            .bind(&content)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        on_tx!(self, c => sqlx::query(TOUCH).bind(plan_id).bind(now).execute(c).await.map(crate::backend::affected))?;
        Ok(number)
    }

    /// Keeps the plan's content as revision 1 when it has none yet (a plan stored before
    /// revisions were kept), so that the change about to be made can be undone.
    pub(crate) async fn ensure_revision(
        &mut self,
        plan_id: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let count: i64 =
            on_tx!(self, c => sqlx::query_scalar(COUNT).bind(plan_id).fetch_one(c).await)?;
        if count == 0 {
            self.revise(plan_id, RevisionReason::Import, actor).await?;
        }
        Ok(())
    }
}

impl Store {
    async fn plan_id_of(&self, organisation: &str, plan: &str) -> Result<i64, StoreError> {
        let id: Option<i64> = on_each_backend!(self, pool =>
            sqlx::query_scalar(FIND).bind(organisation).bind(plan).fetch_optional(pool).await)?;
        id.ok_or_else(|| StoreError::NotFound(format!("plan `{plan}` of `{organisation}`")))
    }

    /// The revisions of a plan, newest first.
    pub async fn plan_revisions(
        &self,
        organisation: &str,
        plan: &str,
    ) -> Result<Vec<PlanRevision>, StoreError> {
        let id = self.plan_id_of(organisation, plan).await?;
        Ok(on_each_backend!(self, pool => sqlx::query_as(LIST).bind(id).fetch_all(pool).await)?)
    }

    /// A revision of a plan and the plan's content at that revision.
    pub async fn plan_revision(
        &self,
        organisation: &str,
        plan: &str,
        number: i64,
    ) -> Result<Option<(PlanRevision, Plan)>, StoreError> {
        let id = self.plan_id_of(organisation, plan).await?;
        let revision: Option<PlanRevision> = on_each_backend!(self, pool =>
            sqlx::query_as(ONE).bind(id).bind(number).fetch_optional(pool).await)?;
        let Some(revision) = revision else {
            return Ok(None);
        };
        let content: String = on_each_backend!(self, pool =>
            sqlx::query_scalar(CONTENT).bind(id).bind(number).fetch_one(pool).await)?;
        Ok(Some((revision, decode(&content)?)))
    }

    /// Restores revision `number` of a plan: its content becomes the plan's, as a new
    /// revision (audited `plan.restore`). Returns the new revision's number, or `None` when
    /// the plan already holds that content.
    pub async fn restore_plan_revision(
        &self,
        organisation: &str,
        plan: &str,
        number: i64,
        actor: &Actor,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = tx
            .plan_id(organisation, plan)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan `{plan}` of `{organisation}`")))?;
        let content: Option<String> = on_tx!(tx, c =>
            sqlx::query_scalar(CONTENT).bind(id).bind(number).fetch_optional(c).await)?;
        let content = content.ok_or_else(|| {
            StoreError::NotFound(format!(
                "revision {number} of plan `{plan}` of `{organisation}`"
            ))
        })?;
        let restored = decode(&content)?;
        let detail = json!({ "restored": number });
        let revision = tx
            .write_plan_content(id, &restored, RevisionReason::Restore, detail, actor)
            .await?;
        tx.commit().await?;
        Ok(revision)
    }
}
