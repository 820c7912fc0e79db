//! The medium-term financial plan in the layout councils publish: years as columns;
//! spending (base, pressures by kind, savings), funding by source, then the gap and reserves.
//! One layout for the command line's table, the CSV and XLSX exports and the web page.

use super::mtfp::{FundingSource, Plan, Report};
use super::year::FinancialYear;
use crate::money::Money;
use serde::Serialize;

/// How a line is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStyle {
    /// An ordinary line.
    Detail,
    /// A total or a result, shown in bold.
    Total,
}

/// One line: a label and an amount per plan year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    pub label: String,
    pub values: Vec<Money>,
    pub style: LineStyle,
}

/// A block of lines under a heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: &'static str,
    pub lines: Vec<StatementLine>,
}

/// The whole statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub organisation: String,
    pub plan: String,
    pub years: Vec<FinancialYear>,
    pub sections: Vec<Section>,
}

fn line(label: impl Into<String>, values: Vec<Money>, style: LineStyle) -> StatementLine {
    StatementLine {
        label: label.into(),
        values,
        style,
    }
}

/// Lays out a plan and its report.
pub fn statement(plan: &Plan, report: &Report) -> Statement {
    use LineStyle::*;
    let detail = &report.detail;
    let per_year = |f: &dyn Fn(usize) -> Money| (0..detail.len()).map(f).collect::<Vec<_>>();

    let mut spending = vec![line(
        "Budget brought forward",
        per_year(&|i| detail[i].base_budget),
        Detail,
    )];
    let mut kinds: Vec<_> = detail
        .iter()
        .flat_map(|d| d.pressures_by_kind.keys().copied())
        .collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let values = per_year(&|i| {
            detail[i]
                .pressures_by_kind
                .get(&kind)
                .copied()
                .unwrap_or_default()
        });
        spending.push(line(
            format!("Pressures: {}", kind.label().to_lowercase()),
            values,
            Detail,
        ));
    }
    spending.push(line(
        "Total pressures",
        per_year(&|i| detail[i].pressures),
        Total,
    ));
    spending.push(line("Savings", per_year(&|i| -detail[i].savings), Detail));
    spending.push(line(
        "Net budget requirement",
        per_year(&|i| detail[i].net_budget_requirement),
        Total,
    ));

    let mut funding = Vec::new();
    for &source in FundingSource::ALL {
        if source.is_council_tax() {
            continue;
        }
        let values: Vec<Money> = report
            .years
            .iter()
            .map(|y| {
                plan.funding
                    .iter()
                    .filter(|f| f.source == source && f.year == *y)
                    .map(|f| f.amount)
                    .sum()
            })
            .collect();
        if values.iter().any(|v| !v.is_zero()) {
            funding.push(line(source.label(), values, Detail));
        }
    }
    funding.push(line(
        "Council tax (tax base × Band D)",
        per_year(&|i| detail[i].council_tax),
        Detail,
    ));
    funding.push(line(
        "Total resources",
        per_year(&|i| detail[i].resources),
        Total,
    ));

    let result = vec![
        line(
            "Gap (requirement less resources)",
            per_year(&|i| detail[i].gap),
            Total,
        ),
        line(
            "Cumulative gap",
            per_year(&|i| detail[i].cumulative_gap),
            Detail,
        ),
        line(
            "Usable reserves at year end",
            per_year(&|i| detail[i].reserves_end.usable()),
            Total,
        ),
    ];
    Statement {
        organisation: report.organisation.clone(),
        plan: report.plan.clone(),
        years: report.years.clone(),
        sections: vec![
            Section {
                heading: "Spending",
                lines: spending,
            },
            Section {
                heading: "Funding",
                lines: funding,
            },
            Section {
                heading: "Result",
                lines: result,
            },
        ],
    }
}

/// One step of the bridge from the year before the plan to the last plan year's gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BridgeStep {
    pub label: &'static str,
    /// Positive widens the gap, negative closes it.
    pub amount: Money,
}

