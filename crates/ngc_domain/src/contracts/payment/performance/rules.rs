//! The returns' rules as data, `data/payment_reporting.csv`: for each return, the length of
//! its periods and the month they are counted from, the days to publish after a period ends
//! (counted beginning with its last day), the threshold a payment must exceed, the day from
//! which a contract's procurement must have commenced to be covered, the day the duty came
//! into force, the reference, `confirmed` and `source`.

use crate::contracts::Period;
use crate::money::Money;
use crate::procurement::DataError;
use crate::procurement::table::{Row, Table};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

crate::text_enum! {
    /// A payment performance return.
    pub enum ReturnKind as "return" {
        /// The payments compliance notice (PA2023 s69, Procurement Regulations 2024 reg 38).
        PaymentCompliance = "payment_compliance", "Payments compliance notice";
        /// Information about payments over the threshold (PA2023 s70).
        PaymentsOverThreshold = "payments_over_threshold", "Payments over £30,000";
    }
}

/// The rule of one return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportingRule {
    /// Which return.
    #[serde(rename = "return")]
    pub kind: ReturnKind,
    /// The length of a period in months (a divisor of 12).
    pub period_months: u32,
    /// The month (1-12) a period starts in; the periods follow each other from it.
    pub anchor_month: u32,
    /// The days to publish in, the first being the period's last day.
    pub publish_within_days: u32,
    /// Only payments of more than this are reported, where there is a threshold.
    pub threshold: Option<Money>,
    /// Only payments under contracts whose procurement commenced on or after this day are
    /// reported, where the return says so.
    pub covered_from: Option<NaiveDate>,
    /// The day the duty came into force: a period before it is for information only, and a
    /// period it falls in is split there.
    pub in_force_from: NaiveDate,
    /// The legal reference.
    pub reference: String,
    /// Whether the row was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

/// A period of a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportingPeriod {
    /// The first and last day.
    pub period: Period,
    /// Its name: `2016-17 H1` (April to September), `2016-17 Q3`; a period split where the
    /// duty came into force says which part (`2025-26 H2 from 2026-01-01`).
    pub label: String,
    /// Whether the duty applies to it (it starts on or after the day it came into force).
    pub statutory: bool,
    /// The last day to publish its return, where the duty applies.
    pub publish_by: Option<NaiveDate>,
}

impl ReportingRule {
    /// The whole period (as if the duty had always applied) that contains `day`.
    fn grid_period(&self, day: NaiveDate) -> Period {
        let since_anchor = (day.month() + 12 - self.anchor_month) % 12;
        let offset = since_anchor % self.period_months;
        let start = day.with_day(1).expect("the first of a month exists") - Months::new(offset);
        let end = start + Months::new(self.period_months) - Days::new(1);
        Period { start, end }
    }

    /// `2016-17 H1`, `2016-17 Q3`: the year that starts in the anchor month, then the
    /// period's number within it.
    fn grid_label(&self, p: Period) -> String {
        let year = if p.start.month() >= self.anchor_month {
            p.start.year()
        } else {
            p.start.year() - 1
        };
        let number = (p.start.month() + 12 - self.anchor_month) % 12 / self.period_months + 1;
        let letter = match self.period_months {
            6 => "H",
            3 => "Q",
            1 => "M",
            _ => "P",
        };
        if self.anchor_month == 1 {
            format!("{year} {letter}{number}")
        } else {
            format!("{year}-{:02} {letter}{number}", (year + 1) % 100)
        }
    }

    /// The last day to publish the return of a period that ends on `end`.
    pub fn publish_by(&self, end: NaiveDate) -> NaiveDate {
        end + Days::new(u64::from(self.publish_within_days.saturating_sub(1)))
    }

    fn reporting(&self, period: Period, label: String) -> ReportingPeriod {
        let statutory = period.start >= self.in_force_from;
        ReportingPeriod {
            period,
            label,
            statutory,
            publish_by: statutory.then(|| self.publish_by(period.end)),
        }
    }

