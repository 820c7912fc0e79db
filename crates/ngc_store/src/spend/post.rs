//! Posting spend imported before the ledger took it (migration 0027 without 0028's accounts):
//! the lines of an organisation's current imports that carry no account are charged to the
//! accounts an expense-code mapping gives them and posted as the same summarised journals an
//! import posts now, keyed `spend:{import}:{month}:{account}`, so posting twice posts nothing.
//! A replaced import is left alone: its correction's lines are the ones that count.

use super::StoredLine;
use crate::{Actor, Store, StoreError, on_tx};
use ngc_domain::spend::SpendLine;
use ngc_domain::spend::journals::{self, ExpenseCodes};
use serde::Serialize;
use serde_json::json;

const UNPOSTED_IMPORTS: &str = "SELECT DISTINCT i.id, i.file_name FROM spend_imports i \
    JOIN spend_lines l ON l.import_id = i.id \
    WHERE i.organisation_id = $1 AND i.replaced_by_id IS NULL AND l.account IS NULL \
    ORDER BY i.id";
const UNPOSTED_LINES: &str = "SELECT position, member, line, paid_on, month_only, supplier, \
    redacted, amount, gross, vat, irrecoverable_vat, transaction_ref, service, expense_type, \
    expense_code, description, supplier_id, invoice_number, merchant_category FROM spend_lines \
    WHERE import_id = $1 AND account IS NULL ORDER BY position";
const SET_ACCOUNT: &str = "UPDATE spend_lines SET account = ";

/// Lines per UPDATE.
const BATCH: usize = 1000;

/// What posting an organisation's unposted spend did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpendPosted {
    /// Each import posted: its id, the lines charged and the journals posted.
    pub imports: Vec<(i64, usize, usize)>,
}

impl Store {
    /// Posts the organisation's current spend imports whose lines carry no account, in one
    /// transaction with one audit record per import posted; nothing to post writes nothing.
    pub async fn post_unposted_spend(
        &self,
        organisation_id: i64,
        codes: &ExpenseCodes,
        actor: &Actor,
    ) -> Result<SpendPosted, StoreError> {
        let mut tx = self.begin_write().await?;
        let imports: Vec<(i64, String)> = on_tx!(tx, c => sqlx::query_as(UNPOSTED_IMPORTS)
            .bind(organisation_id).fetch_all(c).await)?;
        let mut posted = SpendPosted::default();
        for (import_id, file_name) in imports {
            let stored: Vec<StoredLine> = on_tx!(tx, c => sqlx::query_as(UNPOSTED_LINES)
                .bind(import_id).fetch_all(c).await)?;
            let positions: Vec<i64> = stored.iter().map(|l| l.position).collect();
            let lines: Vec<SpendLine> = stored.into_iter().map(StoredLine::into_line).collect();
            let assigned = codes.assign(&lines);
            // One UPDATE per account and batch of its lines' positions.
            for (a, code) in assigned.codes.iter().enumerate() {
                let mine: Vec<i64> = positions
                    .iter()
                    .zip(&assigned.of_line)
                    .filter(|(_, of)| **of as usize == a)
                    .map(|(p, _)| *p)
                    .collect();
                for chunk in mine.chunks(BATCH) {
                    on_tx!(tx, c => {
                        let mut q = sqlx::QueryBuilder::new(SET_ACCOUNT);
                        q.push_bind(code)
                            .push(" WHERE import_id = ")
                            .push_bind(import_id)
                            .push(" AND account IS NULL AND position IN (");
                        let mut list = q.separated(", ");
                        for p in chunk {
                            list.push_bind(*p);
                        }
                        q.push(")");
                        q.build().execute(c).await.map(crate::backend::affected)
                    })?;
                }
            }
            let summaries = journals::summarise(&lines, &assigned).ok_or_else(|| {
                StoreError::invalid("amount", format!("{file_name}: a month's total overflows"))
            })?;
            let mut posting = Vec::with_capacity(summaries.len());
            for s in &summaries {
                if let Some(j) = journals::journal(import_id, &file_name, s)
                    .map_err(|e| StoreError::invalid(e.field(), e.to_string()))?
                {
                    posting.push(j);
                }
            }
            let ids = tx
                .post_new_journals(organisation_id, &posting, actor)
                .await?;
            tx.audit(
                actor,
                "spend.post",
                "spend_import",
                &import_id.to_string(),
                json!({"organisation_id": organisation_id, "file": file_name,
                       "lines": lines.len(), "journals_posted": ids.len()}),
            )
            .await?;
            posted.imports.push((import_id, lines.len(), ids.len()));
        }
        if !posted.imports.is_empty() {
            tx.commit().await?;
        }
        Ok(posted)
    }
}
