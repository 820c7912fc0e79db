//! The double-entry ledger, as pure rules: an organisation's accounts (income and
//! expenditure by service line × subjective, and the balance-sheet accounts), journals that
//! must balance, reversals that point to what they reverse, balances and the trial balance.
//!
//! Nothing here is stored: `ngc_store::ledger` keeps posted journals, their postings and the
//! monthly balances it maintains as it posts.

mod account;
pub mod actuals;
mod balance;
#[cfg(test)]
mod tests;

pub use account::{Account, AccountError, AccountKind};
pub use balance::{Balances, TrialBalance, TrialBalanceLine};

use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Which side of an account a posting is on.
    pub enum Side as "side" {
        Debit = "debit", "Debit";
        Credit = "credit", "Credit";
    }
}

crate::text_enum! {
    /// Where a posting came from.
    pub enum SourceKind as "source kind" {
        OpeningBalance = "opening_balance", "Opening balance";
        ContractPayment = "contract_payment", "Contract payment";
        Recharge = "recharge", "Shared-service recharge";
        Spend = "spend", "Imported spend";
        GlActual = "gl_actual", "General-ledger actual";
        Manual = "manual", "Manual journal";
    }
}

/// The link from a posting back to the record behind it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The record's reference within its kind (a payment id, a file and row, …).
    pub reference: String,
}

/// One line of a journal: an amount (positive pence) on one side of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: Account,
    pub side: Side,
    pub amount: Money,
    pub source: Source,
}

impl Posting {
    /// A debit of `amount` to `account`.
    pub fn debit(account: Account, amount: Money, source: Source) -> Self {
        Self {
            account,
            side: Side::Debit,
            amount,
            source,
        }
    }

    /// A credit of `amount` to `account`.
    pub fn credit(account: Account, amount: Money, source: Source) -> Self {
        Self {
            account,
            side: Side::Credit,
            amount,
            source,
        }
    }

    /// The amount with debits positive and credits negative.
    pub fn signed(&self) -> Money {
        match self.side {
            Side::Debit => self.amount,
            Side::Credit => -self.amount,
        }
    }
}

/// A journal that balances: build it with [`Journal::new`] or [`Journal::reversal_of`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// Unique per organisation: posting the same key again returns the first journal.
    pub key: String,
    /// The accounting date: the month its balances fall in.
    pub date: NaiveDate,
    pub description: String,
    /// The id of the posted journal this one reverses, if it is a reversal.
    pub reverses: Option<i64>,
    postings: Vec<Posting>,
}

/// Why a journal was refused; [`JournalError::field`] names the field or line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("journal `{key}`: the idempotency key is blank")]
    BlankKey { key: String },
    #[error("journal `{key}`: the description is blank")]
    BlankDescription { key: String },
    #[error("journal `{key}` has no postings")]
    NoPostings { key: String },
    #[error("journal `{key}`, line {line}: the amount must be positive, got {amount}")]
    NotPositive {
        key: String,
        line: usize,
        amount: Money,
    },
    #[error("journal `{key}`, line {line}: {error}")]
    BadAccount {
        key: String,
        line: usize,
        error: AccountError,
    },
    #[error("journal `{key}`, line {line}: the source reference is blank")]
    BlankSource { key: String, line: usize },
    #[error(
        "journal `{key}` does not balance: debits {debits}, credits {credits} (difference {})",
        *debits - *credits
    )]
    Unbalanced {
        key: String,
        debits: Money,
        credits: Money,
    },
    #[error("journal `{key}`: the amounts overflow")]
    Overflow { key: String },
    #[error("journal {id} is itself a reversal (of journal {of}): a reversal is not reversed")]
    ReversalOfReversal { id: i64, of: i64 },
}

impl JournalError {
    /// The field (or `postings[i].field`, lines numbered from 1) the error is about.
    pub fn field(&self) -> String {
        match self {
            JournalError::BlankKey { .. } => "idempotency_key".into(),
            JournalError::BlankDescription { .. } => "description".into(),
            JournalError::NoPostings { .. }
            | JournalError::Unbalanced { .. }
            | JournalError::Overflow { .. } => "postings".into(),
            JournalError::NotPositive { line, .. } => format!("postings[{line}].amount"),
            JournalError::BlankSource { line, .. } => format!("postings[{line}].source"),
            JournalError::BadAccount { line, .. } => format!("postings[{line}].account"),
            JournalError::ReversalOfReversal { .. } => "journal".into(),
        }
    }
}

