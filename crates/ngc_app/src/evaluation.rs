//! Evaluation of a closed tender: the panel's declarations of interest, each evaluator's
//! independent quality scores, moderation to a consensus score, price opening (after
//! moderation on a two-envelope tender) with price scores by the stated method, weighted
//! totals and the ranking per lot, and the abnormally-low screening with its
//! explain-before-decide workflow. The award and what follows are [`crate::awards`].
//!
//! Who: a panel member declares, and scores once cleared (no declaration, or a declared
//! conflict: 403); the tender's procurement lead moderates, opens prices, handles abnormally
//! low bids and reads the whole evaluation. An evaluator reads only their own scores, and
//! another evaluator's score of a bid and criterion only once it is moderated.
//!
//! Prices are opened through the sealed-bid seam: each bid's content is decrypted by the
//! store, which audits every read, and only the lot's price is kept.

use crate::bids::{BidInput, find_lot};
use crate::tenders::{criteria_of, find};
use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::money::Money;
use ngc_domain::procurement::TenderStatus;
use ngc_domain::procurement::bid::BidStatus;
use ngc_domain::procurement::evaluation::CriteriaSet;
use ngc_domain::procurement::evaluation::abnormally_low::{
    AbnormallyLowAction, AbnormallyLowStatus, ScreeningRules, screen, transition,
};
use ngc_domain::procurement::evaluation::award::BidForAward;
use ngc_domain::procurement::evaluation::price::{PriceMethod, PriceScore, score_prices_for};
use ngc_domain::procurement::evaluation::ranking::{DEFAULT_TIE_BREAKS, Rankable, Ranked, rank};
use ngc_domain::procurement::evaluation::scores::{
    EvaluationStatus, ModeratedScore, QualityScore, evaluation_status, price_may_be_opened,
    weighted_total,
};
use ngc_domain::procurement::tender::PanelStanding;
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::bids::Bid;
use ngc_store::contracts::Contract;
use ngc_store::evaluation::{
    AbnormallyLowStep, Award, EvaluatorScore, ModeratedRow, NewPrice, NewScore, PriceRow,
};
use ngc_store::tenders::{Lot, PanelMember, Tender};
use serde::Deserialize;
use std::sync::LazyLock;

/// The abnormally-low screening rules shipped with ngc, read once.
static SCREENING: LazyLock<ScreeningRules> = LazyLock::new(ScreeningRules::shipped);

/// A panel member's declaration of interest.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclarationInput {
    /// Whether the member has a conflict of interest in this procurement (true removes them
    /// from the tender).
    #[serde(default)]
    pub conflict: bool,
    /// What the member declares: the interest, or that there is none.
    pub declaration: String,
}

/// A quality score of one bid on one criterion, with its reason.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreInput {
    /// The bid's id.
    pub bid: i64,
    /// The lot's number or title (may be left out when the tender has one lot).
    #[serde(default)]
    pub lot: Option<String>,
    /// The quality criterion's key.
    pub criterion: String,
    /// The score on the criterion's scale.
    pub score: u32,
    /// The reason for the score (for a moderated score: the consensus reason, required).
    #[serde(default)]
    pub comment: String,
}

/// Which lot's prices to open.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotInput {
    /// The lot's number or title (may be left out when the tender has one lot).
    #[serde(default)]
    pub lot: Option<String>,
}

/// A step of the abnormally-low workflow for a flagged bid.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AbnormallyLowInput {
    pub bid: i64,
    #[serde(default)]
    pub lot: Option<String>,
    /// request_explanation, record_explanation, accept or reject.
    pub action: String,
    /// The supplier's explanation (record_explanation).
    #[serde(default)]
    pub text: String,
}

/// How the caller takes part in a tender's evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The tender's procurement lead: moderates, opens prices, awards; reads everything.
    Lead,
    /// A member of the panel, with their standing.
    Panel(PanelStanding),
}

/// A bid as the evaluation shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidRef {
    pub id: i64,
    pub organisation: String,
    pub organisation_name: String,
}

/// The evaluation of one lot, as the caller may see it.
#[derive(Debug, Clone)]
pub struct LotEvaluation {
    pub lot: Lot,
    pub criteria: Option<CriteriaSet>,
    /// The evaluator scores the caller may see, every version.
    pub scores: Vec<EvaluatorScore>,
    /// The moderated scores, every version.
    pub moderated: Vec<ModeratedRow>,
    /// The prices opened (the lead only).
    pub prices: Vec<PriceRow>,
    /// Each flagged bid's current abnormally-low status and its screening reasons (lead).
    pub abnormally_low: Vec<(i64, AbnormallyLowStatus, serde_json::Value)>,
    /// Each bid's evaluation status (lead).
    pub status: Vec<EvaluationStatus>,
    /// The ranking of the bids fully evaluated (lead).
    pub ranking: Vec<Ranked>,
}

