//! Financial plans and budgets from files: the Northamptonshire demo plan reproduces the
//! figures the council published in 2015, and every bad cell is reported where it is.

mod budget;
mod errors;

use super::support::demo_dir;
use ngc_domain::finance::mtfp::{Plan, PressureKind, report};
use ngc_domain::finance::savings::{EvidenceKind, Rag, SavingCategory};
use ngc_domain::finance::{FinancialYear, ServiceLine};
use ngc_domain::money::Money;
use ngc_io::PackErrors;
use ngc_io::finance::{read_plan, read_plans};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn y(s: &str) -> FinancialYear {
    s.parse().unwrap()
}

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn demo_plan_dir() -> PathBuf {
    demo_dir().join("plans/mtfp-2015-20")
}

fn demo_plan() -> Plan {
    read_plan(&demo_plan_dir()).unwrap_or_else(|e| panic!("the demo plan reads:\n{e}"))
}

#[test]
fn the_demo_pack_holds_one_plan_for_northamptonshire() {
    let plans = read_plans(&demo_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plans.len(), 1);
    let plan = &plans[0];
    assert_eq!(plan.organisation, "northamptonshire");
    assert_eq!(plan.name, "MTFP 2015-20");
    assert_eq!(
        plan.plan_years(),
        ["2015-16", "2016-17", "2017-18", "2018-19", "2019-20"].map(y)
    );
    assert!(plan.savings.len() >= 40, "{} savings", plan.savings.len());
    assert!(
        plan.pressures.len() >= 30,
        "{} pressures",
        plan.pressures.len()
    );
}

#[test]
fn a_pack_without_plans_has_none() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(read_plans(dir.path()).unwrap(), Vec::<Plan>::new());
}

#[test]
fn the_demo_plan_reports_the_published_totals() {
    let plan = demo_plan();
    let r = report(&plan);
    // Service cost pressures of £104m over five years: assumption-driven pay and price
    // inflation plus the 31 named pressures (calibrated to the published total).
    assert_eq!(r.totals.pressures, m("104002271.60"));
    assert_eq!(r.totals.savings, m("68000000.00"));
    // Government funding (RSG and retained business rates) 2019-20 less 2014-15.
    assert_eq!(r.totals.government_funding_change, m("-79000000.00"));
    assert_eq!(
        plan.government_funding(y("2014-15")),
        m("189319000.00"),
        "RSG £103,606k + retained business rates £85,713k (RS 2014-15)"
    );
}

#[test]
fn the_demo_plan_raises_council_tax_within_the_referendum_limit() {
    let r = report(&demo_plan());
    let first = &r.council_tax[0];
    assert_eq!(first.year, y("2015-16"));
    assert_eq!(first.band_d, m("1069.02"));
    assert_eq!(first.increase_pct, "1.95".parse().unwrap());
    assert!(first.within_limit);
    assert_eq!(first.tax_base, "222837.70".parse().unwrap());
    let second = &r.council_tax[1];
    assert_eq!(second.band_d, m("1111.25"), "the published 2016-17 Band D");
    assert_eq!(second.increase_pct, "3.95".parse().unwrap());
    for row in &r.council_tax {
        assert!(row.within_limit, "{row:?}");
        assert!(
            (1.95..=3.95).contains(&row.increase_pct.to_string().parse::<f64>().unwrap()),
            "{row:?}"
        );
    }
}

#[test]
fn the_demo_plan_leaves_its_gap_showing_and_runs_out_of_reserves() {
    let r = report(&demo_plan());
    let gaps: Vec<Money> = r.rows.iter().map(|row| row.gap).collect();
    assert_eq!(
        gaps,
        [
            "14633579.23",
            "17001666.23",
            "22778028.35",
            "31849514.59",
            "36798893.49"
        ]
        .map(m)
    );
    let reserves: Vec<Money> = r.rows.iter().map(|row| row.reserves_end).collect();
    assert_eq!(
        reserves,
        [
            "36570420.77",
            "13068754.54",
            "-13209273.81",
            "-45558788.40",
            "-82857681.89"
        ]
        .map(m)
    );
    // Opening usable reserves: the general fund £12,009k and earmarked £47,695k (RS 2015-16).
    assert_eq!(r.detail[0].reserves_start.general, m("12009000"));
    assert_eq!(r.detail[0].reserves_start.earmarked, m("47695000"));
}

#[test]
fn social_care_dominates_the_named_pressures() {
    let plan = demo_plan();
    let mut by_service: BTreeMap<ServiceLine, Money> = BTreeMap::new();
    let mut kinds = std::collections::BTreeSet::new();
    for p in &plan.pressures {
        *by_service.entry(p.service).or_default() += p.amounts.values().copied().sum();
        kinds.insert(p.kind);
    }
    let care =
        by_service[&ServiceLine::AdultSocialCare] + by_service[&ServiceLine::ChildrensSocialCare];
    let all: Money = by_service.values().copied().sum();
    assert!(care.as_pence() * 2 > all.as_pence(), "{care} of {all}");
    for kind in [
        PressureKind::Inflation,
        PressureKind::Demography,
        PressureKind::Legislation,
        PressureKind::PreviousDecisions,
        PressureKind::Other,
    ] {
        assert!(kinds.contains(&kind), "no {kind} pressure");
    }
    assert!(plan.pressures.iter().all(|p| p.uncertainty.is_some()));
}

