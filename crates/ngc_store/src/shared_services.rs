//! Shared services of a partnership (migration 0024): services and their hosts, each
//! service's years (pool, basis, weights, fees, income key), the agreement's terms and index,
//! the partners' baselines, published savings figures and exits. An import replaces what it
//! names and keeps the replaced rows, marked superseded; reads give the current ones.

use crate::tx::WriteTx;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::NaiveDate;
use ngc_domain::finance::FinancialYear;
use ngc_domain::money::Money;
use ngc_domain::shared_services::{
    Agreement, BaselineDraft, Fee, Figures, IndexRate, Provenance, Published, PublishedSaving,
    ServiceDraft, ServiceYear, YearDraft,
};
use ngc_domain::slug::Slug;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;
use std::collections::BTreeMap;

/// An exit as recorded: leaving the partnership (`service` none) or repatriating a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exit {
    pub id: i64,
    pub organisation: Slug,
    pub service: Option<String>,
    pub notice_given_on: NaiveDate,
    pub left_on: NaiveDate,
    pub exit_cost: Money,
    pub reason: String,
}

/// An exit to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExit {
    pub organisation_id: i64,
    pub service_id: Option<i64>,
    pub notice_given_on: NaiveDate,
    pub left_on: NaiveDate,
    pub exit_cost: Money,
    pub reason: String,
}

/// Everything stored about a partnership's shared services, current rows only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedServices {
    /// The services, their years, the index and the baselines.
    pub figures: Figures,
    /// Each service's id, by code.
    pub service_ids: BTreeMap<String, i64>,
    pub notice_months: Option<u32>,
    pub published: Vec<PublishedSaving>,
    pub exits: Vec<Exit>,
}

/// One version of a service's year: the current one has no `superseded_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct YearVersion {
    pub id: i64,
    /// The service's code.
    pub service: String,
    /// Pence.
    pub pool: i64,
    pub basis: String,
    pub source: String,
    pub confirmed: bool,
    pub entered_at: chrono::DateTime<chrono::Utc>,
    pub superseded_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub services: usize,
    pub years: usize,
    pub index_rates: usize,
    pub baselines: usize,
    pub published: usize,
    /// Earlier rows the import replaced, kept as superseded versions.
    pub superseded: usize,
}

#[derive(FromRow)]
struct ServiceRow {
    id: i64,
    code: String,
    name: String,
    host: String,
}

#[derive(FromRow)]
struct YearRow {
    id: i64,
    code: String,
    name: String,
    host: String,
    year: String,
    pool: i64,
    basis: String,
    income_keyed: bool,
    source: String,
    confirmed: bool,
}

#[derive(FromRow)]
struct WeightRow {
    service_year_id: i64,
    kind: String,
    organisation: String,
    value: String,
}

#[derive(FromRow)]
struct FeeRow {
    service_year_id: i64,
    client: String,
    amount: i64,
}

#[derive(FromRow)]
struct RateRow {
    year: String,
    rate: String,
    source: String,
    confirmed: bool,
}

#[derive(FromRow)]
struct BaselineRow {
    organisation: String,
    year: String,
    amount: i64,
    source: String,
    confirmed: bool,
}

#[derive(FromRow)]
struct PublishedRow {
    organisation: Option<String>,
    year: String,
    kind: String,
    amount: i64,
    source: String,
    confirmed: bool,
}

#[derive(FromRow)]
struct ExitRow {
    id: i64,
    organisation: String,
    service: Option<String>,
    notice_given_on: NaiveDate,
    left_on: NaiveDate,
    exit_cost: i64,
    reason: String,
}

const SERVICES: &str = "SELECT s.id, s.code, s.name, o.slug AS host FROM shared_services s \
    JOIN organisations o ON o.id = s.host_id WHERE s.partnership_id = $1 ORDER BY s.code";
const YEARS: &str = "SELECT y.id, s.code, s.name, o.slug AS host, y.year, y.pool, y.basis, \
    y.income_keyed, y.source, y.confirmed FROM shared_service_years y \
    JOIN shared_services s ON s.id = y.service_id JOIN organisations o ON o.id = s.host_id \
    WHERE s.partnership_id = $1 AND y.superseded_at IS NULL ORDER BY y.year, s.code";