/// A tender's evaluation, as the caller may see it.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub tender: Tender,
    pub part: Part,
    /// The caller's own panel membership, if any.
    pub me: Option<PanelMember>,
    /// The panel (the lead only).
    pub panel: Vec<PanelMember>,
    /// The active bids (once the deadline has passed).
    pub bids: Vec<BidRef>,
    pub lots: Vec<LotEvaluation>,
    pub awards: Vec<Award>,
    pub contracts: Vec<Contract>,
}

/// The tender's lot named (by number or title), or its only lot when none is named.
pub(crate) fn lot_of<'a>(tender: &'a Tender, named: Option<&str>) -> UseCaseResult<&'a Lot> {
    match named.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => find_lot(&tender.lots, n).ok_or_else(|| {
            UseCaseError::invalid(
                "lot",
                format!("tender {} has no lot `{n}`", tender.reference),
            )
        }),
        None if tender.lots.len() == 1 => Ok(&tender.lots[0]),
        None => Err(UseCaseError::invalid(
            "lot",
            format!("tender {} has several lots: name one", tender.reference),
        )),
    }
}

/// The criteria set of a lot, or a conflict saying there is none.
pub(crate) fn set_of(tender: &Tender, lot: &Lot) -> UseCaseResult<CriteriaSet> {
    criteria_of(tender, lot).ok_or_else(|| {
        UseCaseError::Conflict(format!(
            "lot {} of tender {} has no award criteria: its bids cannot be evaluated",
            lot.number, tender.reference
        ))
    })
}

/// Refuses unless the tender is closed for bids and being evaluated.
pub(crate) fn closed(store: &Store, tender: &Tender) -> UseCaseResult<()> {
    match tender.status {
        TenderStatus::Published if store.now() >= tender.submission_deadline => Ok(()),
        TenderStatus::Published => Err(UseCaseError::Conflict(format!(
            "bids stay sealed until the submission deadline, {}: the evaluation starts then",
            tender.submission_deadline.to_rfc3339()
        ))),
        other => Err(UseCaseError::Conflict(format!(
            "the tender {} is {}: only a published tender past its deadline is evaluated",
            tender.reference,
            other.label().to_lowercase()
        ))),
    }
}

/// The tender, if the caller is its procurement lead.
pub(crate) async fn lead_tender(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
) -> UseCaseResult<Tender> {
    let tender = find(store, caller, tender_id).await?;
    match caller {
        Caller::System => Ok(tender),
        Caller::User(p) if p.user_id == tender.procurement_lead_id => Ok(tender),
        Caller::User(_) => Err(UseCaseError::Forbidden(
            "only the tender's procurement lead moderates, opens prices and awards".into(),
        )),
    }
}

/// The caller's part in the tender's evaluation, or forbidden.
async fn part(store: &Store, caller: &Caller, tender: &Tender) -> UseCaseResult<Part> {
    let Caller::User(p) = caller else {
        return Ok(Part::Lead);
    };
    if p.user_id == tender.procurement_lead_id {
        return Ok(Part::Lead);
    }
    match store.panel_member(tender.id, p.user_id).await? {
        Some(m) if m.removed_at.is_some() => Ok(Part::Panel(PanelStanding::Conflicted)),
        Some(m) => Ok(Part::Panel(m.standing())),
        None => Err(UseCaseError::Forbidden(
            "a tender's evaluation is open to its evaluation panel and procurement lead only"
                .into(),
        )),
    }
}

/// Refuses a panel member who may not score.
fn may_score(part: Part) -> UseCaseResult<()> {
    match part {
        Part::Panel(PanelStanding::Cleared) => Ok(()),
        Part::Panel(PanelStanding::Undeclared) => Err(UseCaseError::Forbidden(
            "declare whether you have a conflict of interest before scoring any bid".into(),
        )),
        Part::Panel(PanelStanding::Conflicted) => Err(UseCaseError::Forbidden(
            "you declared a conflict of interest: you are removed from this tender and may not \
             score"
                .into(),
        )),
        Part::Lead => Err(UseCaseError::Forbidden(
            "the procurement lead moderates; the evaluation panel scores".into(),
        )),
    }
}

