//! The revenue budget by service line and subjective.

use super::{YearQuery, organisation_slug};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::service::{ServiceLine, Subjective, pivot};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;

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
    let pivot = pivot(&lines, year);
    let layout = Layout::for_user(&user, "Revenue budget", Some(Area::Finance));
    Ok(render(&BudgetPage {
        layout,
        years,
        year,
        subjectives: Subjective::ALL,
        rows: pivot
            .rows
            .into_iter()
            .map(|r| (r.service, r.cells, r.net))
            .collect(),
        totals: pivot.totals,
        net_total: pivot.net_total,
    }))
}
