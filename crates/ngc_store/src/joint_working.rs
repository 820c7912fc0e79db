//! Joint working (migration 0025): the councils' cost-sharing key values per year, the
//! contracts a partnership's consolidation analysis reads, and the joint tenders started from
//! an analysis with the analysis as it was.

use crate::contracts::{BuyerRow, Contract, ContractRow, assemble, contract_columns};
use crate::tenders::{NewTender, Tender};
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::joint_working::Key;
use ngc_domain::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A council's value for a key in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct KeyValue {
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_name: String,
    pub year: String,
    pub key: String,
    /// An exact decimal.
    pub value: String,
    pub source: String,
    pub confirmed: bool,
    pub updated_at: DateTime<Utc>,
}

/// A key value to store (it replaces the council's value for that key and year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKeyValue {
    /// The council's slug.
    pub organisation: String,
    pub year: FinancialYear,
    pub key: Key,
    pub value: Decimal,
    pub source: String,
    pub confirmed: bool,
}

/// A tender started from a consolidation analysis, with the analysis as it was.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct JointTender {
    pub tender_id: i64,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub lead_organisation: String,
    pub partnership_id: i64,
    pub category: String,
    pub key: String,
    pub year: String,
    pub rate: Option<String>,
    /// The aggregate annual value of the contracts it consolidates, in pence.
    pub baseline: i64,
    /// The estimated saving a year, in pence.
    pub saving: Option<i64>,
    /// The analysis as JSON.
    pub analysis: String,
    pub created_at: DateTime<Utc>,
}

/// The origin of a joint tender to record with it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJointTender {
    pub partnership_id: i64,
    pub category: String,
    pub key: Key,
    pub year: FinancialYear,
    pub rate: Option<Decimal>,
    pub baseline: Money,
    pub saving: Option<Money>,
    pub analysis: serde_json::Value,
}

const KEY_VALUES: &str = "SELECT v.organisation_id, o.slug AS organisation, \
    o.name AS organisation_name, v.year, v.key, v.value, v.source, v.confirmed, v.updated_at \
    FROM joint_key_values v JOIN organisations o ON o.id = v.organisation_id \
    WHERE v.year = $1 AND v.key = $2 ORDER BY o.name";
const DELETE_KEY_VALUE: &str =
    "DELETE FROM joint_key_values WHERE organisation_id = $1 AND year = $2 AND key = $3";
const INSERT_KEY_VALUE: &str = "INSERT INTO joint_key_values \
    (organisation_id, year, key, value, source, confirmed, updated_by, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const ORG_KIND: &str = "SELECT kind FROM organisations WHERE id = $1";

/// The contracts held or bought by the current members of partnership `$1` on `$2`, or let
/// for the partnership, and not ended or terminated by `$2`.
macro_rules! of_partnership {
    () => {
        "(c.partnership_id = $1 \
         OR c.organisation_id IN (SELECT m.organisation_id FROM memberships m \
            WHERE m.partnership_id = $1 AND m.joined_on <= $2 \
            AND (m.left_on IS NULL OR m.left_on >= $2)) \
         OR c.id IN (SELECT b.contract_id FROM contract_buyers b JOIN memberships m \
            ON m.organisation_id = b.organisation_id WHERE m.partnership_id = $1 \
            AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on >= $2))) \
         AND (c.terminated_on IS NULL OR c.terminated_on > $2) \
         AND (c.ends_on IS NULL OR c.ends_on >= $2) "
    };
}
const CONTRACTS: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE ",
    of_partnership!(),
    "ORDER BY c.ends_on IS NULL, c.ends_on, c.id"
);
const CONTRACT_BUYERS: &str = concat!(
    "SELECT b.contract_id, b.organisation_id, o.slug AS organisation, b.share_percent, \
     b.amount FROM contract_buyers b JOIN organisations o ON o.id = b.organisation_id \
     WHERE b.contract_id IN (SELECT c.id FROM contracts c WHERE ",
    of_partnership!(),
    ")"
);
macro_rules! select_joint_tender {
    ($tail:literal) => {
        concat!(
            "SELECT j.tender_id, t.reference, t.title, t.status, o.slug AS lead_organisation, \
             j.partnership_id, j.category, j.key, j.year, j.rate, j.baseline, j.saving, \
             j.analysis, j.created_at FROM joint_tenders j JOIN tenders t ON t.id = j.tender_id \
             JOIN organisations o ON o.id = t.lead_organisation_id ",
            $tail
        )
    };
}
const JOINT_TENDERS_OF: &str =
    select_joint_tender!("WHERE j.partnership_id = $1 ORDER BY j.created_at, j.tender_id");
const JOINT_TENDER: &str = select_joint_tender!("WHERE j.tender_id = $1");
const ALL_JOINT_TENDERS: &str = select_joint_tender!("ORDER BY j.tender_id");
const INSERT_JOINT_TENDER: &str = "INSERT INTO joint_tenders (tender_id, partnership_id, \
    category, key, year, rate, baseline, saving, analysis, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

impl Store {
    /// The councils' values for a key in a year, by council name.
    pub async fn key_values(
        &self,
        year: FinancialYear,
        key: Key,
    ) -> Result<Vec<KeyValue>, StoreError> {
        let year = year.to_string();
        Ok(on_each_backend!(self, pool => sqlx::query_as(KEY_VALUES)
            .bind(&year).bind(key.as_str()).fetch_all(pool).await)?)
    }

