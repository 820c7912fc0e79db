//! Shared back-office services (LGSS): each service of a partnership is hosted by one member
//! council, which employs the staff, holds the budget and receives external clients' fees for
//! the partnership; its cost pool, less that income, is recharged to the partners by fixed
//! shares or by a driver, pro rata to the days each partner took part in the service that year.
//!
//! - [`ServiceYear`] is one service's year: pool, basis, the partners' weights, external fees
//!   and, where the partnership agreed one, a separate income key.
//! - [`Partner`] is one member's time in the partnership (every membership, so history is
//!   kept), the services it repatriated, the exit costs it must meet and its pre-sharing
//!   baseline.
//! - [`statement`] makes the recharge statement of a year; [`savings`] the partnership's
//!   savings by year against the partners' baselines.
//!
//! Every split goes through [`crate::shares::split`], so per service and year the partners'
//! charges less their income credits sum to the pool less income, to the penny, whoever
//! joined or left during the year.

mod agreement;
mod days;
mod savings;
mod statement;
#[cfg(test)]
mod tests;

pub use agreement::{
    Agreement, BaselineDraft, Figures, IndexRate, Provenance, Published, PublishedSaving,
    ServiceDraft, UndefinedService, YearDraft,
};
pub use days::days_in_year;
pub use savings::{PartnerSaving, SavingsView, SavingsYear, YearSaving, savings};
pub use statement::{PartnerStatement, ServiceCharge, Statement, Totals, statement};

use crate::finance::FinancialYear;
use crate::money::Money;
use crate::partnership::Membership;
use crate::slug::Slug;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::text_enum! {
    /// How a service's cost pool is shared between the partners.
    pub enum Basis as "allocation basis" {
        /// Fixed percentages agreed between the partners, summing to 100%.
        FixedShares = "fixed_shares", "Fixed shares";
        /// Staff employed by each partner (HR, payroll).
        Headcount = "headcount", "Headcount";
        /// Transactions processed for each partner (finance, payroll).
        Transactions = "transactions", "Transactions";
        /// Invoices processed for each partner (accounts payable).
        Invoices = "invoices", "Invoices";
        /// Users of the systems (IT).
        Users = "users", "Users";
        /// Each partner's net budget (internal audit, legal).
        Budget = "budget", "Budget";
    }
}

/// A fee paid by an external client (a school, an academy, another council outside the
/// partnership) for a service, received by the host for the partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    /// The client, in words.
    pub client: String,
    /// What it paid in the year.
    pub amount: Money,
}

/// One service of a partnership in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceYear {
    /// The service's code within the partnership (`hr`, `it`, `legal`).
    pub service: String,
    /// The service's name.
    pub name: String,
    /// The member council that hosts it.
    pub host: Slug,
    pub year: FinancialYear,
    /// What the service cost in the year, before income.
    pub pool: Money,
    pub basis: Basis,
    /// Each partner's fixed share (per cent) or driver value.
    pub weights: Vec<(Slug, Decimal)>,
    /// External clients' fees.
    pub fees: Vec<Fee>,
    /// A separate key the income is shared by, where the partnership agreed one; without one,
    /// the fees offset the pool before it is allocated.
    pub income_key: Option<Vec<(Slug, Decimal)>>,
}

impl ServiceYear {
    /// The external income of the year.
    pub fn income(&self) -> Money {
        self.fees.iter().map(|f| f.amount).sum()
    }
}

/// A service a partner left while staying in the partnership ("repatriated"), and its last
/// day in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceExit {
    pub service: String,
    pub left_on: NaiveDate,
}

/// Costs a leaving partner must meet (stranded costs), charged as stated in the year they
/// fall due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitCost {
    pub due_on: NaiveDate,
    pub amount: Money,
    pub reason: String,
}

/// What the services cost a partner before it shared them, in a base year's prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub year: FinancialYear,
    pub amount: Money,
    /// Where the figure comes from.
    pub source: String,
}

/// One member of a shared-service partnership as the statement sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub organisation: Slug,
    /// Every membership, past and present.
    pub memberships: Vec<Membership>,
    pub service_exits: Vec<ServiceExit>,
    pub exit_costs: Vec<ExitCost>,
    pub baseline: Option<Baseline>,
}

/// The index a baseline is carried forward by (pay and prices), a rate per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Its name, as the statement shows it.
    pub name: String,
    /// The rise into each year, in per cent.
    pub rates: BTreeMap<FinancialYear, Decimal>,
}

/// Why a statement could not be made: the record and field at fault, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// A field of one service's year is wrong.
    #[error("service `{service}` {year}: {field}: {message}")]
    Service {
        service: String,
        year: FinancialYear,
        field: &'static str,
        message: String,
    },
    /// The index has no rate for a year a baseline is carried through.
    #[error("index `{index}`: no rate for {year}, needed to carry `{partner}`'s baseline forward")]
    IndexYear {
        index: String,
        year: FinancialYear,
        partner: Slug,
    },
    /// A figure too large to compute with.
    #[error("{0}: the figures are too large")]
    Overflow(String),
}

impl ServiceError {
    fn service(s: &ServiceYear, field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Service {
            service: s.service.clone(),
            year: s.year,
            field,
            message: message.into(),
        }
    }
}

impl Index {
    /// `amount` in `from`'s prices carried forward to `to` by the year's rates (each year's
    /// rise compounded, rounded to the penny once at the end, halves away from zero).
    pub fn carry(
        &self,
        partner: &Slug,
        amount: Money,
        from: FinancialYear,
        to: FinancialYear,
    ) -> Result<Money, ServiceError> {
        let mut factor = Decimal::ONE;
        let mut year = from;
        while year < to {
            year = year.next().expect("a year before `to` has a next");
            let rate = self
                .rates
                .get(&year)
                .ok_or_else(|| ServiceError::IndexYear {
                    index: self.name.clone(),
                    year,
                    partner: partner.clone(),
                })?;
            factor = factor
                .checked_mul(Decimal::ONE + rate / Decimal::ONE_HUNDRED)
                .ok_or_else(|| ServiceError::Overflow(format!("index `{}`", self.name)))?;
        }
        amount
            .mul_decimal(factor, crate::money::Rounding::HalfAwayFromZero)
            .map_err(|_| ServiceError::Overflow(format!("`{partner}`'s baseline")))
    }
}
