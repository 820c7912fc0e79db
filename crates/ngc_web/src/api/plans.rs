//! Medium-term financial plans: the report and the risk simulation, as the CLI gives them.

pub mod savings;

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ngc_app::Caller;
use ngc_app::plans::AssumptionChange;
use ngc_domain::access::Action;
use ngc_domain::finance::mtfp::{Plan, Report};
use ngc_domain::finance::risk::{Simulation, SimulationOptions, simulate};
use ngc_domain::finance::savings::DeliveryUpdate;
use ngc_domain::finance::year::{FinancialYear, YearError};
use ngc_domain::money::MoneyError;
use ngc_domain::text_enum::UnknownValue;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A plan as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    pub name: String,
    pub first_year: String,
    pub years: i32,
    /// The number of the plan's current revision (see `…/revisions`).
    pub revision: i64,
}

/// The most trials one API request may ask for.
pub const MAX_TRIALS: u32 = 200_000;

/// Trials and seed of a simulation.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SimulationQuery {
    /// Number of trials (1 to 200,000; default 10,000).
    pub trials: Option<u32>,
    /// Seed (default 2015); the same seed gives the same result.
    pub seed: Option<u64>,
}

/// Refuses unless the organisation exists and the user may read its plans.
async fn require_read(app: &AppState, user: &CurrentUser, slug: &str) -> AppResult<()> {
    let org = app
        .store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation `{slug}`")))?;
    user.require(Action::ReadPlans(org.id))
}

async fn find(app: &AppState, user: &CurrentUser, slug: &str, name: &str) -> AppResult<Plan> {
    require_read(app, user, slug).await?;
    app.store
        .plan(slug, Some(name))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("plan `{name}` of `{slug}`")))
}

/// An organisation's plans.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses((status = 200, body = Vec<PlanView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_plans(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<Vec<PlanView>>> {
    require_read(&app, &user, &slug).await?;
    let plans = app.store.list_plans(&slug).await?;
    Ok(Json(
        plans
            .into_iter()
            .map(|p| PlanView {
                name: p.name,
                first_year: p.first_year,
                years: p.years,
                revision: p.revision,
            })
            .collect(),
    ))
}

/// The plan's report: per year base budget, pressures, savings, net budget requirement,
/// resources, gap and reserves; totals; council tax and the referendum test; warnings.
/// Money is a decimal string in pounds.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans/{name}/report", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name")),
    responses((status = 200, description = "The MTFP report, with savings delivery judged as at the server's date", body = Report),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn find_report(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
) -> AppResult<Json<Report>> {
    require_read(&app, &user, &slug).await?;
    let summary = app
        .store
        .list_plans(&slug)
        .await?
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| AppError::NotFound(format!("plan `{name}` of `{slug}`")))?;
    let view = app
        .figures
        .get(&app.store, &summary, app.store.today())
        .await?;
    let report =
        crate::in_year::with_warning(&app, &user.caller(), &slug, view.report.clone()).await?;
    Ok(Json(report.as_ref().clone()))
}

/// A Monte-Carlo simulation of the plan: per year the chance reserves run out or fall below
/// the prudent minimum, and percentiles of the gap and of reserves.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/plans/{name}/simulation", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name"), SimulationQuery),
    responses((status = 200, description = "The simulation: trials, seed and the risk per plan year", body = Simulation),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn find_simulation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
    Query(q): Query<SimulationQuery>,
) -> AppResult<Json<Simulation>> {
    let plan = find(&app, &user, &slug, &name).await?;
    let trials = q.trials.unwrap_or(10_000);
    if trials > MAX_TRIALS {
        return Err(AppError::invalid(
            "trials",
            format!("at most {MAX_TRIALS} per request; use `ngc mtfp simulate` for more"),
        ));
    }
    let options = SimulationOptions::new(trials, q.seed.unwrap_or(2015));
    let sim = tokio::task::spawn_blocking(move || simulate(&plan, &options))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::invalid("trials", e.to_string()))?;
    Ok(Json(sim))
}

/// A monthly delivery update on a saving, as sent and as recorded.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryBody {
    /// The saving's reference.
    pub reference: String,
    /// The financial year, e.g. `2015-16`.
    pub year: String,
    /// The month of the year: 1 = April … 12 = March.
    pub month: u8,
    /// Delivered in the year up to the end of the month, a decimal string in pounds.
    pub delivered: String,
    /// The status: `red`, `amber`, `green` or `blue` (delivered in full).
    pub rag: String,
    /// A note in words.
    #[serde(default)]
    pub note: String,
}

