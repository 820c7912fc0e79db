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

impl std::str::FromStr for Slug {
    type Err = SlugError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Slug::parse(s)
    }
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

    /// A slug made from an organisation's name, to suggest when none is given: lowercase
    /// ASCII words joined by hyphens (`&` is "and", accents are dropped, apostrophes
    /// vanish), without a trailing legal suffix such as "Ltd" or "CIC", cut to 64
    /// characters at a word boundary. `None` when the name has too few letters or digits.
    pub fn suggest(name: &str) -> Option<Slug> {
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in name.chars() {
            if matches!(c, '\'' | '’') {
                continue;
            }
            let folded = fold(c);
            if c == '&' {
                push_word(&mut words, &mut word);
                words.push("and".into());
            } else if folded.is_empty() {
                push_word(&mut words, &mut word);
            } else {
                word.push_str(folded.as_str());
            }
        }
        push_word(&mut words, &mut word);
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| LEGAL_SUFFIXES.contains(&w.as_str()))
        {
            words.pop();
        }
        let mut slug = String::new();
        for w in words {
            let extra = if slug.is_empty() {
                w.len()
            } else {
                w.len() + 1
            };
            if slug.len() + extra > 64 {
                if slug.is_empty() {
                    slug = w[..64].to_owned();
                }
                break;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(&w);
        }
        Slug::parse(&slug).ok()
    }
}

/// Words at the end of a name that say its legal form, left out of a suggested slug.
const LEGAL_SUFFIXES: [&str; 8] = ["ltd", "limited", "plc", "llp", "cic", "cio", "lp", "co"];

fn push_word(words: &mut Vec<String>, word: &mut String) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// A character as lowercase ASCII letters or digits; empty for anything else.
fn fold(c: char) -> String {
    let lower = c.to_lowercase().collect::<String>();
    let mapped = match lower.as_str() {
        "à" | "á" | "â" | "ã" | "ä" | "å" | "ā" => "a",
        "ç" | "ć" | "č" => "c",
        "è" | "é" | "ê" | "ë" | "ē" => "e",
        "ì" | "í" | "î" | "ï" | "ī" => "i",
        "ñ" | "ń" => "n",
        "ò" | "ó" | "ô" | "õ" | "ö" | "ø" | "ō" => "o",
        "ù" | "ú" | "û" | "ü" | "ū" => "u",
        "ý" | "ÿ" | "ŷ" => "y",
        "ŵ" => "w",
        "æ" => "ae",
        "œ" => "oe",
        "ß" => "ss",
        other => other,
    };
    if mapped
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        mapped.to_owned()
    } else {
        String::new()
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

    #[rstest]
    #[case::plain("Nene Valley Care", Some("nene-valley-care"))]
    #[case::legal_suffix_dropped("First for Wellbeing CIC", Some("first-for-wellbeing"))]
    #[case::several_suffixes("Acme Co Ltd", Some("acme"))]
    #[case::ampersand_and_punctuation(
        "Smith & Sons (Northampton) Ltd.",
        Some("smith-and-sons-northampton")
    )]
    #[case::apostrophe("St John's Ambulance", Some("st-johns-ambulance"))]
    #[case::accents("Café Crème Société", Some("cafe-creme-societe"))]
    #[case::a_suffix_alone_stays("Limited", Some("limited"))]
    #[case::digits("2gether Support Solutions", Some("2gether-support-solutions"))]
    #[case::too_short("X", None)]
    #[case::no_letters("!!!", None)]
    fn a_slug_is_suggested_from_a_name(#[case] name: &str, #[case] slug: Option<&str>) {
        assert_eq!(Slug::suggest(name).as_ref().map(Slug::as_str), slug);
    }

    #[test]
    fn a_long_name_is_cut_at_a_word_boundary() {
        let name = "The Northamptonshire Community Wellbeing and Social Care Mutual Organisation";
        let slug = Slug::suggest(name).unwrap();
        assert!(slug.as_str().len() <= 64, "{slug}");
        assert_eq!(
            slug.as_str(),
            "the-northamptonshire-community-wellbeing-and-social-care-mutual"
        );
    }
}
