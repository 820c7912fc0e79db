//! Writing the register: a contract from an award, entered by hand or imported (merged by
//! reference, each replaced version kept), and its documents. Each write commits with its
//! audit record.

use super::{BuyerRow, Contract, ContractRow, assemble, contract_columns};
use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_tx};
use chrono::NaiveDate;
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::procurement::{ContractType, Regime};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// The supplier's facts as they are when the contract is let.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupplierSnapshot {
    pub sme: bool,
    pub vcse: bool,
    pub mutual: bool,
    /// Its registration identifiers (org-id).
    pub identifiers: Vec<String>,
}

/// A contract to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContract {
    /// The council whose register holds it.
    pub organisation_id: i64,
    pub partnership_id: Option<i64>,
    pub reference: String,
    pub tender_id: Option<i64>,
    pub lot_number: Option<i32>,
    pub award_id: Option<i64>,
    pub supplier_id: i64,
    pub supplier: SupplierSnapshot,
    pub title: String,
    pub description: String,
    pub category: String,
    pub department: String,
    pub contract_type: ContractType,
    pub regime: Regime,
    pub route: Route,
    pub route_ground: String,
    pub value: Money,
    pub annual_value: Option<Money>,
    pub vat_treatment: VatTreatment,
    pub irrecoverable_vat: Money,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub extension_options: String,
    pub latest_end_on: Option<NaiveDate>,
    /// `award`, `entered` or `imported`.
    pub origin: &'static str,
    /// Each buyer's organisation id, share (percent) and part of the value.
    pub buyers: Vec<(i64, String, Money)>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImportOutcome {
    /// References of the contracts added.
    pub added: Vec<String>,
    /// References of the contracts changed, each with its old version kept.
    pub updated: Vec<String>,
    /// How many rows matched a contract exactly.
    pub unchanged: usize,
}

/// A document to add to a contract: a link or a text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub title: String,
    pub kind: String,
    pub url: Option<String>,
    pub body: Option<String>,
}

const CONTRACT_OF_AWARD: &str = "SELECT id FROM contracts WHERE award_id = $1";
const REFERENCE_TAKEN: &str =
    "SELECT id FROM contracts WHERE organisation_id = $1 AND reference = $2";
macro_rules! insert_contract_columns {
    () => {
        "INSERT INTO contracts (organisation_id, partnership_id, reference, \
         tender_id, lot_number, award_id, supplier_id, title, description, category, department, \
         contract_type, regime, route, route_ground, value, annual_value, vat_treatment, \
         irrecoverable_vat, original_value, original_ends_on, starts_on, ends_on, review_on, \
         extension_options, latest_end_on, supplier_sme, supplier_vcse, supplier_mutual, \
         supplier_identifiers, origin, created_by, created_at, updated_at) VALUES "
    };
}
/// One contract's values: its 31 parameters, in the order [`WriteTx::insert_contract`] binds
/// them (the original value and end are the value and end; created and updated are now).
macro_rules! contract_values {
    () => {
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
         $16, $23, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $21, $20, $20)"
    };
}
const INSERT: &str = concat!(
    insert_contract_columns!(),
    contract_values!(),
    " RETURNING id"
);
/// The parameters of one contract's values.
const CONTRACT_PARAMS: usize = 31;
/// Rows an import inserts in one statement, by backend: on PostgreSQL many (each statement is
/// a round trip; 500 contracts are 15,500 parameters, within its 65,535), on SQLite one (no
/// round trip, and SQLite matches numbered parameters by name, in time that grows with the
/// square of their number: 500 rows a statement took a second each).
fn batch_rows(tx: &mut WriteTx, postgres: usize) -> usize {
    match tx.inner() {
        crate::tx::TxInner::Sqlite(_) => 1,
        crate::tx::TxInner::Postgres(_) => postgres,
    }
}
const REFERENCES_OF_ORGANISATION: &str =
    "SELECT reference, id FROM contracts WHERE organisation_id = $1 AND reference IS NOT NULL";
macro_rules! insert_buyer_columns {
    () => {
        "INSERT INTO contract_buyers (contract_id, organisation_id, share_percent, amount) VALUES "
    };
}
const INSERT_BUYER: &str = concat!(insert_buyer_columns!(), "($1, $2, $3, $4)");

