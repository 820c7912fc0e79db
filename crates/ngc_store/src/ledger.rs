//! The ledger (migration 0026): accounts made as they are first posted to, posted journals
//! (immutable; the idempotency key is unique per organisation), their postings, and the
//! balances per account and month, updated in the transaction that posts.
//!
//! Posting a key again with the same content returns the first journal and writes nothing;
//! with different content it is a conflict naming the key. A journal is reversed at most
//! once, and a reversal is not reversed. The trial balance at a date reads the monthly
//! balances of the whole months before it and the postings of at most one month.

mod batch;
mod list;
mod spend;

pub use list::JournalSummary;
pub use spend::LinesBehind;

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ngc_domain::ledger::{
    Account, Balances, Journal, Posting, Side, Source, TrialBalance, month_of,
};
use ngc_domain::money::Money;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A journal as posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostedJournal {
    pub id: i64,
    pub organisation_id: i64,
    pub journal: Journal,
    pub posted_at: DateTime<Utc>,
    pub posted_by: Option<i64>,
}

/// What a post did: the journal, and whether this call wrote it (`false`: the key had been
/// posted before with the same content, and nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posted {
    pub journal: PostedJournal,
    pub created: bool,
}

/// One account's debits and credits in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthBalance {
    pub account: Account,
    /// `YYYY-MM`.
    pub month: String,
    pub debit: Money,
    pub credit: Money,
}

const JOURNAL_BY_KEY: &str = "SELECT id, organisation_id, idempotency_key, journal_date, \
    description, reverses, posted_at, posted_by FROM ledger_journals \
    WHERE organisation_id = $1 AND idempotency_key = $2";
const JOURNAL_BY_ID: &str = "SELECT id, organisation_id, idempotency_key, journal_date, \
    description, reverses, posted_at, posted_by FROM ledger_journals \
    WHERE organisation_id = $1 AND id = $2";
const REVERSED_BY: &str = "SELECT id FROM ledger_journals WHERE reverses = $1";
const POSTINGS: &str = "SELECT a.code, p.debit, p.credit, p.source_kind, p.source_reference \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
    WHERE p.journal_id = $1 ORDER BY p.line";
const ACCOUNT_ID: &str = "SELECT id FROM ledger_accounts WHERE organisation_id = $1 AND code = $2";
const INSERT_ACCOUNT: &str = "INSERT INTO ledger_accounts \
    (organisation_id, code, kind, service, subjective) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const INSERT_JOURNAL: &str = "INSERT INTO ledger_journals (organisation_id, idempotency_key, \
    journal_date, description, reverses, posted_at, posted_by) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const INSERT_POSTING: &str = "INSERT INTO ledger_postings (journal_id, line, account_id, debit, \
    credit, source_kind, source_reference) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const ADD_TO_BALANCE: &str = "INSERT INTO ledger_balances (account_id, month, debit, credit) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, month) DO UPDATE SET \
    debit = ledger_balances.debit + excluded.debit, \
    credit = ledger_balances.credit + excluded.credit";
/// The whole months before `$2` (`YYYY-MM`), from the maintained balances.
const BALANCES_BEFORE: &str = "SELECT a.code, CAST(COALESCE(SUM(b.debit), 0) AS BIGINT), \
    CAST(COALESCE(SUM(b.credit), 0) AS BIGINT) FROM ledger_balances b \
    JOIN ledger_accounts a ON a.id = b.account_id \
    WHERE a.organisation_id = $1 AND b.month < $2 GROUP BY a.code";
/// The postings from `$2` to `$3`, at most one month.
const POSTED_BETWEEN: &str = "SELECT a.code, CAST(COALESCE(SUM(p.debit), 0) AS BIGINT), \
    CAST(COALESCE(SUM(p.credit), 0) AS BIGINT) FROM ledger_postings p \
    JOIN ledger_journals j ON j.id = p.journal_id \
    JOIN ledger_accounts a ON a.id = p.account_id \
    WHERE j.organisation_id = $1 AND j.journal_date >= $2 AND j.journal_date <= $3 \
    GROUP BY a.code";
const MONTH_BALANCES: &str = "SELECT a.code, b.month, b.debit, b.credit FROM ledger_balances b \
    JOIN ledger_accounts a ON a.id = b.account_id \
    WHERE a.organisation_id = $1 AND b.month >= $2 AND b.month <= $3 \
    ORDER BY a.kind, a.service, a.subjective, a.code, b.month";
const ALL_POSTINGS: &str = "SELECT a.code, CAST(COALESCE(SUM(p.debit), 0) AS BIGINT), \
    CAST(COALESCE(SUM(p.credit), 0) AS BIGINT) FROM ledger_postings p \
    JOIN ledger_accounts a ON a.id = p.account_id \
    WHERE a.organisation_id = $1 GROUP BY a.code";
