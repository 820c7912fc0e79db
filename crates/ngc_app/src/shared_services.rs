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
    self as rules, Agreement, ExitCost, Fee, Figures, Partner, Provenance, PublishedSaving,
    SavingsView, ServiceDraft, ServiceExit, Statement, YearDraft,
};
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::partnerships::Partnership;
use ngc_store::shared_services::{Exit, ImportSummary, NewExit, SharedServices, YearVersion};
use rust_decimal::Decimal;
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

/// The id of the partnership's lead organisation (0 when it has none).
async fn lead_id(store: &Store, p: &Partnership) -> UseCaseResult<i64> {
    Ok(match &p.lead {
        Some(lead) => store.organisation_by_slug(lead).await?.map_or(0, |o| o.id),
        None => 0,
    })
}

/// The partnership, if the caller keeps its shared services (the lead's finance officers).
async fn manageable(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<Partnership> {
    let p = find(store, slug).await?;
    caller.require(Action::ManageSharedServices(lead_id(store, &p).await?))?;
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
                baseline: data.figures.baseline(&organisation),
                organisation,
                memberships: Vec::new(),
                service_exits: Vec::new(),
                exit_costs: Vec::new(),
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
    out.into_values().collect()
}

/// Each partner's net budget in each of `years` it took part in: its budget lines' net total
/// when it has imported any for the year, else the net budget requirement of the first of its
/// plans covering the year. Each partner's lines and plans are read, and each plan projected,
/// once.
async fn net_budgets(
    store: &Store,
    partners: &[Partner],
    years: &[FinancialYear],
) -> UseCaseResult<BTreeMap<FinancialYear, BTreeMap<Slug, Money>>> {
    let mut out: BTreeMap<FinancialYear, BTreeMap<Slug, Money>> = BTreeMap::new();
    for partner in partners {
        let wanted: Vec<FinancialYear> = years
            .iter()
            .copied()
            .filter(|y| rules::days_in_year(&partner.memberships, None, *y) > 0)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let org = partner.organisation.as_str();
        let mut found: BTreeMap<FinancialYear, Money> = BTreeMap::new();
        for line in store.budget_lines(org).await? {
            if wanted.contains(&line.year) {
                *found.entry(line.year).or_insert(Money::ZERO) += line.subjective.net(line.amount);
            }
        }
        let mut plans = store.list_plans(org).await?.into_iter();
        while wanted.iter().any(|y| !found.contains_key(y)) {
            let Some(summary) = plans.next() else {
                break;
            };
            let plan = store.plan_by_id(summary.id).await?;
            for y in project(&plan) {
                if wanted.contains(&y.year) {
                    found.entry(y.year).or_insert(y.net_budget_requirement);
                }
            }
        }
        for (year, budget) in found {
            out.entry(year)
                .or_default()
                .insert(partner.organisation.clone(), budget);
        }
    }
    Ok(out)
}

/// Every statement and the savings of a partnership, computed together once per change.
struct Computed {
    statements: BTreeMap<FinancialYear, Arc<Statement>>,
    savings: Arc<Savings>,
    services: Vec<ServiceDraft>,
    exits: Vec<Exit>,
}

/// The figures as the statement rules take them: the service years and the index.
struct Rules {
    years: Vec<rules::ServiceYear>,
    index: rules::Index,
}

impl Rules {
    fn of(figures: &Figures) -> Self {
        Rules {
            years: figures.service_years(),
            index: figures.index(),
        }
    }

    fn statement(
        &self,
        year: FinancialYear,
        partners: &[Partner],
        budgets: &BTreeMap<Slug, Money>,
    ) -> UseCaseResult<Statement> {
        rules::statement(year, &self.years, partners, &self.index, budgets)
            .map_err(|e| UseCaseError::invalid("shared services", e.to_string()))
    }
}

async fn compute(store: &Store, p: &Partnership) -> UseCaseResult<Arc<Computed>> {
    store
        .memo(format!("shared_services {}", p.id), || async {
            let data = store.shared_services(p.id).await?;
            let partners = partners(p, &data);
            let years = data.figures.financial_years();
            let mut budgets = net_budgets(store, &partners, &years).await?;
            let rules = Rules::of(&data.figures);
            let mut statements = BTreeMap::new();
            for year in years {
                let budgets = budgets.remove(&year).unwrap_or_default();
                let s = rules.statement(year, &partners, &budgets)?;
                statements.insert(year, Arc::new(s));
            }
            let all: Vec<Statement> = statements.values().map(|s| (**s).clone()).collect();
            let savings = Savings {
                index: rules.index.name,
                view: rules::savings(&all),
                published: data.published,
            };
            Ok::<_, UseCaseError>(Computed {
                statements,
                savings: Arc::new(savings),
                services: data.figures.services,
                exits: data.exits,
            })
        })
        .await
}

/// The statement of `year` of a partnership the caller may read.
async fn statement_of(
    store: &Store,
    p: &Partnership,
    year: FinancialYear,
) -> UseCaseResult<Arc<Statement>> {
    if let Some(s) = compute(store, p).await?.statements.get(&year) {
        return Ok(s.clone());
    }
    // A year without figures (exit costs may still fall in it).
    let s = store
        .memo(
            format!("shared_services statement {} {year}", p.id),
            || async {
                let data = store.shared_services(p.id).await?;
                let partners = partners(p, &data);
                let budgets = net_budgets(store, &partners, &[year])
                    .await?
                    .remove(&year)
                    .unwrap_or_default();
                Rules::of(&data.figures).statement(year, &partners, &budgets)
            },
        )
        .await?;
    Ok(s)
}

/// The partnership's recharge statement for `year`.
pub async fn statement(
    store: &Store,
    caller: &Caller,
    slug: &str,
    year: FinancialYear,
) -> UseCaseResult<Arc<Statement>> {
    let p = readable(store, caller, slug).await?;
    statement_of(store, &p, year).await
}

/// The year asked for, else the latest with figures, else the year holding today.
async fn year_or_latest(
    store: &Store,
    p: &Partnership,
    year: Option<FinancialYear>,
) -> UseCaseResult<FinancialYear> {
    if let Some(y) = year {
        return Ok(y);
    }
    match compute(store, p).await?.statements.keys().next_back() {
        Some(y) => Ok(*y),
        None => FinancialYear::containing(store.today())
            .map_err(|e| UseCaseError::invalid("year", e.to_string())),
    }
}

/// The partnership's statement for `year`, or by default for the latest year with figures
/// (else the year holding today).
pub async fn statement_or_latest(
    store: &Store,
    caller: &Caller,
    slug: &str,
    year: Option<FinancialYear>,
) -> UseCaseResult<Arc<Statement>> {
    let p = readable(store, caller, slug).await?;
    let year = year_or_latest(store, &p, year).await?;
    statement_of(store, &p, year).await
}

/// The partnership's savings by year against the partners' baselines, with the published
/// figures.
pub async fn savings(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<Arc<Savings>> {
    let p = readable(store, caller, slug).await?;
    Ok(compute(store, &p).await?.savings.clone())
}

/// What the shared-services page shows a partner.
#[derive(Debug, Clone)]
pub struct Overview {
    pub partnership: Partnership,
    /// The years with figures, in order.
    pub years: Vec<FinancialYear>,
    /// The year shown: the one asked for, else the latest with figures.
    pub year: Option<FinancialYear>,
    pub statement: Option<Arc<Statement>>,
    pub savings: Arc<Savings>,
    /// The services, for entering a year's figures.
    pub services: Vec<ServiceDraft>,
    /// Every version of the shown year's figures, current and replaced, by service.
    pub versions: Vec<YearVersion>,
    /// Every exit recorded.
    pub exits: Vec<Exit>,
    /// Whether the caller keeps the figures (enters them, restores versions, records exits).
    pub manages: bool,
}

/// The partnership's shared services as its page shows them, for `year` (by default the
/// latest with figures).
pub async fn overview(
    store: &Store,
    caller: &Caller,
    slug: &str,
    year: Option<FinancialYear>,
) -> UseCaseResult<Overview> {
    let p = readable(store, caller, slug).await?;
    let computed = compute(store, &p).await?;
    let years: Vec<FinancialYear> = computed.statements.keys().copied().collect();
    let year = year.or_else(|| years.last().copied());
    let statement = match year {
        Some(y) => Some(statement_of(store, &p, y).await?),
        None => None,
    };
    let versions = match year {
        Some(y) => store.shared_service_year_versions(p.id, y).await?,
        None => Vec::new(),
    };
    let manages = caller.can(Action::ManageSharedServices(lead_id(store, &p).await?));
    Ok(Overview {
        years,
        year,
        statement,
        savings: computed.savings.clone(),
        services: computed.services.clone(),
        versions,
        exits: computed.exits.clone(),
        manages,
        partnership: p,
    })
}

/// Every version of each service's figures for `year` (by default the latest with figures),
/// by service and oldest first.
pub async fn versions(
    store: &Store,
    caller: &Caller,
    slug: &str,
    year: Option<FinancialYear>,
) -> UseCaseResult<Vec<YearVersion>> {
    let p = readable(store, caller, slug).await?;
    let year = year_or_latest(store, &p, year).await?;
    Ok(store.shared_service_year_versions(p.id, year).await?)
}

/// Each partner's id, by slug.
fn partner_ids(p: &Partnership) -> BTreeMap<Slug, i64> {
    p.members
        .iter()
        .filter_map(|m| {
            Slug::parse(&m.organisation)
                .ok()
                .map(|s| (s, m.organisation_id))
        })
        .collect()
}

/// Checks that every organisation the agreement names is a partner, and that every year's
/// statement computes with the figures as they would be once it is stored.
async fn check(
    store: &Store,
    p: &Partnership,
    agreement: &Agreement,
) -> UseCaseResult<BTreeMap<Slug, i64>> {
    let ids = partner_ids(p);
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
                format!("`{org}` is not a member of partnership `{}`", p.slug),
            ));
        }
    }
    let mut data = store.shared_services(p.id).await?;
    data.figures = std::mem::take(&mut data.figures)
        .apply(agreement)
        .map_err(|e| UseCaseError::invalid(format!("service `{}`", e.0), e.to_string()))?;
    let partners = partners(p, &data);
    let rules = Rules::of(&data.figures);
    for year in data.figures.financial_years() {
        rules.statement(year, &partners, &BTreeMap::new())?;
    }
    Ok(ids)
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
    let ids = check(store, &p, &agreement).await?;
    Ok(store
        .import_shared_services(p.id, &agreement, &ids, &caller.actor())
        .await?)
}

