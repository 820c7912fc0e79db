//! What one workbook says about one authority in one year, before merging.

use super::Figures;
use ngc_domain::finance::year::FinancialYear;

/// An authority as a row names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Identity {
    /// The DLUHC E-code (`E2820`).
    pub code: String,
    /// The name, if the table has a name column.
    pub name: Option<String>,
    /// The class code as written (`SC`, `L`, `O`, …).
    pub class_code: Option<String>,
    /// The ONS code (`E10000021`), if the table has one.
    pub ons_code: Option<String>,
}

/// Which set of figures a record feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// Outturn (RS) and council tax requirement (CTR) figures.
    Outturn,
    /// Revenue Account budget (RA) figures.
    Budget,
}

/// The figures one workbook gives for one authority and year.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    /// Who.
    pub identity: Identity,
    /// Which year.
    pub year: FinancialYear,
    /// Outturn or budget.
    pub target: Target,
    /// Whether this is the workbook's own year (`true`) or an earlier year it repeats for
    /// comparison (a CTR workbook's previous-year columns). Own-year figures win.
    pub primary: bool,
    /// The figures.
    pub figures: Figures,
}

impl Record {
    /// A record with no figures yet.
    pub fn new(identity: Identity, year: FinancialYear, target: Target, primary: bool) -> Record {
        Record {
            identity,
            year,
            target,
            primary,
            figures: Figures::default(),
        }
    }
}
