//! Short, stable identifiers used in URLs and data packs (`northamptonshire`, `lgss`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A lowercase identifier of letters, digits and single hyphens, 2 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Why a text is not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{value}` is not a valid slug: use 2 to 64 lowercase letters, digits and single hyphens (e.g. `milton-keynes`)"
)]
pub struct SlugError {
    /// The rejected text.
    pub value: String,
}

impl Slug {
    /// Checks and wraps a slug.
    pub fn parse(value: &str) -> Result<Self, SlugError> {
        let ok = (2..=64).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--");
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(SlugError {
                value: value.to_owned(),
            })
        }
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("northamptonshire", true)]
    #[case("milton-keynes", true)]
    #[case("lgss", true)]
    #[case("a", false)]
    #[case("Milton-Keynes", false)]
    #[case("-corby", false)]
    #[case("corby-", false)]
    #[case("east--northants", false)]
    #[case("east northants", false)]
    fn slugs_are_lowercase_words_joined_by_single_hyphens(#[case] text: &str, #[case] ok: bool) {
        assert_eq!(Slug::parse(text).is_ok(), ok);
    }
}
