//! Putting contracts into the register: one entered by hand, a council's register file
//! imported (all rows or none, merged by reference), and a contract's documents.

use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::contracts::register::{Entry, annual_value};
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::procurement::{ContractType, Regime};
use ngc_domain::shares::{CostShare, CostShares};
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::contracts::{Contract, ImportOutcome, NewContract, NewDocument, SupplierSnapshot};
use ngc_store::organisations::Organisation;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;

/// A buyer and its share of a joint contract.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuyerShare {
    /// The buyer's slug.
    pub organisation: String,
    /// Its share in per cent (`14.3`).
    pub share: String,
}

/// A contract entered by hand. Money is pounds as a decimal string; dates are YYYY-MM-DD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractInput {
    pub reference: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub category: String,
    /// The supplier's slug.
    pub supplier: String,
    /// The buyers and their shares; the council alone when empty.
    #[serde(default)]
    pub buyers: Vec<BuyerShare>,
    /// A partnership whose members read the contract.
    pub partnership: Option<String>,
    /// `supplies`, `services` (the default), `works` or `light_touch`.
    pub contract_type: Option<String>,
    /// `tender` (the default), `quotes`, `direct_award`, `reserved` or `exempt`.
    pub route: Option<String>,
    /// The ground of a direct award or an exemption.
    #[serde(default)]
    pub route_ground: String,
    /// The whole contract's value.
    pub value: String,
    /// The value a year; spread over the term when not given.
    pub annual_value: Option<String>,
    /// `excluding_vat` (the default), `including_vat` or `no_vat`.
    pub vat_treatment: Option<String>,
    pub irrecoverable_vat: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub review_on: Option<String>,
    #[serde(default)]
    pub extension_options: String,
    /// The last day if every extension option is taken.
    pub latest_end_on: Option<String>,
}

/// A document to add: a link, or a text body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentInput {
    pub title: String,
    /// `contract`, `specification`, `variation`, `performance` or `other`.
    pub kind: String,
    pub url: Option<String>,
    pub body: Option<String>,
}

const DOCUMENT_KINDS: &[&str] = &[
    "contract",
    "specification",
    "variation",
    "performance",
    "other",
];

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn date(field: &str, value: &str) -> UseCaseResult<NaiveDate> {
    value.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            field,
            format!("`{}` is not a date: use YYYY-MM-DD", value.trim()),
        )
    })
}

fn money(field: &str, value: &str) -> UseCaseResult<Money> {
    value
        .trim()
        .parse()
        .map_err(|e: ngc_domain::money::MoneyError| UseCaseError::invalid(field, e.to_string()))
}

fn word<T: std::str::FromStr>(field: &str, value: Option<&str>, default: T) -> UseCaseResult<T>
where
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|e: T::Err| UseCaseError::invalid(field, e.to_string())),
    }
}

/// The type of contract a CPV code shows (`45…` works; `03…`–`44…` supplies; the rest
/// services); services when the category is not a CPV code.
fn contract_type_of(category: &str) -> ContractType {
    let digits: String = category
        .chars()
        .filter(char::is_ascii_digit)
        .take(2)
        .collect();
    match digits.parse::<u8>() {
        Ok(45) => ContractType::Works,
        Ok(3..=44)
            if category
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit()) =>
        {
            ContractType::Supplies
        }
        _ => ContractType::Services,
    }
}

fn snapshot(org: &Organisation) -> SupplierSnapshot {
    SupplierSnapshot {
        sme: org.sme,
        vcse: org.vcse,
        mutual: org.public_service_mutual,
        identifiers: org.identifiers.clone(),
    }
}

async fn organisation(store: &Store, slug: &str, field: &str) -> UseCaseResult<Organisation> {
    store
        .organisation_by_slug(slug.trim())
        .await?
        .ok_or_else(|| UseCaseError::invalid(field, format!("no organisation `{}`", slug.trim())))
}

