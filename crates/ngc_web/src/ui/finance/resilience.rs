//! The organisation's financial resilience against its class, from the official returns.

use super::YearQuery;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use ngc_domain::access::{Action, Area};
use ngc_domain::finance::resilience::{Comparison, compare};
use ngc_domain::finance::year::FinancialYear;

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
    let layout = Layout::for_user(&user, "Financial resilience", Some(Area::Finance));
    Ok(render(&ResiliencePage {
        layout,
        comparison,
        years,
    }))
}
