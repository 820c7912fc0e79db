//! The Local Government Transparency Code datasets of an organisation, made from its own
//! records and public (no sign-in): expenditure over £500, procurement-card transactions,
//! contracts and invitations to tender over £5,000, and grants to VCSE organisations (also as
//! 360Giving JSON). One function writes each dataset in CSV or JSON, streaming the rows, for
//! the `/open-data/{org}` downloads and `ngc export transparency` alike; `import_grants` keeps
//! the grants register.

use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::contracts::Route;
use ngc_domain::money::Money;
use ngc_domain::transparency::{
    Dataset, Grant, Period, Publisher, Redactions, TenderRecord, columns, contract_fields,
    grant_fields, metadata, spend_fields, tender_fields, three_sixty_giving,
};
use ngc_store::Store;
use ngc_store::organisations::Organisation;
use ngc_store::transparency::GrantsStored;
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;

/// How a dataset is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One header row of the Code's column names, then one row per record.
    Csv,
    /// Grants: 360Giving JSON. The others: `{"dataset", "publisher", "from", "to", "rows":
    /// [{column: value}], "redacted"}`.
    Json,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// What writing a dataset did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    pub dataset: Dataset,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: u64,
    /// The beneficiaries redacted (spend and card).
    pub redactions: Redactions,
}

/// The organisation `slug` as the publisher of its datasets.
pub async fn publisher_of(store: &Store, slug: &str) -> UseCaseResult<(Organisation, Publisher)> {
    let org = crate::organisations::find(store, slug.trim()).await?;
    let publisher = Publisher {
        name: org.name.clone(),
        uri: org.contact.website.clone(),
        org_id: org.identifiers.first().cloned().unwrap_or_default(),
    };
    Ok((org, publisher))
}

/// The file name of a dataset: `northamptonshire-spend-2015-16.csv`.
pub fn file_name(slug: &str, dataset: Dataset, period: Period, format: Format) -> String {
    format!(
        "{slug}-{}-{}.{}",
        dataset.as_str(),
        period.file_part(),
        format.extension()
    )
}

fn io(e: std::io::Error) -> UseCaseError {
    UseCaseError::Conflict(format!("writing the dataset: {e}"))
}

fn csv_error(e: csv::Error) -> UseCaseError {
    UseCaseError::Conflict(format!("writing the dataset: {e}"))
}

/// The rows' writer: CSV records or JSON objects keyed by the columns' titles.
enum Rows<'w> {
    Csv(Box<csv::Writer<&'w mut (dyn Write + Send)>>),
    Json {
        out: &'w mut (dyn Write + Send),
        titles: Vec<&'static str>,
        first: bool,
    },
}

impl<'w> Rows<'w> {
    fn start(
        out: &'w mut (dyn Write + Send),
        format: Format,
        dataset: Dataset,
        publisher: &Publisher,
        period: Period,
    ) -> UseCaseResult<Self> {
        let titles: Vec<&'static str> = columns(dataset).map(|c| c.title.as_str()).collect();
        match format {
            Format::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .buffer_capacity(64 * 1024)
                    .from_writer(out);
                w.write_record(&titles).map_err(csv_error)?;
                Ok(Rows::Csv(Box::new(w)))
            }
            Format::Json => {
                let head = serde_json::json!({
                    "dataset": dataset,
                    "publisher": publisher.name,
                    "from": period.from,
                    "to": period.to,
                });
                let head = serde_json::to_string(&head).map_err(|e| io(e.into()))?;
                // The head's closing brace gives way to the rows.
                write!(out, "{},\"rows\":[", &head[..head.len() - 1]).map_err(io)?;
                Ok(Rows::Json {
                    out,
                    titles,
                    first: true,
                })
            }
        }
    }

    fn row(&mut self, fields: &[Cow<'_, str>]) -> UseCaseResult<()> {
        match self {
            Rows::Csv(w) => w
                .write_record(fields.iter().map(|f| f.as_bytes()))
                .map_err(csv_error),
            Rows::Json { out, titles, first } => {
                let mut o = serde_json::Map::with_capacity(titles.len());
                for (t, f) in titles.iter().zip(fields) {
                    o.insert((*t).to_owned(), serde_json::Value::String(f.to_string()));
                }
                if !*first {
                    out.write_all(b",").map_err(io)?;
                }
                *first = false;
                serde_json::to_writer(&mut **out, &o).map_err(|e| io(e.into()))
            }
        }
    }

    fn finish(self, redactions: &Redactions) -> UseCaseResult<()> {
        match self {
            Rows::Csv(mut w) => w.flush().map_err(io),
            Rows::Json { out, .. } => {
                let r = serde_json::to_string(redactions).map_err(|e| io(e.into()))?;
                writeln!(out, "],\"redacted\":{r}}}").map_err(io)?;
                out.flush().map_err(io)
            }
        }
    }
}

