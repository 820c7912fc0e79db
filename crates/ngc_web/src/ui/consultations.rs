//! The public budget consultation ("You Choose") and its results.
//!
//! - `GET /consultations`: the open consultations, for anyone.
//! - `GET /consultations/privacy`: what is kept, why and for how long.
//! - `GET /consultations/{id}`: the questions, the running gap and the household's bill.
//!   It works without JavaScript: `POST /consultations/{id}` recalculates (each change is a
//!   form post) or, with `action=submit`, submits; with JavaScript, htmx posts each change
//!   and swaps in the running total.
//! - `GET /consultations/{id}/results` (and `.csv`): for the council's plan readers, and for
//!   anyone once published; `POST …/publish` and `POST …/attach` for the plan's keepers.
//!
//! Each handler parses, calls `ngc_app::consultations` and renders.

use super::{Layout, Pages, render};
use crate::AppState;
use crate::auth::{
    ClientAddr, CsrfForm, CurrentUser, MaybeUser, cookie, csrf_token_for, set_cookie,
};
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ngc_app::consultations::{self as uc, Consultation, Response as Answer, Signer};
use ngc_domain::access::{Action, Area};
use ngc_domain::consultation::{AgeBand, Choices, Position, Results, whole_bill};
use ngc_store::rate_limit::{Attempt, RESPONSE_LIMIT};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The cookie that keeps a browser's token across page loads.
const TOKEN_COOKIE: &str = "ngc_consult";
/// How long the token cookie lasts: longer than any consultation.
const TOKEN_COOKIE_SECONDS: i64 = 180 * 86_400;

/// The routes of the consultation area.
pub(super) fn routes(pages: Pages) -> Pages {
    pages
        .get("/consultations", index)
        .get("/consultations/privacy", privacy)
        .get("/consultations/{id}", show)
        .post("/consultations/{id}", respond)
        .get("/consultations/{id}/thanks", thanks)
        .get("/consultations/{id}/results", results)
        .get("/consultations/{id}/results.csv", results_csv)
        .post("/consultations/{id}/publish", publish)
        .post("/consultations/{id}/attach", attach)
        .get("/finance/consultations", officer_index)
        .post("/finance/consultations", officer_create)
}

fn layout(user: Option<&CurrentUser>, title: &str) -> Layout {
    match user {
        Some(u) => Layout::for_user(u, title, Some(Area::Finance)),
        None => Layout::bare(title),
    }
}

/// A consultation on the list.
struct Listed {
    id: i64,
    title: String,
    council: String,
    closes: String,
}

#[derive(Template)]
#[template(path = "consultations/index.html")]
struct IndexPage {
    layout: Layout,
    open: Vec<Listed>,
}

/// The open consultations as the home page and the list show them.
pub(super) async fn open_list(app: &AppState) -> AppResult<Vec<(i64, String, String, String)>> {
    Ok(uc::open_now(&app.store, app.store.today())
        .await?
        .into_iter()
        .map(|c| (c.id, c.title, c.council, long_date(c.closes_on)))
        .collect())
}

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// `GET /consultations`.
async fn index(State(app): State<AppState>, MaybeUser(user): MaybeUser) -> AppResult<Response> {
    let open = open_list(&app)
        .await?
        .into_iter()
        .map(|(id, title, council, closes)| Listed {
            id,
            title,
            council,
            closes,
        })
        .collect();
    Ok(render(&IndexPage {
        layout: layout(user.as_ref(), "Budget consultations"),
        open,
    }))
}

#[derive(Template)]
#[template(path = "consultations/privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

/// `GET /consultations/privacy`.
async fn privacy(MaybeUser(user): MaybeUser) -> Response {
    render(&PrivacyPage {
        layout: layout(user.as_ref(), "Budget consultations: privacy notice"),
    })
}

/// One step as the page shows it.
struct StepView {
    index: usize,
    label: String,
    consequence: String,
    effect: String,
    checked: bool,
}

