//! Joint working: a partnership's consolidation analysis of its members' contracts of one
//! category, the joint tender started from it, and the councils' cost-sharing key values.
//!
//! Who: the staff (administrator, finance, commissioners, partners) of a **current member** of
//! the partnership run and read its analyses (`Action::ReadJointWorking`); nobody else sees
//! any of it. A joint tender is created through the tender-creation use case
//! ([`crate::tenders`]), so its own rule applies: the caller is a commissioner (or the
//! administrator) of the lead authority, which must be one of the councils in the key. A
//! council's finance officers enter its key values (`Action::EnterKeyValues`).
//!
//! The rules are `ngc_domain::joint_working`; the analysis is computed once per change of the
//! database (and day) through `Store::memo`, after the caller is authorised.

use crate::tenders::{BuyerShareInput, TenderInput};
use crate::{Caller, UseCaseError, UseCaseResult, parse};
use ngc_domain::access::Action;
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::joint_working::{
    self as rules, Analysis, Input, JointError, Key, Party, PastTender, RateChoice, Term,
};
use ngc_domain::procurement::cpv::CpvCode;
use ngc_domain::slug::Slug;
use ngc_store::Store;
use ngc_store::joint_working::{JointTender, NewJointTender, NewKeyValue};
use ngc_store::partnerships::Partnership;
use ngc_store::tenders::Tender;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What to analyse: the contracts' category (a CPV code), the key, the year of the key values
/// and the saving rate (none or blank: the rate past joint tenders achieved).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AnalysisQuery {
    /// A CPV code (`90511000`, the check digit optional).
    pub category: String,
    /// households, tax_base, population or equal.
    pub key: String,
    /// The financial year of the key values (`2016-17`).
    pub year: String,
    /// The saving rate in per cent (at most two places); blank: derived from past joint
    /// tenders.
    #[serde(default)]
    pub rate: Option<String>,
}

/// The checked query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Checked {
    category: String,
    key: Key,
    year: FinancialYear,
    rate: RateChoice,
}

impl AnalysisQuery {
    fn check(&self) -> UseCaseResult<Checked> {
        let category: CpvCode =
            self.category
                .trim()
                .parse()
                .map_err(|e: ngc_domain::procurement::cpv::CpvError| {
                    UseCaseError::invalid("category", e.to_string())
                })?;
        let key: Key = parse::word("key", &self.key)?;
        let year: FinancialYear =
            self.year
                .trim()
                .parse()
                .map_err(|e: ngc_domain::finance::year::YearError| {
                    UseCaseError::invalid("year", e.to_string())
                })?;
        let rate = match self.rate.as_deref().map(str::trim) {
            None | Some("") => RateChoice::FromPast,
            Some(r) => RateChoice::Set(r.trim_end_matches('%').parse().map_err(|_| {
                UseCaseError::invalid("rate", format!("`{r}` is not a percentage"))
            })?),
        };
        Ok(Checked {
            category: category.to_string(),
            key,
            year,
            rate,
        })
    }
}

/// The analysis for a partnership, with who may start a tender from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnalysisView {
    pub partnership: String,
    pub partnership_name: String,
    pub analysis: Analysis,
}

/// The partnership, refused unless the caller may read its joint working on the server's
/// date: the system, or the staff of a current member.
async fn authorise(store: &Store, caller: &Caller, slug: &str) -> UseCaseResult<Partnership> {
    let partnership = crate::partnerships::find(store, slug).await?;
    if let Caller::User(p) = caller {
        caller.require(Action::ReadJointWorking(p.organisation_id))?;
        let today = store.today();
        let member = partnership
            .members
            .iter()
            .any(|m| m.organisation_id == p.organisation_id && m.is_active_on(today));
        if !member {
            return Err(UseCaseError::Forbidden(format!(
                "the joint working of `{slug}` is open to its current members only"
            )));
        }
    }
    Ok(partnership)
}

fn field_of(e: &JointError) -> &'static str {
    match e {
        JointError::Rate(_) => "rate",
        JointError::Overflow => "category",
        JointError::MissingValue { .. } | JointError::NoCouncil(_) | JointError::Split(_) => "key",
    }
}

/// The consolidation analysis of the partnership's contracts of a category: each running
/// contract of a current member, the aggregate, the window, the estimated saving and the cost
/// shares of the member councils that hold the function. Computed once per change.
pub async fn analyse(
    store: &Store,
    caller: &Caller,
    slug: &str,
    query: &AnalysisQuery,
) -> UseCaseResult<Arc<AnalysisView>> {
    let partnership = authorise(store, caller, slug).await?;
    let checked = query.check()?;
    let key = format!("joint_working {} {checked:?}", partnership.id);
    store
        .memo(key, || compute(store, partnership, checked))
        .await
}

