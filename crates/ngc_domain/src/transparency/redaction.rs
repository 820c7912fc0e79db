//! Redaction as data, `data/redaction.csv`: a line whose service, expense type or purpose
//! contains a rule's words (any case) pays an individual, so its beneficiary is published as
//! [`REDACTED`] and counted. A line the council published redacted stays redacted.

use crate::procurement::DataError;
use crate::procurement::table::Table;
use std::sync::LazyLock;

/// What a redacted beneficiary reads.
pub const REDACTED: &str = "Redacted – personal data";

/// One redaction rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RedactionRule {
    pub rule: String,
    /// `service`, `expense_type` or `description`.
    pub field: String,
    /// Lower-case words the field must contain.
    pub contains: String,
    pub reason: String,
    pub source: String,
    pub confirmed: bool,
}

const FILE: &str = "transparency/data/redaction.csv";
const TEXT: &str = include_str!("data/redaction.csv");

fn read(text: &str) -> Result<Vec<RedactionRule>, DataError> {
    let names = ["rule", "field", "contains", "reason", "source", "confirmed"];
    let table = Table::parse(FILE, text, &names)?;
    let mut out = Vec::new();
    for row in table.rows() {
        let field = row.get("field");
        if !matches!(field, "service" | "expense_type" | "description") {
            return Err(row.error(
                "field",
                format!("`{field}` is not service, expense_type or description"),
            ));
        }
        let contains = row.get("contains").to_ascii_lowercase();
        if contains.is_empty() || !contains.is_ascii() {
            return Err(row.error("contains", "give words in ASCII letters"));
        }
        out.push(RedactionRule {
            rule: row.get("rule").to_owned(),
            field: field.to_owned(),
            contains,
            reason: row.get("reason").to_owned(),
            source: row.get("source").to_owned(),
            confirmed: row.parse("confirmed")?,
        });
    }
    Ok(out)
}

static RULES: LazyLock<Vec<RedactionRule>> =
    LazyLock::new(|| read(TEXT).unwrap_or_else(|e| panic!("the shipped table is bad: {e}")));

/// The shipped redaction rules.
pub fn redaction_rules() -> &'static [RedactionRule] {
    &RULES
}

/// Whether `hay` contains `needle` (lower case ASCII) in any case, without allocating.
fn contains_folded(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty()
        || h.windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// Which rule, if any, redacts a line with these fields.
pub fn rule_for(service: &str, expense_type: &str, description: &str) -> Option<&'static str> {
    RULES
        .iter()
        .find(|r| {
            let text = match r.field.as_str() {
                "service" => service,
                "expense_type" => expense_type,
                _ => description,
            };
            contains_folded(text, &r.contains)
        })
        .map(|r| r.rule.as_str())
}

/// How many beneficiaries an export redacted: by the council at source, and by each rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Redactions {
    /// Lines the council published redacted.
    pub at_source: u64,
    /// Lines redacted here, by rule, in the rules' order.
    pub by_rule: Vec<(String, u64)>,
}

impl Redactions {
    /// Counts one redaction by `rule` (`None`: redacted at source).
    pub fn count(&mut self, rule: Option<&str>) {
        match rule {
            None => self.at_source += 1,
            Some(r) => match self.by_rule.iter_mut().find(|(n, _)| n == r) {
                Some((_, n)) => *n += 1,
                None => self.by_rule.push((r.to_owned(), 1)),
            },
        }
    }

    /// Every redaction.
    pub fn total(&self) -> u64 {
        self.at_source + self.by_rule.iter().map(|(_, n)| n).sum::<u64>()
    }
}