    /// Stores key values, each replacing the council's value for its key and year: all or
    /// none, one audit record each. A value must be a council's, above zero, with a source;
    /// the error names the value (`values[2].organisation`).
    pub async fn set_key_values(
        &self,
        values: &[NewKeyValue],
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        for (i, v) in values.iter().enumerate() {
            let field = |f: &str| format!("values[{i}].{f}");
            if !v.key.needs_values() {
                return Err(StoreError::invalid(
                    field("key"),
                    "equal shares need no values",
                ));
            }
            if v.value <= Decimal::ZERO {
                return Err(StoreError::invalid(field("value"), "must be above zero"));
            }
            if v.source.trim().is_empty() {
                return Err(StoreError::invalid(
                    field("source"),
                    "name where the figure comes from",
                ));
            }
            let oid = tx.organisation_id(&v.organisation).await?.ok_or_else(|| {
                StoreError::invalid(
                    field("organisation"),
                    format!("no organisation has the slug `{}`", v.organisation),
                )
            })?;
            let kind: String = on_tx!(tx, c =>
                sqlx::query_scalar(ORG_KIND).bind(oid).fetch_one(c).await)?;
            let kind: ngc_domain::OrgKind =
                crate::organisations::decode(&kind, "organisations.kind")?;
            if !kind.is_council() {
                return Err(StoreError::invalid(
                    field("organisation"),
                    format!("`{}` is not a council", v.organisation),
                ));
            }
            let year = v.year.to_string();
            let value = v.value.normalize().to_string();
            let now = tx.now();
            on_tx!(tx, c => sqlx::query(DELETE_KEY_VALUE).bind(oid).bind(&year)
                .bind(v.key.as_str()).execute(c).await.map(crate::backend::affected))?;
            on_tx!(tx, c => sqlx::query(INSERT_KEY_VALUE).bind(oid).bind(&year)
                .bind(v.key.as_str()).bind(&value).bind(v.source.trim()).bind(v.confirmed)
                .bind(actor.user_id).bind(now).execute(c).await.map(crate::backend::affected))?;
            tx.audit(
                actor,
                "joint_working.key_value.set",
                "organisation",
                &v.organisation,
                json!({"year": year, "key": v.key.as_str(), "value": value,
                       "source": v.source.trim(), "confirmed": v.confirmed}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(values.len())
    }

    /// The contracts held or bought by the partnership's current members on `today`, or let
    /// for the partnership, that have not ended or been terminated: soonest ending first.
    pub async fn partnership_contracts(
        &self,
        partnership_id: i64,
        today: NaiveDate,
    ) -> Result<Vec<Contract>, StoreError> {
        let (rows, buyers): (Vec<ContractRow>, Vec<BuyerRow>) = on_each_backend!(self, pool => {
            let rows = sqlx::query_as(CONTRACTS).bind(partnership_id).bind(today)
                .fetch_all(pool).await?;
            let buyers = sqlx::query_as(CONTRACT_BUYERS).bind(partnership_id).bind(today)
                .fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((rows, buyers))
        })?;
        assemble(rows, buyers)
    }

    /// Creates a draft tender and records the analysis it came from, in one transaction.
    pub async fn create_joint_tender(
        &self,
        new: &NewTender,
        origin: &NewJointTender,
        actor: &Actor,
    ) -> Result<Tender, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = tx.insert_tender(new, actor).await?;
        let now = tx.now();
        let analysis = origin.analysis.to_string();
        let rate = origin.rate.map(|r| r.normalize().to_string());
        on_tx!(tx, c => sqlx::query(INSERT_JOINT_TENDER)
            .bind(id)
            .bind(origin.partnership_id)
            .bind(&origin.category)
            .bind(origin.key.as_str())
            .bind(origin.year.to_string())
            .bind(&rate)
            .bind(origin.baseline.as_pence())
            .bind(origin.saving.map(Money::as_pence))
            .bind(&analysis)
            .bind(actor.user_id)
            .bind(now)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        tx.audit(
            actor,
            "joint_working.tender.start",
            "tender",
            &id.to_string(),
            json!({"partnership_id": origin.partnership_id, "category": origin.category,
                   "key": origin.key.as_str(), "year": origin.year.to_string(), "rate": rate,
                   "baseline": origin.baseline.as_pence(),
                   "saving": origin.saving.map(Money::as_pence)}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_tender(id).await
    }

    /// The joint tenders started from the partnership's analyses, oldest first.
    pub async fn joint_tenders_of(
        &self,
        partnership_id: i64,
    ) -> Result<Vec<JointTender>, StoreError> {
        Ok(
            on_each_backend!(self, pool => sqlx::query_as(JOINT_TENDERS_OF)
            .bind(partnership_id).fetch_all(pool).await)?,
        )
    }

    /// Every joint tender started from an analysis (for the rate past tenders achieved).
    pub async fn all_joint_tenders(&self) -> Result<Vec<JointTender>, StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(ALL_JOINT_TENDERS).fetch_all(pool).await)?)
    }

    /// The analysis a tender was started from, if it was.
    pub async fn joint_tender(&self, tender_id: i64) -> Result<Option<JointTender>, StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(JOINT_TENDER)
            .bind(tender_id).fetch_optional(pool).await)?)
    }
}
