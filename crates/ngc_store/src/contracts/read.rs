//! Reading the register: one visible contract, a page of them, a tender's contracts, the
//! contracts ending within a horizon, and a contract's revisions and documents.

use super::{
    BuyerRow, Contract, ContractDocument, ContractRevision, ContractRow, assemble, contract_columns,
};
use crate::{Store, StoreError, on_each_backend};
use chrono::NaiveDate;
use ngc_domain::contracts::ContractStatus;
use serde::Serialize;

/// Whose contracts a reader sees (the domain's rule).
pub use ngc_domain::ContractScope as Scope;

fn organisation_of(scope: Scope) -> i64 {
    match scope {
        Scope::Supplier(o) | Scope::Buyer(o) => o,
    }
}

/// Which contracts of a scope to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFilter {
    /// The day the status is judged on.
    pub today: NaiveDate,
    pub status: Option<ContractStatus>,
    /// A supplier's slug.
    pub supplier: Option<String>,
    /// Words in the title, reference or supplier's name (any case).
    pub text: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A page of contracts and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractPage {
    pub total: i64,
    pub contracts: Vec<Contract>,
}

macro_rules! visible_to_buyer {
    () => {
        "(c.id IN (SELECT vb.contract_id FROM contract_buyers vb WHERE vb.organisation_id = $1) \
         OR c.partnership_id IN (SELECT m.partnership_id FROM memberships m \
         WHERE m.organisation_id = $1 AND m.joined_on <= $2 \
         AND (m.left_on IS NULL OR m.left_on >= $2))) "
    };
}
macro_rules! visible_to_supplier {
    () => {
        "c.supplier_id = $1 "
    };
}
/// `$2` today, `$3` status ('' for any), `$4` supplier slug, `$5` a lower-case LIKE pattern.
macro_rules! filtered {
    () => {
        "AND ($3 = '' OR (CASE WHEN c.terminated_on IS NOT NULL AND c.terminated_on <= $2 \
         THEN 'terminated' WHEN c.starts_on > $2 THEN 'pending' \
         WHEN c.ends_on IS NOT NULL AND c.ends_on < $2 THEN 'expired' ELSE 'active' END) = $3) \
         AND ($4 = '' OR s.slug = $4) \
         AND ($5 = '' OR LOWER(c.title) LIKE $5 OR LOWER(COALESCE(c.reference, '')) LIKE $5 \
         OR LOWER(s.name) LIKE $5) "
    };
}
macro_rules! page_order {
    () => {
        "ORDER BY c.ends_on IS NULL, c.ends_on, c.id LIMIT $6 OFFSET $7"
    };
}
macro_rules! buyers_of_ids {
    () => {
        "SELECT b.contract_id, b.organisation_id, o.slug AS organisation, b.share_percent, \
         b.amount FROM contract_buyers b JOIN organisations o ON o.id = b.organisation_id \
         WHERE b.contract_id IN "
    };
}

