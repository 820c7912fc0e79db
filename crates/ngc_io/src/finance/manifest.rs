//! `plan.toml`: whose plan it is, its years, the council tax it starts from and the prudent
//! minimum reserve.

use crate::pack::{PackError, PackErrors, Problem};
use ngc_domain::finance::mtfp::{CouncilTaxBase, DEFAULT_YEARS};
use ngc_domain::finance::{AuthorityClass, FinancialYear};
use ngc_domain::money::Money;
use ngc_domain::slug::Slug;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::fmt::Display;
use std::path::Path;
use std::str::FromStr;
use toml::Spanned;

/// `plan.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    organisation: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    #[expect(dead_code, reason = "for people reading the plan; not loaded")]
    description: String,
    authority_class: Spanned<String>,
    first_year: Spanned<String>,
    years: Option<Spanned<i64>>,
    minimum_reserve_pct: Spanned<Number>,
    council_tax: RawCouncilTax,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCouncilTax {
    band_d: Spanned<Number>,
    tax_base: Spanned<Number>,
}

/// A number written as a TOML string (exact: `"1048.57"`) or number (`1048.57`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Number {
    Text(String),
    Integer(i64),
    Float(f64),
}

impl Number {
    fn text(&self) -> String {
        match self {
            Number::Text(s) => s.trim().to_owned(),
            Number::Integer(i) => i.to_string(),
            // The shortest text that reads back as the same float: `1048.57` stays so.
            Number::Float(f) => f.to_string(),
        }
    }
}

/// The plan's settings from `plan.toml`.
#[derive(Debug, Clone)]
pub(crate) struct Manifest {
    pub(crate) organisation: String,
    pub(crate) name: String,
    pub(crate) authority_class: AuthorityClass,
    pub(crate) first_year: FinancialYear,
    pub(crate) years: u16,
    pub(crate) minimum_reserve_pct: Decimal,
    pub(crate) council_tax: CouncilTaxBase,
}

/// Reads `file`, or reports why not (every bad value, each with its line and key).
pub(crate) fn read(file: &Path, errors: &mut PackErrors) -> Option<Manifest> {
    let text = match crate::pack::source::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            errors.push(error(file, None, None, Problem::Read(e)));
            return None;
        }
    };
    let raw: Raw = match toml::from_str(&text) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map(|span| line_at(&text, span.start));
            let problem = Problem::Manifest(e.message().trim().to_owned());
            errors.push(error(file, line, None, problem));
            return None;
        }
    };
    let mut keys = Keys {
        file,
        text: &text,
        errors,
        ok: true,
    };
    let organisation = keys.value("organisation", &raw.organisation, |s| {
        Slug::parse(s.trim()).map(|slug| slug.as_str().to_owned())
    });
    let name = keys.value("name", &raw.name, |s| match s.trim() {
        "" => Err("the plan needs a name"),
        name => Ok(name.to_owned()),
    });
    let authority_class = keys.value("authority_class", &raw.authority_class, |s| {
        AuthorityClass::from_str(s.trim())
    });
    let first_year = keys.value("first_year", &raw.first_year, |s| {
        FinancialYear::from_str(s.trim())
    });
    let years = match &raw.years {
        None => Some(DEFAULT_YEARS),
        Some(years) => keys.value("years", years, |&n| {
            u16::try_from(n)
                .ok()
                .filter(|n| (1..=20).contains(n))
                .ok_or(format!("a plan runs for 1 to 20 years, not {n}"))
        }),
    };
    let minimum_reserve_pct = keys.value("minimum_reserve_pct", &raw.minimum_reserve_pct, |n| {
        super::cells::parse_pct(&n.text()).and_then(|d| {
            if d < Decimal::ZERO {
                Err(format!("`{d}` is negative"))
            } else {
                Ok(d)
            }
        })
    });
    let band_d = keys.value("council_tax.band_d", &raw.council_tax.band_d, |n| {
        n.text().parse::<Money>().and_then(|m| {
            if m.is_positive() {
                Ok(m)
            } else {
                Err(ngc_domain::money::MoneyError::Invalid(format!(
                    "{m} (Band D must be above zero)"
                )))
            }
        })
    });
    let tax_base = keys.value("council_tax.tax_base", &raw.council_tax.tax_base, |n| {
        let text = n.text();
        match text.parse::<Decimal>() {
            Ok(d) if d > Decimal::ZERO => Ok(d),
            _ => Err(format!(
                "`{text}` is not a tax base: expected a positive number of Band D equivalents such as 216142.5"
            )),
        }
    });
    if let Some(years) = years
        && let Some(first) = first_year
        && first.plus(years - 1).is_none()
    {
        keys.report(
            "years",
            &raw.first_year,
            format!("{years} years from {first} run past the last year ngc handles"),
        );
    }
    let ok = keys.ok;
    Some(Manifest {
        organisation: organisation?,
        name: name?,
        authority_class: authority_class?,
        first_year: first_year?,
        years: years?,
        minimum_reserve_pct: minimum_reserve_pct?,
        council_tax: CouncilTaxBase {
            band_d: band_d?,
            tax_base: tax_base?,
        },
    })
    .filter(|_| ok)
}

/// Checks values of `plan.toml`, reporting each bad one at its line.
struct Keys<'a> {
    file: &'a Path,
    text: &'a str,
    errors: &'a mut PackErrors,
    ok: bool,
}

impl Keys<'_> {
    fn value<T, U, E: Display>(
        &mut self,
        key: &str,
        raw: &Spanned<T>,
        check: impl FnOnce(&T) -> Result<U, E>,
    ) -> Option<U> {
        match check(raw.get_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.report(key, raw, e.to_string());
                None
            }
        }
    }

    fn report<T>(&mut self, key: &str, raw: &Spanned<T>, message: String) {
        self.ok = false;
        let line = line_at(self.text, raw.span().start);
        let e = error(self.file, Some(line), Some(key), Problem::Invalid(message));
        self.errors.push(e);
    }
}

fn error(file: &Path, line: Option<u64>, key: Option<&str>, problem: Problem) -> PackError {
    PackError {
        file: file.to_owned(),
        line,
        column: key.map(str::to_owned),
        problem,
    }
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u64 {
    let before = text.get(..offset).unwrap_or(text);
    before.bytes().filter(|&b| b == b'\n').count() as u64 + 1
}
