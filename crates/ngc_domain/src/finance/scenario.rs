//! Scenarios: named variants of a plan that override assumptions or lines, and a side-by-side
//! comparison with the base plan.

use super::mtfp::{FundingSource, Plan, Report, ReportOptions, report_with};
use super::savings::Rag;
use super::year::FinancialYear;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One change a scenario makes to a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Override {
    /// Set the council tax increase (core) in a year, per cent.
    CouncilTaxIncrease {
        /// The year.
        year: FinancialYear,
        /// The increase.
        pct: Decimal,
    },
    /// Set the adult social care precept in a year, per cent.
    AscPrecept {
        /// The year.
        year: FinancialYear,
        /// The precept.
        pct: Decimal,
    },
    /// Set the pay award in a year, per cent.
    PayAward {
        /// The year.
        year: FinancialYear,
        /// The award.
        pct: Decimal,
    },
    /// Set general inflation in a year, per cent.
    GeneralInflation {
        /// The year.
        year: FinancialYear,
        /// The rate.
        pct: Decimal,
    },
    /// Set the amount of a saving in a year.
    SavingAmount {
        /// The saving's reference.
        reference: String,
        /// The year.
        year: FinancialYear,
        /// The new amount.
        amount: Money,
    },
    /// Set a saving's RAG status.
    SavingRag {
        /// The saving's reference.
        reference: String,
        /// The status.
        rag: Rag,
    },
    /// Drop a saving from the plan.
    RemoveSaving {
        /// The saving's reference.
        reference: String,
    },
    /// Set the amount of a pressure in a year.
    PressureAmount {
        /// The pressure's reference.
        reference: String,
        /// The year.
        year: FinancialYear,
        /// The new amount.
        amount: Money,
    },
    /// Set funding from one source in a year (replacing any lines for it).
    Funding {
        /// The source.
        source: FundingSource,
        /// The year.
        year: FinancialYear,
        /// The new amount.
        amount: Money,
    },
}

/// A named variant of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// Its name ("no social care precept").
    pub name: String,
    /// The changes, applied in order.
    pub overrides: Vec<Override>,
}

/// An override that does not fit the plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// A saving or pressure the plan does not have.
    #[error("scenario `{scenario}`: no {what} `{reference}` in the plan")]
    UnknownReference {
        /// The scenario.
        scenario: String,
        /// "saving" or "pressure".
        what: &'static str,
        /// The reference.
        reference: String,
    },
    /// A year outside the plan.
    #[error("scenario `{scenario}`: {year} is not a plan year")]
    NotAPlanYear {
        /// The scenario.
        scenario: String,
        /// The year.
        year: FinancialYear,
    },
}

/// The plan with a scenario's overrides applied; the plan itself is unchanged.
pub fn apply(plan: &Plan, scenario: &Scenario) -> Result<Plan, ScenarioError> {
    let mut out = plan.clone();
    out.name = format!("{} — {}", plan.name, scenario.name);
    let years = plan.plan_years();
    let check_year = |year: FinancialYear| {
        if years.contains(&year) {
            Ok(())
        } else {
            Err(ScenarioError::NotAPlanYear {
                scenario: scenario.name.clone(),
                year,
            })
        }
    };
    let unknown = |what, reference: &str| ScenarioError::UnknownReference {
        scenario: scenario.name.clone(),
        what,
        reference: reference.to_owned(),
    };
    for o in &scenario.overrides {
        match o {
            Override::CouncilTaxIncrease { year, pct }
            | Override::AscPrecept { year, pct }
            | Override::PayAward { year, pct }
            | Override::GeneralInflation { year, pct } => {
                check_year(*year)?;
                let a = match out.assumptions.iter_mut().position(|a| a.year == *year) {
                    Some(i) => &mut out.assumptions[i],
                    None => {
                        out.assumptions.push(out.assumptions_for(*year));
                        out.assumptions.last_mut().expect("just pushed")
                    }
                };
                let field = match o {
                    Override::CouncilTaxIncrease { .. } => &mut a.council_tax_increase_pct,
                    Override::AscPrecept { .. } => &mut a.asc_precept_pct,
                    Override::PayAward { .. } => &mut a.pay_award_pct,
                    _ => &mut a.general_inflation_pct,
                };
                *field = *pct;
            }
            Override::SavingAmount {
                reference,
                year,
                amount,
            } => {
                check_year(*year)?;
                let s = out
                    .savings
                    .iter_mut()
                    .find(|s| &s.reference == reference)
                    .ok_or_else(|| unknown("saving", reference))?;
                s.amounts.insert(*year, *amount);
            }
            Override::SavingRag { reference, rag } => {
                out.savings
                    .iter_mut()
                    .find(|s| &s.reference == reference)
                    .ok_or_else(|| unknown("saving", reference))?
                    .rag = *rag;
            }
            Override::RemoveSaving { reference } => {
                let before = out.savings.len();
                out.savings.retain(|s| &s.reference != reference);
                if out.savings.len() == before {
                    return Err(unknown("saving", reference));
                }
            }
            Override::PressureAmount {
                reference,
                year,
                amount,
            } => {
                check_year(*year)?;
                out.pressures
                    .iter_mut()
                    .find(|p| &p.reference == reference)
                    .ok_or_else(|| unknown("pressure", reference))?
                    .amounts
                    .insert(*year, *amount);
            }
            Override::Funding {
                source,
                year,
                amount,
            } => {
                check_year(*year)?;
                out.funding
                    .retain(|f| !(f.source == *source && f.year == *year));
                out.funding.push(super::mtfp::FundingLine {
                    source: *source,
                    year: *year,
                    amount: *amount,
                });
            }
        }
    }
    Ok(out)
}

