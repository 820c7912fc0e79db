//! The authorisation matrix: every route of the router, for every role and for anonymous
//! visitors, on the user's own organisation and on another. A route without a row here
//! fails the test, so no route can be added without deciding who may use it.
//!
//! It checks outcomes, not only status codes: an allowed case answers exactly its
//! documented success status (the OpenAPI document's for the API, 200 for a page, 303 for a
//! form post); a refused write leaves the audit head and every row it could touch as they
//! were; a list holds only records the user may read.

use super::support::{ANON_CSRF, Auth, Reply, TestApp, TestUser};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_domain::organisation::RegistrationChange;
use ngc_store::{Actor, Store, store_test};
use serde_json::{Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Own,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Authorised: the route's documented success status, exactly.
    Pass,
    Forbidden,
    NotFound,
    /// 401 under /api, a redirect to /login for pages.
    SignIn,
}
use Outcome::*;

type Rule = fn(Option<Role>, Scope) -> Outcome;

fn public(_: Option<Role>, _: Scope) -> Outcome {
    Pass
}
/// A bearer route of its own (`metrics_token`): 401 whoever the user is.
fn metrics_token_only(_: Option<Role>, _: Scope) -> Outcome {
    SignIn
}
/// Signing out always ends on the sign-in page, whoever asks.
fn ends_on_sign_in(_: Option<Role>, _: Scope) -> Outcome {
    SignIn
}
fn signed_in(r: Option<Role>, _: Scope) -> Outcome {
    if r.is_some() { Pass } else { SignIn }
}
fn only(r: Option<Role>, roles: &[Role]) -> Outcome {
    match r {
        None => SignIn,
        Some(r) if roles.contains(&r) => Pass,
        Some(_) => Forbidden,
    }
}
fn instance_admin(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::InstanceAdmin])
}
/// Both administrators reach the admin area.
fn admins(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::InstanceAdmin, Role::OrgAdmin])
}
/// Users of an organisation: its own administrators and the instance administrator.
fn manage_users(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::InstanceAdmin), _) | (Some(Role::OrgAdmin), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// Contact details, and requests to change registration facts: the organisation's own
/// staff (not partners or evaluators) and the instance administrator.
fn edit_details(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::InstanceAdmin), _) => Pass,
        (
            Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Provider),
            Scope::Own,
        ) => Pass,
        _ => only(r, &[]),
    }
}
/// The registration history: anyone of the organisation, and the instance administrator.
fn read_requests(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::InstanceAdmin), _) | (Some(_), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// A shared-service partnership's records: its current partners' administrators, finance and
/// partner staff (alpha is a partner of `alpha-shared`, not of `beta-shared`).
fn read_shared(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance | Role::Partner), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// Keeping a shared-service partnership's figures: the lead council's administrators and
/// finance officers (alpha leads `alpha-shared`; beta leads `beta-shared`).
fn manage_shared(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// An organisation's ledger: its own finance officers and administrators.
fn ledger_keepers(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// A partnership's joint working: the staff (administrator, finance, commissioners,
/// partners) of a current member; the fixture's users' council is a member of its own
/// partnership only.
fn joint_readers(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Partner), Scope::Own) => {
            Pass
        }
        _ => only(r, &[]),
    }
}
/// Starting a joint tender: a commissioner (or the administrator) of a member council that
/// holds the function, through the tender-creation rule.
fn joint_tender_starters(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Commissioner), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// A council's key values: its own administrator and finance officers.
fn enter_key_values(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
fn finance_area(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::OrgAdmin,
            Role::Finance,
            Role::Commissioner,
            Role::Partner,
        ],
    )
}
fn procurement_area(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::OrgAdmin,
            Role::Commissioner,
            Role::Evaluator,
            Role::Provider,
        ],
    )
}
/// Whoever reads contracts at all: a council's staff (as buyer) and a provider's (as
/// supplier).
fn contracts_area(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::OrgAdmin,
            Role::Finance,
            Role::Commissioner,
            Role::Partner,
            Role::Provider,
        ],
    )
}
/// A contract: read by its buyer's staff and its supplier's; another council's is not
/// found.
fn read_contract(r: Option<Role>, s: Scope) -> Outcome {
    match (contracts_area(r, s), s) {
        (Pass, Scope::Other) => NotFound,
        (o, _) => o,
    }
}
/// Changing a contract: its council's commissioners and administrator; a reader who may
/// not change it is refused, another council's contract is not found.
fn manage_contract(r: Option<Role>, s: Scope) -> Outcome {
    match (r, read_contract(r, s)) {
        (Some(Role::OrgAdmin | Role::Commissioner), Pass) => Pass,
        (_, Pass) => Forbidden,
        (_, o) => o,
    }
}
/// What a reader of the contract in scope may do to it: `allowed` roles pass, its other
/// readers are refused, and to everyone else it does not exist.
fn contract_action(r: Option<Role>, s: Scope, allowed: fn(Role) -> bool) -> Outcome {
    match (r, s) {
        (None, _) => SignIn,
        (Some(Role::InstanceAdmin | Role::Evaluator), _) => Forbidden,
        (Some(_), Scope::Other) => NotFound,
        (Some(role), Scope::Own) if allowed(role) => Pass,
        (Some(_), Scope::Own) => Forbidden,
    }
}
/// Claims: the supplier's staff.
fn claim_on_contract(r: Option<Role>, s: Scope) -> Outcome {
    contract_action(r, s, |role| role == Role::Provider)
}
/// Payments: the holding council's finance officers, commissioners and administrator.
fn record_contract_payment(r: Option<Role>, s: Scope) -> Outcome {
    contract_action(r, s, |role| {
        matches!(role, Role::OrgAdmin | Role::Finance | Role::Commissioner)
    })
}
/// Entering contracts into a council's register: its commissioners and administrator.
fn enter_contracts(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Commissioner), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// A council's expiry pipeline: its own staff who read contracts as buyer.
fn own_pipeline(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Partner), Scope::Own) => {
            Pass
        }
        _ => only(r, &[]),
    }
}
/// The pipeline page of the user's own council: its staff who read contracts as buyer.
fn pipeline_page(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::OrgAdmin,
            Role::Finance,
            Role::Commissioner,
            Role::Partner,
        ],
    )
}
/// A provider's cross-council view: councils' staff, and the provider's own.
fn provider_view(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Provider), Scope::Own) => Pass,
        (Some(Role::Provider), Scope::Other) => Forbidden,
        _ => pipeline_page(r, s),
    }
}
/// A provider's accounts: its own staff.
fn provider_accounts(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Provider), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// The form that enters a contract into the user's own council's register.
fn contract_form(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::OrgAdmin, Role::Commissioner])
}
fn read_plans(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Partner), Scope::Own) => {
            Pass
        }
        _ => only(r, &[]),
    }
}
fn update_plans(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::OrgAdmin, Role::Finance])
}
/// The API names the organisation: its own finance officers and administrator change its plans.
fn update_org_plans(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// A consultation's results before they are published: its council's plan readers; anyone
/// else, signed in or not, finds nothing there.
fn consultation_results(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Partner), Scope::Own) => {
            Pass
        }
        _ => NotFound,
    }
}
/// Finance pages act on the user's own organisation's plans: readers of its plans pass.
fn own_plans(r: Option<Role>, _: Scope) -> Outcome {
    finance_area(r, Scope::Own)
}
/// A tender's notices (the fixture tender is a draft of the organisation in scope): its
/// buyer's staff read them; anyone else cannot see the draft at all.
fn read_notices(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (
            Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Evaluator),
            Scope::Own,
        ) => Pass,
        (Some(_), _) => NotFound,
        (None, _) => SignIn,
    }
}
/// Preparing a notice and recording its publication: the lead buyer's commissioners; its
/// other staff see the draft but may not; anyone else cannot see it.
fn manage_notices(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Commissioner), Scope::Own) => Pass,
        (Some(Role::Finance | Role::Evaluator), Scope::Own) => Forbidden,
        (Some(_), _) => NotFound,
        (None, _) => SignIn,
    }
}
/// A tender draft: its buyers' staff see it; to everyone else it does not exist.
fn read_draft(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (None, _) => SignIn,
        (
            Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Evaluator),
            Scope::Own,
        ) => Pass,
        _ => NotFound,
    }
}
/// Running a draft: the lead's commissioners and administrator; the rest of its staff are
/// refused; to everyone else it does not exist.
fn manage_draft(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (None, _) => SignIn,
        (Some(Role::OrgAdmin | Role::Commissioner), Scope::Own) => Pass,
        (Some(Role::Finance | Role::Evaluator), Scope::Own) => Forbidden,
        _ => NotFound,
    }
}
/// Running a published tender (everyone signed in sees it): the lead's commissioners and
/// administrator.
fn manage_published(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::OrgAdmin | Role::Commissioner), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// A published tender's checks and challenges: its buyers' staff.
fn tender_buyer_staff(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (
            Some(Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Evaluator),
            Scope::Own,
        ) => Pass,
        _ => only(r, &[]),
    }
}
/// Questions on a published tender of any council: providers.
fn providers(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::Provider])
}
/// New tenders and planned procurements of the user's own council.
fn commissioners(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::OrgAdmin, Role::Commissioner])
}
/// The user's own council's pipeline: the staff who read its tenders.
fn tender_readers(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::OrgAdmin,
            Role::Finance,
            Role::Commissioner,
            Role::Evaluator,
        ],
    )
}
/// Changing a bid: a provider's own; another provider's bid is "not found".
fn own_bid(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Provider), Scope::Own) => Pass,
        (Some(Role::Provider), Scope::Other) => NotFound,
        _ => only(r, &[]),
    }
}
/// The bids of a closed tender: providers list their own; the procurement lead and the
/// cleared panel of the tender in scope (alpha's commissioner and evaluator) list all.
fn list_bids(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Provider), _) | (Some(Role::Commissioner | Role::Evaluator), Scope::Own) => {
            Pass
        }
        _ => only(r, &[]),
    }
}
/// A bid of a closed tender: read by its lead and cleared panel only; the bidder is refused,
/// another provider finds nothing.
fn read_bid(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Commissioner | Role::Evaluator), Scope::Own) => Pass,
        (Some(Role::Provider), Scope::Other) => NotFound,
        _ => only(r, &[]),
    }
}
/// Declaring and scoring: a member of the tender's panel (alpha's evaluator, on alpha's
/// tender); anyone else is refused.
fn panel_member(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Evaluator), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// The evaluation of a tender: its procurement lead (alpha's commissioner, on alpha's
/// tender) and its panel.
fn evaluation_readers(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Commissioner | Role::Evaluator), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// Moderation, prices, abnormally low bids, award, summaries, contract: the tender's
/// procurement lead only.
fn procurement_lead(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Commissioner), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// Assessment summaries: every provider (its own only) and the procurement lead.
fn summary_readers(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Provider), _) | (Some(Role::Commissioner), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
fn own_token(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (None, _) => SignIn,
        (Some(_), Scope::Own) => Pass,
        (Some(_), Scope::Other) => NotFound,
    }
}

