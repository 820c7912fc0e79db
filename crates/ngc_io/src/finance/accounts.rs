//! Providers' accounts files (CSV): one line per provider and financial year end, with its
//! turnover, net assets, reserves and the day the accounts were filed, as a council's finance
//! team copies them from Companies House or the Charity Commission.

use super::cells::{Cells, Record, file_error};
use crate::pack::PackErrors;
use crate::pack::table;
use chrono::NaiveDate;
use ngc_domain::money::Money;
use std::collections::BTreeMap;
use std::path::Path;

/// The columns of an accounts file.
pub const ACCOUNTS_COLUMNS: &[&str] = &[
    "provider",
    "year_end",
    "turnover",
    "net_assets",
    "reserves",
    "filed_on",
];

/// A provider's accounts for one year, as the file gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsLine {
    /// The file's line, for messages.
    pub line: u64,
    /// The provider's slug.
    pub provider: String,
    pub year_end: NaiveDate,
    pub turnover: Money,
    /// May be negative (liabilities above assets).
    pub net_assets: Money,
    pub reserves: Money,
    pub filed_on: Option<NaiveDate>,
}

/// Reads providers' accounts from a CSV file (`.csv`), checking every value's form (dates
/// `YYYY-MM-DD`, amounts to the penny) and refusing two lines for the same provider and year
/// end; the rules on the figures are the use case's (`ngc_app::providers::import_accounts`).
/// Every problem is reported with its line and column; nothing is returned unless the whole
/// file is good.
pub fn read_accounts(path: &Path) -> Result<Vec<AccountsLine>, PackErrors> {
    let mut errors = PackErrors::default();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        let message = "an accounts file is CSV (.csv)".to_owned();
        errors.push(file_error(path, None, None, message));
        return Err(errors);
    }
    let lines =
        table::read(path, ACCOUNTS_COLUMNS, &mut errors).map(|t| lines(path, &t.rows, &mut errors));
    match lines {
        Some(lines) if errors.is_empty() => Ok(lines),
        _ => Err(errors),
    }
}

fn lines<R: Record>(file: &Path, rows: &[R], errors: &mut PackErrors) -> Vec<AccountsLine> {
    let mut seen: BTreeMap<(String, NaiveDate), u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in rows {
        let mut c = Cells::new(file, row, errors);
        let provider = c.required("provider");
        let year_end = c.date("year_end");
        let turnover = c.money("turnover");
        let net_assets = c.money("net_assets");
        let reserves = c.money("reserves");
        let filed_on = c.optional_date("filed_on");
        let (
            Some(provider),
            Some(year_end),
            Some(turnover),
            Some(net_assets),
            Some(reserves),
            Some(filed_on),
        ) = (provider, year_end, turnover, net_assets, reserves, filed_on)
        else {
            continue;
        };
        if let Some(first) = seen.insert((provider.clone(), year_end), row.line()) {
            c.invalid(
                "year_end",
                format!("{provider}'s accounts for the year ending {year_end} are already on line {first}"),
            );
            continue;
        }
        out.push(AccountsLine {
            line: row.line(),
            provider,
            year_end,
            turnover,
            net_assets,
            reserves,
            filed_on,
        });
    }
    out
}