const JOURNAL_IDS: &str = "SELECT id FROM ledger_journals WHERE organisation_id = $1 \
    ORDER BY journal_date, id";
const JOURNAL_BY_SOURCE: &str = "SELECT DISTINCT j.id FROM ledger_journals j \
    JOIN ledger_postings p ON p.journal_id = j.id \
    WHERE j.organisation_id = $1 AND p.source_kind = $2 AND p.source_reference = $3 \
    ORDER BY j.id";

#[derive(FromRow)]
struct JournalRow {
    id: i64,
    organisation_id: i64,
    idempotency_key: String,
    journal_date: NaiveDate,
    description: String,
    reverses: Option<i64>,
    posted_at: DateTime<Utc>,
    posted_by: Option<i64>,
}

type PostingRow = (String, i64, i64, String, String);
type TotalRow = (String, i64, i64);

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Conflict(format!("the stored ledger is inconsistent: {what}"))
}

fn account(code: &str) -> Result<Account, StoreError> {
    code.parse().map_err(corrupt)
}

fn decode_posting(row: PostingRow) -> Result<Posting, StoreError> {
    let (code, debit, credit, kind, reference) = row;
    let (side, amount) = match (debit, credit) {
        (d, 0) if d > 0 => (Side::Debit, d),
        (0, c) if c > 0 => (Side::Credit, c),
        _ => {
            return Err(corrupt(format!(
                "a posting to `{code}` is {debit}/{credit}"
            )));
        }
    };
    Ok(Posting {
        account: account(&code)?,
        side,
        amount: Money::pence(amount),
        source: Source {
            kind: kind.parse().map_err(corrupt)?,
            reference,
        },
    })
}

fn decode_journal(row: JournalRow, postings: Vec<PostingRow>) -> Result<PostedJournal, StoreError> {
    let postings = postings
        .into_iter()
        .map(decode_posting)
        .collect::<Result<Vec<_>, _>>()?;
    let journal = Journal::restore(
        row.idempotency_key,
        row.journal_date,
        row.description,
        row.reverses,
        postings,
    )
    .map_err(corrupt)?;
    Ok(PostedJournal {
        id: row.id,
        organisation_id: row.organisation_id,
        journal,
        posted_at: row.posted_at,
        posted_by: row.posted_by,
    })
}

