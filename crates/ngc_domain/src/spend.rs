//! A council's spend as it publishes it ("expenditure over £500"): one line per payment, read
//! from its files by `ngc_io::spend` and kept whole by `ngc_store::spend`.

use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// A payment's date: a day, or only the month (Darlington publishes `2015-04`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PaidOn {
    Day(NaiveDate),
    /// The first day of the month.
    Month(NaiveDate),
}

impl PaidOn {
    /// The day, or the first day of the month.
    pub fn date(self) -> NaiveDate {
        match self {
            PaidOn::Day(d) | PaidOn::Month(d) => d,
        }
    }

    /// Whether only the month is known.
    pub fn month_only(self) -> bool {
        matches!(self, PaidOn::Month(_))
    }
}

/// One line of a spend file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpendLine {
    /// The file within a zip the line is in (empty for a plain file).
    pub member: String,
    /// The line's number in its file (the header is line 1).
    pub line: u64,
    pub paid_on: PaidOn,
    pub supplier: String,
    /// The supplier's name is withheld as personal data.
    pub redacted: bool,
    /// The net amount (the gross less VAT where the file gives only those).
    pub amount: Money,
    pub gross: Option<Money>,
    pub vat: Option<Money>,
    pub irrecoverable_vat: Option<Money>,
    pub transaction: String,
    /// The service, directorate or expense area.
    pub service: String,
    /// The expense type or account (the subjective).
    pub expense_type: String,
    pub expense_code: String,
    pub description: String,
    pub supplier_id: String,
    pub invoice_number: String,
    /// A card transaction's merchant category.
    pub merchant_category: String,
}

/// A spend file read whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpendFile {
    /// The file's name.
    pub name: String,
    /// The SHA-256 of its bytes, hex: a file is imported once.
    pub sha256: String,
    pub lines: Vec<SpendLine>,
    /// Lines that repeat an earlier line of the file in every cell (kept, counted).
    pub repeats: usize,
    /// Lines whose supplier is redacted.
    pub redacted: usize,
}

impl SpendFile {
    /// The first and last payment dates, if it has lines.
    pub fn dates(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.lines.iter().map(|l| l.paid_on.date()).min()?;
        let last = self.lines.iter().map(|l| l.paid_on.date()).max()?;
        Some((first, last))
    }

    /// The lines' net total.
    pub fn net_total(&self) -> Money {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

pub mod journals;
