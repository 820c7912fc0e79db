//! The figures of the change rules as data (`contracts/data/modification_rules.csv`): each
//! row a limit for one regime, rule and set of contract types — a percentage of a base (the
//! original value, the estimated value, the maximum term or the threshold), compared "at most"
//! or "below" — with its provision, source and `confirmed` flag. The thresholds and VAT rates
//! come from the procurement tables.

use crate::finance::referendum::split_csv_line;
use crate::procurement::thresholds::Thresholds;
use crate::procurement::vat::VatRates;
use crate::procurement::{ContractType, DataError, Regime};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Display;
use std::str::FromStr;

crate::text_enum! {
    /// Which limit a row sets.
    pub enum RuleKey as "modification rule" {
        /// The cap on an increase for additional goods, services or works.
        IncreaseCapAdditional = "increase_cap_additional", "cap on an increase for additional goods, services or works";
        /// The cap on an increase for unforeseeable circumstances.
        IncreaseCapUnforeseeable = "increase_cap_unforeseeable", "cap on an increase for unforeseeable circumstances";
        /// The cap on an increase on the materialisation of a known risk.
        IncreaseCapKnownRisk = "increase_cap_known_risk", "cap on an increase for a materialised known risk";
        /// The de minimis (below-threshold) modification's limit as a share of the value.
        DeMinimisValue = "de_minimis_value", "de minimis limit on the change in value";
        /// The de minimis (below-threshold) modification's limit against the threshold.
        DeMinimisThreshold = "de_minimis_threshold", "de minimis limit against the threshold";
        /// The largest change of term that is not substantial.
        SubstantialTerm = "substantial_term", "largest change of term that is not substantial";
        /// The largest change in value that needs no contract change notice.
        NoticeValue = "notice_value", "largest change in value without a contract change notice";
        /// The largest change of term that needs no contract change notice.
        NoticeTerm = "notice_term", "largest change of term without a contract change notice";
    }
}

crate::text_enum! {
    /// What a row's percentage is a percentage of.
    pub enum Base as "rule base" {
        /// The value of the contract on award.
        OriginalValue = "original_value", "the original value";
        /// The estimated value before this modification: the original value as changed by
        /// earlier modifications.
        EstimatedValue = "estimated_value", "the estimated value";
        /// The maximum term provided for on award, in days.
        MaxTerm = "max_term", "the maximum term on award";
        /// The procurement threshold for the type of contract on the day.
        Threshold = "threshold", "the threshold";
    }
}

crate::text_enum! {
    /// How a figure is compared with its limit.
    pub enum Bound as "comparison" {
        /// Equal to the limit is within it ("does not exceed", "10 per cent or less").
        AtMost = "at_most", "at most";
        /// Only strictly less is within it ("below", "less than").
        Below = "below", "below";
    }
}

impl RuleKey {
    /// The regimes that need a row for this rule, for every contract type they govern.
    fn required_by(self, regime: Regime) -> bool {
        let pa2023_only = matches!(
            self,
            RuleKey::IncreaseCapKnownRisk
                | RuleKey::SubstantialTerm
                | RuleKey::NoticeValue
                | RuleKey::NoticeTerm
        );
        regime == Regime::Pa2023 || !pa2023_only
    }

    /// The bases a row for this rule may use.
    fn accepts(self, base: Base) -> bool {
        match self {
            RuleKey::SubstantialTerm | RuleKey::NoticeTerm => base == Base::MaxTerm,
            RuleKey::DeMinimisThreshold => base == Base::Threshold,
            _ => matches!(base, Base::OriginalValue | Base::EstimatedValue),
        }
    }
}

/// The contract types a regime's change rules govern: PA2023 leaves light touch contracts
/// free to be modified (s74(2)) and outside the notice duty (s75(6)(b)).
pub(super) fn governed(regime: Regime) -> &'static [ContractType] {
    match regime {
        Regime::Pcr2015 => ContractType::ALL,
        Regime::Pa2023 => &[
            ContractType::Supplies,
            ContractType::Services,
            ContractType::Works,
        ],
    }
}

/// One limit of the change rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModificationRule {
    /// The regime it belongs to.
    pub regime: Regime,
    /// Which limit it is.
    pub rule: RuleKey,
    /// The contract types it applies to.
    pub contract_types: Vec<ContractType>,
    /// The limit as a percentage of `of`.
    pub percent: Decimal,
    /// What the percentage is of.
    pub of: Base,
    /// Whether a figure equal to the limit is within it.
    pub comparison: Bound,
    /// The legal reference.
    pub provision: String,
    /// Whether the row was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from (starting `UNCONFIRMED:` when not confirmed).
    pub source: String,
}

impl ModificationRule {
    /// Whether `amount` (pence or days, its sign ignored) is within the limit of
    /// `percent` × `base`, compared exactly (no rounding).
    pub fn allows(&self, amount: i64, base: i64) -> bool {
        let lhs = Decimal::from(amount.unsigned_abs()) * Decimal::ONE_HUNDRED;
        let rhs = self.percent * Decimal::from(base);
        match self.comparison {
            Bound::AtMost => lhs <= rhs,
            Bound::Below => lhs < rhs,
        }
    }