/// The active bids of a tender.
pub(crate) async fn active_bids(store: &Store, tender_id: i64) -> UseCaseResult<Vec<Bid>> {
    Ok(store
        .bids_of_tender(tender_id)
        .await?
        .into_iter()
        .filter(|b| b.status == BidStatus::Active)
        .collect())
}

fn active_bid(bids: &[Bid], tender: &Tender, id: i64) -> UseCaseResult<Bid> {
    bids.iter().find(|b| b.id == id).cloned().ok_or_else(|| {
        UseCaseError::invalid(
            "bid",
            format!("tender {} has no active bid {id}", tender.reference),
        )
    })
}

fn slug_of(bid: &Bid) -> Slug {
    Slug::parse(&bid.organisation).expect("organisation slugs are checked on entry")
}

/// Records the caller's declaration of interest in a tender, once. A declared conflict
/// removes them from the tender.
pub async fn declare(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: DeclarationInput,
) -> UseCaseResult<PanelMember> {
    let tender = find(store, caller, tender_id).await?;
    let Caller::User(p) = caller else {
        return Err(UseCaseError::Forbidden(
            "a declaration is made by the panel member".into(),
        ));
    };
    if store.panel_member(tender.id, p.user_id).await?.is_none() {
        return Err(UseCaseError::Forbidden(
            "only the tender's evaluation panel declares interests for it".into(),
        ));
    }
    let declaration = input.declaration.trim();
    if declaration.is_empty() {
        return Err(UseCaseError::invalid(
            "declaration",
            "must not be empty: state the interest, or that you have none",
        ));
    }
    Ok(store
        .declare_interest(
            tender.id,
            p.user_id,
            input.conflict,
            declaration,
            &caller.actor(),
        )
        .await?)
}

/// Records a cleared evaluator's quality score of a bid (a re-score keeps the old one).
pub async fn score(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: ScoreInput,
) -> UseCaseResult<EvaluatorScore> {
    let tender = find(store, caller, tender_id).await?;
    let me = part(store, caller, &tender).await?;
    may_score(me)?;
    closed(store, &tender)?;
    let lot = lot_of(&tender, input.lot.as_deref())?;
    let set = set_of(&tender, lot)?;
    let bids = active_bids(store, tender.id).await?;
    let bid = active_bid(&bids, &tender, input.bid)?;
    let criterion = crate::parse::slug("criterion", &input.criterion)?;
    let evaluator = caller.principal().map_or(0, |p| p.user_id);
    let q = QualityScore::new(
        &set,
        evaluator,
        slug_of(&bid),
        criterion,
        input.score,
        &input.comment,
    )
    .map_err(|e| UseCaseError::invalid("score", e.to_string()))?;
    if q.comment.is_empty() {
        return Err(UseCaseError::invalid(
            "comment",
            "must not be empty: give the reason for the score",
        ));
    }
    let id = store
        .record_evaluator_score(
            &NewScore {
                tender_id: tender.id,
                lot_number: lot.number,
                bid_id: bid.id,
                criterion: q.criterion.as_str(),
                score: q.score as i32,
                text: &q.comment,
            },
            evaluator,
            &caller.actor(),
        )
        .await?;
    store
        .evaluator_scores(tender.id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| UseCaseError::NotFound(format!("score {id}")))
}

/// Records the consensus score of a bid on a criterion, with its reason (the lead; a new
/// moderation keeps the old one).
pub async fn moderate(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: ScoreInput,
) -> UseCaseResult<ModeratedRow> {
    let tender = lead_tender(store, caller, tender_id).await?;
    closed(store, &tender)?;
    let lot = lot_of(&tender, input.lot.as_deref())?;
    let set = set_of(&tender, lot)?;
    let bids = active_bids(store, tender.id).await?;
    let bid = active_bid(&bids, &tender, input.bid)?;
    let criterion = crate::parse::slug("criterion", &input.criterion)?;
    let m = ModeratedScore::new(&set, slug_of(&bid), criterion, input.score, &input.comment)
        .map_err(|e| UseCaseError::invalid("score", e.to_string()))?;
    let id = store
        .record_moderated_score(
            &NewScore {
                tender_id: tender.id,
                lot_number: lot.number,
                bid_id: bid.id,
                criterion: m.criterion.as_str(),
                score: m.score as i32,
                text: &m.reason,
            },
            &caller.actor(),
        )
        .await?;
    store
        .moderated_scores(tender.id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| UseCaseError::NotFound(format!("moderated score {id}")))
}

