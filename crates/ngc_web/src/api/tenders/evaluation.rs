//! Evaluation and award: declarations of interest, evaluator scores, moderation, price
//! opening, abnormally low bids, the award, assessment summaries and the contract. Each
//! handler calls one use case of `ngc_app::evaluation` or `ngc_app::awards`, the same the
//! pages call.

use super::views::time;
use crate::AppState;
use crate::api::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ngc_app::awards::{self as awards, AwardInput, ContractInput, SummariesInput};
use ngc_app::evaluation::{
    self as uc, AbnormallyLowInput, DeclarationInput, LotInput, Part, ScoreInput,
};
use ngc_store::contracts::Contract;
use ngc_store::evaluation::{Award, EvaluatorScore, ModeratedRow, PriceRow, StoredSummary};
use ngc_store::tenders::PanelMember;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A panel member and their declaration of interest.
#[derive(Debug, Serialize, ToSchema)]
pub struct PanelMemberView {
    pub user_id: i64,
    pub email: String,
    pub declared_at: Option<String>,
    /// Whether a conflict was declared (absent: not yet declared).
    pub conflict: Option<bool>,
    pub declaration: String,
    /// When a declared conflict removed the member from the tender.
    pub removed_at: Option<String>,
}

impl From<PanelMember> for PanelMemberView {
    fn from(m: PanelMember) -> Self {
        Self {
            user_id: m.user_id,
            email: m.email,
            declared_at: m.declared_at.map(time),
            conflict: m.conflict,
            declaration: m.declaration,
            removed_at: m.removed_at.map(time),
        }
    }
}

/// An evaluator's score of a bid on a quality criterion (every version is kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreView {
    pub id: i64,
    pub lot: i32,
    pub bid: i64,
    pub criterion: String,
    /// The evaluator's email.
    pub evaluator: String,
    pub score: i32,
    pub comment: String,
    pub scored_at: String,
    /// Set when the evaluator scored the same bid and criterion again.
    pub superseded_at: Option<String>,
}

impl From<EvaluatorScore> for ScoreView {
    fn from(s: EvaluatorScore) -> Self {
        Self {
            id: s.id,
            lot: s.lot_number,
            bid: s.bid_id,
            criterion: s.criterion,
            evaluator: s.evaluator,
            score: s.score,
            comment: s.comment,
            scored_at: time(s.scored_at),
            superseded_at: s.superseded_at.map(time),
        }
    }
}

/// A moderated (consensus) score with its reason (every version is kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct ModeratedView {
    pub id: i64,
    pub lot: i32,
    pub bid: i64,
    pub criterion: String,
    pub score: i32,
    pub reason: String,
    pub moderated_at: String,
    pub superseded_at: Option<String>,
}

impl From<ModeratedRow> for ModeratedView {
    fn from(m: ModeratedRow) -> Self {
        Self {
            id: m.id,
            lot: m.lot_number,
            bid: m.bid_id,
            criterion: m.criterion,
            score: m.score,
            reason: m.reason,
            moderated_at: time(m.moderated_at),
            superseded_at: m.superseded_at.map(time),
        }
    }
}

/// A bid's price for a lot as opened, with its score by the stated method.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceView {
    pub lot: i32,
    pub bid: i64,
    /// Pounds, as a decimal string.
    pub price: String,
    pub lowest: String,
    pub method: Option<String>,
    pub maximum: Option<String>,
    pub score: Option<String>,
    pub opened_at: String,
}

impl From<PriceRow> for PriceView {
    fn from(p: PriceRow) -> Self {
        Self {
            lot: p.lot_number,
            bid: p.bid_id,
            price: p.price.to_decimal().to_string(),
            lowest: p.lowest.to_decimal().to_string(),
            method: p.method,
            maximum: p.maximum,
            score: p.score,
            opened_at: time(p.opened_at),
        }
    }
}

/// A flagged bid's abnormally-low status.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbnormallyLowView {
    pub bid: i64,
    /// The status as tagged JSON (`{"status": "flagged"}`, …).
    #[schema(value_type = Object)]
    pub status: Value,
    /// Why it was flagged, rule by rule.
    #[schema(value_type = Object)]
    pub reasons: Value,
}

/// A bid's place in the ranking of a lot.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankedView {
    pub rank: u32,
    pub bidder: String,
    pub total: String,
    pub quality: String,
    pub price_score: String,
    pub price: String,
}

/// A bid's evaluation status.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusView {
    pub bidder: String,
    pub complete: bool,
    /// What is missing, in words.
    pub missing: String,
}

/// The evaluation of one lot.
#[derive(Debug, Serialize, ToSchema)]
pub struct LotEvaluationView {
    pub number: i32,
    pub title: String,
    /// The lot's criteria set, if it has one.
    #[schema(value_type = Option<Object>)]
    pub criteria: Option<Value>,
    pub scores: Vec<ScoreView>,
    pub moderated: Vec<ModeratedView>,
    pub prices: Vec<PriceView>,
    pub abnormally_low: Vec<AbnormallyLowView>,
    pub status: Vec<StatusView>,
    pub ranking: Vec<RankedView>,
}