const PAGE_BUYER: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE ",
    visible_to_buyer!(),
    filtered!(),
    page_order!()
);
const PAGE_SUPPLIER: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE ",
    visible_to_supplier!(),
    filtered!(),
    page_order!()
);
const PAGE_BUYERS_BUYER: &str = concat!(
    buyers_of_ids!(),
    "(SELECT c.id FROM contracts c JOIN organisations s ON s.id = c.supplier_id WHERE ",
    visible_to_buyer!(),
    filtered!(),
    page_order!(),
    ")"
);
const PAGE_BUYERS_SUPPLIER: &str = concat!(
    buyers_of_ids!(),
    "(SELECT c.id FROM contracts c JOIN organisations s ON s.id = c.supplier_id WHERE ",
    visible_to_supplier!(),
    filtered!(),
    page_order!(),
    ")"
);
const COUNT_BUYER: &str = concat!(
    "SELECT COUNT(*) FROM contracts c JOIN organisations s ON s.id = c.supplier_id WHERE ",
    visible_to_buyer!(),
    filtered!()
);
const COUNT_SUPPLIER: &str = concat!(
    "SELECT COUNT(*) FROM contracts c JOIN organisations s ON s.id = c.supplier_id WHERE ",
    visible_to_supplier!(),
    filtered!()
);
const ONE_BUYER: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE c.id = $3 AND ",
    visible_to_buyer!()
);
const ONE_SUPPLIER: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE c.id = $2 AND ",
    visible_to_supplier!()
);
const ONE: &str = concat!("SELECT ", contract_columns!(), "WHERE c.id = $1");
const BUYERS_OF_ONE: &str = concat!(buyers_of_ids!(), "($1)");
const OF_TENDER: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE c.tender_id = $1 ORDER BY c.id"
);
const BUYERS_OF_TENDER: &str = concat!(
    buyers_of_ids!(),
    "(SELECT c.id FROM contracts c WHERE c.tender_id = $1)"
);
/// The contracts a council buys ending from `$2` to `$3`, not terminated by `$2`.
macro_rules! ending {
    () => {
        "c.id IN (SELECT eb.contract_id FROM contract_buyers eb WHERE eb.organisation_id = $1) \
         AND c.ends_on >= $2 AND c.ends_on <= $3 \
         AND (c.terminated_on IS NULL OR c.terminated_on > $2)"
    };
}
const ENDING: &str = concat!(
    "SELECT ",
    contract_columns!(),
    "WHERE ",
    ending!(),
    " ORDER BY c.ends_on, c.id"
);
const BUYERS_ENDING: &str = concat!(
    buyers_of_ids!(),
    "(SELECT c.id FROM contracts c WHERE ",
    ending!(),
    ")"
);
const BY_REFERENCE: &str = "SELECT c.id FROM contracts c JOIN organisations h ON h.id = c.organisation_id \
    WHERE h.slug = $1 AND c.reference = $2";
const REVISIONS: &str = "SELECT id, contract_id, snapshot, reason, replaced_by, replaced_at \
    FROM contract_revisions WHERE contract_id = $1 ORDER BY id";
const DOCUMENTS: &str = "SELECT id, contract_id, title, kind, url, body, sha256, added_by, \
    added_at FROM contract_documents WHERE contract_id = $1 ORDER BY id";

