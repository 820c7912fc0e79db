//! Grants files (`ngc import grants`): 360Giving's flat CSV, as Trafford publishes its
//! voluntary-sector grants. The columns are found by their 360Giving titles in any order;
//! those ngc does not keep (locations, URLs, "Last modified") are passed over. Every problem
//! names the file, line and column, and nothing is returned unless every row is good.

use crate::pack::{PackError, PackErrors, Problem};
use chrono::NaiveDate;
use ngc_domain::money::Money;
use ngc_domain::transparency::{Grant, Recipient};
use std::path::Path;

/// The columns a grants file must have.
pub const REQUIRED: &[&str] = &[
    "Identifier",
    "Title",
    "Description",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
];

const OPTIONAL: &[&str] = &[
    "Currency",
    "Amount Disbursed",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Funding Org:Department",
    "Grant Programme:Code",
    "Grant Programme:Title",
];

fn problem(file: &Path, line: Option<u64>, column: Option<&str>, p: Problem) -> PackError {
    PackError {
        file: file.to_owned(),
        line,
        column: column.map(str::to_owned),
        problem: p,
    }
}

/// A 360Giving date: `YYYY-MM-DD`, or a date-time whose first ten characters are one.
fn date(text: &str) -> Result<NaiveDate, String> {
    text.get(..10)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

/// Reads a grants file.
pub fn read_grants(path: &Path) -> Result<Vec<Grant>, PackErrors> {
    let bytes = std::fs::read(path).map_err(|e| {
        let mut errors = PackErrors::default();
        errors.push(problem(path, None, None, Problem::Read(e)));
        errors
    })?;
    read_grants_bytes(path, &bytes)
}

/// Reads a grants file held in memory, named `path` in errors.
pub fn read_grants_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<Grant>, PackErrors> {
    let mut errors = PackErrors::default();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(problem(path, Some(1), None, Problem::Csv(e.to_string())));
            return Err(errors);
        }
    };
    let at = |name: &str| headers.iter().position(|h| h == name);
    for name in REQUIRED {
        if at(name).is_none() {
            let expected = REQUIRED.join(", ");
            errors.push(problem(
                path,
                Some(1),
                Some(name),
                Problem::MissingColumn { expected },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let index: Vec<(&str, Option<usize>)> = REQUIRED
        .iter()
        .chain(OPTIONAL)
        .map(|n| (*n, at(n)))
        .collect();
    let mut grants = Vec::new();
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line());
                errors.push(problem(path, line, None, Problem::Csv(e.to_string())));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |name: &str| -> &str {
            index
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, i)| i.and_then(|i| record.get(i)))
                .unwrap_or("")
        };
        let mut bad =
            |column: &str, p: Problem| errors.push(problem(path, Some(line), Some(column), p));
        for name in REQUIRED {
            if get(name).is_empty() {
                bad(name, Problem::Required);
            }
        }
        let currency = get("Currency");
        if !currency.is_empty() && currency != "GBP" {
            bad(
                "Currency",
                Problem::Invalid(format!("`{currency}`: amounts must be in GBP")),
            );
        }
        let money = |name: &str| -> Result<Option<Money>, String> {
            let text = get(name);
            if text.is_empty() {
                return Ok(None);
            }
            let m: Money = text
                .parse()
                .map_err(|e: ngc_domain::money::MoneyError| format!("`{text}`: {e}"))?;
            if m.is_negative() {
                return Err(format!("`{text}` is below zero"));
            }
            Ok(Some(m))
        };
        let optional_date = |name: &str| -> Result<Option<NaiveDate>, String> {
            let text = get(name);
            if text.is_empty() {
                Ok(None)
            } else {
                date(text).map(Some)
            }
        };
        let awarded = money("Amount Awarded");
        let disbursed = money("Amount Disbursed");
        let award_date = optional_date("Award Date");
        let start = optional_date("Planned Dates:Start Date");
        let end = optional_date("Planned Dates:End Date");
        let mut ok = true;
        for (name, r) in [
            ("Amount Awarded", awarded.as_ref().err()),
            ("Amount Disbursed", disbursed.as_ref().err()),
            ("Award Date", award_date.as_ref().err()),
            ("Planned Dates:Start Date", start.as_ref().err()),
            ("Planned Dates:End Date", end.as_ref().err()),
        ] {
            if let Some(e) = r {
                bad(name, Problem::Invalid(e.clone()));
                ok = false;
            }
        }
        if let (Ok(Some(s)), Ok(Some(e))) = (&start, &end)
            && e < s
        {
            bad(
                "Planned Dates:End Date",
                Problem::Invalid(format!("{e} is before the start, {s}")),
            );
            ok = false;
        }
        let identifier = get("Identifier");
        if !identifier.is_empty() {
            if let Some(first) = seen.get(identifier) {
                bad(
                    "Identifier",
                    Problem::Invalid(format!("`{identifier}` is already used on line {first}")),
                );
                ok = false;
            } else {
                seen.insert(identifier.to_owned(), line);
            }
        }
        if let (
            true,
            Ok(Some(amount_awarded)),
            Ok(amount_disbursed),
            Ok(Some(award_date)),
            Ok(start_on),
            Ok(end_on),
        ) = (ok, awarded, disbursed, award_date, start, end)
        {
            grants.push(Grant {
                identifier: identifier.to_owned(),
                title: get("Title").to_owned(),
                description: get("Description").to_owned(),
                amount_awarded,
                amount_disbursed,
                award_date,
                start_on,
                end_on,
                recipient: Recipient {
                    identifier: get("Recipient Org:Identifier").to_owned(),
                    name: get("Recipient Org:Name").to_owned(),
                    charity_number: get("Recipient Org:Charity Number").to_owned(),
                    company_number: get("Recipient Org:Company Number").to_owned(),
                },
                department: get("Funding Org:Department").to_owned(),
                programme_code: get("Grant Programme:Code").to_owned(),
                programme_title: get("Grant Programme:Title").to_owned(),
            });
        }
    }
    if errors.is_empty() {
        Ok(grants)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Grant>, PackErrors> {
        read_grants_bytes(Path::new("grants.csv"), text.as_bytes())
    }

    const HEAD: &str = "Identifier,Title,Description,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Beneficiary Location:Name\n";

    #[test]
    fn trafford_s_published_grants_read_whole() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../../shared/data/transparency/trafford/transparency_code/grants/trafford_council_voluntary_sector_grants.csv",
        );
        let grants = read_grants(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(grants.len() > 100, "{}", grants.len());
        let first = &grants[0];
        assert_eq!(first.identifier, "360G-traffordmbc-VSG1342");
        assert_eq!(first.amount_awarded, Money::pence(226_600));
        assert_eq!(first.award_date, "2013-01-18".parse::<NaiveDate>().unwrap());
        assert_eq!(first.recipient.name, "Altrincham Children's Choir");
        assert_eq!(first.programme_code, "VSG");
    }

    #[test]
    fn every_bad_value_is_named_by_line_and_column_and_nothing_is_read() {
        let text = format!(
            "{HEAD}G1,T,D,GBP,12.345,2015-06-01,GB-CHC-1,A,X\nG2,T,D,GBP,10,2015-02-30,GB-CHC-2,B,X\nG1,T,D,GBP,10,2015-06-01,GB-CHC-3,C,X\nG4,T,,USD,10,2015-06-01,GB-CHC-4,D,X\n"
        );
        let e = read(&text).unwrap_err().to_string();
        assert!(
            e.contains("line 2") && e.contains("Amount Awarded") && e.contains("12.345"),
            "{e}"
        );
        assert!(
            e.contains("line 3") && e.contains("Award Date") && e.contains("2015-02-30"),
            "{e}"
        );
        assert!(
            e.contains("line 4") && e.contains("already used on line 2"),
            "{e}"
        );
        assert!(
            e.contains("line 5") && e.contains("column Description"),
            "{e}"
        );
        assert!(e.contains("USD"), "{e}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = read("Identifier,Title\nG1,T\n").unwrap_err().to_string();
        assert!(
            e.contains("Amount Awarded") && e.contains("missing column"),
            "{e}"
        );
    }
}
