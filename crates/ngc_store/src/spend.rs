//! Imported spend files (migration 0027): each file once per organisation (by the SHA-256 of
//! its bytes), every line kept by its position in the file, repeats included; a corrected file
//! swapped in for an earlier one keeps the earlier one's lines as a revision.

mod post;
mod writer;

pub use post::SpendPosted;
pub use writer::SpendWriter;

use crate::{Actor, Store, StoreError, on_each_backend};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::money::Money;
use ngc_domain::spend::journals::{self, Assigned};
use ngc_domain::spend::{PaidOn, SpendFile, SpendLine};
use serde::Serialize;
use sqlx::FromRow;

/// An imported spend file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct SpendImport {
    pub id: i64,
    pub organisation_id: i64,
    pub file_name: String,
    pub sha256: String,
    pub lines: i64,
    pub repeats: i64,
    pub redacted: i64,
    pub first_paid_on: Option<NaiveDate>,
    pub last_paid_on: Option<NaiveDate>,
    /// Pence.
    pub net_total: i64,
    pub replaces_id: Option<i64>,
    /// The import that swapped a corrected file in for this one.
    pub replaced_by_id: Option<i64>,
    pub imported_at: DateTime<Utc>,
}

/// What storing a spend file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SpendStored {
    /// The new import.
    pub id: i64,
    /// The summarised journals it posted (a month and account whose lines net to nil posts
    /// none).
    pub journals: usize,
    /// The replaced import's journals it reversed.
    pub reversed: usize,
}

/// A stored line, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct StoredLine {
    pub position: i64,
    pub member: String,
    pub line: i64,
    pub paid_on: NaiveDate,
    pub month_only: bool,
    pub supplier: String,
    pub redacted: bool,
    /// Pence.
    pub amount: i64,
    pub gross: Option<i64>,
    pub vat: Option<i64>,
    pub irrecoverable_vat: Option<i64>,
    pub transaction_ref: String,
    pub service: String,
    pub expense_type: String,
    pub expense_code: String,
    pub description: String,
    pub supplier_id: String,
    pub invoice_number: String,
    pub merchant_category: String,
}

impl StoredLine {
    /// A row of the columns above, in their order, read by [`crate::bulk_read`].
    pub(crate) fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            position: row.get(0)?,
            member: row.get(1)?,
            line: row.get(2)?,
            paid_on: crate::bulk_read::date(row, 3)?,
            month_only: row.get(4)?,
            supplier: row.get(5)?,
            redacted: row.get(6)?,
            amount: row.get(7)?,
            gross: row.get(8)?,
            vat: row.get(9)?,
            irrecoverable_vat: row.get(10)?,
            transaction_ref: row.get(11)?,
            service: row.get(12)?,
            expense_type: row.get(13)?,
            expense_code: row.get(14)?,
            description: row.get(15)?,
            supplier_id: row.get(16)?,
            invoice_number: row.get(17)?,
            merchant_category: row.get(18)?,
        })
    }

    /// The line as the domain holds it (a month-only date as [`PaidOn::Month`]).
    pub fn into_line(self) -> SpendLine {
        SpendLine {
            member: self.member,
            line: u64::try_from(self.line).unwrap_or(0),
            paid_on: if self.month_only {
                PaidOn::Month(self.paid_on)
            } else {
                PaidOn::Day(self.paid_on)
            },
            supplier: self.supplier,
            redacted: self.redacted,
            amount: Money::pence(self.amount),
            gross: self.gross.map(Money::pence),
            vat: self.vat.map(Money::pence),
            irrecoverable_vat: self.irrecoverable_vat.map(Money::pence),
            transaction: self.transaction_ref,
            service: self.service,
            expense_type: self.expense_type,
            expense_code: self.expense_code,
            description: self.description,
            supplier_id: self.supplier_id,
            invoice_number: self.invoice_number,
            merchant_category: self.merchant_category,
        }
    }
}

const BY_SHA: &str = "SELECT id, organisation_id, file_name, sha256, lines, repeats, redacted, \
    first_paid_on, last_paid_on, net_total, replaces_id, replaced_by_id, imported_at \
    FROM spend_imports WHERE organisation_id = $1 AND sha256 = $2";
