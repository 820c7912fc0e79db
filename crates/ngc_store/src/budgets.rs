//! Revenue budget lines. Importing a file replaces the organisation's lines for the years the
//! file covers, in one transaction with one audit record.

use crate::organisations::decode;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use ngc_domain::finance::service::BudgetLine;
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use serde_json::json;
use std::collections::BTreeSet;

const DELETE_YEAR: &str = "DELETE FROM budget_lines WHERE organisation_id = $1 AND year = $2";
const INSERT: &str = "INSERT INTO budget_lines (organisation_id, year, service, subjective, amount) \
    VALUES ($1, $2, $3, $4, $5)";
const LIST: &str = "SELECT b.year, b.service, b.subjective, b.amount FROM budget_lines b \
    JOIN organisations o ON o.id = b.organisation_id WHERE o.slug = $1 ORDER BY b.year, b.id";

impl Store {
    /// Replaces `organisation`'s budget lines for every year in `lines` (all of which must be
    /// the organisation's).
    pub async fn import_budget(
        &self,
        organisation: &str,
        lines: &[BudgetLine],
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        if let Some((i, l)) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.organisation != organisation)
        {
            return Err(StoreError::invalid(
                "organisation",
                format!(
                    "line {}: `{}` is not `{organisation}`",
                    i + 2,
                    l.organisation
                ),
            ));
        }
        let mut tx = self.begin_write().await?;
        let org = tx.organisation_id(organisation).await?.ok_or_else(|| {
            StoreError::invalid(
                "org",
                format!("no organisation has the slug `{organisation}`"),
            )
        })?;
        let years: BTreeSet<FinancialYear> = lines.iter().map(|l| l.year).collect();
        for y in &years {
            on_tx!(tx, c => sqlx::query(DELETE_YEAR).bind(org).bind(y.to_string()).execute(c).await.map(crate::backend::affected))?;
        }
        for l in lines {
            on_tx!(tx, c => sqlx::query(INSERT)
                .bind(org)
                .bind(l.year.to_string())
                .bind(l.service.as_str())
                .bind(l.subjective.as_str())
                .bind(l.amount.as_pence())
                .execute(c)
                .await
                .map(crate::backend::affected))?;
        }
        let net: Money = lines.iter().map(|l| l.subjective.net(l.amount)).sum();
        let years: Vec<String> = years.iter().map(ToString::to_string).collect();
        tx.audit(
            actor,
            "budget.import",
            "organisation",
            &org.to_string(),
            json!({"lines": lines.len(), "years": years, "net": net}),
        )
        .await?;
        tx.commit().await?;
        Ok(lines.len())
    }

    /// An organisation's budget lines, by year in the order imported.
    pub async fn budget_lines(&self, organisation: &str) -> Result<Vec<BudgetLine>, StoreError> {
        let rows: Vec<(String, String, String, i64)> = on_each_backend!(self, pool =>
            sqlx::query_as(LIST).bind(organisation).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(year, service, subjective, amount)| {
                Ok(BudgetLine {
                    organisation: organisation.to_owned(),
                    year: decode(&year, "budget_lines.year")?,
                    service: decode(&service, "budget_lines.service")?,
                    subjective: decode(&subjective, "budget_lines.subjective")?,
                    amount: Money::pence(amount),
                })
            })
            .collect()
    }
}
