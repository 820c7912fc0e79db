//! Open data: the Local Government Transparency Code datasets each organisation publishes,
//! made from its own records. No sign-in.
//!
//! - `/open-data`: the councils, with their datasets and returns.
//! - `/open-data/{org}`: an organisation's datasets by financial year, each as CSV, JSON and
//!   CSVW metadata, the payment performance returns, and the redaction rules.
//! - `/open-data/{org}/datasets/{dataset}?from=&to=&format=csv|json|csvw`: one dataset
//!   (`spend`, `card`, `contracts`, `tenders`, `grants`), the same bytes as `ngc export
//!   transparency`.
//!
//! Each handler calls `ngc_app::transparency` and renders what it returns.

use super::{Layout, Pages, render};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use ngc_app::UseCaseError;
use ngc_app::transparency::{self as uc, Format};
use ngc_domain::access::Area;
use ngc_domain::transparency::{Dataset, Period, RedactionRule, redaction_rules};
use serde::Deserialize;

/// The routes of the open-data area.
pub(super) fn routes(pages: Pages) -> Pages {
    pages
        .get("/open-data", index)
        .get("/open-data/{org}", organisation)
        .get("/open-data/{org}/datasets/{dataset}", dataset)
}

fn layout(user: &MaybeUser, title: &str) -> Layout {
    match &user.0 {
        Some(u) => Layout::for_user(u, title, Some(Area::OpenData)),
        None => Layout::bare(title),
    }
}

/// A council on the index.
struct Publisher {
    slug: String,
    name: String,
    kind: &'static str,
}

#[derive(Template)]
#[template(path = "open_data/index.html")]
struct IndexPage {
    layout: Layout,
    councils: Vec<Publisher>,
}

/// `GET /open-data`.
async fn index(State(app): State<AppState>, user: MaybeUser) -> AppResult<Response> {
    let councils = app
        .store
        .list_organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind.is_council())
        .map(|o| Publisher {
            slug: o.slug,
            name: o.name,
            kind: o.kind.label(),
        })
        .collect();
    Ok(render(&IndexPage {
        layout: layout(&user, "Open data"),
        councils,
    }))
}

/// One financial year's downloads.
struct Year {
    label: String,
    query: String,
}

#[derive(Template)]
#[template(path = "open_data/organisation.html")]
struct OrganisationPage {
    layout: Layout,
    slug: String,
    name: String,
    /// The org-id 360Giving names the funder by; empty when the organisation has none.
    org_id: String,
    years: Vec<Year>,
    datasets: &'static [Dataset],
    rules: &'static [RedactionRule],
}

/// `GET /open-data/{org}`.
async fn organisation(
    State(app): State<AppState>,
    user: MaybeUser,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let (o, publisher) = uc::publisher_of(&app.store, &org).await?;
    let years = uc::years(&app.store, &o.slug, app.store.today())
        .await?
        .into_iter()
        .map(|p| Year {
            label: p.label(),
            query: format!("from={}&amp;to={}", p.from, p.to),
        })
        .collect();
    Ok(render(&OrganisationPage {
        layout: layout(&user, &format!("Open data: {}", o.name)),
        slug: o.slug,
        name: o.name,
        org_id: publisher.org_id,
        years,
        datasets: Dataset::ALL,
        rules: redaction_rules(),
    }))
}

/// `?from=&to=&format=`.
#[derive(Debug, Deserialize)]
struct DatasetQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    /// `csv` (the default), `json` or `csvw` (the CSV's metadata).
    format: Option<String>,
}

/// `GET /open-data/{org}/datasets/{dataset}`.
async fn dataset(
    State(app): State<AppState>,
    Path((org, which)): Path<(String, String)>,
    Query(q): Query<DatasetQuery>,
) -> AppResult<Response> {
    let dataset: Dataset = which
        .parse()
        .map_err(|_| AppError::from(UseCaseError::NotFound(format!("dataset `{which}`"))))?;
    let period = Period::asked(q.from, q.to, app.store.today());
    let format = match q.format.as_deref().unwrap_or("csv") {
        "csv" => Format::Csv,
        "json" => Format::Json,
        "csvw" => {
            let url = format!(
                "/open-data/{org}/datasets/{dataset}?from={}&to={}",
                period.from, period.to
            );
            let m = uc::csvw(&app.store, &org, dataset, &url).await?;
            return Ok(Json(m).into_response());
        }
        other => {
            return Err(UseCaseError::invalid(
                "format",
                format!("`{other}` is not csv, json or csvw"),
            )
            .into());
        }
    };
    let mut body = Vec::new();
    let written = uc::write(&app.store, &org, dataset, period, format, &mut body).await?;
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Json => "application/json",
    };
    let name = uc::file_name(org.trim(), dataset, period, format);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (
                header::HeaderName::from_static("x-redacted"),
                written.redactions.total().to_string(),
            ),
        ],
        body,
    )
        .into_response())
}
