//! Finance pages: the council's plans, one plan in the published layout with its charts,
//! and the savings tracker with monthly delivery updates.

use super::{Layout, render};
use crate::AppState;
use crate::api::organisations::actor;
use crate::auth::{CsrfForm, CurrentUser};
use crate::charts::{self, ReservePoint, millions};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::mtfp::{Plan, Report, ReportOptions, report};
use ngc_domain::finance::resilience::{Comparison, Indicators, compare};
use ngc_domain::finance::risk::{SimulationOptions, simulate};
use ngc_domain::finance::savings::{DeliveryLag, DeliveryUpdate, Rag, delivery_lag};
use ngc_domain::finance::scenario::compare as compare_scenarios;
use ngc_domain::finance::service::{ServiceLine, Subjective};
use ngc_domain::finance::statement::{Statement, gap_bridge, statement};
use ngc_domain::finance::tracker::{Tracker, tracker};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use ngc_store::plans::PlanSummary;
use serde::Deserialize;

/// Trials behind the reserves band on the plan page (the CLI runs as many as asked).
const PAGE_TRIALS: u32 = 5_000;
/// The seed of the page's simulation, so the page shows the same band every time.
const PAGE_SEED: u64 = 2015;

#[derive(Template)]
#[template(path = "finance/index.html")]
struct IndexPage {
    layout: Layout,
    organisation: String,
    plans: Vec<(PlanSummary, Report)>,
    can_read: bool,
}

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
    /// Per year: the year and its four editable assumptions.
    assumptions: Vec<(FinancialYear, [rust_decimal::Decimal; 4])>,
    can_update: bool,
}

#[derive(Template)]
#[template(path = "finance/savings.html")]
struct SavingsPage {
    layout: Layout,
    plan_name: String,
    years: Vec<FinancialYear>,
    tracker: Tracker,
    /// Delivery against the monthly profile, as at the latest update of the year.
    lag: Option<DeliveryLag>,
    rags: &'static [Rag],
    can_update: bool,
}

async fn organisation_slug(app: &AppState, user: &CurrentUser) -> AppResult<String> {
    Ok(app
        .store
        .organisation_by_id(user.user.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("your organisation".into()))?
        .slug)
}

async fn load(app: &AppState, user: &CurrentUser, name: &str) -> AppResult<Plan> {
    user.require(Action::ReadPlans(user.user.organisation_id))?;
    let org = organisation_slug(app, user).await?;
    app.store
        .plan(&org, Some(name))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("plan `{name}`")))
}

/// Every plan of an organisation with its report (callers check `ReadPlans` first).
pub(super) async fn reports(
    app: &AppState,
    organisation: &str,
) -> AppResult<Vec<(PlanSummary, Report)>> {
    let mut out = Vec::new();
    for summary in app.store.list_plans(organisation).await? {
        if let Some(plan) = app.store.plan(organisation, Some(&summary.name)).await? {
            out.push((summary, report(&plan)));
        }
    }
    Ok(out)
}

/// `GET /finance`.
pub async fn index(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ViewArea(Area::Finance))?;
    let layout = Layout::for_user(&app, &user, "Finance", Some(Area::Finance)).await?;
    let can_read = user.can(Action::ReadPlans(user.user.organisation_id));
    let plans = if can_read {
        reports(&app, &organisation_slug(&app, &user).await?).await?
    } else {
        Vec::new()
    };
    let organisation = user.user.organisation_name.clone();
    Ok(render(&IndexPage {
        layout,
        organisation,
        plans,
        can_read,
    }))
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

#[derive(Template)]
#[template(path = "finance/resilience.html")]
struct ResiliencePage {
    layout: Layout,
    comparison: Result<Comparison, String>,
    years: Vec<FinancialYear>,
}

/// `GET /finance/resilience`: the user's organisation against its class, from the returns.
pub async fn resilience(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    user.require(Action::ViewArea(Area::Finance))?;
    let year = match q.year {
        Some(y) => Some(
            y.parse::<FinancialYear>()
                .map_err(|e| AppError::invalid("year", e.to_string()))?,
        ),
        None => None,
    };
    let records = app.store.authority_records().await?;
    let comparison =
        compare(&records, &user.user.organisation_name, year).map_err(|e| e.to_string());
    let mut years: Vec<FinancialYear> = match &comparison {
        Ok(c) => records
            .iter()
            .filter(|r| r.code == c.code)
            .map(|r| r.year.year)
            .collect(),
        Err(_) => Vec::new(),
    };
    years.sort();
    years.dedup();
    let layout = Layout::for_user(&app, &user, "Financial resilience", Some(Area::Finance)).await?;
    Ok(render(&ResiliencePage {
        layout,
        comparison,
        years,
    }))
}

