//! Evaluation and award (migration 0016): panel declarations, each evaluator's quality
//! scores, moderated scores, the prices opened with their scores, the abnormally-low steps,
//! award decisions with their standstill and assessment summaries (contracts are `contracts`).
//!
//! Nothing is overwritten: scoring or moderating again marks the old row superseded and adds
//! a new one; the abnormally-low workflow appends a row per step. Each write and its audit
//! record commit together. The rules (who may, what is valid, what follows) are the use
//! cases' and the domain's; the store checks only what it alone can see at write time (a
//! declaration made once, a lot's prices opened once, a lot awarded once,
//! summaries sent once).

use crate::tenders::PanelMember;
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::money::Money;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::FromRow;

/// One evaluator's score of a bid on a quality criterion, every version kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct EvaluatorScore {
    pub id: i64,
    pub tender_id: i64,
    pub lot_number: i32,
    pub bid_id: i64,
    pub criterion: String,
    pub evaluator_id: i64,
    pub evaluator: String,
    pub score: i32,
    pub comment: String,
    pub scored_at: DateTime<Utc>,
    /// Set when the evaluator scored the same bid and criterion again.
    pub superseded_at: Option<DateTime<Utc>>,
}

/// A consensus score of a bid on a quality criterion, every version kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct ModeratedRow {
    pub id: i64,
    pub tender_id: i64,
    pub lot_number: i32,
    pub bid_id: i64,
    pub criterion: String,
    pub score: i32,
    pub reason: String,
    pub moderated_by: Option<i64>,
    pub moderated_at: DateTime<Utc>,
    pub superseded_at: Option<DateTime<Utc>>,
}

/// A score to record (an evaluator's or a moderated one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScore<'a> {
    pub tender_id: i64,
    pub lot_number: i32,
    pub bid_id: i64,
    pub criterion: &'a str,
    pub score: i32,
    /// The evaluator's comment, or the moderation's reason.
    pub text: &'a str,
}

/// A bid's price for a lot as opened, with its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRow {
    pub id: i64,
    pub tender_id: i64,
    pub lot_number: i32,
    pub bid_id: i64,
    pub price: Money,
    pub lowest: Money,
    pub method: Option<String>,
    pub maximum: Option<String>,
    pub score: Option<String>,
    pub opened_by: Option<i64>,
    pub opened_at: DateTime<Utc>,
}

/// A price to record on opening a lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrice {
    pub bid_id: i64,
    pub price: Money,
    pub lowest: Money,
    pub method: Option<String>,
    pub maximum: Option<String>,
    pub score: Option<String>,
}

/// A step of the abnormally-low workflow of a bid for a lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbnormallyLowStep {
    pub id: i64,
    pub tender_id: i64,
    pub lot_number: i32,
    pub bid_id: i64,
    /// The domain's status, as tagged JSON.
    pub status: Value,
    /// The screening's reasons (JSON list).
    pub reasons: Value,
    pub acted_by: Option<i64>,
    pub acted_at: DateTime<Utc>,
}

/// An award decision of a lot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Award {
    pub id: i64,
    pub tender_id: i64,
    pub lot_number: i32,
    pub bid_id: i64,
    pub supplier_id: i64,
    pub supplier: String,
    pub supplier_name: String,
    pub value: Money,
    pub regime: String,
    pub decided_by: Option<i64>,
    pub decided_at: DateTime<Utc>,
    pub decided_on: NaiveDate,
    pub standstill_from: Option<NaiveDate>,
    pub standstill_ends_on: Option<NaiveDate>,
    /// The ranking the decision rested on (JSON).
    pub ranking: Value,
    pub summaries_sent_at: Option<DateTime<Utc>>,
}

/// An award decision to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAward<'a> {
    pub tender_id: i64,
    pub lot_number: i32,
    pub bid_id: i64,
    pub supplier_id: i64,
    pub value: Money,
    pub regime: &'a str,
    pub decided_on: NaiveDate,
    pub standstill_from: Option<NaiveDate>,
    pub standstill_ends_on: Option<NaiveDate>,
    pub ranking: &'a Value,
}

