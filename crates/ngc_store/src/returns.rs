//! Official finance returns, one row per authority and year, replaced year by year on import.

use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use ngc_domain::finance::resilience::{AuthorityYear, Record};
use ngc_domain::money::Money;
use serde_json::json;
use sqlx::FromRow;

#[derive(Debug, FromRow)]
struct Row {
    code: String,
    name: String,
    class: String,
    year: String,
    net_revenue_expenditure: i64,
    earmarked_reserves: i64,
    unallocated_reserves: i64,
    council_tax_requirement: i64,
    social_care_spend: i64,
    government_grant: i64,
}

const DELETE: &str = "DELETE FROM authority_years WHERE code = $1 AND year = $2";
const INSERT: &str = "INSERT INTO authority_years (code, name, class, year, net_revenue_expenditure, \
    earmarked_reserves, unallocated_reserves, council_tax_requirement, social_care_spend, government_grant, source) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const ALL: &str = "SELECT code, name, class, year, net_revenue_expenditure, earmarked_reserves, \
    unallocated_reserves, council_tax_requirement, social_care_spend, government_grant \
    FROM authority_years ORDER BY code, year";

impl Store {
    /// Stores authorities' years, replacing any stored figures for the same authority and year.
    pub async fn import_authority_years(
        &self,
        records: &[Record],
        source: &str,
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        for r in records {
            let year = r.year.year.to_string();
            on_tx!(tx, c => sqlx::query(DELETE).bind(&r.code).bind(&year).execute(c).await.map(crate::backend::affected))?;
            on_tx!(tx, c => sqlx::query(INSERT)
                .bind(&r.code)
                .bind(&r.name)
                .bind(r.class.as_str())
                .bind(&year)
                .bind(r.year.net_revenue_expenditure.as_pence())
                .bind(r.year.earmarked_reserves.as_pence())
                .bind(r.year.unallocated_reserves.as_pence())
                .bind(r.year.council_tax_requirement.as_pence())
                .bind(r.year.social_care_spend.as_pence())
                .bind(r.year.government_grant.as_pence())
                .bind(source)
                .execute(c)
                .await
                .map(crate::backend::affected))?;
        }
        let authorities: std::collections::BTreeSet<&str> =
            records.iter().map(|r| r.code.as_str()).collect();
        tx.audit(
            actor,
            "returns.import",
            "authority_years",
            source,
            json!({"source": source, "rows": records.len(), "authorities": authorities.len()}),
        )
        .await?;
        tx.commit().await?;
        Ok(records.len())
    }

    /// Every stored authority year, by code then year.
    pub async fn authority_records(&self) -> Result<Vec<Record>, StoreError> {
        let rows: Vec<Row> =
            on_each_backend!(self, pool => sqlx::query_as(ALL).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(Record {
                    class: crate::organisations::decode(&r.class, "authority_years.class")?,
                    year: AuthorityYear {
                        year: crate::organisations::decode(&r.year, "authority_years.year")?,
                        net_revenue_expenditure: Money::pence(r.net_revenue_expenditure),
                        earmarked_reserves: Money::pence(r.earmarked_reserves),
                        unallocated_reserves: Money::pence(r.unallocated_reserves),
                        council_tax_requirement: Money::pence(r.council_tax_requirement),
                        social_care_spend: Money::pence(r.social_care_spend),
                        government_grant: Money::pence(r.government_grant),
                    },
                    code: r.code,
                    name: r.name,
                })
            })
            .collect()
    }
}
