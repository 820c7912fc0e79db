//! The procurement pipeline: a council's planned procurements, each linked to its financial
//! plan; the view of the next 18 months from the server's date; and the planned contracts a
//! pipeline notice (UK1, PA2023 s93) would carry.

use crate::tenders::money;
use crate::{Caller, UseCaseError, UseCaseResult, parse};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::finance::FinancialYear;
use ngc_domain::finance::service::{ServiceLine, Subjective};
use ngc_domain::procurement::lifecycle::PlanLink;
use ngc_domain::procurement::pipeline::{PipelineRule, PipelineRules, window};
use ngc_domain::procurement::vat::VatRates;
use ngc_domain::procurement::{ContractType, VatBasis};
use ngc_store::Store;
use ngc_store::pipeline::{NewPlannedProcurement, PlannedProcurement};
use serde::Deserialize;
use std::sync::LazyLock;

static RULES: LazyLock<PipelineRules> = LazyLock::new(PipelineRules::shipped);
static VAT: LazyLock<VatRates> = LazyLock::new(VatRates::shipped);

/// A planned procurement to record for the caller's council.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The estimated value in pounds, as a decimal string.
    pub estimated_value: String,
    /// Whether the estimate includes VAT.
    #[serde(default)]
    pub vat_inclusive: bool,
    /// supplies, services, works or light_touch.
    pub contract_type: String,
    /// When the tender (or transparency) notice is planned (`YYYY-MM-DD`).
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub planned_tender_on: String,
    /// When the award is planned (`YYYY-MM-DD`).
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub planned_award_on: String,
    /// When the contract is planned to start (`YYYY-MM-DD`).
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub planned_start_on: String,
    /// service_line, budget_line or saving.
    pub link_kind: String,
    /// The plan's name, for a service line or a saving.
    #[serde(default)]
    pub link_plan: Option<String>,
    /// The service line (`childrens_social_care`), the budget line
    /// (`2015-16/childrens_social_care/third_party_payments`) or the saving's reference.
    pub link_key: String,
}

/// A planned procurement in the pipeline, as seen on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineEntry {
    pub planned: PlannedProcurement,
    /// Whether it goes to tender within the view (the next 18 months).
    pub in_view: bool,
    /// For one in the view that a pipeline notice would carry: how its value was compared.
    pub on_notice: Option<String>,
}

/// The pipeline on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// The first and last day of the view.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every planned procurement of the council, by planned tender date.
    pub entries: Vec<PipelineEntry>,
    /// The pipeline notice rule in force (none before the Procurement Act 2023).
    pub rule: Option<PipelineRule>,
}

impl Pipeline {
    /// The planned procurements going to tender in the view.
    pub fn in_view(&self) -> impl Iterator<Item = &PipelineEntry> {
        self.entries.iter().filter(|e| e.in_view)
    }

    /// Those a pipeline notice would carry.
    pub fn on_notice(&self) -> impl Iterator<Item = &PipelineEntry> {
        self.entries.iter().filter(|e| e.on_notice.is_some())
    }
}

fn date(field: &str, value: &str) -> UseCaseResult<NaiveDate> {
    value.trim().parse().map_err(|_| {
        UseCaseError::invalid(field, format!("`{value}` is not a date: use YYYY-MM-DD"))
    })
}

fn own_organisation(caller: &Caller) -> UseCaseResult<i64> {
    caller
        .principal()
        .map(|p| p.organisation_id)
        .ok_or_else(|| UseCaseError::Forbidden("the pipeline is a council's own".into()))
}

impl PlannedInput {
    /// Checks every field and names the first that is wrong (the plan link is checked
    /// against the plans by [`create`]).
    pub fn validate(&self, organisation: &str) -> UseCaseResult<NewPlannedProcurement> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(UseCaseError::invalid("title", "must not be empty"));
        }
        let estimated_value = money("estimated_value", &self.estimated_value)?;
        let contract_type: ContractType = parse::word("contract_type", &self.contract_type)?;
        let planned_tender_on = date("planned_tender_on", &self.planned_tender_on)?;
        let planned_award_on = date("planned_award_on", &self.planned_award_on)?;
        let planned_start_on = date("planned_start_on", &self.planned_start_on)?;
        if planned_award_on < planned_tender_on {
            return Err(UseCaseError::invalid(
                "planned_award_on",
                "the award comes after the tender",
            ));
        }
        if planned_start_on < planned_award_on {
            return Err(UseCaseError::invalid(
                "planned_start_on",
                "the contract starts after the award",
            ));
        }
        let link_kind: PlanLink = parse::word("link_kind", &self.link_kind)?;
        let link_plan = self
            .link_plan
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let link_key = self.link_key.trim().to_owned();
        if link_key.is_empty() {
            return Err(UseCaseError::invalid("link_key", "must not be empty"));
        }
        match link_kind {
            PlanLink::ServiceLine | PlanLink::Saving if link_plan.is_none() => {
                return Err(UseCaseError::invalid(
                    "link_plan",
                    format!("name the plan of the {}", link_kind.label().to_lowercase()),
                ));
            }
            PlanLink::BudgetLine if link_plan.is_some() => {
                return Err(UseCaseError::invalid(
                    "link_plan",
                    "a budget line belongs to no plan: leave the plan empty",
                ));
            }
            _ => {}
        }
        Ok(NewPlannedProcurement {
            organisation: organisation.to_owned(),
            title: title.to_owned(),
            description: self.description.trim().to_owned(),
            estimated_value,
            vat_inclusive: self.vat_inclusive,
            contract_type,
            planned_tender_on,
            planned_award_on,
            planned_start_on,
            link_kind,
            link_plan,
            link_key,
        })
    }
}

