//! A contract's variations (migration 0021): each variation, termination and reversal of a
//! termination, numbered within the contract. Applying one is one transaction: under the
//! write lock the contract and its earlier variations are read, the caller's `make` decides
//! what the change is (the change rules live in the domain, asked by the use case), the
//! version of the contract it replaces is kept in `contract_revisions`, the contract's current
//! value, end and termination are updated (its original value and end stay), the buyers'
//! parts follow the new value, and the audit record is written. If `make` refuses, nothing is
//! written.

use super::{BuyerRow, Contract, ContractRow, assemble, contract_columns};
use crate::organisations::decode;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::contracts::change::{ModificationGround, VariationKind};
use ngc_domain::money::Money;
use ngc_domain::procurement::notices::NoticeType;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::FromRow;

/// A variation to apply, as the use case decided it against the contract as it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVariation {
    pub kind: VariationKind,
    /// The ground relied on (`None` for a termination).
    pub ground: Option<ModificationGround>,
    pub description: String,
    /// Negative for a reduction.
    pub value_change: Money,
    /// The contract's last day after the change.
    pub ends_after: Option<NaiveDate>,
    /// The contract's termination after the change: the day and why (`None` for none).
    pub termination: Option<(NaiveDate, String)>,
    /// The value after the change against the original value, in per cent (`12.50`).
    pub cumulative_change_percent: String,
    /// The notice the change needs, if any.
    pub notice: Option<NoticeType>,
    /// Why that notice, or none, in words.
    pub notice_reason: String,
    /// The change rules' assessment, as JSON (`{}` for a termination).
    pub assessment: Value,
    /// Each buyer's part of the new value (organisation id, amount).
    pub buyer_amounts: Vec<(i64, Money)>,
}

/// A variation as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variation {
    pub id: i64,
    pub contract_id: i64,
    /// 1, 2, … within the contract.
    pub seq: i64,
    pub kind: VariationKind,
    pub ground: Option<ModificationGround>,
    pub description: String,
    pub value_change: Money,
    pub value_before: Money,
    pub value_after: Money,
    pub ends_before: Option<NaiveDate>,
    pub ends_after: Option<NaiveDate>,
    /// The day the termination takes effect (a termination only).
    pub terminated_on: Option<NaiveDate>,
    /// `value_after` less the contract's original value.
    pub cumulative_change: Money,
    pub cumulative_change_percent: String,
    pub notice: Option<NoticeType>,
    pub notice_reason: String,
    pub assessment: Value,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct VariationRow {
    id: i64,
    contract_id: i64,
    seq: i64,
    kind: String,
    ground: String,
    description: String,
    value_change: i64,
    value_before: i64,
    value_after: i64,
    ends_before: Option<NaiveDate>,
    ends_after: Option<NaiveDate>,
    terminated_on: Option<NaiveDate>,
    cumulative_change: i64,
    cumulative_change_percent: String,
    notice: Option<String>,
    notice_reason: String,
    assessment: String,
    recorded_by: Option<i64>,
    recorded_at: DateTime<Utc>,
}

impl VariationRow {
    fn decode(self) -> Result<Variation, StoreError> {
        let field = |name: &str| format!("contract_variations {}.{name}", self.id);
        Ok(Variation {
            kind: decode(&self.kind, "contract_variations.kind")?,
            ground: match self.ground.as_str() {
                "" => None,
                g => Some(decode(g, "contract_variations.ground")?),
            },
            notice: self
                .notice
                .as_deref()
                .map(|n| decode(n, "contract_variations.notice"))
                .transpose()?,
            assessment: serde_json::from_str(&self.assessment)
                .map_err(|e| StoreError::invalid(field("assessment"), e.to_string()))?,
            id: self.id,
            contract_id: self.contract_id,
            seq: self.seq,
            description: self.description,
            value_change: Money::pence(self.value_change),
            value_before: Money::pence(self.value_before),
            value_after: Money::pence(self.value_after),
            ends_before: self.ends_before,
            ends_after: self.ends_after,
            terminated_on: self.terminated_on,
            cumulative_change: Money::pence(self.cumulative_change),
            cumulative_change_percent: self.cumulative_change_percent,
            notice_reason: self.notice_reason,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        })
    }
}

macro_rules! select_variations {
    ($where:literal) => {
        concat!(
            "SELECT id, contract_id, seq, kind, ground, description, value_change, \
             value_before, value_after, ends_before, ends_after, terminated_on, \
             cumulative_change, cumulative_change_percent, notice, notice_reason, assessment, \
             recorded_by, recorded_at FROM contract_variations ",
            $where
        )
    };
}

const OF_CONTRACT: &str = select_variations!("WHERE contract_id = $1 ORDER BY seq");
const ONE_VARIATION: &str = select_variations!("WHERE id = $1");
const ONE_CONTRACT: &str = concat!("SELECT ", contract_columns!(), "WHERE c.id = $1");
const BUYERS_OF_CONTRACT: &str = "SELECT b.contract_id, b.organisation_id, \
    o.slug AS organisation, b.share_percent, b.amount FROM contract_buyers b \
    JOIN organisations o ON o.id = b.organisation_id WHERE b.contract_id = $1";
const INSERT: &str = "INSERT INTO contract_variations (contract_id, seq, kind, ground, \
    description, value_change, value_before, value_after, ends_before, ends_after, \
    terminated_on, cumulative_change, cumulative_change_percent, notice, notice_reason, \
    assessment, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
    $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id";