/// The current moderated scores of a lot, for the bids given.
fn current_moderated(rows: &[ModeratedRow], lot: i32, bids: &[&Bid]) -> Vec<ModeratedScore> {
    rows.iter()
        .filter(|r| r.lot_number == lot && r.superseded_at.is_none())
        .filter_map(|r| {
            let bid = bids.iter().find(|b| b.id == r.bid_id)?;
            Some(ModeratedScore {
                bidder: slug_of(bid),
                criterion: Slug::parse(&r.criterion).ok()?,
                score: u32::try_from(r.score).ok()?,
                reason: r.reason.clone(),
            })
        })
        .collect()
}

/// Opens the prices of a lot: each active bid's content is decrypted through the store
/// (every read audited) and its price for the lot kept; on a two-envelope tender only once
/// every quality criterion is moderated for every bid of the lot. The prices are scored by
/// the lot's stated method and screened for abnormally low bids. Once per lot.
pub async fn open_prices(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: LotInput,
) -> UseCaseResult<Vec<PriceRow>> {
    let tender = lead_tender(store, caller, tender_id).await?;
    closed(store, &tender)?;
    let lot = lot_of(&tender, input.lot.as_deref())?;
    let set = set_of(&tender, lot)?;
    if store
        .price_scores(tender.id)
        .await?
        .iter()
        .any(|p| p.lot_number == lot.number)
    {
        return Err(UseCaseError::Conflict(format!(
            "the prices of lot {} are already opened",
            lot.number
        )));
    }
    let actor = caller.actor();
    let bids = active_bids(store, tender.id).await?;
    let mut priced: Vec<(&Bid, Money)> = Vec::new();
    for bid in &bids {
        let opened = store
            .open_bid_content(bid.id, &actor)
            .await
            .map_err(|e| match e {
                ngc_store::StoreError::Sealing(e) => UseCaseError::Conflict(e.to_string()),
                other => other.into(),
            })?;
        let content = BidInput::from_content(&opened.content).ok_or_else(|| {
            UseCaseError::Conflict(format!("bid {} does not read as a bid", bid.id))
        })?;
        let price = content
            .lots
            .iter()
            .find(|l| find_lot(std::slice::from_ref(lot), &l.lot).is_some())
            .and_then(|l| crate::tenders::money("price", &l.price).ok());
        if let Some(price) = price {
            priced.push((bid, price));
        }
    }
    if tender.two_envelope {
        let refs: Vec<&Bid> = priced.iter().map(|(b, _)| *b).collect();
        let moderated =
            current_moderated(&store.moderated_scores(tender.id).await?, lot.number, &refs);
        let bidders: Vec<Slug> = refs.iter().map(|b| slug_of(b)).collect();
        price_may_be_opened(&set, &bidders, &moderated)
            .map_err(|e| UseCaseError::Conflict(e.to_string()))?;
    }
    let pairs: Vec<(Slug, Money)> = priced.iter().map(|(b, p)| (slug_of(b), *p)).collect();
    let lowest = pairs.iter().map(|(_, p)| *p).min().unwrap_or(Money::ZERO);
    let scores: Vec<PriceScore> = if set.price().is_some() {
        score_prices_for(&set, &pairs).map_err(|e| UseCaseError::Conflict(e.to_string()))?
    } else {
        Vec::new()
    };
    let prices: Vec<NewPrice> = priced
        .iter()
        .map(|(b, p)| {
            let s = scores.iter().find(|s| s.bidder.as_str() == b.organisation);
            NewPrice {
                bid_id: b.id,
                price: *p,
                lowest,
                method: s.map(|s| s.method.as_str().to_owned()),
                maximum: s.map(|s| s.maximum.normalize().to_string()),
                score: s.map(|s| s.score.to_string()),
            }
        })
        .collect();
    let flags: Vec<(i64, serde_json::Value, serde_json::Value)> =
        screen(&pairs, Some(lot.estimated_value), &SCREENING)
            .into_iter()
            .filter_map(|f| {
                let (bid, _) = priced
                    .iter()
                    .find(|(b, _)| b.organisation == f.bidder.as_str())?;
                Some((
                    bid.id,
                    serde_json::to_value(AbnormallyLowStatus::Flagged).ok()?,
                    serde_json::to_value(&f.reasons).ok()?,
                ))
            })
            .collect();
    store
        .record_price_opening(tender.id, lot.number, &prices, &flags, &actor)
        .await?;
    Ok(store
        .price_scores(tender.id)
        .await?
        .into_iter()
        .filter(|p| p.lot_number == lot.number)
        .collect())
}

