//! Registration identifiers in org-id form: `SCHEME-IDENTIFIER`, checked by scheme.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The org-id registers ngc understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Companies House (`GB-COH`): 8 digits, or 2 letters and 6 digits (`SC123456`).
    CompaniesHouse,
    /// Charity Commission for England and Wales (`GB-CHC`): 6 or 7 digits.
    CharityCommission,
    /// Local Authorities in England (`GB-LAE`): a 3 or 4 letter register code.
    LocalAuthorityEngland,
    /// FCA Mutuals Public Register (`GB-MPR`): digits, with an optional prefix and `R` suffix.
    MutualsRegister,
    /// NHS Organisation Data Service (`GB-NHS`): 3 to 5 letters and digits.
    Nhs,
    /// Public Procurement Organisation Number (`GB-PPON`), issued by the Central Digital
    /// Platform: `P`, 3 letters, 4 digits and 4 letters in groups of four (`PHDQ-2359-NZMP`).
    Ppon,
}

impl Scheme {
    /// Every scheme.
    pub const ALL: [Scheme; 6] = [
        Scheme::CompaniesHouse,
        Scheme::CharityCommission,
        Scheme::LocalAuthorityEngland,
        Scheme::MutualsRegister,
        Scheme::Nhs,
        Scheme::Ppon,
    ];

    /// The scheme prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Scheme::CompaniesHouse => "GB-COH",
            Scheme::CharityCommission => "GB-CHC",
            Scheme::LocalAuthorityEngland => "GB-LAE",
            Scheme::MutualsRegister => "GB-MPR",
            Scheme::Nhs => "GB-NHS",
            Scheme::Ppon => "GB-PPON",
        }
    }

    /// The expected form of an identifier, in words, with an example.
    pub fn expected(self) -> &'static str {
        match self {
            Scheme::CompaniesHouse => {
                "8 digits or 2 capital letters and 6 digits, e.g. GB-COH-01234567"
            }
            Scheme::CharityCommission => "6 or 7 digits, e.g. GB-CHC-1123456",
            Scheme::LocalAuthorityEngland => "3 or 4 capital letters, e.g. GB-LAE-NTH",
            Scheme::MutualsRegister => {
                "digits with an optional 2-letter prefix and R suffix, e.g. GB-MPR-30041R"
            }
            Scheme::Nhs => "3 to 5 capital letters or digits, e.g. GB-NHS-RNS",
            Scheme::Ppon => {
                "P and 3 capital letters, 4 digits and 4 capital letters, joined by hyphens, \
                 e.g. GB-PPON-PHDQ-2359-NZMP"
            }
        }
    }

    fn accepts(self, id: &str) -> bool {
        let b = id.as_bytes();
        let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
        let upper = |s: &[u8]| s.iter().all(u8::is_ascii_uppercase);
        match self {
            Scheme::CompaniesHouse => {
                b.len() == 8 && (digits(b) || (upper(&b[..2]) && digits(&b[2..])))
            }
            Scheme::CharityCommission => (6..=7).contains(&b.len()) && digits(b),
            Scheme::LocalAuthorityEngland => (3..=4).contains(&b.len()) && upper(b),
            Scheme::MutualsRegister => {
                let body = b.strip_suffix(b"R").unwrap_or(b);
                let body = match body {
                    [p, q, rest @ ..] if p.is_ascii_uppercase() && q.is_ascii_uppercase() => rest,
                    _ => body,
                };
                (1..=7).contains(&body.len()) && digits(body)
            }
            Scheme::Nhs => {
                (3..=5).contains(&b.len())
                    && b.iter()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
            Scheme::Ppon => {
                b.len() == 14
                    && b[0] == b'P'
                    && upper(&b[1..4])
                    && b[4] == b'-'
                    && digits(&b[5..9])
                    && b[9] == b'-'
                    && upper(&b[10..])
            }
        }
    }
}

