//! Sealed bids: a provider submits, replaces and withdraws its bid until the deadline; after
//! it, the tender's panel (members who declared no conflict) and its procurement lead read
//! them. Every attempt to read a bid's content is audited, allowed or refused.
//!
//! The rules (who reads, who lists, when; reserved competitions) are
//! `ngc_domain::procurement::bid`; the deadline of a write is checked by the store inside
//! the transaction, against the server clock; the store opens nothing before the deadline.
//!
//! **The receipt.** A submission answers with the bid id, the server time and the SHA-256
//! of the bid in RFC 8785 canonical JSON: the request body as sent (member order and
//! spacing do not matter; an absent `answers` or `attachments` and a `null` one are the
//! same). A bidder can recompute it with any RFC 8785 implementation.

use crate::tenders::{find as find_tender, money};
use crate::{Caller, UseCaseError, UseCaseResult};
use base64::Engine;
use ngc_domain::Role;
use ngc_domain::access::Action;
use ngc_domain::money::Money;
use ngc_domain::procurement::bid::{
    BidderFacts, ListDecision, ReadDecision, Reader, may_list, may_read,
};
use ngc_domain::procurement::tender::PanelStanding;
use ngc_store::bids::{Bid, NewBid, OpenedBid};
use ngc_store::tenders::{Lot, Tender};
use ngc_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A bid: a price per lot, answers to the quality questions, attachments.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidInput {
    /// The price of each lot bid for (at least one).
    pub lots: Vec<LotPriceInput>,
    /// Answers to the tender's quality questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<AnswerInput>>,
    /// Attached documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentInput>>,
}

/// The price of one lot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotPriceInput {
    /// The lot's number (`"1"`) or its title.
    pub lot: String,
    /// The price in pounds, as a decimal string exact to the penny (`"123.45"`).
    pub price: String,
}

/// The answer to one quality question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerInput {
    pub question: String,
    pub text: String,
}

/// An attached document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentInput {
    /// The file name.
    pub name: String,
    /// The file's bytes in standard base64.
    pub content_base64: String,
}

/// A lot's price, checked against the tender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLot {
    pub number: i32,
    pub title: String,
    pub price: Money,
}

