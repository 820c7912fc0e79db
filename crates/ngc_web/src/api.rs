//! The JSON API under `/api/v1`, documented by the OpenAPI document at
//! `/api/v1/openapi.json`. Money travels as decimal strings, never floats.

pub mod audit;
pub mod bids;
pub mod budget_monitoring;
pub mod consultations;
pub mod contracts;
pub mod joint_working;
pub mod ledger;
pub mod me;
pub mod notices;
pub mod organisations;
pub mod partnerships;
pub mod pipeline;
pub mod plan_revisions;
pub mod plans;
pub mod providers;
pub mod shared_services;
pub mod supplier_registrations;
pub mod tenders;
pub mod tokens;
pub mod users;

use crate::AppState;
use crate::error::{AppError, ErrorBody, ErrorDetail};
use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A JSON body whose rejection is the API's error envelope.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        AppError::BadRequest(r.body_text())
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ngc",
        description = "The Next Generation Council platform: organisations, partnerships, \
            users and the audit trail. Authenticate with `Authorization: Bearer <token>`; \
            get a token from `POST /api/v1/tokens`. Money is a decimal string in pounds.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    components(schemas(ErrorBody, ErrorDetail)),
    tags(
        (name = "me", description = "The signed-in user"),
        (name = "tokens", description = "API bearer tokens"),
        (name = "organisations", description = "Councils, combined authorities, shared-service bodies, providers"),
        (name = "partnerships", description = "Combined authorities, shared services, alliances and their members"),
        (name = "finance", description = "Medium-term financial plans: the report and the risk simulation"),
        (name = "suppliers", description = "Supplier self-registration, and its verification by the instance administrator"),
        (name = "users", description = "Users and roles (organisation and instance administrators)"),
        (name = "audit", description = "The tamper-evident audit trail (instance administrators)"),
        (name = "procurement", description = "Tenders and their lifecycle: publication, documents, clarification questions, sealed bids, checks before award, challenges; planned procurements and the pipeline"),
        (name = "notices", description = "A tender's notices in OCDS form, and their publication on the Central Digital Platform"),
        (name = "ledger", description = "An organisation's double-entry ledger: balanced, immutable journals posted once per idempotency key, and the trial balance at any date"),
        (name = "consultations", description = "Public budget consultations built from a plan year: their questions, results (counted per step), publication and notes on the plan"),
        (name = "contracts", description = "The contract register: contracts from awards, entered or imported; documents; the expiry pipeline; payment terms, providers' claims and payments; variations under the change rules and terminations"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes with their OpenAPI document.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::find_me))
        .routes(routes!(tokens::create_token, tokens::list_tokens))
        .routes(routes!(tokens::revoke_token))
        .routes(routes!(
            organisations::list_organisations,
            organisations::create_organisation
        ))
        .routes(routes!(
            organisations::find_organisation,
            organisations::update_organisation,
            organisations::patch_organisation
        ))
        .routes(routes!(
            organisations::list_registration_requests,
            organisations::create_registration_request
        ))
        .routes(routes!(organisations::decide_registration_request))
        .routes(routes!(
            partnerships::list_partnerships,
            partnerships::create_partnership
        ))
        .routes(routes!(
            partnerships::find_partnership,
            partnerships::update_partnership
        ))
        .routes(routes!(partnerships::add_member))
        .routes(routes!(partnerships::end_membership))
        .routes(routes!(shared_services::statement))
        .routes(routes!(shared_services::savings))
        .routes(routes!(shared_services::record_exit))
        .routes(routes!(shared_services::enter_year))
        .routes(routes!(shared_services::versions))
        .routes(routes!(shared_services::restore_version))
        .routes(routes!(joint_working::find_consolidation))
        .routes(routes!(
            joint_working::list_joint_tenders,
            joint_working::start_joint_tender
        ))
        .routes(routes!(joint_working::create_key_values))
        .routes(routes!(ledger::find_trial_balance))
        .routes(routes!(ledger::create_journal))
        .routes(routes!(ledger::find_journal))
        .routes(routes!(ledger::create_reversal))
        .routes(routes!(ledger::find_spend_lines))
        .routes(routes!(budget_monitoring::find_budget_monitoring))
        .routes(routes!(budget_monitoring::create_forecast))
        .routes(routes!(budget_monitoring::create_virement))
        .routes(routes!(budget_monitoring::create_profile))
        .routes(routes!(budget_monitoring::create_releasable_reserve))
        .routes(routes!(
            consultations::list_consultations,
            consultations::create_consultation
        ))
        .routes(routes!(consultations::find_results))
        .routes(routes!(consultations::publish_results))
        .routes(routes!(consultations::attach_plan_notes))
        .routes(routes!(plans::list_plans))
        .routes(routes!(plans::find_report))
        .routes(routes!(plans::find_simulation))
        .routes(routes!(plan_revisions::list_revisions))
        .routes(routes!(plan_revisions::find_revision))
        .routes(routes!(plan_revisions::restore_revision))
        .routes(routes!(plans::record_delivery))
        .routes(routes!(plans::update_assumptions))
        .routes(routes!(plans::savings::list_savings))
        .routes(routes!(plans::savings::link_saving))
        .routes(routes!(plans::savings::unlink_saving))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::disable_user))
        .routes(routes!(users::enable_user))
        .routes(routes!(audit::list_audit))
        .routes(routes!(notices::list_notices, notices::prepare_notice))
        .routes(routes!(notices::record_publication))
        .routes(routes!(
            supplier_registrations::create_supplier_registration,
            supplier_registrations::list_supplier_registrations
        ))
        .routes(routes!(
            supplier_registrations::decide_supplier_registration
        ))
        .routes(routes!(contracts::list_contracts))
        .routes(routes!(contracts::find_contract))
        .routes(routes!(contracts::create_contract))
        .routes(routes!(contracts::add_contract_document))
        .routes(routes!(contracts::list_expiring_contracts))
        .routes(routes!(providers::find_provider))
        .routes(routes!(providers::record_provider_accounts))
        .routes(routes!(contracts::payments::set_payment_terms))
        .routes(routes!(contracts::payments::submit_claim))
        .routes(routes!(
            contracts::payments::record_payment,
            contracts::payments::find_payment_summary
        ))
        .routes(routes!(
            contracts::kpis::find_contract_kpis,
            contracts::kpis::define_contract_kpi
        ))
        .routes(routes!(contracts::kpis::submit_kpi_return))
        .routes(routes!(contracts::kpis::record_performance_failure))
        .routes(routes!(
            contracts::variations::vary_contract,
            contracts::variations::list_contract_variations
        ))
        .routes(routes!(contracts::variations::terminate_contract))
        .routes(routes!(tenders::list_tenders, tenders::create_tender))
        .routes(routes!(tenders::find_tender, tenders::update_tender))
        .routes(routes!(tenders::publish_tender))
        .routes(routes!(tenders::terminate_tender))
        .routes(routes!(tenders::add_document))
        .routes(routes!(tenders::questions::ask_question))
        .routes(routes!(tenders::questions::answer_question))
        .routes(routes!(tenders::checks::find_checks))
        .routes(routes!(
            tenders::panel::find_panel,
            tenders::panel::assign_panel_member
        ))
        .routes(routes!(tenders::checks::record_conflicts_assessment))
        .routes(routes!(tenders::checks::record_exclusion_check))
        .routes(routes!(tenders::checks::record_reservation_check))
        .routes(routes!(tenders::checks::receive_challenge))
        .routes(routes!(tenders::checks::lift_challenge))
        .routes(routes!(tenders::evaluation::declare))
        .routes(routes!(tenders::evaluation::score))
        .routes(routes!(tenders::evaluation::find_evaluation))
        .routes(routes!(tenders::evaluation::moderate))
        .routes(routes!(tenders::evaluation::open_prices))
        .routes(routes!(tenders::evaluation::abnormally_low))
        .routes(routes!(tenders::evaluation::award))
        .routes(routes!(
            tenders::evaluation::send_summaries,
            tenders::evaluation::list_summaries
        ))
        .routes(routes!(tenders::evaluation::make_contract))
        .routes(routes!(
            pipeline::list_planned_procurements,
            pipeline::create_planned_procurement
        ))
        .routes(routes!(bids::create_bid, bids::list_bids))
        .routes(routes!(
            bids::find_bid,
            bids::replace_bid,
            bids::withdraw_bid
        ))
}
