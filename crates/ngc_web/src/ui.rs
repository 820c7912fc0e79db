//! The server-rendered pages. They work without JavaScript; htmx adds convenience.
//! Each page handler calls the same store and domain functions as its API twin.

mod admin;
mod budget_monitoring;
mod consultations;
mod contract_kpis;
mod contract_payments;
mod contract_variations;
mod contracts;
mod dashboard;
pub mod finance;
mod joint_working;
mod layout;
mod ledger;
mod login;
mod notices;
mod open_data;
mod organisations;
mod partnerships;
mod payment_performance;
mod procurement;
mod register;
mod registrations;
mod shared_services;
mod tokens;

pub use layout::Layout;

use crate::routes::RouteSpec;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::{Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};

/// The page routes, recorded as they are added.
#[derive(Debug)]
pub struct Pages {
    pub router: Router<AppState>,
    pub list: Vec<RouteSpec>,
}

impl Pages {
    fn add(mut self, method: Method, path: &'static str, route: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, route);
        self.list.push(RouteSpec::new(method, path));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, path, get(h))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::POST, path, post(h))
    }

    /// The routes a module adds.
    fn with(self, add: fn(Pages) -> Pages) -> Self {
        add(self)
    }
}

/// Every page route.
pub fn routes() -> Pages {
    Pages {
        router: Router::new(),
        list: Vec::new(),
    }
    .get("/", dashboard::show)
    .get("/login", login::form)
    .post("/login", login::submit)
    .post("/logout", login::logout)
    .get("/finance", finance::index)
    .get("/finance/resilience", finance::resilience)
    .get("/finance/budget", finance::budget)
    .get("/finance/plans/{name}", finance::plan)
    .post(
        "/finance/plans/{name}/assumptions",
        finance::update_assumptions,
    )
    .get("/finance/plans/{name}/savings", finance::savings)
    .get("/finance/plans/{name}/revisions", finance::revisions)
    .get(
        "/finance/plans/{name}/revisions/{number}",
        finance::revision,
    )
    .post(
        "/finance/plans/{name}/revisions/{number}/restore",
        finance::restore,
    )
    .post(
        "/finance/plans/{name}/savings/{reference}/delivery",
        finance::record_delivery,
    )
    .post(
        "/finance/plans/{name}/savings/{reference}/links",
        finance::link_saving,
    )
    .post(
        "/finance/plans/{name}/savings/{reference}/links/{link_id}/remove",
        finance::unlink_saving,
    )
    .get("/procurement", procurement::index)
    .get("/procurement/pipeline", procurement::pipeline)
    .post("/procurement/pipeline", procurement::create_planned)
    .post("/procurement/tenders", procurement::create)
    .get("/procurement/tenders/new", procurement::new)
    .get("/procurement/tenders/{id}", procurement::show)
    .post("/procurement/tenders/{id}", procurement::update)
    .get("/procurement/tenders/{id}/edit", procurement::edit)
    .post("/procurement/tenders/{id}/publish", procurement::publish)
    .post(
        "/procurement/tenders/{id}/terminate",
        procurement::terminate,
    )
    .post(
        "/procurement/tenders/{id}/documents",
        procurement::add_document,
    )
    .post("/procurement/tenders/{id}/questions", procurement::ask)
    .post(
        "/procurement/tenders/{id}/questions/{qid}/answer",
        procurement::answer,
    )
    .get("/procurement/tenders/{id}/checks", procurement::show_checks)
    .get("/procurement/tenders/{id}/panel", procurement::show_panel)
    .post(
        "/procurement/tenders/{id}/panel",
        procurement::assign_panel_member,
    )
    .post(
        "/procurement/tenders/{id}/conflicts-assessments",
        procurement::record_conflicts,
    )
    .post(
        "/procurement/tenders/{id}/exclusion-checks",
        procurement::record_exclusion,
    )
    .post(
        "/procurement/tenders/{id}/reservation-checks",
        procurement::record_reservation,
    )
    .post(
        "/procurement/tenders/{id}/challenges",
        procurement::receive_challenge,
    )
    .post(
        "/procurement/tenders/{id}/challenges/{cid}/lift",
        procurement::lift_challenge,
    )
    .get(
        "/procurement/tenders/{id}/evaluation",
        procurement::evaluation::show,
    )
    .post(
        "/procurement/tenders/{id}/declarations",
        procurement::evaluation::declare,
    )
    .post(
        "/procurement/tenders/{id}/scores",
        procurement::evaluation::score,
    )
    .post(
        "/procurement/tenders/{id}/moderations",
        procurement::evaluation::moderate,
    )
    .post(
        "/procurement/tenders/{id}/price-openings",
        procurement::evaluation::open_prices,
    )
    .post(
        "/procurement/tenders/{id}/abnormally-low",
        procurement::evaluation::abnormally_low,
    )
    .post(
        "/procurement/tenders/{id}/award",
        procurement::evaluation::award,
    )
    .post(
        "/procurement/tenders/{id}/summaries",
        procurement::evaluation::send_summaries,
    )
    .post(
        "/procurement/tenders/{id}/contracts",
        procurement::evaluation::make_contract,
    )
    .get(
        "/procurement/tenders/{id}/outcome",
        procurement::evaluation::outcome,
    )
    .get("/procurement/bids", procurement::bids::mine)
    .get("/procurement/bids/{id}", procurement::bids::show)
    .post("/procurement/bids/{id}/replace", procurement::bids::replace)
    .post(
        "/procurement/bids/{id}/withdraw",
        procurement::bids::withdraw,
    )
    .get(
        "/procurement/tenders/{id}/bid",
        procurement::bids::tender_bid,
    )
    .post("/procurement/tenders/{id}/bid", procurement::bids::submit)
    .get("/procurement/tenders/{id}/notices", notices::list)
    .post("/procurement/tenders/{id}/notices", notices::prepare)
    .post(
        "/procurement/tenders/{id}/notices/{notice}/publication",
        notices::record_publication,
    )
    .get("/contracts", contracts::index)
    .get("/contracts/new", contracts::new)
    .post("/contracts/new", contracts::create)
    .get("/contracts/expiring", contracts::expiring)
    .get("/contracts/{id}", contracts::show)
    .get("/contracts/providers/{slug}", contracts::provider)
    .post("/contracts/{id}/documents", contracts::add_document)
    .get("/contracts/{id}/payments", contract_payments::show)
    .post(
        "/contracts/{id}/payments",
        contract_payments::record_payment,
    )
    .post("/contracts/{id}/claims", contract_payments::submit_claim)
    .get("/contracts/{id}/kpis", contract_kpis::show)
    .post("/contracts/{id}/kpis", contract_kpis::define)
    .post("/contracts/{id}/returns", contract_kpis::submit_return)
    .post(
        "/contracts/{id}/performance-failures",
        contract_kpis::record_failure,
    )
    .get("/contracts/{id}/variations", contract_variations::show)
    .post("/contracts/{id}/variations", contract_variations::vary)
    .post(
        "/contracts/{id}/termination",
        contract_variations::terminate,
    )
    .with(payment_performance::routes)
    .with(open_data::routes)
    .with(consultations::routes)
    .get("/organisations", organisations::list)
    .post("/organisations", organisations::create)
    .get("/organisations/new", organisations::new)
    .get("/organisations/{slug}", organisations::show)
    .post("/organisations/{slug}", organisations::update)
    .get("/organisations/{slug}/edit", organisations::edit)
    .get("/organisations/{slug}/ledger", ledger::show)
    .get(
        "/organisations/{slug}/ledger/journals/{id}",
        ledger::journal,
    )
    .post(
        "/organisations/{slug}/ledger/journals/{id}/reversal",
        ledger::reverse,
    )
    .get(
        "/organisations/{slug}/budget-monitoring",
        budget_monitoring::show,
    )
    .post(
        "/organisations/{slug}/budget-monitoring/forecasts",
        budget_monitoring::enter_forecast,
    )
    .post(
        "/organisations/{slug}/budget-monitoring/reserves",
        budget_monitoring::mark_reserve,
    )
    .post(
        "/organisations/{slug}/budget-monitoring/virements",
        budget_monitoring::record_virement,
    )
    .post(
        "/organisations/{slug}/budget-monitoring/profiles",
        budget_monitoring::store_profile,
    )
    .post(
        "/organisations/{slug}/registration-requests",
        organisations::request_change,
    )
    .post(
        "/organisations/{slug}/registration-requests/{id}/decision",
        organisations::decide,
    )
    .get("/partnerships", partnerships::list)
    .post("/partnerships", partnerships::create)
    .get("/partnerships/new", partnerships::new)
    .get("/partnerships/{slug}", partnerships::show)
    .post("/partnerships/{slug}", partnerships::update)
    .get("/partnerships/{slug}/edit", partnerships::edit)
    .post("/partnerships/{slug}/members", partnerships::add_member)
    .post(
        "/partnerships/{slug}/members/{organisation}/leave",
        partnerships::end_membership,
    )
    .get(
        "/partnerships/{slug}/shared-services",
        shared_services::show,
    )
    .post(
        "/partnerships/{slug}/shared-services/years",
        shared_services::enter_year,
    )
    .post(
        "/partnerships/{slug}/shared-services/versions/{id}/restore",
        shared_services::restore_version,
    )
    .post(
        "/partnerships/{slug}/shared-services/exits",
        shared_services::record_exit,
    )
    .post("/partnerships/{slug}/act", shared_services::act_for)
    .post("/act/stop", shared_services::stop_acting)
    .get("/partnerships/{slug}/consolidation", joint_working::show)
    .post("/partnerships/{slug}/joint-tenders", joint_working::start)
    .get("/admin", admin::index)
    .get("/admin/users", admin::users)
    .post("/admin/users", admin::create_user)
    .post("/admin/users/{id}/disable", admin::disable_user)
    .post("/admin/users/{id}/enable", admin::enable_user)
    .get("/admin/audit", admin::audit)
    .get("/tokens", tokens::list)
    .post("/tokens", tokens::create)
    .post("/tokens/{id}/revoke", tokens::revoke)
    .get("/register", register::form)
    .post("/register", register::submit)
    .get("/admin/registrations", registrations::list)
    .post("/admin/registrations/{id}/decision", registrations::decide)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: &'static str,
    message: String,
}