/// Who may use each route.
fn matrix() -> BTreeMap<(Method, &'static str), Rule> {
    let get = Method::GET;
    let post = Method::POST;
    let rows: Vec<(Method, &'static str, Rule)> = vec![
        // Infrastructure and public pages.
        (get.clone(), "/healthz", public),
        (get.clone(), "/readyz", public),
        // Only the configured metrics token opens /metrics; no user's token or session does.
        (get.clone(), "/metrics", metrics_token_only),
        (get.clone(), "/static/htmx.min.js", public),
        (get.clone(), "/static/app.css", public),
        (get.clone(), "/api/v1/openapi.json", public),
        (get.clone(), "/login", public),
        (post.clone(), "/login", public),
        (post.clone(), "/logout", ends_on_sign_in),
        (get.clone(), "/open-data", public),
        // The payment performance returns (PA2023 s69, s70): published, no sign-in.
        (get.clone(), "/open-data/{org}/payment-compliance", public),
        (
            get.clone(),
            "/open-data/{org}/payment-compliance.csv",
            public,
        ),
        (
            get.clone(),
            "/open-data/{org}/payment-compliance.json",
            public,
        ),
        (get.clone(), "/open-data/{org}/payments-over-30k", public),
        (
            get.clone(),
            "/open-data/{org}/payments-over-30k.csv",
            public,
        ),
        (
            get.clone(),
            "/open-data/{org}/payments-over-30k.json",
            public,
        ),
        // The Transparency Code datasets: published, no sign-in.
        (get.clone(), "/open-data/{org}", public),
        (get.clone(), "/open-data/{org}/datasets/{dataset}", public),
        // Open data: published notices only, for anyone.
        (get.clone(), "/ocds/releases", public),
        (get.clone(), "/ocds/records/{ocid}", public),
        // API.
        (get.clone(), "/api/v1/me", signed_in),
        (post.clone(), "/api/v1/tokens", public),
        (get.clone(), "/api/v1/tokens", signed_in),
        (Method::DELETE, "/api/v1/tokens/{id}", own_token),
        (get.clone(), "/api/v1/organisations", signed_in),
        (post.clone(), "/api/v1/organisations", instance_admin),
        (get.clone(), "/api/v1/organisations/{slug}", signed_in),
        // The body changes registration facts; PATCH changes contact details only.
        (Method::PUT, "/api/v1/organisations/{slug}", instance_admin),
        (Method::PATCH, "/api/v1/organisations/{slug}", edit_details),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/registration-requests",
            read_requests,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/registration-requests",
            edit_details,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/registration-requests/{id}/decision",
            instance_admin,
        ),
        (get.clone(), "/api/v1/partnerships", signed_in),
        (post.clone(), "/api/v1/partnerships", instance_admin),
        (get.clone(), "/api/v1/partnerships/{slug}", signed_in),
        (Method::PUT, "/api/v1/partnerships/{slug}", instance_admin),
        (
            post.clone(),
            "/api/v1/partnerships/{slug}/members",
            instance_admin,
        ),
        (
            post.clone(),
            "/api/v1/partnerships/{slug}/members/{organisation}/leave",
            instance_admin,
        ),
        (
            get.clone(),
            "/api/v1/partnerships/{slug}/consolidation",
            joint_readers,
        ),
        (
            get.clone(),
            "/api/v1/partnerships/{slug}/joint-tenders",
            joint_readers,
        ),
        (
            post.clone(),
            "/api/v1/partnerships/{slug}/joint-tenders",
            joint_tender_starters,
        ),
        (post.clone(), "/api/v1/key-values", enter_key_values),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/ledger/trial-balance",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/ledger/journals",
            ledger_keepers,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/ledger/journals/{id}",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/ledger/journals/{id}/reversal",
            ledger_keepers,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/ledger/journals/{id}/spend-lines",
            ledger_keepers,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/budget-monitoring",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/budget-monitoring/forecasts",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/budget-monitoring/virements",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/budget-monitoring/profiles",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/releasable-reserves",
            ledger_keepers,
        ),
        (
            get.clone(),
            "/api/v1/partnerships/{slug}/shared-services/statement",
            read_shared,
        ),
        (
            get.clone(),
            "/api/v1/partnerships/{slug}/shared-services/savings",
            read_shared,
        ),
        (
            post.clone(),
            "/api/v1/partnerships/{slug}/shared-services/exits",
            manage_shared,
        ),
        (
            post.clone(),
            "/api/v1/partnerships/{slug}/shared-services/years",
            manage_shared,
        ),
        (
            get.clone(),
            "/api/v1/partnerships/{slug}/shared-services/versions",
            read_shared,
        ),
        (
            post.clone(),
            "/api/v1/partnerships/{slug}/shared-services/versions/{id}/restore",
            manage_shared,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/consultations",
            read_plans,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/consultations",
            update_org_plans,
        ),
        (
            get.clone(),
            "/api/v1/consultations/{id}/results",
            consultation_results,
        ),
        (
            post.clone(),
            "/api/v1/consultations/{id}/publication",
            update_org_plans,
        ),
        (
            post.clone(),
            "/api/v1/consultations/{id}/plan-notes",
            update_org_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans",
            read_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/report",
            read_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/simulation",
            read_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/revisions",
            read_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/revisions/{number}",
            read_plans,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/revisions/{number}/restore",
            update_org_plans,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/delivery",
            update_org_plans,
        ),
        (
            Method::PUT,
            "/api/v1/organisations/{slug}/plans/{name}/assumptions",
            update_org_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/savings",
            read_plans,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/savings/{reference}/links",
            update_org_plans,
        ),
        (
            Method::DELETE,
            "/api/v1/organisations/{slug}/plans/{name}/savings/{reference}/links/{link_id}",
            update_org_plans,
        ),
        (get.clone(), "/api/v1/users", admins),
        (post.clone(), "/api/v1/users", manage_users),
        (post.clone(), "/api/v1/users/{id}/disable", manage_users),
        (post.clone(), "/api/v1/users/{id}/enable", manage_users),
        (get.clone(), "/api/v1/audit", instance_admin),
        (get.clone(), "/api/v1/tenders/{id}/notices", read_notices),
        (post.clone(), "/api/v1/tenders/{id}/notices", manage_notices),
        (
            post.clone(),
            "/api/v1/tenders/{id}/notices/{notice}/publication",
            manage_notices,
        ),
        // Tenders: the fixture of `{id}` is a draft, or a published tender where the route
        // acts on one (questions, checks, challenges); see `Case::tender`.
        (get.clone(), "/api/v1/tenders", signed_in),
        (post.clone(), "/api/v1/tenders", commissioners),
        (get.clone(), "/api/v1/tenders/{id}", read_draft),
        (Method::PUT, "/api/v1/tenders/{id}", manage_draft),
        (post.clone(), "/api/v1/tenders/{id}/publish", manage_draft),
        (post.clone(), "/api/v1/tenders/{id}/terminate", manage_draft),
        (post.clone(), "/api/v1/tenders/{id}/documents", manage_draft),
        (post.clone(), "/api/v1/tenders/{id}/questions", providers),
        (
            post.clone(),
            "/api/v1/tenders/{id}/questions/{qid}/answer",
            manage_published,
        ),
        (
            get.clone(),
            "/api/v1/tenders/{id}/checks",
            tender_buyer_staff,
        ),
        // The panel of a draft: its buyers' staff read it, the lead's commissioners add to it.
        (get.clone(), "/api/v1/tenders/{id}/panel", read_draft),
        (post.clone(), "/api/v1/tenders/{id}/panel", manage_draft),
        (
            post.clone(),
            "/api/v1/tenders/{id}/conflicts-assessments",
            manage_published,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/exclusion-checks",
            manage_published,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/reservation-checks",
            manage_published,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/challenges",
            manage_published,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/challenges/{cid}/lift",
            manage_published,
        ),
        (get.clone(), "/api/v1/contracts", contracts_area),
        (get.clone(), "/api/v1/contracts/{id}", read_contract),
        (
            post.clone(),
            "/api/v1/contracts/{id}/documents",
            manage_contract,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/contracts",
            enter_contracts,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/contracts/expiring",
            own_pipeline,
        ),
        (
            Method::PUT,
            "/api/v1/contracts/{id}/payment-terms",
            manage_contract,
        ),
        (
            post.clone(),
            "/api/v1/contracts/{id}/claims",
            claim_on_contract,
        ),
        (
            post.clone(),
            "/api/v1/contracts/{id}/payments",
            record_contract_payment,
        ),
        (
            get.clone(),
            "/api/v1/contracts/{id}/payments",
            read_contract,
        ),
        (get.clone(), "/api/v1/contracts/{id}/kpis", read_contract),
        (post.clone(), "/api/v1/contracts/{id}/kpis", manage_contract),
        (
            post.clone(),
            "/api/v1/contracts/{id}/returns",
            claim_on_contract,
        ),
        (
            post.clone(),
            "/api/v1/contracts/{id}/performance-failures",
            manage_contract,
        ),
        (
            post.clone(),
            "/api/v1/contracts/{id}/variations",
            manage_contract,
        ),
        (
            get.clone(),
            "/api/v1/contracts/{id}/variations",
            read_contract,
        ),
        (
            post.clone(),
            "/api/v1/contracts/{id}/termination",
            manage_contract,
        ),
        (get.clone(), "/api/v1/providers/{slug}", provider_view),
        (
            post.clone(),
            "/api/v1/providers/{slug}/accounts",
            provider_accounts,
        ),
        (get.clone(), "/api/v1/planned-procurements", tender_readers),
        (post.clone(), "/api/v1/planned-procurements", commissioners),
        (post.clone(), "/api/v1/tenders/{id}/bids", providers),
        (get.clone(), "/api/v1/tenders/{id}/bids", list_bids),
        (get.clone(), "/api/v1/bids/{id}", read_bid),
        (Method::PUT, "/api/v1/bids/{id}", own_bid),
        (Method::DELETE, "/api/v1/bids/{id}", own_bid),
        (
            post.clone(),
            "/api/v1/tenders/{id}/declarations",
            panel_member,
        ),
        (post.clone(), "/api/v1/tenders/{id}/scores", panel_member),
        (
            get.clone(),
            "/api/v1/tenders/{id}/evaluation",
            evaluation_readers,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/moderations",
            procurement_lead,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/price-openings",
            procurement_lead,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/abnormally-low",
            procurement_lead,
        ),
        (post.clone(), "/api/v1/tenders/{id}/award", procurement_lead),
        (
            post.clone(),
            "/api/v1/tenders/{id}/summaries",
            procurement_lead,
        ),
        (
            get.clone(),
            "/api/v1/tenders/{id}/summaries",
            summary_readers,
        ),
        (
            post.clone(),
            "/api/v1/tenders/{id}/contracts",
            procurement_lead,
        ),
        // Pages.
        (get.clone(), "/", signed_in),
        (get.clone(), "/finance", finance_area),
        (get.clone(), "/finance/resilience", finance_area),
        (get.clone(), "/finance/budget", own_plans),
        (get.clone(), "/finance/plans/{name}", own_plans),
        (get.clone(), "/finance/plans/{name}/savings", own_plans),
        (get.clone(), "/finance/plans/{name}/revisions", own_plans),
        (
            get.clone(),
            "/finance/plans/{name}/revisions/{number}",
            own_plans,
        ),
        (
            post.clone(),
            "/finance/plans/{name}/revisions/{number}/restore",
            update_plans,
        ),
        (
            post.clone(),
            "/finance/plans/{name}/assumptions",
            update_plans,
        ),
        (
            post.clone(),
            "/finance/plans/{name}/savings/{reference}/delivery",
            update_plans,
        ),
        (
            post.clone(),
            "/finance/plans/{name}/savings/{reference}/links",
            update_plans,
        ),
        (
            post.clone(),
            "/finance/plans/{name}/savings/{reference}/links/{link_id}/remove",
            update_plans,
        ),
        (get.clone(), "/procurement", procurement_area),
        (
            get.clone(),
            "/procurement/tenders/{id}/notices",
            read_notices,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/notices",
            manage_notices,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/notices/{notice}/publication",
            manage_notices,
        ),
        (get.clone(), "/procurement/pipeline", tender_readers),
        (post.clone(), "/procurement/pipeline", commissioners),
        (post.clone(), "/procurement/tenders", commissioners),
        (get.clone(), "/procurement/tenders/new", commissioners),
        (get.clone(), "/procurement/tenders/{id}", read_draft),
        (post.clone(), "/procurement/tenders/{id}", manage_draft),
        (get.clone(), "/procurement/tenders/{id}/edit", manage_draft),
        (
            post.clone(),
            "/procurement/tenders/{id}/publish",
            manage_draft,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/terminate",
            manage_draft,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/documents",
            manage_draft,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/questions",
            providers,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/questions/{qid}/answer",
            manage_published,
        ),
        (
            get.clone(),
            "/procurement/tenders/{id}/checks",
            tender_buyer_staff,
        ),
        (get.clone(), "/procurement/tenders/{id}/panel", read_draft),
        (
            post.clone(),
            "/procurement/tenders/{id}/panel",
            manage_draft,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/conflicts-assessments",
            manage_published,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/exclusion-checks",
            manage_published,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/reservation-checks",
            manage_published,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/challenges",
            manage_published,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/challenges/{cid}/lift",
            manage_published,
        ),
        (get.clone(), "/procurement/bids", providers),
        (get.clone(), "/procurement/bids/{id}", read_bid),
        (post.clone(), "/procurement/bids/{id}/replace", own_bid),
        (post.clone(), "/procurement/bids/{id}/withdraw", own_bid),
        (get.clone(), "/procurement/tenders/{id}/bid", providers),
        (post.clone(), "/procurement/tenders/{id}/bid", providers),
        (
            get.clone(),
            "/procurement/tenders/{id}/evaluation",
            evaluation_readers,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/declarations",
            panel_member,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/scores",
            panel_member,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/moderations",
            procurement_lead,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/price-openings",
            procurement_lead,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/abnormally-low",
            procurement_lead,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/award",
            procurement_lead,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/summaries",
            procurement_lead,
        ),
        (
            post.clone(),
            "/procurement/tenders/{id}/contracts",
            procurement_lead,
        ),
        (
            get.clone(),
            "/procurement/tenders/{id}/outcome",
            summary_readers,
        ),
        (get.clone(), "/contracts", contracts_area),
        (get.clone(), "/contracts/{id}/payments", read_contract),
        (
            post.clone(),
            "/contracts/{id}/payments",
            record_contract_payment,
        ),
        (post.clone(), "/contracts/{id}/claims", claim_on_contract),
        (get.clone(), "/contracts/{id}/kpis", read_contract),
        (post.clone(), "/contracts/{id}/kpis", manage_contract),
        (post.clone(), "/contracts/{id}/returns", claim_on_contract),
        (
            post.clone(),
            "/contracts/{id}/performance-failures",
            manage_contract,
        ),
        (get.clone(), "/contracts/{id}/variations", read_contract),
        (post.clone(), "/contracts/{id}/variations", manage_contract),
        (post.clone(), "/contracts/{id}/termination", manage_contract),
        (get.clone(), "/contracts/new", contract_form),
        (post.clone(), "/contracts/new", contract_form),
        (get.clone(), "/contracts/expiring", pipeline_page),
        (get.clone(), "/contracts/{id}", read_contract),
        (get.clone(), "/contracts/providers/{slug}", provider_view),
        (post.clone(), "/contracts/{id}/documents", manage_contract),
        (get.clone(), "/organisations", signed_in),
        (post.clone(), "/organisations", instance_admin),
        (get.clone(), "/organisations/new", instance_admin),
        (get.clone(), "/organisations/{slug}", signed_in),
        (post.clone(), "/organisations/{slug}", edit_details),
        (get.clone(), "/organisations/{slug}/edit", edit_details),
        (get.clone(), "/organisations/{slug}/ledger", ledger_keepers),
        (
            get.clone(),
            "/organisations/{slug}/ledger/journals/{id}",
            ledger_keepers,
        ),
        (
            get.clone(),
            "/organisations/{slug}/budget-monitoring",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/organisations/{slug}/ledger/journals/{id}/reversal",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/organisations/{slug}/budget-monitoring/forecasts",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/organisations/{slug}/budget-monitoring/reserves",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/organisations/{slug}/budget-monitoring/virements",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/organisations/{slug}/budget-monitoring/profiles",
            ledger_keepers,
        ),
        (
            post.clone(),
            "/organisations/{slug}/registration-requests",
            edit_details,
        ),
        (
            post.clone(),
            "/organisations/{slug}/registration-requests/{id}/decision",
            instance_admin,
        ),
        (get.clone(), "/partnerships", signed_in),
        (post.clone(), "/partnerships", instance_admin),
        (get.clone(), "/partnerships/new", instance_admin),
        (get.clone(), "/partnerships/{slug}", signed_in),
        (post.clone(), "/partnerships/{slug}", instance_admin),
        (get.clone(), "/partnerships/{slug}/edit", instance_admin),
        (post.clone(), "/partnerships/{slug}/members", instance_admin),
        (
            post.clone(),
            "/partnerships/{slug}/members/{organisation}/leave",
            instance_admin,
        ),
        (
            get.clone(),
            "/partnerships/{slug}/shared-services",
            read_shared,
        ),
        (
            post.clone(),
            "/partnerships/{slug}/shared-services/years",
            manage_shared,
        ),
        (
            post.clone(),
            "/partnerships/{slug}/shared-services/versions/{id}/restore",
            manage_shared,
        ),
        (
            post.clone(),
            "/partnerships/{slug}/shared-services/exits",
            manage_shared,
        ),
        (post.clone(), "/partnerships/{slug}/act", read_shared),
        (post.clone(), "/act/stop", signed_in),
        (
            get.clone(),
            "/partnerships/{slug}/consolidation",
            joint_readers,
        ),
        (
            post.clone(),
            "/partnerships/{slug}/joint-tenders",
            joint_tender_starters,
        ),
        (get.clone(), "/admin", admins),
        (get.clone(), "/admin/users", admins),
        (post.clone(), "/admin/users", manage_users),
        (post.clone(), "/admin/users/{id}/disable", manage_users),
        (post.clone(), "/admin/users/{id}/enable", manage_users),
        (get.clone(), "/admin/audit", instance_admin),
        (get.clone(), "/tokens", signed_in),
        (post.clone(), "/tokens", signed_in),
        (post.clone(), "/tokens/{id}/revoke", own_token),
        // Supplier self-registration: public; its verification, the instance administrator's.
        (get.clone(), "/finance/consultations", own_plans),
        (post.clone(), "/finance/consultations", update_plans),
        (get.clone(), "/consultations", public),
        (get.clone(), "/consultations/privacy", public),
        (get.clone(), "/consultations/{id}", public),
        (post.clone(), "/consultations/{id}", public),
        (get.clone(), "/consultations/{id}/thanks", public),
        (
            get.clone(),
            "/consultations/{id}/results",
            consultation_results,
        ),
        (
            get.clone(),
            "/consultations/{id}/results.csv",
            consultation_results,
        ),
        (
            post.clone(),
            "/consultations/{id}/publish",
            update_org_plans,
        ),
        (post.clone(), "/consultations/{id}/attach", update_org_plans),
        (get.clone(), "/register", public),
        (post.clone(), "/register", public),
        (post.clone(), "/api/v1/supplier-registrations", public),
        (
            get.clone(),
            "/api/v1/supplier-registrations",
            instance_admin,
        ),
        (
            post.clone(),
            "/api/v1/supplier-registrations/{id}/decision",
            instance_admin,
        ),
        (get.clone(), "/admin/registrations", instance_admin),
        (
            post.clone(),
            "/admin/registrations/{id}/decision",
            instance_admin,
        ),
    ];
    rows.into_iter().map(|(m, p, r)| ((m, p), r)).collect()
}

