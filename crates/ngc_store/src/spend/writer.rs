//! A spend file stored as it is read: [`Store::begin_spend_import`] opens the transaction and
//! writes the import, [`SpendWriter::add`] stores each batch of lines as it comes, and
//! [`SpendWriter::finish`] writes the totals, posts the summarised journals, reverses a replaced
//! import's journals, writes the audit record and commits. A writer dropped before `finish`
//! rolls everything back, so a file is stored whole or not at all while only a batch of its
//! lines is held.
//!
//! On SQLite the lines go in as multi-row INSERTs of bound values; on PostgreSQL as one `COPY`
//! per batch, the database's own bulk load (the one statement that is not shared: SQLite has
//! no COPY).

use super::{BY_ID, BY_SHA, INSERT_LINES, SpendImport, SpendStored};
use crate::tx::{TxInner, WriteTx};
use crate::{Actor, Store, StoreError, on_tx};
use chrono::NaiveDate;
use ngc_domain::ledger::Journal;
use ngc_domain::money::Money;
use ngc_domain::spend::SpendLine;
use ngc_domain::spend::journals::{self, Summary};
use serde_json::json;

const INSERT_IMPORT: &str = "INSERT INTO spend_imports (organisation_id, file_name, sha256, \
    lines, repeats, redacted, first_paid_on, last_paid_on, net_total, replaces_id, imported_by, \
    imported_at) VALUES ($1, $2, $3, 0, 0, 0, NULL, NULL, 0, $4, $5, $6) RETURNING id";
const SET_TOTALS: &str = "UPDATE spend_imports SET lines = $2, repeats = $3, redacted = $4, \
    first_paid_on = $5, last_paid_on = $6, net_total = $7 WHERE id = $1";
const MARK_REPLACED: &str = "UPDATE spend_imports SET replaced_by_id = $2 \
    WHERE id = $1 AND replaced_by_id IS NULL";
const COPY_LINES: &str = "COPY spend_lines (import_id, position, member, line, paid_on, \
    month_only, supplier, redacted, amount, gross, vat, irrecoverable_vat, transaction_ref, \
    service, expense_type, expense_code, description, supplier_id, invoice_number, \
    merchant_category, account) FROM STDIN";

/// Lines per INSERT on SQLite: 21 values each, within its limit on bound values.
const INSERT_BATCH: usize = 1000;

/// A spend import under way, its transaction open (see the module).
pub struct SpendWriter {
    tx: WriteTx,
    organisation_id: i64,
    id: i64,
    name: String,
    sha256: String,
    replaces: Option<i64>,
    lines: i64,
    redacted: i64,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// `None` once the total has overflowed.
    net: Option<Money>,
    /// The COPY text of a batch, kept between batches.
    copy: Vec<u8>,
}

impl std::fmt::Debug for SpendWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpendWriter")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("lines", &self.lines)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens a spend import of the file `name` with the SHA-256 `sha256` for the organisation:
    /// the same content imported before is a conflict, and `replaces` must name an import of
    /// the organisation not already replaced; the earlier import is marked replaced by this
    /// one (its lines stay).
    pub async fn begin_spend_import(
        &self,
        organisation_id: i64,
        name: &str,
        sha256: &str,
        replaces: Option<i64>,
        actor: &Actor,
    ) -> Result<SpendWriter, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let existing: Option<SpendImport> = on_tx!(tx, c => sqlx::query_as(BY_SHA)
            .bind(organisation_id).bind(sha256).fetch_optional(c).await)?;
        if let Some(e) = existing {
            return Err(StoreError::Conflict(format!(
                "{name} has the same content as import {} ({}, imported {})",
                e.id,
                e.file_name,
                e.imported_at.date_naive()
            )));
        }
        if let Some(old) = replaces {
            let replaced: Option<SpendImport> = on_tx!(tx, c => sqlx::query_as(BY_ID)
                .bind(old).fetch_optional(c).await)?;
            match replaced {
                Some(r) if r.organisation_id != organisation_id => {
                    return Err(StoreError::invalid(
                        "replaces",
                        format!("the organisation has no import {old}"),
                    ));
                }
                Some(SpendImport {
                    replaced_by_id: Some(by),
                    ..
                }) => {
                    return Err(StoreError::invalid(
                        "replaces",
                        format!("import {old} was already replaced by import {by}"),
                    ));
                }
                Some(_) => {}
                None => {
                    return Err(StoreError::invalid(
                        "replaces",
                        format!("the organisation has no import {old}"),
                    ));
                }
            }
        }
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_IMPORT)
            .bind(organisation_id)
            .bind(name)
            .bind(sha256)
            .bind(replaces)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(c)
            .await)?;
        if let Some(old) = replaces {
            on_tx!(tx, c => sqlx::query(MARK_REPLACED).bind(old).bind(id)
                .execute(c).await.map(crate::backend::affected))?;
        }
        Ok(SpendWriter {
            tx,
            organisation_id,
            id,
            name: name.to_owned(),
            sha256: sha256.to_owned(),
            replaces,
            lines: 0,
            redacted: 0,
            first: None,
            last: None,
            net: Some(Money::ZERO),
            copy: Vec::new(),
        })
    }
}