/// One question as the page shows it.
struct QuestionView {
    number: usize,
    key: String,
    title: String,
    kind: &'static str,
    budget: String,
    detail: Vec<String>,
    steps: Vec<StepView>,
}

/// A band's bill as the page shows it.
struct BillView {
    band: &'static str,
    charge: String,
    asc: String,
}

/// A band's whole bill in the district picked, as the page shows it.
struct WholeView {
    band: &'static str,
    county: String,
    district: String,
    parish: String,
    police: String,
    total: String,
}

/// The whole bill in the district the resident picked.
struct DistrictView {
    name: String,
    source: String,
    confirmed: bool,
    bands: Vec<WholeView>,
}

#[derive(Template)]
#[template(path = "consultations/show.html")]
struct ShowPage {
    layout: Layout,
    id: i64,
    title: String,
    council: String,
    introduction: String,
    opens: String,
    closes: String,
    open: bool,
    year: String,
    gap: String,
    closed_by: String,
    remaining: String,
    closed: bool,
    referendum: bool,
    asc_pct: String,
    questions: Vec<QuestionView>,
    bills: Vec<BillView>,
    token: String,
    sig: String,
    postcode_district: String,
    age_band: String,
    age_bands: &'static [AgeBand],
    /// The districts a resident may pick for the whole bill: (index, name).
    districts: Vec<(usize, String)>,
    /// The district picked (its index), or empty.
    district: String,
    /// The whole bill in the district picked.
    whole: Option<DistrictView>,
    /// Responses so far.
    responses: i64,
    /// Why the last post was refused, in the resident's words (no field name).
    error: Option<String>,
}

/// What a resident reads for a refusal: an invalid field's message alone.
fn resident_words(e: &AppError) -> String {
    match e {
        AppError::Invalid { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// What the page posts: the step per question (`q.<key>`), the token and its signature,
/// the optional facts about the resident and which button was pressed.
#[derive(Debug, Clone, Default, Deserialize)]
struct ChoicesForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    sig: String,
    #[serde(default)]
    postcode_district: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    action: String,
    /// The district picked for the whole bill (its index), not kept.
    #[serde(default)]
    district: String,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

impl ChoicesForm {
    /// The choices posted; a step that is not a number is refused naming its question.
    fn choices(&self) -> Result<Choices, AppError> {
        self.rest
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("q.").map(|key| (key, v)))
            .map(|(key, v)| {
                v.trim()
                    .parse::<usize>()
                    .map(|i| (key.to_owned(), i))
                    .map_err(|_| AppError::invalid(key, "that choice is outside what is offered"))
            })
            .collect()
    }

    fn age_band(&self) -> Result<Option<AgeBand>, AppError> {
        if self.age_band.is_empty() {
            return Ok(None);
        }
        self.age_band
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid("age_band", "choose an age band from the list"))
    }
}

struct PageInput<'a> {
    user: Option<&'a CurrentUser>,
    csrf: String,
    token: String,
    sig: String,
    choices: &'a Choices,
    postcode_district: String,
    age_band: String,
    district: String,
    /// Responses so far.
    responses: i64,
    error: Option<AppError>,
}