/// A bid in the evaluation.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluatedBidView {
    pub id: i64,
    pub organisation: String,
    pub organisation_name: String,
}

/// A tender's evaluation as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationView {
    pub tender_id: i64,
    /// `lead` or `evaluator`.
    pub part: String,
    pub panel: Vec<PanelMemberView>,
    pub bids: Vec<EvaluatedBidView>,
    pub lots: Vec<LotEvaluationView>,
    pub awards: Vec<AwardView>,
    pub contracts: Vec<ContractView>,
}

/// An award decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardView {
    pub id: i64,
    pub lot: i32,
    pub bid: i64,
    pub supplier: String,
    pub supplier_name: String,
    /// Pounds, as a decimal string.
    pub value: String,
    /// `pcr2015` or `pa2023`.
    pub regime: String,
    pub decided_at: String,
    pub decided_on: String,
    /// The first day of standstill, once known.
    pub standstill_from: Option<String>,
    /// The last day of standstill, once known.
    pub standstill_ends_on: Option<String>,
    pub summaries_sent_at: Option<String>,
}

impl From<Award> for AwardView {
    fn from(a: Award) -> Self {
        Self {
            id: a.id,
            lot: a.lot_number,
            bid: a.bid_id,
            supplier: a.supplier,
            supplier_name: a.supplier_name,
            value: a.value.to_decimal().to_string(),
            regime: a.regime,
            decided_at: time(a.decided_at),
            decided_on: a.decided_on.to_string(),
            standstill_from: a.standstill_from.map(|d| d.to_string()),
            standstill_ends_on: a.standstill_ends_on.map(|d| d.to_string()),
            summaries_sent_at: a.summaries_sent_at.map(time),
        }
    }
}

/// An assessment summary as sent to a bidder.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryView {
    pub id: i64,
    pub award: i64,
    pub organisation: String,
    pub sent_at: String,
    /// The summary in the content of the regime.
    #[schema(value_type = Object)]
    pub summary: Value,
}

impl From<StoredSummary> for SummaryView {
    fn from(s: StoredSummary) -> Self {
        Self {
            id: s.id,
            award: s.award_id,
            organisation: s.organisation,
            sent_at: time(s.sent_at),
            summary: s.content,
        }
    }
}

/// The assessment summaries the caller may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryList {
    pub summaries: Vec<SummaryView>,
}

/// A buyer of a contract with its share and its part of the value.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractBuyerView {
    pub organisation: String,
    pub share_percent: String,
    /// Pounds, as a decimal string.
    pub amount: String,
}

/// A contract record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractView {
    pub id: i64,
    pub award: Option<i64>,
    pub lot: Option<i32>,
    pub supplier: String,
    pub title: String,
    /// Pounds, as a decimal string.
    pub value: String,
    pub vat_inclusive: bool,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub buyers: Vec<ContractBuyerView>,
    pub created_at: String,
}

impl From<Contract> for ContractView {
    fn from(c: Contract) -> Self {
        Self {
            id: c.id,
            award: c.award_id,
            lot: c.lot_number,
            supplier: c.supplier,
            title: c.title,
            value: c.value.to_decimal().to_string(),
            vat_inclusive: c.vat_treatment == ngc_domain::contracts::VatTreatment::IncludingVat,
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.map(|d| d.to_string()),
            buyers: c
                .buyers
                .into_iter()
                .map(|b| ContractBuyerView {
                    organisation: b.organisation,
                    share_percent: b.share_percent,
                    amount: b.amount.to_decimal().to_string(),
                })
                .collect(),
            created_at: time(c.created_at),
        }
    }
}

impl From<uc::Evaluation> for EvaluationView {
    fn from(e: uc::Evaluation) -> Self {
        Self {
            tender_id: e.tender.id,
            part: match e.part {
                Part::Lead => "lead".into(),
                Part::Panel(_) => "evaluator".into(),
            },
            panel: e.panel.into_iter().map(Into::into).collect(),
            bids: e
                .bids
                .into_iter()
                .map(|b| EvaluatedBidView {
                    id: b.id,
                    organisation: b.organisation,
                    organisation_name: b.organisation_name,
                })
                .collect(),
            lots: e
                .lots
                .into_iter()
                .map(|l| LotEvaluationView {
                    number: l.lot.number,
                    title: l.lot.title,
                    criteria: l
                        .criteria
                        .map(|c| serde_json::to_value(c).unwrap_or_default()),
                    scores: l.scores.into_iter().map(Into::into).collect(),
                    moderated: l.moderated.into_iter().map(Into::into).collect(),
                    prices: l.prices.into_iter().map(Into::into).collect(),
                    abnormally_low: l
                        .abnormally_low
                        .into_iter()
                        .map(|(bid, s, reasons)| AbnormallyLowView {
                            bid,
                            status: serde_json::to_value(s).unwrap_or_default(),
                            reasons,
                        })
                        .collect(),
                    status: l
                        .status
                        .into_iter()
                        .map(|s| StatusView {
                            bidder: s.bidder.to_string(),
                            complete: s.is_complete(),
                            missing: s.missing(),
                        })
                        .collect(),
                    ranking: l
                        .ranking
                        .into_iter()
                        .map(|r| RankedView {
                            rank: r.rank,
                            bidder: r.bid.total.bidder.to_string(),
                            total: r.bid.total.total.to_string(),
                            quality: r.bid.total.quality.to_string(),
                            price_score: r.bid.total.price.to_string(),
                            price: r.bid.price.to_decimal().to_string(),
                        })
                        .collect(),
                })
                .collect(),
            awards: e.awards.into_iter().map(Into::into).collect(),
            contracts: e.contracts.into_iter().map(Into::into).collect(),
        }
    }
}