    /// The periods that overlap `from..=to`, in order. The period the duty came into force in
    /// is split in two at that day, as s69(3)(a) makes the first reporting period run from
    /// the day the section came into force.
    pub fn periods_covering(&self, from: NaiveDate, to: NaiveDate) -> Vec<ReportingPeriod> {
        let mut out = Vec::new();
        if to < from {
            return out;
        }
        let mut p = self.grid_period(from);
        while p.start <= to {
            let label = self.grid_label(p);
            let force = self.in_force_from;
            if p.start < force && force <= p.end {
                let before = Period {
                    start: p.start,
                    end: force - Days::new(1),
                };
                let after = Period {
                    start: force,
                    end: p.end,
                };
                if before.end >= from {
                    out.push(self.reporting(before, format!("{label} to {}", before.end)));
                }
                if after.start <= to {
                    out.push(self.reporting(after, format!("{label} from {force}")));
                }
            } else {
                out.push(self.reporting(p, label));
            }
            p = self.grid_period(p.end + Days::new(1));
        }
        out
    }

    /// The threshold in words (`more than £30,000.00`), or `any amount`.
    pub fn threshold_words(&self) -> String {
        self.threshold.map_or_else(
            || "any amount".to_owned(),
            |t| format!("more than {}", t.fmt_gbp()),
        )
    }
}

/// The rules of both returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingRules {
    compliance: ReportingRule,
    payments: ReportingRule,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("../../data/payment_reporting.csv");

const COLUMNS: [&str; 10] = [
    "return",
    "period_months",
    "anchor_month",
    "publish_within_days",
    "threshold",
    "covered_from",
    "in_force_from",
    "reference",
    "confirmed",
    "source",
];

/// An empty column is `None`.
fn optional<'r, 'f, T>(
    row: &'r Row<'f>,
    column: &str,
    read: impl FnOnce(&'r Row<'f>, &str) -> Result<T, DataError>,
) -> Result<Option<T>, DataError> {
    if row.get(column).is_empty() {
        Ok(None)
    } else {
        read(row, column).map(Some)
    }
}

fn read_row(row: &Row<'_>) -> Result<ReportingRule, DataError> {
    let (confirmed, source) = row.provenance()?;
    let rule = ReportingRule {
        kind: row.parse("return")?,
        period_months: row.parse("period_months")?,
        anchor_month: row.parse("anchor_month")?,
        publish_within_days: row.parse("publish_within_days")?,
        threshold: optional(row, "threshold", Row::money)?,
        covered_from: optional(row, "covered_from", Row::date)?,
        in_force_from: row.date("in_force_from")?,
        reference: row.text("reference")?,
        confirmed,
        source,
    };
    if rule.period_months == 0 || 12 % rule.period_months != 0 {
        return Err(row.error(
            "period_months",
            format!(
                "{}: must divide a year (1, 2, 3, 4, 6 or 12)",
                rule.period_months
            ),
        ));
    }
    if !(1..=12).contains(&rule.anchor_month) {
        return Err(row.error(
            "anchor_month",
            format!("{}: must be a month, 1 to 12", rule.anchor_month),
        ));
    }
    if rule.publish_within_days == 0 {
        return Err(row.error("publish_within_days", "must be at least 1"));
    }
    Ok(rule)
}

impl ReportingRules {
    /// The rules shipped with ngc.
    pub fn shipped() -> ReportingRules {
        ReportingRules::from_csv_str("payment_reporting.csv", SHIPPED_CSV)
            .expect("the shipped payment reporting rules parse")
    }

    /// Reads the rules from CSV with the header
    /// `return,period_months,anchor_month,publish_within_days,threshold,covered_from,in_force_from,reference,confirmed,source`:
    /// exactly one row per return. A malformed row is refused naming its line and column.
    pub fn from_csv_str(file: &str, text: &str) -> Result<ReportingRules, DataError> {
        let table = Table::parse(file, text, &COLUMNS)?;
        let mut rules: Vec<ReportingRule> = Vec::new();
        for row in table.rows() {
            let rule = read_row(&row)?;
            if rules.iter().any(|r| r.kind == rule.kind) {
                return Err(row.error("return", format!("a second row for {}", rule.kind)));
            }
            rules.push(rule);
        }
        let mut take = |kind: ReturnKind| {
            rules
                .iter()
                .position(|r| r.kind == kind)
                .map(|i| rules.swap_remove(i))
                .ok_or_else(|| table.error("return", format!("no row for {kind}")))
        };
        Ok(ReportingRules {
            compliance: take(ReturnKind::PaymentCompliance)?,
            payments: take(ReturnKind::PaymentsOverThreshold)?,
        })
    }

    /// The rule of a return.
    pub fn rule(&self, kind: ReturnKind) -> &ReportingRule {
        match kind {
            ReturnKind::PaymentCompliance => &self.compliance,
            ReturnKind::PaymentsOverThreshold => &self.payments,
        }
    }
}
