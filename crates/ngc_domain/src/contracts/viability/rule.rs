//! The watch list's thresholds (`contracts/data/viability_rule.csv`): ngc's policy defaults,
//! not law, each row with its source and `confirmed=false`.

use super::FlagKind;
use crate::procurement::DataError;
use crate::procurement::table::{Row, Table};
use rust_decimal::Decimal;
use serde::Serialize;

/// One row of the rule as shipped: its name, value and provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRow {
    /// The rule's name (`dependency_percent`).
    pub rule: String,
    /// Its value, as written.
    pub value: String,
    /// Whether it was checked against an authority (never, for ngc's defaults).
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

/// The thresholds of the watch list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViabilityRule {
    /// A council's share of the provider's income, in per cent, at or above which the
    /// provider is dependent on it.
    pub dependency_percent: Decimal,
    /// How many declining KPIs raise the signal.
    pub declining_kpis: usize,
    /// Penalties imposed, as a share of contract income in per cent, at or above which they
    /// raise the signal.
    pub penalty_percent: Decimal,
    /// Reserves covering fewer months of spending than this raise the signal.
    pub min_reserve_months: Decimal,
    /// Contract income ending without renewal, as a share of contract income in per cent, at
    /// or above which it raises the signal.
    pub ending_percent: Decimal,
    /// How many kinds of signal put a provider on the watch list.
    pub signals_for_watch: usize,
    /// The rows as read, with their sources.
    pub rows: Vec<RuleRow>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("../data/viability_rule.csv");

const RULES: [&str; 6] = [
    "dependency_percent",
    "declining_kpis",
    "penalty_percent",
    "min_reserve_months",
    "ending_percent",
    "signals_for_watch",
];

impl ViabilityRule {
    /// The rule shipped with ngc.
    pub fn shipped() -> ViabilityRule {
        ViabilityRule::from_csv_str("viability_rule.csv", SHIPPED_CSV)
            .expect("the shipped viability rule parses")
    }

    /// Reads the rule from CSV with the header `rule,value,confirmed,source`: one row for
    /// each of `dependency_percent`, `penalty_percent`, `ending_percent` (above 0, at most
    /// 100), `min_reserve_months` (0 or more), `declining_kpis` (at least 1) and
    /// `signals_for_watch` (1 to the number of kinds of signal).
    pub fn from_csv_str(file: &str, text: &str) -> Result<ViabilityRule, DataError> {
        let table = Table::parse(file, text, &["rule", "value", "confirmed", "source"])?;
        let mut rows: Vec<RuleRow> = Vec::new();
        let mut percents = [Decimal::ZERO; 3];
        let mut months = Decimal::ZERO;
        let mut counts = [0usize; 2];
        for row in table.rows() {
            let rule = row.text("rule")?;
            let (confirmed, source) = row.provenance()?;
            if rows.iter().any(|r| r.rule == rule) {
                return Err(row.error("rule", format!("a second `{rule}` row")));
            }
            let percent = |row: &Row<'_>| {
                let v: Decimal = row.parse("value")?;
                if v <= Decimal::ZERO || v > Decimal::ONE_HUNDRED {
                    return Err(row.error("value", format!("{v}: expected above 0, at most 100")));
                }
                Ok(v)
            };
            match rule.as_str() {
                "dependency_percent" => percents[0] = percent(&row)?,
                "penalty_percent" => percents[1] = percent(&row)?,
                "ending_percent" => percents[2] = percent(&row)?,
                "min_reserve_months" => {
                    months = row.parse("value")?;
                    if months.is_sign_negative() && !months.is_zero() {
                        return Err(row.error("value", format!("{months}: may not be negative")));
                    }
                }
                "declining_kpis" => {
                    counts[0] = row.parse("value")?;
                    if counts[0] == 0 {
                        return Err(row.error("value", "0: expected at least 1"));
                    }
                }
                "signals_for_watch" => {
                    counts[1] = row.parse("value")?;
                    let kinds = FlagKind::ALL.len();
                    if !(1..=kinds).contains(&counts[1]) {
                        return Err(row.error(
                            "value",
                            format!("{}: expected 1 to {kinds}, the kinds of signal", counts[1]),
                        ));
                    }
                }
                other => {
                    return Err(row.error(
                        "rule",
                        format!("`{other}`: expected one of {}", RULES.join(", ")),
                    ));
                }
            }
            rows.push(RuleRow {
                rule,
                value: row.get("value").to_owned(),
                confirmed,
                source,
            });
        }
        if let Some(missing) = RULES.iter().find(|r| !rows.iter().any(|x| x.rule == **r)) {
            return Err(table.error("rule", format!("no `{missing}` row")));
        }
        Ok(ViabilityRule {
            dependency_percent: percents[0],
            declining_kpis: counts[0],
            penalty_percent: percents[1],
            min_reserve_months: months,
            ending_percent: percents[2],
            signals_for_watch: counts[1],
            rows,
        })
    }

    /// Whether every threshold was checked against an authority (ngc's defaults are not).
    pub fn confirmed(&self) -> bool {
        self.rows.iter().all(|r| r.confirmed)
    }
}