    /// The limit in words: `at most 50% of the original value`.
    pub fn limit_in_words(&self) -> String {
        format!(
            "{} {}% of {}",
            self.comparison.label(),
            self.percent.normalize(),
            self.of.label()
        )
    }
}

/// The change rules' figures, with the thresholds and VAT rates they compare against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModificationRules {
    rows: Vec<ModificationRule>,
    thresholds: Thresholds,
    vat: VatRates,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("../data/modification_rules.csv");

const COLUMNS: [&str; 9] = [
    "regime",
    "rule",
    "contract_types",
    "percent",
    "of",
    "comparison",
    "provision",
    "confirmed",
    "source",
];

impl ModificationRules {
    /// The rules shipped with ngc, with the shipped thresholds and VAT rates.
    pub fn shipped() -> ModificationRules {
        ModificationRules::from_csv_str(
            "modification_rules.csv",
            SHIPPED_CSV,
            Thresholds::shipped(),
            VatRates::shipped(),
        )
        .expect("the shipped modification rules parse")
    }

    /// Reads rules from CSV with the header
    /// `regime,rule,contract_types,percent,of,comparison,provision,confirmed,source`
    /// (`contract_types` separated by `|`). Every rule a regime needs must have exactly one row
    /// for each contract type the regime governs.
    pub fn from_csv_str(
        file: &str,
        text: &str,
        thresholds: Thresholds,
        vat: VatRates,
    ) -> Result<ModificationRules, DataError> {
        let error = |line: usize, column: &str, message: String| DataError {
            file: file.to_owned(),
            line,
            column: column.to_owned(),
            message,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, header) = lines
            .next()
            .ok_or_else(|| error(1, "", "no header row".into()))?;
        let header = split_csv_line(header).map_err(|m| error(1, "", m))?;
        let mut at = [0; COLUMNS.len()];
        for (slot, column) in at.iter_mut().zip(COLUMNS) {
            *slot = header
                .iter()
                .position(|h| h.trim() == column)
                .ok_or_else(|| error(1, column, "missing column".into()))?;
        }
        let mut rows: Vec<ModificationRule> = Vec::new();
        for (i, raw) in lines {
            let line = i + 1;
            let fields = split_csv_line(raw).map_err(|m| error(line, "", m))?;
            if fields.len() != header.len() {
                return Err(error(
                    line,
                    "",
                    format!("{} fields, expected {}", fields.len(), header.len()),
                ));
            }
            let get = |c: usize| fields[at[c]].trim();
            let word = |c: usize| get(c).to_owned();
            let regime: Regime = parse(get(0)).map_err(|m| error(line, "regime", m))?;
            let rule: RuleKey = parse(get(1)).map_err(|m| error(line, "rule", m))?;
            let contract_types = get(2)
                .split('|')
                .map(|w| parse::<ContractType>(w.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|m| error(line, "contract_types", m))?;
            let percent: Decimal = parse(get(3)).map_err(|m| error(line, "percent", m))?;
            if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
                return Err(error(
                    line,
                    "percent",
                    format!("{percent} is not a percentage above 0 and at most 100"),
                ));
            }
            let of: Base = parse(get(4)).map_err(|m| error(line, "of", m))?;
            if !rule.accepts(of) {
                return Err(error(
                    line,
                    "of",
                    format!("{rule} cannot be a share of {of}"),
                ));
            }
            let comparison: Bound = parse(get(5)).map_err(|m| error(line, "comparison", m))?;
            if of == Base::Threshold && comparison != Bound::Below {
                return Err(error(
                    line,
                    "comparison",
                    "a limit against the threshold must be `below`".into(),
                ));
            }
            let confirmed = match get(7) {
                "true" => true,
                "false" => false,
                s => {
                    return Err(error(
                        line,
                        "confirmed",
                        format!("`{s}`: expected true or false"),
                    ));
                }
            };
            let source = word(8);
            if source.is_empty() {
                return Err(error(line, "source", "empty".into()));
            }
            if confirmed == source.starts_with("UNCONFIRMED:") {
                return Err(error(
                    line,
                    "source",
                    "an unconfirmed row's source, and only it, starts `UNCONFIRMED:`".into(),
                ));
            }
            let provision = word(6);
            if provision.is_empty() {
                return Err(error(line, "provision", "empty".into()));
            }
            for ct in &contract_types {
                if rows
                    .iter()
                    .any(|r| r.regime == regime && r.rule == rule && r.contract_types.contains(ct))
                {
                    return Err(error(
                        line,
                        "contract_types",
                        format!("a second {regime} {rule} row for {ct}"),
                    ));
                }
            }
            rows.push(ModificationRule {
                regime,
                rule,
                contract_types,
                percent,
                of,
                comparison,
                provision,
                confirmed,
                source,
            });
        }
        for regime in Regime::ALL {
            for rule in RuleKey::ALL.iter().filter(|k| k.required_by(*regime)) {
                for ct in governed(*regime) {
                    if !rows.iter().any(|r| {
                        r.regime == *regime && r.rule == *rule && r.contract_types.contains(ct)
                    }) {
                        return Err(error(1, "rule", format!("no {regime} {rule} row for {ct}")));
                    }
                }
            }
        }
        Ok(ModificationRules {
            rows,
            thresholds,
            vat,
        })
    }