/// A statement inserting `rows` rows, each of `params` parameters numbered as `values`
/// numbers them (`$1` to `$params`), after `head`: the same SQL on both databases.
fn multi_row(head: &str, values: &str, params: usize, rows: usize) -> String {
    let mut sql = String::from(head);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        let mut rest = values;
        while let Some(at) = rest.find('$') {
            sql.push_str(&rest[..at]);
            let digits: String = rest[at + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let n: usize = digits.parse().expect("a numbered parameter");
            sql.push('$');
            sql.push_str(&(n + row * params).to_string());
            rest = &rest[at + 1 + digits.len()..];
        }
        sql.push_str(rest);
    }
    sql
}
/// An import's update of the fields a register file carries.
const UPDATE_IMPORTED: &str = "UPDATE contracts SET title = $2, description = $3, \
    category = $4, department = $5, supplier_id = $6, supplier_sme = $7, supplier_vcse = $8, \
    supplier_mutual = $9, supplier_identifiers = $10, route = $11, route_ground = $12, \
    value = $13, vat_treatment = $14, irrecoverable_vat = $15, starts_on = $16, ends_on = $17, \
    review_on = $18, updated_at = $19 WHERE id = $1";
const UPDATE_SOLE_BUYER: &str = "UPDATE contract_buyers SET amount = $2 WHERE contract_id = $1";
const INSERT_REVISION: &str = "INSERT INTO contract_revisions (contract_id, snapshot, reason, \
    replaced_by, replaced_at) VALUES ($1, $2, $3, $4, $5)";
const OF_ORGANISATION: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE c.organisation_id = $1 AND c.reference IS NOT NULL"
);
const BUYERS_OF_ORGANISATION: &str = "SELECT b.contract_id, b.organisation_id, \
    o.slug AS organisation, b.share_percent, b.amount FROM contract_buyers b \
    JOIN organisations o ON o.id = b.organisation_id \
    WHERE b.contract_id IN (SELECT id FROM contracts WHERE organisation_id = $1)";
const INSERT_DOCUMENT: &str = "INSERT INTO contract_documents (contract_id, title, kind, url, \
    body, sha256, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

impl WriteTx {
    async fn insert_contract(
        &mut self,
        new: &NewContract,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let taken: Option<i64> = on_tx!(self, c => sqlx::query_scalar(REFERENCE_TAKEN)
            .bind(new.organisation_id).bind(&new.reference).fetch_optional(c).await)?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "the register already holds a contract with reference `{}`",
                new.reference
            )));
        }
        let now = self.now();
        let identifiers = new.supplier.identifiers.join(" ");
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT)
            .bind(new.organisation_id).bind(new.partnership_id).bind(&new.reference)
            .bind(new.tender_id).bind(new.lot_number).bind(new.award_id).bind(new.supplier_id)
            .bind(&new.title).bind(&new.description).bind(&new.category).bind(&new.department)
            .bind(new.contract_type.as_str()).bind(new.regime.as_str()).bind(new.route.as_str())
            .bind(&new.route_ground).bind(new.value.as_pence())
            .bind(new.annual_value.map(Money::as_pence)).bind(new.vat_treatment.as_str())
            .bind(new.irrecoverable_vat.as_pence()).bind(now).bind(actor.user_id)
            .bind(new.starts_on).bind(new.ends_on).bind(new.review_on)
            .bind(&new.extension_options).bind(new.latest_end_on).bind(new.supplier.sme)
            .bind(new.supplier.vcse).bind(new.supplier.mutual).bind(&identifiers)
            .bind(new.origin)
            .fetch_one(c).await)?;
        for (org, share, amount) in &new.buyers {
            on_tx!(self, c => sqlx::query(INSERT_BUYER).bind(id).bind(*org).bind(share)
                .bind(amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
        }
        Ok(id)
    }

    /// Inserts an import's new contracts and their buyers, on PostgreSQL in statements of many
    /// rows (a register of 20,000 contracts is 50 statements, not 60,000). The references are
    /// new to the register: the import has read it under the write lock, and the unique index
    /// refuses a repeat.
    async fn insert_imported(
        &mut self,
        organisation: i64,
        rows: &[&NewContract],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let batch = batch_rows(self, 500);
        for chunk in rows.chunks(batch) {
            let sql = multi_row(
                insert_contract_columns!(),
                contract_values!(),
                CONTRACT_PARAMS,
                chunk.len(),
            );
            let identifiers: Vec<String> = chunk
                .iter()
                .map(|n| n.supplier.identifiers.join(" "))
                .collect();
            on_tx!(self, c => {
                let mut q = sqlx::query(&sql);
                for (new, ids) in chunk.iter().zip(&identifiers) {
                    q = q.bind(new.organisation_id).bind(new.partnership_id).bind(&new.reference)
                        .bind(new.tender_id).bind(new.lot_number).bind(new.award_id)
                        .bind(new.supplier_id).bind(&new.title).bind(&new.description)
                        .bind(&new.category).bind(&new.department)
                        .bind(new.contract_type.as_str()).bind(new.regime.as_str())
                        .bind(new.route.as_str()).bind(&new.route_ground)
                        .bind(new.value.as_pence()).bind(new.annual_value.map(Money::as_pence))
                        .bind(new.vat_treatment.as_str()).bind(new.irrecoverable_vat.as_pence())
                        .bind(now).bind(actor.user_id).bind(new.starts_on).bind(new.ends_on)
                        .bind(new.review_on).bind(&new.extension_options).bind(new.latest_end_on)
                        .bind(new.supplier.sme).bind(new.supplier.vcse).bind(new.supplier.mutual)
                        .bind(ids).bind(new.origin);
                }
                q.execute(c).await.map(crate::backend::affected)
            })?;
        }
        let ids: HashMap<String, i64> = on_tx!(self, c =>
            sqlx::query_as::<_, (String, i64)>(REFERENCES_OF_ORGANISATION).bind(organisation)
                .fetch_all(c).await)?
        .into_iter()
        .collect();
        let mut buyers = Vec::new();
        for new in rows {
            let id = *ids.get(&new.reference).ok_or_else(|| {
                StoreError::Conflict(format!("contract `{}` was not inserted", new.reference))
            })?;
            buyers.extend(new.buyers.iter().map(|b| (id, b)));
        }
        let batch = batch_rows(self, 2_000);
        for chunk in buyers.chunks(batch) {
            let sql = multi_row(insert_buyer_columns!(), "($1, $2, $3, $4)", 4, chunk.len());
            on_tx!(self, c => {
                let mut q = sqlx::query(&sql);
                for (id, (org, share, amount)) in chunk {
                    q = q.bind(*id).bind(*org).bind(share).bind(amount.as_pence());
                }
                q.execute(c).await.map(crate::backend::affected)
            })?;
        }
        Ok(())
    }

    pub(super) async fn keep_revision(
        &mut self,
        old: &Contract,
        reason: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let snapshot = serde_json::to_string(old).map_err(|e| StoreError::Invalid {
            field: "contract".into(),
            message: e.to_string(),
        })?;
        on_tx!(self, c => sqlx::query(INSERT_REVISION).bind(old.id).bind(&snapshot)
            .bind(reason).bind(actor.user_id).bind(now)
            .execute(c).await.map(crate::backend::affected))?;
        Ok(())
    }
}

