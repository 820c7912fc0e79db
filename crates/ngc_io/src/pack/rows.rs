//! Turning one CSV row into a domain draft, reporting every bad value in the row.

use super::error::{PackErrors, Problem};
use super::table::{self, Row};
use chrono::NaiveDate;
use ngc_domain::organisation::{OrgId, OrganisationDraft};
use ngc_domain::pack::{MembershipDraft, PartnershipDraft};
use ngc_domain::partnership::{Membership, MembershipError};
use ngc_domain::slug::Slug;
use std::fmt::Display;
use std::path::Path;
use std::str::FromStr;

/// The columns of `organisations.csv`.
pub const ORGANISATION_COLUMNS: &[&str] = &[
    "slug",
    "name",
    "kind",
    "legal_form",
    "sme",
    "vcse",
    "public_service_mutual",
    "identifiers",
    "owner",
];

/// The columns of `partnerships.csv`.
pub const PARTNERSHIP_COLUMNS: &[&str] = &["slug", "name", "kind", "lead", "description"];

/// The columns of `memberships.csv`.
pub const MEMBERSHIP_COLUMNS: &[&str] = &["partnership", "organisation", "joined_on", "left_on"];

/// The longest name a partnership may have, as for organisations.
const MAX_NAME_CHARS: usize = 200;

/// A row read from a file with a slug column: its slug even when other values are bad,
/// so that references to it are not reported as unknown as well.
#[derive(Debug)]
pub(crate) struct Parsed<T> {
    pub(crate) line: u64,
    pub(crate) slug: Option<Slug>,
    pub(crate) draft: Option<T>,
}

/// One row's values, reporting each bad one against its column.
struct Cells<'a> {
    file: &'a Path,
    row: &'a Row,
    errors: &'a mut PackErrors,
}

impl Cells<'_> {
    fn report(&mut self, column: &str, problem: Problem) {
        let e = table::error(self.file, self.row.line, column, problem);
        self.errors.push(e);
    }

    fn required(&mut self, column: &str) -> Option<String> {
        match self.row.value(column) {
            "" => {
                self.report(column, Problem::Required);
                None
            }
            value => Some(value.to_owned()),
        }
    }

    fn optional<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match self.row.value(column) {
            "" => Some(None),
            value => match parse(value) {
                Ok(v) => Some(Some(v)),
                Err(message) => {
                    self.report(column, Problem::Invalid(message));
                    None
                }
            },
        }
    }

    fn parsed<T: FromStr>(&mut self, column: &str) -> Option<T>
    where
        T::Err: Display,
    {
        let value = self.required(column)?;
        value
            .parse()
            .map_err(|e: T::Err| self.report(column, Problem::Invalid(e.to_string())))
            .ok()
    }

    fn slug(&mut self, column: &str) -> Option<Slug> {
        let value = self.required(column)?;
        Slug::parse(&value)
            .map_err(|e| self.report(column, Problem::Invalid(e.to_string())))
            .ok()
    }

    fn optional_slug(&mut self, column: &str) -> Option<Option<Slug>> {
        self.optional(column, |v| Slug::parse(v).map_err(|e| e.to_string()))
    }

    fn name(&mut self, column: &str) -> Option<String> {
        let name = self.required(column)?;
        if name.chars().count() > MAX_NAME_CHARS {
            let message = format!("must be at most {MAX_NAME_CHARS} characters");
            self.report(column, Problem::Invalid(message));
            return None;
        }
        Some(name)
    }

    fn flag(&mut self, column: &str) -> Option<bool> {
        self.optional(column, parse_flag)
            .map(|v| v.unwrap_or(false))
    }

    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let value = self.required(column)?;
        parse_date(&value)
            .map_err(|message| self.report(column, Problem::Invalid(message)))
            .ok()
    }

    fn identifiers(&mut self, column: &str) -> Option<Vec<OrgId>> {
        let mut ids = Vec::new();
        let mut ok = true;
        for piece in self.row.value(column).split(';').map(str::trim) {
            if piece.is_empty() {
                continue;
            }
            match piece.parse::<OrgId>() {
                Ok(id) => ids.push(id),
                Err(e) => {
                    self.report(column, Problem::Invalid(e.to_string()));
                    ok = false;
                }
            }
        }
        ok.then_some(ids)
    }
}