fn add_totals(balances: &mut Balances, rows: Vec<TotalRow>) -> Result<(), StoreError> {
    for (code, d, c) in rows {
        balances.add(account(&code)?, Money::pence(d), Money::pence(c));
    }
    Ok(())
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

impl WriteTx {
    async fn journal_row(
        &mut self,
        row: Option<JournalRow>,
    ) -> Result<Option<PostedJournal>, StoreError> {
        let Some(row) = row else { return Ok(None) };
        let postings: Vec<PostingRow> =
            on_tx!(self, c => sqlx::query_as(POSTINGS).bind(row.id).fetch_all(c).await)?;
        decode_journal(row, postings).map(Some)
    }

    async fn account_id(&mut self, organisation_id: i64, a: &Account) -> Result<i64, StoreError> {
        let code = a.to_string();
        let found: Option<i64> = on_tx!(self, c => sqlx::query_scalar(ACCOUNT_ID)
            .bind(organisation_id).bind(&code).fetch_optional(c).await)?;
        if let Some(id) = found {
            return Ok(id);
        }
        Ok(
            on_tx!(self, c => sqlx::query_scalar(INSERT_ACCOUNT).bind(organisation_id)
            .bind(&code).bind(a.kind().as_str()).bind(a.service()).bind(a.subjective())
            .fetch_one(c).await)?,
        )
    }

    /// Posts a journal in this transaction (with its audit record), or returns the journal
    /// posted before under the same key when the content is the same.
    pub async fn post_journal(
        &mut self,
        organisation_id: i64,
        journal: &Journal,
        actor: &Actor,
    ) -> Result<Posted, StoreError> {
        let row: Option<JournalRow> = on_tx!(self, c => sqlx::query_as(JOURNAL_BY_KEY)
            .bind(organisation_id).bind(&journal.key).fetch_optional(c).await)?;
        if let Some(earlier) = self.journal_row(row).await? {
            if earlier.journal == *journal {
                return Ok(Posted {
                    journal: earlier,
                    created: false,
                });
            }
            return Err(StoreError::Conflict(format!(
                "the idempotency key `{}` was used for journal {} with different content: use \
                 a new key for a new journal",
                journal.key, earlier.id
            )));
        }
        if let Some(of) = journal.reverses {
            let original: Option<JournalRow> = on_tx!(self, c => sqlx::query_as(JOURNAL_BY_ID)
                .bind(organisation_id).bind(of).fetch_optional(c).await)?;
            let original = original.ok_or_else(|| StoreError::NotFound(format!("journal {of}")))?;
            if let Some(r) = original.reverses {
                return Err(StoreError::Conflict(format!(
                    "journal {of} is itself a reversal (of journal {r}): a reversal is not reversed"
                )));
            }
            let by: Option<i64> = on_tx!(self, c => sqlx::query_scalar(REVERSED_BY)
                .bind(of).fetch_optional(c).await)?;
            if let Some(by) = by {
                return Err(StoreError::Conflict(format!(
                    "journal {of} was reversed already, by journal {by}"
                )));
            }
        }
        let now = self.now();
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_JOURNAL).bind(organisation_id)
            .bind(&journal.key).bind(journal.date).bind(&journal.description)
            .bind(journal.reverses).bind(now).bind(actor.user_id).fetch_one(c).await)?;
        let month = month_of(journal.date);
        for (i, p) in journal.postings().iter().enumerate() {
            let account_id = self.account_id(organisation_id, &p.account).await?;
            let (debit, credit) = match p.side {
                Side::Debit => (p.amount.as_pence(), 0),
                Side::Credit => (0, p.amount.as_pence()),
            };
            let line = i64::try_from(i + 1).unwrap_or(i64::MAX);
            on_tx!(self, c => sqlx::query(INSERT_POSTING).bind(id).bind(line).bind(account_id)
                .bind(debit).bind(credit).bind(p.source.kind.as_str()).bind(&p.source.reference)
                .execute(c).await.map(crate::backend::affected))?;
            on_tx!(self, c => sqlx::query(ADD_TO_BALANCE).bind(account_id).bind(&month)
                .bind(debit).bind(credit).execute(c).await.map(crate::backend::affected))?;
        }
        self.audit(
            actor,
            "ledger.post",
            "ledger_journal",
            &id.to_string(),
            json!({"organisation_id": organisation_id, "journal": journal}),
        )
        .await?;
        Ok(Posted {
            journal: PostedJournal {
                id,
                organisation_id,
                journal: journal.clone(),
                posted_at: now,
                posted_by: actor.user_id,
            },
            created: true,
        })
    }

    /// The organisation's journal with this id, read inside the transaction.
    pub async fn ledger_journal(
        &mut self,
        organisation_id: i64,
        id: i64,
    ) -> Result<Option<PostedJournal>, StoreError> {
        let row: Option<JournalRow> = on_tx!(self, c => sqlx::query_as(JOURNAL_BY_ID)
            .bind(organisation_id).bind(id).fetch_optional(c).await)?;
        self.journal_row(row).await
    }
}

impl Store {
    /// Posts a journal to the organisation's ledger with its audit record, in one
    /// transaction. The same key with the same content returns the first journal and
    /// writes nothing; with different content it is a conflict.
    pub async fn post_journal(
        &self,
        organisation_id: i64,
        journal: &Journal,
        actor: &Actor,
    ) -> Result<Posted, StoreError> {
        let mut tx = self.begin_write().await?;
        let posted = tx.post_journal(organisation_id, journal, actor).await?;
        if posted.created {
            tx.commit().await?;
        }
        Ok(posted)
    }