/// An assessment summary as sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSummary {
    pub id: i64,
    pub award_id: i64,
    pub tender_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub bid_id: i64,
    pub content: Value,
    pub sent_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct PriceDbRow {
    id: i64,
    tender_id: i64,
    lot_number: i32,
    bid_id: i64,
    price: i64,
    lowest: i64,
    method: Option<String>,
    maximum: Option<String>,
    score: Option<String>,
    opened_by: Option<i64>,
    opened_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct StepRow {
    id: i64,
    tender_id: i64,
    lot_number: i32,
    bid_id: i64,
    status: String,
    reasons: String,
    acted_by: Option<i64>,
    acted_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct AwardRow {
    id: i64,
    tender_id: i64,
    lot_number: i32,
    bid_id: i64,
    supplier_id: i64,
    supplier: String,
    supplier_name: String,
    value: i64,
    regime: String,
    decided_by: Option<i64>,
    decided_at: DateTime<Utc>,
    decided_on: NaiveDate,
    standstill_from: Option<NaiveDate>,
    standstill_ends_on: Option<NaiveDate>,
    ranking: String,
    summaries_sent_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct SummaryRow {
    id: i64,
    award_id: i64,
    tender_id: i64,
    organisation_id: i64,
    organisation: String,
    bid_id: i64,
    content: String,
    sent_at: DateTime<Utc>,
}

const DECLARE: &str = "UPDATE tender_panel SET declared_at = $3, conflict = $4, declaration = $5, \
    removed_at = CASE WHEN $4 THEN $3 ELSE NULL END \
    WHERE tender_id = $1 AND user_id = $2 AND declared_at IS NULL";
const SCORES_OF: &str = "SELECT s.id, s.tender_id, s.lot_number, s.bid_id, s.criterion, \
    s.evaluator_id, u.email AS evaluator, s.score, s.comment, s.scored_at, s.superseded_at \
    FROM evaluation_scores s JOIN users u ON u.id = s.evaluator_id \
    WHERE s.tender_id = $1 ORDER BY s.lot_number, s.bid_id, s.criterion, s.id";
const SUPERSEDE_SCORE: &str = "UPDATE evaluation_scores SET superseded_at = $6 \
    WHERE tender_id = $1 AND lot_number = $2 AND bid_id = $3 AND criterion = $4 \
    AND evaluator_id = $5 AND superseded_at IS NULL";
const INSERT_SCORE: &str = "INSERT INTO evaluation_scores (tender_id, lot_number, bid_id, \
    criterion, evaluator_id, score, comment, scored_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const MODERATED_OF: &str = "SELECT id, tender_id, lot_number, bid_id, criterion, score, reason, \
    moderated_by, moderated_at, superseded_at FROM moderated_scores WHERE tender_id = $1 \
    ORDER BY lot_number, bid_id, criterion, id";
const SUPERSEDE_MODERATED: &str = "UPDATE moderated_scores SET superseded_at = $5 \
    WHERE tender_id = $1 AND lot_number = $2 AND bid_id = $3 AND criterion = $4 \
    AND superseded_at IS NULL";
const INSERT_MODERATED: &str = "INSERT INTO moderated_scores (tender_id, lot_number, bid_id, \
    criterion, score, reason, moderated_by, moderated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const PRICES_OF: &str = "SELECT id, tender_id, lot_number, bid_id, price, lowest, method, \
    maximum, score, opened_by, opened_at FROM price_scores WHERE tender_id = $1 \
    ORDER BY lot_number, bid_id";
const PRICES_OF_LOT: &str = "SELECT COUNT(*) FROM price_scores \
    WHERE tender_id = $1 AND lot_number = $2";
const INSERT_PRICE: &str = "INSERT INTO price_scores (tender_id, lot_number, bid_id, price, \
    lowest, method, maximum, score, opened_by, opened_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const STEPS_OF: &str = "SELECT id, tender_id, lot_number, bid_id, status, reasons, acted_by, \
    acted_at FROM abnormally_low_steps WHERE tender_id = $1 ORDER BY id";
const LAST_STEP: &str = "SELECT status FROM abnormally_low_steps \
    WHERE tender_id = $1 AND lot_number = $2 AND bid_id = $3 ORDER BY id DESC LIMIT 1";
const INSERT_STEP: &str = "INSERT INTO abnormally_low_steps (tender_id, lot_number, bid_id, \
    status, reasons, acted_by, acted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const AWARDS_OF: &str = "SELECT a.id, a.tender_id, a.lot_number, a.bid_id, a.supplier_id, \
    o.slug AS supplier, o.name AS supplier_name, a.value, a.regime, a.decided_by, a.decided_at, \
    a.decided_on, a.standstill_from, a.standstill_ends_on, a.ranking, a.summaries_sent_at \
    FROM awards a JOIN organisations o ON o.id = a.supplier_id \
    WHERE a.tender_id = $1 ORDER BY a.lot_number";
const AWARD_OF_LOT: &str = "SELECT id FROM awards WHERE tender_id = $1 AND lot_number = $2";
const INSERT_AWARD: &str = "INSERT INTO awards (tender_id, lot_number, bid_id, supplier_id, \
    value, regime, decided_by, decided_at, decided_on, standstill_from, standstill_ends_on, \
    ranking) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
const MARK_SENT: &str = "UPDATE awards SET summaries_sent_at = $2 \
    WHERE id = $1 AND summaries_sent_at IS NULL";
const INSERT_SUMMARY: &str = "INSERT INTO assessment_summaries (award_id, tender_id, \
    organisation_id, bid_id, content, sent_at) VALUES ($1, $2, $3, $4, $5, $6)";
const SUMMARIES_OF: &str = "SELECT s.id, s.award_id, s.tender_id, s.organisation_id, \
    o.slug AS organisation, s.bid_id, s.content, s.sent_at \
    FROM assessment_summaries s JOIN organisations o ON o.id = s.organisation_id \
    WHERE s.tender_id = $1 ORDER BY s.award_id, o.slug";
fn json_text(text: &str, column: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| {
        StoreError::Database(sqlx::Error::Decode(
            format!("{column} is not JSON: {e}").into(),
        ))
    })
}

impl Store {
    /// Records a panel member's declaration of interest, once. A declared conflict removes
    /// the member from the tender at the same time.
    pub async fn declare_interest(
        &self,
        tender_id: i64,
        user_id: i64,
        conflict: bool,
        declaration: &str,
        actor: &Actor,
    ) -> Result<PanelMember, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let n = on_tx!(tx, c => sqlx::query(DECLARE).bind(tender_id).bind(user_id).bind(now)
            .bind(conflict).bind(declaration).execute(c).await.map(crate::backend::affected))?;
        if n == 0 {
            return Err(StoreError::Conflict(
                "you have already declared your interests for this tender: a declaration is \
                 made once"
                    .into(),
            ));
        }
        tx.audit(
            actor,
            "tender.panel.declare",
            "tender",
            &tender_id.to_string(),
            json!({"user_id": user_id, "conflict": conflict, "declaration": declaration}),
        )
        .await?;
        tx.commit().await?;
        self.panel_member(tender_id, user_id)
            .await?
            .ok_or_else(|| StoreError::NotFound("panel member".into()))
    }

    /// Every evaluator score of a tender, every version.
    pub async fn evaluator_scores(
        &self,
        tender_id: i64,
    ) -> Result<Vec<EvaluatorScore>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(SCORES_OF).bind(tender_id).fetch_all(pool).await)?)
    }

    /// Records an evaluator's score, superseding their previous one of the same bid and
    /// criterion (kept).
    pub async fn record_evaluator_score(
        &self,
        s: &NewScore<'_>,
        evaluator_id: i64,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(SUPERSEDE_SCORE).bind(s.tender_id).bind(s.lot_number)
            .bind(s.bid_id).bind(s.criterion).bind(evaluator_id).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_SCORE).bind(s.tender_id)
            .bind(s.lot_number).bind(s.bid_id).bind(s.criterion).bind(evaluator_id)
            .bind(s.score).bind(s.text).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "evaluation.score",
            "tender",
            &s.tender_id.to_string(),
            json!({"score_id": id, "lot": s.lot_number, "bid_id": s.bid_id,
                   "criterion": s.criterion, "score": s.score, "comment": s.text}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every moderated score of a tender, every version.
    pub async fn moderated_scores(&self, tender_id: i64) -> Result<Vec<ModeratedRow>, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(MODERATED_OF).bind(tender_id).fetch_all(pool).await)?)
    }

    /// Records a moderated score, superseding the previous one of the same bid and criterion
    /// (kept).
    pub async fn record_moderated_score(
        &self,
        s: &NewScore<'_>,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(SUPERSEDE_MODERATED).bind(s.tender_id).bind(s.lot_number)
            .bind(s.bid_id).bind(s.criterion).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_MODERATED).bind(s.tender_id)
            .bind(s.lot_number).bind(s.bid_id).bind(s.criterion).bind(s.score).bind(s.text)
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "evaluation.moderate",
            "tender",
            &s.tender_id.to_string(),
            json!({"moderated_id": id, "lot": s.lot_number, "bid_id": s.bid_id,
                   "criterion": s.criterion, "score": s.score, "reason": s.text}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The prices opened for a tender, per lot.
    pub async fn price_scores(&self, tender_id: i64) -> Result<Vec<PriceRow>, StoreError> {
        let rows: Vec<PriceDbRow> = on_each_backend!(self, pool =>
            sqlx::query_as(PRICES_OF).bind(tender_id).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| PriceRow {
                id: r.id,
                tender_id: r.tender_id,
                lot_number: r.lot_number,
                bid_id: r.bid_id,
                price: Money::pence(r.price),
                lowest: Money::pence(r.lowest),
                method: r.method,
                maximum: r.maximum,
                score: r.score,
                opened_by: r.opened_by,
                opened_at: r.opened_at,
            })
            .collect())
    }

    /// Records the prices of a lot as opened, with their scores and the flags of the
    /// abnormally-low screening (each a first step with its reasons), once per lot.
    pub async fn record_price_opening(
        &self,
        tender_id: i64,
        lot_number: i32,
        prices: &[NewPrice],
        flags: &[(i64, Value, Value)],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let opened: i64 = on_tx!(tx, c => sqlx::query_scalar(PRICES_OF_LOT).bind(tender_id)
            .bind(lot_number).fetch_one(c).await)?;
        if opened > 0 {
            return Err(StoreError::Conflict(format!(
                "the prices of lot {lot_number} are already opened"
            )));
        }
        for p in prices {
            on_tx!(tx, c => sqlx::query(INSERT_PRICE).bind(tender_id).bind(lot_number)
                .bind(p.bid_id).bind(p.price.as_pence()).bind(p.lowest.as_pence())
                .bind(&p.method).bind(&p.maximum).bind(&p.score).bind(actor.user_id).bind(now)
                .execute(c).await.map(crate::backend::affected))?;
        }
        for (bid_id, status, reasons) in flags {
            tx.insert_step(tender_id, lot_number, *bid_id, status, reasons, actor)
                .await?;
        }
        tx.audit(
            actor,
            "evaluation.prices.open",
            "tender",
            &tender_id.to_string(),
            json!({"lot": lot_number,
                   "prices": prices.iter().map(|p| json!({"bid_id": p.bid_id,
                        "price": p.price.to_decimal().to_string(), "score": p.score}))
                        .collect::<Vec<_>>(),
                   "flagged": flags.iter().map(|f| f.0).collect::<Vec<_>>()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every abnormally-low step of a tender, oldest first.
    pub async fn abnormally_low_steps(
        &self,
        tender_id: i64,
    ) -> Result<Vec<AbnormallyLowStep>, StoreError> {
        let rows: Vec<StepRow> = on_each_backend!(self, pool =>
            sqlx::query_as(STEPS_OF).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(AbnormallyLowStep {
                    status: json_text(&r.status, "abnormally_low_steps.status")?,
                    reasons: json_text(&r.reasons, "abnormally_low_steps.reasons")?,
                    id: r.id,
                    tender_id: r.tender_id,
                    lot_number: r.lot_number,
                    bid_id: r.bid_id,
                    acted_by: r.acted_by,
                    acted_at: r.acted_at,
                })
            })
            .collect()
    }

    /// Appends a step of the abnormally-low workflow, provided the bid's last status is
    /// still `expected` (so two officers cannot both take the same step).
    pub async fn record_abnormally_low_step(
        &self,
        tender_id: i64,
        lot_number: i32,
        bid_id: i64,
        expected: &Value,
        status: &Value,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let last: Option<String> = on_tx!(tx, c => sqlx::query_scalar(LAST_STEP).bind(tender_id)
            .bind(lot_number).bind(bid_id).fetch_optional(c).await)?;
        let last = last
            .map(|s| json_text(&s, "abnormally_low_steps.status"))
            .transpose()?;
        if last.as_ref() != Some(expected) {
            return Err(StoreError::Conflict(
                "the bid's abnormally-low status changed meanwhile: look again".into(),
            ));
        }
        tx.insert_step(tender_id, lot_number, bid_id, status, &json!([]), actor)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The award decisions of a tender, by lot.
    pub async fn awards_of_tender(&self, tender_id: i64) -> Result<Vec<Award>, StoreError> {
        let rows: Vec<AwardRow> = on_each_backend!(self, pool =>
            sqlx::query_as(AWARDS_OF).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(Award {
                    ranking: json_text(&r.ranking, "awards.ranking")?,
                    id: r.id,
                    tender_id: r.tender_id,
                    lot_number: r.lot_number,
                    bid_id: r.bid_id,
                    supplier_id: r.supplier_id,
                    supplier: r.supplier,
                    supplier_name: r.supplier_name,
                    value: Money::pence(r.value),
                    regime: r.regime,
                    decided_by: r.decided_by,
                    decided_at: r.decided_at,
                    decided_on: r.decided_on,
                    standstill_from: r.standstill_from,
                    standstill_ends_on: r.standstill_ends_on,
                    summaries_sent_at: r.summaries_sent_at,
                })
            })
            .collect()
    }

    /// Records the award decision of a lot, once.
    pub async fn record_award(&self, a: &NewAward<'_>, actor: &Actor) -> Result<Award, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let existing: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(AWARD_OF_LOT)
            .bind(a.tender_id).bind(a.lot_number).fetch_optional(c).await)?;
        if existing.is_some() {
            return Err(StoreError::Conflict(format!(
                "lot {} is already awarded",
                a.lot_number
            )));
        }
        let ranking = a.ranking.to_string();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_AWARD).bind(a.tender_id)
            .bind(a.lot_number).bind(a.bid_id).bind(a.supplier_id).bind(a.value.as_pence())
            .bind(a.regime).bind(actor.user_id).bind(now).bind(a.decided_on)
            .bind(a.standstill_from).bind(a.standstill_ends_on).bind(&ranking)
            .fetch_one(c).await)?;
        tx.audit(
            actor,
            "award.decide",
            "tender",
            &a.tender_id.to_string(),
            json!({"award_id": id, "lot": a.lot_number, "bid_id": a.bid_id,
                   "supplier_id": a.supplier_id, "value": a.value.to_decimal().to_string(),
                   "regime": a.regime, "standstill_from": a.standstill_from,
                   "standstill_ends_on": a.standstill_ends_on}),
        )
        .await?;
        tx.commit().await?;
        self.awards_of_tender(a.tender_id)
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("award {id}")))
    }

    /// Records the assessment summaries of an award as sent now, once: one per bidder
    /// (organisation id, bid id, content).
    pub async fn record_summaries_sent(
        &self,
        award: &Award,
        summaries: &[(i64, i64, Value)],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let n = on_tx!(tx, c => sqlx::query(MARK_SENT).bind(award.id).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "the assessment summaries of lot {} are already sent",
                award.lot_number
            )));
        }
        for (org, bid, content) in summaries {
            let content = content.to_string();
            on_tx!(tx, c => sqlx::query(INSERT_SUMMARY).bind(award.id).bind(award.tender_id)
                .bind(*org).bind(*bid).bind(&content).bind(now)
                .execute(c).await.map(crate::backend::affected))?;
        }
        tx.audit(
            actor,
            "award.summaries.send",
            "tender",
            &award.tender_id.to_string(),
            json!({"award_id": award.id, "lot": award.lot_number,
                   "recipients": summaries.iter().map(|s| s.0).collect::<Vec<_>>()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The assessment summaries sent for a tender.
    pub async fn assessment_summaries(
        &self,
        tender_id: i64,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        let rows: Vec<SummaryRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SUMMARIES_OF).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(StoredSummary {
                    content: json_text(&r.content, "assessment_summaries.content")?,
                    id: r.id,
                    award_id: r.award_id,
                    tender_id: r.tender_id,
                    organisation_id: r.organisation_id,
                    organisation: r.organisation,
                    bid_id: r.bid_id,
                    sent_at: r.sent_at,
                })
            })
            .collect()
    }
}

impl WriteTx {
    async fn insert_step(
        &mut self,
        tender_id: i64,
        lot_number: i32,
        bid_id: i64,
        status: &Value,
        reasons: &Value,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let (s, r) = (status.to_string(), reasons.to_string());
        on_tx!(self, c => sqlx::query(INSERT_STEP).bind(tender_id).bind(lot_number).bind(bid_id)
            .bind(&s).bind(&r).bind(actor.user_id).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        self.audit(
            actor,
            "evaluation.abnormally_low",
            "tender",
            &tender_id.to_string(),
            json!({"lot": lot_number, "bid_id": bid_id, "status": status, "reasons": reasons}),
        )
        .await
    }
}
