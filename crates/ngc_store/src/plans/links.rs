//! The savings evidence chain (migration 0023): a plan's savings linked to the records that
//! deliver them, read with what each record holds (a contract's price and dates, a tender's or
//! planned procurement's estimate, a budget line's amount) so the domain can work out the
//! evidenced figures. A link reaches only the linking council's own records: its contracts
//! (held or bought), tenders it leads, planned procurements, budget lines and partnerships it
//! belongs to; a link to anything else finds no record and is refused. Links are never
//! deleted: removing one stamps it, and the chain shows the links in force.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{Duration, NaiveDate};
use ngc_domain::contracts::register::annual_value;
use ngc_domain::finance::evidence::{Facts, Link, LinkKind, check_splits};
use ngc_domain::money::{Money, Rounding};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::FromRow;

/// The links with their records' facts; each query adds its `WHERE`.
macro_rules! links_select {
    () => {
        "SELECT l.id, l.saving_reference, l.kind, l.target_id, l.amount, l.baseline, \
         COALESCE(c.title, t.title, pp.title, p.name, \
             bl.year || ' ' || bl.service || ' ' || bl.subjective) AS title, \
         c.value AS contract_value, c.annual_value, c.starts_on, c.ends_on, c.terminated_on, \
         cb.share_percent, t.estimated_value AS tender_estimate, \
         pp.estimated_value AS planned_estimate, bl.amount AS budget \
         FROM saving_links l \
         LEFT JOIN contract_buyers cb ON l.kind = 'contract' AND cb.contract_id = l.target_id \
             AND cb.organisation_id = l.organisation_id \
         LEFT JOIN contracts c ON l.kind = 'contract' AND c.id = l.target_id \
             AND (c.organisation_id = l.organisation_id OR cb.organisation_id IS NOT NULL) \
         LEFT JOIN tenders t ON l.kind = 'tender' AND t.id = l.target_id \
             AND t.lead_organisation_id = l.organisation_id \
         LEFT JOIN planned_procurements pp ON l.kind = 'planned_procurement' \
             AND pp.id = l.target_id AND pp.organisation_id = l.organisation_id \
         LEFT JOIN budget_lines bl ON l.kind = 'budget_line' AND bl.id = l.target_id \
             AND bl.organisation_id = l.organisation_id \
         LEFT JOIN partnerships p ON l.kind = 'partnership' AND p.id = l.target_id \
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.partnership_id = p.id \
                 AND m.organisation_id = l.organisation_id) "
    };
}

const OF_PLAN: &str = concat!(
    links_select!(),
    "WHERE l.plan_id = $1 AND l.removed_at IS NULL ORDER BY l.id"
);
const OF_TARGET: &str = concat!(
    links_select!(),
    "WHERE l.organisation_id = $1 AND l.kind = $2 AND l.target_id = $3 \
     AND l.removed_at IS NULL ORDER BY l.id"
);
const INSERT: &str = "INSERT INTO saving_links (organisation_id, plan_id, saving_reference, \
    kind, target_id, amount, baseline, note, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
const LINK: &str = "SELECT plan_id, saving_reference, kind, target_id FROM saving_links \
    WHERE id = $1 AND removed_at IS NULL";
const REMOVE: &str = "UPDATE saving_links SET removed_at = $2, removed_by = $3 \
    WHERE id = $1 AND removed_at IS NULL";
const EVER: &str = "SELECT COUNT(*) FROM saving_links WHERE plan_id = $1 \
    AND saving_reference = $2 AND kind = $3 AND target_id = $4";
const MARKER: &str = "SELECT COUNT(*), COALESCE(MAX(l.id), 0), COUNT(l.removed_at), \
    (SELECT COUNT(*) FROM contract_revisions r JOIN saving_links k \
         ON k.kind = 'contract' AND k.target_id = r.contract_id WHERE k.plan_id = $1) \
    FROM saving_links l WHERE l.plan_id = $1";

#[derive(FromRow)]
struct Row {
    id: i64,
    saving_reference: String,
    kind: String,
    target_id: i64,
    amount: Option<i64>,
    baseline: Option<i64>,
    title: Option<String>,
    contract_value: Option<i64>,
    annual_value: Option<i64>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    terminated_on: Option<NaiveDate>,
    share_percent: Option<String>,
    tender_estimate: Option<i64>,
    planned_estimate: Option<i64>,
    budget: Option<i64>,
}

impl Row {
    /// The link, or none when its record is not one the council may link to.
    fn into_link(self) -> Result<Option<Link>, StoreError> {
        let kind: LinkKind = self.kind.parse().map_err(|_| StoreError::Invalid {
            field: "kind".into(),
            message: format!("unknown link kind `{}` stored", self.kind),
        })?;
        let Some(title) = self.title else {
            return Ok(None);
        };
        let facts = match kind {
            LinkKind::Contract => {
                let (Some(value), Some(start)) = (self.contract_value, self.starts_on) else {
                    return Ok(None);
                };
                let last_day = self.terminated_on.map(|t| t - Duration::days(1));
                let end = match (self.ends_on, last_day) {
                    (Some(e), Some(t)) => Some(e.min(t)),
                    (e, t) => e.or(t),
                };
                let whole = self
                    .annual_value
                    .map(Money::pence)
                    .or_else(|| annual_value(Money::pence(value), start, self.ends_on))
                    .unwrap_or(Money::pence(value));
                let share = self
                    .share_percent
                    .and_then(|s| s.parse::<Decimal>().ok())
                    .unwrap_or(Decimal::ONE_HUNDRED);
                let annual_price = whole
                    .mul_decimal(share / Decimal::ONE_HUNDRED, Rounding::HalfAwayFromZero)
                    .unwrap_or(whole);
                Facts::Contract {
                    annual_price,
                    start,
                    end,
                }
            }
            LinkKind::Tender | LinkKind::PlannedProcurement => Facts::Estimate {
                value: Money::pence(
                    self.tender_estimate
                        .or(self.planned_estimate)
                        .unwrap_or_default(),
                ),
            },
            LinkKind::BudgetLine => Facts::Budget {
                amount: Money::pence(self.budget.unwrap_or_default()),
            },
            LinkKind::Partnership | LinkKind::SharedService => Facts::Programme,
        };
        Ok(Some(Link {
            id: self.id,
            saving: self.saving_reference,
            kind,
            target: self.target_id,
            title,
            amount: self.amount.map(Money::pence),
            baseline: self.baseline.map(Money::pence),
            facts,
        }))
    }
}