    /// Posts several journals, each to its organisation's ledger, in one transaction: all
    /// of them, or none (a key posted before with the same content counts as posted).
    pub async fn post_journals(
        &self,
        journals: &[(i64, Journal)],
        actor: &Actor,
    ) -> Result<Vec<Posted>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut out = Vec::with_capacity(journals.len());
        for (organisation_id, j) in journals {
            out.push(tx.post_journal(*organisation_id, j, actor).await?);
        }
        if out.iter().any(|p| p.created) {
            tx.commit().await?;
        }
        Ok(out)
    }

    /// Reverses the organisation's journal `id` by a journal dated `date` under `key`: the
    /// same postings on the other sides, pointing back to it. A reversal is not reversed,
    /// and a journal is reversed at most once; the same key again returns the first reversal.
    pub async fn reverse_journal(
        &self,
        organisation_id: i64,
        id: i64,
        key: &str,
        date: NaiveDate,
        description: &str,
        actor: &Actor,
    ) -> Result<Posted, StoreError> {
        let mut tx = self.begin_write().await?;
        let original = tx
            .ledger_journal(organisation_id, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("journal {id}")))?;
        let reversal = Journal::reversal_of(id, &original.journal, key, date, description)
            .map_err(|e| match e {
                ngc_domain::ledger::JournalError::ReversalOfReversal { .. } => {
                    StoreError::Conflict(e.to_string())
                }
                e => StoreError::invalid(e.field(), e.to_string()),
            })?;
        let posted = tx.post_journal(organisation_id, &reversal, actor).await?;
        if posted.created {
            tx.commit().await?;
        }
        Ok(posted)
    }

    /// The organisation's journal with this id.
    pub async fn ledger_journal(
        &self,
        organisation_id: i64,
        id: i64,
    ) -> Result<Option<PostedJournal>, StoreError> {
        let row: Option<JournalRow> = on_each_backend!(self, pool =>
            sqlx::query_as(JOURNAL_BY_ID).bind(organisation_id).bind(id)
                .fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        let postings: Vec<PostingRow> = on_each_backend!(self, pool =>
            sqlx::query_as(POSTINGS).bind(row.id).fetch_all(pool).await)?;
        decode_journal(row, postings).map(Some)
    }

    /// The organisation's journal posted under this key.
    pub async fn ledger_journal_by_key(
        &self,
        organisation_id: i64,
        key: &str,
    ) -> Result<Option<PostedJournal>, StoreError> {
        let id: Option<i64> = on_each_backend!(self, pool =>
            sqlx::query_scalar("SELECT id FROM ledger_journals WHERE organisation_id = $1 \
                AND idempotency_key = $2").bind(organisation_id).bind(key)
                .fetch_optional(pool).await)?;
        match id {
            Some(id) => self.ledger_journal(organisation_id, id).await,
            None => Ok(None),
        }
    }

    /// The ids of the organisation's journals with a posting from this source, oldest first.
    pub async fn ledger_journals_from(
        &self,
        organisation_id: i64,
        source: &Source,
    ) -> Result<Vec<i64>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_scalar(JOURNAL_BY_SOURCE).bind(organisation_id)
                .bind(source.kind.as_str()).bind(&source.reference).fetch_all(pool).await)?)
    }

    /// The ids of the organisation's journals, by date.
    pub async fn ledger_journal_ids(&self, organisation_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_scalar(JOURNAL_IDS).bind(organisation_id).fetch_all(pool).await)?)
    }

    /// The organisation's balances at the end of `at` (journals dated on or before it): the
    /// maintained monthly balances of the months before, and the postings of `at`'s month
    /// up to that day.
    pub async fn ledger_balances_at(
        &self,
        organisation_id: i64,
        at: NaiveDate,
    ) -> Result<Balances, StoreError> {
        let start = first_of_month(at);
        let month = month_of(at);
        let before: Vec<TotalRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BALANCES_BEFORE).bind(organisation_id).bind(&month)
                .fetch_all(pool).await)?;
        let this_month: Vec<TotalRow> = on_each_backend!(self, pool =>
            sqlx::query_as(POSTED_BETWEEN).bind(organisation_id).bind(start).bind(at)
                .fetch_all(pool).await)?;
        let mut balances = Balances::new();
        add_totals(&mut balances, before)?;
        add_totals(&mut balances, this_month)?;
        Ok(balances)
    }

    /// The organisation's trial balance at the end of `at`.
    pub async fn trial_balance(
        &self,
        organisation_id: i64,
        at: NaiveDate,
    ) -> Result<TrialBalance, StoreError> {
        Ok(TrialBalance::of(
            &self.ledger_balances_at(organisation_id, at).await?,
        ))
    }

    /// The maintained balances per account and month from `from` to `to` (`YYYY-MM`, both
    /// included), by kind, service line, subjective and month.
    pub async fn ledger_month_balances(
        &self,
        organisation_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<MonthBalance>, StoreError> {
        let rows: Vec<(String, String, i64, i64)> = on_each_backend!(self, pool =>
            sqlx::query_as(MONTH_BALANCES).bind(organisation_id).bind(from).bind(to)
                .fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(code, month, d, c)| {
                Ok(MonthBalance {
                    account: account(&code)?,
                    month,
                    debit: Money::pence(d),
                    credit: Money::pence(c),
                })
            })
            .collect()
    }

    /// The organisation's balances summed from every posting: what the maintained monthly
    /// balances must always equal (a check, not the way reports read).
    pub async fn ledger_balances_from_postings(
        &self,
        organisation_id: i64,
    ) -> Result<Balances, StoreError> {
        let rows: Vec<TotalRow> = on_each_backend!(self, pool =>
            sqlx::query_as(ALL_POSTINGS).bind(organisation_id).fetch_all(pool).await)?;
        let mut balances = Balances::new();
        add_totals(&mut balances, rows)?;
        Ok(balances)
    }
}