    /// The row for a regime, rule and type of contract.
    ///
    /// # Panics
    /// For a rule the regime does not need, or a type it does not govern: the loader checked
    /// that every needed row is there.
    pub fn rule(&self, regime: Regime, rule: RuleKey, ct: ContractType) -> &ModificationRule {
        self.rows
            .iter()
            .find(|r| r.regime == regime && r.rule == rule && r.contract_types.contains(&ct))
            .expect("the loader checks every needed rule has a row")
    }

    /// Every row, in file order.
    pub fn rows(&self) -> &[ModificationRule] {
        &self.rows
    }

    /// The procurement thresholds by date.
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// The standard VAT rate by date.
    pub fn vat_rates(&self) -> &VatRates {
        &self.vat
    }
}

/// A field parsed with `FromStr`, the error in words naming the text.
fn parse<T: FromStr>(text: &str) -> Result<T, String>
where
    T::Err: Display,
{
    text.parse().map_err(|e| format!("`{text}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn load(text: &str) -> Result<ModificationRules, DataError> {
        ModificationRules::from_csv_str("m.csv", text, Thresholds::shipped(), VatRates::shipped())
    }

    #[test]
    fn the_shipped_rules_load_and_unconfirmed_rows_say_so() {
        let rules = ModificationRules::shipped();
        for row in rules.rows() {
            assert_eq!(
                row.confirmed,
                !row.source.starts_with("UNCONFIRMED:"),
                "{}",
                row.provision
            );
        }
        let cap = rules.rule(
            Regime::Pcr2015,
            RuleKey::IncreaseCapAdditional,
            ContractType::Services,
        );
        assert_eq!(cap.limit_in_words(), "at most 50% of the original value");
        let works = rules.rule(Regime::Pa2023, RuleKey::NoticeValue, ContractType::Works);
        assert_eq!(works.percent, Decimal::from(15));
    }

    #[rstest]
    #[case::at_most_takes_the_limit(Bound::AtMost, 50, 100, true)]
    #[case::at_most_refuses_a_penny_more(Bound::AtMost, 5_001, 10_000, false)]
    #[case::below_refuses_the_limit(Bound::Below, 10, 100, false)]
    #[case::below_takes_a_penny_less(Bound::Below, 999, 10_000, true)]
    #[case::a_reduction_is_measured_by_its_size(Bound::AtMost, -51, 100, false)]
    fn limits_compare_exactly(
        #[case] comparison: Bound,
        #[case] amount: i64,
        #[case] base: i64,
        #[case] allowed: bool,
    ) {
        let percent = if comparison == Bound::AtMost { 50 } else { 10 };
        let row = ModificationRule {
            regime: Regime::Pcr2015,
            rule: RuleKey::IncreaseCapAdditional,
            contract_types: vec![ContractType::Services],
            percent: Decimal::from(percent),
            of: Base::OriginalValue,
            comparison,
            provision: "x".into(),
            confirmed: true,
            source: "x".into(),
        };
        assert_eq!(row.allows(amount, base), allowed);
    }

    #[rstest]
    #[case::unknown_rule("pcr2015,cap,services,50,original_value,at_most,x,true,x", 2, "rule")]
    #[case::unknown_type(
        "pcr2015,increase_cap_additional,goods,50,original_value,at_most,x,true,x",
        2,
        "contract_types"
    )]
    #[case::percent_over_100(
        "pcr2015,increase_cap_additional,services,150,original_value,at_most,x,true,x",
        2,
        "percent"
    )]
    #[case::wrong_base(
        "pcr2015,increase_cap_additional,services,50,max_term,at_most,x,true,x",
        2,
        "of"
    )]
    #[case::threshold_at_most(
        "pcr2015,de_minimis_threshold,services,100,threshold,at_most,x,true,x",
        2,
        "comparison"
    )]
    #[case::unconfirmed_without_saying_so(
        "pcr2015,increase_cap_additional,services,50,original_value,at_most,x,false,x",
        2,
        "source"
    )]
    #[case::duplicate(
        "pcr2015,increase_cap_additional,services,50,original_value,at_most,x,true,x\npcr2015,increase_cap_additional,works|services,50,original_value,at_most,x,true,x",
        3,
        "contract_types"
    )]
    #[case::incomplete(
        "pcr2015,increase_cap_additional,services,50,original_value,at_most,x,true,x",
        1,
        "rule"
    )]
    fn errors_name_the_file_line_and_column(
        #[case] rows: &str,
        #[case] line: usize,
        #[case] column: &str,
    ) {
        let err = load(&format!("{}\n{rows}", COLUMNS.join(","))).unwrap_err();
        assert_eq!(
            (err.file.as_str(), err.line, err.column.as_str()),
            ("m.csv", line, column),
            "{err}"
        );
    }
}
