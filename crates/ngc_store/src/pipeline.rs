//! Planned procurements (migration 0011): what a council means to buy, when, for how much,
//! and which line of its financial plan it serves. The pipeline view and the pipeline
//! notice list are the domain's (`ngc_domain::procurement::pipeline`).

use crate::organisations::decode;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::money::Money;
use ngc_domain::procurement::ContractType;
use ngc_domain::procurement::lifecycle::PlanLink;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A planned procurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedProcurement {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub title: String,
    pub description: String,
    pub estimated_value: Money,
    /// Whether the estimate includes VAT.
    pub vat_inclusive: bool,
    pub contract_type: ContractType,
    pub planned_tender_on: NaiveDate,
    pub planned_award_on: NaiveDate,
    pub planned_start_on: NaiveDate,
    /// What it serves in the financial plan.
    pub link_kind: PlanLink,
    /// The plan's name, for a service line or a saving.
    pub link_plan: Option<String>,
    /// The service, the budget line (`year/service/subjective`) or the saving's reference.
    pub link_key: String,
    pub created_at: DateTime<Utc>,
}

/// A planned procurement to record, checked by the use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlannedProcurement {
    /// The organisation's slug.
    pub organisation: String,
    pub title: String,
    pub description: String,
    pub estimated_value: Money,
    pub vat_inclusive: bool,
    pub contract_type: ContractType,
    pub planned_tender_on: NaiveDate,
    pub planned_award_on: NaiveDate,
    pub planned_start_on: NaiveDate,
    pub link_kind: PlanLink,
    pub link_plan: Option<String>,
    pub link_key: String,
}

#[derive(Debug, FromRow)]
struct Row {
    id: i64,
    organisation_id: i64,
    organisation: String,
    title: String,
    description: String,
    estimated_value: i64,
    vat_inclusive: bool,
    contract_type: String,
    planned_tender_on: NaiveDate,
    planned_award_on: NaiveDate,
    planned_start_on: NaiveDate,
    link_kind: String,
    link_plan: Option<String>,
    link_key: String,
    created_at: DateTime<Utc>,
}

macro_rules! select_planned {
    ($tail:literal) => {
        concat!(
            "SELECT p.id, p.organisation_id, o.slug AS organisation, p.title, p.description, \
             p.estimated_value, p.vat_inclusive, p.contract_type, p.planned_tender_on, \
             p.planned_award_on, p.planned_start_on, p.link_kind, p.link_plan, p.link_key, \
             p.created_at FROM planned_procurements p \
             JOIN organisations o ON o.id = p.organisation_id ",
            $tail
        )
    };
}

const OF_ORGANISATION: &str =
    select_planned!("WHERE p.organisation_id = $1 ORDER BY p.planned_tender_on, p.id");
const ONE: &str = select_planned!("WHERE p.id = $1");
const INSERT: &str = "INSERT INTO planned_procurements (organisation_id, title, description, \
    estimated_value, vat_inclusive, contract_type, planned_tender_on, planned_award_on, \
    planned_start_on, link_kind, link_plan, link_key, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";

impl Row {
    fn into_planned(self) -> Result<PlannedProcurement, StoreError> {
        Ok(PlannedProcurement {
            contract_type: decode(&self.contract_type, "planned_procurements.contract_type")?,
            link_kind: decode(&self.link_kind, "planned_procurements.link_kind")?,
            id: self.id,
            organisation_id: self.organisation_id,
            organisation: self.organisation,
            title: self.title,
            description: self.description,
            estimated_value: Money::pence(self.estimated_value),
            vat_inclusive: self.vat_inclusive,
            planned_tender_on: self.planned_tender_on,
            planned_award_on: self.planned_award_on,
            planned_start_on: self.planned_start_on,
            link_plan: self.link_plan,
            link_key: self.link_key,
            created_at: self.created_at,
        })
    }
}

impl Store {
    /// The planned procurements of an organisation, by planned tender date.
    pub async fn planned_procurements(
        &self,
        organisation_id: i64,
    ) -> Result<Vec<PlannedProcurement>, StoreError> {
        let rows: Vec<Row> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_ORGANISATION).bind(organisation_id).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_planned).collect()
    }

    /// Records a planned procurement.
    pub async fn create_planned_procurement(
        &self,
        new: &NewPlannedProcurement,
        actor: &Actor,
    ) -> Result<PlannedProcurement, StoreError> {
        let mut tx = self.begin_write().await?;
        let org = tx
            .organisation_id(&new.organisation)
            .await?
            .ok_or_else(|| {
                StoreError::invalid(
                    "organisation",
                    format!("no organisation has the slug `{}`", new.organisation),
                )
            })?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(org)
            .bind(&new.title)
            .bind(&new.description)
            .bind(new.estimated_value.as_pence())
            .bind(new.vat_inclusive)
            .bind(new.contract_type.as_str())
            .bind(new.planned_tender_on)
            .bind(new.planned_award_on)
            .bind(new.planned_start_on)
            .bind(new.link_kind.as_str())
            .bind(&new.link_plan)
            .bind(&new.link_key)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(c)
            .await)?;
        tx.audit(
            actor,
            "planned_procurement.create",
            "planned_procurement",
            &id.to_string(),
            json!({
                "organisation": new.organisation,
                "title": new.title,
                "estimated_value": new.estimated_value.to_decimal().to_string(),
                "vat_inclusive": new.vat_inclusive,
                "contract_type": new.contract_type,
                "planned_tender_on": new.planned_tender_on,
                "link": {"kind": new.link_kind, "plan": new.link_plan, "key": new.link_key},
            }),
        )
        .await?;
        let row: Row = on_tx!(tx, c => sqlx::query_as(ONE).bind(id).fetch_one(c).await)?;
        tx.commit().await?;
        row.into_planned()
    }
}
