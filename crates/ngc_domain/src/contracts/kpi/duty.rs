//! The KPI duty of the Procurement Act 2023 s52: before entering into a public contract with an
//! estimated value of more than £5 million, a contracting authority must set at least three
//! KPIs (s52(1)), unless it considers that the supplier's performance could not appropriately
//! be assessed by KPIs (s52(2)) — its reasons are published in the contract details notice
//! (Procurement Regulations 2024 reg 32(2)(s); `noAgreedMetricsRationale` in the UK's OCDS
//! extension) — and not for frameworks, utilities contracts of private utilities, concessions
//! and light touch contracts (s52(6)). PCR 2015 has no such duty: KPIs are the council's choice.
//!
//! The figures and the exemptions are `contracts/data/kpi_duty.csv`; a regime with no rows
//! there has no duty. The threshold compares the value including VAT (see the file's
//! `vat_basis` row).

use crate::money::Money;
use crate::procurement::table::Table;
use crate::procurement::{DataError, Regime, VatBasis};
use serde::Serialize;

crate::text_enum! {
    /// Why a contract may be outside the KPI duty whatever its value.
    pub enum KpiExemption as "KPI exemption" {
        /// A framework (PA2023 s52(6)(a)).
        Framework = "framework", "A framework";
        /// A utilities contract awarded by a private utility (s52(6)(b)).
        PrivateUtility = "private_utility", "A utilities contract awarded by a private utility";
        /// A concession contract (s52(6)(c)).
        Concession = "concession", "A concession contract";
        /// A light touch contract (s52(6)(d)).
        LightTouch = "light_touch", "A light touch contract";
        /// Not a public contract at all: below the threshold for its type, or an exempted
        /// contract (s52(1) reaches public contracts only; s3, Sch 2). A works contract between
        /// £5m and the works threshold is one.
        NotPublicContract = "not_public_contract", "Not a public contract (below the threshold for its type, or exempted)";
    }
}

/// A row of the rules with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provision {
    /// The legal reference.
    pub reference: String,
    /// Whether it was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

/// The KPI duty of one regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiDutyRule {
    /// The regime.
    pub regime: Regime,
    /// The duty applies to contracts worth more than this (including VAT).
    pub threshold: Money,
    /// The least number of KPIs.
    pub minimum_kpis: usize,
    /// Whether a recorded reason why KPIs are not appropriate disapplies the duty.
    pub rationale_disapplies: bool,
    /// The exemptions, each with its reference.
    pub exemptions: Vec<(KpiExemption, Provision)>,
    /// The provenance of the threshold, the VAT basis, the minimum and the rationale rule.
    pub provisions: Vec<(String, Provision)>,
}

impl KpiDutyRule {
    /// Whether every row the duty rests on was checked against the legislation.
    pub fn confirmed(&self) -> bool {
        self.provisions.iter().all(|(_, p)| p.confirmed)
    }

    fn provision(&self, rule: &str) -> &Provision {
        &self
            .provisions
            .iter()
            .find(|(r, _)| r == rule)
            .expect("the loader requires every rule")
            .1
    }

    /// The reference of the threshold and the minimum (`PA2023 s52(1)`).
    pub fn reference(&self) -> &str {
        &self.provision("threshold").reference
    }
}

/// The KPI duty rules of every regime that has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiDutyRules {
    rules: Vec<KpiDutyRule>,
}

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("../data/kpi_duty.csv");

const REQUIRED: [&str; 3] = ["threshold", "vat_basis", "minimum_kpis"];

impl KpiDutyRules {
    /// The rules shipped with ngc (PA2023 s52).
    pub fn shipped() -> KpiDutyRules {
        KpiDutyRules::from_csv_str("kpi_duty.csv", SHIPPED_CSV)
            .expect("the shipped KPI duty rules parse")
    }

    /// Reads rules from CSV with the header `regime,rule,value,reference,confirmed,source`.
    /// `rule` is `threshold` (value: pounds), `vat_basis` (`including_vat`), `minimum_kpis`
    /// (a count of at least 1), `rationale` (`disapplies`) or `exemption` (a
    /// [`KpiExemption`] word). A regime with rows must have exactly one `threshold`,
    /// `vat_basis` and `minimum_kpis`.
    pub fn from_csv_str(file: &str, text: &str) -> Result<KpiDutyRules, DataError> {
        let table = Table::parse(
            file,
            text,
            &[
                "regime",
                "rule",
                "value",
                "reference",
                "confirmed",
                "source",
            ],
        )?;
        let mut rules: Vec<KpiDutyRule> = Vec::new();
        for row in table.rows() {
            let regime: Regime = row.parse("regime")?;
            let (confirmed, source) = row.provenance()?;
            let provision = Provision {
                reference: row.text("reference")?,
                confirmed,
                source,
            };
            let at = match rules.iter().position(|r| r.regime == regime) {
                Some(at) => at,
                None => {
                    rules.push(KpiDutyRule {
                        regime,
                        threshold: Money::ZERO,
                        minimum_kpis: 0,
                        rationale_disapplies: false,
                        exemptions: Vec::new(),
                        provisions: Vec::new(),
                    });
                    rules.len() - 1
                }
            };
            let rule = &mut rules[at];
            let name = row.text("rule")?;
            if name != "exemption" && rule.provisions.iter().any(|(r, _)| *r == name) {
                return Err(row.error("rule", format!("a second `{name}` row for {regime}")));
            }
            match name.as_str() {
                "threshold" => {
                    rule.threshold = row.parse("value")?;
                    if rule.threshold.is_negative() {
                        return Err(row.error("value", "a threshold may not be negative"));
                    }
                }
                "vat_basis" => {
                    let basis: VatBasis = row.parse("value")?;
                    if basis != VatBasis::IncludingVat {
                        return Err(row.error(
                            "value",
                            "the duty compares a value including VAT; a threshold excluding VAT would need the VAT rate of the day",
                        ));
                    }
                }
                "minimum_kpis" => {
                    rule.minimum_kpis = row.parse("value")?;
                    if rule.minimum_kpis == 0 {
                        return Err(row.error("value", "at least 1"));
                    }
                }
                "rationale" => match row.get("value") {
                    "disapplies" => rule.rationale_disapplies = true,
                    v => return Err(row.error("value", format!("`{v}`: expected disapplies"))),
                },
                "exemption" => {
                    let exemption: KpiExemption = row.parse("value")?;
                    if rule.exemptions.iter().any(|(e, _)| *e == exemption) {
                        return Err(row.error("value", format!("a second row for {exemption}")));
                    }
                    rule.exemptions.push((exemption, provision));
                    continue;
                }
                other => {
                    return Err(row.error(
                        "rule",
                        format!(
                            "`{other}`: expected threshold, vat_basis, minimum_kpis, rationale or exemption"
                        ),
                    ));
                }
            }
            rule.provisions.push((name, provision));
        }
        for rule in &rules {
            if let Some(missing) = REQUIRED
                .iter()
                .find(|r| !rule.provisions.iter().any(|(p, _)| p == *r))
            {
                return Err(table.error("rule", format!("no `{missing}` row for {}", rule.regime)));
            }
        }
        Ok(KpiDutyRules { rules })
    }