#[derive(Template)]
#[template(path = "finance/budget.html")]
struct BudgetPage {
    layout: Layout,
    years: Vec<FinancialYear>,
    year: FinancialYear,
    subjectives: &'static [Subjective],
    rows: Vec<(ServiceLine, Vec<Money>, Money)>,
    totals: Vec<Money>,
    net_total: Money,
}

/// `GET /finance/budget`: the organisation's budget by service line and subjective.
pub async fn budget(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    user.require(Action::ReadPlans(user.user.organisation_id))?;
    let org = organisation_slug(&app, &user).await?;
    let lines = app.store.budget_lines(&org).await?;
    let mut years: Vec<FinancialYear> = lines.iter().map(|l| l.year).collect();
    years.sort();
    years.dedup();
    let year = match q.year {
        Some(y) => y
            .parse::<FinancialYear>()
            .map_err(|e| AppError::invalid("year", e.to_string()))?,
        None => years
            .last()
            .copied()
            .unwrap_or_else(|| FinancialYear::starting(2015).expect("a valid year")),
    };
    let of_year: Vec<_> = lines.iter().filter(|l| l.year == year).collect();
    let subjectives = Subjective::ALL;
    let rows: Vec<(ServiceLine, Vec<Money>, Money)> = ServiceLine::ALL
        .iter()
        .filter(|s| of_year.iter().any(|l| l.service == **s))
        .map(|&service| {
            let cells = subjectives
                .iter()
                .map(|&j| {
                    of_year
                        .iter()
                        .filter(|l| l.service == service && l.subjective == j)
                        .map(|l| l.amount)
                        .sum()
                })
                .collect();
            let net = of_year
                .iter()
                .filter(|l| l.service == service)
                .map(|l| l.subjective.net(l.amount))
                .sum();
            (service, cells, net)
        })
        .collect();
    let totals = (0..subjectives.len())
        .map(|i| rows.iter().map(|r| r.1[i]).sum())
        .collect();
    let net_total = rows.iter().map(|r| r.2).sum();
    let layout = Layout::for_user(&app, &user, "Revenue budget", Some(Area::Finance)).await?;
    Ok(render(&BudgetPage {
        layout,
        years,
        year,
        subjectives,
        rows,
        totals,
        net_total,
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
    app.store.import_plan(&plan, &actor(&user)).await?;
    Ok(Redirect::to(&format!("/finance/plans/{}#assumptions", urlencode(&name))).into_response())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Which year the tracker shows.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// `GET /finance/plans/{name}/savings`.
pub async fn savings(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let plan = load(&app, &user, &name).await?;
    let years = plan.plan_years();
    let year = match q.year {
        Some(y) => y
            .parse::<FinancialYear>()
            .map_err(|e| AppError::invalid("year", e.to_string()))?,
        None => plan.first_year,
    };
    if !years.contains(&year) {
        return Err(AppError::invalid(
            "year",
            format!("{year} is not a year of plan `{name}`"),
        ));
    }
    let layout = Layout::for_user(&app, &user, "Savings tracker", Some(Area::Finance)).await?;
    let can_update = user.can(Action::UpdatePlans(user.user.organisation_id));
    let month = plan
        .delivery
        .iter()
        .filter(|u| u.year == year)
        .map(|u| u.month)
        .max();
    let lag = month.map(|m| delivery_lag(&plan.savings, &plan.delivery, year, m));
    Ok(render(&SavingsPage {
        layout,
        plan_name: plan.name.clone(),
        years,
        tracker: tracker(&plan, year),
        lag,
        rags: Rag::ALL,
        can_update,
    }))
}

/// A monthly delivery update as posted.
#[derive(Debug, Deserialize)]
pub struct DeliveryForm {
    year: String,
    month: u8,
    delivered: String,
    rag: String,
    #[serde(default)]
    note: String,
}

/// `POST /finance/plans/{name}/savings/{reference}/delivery`.
pub async fn record_delivery(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((name, reference)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<DeliveryForm>,
) -> AppResult<Response> {
    user.require(Action::UpdatePlans(user.user.organisation_id))?;
    let update = DeliveryUpdate {
        reference,
        year: f
            .year
            .parse()
            .map_err(|e: ngc_domain::finance::year::YearError| {
                AppError::invalid("year", e.to_string())
            })?,
        month: f.month,
        delivered: f.delivered.trim().replace(',', "").parse().map_err(
            |e: ngc_domain::money::MoneyError| AppError::invalid("delivered", e.to_string()),
        )?,
        rag: f
            .rag
            .parse()
            .map_err(|e: ngc_domain::text_enum::UnknownValue| {
                AppError::invalid("rag", e.to_string())
            })?,
        note: f.note,
    };
    let org = organisation_slug(&app, &user).await?;
    app.store
        .record_delivery(&org, &name, &update, &actor(&user))
        .await?;
    let to = format!(
        "/finance/plans/{}/savings?year={}",
        urlencode(&name),
        update.year
    );
    Ok(Redirect::to(&to).into_response())
}
