//! Imported spend into the ledger: each line's expenditure account by the expense-code
//! mapping, and the summarised journals, one per file, month and account.
//!
//! A line's account is `expenditure:{service}:{subjective}`. An expense code the mapping
//! names takes the mapping's service line (or the line's own where the mapping leaves it
//! blank) and subjective; any other line takes its published service and expense type (the
//! expense code where the type is blank). Names are tidied to be account names: a `:` in a
//! published name (`SOCIAL CARE : Equipment`) becomes `/`, and runs of spaces become one.
//!
//! A file's lines of one month on one account are summarised into one journal: the net is
//! charged to the expenditure account against creditors, and creditors are cleared against
//! the bank (a net credit, where refunds exceed payments, the other way round). Every posting
//! names its source as `{import}/{month}`, so the lines behind a journal are the import's
//! lines of that month on that account.

use super::SpendLine;
use crate::ledger::{Account, Journal, JournalError, Posting, Source, SourceKind};
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// The service line of a line that names none.
pub const NO_SERVICE: &str = "Unspecified service";
/// The subjective of a line that names no expense type or code.
pub const NO_SUBJECTIVE: &str = "Unspecified";

/// One row of an expense-code mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseCode {
    pub expense_code: String,
    /// The service line; blank keeps the line's own.
    pub service: String,
    pub subjective: String,
}

/// Why a mapping row is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("row {row}: the expense code is blank")]
    BlankCode { row: usize },
    #[error("row {row}: the subjective for expense code `{code}` is blank")]
    BlankSubjective { row: usize, code: String },
    #[error("row {row}: expense code `{code}` is mapped already, on row {first}")]
    Duplicate {
        row: usize,
        first: usize,
        code: String,
    },
}

/// The expense-code mapping of an organisation's spend: expense code → service line and
/// subjective. Codes match exactly after trimming.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpenseCodes {
    by_code: HashMap<String, (Option<String>, String)>,
}

impl ExpenseCodes {
    /// The mapping from its rows (row numbers count from 1); a blank code or subjective, or
    /// a code mapped twice, is refused naming the row.
    pub fn new(rows: &[ExpenseCode]) -> Result<Self, MappingError> {
        let mut by_code = HashMap::new();
        let mut first_row = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let row = i + 1;
            let code = r.expense_code.trim();
            if code.is_empty() {
                return Err(MappingError::BlankCode { row });
            }
            let subjective = tidy(&r.subjective);
            if subjective.is_empty() {
                return Err(MappingError::BlankSubjective {
                    row,
                    code: code.to_owned(),
                });
            }
            if let Some(&first) = first_row.get(code) {
                return Err(MappingError::Duplicate {
                    row,
                    first,
                    code: code.to_owned(),
                });
            }
            first_row.insert(code.to_owned(), row);
            let service = Some(tidy(&r.service)).filter(|s| !s.is_empty());
            by_code.insert(code.to_owned(), (service, subjective));
        }
        Ok(Self { by_code })
    }

    /// How many codes it maps.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// Whether it maps no code.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The expenditure account a line is charged to.
    pub fn account_for(&self, line: &SpendLine) -> Account {
        let own_service = || Some(tidy(&line.service)).filter(|s| !s.is_empty());
        let (service, subjective) = match self.by_code.get(line.expense_code.trim()) {
            Some((service, subjective)) => {
                (service.clone().or_else(own_service), subjective.clone())
            }
            None => {
                let subjective = [&line.expense_type, &line.expense_code]
                    .into_iter()
                    .map(|s| tidy(s))
                    .find(|s| !s.is_empty())
                    .unwrap_or_else(|| NO_SUBJECTIVE.to_owned());
                (own_service(), subjective)
            }
        };
        Account::Expenditure {
            service: service.unwrap_or_else(|| NO_SERVICE.to_owned()),
            subjective,
        }
    }

    /// Every line's account, as an index into the distinct accounts (a file of half a
    /// million lines has a few thousand).
    pub fn assign(&self, lines: &[SpendLine]) -> Assigned {
        let mut accounts = Accounts::new(self);
        let of_line = lines.iter().map(|l| accounts.of(l)).collect();
        Assigned {
            codes: accounts.codes,
            accounts: accounts.accounts,
            of_line,
        }
    }
}

