//! The contract register's pages: the register (what the user may read, filtered, a page at
//! a time), one contract with its buyers, documents and replaced versions, entering a
//! contract, and the council's expiry pipeline. The register marks each contract where the
//! s52 KPI duty applies and is not met; the contract page shows its KPIs with their ratings
//! and trends; the provider page its returns due and late and its KPIs' trends. Each calls the same use case as its API twin.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::contracts::{
    self as uc, ContractDetail, ContractInput, DocumentInput, ListQuery, PAGE_SIZE, Pipeline,
};
use ngc_domain::access::{Action, Area, ContractScope};
use ngc_domain::contracts::{ContractStatus, Route, VatTreatment};
use ngc_domain::procurement::ContractType;
use ngc_store::contracts::{Contract, ContractPage};
use serde::Deserialize;

/// A contract on the register page.
struct Row {
    contract: Contract,
    status: ContractStatus,
    /// The s52 warning, where the KPI duty applies and is not met.
    kpi_warning: Option<String>,
}

impl Row {
    fn new(contract: Contract, today: chrono::NaiveDate) -> Self {
        Row {
            status: contract.status(today),
            kpi_warning: uc::kpis::duty_of(&contract).warning,
            contract,
        }
    }
}

#[derive(Template)]
#[template(path = "contracts/index.html")]
struct RegisterPage {
    layout: Layout,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
    query: ListQuery,
    /// The query string of the filters, to carry into the page links.
    filters: String,
    statuses: &'static [ContractStatus],
    supplier_view: bool,
    may_enter: bool,
    /// The slug of the reader's organisation, for the links to its published payment returns.
    organisation: String,
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /contracts`.
pub async fn index(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let today = app.store.today();
    let ContractPage { total, contracts } = uc::list(&app.store, &user.caller(), &query).await?;
    let page = query.page.unwrap_or(1);
    let filters = [
        ("status", &query.status),
        ("supplier", &query.supplier),
        ("q", &query.q),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("&{k}={}", encode(v)))
    })
    .collect();
    let org = user.principal.organisation_id;
    let page = RegisterPage {
        layout: Layout::for_user(&user, "Contracts", Some(Area::Contracts)),
        rows: contracts.into_iter().map(|c| Row::new(c, today)).collect(),
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        query,
        filters,
        statuses: ContractStatus::ALL,
        supplier_view: matches!(
            user.principal.contract_scope(),
            Some(ContractScope::Supplier(_))
        ),
        may_enter: user.can(Action::ManageContracts(org)),
        organisation: user.user.organisation.clone(),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "contracts/contract.html")]
struct ContractPageView {
    layout: Layout,
    d: ContractDetail,
    /// The contract's KPIs, with a trend chart each.
    kpis: uc::kpis::KpiReport,
    charts: Vec<String>,
    kinds: &'static [&'static str],
    error: Option<AppError>,
}

impl ContractPageView {
    /// How many of a KPI's returns came late.
    fn late_count(&self, l: &uc::kpis::KpiLine) -> usize {
        l.returns.iter().filter(|r| r.ret.late).count()
    }
}

async fn contract_page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let d = uc::get(&app.store, &user.caller(), id).await?;
    let kpis = uc::kpis::report(&app.store, &user.caller(), id).await?;
    let charts = kpis
        .kpis
        .iter()
        .map(super::contract_kpis::trend_chart)
        .collect();
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = ContractPageView {
        layout: Layout::for_user(user, &d.contract.title, Some(Area::Contracts)),
        d,
        kpis,
        charts,
        kinds: &[
            "contract",
            "specification",
            "variation",
            "performance",
            "other",
        ],
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /contracts/{id}`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    contract_page(&app, &user, id, None).await
}

/// `POST /contracts/{id}/documents`.
pub async fn add_document(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<DocumentInput>,
) -> AppResult<Response> {
    let result = uc::add_document(&app.store, &user.caller(), id, &input)
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |_| format!("/contracts/{id}#documents"),
        |e| contract_page(&app, &user, id, Some(e)),
    )
    .await
}

#[derive(Template)]
#[template(path = "contracts/new.html")]
struct NewPage {
    layout: Layout,
    input: ContractInput,
    routes: &'static [Route],
    types: &'static [ContractType],
    vat: &'static [VatTreatment],
    error: Option<AppError>,
}

