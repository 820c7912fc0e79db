//! One tender as a reader sees it: its details, documents and the questions they may read,
//! with what the reader may do next. The API and the tender page both read this.

use super::find;
use crate::questions::{self, QuestionSeen};
use crate::{Caller, UseCaseResult};
use chrono::{DateTime, Utc};
use ngc_domain::access::Action;
use ngc_domain::money::Money;
use ngc_domain::procurement::TenderStage;
use ngc_domain::procurement::TenderStatus;
use ngc_domain::procurement::lifecycle::{
    PeriodFacts, TenderPeriod, check_tender_period, may_ask, questions_close,
};
use ngc_domain::procurement::time_limits::TimeLimitRules;
use ngc_domain::shares::{CostShare, CostShares};
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::tender_documents::Document;
use ngc_store::tenders::Tender;
use std::sync::LazyLock;

/// The minimum time limits shipped with ngc, read once.
static TIME_LIMITS: LazyLock<TimeLimitRules> = LazyLock::new(TimeLimitRules::shipped);

/// What the reader may do with the tender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rights {
    /// Staff of one of the buyers: they see drafts, who asked each question, the checks.
    pub buyer_staff: bool,
    /// The lead's commissioners and administrator: publish, documents, answers, checks.
    pub manage: bool,
    /// A provider while the clarification period is open.
    pub ask: bool,
    /// A provider while bids are open (whether the tender's reservation admits it is
    /// checked on submission).
    pub bid: bool,
}

/// A tender with what its reader may see and do, at the server's time.
#[derive(Debug, Clone)]
pub struct TenderDetail {
    pub tender: Tender,
    /// Each buyer's share of the estimated value, in the order of `tender.buyers`.
    pub shares: Vec<Money>,
    pub documents: Vec<Document>,
    pub questions: Vec<QuestionSeen>,
    pub now: DateTime<Utc>,
    pub stage: TenderStage,
    /// When clarification questions close.
    pub questions_close: DateTime<Utc>,
    /// Whether a challenge suspends the award (told to the buyers' staff only).
    pub suspended: bool,
    pub rights: Rights,
    /// For a draft, to those who may publish it: the minimum tendering period if it were
    /// published now, or why it could not be.
    pub publication: Option<Result<TenderPeriod, String>>,
}

/// The tender's buyers' cost shares, checked (`CostShares`), in the order of
/// `tender.buyers`. They were checked on entry; should a stored one not read, the error
/// says which.
pub fn shares_of(tender: &Tender) -> Result<CostShares, String> {
    let shares = tender
        .buyers
        .iter()
        .map(|b| {
            Ok(CostShare {
                buyer: Slug::parse(&b.organisation).map_err(|e| e.to_string())?,
                percent: b.share_percent.parse().map_err(|_| {
                    format!(
                        "{}'s share `{}` does not read",
                        b.organisation, b.share_percent
                    )
                })?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    CostShares::new(shares).map_err(|e| e.to_string())
}

/// Each buyer's share of the tender's estimated value, split by largest remainder in
/// proportion to the cost shares (so the parts sum to the estimate exactly), in the order of
/// `tender.buyers`. Should the stored shares not read, every buyer gets nothing rather than
/// a wrong figure.
pub fn cost_shares(tender: &Tender) -> Vec<Money> {
    match shares_of(tender) {
        Ok(shares) => shares
            .split(tender.estimated_value)
            .into_iter()
            .map(|b| b.amount)
            .collect(),
        Err(_) => vec![Money::ZERO; tender.buyers.len()],
    }
}

/// Whether the caller works for one of the tender's buyers and may read its working records.
pub fn is_buyer_staff(caller: &Caller, tender: &Tender) -> bool {
    match caller {
        Caller::System => true,
        Caller::User(p) => {
            tender.is_buyer(p.organisation_id)
                && caller.can(Action::ReadBuyerTenders(p.organisation_id))
        }
    }
}

/// The tender with this id as the caller sees it (drafts are "not found" but to the buyers'
/// staff).
pub async fn detail(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<TenderDetail> {
    let tender = find(store, caller, id).await?;
    let now = store.now();
    let documents = store.tender_documents(id).await?;
    let questions = questions::visible(store, caller, &tender).await?;
    let buyer_staff = is_buyer_staff(caller, &tender);
    let suspended = buyer_staff && store.tender_suspended(id).await?;
    let stage = tender.stage(now);
    let provider = matches!(caller, Caller::User(_)) && caller.can(Action::SubmitBids);
    let rights = Rights {
        bid: provider && stage == TenderStage::Open,
        buyer_staff,
        manage: caller.can(Action::ManageTenders(tender.lead_organisation_id)),
        ask: provider
            && may_ask(
                tender.status,
                tender.clarification_deadline,
                tender.submission_deadline,
                now,
            )
            .is_ok(),
    };
    let publication = (tender.status == TenderStatus::Draft && rights.manage).then(|| {
        let facts = PeriodFacts {
            regime: tender.regime,
            procedure: tender.procedure,
            contract_type: tender.contract_type,
        };
        check_tender_period(&TIME_LIMITS, &facts, now, tender.submission_deadline)
            .map_err(|e| e.to_string())
    });
    Ok(TenderDetail {
        publication,
        shares: cost_shares(&tender),
        stage,
        questions_close: questions_close(tender.clarification_deadline, tender.submission_deadline),
        documents,
        questions,
        now,
        suspended,
        rights,
        tender,
    })
}
