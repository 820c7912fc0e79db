//! Bid pages: a provider's bid for a tender (submit, replace, withdraw, with the receipts),
//! the provider's bids across tenders, and one bid read after the deadline by the panel or
//! the procurement lead. Each form calls the same use case as the API.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use ngc_app::bids::{self as uc, AnswerInput, BidInput, LotPriceInput};
use ngc_app::tenders;
use ngc_domain::access::Area;
use ngc_domain::money::Money;
use ngc_domain::procurement::bid::BidStatus;
use ngc_domain::procurement::{Reservation, TenderStage};
use ngc_store::bids::{Bid, OpenedBid};
use ngc_store::tenders::Tender;

/// How many question-and-answer rows the bid form offers.
const ANSWER_ROWS: usize = 3;

/// A time as the pages show it: RFC 3339 with its offset, to the second.
fn shown(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The number of bytes standard base64 text decodes to.
fn decoded_len(base64: &str) -> usize {
    let t = base64.trim();
    let padding = t.bytes().rev().take_while(|&b| b == b'=').count();
    (t.len() / 4 * 3).saturating_sub(padding)
}

/// A lot's price field on the form.
#[derive(Debug, Clone)]
struct PriceField {
    number: i32,
    title: String,
    value: String,
}

/// A question-and-answer row on the form.
#[derive(Debug, Clone, Default)]
struct AnswerField {
    question: String,
    text: String,
}

/// What the bid form holds: blank, or what the provider typed when it is shown again.
#[derive(Debug, Clone)]
struct BidForm {
    prices: Vec<PriceField>,
    answers: Vec<AnswerField>,
}

impl BidForm {
    fn blank(tender: &Tender) -> Self {
        Self::from_fields(tender, &[])
    }

    /// The form from the posted fields `price_<lot number>`, `question_<n>`, `answer_<n>`.
    fn from_fields(tender: &Tender, fields: &[(String, String)]) -> Self {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            prices: tender
                .lots
                .iter()
                .map(|l| PriceField {
                    number: l.number,
                    title: l.title.clone(),
                    value: get(&format!("price_{}", l.number)),
                })
                .collect(),
            answers: (1..=ANSWER_ROWS)
                .map(|n| AnswerField {
                    question: get(&format!("question_{n}")),
                    text: get(&format!("answer_{n}")),
                })
                .collect(),
        }
    }

    /// The bid the form describes: the lots given a price, the rows with a question or an
    /// answer (blank ones left out). Attachments go through the API.
    fn input(&self) -> BidInput {
        let lots = self
            .prices
            .iter()
            .filter(|p| !p.value.trim().is_empty())
            .map(|p| LotPriceInput {
                lot: p.number.to_string(),
                price: p.value.trim().to_owned(),
            })
            .collect();
        let answers: Vec<AnswerInput> = self
            .answers
            .iter()
            .filter(|a| !a.question.trim().is_empty() || !a.text.trim().is_empty())
            .map(|a| AnswerInput {
                question: a.question.trim().to_owned(),
                text: a.text.trim().to_owned(),
            })
            .collect();
        BidInput {
            lots,
            answers: (!answers.is_empty()).then_some(answers),
            attachments: None,
        }
    }
}

#[derive(Template)]
#[template(path = "procurement/bids/tender.html")]
struct TenderBidPage {
    layout: Layout,
    tender: Tender,
    deadline: String,
    open: bool,
    stage: TenderStage,
    reserved: Option<&'static str>,
    current: Option<Bid>,
    history: Vec<Bid>,
    form: BidForm,
    error: Option<AppError>,
}

#[derive(Template)]
#[template(path = "procurement/bids/mine.html")]
struct MyBidsPage {
    layout: Layout,
    bids: Vec<Bid>,
}

/// An opened bid's lot as the reading page shows it.
#[derive(Debug)]
struct ShownLot {
    lot: String,
    title: String,
    price: String,
}

/// An attachment as the reading page shows it.
#[derive(Debug)]
struct ShownAttachment {
    name: String,
    bytes: usize,
}

#[derive(Template)]
#[template(path = "procurement/bids/show.html")]
struct ShowBidPage {
    layout: Layout,
    bid: Bid,
    lots: Vec<ShownLot>,
    answers: Vec<AnswerInput>,
    attachments: Vec<ShownAttachment>,
    /// The content as stored, when it is not in the shape of a bid.
    raw: Option<String>,
}

