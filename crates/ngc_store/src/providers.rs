//! A provider's own accounts per year (migration 0020), every version kept.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::money::Money;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A provider's accounts for the year ending on `year_end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderAccounts {
    pub id: i64,
    pub organisation_id: i64,
    pub year_end: NaiveDate,
    pub turnover: Money,
    pub net_assets: Money,
    pub reserves: Money,
    pub filed_on: Option<NaiveDate>,
    pub entered_by: Option<i64>,
    pub entered_at: DateTime<Utc>,
}

/// Accounts to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccounts {
    pub year_end: NaiveDate,
    pub turnover: Money,
    pub net_assets: Money,
    pub reserves: Money,
    pub filed_on: Option<NaiveDate>,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    organisation_id: i64,
    year_end: NaiveDate,
    turnover: i64,
    net_assets: i64,
    reserves: i64,
    filed_on: Option<NaiveDate>,
    entered_by: Option<i64>,
    entered_at: DateTime<Utc>,
}

const CURRENT: &str = "SELECT id, organisation_id, year_end, turnover, net_assets, reserves, \
    filed_on, entered_by, entered_at FROM provider_accounts \
    WHERE organisation_id = $1 AND superseded_at IS NULL ORDER BY year_end DESC";
const SUPERSEDE: &str = "UPDATE provider_accounts SET superseded_at = $3 \
    WHERE organisation_id = $1 AND year_end = $2 AND superseded_at IS NULL";
const INSERT: &str = "INSERT INTO provider_accounts (organisation_id, year_end, turnover, \
    net_assets, reserves, filed_on, entered_by, entered_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

impl Store {
    /// The provider's current accounts, latest year first.
    pub async fn provider_accounts(
        &self,
        organisation: i64,
    ) -> Result<Vec<ProviderAccounts>, StoreError> {
        let rows: Vec<Row> = on_each_backend!(self, pool =>
            sqlx::query_as(CURRENT).bind(organisation).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| ProviderAccounts {
                id: r.id,
                organisation_id: r.organisation_id,
                year_end: r.year_end,
                turnover: Money::pence(r.turnover),
                net_assets: Money::pence(r.net_assets),
                reserves: Money::pence(r.reserves),
                filed_on: r.filed_on,
                entered_by: r.entered_by,
                entered_at: r.entered_at,
            })
            .collect())
    }

    /// Records a provider's accounts for a year; figures entered before for the same year
    /// are kept, marked superseded.
    pub async fn record_provider_accounts(
        &self,
        organisation: i64,
        a: &NewAccounts,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = tx.record_accounts(organisation, a, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records many providers' accounts in one transaction (an import): all or none, each
    /// superseding the figures entered before for its provider and year, each with its audit
    /// record. Returns the new rows' ids in order.
    pub async fn import_provider_accounts(
        &self,
        accounts: &[(i64, NewAccounts)],
        actor: &Actor,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(accounts.len());
        for (organisation, a) in accounts {
            ids.push(tx.record_accounts(*organisation, a, actor).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }
}

impl WriteTx {
    /// Supersedes the provider's figures for the year and inserts these, with the audit record.
    async fn record_accounts(
        &mut self,
        organisation: i64,
        a: &NewAccounts,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        on_tx!(self, c => sqlx::query(SUPERSEDE).bind(organisation).bind(a.year_end).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT).bind(organisation)
            .bind(a.year_end).bind(a.turnover.as_pence()).bind(a.net_assets.as_pence())
            .bind(a.reserves.as_pence()).bind(a.filed_on).bind(actor.user_id).bind(now)
            .fetch_one(c).await)?;
        self.audit(
            actor,
            "provider.accounts",
            "organisation",
            &organisation.to_string(),
            json!({"year_end": a.year_end, "turnover": a.turnover, "net_assets": a.net_assets,
                   "reserves": a.reserves, "filed_on": a.filed_on}),
        )
        .await?;
        Ok(id)
    }
}