/// The success status a route documents: the OpenAPI document's 2xx answer for the API,
/// a redirect after a form post, 200 for any other page, with two exceptions: the sign-in
/// page sends a signed-in user on to the dashboard, and a new token is shown on the page
/// that made it (its secret is shown once, never carried in a redirect).
fn documented_success(
    openapi: &Value,
    method: &Method,
    template: &str,
    signed_in: bool,
) -> StatusCode {
    match (method.as_str(), template) {
        ("GET", "/login") if signed_in => return StatusCode::SEE_OTHER,
        ("POST", "/tokens") => return StatusCode::OK,
        // A resident's post without `action=submit` recalculates: the page again.
        ("POST", "/consultations/{id}") => return StatusCode::OK,
        _ => {}
    }
    if template.starts_with("/api/v1/") && template != "/api/v1/openapi.json" {
        let responses = &openapi["paths"][template][method.as_str().to_lowercase()]["responses"];
        let ok: Vec<&String> = responses
            .as_object()
            .unwrap_or_else(|| panic!("{method} {template} documents no responses"))
            .keys()
            .filter(|k| k.starts_with('2'))
            .collect();
        assert_eq!(ok.len(), 1, "{method} {template} documents {ok:?}");
        return ok[0].parse::<u16>().unwrap().try_into().unwrap();
    }
    if *method == Method::POST {
        StatusCode::SEE_OTHER
    } else {
        StatusCode::OK
    }
}

struct Case<'a> {
    app: &'a TestApp,
    role: Option<Role>,
    user: Option<&'a TestUser>,
    other: &'a TestUser,
    scope: Scope,
    n: usize,
    /// The tender the case acts on, once `path` has made it.
    tender: std::cell::Cell<Option<i64>>,
    /// The contract the case acts on, once `path` has made it.
    contract: std::cell::Cell<Option<i64>>,
    /// The bid and award an evaluation route acts on, once `path` has made them.
    eval_bid: std::cell::Cell<i64>,
    eval_award: std::cell::Cell<i64>,
    bids: &'a BidFixture,
}

/// What the bid routes act on: a closed tender of each council (alpha's led by its
/// commissioner, its evaluator cleared on the panel) with a bid of alpha-care in alpha's
/// and of rival-care in beta's, and an open tender of each.
struct BidFixture {
    closed: [i64; 2],
    bids: [i64; 2],
    open: [i64; 2],
    leads: [i64; 2],
    bidders: [i64; 2],
}

impl BidFixture {
    async fn new(app: &TestApp, commissioner: &TestUser, evaluator: &TestUser) -> Self {
        use super::bids::{bid_body, midnight_today, tender};
        use ngc_domain::procurement::Reservation;
        let store = &app.store;
        let beta_lead = super::bids::commissioner(app, "beta").await.user.id;
        let rival = super::bids::provider(app, "rival-care")
            .await
            .user
            .organisation_id;
        let care = store
            .organisation_by_slug("alpha-care")
            .await
            .unwrap()
            .unwrap()
            .id;
        let leads = [commissioner.user.id, beta_lead];
        let closes = midnight_today();
        let bidding = super::bids::before(store, closes);
        let mut closed = [0; 2];
        let mut bids = [0; 2];
        let mut open = [0; 2];
        for (i, org) in ["alpha", "beta"].into_iter().enumerate() {
            let t = tender(
                store,
                &format!("C-{org}"),
                org,
                leads[i],
                closes,
                Reservation::None,
            )
            .await;
            let new = ngc_store::bids::NewBid {
                tender_id: t.id,
                organisation_id: [care, rival][i],
                content: &bid_body("100.00", "sealed"),
            };
            bids[i] = bidding.submit_bid(&new, &Actor::system()).await.unwrap().id;
            closed[i] = t.id;
            let deadline = store.now() + chrono::Duration::days(30);
            open[i] = tender(
                store,
                &format!("O-{org}"),
                org,
                leads[i],
                deadline,
                Reservation::None,
            )
            .await
            .id;
        }
        super::bids::clear_for_panel(store, closed[0], evaluator.user.id).await;
        Self {
            closed,
            bids,
            open,
            leads,
            bidders: [care, rival],
        }
    }
}