fn links(rows: Vec<Row>) -> Result<Vec<Link>, StoreError> {
    Ok(rows
        .into_iter()
        .map(Row::into_link)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect())
}

/// A link to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLink {
    pub saving_reference: String,
    pub kind: LinkKind,
    pub target_id: i64,
    pub amount: Option<Money>,
    pub baseline: Option<Money>,
    pub note: String,
}

/// What marks a change of a plan's evidence: links made and removed, and revisions of the
/// linked contracts.
pub type EvidenceMarker = (i64, i64, i64, i64);

impl Store {
    /// The links in force of the plan with this id, with their records' facts.
    pub async fn saving_links(&self, plan_id: i64) -> Result<Vec<Link>, StoreError> {
        let rows: Vec<Row> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_PLAN).bind(plan_id).fetch_all(pool).await)?;
        links(rows)
    }

    /// Whether the saving was ever linked to this record (the link in force or removed): a
    /// loader that merges uses it to leave a user's removal alone.
    pub async fn saving_link_ever_made(
        &self,
        plan_id: i64,
        reference: &str,
        kind: LinkKind,
        target: i64,
    ) -> Result<bool, StoreError> {
        let n: i64 = on_each_backend!(self, pool => sqlx::query_scalar(EVER).bind(plan_id)
            .bind(reference).bind(kind.as_str()).bind(target).fetch_one(pool).await)?;
        Ok(n > 0)
    }

    /// What marks a change of the plan's evidence (see [`EvidenceMarker`]).
    pub async fn evidence_marker(&self, plan_id: i64) -> Result<EvidenceMarker, StoreError> {
        Ok(on_each_backend!(self, pool =>
            sqlx::query_as(MARKER).bind(plan_id).fetch_one(pool).await)?)
    }

    /// Links a saving of the plan `plan_id` of `organisation` to a record, audited. Refused
    /// when the record is not one of the council's (`NotFound`) or the splits of the record
    /// would break the rule (`Invalid` on `amount`); nothing is written then.
    pub async fn link_saving(
        &self,
        organisation: i64,
        plan_id: i64,
        link: &NewLink,
        actor: &Actor,
    ) -> Result<Link, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT).bind(organisation)
            .bind(plan_id).bind(&link.saving_reference).bind(link.kind.as_str())
            .bind(link.target_id).bind(link.amount.map(Money::as_pence))
            .bind(link.baseline.map(Money::as_pence)).bind(&link.note).bind(actor.user_id)
            .bind(now).fetch_one(c).await)?;
        let same = tx
            .links_of_target(organisation, link.kind, link.target_id)
            .await?;
        let made = same.iter().find(|l| l.id == id).cloned().ok_or_else(|| {
            StoreError::NotFound(format!(
                "{} {} of this council",
                link.kind.label().to_lowercase(),
                link.target_id
            ))
        })?;
        check_splits(&same).map_err(|e| {
            let text = e.to_string();
            let (field, message) = text.split_once(": ").unwrap_or(("amount", &text));
            StoreError::Invalid {
                field: field.to_owned(),
                message: message.to_owned(),
            }
        })?;
        tx.audit(
            actor,
            "saving.link",
            "saving_link",
            &id.to_string(),
            json!({"plan_id": plan_id, "saving": link.saving_reference,
                   "kind": link.kind.as_str(), "target_id": link.target_id,
                   "amount": link.amount, "baseline": link.baseline, "note": link.note}),
        )
        .await?;
        tx.commit().await?;
        Ok(made)
    }

    /// Removes a link of the saving `reference` of the plan `plan_id` (it is kept, stamped as
    /// removed), audited.
    pub async fn unlink_saving(
        &self,
        plan_id: i64,
        reference: &str,
        link_id: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let found: Option<(i64, String, String, i64)> = on_tx!(tx, c =>
            sqlx::query_as(LINK).bind(link_id).fetch_optional(c).await)?;
        let Some((plan, saving, kind, target)) =
            found.filter(|f| f.0 == plan_id && f.1 == reference)
        else {
            return Err(StoreError::NotFound(format!(
                "link {link_id} of saving `{reference}`"
            )));
        };
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(REMOVE).bind(link_id).bind(now).bind(actor.user_id)
            .execute(c).await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "saving.unlink",
            "saving_link",
            &link_id.to_string(),
            json!({"plan_id": plan, "saving": saving, "kind": kind, "target_id": target}),
        )
        .await?;
        tx.commit().await
    }
}

impl WriteTx {
    /// The links in force of one record of the council, with their facts.
    async fn links_of_target(
        &mut self,
        organisation: i64,
        kind: LinkKind,
        target: i64,
    ) -> Result<Vec<Link>, StoreError> {
        let rows: Vec<Row> = on_tx!(self, c => sqlx::query_as(OF_TARGET).bind(organisation)
            .bind(kind.as_str()).bind(target).fetch_all(c).await)?;
        links(rows)
    }
}
