//! The savings evidence chain: reading a plan's savings with their links and three figures
//! (planned, evidenced, delivered) per year, and linking a saving to the record that delivers
//! it, or removing a link (kept, stamped). The API and the savings tracker page call these.

use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::finance::evidence::{Evidenced, Link, LinkKind, figures};
use ngc_domain::finance::mtfp::Plan;
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use ngc_store::Store;
use ngc_store::plans::links::NewLink;
use serde::{Deserialize, Serialize};

/// A plan with its savings' links and what they evidence.
#[derive(Debug, Clone)]
pub struct SavingsChain {
    /// The stored plan's id.
    pub plan_id: i64,
    /// The plan.
    pub plan: Plan,
    /// The links in force, with their records' facts.
    pub links: Vec<Link>,
    /// The evidenced figures of each saving and year.
    pub evidenced: Evidenced,
}

impl SavingsChain {
    /// The links of one saving.
    pub fn links_of<'a>(&'a self, reference: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links.iter().filter(move |l| l.saving == reference)
    }
}

/// The stored id of the plan `name` of `slug`.
async fn plan_id(store: &Store, slug: &str, name: &str) -> UseCaseResult<i64> {
    store
        .list_plans(slug)
        .await?
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.id)
        .ok_or_else(|| UseCaseError::NotFound(format!("plan `{name}` of `{slug}`")))
}

/// The plan `name` of `slug` with its evidence, for a caller who may read its plans.
pub async fn chain(
    store: &Store,
    caller: &Caller,
    slug: &str,
    name: &str,
) -> UseCaseResult<SavingsChain> {
    let org = store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{slug}`")))?;
    caller.require(Action::ReadPlans(org.id))?;
    let plan_id = plan_id(store, slug, name).await?;
    let plan = store.plan_by_id(plan_id).await?;
    let links = store.saving_links(plan_id).await?;
    let evidenced = Evidenced::from_links(&links, &plan.savings, &plan.plan_years());
    Ok(SavingsChain {
        plan_id,
        plan,
        links,
        evidenced,
    })
}

/// A link as the API gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkView {
    /// `planned_procurement`, `tender`, `contract`, `budget_line`, `shared_service` or
    /// `partnership`.
    pub kind: String,
    /// The record's id.
    pub id: i64,
    /// The record's title.
    pub title: String,
    /// The link's own id (to remove it).
    pub link_id: i64,
    /// The saving's split of the evidence a year (pounds), when the evidence is shared.
    pub amount: Option<String>,
    /// For a contract: the annual cost before it (pounds).
    pub baseline: Option<String>,
    /// The full-year saving the link evidences (pounds), if it shows one.
    pub full_year_saving: Option<String>,
    /// Why the link shows no figure, if it does not.
    pub no_figure_because: Option<String>,
}

impl LinkView {
    fn of(l: &Link) -> Self {
        Self {
            kind: l.kind.as_str().to_owned(),
            id: l.target,
            title: l.title.clone(),
            link_id: l.id,
            amount: l.amount.map(|m| m.to_string()),
            baseline: l.baseline.map(|m| m.to_string()),
            full_year_saving: l.full_year_saving().map(|m| m.to_string()),
            no_figure_because: l.why_no_figure().map(str::to_owned),
        }
    }
}

/// A saving's figures in one year (pounds as decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearFigures {
    /// The financial year, e.g. `2016-17`.
    pub year: String,
    /// The plan's new saving in the year.
    pub planned: String,
    /// What the linked evidence shows for the year (null when no evidence covers it).
    pub evidenced: Option<String>,
    /// The evidenced figure where there is one, else the latest delivery update.
    pub delivered: String,
    /// What the latest delivery update reports (null when none).
    pub reported: Option<String>,
    /// Evidenced less reported, where both exist and differ.
    pub difference: Option<String>,
    /// Planned less delivered, never below zero.
    pub gap: String,
}

/// A saving with its chain and figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavingView {
    /// The saving's reference in the plan.
    pub reference: String,
    /// What the saving is.
    pub title: String,
    /// The records that deliver it.
    pub links: Vec<LinkView>,
    /// Planned over the plan's years.
    pub planned: String,
    /// Evidenced over the plan's years (the years evidence covers).
    pub evidenced: String,
    /// Delivered over the plan's years.
    pub delivered: String,
    /// Per plan year.
    pub years: Vec<YearFigures>,
}

fn opt(m: Option<Money>) -> Option<String> {
    m.map(|m| m.to_string())
}

/// The savings of a plan with their links and three figures per year and in total.
pub fn savings_view(chain: &SavingsChain) -> Vec<SavingView> {
    let years: Vec<FinancialYear> = chain.plan.plan_years();
    chain
        .plan
        .savings
        .iter()
        .map(|s| {
            let per_year: Vec<_> = years
                .iter()
                .map(|&y| (y, figures(s, y, &chain.plan.delivery, &chain.evidenced)))
                .collect();
            SavingView {
                reference: s.reference.clone(),
                title: s.title.clone(),
                links: chain.links_of(&s.reference).map(LinkView::of).collect(),
                planned: per_year
                    .iter()
                    .map(|(_, f)| f.planned)
                    .sum::<Money>()
                    .to_string(),
                evidenced: per_year
                    .iter()
                    .filter_map(|(_, f)| f.evidenced)
                    .sum::<Money>()
                    .to_string(),
                delivered: per_year
                    .iter()
                    .map(|(_, f)| f.delivered)
                    .sum::<Money>()
                    .to_string(),
                years: per_year
                    .iter()
                    .map(|(y, f)| YearFigures {
                        year: y.to_string(),
                        planned: f.planned.to_string(),
                        evidenced: opt(f.evidenced),
                        delivered: f.delivered.to_string(),
                        reported: opt(f.reported),
                        difference: opt(f.difference),
                        gap: f.gap().to_string(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A link to make from a saving to a record of the council's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkInput {
    /// `planned_procurement`, `tender`, `contract`, `budget_line` or `partnership`.
    pub kind: String,
    /// The record's id.
    pub id: i64,
    /// The saving's split of the evidence a year (pounds), needed when the record supports
    /// another saving too.
    pub amount: Option<String>,
    /// For a contract: the annual cost of the service before it (pounds), against which its
    /// price shows the saving.
    pub baseline: Option<String>,
    /// A note in words.
    #[serde(default)]
    pub note: String,
}

fn pounds(field: &str, text: Option<&str>) -> UseCaseResult<Option<Money>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => {
            let m: Money = t.replace(',', "").trim_start_matches('£').parse().map_err(
                |e: ngc_domain::money::MoneyError| UseCaseError::invalid(field, e.to_string()),
            )?;
            if m.is_negative() {
                return Err(UseCaseError::invalid(field, "cannot be negative"));
            }
            Ok(Some(m))
        }
    }
}

/// The council's id and the stored plan's id, once the caller may change the
/// council's plans and the plan holds the saving; an unknown council, plan or saving is
/// `NotFound`.
async fn saving_to_change(
    store: &Store,
    caller: &Caller,
    slug: &str,
    name: &str,
    reference: &str,
) -> UseCaseResult<(i64, i64)> {
    let org = store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{slug}`")))?;
    caller.require(Action::UpdatePlans(org.id))?;
    let plan_id = plan_id(store, slug, name).await?;
    let plan = store.plan_by_id(plan_id).await?;
    if !plan.savings.iter().any(|s| s.reference == reference) {
        return Err(UseCaseError::NotFound(format!(
            "saving `{reference}` of plan `{name}`"
        )));
    }
    Ok((org.id, plan_id))
}

