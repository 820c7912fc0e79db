//! A partnership's shared-services file (`ngc import shared-services`), CSV or a workbook
//! (the first sheet), one fact a line:
//!
//! `service,year,item,organisation,value,source,confirmed`
//!
//! | item | service | year | organisation | value |
//! |---|---|---|---|---|
//! | `name` | yes | — | — | the service's name |
//! | `host` | yes | — | the hosting member's slug | — |
//! | `pool` | yes | yes | — | the year's cost before income (£) |
//! | `basis` | yes | yes | — | `fixed_shares`, `headcount`, `transactions`, `invoices`, `users` or `budget` |
//! | `share` | yes | yes | a partner | its fixed share in per cent (basis `fixed_shares`) |
//! | `driver` | yes | yes | a partner | its driver value (the other bases) |
//! | `fee` | yes | yes | the external client, in words | its fee (£) |
//! | `income_key` | yes | yes | a partner | its value of the separate key the fees are shared by |
//! | `notice_months` | — | — | — | the months' notice to leave |
//! | `index_name` | — | — | — | the index baselines are carried by |
//! | `index` | — | yes | — | the index's rise into the year, in per cent |
//! | `baseline` | — | yes | a partner | its pre-sharing cost in that year's prices (£) |
//! | `projected_cumulative`, `reported_in_year`, `reported_cumulative` | — | yes | a partner, or blank for the partnership | a published savings figure (£) |
//!
//! `source` says where a figure comes from and `confirmed` (`yes`/`no`) whether it is
//! confirmed against it; a year's `pool` line carries the year's. Every problem names the
//! line and column; nothing is returned unless the whole file is good. The rules on the
//! figures (shares summing to 100%, a driver value for every partner, a pool not negative,
//! income no more than the pool) are the use case's, through the statement.

use crate::finance::cells::{Cells, Record, file_error};
use crate::finance::sheet;
use crate::pack::PackErrors;
use crate::pack::table;
use ngc_domain::finance::FinancialYear;
use ngc_domain::money::Money;
use ngc_domain::shared_services::{
    Agreement, BaselineDraft, Basis, Fee, IndexRate, Provenance, Published, PublishedSaving,
    ServiceDraft, YearDraft,
};
use ngc_domain::slug::Slug;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

/// The columns of a shared-services file.
pub const SHARED_SERVICES_COLUMNS: &[&str] = &[
    "service",
    "year",
    "item",
    "organisation",
    "value",
    "source",
    "confirmed",
];

/// Reads a shared-services file: CSV (`.csv`) or a workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`).
pub fn read_shared_services(path: &Path) -> Result<Agreement, PackErrors> {
    let mut errors = PackErrors::default();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let agreement = match extension.as_deref() {
        Some("csv") => table::read(path, SHARED_SERVICES_COLUMNS, &mut errors)
            .map(|t| facts(path, &t.rows, &mut errors)),
        Some("xlsx" | "xlsm" | "xls" | "ods") => {
            sheet::rows(path, SHARED_SERVICES_COLUMNS, &mut errors)
                .map(|rows| facts(path, &rows, &mut errors))
        }
        _ => {
            let message = "a shared-services file is CSV (.csv) or a workbook (.xlsx)".to_owned();
            errors.push(file_error(path, None, None, message));
            None
        }
    };
    match agreement {
        Some(a) if errors.is_empty() => Ok(a),
        _ => Err(errors),
    }
}

/// Reads a shared-services file held in memory (the demo carries its own), named `path` in
/// messages and by its extension.
pub fn read_shared_services_bytes(path: &Path, bytes: &[u8]) -> Result<Agreement, PackErrors> {
    let mut files = crate::pack::source::Memory::new();
    files.insert(path, bytes);
    crate::pack::source::with(std::rc::Rc::new(files), || read_shared_services(path))
}

/// A service's year as it is read, line by line.
#[derive(Default)]
struct YearLines {
    pool: Option<(Money, Provenance)>,
    basis: Option<Basis>,
    /// `true` for `share` lines, `false` for `driver` lines, with the first line.
    weights_kind: Option<(bool, u64)>,
    weights: Vec<(Slug, Decimal)>,
    fees: Vec<Fee>,
    income_key: Vec<(Slug, Decimal)>,
    first_line: u64,
}