/// The distinct accounts of lines as they come, each worked out once: a line is looked up by
/// its expense code, service and expense type (the names its account is made from) without
/// allocating, so charging half a million lines costs a few thousand account names.
#[derive(Debug)]
struct Accounts<'c> {
    codes_map: &'c ExpenseCodes,
    accounts: Vec<Account>,
    codes: Vec<String>,
    by_account: HashMap<Account, u32>,
    /// The account of each `expense code \x1f service \x1f expense type` met.
    by_names: HashMap<String, u32>,
    key: String,
}

impl<'c> Accounts<'c> {
    fn new(codes_map: &'c ExpenseCodes) -> Self {
        Accounts {
            codes_map,
            accounts: Vec::new(),
            codes: Vec::new(),
            by_account: HashMap::new(),
            by_names: HashMap::new(),
            key: String::new(),
        }
    }

    /// The index of a line's account.
    fn of(&mut self, line: &SpendLine) -> u32 {
        self.key.clear();
        for part in [&line.expense_code, &line.service, &line.expense_type] {
            self.key.push_str(part);
            self.key.push('\x1f');
        }
        if let Some(&i) = self.by_names.get(self.key.as_str()) {
            return i;
        }
        let account = self.codes_map.account_for(line);
        let next = u32::try_from(self.accounts.len()).unwrap_or(u32::MAX);
        let i = *self.by_account.entry(account.clone()).or_insert_with(|| {
            self.codes.push(account.to_string());
            self.accounts.push(account);
            next
        });
        self.by_names.insert(self.key.clone(), i);
        i
    }
}

/// A name tidied to be part of an account code: trimmed, `:` as `/`, single spaces.
fn tidy(name: &str) -> String {
    name.replace(':', "/")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The accounts of a file's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// The distinct accounts, in order of first use.
    pub accounts: Vec<Account>,
    /// Their codes.
    pub codes: Vec<String>,
    /// Each line's account, an index into `accounts`.
    pub of_line: Vec<u32>,
}

impl Assigned {
    /// The code of line `i`'s account.
    pub fn code_of(&self, i: usize) -> &str {
        &self.codes[self.of_line[i] as usize]
    }
}

/// A file's lines of one month on one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// `YYYY-MM`.
    pub month: String,
    pub account: Account,
    /// The last payment day among the lines (the journal's date).
    pub date: NaiveDate,
    /// The lines' net total.
    pub net: Money,
    pub lines: usize,
}

/// The summaries of a file's lines, by month and then account. `None` if a total
/// overflows.
pub fn summarise(lines: &[SpendLine], assigned: &Assigned) -> Option<Vec<Summary>> {
    let mut groups = Groups::default();
    for (line, &account) in lines.iter().zip(&assigned.of_line) {
        groups.add(line, account);
    }
    groups.finish(&assigned.accounts)
}

/// Lines summed by month and account as they come.
#[derive(Debug, Default)]
struct Groups {
    /// (year, month, account) → (last day, net, lines).
    by: HashMap<(i32, u32, u32), (NaiveDate, Money, usize)>,
    overflowed: bool,
}

impl Groups {
    fn add(&mut self, line: &SpendLine, account: u32) {
        let day = line.paid_on.date();
        let g = self
            .by
            .entry((day.year(), day.month(), account))
            .or_insert((day, Money::ZERO, 0));
        g.0 = g.0.max(day);
        match g.1.checked_add(line.amount) {
            Some(net) => g.1 = net,
            None => self.overflowed = true,
        }
        g.2 += 1;
    }

