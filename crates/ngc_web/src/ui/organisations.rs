//! Organisation pages: the directory, one organisation with its registration history, the
//! create and edit forms, registration change requests and their decisions.

use super::{Layout, after_form, render};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::organisations::{
    self as uc, ContactInput, DecisionInput, OrganisationInput, OrganisationPatch,
    RegistrationInput, RegistrationRequestInput,
};
use ngc_domain::access::{Action, Area};
use ngc_domain::organisation::{LegalForm, OrgKind};
use ngc_store::organisations::Organisation;
use ngc_store::partnerships::Member;
use ngc_store::registration::RegistrationRequest;
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
    /// The registration history, for those who may read it.
    requests: Option<Vec<RegistrationRequest>>,
    /// Whether the user may ask for a registration change (and cannot simply make it).
    can_request: bool,
    can_decide: bool,
    kinds: &'static [OrgKind],
    legal_forms: &'static [LegalForm],
    owners: Vec<Organisation>,
    error: Option<AppError>,
}

#[derive(Template)]
#[template(path = "organisations/form.html")]
struct FormPage {
    layout: Layout,
    editing: bool,
    /// Whether the registration facts are editable here (instance administrators).
    registration: bool,
    form: OrganisationForm,
    kinds: &'static [OrgKind],
    legal_forms: &'static [LegalForm],
    owners: Vec<Organisation>,
    error: Option<AppError>,
}

/// The organisation form as posted. Checkboxes are present or absent, so they count only
/// when the form says it carries the registration facts (`registration`); a field left out
/// stays as it is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    slug: String,
    name: Option<String>,
    kind: Option<String>,
    legal_form: Option<String>,
    sme: Option<String>,
    vcse: Option<String>,
    public_service_mutual: Option<String>,
    /// One identifier per line.
    identifiers: Option<String>,
    owner: Option<String>,
    /// Present when the form carries the registration facts.
    registration: Option<String>,
    description: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    website: Option<String>,
    address: Option<String>,
}

fn text(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or_default()
}

impl OrganisationForm {
    fn from_organisation(o: &Organisation) -> Self {
        let on = |b: bool| b.then(|| "on".to_owned());
        Self {
            slug: o.slug.clone(),
            name: Some(o.name.clone()),
            kind: Some(o.kind.to_string()),
            legal_form: Some(o.legal_form.to_string()),
            sme: on(o.sme),
            vcse: on(o.vcse),
            public_service_mutual: on(o.public_service_mutual),
            identifiers: Some(o.identifiers.join("\n")),
            owner: Some(o.owner.clone().unwrap_or_default()),
            registration: Some("on".into()),
            description: Some(o.contact.description.clone()),
            contact_email: Some(o.contact.email.clone()),
            contact_phone: Some(o.contact.phone.clone()),
            website: Some(o.contact.website.clone()),
            address: Some(o.contact.address.clone()),
        }
    }

    fn contact(&self) -> ContactInput {
        ContactInput {
            description: self.description.clone(),
            contact_email: self.contact_email.clone(),
            contact_phone: self.contact_phone.clone(),
            website: self.website.clone(),
            address: self.address.clone(),
        }
    }

    fn input(&self) -> OrganisationInput {
        OrganisationInput {
            slug: self.slug.clone(),
            name: text(&self.name).to_owned(),
            kind: text(&self.kind).to_owned(),
            legal_form: text(&self.legal_form).to_owned(),
            sme: self.sme.is_some(),
            vcse: self.vcse.is_some(),
            public_service_mutual: self.public_service_mutual.is_some(),
            identifiers: text(&self.identifiers).lines().map(str::to_owned).collect(),
            owner: self.owner.clone(),
            contact: self.contact(),
        }
    }

    fn patch(&self) -> OrganisationPatch {
        let flags = self.registration.is_some();
        let flag = |f: &Option<String>| flags.then_some(f.is_some());
        OrganisationPatch {
            registration: RegistrationInput {
                name: self.name.clone(),
                kind: self.kind.clone(),
                legal_form: self.legal_form.clone(),
                sme: flag(&self.sme),
                vcse: flag(&self.vcse),
                public_service_mutual: flag(&self.public_service_mutual),
                identifiers: self
                    .identifiers
                    .as_ref()
                    .map(|s| s.lines().map(str::to_owned).collect()),
                owner: self.owner.clone(),
            },
            contact: self.contact(),
        }
    }
}

async fn councils(app: &AppState) -> AppResult<Vec<Organisation>> {
    Ok(app
        .store
        .list_organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind.is_council())
        .collect())
}

