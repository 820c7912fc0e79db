//! The demo's contract register, entered through the same use case as a council's officer
//! uses: the four Next Generation bodies' large contracts with the county, smaller contracts
//! with market providers, and the five district waste collection contracts that the joint
//! collection tender will replace. The ones still running are dated from the demo's anchor
//! (its first load), so the expiry pipeline always has something in view.
//!
//! Every figure is **modelled**, as the plan's README says of its own: the values are of the
//! right order for Northamptonshire in 2015–17, not the real contracts' values, and the
//! children's services mutual never existed.

use anyhow::Context;
use chrono::{Months, NaiveDate};
use ngc_app::Caller;
use ngc_app::contracts::{BuyerShare, ContractInput, enter};
use ngc_store::Store;

/// When a demo contract starts or ends.
#[derive(Clone, Copy)]
enum When {
    /// A fixed day.
    On(&'static str),
    /// Months after the anchor (negative: before).
    Anchor(i32),
}

impl When {
    fn day(self, anchor: NaiveDate) -> NaiveDate {
        match self {
            When::On(d) => d.parse().expect("a demo date"),
            When::Anchor(m) if m >= 0 => anchor + Months::new(m.unsigned_abs()),
            When::Anchor(m) => anchor - Months::new(m.unsigned_abs()),
        }
    }
}

struct DemoContract {
    holder: &'static str,
    reference: &'static str,
    title: &'static str,
    description: &'static str,
    department: &'static str,
    category: &'static str,
    supplier: &'static str,
    buyers: &'static [(&'static str, &'static str)],
    partnership: Option<&'static str>,
    route: &'static str,
    ground: &'static str,
    value: &'static str,
    starts: When,
    ends: When,
    extension: &'static str,
}

const MODELLED: &str = "Figures are modelled for the demo.";

fn contracts() -> Vec<DemoContract> {
    let c = |holder,
             reference,
             title,
             description,
             department,
             category,
             supplier,
             route,
             ground,
             value,
             starts,
             ends| DemoContract {
        holder,
        reference,
        title,
        description,
        department,
        category,
        supplier,
        buyers: &[],
        partnership: None,
        route,
        ground,
        value,
        starts,
        ends,
        extension: "",
    };
    let mut all = vec![
        DemoContract {
            extension: "Two extensions of up to two years each",
            ..c(
                "northamptonshire",
                "NCC-ASC-001",
                "Adult social care: residential, day and enablement services",
                "The council's own adult care company runs its care homes, day services and \
                 reablement. A Teckal arrangement: the council controls the company and it does \
                 more than 80% of its work for the council.",
                "Adult Social Services",
                "85311000",
                "olympus-care-services",
                "exempt",
                "PCR 2015 reg 12(1): a contract with a legal person the council controls (Teckal)",
                "148000000.00",
                When::On("2016-04-01"),
                When::Anchor(30),
            )
        },
        DemoContract {
            extension: "One extension of up to five years",
            ..c(
                "northamptonshire",
                "NCC-PLC-001",
                "Place-shaping: highways design, planning and property services",
                "The council-owned place-shaping company delivers the county's design, \
                 planning and property services.",
                "Place",
                "71000000",
                "northamptonshire-place-company",
                "exempt",
                "PCR 2015 reg 12(1): a contract with a legal person the council controls (Teckal)",
                "62000000.00",
                When::On("2017-04-01"),
                When::Anchor(40),
            )
        },
        c(
            "northamptonshire",
            "NCC-PH-001",
            "Community wellbeing and public health services",
            "Stop smoking, weight management, health checks and wellbeing advice. Part block \
             payment, part payment by results for quits at four weeks and completed health \
             checks.",
            "Public Health",
            "85323000",
            "first-for-wellbeing",
            "exempt",
            "PCR 2015 reg 12(4): cooperation between contracting authorities (the CIC was \
             established by the council with NHS partners)",
            "21000000.00",
            When::On("2016-04-01"),
            When::Anchor(8),
        ),
        c(
            "northamptonshire",
            "NCC-ASC-014",
            "Home care (north)",
            "Domiciliary care for adults in Corby, Kettering and Wellingborough.",
            "Adult Social Services",
            "85312000",
            "nene-valley-care",
            "tender",
            "",
            "6400000.00",
            When::Anchor(-26),
            When::Anchor(10),
        ),
        c(
            "northamptonshire",
            "NCC-CS-021",
            "Independent fostering placements",
            "Foster placements for looked-after children, with support for carers.",
            "Children's Services",
            "85311300",
            "welland-fostering",
            "tender",
            "",
            "3900000.00",
            When::Anchor(-30),
            When::Anchor(6),
        ),
        c(
            "northamptonshire",
            "NCC-ASC-030",
            "Carers' support service",
            "Information, advice and breaks for unpaid carers.",
            "Adult Social Services",
            "85312000",
            "kingsthorpe-carers",
            "quotes",
            "",
            "180000.00",
            When::Anchor(-20),
            When::Anchor(4),
        ),
        c(
            "northamptonshire",
            "NCC-ASC-031",
            "Welfare rights advice",
            "Benefits and debt advice for adults receiving care.",
            "Adult Social Services",
            "85312320",
            "ise-valley-advice",
            "quotes",
            "",
            "96000.00",
            When::Anchor(-14),
            When::Anchor(22),
        ),
        c(
            "northamptonshire",
            "NCC-ASC-040",
            "Supported living (learning disabilities)",
            "Supported living in small shared homes.",
            "Adult Social Services",
            "85311000",
            "lamport-supported-living",
            "tender",
            "",
            "2750000.00",
            When::Anchor(-18),
            When::Anchor(30),
        ),
        c(
            "northamptonshire",
            "NCC-TR-007",
            "Community transport for day services",
            "Accessible transport to day services.",
            "Place",
            "60130000",
            "eleanor-cross-transport",
            "quotes",
            "",
            "140000.00",
            When::Anchor(-11),
            When::Anchor(13),
        ),
        c(
            "northamptonshire",
            "NCC-ASC-052",
            "Meals at home",
            "Hot meals delivered to people at home.",
            "Adult Social Services",
            "55521100",
            "sywell-meals",
            "quotes",
            "",
            "85000.00",
            When::Anchor(-9),
            When::Anchor(3),
        ),
        c(
            "northamptonshire",
            "NCC-FM-003",
            "Facilities management of County Hall",
            "Cleaning, security and maintenance.",
            "Corporate",
            "79993000",
            "brackmills-facilities",
            "tender",
            "",
            "1200000.00",
            When::Anchor(-24),
            When::Anchor(12),
        ),
        c(
            "northamptonshire",
            "NCC-IT-011",
            "Digital services for the customer portal",
            "Design and running of the council's online services.",
            "Corporate",
            "72000000",
            "wootton-digital",
            "quotes",
            "",
            "160000.00",
            When::Anchor(-6),
            When::Anchor(18),
        ),
        c(
            "northamptonshire",
            "NCC-WS-020",
            "Reuse shop at the household waste recycling centres",
            "Reuse and resale of items brought to the recycling centres.",
            "Place",
            "90500000",
            "cogenhoe-reuse",
            "quotes",
            "",
            "45000.00",
            When::On("2015-04-01"),
            When::On("2016-03-31"),
        ),
    ];
    // The five district waste collection contracts: two pairs of districts share one.
    let waste = |holder, reference, title, supplier, value, starts, ends| DemoContract {
        holder,
        reference,
        title,
        description: "Household waste and recycling collection. The joint collection tender \
                      led by Northampton will replace it.",
        department: "Environmental Services",
        category: "90511000",
        supplier,
        buyers: &[],
        partnership: Some("northamptonshire-ca"),
        route: "tender",
        ground: "",
        value,
        starts,
        ends,
        extension: "",
    };
    all.extend([
        DemoContract {
            buyers: &[("corby", "45.3"), ("kettering", "54.7")],
            ..waste(
                "kettering",
                "KBC-WASTE-2011",
                "Waste collection for Corby and Kettering",
                "rockingham-waste",
                "31500000.00",
                When::Anchor(-67),
                When::Anchor(5),
            )
        },
        DemoContract {
            buyers: &[("daventry", "46.1"), ("south-northamptonshire", "53.9")],
            ..waste(
                "south-northamptonshire",
                "SNC-WASTE-2012",
                "Waste collection for Daventry and South Northamptonshire",
                "midshires-environmental",
                "29800000.00",
                When::Anchor(-60),
                When::Anchor(9),
            )
        },
        waste(
            "east-northamptonshire",
            "ENC-WASTE-2013",
            "Waste collection for East Northamptonshire",
            "rockingham-waste",
            "14200000.00",
            When::Anchor(-50),
            When::Anchor(14),
        ),
        waste(
            "northampton",
            "NBC-WASTE-2012",
            "Waste collection for Northampton",
            "midshires-environmental",
            "38600000.00",
            When::Anchor(-58),
            When::Anchor(8),
        ),
        waste(
            "wellingborough",
            "BCW-WASTE-2014",
            "Waste collection for Wellingborough",
            "rockingham-waste",
            "12900000.00",
            When::Anchor(-40),
            When::Anchor(20),
        ),
    ]);
    all
}

/// The spun-out bodies' own accounts (modelled): First for Wellbeing's are thin, and almost
/// all its income is the county's wellbeing contract, which ends within the year.
const ACCOUNTS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "first-for-wellbeing",
        "2200000.00",
        "90000.00",
        "120000.00",
        "2026-03-31",
    ),
    (
        "olympus-care-services",
        "61000000.00",
        "9500000.00",
        "7800000.00",
        "2026-03-31",
    ),
    (
        "northamptonshire-place-company",
        "14500000.00",
        "2100000.00",
        "1900000.00",
        "2026-03-31",
    ),
];