const OF_ORGANISATION: &str = "SELECT id, organisation_id, file_name, sha256, lines, repeats, \
    redacted, first_paid_on, last_paid_on, net_total, replaces_id, replaced_by_id, imported_at \
    FROM spend_imports WHERE organisation_id = $1 ORDER BY id";
const BY_ID: &str = "SELECT id, organisation_id, file_name, sha256, lines, repeats, redacted, \
    first_paid_on, last_paid_on, net_total, replaces_id, replaced_by_id, imported_at \
    FROM spend_imports WHERE id = $1";
const LINES: &str = "SELECT position, member, line, paid_on, month_only, supplier, redacted, \
    amount, gross, vat, irrecoverable_vat, transaction_ref, service, expense_type, expense_code, \
    description, supplier_id, invoice_number, merchant_category FROM spend_lines \
    WHERE import_id = $1 AND position >= $2 ORDER BY position LIMIT $3";
const INSERT_LINES: &str = "INSERT INTO spend_lines (import_id, position, member, line, \
    paid_on, month_only, supplier, redacted, amount, gross, vat, irrecoverable_vat, \
    transaction_ref, service, expense_type, expense_code, description, supplier_id, \
    invoice_number, merchant_category, account) ";

/// Lines handed to the writer at a time.
const BATCH: usize = 4096;

impl Store {
    /// The organisation's import of the file with this SHA-256, if it has one.
    pub async fn spend_import_by_sha(
        &self,
        organisation_id: i64,
        sha256: &str,
    ) -> Result<Option<SpendImport>, StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(BY_SHA)
            .bind(organisation_id).bind(sha256).fetch_optional(pool).await)?)
    }

    /// The organisation's imports, oldest first.
    pub async fn spend_imports(
        &self,
        organisation_id: i64,
    ) -> Result<Vec<SpendImport>, StoreError> {
        Ok(
            on_each_backend!(self, pool => sqlx::query_as(OF_ORGANISATION)
            .bind(organisation_id).fetch_all(pool).await)?,
        )
    }

    /// An import by id.
    pub async fn spend_import(&self, id: i64) -> Result<Option<SpendImport>, StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(BY_ID)
            .bind(id).fetch_optional(pool).await)?)
    }

    /// Up to `limit` lines of an import from position `from`, in file order.
    pub async fn spend_lines(
        &self,
        import_id: i64,
        from: i64,
        limit: i64,
    ) -> Result<Vec<StoredLine>, StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(LINES)
            .bind(import_id).bind(from).bind(limit).fetch_all(pool).await)?)
    }

    /// Stores a spend file held whole, through a [`SpendWriter`]: in one transaction with one
    /// audit record, the import, then every line by its position with the account `assigned`
    /// charges it to, then the summarised journals in the ledger, one per month and account.
    /// With `replaces`, the earlier import (of the same organisation, not already replaced) is
    /// marked replaced by this one; its lines stay, and its journals still standing are
    /// reversed on their own dates. The same content again is refused as a conflict (the
    /// caller reports it as nothing to add).
    pub async fn import_spend(
        &self,
        organisation_id: i64,
        file: &SpendFile,
        assigned: &Assigned,
        replaces: Option<i64>,
        actor: &Actor,
    ) -> Result<SpendStored, StoreError> {
        let mut writer = self
            .begin_spend_import(organisation_id, &file.name, &file.sha256, replaces, actor)
            .await?;
        for (chunk, lines) in file.lines.chunks(BATCH).enumerate() {
            let codes: Vec<&str> = (0..lines.len())
                .map(|i| assigned.code_of(chunk * BATCH + i))
                .collect();
            writer.add(lines, &codes).await?;
        }
        let summaries = journals::summarise(&file.lines, assigned).ok_or_else(|| {
            StoreError::invalid(
                "amount",
                format!("{}: a month's total overflows", file.name),
            )
        })?;
        writer.finish(file.repeats, &summaries, actor).await
    }
}
