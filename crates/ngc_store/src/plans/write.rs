//! Writing plans. Every change to a plan's content goes through [`WriteTx::write_plan_content`]
//! or a delivery update, and each makes a numbered revision (see `revisions`).

use super::PlanImport;
use super::revisions::RevisionReason;
use crate::tx::WriteTx;
use crate::{Actor, StoreError, on_tx};
use ngc_domain::finance::mtfp::Plan;
use ngc_domain::finance::savings::DeliveryUpdate;
use serde_json::json;

const FIND: &str = "SELECT p.id FROM plans p JOIN organisations o ON o.id = p.organisation_id \
    WHERE o.slug = $1 AND p.name = $2";
/// The plan's own rows; their amounts, delivery updates and planned uses go with them.
const DELETE_CHILDREN: [&str; 8] = [
    "DELETE FROM plan_base_lines WHERE plan_id = $1",
    "DELETE FROM plan_assumptions WHERE plan_id = $1",
    "DELETE FROM plan_demography WHERE plan_id = $1",
    "DELETE FROM plan_pressures WHERE plan_id = $1",
    "DELETE FROM plan_funding WHERE plan_id = $1",
    "DELETE FROM plan_savings WHERE plan_id = $1",
    "DELETE FROM plan_reserves WHERE plan_id = $1",
    "DELETE FROM plan_scenario_overrides WHERE plan_id = $1",
];
const UPDATE_PLAN: &str = "UPDATE plans SET authority_class = $2, first_year = $3, years = $4, \
    band_d = $5, tax_base = $6, minimum_reserve_pct = $7, updated_at = $8 WHERE id = $1";
const INSERT_PLAN: &str = "INSERT INTO plans (organisation_id, name, authority_class, first_year, years, \
    band_d, tax_base, minimum_reserve_pct, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
const INSERT_BASE: &str =
    "INSERT INTO plan_base_lines (plan_id, service, subjective, amount) VALUES ($1, $2, $3, $4)";
const INSERT_ASSUMPTIONS: &str = "INSERT INTO plan_assumptions (plan_id, year, pay_award_pct, \
    general_inflation_pct, social_care_inflation_pct, tax_base_growth_pct, council_tax_increase_pct, \
    asc_precept_pct) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const INSERT_DEMOGRAPHY: &str =
    "INSERT INTO plan_demography (plan_id, year, service, pct) VALUES ($1, $2, $3, $4)";
const INSERT_PRESSURE: &str = "INSERT INTO plan_pressures (plan_id, reference, kind, service, description, \
    low_pct, high_pct) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const INSERT_PRESSURE_AMOUNT: &str =
    "INSERT INTO plan_pressure_amounts (pressure_id, year, amount) VALUES ($1, $2, $3)";
const INSERT_FUNDING: &str =
    "INSERT INTO plan_funding (plan_id, source, year, amount) VALUES ($1, $2, $3, $4)";
const INSERT_SAVING: &str = "INSERT INTO plan_savings (plan_id, reference, title, service, category, owner, \
    rag, delivered_to_date, evidence_kind, evidence_reference) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
const INSERT_SAVING_AMOUNT: &str =
    "INSERT INTO plan_saving_amounts (saving_id, year, amount) VALUES ($1, $2, $3)";
const SAVING_ID: &str = "SELECT id FROM plan_savings WHERE plan_id = $1 AND reference = $2";
const INSERT_DELIVERY: &str = "INSERT INTO plan_delivery_updates (saving_id, year, month, delivered, rag, note) \
    VALUES ($1, $2, $3, $4, $5, $6)";
const SET_RAG: &str = "UPDATE plan_savings SET rag = $2 WHERE id = $1";
const INSERT_RESERVE: &str =
    "INSERT INTO plan_reserves (plan_id, name, kind, opening) VALUES ($1, $2, $3, $4) RETURNING id";
const INSERT_RESERVE_USE: &str =
    "INSERT INTO plan_reserve_use (reserve_id, year, amount) VALUES ($1, $2, $3)";
const INSERT_OVERRIDE: &str = "INSERT INTO plan_scenario_overrides (plan_id, scenario, position, change) \
    VALUES ($1, $2, $3, $4)";

impl WriteTx {
    pub(crate) async fn plan_id(
        &mut self,
        organisation: &str,
        name: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(
            on_tx!(self, c => sqlx::query_scalar(FIND).bind(organisation).bind(name).fetch_optional(c).await)?,
        )
    }

    /// The id of the plan's organisation, checking the plan's rules first.
    async fn checked_organisation(&mut self, plan: &Plan) -> Result<i64, StoreError> {
        plan.validate()
            .map_err(|e| StoreError::invalid("plan", format!("{}: {e}", plan.name)))?;
        self.organisation_id(&plan.organisation)
            .await?
            .ok_or_else(|| {
                StoreError::invalid(
                    "organisation",
                    format!("no organisation has the slug `{}`", plan.organisation),
                )
            })
    }

