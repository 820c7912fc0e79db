//! Plans for tests: a Northamptonshire-like five-year plan from 2015-16, and a small one.

use super::mtfp::{
    Assumptions, BaseLine, CouncilTaxBase, FundingLine, FundingSource, Plan, Pressure,
    PressureKind, Uncertainty,
};
use super::referendum::AuthorityClass;
use super::reserves::{Reserve, ReserveKind};
use super::savings::{Evidence, EvidenceKind, Rag, Saving, SavingCategory};
use super::service::{ServiceLine, Subjective};
use super::year::FinancialYear;
use crate::money::Money;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub fn y(s: &str) -> FinancialYear {
    s.parse().unwrap()
}

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn m(s: &str) -> Money {
    s.parse().unwrap()
}

pub fn k(thousands: i64) -> Money {
    Money::pounds(thousands * 1000)
}

fn base(service: ServiceLine, subjective: Subjective, thousands: i64) -> BaseLine {
    BaseLine {
        service,
        subjective,
        amount: k(thousands),
    }
}

pub fn saving(reference: &str, service: ServiceLine, rag: Rag, amounts: &[(&str, i64)]) -> Saving {
    Saving {
        reference: reference.into(),
        title: format!("Saving {reference}"),
        service,
        category: SavingCategory::Efficiency,
        amounts: amounts.iter().map(|&(yr, t)| (y(yr), k(t))).collect(),
        owner: "Director".into(),
        rag,
        delivered_to_date: Money::ZERO,
        evidence: None,
    }
}

pub fn pressure(reference: &str, kind: PressureKind, amounts: &[(&str, i64)]) -> Pressure {
    Pressure {
        reference: reference.into(),
        kind,
        service: ServiceLine::AdultSocialCare,
        description: format!("Pressure {reference}"),
        amounts: amounts.iter().map(|&(yr, t)| (y(yr), k(t))).collect(),
        uncertainty: Some(Uncertainty {
            low_pct: d("90"),
            high_pct: d("130"),
        }),
    }
}

/// The growth that takes Northamptonshire's tax base from 216,142.5 to 222,837.7.
pub fn ncc_tax_base_growth_2015_16() -> Decimal {
    (d("222837.7") / d("216142.5") - Decimal::ONE) * Decimal::ONE_HUNDRED
}

