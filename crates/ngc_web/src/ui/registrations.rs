//! Suppliers' registrations for the instance administrator: each pending one with the
//! facts it claims, a form to correct them and verify, or to refuse with a note; the
//! decisions made.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::supplier_registrations::{self as uc, SupplierDecisionInput};
use ngc_domain::access::{Action, Area};
use ngc_domain::organisation::{LegalForm, Scheme, VerificationStatus};
use ngc_store::supplier_registrations::SupplierRegistration;
use serde::Deserialize;

/// How many decided registrations the page lists.
const DECIDED_SHOWN: usize = 20;

#[derive(Template)]
#[template(path = "admin/registrations.html")]
struct RegistrationsPage {
    layout: Layout,
    pending: Vec<PendingCard>,
    decided: Vec<SupplierRegistration>,
    legal_forms: Vec<LegalForm>,
    /// A complaint about a registration no longer pending (decided meanwhile).
    error: Option<AppError>,
}

/// A pending registration with its decision form (as claimed, or as posted after an error).
struct PendingCard {
    registration: SupplierRegistration,
    /// Each claimed identifier, with a link to its public register where there is one.
    identifiers: Vec<(String, Option<String>)>,
    form: DecisionForm,
    error: Option<AppError>,
}

/// The decision form: the facts to verify (as claimed unless corrected), a note, and the
/// button pressed. The flags count only when the form says it carries the facts (`facts`),
/// as an unticked box is absent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    /// `verify` or `refuse`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    facts: Option<String>,
    slug: Option<String>,
    name: Option<String>,
    legal_form: Option<String>,
    sme: Option<String>,
    vcse: Option<String>,
    public_service_mutual: Option<String>,
    /// One per line.
    identifiers: Option<String>,
}

impl DecisionForm {
    fn claimed(r: &SupplierRegistration) -> Self {
        let on = |b: bool| b.then(|| "on".to_owned());
        let ids: Vec<String> = r
            .facts
            .identifiers
            .iter()
            .map(ToString::to_string)
            .collect();
        Self {
            decision: String::new(),
            note: String::new(),
            facts: Some("on".into()),
            slug: Some(r.facts.slug.to_string()),
            name: Some(r.facts.name.clone()),
            legal_form: Some(r.facts.legal_form.to_string()),
            sme: on(r.facts.sme),
            vcse: on(r.facts.vcse),
            public_service_mutual: on(r.facts.public_service_mutual),
            identifiers: Some(ids.join("\n")),
        }
    }

    fn input(&self) -> AppResult<SupplierDecisionInput> {
        let verify = match self.decision.as_str() {
            "verify" => true,
            "refuse" => false,
            other => {
                return Err(AppError::invalid(
                    "decision",
                    format!("`{other}`: verify or refuse"),
                ));
            }
        };
        let flags = self.facts.is_some();
        let flag = |f: &Option<String>| flags.then_some(f.is_some());
        Ok(SupplierDecisionInput {
            verify,
            note: self.note.clone(),
            slug: self.slug.clone(),
            name: self.name.clone(),
            legal_form: self.legal_form.clone(),
            sme: flag(&self.sme),
            vcse: flag(&self.vcse),
            public_service_mutual: flag(&self.public_service_mutual),
            identifiers: self
                .identifiers
                .as_ref()
                .map(|s| s.lines().map(str::to_owned).collect()),
        })
    }
}

/// The Companies House page of a company number; other registers have no stable address
/// by identifier.
fn register_link(id: &ngc_domain::organisation::OrgId) -> Option<String> {
    (id.scheme() == Scheme::CompaniesHouse).then(|| {
        format!(
            "https://find-and-update.company-information.service.gov.uk/company/{}",
            id.identifier()
        )
    })
}

async fn registrations_page(
    app: &AppState,
    user: &CurrentUser,
    posted: Option<(i64, DecisionForm, AppError)>,
) -> AppResult<Response> {
    let caller = user.caller();
    let pending = uc::list(&app.store, &caller, Some(VerificationStatus::Pending)).await?;
    let decided = uc::list(&app.store, &caller, None)
        .await?
        .into_iter()
        .filter(|r| r.status != VerificationStatus::Pending)
        .take(DECIDED_SHOWN)
        .collect();
    let status = posted
        .as_ref()
        .map_or(StatusCode::OK, |(_, _, e)| e.status());
    let mut posted = posted;
    let pending = pending
        .into_iter()
        .map(|registration| {
            let (form, error) = match posted.take() {
                Some((id, form, e)) if id == registration.id => (form, Some(e)),
                other => {
                    posted = other;
                    (DecisionForm::claimed(&registration), None)
                }
            };
            PendingCard {
                identifiers: registration
                    .facts
                    .identifiers
                    .iter()
                    .map(|id| (id.to_string(), register_link(id)))
                    .collect(),
                registration,
                form,
                error,
            }
        })
        .collect::<Vec<_>>();
    let page = RegistrationsPage {
        layout: Layout::for_user(user, "Supplier registrations", Some(Area::Admin)),
        pending,
        decided,
        error: posted.map(|(_, _, e)| e),
        legal_forms: LegalForm::ALL
            .iter()
            .copied()
            .filter(|f| *f != LegalForm::LocalAuthority)
            .collect(),
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /admin/registrations`.
pub async fn list(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::VerifySupplierRegistrations)?;
    registrations_page(&app, &user, None).await
}

/// `POST /admin/registrations/{id}/decision`: verify with the facts as shown (corrected or
/// not), or refuse with the note; a complaint shows the page again at that registration.
pub async fn decide(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    user.require(Action::VerifySupplierRegistrations)?;
    let result = match form.input() {
        Ok(input) => uc::decide(&app.store, &user.caller(), id, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/registrations").into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            registrations_page(&app, &user, Some((id, form, e))).await
        }
        Err(e) => Err(e),
    }
}
