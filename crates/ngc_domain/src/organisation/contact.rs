//! What an organisation's own users may edit: how to reach it, and what it does.

use serde::{Deserialize, Serialize};

/// An organisation's contact details and description. Empty text means "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetails {
    /// What the organisation does, in its own words.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// An `https://` or `http://` address.
    #[serde(default)]
    pub website: String,
    /// The postal address, lines separated by newlines.
    #[serde(default)]
    pub address: String,
}

/// A contact field that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ContactError {
    pub field: &'static str,
    pub message: String,
}

fn too_long(field: &'static str, value: &str, max: usize) -> Result<(), ContactError> {
    if value.chars().count() > max {
        return Err(ContactError {
            field,
            message: format!("must be at most {max} characters"),
        });
    }
    Ok(())
}

impl ContactDetails {
    /// The details with surrounding blanks trimmed.
    pub fn trimmed(&self) -> Self {
        Self {
            description: self.description.trim().to_owned(),
            email: self.email.trim().to_lowercase(),
            phone: self.phone.trim().to_owned(),
            website: self.website.trim().to_owned(),
            address: self.address.trim().to_owned(),
        }
    }

    /// Checks each field and names the first one that is wrong.
    pub fn validate(&self) -> Result<(), ContactError> {
        too_long("description", &self.description, 5000)?;
        too_long("email", &self.email, 254)?;
        too_long("phone", &self.phone, 40)?;
        too_long("website", &self.website, 500)?;
        too_long("address", &self.address, 500)?;
        let email = self.email.trim();
        if !email.is_empty() {
            let ok = matches!(email.split_once('@'), Some((a, b)) if !a.is_empty() && b.contains('.') && !b.contains('@'))
                && !email.contains(char::is_whitespace);
            if !ok {
                return Err(ContactError {
                    field: "email",
                    message: format!("`{email}` is not an email address"),
                });
            }
        }
        let phone = self.phone.trim();
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-".contains(c))
        {
            return Err(ContactError {
                field: "phone",
                message: format!(
                    "`{phone}` is not a telephone number: digits, spaces, + ( ) - only"
                ),
            });
        }
        let website = self.website.trim();
        let web_address = website.starts_with("https://") || website.starts_with("http://");
        if !website.is_empty() && !web_address {
            return Err(ContactError {
                field: "website",
                message: format!("`{website}` must start with https:// or http://"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> ContactDetails {
        ContactDetails {
            description: "Adult social care in Northamptonshire.".into(),
            email: "hello@example.org".into(),
            phone: "+44 (0)1604 123456".into(),
            website: "https://example.org".into(),
            address: "1 High Street\nNorthampton".into(),
        }
    }

    #[test]
    fn complete_and_empty_details_are_valid() {
        assert_eq!(details().validate(), Ok(()));
        assert_eq!(ContactDetails::default().validate(), Ok(()));
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = |d: ContactDetails| d.validate().unwrap_err().field;
        assert_eq!(
            bad(ContactDetails {
                email: "nope".into(),
                ..details()
            }),
            "email"
        );
        assert_eq!(
            bad(ContactDetails {
                phone: "call me".into(),
                ..details()
            }),
            "phone"
        );
        assert_eq!(
            bad(ContactDetails {
                website: "example.org".into(),
                ..details()
            }),
            "website"
        );
        assert_eq!(
            bad(ContactDetails {
                description: "x".repeat(5001),
                ..details()
            }),
            "description"
        );
    }
}