/// The caller, a member of the tender's panel, declares a conflict of interest or its
/// absence, once; a declared conflict removes them from the tender.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/declarations", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = DeclarationInput,
    responses((status = 201, body = PanelMemberView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn declare(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DeclarationInput>,
) -> AppResult<(StatusCode, Json<PanelMemberView>)> {
    let m = uc::declare(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// A cleared evaluator's quality score of a bid on a criterion, with its reason; 403 without
/// a declaration or with a declared conflict. Scoring again keeps the earlier score.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/scores", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = ScoreInput,
    responses((status = 201, body = ScoreView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn score(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ScoreInput>,
) -> AppResult<(StatusCode, Json<ScoreView>)> {
    let s = uc::score(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

/// The evaluation as the caller may see it: the procurement lead everything; an evaluator
/// their own scores, and the others' only once moderated.
#[utoipa::path(get, path = "/api/v1/tenders/{id}/evaluation", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    responses((status = 200, body = EvaluationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_evaluation(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<EvaluationView>> {
    Ok(Json(
        uc::evaluation(&app.store, &user.caller(), id).await?.into(),
    ))
}

/// The procurement lead records the consensus score of a bid on a criterion, with its
/// reason. Moderating again keeps the earlier one.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/moderations", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = ScoreInput,
    responses((status = 201, body = ModeratedView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn moderate(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ScoreInput>,
) -> AppResult<(StatusCode, Json<ModeratedView>)> {
    let m = uc::moderate(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// The procurement lead opens the prices of a lot (on a two-envelope tender, only once
/// quality is moderated for every bid: 409 otherwise), scored by the stated method and
/// screened for abnormally low bids.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/price-openings", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = LotInput,
    responses((status = 201, body = [PriceView]), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn open_prices(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<LotInput>,
) -> AppResult<(StatusCode, Json<Vec<PriceView>>)> {
    let p = uc::open_prices(&app.store, &user.caller(), id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(p.into_iter().map(Into::into).collect()),
    ))
}

/// A step of the abnormally-low workflow: ask the supplier to explain its price, record the
/// explanation, then accept or reject the bid (409 when out of order).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/abnormally-low", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = AbnormallyLowInput,
    responses((status = 200, body = AbnormallyLowView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn abnormally_low(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AbnormallyLowInput>,
) -> AppResult<Json<AbnormallyLowView>> {
    let bid = input.bid;
    let s = uc::abnormally_low(&app.store, &user.caller(), id, input).await?;
    Ok(Json(AbnormallyLowView {
        bid,
        status: serde_json::to_value(s).unwrap_or_default(),
        reasons: Value::Array(vec![]),
    }))
}

/// The award decision of a lot, to its most advantageous bid: 409 before the evaluation is
/// complete, during another decision's standstill or while a challenge suspends the award.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/award", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = AwardInput,
    responses((status = 201, body = AwardView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn award(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AwardInput>,
) -> AppResult<(StatusCode, Json<AwardView>)> {
    let a = awards::award(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Sends the assessment summaries of an award, one per bidder, recording the date sent.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/summaries", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = SummariesInput,
    responses((status = 201, body = SummaryList), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn send_summaries(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SummariesInput>,
) -> AppResult<(StatusCode, Json<SummaryList>)> {
    let s = awards::send_summaries(&app.store, &user.caller(), id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(SummaryList {
            summaries: s.into_iter().map(Into::into).collect(),
        }),
    ))
}

/// The assessment summaries the caller may read: a provider its own only; the procurement
/// lead every one.
#[utoipa::path(get, path = "/api/v1/tenders/{id}/summaries", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    responses((status = 200, body = SummaryList), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_summaries(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<SummaryList>> {
    let s = awards::summaries(&app.store, &user.caller(), id).await?;
    Ok(Json(SummaryList {
        summaries: s.into_iter().map(Into::into).collect(),
    }))
}

/// Records the contract of an award after its standstill (409 during it), with the buyers'
/// shares of the value.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/contracts", tag = "procurement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The tender's id")),
    request_body = ContractInput,
    responses((status = 201, body = ContractView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn make_contract(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContractInput>,
) -> AppResult<(StatusCode, Json<ContractView>)> {
    let c = awards::make_contract(&app.store, &user.caller(), id, input).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}
