//! Turning the text a user typed into domain values, naming the field that is wrong.

use crate::{UseCaseError, UseCaseResult};
use ngc_domain::organisation::OrgId;
use ngc_domain::slug::Slug;

/// A slug, or an error naming `field`.
pub fn slug(field: &str, value: &str) -> UseCaseResult<Slug> {
    Slug::parse(value.trim()).map_err(|e| UseCaseError::invalid(field, e.to_string()))
}

/// An optional slug: blank is `None`.
pub fn optional_slug(field: &str, value: Option<&str>) -> UseCaseResult<Option<Slug>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => slug(field, v).map(Some),
    }
}

/// A word of a text enum (kind, legal form, role…), or an error naming `field`.
pub fn word<T>(field: &str, value: &str) -> UseCaseResult<T>
where
    T: std::str::FromStr<Err = ngc_domain::text_enum::UnknownValue>,
{
    value
        .trim()
        .parse()
        .map_err(|e: ngc_domain::text_enum::UnknownValue| {
            UseCaseError::invalid(field, e.to_string())
        })
}

/// Registration identifiers, blanks skipped.
pub fn identifiers(values: &[String]) -> UseCaseResult<Vec<OrgId>> {
    values
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<OrgId>()
                .map_err(|e| UseCaseError::invalid("identifiers", e.to_string()))
        })
        .collect()
}