#[test]
fn the_demo_plan_names_the_published_savings() {
    let plan = demo_plan();
    let total = |reference: &str| {
        let s = plan
            .savings
            .iter()
            .find(|s| s.reference == reference)
            .unwrap_or_else(|| panic!("no saving {reference}"));
        (
            s.service,
            s.category,
            s.amounts.values().copied().sum::<Money>(),
        )
    };
    let (service, _, amount) = total("ECON-01");
    assert_eq!(
        (service, amount),
        (ServiceLine::PlanningAndDevelopment, m("1000000"))
    );
    let (service, _, amount) = total("ENV-01");
    assert_eq!(
        (service, amount),
        (ServiceLine::EnvironmentalAndRegulatory, m("7000000"))
    );
    let (service, _, amount) = total("FIRE-01");
    assert_eq!((service, amount), (ServiceLine::FireAndRescue, m("750000")));
    let (service, _, amount) = total("CSC-01");
    assert_eq!(
        (service, amount),
        (ServiceLine::ChildrensSocialCare, m("4000000"))
    );
    let (_, category, amount) = total("JW-01");
    assert_eq!(
        (category, amount),
        (SavingCategory::JointWorking, m("4500000"))
    );

    let joint = plan
        .savings
        .iter()
        .find(|s| s.reference == "JW-01")
        .unwrap();
    assert_eq!(joint.amount_in(y("2015-16")), Money::ZERO, "from 2016-17");
    let evidence = joint.evidence.as_ref().expect("joint working evidence");
    assert_eq!(evidence.kind, EvidenceKind::SharedService);
    assert_eq!(evidence.reference, "northamptonshire-ca");

    assert!(plan.savings.iter().all(|s| !s.owner.is_empty()));
    let at_risk = plan
        .savings
        .iter()
        .filter(|s| matches!(s.rag, Rag::Red | Rag::Amber))
        .count();
    assert!(at_risk * 2 > plan.savings.len(), "{at_risk} amber or red");
    assert!(!plan.delivery.is_empty());
}

/// A small valid two-year plan in a temporary directory, for tests to break one thing at a
/// time. Line 1 of each CSV is the header.
pub struct TestPlan {
    dir: TempDir,
}

pub const PLAN_TOML: &str = "\
organisation = \"northamptonshire\"
name = \"Test plan\"
authority_class = \"shire_county\"
first_year = \"2015-16\"
years = 2
minimum_reserve_pct = \"2.5\"

[council_tax]
band_d = \"1048.57\"
tax_base = \"216142.5\"
";

pub const FILES: &[(&str, &str)] = &[
    (
        "base_budget.csv",
        "service,subjective,amount\n\
         adult_social_care,third_party_payments,150000000\n\
         adult_social_care,income,40000000\n\
         fire_and_rescue,employees,20000000.50\n",
    ),
    (
        "assumptions.csv",
        "year,pay_award_pct,general_inflation_pct,social_care_inflation_pct,tax_base_growth_pct,council_tax_increase_pct,asc_precept_pct\n\
         2015-16,1,1.5,2,3.097586,1.95,0\n\
         2016-17,1,1.5,2,1.5,1.95,2\n",
    ),
    (
        "demography.csv",
        "service,2015-16,2016-17\n\
         adult_social_care,2,2.5\n",
    ),
    (
        "pressures.csv",
        "reference,kind,service,description,low_pct,high_pct,2015-16,2016-17\n\
         P-01,legislation,adult_social_care,Care Act 2014,90,130,3000000,\n\
         P-02,other,fire_and_rescue,Pensions,,,100000,200000\n",
    ),
    (
        "funding.csv",
        "source,2014-15,2015-16,2016-17\n\
         revenue_support_grant,103606000,77936000,55865000\n\
         council_tax,226640615,,\n",
    ),
    (
        "savings.csv",
        "reference,title,service,category,owner,rag,delivered_to_date,evidence,2015-16,2016-17\n\
         S-01,Out-of-county placements,childrens_social_care,transformation,Director of Children's Services,amber,,,1500000,2500000\n\
         S-02,Joint working,central_services,joint_working,Chief Executive,red,0,shared_service:northamptonshire-ca,,4500000\n",
    ),
    (
        "reserves.csv",
        "name,kind,opening,2015-16,2016-17\n\
         General fund,general_fund,12009000,,\n\
         Transformation,earmarked,47695000,28059000,11155000\n",
    ),
    (
        "delivery.csv",
        "reference,year,month,delivered,rag,note\n\
         S-01,2015-16,6,500000,amber,Behind profile\n",
    ),
];

