//! `scenarios.csv` (optional): named variants of the plan, one change per row.
//!
//! Columns `scenario, change, target, year, value`. Changes: `council_tax_increase`,
//! `asc_precept`, `pay_award`, `general_inflation` (year, value in per cent);
//! `saving_amount`, `pressure_amount` (target = reference, year, value in £); `saving_rag`
//! (target = reference, value = red/amber/green/blue); `remove_saving` (target = reference);
//! `funding` (target = funding source, year, value in £). Rows of one scenario apply in order.

use super::cells::Cells;
use crate::pack::PackErrors;
use crate::pack::table;
use ngc_domain::finance::FinancialYear;
use ngc_domain::finance::scenario::{Override, Scenario};
use std::path::Path;

/// The columns of `scenarios.csv`.
pub const SCENARIO_COLUMNS: &[&str] = &["scenario", "change", "target", "year", "value"];

/// The changes a row may make.
pub const CHANGES: &str = "council_tax_increase, asc_precept, pay_award, general_inflation, \
    saving_amount, pressure_amount, saving_rag, remove_saving, funding";

pub(crate) fn read(file: &Path, errors: &mut PackErrors) -> Vec<Scenario> {
    let Some(t) = table::read(file, SCENARIO_COLUMNS, errors) else {
        return Vec::new();
    };
    let mut out: Vec<Scenario> = Vec::new();
    for row in &t.rows {
        let mut c = Cells::new(file, row, errors);
        let Some(name) = c.required("scenario") else {
            continue;
        };
        let Some(change) = c.required("change") else {
            continue;
        };
        let year = |c: &mut Cells<'_, _>| c.parse::<FinancialYear>("year");
        let target = |c: &mut Cells<'_, _>| c.required("target");
        let o = match change.as_str() {
            "council_tax_increase" => year(&mut c)
                .zip(c.pct("value"))
                .map(|(year, pct)| Override::CouncilTaxIncrease { year, pct }),
            "asc_precept" => year(&mut c)
                .zip(c.pct("value"))
                .map(|(year, pct)| Override::AscPrecept { year, pct }),
            "pay_award" => year(&mut c)
                .zip(c.pct("value"))
                .map(|(year, pct)| Override::PayAward { year, pct }),
            "general_inflation" => year(&mut c)
                .zip(c.pct("value"))
                .map(|(year, pct)| Override::GeneralInflation { year, pct }),
            "saving_amount" => {
                let (reference, y, amount) = (target(&mut c), year(&mut c), c.money("value"));
                reference
                    .zip(y)
                    .zip(amount)
                    .map(|((reference, year), amount)| Override::SavingAmount {
                        reference,
                        year,
                        amount,
                    })
            }
            "pressure_amount" => {
                let (reference, y, amount) = (target(&mut c), year(&mut c), c.money("value"));
                reference
                    .zip(y)
                    .zip(amount)
                    .map(|((reference, year), amount)| Override::PressureAmount {
                        reference,
                        year,
                        amount,
                    })
            }
            "saving_rag" => target(&mut c)
                .zip(c.parse("value"))
                .map(|(reference, rag)| Override::SavingRag { reference, rag }),
            "remove_saving" => target(&mut c).map(|reference| Override::RemoveSaving { reference }),
            "funding" => {
                let (source, y, amount) = (c.parse("target"), year(&mut c), c.money("value"));
                source
                    .zip(y)
                    .zip(amount)
                    .map(|((source, year), amount)| Override::Funding {
                        source,
                        year,
                        amount,
                    })
            }
            other => {
                c.invalid(
                    "change",
                    format!("unknown change `{other}`: expected one of {CHANGES}"),
                );
                None
            }
        };
        let Some(o) = o.filter(|_| c.ok()) else {
            continue;
        };
        match out.iter_mut().find(|s| s.name == name) {
            Some(s) => s.overrides.push(o),
            None => out.push(Scenario {
                name,
                overrides: vec![o],
            }),
        }
    }
    out
}