/// A service's figures for one year, as an officer enters them.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearInput {
    /// The service's code (`hr`).
    pub service: String,
    /// The financial year (`2016-17`).
    pub year: String,
    /// What the service cost in the year, before income, in pounds (`"6100000.00"`).
    pub pool: String,
    /// `fixed_shares`, `headcount`, `transactions`, `invoices`, `users` or `budget`.
    pub basis: String,
    /// Each partner's fixed share (per cent) or driver value, by the partner's slug; a blank
    /// value leaves the partner out of the service that year.
    #[serde(default)]
    pub weights: BTreeMap<String, String>,
    /// External clients' fees, each `{client, amount}` in pounds.
    #[serde(default)]
    pub fees: Vec<FeeInput>,
    /// Where the figures come from.
    pub source: String,
    /// Whether they are confirmed against their source (published), not modelled.
    #[serde(default)]
    pub confirmed: bool,
}

/// An external client's fee.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeInput {
    pub client: String,
    /// In pounds.
    pub amount: String,
}

fn money(field: &str, text: &str) -> UseCaseResult<Money> {
    text.trim()
        .replace([',', '£'], "")
        .parse::<Money>()
        .map_err(|e| UseCaseError::invalid(field, e.to_string()))
}

impl YearInput {
    /// The year as the rules take it, or an error naming the field.
    fn draft(&self) -> UseCaseResult<YearDraft> {
        let service = self.service.trim();
        if service.is_empty() {
            return Err(UseCaseError::invalid("service", "give the service's code"));
        }
        let year = self
            .year
            .trim()
            .parse::<FinancialYear>()
            .map_err(|e| UseCaseError::invalid("year", e.to_string()))?;
        let mut weights = Vec::new();
        for (org, value) in &self.weights {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let field = format!("weights.{org}");
            let org = crate::parse::slug(&field, org)?;
            let value = value
                .replace(',', "")
                .parse::<Decimal>()
                .map_err(|e| UseCaseError::invalid(&field, e.to_string()))?;
            weights.push((org, value));
        }
        let fees = self
            .fees
            .iter()
            .enumerate()
            .filter(|(_, f)| !(f.client.trim().is_empty() && f.amount.trim().is_empty()))
            .map(|(i, f)| {
                let client = f.client.trim();
                if client.is_empty() {
                    return Err(UseCaseError::invalid(
                        format!("fees[{i}].client"),
                        "name the client who paid the fee",
                    ));
                }
                Ok(Fee {
                    client: client.to_owned(),
                    amount: money(&format!("fees[{i}].amount"), &f.amount)?,
                })
            })
            .collect::<UseCaseResult<Vec<Fee>>>()?;
        let source = self.source.trim();
        if source.is_empty() {
            return Err(UseCaseError::invalid(
                "source",
                "say where the figures come from",
            ));
        }
        Ok(YearDraft {
            service: service.to_owned(),
            year,
            pool: money("pool", &self.pool)?,
            basis: crate::parse::word("basis", &self.basis)?,
            weights,
            fees,
            income_key: None,
            provenance: Provenance {
                source: source.to_owned(),
                confirmed: self.confirmed,
            },
        })
    }
}