async fn compute(
    store: &Store,
    partnership: Partnership,
    q: Checked,
) -> UseCaseResult<AnalysisView> {
    let today = store.today();
    let terms: Vec<Term> = store
        .partnership_contracts(partnership.id, today)
        .await?
        .into_iter()
        .filter(|c| rules::in_category(&c.category, &q.category))
        .map(|c| Term {
            contract_id: c.id,
            reference: c.reference.clone().unwrap_or_default(),
            annual_value: rules::annual_value(c.value, c.annual_value, c.starts_on, c.ends_on),
            buyers: c.buyers.iter().map(|b| b.organisation.clone()).collect(),
            holder: c.organisation.unwrap_or_default(),
            supplier: c.supplier_name,
            title: c.title,
            value: c.value,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            latest_end_on: c.latest_end_on.or(c.ends_on),
            extension_options: c.extension_options,
        })
        .collect();
    let kinds: BTreeMap<i64, ngc_domain::OrgKind> = store
        .list_organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, o.kind))
        .collect();
    let values: BTreeMap<i64, String> = if q.key.needs_values() {
        store
            .key_values(q.year, q.key)
            .await?
            .into_iter()
            .map(|v| (v.organisation_id, v.value))
            .collect()
    } else {
        BTreeMap::new()
    };
    let mut parties = Vec::new();
    for m in partnership.members.iter().filter(|m| m.is_active_on(today)) {
        let holds = kinds
            .get(&m.organisation_id)
            .is_some_and(|k| rules::holds(&q.category, *k));
        if !holds
            || parties
                .iter()
                .any(|p: &Party| p.council.as_str() == m.organisation)
        {
            continue;
        }
        let value = match values.get(&m.organisation_id) {
            Some(v) => Some(v.parse::<Decimal>().map_err(|_| {
                UseCaseError::invalid(
                    "key",
                    format!(
                        "{}'s stored value `{v}` is not a number",
                        m.organisation_name
                    ),
                )
            })?),
            None => None,
        };
        parties.push(Party {
            council: Slug::parse(&m.organisation)
                .map_err(|e| UseCaseError::invalid("key", e.to_string()))?,
            name: m.organisation_name.clone(),
            value,
        });
    }
    parties.sort_by(|a, b| a.name.cmp(&b.name));
    let mut past = Vec::new();
    if q.rate == RateChoice::FromPast {
        for j in store.all_joint_tenders().await? {
            if !rules::in_category(&j.category, &q.category) {
                continue;
            }
            let contracts = store.contracts_of_tender(j.tender_id).await?;
            if contracts.is_empty() {
                continue;
            }
            let achieved = contracts
                .iter()
                .map(|c| rules::annual_value(c.value, c.annual_value, c.starts_on, c.ends_on))
                .sum();
            past.push(PastTender {
                baseline: ngc_domain::money::Money::pence(j.baseline),
                achieved,
            });
        }
    }
    let analysis = rules::analyse(Input {
        category: q.category,
        key: q.key,
        year: q.year,
        terms,
        parties,
        rate: q.rate,
        past,
    })
    .map_err(|e| UseCaseError::invalid(field_of(&e), e.to_string()))?;
    Ok(AnalysisView {
        partnership: partnership.slug,
        partnership_name: partnership.name,
        analysis,
    })
}

/// Whether the caller could start a joint tender from the analysis: a user who runs tenders
/// for one of the councils in the key (the page shows the button to them only).
pub async fn may_start(store: &Store, caller: &Caller, view: &AnalysisView) -> UseCaseResult<bool> {
    let Caller::User(p) = caller else {
        return Ok(false);
    };
    if !caller.can(Action::ManageTenders(p.organisation_id)) {
        return Ok(false);
    }
    let org = store.organisation_by_id(p.organisation_id).await?;
    Ok(org.is_some_and(|o| view.analysis.shares.iter().any(|s| s.council == o.slug)))
}

/// A joint tender to start from an analysis: the analysis's query, and the tender as the
/// tender-creation use case takes it, less its buyers (they are the analysis's councils and
/// shares).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartTenderInput {
    pub analysis: AnalysisQuery,
    pub tender: TenderInput,
}