fn audit_fields(new: &NewContract) -> serde_json::Value {
    json!({
        "organisation_id": new.organisation_id, "partnership_id": new.partnership_id,
        "reference": new.reference, "tender_id": new.tender_id, "lot": new.lot_number,
        "award_id": new.award_id, "supplier_id": new.supplier_id, "title": new.title,
        "route": new.route.as_str(), "route_ground": new.route_ground,
        "regime": new.regime.as_str(), "value": new.value.to_decimal().to_string(),
        "vat_treatment": new.vat_treatment.as_str(), "starts_on": new.starts_on,
        "ends_on": new.ends_on, "origin": new.origin,
        "buyers": new.buyers.iter().map(|(o, s, a)| json!({"organisation_id": o,
            "share_percent": s, "amount": a.to_decimal().to_string()})).collect::<Vec<_>>(),
    })
}

/// Whether an imported row says anything different from the contract it matches.
fn differs(old: &Contract, new: &NewContract) -> bool {
    old.title != new.title
        || old.description != new.description
        || old.category != new.category
        || old.department != new.department
        || old.supplier_id != new.supplier_id
        || old.route != new.route
        || old.route_ground != new.route_ground
        || old.value != new.value
        || old.vat_treatment != new.vat_treatment
        || old.irrecoverable_vat != new.irrecoverable_vat
        || old.starts_on != new.starts_on
        || old.ends_on != new.ends_on
        || old.review_on != new.review_on
}

