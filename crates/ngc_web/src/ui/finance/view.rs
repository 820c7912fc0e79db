//! Everything the finance pages show of one plan, derived from the plan, its savings' evidence and "today" by one
//! function, [`plan_view`]: the report, the published statement, the gap bridge, the charts,
//! the page's risk simulation, the scenarios, the resilience indicators and the band bills.
//! It is pure and slow (the simulation runs thousands of trials), so the web app computes it
//! off the async runtime once per plan change and day ([`crate::figures`]).

use crate::charts::{self, ReservePoint, millions};
use chrono::NaiveDate;
use ngc_domain::finance::council_tax::Band;
use ngc_domain::finance::evidence::Evidenced;
use ngc_domain::finance::mtfp::{Plan, Report, ReportOptions, report_with};
use ngc_domain::finance::resilience::{Indicators, from_plan, indicators};
use ngc_domain::finance::risk::{Simulation, SimulationOptions, simulate};
use ngc_domain::finance::scenario::compare as compare_scenarios;
use ngc_domain::finance::statement::{Statement, gap_bridge, statement};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Trials of the plan page's risk simulation.
pub const PAGE_TRIALS: u32 = 5_000;
/// The seed of the page's simulation, so the page shows the same band every time (the same
/// trials and seed give the same figures as `ngc mtfp simulate --trials 5000 --seed 2015`).
pub const PAGE_SEED: u64 = 2015;

/// The plan page's figures (and the report the dashboard and `/finance` show).
#[derive(Debug, Clone)]
pub struct PlanView {
    /// The plan's name.
    pub plan_name: String,
    /// The report, with savings delivery judged as at "today".
    pub report: Arc<Report>,
    /// The report in the council's published layout.
    pub statement: Statement,
    /// The bridge to the last year's gap, as an SVG chart (empty for a plan without years).
    pub waterfall: String,
    /// Reserves against the minimum with the simulation's band, as an SVG chart.
    pub reserves_chart: String,
    /// The page's risk simulation, or why it failed.
    pub simulation: Result<Simulation, String>,
    /// Per year: the year, the chance reserves run out, and the gap's 5–95% range, as shown.
    pub risk: Vec<(String, String, String)>,
    /// Trials of the simulation.
    pub trials: u32,
    /// Each scenario's report beside the base plan's.
    pub scenarios: Vec<(String, Report)>,
    /// Why the scenarios could not be reported, if they could not.
    pub scenarios_error: Option<String>,
    /// The resilience indicators the plan implies, per plan year.
    pub resilience: Vec<Indicators>,
    /// Bills by band A–H in each plan year (statutory ratios to Band D).
    pub bands: Vec<(FinancialYear, Vec<Money>)>,
    /// Per year: the year and its four editable assumptions.
    pub assumptions: Vec<(FinancialYear, [Decimal; 4])>,
}

/// Builds the plan page's view of `plan` as on `today`, with what its savings' evidence shows.
pub fn plan_view(plan: &Plan, evidenced: &Evidenced, today: NaiveDate) -> PlanView {
    let options = ReportOptions {
        evidenced: evidenced.clone(),
        ..ReportOptions::on(today)
    };
    let r = report_with(plan, &options);
    let waterfall = match r.rows.last() {
        Some(last) => charts::waterfall(
            &gap_bridge(plan, &r),
            &format!("Gap in {}", last.year),
            last.gap,
        ),
        None => String::new(),
    };
    let simulation =
        simulate(plan, &SimulationOptions::new(PAGE_TRIALS, PAGE_SEED)).map_err(|e| e.to_string());
    let sim = simulation.as_ref().ok();
    let points: Vec<ReservePoint> = r
        .detail
        .iter()
        .enumerate()
        .map(|(i, d)| ReservePoint {
            year: d.year.to_string(),
            planned: d.reserves_end.usable(),
            minimum: d.reserves_minimum,
            band: sim
                .and_then(|s| s.years.get(i))
                .map(|y| (y.reserves_p5, y.reserves_p50, y.reserves_p95)),
        })
        .collect();
    let risk = sim
        .map(|s| {
            s.years
                .iter()
                .map(|y| {
                    (
                        y.year.to_string(),
                        format!("{:.1}%", y.p_reserves_exhausted * 100.0),
                        format!("{} to {}", millions(y.gap_p5), millions(y.gap_p95)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let history = from_plan(plan, &r);
    let resilience = r
        .years
        .iter()
        .filter_map(|y| indicators(&history, *y))
        .collect();
    let (scenarios, scenarios_error) = match compare_scenarios(plan, &plan.scenarios, &options) {
        Ok(c) => (c.scenarios, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let bands = r
        .council_tax
        .iter()
        .map(|c| {
            (
                c.year,
                Band::ALL.iter().map(|b| b.charge(c.band_d)).collect(),
            )
        })
        .collect();
    let assumptions = plan
        .plan_years()
        .into_iter()
        .map(|y| {
            let a = plan.assumptions_for(y);
            (
                y,
                [
                    a.council_tax_increase_pct,
                    a.asc_precept_pct,
                    a.pay_award_pct,
                    a.general_inflation_pct,
                ],
            )
        })
        .collect();
    PlanView {
        plan_name: plan.name.clone(),
        statement: statement(plan, &r),
        report: Arc::new(r),
        waterfall,
        reserves_chart: charts::reserves(&points),
        simulation,
        risk,
        trials: PAGE_TRIALS,
        scenarios,
        scenarios_error,
        resilience,
        bands,
        assumptions,
    }
}