/// Links the saving `reference` of the plan `name` of `slug` to a record, audited. Refused
/// unless the caller may change the council's plans; the saving must be in the plan, the
/// record one of the council's, a baseline only on a contract, and split amounts within the
/// evidence (nothing is written when refused).
pub async fn link_saving(
    store: &Store,
    caller: &Caller,
    slug: &str,
    name: &str,
    reference: &str,
    input: &LinkInput,
) -> UseCaseResult<LinkView> {
    let (org, plan_id) = saving_to_change(store, caller, slug, name, reference).await?;
    let kind: LinkKind = input.kind.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            "kind",
            format!(
                "unknown kind `{}`: expected planned_procurement, tender, contract, \
                 budget_line, shared_service or partnership",
                input.kind.trim()
            ),
        )
    })?;
    if kind == LinkKind::SharedService {
        return Err(UseCaseError::invalid(
            "kind",
            "shared services are not yet recorded in ngc; link the partnership that runs it",
        ));
    }
    let baseline = pounds("baseline", input.baseline.as_deref())?;
    if baseline.is_some() && kind != LinkKind::Contract {
        return Err(UseCaseError::invalid(
            "baseline",
            "a baseline cost is stated only on a link to a contract",
        ));
    }
    let link = NewLink {
        saving_reference: reference.to_owned(),
        kind,
        target_id: input.id,
        amount: pounds("amount", input.amount.as_deref())?,
        baseline,
        note: input.note.trim().to_owned(),
    };
    let made = store
        .link_saving(org, plan_id, &link, &caller.actor())
        .await?;
    Ok(LinkView::of(&made))
}

/// Removes the link `link_id` of the saving `reference` of the plan `name` of `slug` (kept,
/// stamped as removed), audited; a link of another saving or plan is `NotFound`.
pub async fn unlink_saving(
    store: &Store,
    caller: &Caller,
    slug: &str,
    name: &str,
    reference: &str,
    link_id: i64,
) -> UseCaseResult<()> {
    let (_, plan_id) = saving_to_change(store, caller, slug, name, reference).await?;
    store
        .unlink_saving(plan_id, reference, link_id, &caller.actor())
        .await?;
    Ok(())
}
