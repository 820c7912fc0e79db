//! A shared-service partnership's records for its partners: the recharge statement of a year,
//! the savings over the years (chart and table) with the published figures, the exits; and
//! acting for the partnership. For the lead council's finance officers, forms that enter a
//! service's year, restore an earlier version of one and record an exit, calling the same use
//! cases as the API.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::charts::{self, SavingsPoint};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use ngc_app::shared_services::{self as uc, ExitInput, FeeInput, Overview, YearInput};
use ngc_domain::access::Area;
use ngc_domain::finance::FinancialYear;
use ngc_domain::shared_services::Basis;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "partnerships/shared_services.html")]
struct Page {
    layout: Layout,
    view: Overview,
    chart: String,
    acting: bool,
    /// What went wrong with a form, and which (`enter`, `restore`, `exit`).
    error: Option<(&'static str, AppError)>,
    /// The year form as last sent.
    entry: EntryForm,
    exit: ExitForm,
    bases: &'static [Basis],
}

impl Page {
    /// A member's name, by its slug.
    fn name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.view
            .partnership
            .members
            .iter()
            .find(|m| m.organisation == slug)
            .map_or(slug, |m| m.organisation_name.as_str())
    }

    /// The error of form `which`, if it went wrong.
    fn error_of(&self, which: &str) -> Option<&AppError> {
        self.error
            .as_ref()
            .filter(|(w, _)| *w == which)
            .map(|(_, e)| e)
    }