fn heading(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "That request could not be read",
        403 => "Not allowed",
        404 => "Page not found",
        409 => "That conflicts with what is there",
        422 => "Please check what you entered",
        429 => "Too many attempts",
        _ => "Something went wrong",
    }
}

/// Renders an error as a page (anonymous visitors asked to sign in are sent to `/login`).
pub fn error_page(error: &AppError) -> Response {
    if matches!(error, AppError::Unauthorized) {
        return Redirect::to("/login").into_response();
    }
    let status = error.status();
    let page = ErrorPage {
        layout: Layout::bare(heading(status)),
        status: status.as_u16(),
        heading: heading(status),
        message: error.public_message(),
    };
    (status, render(&page)).into_response()
}

/// Middleware for page routes: errors become HTML pages instead of the JSON envelope.
pub async fn html_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    match response.extensions().get::<AppError>() {
        Some(error) => error_page(&error.clone()),
        None => response,
    }
}

/// The fallback: a JSON 404 under `/api`, a page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    let error = AppError::NotFound(format!("`{}`", uri.path()));
    if uri.path().starts_with("/api/") {
        error.into_response()
    } else {
        error_page(&error)
    }
}

/// The end of a form post: on success, a redirect to `to(value)`; on a complaint about the
/// input (invalid or conflicting), the form shown again by `redisplay` with the complaint;
/// any other error passed on.
pub(crate) async fn after_form<T, Fut>(
    result: Result<T, AppError>,
    to: impl FnOnce(&T) -> String,
    redisplay: impl FnOnce(AppError) -> Fut,
) -> Result<Response, AppError>
where
    Fut: std::future::Future<Output = Result<Response, AppError>>,
{
    match result {
        Ok(value) => Ok(Redirect::to(&to(&value)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => redisplay(e).await,
        Err(e) => Err(e),
    }
}

/// Renders a template, or a plain 500 if the template itself fails.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain")],
                "template error",
            )
                .into_response()
        }
    }
}
