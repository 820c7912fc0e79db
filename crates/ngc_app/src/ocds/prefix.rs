//! The instance's ocid prefix and the ocid of each procurement.
//!
//! An ocid is `{prefix}-{tender id}`: the prefix registered by the publisher with the Open
//! Contracting Partnership (`ocds-` and six letters or digits), then the tender's id in ngc,
//! which never changes (a reference may be edited; the id may not). The prefix is configured
//! (`ocid_prefix`, `NGC_OCID_PREFIX`) and fixed in the database when the first ocid is given,
//! so that no ocid ever changes after.

use crate::UseCaseResult;
use ngc_store::settings::PLACEHOLDER_OCID_PREFIX;
use ngc_store::{Actor, Store};

/// Checks the form of a registered ocid prefix: `ocds-` and six lower-case letters or digits.
pub fn check_prefix(prefix: &str) -> Result<(), String> {
    let tail = prefix.strip_prefix("ocds-").ok_or_else(|| {
        format!("`{prefix}` is not an ocid prefix: it starts with `ocds-` (e.g. ocds-b5fd17)")
    })?;
    if tail.len() == 6
        && tail
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(format!(
            "`{prefix}` is not an ocid prefix: `ocds-` is followed by six lower-case letters or \
             digits (e.g. ocds-b5fd17)"
        ))
    }
}

/// The ocid of the procurement run as the tender with this id.
pub fn ocid(prefix: &str, tender_id: i64) -> String {
    format!("{prefix}-{tender_id}")
}

/// The instance's prefix, fixed at first use (the configured one, or the placeholder).
pub async fn fixed_prefix(store: &Store, actor: &Actor) -> UseCaseResult<String> {
    Ok(store.fix_ocid_prefix(actor).await?)
}

/// The ocid of the tender with this id, fixing the prefix at first use.
pub async fn ocid_of(store: &Store, actor: &Actor, tender_id: i64) -> UseCaseResult<String> {
    Ok(ocid(&fixed_prefix(store, actor).await?, tender_id))
}

/// What the configured and the stored prefix say, for warnings at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixStatus {
    /// The prefix in the configuration (or the placeholder).
    pub configured: String,
    /// The prefix fixed in the database, once a release was stored.
    pub stored: Option<String>,
}

impl PrefixStatus {
    /// Reads both.
    pub async fn read(store: &Store) -> UseCaseResult<Self> {
        Ok(Self {
            configured: store.configured_ocid_prefix().to_owned(),
            stored: store.stored_ocid_prefix().await?,
        })
    }

    /// The prefix in use: the stored one, else the configured one.
    pub fn in_use(&self) -> &str {
        self.stored.as_deref().unwrap_or(&self.configured)
    }

    /// What an operator should know: the placeholder is in use, or the configuration asks
    /// for another prefix than the one fixed at first use (which stays).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.in_use() == PLACEHOLDER_OCID_PREFIX {
            out.push(format!(
                "OCDS releases use the placeholder ocid prefix {PLACEHOLDER_OCID_PREFIX}: a real \
                 instance registers its own prefix with the Open Contracting Partnership and sets \
                 ocid_prefix (NGC_OCID_PREFIX) before its first release"
            ));
        }
        if let Some(stored) = &self.stored
            && *stored != self.configured
        {
            out.push(format!(
                "the configured ocid prefix {} is ignored: ocids keep the prefix {stored} fixed \
                 when the first release was stored",
                self.configured
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_ocds_and_six_letters_or_digits() {
        assert_eq!(check_prefix("ocds-b5fd17"), Ok(()));
        assert_eq!(check_prefix(PLACEHOLDER_OCID_PREFIX), Ok(()));
        for bad in [
            "b5fd17",
            "ocds-b5fd1",
            "ocds-B5FD17",
            "ocds-b5fd17-",
            "ocds-b5 d17",
        ] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_ocid_is_the_prefix_and_the_tender_id() {
        assert_eq!(ocid("ocds-b5fd17", 42), "ocds-b5fd17-42");
    }

    #[test]
    fn the_placeholder_and_a_changed_configuration_are_warned_of() {
        let fresh = PrefixStatus {
            configured: PLACEHOLDER_OCID_PREFIX.into(),
            stored: None,
        };
        assert_eq!(fresh.warnings().len(), 1);
        let changed = PrefixStatus {
            configured: "ocds-b5fd17".into(),
            stored: Some("ocds-aaaaaa".into()),
        };
        assert_eq!(changed.in_use(), "ocds-aaaaaa");
        assert_eq!(changed.warnings().len(), 1);
        assert!(changed.warnings()[0].contains("ocds-aaaaaa"));
        let settled = PrefixStatus {
            configured: "ocds-b5fd17".into(),
            stored: Some("ocds-b5fd17".into()),
        };
        assert!(settled.warnings().is_empty());
    }
}