/// A five-year plan shaped like Northamptonshire's 2015 MTFP (£ thousands, rounded).
pub fn demo_plan() -> Plan {
    use ServiceLine::*;
    use Subjective::*;
    let years = ["2015-16", "2016-17", "2017-18", "2018-19", "2019-20"];
    let ct = [
        ("1.95", "0"),
        ("1.95", "2"),
        ("1.99", "3"),
        ("2.99", "3"),
        ("2.99", "0"),
    ];
    let assumptions = years
        .iter()
        .zip(ct)
        .enumerate()
        .map(|(i, (yr, (ct, asc)))| Assumptions {
            year: y(yr),
            pay_award_pct: d("1"),
            general_inflation_pct: d("1.5"),
            social_care_inflation_pct: d("2.5"),
            demography_pct: BTreeMap::from([
                (AdultSocialCare, d("2")),
                (ChildrensSocialCare, d("3")),
            ]),
            tax_base_growth_pct: if i == 0 {
                ncc_tax_base_growth_2015_16()
            } else {
                d("1.5")
            },
            council_tax_increase_pct: d(ct),
            asc_precept_pct: d(asc),
        })
        .collect();
    let mut funding = Vec::new();
    let rsg = [103_600, 77_900, 55_900, 35_500, 20_000, 10_000];
    for (i, yr) in ["2014-15"].iter().chain(years.iter()).enumerate() {
        let line = |source, t: i64| FundingLine {
            source,
            year: y(yr),
            amount: k(t),
        };
        funding.push(line(FundingSource::RevenueSupportGrant, rsg[i]));
        funding.push(line(
            FundingSource::RetainedBusinessRates,
            30_000 + 500 * i as i64,
        ));
        funding.push(line(FundingSource::TopUpTariff, 40_000));
        funding.push(line(FundingSource::SpecificGrants, 20_000));
        funding.push(line(FundingSource::NewHomesBonus, 5_000));
    }
    funding.push(FundingLine {
        source: FundingSource::CouncilTax,
        year: y("2014-15"),
        amount: m("226640615"),
    });
    // The 2015-16 requirement the council set (official, CTR 2015-16): Band D 1,069.02.
    funding.push(FundingLine {
        source: FundingSource::CouncilTax,
        year: y("2015-16"),
        amount: m("238217960"),
    });
    let mut out_of_county = saving(
        "CSC-01",
        ChildrensSocialCare,
        Rag::Amber,
        &[("2015-16", 2_000), ("2016-17", 2_000)],
    );
    out_of_county.title = "Review of looked-after children placed out of county".into();
    out_of_county.category = SavingCategory::Transformation;
    let mut waste = saving(
        "ENV-01",
        EnvironmentalAndRegulatory,
        Rag::Green,
        &[("2015-16", 7_000)],
    );
    waste.title = "Waste management".into();
    waste.category = SavingCategory::JointWorking;
    waste.evidence = Some(Evidence {
        kind: EvidenceKind::Contract,
        reference: "waste-collection-2015".into(),
    });
    Plan {
        organisation: "northamptonshire".into(),
        name: "MTFP 2015".into(),
        authority_class: AuthorityClass::ShireCounty,
        first_year: y("2015-16"),
        years: 5,
        base: vec![
            base(AdultSocialCare, Employees, 30_000),
            base(AdultSocialCare, RunningCosts, 10_000),
            base(AdultSocialCare, ThirdPartyPayments, 150_000),
            base(AdultSocialCare, Income, 40_000),
            base(ChildrensSocialCare, Employees, 40_000),
            base(ChildrensSocialCare, ThirdPartyPayments, 60_000),
            base(Education, Employees, 20_000),
            base(Education, RunningCosts, 10_000),
            base(HighwaysAndTransport, RunningCosts, 40_000),
            base(EnvironmentalAndRegulatory, ThirdPartyPayments, 35_000),
            base(FireAndRescue, Employees, 20_000),
            base(CentralServices, Employees, 25_000),
            base(CentralServices, RunningCosts, 10_000),
            base(CentralServices, Income, 5_000),
            base(Cultural, RunningCosts, 10_000),
        ],
        assumptions,
        pressures: vec![
            pressure("P-01", PressureKind::Legislation, &[("2016-17", 6_000)]),
            pressure(
                "P-02",
                PressureKind::PreviousDecisions,
                &[("2015-16", 3_000), ("2017-18", 1_000)],
            ),
        ],
        funding,
        council_tax: CouncilTaxBase {
            band_d: m("1048.57"),
            tax_base: d("216142.5"),
        },
        savings: vec![
            saving(
                "ECON-01",
                PlanningAndDevelopment,
                Rag::Green,
                &[("2015-16", 1_000)],
            ),
            waste,
            saving("FIRE-01", FireAndRescue, Rag::Red, &[("2015-16", 750)]),
            out_of_county,
        ],
        delivery: vec![],
        reserves: vec![
            Reserve {
                name: "General fund".into(),
                kind: ReserveKind::GeneralFund,
                opening: k(15_000),
                planned_use: BTreeMap::new(),
            },
            Reserve {
                name: "Earmarked".into(),
                kind: ReserveKind::Earmarked,
                opening: k(47_695),
                planned_use: [(y("2015-16"), k(28_059)), (y("2016-17"), k(11_155))].into(),
            },
        ],
        minimum_reserve_pct: d("2.5"),
        scenarios: Vec::new(),
    }
}