/// Starts a draft joint tender from the analysis: led by the caller's council (which must
/// hold the function), with the analysis's councils as buyers and its percentages as their
/// cost shares; the analysis is recorded as the tender's origin in the same transaction.
pub async fn start_tender(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: StartTenderInput,
) -> UseCaseResult<Tender> {
    let view = analyse(store, caller, slug, &input.analysis).await?;
    let partnership = crate::partnerships::find(store, slug).await?;
    if !input.tender.buyers.is_empty() {
        return Err(UseCaseError::invalid(
            "tender.buyers",
            "a joint tender's buyers and shares are the analysis's: leave them out",
        ));
    }
    let a = &view.analysis;
    let mut tender = input.tender;
    tender.buyers = a
        .shares
        .iter()
        .map(|s| BuyerShareInput {
            organisation: s.council.clone(),
            share_percent: s.percent.to_string(),
        })
        .collect();
    let new = crate::tenders::prepare(store, caller, tender).await?;
    if !a.shares.iter().any(|s| s.council == new.lead_organisation) {
        return Err(UseCaseError::Forbidden(format!(
            "the lead authority must be one of the councils that hold the function; `{}` is not",
            new.lead_organisation
        )));
    }
    if a.shares.iter().any(|s| s.percent.is_zero()) {
        return Err(UseCaseError::invalid(
            "key",
            "a council's share is 0%: a buyer of a joint tender pays a share",
        ));
    }
    let origin = NewJointTender {
        partnership_id: partnership.id,
        category: a.category.clone(),
        key: a.key,
        year: a.year,
        rate: a.saving.map(|s| s.rate),
        baseline: a.aggregate_annual,
        saving: a.saving.map(|s| s.annual),
        analysis: serde_json::to_value(a)
            .map_err(|e| UseCaseError::invalid("analysis", e.to_string()))?,
    };
    Ok(store
        .create_joint_tender(&new, &origin, &caller.actor())
        .await?)
}

/// The joint tenders started from the partnership's analyses.
pub async fn tenders(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<Vec<JointTender>> {
    let partnership = authorise(store, caller, slug).await?;
    Ok(store.joint_tenders_of(partnership.id).await?)
}

/// A council's value for a key in a year, with its source.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyValueInput {
    /// The council's slug.
    pub organisation: String,
    /// `2016-17`.
    pub year: String,
    /// households, tax_base or population.
    pub key: String,
    /// A decimal above zero (at most six places).
    pub value: String,
    /// Where the figure comes from.
    pub source: String,
    /// Whether it has been checked against the source.
    #[serde(default)]
    pub confirmed: bool,
}

/// Stores key values, all or none: each council's by its own finance officers (or the
/// system). The error names the value and field (`values[1].value`).
pub async fn set_key_values(
    store: &Store,
    caller: &Caller,
    inputs: &[KeyValueInput],
) -> UseCaseResult<usize> {
    let mut values = Vec::with_capacity(inputs.len());
    for (i, v) in inputs.iter().enumerate() {
        let field = |f: &str| format!("values[{i}].{f}");
        if let Caller::User(_) = caller {
            let org = store
                .organisation_by_slug(v.organisation.trim())
                .await?
                .ok_or_else(|| {
                    UseCaseError::invalid(
                        field("organisation"),
                        format!("no organisation has the slug `{}`", v.organisation.trim()),
                    )
                })?;
            caller.require(Action::EnterKeyValues(org.id))?;
        }
        let value: Decimal = v.value.trim().parse().map_err(|_| {
            UseCaseError::invalid(field("value"), format!("`{}` is not a number", v.value))
        })?;
        if value.normalize().scale() > ngc_domain::shares::SHARE_PLACES {
            return Err(UseCaseError::invalid(
                field("value"),
                "more than 6 decimal places",
            ));
        }
        values.push(NewKeyValue {
            organisation: v.organisation.trim().to_owned(),
            year: v
                .year
                .trim()
                .parse()
                .map_err(|e: ngc_domain::finance::year::YearError| {
                    UseCaseError::invalid(field("year"), e.to_string())
                })?,
            key: parse::word(&field("key"), &v.key)?,
            value,
            source: v.source.trim().to_owned(),
            confirmed: v.confirmed,
        });
    }
    Ok(store.set_key_values(&values, &caller.actor()).await?)
}

/// A saving of the caller's own council's plans linked to the partnership's programme (link
/// kind `partnership`): the savings chain from the analysis's estimate to a member's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedSaving {
    pub plan: String,
    pub saving: String,
    /// The part of the programme the saving claims a year, if split.
    pub amount: Option<ngc_domain::money::Money>,
}

