//! The consolidation page of a partnership (`/partnerships/{slug}/consolidation`): a GET form
//! for category, key, year and rate; the contracts, aggregate, window, saving and shares; the
//! joint tenders started from analyses; and, for commissioners of a council in the key, a form
//! that starts a draft joint tender. The same use cases as the API
//! (`ngc_app::joint_working`); works without JavaScript.

use super::procurement::instant;
use super::{Layout, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveTime};
use ngc_app::joint_working::{self as uc, AnalysisQuery, AnalysisView, StartTenderInput};
use ngc_app::tenders::{LotInput, TenderInput};
use ngc_domain::access::Area;
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::joint_working::{Key, Step};
use ngc_store::joint_working::JointTender;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "partnerships/consolidation.html")]
struct ConsolidationPage {
    layout: Layout,
    slug: String,
    name: String,
    query: AnalysisQuery,
    keys: &'static [Key],
    view: Option<Arc<AnalysisView>>,
    error: Option<AppError>,
    tenders: Vec<JointTender>,
    /// The reader's council's savings linked to the partnership's programme.
    linked: Vec<uc::LinkedSaving>,
    may_start: bool,
    start: StartForm,
}

impl ConsolidationPage {
    fn basis(&self, s: &ngc_domain::joint_working::Saving) -> String {
        match s.basis {
            ngc_domain::joint_working::RateBasis::Set => "the rate set here".into(),
            ngc_domain::joint_working::RateBasis::Derived { tenders } => format!(
                "the rate {tenders} past joint tender{} achieved",
                if tenders == 1 { "" } else { "s" }
            ),
        }
    }

    fn money(&self, pence: &i64) -> String {
        ngc_domain::money::Money::pence(*pence).fmt_gbp()
    }

    fn step(&self, s: &Step) -> String {
        match *s {
            Step::Ends { on } => format!("Ends {on}"),
            Step::ExtendByOption { to, days } => {
                format!("Extended by option to {to} ({days} days)")
            }
            Step::ExtendBeyondOptions { to, days } => {
                format!("Extended beyond its options to {to} ({days} days)")
            }
            Step::EndEarly { on, days } => format!("Ended early on {on} ({days} days early)"),
            Step::EndByNotice { on } => format!("Ended by notice on {on}"),
        }
    }
}

/// The start-a-joint-tender form, with the analysis's query in hidden fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    rate: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    estimated_value: String,
    #[serde(default)]
    submission_deadline: String,
}

impl StartForm {
    fn query(&self) -> AnalysisQuery {
        AnalysisQuery {
            category: self.category.clone(),
            key: self.key.clone(),
            year: self.year.clone(),
            rate: Some(self.rate.clone()),
        }
    }
}

/// The financial year a day falls in (`2026-27` from 1 April 2026).
fn this_year(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let start = if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    };
    u16::try_from(start)
        .ok()
        .and_then(|y| FinancialYear::starting(y).ok())
        .map(|y| y.to_string())
        .unwrap_or_default()
}

