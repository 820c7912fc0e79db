//! One plan in the published layout, with its charts, scenarios and editable assumptions.

use super::{load, urlencode};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::charts::{self, ReservePoint, millions};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::council_tax::Band;
use ngc_domain::finance::mtfp::{Report, ReportOptions, report};
use ngc_domain::finance::resilience::Indicators;
use ngc_domain::finance::risk::{SimulationOptions, simulate};
use ngc_domain::finance::scenario::compare as compare_scenarios;
use ngc_domain::finance::statement::{Statement, gap_bridge, statement};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;

const PAGE_TRIALS: u32 = 5_000;
/// The seed of the page's simulation, so the page shows the same band every time.
const PAGE_SEED: u64 = 2015;

#[derive(Template)]
#[template(path = "finance/plan.html")]
struct PlanPage {
    layout: Layout,
    organisation_name: String,
    plan_name: String,
    report: Report,
    statement: Statement,
    waterfall: String,
    reserves_chart: String,
    risk: Vec<(String, String, String)>,
    trials: u32,
    /// Each scenario's report beside the base plan's.
    scenarios: Vec<(String, Report)>,
    /// The resilience indicators the plan implies, per plan year.
    resilience: Vec<Indicators>,
    /// Bills by band A–H in each plan year (statutory ratios to Band D).
    bands: Vec<(FinancialYear, Vec<Money>)>,
    /// Per year: the year and its four editable assumptions.
    assumptions: Vec<(FinancialYear, [rust_decimal::Decimal; 4])>,
    can_update: bool,
}

/// `GET /finance/plans/{name}`.
pub async fn plan(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> AppResult<Response> {
    let plan = load(&app, &user, &name).await?;
    let r = report(&plan);
    let s = statement(&plan, &r);
    let last = r.rows.last().map(|row| (row.year, row.gap));
    let waterfall = match last {
        Some((year, gap)) => {
            charts::waterfall(&gap_bridge(&plan, &r), &format!("Gap in {year}"), gap)
        }
        None => String::new(),
    };
    let sim = simulate(&plan, &SimulationOptions::new(PAGE_TRIALS, PAGE_SEED)).ok();
    let points: Vec<ReservePoint> = r
        .detail
        .iter()
        .enumerate()
        .map(|(i, d)| ReservePoint {
            year: d.year.to_string(),
            planned: d.reserves_end.usable(),
            minimum: d.reserves_minimum,
            band: sim
                .as_ref()
                .and_then(|s| s.years.get(i))
                .map(|y| (y.reserves_p5, y.reserves_p50, y.reserves_p95)),
        })
        .collect();
    let risk = sim
        .as_ref()
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
    let history = ngc_domain::finance::resilience::from_plan(&plan, &r);
    let resilience = r
        .years
        .iter()
        .filter_map(|y| ngc_domain::finance::resilience::indicators(&history, *y))
        .collect();
    let scenarios = compare_scenarios(&plan, &plan.scenarios, &ReportOptions::default())
        .map_err(|e| AppError::Internal(format!("stored plan `{}`: {e}", plan.name)))?
        .scenarios;
    let layout = Layout::for_user(&app, &user, &plan.name, Some(Area::Finance)).await?;
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
    Ok(render(&PlanPage {
        layout,
        organisation_name: user.user.organisation_name.clone(),
        plan_name: plan.name.clone(),
        report: r,
        statement: s,
        waterfall,
        reserves_chart: charts::reserves(&points),
        risk,
        trials: PAGE_TRIALS,
        scenarios,
        bands,
        resilience,
        assumptions: plan
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
            .collect(),
        can_update: user.can(Action::UpdatePlans(user.user.organisation_id)),
    }))
}

/// The assumption fields of the plan page's form, by column name.
const ASSUMPTION_FIELDS: [&str; 4] = [
    "council_tax_increase_pct",
    "asc_precept_pct",
    "pay_award_pct",
    "general_inflation_pct",
];

/// `POST /finance/plans/{name}/assumptions`: new assumptions per year (fields `FIELD:YEAR`);
/// the plan is stored anew, audited, and the page shows the new figures.
pub async fn update_assumptions(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    user.require(Action::UpdatePlans(user.user.organisation_id))?;
    let mut plan = load(&app, &user, &name).await?;
    for year in plan.plan_years() {
        let mut a = plan.assumptions_for(year);
        for field in ASSUMPTION_FIELDS {
            let key = format!("{field}:{year}");
            let Some(text) = form.get(&key) else { continue };
            let value: rust_decimal::Decimal =
                text.trim().trim_end_matches('%').parse().map_err(|_| {
                    AppError::invalid(&key, format!("`{text}` is not a percentage"))
                })?;
            match field {
                "council_tax_increase_pct" => a.council_tax_increase_pct = value,
                "asc_precept_pct" => a.asc_precept_pct = value,
                "pay_award_pct" => a.pay_award_pct = value,
                _ => a.general_inflation_pct = value,
            }
        }
        plan.assumptions.retain(|x| x.year != year);
        plan.assumptions.push(a);
    }
    plan.assumptions.sort_by_key(|a| a.year);
    app.store
        .save_plan(
            &plan,
            ngc_store::plans::RevisionReason::AssumptionsEdit,
            &user.caller().actor(),
        )
        .await?;
    Ok(Redirect::to(&format!("/finance/plans/{}#assumptions", urlencode(&name))).into_response())
}