async fn accounts(store: &Store) -> anyhow::Result<()> {
    for (slug, turnover, net_assets, reserves, year_end) in ACCOUNTS {
        let org = store
            .organisation_by_slug(slug)
            .await?
            .with_context(|| format!("no demo provider {slug}"))?;
        if !store.provider_accounts(org.id).await?.is_empty() {
            continue;
        }
        let input = ngc_app::providers::AccountsInput {
            year_end: year_end.into(),
            turnover: turnover.into(),
            net_assets: net_assets.into(),
            reserves: reserves.into(),
            filed_on: Some("2026-09-30".into()),
        };
        ngc_app::providers::record_accounts(store, &Caller::System, slug, &input)
            .await
            .with_context(|| format!("entering the demo accounts of {slug}"))?;
    }
    Ok(())
}

/// Enters the demo's contracts that are not in their registers yet, and the spun-out
/// bodies' accounts; returns how many contracts.
pub async fn load(store: &Store, anchor: NaiveDate) -> anyhow::Result<usize> {
    let mut made = 0;
    for d in contracts() {
        if store
            .contract_id_by_reference(d.holder, d.reference)
            .await?
            .is_some()
        {
            continue;
        }
        let input = ContractInput {
            reference: d.reference.into(),
            title: d.title.into(),
            description: format!("{} {MODELLED}", d.description),
            department: d.department.into(),
            category: d.category.into(),
            supplier: d.supplier.into(),
            buyers: d
                .buyers
                .iter()
                .map(|(o, s)| BuyerShare {
                    organisation: (*o).into(),
                    share: (*s).into(),
                })
                .collect(),
            partnership: d.partnership.map(Into::into),
            contract_type: None,
            route: Some(d.route.into()),
            route_ground: d.ground.into(),
            value: d.value.into(),
            annual_value: None,
            vat_treatment: None,
            irrecoverable_vat: None,
            starts_on: d.starts.day(anchor).to_string(),
            ends_on: Some(d.ends.day(anchor).to_string()),
            review_on: None,
            extension_options: d.extension.into(),
            latest_end_on: None,
        };
        enter(store, &Caller::System, d.holder, &input)
            .await
            .with_context(|| format!("entering the demo contract {}", d.reference))?;
        made += 1;
    }
    accounts(store).await?;
    Ok(made)
}