impl Store {
    /// A page of the contracts `scope` may read, matching `filter`, soonest ending first.
    pub async fn contracts_page(
        &self,
        scope: Scope,
        filter: &ContractFilter,
    ) -> Result<ContractPage, StoreError> {
        let (rows_sql, buyers_sql, count_sql) = match scope {
            Scope::Buyer(_) => (PAGE_BUYER, PAGE_BUYERS_BUYER, COUNT_BUYER),
            Scope::Supplier(_) => (PAGE_SUPPLIER, PAGE_BUYERS_SUPPLIER, COUNT_SUPPLIER),
        };
        let org = organisation_of(scope);
        let status = filter.status.map(|s| s.as_str()).unwrap_or("");
        let supplier = filter.supplier.as_deref().unwrap_or("");
        let text = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| format!("%{}%", t.to_lowercase()))
            .unwrap_or_default();
        let (rows, buyers, total): (Vec<ContractRow>, Vec<BuyerRow>, i64) = on_each_backend!(self, pool => {
            let rows = sqlx::query_as(rows_sql).bind(org).bind(filter.today).bind(status)
                .bind(supplier).bind(&text).bind(filter.limit).bind(filter.offset)
                .fetch_all(pool).await?;
            let buyers = sqlx::query_as(buyers_sql).bind(org).bind(filter.today)
                .bind(status).bind(supplier).bind(&text).bind(filter.limit)
                .bind(filter.offset).fetch_all(pool).await?;
            let total = sqlx::query_scalar(count_sql).bind(org).bind(filter.today)
                .bind(status).bind(supplier).bind(&text).fetch_one(pool).await?;
            Ok::<_, sqlx::Error>((rows, buyers, total))
        })?;
        Ok(ContractPage {
            total,
            contracts: assemble(rows, buyers)?,
        })
    }

    /// The contract with this id if `scope` may read it on the server's date.
    pub async fn visible_contract(
        &self,
        scope: Scope,
        id: i64,
    ) -> Result<Option<Contract>, StoreError> {
        let org = organisation_of(scope);
        let today = self.today();
        let row: Option<ContractRow> = match scope {
            Scope::Buyer(_) => on_each_backend!(self, pool => sqlx::query_as(ONE_BUYER)
                .bind(org).bind(today).bind(id).fetch_optional(pool).await)?,
            Scope::Supplier(_) => on_each_backend!(self, pool => sqlx::query_as(ONE_SUPPLIER)
                .bind(org).bind(id).fetch_optional(pool).await)?,
        };
        self.with_buyers(row).await
    }

    /// The contract with this id, whoever asks: for the use cases, after their own check.
    pub async fn contract(&self, id: i64) -> Result<Option<Contract>, StoreError> {
        let row: Option<ContractRow> = on_each_backend!(self, pool =>
            sqlx::query_as(ONE).bind(id).fetch_optional(pool).await)?;
        self.with_buyers(row).await
    }

    async fn with_buyers(&self, row: Option<ContractRow>) -> Result<Option<Contract>, StoreError> {
        let Some(row) = row else { return Ok(None) };
        let buyers: Vec<BuyerRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BUYERS_OF_ONE).bind(row.id).fetch_all(pool).await)?;
        Ok(assemble(vec![row], buyers)?.pop())
    }

    /// The contracts of a tender, with their buyers.
    pub async fn contracts_of_tender(&self, tender_id: i64) -> Result<Vec<Contract>, StoreError> {
        let (rows, buyers): (Vec<ContractRow>, Vec<BuyerRow>) = on_each_backend!(self, pool => {
            let rows = sqlx::query_as(OF_TENDER).bind(tender_id).fetch_all(pool).await?;
            let buyers = sqlx::query_as(BUYERS_OF_TENDER).bind(tender_id).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((rows, buyers))
        })?;
        assemble(rows, buyers)
    }

    /// The contracts `organisation` buys that end from `from` to `to` (both inclusive) and
    /// are not terminated by `from`, soonest first.
    pub async fn contracts_ending(
        &self,
        organisation: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Contract>, StoreError> {
        let (rows, buyers): (Vec<ContractRow>, Vec<BuyerRow>) = on_each_backend!(self, pool => {
            let rows = sqlx::query_as(ENDING).bind(organisation).bind(from).bind(to)
                .fetch_all(pool).await?;
            let buyers = sqlx::query_as(BUYERS_ENDING).bind(organisation).bind(from).bind(to)
                .fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((rows, buyers))
        })?;
        assemble(rows, buyers)
    }

    /// The id of the contract with this reference in a council's register.
    pub async fn contract_id_by_reference(
        &self,
        organisation: &str,
        reference: &str,
    ) -> Result<Option<i64>, StoreError> {
        on_each_backend!(self, pool => sqlx::query_scalar(BY_REFERENCE).bind(organisation)
            .bind(reference).fetch_optional(pool).await)
        .map_err(StoreError::from)
    }

    /// The versions of a contract that changes replaced, oldest first.
    pub async fn contract_revisions(&self, id: i64) -> Result<Vec<ContractRevision>, StoreError> {
        on_each_backend!(self, pool =>
            sqlx::query_as(REVISIONS).bind(id).fetch_all(pool).await)
        .map_err(StoreError::from)
    }

    /// A contract's documents, in the order added.
    pub async fn contract_documents(&self, id: i64) -> Result<Vec<ContractDocument>, StoreError> {
        on_each_backend!(self, pool =>
            sqlx::query_as(DOCUMENTS).bind(id).fetch_all(pool).await)
        .map_err(StoreError::from)
    }
}