/// Writes the dataset of the organisation `slug` over `period` to `out` in `format`. Public:
/// everything in it is what the Code requires the organisation to publish, with the personal
/// data of individuals redacted.
pub async fn write(
    store: &Store,
    slug: &str,
    dataset: Dataset,
    period: Period,
    format: Format,
    out: &mut (dyn Write + Send),
) -> UseCaseResult<Written> {
    if period.to < period.from {
        return Err(UseCaseError::invalid(
            "to",
            format!("{} is before {}", period.to, period.from),
        ));
    }
    let (org, publisher) = publisher_of(store, slug).await?;
    let mut redactions = Redactions::default();
    let rows = match dataset {
        Dataset::Grants => {
            let grants = store.grants(org.id, period).await?;
            write_grants(&publisher, &grants, format, period, out)?;
            grants.len() as u64
        }
        Dataset::Spend | Dataset::Card => {
            let card = dataset == Dataset::Card;
            let mut rows = Rows::start(out, format, dataset, &publisher, period)?;
            let n = store
                .transparency_payments(org.id, period, card, |r: ngc_domain::spend::SpendLine| {
                    rows.row(&spend_fields(&publisher, &r, card, &mut redactions))
                })
                .await?;
            rows.finish(&redactions)?;
            n
        }
        Dataset::Contracts => {
            let label = |r: &str| {
                r.parse::<Route>()
                    .map_or_else(|_| r.to_owned(), |r| r.label().to_owned())
            };
            let contracts = store.transparency_contracts(org.id, period, label).await?;
            let mut rows = Rows::start(out, format, dataset, &publisher, period)?;
            for c in &contracts {
                rows.row(&contract_fields(&publisher, c))?;
            }
            rows.finish(&redactions)?;
            contracts.len() as u64
        }
        Dataset::Tenders => {
            let tenders: Vec<TenderRecord> = store
                .transparency_tenders(org.id, period)
                .await?
                .into_iter()
                .map(|t| TenderRecord {
                    reference: t.reference,
                    title: t.title,
                    description: t.description,
                    classification: format!(
                        "{} {}",
                        t.classification_scheme.to_uppercase(),
                        t.classification_code
                    ),
                    contract_type: t.contract_type,
                    procedure: t.procedure,
                    estimated_value: Money::pence(t.estimated_value),
                    published_on: t.published_at.date_naive(),
                    submission_deadline: t.submission_deadline.date_naive(),
                })
                .collect();
            let mut rows = Rows::start(out, format, dataset, &publisher, period)?;
            for t in &tenders {
                rows.row(&tender_fields(&publisher, t))?;
            }
            rows.finish(&redactions)?;
            tenders.len() as u64
        }
    };
    Ok(Written {
        dataset,
        from: period.from,
        to: period.to,
        rows,
        redactions,
    })
}

fn write_grants(
    publisher: &Publisher,
    grants: &[Grant],
    format: Format,
    period: Period,
    out: &mut (dyn Write + Send),
) -> UseCaseResult<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &three_sixty_giving(publisher, grants))
                .map_err(|e| io(e.into()))?;
            out.write_all(b"\n").map_err(io)
        }
        Format::Csv => {
            let mut rows = Rows::start(out, format, Dataset::Grants, publisher, period)?;
            for g in grants {
                rows.row(&grant_fields(publisher, g))?;
            }
            rows.finish(&Redactions::default())
        }
    }
}