    /// Every partner, past and present, for the year form's weights: (slug, name).
    fn partners(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = self
            .view
            .partnership
            .members
            .iter()
            .map(|m| (m.organisation.as_str(), m.organisation_name.as_str()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn weight(&self, slug: &str) -> &str {
        self.entry
            .fields
            .get(&format!("weight_{slug}"))
            .map_or("", String::as_str)
    }

    fn fee(&self, part: &str, i: &usize) -> &str {
        self.entry
            .fields
            .get(&format!("fee_{part}_{i}"))
            .map_or("", String::as_str)
    }

    fn pence(&self, pence: &i64) -> String {
        ngc_domain::money::Money::pence(*pence).fmt_gbp()
    }
}

/// The year asked for.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

/// An action form with only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct ActForm {}

/// The enter-a-year form: service, year, pool, basis, source and confirmed, a
/// `weight_{slug}` field per partner and `fee_client_{i}` / `fee_amount_{i}` rows.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntryForm {
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

/// How many fee rows the form offers.
const FEE_ROWS: usize = 3;

impl EntryForm {
    fn get(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    fn input(&self) -> YearInput {
        YearInput {
            service: self.get("service"),
            year: self.get("year"),
            pool: self.get("pool"),
            basis: self.get("basis"),
            weights: self
                .fields
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("weight_").map(|s| (s.to_owned(), v.clone())))
                .collect(),
            fees: (0..FEE_ROWS)
                .map(|i| FeeInput {
                    client: self.get(&format!("fee_client_{i}")),
                    amount: self.get(&format!("fee_amount_{i}")),
                })
                .collect(),
            source: self.get("source"),
            confirmed: self.get("confirmed") == "yes",
        }
    }
}

/// The record-an-exit form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExitForm {
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    notice_given_on: String,
    #[serde(default)]
    left_on: String,
    #[serde(default)]
    exit_cost: String,
    #[serde(default)]
    reason: String,
}

fn date(field: &str, text: &str) -> AppResult<NaiveDate> {
    text.trim().parse::<NaiveDate>().map_err(|_| {
        AppError::invalid(
            field,
            format!("`{}` is not a date (yyyy-mm-dd)", text.trim()),
        )
    })
}

impl ExitForm {
    fn input(&self) -> AppResult<ExitInput> {
        Ok(ExitInput {
            organisation: self.organisation.clone(),
            service: Some(self.service.clone()),
            notice_given_on: date("notice_given_on", &self.notice_given_on)?,
            left_on: date("left_on", &self.left_on)?,
            exit_cost: Some(self.exit_cost.clone()),
            reason: self.reason.clone(),
        })
    }
}

fn year_of(text: Option<&str>) -> AppResult<Option<FinancialYear>> {
    match text.map(str::trim).filter(|y| !y.is_empty()) {
        Some(text) => text
            .parse::<FinancialYear>()
            .map(Some)
            .map_err(|e| AppError::invalid("year", e.to_string())),
        None => Ok(None),
    }
}

/// Renders the page for `year`, with a form's error and what was entered.
async fn page(
    app: &AppState,
    user: &CurrentUser,
    slug: &str,
    year: Option<FinancialYear>,
    error: Option<(&'static str, AppError)>,
    entry: EntryForm,
    exit: ExitForm,
) -> AppResult<Response> {
    let view = uc::overview(&app.store, &user.caller(), slug, year).await?;
    let points: Vec<SavingsPoint> = view
        .savings
        .view
        .years
        .iter()
        .map(|y| SavingsPoint {
            year: y.year.to_string(),
            saving: y.saving,
            cumulative: y.cumulative,
        })
        .collect();
    let acting = user
        .session
        .as_ref()
        .and_then(|s| s.acting.as_ref())
        .is_some_and(|a| a.slug == view.partnership.slug);
    let layout = Layout::for_user(
        user,
        &format!("{}: shared services", view.partnership.name),
        Some(Area::Partnerships),
    );
    let status = error.as_ref().map_or(StatusCode::OK, |(_, e)| e.status());
    Ok((
        status,
        render(&Page {
            layout,
            chart: charts::savings(&points),
            view,
            acting,
            error,
            entry,
            exit,
            bases: Basis::ALL,
        }),
    )
        .into_response())
}

/// `GET /partnerships/{slug}/shared-services`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let year = year_of(q.year.as_deref())?;
    page(
        &app,
        &user,
        &slug,
        year,
        None,
        EntryForm::default(),
        ExitForm::default(),
    )
    .await
}

/// Where the page shows a year's figures.
fn year_page(slug: &str, year: &str) -> String {
    format!(
        "/partnerships/{slug}/shared-services?year={}#statement",
        year.trim()
    )
}

/// `POST /partnerships/{slug}/shared-services/years`: enter a service's figures for a year.
pub async fn enter_year(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> AppResult<Response> {
    match uc::enter_year(&app.store, &user.caller(), &slug, &form.input()).await {
        Ok(_) => Ok(Redirect::to(&year_page(&slug, &form.get("year"))).into_response()),
        Err(e) => match AppError::from(e) {
            e @ (AppError::Invalid { .. } | AppError::Conflict(_)) => {
                let year = year_of(Some(&form.get("year"))).ok().flatten();
                page(
                    &app,
                    &user,
                    &slug,
                    year,
                    Some(("enter", e)),
                    form,
                    ExitForm::default(),
                )
                .await
            }
            e => Err(e),
        },
    }
}

/// The restore form: the year shown, to come back to.
#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    #[serde(default)]
    year: String,
}

/// `POST /partnerships/{slug}/shared-services/versions/{id}/restore`: make an earlier version
/// of a service's year current again.
pub async fn restore_version(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> AppResult<Response> {
    match uc::restore_version(&app.store, &user.caller(), &slug, id).await {
        Ok(_) => Ok(Redirect::to(&year_page(&slug, &form.year)).into_response()),
        Err(e) => match AppError::from(e) {
            e @ (AppError::Invalid { .. } | AppError::Conflict(_)) => {
                let year = year_of(Some(&form.year)).ok().flatten();
                let (entry, exit) = (EntryForm::default(), ExitForm::default());
                page(&app, &user, &slug, year, Some(("restore", e)), entry, exit).await
            }
            e => Err(e),
        },
    }
}

/// `POST /partnerships/{slug}/shared-services/exits`: record a partner leaving, or
/// repatriating one service.
pub async fn record_exit(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<ExitForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => uc::record_exit(&app.store, &user.caller(), &slug, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/partnerships/{slug}/shared-services#exits")).into_response(),
        ),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            page(
                &app,
                &user,
                &slug,
                None,
                Some(("exit", e)),
                EntryForm::default(),
                form,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

fn session_secret(user: &CurrentUser) -> AppResult<&str> {
    user.session
        .as_ref()
        .map(|s| s.secret.as_str())
        .ok_or_else(|| {
            AppError::invalid(
                "session",
                "acting for a partnership needs a signed-in session",
            )
        })
}

/// `POST /partnerships/{slug}/act`: this session acts for the partnership.
pub async fn act_for(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(_): CsrfForm<ActForm>,
) -> AppResult<Response> {
    uc::act_for(
        &app.store,
        &user.caller(),
        session_secret(&user)?,
        Some(&slug),
    )
    .await?;
    Ok(Redirect::to(&format!("/partnerships/{slug}/shared-services")).into_response())
}

/// `POST /act/stop`: this session acts for the user's own organisation again.
pub async fn stop_acting(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(_): CsrfForm<ActForm>,
) -> AppResult<Response> {
    uc::act_for(&app.store, &user.caller(), session_secret(&user)?, None).await?;
    Ok(Redirect::to("/").into_response())
}