/// Enters an existing contract into a council's register by hand (its commissioners and
/// administrator). Joint contracts give each buyer's share; they must sum to 100%, and the
/// value is split between them to the penny.
pub async fn enter(
    store: &Store,
    caller: &Caller,
    council: &str,
    input: &ContractInput,
) -> UseCaseResult<Contract> {
    let holder = organisation(store, council, "organisation").await?;
    caller.require(Action::ManageContracts(holder.id))?;
    let supplier = organisation(store, &input.supplier, "supplier").await?;
    let starts_on = date("starts_on", &input.starts_on)?;
    let ends_on = given(&input.ends_on)
        .map(|d| date("ends_on", d))
        .transpose()?;
    let entry = Entry {
        line: 0,
        reference: input.reference.trim().to_owned(),
        title: input.title.trim().to_owned(),
        description: input.description.trim().to_owned(),
        department: input.department.trim().to_owned(),
        category: input.category.trim().to_owned(),
        supplier_name: supplier.name.clone(),
        supplier_id: None,
        sme: None,
        vcse: None,
        starts_on,
        ends_on,
        review_on: given(&input.review_on)
            .map(|d| date("review_on", d))
            .transpose()?,
        value: money("value", &input.value)?,
        irrecoverable_vat: given(&input.irrecoverable_vat)
            .map(|v| money("irrecoverable_vat", v))
            .transpose()?
            .unwrap_or(Money::ZERO),
        vat_treatment: word(
            "vat_treatment",
            given(&input.vat_treatment),
            VatTreatment::ExcludingVat,
        )?,
        route: word("route", given(&input.route), Route::Tender)?,
        route_ground: input.route_ground.trim().to_owned(),
    };
    if let Some(p) = entry.problems().into_iter().next() {
        let field = match p.field {
            "end_date" => "ends_on",
            "review_date" => "review_on",
            other => other,
        };
        return Err(UseCaseError::invalid(field, p.message));
    }
    let latest_end_on = given(&input.latest_end_on)
        .map(|d| date("latest_end_on", d))
        .transpose()?;
    if let (Some(latest), Some(end)) = (latest_end_on, ends_on)
        && latest < end
    {
        return Err(UseCaseError::invalid(
            "latest_end_on",
            format!("{latest} is before the end date {end}"),
        ));
    }
    let shares = if input.buyers.is_empty() {
        vec![CostShare {
            buyer: Slug::parse(&holder.slug).map_err(|e| UseCaseError::Conflict(e.to_string()))?,
            percent: Decimal::ONE_HUNDRED,
        }]
    } else {
        input
            .buyers
            .iter()
            .map(|b| {
                Ok(CostShare {
                    buyer: Slug::parse(b.organisation.trim())
                        .map_err(|e| UseCaseError::invalid("buyers", e.to_string()))?,
                    percent: b.share.trim().parse().map_err(|_| {
                        UseCaseError::invalid(
                            "buyers",
                            format!("`{}`'s share `{}` is not a number", b.organisation, b.share),
                        )
                    })?,
                })
            })
            .collect::<UseCaseResult<Vec<_>>>()?
    };
    let shares =
        CostShares::new(shares).map_err(|e| UseCaseError::invalid("buyers", e.to_string()))?;
    let mut buyers = Vec::new();
    for part in shares.split(entry.value) {
        let org = organisation(store, part.buyer.as_str(), "buyers").await?;
        buyers.push((org.id, part.percent.normalize().to_string(), part.amount));
    }
    if !buyers.iter().any(|(id, _, _)| *id == holder.id) {
        return Err(UseCaseError::invalid(
            "buyers",
            format!("the buyers must include {} itself", holder.slug),
        ));
    }
    let partnership_id = match given(&input.partnership) {
        None => None,
        Some(slug) => Some(
            store
                .partnership_by_slug(slug)
                .await?
                .ok_or_else(|| {
                    UseCaseError::invalid("partnership", format!("no partnership `{slug}`"))
                })?
                .id,
        ),
    };
    let contract_type = word(
        "contract_type",
        given(&input.contract_type),
        contract_type_of(&entry.category),
    )?;
    let annual = match given(&input.annual_value) {
        Some(v) => Some(money("annual_value", v)?),
        None => annual_value(entry.value, starts_on, ends_on),
    };
    let new = NewContract {
        organisation_id: holder.id,
        partnership_id,
        reference: entry.reference.clone(),
        tender_id: None,
        lot_number: None,
        award_id: None,
        supplier_id: supplier.id,
        supplier: snapshot(&supplier),
        title: entry.title,
        description: entry.description,
        category: entry.category,
        department: entry.department,
        contract_type,
        regime: Regime::for_commencement(starts_on),
        route: entry.route,
        route_ground: entry.route_ground,
        value: entry.value,
        annual_value: annual,
        vat_treatment: entry.vat_treatment,
        irrecoverable_vat: entry.irrecoverable_vat,
        starts_on,
        ends_on,
        review_on: entry.review_on,
        extension_options: input.extension_options.trim().to_owned(),
        latest_end_on,
        origin: "entered",
        buyers,
    };
    let id = store.create_contract(&new, &caller.actor()).await?;
    store
        .contract(id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("contract {id}")))
}