/// The query's defaults: waste collection, by tax base, this financial year.
fn defaults(app: &AppState) -> AnalysisQuery {
    AnalysisQuery {
        category: "90511000".into(),
        key: Key::TaxBase.as_str().into(),
        year: this_year(app.store.today()),
        rate: None,
    }
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    slug: &str,
    query: Option<AnalysisQuery>,
    start: Option<(StartForm, AppError)>,
) -> AppResult<Response> {
    let caller = user.caller();
    // Authorises: the staff of a current member only.
    let tenders = uc::tenders(&app.store, &caller, slug).await?;
    let partnership = ngc_app::partnerships::find(&app.store, slug).await?;
    let linked = uc::linked_savings(&app.store, &caller, slug).await?;
    let asked = query.is_some();
    let query = query.unwrap_or_else(|| defaults(app));
    let (view, mut error) = if asked {
        match uc::analyse(&app.store, &caller, slug, &query).await {
            Ok(v) => (Some(v), None),
            Err(e) => match AppError::from(e) {
                e @ AppError::Invalid { .. } => (None, Some(e)),
                e => return Err(e),
            },
        }
    } else {
        (None, None)
    };
    let may_start = match &view {
        Some(v) => uc::may_start(&app.store, &caller, v).await?,
        None => false,
    };
    let (start, start_error) = match start {
        Some((form, e)) => (form, Some(e)),
        None => {
            let deadline = app
                .store
                .today()
                .checked_add_days(Days::new(35))
                .unwrap_or(app.store.today());
            let value = view
                .as_ref()
                .map(|v| v.analysis.aggregate_value.to_string())
                .unwrap_or_default();
            (
                StartForm {
                    category: query.category.clone(),
                    key: query.key.clone(),
                    year: query.year.clone(),
                    rate: query.rate.clone().unwrap_or_default(),
                    reference: String::new(),
                    title: view
                        .as_ref()
                        .and_then(|v| v.analysis.function)
                        .map(|f| {
                            format!(
                                "Joint {} for {}",
                                f.function.to_lowercase(),
                                partnership.name
                            )
                        })
                        .unwrap_or_default(),
                    estimated_value: value,
                    submission_deadline: deadline
                        .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
                        .format("%Y-%m-%dT%H:%M")
                        .to_string(),
                },
                None,
            )
        }
    };
    if start_error.is_some() {
        error = start_error;
    }
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let layout = Layout::for_user(
        user,
        &format!("{}: consolidation", partnership.name),
        Some(Area::Partnerships),
    );
    Ok((
        status,
        render(&ConsolidationPage {
            layout,
            slug: partnership.slug,
            name: partnership.name,
            query,
            keys: Key::ALL,
            view,
            error,
            tenders,
            linked,
            may_start,
            start,
        }),
    )
        .into_response())
}

/// The analysis form's fields, all optional: without a category only the form is shown.
#[derive(Debug, Default, Deserialize)]
pub struct QueryForm {
    category: Option<String>,
    key: Option<String>,
    year: Option<String>,
    rate: Option<String>,
}

/// `GET /partnerships/{slug}/consolidation`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<QueryForm>,
) -> AppResult<Response> {
    let query = q.category.map(|category| AnalysisQuery {
        category,
        key: q.key.unwrap_or_default(),
        year: q.year.unwrap_or_default(),
        rate: q.rate,
    });
    page(&app, &user, &slug, query, None).await
}

/// `POST /partnerships/{slug}/joint-tenders`: starts a draft joint tender from the analysis
/// and shows it; a refused field comes back on the page with its status.
pub async fn start(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<StartForm>,
) -> AppResult<Response> {
    let deadline = match instant("tender.submission_deadline", &form.submission_deadline) {
        Ok(d) => d,
        Err(e) => return page(&app, &user, &slug, Some(form.query()), Some((form, e))).await,
    };
    let input = StartTenderInput {
        analysis: form.query(),
        tender: TenderInput {
            reference: form.reference.clone(),
            title: form.title.clone(),
            description: String::new(),
            classification_scheme: "cpv".into(),
            classification_code: form.category.clone(),
            contract_type: "services".into(),
            procedure: "open".into(),
            commencing_event: None,
            commenced_on: None,
            estimated_value: form.estimated_value.clone(),
            vat_inclusive: false,
            reservation: None,
            two_envelope: false,
            criteria: serde_json::Value::Null,
            clarification_deadline: None,
            submission_deadline: deadline,
            buyers: Vec::new(),
            lots: vec![LotInput {
                title: form.title.clone(),
                description: String::new(),
                estimated_value: form.estimated_value.clone(),
                criteria: None,
            }],
        },
    };
    match uc::start_tender(&app.store, &user.caller(), &slug, input).await {
        Ok(t) => Ok(Redirect::to(&format!("/procurement/tenders/{}", t.id)).into_response()),
        Err(e) => match AppError::from(e) {
            e @ (AppError::Invalid { .. } | AppError::Conflict(_)) => {
                page(&app, &user, &slug, Some(form.query()), Some((form, e))).await
            }
            e => Err(e),
        },
    }
}