/// Takes a step of the abnormally-low workflow for a flagged bid: ask for an explanation,
/// record it, then accept or reject the bid (never before an explanation is recorded).
pub async fn abnormally_low(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: AbnormallyLowInput,
) -> UseCaseResult<AbnormallyLowStatus> {
    let tender = lead_tender(store, caller, tender_id).await?;
    closed(store, &tender)?;
    let lot = lot_of(&tender, input.lot.as_deref())?;
    let steps = store.abnormally_low_steps(tender.id).await?;
    let current = steps
        .iter()
        .rev()
        .find(|s| s.lot_number == lot.number && s.bid_id == input.bid)
        .ok_or_else(|| {
            UseCaseError::invalid(
                "bid",
                format!(
                    "bid {} is not flagged as possibly abnormally low for lot {}",
                    input.bid, lot.number
                ),
            )
        })?;
    let status: AbnormallyLowStatus = serde_json::from_value(current.status.clone())
        .map_err(|e| UseCaseError::Conflict(e.to_string()))?;
    let today = store.today();
    let action = match input.action.trim() {
        "request_explanation" => AbnormallyLowAction::RequestExplanation { on: today },
        "record_explanation" => AbnormallyLowAction::RecordExplanation {
            on: today,
            text: input.text.clone(),
        },
        "accept" => AbnormallyLowAction::Accept,
        "reject" => AbnormallyLowAction::Reject,
        other => {
            return Err(UseCaseError::invalid(
                "action",
                format!(
                    "unknown action `{other}`: expected request_explanation, \
                     record_explanation, accept or reject"
                ),
            ));
        }
    };
    let next = transition(&status, action).map_err(|e| UseCaseError::Conflict(e.to_string()))?;
    store
        .record_abnormally_low_step(
            tender.id,
            lot.number,
            input.bid,
            &current.status,
            &serde_json::to_value(&next).expect("a status is plain JSON"),
            &caller.actor(),
        )
        .await?;
    Ok(next)
}

/// Where a lot's evaluation stands, from the stored records: the bids in it (those that
/// priced it once prices are opened; every active bid before), their evaluation status and
/// abnormally-low status, and the ranking of those fully evaluated and not rejected.
#[derive(Debug, Clone)]
pub(crate) struct LotState {
    pub bids: Vec<Bid>,
    pub moderated: Vec<ModeratedScore>,
    pub for_award: Vec<BidForAward>,
    pub ranking: Vec<Ranked>,
    pub abnormally_low: Vec<(i64, AbnormallyLowStatus, serde_json::Value)>,
}

pub(crate) fn lot_state(
    set: &CriteriaSet,
    lot: i32,
    active: &[Bid],
    moderated_rows: &[ModeratedRow],
    price_rows: &[PriceRow],
    steps: &[AbnormallyLowStep],
) -> LotState {
    let prices: Vec<&PriceRow> = price_rows.iter().filter(|p| p.lot_number == lot).collect();
    let bids: Vec<Bid> = if prices.is_empty() {
        active.to_vec()
    } else {
        active
            .iter()
            .filter(|b| prices.iter().any(|p| p.bid_id == b.id))
            .cloned()
            .collect()
    };
    let refs: Vec<&Bid> = bids.iter().collect();
    let moderated = current_moderated(moderated_rows, lot, &refs);
    let price_scores: Vec<PriceScore> = prices
        .iter()
        .filter_map(|p| {
            let bid = bids.iter().find(|b| b.id == p.bid_id)?;
            Some(PriceScore {
                bidder: slug_of(bid),
                price: p.price,
                lowest: p.lowest,
                method: p.method.as_deref()?.parse::<PriceMethod>().ok()?,
                maximum: p.maximum.as_deref()?.parse().ok()?,
                score: p.score.as_deref()?.parse().ok()?,
            })
        })
        .collect();
    let abnormally_low: Vec<(i64, AbnormallyLowStatus, serde_json::Value)> = bids
        .iter()
        .filter_map(|b| {
            let mine: Vec<&AbnormallyLowStep> = steps
                .iter()
                .filter(|s| s.lot_number == lot && s.bid_id == b.id)
                .collect();
            let last = mine.last()?;
            let status = serde_json::from_value(last.status.clone()).ok()?;
            Some((b.id, status, mine[0].reasons.clone()))
        })
        .collect();
    let for_award: Vec<BidForAward> = bids
        .iter()
        .map(|b| {
            let bidder = slug_of(b);
            BidForAward {
                evaluation: evaluation_status(set, &bidder, &price_scores, &moderated),
                abnormally_low: abnormally_low
                    .iter()
                    .find(|(id, _, _)| *id == b.id)
                    .map(|(_, s, _)| s.clone()),
                bidder,
            }
        })
        .collect();
    let rankable: Vec<Rankable> = bids
        .iter()
        .zip(&for_award)
        .filter(|(_, f)| {
            f.evaluation.is_complete()
                && !f
                    .abnormally_low
                    .as_ref()
                    .is_some_and(AbnormallyLowStatus::is_rejected)
        })
        .filter_map(|(b, f)| {
            let price = prices.iter().find(|p| p.bid_id == b.id)?.price;
            Some(Rankable {
                total: weighted_total(set, &f.bidder, &price_scores, &moderated).ok()?,
                price,
                submitted_at: b.submitted_at,
            })
        })
        .collect();
    let ranking = rank(&rankable, DEFAULT_TIE_BREAKS).unwrap_or_default();
    LotState {
        bids,
        moderated,
        for_award,
        ranking,
        abnormally_low,
    }
}

