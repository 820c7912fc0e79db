//! Shared services of a partnership (LGSS): importing pools, drivers and the agreement; the
//! recharge statement of a year; the savings over the years; exits (leaving with notice, or
//! repatriating one service) with their exit costs; and acting for the partnership.
//!
//! Every partner's finance and partner staff read every partner's statement of their
//! partnership; nobody outside it reads any of it. The lead council's finance officers keep
//! the figures. Statements and savings are computed once per change ([`Store::memo`]), after
//! the caller is authorised.

use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::{Months, NaiveDate};
use ngc_domain::access::Action;
use ngc_domain::finance::FinancialYear;
use ngc_domain::finance::mtfp::project;
use ngc_domain::money::Money;
use ngc_domain::partnership::{Membership, PartnershipKind};
use ngc_domain::shared_services::{
    self as rules, Agreement, Baseline, ExitCost, Index, Partner, PublishedSaving, SavingsView,
    ServiceExit, ServiceYear, Statement,
};
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::partnerships::Partnership;
use ngc_store::shared_services::{ImportSummary, NewExit, SharedServices};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The partnership's savings over the years, with the published figures to compare.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Savings {
    /// The index the baselines are carried by.
    pub index: String,
    pub view: SavingsView,
    /// Projections and reported outturns, each with its source.
    pub published: Vec<PublishedSaving>,
}

/// An exit to record: leaving the partnership, or (with `service`) repatriating one service.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExitInput {
    /// The leaving partner's slug.
    pub organisation: String,
    /// The service's code when only that service is repatriated.
    #[serde(default)]
    pub service: Option<String>,
    pub notice_given_on: NaiveDate,
    /// The last day of membership (or of the service).
    pub left_on: NaiveDate,
    /// Stranded costs the leaver must meet, in pounds (`"250000.00"`), charged in the year
    /// of leaving.
    #[serde(default)]
    pub exit_cost: Option<String>,
    #[serde(default)]
    pub reason: String,
}

/// The shared-service partnership with this slug.
async fn find(store: &Store, slug: &str) -> UseCaseResult<Partnership> {
    let p = crate::partnerships::find(store, slug).await?;
    if p.kind != PartnershipKind::SharedService {
        return Err(UseCaseError::NotFound(format!(
            "shared services of partnership `{slug}` (it is a {})",
            p.kind.label().to_lowercase()
        )));
    }
    Ok(p)
}

/// Whether the caller's organisation is a current member of the partnership.
fn is_member(store: &Store, caller: &Caller, p: &Partnership) -> bool {
    let today = store.today();
    caller.principal().is_some_and(|me| {
        p.members
            .iter()
            .any(|m| m.organisation_id == me.organisation_id && m.is_active_on(today))
    })
}