    fn finish(self, accounts: &[Account]) -> Option<Vec<Summary>> {
        if self.overflowed {
            return None;
        }
        let mut out: Vec<Summary> = self
            .by
            .into_iter()
            .map(|((year, month, a), (date, net, lines))| Summary {
                month: format!("{year:04}-{month:02}"),
                account: accounts[a as usize].clone(),
                date,
                net,
                lines,
            })
            .collect();
        out.sort_by(|a, b| (&a.month, &a.account).cmp(&(&b.month, &b.account)));
        Some(out)
    }
}

/// A file's lines charged to their accounts and summarised a line at a time as they are
/// read, so that a file of any length is summarised without holding its lines: the same
/// accounts as [`ExpenseCodes::assign`] and the same summaries as [`summarise`].
#[derive(Debug)]
pub struct Summariser<'c> {
    accounts: Accounts<'c>,
    groups: Groups,
}

impl<'c> Summariser<'c> {
    /// Summarises lines charged by the mapping `codes`.
    pub fn new(codes: &'c ExpenseCodes) -> Self {
        Summariser {
            accounts: Accounts::new(codes),
            groups: Groups::default(),
        }
    }

    /// Charges lines to their accounts and adds them to their months' summaries; each line's
    /// account code, in order.
    pub fn add(&mut self, lines: &[SpendLine]) -> Vec<&str> {
        let of: Vec<u32> = lines
            .iter()
            .map(|l| {
                let a = self.accounts.of(l);
                self.groups.add(l, a);
                a
            })
            .collect();
        of.into_iter()
            .map(|a| self.accounts.codes[a as usize].as_str())
            .collect()
    }

    /// The summaries of every line added, by month and then account; `None` if a total
    /// overflows.
    pub fn finish(self) -> Option<Vec<Summary>> {
        self.groups.finish(&self.accounts.accounts)
    }
}

/// The source every posting of an import's month names.
pub fn source(import_id: i64, month: &str) -> Source {
    Source {
        kind: SourceKind::Spend,
        reference: format!("{import_id}/{month}"),
    }
}

/// The import and month a spend posting's source names.
pub fn parse_source(reference: &str) -> Option<(i64, &str)> {
    let (import, month) = reference.split_once('/')?;
    Some((import.parse().ok()?, month))
}

/// The journal of one summary of import `import_id` (the file `file`); none when the net is
/// nil.
pub fn journal(import_id: i64, file: &str, s: &Summary) -> Result<Option<Journal>, JournalError> {
    if s.net.is_zero() {
        return Ok(None);
    }
    let src = source(import_id, &s.month);
    let amount = s.net.checked_abs().unwrap_or(Money::MAX);
    let expense = s.account.clone();
    let postings = if s.net.is_positive() {
        vec![
            Posting::debit(expense, amount, src.clone()),
            Posting::credit(Account::Creditors, amount, src.clone()),
            Posting::debit(Account::Creditors, amount, src.clone()),
            Posting::credit(Account::Bank, amount, src),
        ]
    } else {
        vec![
            Posting::credit(expense, amount, src.clone()),
            Posting::debit(Account::Creditors, amount, src.clone()),
            Posting::credit(Account::Creditors, amount, src.clone()),
            Posting::debit(Account::Bank, amount, src),
        ]
    };
    let lines = if s.lines == 1 { "line" } else { "lines" };
    Journal::new(
        format!("spend:{import_id}:{}:{}", s.month, s.account),
        s.date,
        format!("Spend {}, {}: {} {lines}", s.month, file, s.lines),
        postings,
    )
    .map(Some)
}

/// The key of the reversal of journal `journal_id` of a replaced import when import
/// `replaced_by` stands in for it.
pub fn reversal_key(journal_id: i64, replaced_by: i64) -> String {
    format!("spend:replaced-by:{replaced_by}:{journal_id}")
}

#[cfg(test)]
mod tests;