const WEIGHTS: &str = "SELECT w.service_year_id, w.kind, o.slug AS organisation, w.value \
    FROM shared_service_weights w JOIN shared_service_years y ON y.id = w.service_year_id \
    JOIN shared_services s ON s.id = y.service_id JOIN organisations o ON o.id = w.organisation_id \
    WHERE s.partnership_id = $1 AND y.superseded_at IS NULL ORDER BY o.slug";
const FEES: &str = "SELECT f.service_year_id, f.client, f.amount FROM shared_service_fees f \
    JOIN shared_service_years y ON y.id = f.service_year_id \
    JOIN shared_services s ON s.id = y.service_id \
    WHERE s.partnership_id = $1 AND y.superseded_at IS NULL ORDER BY f.client";
const TERMS: &str = "SELECT notice_months, index_name FROM shared_service_terms \
    WHERE partnership_id = $1 AND superseded_at IS NULL";
const RATES: &str = "SELECT year, rate, source, confirmed FROM shared_service_index_rates \
    WHERE partnership_id = $1 AND superseded_at IS NULL ORDER BY year";
const BASELINES: &str = "SELECT o.slug AS organisation, b.year, b.amount, b.source, b.confirmed \
    FROM shared_service_baselines b JOIN organisations o ON o.id = b.organisation_id \
    WHERE b.partnership_id = $1 AND b.superseded_at IS NULL ORDER BY o.slug";
const PUBLISHED: &str = "SELECT o.slug AS organisation, p.year, p.kind, p.amount, p.source, \
    p.confirmed FROM shared_service_published p LEFT JOIN organisations o ON o.id = p.organisation_id \
    WHERE p.partnership_id = $1 AND p.superseded_at IS NULL ORDER BY p.year, p.kind, o.slug";
const EXITS: &str = "SELECT e.id, o.slug AS organisation, s.code AS service, e.notice_given_on, \
    e.left_on, e.exit_cost, e.reason FROM shared_service_exits e \
    JOIN organisations o ON o.id = e.organisation_id \
    LEFT JOIN shared_services s ON s.id = e.service_id \
    WHERE e.partnership_id = $1 ORDER BY e.left_on, e.id";

const VERSIONS: &str = "SELECT y.id, s.code AS service, y.pool, y.basis, y.source, y.confirmed, \
    y.entered_at, y.superseded_at FROM shared_service_years y \
    JOIN shared_services s ON s.id = y.service_id \
    WHERE s.partnership_id = $1 AND y.year = $2 ORDER BY s.code, y.id";
const VERSION: &str = "SELECT y.id, s.code, s.name, o.slug AS host, y.year, y.pool, y.basis, \
    y.income_keyed, y.source, y.confirmed FROM shared_service_years y \
    JOIN shared_services s ON s.id = y.service_id JOIN organisations o ON o.id = s.host_id \
    WHERE s.partnership_id = $1 AND y.id = $2";
const VERSION_WEIGHTS: &str = "SELECT w.service_year_id, w.kind, o.slug AS organisation, \
    w.value FROM shared_service_weights w JOIN organisations o ON o.id = w.organisation_id \
    WHERE w.service_year_id = $1 ORDER BY o.slug";
const VERSION_FEES: &str = "SELECT service_year_id, client, amount FROM shared_service_fees \
    WHERE service_year_id = $1 ORDER BY client";
const SERVICE_ID: &str = "SELECT id, name, host_id FROM shared_services \
    WHERE partnership_id = $1 AND code = $2";
const INSERT_SERVICE: &str = "INSERT INTO shared_services (partnership_id, code, name, host_id) \
    VALUES ($1, $2, $3, $4) RETURNING id";
const UPDATE_SERVICE: &str = "UPDATE shared_services SET name = $2, host_id = $3 WHERE id = $1";
const SUPERSEDE_YEAR: &str = "UPDATE shared_service_years SET superseded_at = $3 \
    WHERE service_id = $1 AND year = $2 AND superseded_at IS NULL";