const UPDATE_CONTRACT: &str = "UPDATE contracts SET value = $2, ends_on = $3, \
    terminated_on = $4, termination_reason = $5, updated_at = $6 WHERE id = $1";
const UPDATE_BUYER: &str =
    "UPDATE contract_buyers SET amount = $3 WHERE contract_id = $1 AND organisation_id = $2";

impl Store {
    /// Applies a variation, termination or reversal to the contract in one transaction with
    /// its audit record. `make` is given the contract as it stands and its earlier variations,
    /// read under the write lock, and decides the change; if it refuses, its error is returned
    /// and nothing is written. Returns the contract after the change and the variation.
    pub async fn apply_variation<F>(
        &self,
        contract_id: i64,
        actor: &Actor,
        make: F,
    ) -> Result<(Contract, Variation), StoreError>
    where
        F: FnOnce(&Contract, &[Variation]) -> Result<NewVariation, StoreError>,
    {
        let mut tx = self.begin_write().await?;
        let (row, buyers): (Option<ContractRow>, Vec<BuyerRow>) = on_tx!(tx, c => {
            let row = sqlx::query_as(ONE_CONTRACT).bind(contract_id).fetch_optional(&mut *c)
                .await?;
            let buyers = sqlx::query_as(BUYERS_OF_CONTRACT).bind(contract_id)
                .fetch_all(&mut *c).await?;
            Ok::<_, sqlx::Error>((row, buyers))
        })?;
        let row = row.ok_or_else(|| StoreError::NotFound(format!("contract {contract_id}")))?;
        let old = assemble(vec![row], buyers)?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("contract {contract_id}")))?;
        let rows: Vec<VariationRow> = on_tx!(tx, c => sqlx::query_as(OF_CONTRACT)
            .bind(contract_id).fetch_all(c).await)?;
        let earlier = rows
            .into_iter()
            .map(VariationRow::decode)
            .collect::<Result<Vec<_>, _>>()?;
        let new = make(&old, &earlier)?;
        let value_after = old
            .value
            .checked_add(new.value_change)
            .ok_or_else(|| StoreError::invalid("value_change", "the amounts are too large"))?;
        let cumulative = value_after
            .checked_sub(old.original_value)
            .ok_or_else(|| StoreError::invalid("value_change", "the amounts are too large"))?;
        let seq = earlier.last().map_or(1, |v| v.seq + 1);
        let now = tx.now();
        let (terminated_on, reason) = match &new.termination {
            Some((on, why)) => (Some(*on), why.clone()),
            None => (None, String::new()),
        };
        let recorded_termination = match new.kind {
            VariationKind::Termination => terminated_on,
            _ => None,
        };
        let assessment = new.assessment.to_string();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT).bind(contract_id).bind(seq)
            .bind(new.kind.as_str()).bind(new.ground.map_or("", |g| g.as_str()))
            .bind(&new.description).bind(new.value_change.as_pence())
            .bind(old.value.as_pence()).bind(value_after.as_pence()).bind(old.ends_on)
            .bind(new.ends_after).bind(recorded_termination).bind(cumulative.as_pence())
            .bind(&new.cumulative_change_percent).bind(new.notice.map(|n| n.as_str()))
            .bind(&new.notice_reason).bind(&assessment).bind(actor.user_id).bind(now)
            .fetch_one(c).await)?;
        tx.keep_revision(
            &old,
            &format!("replaced by {} {seq}", new.kind.label().to_lowercase()),
            actor,
        )
        .await?;
        on_tx!(tx, c => sqlx::query(UPDATE_CONTRACT).bind(contract_id)
            .bind(value_after.as_pence()).bind(new.ends_after).bind(terminated_on).bind(&reason)
            .bind(now).execute(c).await.map(crate::backend::affected))?;
        for (org, amount) in &new.buyer_amounts {
            on_tx!(tx, c => sqlx::query(UPDATE_BUYER).bind(contract_id).bind(*org)
                .bind(amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
        }
        tx.audit(
            actor,
            &format!("contract.{}", new.kind.as_str()),
            "contract",
            &contract_id.to_string(),
            json!({"variation_id": id, "seq": seq, "ground": new.ground,
                   "description": new.description,
                   "value_change": new.value_change.to_decimal().to_string(),
                   "value_before": old.value.to_decimal().to_string(),
                   "value_after": value_after.to_decimal().to_string(),
                   "ends_before": old.ends_on, "ends_after": new.ends_after,
                   "terminated_on": terminated_on, "termination_reason": reason,
                   "cumulative_change_percent": new.cumulative_change_percent,
                   "notice": new.notice}),
        )
        .await?;
        tx.commit().await?;
        let contract = self
            .contract(contract_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("contract {contract_id}")))?;
        let variation = self
            .contract_variation(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("variation {id}")))?;
        Ok((contract, variation))
    }

    /// The contract's variations, terminations and reversals, in order.
    pub async fn contract_variations(
        &self,
        contract_id: i64,
    ) -> Result<Vec<Variation>, StoreError> {
        let rows: Vec<VariationRow> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_CONTRACT).bind(contract_id).fetch_all(pool).await)?;
        rows.into_iter().map(VariationRow::decode).collect()
    }

    /// The variation with this id.
    pub async fn contract_variation(&self, id: i64) -> Result<Option<Variation>, StoreError> {
        let row: Option<VariationRow> = on_each_backend!(self, pool =>
            sqlx::query_as(ONE_VARIATION).bind(id).fetch_optional(pool).await)?;
        row.map(VariationRow::decode).transpose()
    }
}
