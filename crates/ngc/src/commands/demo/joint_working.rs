//! The demo's joint working: the seven collection authorities' council tax bases for 2016-17,
//! the key of the proposed combined authority's consolidation analysis of the five district
//! waste collection contracts, and that analysis (the joint collection tender led by
//! Northampton is started from it in [`super::tenders`]).
//!
//! The tax bases are **published** figures: line 7, "Council tax base for council tax setting
//! purposes" (Band D equivalents), of the Council Tax Requirement returns 2016-17 (CTR1),
//! Ministry of Housing, Communities and Local Government, `ctr_1617_raw.csv`. The county's own
//! tax base (228,951.65) is the sum of theirs, which is why the county is not in the key: waste
//! collection is the districts' function. The demo carries the figures (it cannot read the
//! shared data at run time); elsewhere `ngc import returns` with the CTR tables fills them
//! for every council it can match by name (`ngc_app::joint_working::tax_bases_from_returns`),
//! and they can be entered by hand (`ngc joint-working key-value`, the API).

use anyhow::Context;
use ngc_app::Caller;
use ngc_app::joint_working::{AnalysisQuery, KeyValueInput, set_key_values};
use ngc_domain::joint_working::Key;
use ngc_store::Store;

/// Where the tax bases come from.
pub const SOURCE: &str = "Council Tax Requirement returns 2016-17 (CTR1), line 7: council tax \
    base for council tax setting purposes, Band D equivalents (MHCLG, ctr_1617_raw.csv)";

/// The year of the key values.
pub const YEAR: &str = "2016-17";

/// The seven districts' tax bases for 2016-17: (organisation, E-code, tax base, confirmed).
pub const TAX_BASES: [(&str, &str, &str, bool); 7] = [
    ("corby", "E2831", "17892", true),
    ("daventry", "E2832", "28838", true),
    ("east-northamptonshire", "E2833", "30084", true),
    ("kettering", "E2834", "30450", true),
    ("northampton", "E2835", "64357.9", true),
    ("south-northamptonshire", "E2836", "33849.7", true),
    ("wellingborough", "E2837", "23480", true),
];

/// The partnership whose analysis it is.
pub const PARTNERSHIP: &str = "northamptonshire-ca";

/// The saving rate of the demo's analysis, in per cent (**modelled**: no past joint tender
/// has let a contract to derive one from).
pub const RATE: &str = "5";

/// The analysis the joint collection tender starts from: refuse collection (CPV 90511000)
/// keyed by the 2016-17 tax bases, at the modelled rate.
pub fn waste_analysis() -> AnalysisQuery {
    AnalysisQuery {
        category: "90511000".into(),
        key: Key::TaxBase.as_str().into(),
        year: YEAR.into(),
        rate: Some(RATE.into()),
    }
}

/// Enters the districts' tax bases that are not stored yet; gives how many it entered.
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    let stored = store
        .key_values(YEAR.parse()?, Key::TaxBase)
        .await?
        .into_iter()
        .map(|v| v.organisation)
        .collect::<Vec<_>>();
    let inputs: Vec<KeyValueInput> = TAX_BASES
        .iter()
        .filter(|(org, ..)| !stored.iter().any(|s| s == org))
        .map(|(org, code, value, confirmed)| KeyValueInput {
            organisation: (*org).into(),
            year: YEAR.into(),
            key: Key::TaxBase.as_str().into(),
            value: (*value).into(),
            source: format!("{SOURCE}, {code}"),
            confirmed: *confirmed,
        })
        .collect();
    if inputs.is_empty() {
        return Ok(0);
    }
    set_key_values(store, &Caller::System, &inputs)
        .await
        .context("entering the districts' tax bases")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    /// The county's 2016-17 tax base in the same table is 228,951.65: the districts' sum to
    /// within the rounding of the published figures.
    #[test]
    fn the_districts_tax_bases_add_up_to_the_countys() {
        let sum: Decimal = TAX_BASES
            .iter()
            .map(|(_, _, v, _)| v.parse::<Decimal>().unwrap())
            .sum();
        let county: Decimal = "228951.65".parse().unwrap();
        assert!((sum - county).abs() < Decimal::ONE, "{sum}");
    }
}