/// The shared-service partnership with this slug, if the caller may read its records.
pub async fn readable(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<Partnership> {
    let p = find(store, slug).await?;
    caller.require(Action::ReadSharedServices {
        member: is_member(store, caller, &p),
    })?;
    Ok(p)
}

/// The partnership, if the caller keeps its shared services (the lead's finance officers).
async fn manageable(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<Partnership> {
    let p = find(store, slug).await?;
    let lead = match &p.lead {
        Some(lead) => store
            .organisation_by_slug(lead)
            .await?
            .map(|o| o.id)
            .unwrap_or(0),
        None => 0,
    };
    caller.require(Action::ManageSharedServices(lead))?;
    Ok(p)
}

/// The partners as the rules see them: every membership, exits and baselines.
fn partners(p: &Partnership, data: &SharedServices) -> Vec<Partner> {
    let mut out: BTreeMap<String, Partner> = BTreeMap::new();
    for m in &p.members {
        let Ok(organisation) = Slug::parse(&m.organisation) else {
            continue;
        };
        out.entry(m.organisation.clone())
            .or_insert_with(|| Partner {
                organisation,
                memberships: Vec::new(),
                service_exits: Vec::new(),
                exit_costs: Vec::new(),
                baseline: None,
            })
            .memberships
            .push(Membership {
                joined_on: m.joined_on,
                left_on: m.left_on,
            });
    }
    for e in &data.exits {
        if let Some(partner) = out.get_mut(e.organisation.as_str()) {
            if let Some(service) = &e.service {
                partner.service_exits.push(ServiceExit {
                    service: service.clone(),
                    left_on: e.left_on,
                });
            }
            if !e.exit_cost.is_zero() {
                partner.exit_costs.push(ExitCost {
                    due_on: e.left_on,
                    amount: e.exit_cost,
                    reason: e.reason.clone(),
                });
            }
        }
    }
    for b in &data.baselines {
        if let Some(partner) = out.get_mut(b.organisation.as_str()) {
            partner.baseline = Some(Baseline {
                year: b.year,
                amount: b.amount,
                source: b.provenance.source.clone(),
            });
        }
    }
    out.into_values().collect()
}

fn index(data: &SharedServices) -> Index {
    Index {
        name: data
            .index_name
            .clone()
            .unwrap_or_else(|| "no index".to_owned()),
        rates: data.index_rates.iter().map(|r| (r.year, r.rate)).collect(),
    }
}

fn years(data: &SharedServices) -> Vec<ServiceYear> {
    data.years.iter().map(|(y, _)| y.clone()).collect()
}

/// A partner's net budget for a year: its budget lines' net total when it has imported any
/// for the year, else the net budget requirement of the first of its plans covering the year.
async fn net_budget(
    store: &Store,
    organisation: &str,
    year: FinancialYear,
) -> UseCaseResult<Option<Money>> {
    let lines = store.budget_lines(organisation).await?;
    let of_year: Vec<_> = lines.iter().filter(|l| l.year == year).collect();
    if !of_year.is_empty() {
        return Ok(Some(
            of_year.iter().map(|l| l.subjective.net(l.amount)).sum(),
        ));
    }
    for summary in store.list_plans(organisation).await? {
        let plan = store.plan_by_id(summary.id).await?;
        if let Some(y) = project(&plan).into_iter().find(|y| y.year == year) {
            return Ok(Some(y.net_budget_requirement));
        }
    }
    Ok(None)
}

async fn compute_statement(
    store: &Store,
    p: &Partnership,
    data: &SharedServices,
    year: FinancialYear,
) -> UseCaseResult<Statement> {
    let partners = partners(p, data);
    let mut budgets = BTreeMap::new();
    for partner in &partners {
        if rules::days_in_year(&partner.memberships, None, year) == 0 {
            continue;
        }
        if let Some(b) = net_budget(store, partner.organisation.as_str(), year).await? {
            budgets.insert(partner.organisation.clone(), b);
        }
    }
    rules::statement(year, &years(data), &partners, &index(data), &budgets)
        .map_err(|e| UseCaseError::invalid("shared services", e.to_string()))
}

/// The partnership's recharge statement for `year`.
pub async fn statement(
    store: &Store,
    caller: &Caller,
    slug: &str,
    year: FinancialYear,
) -> UseCaseResult<Arc<Statement>> {
    let p = readable(store, caller, slug).await?;
    store
        .memo(
            format!("shared_services statement {} {year}", p.id),
            || async {
                let data = store.shared_services(p.id).await?;
                compute_statement(store, &p, &data, year).await
            },
        )
        .await
}

/// The years the partnership has figures for, in order.
pub async fn years_of(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<Vec<FinancialYear>> {
    let p = readable(store, caller, slug).await?;
    let data = store.shared_services(p.id).await?;
    let mut years: Vec<FinancialYear> = data.years.iter().map(|(y, _)| y.year).collect();
    years.dedup();
    Ok(years)
}

/// The year a statement shows when none is asked for: the latest with figures, else the
/// year holding today.
pub async fn default_year(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<FinancialYear> {
    match years_of(store, caller, slug).await?.last() {
        Some(y) => Ok(*y),
        None => FinancialYear::containing(store.today())
            .map_err(|e| UseCaseError::invalid("year", e.to_string())),
    }
}

/// The partnership's savings by year against the partners' baselines, with the published
/// figures.
pub async fn savings(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<Arc<Savings>> {
    let p = readable(store, caller, slug).await?;
    store
        .memo(format!("shared_services savings {}", p.id), || async {
            let data = store.shared_services(p.id).await?;
            let mut years: Vec<FinancialYear> = data.years.iter().map(|(y, _)| y.year).collect();
            years.dedup();
            let mut statements = Vec::with_capacity(years.len());
            for year in years {
                statements.push(compute_statement(store, &p, &data, year).await?);
            }
            Ok::<_, UseCaseError>(Savings {
                index: index(&data).name,
                view: rules::savings(&statements),
                published: data.published.clone(),
            })
        })
        .await
}

/// Stores what a shared-services file gives, all or nothing: every organisation it names must
/// be a partner, and every year's statement must still compute with it (shares summing to
/// 100%, a driver value for each partner in the service, a pool not negative, income no more
/// than the pool, an index rate for each year a baseline is carried through).
pub async fn import(
    store: &Store,
    caller: &Caller,
    slug: &str,
    agreement: Agreement,
) -> UseCaseResult<ImportSummary> {
    let p = manageable(store, caller, slug).await?;
    let ids: BTreeMap<Slug, i64> = p
        .members
        .iter()
        .filter_map(|m| {
            Slug::parse(&m.organisation)
                .ok()
                .map(|s| (s, m.organisation_id))
        })
        .collect();
    let named = agreement
        .services
        .iter()
        .map(|s| (&s.host, format!("service `{}`: host", s.code)))
        .chain(agreement.years.iter().flat_map(|y| {
            y.weights
                .iter()
                .chain(y.income_key.iter().flatten())
                .map(move |(o, _)| {
                    (
                        o,
                        format!("service `{}` {}: organisation", y.service, y.year),
                    )
                })
        }))
        .chain(
            agreement
                .baselines
                .iter()
                .map(|b| (&b.organisation, "baseline: organisation".to_owned())),
        )
        .chain(agreement.published.iter().filter_map(|s| {
            s.organisation
                .as_ref()
                .map(|o| (o, format!("{} {}: organisation", s.kind, s.year)))
        }));
    for (org, field) in named {
        if !ids.contains_key(org) {
            return Err(UseCaseError::invalid(
                field,
                format!("`{org}` is not a member of partnership `{slug}`"),
            ));
        }
    }
    // The stored figures with the file's laid over them, as they would be after the import.
    let mut merged = store.shared_services(p.id).await?;
    let known: Vec<&String> = merged.services.iter().map(|s| &s.code).collect();
    for y in &agreement.years {
        if !known.contains(&&y.service) && !agreement.services.iter().any(|s| s.code == y.service) {
            return Err(UseCaseError::invalid(
                format!("service `{}`", y.service),
                "the service is not defined: give its `name` and `host` lines",
            ));
        }
    }
    let service_of = |code: &str| -> (String, Slug) {
        agreement
            .services
            .iter()
            .find(|s| s.code == code)
            .map(|s| (s.name.clone(), s.host.clone()))
            .or_else(|| {
                merged
                    .services
                    .iter()
                    .find(|s| s.code == code)
                    .map(|s| (s.name.clone(), s.host.clone()))
            })
            .expect("every year's service is defined")
    };
    let mut new_years: Vec<ServiceYear> = agreement
        .years
        .iter()
        .map(|y| {
            let (name, host) = service_of(&y.service);
            ServiceYear {
                service: y.service.clone(),
                name,
                host,
                year: y.year,
                pool: y.pool,
                basis: y.basis,
                weights: y.weights.clone(),
                fees: y.fees.clone(),
                income_key: y.income_key.clone(),
            }
        })
        .collect();
    for (y, _) in &mut merged.years {
        if let Some(s) = agreement.services.iter().find(|s| s.code == y.service) {
            y.name = s.name.clone();
            y.host = s.host.clone();
        }
    }
    merged.years.retain(|(y, _)| {
        !new_years
            .iter()
            .any(|n| n.service == y.service && n.year == y.year)
    });
    let provenance = ngc_domain::shared_services::Provenance {
        source: String::new(),
        confirmed: false,
    };
    merged
        .years
        .extend(new_years.drain(..).map(|y| (y, provenance.clone())));
    for r in &agreement.index_rates {
        merged.index_rates.retain(|o| o.year != r.year);
        merged.index_rates.push(r.clone());
    }
    if agreement.index_name.is_some() {
        merged.index_name = agreement.index_name.clone();
    }
    for b in &agreement.baselines {
        merged
            .baselines
            .retain(|o| o.organisation != b.organisation);
        merged
            .baselines
            .push(ngc_store::shared_services::StoredBaseline {
                organisation: b.organisation.clone(),
                year: b.year,
                amount: b.amount,
                provenance: b.provenance.clone(),
            });
    }
    let mut all_years: Vec<FinancialYear> = merged.years.iter().map(|(y, _)| y.year).collect();
    all_years.sort();
    all_years.dedup();
    let partners = partners(&p, &merged);
    for year in all_years {
        rules::statement(
            year,
            &years(&merged),
            &partners,
            &index(&merged),
            &BTreeMap::new(),
        )
        .map_err(|e| UseCaseError::invalid("shared services", e.to_string()))?;
    }
    Ok(store
        .import_shared_services(p.id, &agreement, &ids, &caller.actor())
        .await?)
}

/// Records an exit: a partner leaving the partnership (its membership ends on `left_on`,
/// no earlier than the agreement's notice allows) or repatriating one service; exit costs
/// are charged to it in the year it leaves.
pub async fn record_exit(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: ExitInput,
) -> UseCaseResult<i64> {
    let p = manageable(store, caller, slug).await?;
    let org = input.organisation.trim();
    let member = p
        .members
        .iter()
        .find(|m| m.organisation == org && m.left_on.is_none())
        .ok_or_else(|| {
            UseCaseError::invalid(
                "organisation",
                format!("`{org}` is not a current member of partnership `{slug}`"),
            )
        })?;
    if input.left_on < member.joined_on {
        return Err(UseCaseError::invalid(
            "left_on",
            format!(
                "{} is before `{org}` joined on {}",
                input.left_on, member.joined_on
            ),
        ));
    }
    if input.left_on < input.notice_given_on {
        return Err(UseCaseError::invalid(
            "left_on",
            format!(
                "{} is before the notice was given on {}",
                input.left_on, input.notice_given_on
            ),
        ));
    }
    let data = store.shared_services(p.id).await?;
    if let Some(months) = data.notice_months {
        let earliest = input
            .notice_given_on
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX);
        if input.left_on < earliest {
            return Err(UseCaseError::invalid(
                "left_on",
                format!(
                    "the agreement asks {months} months' notice: given on {}, the earliest last \
                     day is {earliest}",
                    input.notice_given_on
                ),
            ));
        }
    }
    let service_id = match input
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => {
            let service = data
                .services
                .iter()
                .find(|s| s.code == code)
                .ok_or_else(|| {
                    UseCaseError::invalid(
                        "service",
                        format!("partnership `{slug}` has no service `{code}`"),
                    )
                })?;
            if data
                .exits
                .iter()
                .any(|e| e.organisation.as_str() == org && e.service.as_deref() == Some(code))
            {
                return Err(UseCaseError::Conflict(format!(
                    "`{org}` has already left service `{code}`"
                )));
            }
            Some(service.id)
        }
    };
    let exit_cost = match input
        .exit_cost
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Money::ZERO,
        Some(text) => text
            .parse::<Money>()
            .map_err(|e| UseCaseError::invalid("exit_cost", e.to_string()))?,
    };
    if exit_cost.is_negative() {
        return Err(UseCaseError::invalid("exit_cost", "may not be negative"));
    }
    let exit = NewExit {
        organisation_id: member.organisation_id,
        service_id,
        notice_given_on: input.notice_given_on,
        left_on: input.left_on,
        exit_cost,
        reason: input.reason.trim().to_owned(),
    };
    Ok(store
        .record_shared_service_exit(p.id, &exit, &caller.actor())
        .await?)
}

/// Makes the session with this secret act for the partnership (`Some(slug)`), whose records
/// its pages then show, or (`None`) for the caller's own organisation again.
pub async fn act_for(
    store: &Store,
    caller: &Caller,
    session_secret: &str,
    slug: Option<&str>,
) -> UseCaseResult<Option<Partnership>> {
    let partnership = match slug {
        Some(slug) => Some(readable(store, caller, slug).await?),
        None => None,
    };
    store
        .act_for(
            session_secret,
            partnership.as_ref().map(|p| p.id),
            &caller.actor(),
        )
        .await?;
    Ok(partnership)
}