/// Checks that the link names a line of the council's financial plan or budget.
async fn check_link(store: &Store, new: &NewPlannedProcurement) -> UseCaseResult<()> {
    let org = new.organisation.as_str();
    let key = new.link_key.as_str();
    let plan = match &new.link_plan {
        Some(name) => Some(store.plan(org, Some(name)).await?.ok_or_else(|| {
            UseCaseError::invalid("link_plan", format!("`{org}` has no plan named `{name}`"))
        })?),
        None => None,
    };
    let found = match (new.link_kind, plan) {
        (PlanLink::ServiceLine, Some(plan)) => {
            let service: ServiceLine = parse::word("link_key", key)?;
            plan.base.iter().any(|b| b.service == service)
        }
        (PlanLink::Saving, Some(plan)) => plan.savings.iter().any(|s| s.reference == key),
        (PlanLink::BudgetLine, _) => {
            let parts: Vec<&str> = key.split('/').map(str::trim).collect();
            let [year, service, subjective] = parts[..] else {
                return Err(UseCaseError::invalid(
                    "link_key",
                    format!("`{key}` is not a budget line: write YEAR/SERVICE/SUBJECTIVE"),
                ));
            };
            let year: FinancialYear =
                year.parse()
                    .map_err(|e: <FinancialYear as std::str::FromStr>::Err| {
                        UseCaseError::invalid("link_key", e.to_string())
                    })?;
            let service: ServiceLine = parse::word("link_key", service)?;
            let subjective: Subjective = parse::word("link_key", subjective)?;
            store
                .budget_lines(org)
                .await?
                .iter()
                .any(|l| l.year == year && l.service == service && l.subjective == subjective)
        }
        _ => false,
    };
    if !found {
        return Err(UseCaseError::invalid(
            "link_key",
            format!(
                "no {} `{key}` in {}",
                new.link_kind.label().to_lowercase(),
                new.link_plan.as_deref().map_or_else(
                    || format!("the budget of `{org}`"),
                    |p| format!("the plan `{p}`")
                )
            ),
        ));
    }
    Ok(())
}

/// Records a planned procurement of the caller's council (its commissioners and
/// administrator), linked to a line of its plan or budget.
pub async fn create(
    store: &Store,
    caller: &Caller,
    input: PlannedInput,
) -> UseCaseResult<PlannedProcurement> {
    let org = own_organisation(caller)?;
    caller.require(Action::ManageTenders(org))?;
    let organisation = store
        .organisation_by_id(org)
        .await?
        .ok_or_else(|| UseCaseError::NotFound("your organisation".into()))?;
    let new = input.validate(organisation.slug.as_str())?;
    check_link(store, &new).await?;
    Ok(store
        .create_planned_procurement(&new, &caller.actor())
        .await?)
}

/// Every planned procurement of the caller's council, by planned tender date.
pub async fn list(store: &Store, caller: &Caller) -> UseCaseResult<Vec<PlannedProcurement>> {
    let org = own_organisation(caller)?;
    caller.require(Action::ReadBuyerTenders(org))?;
    Ok(store.planned_procurements(org).await?)
}

/// The caller's council's pipeline on the server's date: every planned procurement, which
/// go to tender in the next 18 months, and which of those a pipeline notice would carry.
pub async fn pipeline(store: &Store, caller: &Caller) -> UseCaseResult<Pipeline> {
    let today = store.today();
    let (from, to) = window(today);
    let rule = RULES.on(today).cloned();
    let mut entries = Vec::new();
    for planned in list(store, caller).await? {
        let in_view = planned.planned_tender_on >= from && planned.planned_tender_on <= to;
        let on_notice = match &rule {
            Some(rule) if in_view => {
                let basis = if planned.vat_inclusive {
                    VatBasis::IncludingVat
                } else {
                    VatBasis::ExcludingVat
                };
                let c = rule
                    .carries(planned.estimated_value, basis, today, &VAT)
                    .map_err(|d| UseCaseError::Conflict(format!("no VAT rate is known for {d}")))?;
                c.at_or_above.then_some(c.explanation)
            }
            _ => None,
        };
        entries.push(PipelineEntry {
            planned,
            in_view,
            on_notice,
        });
    }
    Ok(Pipeline {
        from,
        to,
        entries,
        rule,
    })
}