async fn form_page(
    app: &AppState,
    user: &CurrentUser,
    editing: Option<&Organisation>,
    form: OrganisationForm,
    error: Option<AppError>,
) -> AppResult<Response> {
    let title = if editing.is_some() {
        "Edit organisation"
    } else {
        "New organisation"
    };
    let registration = match editing {
        Some(org) => user.can(Action::ChangeRegistration(org.id)),
        None => true,
    };
    let layout = Layout::for_user(user, title, Some(Area::Partnerships));
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = FormPage {
        layout,
        editing: editing.is_some(),
        registration,
        form,
        kinds: OrgKind::ALL,
        legal_forms: LegalForm::ALL,
        owners: councils(app).await?,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /organisations`.
pub async fn list(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ReadOrganisations)?;
    let layout = Layout::for_user(&user, "Organisations", Some(Area::Partnerships));
    let organisations = app.store.list_organisations().await?;
    Ok(render(&ListPage {
        layout,
        organisations,
        can_create: user.can(Action::CreateOrganisation),
    }))
}

async fn show_page(
    app: &AppState,
    user: &CurrentUser,
    organisation: Organisation,
    error: Option<AppError>,
) -> AppResult<Response> {
    let memberships = app.store.memberships_of(organisation.id).await?;
    let partnership_names = app
        .store
        .list_partnerships()
        .await?
        .into_iter()
        .map(|p| (p.id, p.slug, p.name))
        .collect();
    let layout = Layout::for_user(user, &organisation.name, Some(Area::Partnerships));
    let id = organisation.id;
    let requests = if user.can(Action::ReadRegistrationRequests(id)) {
        Some(app.store.registration_requests_of(id).await?)
    } else {
        None
    };
    let can_request = user.can(Action::RequestRegistrationChange(id))
        && !user.can(Action::ChangeRegistration(id));
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = ShowPage {
        layout,
        can_edit: user.can(Action::UpdateOrganisationDetails(id)),
        requests,
        can_request,
        can_decide: user.can(Action::DecideRegistrationChange),
        kinds: OrgKind::ALL,
        legal_forms: LegalForm::ALL,
        owners: if can_request {
            councils(app).await?
        } else {
            Vec::new()
        },
        organisation,
        memberships,
        partnership_names,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /organisations/{slug}`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    user.require(Action::ReadOrganisations)?;
    let organisation = uc::find(&app.store, &slug).await?;
    show_page(&app, &user, organisation, None).await
}

/// `GET /organisations/new`.
pub async fn new(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::CreateOrganisation)?;
    form_page(&app, &user, None, OrganisationForm::default(), None).await
}

/// `POST /organisations`.
pub async fn create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<OrganisationForm>,
) -> AppResult<Response> {
    let result = uc::create(&app.store, &user.caller(), form.input()).await;
    after_form(
        result.map_err(AppError::from),
        |org| format!("/organisations/{}", org.slug),
        |e| form_page(&app, &user, None, form, Some(e)),
    )
    .await
}

/// `GET /organisations/{slug}/edit`.
pub async fn edit(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let org = uc::find(&app.store, &slug).await?;
    user.require(Action::UpdateOrganisationDetails(org.id))?;
    let form = OrganisationForm::from_organisation(&org);
    form_page(&app, &user, Some(&org), form, None).await
}

/// `POST /organisations/{slug}`: the contact details, and the registration facts for an
/// instance administrator.
pub async fn update(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(mut form): CsrfForm<OrganisationForm>,
) -> AppResult<Response> {
    let result = uc::update(&app.store, &user.caller(), &slug, form.patch()).await;
    let org = match &result {
        Err(ngc_app::UseCaseError::Invalid { .. } | ngc_app::UseCaseError::Conflict(_)) => {
            Some(uc::find(&app.store, &slug).await?)
        }
        _ => None,
    };
    form.slug = slug.clone();
    after_form(
        result.map_err(AppError::from),
        |org| format!("/organisations/{}", org.slug),
        |e| form_page(&app, &user, org.as_ref(), form, Some(e)),
    )
    .await
}

/// The registration change request form. Blank fields stay as they are.
#[derive(Debug, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    legal_form: String,
    /// `yes`, `no`, or blank for unchanged.
    #[serde(default)]
    sme: String,
    #[serde(default)]
    vcse: String,
    #[serde(default)]
    public_service_mutual: String,
    /// One per line; blank for unchanged.
    #[serde(default)]
    identifiers: String,
    /// A council's slug, `none` for no owner, or blank for unchanged.
    #[serde(default)]
    owner: String,
    #[serde(default)]
    evidence: String,
}

fn given(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn yes_no(field: &str, s: &str) -> AppResult<Option<bool>> {
    match s.trim() {
        "" => Ok(None),
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        other => Err(AppError::invalid(
            field,
            format!("`{other}`: choose yes or no"),
        )),
    }
}

impl RequestForm {
    fn input(&self) -> AppResult<RegistrationRequestInput> {
        Ok(RegistrationRequestInput {
            change: RegistrationInput {
                name: given(&self.name),
                kind: given(&self.kind),
                legal_form: given(&self.legal_form),
                sme: yes_no("sme", &self.sme)?,
                vcse: yes_no("vcse", &self.vcse)?,
                public_service_mutual: yes_no(
                    "public_service_mutual",
                    &self.public_service_mutual,
                )?,
                identifiers: given(&self.identifiers)
                    .map(|s| s.lines().map(str::to_owned).collect()),
                owner: given(&self.owner).map(|o| if o == "none" { String::new() } else { o }),
            },
            evidence: self.evidence.clone(),
        })
    }
}

/// `POST /organisations/{slug}/registration-requests`.
pub async fn request_change(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => uc::request_registration_change(&app.store, &user.caller(), &slug, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    let org = uc::find(&app.store, &slug).await?;
    after_form(
        result,
        |_| format!("/organisations/{slug}#registration-history"),
        |e| show_page(&app, &user, org, Some(e)),
    )
    .await
}

/// The decision form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    /// `approve` or `refuse`.
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /organisations/{slug}/registration-requests/{id}/decision`.
pub async fn decide(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let approve = match form.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        other => {
            return Err(AppError::invalid(
                "decision",
                format!("`{other}`: approve or refuse"),
            ));
        }
    };
    let decision = DecisionInput {
        approve,
        note: form.note,
    };
    let result = uc::decide_registration_change(&app.store, &user.caller(), &slug, id, decision)
        .await
        .map_err(AppError::from);
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/organisations/{slug}#registration-history")).into_response(),
        ),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let org = uc::find(&app.store, &slug).await?;
            show_page(&app, &user, org, Some(e)).await
        }
        Err(e) => Err(e),
    }
}