#[derive(Default)]
struct ServiceLines {
    name: Option<String>,
    host: Option<Slug>,
    first_line: u64,
}

fn facts<R: Record>(file: &Path, rows: &[R], errors: &mut PackErrors) -> Agreement {
    let mut services: BTreeMap<String, ServiceLines> = BTreeMap::new();
    let mut years: BTreeMap<(String, FinancialYear), YearLines> = BTreeMap::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut agreement = Agreement::default();
    for row in rows {
        let mut c = Cells::new(file, row, errors);
        let line = c.line();
        let Some(item) = c.required("item") else {
            continue;
        };
        let service = c.text("service");
        let year_text = c.text("year");
        let organisation = c.text("organisation");
        let source = c.text("source");
        let confirmed = match c.text("confirmed").to_ascii_lowercase().as_str() {
            "" | "no" | "false" => false,
            "yes" | "true" => true,
            other => {
                c.invalid("confirmed", format!("`{other}` is not yes or no"));
                continue;
            }
        };
        let provenance = Provenance { source, confirmed };
        let (needs_service, needs_year) = match item.as_str() {
            "name" | "host" => (true, false),
            "pool" | "basis" | "share" | "driver" | "fee" | "income_key" => (true, true),
            "notice_months" | "index_name" => (false, false),
            "index"
            | "baseline"
            | "projected_cumulative"
            | "reported_in_year"
            | "reported_cumulative" => (false, true),
            other => {
                c.invalid(
                    "item",
                    format!(
                        "`{other}` is not an item: name, host, pool, basis, share, driver, fee, \
                         income_key, notice_months, index_name, index, baseline, \
                         projected_cumulative, reported_in_year or reported_cumulative"
                    ),
                );
                continue;
            }
        };
        match (needs_service, service.is_empty()) {
            (true, true) => {
                c.invalid("service", format!("a `{item}` line names its service"));
                continue;
            }
            (false, false) => {
                c.invalid(
                    "service",
                    format!("a `{item}` line is about the partnership: leave the service blank"),
                );
                continue;
            }
            _ => {}
        }
        if needs_service && Slug::parse(&service).is_err() {
            c.invalid(
                "service",
                format!("`{service}` is not a service code: lower-case letters, digits and dashes"),
            );
            continue;
        }
        let year = match (needs_year, year_text.is_empty()) {
            (true, _) => match c.parse::<FinancialYear>("year") {
                Some(y) => Some(y),
                None => continue,
            },
            (false, false) => {
                c.invalid(
                    "year",
                    format!("a `{item}` line has no year: leave it blank"),
                );
                continue;
            }
            (false, true) => None,
        };
        let partner = |c: &mut Cells<'_, R>| -> Option<Slug> {
            let text = c.required("organisation")?;
            Slug::parse(&text)
                .map_err(|e| c.invalid("organisation", e.to_string()))
                .ok()
        };
        let key = format!("{service}|{year_text}|{item}|{organisation}");
        if let Some(first) = seen.insert(key, line) {
            c.invalid(
                "item",
                format!("the same `{item}` is already given on line {first}"),
            );
            continue;
        }
        if needs_service && !needs_year {
            let s = services
                .entry(service.clone())
                .or_insert_with(|| ServiceLines {
                    first_line: line,
                    ..Default::default()
                });
            if item == "name" {
                s.name = c.required("value");
            } else {
                s.host = partner(&mut c);
            }
            continue;
        }
        if let (true, Some(year)) = (needs_service, year) {
            let y = years
                .entry((service.clone(), year))
                .or_insert_with(|| YearLines {
                    first_line: line,
                    ..Default::default()
                });
            match item.as_str() {
                "pool" => y.pool = c.money("value").map(|m| (m, provenance)),
                "basis" => y.basis = c.parse::<Basis>("value"),
                "share" | "driver" => {
                    let is_share = item == "share";
                    match y.weights_kind {
                        Some((kind, first)) if kind != is_share => {
                            c.invalid(
                                "item",
                                format!(
                                    "`{item}` and `{}` lines mix for service `{service}` {year} (first on line {first})",
                                    if kind { "share" } else { "driver" }
                                ),
                            );
                            continue;
                        }
                        Some(_) => {}
                        None => y.weights_kind = Some((is_share, line)),
                    }
                    if let (Some(org), Some(v)) = (partner(&mut c), decimal(&mut c)) {
                        y.weights.push((org, v));
                    }
                }
                "fee" => {
                    if let (Some(client), Some(amount)) =
                        (c.required("organisation"), c.money("value"))
                    {
                        y.fees.push(Fee { client, amount });
                    }
                }
                _ => {
                    if let (Some(org), Some(v)) = (partner(&mut c), decimal(&mut c)) {
                        y.income_key.push((org, v));
                    }
                }
            }
            continue;
        }
        match (item.as_str(), year) {
            ("notice_months", _) => match c.parse::<u32>("value") {
                Some(n) => agreement.notice_months = Some(n),
                None => continue,
            },
            ("index_name", _) => agreement.index_name = c.required("value"),
            ("index", Some(year)) => {
                if let Some(rate) = decimal(&mut c) {
                    agreement.index_rates.push(IndexRate {
                        year,
                        rate,
                        provenance,
                    });
                }
            }
            ("baseline", Some(year)) => {
                if let (Some(organisation), Some(amount)) = (partner(&mut c), c.money("value")) {
                    agreement.baselines.push(BaselineDraft {
                        organisation,
                        year,
                        amount,
                        provenance,
                    });
                }
            }
            (kind, Some(year)) => {
                let organisation = if organisation.is_empty() {
                    Some(None)
                } else {
                    partner(&mut c).map(Some)
                };
                let kind: Published = kind.parse().expect("a published item");
                if let (Some(organisation), Some(amount)) = (organisation, c.money("value")) {
                    agreement.published.push(PublishedSaving {
                        organisation,
                        year,
                        kind,
                        amount,
                        provenance,
                    });
                }
            }
            _ => unreachable!("items with a year are checked above"),
        }
    }
    for (code, s) in services {
        match (s.name, s.host) {
            (Some(name), Some(host)) => agreement.services.push(ServiceDraft { code, name, host }),
            (name, _) => {
                let missing = if name.is_none() { "name" } else { "host" };
                errors.push(file_error(
                    file,
                    Some(s.first_line),
                    Some("item"),
                    format!("service `{code}` has no `{missing}` line"),
                ));
            }
        }
    }
    for ((service, year), y) in years {
        let where_ = |what: &str| format!("service `{service}` {year} has no `{what}` line");
        let (Some((pool, provenance)), Some(basis)) = (y.pool, y.basis) else {
            let missing = if y.basis.is_some() { "pool" } else { "basis" };
            errors.push(file_error(
                file,
                Some(y.first_line),
                Some("item"),
                where_(missing),
            ));
            continue;
        };
        if let Some((is_share, first)) = y.weights_kind
            && is_share != (basis == Basis::FixedShares)
        {
            let message = if is_share {
                format!(
                    "service `{service}` {year}: `share` lines need the basis fixed_shares, not {basis}"
                )
            } else {
                format!(
                    "service `{service}` {year}: the basis fixed_shares takes `share` lines, not `driver` lines"
                )
            };
            errors.push(file_error(file, Some(first), Some("item"), message));
            continue;
        }
        agreement.years.push(YearDraft {
            service,
            year,
            pool,
            basis,
            weights: y.weights,
            fees: y.fees,
            income_key: (!y.income_key.is_empty()).then_some(y.income_key),
            provenance,
        });
    }
    agreement
}

fn decimal<R: Record>(c: &mut Cells<'_, R>) -> Option<Decimal> {
    let text = c.required("value")?;
    match text.parse::<Decimal>() {
        Ok(d)
            if text
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') =>
        {
            Some(d)
        }
        _ => {
            c.invalid("value", format!("`{text}` is not a number"));
            None
        }
    }
}