    /// The duty of `regime`, if it has one.
    pub fn for_regime(&self, regime: Regime) -> Option<&KpiDutyRule> {
        self.rules.iter().find(|r| r.regime == regime)
    }
}

/// Whether the KPI duty applies to a contract and, if so, whether it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiDuty {
    /// Whether the duty applies.
    pub applies: bool,
    /// Whether the contract satisfies it (always, where it does not apply).
    pub satisfied: bool,
    /// What the register shows where the duty applies and is not met.
    pub warning: Option<String>,
    /// Why the duty applies or not, in words, with the reference.
    pub reason: String,
    /// Whether the rows the answer rests on were checked against the legislation.
    pub confirmed: bool,
}

/// The KPI duty of a contract under `regime` with an estimated value of `value_including_vat`,
/// an `exemption` if one is claimed, the authority's recorded `rationale` for setting no KPIs
/// (blank counts as none) and `kpi_count` KPIs.
///
/// In order: a regime without a duty (PCR 2015) → does not apply; a value not more than the
/// threshold → does not apply; an exemption the rules list → does not apply; a rationale, where
/// the rules let one disapply the duty → does not apply; otherwise the duty applies, and is met
/// by at least the minimum number of KPIs. The register warns only where it applies and is not
/// met.
pub fn kpi_duty(
    regime: Regime,
    value_including_vat: Money,
    exemption: Option<KpiExemption>,
    rationale: Option<&str>,
    kpi_count: usize,
    rules: &KpiDutyRules,
) -> KpiDuty {
    let not_applying = |reason: String, confirmed: bool| KpiDuty {
        applies: false,
        satisfied: true,
        warning: None,
        reason,
        confirmed,
    };
    let Some(rule) = rules.for_regime(regime) else {
        return not_applying(
            format!(
                "the {} sets no KPI duty: KPIs are the council's choice",
                regime.label()
            ),
            true,
        );
    };
    let threshold = rule.threshold.fmt_gbp();
    if value_including_vat <= rule.threshold {
        return not_applying(
            format!(
                "the estimated value {} including VAT is not more than {threshold} ({})",
                value_including_vat.fmt_gbp(),
                rule.reference()
            ),
            rule.confirmed(),
        );
    }
    if let Some((e, p)) = exemption.and_then(|e| rule.exemptions.iter().find(|(x, _)| *x == e)) {
        return not_applying(
            format!(
                "{}: outside the KPI duty ({})",
                e.label().to_lowercase(),
                p.reference
            ),
            p.confirmed && rule.confirmed(),
        );
    }
    let rationale = rationale.map(str::trim).filter(|r| !r.is_empty());
    if let (Some(text), true) = (rationale, rule.rationale_disapplies) {
        let p = rule.provision("rationale");
        return not_applying(
            format!(
                "the authority recorded why KPIs are not appropriate ({}): {text}",
                p.reference
            ),
            rule.confirmed(),
        );
    }
    let satisfied = kpi_count >= rule.minimum_kpis;
    let kpis = |n: usize| if n == 1 { "KPI" } else { "KPIs" };
    let need = format!(
        "a contract worth more than {threshold} including VAT needs at least {} {} ({})",
        rule.minimum_kpis,
        kpis(rule.minimum_kpis),
        rule.reference()
    );
    let unlisted = exemption
        .map(|e| format!("; {} is not an exemption the rules list", e.as_str()))
        .unwrap_or_default();
    KpiDuty {
        applies: true,
        satisfied,
        warning: (!satisfied).then(|| {
            let why = if rule.rationale_disapplies {
                format!(
                    ", or record why KPIs are not appropriate ({})",
                    rule.provision("rationale").reference
                )
            } else {
                String::new()
            };
            format!(
                "{need}; it has {kpi_count}. Set {} more{why}.",
                rule.minimum_kpis - kpi_count
            )
        }),
        reason: format!("{need}; it has {kpi_count}{unlisted}"),
        confirmed: rule.confirmed(),
    }
}

#[cfg(test)]
mod tests;