const INSERT_YEAR: &str = "INSERT INTO shared_service_years (service_id, year, pool, basis, \
    income_keyed, source, confirmed, entered_by, entered_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
const INSERT_WEIGHT: &str = "INSERT INTO shared_service_weights (service_year_id, kind, \
    organisation_id, value) VALUES ($1, $2, $3, $4)";
const INSERT_FEE: &str =
    "INSERT INTO shared_service_fees (service_year_id, client, amount) VALUES ($1, $2, $3)";
const SUPERSEDE_TERMS: &str = "UPDATE shared_service_terms SET superseded_at = $2 \
    WHERE partnership_id = $1 AND superseded_at IS NULL";
const INSERT_TERMS: &str = "INSERT INTO shared_service_terms (partnership_id, notice_months, \
    index_name, entered_at) VALUES ($1, $2, $3, $4)";
const SUPERSEDE_RATE: &str = "UPDATE shared_service_index_rates SET superseded_at = $3 \
    WHERE partnership_id = $1 AND year = $2 AND superseded_at IS NULL";
const INSERT_RATE: &str = "INSERT INTO shared_service_index_rates (partnership_id, year, rate, \
    source, confirmed, entered_at) VALUES ($1, $2, $3, $4, $5, $6)";
const SUPERSEDE_BASELINE: &str = "UPDATE shared_service_baselines SET superseded_at = $3 \
    WHERE partnership_id = $1 AND organisation_id = $2 AND superseded_at IS NULL";
const INSERT_BASELINE: &str = "INSERT INTO shared_service_baselines (partnership_id, \
    organisation_id, year, amount, source, confirmed, entered_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SUPERSEDE_PUBLISHED: &str = "UPDATE shared_service_published SET superseded_at = $5 \
    WHERE partnership_id = $1 AND year = $3 AND kind = $4 AND superseded_at IS NULL \
    AND (organisation_id = $2 OR (organisation_id IS NULL AND $2 IS NULL))";