impl DeliveryBody {
    fn parse(self) -> AppResult<DeliveryUpdate> {
        Ok(DeliveryUpdate {
            reference: self.reference,
            year: self
                .year
                .parse()
                .map_err(|e: YearError| AppError::invalid("year", e.to_string()))?,
            month: self.month,
            delivered: self
                .delivered
                .trim()
                .parse()
                .map_err(|e: MoneyError| AppError::invalid("delivered", e.to_string()))?,
            rag: self
                .rag
                .parse()
                .map_err(|e: UnknownValue| AppError::invalid("rag", e.to_string()))?,
            note: self.note,
        })
    }

    fn of(u: &DeliveryUpdate) -> Self {
        Self {
            reference: u.reference.clone(),
            year: u.year.to_string(),
            month: u.month,
            delivered: u.delivered.to_string(),
            rag: u.rag.as_str().to_owned(),
            note: u.note.clone(),
        }
    }
}

pub(super) fn caller(user: &CurrentUser) -> Caller {
    Caller::User(user.principal.clone())
}

/// Records a monthly delivery update on a saving of the plan (audited). The plan's figures,
/// its savings tracker and early warnings then reflect it.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/plans/{name}/delivery", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name")),
    request_body = DeliveryBody,
    responses((status = 201, description = "The update as recorded", body = DeliveryBody),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_delivery(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
    ApiJson(body): ApiJson<DeliveryBody>,
) -> AppResult<(StatusCode, Json<DeliveryBody>)> {
    let update = body.parse()?;
    ngc_app::plans::record_delivery(&app.store, &caller(&user), &slug, &name, &update).await?;
    Ok((StatusCode::CREATED, Json(DeliveryBody::of(&update))))
}

/// One plan year's assumptions, per cent as decimal strings. In a request, a field left out
/// keeps its stored value.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssumptionsBody {
    /// The plan year, e.g. `2016-17`.
    pub year: String,
    /// Council tax increase (core).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council_tax_increase_pct: Option<String>,
    /// Adult social care precept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asc_precept_pct: Option<String>,
    /// Pay award.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_award_pct: Option<String>,
    /// General inflation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_inflation_pct: Option<String>,
}

impl AssumptionsBody {
    fn parse(&self) -> AppResult<AssumptionChange> {
        let year: FinancialYear = self
            .year
            .parse()
            .map_err(|e: YearError| AppError::invalid("year", e.to_string()))?;
        let pct = |field: &str, v: &Option<String>| -> AppResult<Option<Decimal>> {
            v.as_deref()
                .map(|t| {
                    t.trim().parse::<Decimal>().map_err(|_| {
                        AppError::invalid(
                            format!("{field}:{year}"),
                            format!("`{t}` is not a percentage"),
                        )
                    })
                })
                .transpose()
        };
        Ok(AssumptionChange {
            year,
            council_tax_increase_pct: pct(
                "council_tax_increase_pct",
                &self.council_tax_increase_pct,
            )?,
            asc_precept_pct: pct("asc_precept_pct", &self.asc_precept_pct)?,
            pay_award_pct: pct("pay_award_pct", &self.pay_award_pct)?,
            general_inflation_pct: pct("general_inflation_pct", &self.general_inflation_pct)?,
        })
    }
}

/// Changes the assumptions of some plan years (all or nothing; audited) and answers every
/// plan year's assumptions as stored. The report then reflects them.
#[utoipa::path(put, path = "/api/v1/organisations/{slug}/plans/{name}/assumptions", tag = "finance", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), ("name" = String, Path, description = "The plan's name")),
    request_body = Vec<AssumptionsBody>,
    responses((status = 200, description = "Every plan year's assumptions as stored", body = Vec<AssumptionsBody>),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_assumptions(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, name)): Path<(String, String)>,
    ApiJson(body): ApiJson<Vec<AssumptionsBody>>,
) -> AppResult<Json<Vec<AssumptionsBody>>> {
    let changes = body
        .iter()
        .map(AssumptionsBody::parse)
        .collect::<AppResult<Vec<_>>>()?;
    let plan =
        ngc_app::plans::update_assumptions(&app.store, &caller(&user), &slug, &name, &changes)
            .await?;
    Ok(Json(
        plan.plan_years()
            .into_iter()
            .map(|y| {
                let a = plan.assumptions_for(y);
                AssumptionsBody {
                    year: y.to_string(),
                    council_tax_increase_pct: Some(a.council_tax_increase_pct.to_string()),
                    asc_precept_pct: Some(a.asc_precept_pct.to_string()),
                    pay_award_pct: Some(a.pay_award_pct.to_string()),
                    general_inflation_pct: Some(a.general_inflation_pct.to_string()),
                }
            })
            .collect(),
    ))
}