fn page(app: &AppState, c: &Consultation, input: PageInput<'_>) -> Response {
    let today = app.store.today();
    // Choices the page cannot place (out of bounds) fall back to the plan as it is, and the
    // error says so.
    let position: Position = uc::position(c, input.choices)
        .or_else(|_| uc::position(c, &Choices::new()))
        .expect("the plan as it is is always a position");
    let questions = c
        .definition
        .questions
        .iter()
        .zip(&position.steps)
        .enumerate()
        .map(|(n, (q, &chosen))| QuestionView {
            number: n + 1,
            key: q.key.clone(),
            title: q.title.clone(),
            kind: q.kind.label(),
            budget: q.budget.map(|b| b.fmt_gbp()).unwrap_or_default(),
            detail: q.detail.clone(),
            steps: q
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| StepView {
                    index: i,
                    label: s.label.clone(),
                    consequence: s.consequence.clone(),
                    effect: effect_words(s.effect),
                    checked: i == chosen,
                })
                .collect(),
        })
        .collect();
    let whole = input
        .district
        .parse::<usize>()
        .ok()
        .and_then(|i| {
            Some((
                c.definition.districts.get(i)?,
                whole_bill(&c.definition, &position, i)?,
            ))
        })
        .map(|(d, bands)| DistrictView {
            name: d.name.clone(),
            source: d.source.clone(),
            confirmed: d.confirmed,
            bands: bands
                .iter()
                .map(|b| WholeView {
                    band: b.band.as_str(),
                    county: b.county.fmt_gbp(),
                    district: b.district.fmt_gbp(),
                    parish: b.parish.fmt_gbp(),
                    police: b.police.fmt_gbp(),
                    total: b.total.fmt_gbp(),
                })
                .collect(),
        });
    let status = input
        .error
        .as_ref()
        .map_or(StatusCode::OK, AppError::status);
    let mut layout = layout(input.user, &c.title);
    layout.csrf = input.csrf;
    (
        status,
        render(&ShowPage {
            layout,
            id: c.id,
            title: c.title.clone(),
            council: c.organisation_name.clone(),
            introduction: c.introduction.clone(),
            opens: long_date(c.opens_on),
            closes: long_date(c.closes_on),
            open: c.is_open(today),
            year: c.definition.year.to_string(),
            gap: c.definition.gap.fmt_gbp(),
            closed_by: position.closed_by.fmt_gbp(),
            remaining: position.remaining.max_zero().fmt_gbp(),
            closed: position.closed,
            referendum: position.referendum,
            asc_pct: c.definition.asc_precept_pct.normalize().to_string(),
            questions,
            bills: position
                .bills
                .iter()
                .map(|b| BillView {
                    band: b.band.as_str(),
                    charge: b.charge.fmt_gbp(),
                    asc: b.asc_precept.fmt_gbp(),
                })
                .collect(),
            token: input.token,
            sig: input.sig,
            postcode_district: input.postcode_district,
            age_band: input.age_band,
            age_bands: AgeBand::ALL,
            districts: c
                .definition
                .districts
                .iter()
                .enumerate()
                .map(|(i, d)| (i, d.name.clone()))
                .collect(),
            district: input.district,
            whole,
            responses: input.responses,
            error: input.error.as_ref().map(resident_words),
        }),
    )
        .into_response()
}

/// What a step does to the gap, in words.
fn effect_words(effect: ngc_domain::money::Money) -> String {
    if effect.is_zero() {
        "no change to the gap".into()
    } else if effect.is_positive() {
        format!("closes the gap by {}", effect.fmt_gbp())
    } else {
        format!("widens the gap by {}", (-effect).fmt_gbp())
    }
}

/// The browser's token (from its cookie, or new) and whether the cookie must be set.
fn browser_token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, TOKEN_COOKIE) {
        Some(t) if (32..=128).contains(&t.len()) => (t, false),
        _ => (Signer::new_token(), true),
    }
}