    /// Creates the plan (revision 1, audited `plan.create`), returning its id.
    pub(crate) async fn create_plan(
        &mut self,
        plan: &Plan,
        reason: RevisionReason,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let org = self.checked_organisation(plan).await?;
        let id = self.insert_plan(org, plan).await?;
        let revision = self.revise(id, reason, actor).await?;
        let change = json!({ "revision": revision, "plan": plan });
        self.audit(actor, "plan.create", "plan", &id.to_string(), change)
            .await?;
        Ok(id)
    }

    /// Stores `plan` as the content of its stored namesake (created when there is none), making
    /// a revision for `reason`; unchanged when identical.
    pub(crate) async fn save_plan(
        &mut self,
        plan: &Plan,
        reason: RevisionReason,
        actor: &Actor,
    ) -> Result<PlanImport, StoreError> {
        self.checked_organisation(plan).await?;
        match self.plan_id(&plan.organisation, &plan.name).await? {
            None => {
                self.create_plan(plan, reason, actor).await?;
                Ok(PlanImport::Created)
            }
            Some(id) => {
                if self
                    .write_plan_content(id, plan, reason, serde_json::Value::Null, actor)
                    .await?
                    .is_some()
                {
                    Ok(PlanImport::Replaced)
                } else {
                    Ok(PlanImport::Unchanged)
                }
            }
        }
    }