impl Store {
    /// Records a contract with its buyers (an award's contract once per award; a reference
    /// once per register).
    pub async fn create_contract(
        &self,
        new: &NewContract,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(award) = new.award_id {
            let existing: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(CONTRACT_OF_AWARD)
                .bind(award).fetch_optional(c).await)?;
            if existing.is_some() {
                return Err(StoreError::Conflict(
                    "the contract of this award is already recorded".into(),
                ));
            }
        }
        let id = tx.insert_contract(new, actor).await?;
        tx.audit(
            actor,
            "contract.create",
            "contract",
            &id.to_string(),
            audit_fields(new),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Merges imported contracts into `organisation`'s register in one transaction: a new
    /// reference is added; a known one that differs is updated with its old version kept in
    /// `contract_revisions`; an identical one is left alone. One audit record names the file.
    pub async fn import_contracts(
        &self,
        organisation: i64,
        rows: &[NewContract],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        let (existing, buyers): (Vec<ContractRow>, Vec<BuyerRow>) = on_tx!(tx, c => {
            let rows = sqlx::query_as(OF_ORGANISATION).bind(organisation).fetch_all(&mut *c)
                .await?;
            let buyers = sqlx::query_as(BUYERS_OF_ORGANISATION).bind(organisation)
                .fetch_all(&mut *c).await?;
            Ok::<_, sqlx::Error>((rows, buyers))
        })?;
        let mut known: HashMap<String, Contract> = assemble(existing, buyers)?
            .into_iter()
            .filter_map(|c| Some((c.reference.clone()?, c)))
            .collect();
        let mut outcome = ImportOutcome::default();
        let reason = format!("replaced by an import of {source}");
        let mut added: Vec<&NewContract> = Vec::new();
        for new in rows {
            match known.remove(&new.reference) {
                None => {
                    added.push(new);
                    outcome.added.push(new.reference.clone());
                }
                Some(old) if !differs(&old, new) => outcome.unchanged += 1,
                Some(old) => {
                    if old.buyers.len() > 1 {
                        return Err(StoreError::Conflict(format!(
                            "contract `{}` is a joint contract with {} buyers: change its \
                             value by a variation, not an import",
                            new.reference,
                            old.buyers.len()
                        )));
                    }
                    tx.keep_revision(&old, &reason, actor).await?;
                    let now = tx.now();
                    let ids = new.supplier.identifiers.join(" ");
                    on_tx!(tx, c => sqlx::query(UPDATE_IMPORTED).bind(old.id).bind(&new.title)
                        .bind(&new.description).bind(&new.category).bind(&new.department)
                        .bind(new.supplier_id).bind(new.supplier.sme).bind(new.supplier.vcse)
                        .bind(new.supplier.mutual).bind(&ids).bind(new.route.as_str())
                        .bind(&new.route_ground).bind(new.value.as_pence())
                        .bind(new.vat_treatment.as_str()).bind(new.irrecoverable_vat.as_pence())
                        .bind(new.starts_on).bind(new.ends_on).bind(new.review_on).bind(now)
                        .execute(c).await.map(crate::backend::affected))?;
                    on_tx!(tx, c => sqlx::query(UPDATE_SOLE_BUYER).bind(old.id)
                        .bind(new.value.as_pence()).execute(c).await.map(crate::backend::affected))?;
                    outcome.updated.push(new.reference.clone());
                }
            }
        }
        tx.insert_imported(organisation, &added, actor).await?;
        tx.audit(
            actor,
            "contract.import",
            "organisation",
            &organisation.to_string(),
            json!({"source": source, "rows": rows.len(), "added": outcome.added.len(),
                   "updated": outcome.updated, "unchanged": outcome.unchanged}),
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Adds a document to a contract.
    pub async fn add_contract_document(
        &self,
        contract_id: i64,
        doc: &NewDocument,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        use sha2::{Digest, Sha256};
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let sha = doc
            .body
            .as_deref()
            .map(|b| hex::encode(Sha256::digest(b.as_bytes())));
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_DOCUMENT).bind(contract_id)
            .bind(&doc.title).bind(&doc.kind).bind(&doc.url).bind(&doc.body).bind(&sha)
            .bind(actor.user_id).bind(now).fetch_one(c).await)?;
        tx.audit(
            actor,
            "contract.document",
            "contract",
            &contract_id.to_string(),
            json!({"document_id": id, "title": doc.title, "kind": doc.kind, "url": doc.url,
                   "sha256": sha}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_of_a_multi_row_insert_numbers_its_own_parameters() {
        assert_eq!(
            multi_row("INSERT INTO t (a, b, c) VALUES ", "($1, $2, $1)", 2, 3),
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $1), ($3, $4, $3), ($5, $6, $5)"
        );
        let one = multi_row(
            insert_contract_columns!(),
            contract_values!(),
            CONTRACT_PARAMS,
            1,
        );
        assert_eq!(format!("{one} RETURNING id"), INSERT);
        let two = multi_row(
            insert_contract_columns!(),
            contract_values!(),
            CONTRACT_PARAMS,
            2,
        );
        assert!(two.ends_with("$52, $51, $51)"), "{two}");
    }
}