/// A tender's evaluation as the caller may see it: the lead sees everything; a panel member
/// their own scores, and the other evaluators' only where moderated; anyone else: 403.
pub async fn evaluation(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
) -> UseCaseResult<Evaluation> {
    let tender = find(store, caller, tender_id).await?;
    let part = part(store, caller, &tender).await?;
    let me = match caller {
        Caller::User(p) => store.panel_member(tender.id, p.user_id).await?,
        Caller::System => None,
    };
    let lead = part == Part::Lead;
    let cleared = lead || part == Part::Panel(PanelStanding::Cleared);
    let is_closed = closed(store, &tender).is_ok();
    let active = if is_closed && cleared {
        active_bids(store, tender.id).await?
    } else {
        Vec::new()
    };
    let scores = store.evaluator_scores(tender.id).await?;
    let moderated = store.moderated_scores(tender.id).await?;
    let prices = store.price_scores(tender.id).await?;
    let steps = store.abnormally_low_steps(tender.id).await?;
    let user_id = caller.principal().map(|p| p.user_id);
    let mut lots = Vec::with_capacity(tender.lots.len());
    for lot in &tender.lots {
        let criteria = criteria_of(&tender, lot);
        let is_moderated = |s: &EvaluatorScore| {
            moderated.iter().any(|m| {
                m.lot_number == s.lot_number && m.bid_id == s.bid_id && m.criterion == s.criterion
            })
        };
        let visible: Vec<EvaluatorScore> = scores
            .iter()
            .filter(|s| s.lot_number == lot.number)
            .filter(|s| lead || (cleared && (Some(s.evaluator_id) == user_id || is_moderated(s))))
            .cloned()
            .collect();
        let state = match (&criteria, lead) {
            (Some(set), true) => Some(lot_state(
                set, lot.number, &active, &moderated, &prices, &steps,
            )),
            _ => None,
        };
        lots.push(LotEvaluation {
            lot: lot.clone(),
            scores: visible,
            moderated: if cleared {
                moderated
                    .iter()
                    .filter(|m| m.lot_number == lot.number)
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            },
            prices: if lead {
                prices
                    .iter()
                    .filter(|p| p.lot_number == lot.number)
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            },
            abnormally_low: state
                .as_ref()
                .map(|s| s.abnormally_low.clone())
                .unwrap_or_default(),
            status: state
                .as_ref()
                .map(|s| s.for_award.iter().map(|f| f.evaluation.clone()).collect())
                .unwrap_or_default(),
            ranking: state.map(|s| s.ranking).unwrap_or_default(),
            criteria,
        });
    }
    Ok(Evaluation {
        panel: if lead {
            store.tender_panel(tender.id).await?
        } else {
            Vec::new()
        },
        bids: active
            .iter()
            .map(|b| BidRef {
                id: b.id,
                organisation: b.organisation.clone(),
                organisation_name: b.organisation_name.clone(),
            })
            .collect(),
        awards: if lead {
            store.awards_of_tender(tender.id).await?
        } else {
            Vec::new()
        },
        contracts: if lead {
            store.contracts_of_tender(tender.id).await?
        } else {
            Vec::new()
        },
        tender,
        part,
        me,
        lots,
    })
}