/// The savings of the caller's council linked to the partnership (none for a caller who may
/// not read its council's plans, or for the system).
pub async fn linked_savings(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<Vec<LinkedSaving>> {
    let partnership = authorise(store, caller, slug).await?;
    let Caller::User(p) = caller else {
        return Ok(Vec::new());
    };
    if !caller.can(Action::ReadPlans(p.organisation_id)) {
        return Ok(Vec::new());
    }
    let Some(org) = store.organisation_by_id(p.organisation_id).await? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for plan in store.list_plans(&org.slug).await? {
        for link in store.saving_links(plan.id).await? {
            if link.kind == ngc_domain::finance::evidence::LinkKind::Partnership
                && link.target == partnership.id
            {
                out.push(LinkedSaving {
                    plan: plan.name.clone(),
                    saving: link.saving,
                    amount: link.amount,
                });
            }
        }
    }
    Ok(out)
}

/// A council tax base an official return gives: Council Tax Requirement (CTR1) line 7, the
/// tax base for council tax setting in Band D equivalents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedTaxBase {
    /// The authority's E-code in the returns (`E2835`).
    pub code: String,
    /// Its name as the returns write it (`Northampton`).
    pub name: String,
    pub year: FinancialYear,
    pub tax_base: Decimal,
}

/// What filling the tax-base key from the returns did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TaxBasesFilled {
    /// Values stored (new, or replacing an earlier return's).
    pub entered: usize,
    /// Values already stored as the returns give them.
    pub unchanged: usize,
    /// Councils whose differing value was entered by hand, left as they are: (slug, year).
    pub kept: Vec<(String, String)>,
    /// Councils in the directory no return names (by the core of the name).
    pub unmatched: Vec<String>,
}

/// The start of the source every value filled from the returns carries; a stored value whose
/// source starts otherwise was entered by hand and is never replaced from the returns.
pub const RETURNS_SOURCE: &str = "Council Tax Requirement returns (CTR1)";

/// Fills the tax-base key values of the directory's councils from official returns just
/// imported: each council is matched to the return of the same name core (the rule the
/// resilience comparison uses: "Northampton Borough Council" is the return's "Northampton");
/// a council two returns could match is left out. A value entered by hand is kept, and
/// reported, where it differs. All values are stored or none.
pub async fn tax_bases_from_returns(
    store: &Store,
    caller: &Caller,
    returned: &[ReturnedTaxBase],
    files: &str,
) -> UseCaseResult<TaxBasesFilled> {
    use ngc_domain::finance::resilience::name_key;
    let mut by_name: BTreeMap<String, Vec<&ReturnedTaxBase>> = BTreeMap::new();
    for r in returned {
        by_name.entry(name_key(&r.name)).or_default().push(r);
    }
    let mut filled = TaxBasesFilled::default();
    let mut inputs = Vec::new();
    let mut stored: BTreeMap<FinancialYear, Vec<ngc_store::joint_working::KeyValue>> =
        BTreeMap::new();
    for org in store.list_organisations().await? {
        if !org.kind.is_council() {
            continue;
        }
        let Some(returns) = by_name.get(&name_key(&org.name)) else {
            filled.unmatched.push(org.slug.clone());
            continue;
        };
        let codes: std::collections::BTreeSet<&str> =
            returns.iter().map(|r| r.code.as_str()).collect();
        if codes.len() > 1 {
            filled.unmatched.push(org.slug.clone());
            continue;
        }
        for r in returns {
            let of_year = match stored.entry(r.year) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(store.key_values(r.year, Key::TaxBase).await?)
                }
            };
            let current = of_year.iter().find(|v| v.organisation == org.slug);
            let value = r.tax_base.normalize();
            if let Some(v) = current {
                if v.value.parse::<Decimal>().ok() == Some(value) {
                    filled.unchanged += 1;
                    continue;
                }
                if !v.source.starts_with(RETURNS_SOURCE) {
                    filled.kept.push((org.slug.clone(), r.year.to_string()));
                    continue;
                }
            }
            inputs.push(KeyValueInput {
                organisation: org.slug.clone(),
                year: r.year.to_string(),
                key: Key::TaxBase.as_str().into(),
                value: value.to_string(),
                source: format!(
                    "{RETURNS_SOURCE} {}, line 7: council tax base for council tax setting, \
                     Band D equivalents; {} {} ({files})",
                    r.year, r.code, r.name
                ),
                confirmed: true,
            });
        }
    }
    filled.entered = if inputs.is_empty() {
        0
    } else {
        set_key_values(store, caller, &inputs).await?
    };
    Ok(filled)
}
