//! A council's contracts register from a file: the Local Government Transparency Code's
//! "contracts over £5,000", in CSV or a workbook (XLSX), in ngc's own columns or in another
//! layout described by a mapping file.
//!
//! There is no canonical header set for the register, so ngc defines its columns from the
//! fields the Code requires ([`CONTRACT_COLUMNS`]; `docs/formats/contracts.md` describes each
//! with its type and an example). A mapping file (TOML) names which of another file's headers
//! hold each of them, translates the file's words for the yes/no flags and the route, and
//! says which register a column of bare registration numbers belongs to
//! (`docs/formats/contracts-mapping-example.toml`).
//!
//! A file is read whole and checked before anything is returned: every problem (up to
//! [`crate::pack::MAX_REPORTED`], then a count) is reported with its file, line and column,
//! so that an import takes all rows or none. Which organisation a supplier identifier names
//! is for the caller, who knows the organisations: [`unknown_suppliers`] reports the rows
//! whose supplier it cannot find.

mod columns;
mod layout;
mod mapping;
mod read;
mod row;
mod values;

pub use columns::{CONTRACT_COLUMNS, Column};

use crate::pack::{PackError, PackErrors, Problem};
use chrono::NaiveDate;
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::organisation::OrgId;
use ngc_domain::procurement::cpv::CpvCode;
use std::fmt;
use std::path::Path;

/// One contract of a register file, its values read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRow {
    /// The line (CSV) or row (workbook) it was read from; the header is line 1.
    pub line: u64,
    /// The council's reference, unique within the file.
    pub reference: String,
    /// The title of the agreement.
    pub title: String,
    /// What the goods, services or works are.
    pub description: Option<String>,
    /// The council department responsible.
    pub department: Option<String>,
    /// The supplier's name as the file gives it.
    pub supplier_name: String,
    /// The supplier's registration identifier, in org-id form.
    pub supplier_id: Option<OrgId>,
    /// Whether the supplier is a small or medium-sized enterprise; `None` if not stated.
    pub sme: Option<bool>,
    /// Whether the supplier is a voluntary, community or social enterprise; `None` if not
    /// stated.
    pub vcse: Option<bool>,
    /// The first day of the contract.
    pub start_date: NaiveDate,
    /// The last day of the contract; `None` if open-ended. Never before the start.
    pub end_date: Option<NaiveDate>,
    /// The review date, within the contract's term.
    pub review_date: Option<NaiveDate>,
    /// The sum to be paid over the contract.
    pub value: Money,
    /// The VAT the council cannot recover, if given.
    pub irrecoverable_vat: Option<Money>,
    /// Whether `value` includes VAT (excluding VAT unless the file says otherwise).
    pub vat_treatment: VatTreatment,
    /// A CPV code or a category in words.
    pub category: Option<Category>,
    /// How the contract was let (a published tender unless the file says otherwise).
    pub route: Route,
    /// The ground for the route; always given when the route needs one.
    pub route_ground: Option<String>,
}

/// What a contract buys: a CPV code where the file gives one, else the file's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Category {
    /// A CPV 2008 code (`85311000`, written with or without its check digit).
    Cpv(CpvCode),
    /// Any other text (a ProClass label, a service name).
    Text(String),
}

impl Category {
    /// A CPV code if `text` is one, else the text.
    pub fn parse(text: &str) -> Category {
        match text.parse::<CpvCode>() {
            Ok(code) => Category::Cpv(code),
            Err(_) => Category::Text(text.to_owned()),
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Category::Cpv(code) => code.fmt(f),
            Category::Text(text) => f.write_str(text),
        }
    }
}

/// Reads the contracts in `path`, CSV (`.csv`) or a workbook (`.xlsx`, `.xlsm`, `.xls`,
/// `.ods`; the first sheet unless the mapping names one, the header in its first row).
///
/// Without a mapping the header must use ngc's column names ([`CONTRACT_COLUMNS`], in any
/// order; optional ones may be left out). With `mapping`, the mapping file names the headers
/// to read each column from and other headers are ignored.
///
/// Returns every row, or every problem found: in the mapping file (naming its line and
/// key), in the header, and in each row (naming its line and column; in a workbook the
/// cell too, `line 7, column value (Contracts!L7)`).
pub fn read_contracts(path: &Path, mapping: Option<&Path>) -> Result<Vec<ContractRow>, PackErrors> {
    let mapping = mapping.map(mapping::Mapping::read).transpose()?;
    let mut errors = PackErrors::default();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let rows = match extension.as_deref() {
        Some("csv") => read::csv(path, mapping.as_ref(), &mut errors),
        Some("xlsx" | "xlsm" | "xls" | "ods") => {
            read::workbook(path, mapping.as_ref(), &mut errors)
        }
        _ => {
            errors.push(PackError {
                file: path.to_owned(),
                line: None,
                column: None,
                problem: Problem::Invalid(
                    "a contracts file is CSV (.csv) or a workbook (.xlsx)".into(),
                ),
            });
            None
        }
    };
    match rows {
        Some(rows) if errors.is_empty() => {
            tracing::debug!(contracts.file = %path.display(), contracts.rows = rows.len(), "read contracts");
            Ok(rows)
        }
        _ => Err(errors),
    }
}

/// Reads the contracts of CSV text in ngc's columns (a file carried in the binary, such as
/// the demo's), naming it `name` in problems.
pub fn read_contracts_csv(name: &Path, text: &[u8]) -> Result<Vec<ContractRow>, PackErrors> {
    let mut errors = PackErrors::default();
    match read::csv_from(name, text, None, &mut errors) {
        Some(rows) if errors.is_empty() => Ok(rows),
        _ => Err(errors),
    }
}

/// The rows of `file` whose supplier `known` cannot find, one problem each:
/// `line 7, column supplier_id: no organisation is registered with identifier GB-COH-99999999`,
/// or, for a row without an identifier, against its `supplier_name`.
pub fn unknown_suppliers(
    file: &Path,
    rows: &[ContractRow],
    known: impl Fn(&ContractRow) -> bool,
) -> PackErrors {
    let mut errors = PackErrors::default();
    for row in rows.iter().filter(|row| !known(row)) {
        let (column, message) = match &row.supplier_id {
            Some(id) => (
                Column::SupplierId,
                format!("no organisation is registered with identifier {id}"),
            ),
            None => (
                Column::SupplierName,
                format!(
                    "no organisation is registered as `{}`, and the row gives no supplier_id to find it by",
                    row.supplier_name
                ),
            ),
        };
        errors.push(PackError {
            file: file.to_owned(),
            line: Some(row.line),
            column: Some(column.name().to_owned()),
            problem: Problem::Invalid(message),
        });
    }
    errors
}

impl ContractRow {
    /// The row as the register's entry, for the import use case.
    pub fn into_entry(self) -> ngc_domain::contracts::register::Entry {
        ngc_domain::contracts::register::Entry {
            line: self.line,
            reference: self.reference,
            title: self.title,
            description: self.description.unwrap_or_default(),
            department: self.department.unwrap_or_default(),
            category: self.category.map(|c| c.to_string()).unwrap_or_default(),
            supplier_name: self.supplier_name,
            supplier_id: self.supplier_id.map(|id| id.to_string()),
            sme: self.sme,
            vcse: self.vcse,
            starts_on: self.start_date,
            ends_on: self.end_date,
            review_on: self.review_date,
            value: self.value,
            irrecoverable_vat: self.irrecoverable_vat.unwrap_or(Money::ZERO),
            vat_treatment: self.vat_treatment,
            route: self.route,
            route_ground: self.route_ground.unwrap_or_default(),
        }
    }
}