/// How the last plan year's gap builds up from the year before the plan: the starting
/// position, plus all pressures, less all savings, plus the fall in government funding, less
/// the growth in council tax and other funding. The steps sum exactly to that gap.
pub fn gap_bridge(plan: &Plan, report: &Report) -> Vec<BridgeStep> {
    let (Some(first), Some(last), Some(before)) = (
        report.detail.first(),
        report.detail.last(),
        plan.first_year.prev(),
    ) else {
        return Vec::new();
    };
    let gov = |y| plan.government_funding(y);
    let other = |y| plan.funding_excluding_council_tax(y) - plan.government_funding(y);
    let council_tax_before =
        super::council_tax::requirement(plan.council_tax.band_d, plan.council_tax.tax_base);
    let resources_before = plan.funding_excluding_council_tax(before) + council_tax_before;
    let steps = [
        (
            "Starting position (the year before)",
            first.base_budget - resources_before,
        ),
        ("Spending pressures", report.totals.pressures),
        ("Savings", -report.totals.savings),
        ("Change in government funding", gov(before) - gov(last.year)),
        (
            "Growth in council tax",
            council_tax_before - last.council_tax,
        ),
        ("Change in other funding", other(before) - other(last.year)),
    ];
    steps
        .into_iter()
        .map(|(label, amount)| BridgeStep { label, amount })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::demo_plan;
    use crate::finance::mtfp::report;

    fn find<'a>(s: &'a Statement, label: &str) -> &'a StatementLine {
        s.sections
            .iter()
            .flat_map(|x| &x.lines)
            .find(|l| l.label == label)
            .unwrap()
    }

    #[test]
    fn the_statement_carries_the_reports_figures_year_by_year() {
        let plan = demo_plan();
        let r = report(&plan);
        let s = statement(&plan, &r);
        assert_eq!(s.years, r.years);
        for (i, row) in r.rows.iter().enumerate() {
            assert_eq!(
                find(&s, "Net budget requirement").values[i],
                row.net_budget_requirement
            );
            assert_eq!(find(&s, "Total resources").values[i], row.resources);
            assert_eq!(
                find(&s, "Gap (requirement less resources)").values[i],
                row.gap
            );
            assert_eq!(
                find(&s, "Usable reserves at year end").values[i],
                row.reserves_end
            );
            assert_eq!(find(&s, "Savings").values[i], -row.savings);
        }
    }

    #[test]
    fn the_bridge_adds_up_to_the_last_years_gap() {
        let plan = demo_plan();
        let r = report(&plan);
        let steps = gap_bridge(&plan, &r);
        let sum: Money = steps.iter().map(|s| s.amount).sum();
        assert_eq!(sum, r.rows.last().unwrap().gap);
        assert_eq!(steps[1].amount, r.totals.pressures);
        assert_eq!(steps[2].amount, -r.totals.savings);
        assert_eq!(steps[3].amount, -r.totals.government_funding_change);
    }

    #[test]
    fn pressures_by_kind_and_funding_by_source_add_up_to_their_totals() {
        let plan = demo_plan();
        let r = report(&plan);
        let s = statement(&plan, &r);
        let spending = &s.sections[0].lines;
        let funding = &s.sections[1].lines;
        for i in 0..s.years.len() {
            let by_kind: Money = spending
                .iter()
                .filter(|l| l.label.starts_with("Pressures: "))
                .map(|l| l.values[i])
                .sum();
            assert_eq!(by_kind, find(&s, "Total pressures").values[i]);
            let parts: Money = funding
                .iter()
                .filter(|l| l.style == LineStyle::Detail)
                .map(|l| l.values[i])
                .sum();
            assert_eq!(parts, find(&s, "Total resources").values[i]);
            let base = find(&s, "Budget brought forward").values[i];
            let nbr = base + find(&s, "Total pressures").values[i] + find(&s, "Savings").values[i];
            assert_eq!(nbr, find(&s, "Net budget requirement").values[i]);
        }
    }
}
