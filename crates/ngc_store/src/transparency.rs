//! The records the Transparency Code datasets are made from: payments (the lines of the
//! current spend imports, then the contract payments made on days no current import covers),
//! contracts over £5,000, published invitations to tender, and the grants register (migration
//! 0030: every version of a grant kept).

use crate::bulk_read;
use crate::spend::StoredLine;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use futures_util::stream::BoxStream;
use ngc_domain::money::Money;
use ngc_domain::spend::SpendLine;
use ngc_domain::transparency::{
    CONTRACT_THRESHOLD_PENCE, ContractRecord, Grant, Period, Recipient,
};
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// `$1` organisation, `$2`..`$3` the days, `$4` whether card lines (a merchant category) are
/// wanted. Files in the order they were imported, lines in file order. The unary `+` keeps
/// SQLite from reaching the imports through the organisation's index (in SHA order), so that
/// it walks them in id order and each one's lines by their key, with no sort of every line.
const SPEND_LINES: &str = "SELECT l.position, l.member, l.line, l.paid_on, l.month_only, \
    l.supplier, l.redacted, l.amount, l.gross, l.vat, l.irrecoverable_vat, l.transaction_ref, \
    l.service, l.expense_type, l.expense_code, l.description, l.supplier_id, \
    l.invoice_number, l.merchant_category FROM spend_imports i JOIN spend_lines l ON l.import_id = i.id \
    WHERE +i.organisation_id = $1 AND i.replaced_by_id IS NULL \
    AND l.paid_on >= $2 AND l.paid_on <= $3 AND (l.merchant_category <> '') = $4 \
    ORDER BY i.id, l.position";
/// Contract payments of the council's register made from `$2` to `$3` on days that no
/// current spend import of it covers (those are in the imported files already).
const CONTRACT_PAYMENTS: &str = "SELECT p.id AS position, '' AS member, \
    CAST(0 AS BIGINT) AS line, p.paid_on, FALSE AS month_only, s.name AS supplier, \
    FALSE AS redacted, p.amount, CAST(NULL AS BIGINT) AS gross, CAST(NULL AS BIGINT) AS vat, \
    CAST(NULL AS BIGINT) AS irrecoverable_vat, CAST(p.id AS TEXT) AS transaction_ref, c.department AS service, \
    c.category AS expense_type, '' AS expense_code, c.title AS description, \
    s.slug AS supplier_id, p.invoice_reference AS invoice_number, '' AS merchant_category \
    FROM contract_payments p JOIN contracts c ON c.id = p.contract_id \
    JOIN organisations s ON s.id = c.supplier_id \
    WHERE c.organisation_id = $1 AND p.paid_on IS NOT NULL \
    AND p.paid_on >= $2 AND p.paid_on <= $3 \
    AND NOT EXISTS (SELECT 1 FROM spend_imports i WHERE i.organisation_id = $1 \
    AND i.replaced_by_id IS NULL AND i.first_paid_on <= p.paid_on \
    AND i.last_paid_on >= p.paid_on) \
    ORDER BY p.paid_on, p.id";

#[derive(FromRow)]
struct ContractRow {
    reference: Option<String>,
    id: i64,
    title: String,
    description: String,
    department: String,
    supplier: String,
    supplier_identifiers: String,
    value: i64,
    annual_value: Option<i64>,
    irrecoverable_vat: i64,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    review_on: Option<NaiveDate>,
    route: String,
    supplier_sme: bool,
    supplier_vcse: bool,
}

/// The contracts the council buys (alone or with others) worth more than `$4` pence, in force
/// at some time from `$2` to `$3`: started by `$3`, not ended or terminated before `$2`.
const CONTRACTS: &str = "SELECT c.reference, c.id, c.title, c.description, c.department, \
    s.name AS supplier, c.supplier_identifiers, c.value, c.annual_value, c.irrecoverable_vat, \
    c.starts_on, c.ends_on, c.review_on, c.route, c.supplier_sme, c.supplier_vcse \
    FROM contracts c JOIN organisations s ON s.id = c.supplier_id \
    WHERE c.id IN (SELECT b.contract_id FROM contract_buyers b WHERE b.organisation_id = $1) \
    AND c.value > $4 AND c.starts_on <= $3 AND (c.ends_on IS NULL OR c.ends_on >= $2) \
    AND (c.terminated_on IS NULL OR c.terminated_on >= $2) \
    ORDER BY c.starts_on, c.id";

