//! A provider across every council (through [`ngc_app::providers`]): its contracts, its
//! dependency on each council, its accounts and its viability flags.

use super::ApiJson;
use super::contracts::views::ContractView;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use ngc_app::providers::payments::CouncilPayments;
use ngc_app::providers::{self as uc, AccountsInput, ProviderView};
use ngc_domain::money::Money;
use ngc_store::providers::ProviderAccounts;
use serde::Serialize;
use utoipa::ToSchema;

/// A council's part of a provider's contract income.
#[derive(Debug, Serialize, ToSchema)]
pub struct DependencyView {
    /// The council's slug (or `other` for income ngc does not see).
    pub council: String,
    pub name: String,
    /// Its contract income a year from the council.
    pub amount: Money,
    /// Its share of what the dependency is measured against, in per cent.
    pub share_percent: String,
}

/// A year's accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountsView {
    pub year_end: NaiveDate,
    pub turnover: Money,
    pub net_assets: Money,
    pub reserves: Money,
    pub filed_on: Option<NaiveDate>,
}

impl From<ProviderAccounts> for AccountsView {
    fn from(a: ProviderAccounts) -> Self {
        Self {
            year_end: a.year_end,
            turnover: a.turnover,
            net_assets: a.net_assets,
            reserves: a.reserves,
            filed_on: a.filed_on,
        }
    }
}

/// A provider's payments from one council.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilPaymentsView {
    /// The council's slug.
    pub council: String,
    pub name: String,
    /// Paid in the last twelve months, and in how many payments.
    pub paid: Money,
    pub payments: usize,
    /// The mean days from a valid invoice to payment over those payments, to one decimal
    /// place (`null` when none).
    pub average_days_to_payment: Option<String>,
    /// Payments made after the day the prompt-payment term allows, and invoices unpaid past
    /// it.
    pub late: usize,
    /// Invoices received and not yet paid.
    pub unpaid: Money,
    pub unpaid_invoices: usize,
    /// What the payment terms have made due by today less what has been paid.
    pub due_unpaid: Money,
}

impl From<CouncilPayments> for CouncilPaymentsView {
    fn from(p: CouncilPayments) -> Self {
        Self {
            council: p.council,
            name: p.name,
            paid: p.paid,
            payments: p.payments,
            average_days_to_payment: p.average_days_to_payment.map(|d| d.to_string()),
            late: p.late,
            unpaid: p.unpaid,
            unpaid_invoices: p.unpaid_invoices,
            due_unpaid: p.due_unpaid,
        }
    }
}

/// A viability flag and its reasons in words.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagView {
    /// `dependency`, `declining_kpis`, `penalties`, `thin_reserves` or `income_ending`.
    pub kind: String,
    pub reason: String,
}

/// A provider's cross-council view.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderJson {
    pub slug: String,
    pub name: String,
    pub contracts: Vec<ContractView>,
    /// Whether dependency is measured against the provider's turnover (`turnover`) or only
    /// the contract income ngc sees (`contract_income`).
    pub dependency_basis: String,
    pub measured_against: Money,
    pub dependency: Vec<DependencyView>,
    /// Annual income of running contracts ending within 12 months with no successor.
    pub income_ending: Money,
    pub accounts: Vec<AccountsView>,
    /// Whether the signals put the provider on the viability watch list.
    pub on_watch: bool,
    pub flags: Vec<FlagView>,
    /// Notes on what the assessment could not see.
    pub notes: Vec<String>,
    /// Whether the rule's thresholds are confirmed (they are ngc's policy defaults).
    pub rule_confirmed: bool,
    /// Its KPIs across its contracts, each with its trend.
    pub kpi_trends: Vec<KpiTrendView>,
    /// KPI returns made after their due day.
    pub late_returns: usize,
    /// KPI returns due and not made.
    pub missing_returns: usize,
    /// Penalties imposed on it for failures in periods ending in the last twelve months.
    pub penalties_imposed: Money,
    /// Its payments from each council: paid in the last twelve months and how fast, unpaid
    /// invoices, and what its payment terms made due that is not yet paid.
    pub payments: Vec<CouncilPaymentsView>,
}

/// A KPI's trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiTrendView {
    pub contract_id: i64,
    pub kpi: String,
    pub title: String,
    /// `improving`, `steady` or `declining`.
    pub trend: String,
}

impl From<ProviderView> for ProviderJson {
    fn from(v: ProviderView) -> Self {
        let today = v.today;
        let mut dependency: Vec<DependencyView> = v
            .dependency
            .councils
            .into_iter()
            .map(|d| DependencyView {
                council: d.council,
                name: d.name,
                amount: d.amount,
                share_percent: d.share_percent.normalize().to_string(),
            })
            .collect();
        if !v.dependency.other_income.is_zero() {
            dependency.push(DependencyView {
                council: "other".into(),
                name: "Other income".into(),
                amount: v.dependency.other_income,
                share_percent: v.dependency.other_percent.normalize().to_string(),
            });
        }
        Self {
            slug: v.organisation.slug,
            name: v.organisation.name,
            contracts: v
                .contracts
                .into_iter()
                .map(|c| ContractView::new(c, today))
                .collect(),
            dependency_basis: v.dependency.basis.as_str().into(),
            measured_against: v.dependency.measured_against,
            dependency,
            income_ending: v.income_ending,
            accounts: v.accounts.into_iter().map(Into::into).collect(),
            on_watch: v.viability.on_watch,
            flags: v
                .viability
                .flags
                .into_iter()
                .map(|f| FlagView {
                    kind: f.kind.as_str().into(),
                    reason: f.reason,
                })
                .collect(),
            notes: v.viability.notes,
            rule_confirmed: v.viability.confirmed,
            kpi_trends: v
                .kpis
                .trends
                .into_iter()
                .map(|(contract_id, kpi, title, t)| KpiTrendView {
                    contract_id,
                    kpi,
                    title,
                    trend: t.as_str().into(),
                })
                .collect(),
            late_returns: v.kpis.late,
            missing_returns: v.kpis.missing,
            penalties_imposed: v.penalties_imposed,
            payments: v.payments.into_iter().map(Into::into).collect(),
        }
    }
}

/// A provider across every council: its contracts, its dependency on each council, its
/// accounts and its viability flags (its own staff, and councils' staff).
#[utoipa::path(get, path = "/api/v1/providers/{slug}", tag = "contracts", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The provider's slug")),
    responses((status = 200, body = ProviderJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_provider(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<ProviderJson>> {
    Ok(Json(
        uc::view(&app.store, &user.caller(), &slug).await?.into(),
    ))
}

/// Enters a provider's accounts for a year (its own staff); a year entered before keeps its
/// old figures, superseded.
#[utoipa::path(post, path = "/api/v1/providers/{slug}/accounts", tag = "contracts",
    security(("bearer" = [])), request_body = AccountsInput,
    params(("slug" = String, Path, description = "The provider's slug")),
    responses((status = 201, body = AccountsView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_provider_accounts(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<AccountsInput>,
) -> AppResult<(StatusCode, Json<AccountsView>)> {
    let a = uc::record_accounts(&app.store, &user.caller(), &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}