fn parse_flag(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(format!(
            "`{value}` is not a yes/no value: expected true, false, yes, no or empty (false)"
        )),
    }
}

pub(crate) fn parse_date(value: &str) -> Result<NaiveDate, String> {
    let bad = || format!("`{value}` is not a date: expected YYYY-MM-DD, e.g. 2015-04-01");
    if value.len() != 10 {
        return Err(bad());
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad())
}

/// The text of a domain error without its leading `column: `, which the location already says.
fn without_prefix(message: String, column: &str) -> String {
    match message
        .strip_prefix(column)
        .and_then(|m| m.strip_prefix(": "))
    {
        Some(rest) => rest.to_owned(),
        None => message,
    }
}

/// Reads one row of `organisations.csv`.
pub(crate) fn organisation(
    file: &Path,
    row: &Row,
    errors: &mut PackErrors,
) -> Parsed<OrganisationDraft> {
    let mut c = Cells { file, row, errors };
    let slug = c.slug("slug");
    let name = c.name("name");
    let kind = c.parsed("kind");
    let legal_form = c.parsed("legal_form");
    let sme = c.flag("sme");
    let vcse = c.flag("vcse");
    let public_service_mutual = c.flag("public_service_mutual");
    let identifiers = c.identifiers("identifiers");
    let owner = c.optional_slug("owner");
    let parsed = |draft| Parsed {
        line: row.line,
        slug: slug.clone(),
        draft,
    };
    let (
        Some(slug),
        Some(name),
        Some(kind),
        Some(legal_form),
        Some(sme),
        Some(vcse),
        Some(public_service_mutual),
        Some(identifiers),
        Some(owner),
    ) = (
        slug.clone(),
        name,
        kind,
        legal_form,
        sme,
        vcse,
        public_service_mutual,
        identifiers,
        owner,
    )
    else {
        return parsed(None);
    };
    let draft = OrganisationDraft {
        slug,
        name,
        kind,
        legal_form,
        sme,
        vcse,
        public_service_mutual,
        identifiers,
        owner,
    };
    match draft.validate() {
        Ok(()) => parsed(Some(draft)),
        Err(e) => {
            // The domain's field names are the column names.
            let column = e.field();
            c.report(
                column,
                Problem::Invalid(without_prefix(e.to_string(), column)),
            );
            parsed(None)
        }
    }
}

/// Reads one row of `partnerships.csv`.
pub(crate) fn partnership(
    file: &Path,
    row: &Row,
    errors: &mut PackErrors,
) -> Parsed<PartnershipDraft> {
    let mut c = Cells { file, row, errors };
    let slug = c.slug("slug");
    let name = c.name("name");
    let kind = c.parsed("kind");
    let lead = c.optional_slug("lead");
    let description = row.value("description").to_owned();
    let draft = match (slug.clone(), name, kind, lead) {
        (Some(slug), Some(name), Some(kind), Some(lead)) => Some(PartnershipDraft {
            slug,
            name,
            kind,
            lead,
            description,
        }),
        _ => None,
    };
    Parsed {
        line: row.line,
        slug,
        draft,
    }
}

/// Reads one row of `memberships.csv`, checking its dates.
pub(crate) fn membership(
    file: &Path,
    row: &Row,
    errors: &mut PackErrors,
) -> Option<MembershipDraft> {
    let mut c = Cells { file, row, errors };
    let partnership = c.slug("partnership");
    let organisation = c.slug("organisation");
    let joined_on = c.date("joined_on");
    let left_on = c.optional("left_on", parse_date);
    let (partnership, organisation, joined_on, left_on) =
        (partnership?, organisation?, joined_on?, left_on?);
    if let Err(e) = Membership::new(joined_on, left_on) {
        let column = match e {
            MembershipError::LeftBeforeJoined { .. } => "left_on",
            MembershipError::AlreadyMember(_) => "joined_on",
        };
        c.report(
            column,
            Problem::Invalid(without_prefix(e.to_string(), column)),
        );
        return None;
    }
    Some(MembershipDraft {
        partnership,
        organisation,
        joined_on,
        left_on,
    })
}