/// A published invitation to tender, as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TenderRow {
    pub reference: String,
    pub title: String,
    pub description: String,
    pub classification_scheme: String,
    pub classification_code: String,
    pub contract_type: String,
    pub procedure: String,
    /// Pence.
    pub estimated_value: i64,
    pub published_at: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
}

/// The tenders the council led that were published, worth more than `$2` pence.
const TENDERS: &str = "SELECT reference, title, description, classification_scheme, \
    classification_code, contract_type, procedure, estimated_value, published_at, \
    submission_deadline FROM tenders WHERE lead_organisation_id = $1 \
    AND published_at IS NOT NULL AND estimated_value > $2 ORDER BY published_at, id";

#[derive(FromRow)]
struct GrantRow {
    id: i64,
    identifier: String,
    title: String,
    description: String,
    amount_awarded: i64,
    amount_disbursed: Option<i64>,
    award_date: NaiveDate,
    start_on: Option<NaiveDate>,
    end_on: Option<NaiveDate>,
    recipient_identifier: String,
    recipient_name: String,
    recipient_charity_number: String,
    recipient_company_number: String,
    department: String,
    programme_code: String,
    programme_title: String,
}

impl GrantRow {
    fn into_grant(self) -> Grant {
        Grant {
            identifier: self.identifier,
            title: self.title,
            description: self.description,
            amount_awarded: Money::pence(self.amount_awarded),
            amount_disbursed: self.amount_disbursed.map(Money::pence),
            award_date: self.award_date,
            start_on: self.start_on,
            end_on: self.end_on,
            recipient: Recipient {
                identifier: self.recipient_identifier,
                name: self.recipient_name,
                charity_number: self.recipient_charity_number,
                company_number: self.recipient_company_number,
            },
            department: self.department,
            programme_code: self.programme_code,
            programme_title: self.programme_title,
        }
    }
}

macro_rules! grant_columns {
    () => {
        "id, identifier, title, description, amount_awarded, amount_disbursed, award_date, \
         start_on, end_on, recipient_identifier, recipient_name, recipient_charity_number, \
         recipient_company_number, department, programme_code, programme_title "
    };
}
const GRANTS: &str = concat!(
    "SELECT ",
    grant_columns!(),
    "FROM grants WHERE organisation_id = $1 AND superseded_by IS NULL \
     AND award_date >= $2 AND award_date <= $3 ORDER BY award_date, identifier"
);
const CURRENT_GRANT: &str = concat!(
    "SELECT ",
    grant_columns!(),
    "FROM grants WHERE organisation_id = $1 AND identifier = $2 AND superseded_by IS NULL"
);
const GRANT_VERSIONS: &str = concat!(
    "SELECT ",
    grant_columns!(),
    "FROM grants WHERE organisation_id = $1 AND identifier = $2 ORDER BY id"
);
const INSERT_GRANT: &str = "INSERT INTO grants (organisation_id, identifier, title, \
    description, amount_awarded, amount_disbursed, award_date, start_on, end_on, \
    recipient_identifier, recipient_name, recipient_charity_number, recipient_company_number, \
    department, programme_code, programme_title, recorded_by, recorded_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
    RETURNING id";
const SUPERSEDE_GRANT: &str = "UPDATE grants SET superseded_by = $2 WHERE id = $1";

/// What recording a grants file did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GrantsStored {
    /// Grants new to the register.
    pub added: usize,
    /// Grants whose record changed: the new version is current, the earlier one kept.
    pub changed: usize,
    /// Grants recorded already exactly so.
    pub unchanged: usize,
}