fn with_cookies(mut response: Response, app: &AppState, cookies: &[(&str, &str, i64)]) -> Response {
    for (name, value, seconds) in cookies {
        if let Ok(v) = set_cookie(name, value, *seconds, app.config.secure_cookies).parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// `GET /consultations/{id}`: open to anyone once the consultation has opened.
async fn show(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let caller = user.as_ref().map(CurrentUser::caller);
    let c = uc::public(&app.store, caller.as_ref(), id, app.store.today()).await?;
    let signer = Signer::of(&app.store).await?;
    let (token, fresh_token) = browser_token(&headers);
    let (csrf, fresh_csrf) = csrf_token_for(&headers, user.as_ref());
    let sig = signer.sign(&token);
    let response = page(
        &app,
        &c,
        PageInput {
            user: user.as_ref(),
            csrf: csrf.clone(),
            token: token.clone(),
            sig,
            choices: &Choices::new(),
            postcode_district: String::new(),
            age_band: String::new(),
            district: String::new(),
            responses: app.store.consultation_response_count(id).await?,
            error: None,
        },
    );
    let mut cookies = Vec::new();
    if fresh_token {
        cookies.push((TOKEN_COOKIE, token.as_str(), TOKEN_COOKIE_SECONDS));
    }
    if fresh_csrf {
        cookies.push((crate::auth::CSRF_COOKIE, csrf.as_str(), 86_400));
    }
    Ok(with_cookies(response, &app, &cookies))
}

#[derive(Template)]
#[template(path = "consultations/thanks.html")]
struct ThanksPage {
    layout: Layout,
    id: i64,
    title: String,
    responses: i64,
}

/// `POST /consultations/{id}`: recalculates (the page again, 200), or with `action=submit`
/// submits and goes on to the thanks page (303). A submission is counted against the client's address first (kept only as a keyed hash); a refused one
/// shows the page again with the resident's choices and the reason, and records nothing.
async fn respond(
    State(app): State<AppState>,
    client: ClientAddr,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ChoicesForm>,
) -> AppResult<Response> {
    let caller = user.as_ref().map(CurrentUser::caller);
    let today = app.store.today();
    let c = uc::public(&app.store, caller.as_ref(), id, today).await?;
    let (csrf, _) = csrf_token_for(&headers, user.as_ref());
    let parsed = form.choices();
    let choices = parsed.as_ref().cloned().unwrap_or_default();
    let responses = app.store.consultation_response_count(id).await?;
    let again = |error: Option<AppError>| {
        page(
            &app,
            &c,
            PageInput {
                user: user.as_ref(),
                csrf: csrf.clone(),
                token: form.token.clone(),
                sig: form.sig.clone(),
                choices: &choices,
                postcode_district: form.postcode_district.clone(),
                age_band: form.age_band.clone(),
                district: form.district.clone(),
                responses,
                error,
            },
        )
    };
    if form.action != "submit" {
        // Recalculating: a choice outside what is offered is said, nothing else.
        let error = parsed
            .err()
            .or_else(|| uc::position(&c, &choices).err().map(AppError::from));
        return Ok(again(error));
    }
    let signer = Signer::of(&app.store).await?;
    let key = signer.address_key(&client.key());
    if let Attempt::BlockedUntil(_) = app
        .store
        .try_sign_in(&key, RESPONSE_LIMIT, app.store.now())
        .await?
    {
        return Ok(again(Some(AppError::TooManyResponses)));
    }
    let submitted = async {
        let token = signer.verify(&form.token, &form.sig)?;
        let answer = Answer {
            choices: parsed?,
            postcode_district: Some(form.postcode_district.clone()),
            age_band: form.age_band()?,
        };
        Ok::<_, AppError>(uc::submit(&app.store, id, &token, &answer, today).await?)
    }
    .await;
    match submitted {
        Ok(_) => Ok(Redirect::to(&format!("/consultations/{id}/thanks")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => Ok(again(Some(e))),
        Err(e) => Err(e),
    }
}

/// `GET /consultations/{id}/thanks`: where a response lands (so reloading the page never
/// sends it again), with the number of responses so far.
async fn thanks(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let caller = user.as_ref().map(CurrentUser::caller);
    let c = uc::public(&app.store, caller.as_ref(), id, app.store.today()).await?;
    let responses = app.store.consultation_response_count(id).await?;
    Ok(render(&ThanksPage {
        layout: layout(user.as_ref(), "Thank you"),
        id,
        title: c.title,
        responses,
    }))
}

/// A step's result as the page shows it.
struct StepResultView {
    label: String,
    responses: u64,
    share: String,
    /// The bar's width in the chart, out of 100.
    width: String,
}

/// A question's result as the page shows it.
struct QuestionResultView {
    number: usize,
    title: String,
    mean: String,
    median: String,
    steps: Vec<StepResultView>,
    /// The chart's height in pixels.
    height: usize,
}

#[derive(Template)]
#[template(path = "consultations/results.html")]
struct ResultsPage {
    layout: Layout,
    id: i64,
    title: String,
    council: String,
    responses: u64,
    average_tax: String,
    average_band_d: String,
    published: bool,
    keeper: bool,
    questions: Vec<QuestionResultView>,
    notice: String,
}

fn results_view(r: &Results) -> Vec<QuestionResultView> {
    r.questions
        .iter()
        .enumerate()
        .map(|(n, q)| QuestionResultView {
            number: n + 1,
            title: q.title.clone(),
            mean: q
                .mean
                .map(|m| m.normalize().to_string())
                .unwrap_or_else(|| "–".into()),
            median: q
                .median
                .map(|m| m.normalize().to_string())
                .unwrap_or_else(|| "–".into()),
            height: q.steps.len() * 24 + 8,
            steps: q
                .steps
                .iter()
                .map(|s| StepResultView {
                    label: s.label.clone(),
                    responses: s.responses,
                    share: s.share_pct.normalize().to_string(),
                    width: (s.share_pct * rust_decimal::Decimal::from(3))
                        .round_dp(1)
                        .normalize()
                        .to_string(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
struct ResultsQuery {
    #[serde(default)]
    attached: Option<usize>,
}

/// `GET /consultations/{id}/results`.
async fn results(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<ResultsQuery>,
) -> AppResult<Response> {
    let caller = user.as_ref().map(CurrentUser::caller);
    let (c, r) = uc::results(&app.store, caller.as_ref(), id).await?;
    let keeper = user
        .as_ref()
        .is_some_and(|u| u.can(Action::UpdatePlans(c.organisation_id)));
    let mut layout = layout(user.as_ref(), &format!("Results: {}", c.title));
    if let Some(u) = &user {
        layout.csrf = u
            .session
            .as_ref()
            .map(|s| s.csrf_token.clone())
            .unwrap_or_default();
    }
    Ok(render(&ResultsPage {
        layout,
        id,
        title: c.title.clone(),
        council: c.organisation_name.clone(),
        responses: r.responses,
        average_tax: r
            .average_tax_pct
            .map(|p| format!("{}%", p.normalize()))
            .unwrap_or_else(|| "–".into()),
        average_band_d: r
            .average_band_d
            .map(|m| m.fmt_gbp())
            .unwrap_or_else(|| "–".into()),
        published: c.results_published,
        keeper,
        questions: results_view(&r),
        notice: q
            .attached
            .map(|n| format!("{n} notes were attached to the plan `{}`.", c.plan))
            .unwrap_or_default(),
    }))
}

/// `GET /consultations/{id}/results.csv`: every response, one row each.
async fn results_csv(
    State(app): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let caller = user.as_ref().map(CurrentUser::caller);
    let csv = uc::responses_csv(&app.store, caller.as_ref(), id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"consultation-{id}-responses.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct PublishForm {
    published: String,
}

/// `POST /consultations/{id}/publish`: publishes or withdraws the results.
async fn publish(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> AppResult<Response> {
    uc::publish_results(&app.store, &user.caller(), id, form.published == "true").await?;
    Ok(Redirect::to(&format!("/consultations/{id}/results")).into_response())
}

#[derive(Debug, Deserialize)]
struct AttachForm {}

/// `POST /consultations/{id}/attach`: attaches the results to the plan as notes.
async fn attach(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<AttachForm>,
) -> AppResult<Response> {
    let notes = uc::attach_to_plan(&app.store, &user.caller(), id).await?;
    Ok(Redirect::to(&format!(
        "/consultations/{id}/results?attached={}",
        notes.len()
    ))
    .into_response())
}

/// A consultation on the officer's list.
struct OfficerListed {
    id: i64,
    title: String,
    plan: String,
    when: String,
    responses: i64,
    published: bool,
}

/// The officer's form, as posted.
#[derive(Debug, Clone, Default, Deserialize)]
struct CreateForm {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    introduction: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    settings: String,
}

#[derive(Template)]
#[template(path = "consultations/officer.html")]
struct OfficerPage {
    layout: Layout,
    consultations: Vec<OfficerListed>,
    plans: Vec<String>,
    can_create: bool,
    form: CreateForm,
    error: Option<AppError>,
}

async fn officer_page(
    app: &AppState,
    user: &CurrentUser,
    form: Option<CreateForm>,
    error: Option<AppError>,
) -> AppResult<Response> {
    user.require(Action::ReadPlans(user.user.organisation_id))?;
    let org = app
        .store
        .organisation_by_id(user.user.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("your organisation".into()))?;
    let caller = user.caller();
    let today = app.store.today();
    let mut consultations = Vec::new();
    for c in uc::of_organisation(&app.store, &caller, &org.slug).await? {
        consultations.push(OfficerListed {
            responses: app.store.consultation_response_count(c.id).await?,
            when: format!("{} to {}", long_date(c.opens_on), long_date(c.closes_on))
                + if c.is_open(today) { " (open)" } else { "" },
            id: c.id,
            title: c.title,
            plan: c.plan,
            published: c.results_published,
        });
    }
    let plans: Vec<String> = app
        .store
        .list_plans(&org.slug)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect();
    let can_create = user.can(Action::UpdatePlans(org.id));
    let form = match form {
        Some(f) => f,
        None if can_create && !plans.is_empty() => {
            let settings = uc::draft_settings(&app.store, &caller, &org.slug, &plans[0])
                .await
                .unwrap_or_default();
            CreateForm {
                plan: plans[0].clone(),
                opens_on: today.to_string(),
                closes_on: (today + chrono::Days::new(42)).to_string(),
                settings,
                ..CreateForm::default()
            }
        }
        None => CreateForm::default(),
    };
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let mut layout = Layout::for_user(user, "Budget consultations", Some(Area::Finance));
    layout.csrf = user
        .session
        .as_ref()
        .map(|s| s.csrf_token.clone())
        .unwrap_or_default();
    Ok((
        status,
        render(&OfficerPage {
            layout,
            consultations,
            plans,
            can_create,
            form,
            error,
        }),
    )
        .into_response())
}

/// `GET /finance/consultations`: the council's consultations, and the form that creates one
/// from a plan year (its settings as TOML, drafted from the plan).
async fn officer_index(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    officer_page(&app, &user, None, None).await
}

/// `POST /finance/consultations`: creates the consultation and opens its page; or the form
/// again naming what is wrong, nothing stored.
async fn officer_create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> AppResult<Response> {
    let caller = user.caller();
    let result = async {
        let org = app
            .store
            .organisation_by_id(user.user.organisation_id)
            .await?
            .ok_or_else(|| AppError::NotFound("your organisation".into()))?;
        let date = |field: &str, text: &str| {
            text.trim().parse::<chrono::NaiveDate>().map_err(|_| {
                AppError::invalid(field, format!("`{text}` is not a date (YYYY-MM-DD)"))
            })
        };
        let input = uc::CreateInput {
            plan: form.plan.clone(),
            title: form.title.clone(),
            introduction: form.introduction.clone(),
            opens_on: date("opens_on", &form.opens_on)?,
            closes_on: date("closes_on", &form.closes_on)?,
            settings: uc::settings_from_toml(&form.settings)?,
        };
        Ok::<_, AppError>(uc::create(&app.store, &caller, &org.slug, &input).await?)
    }
    .await;
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/consultations/{}", c.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            officer_page(&app, &user, Some(form), Some(e)).await
        }
        Err(e) => Err(e),
    }
}
