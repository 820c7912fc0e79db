//! The Local Government Transparency Code datasets, made from ngc's own records: what each
//! dataset holds (its columns as data, `data/columns.csv`, each row with its source and a
//! `confirmed` flag), the redaction of personal data (`data/redaction.csv`), the CSVW metadata
//! published beside each CSV and the 360Giving JSON of grants.

mod columns;
mod csvw;
mod giving;
mod records;
mod redaction;
#[cfg(test)]
mod tests;

pub use columns::{Column, columns};
pub use csvw::metadata;
pub use giving::{Grant, Recipient, three_sixty_giving};
pub use records::{
    ContractRecord, Publisher, TenderRecord, contract_fields, grant_fields, spend_fields,
    tender_fields,
};
pub use redaction::{REDACTED, RedactionRule, Redactions, redaction_rules};

use chrono::{Datelike, NaiveDate};

crate::text_enum! {
    /// A dataset the Code requires a council to publish.
    pub enum Dataset as "dataset" {
        /// Expenditure over £500.
        Spend = "spend", "Expenditure over £500";
        /// Government procurement card transactions.
        Card = "card", "Procurement card transactions";
        /// Contracts over £5,000.
        Contracts = "contracts", "Contracts over £5,000";
        /// Invitations to tender over £5,000.
        Tenders = "tenders", "Invitations to tender over £5,000";
        /// Grants to voluntary, community and social enterprise organisations.
        Grants = "grants", "Grants to voluntary, community and social enterprise organisations";
    }
}

/// Contracts and invitations to tender are published above this value (pence): £5,000.
pub const CONTRACT_THRESHOLD_PENCE: i64 = 500_000;

/// The days a dataset covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The financial year (1 April to 31 March) that holds `day`.
    pub fn financial_year_of(day: NaiveDate) -> Period {
        let start_year = if day.month() >= 4 {
            day.year()
        } else {
            day.year() - 1
        };
        Period {
            from: NaiveDate::from_ymd_opt(start_year, 4, 1).expect("1 April exists"),
            to: NaiveDate::from_ymd_opt(start_year + 1, 3, 31).expect("31 March exists"),
        }
    }

    /// The days asked for: both days given, or the financial year from the one day given to
    /// its end (or from its start to the day), or the financial year of `today`.
    pub fn asked(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Period {
        match (from, to) {
            (Some(from), Some(to)) => Period { from, to },
            (Some(from), None) => Period {
                from,
                to: Period::financial_year_of(from).to,
            },
            (None, Some(to)) => Period {
                from: Period::financial_year_of(to).from,
                to,
            },
            (None, None) => Period::financial_year_of(today),
        }
    }

    /// `2015-16` for a financial year, `2015-04-01 to 2015-06-30` otherwise.
    pub fn label(&self) -> String {
        if *self == Period::financial_year_of(self.from) {
            format!("{}-{:02}", self.from.year(), (self.from.year() + 1) % 100)
        } else {
            format!("{} to {}", self.from, self.to)
        }
    }

    /// The file-name part: `2015-16`, or `2015-04-01_2015-06-30`.
    pub fn file_part(&self) -> String {
        if *self == Period::financial_year_of(self.from) {
            self.label()
        } else {
            format!("{}_{}", self.from, self.to)
        }
    }
}

/// The last day of `day`'s month: the Code's "effective date" of a transaction.
pub fn month_end(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .expect("the first of a month has a day before it")
}