impl Journal {
    /// A journal from its parts, refused unless the key and description are given, there is
    /// at least one posting, every amount is positive, every posting names its source, and
    /// debits equal credits.
    pub fn new(
        key: impl Into<String>,
        date: NaiveDate,
        description: impl Into<String>,
        postings: Vec<Posting>,
    ) -> Result<Self, JournalError> {
        Self::build(key.into(), date, description.into(), None, postings)
    }

    fn build(
        key: String,
        date: NaiveDate,
        description: String,
        reverses: Option<i64>,
        postings: Vec<Posting>,
    ) -> Result<Self, JournalError> {
        let key = key.trim().to_owned();
        if key.is_empty() {
            return Err(JournalError::BlankKey { key });
        }
        let description = description.trim().to_owned();
        if description.is_empty() {
            return Err(JournalError::BlankDescription { key });
        }
        if postings.is_empty() {
            return Err(JournalError::NoPostings { key });
        }
        let (mut debits, mut credits) = (Money::ZERO, Money::ZERO);
        for (i, p) in postings.iter().enumerate() {
            if !p.amount.is_positive() {
                return Err(JournalError::NotPositive {
                    key,
                    line: i + 1,
                    amount: p.amount,
                });
            }
            // An account is kept by its code: it must read back as itself.
            let code = p.account.to_string();
            match code.parse::<Account>() {
                Ok(a) if a == p.account => {}
                Ok(_) => {
                    return Err(JournalError::BadAccount {
                        key,
                        line: i + 1,
                        error: AccountError {
                            code,
                            why: "a name has spaces around it or a `:` in it".into(),
                        },
                    });
                }
                Err(error) => {
                    return Err(JournalError::BadAccount {
                        key,
                        line: i + 1,
                        error,
                    });
                }
            }
            if p.source.reference.trim().is_empty() {
                return Err(JournalError::BlankSource { key, line: i + 1 });
            }
            let total = match p.side {
                Side::Debit => &mut debits,
                Side::Credit => &mut credits,
            };
            *total = total
                .checked_add(p.amount)
                .ok_or_else(|| JournalError::Overflow { key: key.clone() })?;
        }
        if debits != credits {
            return Err(JournalError::Unbalanced {
                key,
                debits,
                credits,
            });
        }
        Ok(Self {
            key,
            date,
            description,
            reverses,
            postings,
        })
    }

    /// The journal that reverses `original` (posted as journal `id`): every posting on the
    /// other side, pointing back to `id`. A reversal is not itself reversed: post a new
    /// journal instead.
    pub fn reversal_of(
        id: i64,
        original: &Journal,
        key: impl Into<String>,
        date: NaiveDate,
        description: impl Into<String>,
    ) -> Result<Self, JournalError> {
        if let Some(of) = original.reverses {
            return Err(JournalError::ReversalOfReversal { id, of });
        }
        let postings = original
            .postings
            .iter()
            .map(|p| Posting {
                side: match p.side {
                    Side::Debit => Side::Credit,
                    Side::Credit => Side::Debit,
                },
                ..p.clone()
            })
            .collect();
        Self::build(key.into(), date, description.into(), Some(id), postings)
    }

    /// A journal read back from storage, built by the same checks (a stored journal that
    /// fails them is an error, never trusted).
    pub fn restore(
        key: String,
        date: NaiveDate,
        description: String,
        reverses: Option<i64>,
        postings: Vec<Posting>,
    ) -> Result<Self, JournalError> {
        Self::build(key, date, description, reverses, postings)
    }

    /// The postings, in the order given.
    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }

    /// The total of the debits (equal to the total of the credits).
    pub fn total(&self) -> Money {
        self.postings
            .iter()
            .filter(|p| p.side == Side::Debit)
            .map(|p| p.amount)
            .sum()
    }
}

/// The month a date's balances fall in, as kept: `YYYY-MM`.
pub fn month_of(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}