/// The tender's bid page, with the form as given and the complaint, if any.
async fn tender_page(
    app: &AppState,
    user: &CurrentUser,
    tender_id: i64,
    form: Option<BidForm>,
    error: Option<AppError>,
) -> AppResult<Response> {
    let caller = user.caller();
    let tender = tenders::find(&app.store, &caller, tender_id).await?;
    let mut history = uc::list(&app.store, &caller, tender_id).await?;
    history.reverse();
    let current = history
        .iter()
        .find(|b| b.status == BidStatus::Active)
        .cloned();
    let now = app.store.now();
    let stage = tender.stage(now);
    let layout = Layout::for_user(
        user,
        &format!("Bid: {}", tender.title),
        Some(Area::Procurement),
    );
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = TenderBidPage {
        layout,
        deadline: shown(&tender.submission_deadline),
        open: stage == TenderStage::Open,
        stage,
        reserved: (tender.reservation != Reservation::None).then(|| tender.reservation.label()),
        current,
        history,
        form: form.unwrap_or_else(|| BidForm::blank(&tender)),
        tender,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /procurement/tenders/{id}/bid`: the provider's bid for a tender.
pub async fn tender_bid(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(ngc_domain::access::Action::SubmitBids)?;
    tender_page(&app, &user, id, None, None).await
}

/// `POST /procurement/tenders/{id}/bid`: submits a bid.
pub async fn submit(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let tender = tenders::find(&app.store, &user.caller(), id).await?;
    let form = BidForm::from_fields(&tender, &fields);
    let result = uc::submit(&app.store, &user.caller(), id, form.input())
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |b| format!("/procurement/tenders/{}/bid", b.tender_id),
        |e| tender_page(&app, &user, id, Some(form), Some(e)),
    )
    .await
}

/// The tender of one of the caller's own bids, to show its page again after a refusal.
async fn own_tender(app: &AppState, user: &CurrentUser, bid_id: i64) -> AppResult<i64> {
    uc::mine(&app.store, &user.caller())
        .await?
        .into_iter()
        .find(|b| b.id == bid_id)
        .map(|b| b.tender_id)
        .ok_or_else(|| AppError::NotFound(format!("bid {bid_id}")))
}

/// `POST /procurement/bids/{id}/replace`: replaces a bid with the form's.
pub async fn replace(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let tender_id = own_tender(&app, &user, id).await?;
    let tender = tenders::find(&app.store, &user.caller(), tender_id).await?;
    let form = BidForm::from_fields(&tender, &fields);
    let result = uc::replace(&app.store, &user.caller(), id, form.input())
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |b| format!("/procurement/tenders/{}/bid", b.tender_id),
        |e| tender_page(&app, &user, tender_id, Some(form), Some(e)),
    )
    .await
}

/// `POST /procurement/bids/{id}/withdraw`: withdraws a bid.
pub async fn withdraw(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let tender_id = own_tender(&app, &user, id).await?;
    let result = uc::withdraw(&app.store, &user.caller(), id)
        .await
        .map_err(AppError::from);
    after_form(
        result,
        |b| format!("/procurement/tenders/{}/bid", b.tender_id),
        |e| tender_page(&app, &user, tender_id, None, Some(e)),
    )
    .await
}

/// `GET /procurement/bids`: the provider's bids, every tender, with their receipts.
pub async fn mine(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let bids = uc::mine(&app.store, &user.caller()).await?;
    let layout = Layout::for_user(&user, "My bids", Some(Area::Procurement));
    Ok(render(&MyBidsPage { layout, bids }))
}

/// `GET /procurement/bids/{id}`: reads a bid (the panel and the lead, after the deadline;
/// every attempt is audited).
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let OpenedBid { bid, content } = uc::read(&app.store, &user.caller(), id).await?;
    let tender = tenders::find(&app.store, &user.caller(), bid.tender_id).await?;
    let layout = Layout::for_user(&user, &format!("Bid {id}"), Some(Area::Procurement));
    let page = match BidInput::from_content(&content) {
        Some(input) => ShowBidPage {
            layout,
            bid,
            lots: input
                .lots
                .iter()
                .map(|l| ShownLot {
                    lot: l.lot.clone(),
                    title: uc::find_lot(&tender.lots, &l.lot)
                        .map(|t| format!("Lot {}: {}", t.number, t.title))
                        .unwrap_or_default(),
                    price: l
                        .price
                        .trim()
                        .parse()
                        .ok()
                        .and_then(|d| Money::from_decimal_exact(d).ok())
                        .map_or_else(|| l.price.clone(), |m| m.fmt_gbp()),
                })
                .collect(),
            answers: input.answers.unwrap_or_default(),
            attachments: input
                .attachments
                .unwrap_or_default()
                .into_iter()
                .map(|a| ShownAttachment {
                    bytes: decoded_len(&a.content_base64),
                    name: a.name,
                })
                .collect(),
            raw: None,
        },
        None => ShowBidPage {
            layout,
            bid,
            lots: Vec::new(),
            answers: Vec::new(),
            attachments: Vec::new(),
            raw: Some(serde_json::to_string_pretty(&content).unwrap_or_default()),
        },
    };
    Ok(render(&page))
}
