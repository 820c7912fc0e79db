//! An organisation's accounts and their written codes.
//!
//! A code is the account's kind, then for income and expenditure the service line and the
//! subjective, and for an earmarked reserve its name, separated by `:` —
//! `expenditure:Adult social care:Third party payments`, `income:Central services:Support
//! service recharges`, `creditors`, `debtors`, `bank`, `earmarked_reserve:Insurance`,
//! `general_reserve`, `gl_control`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

crate::text_enum! {
    /// The kinds of account.
    pub enum AccountKind as "account kind" {
        Expenditure = "expenditure", "Expenditure";
        Income = "income", "Income";
        Creditors = "creditors", "Creditors";
        Debtors = "debtors", "Debtors";
        Bank = "bank", "Bank";
        EarmarkedReserve = "earmarked_reserve", "Earmarked reserve";
        GeneralReserve = "general_reserve", "General reserve";
        GlControl = "gl_control", "General-ledger control";
    }
}

/// One account of an organisation's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    /// Spending on a service line, by subjective (`Employees`, `Third party payments`, …).
    Expenditure {
        service: String,
        subjective: String,
    },
    /// Income of a service line, by subjective (`Fees and charges`, `Grants`, …).
    Income {
        service: String,
        subjective: String,
    },
    Creditors,
    Debtors,
    Bank,
    /// A reserve set aside for a purpose, by its name.
    EarmarkedReserve(String),
    GeneralReserve,
    /// The other side of the general-ledger actuals: what the council's finance system holds
    /// beyond the feeders ngc posts itself (payroll, accruals, payments under £500, …).
    GlControl,
}

/// Why a text is not an account code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{code}` is not an account: {why}")]
pub struct AccountError {
    pub code: String,
    pub why: String,
}

impl Account {
    /// An expenditure account.
    pub fn expenditure(service: &str, subjective: &str) -> Self {
        Account::Expenditure {
            service: service.to_owned(),
            subjective: subjective.to_owned(),
        }
    }

    /// An income account.
    pub fn income(service: &str, subjective: &str) -> Self {
        Account::Income {
            service: service.to_owned(),
            subjective: subjective.to_owned(),
        }
    }

    /// Its kind.
    pub fn kind(&self) -> AccountKind {
        match self {
            Account::Expenditure { .. } => AccountKind::Expenditure,
            Account::Income { .. } => AccountKind::Income,
            Account::Creditors => AccountKind::Creditors,
            Account::Debtors => AccountKind::Debtors,
            Account::Bank => AccountKind::Bank,
            Account::EarmarkedReserve(_) => AccountKind::EarmarkedReserve,
            Account::GeneralReserve => AccountKind::GeneralReserve,
            Account::GlControl => AccountKind::GlControl,
        }
    }

    /// The service line, for income and expenditure.
    pub fn service(&self) -> Option<&str> {
        match self {
            Account::Expenditure { service, .. } | Account::Income { service, .. } => Some(service),
            _ => None,
        }
    }

    /// The subjective, for income and expenditure.
    pub fn subjective(&self) -> Option<&str> {
        match self {
            Account::Expenditure { subjective, .. } | Account::Income { subjective, .. } => {
                Some(subjective)
            }
            _ => None,
        }
    }

    /// The reserve's name, for an earmarked reserve.
    pub fn reserve(&self) -> Option<&str> {
        match self {
            Account::EarmarkedReserve(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind().as_str();
        match self {
            Account::Expenditure {
                service,
                subjective,
            }
            | Account::Income {
                service,
                subjective,
            } => write!(f, "{kind}:{service}:{subjective}"),
            Account::EarmarkedReserve(name) => write!(f, "{kind}:{name}"),
            _ => f.write_str(kind),
        }
    }
}

impl FromStr for Account {
    type Err = AccountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = |why: &str| AccountError {
            code: s.to_owned(),
            why: why.to_owned(),
        };
        let mut parts = s.split(':').map(str::trim);
        let kind: AccountKind = parts
            .next()
            .unwrap_or_default()
            .parse()
            .map_err(|e: crate::text_enum::UnknownValue| fail(&e.to_string()))?;
        let rest: Vec<&str> = parts.collect();
        if rest.iter().any(|p| p.is_empty()) {
            return Err(fail("a part between `:` is blank"));
        }
        let named = |n: usize, what: &str| {
            if rest.len() == n {
                Ok(())
            } else {
                Err(fail(what))
            }
        };
        Ok(match kind {
            AccountKind::Expenditure | AccountKind::Income => {
                named(
                    2,
                    "give the service line and the subjective, `kind:service:subjective`",
                )?;
                let (service, subjective) = (rest[0].to_owned(), rest[1].to_owned());
                if kind == AccountKind::Expenditure {
                    Account::Expenditure {
                        service,
                        subjective,
                    }
                } else {
                    Account::Income {
                        service,
                        subjective,
                    }
                }
            }
            AccountKind::EarmarkedReserve => {
                named(1, "give the reserve's name, `earmarked_reserve:name`")?;
                Account::EarmarkedReserve(rest[0].to_owned())
            }
            AccountKind::Creditors => {
                named(0, "creditors takes no service line")?;
                Account::Creditors
            }
            AccountKind::Debtors => {
                named(0, "debtors takes no service line")?;
                Account::Debtors
            }
            AccountKind::Bank => {
                named(0, "bank takes no service line")?;
                Account::Bank
            }
            AccountKind::GeneralReserve => {
                named(0, "general_reserve takes no service line")?;
                Account::GeneralReserve
            }
            AccountKind::GlControl => {
                named(0, "gl_control takes no service line")?;
                Account::GlControl
            }
        })
    }
}

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