/// The CSVW metadata of a dataset of `slug` whose CSV is at `url`.
pub async fn csvw(
    store: &Store,
    slug: &str,
    dataset: Dataset,
    url: &str,
) -> UseCaseResult<serde_json::Value> {
    let (_, publisher) = publisher_of(store, slug).await?;
    Ok(metadata(dataset, &publisher.name, url))
}

/// The financial years an organisation has published records in, latest first: those its
/// current spend imports and its grants touch, and the year of `today`.
pub async fn years(store: &Store, slug: &str, today: NaiveDate) -> UseCaseResult<Vec<Period>> {
    let org = crate::organisations::find(store, slug.trim()).await?;
    let mut years = vec![Period::financial_year_of(today)];
    for i in store.spend_imports(org.id).await? {
        if i.replaced_by_id.is_some() {
            continue;
        }
        if let (Some(first), Some(last)) = (i.first_paid_on, i.last_paid_on) {
            let mut y = Period::financial_year_of(first);
            loop {
                years.push(y);
                match y.to.succ_opt() {
                    Some(next) if y.to < last => y = Period::financial_year_of(next),
                    _ => break,
                }
            }
        }
    }
    let all = Period {
        from: NaiveDate::from_ymd_opt(1, 1, 1).expect("a date"),
        to: NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date"),
    };
    for g in store.grants(org.id, all).await? {
        years.push(Period::financial_year_of(g.award_date));
    }
    years.sort_by_key(|p| std::cmp::Reverse(p.from));
    years.dedup();
    Ok(years)
}

/// Records a file of grants in the register of the organisation `slug` (its finance officers,
/// who import its spend): new grants are added, changed ones get a new version with the
/// earlier kept, and the same file again changes nothing. Identifiers must be distinct.
pub async fn import_grants(
    store: &Store,
    caller: &Caller,
    slug: &str,
    file: &str,
    grants: &[Grant],
) -> UseCaseResult<GrantsStored> {
    let org = crate::organisations::find(store, slug.trim()).await?;
    caller.require(Action::ImportSpend(org.id))?;
    let mut seen = std::collections::HashSet::new();
    if let Some(g) = grants.iter().find(|g| !seen.insert(g.identifier.as_str())) {
        return Err(UseCaseError::invalid(
            "Identifier",
            format!("{file}: grant `{}` appears twice", g.identifier),
        ));
    }
    Ok(store
        .record_grants(org.id, file, grants, &caller.actor())
        .await?)
}

/// Every version of a grant in the register of the organisation `slug`, the first recorded
/// first (the last is current), for those who import its grants. A grant it never recorded
/// is not found.
pub async fn grant_versions(
    store: &Store,
    caller: &Caller,
    slug: &str,
    identifier: &str,
) -> UseCaseResult<Vec<Grant>> {
    let org = crate::organisations::find(store, slug.trim()).await?;
    caller.require(Action::ImportSpend(org.id))?;
    let versions = store.grant_versions(org.id, identifier.trim()).await?;
    if versions.is_empty() {
        return Err(
            ngc_store::StoreError::NotFound(format!("grant `{}`", identifier.trim())).into(),
        );
    }
    Ok(versions)
}

/// Makes an earlier version of a grant current again (1 is the first recorded), kept as a
/// new version so that every version stays readable; audited as `grant.restore`.
pub async fn restore_grant(
    store: &Store,
    caller: &Caller,
    slug: &str,
    identifier: &str,
    version: usize,
) -> UseCaseResult<Grant> {
    let org = crate::organisations::find(store, slug.trim()).await?;
    caller.require(Action::ImportSpend(org.id))?;
    Ok(store
        .restore_grant(org.id, identifier.trim(), version, &caller.actor())
        .await?)
}
