//! Partnership pages: the list, one partnership with its members over time, joining and leaving.

use super::{Layout, after_form, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use ngc_app::partnerships::{self as uc, LeaveInput, MemberInput, PartnershipInput};
use ngc_domain::access::{Action, Area};
use ngc_domain::partnership::PartnershipKind;
use ngc_store::organisations::Organisation;
use ngc_store::partnerships::Partnership;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "partnerships/list.html")]
struct ListPage {
    layout: Layout,
    partnerships: Vec<Partnership>,
    today: NaiveDate,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "partnerships/show.html")]
struct ShowPage {
    layout: Layout,
    partnership: Partnership,
    organisations: Vec<Organisation>,
    today: NaiveDate,
    can_manage: bool,
    /// Whether the user may read the partnership's shared-service records.
    can_read_services: bool,
}

#[derive(Template)]
#[template(path = "partnerships/form.html")]
struct FormPage {
    layout: Layout,
    editing: bool,
    form: PartnershipForm,
    kinds: &'static [PartnershipKind],
    organisations: Vec<Organisation>,
    error: Option<AppError>,
}

/// The new-partnership form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartnershipForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    description: String,
}

impl PartnershipForm {
    fn from_partnership(p: &Partnership) -> Self {
        Self {
            slug: p.slug.clone(),
            name: p.name.clone(),
            kind: p.kind.to_string(),
            lead: p.lead.clone().unwrap_or_default(),
            description: p.description.clone(),
        }
    }

    fn input(&self) -> PartnershipInput {
        PartnershipInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            lead: Some(self.lead.clone()),
            description: self.description.clone(),
        }
    }
}

/// The join form.
#[derive(Debug, Deserialize)]
pub struct MemberForm {
    organisation: String,
    joined_on: String,
}

/// The leave form.
#[derive(Debug, Deserialize)]
pub struct LeaveForm {
    left_on: String,
}

fn date(field: &str, value: &str) -> AppResult<NaiveDate> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::invalid(field, format!("`{value}` is not a date: use YYYY-MM-DD")))
}

async fn find(app: &AppState, slug: &str) -> AppResult<Partnership> {
    Ok(uc::find(&app.store, slug).await?)
}

/// `GET /partnerships`.
pub async fn list(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ReadPartnerships)?;
    let layout = Layout::for_user(&user, "Partnerships", Some(Area::Partnerships));
    let partnerships = app.store.list_partnerships().await?;
    let can_manage = user.can(Action::ManagePartnerships);
    Ok(render(&ListPage {
        layout,
        partnerships,
        today: app.store.today(),
        can_manage,
    }))
}

/// `GET /partnerships/{slug}`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    user.require(Action::ReadPartnerships)?;
    let partnership = find(&app, &slug).await?;
    let layout = Layout::for_user(&user, &partnership.name, Some(Area::Partnerships));
    let can_manage = user.can(Action::ManagePartnerships);
    let organisations = if can_manage {
        app.store.list_organisations().await?
    } else {
        Vec::new()
    };
    let today = app.store.today();
    let member = partnership
        .members
        .iter()
        .any(|m| m.organisation_id == user.principal.organisation_id && m.is_active_on(today));
    let can_read_services = partnership.kind == PartnershipKind::SharedService
        && user.can(Action::ReadSharedServices { member });
    Ok(render(&ShowPage {
        layout,
        partnership,
        organisations,
        today,
        can_manage,
        can_read_services,
    }))
}

async fn form_page(
    app: &AppState,
    user: &CurrentUser,
    editing: bool,
    form: PartnershipForm,
    error: Option<AppError>,
) -> AppResult<Response> {
    let title = if editing {
        "Edit partnership"
    } else {
        "New partnership"
    };
    let layout = Layout::for_user(user, title, Some(Area::Partnerships));
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let organisations = app.store.list_organisations().await?;
    let page = FormPage {
        layout,
        editing,
        form,
        kinds: PartnershipKind::ALL,
        organisations,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /partnerships/new`.
pub async fn new(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManagePartnerships)?;
    form_page(&app, &user, false, PartnershipForm::default(), None).await
}

/// `POST /partnerships`.
pub async fn create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<PartnershipForm>,
) -> AppResult<Response> {
    let result = uc::create(&app.store, &user.caller(), form.input())
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |p| format!("/partnerships/{}", p.slug),
        |e| form_page(&app, &user, false, form, Some(e)),
    )
    .await
}

/// `GET /partnerships/{slug}/edit`.
pub async fn edit(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    user.require(Action::ManagePartnerships)?;
    let p = find(&app, &slug).await?;
    form_page(
        &app,
        &user,
        true,
        PartnershipForm::from_partnership(&p),
        None,
    )
    .await
}

/// `POST /partnerships/{slug}`.
pub async fn update(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(mut form): CsrfForm<PartnershipForm>,
) -> AppResult<Response> {
    form.slug = slug.clone();
    let result = uc::update(&app.store, &user.caller(), &slug, form.input())
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |p| format!("/partnerships/{}", p.slug),
        |e| form_page(&app, &user, true, form, Some(e)),
    )
    .await
}

/// `POST /partnerships/{slug}/members`.
pub async fn add_member(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<Response> {
    user.require(Action::ManagePartnerships)?;
    let input = MemberInput {
        organisation: form.organisation,
        joined_on: date("joined_on", &form.joined_on)?,
        left_on: None,
    };
    uc::add_member(&app.store, &user.caller(), &slug, input).await?;
    Ok(Redirect::to(&format!("/partnerships/{slug}")).into_response())
}

/// `POST /partnerships/{slug}/members/{organisation}/leave`.
pub async fn end_membership(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, organisation)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<LeaveForm>,
) -> AppResult<Response> {
    user.require(Action::ManagePartnerships)?;
    let input = LeaveInput {
        left_on: date("left_on", &form.left_on)?,
    };
    uc::end_membership(&app.store, &user.caller(), &slug, &organisation, input).await?;
    Ok(Redirect::to(&format!("/partnerships/{slug}")).into_response())
}
