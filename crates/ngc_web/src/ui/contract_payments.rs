//! A contract's payments page (`/contracts/{id}/payments`): its terms, the provider's claims
//! and the returns still due, the payments due and those made (late ones marked, with the
//! reason in words), with a form for the provider to claim and one for the council to record
//! a payment. Each form posts to the same use case as the API.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::contracts::payments::{
    self as uc, ClaimInput, PaymentInput, PaymentMade, PaymentSummary, describe_period,
};
use ngc_domain::access::Area;
use ngc_domain::contracts::payment::{Component, OutcomeMetric};
use ngc_domain::contracts::{Frequency, Period};
use ngc_domain::money::Money;
use std::collections::{BTreeMap, HashMap};

#[derive(Template)]
#[template(path = "contracts/payments.html")]
struct PaymentsPage {
    layout: Layout,
    s: PaymentSummary,
    /// The outcome metrics a claim may report, from the terms.
    metrics: Vec<OutcomeMetric>,
    /// Whether the terms pay per case (a claim may report units).
    per_case: bool,
    /// The components a payment may be for.
    components: Vec<&'static str>,
    frequencies: &'static [Frequency],
    error: Option<AppError>,
}

impl PaymentsPage {
    fn period(&self, p: &Period) -> String {
        describe_period(*p)
    }

    fn gbp(&self, m: &Money) -> String {
        m.fmt_gbp()
    }

    fn optional_gbp(&self, m: &Option<Money>) -> String {
        m.map(Money::fmt_gbp).unwrap_or_default()
    }

    fn status(&self, m: &PaymentMade) -> &'static str {
        match (m.timeliness.late, m.payment.disputed, m.payment.paid_on) {
            (true, _, Some(_)) => "Paid late",
            (true, _, None) => "Unpaid, late",
            (false, true, _) => "Disputed",
            (false, false, Some(_)) => "Paid in time",
            (false, false, None) => "Unpaid, not yet due",
        }
    }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let s = uc::summary(&app.store, &user.caller(), id).await?;
    let mut components: Vec<&'static str> = Vec::new();
    let kinds: Vec<&'static str> = match &s.terms {
        Some(t) => t.terms.components.iter().map(Component::kind).collect(),
        None => vec![
            Component::BLOCK,
            Component::COST_PER_CASE,
            Component::PAYMENT_BY_RESULTS,
        ],
    };
    for kind in kinds {
        if !components.contains(&kind) {
            components.push(kind);
        }
    }
    let parts = s.terms.iter().flat_map(|t| &t.terms.components);
    let metrics = parts
        .clone()
        .filter_map(|c| match c {
            Component::PaymentByResults { metrics, .. } => Some(metrics.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let per_case = parts.clone().any(|c| c.kind() == Component::COST_PER_CASE);
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(
        user,
        &format!("Payments: {}", s.contract.title),
        Some(Area::Contracts),
    );
    let page = PaymentsPage {
        layout,
        s,
        metrics,
        per_case,
        components,
        frequencies: Frequency::ALL,
        error,
    };
    Ok((status, render(&page)).into_response())
}

async fn done<T>(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<T, AppError>,
) -> AppResult<Response> {
    after_form(
        result,
        |_| format!("/contracts/{id}/payments"),
        |e| page(app, user, id, Some(e)),
    )
    .await
}

/// `GET /contracts/{id}/payments`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// The claim form's fields as the use case's input: `units`, and `outcome:CODE` for each
/// metric; blank fields are not reported.
fn claim_input(form: &HashMap<String, String>) -> Result<ClaimInput, AppError> {
    let text = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let count = |field: &str, v: &str| {
        v.parse::<u64>().map_err(|_| {
            AppError::invalid(field, format!("`{v}` is not a whole number of 0 or more"))
        })
    };
    let mut outcomes = BTreeMap::new();
    for (key, value) in form {
        let (Some(code), value) = (key.strip_prefix("outcome:"), value.trim()) else {
            continue;
        };
        if !value.is_empty() {
            outcomes.insert(code.to_owned(), count(&format!("outcomes.{code}"), value)?);
        }
    }
    Ok(ClaimInput {
        period_start: text("period_start").unwrap_or_default(),
        period_end: text("period_end"),
        frequency: text("frequency"),
        units: text("units").map(|u| count("units", &u)).transpose()?,
        outcomes,
    })
}

/// `POST /contracts/{id}/claims`: the provider's claim, through
/// [`ngc_app::contracts::payments::submit_claim`].
pub async fn submit_claim(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let result = match claim_input(&form) {
        Ok(input) => uc::submit_claim(&app.store, &user.caller(), id, &input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    done(&app, &user, id, result).await
}

/// `POST /contracts/{id}/payments`: a payment recorded by the council, through
/// [`ngc_app::contracts::payments::record_payment`].
pub async fn record_payment(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<PaymentInput>,
) -> AppResult<Response> {
    let result = uc::record_payment(&app.store, &user.caller(), id, &input)
        .await
        .map_err(AppError::from);
    done(&app, &user, id, result).await
}
