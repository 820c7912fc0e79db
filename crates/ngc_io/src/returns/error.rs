//! What can go wrong reading returns; every error names the file, and the sheet and cell
//! where there is one.

use std::path::PathBuf;

/// A return that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReturnsError {
    /// The file could not be read.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a workbook, or not one of the returns ngc reads.
    #[error("{}: not a recognised return: {reason}", file.display())]
    Unrecognised {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// A sheet could not be read or makes no sense.
    #[error("{}: sheet {sheet}: {message}", file.display())]
    Sheet {
        /// The file.
        file: PathBuf,
        /// The sheet.
        sheet: String,
        /// What is wrong.
        message: String,
    },
    /// A cell holds something that is not what its column needs.
    #[error("{}: sheet {sheet}, cell {cell}: {message}", file.display())]
    Cell {
        /// The file.
        file: PathBuf,
        /// The sheet.
        sheet: String,
        /// The cell, like `F7`.
        cell: String,
        /// What is wrong (e.g. `"n/a" is not a number`).
        message: String,
    },
}
