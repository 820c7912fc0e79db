//! The savings tracker and monthly delivery updates.

use super::{YearQuery, organisation_slug, urlencode};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::evidence::{Link, LinkKind};
use ngc_domain::finance::monitoring::{CostLine, cost_lines};
use ngc_domain::finance::savings::{DeliveryLag, DeliveryUpdate, Rag, delivery_lag};
use ngc_domain::finance::tracker::{Tracker, tracker};
use ngc_domain::finance::year::FinancialYear;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "finance/savings.html")]
struct SavingsPage {
    layout: Layout,
    plan_name: String,
    years: Vec<FinancialYear>,
    tracker: Tracker,
    /// Each saving's links in force, by reference.
    links: BTreeMap<String, Vec<Link>>,
    /// The kinds of record a saving may be linked to.
    kinds: &'static [LinkKind],
    /// Delivery against the monthly profile, as at the latest update of the year.
    lag: Option<DeliveryLag>,
    rags: &'static [Rag],
    can_update: bool,
    /// Each service line's forecast outturn against its budget (after the savings), from
    /// budget monitoring, for those who read the ledger.
    cost_lines: BTreeMap<String, CostLine>,
}

impl SavingsPage {
    /// The cost line of a saving's service line, where budget monitoring has one.
    fn cost_line(&self, service: &str) -> Option<&CostLine> {
        self.cost_lines.get(service)
    }
}

/// `GET /finance/plans/{name}/savings`: the tracker of a year, each saving with its chain of
/// evidence and its planned, evidenced and delivered figures.
pub async fn savings(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let org = organisation_slug(&app, &user).await?;
    let chain = ngc_app::plans::chain(&app.store, &user.caller(), &org, &name).await?;
    let plan = &chain.plan;
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
    let layout = Layout::for_user(&user, "Savings tracker", Some(Area::Finance));
    let can_update = user.can(Action::UpdatePlans(user.user.organisation_id));
    let month = plan
        .delivery
        .iter()
        .filter(|u| u.year == year)
        .map(|u| u.month)
        .max();
    let lag = month.map(|m| delivery_lag(&plan.savings, &plan.delivery, year, m));
    let cost_lines = if user.can(Action::ReadLedger(user.user.organisation_id)) {
        let report = ngc_app::monitoring::budget_monitoring(
            &app.store,
            &user.caller(),
            &org,
            year,
            ngc_domain::finance::monitoring::ForecastMethod::RunRate,
        )
        .await?;
        cost_lines(&report.monitoring)
    } else {
        BTreeMap::new()
    };
    Ok(render(&SavingsPage {
        layout,
        plan_name: plan.name.clone(),
        years,
        tracker: tracker(plan, year, &chain.evidenced),
        links: chain.links.iter().fold(BTreeMap::new(), |mut by, l| {
            by.entry(l.saving.clone())
                .or_insert_with(Vec::new)
                .push(l.clone());
            by
        }),
        kinds: LinkKind::ALL,
        lag,
        rags: Rag::ALL,
        can_update,
        cost_lines,
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
    ngc_app::plans::record_delivery(&app.store, &user.caller(), &org, &name, &update).await?;
    let to = format!(
        "/finance/plans/{}/savings?year={}",
        urlencode(&name),
        update.year
    );
    Ok(Redirect::to(&to).into_response())
}

/// A link as posted from the tracker.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    year: Option<String>,
    kind: String,
    id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    baseline: String,
    #[serde(default)]
    note: String,
}

fn back_to(name: &str, year: Option<&str>) -> Response {
    let mut to = format!("/finance/plans/{}/savings", urlencode(name));
    if let Some(y) = year.filter(|y| !y.is_empty()) {
        to.push_str(&format!("?year={}", urlencode(y)));
    }
    Redirect::to(&to).into_response()
}

/// `POST /finance/plans/{name}/savings/{reference}/links`: links the saving to a record,
/// through [`ngc_app::plans::link_saving`].
pub async fn link_saving(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((name, reference)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<LinkForm>,
) -> AppResult<Response> {
    let id: i64 =
        f.id.trim().parse().map_err(|_| {
            AppError::invalid("id", format!("`{}` is not a record id", f.id.trim()))
        })?;
    let input = ngc_app::plans::LinkInput {
        kind: f.kind,
        id,
        amount: Some(f.amount),
        baseline: Some(f.baseline),
        note: f.note,
    };
    let org = organisation_slug(&app, &user).await?;
    ngc_app::plans::link_saving(&app.store, &user.caller(), &org, &name, &reference, &input)
        .await?;
    Ok(back_to(&name, f.year.as_deref()))
}

/// The year to return to after removing a link.
#[derive(Debug, Deserialize)]
pub struct UnlinkForm {
    year: Option<String>,
}

/// `POST /finance/plans/{name}/savings/{reference}/links/{link_id}/remove`: removes a link
/// (kept, stamped), through [`ngc_app::plans::unlink_saving`].
pub async fn unlink_saving(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((name, reference, link_id)): Path<(String, String, i64)>,
    CsrfForm(f): CsrfForm<UnlinkForm>,
) -> AppResult<Response> {
    let org = organisation_slug(&app, &user).await?;
    ngc_app::plans::unlink_saving(&app.store, &user.caller(), &org, &name, &reference, link_id)
        .await?;
    Ok(back_to(&name, f.year.as_deref()))
}
