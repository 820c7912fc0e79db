//! Prompt payment: whether the council paid a valid, undisputed invoice within the time the
//! law implies into every public contract (PCR 2015 reg 113 for contracts procured under the
//! Regulations, PA2023 s68 under the Act). The periods are data, `data/prompt_payment.csv`:
//! one row per regime with the days, how they are counted, what starts the clock, the
//! reference, and whether the row was checked against the legislation.

use crate::finance::referendum::split_csv_line;
use crate::money::Money;
use crate::procurement::{DataError, Regime};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// How the days of a payment period are counted.
    pub enum DayCount as "day count" {
        /// The day the clock starts is the first day ("30 days beginning with the day …").
        BeginningWith = "beginning_with", "Beginning with the day";
        /// The day after the clock starts is the first day ("30 days from the date …").
        From = "from", "From the day (the day itself not counted)";
    }
}

crate::text_enum! {
    /// The day the payment period starts from.
    pub enum ClockStart as "clock start" {
        /// The day a valid, undisputed invoice was received (regarded as valid).
        ValidInvoiceReceived = "valid_invoice_received", "The day a valid invoice was received";
        /// The day the invoice was received or, if later, the day payment falls due under it.
        ReceiptOrLaterInvoiceDueDate = "receipt_or_later_invoice_due_date", "The day the invoice was received or, if later, the day payment falls due under it";
    }
}

/// The prompt-payment term of one regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromptPaymentRule {
    /// The regime the contract was procured under.
    pub regime: Regime,
    /// The days allowed.
    pub days: u32,
    /// How they are counted.
    pub counting: DayCount,
    /// What starts the clock.
    pub starts: ClockStart,
    /// The legal reference (`PA2023 s68(2)`).
    pub reference: String,
    /// Whether the row was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

impl PromptPaymentRule {
    /// The day the clock starts for `p`.
    pub fn clock_starts(&self, p: &PaymentRecord) -> NaiveDate {
        match self.starts {
            ClockStart::ValidInvoiceReceived => p.valid_invoice_received,
            ClockStart::ReceiptOrLaterInvoiceDueDate => {
                p.invoice_due_on.map_or(p.valid_invoice_received, |due| {
                    due.max(p.valid_invoice_received)
                })
            }
        }
    }

    /// The last day on which paying `p` is in time.
    pub fn pay_by(&self, p: &PaymentRecord) -> NaiveDate {
        let days = match self.counting {
            DayCount::BeginningWith => self.days.saturating_sub(1),
            DayCount::From => self.days,
        };
        self.clock_starts(p) + Days::new(u64::from(days))
    }
}

/// The prompt-payment rules, one per regime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptPaymentRules {
    rules: Vec<PromptPaymentRule>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("../data/prompt_payment.csv");

const COLUMNS: [&str; 7] = [
    "regime",
    "days",
    "counting",
    "starts",
    "reference",
    "confirmed",
    "source",
];

impl PromptPaymentRules {
    /// The rules shipped with ngc (30 days under both regimes).
    pub fn shipped() -> PromptPaymentRules {
        PromptPaymentRules::from_csv_str("prompt_payment.csv", SHIPPED_CSV)
            .expect("the shipped prompt-payment rules parse")
    }

    /// Reads rules from CSV with the header
    /// `regime,days,counting,starts,reference,confirmed,source`: exactly one row per regime.
    pub fn from_csv_str(file: &str, text: &str) -> Result<PromptPaymentRules, DataError> {
        let error = |line: usize, column: &str, message: String| DataError {
            file: file.to_owned(),
            line,
            column: column.to_owned(),
            message,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, header) = lines
            .next()
            .ok_or_else(|| error(1, "", "no header row".into()))?;
        let header: Vec<String> = split_csv_line(header)
            .map_err(|m| error(1, "", m))?
            .into_iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let mut at = [0usize; COLUMNS.len()];
        for (slot, column) in at.iter_mut().zip(COLUMNS) {
            *slot = header
                .iter()
                .position(|h| h == column)
                .ok_or_else(|| error(1, column, "missing column".into()))?;
        }
        let mut rules: Vec<PromptPaymentRule> = Vec::new();
        for (line, raw) in lines {
            let fields = split_csv_line(raw).map_err(|m| error(line, "", m))?;
            if fields.len() != header.len() {
                return Err(error(
                    line,
                    "",
                    format!("{} fields, expected {}", fields.len(), header.len()),
                ));
            }
            let [regime, days, counting, starts, reference, confirmed, source] =
                at.map(|i| fields[i].trim());
            let parse_err = |column: &str, text: &str, e: &dyn std::fmt::Display| {
                error(line, column, format!("`{text}`: {e}"))
            };
            let rule = PromptPaymentRule {
                regime: regime
                    .parse()
                    .map_err(|e| parse_err("regime", regime, &e))?,
                days: days.parse().map_err(|e| parse_err("days", days, &e))?,
                counting: counting
                    .parse()
                    .map_err(|e| parse_err("counting", counting, &e))?,
                starts: starts
                    .parse()
                    .map_err(|e| parse_err("starts", starts, &e))?,
                reference: non_empty(reference)
                    .ok_or_else(|| error(line, "reference", "empty".into()))?,
                confirmed: match confirmed {
                    "true" => true,
                    "false" => false,
                    s => {
                        return Err(error(
                            line,
                            "confirmed",
                            format!("`{s}`: expected true or false"),
                        ));
                    }
                },
                source: non_empty(source).ok_or_else(|| error(line, "source", "empty".into()))?,
            };
            if rule.days == 0 {
                return Err(error(line, "days", "must be at least 1".into()));
            }
            if !rule.confirmed && !rule.source.starts_with("UNCONFIRMED:") {
                return Err(error(
                    line,
                    "source",
                    "an unconfirmed row's source must begin `UNCONFIRMED:`".into(),
                ));
            }
            if rules.iter().any(|r| r.regime == rule.regime) {
                return Err(error(
                    line,
                    "regime",
                    format!("a second row for {}", rule.regime),
                ));
            }
            rules.push(rule);
        }
        if let Some(missing) = Regime::ALL
            .iter()
            .find(|&&g| !rules.iter().any(|r| r.regime == g))
        {
            return Err(error(1, "regime", format!("no row for {missing}")));
        }
        Ok(PromptPaymentRules { rules })
    }

