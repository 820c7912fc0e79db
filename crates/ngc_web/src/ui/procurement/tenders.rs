//! One tender's page: details, lots, buyers and shares, documents, answered questions, the
//! stage and deadline in words, what the reader may do next, and the forms for it (publish,
//! document, question, answer, terminate). A refused form shows the page again with the
//! complaint and its status (422, 409).

use super::{from_now, stage_words, when};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ngc_app::questions::{self, AnswerInput, AskInput, QuestionSeen};
use ngc_app::tenders::documents::{self, DocumentInput};
use ngc_app::tenders::{self as uc, PublishInput, TenderDetail, TerminateInput};
use ngc_domain::access::Area;
use ngc_domain::money::Money;
use ngc_domain::procurement::TenderStage;
use ngc_domain::procurement::lifecycle::DocumentKind;
use ngc_store::tender_documents::Document;
use ngc_store::tenders::{Lot, Tender};

/// A buyer as the page shows it.
struct BuyerRow {
    slug: String,
    name: String,
    share_percent: String,
    share: Money,
}

#[derive(Template)]
#[template(path = "procurement/tender.html")]
struct TenderPage {
    layout: Layout,
    tender: Tender,
    stage: TenderStage,
    stage_words: String,
    questions_close: String,
    published: Option<String>,
    buyers: Vec<BuyerRow>,
    lots: Vec<Lot>,
    documents: Vec<Document>,
    /// Answered questions, for everyone who may see the tender.
    answered: Vec<QuestionSeen>,
    /// Unanswered ones: all of them for the buyers' staff, the reader's own otherwise.
    waiting: Vec<QuestionSeen>,
    next: Vec<String>,
    buyer_staff: bool,
    manage: bool,
    ask: bool,
    bid: bool,
    suspended: bool,
    kinds: &'static [DocumentKind],
    error: Option<AppError>,
}

/// What the reader may do next, in words.
fn next_steps(d: &TenderDetail) -> Vec<String> {
    let t = &d.tender;
    let r = d.rights;
    let waiting = d.questions.iter().filter(|q| q.answer.is_none()).count();
    let mut out = Vec::new();
    match d.stage {
        TenderStage::Draft if r.manage => {
            out.push("Check the details, lots and buyers' shares, and add the documents.".into());
            match &d.publication {
                Some(Ok(period)) => out.push(format!(
                    "Publish the tender: its deadline leaves {} (the tendering period must be {}).",
                    from_now(t.submission_deadline, d.now).replacen("in ", "", 1),
                    period.in_words()
                )),
                Some(Err(why)) => out.push(format!(
                    "Move the submission deadline before publishing: {why}."
                )),
                None => {}
            }
        }
        TenderStage::Draft => {
            out.push("The lead council's commissioners prepare and publish this draft.".into())
        }
        TenderStage::Open if r.manage => {
            if waiting > 0 {
                out.push(format!(
                    "Answer the {waiting} question{} waiting: the answer goes to everyone, without the asker's name.",
                    if waiting == 1 { "" } else { "s" }
                ));
            }
            out.push("Add clarifications and addenda as documents.".into());
            out.push(format!(
                "Bids stay sealed until {}: nobody may read one before then.",
                when(t.submission_deadline)
            ));
        }
        TenderStage::Open if r.ask => {
            out.push(format!(
                "Ask a clarification question until {}: the answer goes to every bidder, without your name.",
                when(d.questions_close)
            ));
            out.push(format!(
                "Submit your bid before {}.",
                when(t.submission_deadline)
            ));
        }
        TenderStage::Open if r.buyer_staff => out.push(format!(
            "Bids stay sealed until {}.",
            when(t.submission_deadline)
        )),
        TenderStage::Open => out.push(format!(
            "Clarification questions closed at {}; bids close {}.",
            when(d.questions_close),
            when(t.submission_deadline)
        )),
        TenderStage::Evaluation if r.buyer_staff => {
            out.push("The evaluation panel scores the bids.".into());
            out.push("Record the conflicts assessment and each bidder's exclusion check before the award.".into());
        }
        TenderStage::Evaluation => out.push("Bids are closed: the buyer evaluates them.".into()),
        TenderStage::Terminated => out.push("Nothing more happens in this procurement.".into()),
    }
    if d.suspended {
        out.push("A challenge suspends the award until it is lifted.".into());
    }
    out
}

async fn page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<AppError>,
) -> AppResult<Response> {
    let d = uc::detail(&app.store, &user.caller(), id).await?;
    let next = next_steps(&d);
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let TenderDetail {
        tender,
        shares,
        documents,
        questions,
        now,
        stage,
        questions_close,
        suspended,
        rights,
        ..
    } = d;
    let (answered, waiting) = questions.into_iter().partition(|q| q.answer.is_some());
    let layout = Layout::for_user(user, &tender.title, Some(Area::Procurement));
    let page = TenderPage {
        layout,
        stage,
        stage_words: stage_words(&tender, stage, now),
        questions_close: when(questions_close),
        published: tender.published_at.map(when),
        buyers: tender
            .buyers
            .iter()
            .zip(shares)
            .map(|(b, share)| BuyerRow {
                slug: b.organisation.clone(),
                name: b.organisation_name.clone(),
                share_percent: b.share_percent.clone(),
                share,
            })
            .collect(),
        lots: tender.lots.clone(),
        documents,
        answered,
        waiting,
        next,
        buyer_staff: rights.buyer_staff,
        manage: rights.manage,
        ask: rights.ask,
        bid: rights.bid,
        suspended,
        kinds: DocumentKind::ALL,
        error,
        tender,
    };
    Ok((status, render(&page)).into_response())
}

/// The tender page again with the complaint, or on to the tender page.
async fn done<T>(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<T, ngc_app::UseCaseError>,
) -> AppResult<Response> {
    after_form(
        result.map_err(AppError::from),
        |_| format!("/procurement/tenders/{id}"),
        |e| page(app, user, id, Some(e)),
    )
    .await
}

/// `GET /procurement/tenders/{id}`.
pub async fn show(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&app, &user, id, None).await
}

/// `POST /procurement/tenders/{id}/publish`.
pub async fn publish(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<PublishInput>,
) -> AppResult<Response> {
    let result = uc::publish(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/terminate`.
pub async fn terminate(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<TerminateInput>,
) -> AppResult<Response> {
    let result = uc::terminate(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/documents`.
pub async fn add_document(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<DocumentInput>,
) -> AppResult<Response> {
    let result = documents::add(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/questions`.
pub async fn ask(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<AskInput>,
) -> AppResult<Response> {
    let result = questions::ask(&app.store, &user.caller(), id, input).await;
    done(&app, &user, id, result).await
}

/// `POST /procurement/tenders/{id}/questions/{qid}/answer`.
pub async fn answer(
    State(app): State<AppState>,
    user: CurrentUser,
    Path((id, qid)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<AnswerInput>,
) -> AppResult<Response> {
    let result = questions::answer(&app.store, &user.caller(), id, qid, input).await;
    done(&app, &user, id, result).await
}