impl Store {
    /// Streams the payments of the spend dataset (`card` false) or the card dataset (`card`
    /// true) of `organisation_id` over `period` to `each`, in order: the lines of its current
    /// spend imports (files in import order, lines in file order), then, for spend, the
    /// contract payments made on days no current import covers. Gives how many it streamed.
    /// On a SQLite file the rows are read on a blocking thread, in batches
    /// ([`bulk_read`]).
    pub async fn transparency_payments<E: From<StoreError>>(
        &self,
        organisation_id: i64,
        period: Period,
        card: bool,
        mut each: impl FnMut(SpendLine) -> Result<(), E>,
    ) -> Result<u64, E> {
        if let Some(file) = bulk_read::sqlite_file(self) {
            return payments_from_file(file, organisation_id, period, card, each).await;
        }
        let mut n = 0;
        {
            let mut rows: BoxStream<'_, Result<StoredLine, sqlx::Error>> = on_each_backend!(self, pool => sqlx::query_as(SPEND_LINES)
                    .bind(organisation_id).bind(period.from).bind(period.to).bind(card)
                    .fetch(pool));
            while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
                each(row.into_line())?;
                n += 1;
            }
        }
        if !card {
            let mut rows: BoxStream<'_, Result<StoredLine, sqlx::Error>> = on_each_backend!(self, pool => sqlx::query_as(CONTRACT_PAYMENTS)
                    .bind(organisation_id).bind(period.from).bind(period.to)
                    .fetch(pool));
            while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
                each(row.into_line())?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// The contracts over £5,000 the organisation buys that were in force at some time in
    /// `period`, earliest start first. `route_label` names each procurement route.
    pub async fn transparency_contracts(
        &self,
        organisation_id: i64,
        period: Period,
        route_label: impl Fn(&str) -> String,
    ) -> Result<Vec<ContractRecord>, StoreError> {
        let rows: Vec<ContractRow> = on_each_backend!(self, pool => sqlx::query_as(CONTRACTS)
            .bind(organisation_id).bind(period.from).bind(period.to)
            .bind(CONTRACT_THRESHOLD_PENCE).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| ContractRecord {
                reference: r.reference.unwrap_or_else(|| format!("contract {}", r.id)),
                title: r.title,
                description: r.description,
                department: r.department,
                supplier: r.supplier,
                supplier_identifiers: r.supplier_identifiers,
                value: Money::pence(r.value),
                annual_value: r.annual_value.map(Money::pence),
                irrecoverable_vat: Money::pence(r.irrecoverable_vat),
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                review_on: r.review_on,
                route: route_label(&r.route),
                sme: r.supplier_sme,
                vcse: r.supplier_vcse,
            })
            .collect())
    }

    /// The organisation's published invitations to tender over £5,000, published in
    /// `period`, in the order they were published.
    pub async fn transparency_tenders(
        &self,
        organisation_id: i64,
        period: Period,
    ) -> Result<Vec<TenderRow>, StoreError> {
        let rows: Vec<TenderRow> = on_each_backend!(self, pool => sqlx::query_as(TENDERS)
            .bind(organisation_id).bind(CONTRACT_THRESHOLD_PENCE).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .filter(|t| {
                let day = t.published_at.date_naive();
                period.from <= day && day <= period.to
            })
            .collect())
    }

    /// The current version of each grant the organisation awarded in `period`, by award date.
    pub async fn grants(
        &self,
        organisation_id: i64,
        period: Period,
    ) -> Result<Vec<Grant>, StoreError> {
        let rows: Vec<GrantRow> = on_each_backend!(self, pool => sqlx::query_as(GRANTS)
            .bind(organisation_id).bind(period.from).bind(period.to).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(GrantRow::into_grant).collect())
    }

    /// Every version of one grant, the first recorded first (the last is current).
    pub async fn grant_versions(
        &self,
        organisation_id: i64,
        identifier: &str,
    ) -> Result<Vec<Grant>, StoreError> {
        let rows: Vec<GrantRow> = on_each_backend!(self, pool => sqlx::query_as(GRANT_VERSIONS)
            .bind(organisation_id).bind(identifier).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(GrantRow::into_grant).collect())
    }

    /// Records a file of grants in one transaction with one audit record: a grant new to the
    /// register is added; one recorded differently gets a new current version and the earlier
    /// one is kept; one recorded exactly so is left alone. The file's grants must have
    /// distinct identifiers (the reader checks).
    pub async fn record_grants(
        &self,
        organisation_id: i64,
        file: &str,
        grants: &[Grant],
        actor: &Actor,
    ) -> Result<GrantsStored, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut stored = GrantsStored::default();
        for g in grants {
            let current: Option<GrantRow> = on_tx!(tx, c => sqlx::query_as(CURRENT_GRANT)
                .bind(organisation_id).bind(&g.identifier).fetch_optional(c).await)?;
            let previous = match current {
                Some(row) => {
                    let id = row.id;
                    if row.into_grant() == *g {
                        stored.unchanged += 1;
                        continue;
                    }
                    Some(id)
                }
                None => None,
            };
            insert_version(&mut tx, organisation_id, g, previous, actor).await?;
            match previous {
                Some(_) => stored.changed += 1,
                None => stored.added += 1,
            }
        }
        if stored.added + stored.changed > 0 {
            tx.audit(
                actor,
                "grants.import",
                "organisation",
                &organisation_id.to_string(),
                json!({"file": file, "grants": grants.len(), "added": stored.added,
                       "changed": stored.changed, "unchanged": stored.unchanged}),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(stored)
    }

    /// Makes version `version` (1 is the first recorded) of a grant current again, as a new
    /// version copying it, with its audit record `grant.restore`; every version stays. Gives
    /// the grant as now current. A grant or version that does not exist is not found; the
    /// current version is refused as a conflict (nothing to restore).
    pub async fn restore_grant(
        &self,
        organisation_id: i64,
        identifier: &str,
        version: usize,
        actor: &Actor,
    ) -> Result<Grant, StoreError> {
        let mut tx = self.begin_write().await?;
        let rows: Vec<GrantRow> = on_tx!(tx, c => sqlx::query_as(GRANT_VERSIONS)
            .bind(organisation_id).bind(identifier).fetch_all(c).await)?;
        let count = rows.len();
        let Some(current) = rows.last().map(|r| r.id) else {
            return Err(StoreError::NotFound(format!("grant `{identifier}`")));
        };
        let Some(row) = version.checked_sub(1).and_then(|i| rows.into_iter().nth(i)) else {
            return Err(StoreError::NotFound(format!(
                "version {version} of grant `{identifier}` (it has {count})"
            )));
        };
        if row.id == current {
            return Err(StoreError::Conflict(format!(
                "version {version} of grant `{identifier}` is the current one"
            )));
        }
        let grant = row.into_grant();
        let id = insert_version(&mut tx, organisation_id, &grant, Some(current), actor).await?;
        tx.audit(
            actor,
            "grant.restore",
            "grant",
            &id.to_string(),
            json!({"organisation_id": organisation_id, "identifier": identifier,
                   "restored_version": version, "versions": count + 1}),
        )
        .await?;
        tx.commit().await?;
        Ok(grant)
    }
}

