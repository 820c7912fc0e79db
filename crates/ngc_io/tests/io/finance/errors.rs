//! A plan with anything wrong is refused, every problem naming its file, line and column.

use super::TestPlan;

#[test]
fn a_broken_amount_names_its_file_line_and_column() {
    let plan = TestPlan::new();
    plan.replace("savings.csv", ",1500000,2500000", ",1500000,2.5m");
    assert_eq!(
        plan.problem(),
        format!(
            "{}: line 2, column 2016-17: `2.5m` is not an amount: expected digits with an optional `-` and up to two decimal places, e.g. 1234.56",
            plan.file("savings.csv")
        )
    );
}

#[test]
fn more_than_two_decimal_places_are_refused_not_rounded() {
    let plan = TestPlan::new();
    plan.replace("base_budget.csv", "20000000.50", "20000000.505");
    assert_eq!(
        plan.problem(),
        format!(
            "{}: line 4, column amount: `20000000.505` has more than two decimal places",
            plan.file("base_budget.csv")
        )
    );
}

#[test]
fn an_unknown_service_lists_the_choices() {
    let plan = TestPlan::new();
    plan.replace("pressures.csv", "fire_and_rescue,Pensions", "fire,Pensions");
    let problem = plan.problem();
    assert!(
        problem.starts_with(&format!(
            "{}: line 3, column service: unknown service line `fire`: expected one of education, ",
            plan.file("pressures.csv")
        )),
        "{problem}"
    );
    assert!(problem.contains("fire_and_rescue"), "{problem}");
}

#[test]
fn a_reference_is_unique_across_savings_and_pressures() {
    let plan = TestPlan::new();
    plan.replace("savings.csv", "S-02,", "P-01,");
    assert_eq!(
        plan.problem(),
        format!(
            "{}: line 3, column reference: reference `P-01` is already used on line 2 of pressures.csv; references must be unique in the plan",
            plan.file("savings.csv")
        )
    );
}

#[test]
fn a_duplicate_saving_reference_names_the_first_line() {
    let plan = TestPlan::new();
    plan.replace("savings.csv", "S-02,", "S-01,");
    let problems = plan.problems();
    assert!(
        problems[0]
            .contains("line 3, column reference: reference `S-01` is already used on line 2;"),
        "{problems:#?}"
    );
}

#[test]
fn year_columns_must_be_the_plans_years() {
    let plan = TestPlan::new();
    plan.replace("reserves.csv", "2016-17", "2017-18");
    let problems = plan.problems();
    let file = plan.file("reserves.csv");
    assert_eq!(
        problems,
        [
            format!(
                "{file}: line 1, column 2017-18: unknown column: the columns are name, kind, opening, 2015-16, 2016-17"
            ),
            format!(
                "{file}: line 1, column 2016-17: missing column: the header must name the columns name, kind, opening, 2015-16, 2016-17"
            ),
        ]
    );
}

#[test]
fn funding_needs_the_year_before_the_plan() {
    let plan = TestPlan::new();
    plan.replace("funding.csv", "source,2014-15,", "source,");
    plan.replace("funding.csv", "grant,103606000,", "grant,");
    plan.replace("funding.csv", "council_tax,226640615,,", "council_tax,,");
    let problem = plan.problem();
    assert!(
        problem.contains("funding.csv: line 1, column 2014-15: missing column"),
        "{problem}"
    );
}

#[test]
fn the_social_care_precept_in_a_plan_year_is_refused() {
    let plan = TestPlan::new();
    plan.replace(
        "funding.csv",
        "council_tax,226640615,,",
        "council_tax,226640615,,\nadult_social_care_precept,,4000000,",
    );
    assert_eq!(
        plan.problem(),
        format!(
            "{}: line 4, column 2015-16: adult_social_care_precept in plan years is part of the council tax requirement: give the requirement set as council_tax, or leave 2015-16 blank for the plan to compute it",
            plan.file("funding.csv")
        )
    );
}

#[test]
fn a_set_council_tax_requirement_in_a_plan_year_gives_band_d() {
    let plan = TestPlan::new();
    plan.replace(
        "funding.csv",
        "council_tax,226640615,,",
        "council_tax,226640615,238217960,",
    );
    let read = plan.read().unwrap();
    assert_eq!(
        read.set_requirement(read.first_year),
        Some("238217960".parse().unwrap())
    );
}

#[test]
fn every_plan_year_needs_assumptions() {
    let plan = TestPlan::new();
    plan.replace("assumptions.csv", "2016-17,1,1.5,2,1.5,1.95,2\n", "");
    assert_eq!(
        plan.problem(),
        format!(
            "{}: column year: no assumptions for 2016-17: give one row for each plan year",
            plan.file("assumptions.csv")
        )
    );
}

