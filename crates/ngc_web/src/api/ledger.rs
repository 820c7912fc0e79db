//! An organisation's ledger: its trial balance at a date, and posting a journal. Each
//! handler calls one use case of `ngc_app::ledger`, the same the page and the command line
//! call. Open to the organisation's own finance officers and administrators.

use super::ApiJson;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use ngc_app::ledger::{self as uc, JournalInput, ReversalInput, TrialBalanceView};
use ngc_domain::money::Money;
use ngc_store::ledger::Posted;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The day of a trial balance.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AtQuery {
    /// The day (YYYY-MM-DD) whose end it is at: journals dated on or before it. Today by
    /// default.
    #[param(value_type = Option<String>, example = "2017-03-31")]
    #[serde(default)]
    pub at: Option<String>,
}

/// Parses the optional `at` day.
pub fn parse_at(at: Option<&str>) -> AppResult<Option<NaiveDate>> {
    match at.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid("at", format!("`{text}` is not a date (YYYY-MM-DD)"))),
    }
}

/// The organisation's trial balance at the end of a day: each account with a balance, as a
/// debit or a credit, and the two totals, which are equal.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/ledger/trial-balance", tag = "ledger",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"), AtQuery),
    responses((status = 200, body = TrialBalanceView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn find_trial_balance(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<AtQuery>,
) -> AppResult<Json<TrialBalanceView>> {
    let at = parse_at(q.at.as_deref())?;
    Ok(Json(
        uc::trial_balance(&app.store, &user.caller(), &slug, at).await?,
    ))
}

/// One line of a posted journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingView {
    /// The account's code.
    pub account: String,
    /// `debit` or `credit`.
    pub side: String,
    pub amount: Money,
    /// Where it came from: opening_balance, contract_payment, recharge, spend, gl_actual or
    /// manual.
    pub source: String,
    pub reference: String,
}

/// A posted journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalView {
    pub id: i64,
    pub idempotency_key: String,
    pub date: NaiveDate,
    pub description: String,
    /// The journal it reverses, if it is a reversal.
    pub reverses: Option<i64>,
    pub posted_at: DateTime<Utc>,
    pub posted_by: Option<i64>,
    /// Whether this request posted it (`false`: the key was posted before with the same
    /// content, and nothing changed).
    pub created: bool,
    pub postings: Vec<PostingView>,
}

impl From<Posted> for JournalView {
    fn from(p: Posted) -> Self {
        let j = p.journal;
        Self {
            id: j.id,
            idempotency_key: j.journal.key.clone(),
            date: j.journal.date,
            description: j.journal.description.clone(),
            reverses: j.journal.reverses,
            posted_at: j.posted_at,
            posted_by: j.posted_by,
            created: p.created,
            postings: j
                .journal
                .postings()
                .iter()
                .map(|p| PostingView {
                    account: p.account.to_string(),
                    side: p.side.to_string(),
                    amount: p.amount,
                    source: p.source.kind.to_string(),
                    reference: p.source.reference.clone(),
                })
                .collect(),
        }
    }
}

/// Posts a journal to the organisation's ledger: it must balance, every line a positive
/// debit or credit naming its source. Posting the same idempotency key again with the same
/// content returns the first journal (`created` false) and changes nothing; with different
/// content it is refused (409).
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/ledger/journals", tag = "ledger",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = JournalInput,
    responses((status = 201, body = JournalView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_journal(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<JournalInput>,
) -> AppResult<(StatusCode, Json<JournalView>)> {
    let posted = uc::post(&app.store, &user.caller(), &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(posted.into())))
}

/// One journal of the organisation's ledger, with its postings and their sources.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/ledger/journals/{id}", tag = "ledger",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"),
        ("id" = i64, Path, description = "The journal's id")),
    responses((status = 200, body = JournalView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_journal(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<JournalView>> {
    let journal = uc::journal(&app.store, &user.caller(), &slug, id).await?;
    Ok(Json(
        Posted {
            journal,
            created: false,
        }
        .into(),
    ))
}

/// Reverses a journal of the organisation's ledger: a new journal with every posting on the
/// other side, pointing back to it. A journal is reversed at most once, and a reversal is not
/// reversed (409); the reversal's idempotency key makes a retried request return it.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/ledger/journals/{id}/reversal", tag = "ledger",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"),
        ("id" = i64, Path, description = "The id of the journal to reverse")),
    request_body = ReversalInput,
    responses((status = 201, body = JournalView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_reversal(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(input): ApiJson<ReversalInput>,
) -> AppResult<(StatusCode, Json<JournalView>)> {
    let posted = uc::reverse(&app.store, &user.caller(), &slug, id, &input).await?;
    Ok((StatusCode::CREATED, Json(posted.into())))
}

/// How many spend lines to return.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LimitQuery {
    /// At most this many lines, in file order (1 to 1000; 100 by default).
    #[serde(default)]
    pub limit: Option<i64>,
}

/// One imported spend line behind a journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpendLineView {
    /// Its position in the imported file (from 0).
    pub position: i64,
    /// The CSV within a zip it came from (empty for a plain file).
    pub member: String,
    /// Its line in that file (the header is line 1).
    pub line: i64,
    pub paid_on: NaiveDate,
    /// Whether the council published only the month (`paid_on` is then its first day).
    pub month_only: bool,
    pub supplier: String,
    pub redacted: bool,
    /// The net amount.
    pub amount: Money,
    pub transaction: String,
    pub service: String,
    pub expense_type: String,
    pub expense_code: String,
    pub description: String,
}

/// The imported spend lines a summarised spend journal (or its reversal) sums: an import's
/// lines of one month charged to one account.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpendLinesView {
    pub journal: i64,
    pub import_id: i64,
    pub file_name: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The expenditure account the lines are charged to.
    pub account: String,
    /// How many lines there are (more than `lines` holds when the limit cut them short).
    pub total: i64,
    pub lines: Vec<SpendLineView>,
}

/// The imported spend lines behind a journal of the organisation's ledger: the drill-down
/// from a summarised spend journal to the payments it sums. 404 for a journal that does not
/// come from imported spend.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/ledger/journals/{id}/spend-lines", tag = "ledger",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organisation's slug"),
        ("id" = i64, Path, description = "The journal's id"), LimitQuery),
    responses((status = 200, body = SpendLinesView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn find_spend_lines(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<LimitQuery>,
) -> AppResult<Json<SpendLinesView>> {
    let limit = q.limit.unwrap_or(100);
    let s = uc::behind::spend_lines(&app.store, &user.caller(), &slug, id, limit)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("journal {id} does not come from imported spend"))
        })?;
    Ok(Json(SpendLinesView {
        journal: id,
        import_id: s.import_id,
        file_name: s.file_name,
        month: s.month,
        account: s.account,
        total: s.lines.total,
        lines: s
            .lines
            .lines
            .into_iter()
            .map(|l| SpendLineView {
                position: l.position,
                member: l.member,
                line: l.line,
                paid_on: l.paid_on,
                month_only: l.month_only,
                supplier: l.supplier,
                redacted: l.redacted,
                amount: Money::pence(l.amount),
                transaction: l.transaction_ref,
                service: l.service,
                expense_type: l.expense_type,
                expense_code: l.expense_code,
                description: l.description,
            })
            .collect(),
    }))
}
