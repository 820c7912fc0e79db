//! Signing in and out.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{
    CSRF_COOKIE, ClientAddr, CsrfForm, MaybeUser, SESSION_COOKIE, csrf_token_for, expire_cookie,
    set_cookie, sign_in,
};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_store::sessions::SESSION_LIFETIME;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    error: Option<String>,
    /// What the page says first (after a supplier's registration).
    notice: Option<&'static str>,
    /// The budget consultations open today: (id, title, council, closing date).
    consultations: Vec<(i64, String, String, String)>,
}

/// What `GET /login` may be asked to say.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    /// Present after a supplier's registration.
    registered: Option<String>,
}

/// Said on the sign-in page after a supplier registers.
const REGISTERED: &str = "Thank you: your registration has been received. The instance \
    administrator checks it before you can sign in; signing in shows where it stands.";

/// The sign-in form fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

async fn login_page(
    app: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    email: String,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Response {
    let (csrf, fresh) = csrf_token_for(headers, None);
    // The page is the way in for residents too: it lists the open consultations. A failure to
    // read them must not stop anyone signing in.
    let consultations = super::consultations::open_list(app)
        .await
        .unwrap_or_default();
    let mut layout = Layout::bare("Sign in");
    layout.csrf = csrf.clone();
    let mut response = (
        status,
        render(&LoginPage {
            layout,
            email,
            error,
            notice,
            consultations,
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

/// `GET /login`.
pub async fn form(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    if user.is_some() {
        return Redirect::to("/").into_response();
    }
    let notice = q.registered.is_some().then_some(REGISTERED);
    login_page(&app, &headers, StatusCode::OK, String::new(), None, notice).await
}

/// `POST /login`: a session cookie on success; the same generic message for any failure.
pub async fn submit(
    State(app): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    match sign_in(&app, client, &f.email, &f.password).await {
        Ok(user) => {
            let session = app.store.create_session(&user).await?;
            let cookie = set_cookie(
                SESSION_COOKIE,
                &session.secret,
                SESSION_LIFETIME.num_seconds(),
                app.config.secure_cookies,
            );
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
        }
        Err(AppError::Unauthorized) => Ok(login_page(
            &app,
            &headers,
            StatusCode::UNAUTHORIZED,
            f.email,
            Some("The email address or password is not right.".into()),
            None,
        )
        .await),
        Err(AppError::TooManyRequests) => Ok(login_page(
            &app,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            f.email,
            Some("Too many failed sign-ins: try again later.".into()),
            None,
        )
        .await),
        // A supplier's registration waiting for verification, or refused (the right
        // password, so the applicant may know).
        Err(AppError::Forbidden(why)) => Ok(login_page(
            &app,
            &headers,
            StatusCode::FORBIDDEN,
            f.email,
            Some(sentence(&why)),
            None,
        )
        .await),
        Err(other) => Err(other),
    }
}

/// `text` with a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut s: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

/// The logout form's fields.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {}

/// `POST /logout`.
pub async fn logout(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    CsrfForm(_): CsrfForm<LogoutForm>,
) -> AppResult<Response> {
    if let Some(s) = user.as_ref().and_then(|u| u.session.as_ref()) {
        app.store.delete_session(&s.secret).await?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            expire_cookie(SESSION_COOKIE, app.config.secure_cookies),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}