async fn new_page(
    user: &CurrentUser,
    input: ContractInput,
    error: Option<AppError>,
) -> AppResult<Response> {
    user.require(Action::ManageContracts(user.principal.organisation_id))?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = NewPage {
        layout: Layout::for_user(user, "Enter a contract", Some(Area::Contracts)),
        input,
        routes: Route::ALL,
        types: ContractType::ALL,
        vat: VatTreatment::ALL,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /contracts/new`.
pub async fn new(user: CurrentUser) -> AppResult<Response> {
    new_page(&user, ContractInput::default(), None).await
}

/// `POST /contracts/new`: enters a contract into the user's own council's register.
pub async fn create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<ContractInput>,
) -> AppResult<Response> {
    let org = app
        .store
        .organisation_by_id(user.principal.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("your organisation".into()))?;
    let result = uc::enter(&app.store, &user.caller(), &org.slug, &input)
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |c| format!("/contracts/{}", c.id),
        |e| new_page(&user, input.clone(), Some(e)),
    )
    .await
}

#[derive(Template)]
#[template(path = "contracts/expiring.html")]
struct ExpiringPage {
    layout: Layout,
    p: Pipeline,
}

/// The months the pipeline page looks ahead.
#[derive(Debug, Deserialize)]
pub struct MonthsQuery {
    months: Option<u32>,
}

/// `GET /contracts/expiring`: the user's own council's expiry pipeline.
pub async fn expiring(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(q): Query<MonthsQuery>,
) -> AppResult<Response> {
    let org = app
        .store
        .organisation_by_id(user.principal.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("your organisation".into()))?;
    let p = uc::expiring(
        &app.store,
        &user.caller(),
        &org.slug,
        q.months.unwrap_or(18),
    )
    .await?;
    let page = ExpiringPage {
        layout: Layout::for_user(&user, "Expiry pipeline", Some(Area::Contracts)),
        p,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "contracts/provider.html")]
struct ProviderPage {
    layout: Layout,
    v: ngc_app::providers::ProviderView,
    /// Its contracts soonest ending first, at most [`PROVIDER_LIST`].
    rows: Vec<Row>,
    /// Its KPIs' trends, the declining first, at most [`PROVIDER_LIST`].
    trends: Vec<(i64, String, String, ngc_domain::contracts::kpi::Trend)>,
    /// How many contracts, trends and returns the lists leave out.
    more_contracts: usize,
    more_trends: usize,
    more_returns: usize,
    /// The register filtered to this provider's contracts.
    register_link: String,
}

/// The most rows each list of the provider page shows: the page stays the same size however
/// many contracts a provider holds (the register lists them all, filtered by supplier, a page
/// at a time; the API gives everything).
const PROVIDER_LIST: usize = 50;

/// `GET /contracts/providers/{slug}`: a provider across every council.
pub async fn provider(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    use ngc_domain::contracts::kpi::Trend;
    let mut v = ngc_app::providers::view(&app.store, &user.caller(), &slug).await?;
    let today = v.today;
    let contracts = std::mem::take(&mut v.contracts);
    let more_contracts = contracts.len().saturating_sub(PROVIDER_LIST);
    let rows = contracts
        .into_iter()
        .take(PROVIDER_LIST)
        .map(|c| Row::new(c, today))
        .collect();
    let mut trends = std::mem::take(&mut v.kpis.trends);
    trends.sort_by_key(|t| t.3 != Trend::Declining);
    let more_trends = trends.len().saturating_sub(PROVIDER_LIST);
    trends.truncate(PROVIDER_LIST);
    let more_returns = v.kpis.returns.len().saturating_sub(PROVIDER_LIST);
    v.kpis.returns.truncate(PROVIDER_LIST);
    let page = ProviderPage {
        layout: Layout::for_user(&user, &v.organisation.name, Some(Area::Contracts)),
        register_link: format!("/contracts?supplier={}", encode(&v.organisation.slug)),
        v,
        rows,
        trends,
        more_contracts,
        more_trends,
        more_returns,
    };
    Ok(render(&page))
}