impl TestPlan {
    pub fn new() -> Self {
        let plan = TestPlan {
            dir: tempfile::tempdir().expect("temporary directory"),
        };
        plan.write("plan.toml", PLAN_TOML);
        for (file, text) in FILES {
            plan.write(file, text);
        }
        plan
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `dir/file`, as error messages show it.
    pub fn file(&self, file: &str) -> String {
        self.path().join(file).display().to_string()
    }

    pub fn write(&self, file: &str, text: &str) -> &Self {
        std::fs::write(self.path().join(file), text).expect("write plan file");
        self
    }

    /// Replaces the one occurrence of `from` in `file`.
    pub fn replace(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read plan file");
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file}");
        self.write(file, &text.replacen(from, to, 1))
    }

    pub fn read(&self) -> Result<Plan, PackErrors> {
        read_plan(self.path())
    }

    /// The problems, one line each; fails the test if the plan reads.
    pub fn problems(&self) -> Vec<String> {
        match self.read() {
            Ok(_) => panic!("the plan read without problems"),
            Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
        }
    }

    /// The only problem; fails the test unless there is exactly one.
    pub fn problem(&self) -> String {
        let mut problems = self.problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        problems.remove(0)
    }
}

#[test]
fn the_test_plan_reads_every_file() {
    let plan = TestPlan::new().read().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.years, 2);
    assert_eq!(plan.base.len(), 3);
    assert_eq!(plan.base[2].amount, m("20000000.50"));
    let second = plan.assumptions_for(y("2016-17"));
    assert_eq!(
        second.demography_pct[&ServiceLine::AdultSocialCare],
        "2.5".parse().unwrap()
    );
    assert_eq!(
        plan.pressures[0].amounts.len(),
        1,
        "blank cells are no amount"
    );
    assert_eq!(plan.pressures[1].uncertainty, None);
    assert_eq!(plan.funding.len(), 4);
    assert_eq!(
        plan.savings[1].evidence.as_ref().unwrap().reference,
        "northamptonshire-ca"
    );
    assert_eq!(plan.reserves[1].planned_use[&y("2016-17")], m("11155000"));
    assert_eq!(plan.delivery[0].month, 6);
}

#[test]
fn demography_and_delivery_files_are_optional() {
    let plan = TestPlan::new();
    std::fs::remove_file(plan.path().join("demography.csv")).unwrap();
    std::fs::remove_file(plan.path().join("delivery.csv")).unwrap();
    let plan = plan.read().unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.delivery.is_empty());
    assert!(plan.assumptions.iter().all(|a| a.demography_pct.is_empty()));
}

#[test]
fn the_demo_plans_scenarios_sit_beside_it_and_one_would_need_a_referendum() {
    use ngc_domain::finance::mtfp::ReportOptions;
    use ngc_domain::finance::scenario::compare;
    let plans = ngc_io::finance::read_plans(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../demo/northamptonshire-2015"
    )))
    .unwrap();
    let plan = &plans[0];
    let names: Vec<&str> = plan.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Red-rated savings fail",
            "Council tax at the limit",
            "Council tax 4.99% in 2016-17 (referendum)"
        ]
    );
    let c = compare(plan, &plan.scenarios, &ReportOptions::default()).unwrap();
    let (_, fail) = &c.scenarios[0];
    assert!(
        fail.totals.savings < c.base.totals.savings,
        "red savings removed"
    );
    assert!(fail.rows.last().unwrap().gap > c.base.rows.last().unwrap().gap);
    let (_, referendum) = &c.scenarios[2];
    assert!(
        !referendum.council_tax[1].within_limit,
        "4.99% in 2016-17 breaks the 4% limit"
    );
    assert!(c.base.council_tax.iter().all(|ct| ct.within_limit));
}

#[test]
fn a_scenario_naming_an_unknown_saving_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan_dir = dir.path().join("plan");
    let demo = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../demo/northamptonshire-2015/plans/mtfp-2015-20"
    ));
    std::fs::create_dir_all(&plan_dir).unwrap();
    for entry in std::fs::read_dir(demo).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), plan_dir.join(entry.file_name())).unwrap();
    }
    std::fs::write(
        plan_dir.join("scenarios.csv"),
        "scenario,change,target,year,value\nX,remove_saving,NOPE-9,,\nY,double_it,,,\n",
    )
    .unwrap();
    let err = ngc_io::finance::read_plan(&plan_dir)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("scenarios.csv")
            && err.contains("double_it")
            && err.contains("expected one of"),
        "{err}"
    );
    std::fs::write(
        plan_dir.join("scenarios.csv"),
        "scenario,change,target,year,value\nX,remove_saving,NOPE-9,,\n",
    )
    .unwrap();
    let err = ngc_io::finance::read_plan(&plan_dir)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("scenarios.csv") && err.contains("NOPE-9"),
        "{err}"
    );
}