fn normalise_identifier(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

/// Imports a council's register file into its register (its commissioners and
/// administrator, or the command line): every row is checked and every supplier found
/// before anything is written, then the rows merge in one transaction: new references are
/// added, changed ones updated with their old version kept, identical ones left alone.
/// The regime of each contract is the one in force on its start date.
pub async fn import(
    store: &Store,
    caller: &Caller,
    council: &str,
    entries: &[Entry],
    source: &str,
) -> UseCaseResult<ImportOutcome> {
    let holder = organisation(store, council, "organisation").await?;
    caller.require(Action::ManageContracts(holder.id))?;
    let organisations = store.list_organisations().await?;
    let by_identifier: HashMap<String, &Organisation> = organisations
        .iter()
        .flat_map(|o| {
            o.identifiers
                .iter()
                .map(move |i| (normalise_identifier(i), o))
        })
        .collect();
    let by_name: HashMap<String, &Organisation> = organisations
        .iter()
        .map(|o| (o.name.trim().to_lowercase(), o))
        .collect();
    let mut problems = Vec::new();
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        for p in e.problems() {
            problems.push(format!(
                "line {}, column {}: {}",
                e.line, p.field, p.message
            ));
        }
        let supplier = match &e.supplier_id {
            Some(id) => by_identifier
                .get(&normalise_identifier(id))
                .copied()
                .or_else(|| {
                    problems.push(format!(
                    "line {}, column supplier_id: no organisation is registered with identifier {}",
                    e.line, id
                ));
                    None
                }),
            None => by_name
                .get(&e.supplier_name.trim().to_lowercase())
                .copied()
                .or_else(|| {
                    problems.push(format!(
                        "line {}, column supplier_name: no organisation is named `{}`: give its \
                     registration number in supplier_id, or register it first",
                        e.line, e.supplier_name
                    ));
                    None
                }),
        };
        let Some(supplier) = supplier else { continue };
        let mut snap = snapshot(supplier);
        snap.sme = e.sme.unwrap_or(snap.sme);
        snap.vcse = e.vcse.unwrap_or(snap.vcse);
        rows.push(NewContract {
            organisation_id: holder.id,
            partnership_id: None,
            reference: e.reference.clone(),
            tender_id: None,
            lot_number: None,
            award_id: None,
            supplier_id: supplier.id,
            supplier: snap,
            title: e.title.clone(),
            description: e.description.clone(),
            category: e.category.clone(),
            department: e.department.clone(),
            contract_type: contract_type_of(&e.category),
            regime: Regime::for_commencement(e.starts_on),
            route: e.route,
            route_ground: e.route_ground.clone(),
            value: e.value,
            annual_value: annual_value(e.value, e.starts_on, e.ends_on),
            vat_treatment: e.vat_treatment,
            irrecoverable_vat: e.irrecoverable_vat,
            starts_on: e.starts_on,
            ends_on: e.ends_on,
            review_on: e.review_on,
            extension_options: String::new(),
            latest_end_on: None,
            origin: "imported",
            buyers: vec![(holder.id, "100".into(), e.value)],
        });
    }
    if !problems.is_empty() {
        return Err(UseCaseError::invalid(
            source,
            format!(
                "{} problem{} (nothing was imported):\n{}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems.join("\n")
            ),
        ));
    }
    Ok(store
        .import_contracts(holder.id, &rows, source, &caller.actor())
        .await?)
}

/// Adds a document to a contract (the holding council's commissioners and administrator).
pub async fn add_document(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &DocumentInput,
) -> UseCaseResult<i64> {
    let detail = super::get(store, caller, contract_id).await?;
    let org = detail
        .contract
        .organisation_id
        .ok_or_else(|| UseCaseError::Conflict("the contract is in no council's register".into()))?;
    caller.require(Action::ManageContracts(org))?;
    if input.title.trim().is_empty() {
        return Err(UseCaseError::invalid("title", "is required"));
    }
    if !DOCUMENT_KINDS.contains(&input.kind.as_str()) {
        return Err(UseCaseError::invalid(
            "kind",
            format!(
                "`{}` is not one of {}",
                input.kind,
                DOCUMENT_KINDS.join(", ")
            ),
        ));
    }
    let url = given(&input.url).map(str::to_owned);
    let body = given(&input.body).map(str::to_owned);
    if url.is_none() == body.is_none() {
        return Err(UseCaseError::invalid(
            "url",
            "give a link or a text, not both or neither",
        ));
    }
    if let Some(u) = &url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        return Err(UseCaseError::invalid(
            "url",
            "must start with https:// or http://",
        ));
    }
    Ok(store
        .add_contract_document(
            contract_id,
            &NewDocument {
                title: input.title.trim().to_owned(),
                kind: input.kind.clone(),
                url,
                body,
            },
            &caller.actor(),
        )
        .await?)
}