/// The base plan's report and each scenario's, side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The base plan.
    pub base: Report,
    /// Each scenario by name, in the order given.
    pub scenarios: Vec<(String, Report)>,
}

impl Comparison {
    /// Per year, the gap in the base plan and in each scenario.
    pub fn gaps(&self) -> Vec<(FinancialYear, Money, Vec<Money>)> {
        self.base
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let others = self.scenarios.iter().map(|(_, r)| r.rows[i].gap).collect();
                (row.year, row.gap, others)
            })
            .collect()
    }
}

/// Reports the base plan and each scenario with the same options.
pub fn compare(
    plan: &Plan,
    scenarios: &[Scenario],
    options: &ReportOptions,
) -> Result<Comparison, ScenarioError> {
    let base = report_with(plan, options);
    let scenarios = scenarios
        .iter()
        .map(|s| Ok((s.name.clone(), report_with(&apply(plan, s)?, options))))
        .collect::<Result<_, ScenarioError>>()?;
    Ok(Comparison { base, scenarios })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{d, demo_plan, k, y};
    use proptest::prelude::*;

    fn scenario(overrides: Vec<Override>) -> Scenario {
        Scenario {
            name: "test".into(),
            overrides,
        }
    }

    #[test]
    fn an_empty_scenario_reports_like_the_base_plan() {
        let plan = demo_plan();
        let c = compare(&plan, &[scenario(vec![])], &ReportOptions::default()).unwrap();
        assert_eq!(c.base.rows, c.scenarios[0].1.rows);
    }

    #[test]
    fn no_social_care_precept_lowers_band_d_and_widens_the_gap() {
        let plan = demo_plan();
        let s = scenario(vec![Override::AscPrecept {
            year: y("2016-17"),
            pct: Decimal::ZERO,
        }]);
        let c = compare(&plan, &[s], &ReportOptions::default()).unwrap();
        let (base, alt) = (&c.base, &c.scenarios[0].1);
        assert_eq!(alt.council_tax[1].increase_pct, d("1.95"));
        assert!(alt.council_tax[1].requirement < base.council_tax[1].requirement);
        let gaps = c.gaps();
        assert_eq!(gaps[0].1, gaps[0].2[0], "2015-16 untouched");
        for (_, base_gap, alt_gaps) in &gaps[1..] {
            assert!(alt_gaps[0] > *base_gap);
        }
        assert_eq!(plan, demo_plan(), "the base plan is not changed");
    }

    #[test]
    fn removing_a_saving_widens_the_gap_by_exactly_its_amount() {
        let plan = demo_plan();
        let alt = apply(
            &plan,
            &scenario(vec![Override::RemoveSaving {
                reference: "ENV-01".into(),
            }]),
        )
        .unwrap();
        let (a, b) = (
            crate::finance::mtfp::report(&plan),
            crate::finance::mtfp::report(&alt),
        );
        for (ra, rb) in a.rows.iter().zip(&b.rows) {
            assert_eq!(rb.gap - ra.gap, k(7_000));
        }
    }

    #[test]
    fn funding_overrides_replace_the_source_for_that_year() {
        let plan = demo_plan();
        let alt = apply(
            &plan,
            &scenario(vec![Override::Funding {
                source: FundingSource::RevenueSupportGrant,
                year: y("2017-18"),
                amount: k(0),
            }]),
        )
        .unwrap();
        let change = plan.government_funding(y("2017-18")) - alt.government_funding(y("2017-18"));
        assert_eq!(change, k(35_500));
    }

    #[test]
    fn unknown_references_and_years_are_errors() {
        let plan = demo_plan();
        let err = apply(
            &plan,
            &scenario(vec![Override::SavingRag {
                reference: "X".into(),
                rag: Rag::Red,
            }]),
        );
        assert!(matches!(
            err,
            Err(ScenarioError::UnknownReference { what: "saving", .. })
        ));
        let err = apply(
            &plan,
            &scenario(vec![Override::PayAward {
                year: y("2030-31"),
                pct: d("1"),
            }]),
        );
        assert!(matches!(err, Err(ScenarioError::NotAPlanYear { .. })));
    }

    proptest! {
        #[test]
        fn a_higher_council_tax_increase_never_widens_the_gap(a in 0u32..1000, b in 0u32..1000, at in 0usize..5) {
            let plan = demo_plan();
            let year = plan.plan_years()[at];
            let with = |pct: u32| {
                let s = scenario(vec![Override::CouncilTaxIncrease { year, pct: Decimal::new(i64::from(pct), 2) }]);
                crate::finance::mtfp::report(&apply(&plan, &s).unwrap())
            };
            let (lo, hi) = (with(a.min(b)), with(a.max(b)));
            for (l, h) in lo.rows.iter().zip(&hi.rows) {
                prop_assert!(h.gap <= l.gap);
            }
        }
    }
}
