//! A council's payment performance returns, published: no sign-in.
//!
//! - `/open-data/{org}/payment-compliance`: the payments compliance figures of each
//!   six-month period (PA2023 s69), with `.csv` and `.json` downloads.
//! - `/open-data/{org}/payments-over-30k`: the payments over £30,000 of each quarter
//!   (PA2023 s70), with `.csv` and `.json` (OCDS transactions) downloads.
//!
//! `?from=` and `?to=` (YYYY-MM-DD) choose the days; the downloads carry them over. Each
//! handler calls the use case in `ngc_app::payment_performance` and renders what it returns.

use super::{Layout, Pages, render};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::AppResult;
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ngc_app::payment_performance::{
    self as uc, ComplianceReturn, PaymentsReturn, Range, SPEND_NOTE, formats,
};
use ngc_domain::access::Area;
use ngc_domain::money::Money;
use std::sync::Arc;

/// The routes of the returns.
pub(super) fn routes(pages: Pages) -> Pages {
    pages
        .get("/open-data/{org}/payment-compliance", compliance_page)
        .get("/open-data/{org}/payment-compliance.csv", compliance_csv)
        .get("/open-data/{org}/payment-compliance.json", compliance_json)
        .get("/open-data/{org}/payments-over-30k", payments_page)
        .get("/open-data/{org}/payments-over-30k.csv", payments_csv)
        .get("/open-data/{org}/payments-over-30k.json", payments_json)
}

fn layout(user: &MaybeUser, title: &str) -> Layout {
    match &user.0 {
        Some(u) => Layout::for_user(u, title, Some(Area::OpenData)),
        None => Layout::bare(title),
    }
}

/// `?from=…&to=…` as given, for the download links.
fn query_of(range: &Range) -> String {
    let parts: Vec<String> = [("from", range.from), ("to", range.to)]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn csv(name: String, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "open_data/payment_compliance.html")]
struct CompliancePage {
    layout: Layout,
    r: Arc<ComplianceReturn>,
    query: String,
    note: &'static str,
}

impl CompliancePage {
    fn gbp(&self, m: &Money) -> String {
        m.fmt_gbp()
    }
}

/// `GET /open-data/{org}/payment-compliance`.
async fn compliance_page(
    State(app): State<AppState>,
    user: MaybeUser,
    Path(org): Path<String>,
    Query(range): Query<Range>,
) -> AppResult<Response> {
    let r = uc::compliance(&app.store, &org, range).await?;
    Ok(render(&CompliancePage {
        layout: layout(&user, &format!("Payment compliance: {}", r.council.name)),
        query: query_of(&range),
        note: SPEND_NOTE,
        r,
    }))
}

/// `GET /open-data/{org}/payment-compliance.csv`.
async fn compliance_csv(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Query(range): Query<Range>,
) -> AppResult<Response> {
    let r = uc::compliance(&app.store, &org, range).await?;
    Ok(csv(
        format!("{}-payment-compliance.csv", r.council.slug),
        formats::compliance_csv(&r),
    ))
}

/// `GET /open-data/{org}/payment-compliance.json`.
async fn compliance_json(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Query(range): Query<Range>,
) -> AppResult<Response> {
    let r = uc::compliance(&app.store, &org, range).await?;
    Ok(Json(formats::compliance_json(&r)).into_response())
}

#[derive(Template)]
#[template(path = "open_data/payments_over_30k.html")]
struct PaymentsPage {
    layout: Layout,
    r: Arc<PaymentsReturn>,
    query: String,
    note: &'static str,
}

impl PaymentsPage {
    fn gbp(&self, m: &Money) -> String {
        m.fmt_gbp()
    }
}

/// `GET /open-data/{org}/payments-over-30k`.
async fn payments_page(
    State(app): State<AppState>,
    user: MaybeUser,
    Path(org): Path<String>,
    Query(range): Query<Range>,
) -> AppResult<Response> {
    let r = uc::payments_over_threshold(&app.store, &org, range).await?;
    Ok(render(&PaymentsPage {
        layout: layout(&user, &format!("Payments over £30,000: {}", r.council.name)),
        query: query_of(&range),
        note: SPEND_NOTE,
        r,
    }))
}

/// `GET /open-data/{org}/payments-over-30k.csv`.
async fn payments_csv(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Query(range): Query<Range>,
) -> AppResult<Response> {
    let r = uc::payments_over_threshold(&app.store, &org, range).await?;
    Ok(csv(
        format!("{}-payments-over-30k.csv", r.council.slug),
        formats::payments_csv(&r),
    ))
}

/// `GET /open-data/{org}/payments-over-30k.json`.
async fn payments_json(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Query(range): Query<Range>,
) -> AppResult<Response> {
    let r = uc::payments_over_threshold(&app.store, &org, range).await?;
    Ok(Json(formats::payments_json(&r)).into_response())
}
