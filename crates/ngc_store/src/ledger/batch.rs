//! Posting many journals of one organisation at once, for the feeds that bring them by the
//! thousand (a spend file posts one journal per month and account): batched inserts of the
//! journals and their postings, and one upsert per account and month of the maintained
//! balances. The journals are new: a key posted before is a conflict, not a repeat, since the
//! feed's own record (the import) is what makes a retry write nothing.

use crate::tx::WriteTx;
use crate::{Actor, StoreError, on_tx};
use ngc_domain::ledger::{Account, Journal, Side, month_of};
use std::collections::{HashMap, HashSet};

/// Rows per INSERT: at most 7 values each, within both databases' limits on bound values.
const BATCH: usize = 1000;

const ACCOUNTS: &str = "SELECT code, id FROM ledger_accounts WHERE organisation_id = $1";
const INSERT_ACCOUNTS: &str =
    "INSERT INTO ledger_accounts (organisation_id, code, kind, service, subjective) ";
const INSERT_JOURNALS: &str = "INSERT INTO ledger_journals (organisation_id, idempotency_key, \
    journal_date, description, reverses, posted_at, posted_by) ";
const INSERT_POSTINGS: &str = "INSERT INTO ledger_postings (journal_id, line, account_id, debit, \
    credit, source_kind, source_reference) ";
const ADD_TO_BALANCES: &str = "INSERT INTO ledger_balances (account_id, month, debit, credit) ";
const ON_BALANCE: &str = " ON CONFLICT (account_id, month) DO UPDATE SET \
    debit = ledger_balances.debit + excluded.debit, \
    credit = ledger_balances.credit + excluded.credit";

impl WriteTx {
    /// Posts new journals to the organisation's ledger in this transaction and returns their
    /// ids in the order given. A key posted before, or a second reversal of a journal, is a
    /// conflict and the caller's transaction must be dropped. Writes no audit record: the
    /// operation that posts them writes one naming what it posted.
    pub async fn post_new_journals(
        &mut self,
        organisation_id: i64,
        journals: &[Journal],
        actor: &Actor,
    ) -> Result<Vec<i64>, StoreError> {
        if journals.is_empty() {
            return Ok(Vec::new());
        }
        let accounts = self.account_ids(organisation_id, journals).await?;
        let now = self.now();
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(journals.len());
        for chunk in journals.chunks(BATCH) {
            let rows: Vec<(i64, String)> = on_tx!(self, c => {
                let mut q = sqlx::QueryBuilder::new(INSERT_JOURNALS);
                q.push_values(chunk, |mut b, j| {
                    b.push_bind(organisation_id)
                        .push_bind(&j.key)
                        .push_bind(j.date)
                        .push_bind(&j.description)
                        .push_bind(j.reverses)
                        .push_bind(now)
                        .push_bind(actor.user_id);
                });
                q.push(" RETURNING id, idempotency_key");
                q.build_query_as().fetch_all(c).await
            })
            .map_err(|e| conflict_or(e.into()))?;
            ids.extend(rows.into_iter().map(|(id, key)| (key, id)));
        }
        let ids: Vec<i64> = journals
            .iter()
            .map(|j| {
                ids.get(&j.key).copied().ok_or_else(|| {
                    StoreError::Conflict(format!("journal `{}` was not posted", j.key))
                })
            })
            .collect::<Result<_, _>>()?;

        struct Row<'a> {
            journal: i64,
            line: i64,
            account: i64,
            debit: i64,
            credit: i64,
            kind: &'static str,
            reference: &'a str,
        }
        let mut balances: HashMap<(i64, String), (i64, i64)> = HashMap::new();
        let mut rows = Vec::new();
        for (j, &id) in journals.iter().zip(&ids) {
            let month = month_of(j.date);
            for (i, p) in j.postings().iter().enumerate() {
                let account = accounts[&p.account.to_string()];
                let (debit, credit) = match p.side {
                    Side::Debit => (p.amount.as_pence(), 0),
                    Side::Credit => (0, p.amount.as_pence()),
                };
                let b = balances.entry((account, month.clone())).or_default();
                b.0 += debit;
                b.1 += credit;
                rows.push(Row {
                    journal: id,
                    line: i as i64 + 1,
                    account,
                    debit,
                    credit,
                    kind: p.source.kind.as_str(),
                    reference: &p.source.reference,
                });
            }
        }
        // Each INSERT of postings is built while the one before runs.
        on_tx!(self, c => {
            let build = |chunk: &[Row<'_>]| {
                let mut q = sqlx::QueryBuilder::new(INSERT_POSTINGS);
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.journal)
                        .push_bind(r.line)
                        .push_bind(r.account)
                        .push_bind(r.debit)
                        .push_bind(r.credit)
                        .push_bind(r.kind)
                        .push_bind(r.reference.to_owned());
                });
                q
            };
            let mut chunks = rows.chunks(BATCH);
            let mut next = chunks.next().map(build);
            while let Some(mut q) = next.take() {
                let following = chunks.next();
                let (done, built) = tokio::join!(q.build().execute(&mut *c), async {
                    following.map(build)
                });
                done?;
                next = built;
            }
            Ok::<_, sqlx::Error>(())
        })?;
        let balances: Vec<_> = balances.into_iter().collect();
        for chunk in balances.chunks(BATCH) {
            on_tx!(self, c => {
                let mut q = sqlx::QueryBuilder::new(ADD_TO_BALANCES);
                q.push_values(chunk, |mut b, ((account, month), (debit, credit))| {
                    b.push_bind(*account)
                        .push_bind(month)
                        .push_bind(*debit)
                        .push_bind(*credit);
                });
                q.push(ON_BALANCE);
                q.build().execute(c).await.map(crate::backend::affected)
            })?;
        }
        Ok(ids)
    }

    /// The ids of every account the journals post to, by code, made where they are new.
    async fn account_ids(
        &mut self,
        organisation_id: i64,
        journals: &[Journal],
    ) -> Result<HashMap<String, i64>, StoreError> {
        let mut ids: HashMap<String, i64> = on_tx!(self, c => sqlx::query_as(ACCOUNTS)
            .bind(organisation_id).fetch_all(c).await)?
        .into_iter()
        .collect();
        let mut seen = HashSet::new();
        let mut new: Vec<(String, &Account)> = Vec::new();
        for p in journals.iter().flat_map(|j| j.postings()) {
            if seen.insert(&p.account) {
                let code = p.account.to_string();
                if !ids.contains_key(&code) {
                    new.push((code, &p.account));
                }
            }
        }
        for chunk in new.chunks(BATCH) {
            let made: Vec<(i64, String)> = on_tx!(self, c => {
                let mut q = sqlx::QueryBuilder::new(INSERT_ACCOUNTS);
                q.push_values(chunk, |mut b, (code, a)| {
                    b.push_bind(organisation_id)
                        .push_bind(code)
                        .push_bind(a.kind().as_str())
                        .push_bind(a.service())
                        .push_bind(a.subjective());
                });
                q.push(" RETURNING id, code");
                q.build_query_as().fetch_all(c).await
            })?;
            ids.extend(made.into_iter().map(|(id, code)| (code, id)));
        }
        Ok(ids)
    }
}

/// A unique violation on posting is a key posted before or a journal reversed twice.
fn conflict_or(e: StoreError) -> StoreError {
    if e.is_unique_violation() {
        StoreError::Conflict(
            "a journal's key was posted before, or a journal was reversed already".into(),
        )
    } else {
        e
    }
}