/// A checked org-id identifier such as `GB-CHC-1123456`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgId {
    scheme: Scheme,
    id: String,
}

/// Why a text is not an org-id identifier; the message says the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgIdError {
    #[error(
        "`{0}` has no known org-id scheme: expected GB-COH-…, GB-CHC-…, GB-LAE-…, GB-MPR-…, GB-NHS-… or GB-PPON-…"
    )]
    UnknownScheme(String),
    #[error("`{value}` is not a valid {prefix} identifier: expected {expected}")]
    BadIdentifier {
        value: String,
        prefix: &'static str,
        expected: &'static str,
    },
}

impl OrgId {
    /// The register this identifier belongs to.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The identifier within its register.
    pub fn identifier(&self) -> &str {
        &self.id
    }
}

impl FromStr for OrgId {
    type Err = OrgIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let scheme = Scheme::ALL
            .into_iter()
            .find(|sc| {
                s.strip_prefix(sc.prefix())
                    .is_some_and(|rest| rest.starts_with('-'))
            })
            .ok_or_else(|| OrgIdError::UnknownScheme(s.to_owned()))?;
        let id = &s[scheme.prefix().len() + 1..];
        if scheme.accepts(id) {
            Ok(OrgId {
                scheme,
                id: id.to_owned(),
            })
        } else {
            Err(OrgIdError::BadIdentifier {
                value: s.to_owned(),
                prefix: scheme.prefix(),
                expected: scheme.expected(),
            })
        }
    }
}

impl TryFrom<String> for OrgId {
    type Error = OrgIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<OrgId> for String {
    fn from(id: OrgId) -> Self {
        id.to_string()
    }
}

impl fmt::Display for OrgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.scheme.prefix(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::company_number("GB-COH-01234567")]
    #[case::scottish_company("GB-COH-SC123456")]
    #[case::charity_six_digits("GB-CHC-210183")]
    #[case::charity_seven_digits("GB-CHC-1123456")]
    #[case::local_authority("GB-LAE-NTH")]
    #[case::mutual("GB-MPR-30041R")]
    #[case::mutual_with_prefix("GB-MPR-IP28988R")]
    #[case::nhs_trust("GB-NHS-RNS")]
    #[case::ppon("GB-PPON-PHDQ-2359-NZMP")]
    fn valid_identifiers_round_trip(#[case] text: &str) {
        let id: OrgId = text.parse().unwrap();
        assert_eq!(id.to_string(), text);
    }

    #[rstest]
    #[case::short_company("GB-COH-1234567", "GB-COH")]
    #[case::letters_in_charity("GB-CHC-12A456", "GB-CHC")]
    #[case::lowercase_authority("GB-LAE-nth", "GB-LAE")]
    #[case::empty_mutual("GB-MPR-R", "GB-MPR")]
    #[case::ppon_without_hyphens("GB-PPON-PHDQ2359NZMP", "GB-PPON")]
    #[case::ppon_not_starting_with_p("GB-PPON-AHDQ-2359-NZMP", "GB-PPON")]
    #[case::ppon_lowercase("GB-PPON-phdq-2359-nzmp", "GB-PPON")]
    #[case::ppon_letters_for_digits("GB-PPON-PHDQ-23A9-NZMP", "GB-PPON")]
    #[case::ppon_too_long("GB-PPON-PHDQ-2359-NZMPX", "GB-PPON")]
    fn invalid_identifiers_name_the_expected_form(#[case] text: &str, #[case] prefix: &str) {
        let err = text.parse::<OrgId>().unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, OrgIdError::BadIdentifier { .. }), "{msg}");
        assert!(msg.contains(prefix) && msg.contains("expected"), "{msg}");
    }

    #[test]
    fn unknown_schemes_are_refused() {
        let err = "US-EIN-123".parse::<OrgId>().unwrap_err();
        assert!(matches!(err, OrgIdError::UnknownScheme(_)));
    }
}
