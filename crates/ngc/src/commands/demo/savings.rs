//! The demo's savings evidence chain: the named savings of the county's plan linked to the
//! records that deliver them, as a finance officer links them on the savings tracker.
//!
//! - ENV-01, waste management (£7m): the residual waste disposal contract the
//!   NCC-2015-WD-002 tender let, against a **modelled** baseline of £11.78m a year for landfill
//!   and its tax before it (the contract's £4.78m a year then saves £7m a year from July 2015);
//! - CSC-01, looked-after children's placements (£4m): the NCC-2016-CP-003 placements tender,
//!   still being evaluated, so not yet priced;
//! - FIRE-01, fire and rescue (£0.75m): a planned procurement of a shared fire control and
//!   mobilising service with neighbouring fire services (**modelled**);
//! - ECON-01, the economy (£1m): England's Economic Heartland, the partnership whose programme
//!   takes over the county's own promotion of the economy;
//! - JW-01, joint working with the district and borough councils (£4.5m, £1.5m a year from
//!   2016-17): the proposed combined authority's joint-working programme (modelled detail),
//!   whose consolidation analysis started the joint waste collection tender.
//!
//! Loading again changes nothing: a link made before, even one a user has since removed, is
//! not made again.

use anyhow::Context;
use chrono::NaiveDate;
use ngc_domain::finance::evidence::LinkKind;
use ngc_domain::money::Money;
use ngc_domain::procurement::ContractType;
use ngc_domain::procurement::lifecycle::PlanLink;
use ngc_store::pipeline::NewPlannedProcurement;
use ngc_store::plans::links::NewLink;
use ngc_store::{Actor, Store};

const COUNTY: &str = "northamptonshire";
const PLAN: &str = "MTFP 2015-20";
const FIRE_CONTROL: &str = "Shared fire control and mobilising service";

/// Links the demo's named savings; gives how many links it made.
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    let Some(plan) = store
        .list_plans(COUNTY)
        .await?
        .into_iter()
        .find(|p| p.name == PLAN)
    else {
        return Ok(0);
    };
    let county = store
        .organisation_by_slug(COUNTY)
        .await?
        .context("the demo county")?;
    let tenders = store.list_tenders().await?;
    let tender = |reference: &str| {
        tenders
            .iter()
            .find(|t| t.reference == reference)
            .map(|t| t.id)
    };

    let mut wanted: Vec<(&str, LinkKind, i64, Option<Money>)> = Vec::new();
    if let Some(t) = tender("NCC-2015-WD-002") {
        for c in store.contracts_of_tender(t).await? {
            wanted.push((
                "ENV-01",
                LinkKind::Contract,
                c.id,
                Some(Money::pounds(11_780_000)),
            ));
        }
    }
    if let Some(t) = tender("NCC-2016-CP-003") {
        wanted.push(("CSC-01", LinkKind::Tender, t, None));
    }
    wanted.push((
        "FIRE-01",
        LinkKind::PlannedProcurement,
        fire_control(store).await?,
        None,
    ));
    if let Some(p) = store
        .list_partnerships()
        .await?
        .into_iter()
        .find(|p| p.slug.as_str() == "economic-heartland")
    {
        wanted.push(("ECON-01", LinkKind::Partnership, p.id, None));
    }
    // JW-01, joint working with the districts (£1.5m a year from 2016-17, £4.5m in all): the
    // combined authority's joint-working programme, whose first step is the consolidation of
    // the waste collection contracts (modelled detail).
    if let Some(p) = store
        .list_partnerships()
        .await?
        .into_iter()
        .find(|p| p.slug.as_str() == "northamptonshire-ca")
    {
        wanted.push(("JW-01", LinkKind::Partnership, p.id, None));
    }

    let mut made = 0;
    for (saving, kind, target, baseline) in wanted {
        if store
            .saving_link_ever_made(plan.id, saving, kind, target)
            .await?
        {
            continue;
        }
        let link = NewLink {
            saving_reference: saving.into(),
            kind,
            target_id: target,
            amount: None,
            baseline,
            note: "Demo link (modelled baseline where one is given)".into(),
        };
        store
            .link_saving(county.id, plan.id, &link, &Actor::system())
            .await
            .with_context(|| format!("linking the demo saving {saving}"))?;
        made += 1;
    }
    Ok(made)
}

/// The planned shared fire control procurement, made once.
async fn fire_control(store: &Store) -> anyhow::Result<i64> {
    let county = store
        .organisation_by_slug(COUNTY)
        .await?
        .context("the demo county")?;
    if let Some(p) = store
        .planned_procurements(county.id)
        .await?
        .into_iter()
        .find(|p| p.title == FIRE_CONTROL)
    {
        return Ok(p.id);
    }
    let day = |s: &str| s.parse::<NaiveDate>().expect("a demo date");
    let new = NewPlannedProcurement {
        organisation: COUNTY.into(),
        title: FIRE_CONTROL.into(),
        description: "Fire control and mobilising shared with neighbouring fire and rescue \
                      services (modelled)."
            .into(),
        estimated_value: Money::pounds(3_200_000),
        vat_inclusive: false,
        contract_type: ContractType::Services,
        planned_tender_on: day("2015-11-02"),
        planned_award_on: day("2016-02-01"),
        planned_start_on: day("2016-04-01"),
        link_kind: PlanLink::Saving,
        link_plan: Some(PLAN.into()),
        link_key: "FIRE-01".into(),
    };
    Ok(store
        .create_planned_procurement(&new, &Actor::system())
        .await?
        .id)
}
