//! General-ledger extracts (`ngc import actuals`): a council's actuals from its finance
//! system, one line per period, service line (or cost centre), subjective and amount, as CSV
//! (UTF-8 with or without a byte-order mark, or Windows-1252) or the first sheet of a
//! workbook. Read whole or not at all: every bad row is reported with its file, line, column,
//! value and why.
//!
//! - **Columns** are found by their headers (matched ignoring case, spaces and punctuation):
//!   `period` (Period, Month, Accounting period), `service` (Service line, Service),
//!   `cost_centre` (Cost centre, Cost centre code), `subjective` (Subjective, Subjective
//!   description, Account), `amount` (Amount, Actual, Value, Net). A line needs a period, a
//!   subjective, an amount, and a service line or a cost centre the mapping file places.
//! - **Periods**: `2016-04`, a day (`2016-04-30`, `30/04/2016`: its month), or a period of
//!   the financial year, April being period 1 (`2016-17 P01`, `2016/17 P1`, `P1 2016-17`).
//! - **Service lines**: the DLUHC service lines by name or word (`Adult social care`,
//!   `adult_social_care`).
//! - **Amounts** as the finance system signs them (debits positive, credits and income
//!   negative), with `£`, separators, brackets or `CR`; more than two decimal places refused.
//!
//! A mapping file (TOML) names other headers and places cost centres:
//!
//! ```toml
//! # Subjectives posted to income accounts (besides `Income`).
//! income_subjectives = ["Fees and charges", "Grants"]
//!
//! [columns]
//! period = "Fin Period"
//! cost_centre = ["Cost Ctr", "CC"]
//! subjective = "Subjective Desc"
//! amount = "YTD Movement"
//!
//! [cost_centres]
//! "C1040" = "adult_social_care"
//! "C2210" = "Children's social care"
//! ```
//!
//! A header the mapping names that the file lacks is reported against the mapping; a cost
//! centre it places on an unknown service line is reported against the mapping too.

use crate::pack::{PackError, PackErrors, Problem};
use crate::spend::layout::normalise;
use crate::spend::values;
use crate::workbook::{self, cell_text};
use calamine::Reader;
use chrono::{Datelike, NaiveDate};
use ngc_domain::finance::{FinancialYear, ServiceLine};
pub use ngc_domain::ledger::actuals::{GlExtract, GlLine};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A column of an extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    Period,
    Service,
    CostCentre,
    Subjective,
    Amount,
}

impl Column {
    const ALL: [Column; 5] = [
        Column::Period,
        Column::Service,
        Column::CostCentre,
        Column::Subjective,
        Column::Amount,
    ];

    /// Its name in a mapping file and in errors.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Period => "period",
            Column::Service => "service",
            Column::CostCentre => "cost_centre",
            Column::Subjective => "subjective",
            Column::Amount => "amount",
        }
    }

    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Period => &["period", "month", "accountingperiod", "finperiod"],
            Column::Service => &["serviceline", "service"],
            Column::CostCentre => &["costcentre", "costcentrecode", "costcentreid"],
            Column::Subjective => &[
                "subjective",
                "subjectivedescription",
                "subjectivename",
                "account",
            ],
            Column::Amount => &["amount", "actual", "actuals", "value", "net"],
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    #[serde(default)]
    income_subjectives: Vec<String>,
    #[serde(default)]
    columns: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    cost_centres: BTreeMap<String, String>,
}

/// A mapping file: headers per column, cost centres' service lines, income subjectives.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    file: PathBuf,
    columns: BTreeMap<Column, Vec<String>>,
    cost_centres: BTreeMap<String, ServiceLine>,
    income: Vec<String>,
}

impl Mapping {
    /// Reads a mapping file; an unknown key, column or service line is refused, naming it.
    pub fn read(file: &Path) -> Result<Mapping, PackErrors> {
        let text = std::fs::read_to_string(file).map_err(|e| PackError {
            file: file.to_owned(),
            line: None,
            column: None,
            problem: Problem::Read(e),
        })?;
        Mapping::parse(file, &text)
    }

