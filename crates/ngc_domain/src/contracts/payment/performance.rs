//! Payment performance returns under the Procurement Act 2023: the payments compliance notice
//! (s69, with the Procurement Regulations 2024 reg 38), for each six-month reporting period,
//! and the information about payments of more than £30,000 (s70), for each quarter.
//!
//! - [`rules`]: the returns' periods, publication deadlines, threshold and coverage, read from
//!   `data/payment_reporting.csv` (each row with its `source` and `confirmed` flag).
//! - [`compliance`]: per period, the invoices paid, the share paid in time under the
//!   prompt-payment term of each contract's regime (`PromptPaymentRule::pay_by`), the number
//!   paid late, the average days to pay and reg 38's bands.
//! - [`significant`]: per quarter, each payment over the threshold under a contract whose
//!   procurement commenced on or after the covered date.
//!
//! Pure: the payments are values; the caller says which days to cover.

pub mod compliance;
pub mod rules;
pub mod significant;

pub use compliance::{ComplianceFigures, compliance};
pub use rules::{ReportingPeriod, ReportingRule, ReportingRules, ReturnKind};
pub use significant::{Coverage, QuarterPayments, SignificantPayment, coverage, significant};

use super::PaymentRecord;
use crate::procurement::Regime;
use chrono::NaiveDate;

/// A payment under a contract, with what the returns need to know of the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractPayment {
    /// The payment's id.
    pub id: i64,
    /// The contract it was made under.
    pub contract_id: i64,
    /// The contract's supplier.
    pub supplier_id: i64,
    /// The regime the contract was procured under: its prompt-payment term applies.
    pub regime: Regime,
    /// The day the contract's procurement commenced, where ngc knows it (the tender's
    /// commencing event); `None` for a contract entered or imported without its tender.
    pub commenced_on: Option<NaiveDate>,
    /// The invoice and its payment.
    pub record: PaymentRecord,
}

/// `numerator / denominator` rounded to two decimal places, half away from zero, computed
/// exactly in integers (`None` when the denominator is zero).
fn ratio_2dp(numerator: i64, denominator: i64) -> Option<rust_decimal::Decimal> {
    if denominator == 0 {
        return None;
    }
    let (n, d) = (i128::from(numerator) * 100, i128::from(denominator));
    let twice = 2 * n.abs() + d.abs();
    let rounded = twice / (2 * d.abs());
    let signed = if (n < 0) != (d < 0) {
        -rounded
    } else {
        rounded
    };
    Some(rust_decimal::Decimal::from_i128_with_scale(signed, 2))
}

#[cfg(test)]
mod tests;