    /// Replaces the content of the stored plan `id` with `plan` when they differ: keeps the
    /// content before as a revision, makes a new revision for `reason` and audits it as
    /// `plan.{reason}` with `detail`. Returns the new revision's number, `None` when nothing changed.
    pub(crate) async fn write_plan_content(
        &mut self,
        id: i64,
        plan: &Plan,
        reason: RevisionReason,
        detail: serde_json::Value,
        actor: &Actor,
    ) -> Result<Option<i64>, StoreError> {
        self.checked_organisation(plan).await?;
        if self.read_plan(id).await? == *plan {
            return Ok(None);
        }
        self.ensure_revision(id, actor).await?;
        for delete in DELETE_CHILDREN {
            on_tx!(self, c => sqlx::query(delete).bind(id).execute(c).await.map(crate::backend::affected))?;
        }
        let now = self.now();
        on_tx!(self, c => sqlx::query(UPDATE_PLAN)
            .bind(id)
            .bind(plan.authority_class.as_str())
            .bind(plan.first_year.to_string())
            .bind(i32::from(plan.years))
            .bind(plan.council_tax.band_d.as_pence())
            .bind(plan.council_tax.tax_base.to_string())
            .bind(plan.minimum_reserve_pct.to_string())
            .bind(now)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        self.insert_children(id, plan).await?;
        let revision = self.revise(id, reason, actor).await?;
        let change = json!({ "revision": revision, "detail": detail, "plan": plan });
        let action = format!("plan.{}", reason.as_str());
        self.audit(actor, &action, "plan", &id.to_string(), change)
            .await?;
        Ok(Some(revision))
    }

    async fn insert_plan(&mut self, org: i64, plan: &Plan) -> Result<i64, StoreError> {
        let now = self.now();
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_PLAN)
            .bind(org)
            .bind(&plan.name)
            .bind(plan.authority_class.as_str())
            .bind(plan.first_year.to_string())
            .bind(i32::from(plan.years))
            .bind(plan.council_tax.band_d.as_pence())
            .bind(plan.council_tax.tax_base.to_string())
            .bind(plan.minimum_reserve_pct.to_string())
            .bind(now)
            .fetch_one(c)
            .await)?;
        self.insert_children(id, plan).await?;
        Ok(id)
    }

    async fn insert_children(&mut self, id: i64, plan: &Plan) -> Result<(), StoreError> {
        for b in &plan.base {
            on_tx!(self, c => sqlx::query(INSERT_BASE).bind(id).bind(b.service.as_str())
                .bind(b.subjective.as_str()).bind(b.amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
        }
        for a in &plan.assumptions {
            on_tx!(self, c => sqlx::query(INSERT_ASSUMPTIONS)
                .bind(id)
                .bind(a.year.to_string())
                .bind(a.pay_award_pct.to_string())
                .bind(a.general_inflation_pct.to_string())
                .bind(a.social_care_inflation_pct.to_string())
                .bind(a.tax_base_growth_pct.to_string())
                .bind(a.council_tax_increase_pct.to_string())
                .bind(a.asc_precept_pct.to_string())
                .execute(c)
                .await
                .map(crate::backend::affected))?;
            for (service, pct) in &a.demography_pct {
                on_tx!(self, c => sqlx::query(INSERT_DEMOGRAPHY).bind(id).bind(a.year.to_string())
                    .bind(service.as_str()).bind(pct.to_string()).execute(c).await.map(crate::backend::affected))?;
            }
        }
        for p in &plan.pressures {
            let pid: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_PRESSURE)
                .bind(id)
                .bind(&p.reference)
                .bind(p.kind.as_str())
                .bind(p.service.as_str())
                .bind(&p.description)
                .bind(p.uncertainty.map(|u| u.low_pct.to_string()))
                .bind(p.uncertainty.map(|u| u.high_pct.to_string()))
                .fetch_one(c)
                .await)?;
            for (year, amount) in &p.amounts {
                on_tx!(self, c => sqlx::query(INSERT_PRESSURE_AMOUNT).bind(pid).bind(year.to_string())
                    .bind(amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
            }
        }
        for f in &plan.funding {
            on_tx!(self, c => sqlx::query(INSERT_FUNDING).bind(id).bind(f.source.as_str())
                .bind(f.year.to_string()).bind(f.amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
        }
        for s in &plan.savings {
            let sid: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_SAVING)
                .bind(id)
                .bind(&s.reference)
                .bind(&s.title)
                .bind(s.service.as_str())
                .bind(s.category.as_str())
                .bind(&s.owner)
                .bind(s.rag.as_str())
                .bind(s.delivered_to_date.as_pence())
                .bind(s.evidence.as_ref().map(|e| e.kind.as_str()))
                .bind(s.evidence.as_ref().map(|e| e.reference.clone()))
                .fetch_one(c)
                .await)?;
            for (year, amount) in &s.amounts {
                on_tx!(self, c => sqlx::query(INSERT_SAVING_AMOUNT).bind(sid).bind(year.to_string())
                    .bind(amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
            }
        }
        for u in &plan.delivery {
            self.insert_delivery(id, u).await?;
        }
        for r in &plan.reserves {
            let rid: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_RESERVE).bind(id).bind(&r.name)
                .bind(r.kind.as_str()).bind(r.opening.as_pence()).fetch_one(c).await)?;
            for (year, amount) in &r.planned_use {
                on_tx!(self, c => sqlx::query(INSERT_RESERVE_USE).bind(rid).bind(year.to_string())
                    .bind(amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
            }
        }
        for scenario in &plan.scenarios {
            for (position, o) in scenario.overrides.iter().enumerate() {
                // Each override is one row: its kind and fields as canonical JSON.
                let change =
                    ngc_domain::audit::canonical_json(&serde_json::to_value(o).unwrap_or_default());
                on_tx!(self, c => sqlx::query(INSERT_OVERRIDE).bind(id).bind(&scenario.name)
                    .bind(i32::try_from(position).unwrap_or(i32::MAX)).bind(&change)
                    .execute(c).await.map(crate::backend::affected))?;
            }
        }
        Ok(())
    }

    async fn insert_delivery(
        &mut self,
        plan_id: i64,
        u: &DeliveryUpdate,
    ) -> Result<i64, StoreError> {
        let sid: Option<i64> = on_tx!(self, c =>
            sqlx::query_scalar(SAVING_ID).bind(plan_id).bind(&u.reference).fetch_optional(c).await)?;
        let sid = sid.ok_or_else(|| {
            StoreError::invalid(
                "reference",
                format!("no saving has the reference `{}`", u.reference),
            )
        })?;
        if !(1..=12).contains(&u.month) {
            return Err(StoreError::invalid(
                "month",
                format!(
                    "{} is not a month of the financial year (1 = April … 12 = March)",
                    u.month
                ),
            ));
        }
        on_tx!(self, c => sqlx::query(INSERT_DELIVERY)
            .bind(sid)
            .bind(u.year.to_string())
            .bind(i32::from(u.month))
            .bind(u.delivered.as_pence())
            .bind(u.rag.as_str())
            .bind(&u.note)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        Ok(sid)
    }

    pub(crate) async fn record_delivery(
        &mut self,
        organisation: &str,
        plan: &str,
        update: &DeliveryUpdate,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let id = self
            .plan_id(organisation, plan)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan `{plan}` of `{organisation}`")))?;
        self.ensure_revision(id, actor).await?;
        let sid = self.insert_delivery(id, update).await?;
        on_tx!(self, c => sqlx::query(SET_RAG).bind(sid).bind(update.rag.as_str()).execute(c).await.map(crate::backend::affected))?;
        let revision = self
            .revise(id, RevisionReason::DeliveryUpdate, actor)
            .await?;
        let change = json!({"plan": plan, "update": update, "revision": revision});
        self.audit(
            actor,
            "saving.delivery",
            "plan_saving",
            &sid.to_string(),
            change,
        )
        .await
    }
}