const INSERT_PUBLISHED: &str = "INSERT INTO shared_service_published (partnership_id, \
    organisation_id, year, kind, amount, source, confirmed, entered_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const INSERT_EXIT: &str = "INSERT INTO shared_service_exits (partnership_id, organisation_id, \
    service_id, notice_given_on, left_on, exit_cost, reason, entered_by, entered_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

use crate::organisations::decode;

/// A service year's row, without its weights and fees yet.
fn service_year(y: YearRow) -> Result<(ServiceYear, Provenance), StoreError> {
    let service_year = ServiceYear {
        service: y.code,
        name: y.name,
        host: decode::<Slug>(&y.host, "shared_services.host")?,
        year: decode::<FinancialYear>(&y.year, "shared_service_years.year")?,
        pool: Money::pence(y.pool),
        basis: decode(&y.basis, "shared_service_years.basis")?,
        weights: Vec::new(),
        fees: Vec::new(),
        income_key: y.income_keyed.then(Vec::new),
    };
    let provenance = Provenance {
        source: y.source,
        confirmed: y.confirmed,
    };
    Ok((service_year, provenance))
}

/// Adds a service year's weight rows: its basis weights and its income key.
fn add_weights(y: &mut ServiceYear, rows: Vec<WeightRow>) -> Result<(), StoreError> {
    for w in rows {
        let entry = (
            decode::<Slug>(&w.organisation, "shared_service_weights.organisation")?,
            decode::<Decimal>(&w.value, "shared_service_weights.value")?,
        );
        match (w.kind.as_str(), y.income_key.as_mut()) {
            ("income_key", Some(key)) => key.push(entry),
            ("basis", _) => y.weights.push(entry),
            (kind, _) => {
                return Err(StoreError::Database(sqlx::Error::Decode(
                    format!("column shared_service_weights.kind: `{kind}`").into(),
                )));
            }
        }
    }
    Ok(())
}

/// Adds a service year's fee rows.
fn add_fees(y: &mut ServiceYear, rows: Vec<FeeRow>) {
    y.fees.extend(rows.into_iter().map(|f| Fee {
        client: f.client,
        amount: Money::pence(f.amount),
    }));
}

impl Store {
    /// A partnership's shared services: the current services, years, terms, index, baselines,
    /// published figures and every exit.
    pub async fn shared_services(&self, partnership_id: i64) -> Result<SharedServices, StoreError> {
        let services: Vec<ServiceRow> = on_each_backend!(self, pool =>
            sqlx::query_as(SERVICES).bind(partnership_id).fetch_all(pool).await)?;
        let years: Vec<YearRow> = on_each_backend!(self, pool =>
            sqlx::query_as(YEARS).bind(partnership_id).fetch_all(pool).await)?;
        let weights: Vec<WeightRow> = on_each_backend!(self, pool =>
            sqlx::query_as(WEIGHTS).bind(partnership_id).fetch_all(pool).await)?;
        let fees: Vec<FeeRow> = on_each_backend!(self, pool =>
            sqlx::query_as(FEES).bind(partnership_id).fetch_all(pool).await)?;
        let terms: Option<(Option<i64>, Option<String>)> = on_each_backend!(self, pool =>
            sqlx::query_as(TERMS).bind(partnership_id).fetch_optional(pool).await)?;
        let rates: Vec<RateRow> = on_each_backend!(self, pool =>
            sqlx::query_as(RATES).bind(partnership_id).fetch_all(pool).await)?;
        let baselines: Vec<BaselineRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BASELINES).bind(partnership_id).fetch_all(pool).await)?;
        let published: Vec<PublishedRow> = on_each_backend!(self, pool =>
            sqlx::query_as(PUBLISHED).bind(partnership_id).fetch_all(pool).await)?;
        let exits: Vec<ExitRow> = on_each_backend!(self, pool =>
            sqlx::query_as(EXITS).bind(partnership_id).fetch_all(pool).await)?;

        let mut by_year: BTreeMap<i64, (ServiceYear, Provenance)> = BTreeMap::new();
        for y in years {
            by_year.insert(y.id, service_year(y)?);
        }
        let mut weights_of: BTreeMap<i64, Vec<WeightRow>> = BTreeMap::new();
        for w in weights {
            weights_of.entry(w.service_year_id).or_default().push(w);
        }
        let mut fees_of: BTreeMap<i64, Vec<FeeRow>> = BTreeMap::new();
        for f in fees {
            fees_of.entry(f.service_year_id).or_default().push(f);
        }
        for (id, (y, _)) in &mut by_year {
            add_weights(y, weights_of.remove(id).unwrap_or_default())?;
            add_fees(y, fees_of.remove(id).unwrap_or_default());
        }
        let mut years: Vec<(ServiceYear, Provenance)> = by_year.into_values().collect();
        years.sort_by(|a, b| (a.0.year, &a.0.service).cmp(&(b.0.year, &b.0.service)));
        let (notice_months, index_name) = terms.unwrap_or_default();
        let service_ids = services.iter().map(|s| (s.code.clone(), s.id)).collect();
        let figures = Figures {
            services: services
                .into_iter()
                .map(|s| {
                    Ok(ServiceDraft {
                        code: s.code,
                        name: s.name,
                        host: decode::<Slug>(&s.host, "shared_services.host")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            years,
            index_name,
            index_rates: rates
                .into_iter()
                .map(|r| {
                    Ok(IndexRate {
                        year: decode::<FinancialYear>(&r.year, "shared_service_index_rates.year")?,
                        rate: decode::<Decimal>(&r.rate, "shared_service_index_rates.rate")?,
                        provenance: Provenance {
                            source: r.source,
                            confirmed: r.confirmed,
                        },
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            baselines: baselines
                .into_iter()
                .map(|b| {
                    Ok(BaselineDraft {
                        organisation: decode::<Slug>(
                            &b.organisation,
                            "shared_service_baselines.organisation",
                        )?,
                        year: decode::<FinancialYear>(&b.year, "shared_service_baselines.year")?,
                        amount: Money::pence(b.amount),
                        provenance: Provenance {
                            source: b.source,
                            confirmed: b.confirmed,
                        },
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        };
        Ok(SharedServices {
            figures,
            service_ids,
            notice_months: notice_months.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            published: published
                .into_iter()
                .map(|p| {
                    Ok(PublishedSaving {
                        organisation: p
                            .organisation
                            .as_deref()
                            .map(|o| decode::<Slug>(o, "shared_service_published.organisation"))
                            .transpose()?,
                        year: decode::<FinancialYear>(&p.year, "shared_service_published.year")?,
                        kind: decode::<Published>(&p.kind, "shared_service_published.kind")?,
                        amount: Money::pence(p.amount),
                        provenance: Provenance {
                            source: p.source,
                            confirmed: p.confirmed,
                        },
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            exits: exits
                .into_iter()
                .map(|e| {
                    Ok(Exit {
                        id: e.id,
                        organisation: decode::<Slug>(
                            &e.organisation,
                            "shared_service_exits.organisation",
                        )?,
                        service: e.service,
                        notice_given_on: e.notice_given_on,
                        left_on: e.left_on,
                        exit_cost: Money::pence(e.exit_cost),
                        reason: e.reason,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }

    /// Every version of every service's figures for a year, by service and oldest first:
    /// what each import replaced is kept.
    pub async fn shared_service_year_versions(
        &self,
        partnership_id: i64,
        year: FinancialYear,
    ) -> Result<Vec<YearVersion>, StoreError> {
        Ok(on_each_backend!(self, pool => sqlx::query_as(VERSIONS)
            .bind(partnership_id).bind(year.to_string()).fetch_all(pool).await)?)
    }

    /// One version of a service's year of the partnership, current or superseded, as a file
    /// would give it.
    pub async fn shared_service_year_version(
        &self,
        partnership_id: i64,
        version_id: i64,
    ) -> Result<Option<YearDraft>, StoreError> {
        let row: Option<YearRow> = on_each_backend!(self, pool => sqlx::query_as(VERSION)
            .bind(partnership_id).bind(version_id).fetch_optional(pool).await)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let weights: Vec<WeightRow> = on_each_backend!(self, pool =>
            sqlx::query_as(VERSION_WEIGHTS).bind(version_id).fetch_all(pool).await)?;
        let fees: Vec<FeeRow> = on_each_backend!(self, pool =>
            sqlx::query_as(VERSION_FEES).bind(version_id).fetch_all(pool).await)?;
        let (mut year, provenance) = service_year(row)?;
        add_weights(&mut year, weights)?;
        add_fees(&mut year, fees);
        Ok(Some(YearDraft {
            service: year.service,
            year: year.year,
            pool: year.pool,
            basis: year.basis,
            weights: year.weights,
            fees: year.fees,
            income_key: year.income_key,
            provenance,
        }))
    }

    /// Stores what a file gives for a partnership in one transaction, with one audit record:
    /// each part replaces the current one it names, which is kept as superseded. `ids` maps
    /// each organisation the agreement names to its id (the caller has checked they are
    /// partners).
    pub async fn import_shared_services(
        &self,
        partnership_id: i64,
        agreement: &Agreement,
        ids: &BTreeMap<Slug, i64>,
        actor: &Actor,
    ) -> Result<ImportSummary, StoreError> {
        self.store_agreement(
            partnership_id,
            agreement,
            ids,
            actor,
            "shared_services.import",
            None,
        )
        .await
    }

    /// Makes an earlier version of a service's year (`version_id`, given as `year`) current
    /// again in one transaction, with one audit record: the current version is kept as
    /// superseded, like any replaced one.
    pub async fn restore_shared_service_year(
        &self,
        partnership_id: i64,
        version_id: i64,
        year: &YearDraft,
        ids: &BTreeMap<Slug, i64>,
        actor: &Actor,
    ) -> Result<ImportSummary, StoreError> {
        let agreement = Agreement {
            years: vec![year.clone()],
            ..Agreement::default()
        };
        self.store_agreement(
            partnership_id,
            &agreement,
            ids,
            actor,
            "shared_services.restore",
            Some(version_id),
        )
        .await
    }

    async fn store_agreement(
        &self,
        partnership_id: i64,
        agreement: &Agreement,
        ids: &BTreeMap<Slug, i64>,
        actor: &Actor,
        action: &str,
        restored: Option<i64>,
    ) -> Result<ImportSummary, StoreError> {
        let id_of = |slug: &Slug, field: &str| {
            ids.get(slug)
                .copied()
                .ok_or_else(|| StoreError::invalid(field, format!("`{slug}` is not a partner")))
        };
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        let mut summary = ImportSummary::default();
        let mut service_ids: BTreeMap<String, i64> = BTreeMap::new();
        for s in &agreement.services {
            let host = id_of(&s.host, "host")?;
            let existing: Option<(i64, String, i64)> = on_tx!(tx, c => sqlx::query_as(SERVICE_ID)
                .bind(partnership_id).bind(&s.code).fetch_optional(c).await)?;
            let id = match existing {
                Some((id, name, host_id)) => {
                    if name != s.name || host_id != host {
                        on_tx!(tx, c => sqlx::query(UPDATE_SERVICE).bind(id).bind(&s.name).bind(host)
                            .execute(c).await.map(crate::backend::affected))?;
                        summary.services += 1;
                    }
                    id
                }
                None => {
                    summary.services += 1;
                    on_tx!(tx, c => sqlx::query_scalar(INSERT_SERVICE).bind(partnership_id)
                        .bind(&s.code).bind(&s.name).bind(host).fetch_one(c).await)?
                }
            };
            service_ids.insert(s.code.clone(), id);
        }
        for y in &agreement.years {
            let service_id = match service_ids.get(&y.service) {
                Some(id) => *id,
                None => {
                    let existing: Option<(i64, String, i64)> = on_tx!(tx, c => sqlx::query_as(SERVICE_ID)
                        .bind(partnership_id).bind(&y.service).fetch_optional(c).await)?;
                    existing.map(|(id, _, _)| id).ok_or_else(|| {
                        StoreError::invalid(
                            "service",
                            format!(
                                "service `{}` is not defined: give its `name` and `host` lines",
                                y.service
                            ),
                        )
                    })?
                }
            };
            let year = y.year.to_string();
            summary.superseded += on_tx!(tx, c => sqlx::query(SUPERSEDE_YEAR).bind(service_id)
                .bind(&year).bind(now).execute(c).await.map(crate::backend::affected))?
                as usize;
            let year_id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT_YEAR)
                .bind(service_id)
                .bind(&year)
                .bind(y.pool.as_pence())
                .bind(y.basis.as_str())
                .bind(y.income_key.is_some())
                .bind(&y.provenance.source)
                .bind(y.provenance.confirmed)
                .bind(actor.user_id)
                .bind(now)
                .fetch_one(c)
                .await)?;
            let keyed = y.income_key.iter().flatten().map(|w| ("income_key", w));
            for (kind, (org, value)) in y.weights.iter().map(|w| ("basis", w)).chain(keyed) {
                let org = id_of(org, "organisation")?;
                on_tx!(tx, c => sqlx::query(INSERT_WEIGHT).bind(year_id).bind(kind).bind(org)
                    .bind(value.normalize().to_string()).execute(c).await.map(crate::backend::affected))?;
            }
            for f in &y.fees {
                on_tx!(tx, c => sqlx::query(INSERT_FEE).bind(year_id).bind(&f.client)
                    .bind(f.amount.as_pence()).execute(c).await.map(crate::backend::affected))?;
            }
            summary.years += 1;
        }
        if agreement.notice_months.is_some() || agreement.index_name.is_some() {
            let current: Option<(Option<i64>, Option<String>)> = on_tx!(tx, c =>
                sqlx::query_as(TERMS).bind(partnership_id).fetch_optional(c).await)?;
            let (notice, index) = current.clone().unwrap_or_default();
            let notice = agreement.notice_months.map(i64::from).or(notice);
            let index = agreement.index_name.clone().or(index);
            if current != Some((notice, index.clone())) {
                summary.superseded += on_tx!(tx, c => sqlx::query(SUPERSEDE_TERMS).bind(partnership_id)
                    .bind(now).execute(c).await.map(crate::backend::affected))?
                    as usize;
                on_tx!(tx, c => sqlx::query(INSERT_TERMS).bind(partnership_id).bind(notice)
                    .bind(&index).bind(now).execute(c).await.map(crate::backend::affected))?;
            }
        }
        for r in &agreement.index_rates {
            let year = r.year.to_string();
            summary.superseded += on_tx!(tx, c => sqlx::query(SUPERSEDE_RATE).bind(partnership_id)
                .bind(&year).bind(now).execute(c).await.map(crate::backend::affected))?
                as usize;
            on_tx!(tx, c => sqlx::query(INSERT_RATE).bind(partnership_id).bind(&year)
                .bind(r.rate.normalize().to_string()).bind(&r.provenance.source)
                .bind(r.provenance.confirmed).bind(now).execute(c).await.map(crate::backend::affected))?;
            summary.index_rates += 1;
        }
        for b in &agreement.baselines {
            let org = id_of(&b.organisation, "organisation")?;
            summary.superseded += on_tx!(tx, c => sqlx::query(SUPERSEDE_BASELINE).bind(partnership_id)
                .bind(org).bind(now).execute(c).await.map(crate::backend::affected))?
                as usize;
            on_tx!(tx, c => sqlx::query(INSERT_BASELINE).bind(partnership_id).bind(org)
                .bind(b.year.to_string()).bind(b.amount.as_pence()).bind(&b.provenance.source)
                .bind(b.provenance.confirmed).bind(now).execute(c).await.map(crate::backend::affected))?;
            summary.baselines += 1;
        }
        for p in &agreement.published {
            let org = p
                .organisation
                .as_ref()
                .map(|o| id_of(o, "organisation"))
                .transpose()?;
            let year = p.year.to_string();
            summary.superseded += on_tx!(tx, c => sqlx::query(SUPERSEDE_PUBLISHED).bind(partnership_id)
                .bind(org).bind(&year).bind(p.kind.as_str()).bind(now)
                .execute(c).await.map(crate::backend::affected))?
                as usize;
            on_tx!(tx, c => sqlx::query(INSERT_PUBLISHED).bind(partnership_id).bind(org)
                .bind(&year).bind(p.kind.as_str()).bind(p.amount.as_pence())
                .bind(&p.provenance.source).bind(p.provenance.confirmed).bind(now)
                .execute(c).await.map(crate::backend::affected))?;
            summary.published += 1;
        }
        tx.audit(
            actor,
            action,
            "partnership",
            &partnership_id.to_string(),
            json!({"summary": summary, "agreement": agreement, "restored_version": restored}),
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// Records an exit in one transaction with its audit record; leaving the partnership
    /// (no service) also ends the membership on `left_on`.
    pub async fn record_shared_service_exit(
        &self,
        partnership_id: i64,
        exit: &NewExit,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = tx.now();
        if exit.service_id.is_none() {
            tx.end_open_membership(partnership_id, exit.organisation_id, exit.left_on, actor)
                .await?;
        }
        let id = tx.insert_exit(partnership_id, exit, actor, now).await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl WriteTx {
    async fn insert_exit(
        &mut self,
        partnership_id: i64,
        exit: &NewExit,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64, StoreError> {
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(INSERT_EXIT)
            .bind(partnership_id)
            .bind(exit.organisation_id)
            .bind(exit.service_id)
            .bind(exit.notice_given_on)
            .bind(exit.left_on)
            .bind(exit.exit_cost.as_pence())
            .bind(&exit.reason)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(c)
            .await)?;
        self.audit(
            actor,
            "shared_services.exit",
            "shared_service_exit",
            &id.to_string(),
            json!({"partnership_id": partnership_id, "organisation_id": exit.organisation_id,
                   "service_id": exit.service_id, "notice_given_on": exit.notice_given_on,
                   "left_on": exit.left_on, "exit_cost": exit.exit_cost, "reason": exit.reason}),
        )
        .await?;
        Ok(id)
    }
}