impl BidInput {
    /// Checks the bid against the tender and names the first field that is wrong: each lot
    /// exists (by number or title) and is priced once, exactly to the penny and above zero;
    /// each answer names its question once and says something; each attachment has a name
    /// and base64 content. Returns the lots priced.
    pub fn validate(&self, tender: &Tender) -> UseCaseResult<Vec<PricedLot>> {
        if self.lots.is_empty() {
            return Err(UseCaseError::invalid(
                "lots",
                "a bid prices at least one lot",
            ));
        }
        let mut priced: Vec<PricedLot> = Vec::with_capacity(self.lots.len());
        for (i, l) in self.lots.iter().enumerate() {
            let field = format!("lots[{i}].lot");
            let lot = find_lot(&tender.lots, &l.lot).ok_or_else(|| {
                UseCaseError::invalid(
                    &field,
                    format!(
                        "tender {} has no lot `{}`: its lots are {}",
                        tender.reference,
                        l.lot.trim(),
                        tender
                            .lots
                            .iter()
                            .map(|l| format!("{} ({})", l.number, l.title))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            if priced.iter().any(|p| p.number == lot.number) {
                return Err(UseCaseError::invalid(
                    field,
                    format!("lot {} is priced twice", lot.number),
                ));
            }
            let price_field = format!("lots[{i}].price");
            let price = money(&price_field, &l.price)?;
            if price == Money::ZERO {
                return Err(UseCaseError::invalid(price_field, "must be more than zero"));
            }
            priced.push(PricedLot {
                number: lot.number,
                title: lot.title.clone(),
                price,
            });
        }
        let mut questions = BTreeSet::new();
        for (i, a) in self.answers.iter().flatten().enumerate() {
            let question = a.question.trim();
            if question.is_empty() {
                return Err(UseCaseError::invalid(
                    format!("answers[{i}].question"),
                    "must not be empty",
                ));
            }
            if !questions.insert(question.to_lowercase()) {
                return Err(UseCaseError::invalid(
                    format!("answers[{i}].question"),
                    format!("`{question}` is answered twice"),
                ));
            }
            if a.text.trim().is_empty() {
                return Err(UseCaseError::invalid(
                    format!("answers[{i}].text"),
                    "must not be empty",
                ));
            }
        }
        for (i, a) in self.attachments.iter().flatten().enumerate() {
            if a.name.trim().is_empty() {
                return Err(UseCaseError::invalid(
                    format!("attachments[{i}].name"),
                    "must not be empty",
                ));
            }
            base64::engine::general_purpose::STANDARD
                .decode(a.content_base64.trim())
                .map_err(|e| {
                    UseCaseError::invalid(
                        format!("attachments[{i}].content_base64"),
                        format!("is not standard base64: {e}"),
                    )
                })?;
        }
        Ok(priced)
    }

    /// The content that is sealed and whose RFC 8785 form the receipt digests.
    pub fn content(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a bid is plain JSON")
    }

    /// A bid read back from its opened content.
    pub fn from_content(content: &serde_json::Value) -> Option<Self> {
        serde_json::from_value(content.clone()).ok()
    }
}

/// The lot a bidder named: its number, or its title (case and surrounding spaces aside).
pub fn find_lot<'a>(lots: &'a [Lot], named: &str) -> Option<&'a Lot> {
    let named = named.trim();
    if let Ok(n) = named.parse::<i32>() {
        return lots.iter().find(|l| l.number == n);
    }
    lots.iter()
        .find(|l| l.title.trim().eq_ignore_ascii_case(named))
}

/// The provider organisation a caller bids for, once the rules allow it to bid.
fn bidder(caller: &Caller) -> UseCaseResult<i64> {
    caller.require(Action::SubmitBids)?;
    match caller {
        Caller::User(p) => Ok(p.organisation_id),
        Caller::System => Err(UseCaseError::Forbidden(
            "a bid is submitted by a provider's staff".into(),
        )),
    }
}

/// Refuses, naming the condition, a bidder whose registered facts a reserved tender does
/// not admit.
async fn check_reservation(
    store: &Store,
    tender: &Tender,
    organisation_id: i64,
) -> UseCaseResult<()> {
    let org = store
        .organisation_by_id(organisation_id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound("your organisation".into()))?;
    let facts = BidderFacts {
        name: org.name,
        sme: org.sme,
        vcse: org.vcse,
        public_service_mutual: org.public_service_mutual,
        identifiers: org.identifiers,
    };
    tender
        .reservation
        .admits(tender.regime, &facts)
        .map_err(|why| UseCaseError::invalid("reservation", why))
}

/// One of the caller's organisation's bids, for a change; another's is "not found".
async fn own_bid(store: &Store, organisation_id: i64, bid_id: i64) -> UseCaseResult<Bid> {
    store
        .bid(bid_id)
        .await?
        .filter(|b| b.organisation_id == organisation_id)
        .ok_or_else(|| UseCaseError::NotFound(format!("bid {bid_id}")))
}

/// Submits the caller's organisation's bid for a tender it may see. Late (by the server
/// clock, inside the write): a conflict naming the deadline. A reserved tender the bidder
/// does not qualify for: invalid, naming the condition.
pub async fn submit(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: BidInput,
) -> UseCaseResult<Bid> {
    let organisation_id = bidder(caller)?;
    let tender = find_tender(store, caller, tender_id).await?;
    input.validate(&tender)?;
    check_reservation(store, &tender, organisation_id).await?;
    let content = input.content();
    let new = NewBid {
        tender_id,
        organisation_id,
        content: &content,
    };
    Ok(store.submit_bid(&new, &caller.actor()).await?)
}

/// Replaces one of the caller's organisation's active bids before the deadline; the old
/// one is kept, the new one has a new id and receipt.
pub async fn replace(
    store: &Store,
    caller: &Caller,
    bid_id: i64,
    input: BidInput,
) -> UseCaseResult<Bid> {
    let organisation_id = bidder(caller)?;
    let bid = own_bid(store, organisation_id, bid_id).await?;
    let tender = store.must_find_tender(bid.tender_id).await?;
    input.validate(&tender)?;
    check_reservation(store, &tender, organisation_id).await?;
    Ok(store
        .replace_bid(bid_id, &input.content(), &caller.actor())
        .await?)
}

/// Withdraws one of the caller's organisation's active bids before the deadline.
pub async fn withdraw(store: &Store, caller: &Caller, bid_id: i64) -> UseCaseResult<Bid> {
    let organisation_id = bidder(caller)?;
    own_bid(store, organisation_id, bid_id).await?;
    Ok(store.withdraw_bid(bid_id, &caller.actor()).await?)
}

/// How the reading rules see the caller for a bid of `tender` made by `bid_organisation`.
async fn reader(
    store: &Store,
    caller: &Caller,
    tender: &Tender,
    bid_organisation: i64,
) -> UseCaseResult<Reader> {
    let Caller::User(p) = caller else {
        return Ok(Reader::Other);
    };
    if p.role == Role::Provider {
        return Ok(Reader::Provider {
            own: p.organisation_id == bid_organisation,
        });
    }
    if p.user_id == tender.procurement_lead_id {
        return Ok(Reader::ProcurementLead);
    }
    Ok(match store.panel_member(tender.id, p.user_id).await? {
        Some(m) if m.removed_at.is_some() => Reader::Panel(PanelStanding::Conflicted),
        Some(m) => Reader::Panel(m.standing()),
        None => Reader::Other,
    })
}

/// The bids of a tender the caller may list (metadata, never content): a provider its
/// own organisation's, at any time; the panel and the procurement lead every bid once the
/// deadline has passed; anyone else nothing (before the deadline: 403 stating it).
pub async fn list(store: &Store, caller: &Caller, tender_id: i64) -> UseCaseResult<Vec<Bid>> {
    let tender = find_tender(store, caller, tender_id).await?;
    let own_org = caller.principal().map(|p| p.organisation_id);
    let me = reader(store, caller, &tender, own_org.unwrap_or(0)).await?;
    let bids = match may_list(me, tender.submission_deadline, store.now()) {
        ListDecision::Forbidden(why) => return Err(UseCaseError::Forbidden(why)),
        ListDecision::All => store.bids_of_tender(tender_id).await?,
        ListDecision::OwnOnly => store
            .bids_of_tender(tender_id)
            .await?
            .into_iter()
            .filter(|b| Some(b.organisation_id) == own_org)
            .collect(),
    };
    Ok(bids)
}

/// Every bid of the caller's organisation, every tender, newest first (a provider's "my
/// bids", with their receipts).
pub async fn mine(store: &Store, caller: &Caller) -> UseCaseResult<Vec<Bid>> {
    let organisation_id = bidder(caller)?;
    Ok(store.bids_of_organisation(organisation_id).await?)
}

/// Reads a bid's content. Every attempt is audited: `bid.read` when opened,
/// `bid.read_refused` with the reason otherwise (even for an id that names no bid).
///
/// Another provider's bid: not found. Before the deadline: forbidden, stating it, to
/// everyone. After it: only the panel members who declared no conflict and the procurement
/// lead. A tampered ciphertext: a conflict naming the bid. On a two-envelope tender the
/// panel reads the quality envelope: each lot's price is [`SEALED_PRICE`] until the lead
/// opens that lot's prices.
pub async fn read(store: &Store, caller: &Caller, bid_id: i64) -> UseCaseResult<OpenedBid> {
    let actor = caller.actor();
    let Some(bid) = store.bid(bid_id).await? else {
        store
            .refuse_bid_read(bid_id, None, &actor, "no such bid")
            .await?;
        return Err(UseCaseError::NotFound(format!("bid {bid_id}")));
    };
    let tender = store.must_find_tender(bid.tender_id).await?;
    let me = reader(store, caller, &tender, bid.organisation_id).await?;
    let refused = match may_read(me, tender.submission_deadline, store.now()) {
        ReadDecision::Allow => None,
        ReadDecision::NotFound(why) => Some((why, UseCaseError::NotFound(format!("bid {bid_id}")))),
        ReadDecision::Forbidden(why) => {
            let message = format!("bid {bid_id}: {why}");
            Some((why, UseCaseError::Forbidden(message)))
        }
    };
    if let Some((why, error)) = refused {
        store
            .refuse_bid_read(bid_id, Some(tender.id), &actor, &why)
            .await?;
        return Err(error);
    }
    let mut opened = store
        .open_bid_content(bid_id, &actor)
        .await
        .map_err(|e| match e {
            // A tampered or unopenable bid is refused, naming it (never a panic or a 500).
            StoreError::Sealing(e) => UseCaseError::Conflict(e.to_string()),
            other => other.into(),
        })?;
    if tender.two_envelope && matches!(me, Reader::Panel(_)) {
        let opened_lots: BTreeSet<i32> = store
            .price_scores(tender.id)
            .await?
            .iter()
            .map(|p| p.lot_number)
            .collect();
        seal_prices(&mut opened.content, &tender.lots, &opened_lots);
    }
    Ok(opened)
}

/// What an evaluator sees in place of a price still in its sealed envelope.
pub const SEALED_PRICE: &str = "sealed until the prices of the lot are opened";

/// On a two-envelope tender the panel reads the quality envelope only: each lot's price
/// stays [`SEALED_PRICE`] until the lead opens that lot's prices (after moderation).
fn seal_prices(content: &mut serde_json::Value, lots: &[Lot], opened: &BTreeSet<i32>) {
    let Some(priced) = content.get_mut("lots").and_then(|l| l.as_array_mut()) else {
        return;
    };
    for entry in priced {
        let number = entry
            .get("lot")
            .and_then(|l| l.as_str())
            .and_then(|l| find_lot(lots, l))
            .map(|l| l.number);
        if number.is_none_or(|n| !opened.contains(&n)) {
            entry["price"] = serde_json::Value::from(SEALED_PRICE);
        }
    }
}
