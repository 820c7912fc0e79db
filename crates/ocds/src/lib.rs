//! Open Contracting Data Standard (OCDS) 1.1 for ngc: read release packages, record packages and
//! releases; derive merge rules from a release schema; build compiled releases, versioned
//! releases and record packages exactly as the official merge routine (`ocdsmerge`, driven by
//! `ocdskit compile`) does; and validate packages in the manner of the OCDS Data Review Tool.
//! The input and output options of `ocdskit` are here too: input encodings ([`encoding`]),
//! root paths ([`root_path`]) and pretty or ASCII-only output ([`format`]).
//!
//! Reading a whole input fast ([`input`]: a regular file in parts at once) and spooling an output
//! that must be written whole ([`spool`]) are here as well; with the `cli` feature, so is the
//! `ngc ocds` command line itself ([`cli`]), which the `ngc` binary runs.
//!
//! This crate depends on nothing else in the workspace.
//!
//! ```
//! use ocds::{MergeRules, compile::compiled_release};
//! use serde_json::json;
//!
//! let releases = vec![
//!     json!({"ocid": "ocds-1", "id": "1", "date": "2020-01-01T00:00:00Z", "tag": ["tender"],
//!            "tender": {"id": "t", "title": "Roads"}}),
//!     json!({"ocid": "ocds-1", "id": "2", "date": "2020-02-01T00:00:00Z", "tag": ["tenderUpdate"],
//!            "tender": {"id": "t", "status": "active"}}),
//! ];
//! let compiled = compiled_release(&releases, &MergeRules::default()).unwrap();
//! assert_eq!(compiled["tender"], json!({"id": "t", "title": "Roads", "status": "active"}));
//! assert_eq!(compiled["id"], json!("ocds-1-2020-02-01T00:00:00Z"));
//! ```

#[cfg(feature = "cli")]
pub mod cli;
pub mod compile;
pub mod encoding;
pub mod format;
pub mod input;
pub mod json;
pub mod merger;
pub mod pyjson;
pub mod read;
pub mod root_path;
pub mod rules;
mod scan;
pub mod spool;
pub mod validate;

pub use compile::{MergeError, Merged};
pub use json::Json;
pub use merger::{CompileOptions, Merger};
pub use read::{Item, Reader};
pub use rules::{MergeRules, Rule};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The schema given for merge rules is unusable.
    #[error("release schema: {0}")]
    Schema(String),
    /// The input could not be read as JSON, or is not OCDS data where OCDS data is expected.
    #[error("{0}")]
    Input(String),
    /// Releases of a contracting process could not be merged.
    #[error("{ocid}: {source}")]
    Merge {
        /// The contracting process.
        ocid: String,
        /// Why.
        source: MergeError,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<MergeError> for Error {
    fn from(source: MergeError) -> Self {
        Error::Merge {
            ocid: String::new(),
            source,
        }
    }
}
