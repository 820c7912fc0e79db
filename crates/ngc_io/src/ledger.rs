//! Opening balances for the ledger (`ngc import opening-balances`): a CSV file, one account
//! a line,
//!
//! `account,debit,credit,source`
//!
//! where `account` is an account code (`bank`, `general_reserve`,
//! `earmarked_reserve:Insurance`, `expenditure:Service:Subjective`, …), exactly one of
//! `debit` and `credit` is a positive amount in pounds (at most two decimal places), and
//! `source` says where the figure comes from (a statement of accounts, or `modelled`). Every
//! problem names the line and column; nothing is returned unless every line is good. That
//! the lines balance is the use case's rule (through `ngc_domain::ledger::Journal`).

use crate::pack::PackErrors;
use crate::pack::Problem;
use crate::pack::table;
use ngc_domain::ledger::{Account, Side};
use ngc_domain::money::Money;
use std::path::Path;

/// The columns of an opening-balances file.
pub const OPENING_BALANCE_COLUMNS: &[&str] = &["account", "debit", "credit", "source"];

/// One line of an opening-balances file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningLine {
    /// 1-based; the header is line 1.
    pub line: u64,
    pub account: Account,
    pub side: Side,
    pub amount: Money,
    pub source: String,
}

/// Reads an opening-balances CSV file.
pub fn read_opening_balances(path: &Path) -> Result<Vec<OpeningLine>, PackErrors> {
    let mut errors = PackErrors::default();
    let mut lines = Vec::new();
    if let Some(t) = table::read(path, OPENING_BALANCE_COLUMNS, &mut errors) {
        for row in &t.rows {
            let bad = |column: &str, message: String| {
                table::error(path, row.line, column, Problem::Invalid(message))
            };
            let account = match row.value("account").parse::<Account>() {
                Ok(a) => Some(a),
                Err(e) => {
                    errors.push(bad("account", e.to_string()));
                    None
                }
            };
            let amount = |column: &str| -> Result<Option<Money>, String> {
                let text = row.value(column);
                if text.is_empty() {
                    return Ok(None);
                }
                let m: Money = text
                    .parse()
                    .map_err(|e: ngc_domain::money::MoneyError| e.to_string())?;
                if m.is_positive() {
                    Ok(Some(m))
                } else {
                    Err(format!("`{text}` is not a positive amount"))
                }
            };
            let side = match (amount("debit"), amount("credit")) {
                (Err(e), _) => Err(bad("debit", e)),
                (_, Err(e)) => Err(bad("credit", e)),
                (Ok(Some(d)), Ok(None)) => Ok((Side::Debit, d)),
                (Ok(None), Ok(Some(c))) => Ok((Side::Credit, c)),
                (Ok(Some(_)), Ok(Some(_))) => {
                    Err(bad("credit", "give a debit or a credit, not both".into()))
                }
                (Ok(None), Ok(None)) => Err(bad("debit", "give a debit or a credit".into())),
            };
            let source = row.value("source");
            if source.is_empty() {
                errors.push(bad("source", "say where the figure comes from".into()));
            }
            match (account, side) {
                (Some(account), Ok((side, amount))) if !source.is_empty() => {
                    lines.push(OpeningLine {
                        line: row.line,
                        account,
                        side,
                        amount,
                        source: source.to_owned(),
                    });
                }
                (_, Err(e)) => errors.push(e),
                _ => {}
            }
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// Reads an opening-balances file held in memory (the demo carries its own), named `path`
/// in errors.
pub fn read_opening_balances_bytes(
    path: &Path,
    bytes: &[u8],
) -> Result<Vec<OpeningLine>, PackErrors> {
    let mut files = crate::pack::source::Memory::new();
    files.insert(path, bytes);
    crate::pack::source::with(std::rc::Rc::new(files), || read_opening_balances(path))
}