    /// A mapping file's text, read as the file `file`.
    pub fn parse(file: &Path, text: &str) -> Result<Mapping, PackErrors> {
        let error = |column: Option<String>, problem| PackError {
            file: file.to_owned(),
            line: None,
            column,
            problem,
        };
        let parsed: MappingFile =
            toml::from_str(text).map_err(|e| error(None, Problem::Manifest(e.to_string())))?;
        let mut errors = PackErrors::default();
        let mut columns = BTreeMap::new();
        for (name, headers) in parsed.columns {
            match Column::ALL.into_iter().find(|c| c.name() == name) {
                Some(c) => {
                    columns.insert(
                        c,
                        match headers {
                            OneOrMany::One(h) => vec![h],
                            OneOrMany::Many(hs) => hs,
                        },
                    );
                }
                None => errors.push(error(
                    Some(format!("columns.{name}")),
                    Problem::Invalid(format!(
                        "no column of an extract is called `{name}`: they are period, \
                         service, cost_centre, subjective, amount"
                    )),
                )),
            }
        }
        let mut cost_centres = BTreeMap::new();
        for (centre, service) in parsed.cost_centres {
            match service_line(&service) {
                Some(s) => {
                    cost_centres.insert(centre.trim().to_owned(), s);
                }
                None => errors.push(error(
                    Some(format!("cost_centres.{centre}")),
                    Problem::Invalid(unknown_service(&service)),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Mapping {
            file: file.to_owned(),
            columns,
            cost_centres,
            income: parsed
                .income_subjectives
                .iter()
                .map(|s| normalise(s))
                .collect(),
        })
    }
}

use ngc_domain::finance::monitoring::service_line_named as service_line;

fn unknown_service(text: &str) -> String {
    let names: Vec<&str> = ServiceLine::ALL.iter().map(|s| s.label()).collect();
    format!(
        "`{text}` is not a service line: the service lines are {}",
        names.join(", ")
    )
}

/// A period: a month `2016-04`, a day (its month), or `2016-17 P01` (April is period 1).
pub fn period(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    let upper = t.to_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 2 {
        let (p, y) = if words[0].starts_with('P') {
            (words[0], words[1])
        } else {
            (words[1], words[0])
        };
        if let Some(n) = p.strip_prefix('P') {
            let year: FinancialYear = y
                .replace('/', "-")
                .parse()
                .map_err(|_| format!("`{text}` names no financial year (2016-17 P01)"))?;
            let n: u32 = n
                .parse()
                .map_err(|_| format!("`{text}` is not a period (2016-17 P01)"))?;
            if !(1..=12).contains(&n) {
                return Err(format!(
                    "`{text}` is not a period of the year: periods run from P1 (April) to P12 \
                     (March)"
                ));
            }
            let first = year.first_day();
            let m0 = (3 + n - 1) % 12;
            let y = first.year() + i32::from(n > 9);
            return NaiveDate::from_ymd_opt(y, m0 + 1, 1)
                .ok_or_else(|| format!("`{text}` is not a period of the year"));
        }
    }
    match values::paid_on(t) {
        Ok(values::PaidOn::Day(d)) => Ok(ngc_domain::ledger::actuals::month_start(d)),
        Ok(values::PaidOn::Month(d)) => Ok(d),
        Err(e) => Err(format!(
            "{e}: a period is a month (2016-04), a day (2016-04-30) or a period of the \
             financial year (2016-17 P01)"
        )),
    }
}

struct Layout {
    at: BTreeMap<Column, usize>,
    headers: Vec<String>,
}

impl Layout {
    fn of(file: &Path, headers: &[String], mapping: Option<&Mapping>) -> Result<Self, PackErrors> {
        let normalised: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
        let find = |wanted: &str| normalised.iter().position(|h| h == wanted);
        let mut at = BTreeMap::new();
        let mut errors = PackErrors::default();
        if let Some(m) = mapping {
            for (column, names) in &m.columns {
                match names.iter().find_map(|n| find(&normalise(n))) {
                    Some(i) => {
                        at.insert(*column, i);
                    }
                    None => errors.push(PackError {
                        file: m.file.clone(),
                        line: None,
                        column: Some(format!("columns.{}", column.name())),
                        problem: Problem::Invalid(format!(
                            "{} has no column {}: its header is {}",
                            file.display(),
                            names.join(" or "),
                            headers.join(", ")
                        )),
                    }),
                }
            }
        }
        for column in Column::ALL {
            if at.contains_key(&column) {
                continue;
            }
            let taken: Vec<usize> = at.values().copied().collect();
            if let Some(i) = column
                .headers()
                .iter()
                .filter_map(|h| find(h))
                .find(|i| !taken.contains(i))
            {
                at.insert(column, i);
            }
        }
        let placed = mapping.is_some_and(|m| !m.cost_centres.is_empty());
        let required = [
            (Column::Period, at.contains_key(&Column::Period)),
            (
                Column::Service,
                at.contains_key(&Column::Service)
                    || (placed && at.contains_key(&Column::CostCentre)),
            ),
            (Column::Subjective, at.contains_key(&Column::Subjective)),
            (Column::Amount, at.contains_key(&Column::Amount)),
        ];
        for (column, found) in required {
            if !found && errors.is_empty() {
                let hint = if column == Column::Service {
                    " (or a cost centre column with the mapping's [cost_centres])"
                } else {
                    ""
                };
                errors.push(PackError {
                    file: file.to_owned(),
                    line: Some(1),
                    column: Some(column.name().into()),
                    problem: Problem::Invalid(format!(
                        "missing column: no header names the {}{hint}; the header is {} (a \
                         mapping file, --mapping, can name it)",
                        column.name().replace('_', " "),
                        headers.join(", ")
                    )),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Layout {
            at,
            headers: headers.to_vec(),
        })
    }
}

struct Reading<'a> {
    file: &'a Path,
    layout: Layout,
    mapping: Option<&'a Mapping>,
    lines: Vec<GlLine>,
    errors: PackErrors,
}

impl Reading<'_> {
    fn error(&mut self, line: u64, column: Column, problem: String) {
        let header = self
            .layout
            .at
            .get(&column)
            .map_or(column.name(), |&i| self.layout.headers[i].as_str())
            .to_owned();
        self.errors.push(PackError {
            file: self.file.to_owned(),
            line: Some(line),
            column: Some(header),
            problem: Problem::Invalid(problem),
        });
    }

    fn add(&mut self, line: u64, row: &[String]) {
        let cell = |c: Column| {
            self.layout
                .at
                .get(&c)
                .and_then(|&i| row.get(i))
                .map_or("", |s| s.trim())
                .to_owned()
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let (p, s, cc, j, a) = (
            cell(Column::Period),
            cell(Column::Service),
            cell(Column::CostCentre),
            cell(Column::Subjective),
            cell(Column::Amount),
        );
        let month = match period(&p) {
            Ok(m) => Some(m),
            Err(e) => {
                self.error(line, Column::Period, e);
                None
            }
        };
        let placed = self.mapping.and_then(|m| m.cost_centres.get(&cc)).copied();
        let service = match (placed, s.is_empty()) {
            (Some(service), _) => Some(service),
            (None, false) => match service_line(&s) {
                Some(service) => Some(service),
                None => {
                    self.error(line, Column::Service, unknown_service(&s));
                    None
                }
            },
            (None, true) => {
                let why = if cc.is_empty() {
                    "a service line or a cost centre is required".to_owned()
                } else {
                    format!("the mapping places no cost centre `{cc}` on a service line")
                };
                let column = if self.layout.at.contains_key(&Column::CostCentre) {
                    Column::CostCentre
                } else {
                    Column::Service
                };
                self.error(line, column, why);
                None
            }
        };
        if j.is_empty() {
            self.error(line, Column::Subjective, "a subjective is required".into());
        }
        let amount = if a.is_empty() {
            self.error(line, Column::Amount, "an amount is required".into());
            None
        } else {
            match values::amount(&a) {
                Ok(m) => Some(m),
                Err(e) => {
                    self.error(line, Column::Amount, e);
                    None
                }
            }
        };
        if let (Some(month), Some(service), Some(amount), false) =
            (month, service, amount, j.is_empty())
        {
            let n = normalise(&j);
            let income = n == "income" || self.mapping.is_some_and(|m| m.income.contains(&n));
            self.lines.push(GlLine {
                line,
                month,
                service,
                cost_centre: cc,
                subjective: j,
                income,
                amount,
            });
        }
    }
}

fn name_of(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads an extract (CSV, or the first sheet of a workbook) whole, by its headers or the
/// mapping.
pub fn read_actuals(file: &Path, mapping: Option<&Mapping>) -> Result<GlExtract, PackErrors> {
    let whole = |problem| PackError {
        file: file.to_owned(),
        line: None,
        column: None,
        problem,
    };
    let bytes = crate::pack::source::read(file).map_err(|e| whole(Problem::Read(e)))?;
    let lower = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let rows: Vec<(u64, Vec<String>)> = if matches!(lower.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
    {
        let mut errors = PackErrors::default();
        let Some(mut book) = workbook::open(file, &mut errors) else {
            return Err(errors);
        };
        let range = match book.worksheet_range_at(0) {
            Some(Ok(range)) => range,
            Some(Err(e)) => {
                return Err(whole(Problem::Invalid(format!(
                    "cannot read the first sheet: {e}"
                )))
                .into());
            }
            None => return Err(whole(Problem::Invalid("the workbook has no sheets".into())).into()),
        };
        let first = range.start().map_or(0, |(r, _)| u64::from(r));
        range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                (
                    first + i as u64 + 1,
                    cells.iter().map(|c| cell_text(c).into_owned()).collect(),
                )
            })
            .collect()
    } else {
        let text = decode(&bytes);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        // The line of a record is counted from its byte offset: the csv reader's own count
        // does not count blank lines.
        let bytes = text.as_bytes();
        let (mut counted_to, mut line) = (0usize, 1u64);
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| PackError {
                file: file.to_owned(),
                line: e.position().map(|p| p.line()),
                column: None,
                problem: Problem::Csv(e.to_string()),
            })?;
            let at = record.position().map_or(counted_to, |p| {
                usize::try_from(p.byte()).unwrap_or(counted_to)
            });
            let mut at = at.min(bytes.len()).max(counted_to);
            // A record's position may be that of blank lines before it.
            while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
                at += 1;
            }
            line += bytes[counted_to..at]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            counted_to = at;
            rows.push((line, record.iter().map(|c| c.trim().to_owned()).collect()));
        }
        rows
    };
    let mut rows = rows.into_iter();
    let headers = rows.next().map(|(_, h)| h).unwrap_or_default();
    let layout = Layout::of(file, &headers, mapping)?;
    let mut reading = Reading {
        file,
        layout,
        mapping,
        lines: Vec::new(),
        errors: PackErrors::default(),
    };
    for (line, row) in rows {
        reading.add(line, &row);
    }
    if !reading.errors.is_empty() {
        return Err(reading.errors);
    }
    if reading.lines.is_empty() {
        return Err(whole(Problem::Invalid("the extract has no lines".into())).into());
    }
    Ok(GlExtract {
        name: name_of(file),
        sha256: Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        lines: reading.lines,
    })
}

/// Reads an extract held in memory as CSV (the demo carries its own), named `file` in errors
/// and the import.
pub fn read_actuals_bytes(
    file: &Path,
    bytes: &[u8],
    mapping: Option<&Mapping>,
) -> Result<GlExtract, PackErrors> {
    let mut files = crate::pack::source::Memory::new();
    files.insert(file, bytes);
    crate::pack::source::with(std::rc::Rc::new(files), || read_actuals(file, mapping))
}

/// Text from bytes: UTF-8 (a byte-order mark dropped), else Windows-1252.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

#[cfg(test)]
mod tests;
