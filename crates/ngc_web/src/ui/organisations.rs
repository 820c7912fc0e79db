//! Organisation pages: the directory, one organisation, the create and edit forms.

use super::{Layout, after_form, render};
use crate::AppState;
use crate::api::organisations::{OrganisationInput, actor};
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_domain::access::{Action, Area};
use ngc_domain::organisation::{LegalForm, OrgKind};
use ngc_store::organisations::Organisation;
use ngc_store::partnerships::Member;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    layout: Layout,
    organisations: Vec<Organisation>,
    can_create: bool,
}

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct ShowPage {
    layout: Layout,
    organisation: Organisation,
    memberships: Vec<Member>,
    partnership_names: Vec<(i64, String, String)>,
    can_edit: bool,
}

#[derive(Template)]
#[template(path = "organisations/form.html")]
struct FormPage {
    layout: Layout,
    editing: bool,
    form: OrganisationForm,
    kinds: &'static [OrgKind],
    legal_forms: &'static [LegalForm],
    owners: Vec<Organisation>,
    error: Option<AppError>,
}

/// The organisation form as posted (checkboxes are present or absent).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    legal_form: String,
    sme: Option<String>,
    vcse: Option<String>,
    public_service_mutual: Option<String>,
    /// One identifier per line.
    #[serde(default)]
    identifiers: String,
    #[serde(default)]
    owner: String,
}

impl OrganisationForm {
    fn from_organisation(o: &Organisation) -> Self {
        let on = |b: bool| b.then(|| "on".to_owned());
        Self {
            slug: o.slug.clone(),
            name: o.name.clone(),
            kind: o.kind.to_string(),
            legal_form: o.legal_form.to_string(),
            sme: on(o.sme),
            vcse: on(o.vcse),
            public_service_mutual: on(o.public_service_mutual),
            identifiers: o.identifiers.join("\n"),
            owner: o.owner.clone().unwrap_or_default(),
        }
    }

    fn input(&self) -> OrganisationInput {
        OrganisationInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            legal_form: self.legal_form.clone(),
            sme: self.sme.is_some(),
            vcse: self.vcse.is_some(),
            public_service_mutual: self.public_service_mutual.is_some(),
            identifiers: self.identifiers.lines().map(str::to_owned).collect(),
            owner: Some(self.owner.clone()),
        }
    }
}

async fn form_page(
    app: &AppState,
    user: &CurrentUser,
    editing: bool,
    form: OrganisationForm,
    error: Option<AppError>,
) -> AppResult<Response> {
    let title = if editing {
        "Edit organisation"
    } else {
        "New organisation"
    };
    let layout = Layout::for_user(app, user, title, Some(Area::Partnerships)).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let owners = app
        .store
        .list_organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind.is_council())
        .collect();
    let page = FormPage {
        layout,
        editing,
        form,
        kinds: OrgKind::ALL,
        legal_forms: LegalForm::ALL,
        owners,
        error,
    };
    Ok((status, render(&page)).into_response())
}

async fn find(app: &AppState, slug: &str) -> AppResult<Organisation> {
    app.store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation `{slug}`")))
}

/// `GET /organisations`.
pub async fn list(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ReadOrganisations)?;
    let layout = Layout::for_user(&app, &user, "Organisations", Some(Area::Partnerships)).await?;
    let organisations = app.store.list_organisations().await?;
    Ok(render(&ListPage {
        layout,
        organisations,
        can_create: user.can(Action::CreateOrganisation),
    }))
}

/// `GET /organisations/{slug}`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    user.require(Action::ReadOrganisations)?;
    let organisation = find(&app, &slug).await?;
    let memberships = app.store.memberships_of(organisation.id).await?;
    let partnership_names = app
        .store
        .list_partnerships()
        .await?
        .into_iter()
        .map(|p| (p.id, p.slug, p.name))
        .collect();
    let layout =
        Layout::for_user(&app, &user, &organisation.name, Some(Area::Partnerships)).await?;
    let can_edit = user.can(Action::UpdateOrganisation(organisation.id));
    Ok(render(&ShowPage {
        layout,
        organisation,
        memberships,
        partnership_names,
        can_edit,
    }))
}

/// `GET /organisations/new`.
pub async fn new(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::CreateOrganisation)?;
    form_page(&app, &user, false, OrganisationForm::default(), None).await
}

/// `POST /organisations`.
pub async fn create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<OrganisationForm>,
) -> AppResult<Response> {
    user.require(Action::CreateOrganisation)?;
    let result = async {
        let draft = form.input().into_draft()?;
        Ok::<_, AppError>(app.store.create_organisation(&draft, &actor(&user)).await?)
    }
    .await;
    after_form(
        result,
        |org| format!("/organisations/{}", org.slug),
        |e| form_page(&app, &user, false, form, Some(e)),
    )
    .await
}

/// `GET /organisations/{slug}/edit`.
pub async fn edit(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let org = find(&app, &slug).await?;
    user.require(Action::UpdateOrganisation(org.id))?;
    form_page(
        &app,
        &user,
        true,
        OrganisationForm::from_organisation(&org),
        None,
    )
    .await
}

/// `POST /organisations/{slug}`.
pub async fn update(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(mut form): CsrfForm<OrganisationForm>,
) -> AppResult<Response> {
    let org = find(&app, &slug).await?;
    user.require(Action::UpdateOrganisation(org.id))?;
    form.slug = slug.clone();
    let result = async {
        let draft = form.input().into_draft()?;
        Ok::<_, AppError>(
            app.store
                .update_organisation(&slug, &draft, &actor(&user))
                .await?,
        )
    }
    .await;
    after_form(
        result,
        |org| format!("/organisations/{}", org.slug),
        |e| form_page(&app, &user, true, form, Some(e)),
    )
    .await
}
