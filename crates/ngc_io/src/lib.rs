//! Import and export for ngc: data packs now; CSV, XLSX and JSON files and row-level
//! validation reports as they are added. Reading is checked in full before anything is
//! returned, and every problem names its file, line and column.

pub mod actuals;
pub mod contracts;
pub mod export;
pub mod finance;
pub mod grants;
pub mod ledger;
pub mod pack;
pub mod returns;
pub mod shared_services;
pub mod spend;
mod workbook;

pub use pack::{PackError, PackErrors, read_pack};
