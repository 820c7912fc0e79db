//! A contract's variations (through [`ngc_app::contracts::variations`]): the holding council
//! varies a contract under the change rules of its regime, terminates it, or reverses its
//! termination (a variation with `reverses_termination`); whoever reads the contract reads
//! its variations. A refused variation is a 422 naming the field and the provision it fails,
//! and saves nothing.

use super::views::ContractView;
use crate::AppState;
use crate::api::ApiJson;
use crate::api::tenders::views::time;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use ngc_app::contracts::variations::{
    self as uc, Recorded, TerminationInput, VariationEntry, VariationInput, notice_words,
};
use ngc_domain::money::Money;
use ngc_store::contracts::Variation;
use ngc_store::releases::Release;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A variation, termination or reversal of termination of a contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariationView {
    pub id: i64,
    /// 1, 2, … within the contract.
    pub seq: i64,
    /// `variation`, `termination` or `reversal` (of a termination).
    pub kind: String,
    /// The ground relied on (`pcr_additional`, `pa_not_substantial`, …); null for a
    /// termination.
    pub ground: Option<String>,
    /// The ground in words, citing its provision.
    pub ground_label: Option<String>,
    pub description: String,
    /// The change in value, negative for a reduction.
    pub value_change: Money,
    pub value_before: Money,
    pub value_after: Money,
    pub end_date_before: Option<NaiveDate>,
    /// The contract's last day after the change.
    pub new_end_date: Option<NaiveDate>,
    /// The day a termination takes effect.
    pub terminated_on: Option<NaiveDate>,
    /// The value after the change less the original value.
    pub cumulative_change: Money,
    /// That change as a percentage of the original value (`12.50`).
    pub cumulative_change_percent: String,
    /// Which notice the change needs, in words; null when none is needed.
    pub notice: Option<String>,
    /// Its notice type (`UK10`, `modification_notice`, `UK11`).
    pub notice_type: Option<String>,
    /// Why that notice, or none, in words.
    pub notice_reason: String,
    /// Why the change rules permit the variation, each citing its provision.
    pub reasons: Vec<String>,
    /// The OCDS release made on the procurement's ocid, if one was (none for a contract
    /// entered by hand).
    pub release_id: Option<String>,
    /// ngc's id of that release: the notice whose publication the officer records
    /// (`POST /api/v1/tenders/{id}/notices/{notice}/publication`).
    pub notice_id: Option<i64>,
    pub ocid: Option<String>,
    pub recorded_at: String,
}

impl VariationView {
    fn new(v: Variation, release: Option<Release>) -> Self {
        let reasons = match v.assessment.get("reasons") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        Self {
            id: v.id,
            seq: v.seq,
            kind: v.kind.as_str().to_owned(),
            ground: v.ground.map(|g| g.as_str().to_owned()),
            ground_label: v.ground.map(|g| g.label().to_owned()),
            description: v.description,
            value_change: v.value_change,
            value_before: v.value_before,
            value_after: v.value_after,
            end_date_before: v.ends_before,
            new_end_date: v.ends_after,
            terminated_on: v.terminated_on,
            cumulative_change: v.cumulative_change,
            cumulative_change_percent: v.cumulative_change_percent,
            notice: v.notice.map(notice_words),
            notice_type: v.notice.map(|n| n.as_str().to_owned()),
            notice_reason: v.notice_reason,
            reasons,
            release_id: release.as_ref().map(|r| r.release_id.clone()),
            notice_id: release.as_ref().map(|r| r.id),
            ocid: release.map(|r| r.ocid),
            recorded_at: time(v.recorded_at),
        }
    }
}

/// A variation as recorded and the contract after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedVariationView {
    pub variation: VariationView,
    pub contract: ContractView,
}

impl RecordedVariationView {
    fn new(r: Recorded, today: NaiveDate) -> Self {
        Self {
            variation: VariationView::new(r.variation, r.release),
            contract: ContractView::new(r.contract, today),
        }
    }
}

/// A contract's variations in order, with its original and current value and end.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariationListView {
    pub contract_id: i64,
    pub original_value: Money,
    pub value: Money,
    pub original_end_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub terminated_on: Option<NaiveDate>,
    pub variations: Vec<VariationView>,
}

/// Varies the contract under the change rules of its regime (the holding council's
/// commissioners and administrator): PCR 2015 reg 72 (with the 50% cap on each modification)
/// or PA2023 s74 and Sch 8. A modification that is not permitted is refused (422) naming the
/// field and the provision it fails, and nothing is saved; a permitted one changes the
/// contract's current value and end and says which notice it needs (PA2023 s75, PCR 2015
/// reg 72(3)) or none. With `reverses_termination` it reverses the contract's termination.
/// For a contract let through a procurement the contract change release is made on its ocid.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/variations", tag = "contracts",
    security(("bearer" = [])), request_body = VariationInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = RecordedVariationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn vary_contract(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VariationInput>,
) -> AppResult<(StatusCode, Json<RecordedVariationView>)> {
    let recorded = uc::vary(&app.store, &user.caller(), id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(RecordedVariationView::new(recorded, app.store.today())),
    ))
}

/// The contract's variations, terminations and reversals, in order (anyone who reads the
/// contract), each with the notice it needed and its release, if one was made.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/variations", tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 200, body = VariationListView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_contract_variations(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<VariationListView>> {
    let list = uc::list(&app.store, &user.caller(), id).await?;
    let c = list.contract;
    Ok(Json(VariationListView {
        contract_id: c.id,
        original_value: c.original_value,
        value: c.value,
        original_end_date: c.original_ends_on,
        end_date: c.ends_on,
        terminated_on: c.terminated_on,
        variations: list
            .entries
            .into_iter()
            .map(|VariationEntry { variation, release }| VariationView::new(variation, release))
            .collect(),
    }))
}

/// Terminates the contract from the day given (the holding council's commissioners and
/// administrator), recording why and which notice it needs: a contract termination notice
/// (UK11, PA2023 s80) for a public contract under the Act, none under PCR 2015. For a
/// contract let through a procurement the contract termination release is made on its ocid.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/termination", tag = "contracts",
    security(("bearer" = [])), request_body = TerminationInput,
    params(("id" = i64, Path, description = "The contract's id")),
    responses((status = 201, body = RecordedVariationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn terminate_contract(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TerminationInput>,
) -> AppResult<(StatusCode, Json<RecordedVariationView>)> {
    let recorded = uc::terminate(&app.store, &user.caller(), id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(RecordedVariationView::new(recorded, app.store.today())),
    ))
}