impl SpendWriter {
    /// The new import's id.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Stores lines after those already stored, each charged to the account whose code is
    /// beside it in `accounts`.
    pub async fn add(&mut self, lines: &[SpendLine], accounts: &[&str]) -> Result<(), StoreError> {
        if lines.len() != accounts.len() {
            return Err(StoreError::invalid(
                "account",
                format!("{} lines and {} accounts", lines.len(), accounts.len()),
            ));
        }
        for l in lines {
            let day = l.paid_on.date();
            self.first = Some(self.first.map_or(day, |f| f.min(day)));
            self.last = Some(self.last.map_or(day, |f| f.max(day)));
            self.net = self.net.and_then(|n| n.checked_add(l.amount));
            self.redacted += i64::from(l.redacted);
        }
        let start = self.lines;
        self.lines += lines.len() as i64;
        let id = self.id;
        match self.tx.inner() {
            TxInner::Sqlite(t) => {
                // Each INSERT is built while the one before runs on SQLite's thread.
                let mut parts = lines.chunks(INSERT_BATCH).enumerate();
                let mut next = parts
                    .next()
                    .map(|(k, part)| insert_lines(id, start, k, part, accounts));
                while let Some(mut q) = next.take() {
                    let following = parts.next();
                    let (done, built) = tokio::join!(q.build().execute(&mut **t), async {
                        following.map(|(k, part)| insert_lines(id, start, k, part, accounts))
                    });
                    done?;
                    next = built;
                }
            }
            TxInner::Postgres(t) => {
                let buf = &mut self.copy;
                buf.clear();
                for (i, (l, account)) in lines.iter().zip(accounts).enumerate() {
                    copy_row(buf, id, start + i as i64, l, account);
                }
                let mut copy = t.copy_in_raw(COPY_LINES).await?;
                copy.send(buf.as_slice()).await?;
                copy.finish().await?;
            }
        }
        Ok(())
    }

