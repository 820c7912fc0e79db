//! `ngc ocds`: compile and validate Open Contracting Data Standard data, without a database.
//! The command line lives in the `ocds` crate ([`ocds::cli`]), so that the crate's own tests
//! and its `ngc_ocds` example run exactly what `ngc ocds` runs.

pub use ocds::cli::{OcdsCommand, run};