/// Enters a service's figures for one year, checked as an import is (the service must exist;
/// a year given again replaces the current figures, which are kept as a version). A year's
/// separate income key, where the partnership agreed one, is kept from the file it came in.
pub async fn enter_year(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &YearInput,
) -> UseCaseResult<ImportSummary> {
    let p = manageable(store, caller, slug).await?;
    let mut draft = input.draft()?;
    let data = store.shared_services(p.id).await?;
    if let Some((current, _)) = data
        .figures
        .years
        .iter()
        .find(|(y, _)| y.service == draft.service && y.year == draft.year)
    {
        draft.income_key.clone_from(&current.income_key);
    }
    let agreement = Agreement {
        years: vec![draft],
        ..Agreement::default()
    };
    let ids = check(store, &p, &agreement).await?;
    Ok(store
        .import_shared_services(p.id, &agreement, &ids, &caller.actor())
        .await?)
}

/// Makes an earlier version of a service's year current again, checked as an import is; the
/// version it replaces is kept.
pub async fn restore_version(
    store: &Store,
    caller: &Caller,
    slug: &str,
    version_id: i64,
) -> UseCaseResult<ImportSummary> {
    let p = manageable(store, caller, slug).await?;
    let year = store
        .shared_service_year_version(p.id, version_id)
        .await?
        .ok_or_else(|| {
            UseCaseError::NotFound(format!(
                "version {version_id} of partnership `{slug}`'s shared-service figures"
            ))
        })?;
    let agreement = Agreement {
        years: vec![year.clone()],
        ..Agreement::default()
    };
    let ids = check(store, &p, &agreement).await?;
    Ok(store
        .restore_shared_service_year(p.id, version_id, &year, &ids, &caller.actor())
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
            let service_id = *data.service_ids.get(code).ok_or_else(|| {
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
            Some(service_id)
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