#[test]
fn assumptions_for_a_year_outside_the_plan_are_refused() {
    let plan = TestPlan::new();
    plan.replace("assumptions.csv", "2016-17,1,1.5", "2017-18,1,1.5");
    let problems = plan.problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].ends_with("line 3, column year: 2017-18 is not a year of the plan: expected one of 2015-16, 2016-17"),
        "{problems:#?}"
    );
}

#[test]
fn a_base_budget_line_is_given_once() {
    let plan = TestPlan::new();
    plan.replace(
        "base_budget.csv",
        "fire_and_rescue,employees",
        "adult_social_care,income",
    );
    assert_eq!(
        plan.problem(),
        format!(
            "{}: line 4, column subjective: adult_social_care / income is already given on line 3; give one line for each",
            plan.file("base_budget.csv")
        )
    );
}

#[test]
fn an_uncertainty_range_needs_both_ends_the_right_way_up() {
    let plan = TestPlan::new();
    plan.replace("pressures.csv", ",90,130,", ",130,90,");
    plan.replace("pressures.csv", "Pensions,,,", "Pensions,80,,");
    let problems = plan.problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0]
            .contains("line 2, column low_pct: low_pct 130 must be between 0 and high_pct 90")
    );
    assert!(
        problems[1].contains("line 3, column high_pct: give both low_pct and high_pct, or neither")
    );
}

#[test]
fn delivery_updates_name_a_saving_of_the_plan() {
    let plan = TestPlan::new();
    plan.replace("delivery.csv", "S-01,2015-16,6", "S-09,2015-16,13");
    let problems = plan.problems();
    let file = plan.file("delivery.csv");
    assert_eq!(
        problems,
        [
            format!("{file}: line 2, column reference: no saving `S-09` in savings.csv"),
            format!(
                "{file}: line 2, column month: month 13 is not a month of the financial year: 1 is April, 12 is March"
            ),
        ]
    );
}

#[test]
fn bad_evidence_says_what_is_expected() {
    let plan = TestPlan::new();
    plan.replace(
        "savings.csv",
        "shared_service:northamptonshire-ca",
        "northamptonshire-ca",
    );
    let problem = plan.problem();
    assert!(
        problem.contains("line 3, column evidence: `northamptonshire-ca` is not evidence: expected kind:reference"),
        "{problem}"
    );
}

#[test]
fn a_bad_plan_setting_names_its_line_and_key() {
    let plan = TestPlan::new();
    plan.replace("plan.toml", "\"shire_county\"", "\"county\"");
    let problem = plan.problem();
    assert!(
        problem.starts_with(&format!(
            "{}: line 3, column authority_class: unknown authority class `county`: expected one of shire_county,",
            plan.file("plan.toml")
        )),
        "{problem}"
    );
}

#[test]
fn an_unknown_plan_setting_is_refused() {
    let plan = TestPlan::new();
    plan.replace("plan.toml", "years = 2\n", "years = 2\nyear = 2\n");
    let problem = plan.problem();
    assert!(
        problem.contains("plan.toml: line 6: unknown field `year`"),
        "{problem}"
    );
}

#[test]
fn every_bad_cell_is_reported_and_nothing_is_returned() {
    let plan = TestPlan::new();
    plan.replace("savings.csv", "amber,,,1500000", "purple,,,1500000");
    plan.replace(
        "reserves.csv",
        "general_fund,12009000",
        "general_fund,12,009,000",
    );
    plan.replace("base_budget.csv", "150000000", "£150000000");
    let problems = plan.problems();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("base_budget.csv: line 2, column amount"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("savings.csv: line 2, column rag: unknown RAG status `purple`"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("reserves.csv: line 2: the row has 7 fields but the header has 5"))
    );
}

#[test]
fn a_plan_directory_in_a_pack_with_problems_is_reported_by_read_plans() {
    let pack = tempfile::tempdir().unwrap();
    let plans = pack.path().join("plans");
    std::fs::create_dir_all(plans.join("a")).unwrap();
    let plan = TestPlan::new();
    for entry in std::fs::read_dir(plan.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), plans.join("a").join(entry.file_name())).unwrap();
    }
    std::fs::create_dir_all(plans.join("b")).unwrap();
    for entry in std::fs::read_dir(plan.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), plans.join("b").join(entry.file_name())).unwrap();
    }
    let errors = ngc_io::finance::read_plans(pack.path()).unwrap_err();
    let text = errors.to_string();
    assert!(
        text.contains("column name: `northamptonshire` already has a plan named `Test plan`"),
        "{text}"
    );
}