/// Inserts `g` as the current version of its grant, `previous` (the current version's row)
/// superseded by it. Gives the new row's id.
async fn insert_version(
    tx: &mut crate::tx::WriteTx,
    organisation_id: i64,
    g: &Grant,
    previous: Option<i64>,
    actor: &Actor,
) -> Result<i64, StoreError> {
    let now = tx.now();
    if let Some(old) = previous {
        // Out of the unique index before the new version goes in.
        on_tx!(tx, c => sqlx::query(SUPERSEDE_GRANT).bind(old).bind(old)
            .execute(c).await.map(crate::backend::affected))?;
    }
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_GRANT)
        .bind(organisation_id)
        .bind(&g.identifier)
        .bind(&g.title)
        .bind(&g.description)
        .bind(g.amount_awarded.as_pence())
        .bind(g.amount_disbursed.map(Money::as_pence))
        .bind(g.award_date)
        .bind(g.start_on)
        .bind(g.end_on)
        .bind(&g.recipient.identifier)
        .bind(&g.recipient.name)
        .bind(&g.recipient.charity_number)
        .bind(&g.recipient.company_number)
        .bind(&g.department)
        .bind(&g.programme_code)
        .bind(&g.programme_title)
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    if let Some(old) = previous {
        on_tx!(tx, c => sqlx::query(SUPERSEDE_GRANT).bind(old).bind(id)
            .execute(c).await.map(crate::backend::affected))?;
    }
    Ok(id)
}

/// [`Store::transparency_payments`] on a SQLite file: the same two queries, read by
/// [`bulk_read::rows`] while the caller writes the rows it has.
async fn payments_from_file<E: From<StoreError>>(
    file: std::path::PathBuf,
    organisation_id: i64,
    period: Period,
    card: bool,
    mut each: impl FnMut(SpendLine) -> Result<(), E>,
) -> Result<u64, E> {
    use rusqlite::types::Value;
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let mut queries = vec![(
        SPEND_LINES,
        vec![
            Value::Integer(organisation_id),
            Value::Text(from.clone()),
            Value::Text(to.clone()),
            Value::Integer(i64::from(card)),
        ],
    )];
    if !card {
        queries.push((
            CONTRACT_PAYMENTS,
            vec![
                Value::Integer(organisation_id),
                Value::Text(from),
                Value::Text(to),
            ],
        ));
    }
    let mut n = 0;
    for (sql, params) in queries {
        let mut batches = bulk_read::rows(file.clone(), sql, params, StoredLine::from_sqlite);
        while let Some(batch) = batches.recv().await {
            for row in batch? {
                each(row.into_line())?;
                n += 1;
            }
        }
    }
    Ok(n)
}