    /// The rule of `regime` (every regime has one).
    pub fn rule(&self, regime: Regime) -> &PromptPaymentRule {
        self.rules
            .iter()
            .find(|r| r.regime == regime)
            .expect("every regime has a rule: checked when the rules are read")
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// A payment of an invoice, as the council records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    /// The date on the invoice.
    pub invoice_date: NaiveDate,
    /// The day a valid invoice was received (if the first was invalid, the day a valid one
    /// was): the day it is regarded as valid.
    pub valid_invoice_received: NaiveDate,
    /// The day payment falls due under the invoice, if it states one.
    #[serde(default)]
    pub invoice_due_on: Option<NaiveDate>,
    /// The day it was paid; `None` while unpaid.
    pub paid_on: Option<NaiveDate>,
    /// Whether the council disputes the invoice.
    pub disputed: bool,
    /// How much.
    pub amount: Money,
}

/// Whether an invoice was (or is being) paid on time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeliness {
    /// Days from receipt of the valid invoice to payment (0 when paid the day it came);
    /// `None` while unpaid.
    pub days_to_payment: Option<i64>,
    /// Paid after the last day allowed, or unpaid after it.
    pub late: bool,
    /// Why, in words, with the dates and the reference.
    pub reason: String,
    /// The last day on which payment is in time; `None` for a disputed invoice.
    pub pay_by: Option<NaiveDate>,
    /// Whether the rule applied was checked against the legislation.
    pub confirmed: bool,
}

/// Whether `p` was paid on time under the prompt-payment term of `regime`, as of `today`.
///
/// A disputed invoice is never late: the term covers valid, undisputed invoices. An unpaid
/// invoice is late once `today` is past the last day allowed.
pub fn timeliness(
    p: &PaymentRecord,
    regime: Regime,
    today: NaiveDate,
    rules: &PromptPaymentRules,
) -> Timeliness {
    let rule = rules.rule(regime);
    let received = p.valid_invoice_received;
    let days_to_payment = p.paid_on.map(|paid| (paid - received).num_days());
    let caveat = if rule.confirmed {
        ""
    } else {
        " (rule unconfirmed)"
    };
    let (late, pay_by, reason) = if p.disputed {
        (
            false,
            None,
            format!(
                "the invoice is disputed: the {} days run only for a valid, undisputed invoice",
                rule.days
            ),
        )
    } else {
        let pay_by = rule.pay_by(p);
        let window = window(rule, p);
        let after = |day: NaiveDate| {
            format!(
                "{} after the invoice was received",
                days((day - received).num_days())
            )
        };
        match p.paid_on {
            Some(paid) if paid <= pay_by => (
                false,
                Some(pay_by),
                format!(
                    "paid on {paid}, {}, in time: {window} ended on {pay_by}",
                    after(paid)
                ),
            ),
            Some(paid) => (
                true,
                Some(pay_by),
                format!(
                    "paid on {paid}, {}, {} late: {window} ended on {pay_by}",
                    after(paid),
                    days((paid - pay_by).num_days())
                ),
            ),
            None if today > pay_by => (
                true,
                Some(pay_by),
                format!(
                    "unpaid on {today}, {}, {} late: {window} ended on {pay_by}",
                    after(today),
                    days((today - pay_by).num_days())
                ),
            ),
            None => (
                false,
                Some(pay_by),
                format!("unpaid on {today}, not yet late: {window} end on {pay_by}"),
            ),
        }
    };
    Timeliness {
        days_to_payment,
        late,
        reason: format!("{reason} ({}){caveat}", rule.reference),
        pay_by,
        confirmed: rule.confirmed,
    }
}

/// "the 30 days beginning with the day the invoice was received, 2025-04-01,".
fn window(rule: &PromptPaymentRule, p: &PaymentRecord) -> String {
    let start = rule.clock_starts(p);
    let what = match rule.starts {
        ClockStart::ValidInvoiceReceived => "the day the valid invoice was received",
        ClockStart::ReceiptOrLaterInvoiceDueDate if start > p.valid_invoice_received => {
            "the day payment falls due under the invoice"
        }
        ClockStart::ReceiptOrLaterInvoiceDueDate => "the day the invoice was received",
    };
    let counting = match rule.counting {
        DayCount::BeginningWith => "beginning with",
        DayCount::From => "from",
    };
    format!("the {} days {counting} {what}, {start},", rule.days)
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
mod tests;