impl Case<'_> {
    /// The organisation this case acts on.
    fn org(&self) -> &str {
        match (self.scope, self.user) {
            (Scope::Own, Some(u)) => &u.user.organisation,
            (Scope::Own, None) => "alpha",
            (Scope::Other, _) => "beta",
        }
    }

    fn partnership(&self) -> &str {
        match self.scope {
            Scope::Own => "alpha-alliance",
            Scope::Other => "beta-shared",
        }
    }

    /// A summarised spend journal of its own, from a one-line spend file imported for the
    /// organisation in scope: its id.
    async fn fresh_spend_journal(&self) -> i64 {
        use ngc_domain::spend::journals::ExpenseCodes;
        use ngc_domain::spend::{PaidOn, SpendFile, SpendLine};
        let store = &self.app.store;
        let org = store
            .organisation_by_slug(self.org())
            .await
            .unwrap()
            .unwrap();
        let sha = self.unique("spend-sha");
        let file = SpendFile {
            name: format!("{sha}.csv"),
            sha256: sha,
            lines: vec![SpendLine {
                member: String::new(),
                line: 2,
                paid_on: PaidOn::Day("2016-05-20".parse().unwrap()),
                supplier: "Matrix Ltd".into(),
                redacted: false,
                amount: ngc_domain::money::Money::pence(60_000),
                gross: None,
                vat: None,
                irrecoverable_vat: None,
                transaction: "M1".into(),
                service: "Highways".into(),
                expense_type: "Repairs".into(),
                expense_code: String::new(),
                description: String::new(),
                supplier_id: String::new(),
                invoice_number: String::new(),
                merchant_category: String::new(),
            }],
            repeats: 0,
            redacted: 0,
        };
        let assigned = ExpenseCodes::default().assign(&file.lines);
        let stored = store
            .import_spend(org.id, &file, &assigned, None, &Actor::system())
            .await
            .unwrap();
        let key = format!("spend:{}:2016-05:expenditure:Highways:Repairs", stored.id);
        store
            .ledger_journal_by_key(org.id, &key)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    /// A journal of its own in the ledger of the organisation in scope: its id.
    async fn fresh_journal(&self) -> i64 {
        use ngc_domain::ledger::{Account, Journal, Posting, Source, SourceKind};
        let store = &self.app.store;
        let org = store
            .organisation_by_slug(self.org())
            .await
            .unwrap()
            .unwrap();
        let source = Source {
            kind: SourceKind::Manual,
            reference: "matrix".into(),
        };
        let amount = ngc_domain::money::Money::pence(1_000);
        let journal = Journal::new(
            self.unique("fresh-journal"),
            "2016-05-31".parse().unwrap(),
            "Matrix journal to read or reverse",
            vec![
                Posting::debit(
                    Account::expenditure("Highways", "Employees"),
                    amount,
                    source.clone(),
                ),
                Posting::credit(Account::Bank, amount, source),
            ],
        )
        .unwrap();
        store
            .post_journal(org.id, &journal, &Actor::system())
            .await
            .unwrap()
            .journal
            .id
    }

    /// The shared-service partnership's partners, for weights: alpha's or beta's.
    fn shared_partners(&self) -> [&str; 2] {
        match self.scope {
            Scope::Own => ["alpha", "beta"],
            Scope::Other => ["beta", "gamma"],
        }
    }

    /// Imports the shared partnership's `hr` service and its 2015-16 figures twice, and gives
    /// the id of the first version, which the second replaced.
    async fn fresh_shared_version(&self) -> i64 {
        let store = &self.app.store;
        let [a, b] = self.shared_partners();
        let slug = self.shared_partnership();
        let mut pid = 0;
        for pool in [100_000 + self.n as i64, 200_000 + self.n as i64] {
            pid = super::support::import_hr_year(store, slug, a, [a, b], pool).await;
        }
        let versions = store
            .shared_service_year_versions(pid, "2015-16".parse().unwrap())
            .await
            .unwrap();
        versions[versions.len() - 2].id
    }

    /// The shared-service partnership this case acts on: alpha's own, or beta's.
    fn shared_partnership(&self) -> &str {
        match self.scope {
            Scope::Own => "alpha-shared",
            Scope::Other => "beta-shared",
        }
    }

    /// The user whose organisation is in scope (`None`: anonymous on its own scope).
    fn scope_user(&self) -> &TestUser {
        match (self.scope, self.user) {
            (Scope::Own, Some(u)) => u,
            _ => self.other,
        }
    }

    /// The index of the scope in the bid fixture's pairs (alpha's first, beta's second).
    fn bid_scope(&self) -> usize {
        match self.scope {
            Scope::Own => 0,
            Scope::Other => 1,
        }
    }

    /// A fresh open tender of the council in scope, and a fresh bid in it of the provider
    /// in scope (alpha-care; rival-care on the other scope) when `with_bid`.
    async fn fresh_bid(&self, with_bid: bool) -> (i64, i64) {
        let i = self.bid_scope();
        let deadline = self.app.store.now() + chrono::Duration::days(30);
        let t = super::bids::tender(
            &self.app.store,
            &self.unique("T"),
            ["alpha", "beta"][i],
            self.bids.leads[i],
            deadline,
            ngc_domain::procurement::Reservation::None,
        )
        .await;
        if !with_bid {
            return (t.id, 0);
        }
        let new = ngc_store::bids::NewBid {
            tender_id: t.id,
            organisation_id: self.bids.bidders[i],
            content: &super::bids::bid_body("90.00", "fresh"),
        };
        let bid = self
            .app
            .store
            .submit_bid(&new, &Actor::system())
            .await
            .unwrap();
        (t.id, bid.id)
    }

    /// The id a bid route acts on, if it is one.
    async fn bid_route_id(&self, method: &Method, template: &str) -> Option<i64> {
        let i = self.bid_scope();
        let on_tender =
            template == "/api/v1/tenders/{id}/bids" || template == "/procurement/tenders/{id}/bid";
        let on_bid =
            template.starts_with("/api/v1/bids/") || template.starts_with("/procurement/bids/");
        Some(match (on_tender, on_bid, *method == Method::GET) {
            (true, _, true) if template.ends_with("/bids") => self.bids.closed[i],
            (true, _, true) => self.bids.open[i],
            (true, _, false) => self.fresh_bid(false).await.0,
            (_, true, true) => self.bids.bids[i],
            (_, true, false) => self.fresh_bid(true).await.1,
            _ => return None,
        })
    }

    /// The path with its placeholders filled, creating what the case acts on: a fresh
    /// token, user, request, member or leaver each time, so that no case disturbs another.
    async fn path(&self, method: &Method, template: &str) -> String {
        let plan = super::support::fixture_plan();
        let mut path = template
            .replace("{name}", &super::support::seg(&plan.name))
            .replace("{reference}", &plan.savings[0].reference)
            .replace("{number}", "1");
        path = path.replace("{org}", self.org());
        path = path.replace("{dataset}", "spend");
        if template.contains("/providers/{slug}") {
            path = path.replace("{slug}", ["alpha-care", "rival-care"][self.bid_scope()]);
        } else if template.starts_with("/organisations/")
            || template.starts_with("/api/v1/organisations/")
        {
            path = path.replace("{slug}", self.org());
        } else if template.contains("/shared-services") || template.ends_with("/act") {
            path = path.replace("{slug}", self.shared_partnership());
        } else {
            path = path.replace("{slug}", self.partnership());
        }
        if template.ends_with("/shared-services/exits") {
            // Joining after every year the figures cover, so that the leaver is no partner in
            // the years other cases enter or restore with fixed shares.
            let leaver = self.unique("leaver");
            self.fresh_organisation(&leaver).await;
            let m = ngc_domain::partnership::Membership::new("2029-04-01".parse().unwrap(), None)
                .unwrap();
            self.app
                .store
                .add_member(self.shared_partnership(), &leaver, &m, &Actor::system())
                .await
                .unwrap();
        }
        if template.ends_with("/consolidation") {
            // A category every council holds (no tier rule covers it), in equal shares.
            path.push_str("?category=85311000&key=equal&year=2016-17&rate=5");
        }
        if template.ends_with("/members") {
            self.fresh_organisation(&self.unique("member")).await;
        }
        if template.contains("/ledger/journals/{id}") {
            let journal = if template.ends_with("/spend-lines") {
                self.fresh_spend_journal().await
            } else {
                self.fresh_journal().await
            };
            path = path.replace("{id}", &journal.to_string());
        }
        if template.contains("/shared-services/") {
            // Figures in two versions: entering a year needs its service, restoring needs a
            // replaced version.
            let replaced = self.fresh_shared_version().await;
            path = path.replace("{id}", &replaced.to_string());
        } else if template.ends_with("/restore") {
            self.fresh_revision().await;
        }
        if template.contains("{organisation}") {
            // Joining after every year the figures cover, so that the leaver is no partner in
            // the years other cases enter or restore with fixed shares.
            let leaver = self.unique("leaver");
            self.fresh_organisation(&leaver).await;
            let m = ngc_domain::partnership::Membership::new("2029-04-01".parse().unwrap(), None)
                .unwrap();
            self.app
                .store
                .add_member(self.partnership(), &leaver, &m, &Actor::system())
                .await
                .unwrap();
            path = path.replace("{organisation}", &leaver);
        }
        if template.contains("{ocid}") {
            path = path.replace("{ocid}", &self.fresh_published_process().await);
        }
        if template.contains("/savings/{reference}/links") {
            let link = self.fresh_saving_link(template).await;
            path = path.replace("{link_id}", &link.to_string());
        }
        if template.contains("/consultations/{id}") {
            let id = self.fresh_consultation().await;
            path = path.replace("{id}", &id.to_string());
        } else if template.contains("/notices") {
            let tender = self.fresh_notice_tender().await;
            if path.contains("{notice}") {
                let notice = ngc_app::ocds::store_release(
                    &self.app.store,
                    tender,
                    ngc_app::ocds::Step::Tender,
                )
                .await
                .unwrap();
                path = path.replace("{notice}", &notice.id.to_string());
            }
            path = path.replace("{id}", &tender.to_string());
        } else if let Some(id) = self.evaluation_route_id(method, template).await {
            // The state a refused write must leave alone includes this tender's evaluation.
            self.tender.set(Some(id));
            path = path.replace("{id}", &id.to_string());
        } else if let Some(id) = self.bid_route_id(method, template).await {
            path = path.replace("{id}", &id.to_string());
        } else if template.contains("/tenders/{id}") {
            path = self.tender_path(template, path).await;
        } else if template.contains("/contracts/{id}") {
            let id = self.fresh_contract().await;
            self.contract.set(Some(id));
            path = path.replace("{id}", &id.to_string());
        }
        if path.contains("{id}") {
            let id = if template.contains("/users/") {
                self.fresh_user(template.ends_with("/enable")).await
            } else if template.contains("registrations/{id}") {
                self.fresh_supplier_registration().await
            } else if template.contains("/registration-requests/") {
                let change = RegistrationChange {
                    name: Some(self.unique("Asked")),
                    ..Default::default()
                };
                self.app
                    .store
                    .request_registration_change(self.org(), &change, "minute 12", &Actor::system())
                    .await
                    .unwrap()
                    .id
            } else {
                // A fresh token each time: revoking it must not disturb the case's own token.
                let owner = &self.scope_user().user;
                let (t, _) = self.app.store.create_token(owner, "victim").await.unwrap();
                t.id
            };
            path = path.replace("{id}", &id.to_string());
        }
        path
    }

    /// For an evaluation route: a fresh closed tender of the council in scope (one lot, with
    /// criteria), led by its commissioner, with one bid (flagged as abnormally low), the
    /// case's evaluator on its panel when on its own council (cleared, unless the route is
    /// the declaration), and taken as far as the route needs (moderated, prices opened, the
    /// bid accepted, awarded, the award notice published long enough ago).
    async fn evaluation_route_id(&self, method: &Method, template: &str) -> Option<i64> {
        const ROUTES: [&str; 10] = [
            "/declarations",
            "/scores",
            "/evaluation",
            "/moderations",
            "/price-openings",
            "/abnormally-low",
            "/award",
            "/summaries",
            "/contracts",
            "/outcome",
        ];
        if !template.contains("/tenders/{id}") || !ROUTES.iter().any(|r| template.ends_with(r)) {
            return None;
        }
        use ngc_app::Caller;
        use ngc_app::evaluation::{AbnormallyLowInput, LotInput, ScoreInput};
        let store = &self.app.store;
        let i = self.bid_scope();
        let deadline = super::bids::midnight_today();
        let t = super::bids::tender(
            store,
            &self.unique("EV"),
            ["alpha", "beta"][i],
            self.bids.leads[i],
            deadline,
            ngc_domain::procurement::Reservation::None,
        )
        .await;
        let set = super::evaluation::criteria("Quality and price", &[("method", "60")], "40");
        store
            .execute_raw(&format!(
                "UPDATE tenders SET criteria = '{set}' WHERE id = {}",
                t.id
            ))
            .await
            .unwrap();
        store
            .execute_raw(&format!(
                "DELETE FROM tender_lots WHERE tender_id = {} AND number = 2",
                t.id
            ))
            .await
            .unwrap();
        let content = super::bids::bid_body("80.00", "matrix");
        let new = ngc_store::bids::NewBid {
            tender_id: t.id,
            organisation_id: self.bids.bidders[i],
            content: &content,
        };
        let bid = super::bids::before(store, deadline)
            .submit_bid(&new, &Actor::system())
            .await
            .unwrap()
            .id;
        self.eval_bid.set(bid);
        if let (Some(Role::Evaluator), Scope::Own, Some(u)) = (self.role, self.scope, self.user) {
            store
                .assign_panel_member(t.id, u.user.id, &Actor::system())
                .await
                .unwrap();
            if !template.ends_with("/declarations") {
                store
                    .declare_interest(t.id, u.user.id, false, "None", &Actor::system())
                    .await
                    .unwrap();
            }
        }
        let sys = Caller::System;
        let later = ["/award", "/contracts"]
            .iter()
            .any(|r| template.ends_with(r))
            || (template.ends_with("/summaries") && *method == Method::POST);
        let opened = later || template.ends_with("/abnormally-low");
        if opened {
            ngc_app::evaluation::moderate(
                store,
                &sys,
                t.id,
                ScoreInput {
                    bid,
                    criterion: "method".into(),
                    score: 3,
                    comment: "Sound".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            ngc_app::evaluation::open_prices(store, &sys, t.id, LotInput::default())
                .await
                .unwrap();
        }
        let awarded = later && !template.ends_with("/award");
        if later {
            for action in ["request_explanation", "record_explanation", "accept"] {
                ngc_app::evaluation::abnormally_low(
                    store,
                    &sys,
                    t.id,
                    AbnormallyLowInput {
                        bid,
                        action: action.into(),
                        text: "Volunteers".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            }
        }
        if awarded {
            let a = ngc_app::awards::award(
                store,
                &sys,
                t.id,
                ngc_app::awards::AwardInput {
                    lot: None,
                    winner: self.winner().into(),
                },
            )
            .await
            .unwrap();
            self.eval_award.set(a.id);
            if template.ends_with("/contracts") {
                let notice = store
                    .releases_of_tender(t.id)
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|r| r.slot == format!("award:{}", a.id))
                    .unwrap();
                store
                    .record_publication(
                        notice.id,
                        &self.unique("P"),
                        store.today() - chrono::Duration::days(30),
                        &Actor::system(),
                    )
                    .await
                    .unwrap();
            }
        }
        self.tender.set(Some(t.id));
        Some(t.id)
    }

    /// A fresh contract in scope from April 2016, with payment terms: alpha's with alpha-care
    /// (its provider's own), or beta's with rival-care.
    /// A consultation of the council in scope (alpha for its provider too) on the fixture
    /// plan's 2016-17, open today, unpublished, with one response.
    async fn fresh_consultation(&self) -> i64 {
        let store = &self.app.store;
        let council = match self.scope {
            Scope::Own => "alpha",
            Scope::Other => "beta",
        };
        let c = ngc_app::consultations::create(
            store,
            &ngc_app::Caller::System,
            council,
            &serde_json::from_value(consultation_body(
                &self.unique("Consultation"),
                store.today(),
            ))
            .unwrap(),
        )
        .await
        .unwrap();
        store
            .record_response(&ngc_store::consultations::NewResponse {
                consultation_id: c.id,
                token_hash: &self.unique("token"),
                choices: r#"{"council_tax":0}"#,
                steps: &[("council_tax".to_owned(), 0)],
                postcode_district: None,
                age_band: None,
            })
            .await
            .unwrap();
        c.id
    }

    async fn fresh_contract(&self) -> i64 {
        let (holder, supplier) = match self.scope {
            Scope::Own => ("alpha", "alpha-care"),
            Scope::Other => ("beta", "rival-care"),
        };
        self.fresh_contract_of(holder, supplier).await
    }

    /// A fresh contract held by `holder` with `supplier`, from April 2016, with payment terms.
    async fn fresh_contract_of(&self, holder: &str, supplier: &str) -> i64 {
        use ngc_domain::contracts::{Route, VatTreatment};
        use ngc_domain::money::Money;
        use ngc_domain::procurement::{ContractType, Regime};
        let store = &self.app.store;
        let id_of = |slug: &str| {
            let slug = slug.to_owned();
            async move { store.organisation_by_slug(&slug).await.unwrap().unwrap().id }
        };
        let holder = id_of(holder).await;
        let value = Money::pounds(100_000);
        let new = ngc_store::contracts::NewContract {
            organisation_id: holder,
            partnership_id: None,
            reference: self.unique("K"),
            tender_id: None,
            lot_number: None,
            award_id: None,
            supplier_id: id_of(supplier).await,
            supplier: Default::default(),
            title: "Stop smoking service".into(),
            description: String::new(),
            category: String::new(),
            department: String::new(),
            contract_type: ContractType::Services,
            regime: Regime::Pcr2015,
            route: Route::Tender,
            route_ground: String::new(),
            value,
            annual_value: None,
            vat_treatment: VatTreatment::ExcludingVat,
            irrecoverable_vat: Money::ZERO,
            starts_on: "2016-04-01".parse().unwrap(),
            ends_on: None,
            review_on: None,
            extension_options: String::new(),
            latest_end_on: None,
            origin: "entered",
            buyers: vec![(holder, "100".into(), value)],
        };
        let id = store.create_contract(&new, &Actor::system()).await.unwrap();
        store
            .set_payment_terms(id, &contract_terms(), &Actor::system())
            .await
            .unwrap();
        store
            .define_kpi(
                id,
                &contract_kpi(),
                "2016-04-01".parse().unwrap(),
                &Actor::system(),
            )
            .await
            .unwrap();
        id
    }

    /// For a saving-link route: a fresh contract of the council the route acts on (the API
    /// names it; a finance page acts on the user's own), remembered for the link's body, and a
    /// link of the fixture plan's first saving to it (the one a removal removes).
    async fn fresh_saving_link(&self, template: &str) -> i64 {
        let holder = if template.starts_with("/api/") {
            self.org().to_owned()
        } else {
            self.user
                .map_or("alpha".to_owned(), |u| u.user.organisation.clone())
        };
        let contract = self.fresh_contract_of(&holder, "alpha-care").await;
        self.contract.set(Some(contract));
        let store = &self.app.store;
        let org = store.organisation_by_slug(&holder).await.unwrap().unwrap();
        let plan = super::support::fixture_plan();
        let Some(summary) = store
            .list_plans(&holder)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.name == plan.name)
        else {
            return 0;
        };
        let link = ngc_store::plans::links::NewLink {
            saving_reference: plan.savings[0].reference.clone(),
            kind: ngc_domain::finance::evidence::LinkKind::Contract,
            target_id: contract,
            amount: Some(ngc_domain::money::Money::pounds(1)),
            baseline: Some(ngc_domain::money::Money::pounds(200_000)),
            note: String::new(),
        };
        store
            .link_saving(org.id, summary.id, &link, &Actor::system())
            .await
            .unwrap()
            .id
    }

    /// The bidder of the evaluation fixture in scope.
    fn winner(&self) -> &'static str {
        ["alpha-care", "rival-care"][self.bid_scope()]
    }

    /// The fields an evaluation route takes (the API's body, the form's fields).
    fn evaluation_fields(&self, template: &str) -> Option<Vec<(&'static str, String)>> {
        let bid = self.eval_bid.get().to_string();
        let award = self.eval_award.get().to_string();
        let tail = template.rsplit('/').next()?;
        Some(match tail {
            "declarations" => vec![("declaration", "None".into())],
            "scores" | "moderations" => vec![
                ("bid", bid),
                ("criterion", "method".into()),
                ("score", "3".into()),
                ("comment", "Sound".into()),
            ],
            "price-openings" => vec![],
            "abnormally-low" => vec![("bid", bid), ("action", "request_explanation".into())],
            "award" => vec![("winner", self.winner().into())],
            "summaries" => vec![("award", award)],
            "contracts" => vec![
                ("award", award),
                ("starts_on", self.app.store.today().to_string()),
            ],
            _ => return None,
        })
    }

    /// A draft tender of the organisation in scope, to read or act on.
    async fn fresh_notice_tender(&self) -> i64 {
        super::ocds::draft_tender(
            &self.app.store,
            &self.unique("T"),
            self.org(),
            self.scope_user().user.id,
            None,
            "2025-06-02",
        )
        .await
        .id
    }

    /// A published tender whose tender notice's publication is recorded: its ocid.
    async fn fresh_published_process(&self) -> String {
        let store = &self.app.store;
        let tender = self.fresh_notice_tender().await;
        super::ocds::mark_published(store, tender).await;
        let notice = ngc_app::ocds::store_release(store, tender, ngc_app::ocds::Step::Tender)
            .await
            .unwrap();
        let day = "2025-06-03".parse().unwrap();
        store
            .record_publication(notice.id, &self.unique("P"), day, &Actor::system())
            .await
            .unwrap();
        notice.ocid
    }

    /// A supplier's registration waiting for verification, to decide.
    async fn fresh_supplier_registration(&self) -> i64 {
        let slug = self.unique("applicant");
        let facts = ngc_domain::organisation::SupplierFacts {
            slug: ngc_domain::slug::Slug::parse(&slug).unwrap(),
            name: slug.clone(),
            legal_form: ngc_domain::organisation::LegalForm::Charity,
            sme: true,
            vcse: true,
            public_service_mutual: false,
            identifiers: vec![],
        };
        let email = format!("{slug}@applicant.test");
        self.app
            .store
            .register_supplier(
                &ngc_store::supplier_registrations::NewSupplierRegistration {
                    facts: &facts,
                    contact: &Default::default(),
                    user_email: &email,
                    user_name: "Applicant",
                    password: super::support::PASSWORD,
                },
            )
            .await
            .unwrap()
            .id
    }

    async fn fresh_organisation(&self, slug: &str) {
        let draft = ngc_domain::organisation::OrganisationDraft {
            slug: ngc_domain::slug::Slug::parse(slug).unwrap(),
            name: slug.to_owned(),
            kind: ngc_domain::organisation::OrgKind::Provider,
            legal_form: ngc_domain::organisation::LegalForm::Charity,
            sme: false,
            vcse: false,
            public_service_mutual: false,
            identifiers: vec![],
            owner: None,
        };
        self.app
            .store
            .create_organisation(&draft, &Actor::system())
            .await
            .unwrap();
    }

    /// The council whose tender the case acts on: the user's own (alpha for a provider, whose
    /// organisation buys nothing), or beta.
    fn tender_lead(&self) -> &str {
        match self.scope {
            Scope::Own => "alpha",
            Scope::Other => "beta",
        }
    }

    /// A fresh tender of the council in scope: a draft closing in 40 days (beyond every
    /// minimum tendering period), or published and reserved for mutuals when `published`.
    async fn fresh_tender(&self, published: bool) -> i64 {
        use ngc_domain::money::Money;
        use ngc_domain::procurement::{
            ClassificationScheme, CommencingEvent, ContractType, Procedure, Reservation,
        };
        let store = &self.app.store;
        let new = ngc_store::tenders::NewTender {
            reference: self.unique("T"),
            lead_organisation: self.tender_lead().into(),
            procurement_lead_id: self.other.user.id,
            title: "Waste collection".into(),
            description: String::new(),
            classification_scheme: ClassificationScheme::Cpv,
            classification_code: "90511000-2".into(),
            contract_type: ContractType::Services,
            procedure: Procedure::Open,
            commencing_event: CommencingEvent::ContractNotice,
            commenced_on: store.today(),
            estimated_value: Money::pounds(1_000_000),
            vat_inclusive: false,
            above_threshold: true,
            reservation: if published {
                Reservation::Mutual
            } else {
                Reservation::None
            },
            two_envelope: false,
            criteria: json!({}),
            clarification_deadline: None,
            submission_deadline: store.now() + chrono::Duration::days(40),
            buyers: vec![(
                self.tender_lead().into(),
                rust_decimal::Decimal::ONE_HUNDRED,
            )],
            lots: vec![ngc_store::tenders::NewLot {
                title: "All".into(),
                description: String::new(),
                estimated_value: Money::pounds(1_000_000),
                criteria: None,
            }],
        };
        let t = store.create_tender(&new, &Actor::system()).await.unwrap();
        if published {
            store
                .publish_tender(t.id, &Default::default(), &Actor::system())
                .await
                .unwrap();
        }
        t.id
    }

    /// The path of a tender route with its tender (and question or challenge) made fresh.
    async fn tender_path(&self, template: &str, path: String) -> String {
        let published = [
            "/questions",
            "/checks",
            "-checks",
            "-assessments",
            "/challenges",
        ]
        .iter()
        .any(|p| template.contains(p));
        let id = self.fresh_tender(published).await;
        self.tender.set(Some(id));
        let store = &self.app.store;
        let mut path = path.replace("{id}", &id.to_string());
        if template.contains("{qid}") {
            let asker = store
                .user_by_email("provider@alpha-care.test")
                .await
                .unwrap()
                .unwrap();
            let q = store
                .ask_question(
                    id,
                    asker.id,
                    asker.organisation_id,
                    "Is glass collected?",
                    &Actor::system(),
                )
                .await
                .unwrap();
            path = path.replace("{qid}", &q.id.to_string());
        }
        if template.contains("{cid}") {
            let c = store
                .record_challenge(id, "Claim form served", &Actor::system())
                .await
                .unwrap();
            path = path.replace("{cid}", &c.id.to_string());
        }
        path
    }

    /// A user of the organisation in scope, disabled if asked, to disable or enable.
    /// A new revision of both councils' plans, so that restoring revision 1 changes them.
    async fn fresh_revision(&self) {
        for org in ["alpha", "beta"] {
            let store = &self.app.store;
            let mut plan = store.plan(org, None).await.unwrap().unwrap();
            // 100% and more: never the fixture's own value, so never the content of revision 1.
            plan.assumptions[0].pay_award_pct =
                rust_decimal::Decimal::new(100_000 + self.n as i64, 3);
            store
                .save_plan(
                    &plan,
                    ngc_store::plans::RevisionReason::AssumptionsEdit,
                    &Actor::system(),
                )
                .await
                .unwrap();
        }
    }

    async fn fresh_user(&self, disabled: bool) -> i64 {
        let email = format!("{}@{}.test", self.unique("victim"), self.org());
        let new = ngc_store::users::NewUser {
            email: &email,
            name: "",
            role: Role::Finance,
            organisation: self.org(),
            password: super::support::PASSWORD,
        };
        let u = self
            .app
            .store
            .create_user(&new, &Actor::system())
            .await
            .unwrap();
        if disabled {
            self.app
                .store
                .set_user_disabled(u.id, true, &Actor::system())
                .await
                .unwrap();
        }
        u.id
    }

    /// Everything a refused write could touch: the audit head and the rows behind it.
    async fn state(&self) -> String {
        let store = &self.app.store;
        let mut out = format!("{:?}\n", store.audit_head().await.unwrap());
        out += &format!("{:?}\n", store.list_organisations().await.unwrap());
        out += &format!("{:?}\n", store.list_partnerships().await.unwrap());
        for p in store.list_partnerships().await.unwrap() {
            out += &format!("{:?}\n", store.shared_services(p.id).await.unwrap());
        }
        out += &format!("{:?}\n", store.list_users().await.unwrap());
        out += &format!(
            "{:?}\n",
            store.list_supplier_registrations(None).await.unwrap()
        );
        for org in ["alpha", "beta", "alpha-care"] {
            let id = store.organisation_by_slug(org).await.unwrap().unwrap().id;
            out += &format!("{:?}\n", store.registration_requests_of(id).await.unwrap());
            for j in store.ledger_journal_ids(id).await.unwrap() {
                out += &format!("{:?}\n", store.ledger_journal(id, j).await.unwrap());
            }
            let far = "2100-01-01".parse().unwrap();
            out += &format!("{:?}\n", store.trial_balance(id, far).await.unwrap());
            out += &format!("{:?}\n", store.plan(org, None).await.unwrap());
            for year in ["2015-16", "2016-17"] {
                let year = year.parse().unwrap();
                out += &format!("{:?}\n", store.forecasts(id, year).await.unwrap());
                out += &format!("{:?}\n", store.virements(id, year).await.unwrap());
                out += &format!("{:?}\n", store.profiles(id, year).await.unwrap());
            }
            out += &format!("{:?}\n", store.releasable_reserves(id).await.unwrap());
            for c in store.consultations_of(id).await.unwrap() {
                out += &format!("{c:?}\n");
                out += &format!("{:?}\n", store.consultation_tallies(c.id).await.unwrap());
            }
            let plan = super::support::fixture_plan().name;
            out += &format!(
                "{:?}\n",
                store.consultation_notes_of_plan(id, &plan).await.unwrap()
            );
            out += &format!("{:?}\n", store.gl_imports(id).await.unwrap());
            for p in store.list_plans(org).await.unwrap() {
                out += &format!("{:?}\n", store.saving_links(p.id).await.unwrap());
            }
        }
        // A token's `last_used_at` is bookkeeping of authentication (stamped at most once a
        // minute), not something a refused write could change: it is left out.
        for u in [self.user, Some(self.other)].into_iter().flatten() {
            let tokens: Vec<_> = store
                .list_tokens(u.user.id)
                .await
                .unwrap()
                .into_iter()
                .map(|t| {
                    (
                        t.id,
                        t.name,
                        t.prefix,
                        t.created_at,
                        t.revoked_at,
                        t.expires_at,
                    )
                })
                .collect();
            out += &format!("{tokens:?}\n");
        }
        out += &format!("{} tenders\n", store.list_tenders().await.unwrap().len());
        out += &format!("{:?}\n", store.all_joint_tenders().await.unwrap());
        for key in ngc_domain::joint_working::Key::ALL {
            let year = "2016-17".parse().unwrap();
            out += &format!("{:?}\n", store.key_values(year, *key).await.unwrap());
        }
        if let Some(id) = self.contract.get() {
            out += &format!("{:?}\n", store.contract(id).await.unwrap());
            out += &format!("{:?}\n", store.contract_documents(id).await.unwrap());
            out += &format!("{:?}\n", store.payment_terms_history(id).await.unwrap());
            out += &format!("{:?}\n", store.contract_claims(id).await.unwrap());
            out += &format!("{:?}\n", store.contract_payments(id).await.unwrap());
            out += &format!("{:?}\n", store.contract_kpis(id).await.unwrap());
            out += &format!("{:?}\n", store.kpi_returns(id).await.unwrap());
            out += &format!("{:?}\n", store.performance_failures(id).await.unwrap());
            out += &format!("{:?}\n", store.contract_variations(id).await.unwrap());
            out += &format!("{:?}\n", store.contract_revisions(id).await.unwrap());
        }
        if let Some(id) = self.tender.get() {
            out += &format!("{:?}\n", store.tender(id).await.unwrap());
            out += &format!("{:?}\n", store.tender_questions(id).await.unwrap());
            out += &format!("{:?}\n", store.tender_documents(id).await.unwrap());
            out += &format!("{:?}\n", store.conflicts_assessments(id).await.unwrap());
            out += &format!("{:?}\n", store.exclusion_check_history(id).await.unwrap());
            out += &format!("{:?}\n", store.reservation_checks(id).await.unwrap());
            out += &format!("{:?}\n", store.tender_challenges(id).await.unwrap());
            // The panel, scores, prices, awards, summaries, contracts and releases.
            out += &super::evaluation::evaluation_rows(store, id).await;
        }
        for org in ["alpha", "beta"] {
            let id = store.organisation_by_slug(org).await.unwrap().unwrap().id;
            out += &format!("{:?}\n", store.planned_procurements(id).await.unwrap());
            out += &super::contracts::contract_rows(store, id).await;
        }
        for provider in ["alpha-care", "rival-care"] {
            if let Some(p) = store.organisation_by_slug(provider).await.unwrap() {
                out += &format!("{:?}\n", store.provider_accounts(p.id).await.unwrap());
            }
        }
        for t in store.list_tenders().await.unwrap() {
            out += &format!("{:?}\n", store.bids_of_tender(t.id).await.unwrap());
            out += &format!("{:?}\n", store.releases_of_tender(t.id).await.unwrap());
        }
        out
    }

    /// Checks that an allowed list holds only records the user may read.
    async fn check_list(&self, template: &str, reply: &Reply) -> Result<(), String> {
        let role = self.role;
        match template {
            "/api/v1/users" => {
                let orgs: Vec<String> = reply
                    .json()
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["organisation"].as_str().unwrap().to_owned())
                    .collect();
                let own = &self.user.unwrap().user.organisation;
                if orgs.is_empty()
                    || (role == Some(Role::OrgAdmin) && orgs.iter().any(|o| o != own))
                {
                    return Err(format!("users of {orgs:?} listed"));
                }
                if role == Some(Role::InstanceAdmin) && !orgs.iter().any(|o| o == "beta") {
                    return Err(format!("the instance administrator sees only {orgs:?}"));
                }
            }
            "/admin/users" if role == Some(Role::OrgAdmin) && reply.body.contains("@beta.test") => {
                return Err("another organisation's users listed".into());
            }
            "/api/v1/tokens" => {
                let user = &self.user.unwrap().user;
                let mine: Vec<i64> = self
                    .app
                    .store
                    .list_tokens(user.id)
                    .await
                    .unwrap()
                    .iter()
                    .map(|t| t.id)
                    .collect();
                let listed = reply.json();
                let listed = listed
                    .as_array()
                    .or_else(|| listed["tokens"].as_array())
                    .unwrap();
                if let Some(t) = listed
                    .iter()
                    .find(|t| !mine.contains(&t["id"].as_i64().unwrap()))
                {
                    return Err(format!("someone else's token listed: {t}"));
                }
            }
            "/ocds/releases" => {
                // Only releases whose notice's publication is recorded, of published tenders
                // (a draft's planning notices excepted).
                for r in reply.json()["releases"].as_array().unwrap() {
                    let tender = &r["tender"]["id"];
                    let stored = self
                        .app
                        .store
                        .list_tenders()
                        .await
                        .unwrap()
                        .into_iter()
                        .find(|t| r["ocid"] == format!("ocds-ngc000-{}", t.id))
                        .ok_or_else(|| format!("a release of no tender: {tender}"))?;
                    let published = self
                        .app
                        .store
                        .releases_of_tender(stored.id)
                        .await
                        .unwrap()
                        .into_iter()
                        .any(|s| s.release_id == r["id"] && s.is_published());
                    let planning = r["tag"][0]
                        .as_str()
                        .is_some_and(|t| t.starts_with("planning"));
                    if !published || (stored.status.as_str() == "draft" && !planning) {
                        return Err(format!("an unpublished notice is public: {}", r["id"]));
                    }
                }
            }
            "/api/v1/supplier-registrations" => {
                let listed = reply.json();
                if let Some(r) = listed
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["status"] != "pending")
                {
                    return Err(format!("a decided registration listed as waiting: {r}"));
                }
            }
            "/api/v1/tenders" => {
                let own = self.user.unwrap().user.organisation.clone();
                let listed = reply.json();
                if let Some(t) = listed["tenders"].as_array().unwrap().iter().find(|t| {
                    t["status"] == "draft"
                        && !t["buyers"].as_array().unwrap().iter().any(|b| *b == own)
                }) {
                    return Err(format!("another council's draft listed: {t}"));
                }
            }
            "/api/v1/contracts" => {
                let user = &self.user.unwrap().user;
                let listed = reply.json();
                if let Some(c) = listed["contracts"].as_array().unwrap().iter().find(|c| {
                    c["supplier"] != user.organisation.as_str()
                        && !c["buyers"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|b| b["slug"] == user.organisation.as_str())
                }) {
                    return Err(format!(
                        "a contract neither bought nor supplied listed: {c}"
                    ));
                }
            }
            "/api/v1/planned-procurements" => {
                let own = self.user.unwrap().user.organisation.clone();
                let listed = reply.json();
                if let Some(p) = listed["planned_procurements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["organisation"] != own.as_str())
                {
                    return Err(format!("another council's planned procurement listed: {p}"));
                }
            }
            "/api/v1/tenders/{id}/bids" if role == Some(Role::Provider) => {
                if let Some(b) = reply.json()["bids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|b| b["organisation"] != "alpha-care")
                {
                    return Err(format!("another provider's bid listed: {b}"));
                }
            }
            "/api/v1/organisations/{slug}/registration-requests" => {
                let listed = reply.json();
                if let Some(r) = listed
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["organisation"] != self.org())
                {
                    return Err(format!("another organisation's request listed: {r}"));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The client address of the case: public registrations are limited per address, so
    /// each case registers from its own; every other request comes from the test peer.
    fn peer(&self, template: &str) -> String {
        if matches!(template, "/register" | "/api/v1/supplier-registrations") {
            format!("10.77.{}.{}:1000", self.n / 250, self.n % 250 + 1)
        } else {
            super::support::TEST_PEER.to_owned()
        }
    }

    fn unique(&self, what: &str) -> String {
        format!(
            "{what}-{}-{}",
            self.role.map_or("anon", |r| r.as_str()).replace('_', "-"),
            self.n
        )
    }

    async fn send(&self, method: &Method, template: &str, path: &str) -> Reply {
        let api = path.starts_with("/api/");
        // Signing out ends the session, so it gets a session of its own.
        let fresh;
        let (secret, csrf) = match self.user {
            Some(u) if template == "/logout" => {
                fresh = self.app.store.create_session(&u.user).await.unwrap();
                (fresh.secret.as_str(), fresh.csrf_token.as_str())
            }
            Some(u) => (u.session.as_str(), u.csrf.as_str()),
            None => ("", ANON_CSRF),
        };
        let auth = match (self.user, api) {
            (None, _) => Auth::None,
            (Some(u), true) => Auth::Bearer(&u.token),
            (Some(_), false) => Auth::Session { secret, csrf },
        };
        let email = self
            .user
            .map_or("finance@alpha.test", |u| u.user.email.as_str());
        if *method == Method::GET {
            return self.app.get(path, auth).await;
        }
        if api {
            let eval = (template.starts_with("/api/v1/tenders/{id}/"))
                .then(|| self.evaluation_fields(template))
                .flatten();
            let body = match template {
                _ if eval.is_some() => {
                    let mut o = serde_json::Map::new();
                    for (k, v) in eval.unwrap() {
                        let v = match k {
                            "bid" | "score" | "award" => json!(v.parse::<i64>().unwrap()),
                            _ => json!(v),
                        };
                        o.insert(k.into(), v);
                    }
                    Value::Object(o)
                }
                "/api/v1/tokens" => json!({"email": email, "password": super::support::PASSWORD}),
                "/api/v1/organisations" => {
                    json!({"slug": self.unique("org"), "name": "New", "kind": "provider", "legal_form": "charity"})
                }
                "/api/v1/organisations/{slug}" if *method == Method::PUT => {
                    json!({"slug": self.org(), "name": self.unique("Renamed"), "kind": "county", "legal_form": "local_authority"})
                }
                "/api/v1/organisations/{slug}" => json!({"description": self.unique("About")}),
                "/api/v1/organisations/{slug}/consultations" => {
                    consultation_body(&self.unique("Consultation"), self.app.store.today())
                }
                "/api/v1/consultations/{id}/publication" => json!({"published": true}),
                "/api/v1/organisations/{slug}/registration-requests" => {
                    json!({"name": self.unique("Asked"), "evidence": "minute 12"})
                }
                "/api/v1/organisations/{slug}/registration-requests/{id}/decision" => {
                    json!({"approve": false, "note": "no"})
                }
                "/api/v1/partnerships" => {
                    json!({"slug": self.unique("p"), "name": "New", "kind": "alliance"})
                }
                "/api/v1/partnerships/{slug}" => {
                    json!({"slug": self.partnership(), "name": "Renamed", "kind": "alliance"})
                }
                "/api/v1/partnerships/{slug}/members" => {
                    json!({"organisation": self.unique("member"), "joined_on": "2030-01-01"})
                }
                "/api/v1/partnerships/{slug}/members/{organisation}/leave" => {
                    json!({"left_on": "2031-01-01"})
                }
                "/api/v1/partnerships/{slug}/shared-services/exits" => {
                    json!({"organisation": self.unique("leaver"), "notice_given_on": "2030-01-01", "left_on": "2031-03-31", "exit_cost": "100.00", "reason": "gone"})
                }
                "/api/v1/partnerships/{slug}/shared-services/years" => {
                    let [a, b] = self.shared_partners();
                    json!({"service": "hr", "year": "2016-17", "pool": format!("{}.00", 1000 + self.n),
                           "basis": "fixed_shares", "weights": {a: "40", b: "60"}, "source": "matrix"})
                }
                "/api/v1/partnerships/{slug}/joint-tenders" => json!({
                    "analysis": {"category": "85311000", "key": "equal", "year": "2016-17", "rate": "5"},
                    "tender": {
                        "reference": self.unique("JT"), "title": "Joint care",
                        "classification_scheme": "cpv", "classification_code": "85311000",
                        "contract_type": "services", "procedure": "open",
                        "estimated_value": "1000000.00",
                        "submission_deadline": self.app.store.now() + chrono::Duration::days(40),
                        "lots": [{"title": "All", "estimated_value": "1000000.00"}]
                    }
                }),
                "/api/v1/organisations/{slug}/budget-monitoring/forecasts" => json!({
                    "year": "2016-17", "service": "Education",
                    "amount": format!("{}.00", 1000 + self.n), "note": "matrix"
                }),
                "/api/v1/organisations/{slug}/budget-monitoring/virements" => json!({
                    "year": "2016-17", "from": "Education", "to": "Highways and transport",
                    "amount": format!("{}.00", 1000 + self.n), "reason": "matrix"
                }),
                "/api/v1/organisations/{slug}/budget-monitoring/profiles" => json!({
                    "year": "2016-17", "service": "Education",
                    "weights": format!("{},1,1,1,1,1,1,1,1,1,1,1", 1 + self.n)
                }),
                "/api/v1/organisations/{slug}/releasable-reserves" => json!({
                    "reserve": "Earmarked", "releasable": self.n.is_multiple_of(2), "note": "matrix"
                }),
                "/api/v1/organisations/{slug}/ledger/journals/{id}/reversal" => json!({
                    "idempotency_key": self.unique("r"), "date": "2016-06-30",
                    "description": "Matrix reversal"
                }),
                "/api/v1/organisations/{slug}/ledger/journals" => json!({
                    "idempotency_key": self.unique("j"), "date": "2016-05-31",
                    "description": "Matrix journal",
                    "postings": [
                        {"account": "expenditure:Highways:Employees", "debit": "10.00",
                         "source": "manual", "reference": "matrix"},
                        {"account": "bank", "credit": "10.00", "source": "manual",
                         "reference": "matrix"}
                    ]
                }),
                "/api/v1/key-values" => json!([{
                    "organisation": self.org(), "year": "2016-17", "key": "households",
                    "value": format!("{}", 1000 + self.n), "source": "Valuation list"
                }]),
                "/api/v1/users" => {
                    json!({"email": format!("{}@new.test", self.unique("u")), "role": "finance", "organisation": self.org(), "password": "password-123"})
                }
                "/api/v1/organisations/{slug}/plans/{name}/delivery" => {
                    let plan = super::support::fixture_plan();
                    json!({"reference": plan.savings[0].reference, "year": "2015-16", "month": 3, "delivered": "1000.00", "rag": "amber"})
                }
                "/api/v1/organisations/{slug}/plans/{name}/assumptions" => {
                    json!([{"year": "2016-17", "council_tax_increase_pct": "1.5"}])
                }
                "/api/v1/organisations/{slug}/plans/{name}/savings/{reference}/links" => {
                    json!({"kind": "contract", "id": self.contract.get(), "amount": "1.00"})
                }
                "/api/v1/tenders/{id}/notices" => json!({"step": "tender"}),
                "/api/v1/tenders/{id}/notices/{notice}/publication" => {
                    json!({"platform_notice_id": self.unique("N"), "published_on": "2025-06-03"})
                }
                "/api/v1/supplier-registrations" => {
                    let slug = self.unique("supplier");
                    json!({"name": slug, "slug": slug, "legal_form": "charity",
                           "user_email": format!("{slug}@supplier.test"), "user_name": "Sam",
                           "password": "password-123"})
                }
                "/api/v1/supplier-registrations/{id}/decision" => {
                    json!({"verify": false, "note": "no"})
                }
                "/api/v1/tenders" | "/api/v1/tenders/{id}" => tender_body(&self.unique("N")),
                "/api/v1/tenders/{id}/terminate" => json!({"reason": "No longer needed"}),
                "/api/v1/tenders/{id}/documents" => {
                    json!({"title": "Specification", "kind": "specification", "text": "Weekly collection."})
                }
                "/api/v1/tenders/{id}/questions" => json!({"question": "Is glass collected?"}),
                "/api/v1/tenders/{id}/panel" => json!({"user": "evaluator@alpha.test"}),
                "/api/v1/tenders/{id}/questions/{qid}/answer" => json!({"answer": "Yes."}),
                "/api/v1/tenders/{id}/conflicts-assessments" => {
                    json!({"conflicts_found": false, "assessment": "None found."})
                }
                "/api/v1/tenders/{id}/exclusion-checks" => {
                    json!({"supplier": "alpha-care", "result": "clear", "debarment_list_checked": true})
                }
                "/api/v1/tenders/{id}/reservation-checks" => {
                    json!({"supplier": "alpha-care", "eligible": true, "evidence": "Articles, clause 4"})
                }
                "/api/v1/tenders/{id}/challenges"
                | "/api/v1/tenders/{id}/challenges/{cid}/lift" => {
                    json!({"note": "Claim form served"})
                }
                "/api/v1/planned-procurements" => planned_body(),
                "/api/v1/organisations/{slug}/contracts" => json!({"reference": self.unique("K"),
                    "title": "Meals at home", "supplier": "alpha-care", "value": "5000.00",
                    "starts_on": "2026-04-01"}),
                "/api/v1/providers/{slug}/accounts" => json!({"year_end": "2026-03-31",
                    "turnover": "1000.00", "net_assets": "10.00", "reserves": "5.00"}),
                "/api/v1/contracts/{id}/documents" => {
                    json!({"title": "Contract", "kind": "contract", "body": "Terms."})
                }
                "/api/v1/contracts/{id}/payment-terms" => contract_terms_body(),
                "/api/v1/contracts/{id}/claims" => {
                    json!({"period_start": "2016-04-01", "outcomes": {"SMK-QUIT": 1}})
                }
                "/api/v1/contracts/{id}/variations" => json!({"ground": "pcr_additional",
                    "description": "More sessions", "value_change": "1000.00"}),
                "/api/v1/contracts/{id}/termination" => json!({
                    "terminated_on": self.app.store.today().to_string(),
                    "reason": "Service no longer needed"}),
                "/api/v1/contracts/{id}/payments" => {
                    let mut o = serde_json::Map::new();
                    for (k, v) in payment_fields() {
                        o.insert(k.into(), json!(v));
                    }
                    Value::Object(o)
                }
                "/api/v1/contracts/{id}/kpis" => json!({"code": self.unique("KPI"),
                    "title": "Visits made on time", "unit": "%", "target": "95",
                    "direction": "higher", "frequency": "monthly"}),
                "/api/v1/contracts/{id}/returns" => {
                    json!({"kpi": "KPI1", "period_start": "2016-04-01", "value": "96"})
                }
                "/api/v1/contracts/{id}/performance-failures" => json!({"id": self.unique("PF"),
                    "period_start": "2016-04-01", "period_end": "2016-04-30",
                    "category": "Visits", "penalty_contracted": "100.00",
                    "penalty_imposed": "50.00"}),
                "/api/v1/tenders/{id}/bids" | "/api/v1/bids/{id}" => {
                    super::bids::bid_body("80.00", "matrix")
                }
                _ => json!({}),
            };
            return self
                .app
                .call_from(
                    &self.peer(template),
                    method.clone(),
                    path,
                    auth,
                    Some(axum::body::Body::from(body.to_string())),
                    Some("application/json"),
                )
                .await;
        }
        let unique = self.unique("x");
        let contract = self.contract.get().unwrap_or_default().to_string();
        let member = self.unique("member");
        let leaver = self.unique("leaver");
        let weights = self.shared_partners().map(|o| format!("weight_{o}"));
        let new_email = format!("{unique}@new.test");
        let tender_ref = self.unique("N");
        let plan_name = super::support::fixture_plan().name;
        let saving = super::support::fixture_plan().savings[0].reference.clone();
        let tender_form = tender_fields(&tender_ref);
        let planned_form = planned_fields(&plan_name, &saving);
        let today = self.app.store.today().to_string();
        let deadline = (self.app.store.now() + chrono::Duration::days(40))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let eval = template
            .starts_with("/procurement/tenders/{id}/")
            .then(|| self.evaluation_fields(template))
            .flatten();
        let fields: Vec<(&str, &str)> = match template {
            _ if eval.is_some() => eval
                .as_ref()
                .unwrap()
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect(),
            "/login" => vec![("email", email), ("password", super::support::PASSWORD)],
            "/organisations" => vec![
                ("slug", unique.as_str()),
                ("name", "New"),
                ("kind", "provider"),
                ("legal_form", "charity"),
            ],
            "/organisations/{slug}" => vec![("description", unique.as_str())],
            "/organisations/{slug}/registration-requests" => {
                vec![("name", unique.as_str()), ("evidence", "minute 12")]
            }
            "/organisations/{slug}/registration-requests/{id}/decision" => {
                vec![("decision", "refuse"), ("note", "no")]
            }
            "/partnerships" => vec![
                ("slug", unique.as_str()),
                ("name", "New"),
                ("kind", "alliance"),
            ],
            "/partnerships/{slug}" => vec![("name", "Renamed"), ("kind", "alliance")],
            "/partnerships/{slug}/members" => {
                vec![
                    ("organisation", member.as_str()),
                    ("joined_on", "2030-01-01"),
                ]
            }
            "/partnerships/{slug}/members/{organisation}/leave" => vec![("left_on", "2031-01-01")],
            "/partnerships/{slug}/shared-services/years" => vec![
                ("service", "hr"),
                ("year", "2016-17"),
                ("pool", "1000.00"),
                ("basis", "fixed_shares"),
                (weights[0].as_str(), "40"),
                (weights[1].as_str(), "60"),
                ("source", "matrix"),
            ],
            "/partnerships/{slug}/shared-services/versions/{id}/restore" => {
                vec![("year", "2015-16")]
            }
            "/organisations/{slug}/ledger/journals/{id}/reversal" => {
                vec![("date", "2016-06-30"), ("description", "Matrix reversal")]
            }
            "/partnerships/{slug}/shared-services/exits" => vec![
                ("organisation", leaver.as_str()),
                ("notice_given_on", "2030-01-01"),
                ("left_on", "2031-03-31"),
                ("exit_cost", "100.00"),
                ("reason", "gone"),
            ],
            "/partnerships/{slug}/joint-tenders" => vec![
                ("category", "85311000"),
                ("key", "equal"),
                ("year", "2016-17"),
                ("rate", "5"),
                ("reference", unique.as_str()),
                ("title", "Joint care"),
                ("estimated_value", "1000000.00"),
                ("submission_deadline", deadline.as_str()),
            ],
            "/admin/users" => vec![
                ("email", new_email.as_str()),
                ("role", "finance"),
                ("organisation", self.org()),
                ("password", "password-123"),
            ],
            "/tokens" => vec![("name", "mine")],
            "/procurement/tenders/{id}/bid" | "/procurement/bids/{id}/replace" => {
                vec![("price_1", "80.00"), ("question_1", "Q"), ("answer_1", "A")]
            }
            "/finance/plans/{name}/assumptions" => {
                vec![("council_tax_increase_pct:2016-17", "1.5")]
            }
            "/procurement/tenders/{id}/notices" => vec![("notice", "tender")],
            "/procurement/tenders/{id}/notices/{notice}/publication" => vec![
                ("platform_notice_id", unique.as_str()),
                ("published_on", "2025-06-03"),
            ],
            "/organisations/{slug}/budget-monitoring/forecasts" => vec![
                ("year", "2016-17"),
                ("service", "Education"),
                ("amount", "1000.00"),
            ],
            "/organisations/{slug}/budget-monitoring/reserves" => {
                vec![("reserve", "Earmarked"), ("releasable", "true")]
            }
            "/organisations/{slug}/budget-monitoring/virements" => vec![
                ("year", "2016-17"),
                ("from", "Education"),
                ("to", "Highways and transport"),
                ("amount", "1000.00"),
                ("reason", "matrix"),
            ],
            "/organisations/{slug}/budget-monitoring/profiles" => vec![
                ("year", "2016-17"),
                ("service", "Education"),
                ("weights", "2,1,1,1,1,1,1,1,1,1,1,1"),
            ],
            "/finance/plans/{name}/savings/{reference}/delivery" => vec![
                ("year", "2015-16"),
                ("month", "3"),
                ("delivered", "1000.00"),
                ("rag", "amber"),
            ],
            "/finance/plans/{name}/savings/{reference}/links" => vec![
                ("kind", "contract"),
                ("id", contract.as_str()),
                ("amount", "1.00"),
            ],
            "/register" => vec![
                ("name", unique.as_str()),
                ("slug", unique.as_str()),
                ("legal_form", "charity"),
                ("user_name", "Sam"),
                ("user_email", new_email.as_str()),
                ("password", "password-123"),
                ("password_confirm", "password-123"),
            ],
            "/admin/registrations/{id}/decision" => vec![("decision", "refuse"), ("note", "no")],
            "/procurement/tenders" | "/procurement/tenders/{id}" => {
                tender_form.iter().map(|(k, v)| (*k, v.as_str())).collect()
            }
            "/procurement/tenders/{id}/terminate" => vec![("reason", "No longer needed")],
            "/procurement/tenders/{id}/documents" => vec![
                ("title", "Specification"),
                ("kind", "specification"),
                ("text", "Weekly collection."),
            ],
            "/procurement/tenders/{id}/questions" => vec![("question", "Is glass collected?")],
            "/procurement/tenders/{id}/panel" => vec![("user", "evaluator@alpha.test")],
            "/procurement/tenders/{id}/questions/{qid}/answer" => vec![("answer", "Yes.")],
            "/procurement/tenders/{id}/conflicts-assessments" => {
                vec![("conflicts_found", "false"), ("assessment", "None found.")]
            }
            "/procurement/tenders/{id}/exclusion-checks" => vec![
                ("supplier", "alpha-care"),
                ("result", "clear"),
                ("debarment_list_checked", "true"),
            ],
            "/procurement/tenders/{id}/reservation-checks" => vec![
                ("supplier", "alpha-care"),
                ("eligible", "true"),
                ("evidence", "Articles, clause 4"),
            ],
            "/procurement/tenders/{id}/challenges"
            | "/procurement/tenders/{id}/challenges/{cid}/lift" => {
                vec![("note", "Claim form served")]
            }
            "/procurement/pipeline" => planned_form.iter().map(|(k, v)| (*k, v.as_str())).collect(),
            "/contracts/new" => vec![
                ("reference", unique.as_str()),
                ("title", "Meals at home"),
                ("supplier", "alpha-care"),
                ("value", "5000.00"),
                ("starts_on", "2026-04-01"),
            ],
            "/contracts/{id}/claims" => {
                vec![("period_start", "2016-04-01"), ("outcome:SMK-QUIT", "1")]
            }
            "/contracts/{id}/payments" => payment_fields().to_vec(),
            "/contracts/{id}/kpis" => vec![
                ("code", unique.as_str()),
                ("title", "Visits made on time"),
                ("unit", "%"),
                ("target", "95"),
                ("direction", "higher"),
                ("frequency", "monthly"),
            ],
            "/contracts/{id}/returns" => vec![
                ("kpi", "KPI1"),
                ("period_start", "2016-04-01"),
                ("value", "96"),
            ],
            "/contracts/{id}/performance-failures" => vec![
                ("id", unique.as_str()),
                ("period_start", "2016-04-01"),
                ("period_end", "2016-04-30"),
                ("category", "Visits"),
                ("penalty_imposed", "0"),
            ],
            "/contracts/{id}/variations" => vec![
                ("ground", "pcr_additional"),
                ("description", "More sessions"),
                ("value_change", "1000.00"),
            ],
            "/contracts/{id}/termination" => vec![
                ("terminated_on", today.as_str()),
                ("reason", "Service no longer needed"),
            ],
            "/consultations/{id}/publish" => vec![("published", "true")],
            "/finance/consultations" => vec![
                ("plan", "MTFP 2015"),
                ("title", "Matrix consultation"),
                ("opens_on", "2016-01-04"),
                ("closes_on", "2016-02-14"),
                (
                    "settings",
                    "year = \"2016-17\"\nsavings = []\n[council_tax]\nmax_pct = \"4.99\"\nstep_pct = \"1\"\nreferendum_cost = \"0\"\n",
                ),
            ],
            "/contracts/{id}/documents" => vec![
                ("title", "Contract"),
                ("kind", "contract"),
                ("body", "Terms."),
            ],
            _ => vec![],
        };
        let mut all = vec![("csrf", csrf)];
        all.extend(fields);
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.app
            .call_from(
                &self.peer(template),
                Method::POST,
                path,
                auth,
                Some(axum::body::Body::from(body)),
                Some("application/x-www-form-urlencoded"),
            )
            .await
    }
}

/// A consultation the API creates on the fixture plan's 2016-17, open around `today`.
fn consultation_body(title: &str, today: chrono::NaiveDate) -> Value {
    json!({
        "plan": super::support::fixture_plan().name,
        "title": title,
        "introduction": "Close the gap.",
        "opens_on": (today - chrono::Days::new(7)).to_string(),
        "closes_on": (today + chrono::Days::new(30)).to_string(),
        "settings": {
            "year": "2016-17",
            "savings": [],
            "council_tax": {"max_pct": "4.99", "step_pct": "1", "referendum_cost": "0"}
        }
    })
}

/// A tender the create and edit routes accept: one lot, closing in 40 days.
fn tender_body(reference: &str) -> Value {
    let deadline = (chrono::Utc::now() + chrono::Duration::days(40)).to_rfc3339();
    json!({"reference": reference, "title": "Street cleaning", "classification_scheme": "cpv",
           "classification_code": "90610000-6", "contract_type": "services", "procedure": "open",
           "estimated_value": "500000.00", "submission_deadline": deadline,
           "lots": [{"title": "All", "estimated_value": "500000.00"}]})
}

/// The same tender as the new-tender form's fields.
fn tender_fields(reference: &str) -> Vec<(&'static str, String)> {
    let deadline = (chrono::Utc::now() + chrono::Duration::days(40))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    vec![
        ("reference", reference.to_owned()),
        ("title", "Street cleaning".into()),
        ("classification_scheme", "cpv".into()),
        ("classification_code", "90610000-6".into()),
        ("contract_type", "services".into()),
        ("procedure", "open".into()),
        ("estimated_value", "500000.00".into()),
        ("reservation", "none".into()),
        ("submission_deadline", deadline),
        ("lot_title_1", "All".into()),
        ("lot_value_1", "500000.00".into()),
    ]
}

/// A planned procurement linked to the fixture plan's first saving.
fn planned_body() -> Value {
    let plan = super::support::fixture_plan();
    json!({"title": "Grounds maintenance", "estimated_value": "2500000.00", "vat_inclusive": true,
           "contract_type": "services", "planned_tender_on": "2027-03-01",
           "planned_award_on": "2027-06-01", "planned_start_on": "2027-10-01",
           "link_kind": "saving", "link_plan": plan.name, "link_key": plan.savings[0].reference})
}

/// The same as the pipeline form's fields.
fn planned_fields(plan: &str, saving: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", "Grounds maintenance".into()),
        ("estimated_value", "2500000.00".into()),
        ("vat_inclusive", "true".into()),
        ("contract_type", "services".into()),
        ("planned_tender_on", "2027-03-01".into()),
        ("planned_award_on", "2027-06-01".into()),
        ("planned_start_on", "2027-10-01".into()),
        ("link_kind", "saving".into()),
        ("link_plan", plan.into()),
        ("link_key", saving.into()),
    ]
}

/// Payment terms a claim of the matrix passes: stop-smoking quits paid by results, quarterly.
/// The KPI every fresh contract has: visits made on time, monthly, from April 2016.
fn contract_kpi() -> ngc_domain::contracts::kpi::Kpi {
    ngc_domain::contracts::kpi::Kpi {
        code: "KPI1".into(),
        name: "Visits made on time".into(),
        unit: "%".into(),
        target: "95".parse().unwrap(),
        direction: ngc_domain::contracts::kpi::Direction::HigherIsBetter,
        frequency: ngc_domain::contracts::Frequency::Monthly,
        tolerance: "2".parse().unwrap(),
    }
}

fn contract_terms() -> ngc_domain::contracts::payment::PaymentTerms {
    use ngc_domain::contracts::Frequency;
    use ngc_domain::contracts::payment::{Component, OutcomeMetric, PaymentTerms};
    PaymentTerms {
        components: vec![Component::PaymentByResults {
            frequency: Frequency::Quarterly,
            metrics: vec![OutcomeMetric::new(
                "SMK-QUIT",
                "A smoker quits",
                ngc_domain::money::Money::pounds(250),
            )],
        }],
    }
}

/// The same terms as the API takes them.
fn contract_terms_body() -> Value {
    serde_json::to_value(contract_terms()).unwrap()
}

/// A payment the API and the page's form accept, for the terms above.
fn payment_fields() -> [(&'static str, &'static str); 6] {
    [
        ("amount", "250.00"),
        ("component", "payment_by_results"),
        ("invoice_reference", "INV-1"),
        ("invoice_date", "2016-07-01"),
        ("valid_invoice_received", "2016-07-04"),
        ("paid_on", "2016-07-20"),
    ]
}

/// What a reply means: the documented success, a refusal, or anything else (a failure).
fn outcome_of(reply: &Reply, api: bool, success: StatusCode) -> Result<Outcome, StatusCode> {
    match reply.status {
        StatusCode::UNAUTHORIZED if api => Ok(SignIn),
        StatusCode::SEE_OTHER if !api && reply.location() == Some("/login") => Ok(SignIn),
        StatusCode::FORBIDDEN => Ok(Forbidden),
        StatusCode::NOT_FOUND => Ok(NotFound),
        s if s == success => Ok(Pass),
        s => Err(s),
    }
}

/// Walks the routes of one shard of the matrix (every `SHARDS`th row from row `shard`) on a
/// fresh app, for every role on both scopes. The first shard also checks that the matrix and
/// the router name the same routes. Shards keep each database small (a refused write compares
/// the whole of it before and after) and let the test runner spread them over the cores.
async fn walk(store: Store, shard: usize) {
    let app = TestApp::new(store).await;
    let matrix = matrix();
    let served: Vec<(Method, String)> = app
        .routes
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let missing: Vec<_> = served
        .iter()
        .filter(|(m, p)| !matrix.contains_key(&(m.clone(), p.as_str())))
        .collect();
    let stale: Vec<_> = matrix
        .keys()
        .filter(|(m, p)| !served.iter().any(|(sm, sp)| sm == m && sp == p))
        .collect();
    if shard == 0 {
        assert!(
            missing.is_empty(),
            "routes with no row in the authorisation matrix: {missing:?}"
        );
        assert!(
            stale.is_empty(),
            "matrix rows for routes the router does not serve: {stale:?}"
        );
    }

    let mut users = BTreeMap::new();
    for &role in Role::ALL {
        users.insert(role.as_str(), app.user_for(role).await);
    }
    let other = app.user("finance@beta.test", "beta", Role::Finance).await;
    let bids = BidFixture::new(&app, &users["commissioner"], &users["evaluator"]).await;
    let openapi = serde_json::to_value(ngc_web::routes::openapi()).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for ((method, template), rule) in matrix.iter().skip(shard).step_by(SHARDS) {
        let api = template.starts_with("/api/") || *template == "/metrics";
        let roles = std::iter::once(None).chain(Role::ALL.iter().copied().map(Some));
        for role in roles {
            for scope in [Scope::Own, Scope::Other] {
                n += 1;
                let case = Case {
                    app: &app,
                    role,
                    user: role.map(|r| &users[r.as_str()]),
                    other: &other,
                    scope,
                    n,
                    tender: std::cell::Cell::new(None),
                    contract: std::cell::Cell::new(None),
                    eval_bid: std::cell::Cell::new(0),
                    eval_award: std::cell::Cell::new(0),
                    bids: &bids,
                };
                let want = rule(role, scope);
                let success = documented_success(&openapi, method, template, role.is_some());
                let path = case.path(method, template).await;
                // Signing out writes (it ends the session) whoever asks.
                let refused_write =
                    *method != Method::GET && want != Pass && *template != "/logout";
                let before = if refused_write {
                    Some(case.state().await)
                } else {
                    None
                };
                let reply = case.send(method, template, &path).await;
                let label = format!("{method} {template} as {role:?} on {scope:?}");
                match outcome_of(&reply, api, success) {
                    Err(status) => failures.push(format!(
                        "{label}: want {want:?} ({success} if allowed), got {status}: {}",
                        reply
                            .body
                            .split("<main")
                            .nth(1)
                            .unwrap_or(&reply.body)
                            .chars()
                            .take(1500)
                            .collect::<String>()
                    )),
                    Ok(got) if got != want => failures.push(format!(
                        "{label}: want {want:?}, got {got:?} ({})",
                        reply.status
                    )),
                    Ok(_) => {
                        if let Some(before) = before
                            && case.state().await != before
                        {
                            failures.push(format!("{label}: refused, but the database changed"));
                        }
                        if want == Pass
                            && *method == Method::GET
                            && let Err(e) = case.check_list(template, &reply).await
                        {
                            failures.push(format!("{label}: {e}"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// How many shards the matrix is walked in.
const SHARDS: usize = 4;

store_test!(
    async fn every_route_is_authorised_by_role_and_organisation_shard_1(store: Store) {
        walk(store, 0).await;
    }
);

store_test!(
    async fn every_route_is_authorised_by_role_and_organisation_shard_2(store: Store) {
        walk(store, 1).await;
    }
);

store_test!(
    async fn every_route_is_authorised_by_role_and_organisation_shard_3(store: Store) {
        walk(store, 2).await;
    }
);

store_test!(
    async fn every_route_is_authorised_by_role_and_organisation_shard_4(store: Store) {
        walk(store, 3).await;
    }
);