    /// Writes the import's totals (with `repeats`, the lines that repeat another in full),
    /// posts a journal for each of the file's `summaries` (none for a nil net), reverses the
    /// replaced import's journals still standing on their own dates, writes the audit record
    /// and commits.
    pub async fn finish(
        mut self,
        repeats: usize,
        summaries: &[Summary],
        actor: &Actor,
    ) -> Result<SpendStored, StoreError> {
        let (id, organisation_id) = (self.id, self.organisation_id);
        let net = self.net.ok_or_else(|| {
            StoreError::invalid(
                "amount",
                format!("{}: the file's total overflows", self.name),
            )
        })?;
        let tx = &mut self.tx;
        on_tx!(tx, c => sqlx::query(SET_TOTALS)
            .bind(id)
            .bind(self.lines)
            .bind(repeats as i64)
            .bind(self.redacted)
            .bind(self.first)
            .bind(self.last)
            .bind(net.as_pence())
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        let mut posting = Vec::with_capacity(summaries.len());
        for s in summaries {
            if let Some(j) = journals::journal(id, &self.name, s)
                .map_err(|e| StoreError::invalid(e.field(), e.to_string()))?
            {
                posting.push(j);
            }
        }
        let posted = tx
            .post_new_journals(organisation_id, &posting, actor)
            .await?;
        let mut reversed = Vec::new();
        if let Some(old) = self.replaces {
            let standing = tx.standing_spend_journals(organisation_id, old).await?;
            let reversals = standing
                .iter()
                .map(|(jid, j)| {
                    Journal::reversal_of(
                        *jid,
                        j,
                        journals::reversal_key(*jid, id),
                        j.date,
                        format!("Reversed: import {old} was replaced by import {id}"),
                    )
                    .map_err(|e| StoreError::invalid(e.field(), e.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            reversed = tx
                .post_new_journals(organisation_id, &reversals, actor)
                .await?;
        }
        tx.audit(
            actor,
            "spend.import",
            "spend_import",
            &id.to_string(),
            json!({"organisation_id": organisation_id, "file": self.name, "sha256": self.sha256,
                   "lines": self.lines, "repeats": repeats, "redacted": self.redacted,
                   "first_paid_on": self.first, "last_paid_on": self.last,
                   "net_total": net, "replaces": self.replaces,
                   "journals_posted": posted.len(), "journals_reversed": reversed.len()}),
        )
        .await?;
        self.tx.commit().await?;
        Ok(SpendStored {
            id,
            journals: posted.len(),
            reversed: reversed.len(),
        })
    }
}

/// The INSERT of the `k`th part of a batch of lines whose first is at position `start`.
fn insert_lines<'a>(
    id: i64,
    start: i64,
    k: usize,
    part: &'a [SpendLine],
    accounts: &'a [&'a str],
) -> sqlx::QueryBuilder<'a, sqlx::Sqlite> {
    let from = start + (k * INSERT_BATCH) as i64;
    let codes = &accounts[k * INSERT_BATCH..];
    let mut q = sqlx::QueryBuilder::new(INSERT_LINES);
    q.push_values(part.iter().enumerate(), |mut b, (i, l)| {
        b.push_bind(id)
            .push_bind(from + i as i64)
            .push_bind(l.member.as_str())
            .push_bind(l.line as i64)
            .push_bind(l.paid_on.date())
            .push_bind(l.paid_on.month_only())
            .push_bind(l.supplier.as_str())
            .push_bind(l.redacted)
            .push_bind(l.amount.as_pence())
            .push_bind(l.gross.map(Money::as_pence))
            .push_bind(l.vat.map(Money::as_pence))
            .push_bind(l.irrecoverable_vat.map(Money::as_pence))
            .push_bind(l.transaction.as_str())
            .push_bind(l.service.as_str())
            .push_bind(l.expense_type.as_str())
            .push_bind(l.expense_code.as_str())
            .push_bind(l.description.as_str())
            .push_bind(l.supplier_id.as_str())
            .push_bind(l.invoice_number.as_str())
            .push_bind(l.merchant_category.as_str())
            .push_bind(codes[i]);
    });
    q
}

/// One line as a row of `COPY … FROM STDIN` text: tab-separated, `\N` for null, and a
/// backslash, tab, newline or carriage return in a value escaped.
fn copy_row(out: &mut Vec<u8>, import: i64, position: i64, l: &SpendLine, account: &str) {
    use std::io::Write;
    let text = |out: &mut Vec<u8>, s: &str| {
        for b in s.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
        }
    };
    let pence = |out: &mut Vec<u8>, m: Option<Money>| match m {
        Some(m) => {
            let _ = write!(out, "{}", m.as_pence());
        }
        None => out.extend_from_slice(b"\\N"),
    };
    let flag = |b: bool| if b { "t" } else { "f" };
    let _ = write!(out, "{import}\t{position}\t");
    text(out, &l.member);
    let _ = write!(
        out,
        "\t{}\t{}\t{}\t",
        l.line,
        l.paid_on.date(),
        flag(l.paid_on.month_only())
    );
    text(out, &l.supplier);
    let _ = write!(out, "\t{}\t{}\t", flag(l.redacted), l.amount.as_pence());
    pence(out, l.gross);
    out.push(b'\t');
    pence(out, l.vat);
    out.push(b'\t');
    pence(out, l.irrecoverable_vat);
    for s in [
        &l.transaction,
        &l.service,
        &l.expense_type,
        &l.expense_code,
        &l.description,
        &l.supplier_id,
        &l.invoice_number,
        &l.merchant_category,
    ] {
        out.push(b'\t');
        text(out, s);
    }
    out.push(b'\t');
    text(out, account);
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngc_domain::spend::PaidOn;

    #[test]
    fn a_copy_row_escapes_what_copy_text_treats_specially_and_writes_null_as_backslash_n() {
        let line = SpendLine {
            member: String::new(),
            line: 7,
            paid_on: PaidOn::Month(NaiveDate::from_ymd_opt(2015, 4, 1).unwrap()),
            supplier: "A\\B\tC\nD\rE".into(),
            redacted: true,
            amount: Money::pence(-1234),
            gross: Some(Money::pence(1500)),
            vat: None,
            irrecoverable_vat: None,
            transaction: "T1".into(),
            service: "Roads".into(),
            expense_type: "Repairs".into(),
            expense_code: String::new(),
            description: "x".into(),
            supplier_id: String::new(),
            invoice_number: String::new(),
            merchant_category: String::new(),
        };
        let mut out = Vec::new();
        copy_row(&mut out, 3, 0, &line, "expenditure:Roads:Repairs");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "3\t0\t\t7\t2015-04-01\tt\tA\\\\B\\tC\\nD\\rE\tt\t-1234\t1500\t\\N\t\\N\tT1\tRoads\t\
             Repairs\t\tx\t\t\t\texpenditure:Roads:Repairs\n"
        );
    }
}
