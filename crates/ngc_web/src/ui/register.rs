//! The public supplier registration form: a provider registers its organisation and first
//! user once, without an account, and waits for the instance administrator to verify it.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{
    CSRF_COOKIE, ClientAddr, CsrfForm, MaybeUser, count_registration, csrf_token_for, set_cookie,
};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::supplier_registrations::{self as uc, SupplierRegistrationInput};
use ngc_domain::organisation::LegalForm;
use serde::Deserialize;

/// Where a successful registration lands: the sign-in page, saying what happens next.
pub const REGISTERED: &str = "/login?registered=1";

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    form: RegisterForm,
    legal_forms: Vec<LegalForm>,
    /// The slug the name suggests, shown beside the slug field.
    suggested_slug: String,
    error: Option<AppError>,
    /// The field the error names (empty when it names none), marked on the form.
    field: String,
}

/// The registration form as posted. The passwords are never shown again.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    legal_form: String,
    /// One identifier per line.
    #[serde(default)]
    identifiers: String,
    sme: Option<String>,
    vcse: Option<String>,
    public_service_mutual: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    user_name: String,
    #[serde(default)]
    user_email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

impl RegisterForm {
    fn input(&self) -> SupplierRegistrationInput {
        SupplierRegistrationInput {
            name: self.name.clone(),
            slug: Some(self.slug.clone()),
            legal_form: self.legal_form.clone(),
            identifiers: self.identifiers.lines().map(str::to_owned).collect(),
            sme: self.sme.is_some(),
            vcse: self.vcse.is_some(),
            public_service_mutual: self.public_service_mutual.is_some(),
            description: self.description.clone(),
            contact_email: self.contact_email.clone(),
            contact_phone: self.contact_phone.clone(),
            website: self.website.clone(),
            address: self.address.clone(),
            user_email: self.user_email.clone(),
            user_name: self.user_name.clone(),
            password: self.password.clone(),
        }
    }

    /// The form to show again: what was typed, but no password.
    fn without_passwords(mut self) -> Self {
        self.password.clear();
        self.password_confirm.clear();
        self
    }
}

/// The field an error is about: an invalid field, or the field a conflict names first
/// (`slug: …`).
fn error_field(error: &AppError) -> String {
    match error {
        AppError::Invalid { field, .. } => field.clone(),
        AppError::Conflict(message) => message
            .split_once(':')
            .map(|(f, _)| f)
            .filter(|f| f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    }
}

fn page(
    app: &AppState,
    user: Option<&crate::auth::CurrentUser>,
    headers: &HeaderMap,
    form: RegisterForm,
    error: Option<AppError>,
) -> Response {
    let (csrf, fresh) = csrf_token_for(headers, user);
    let mut layout = match user {
        Some(u) => Layout::for_user(u, "Register as a supplier", None),
        None => Layout::bare("Register as a supplier"),
    };
    layout.csrf = csrf.clone();
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let field = error.as_ref().map(error_field).unwrap_or_default();
    let suggested_slug = SupplierRegistrationInput {
        name: form.name.clone(),
        ..Default::default()
    }
    .slug_or_suggested()
    .unwrap_or_default();
    let legal_forms = LegalForm::ALL
        .iter()
        .copied()
        .filter(|f| *f != LegalForm::LocalAuthority)
        .collect();
    let mut response = (
        status,
        render(&RegisterPage {
            layout,
            form: form.without_passwords(),
            legal_forms,
            suggested_slug,
            error,
            field,
        }),
    )
        .into_response();
    if fresh
        && let Ok(v) = set_cookie(CSRF_COOKIE, &csrf, 86_400, app.config.secure_cookies).parse()
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// `GET /register`: the form, open to anyone.
pub async fn form(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
) -> Response {
    page(&app, user.as_ref(), &headers, RegisterForm::default(), None)
}

/// `POST /register`: counted against the client's address first; then the registration,
/// waiting for verification, and on to the sign-in page; or the form again naming the
/// field that is wrong or taken, with nothing written.
pub async fn submit(
    State(app): State<AppState>,
    client: ClientAddr,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> AppResult<Response> {
    let result = match count_registration(&app, client).await {
        Err(e) => Err(e),
        Ok(()) if form.password != form.password_confirm => Err(AppError::invalid(
            "password_confirm",
            "the two passwords differ: type the same password twice",
        )),
        Ok(()) => uc::register(&app.store, form.input())
            .await
            .map_err(AppError::from),
    };
    match result {
        Ok(_) => Ok(Redirect::to(REGISTERED).into_response()),
        Err(
            e @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::TooManyRegistrations),
        ) => Ok(page(&app, user.as_ref(), &headers, form, Some(e))),
        Err(e) => Err(e),
    }
}
