//! Service lines and subjectives of the revenue budget, and budget lines built from them.

use super::year::FinancialYear;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::text_enum! {
    /// A service line as in the DLUHC revenue account and outturn returns.
    pub enum ServiceLine as "service line" {
        /// Education services.
        Education = "education", "Education";
        /// Highways and transport services.
        HighwaysAndTransport = "highways_and_transport", "Highways and transport";
        /// Children's social care.
        ChildrensSocialCare = "childrens_social_care", "Children's social care";
        /// Adult social care.
        AdultSocialCare = "adult_social_care", "Adult social care";
        /// Public health.
        PublicHealth = "public_health", "Public health";
        /// Housing services (general fund).
        Housing = "housing", "Housing";
        /// Cultural and related services.
        Cultural = "cultural", "Cultural and related";
        /// Environmental and regulatory services.
        EnvironmentalAndRegulatory = "environmental_and_regulatory", "Environmental and regulatory";
        /// Planning and development services.
        PlanningAndDevelopment = "planning_and_development", "Planning and development";
        /// Fire and rescue services.
        FireAndRescue = "fire_and_rescue", "Fire and rescue";
        /// Central services.
        CentralServices = "central_services", "Central services";
        /// Other services.
        Other = "other", "Other";
    }
}

impl ServiceLine {
    /// Whether the service is social care (adult or children's), for social-care inflation
    /// and the social care ratio.
    pub fn is_social_care(self) -> bool {
        matches!(
            self,
            ServiceLine::AdultSocialCare | ServiceLine::ChildrensSocialCare
        )
    }
}

crate::text_enum! {
    /// The subjective analysis of a budget line: what the money is spent on, or income.
    pub enum Subjective as "subjective" {
        /// Pay, pensions and other employee costs.
        Employees = "employees", "Employees";
        /// Premises, transport, supplies and services.
        RunningCosts = "running_costs", "Running costs";
        /// Payments to providers and other bodies.
        ThirdPartyPayments = "third_party_payments", "Third-party payments";
        /// Fees, charges and other income (entered as a positive amount, netted off).
        Income = "income", "Income";
    }
}

impl Subjective {
    /// The line's contribution to net expenditure: income counts against spending.
    pub fn net(self, amount: Money) -> Money {
        match self {
            Subjective::Income => -amount,
            _ => amount,
        }
    }
}

/// One line of a revenue budget: organisation × year × service line × subjective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// The organisation's slug.
    pub organisation: String,
    /// The financial year.
    pub year: FinancialYear,
    /// The service line.
    pub service: ServiceLine,
    /// The subjective.
    pub subjective: Subjective,
    /// The amount; income as a positive amount.
    pub amount: Money,
}

/// Net expenditure (spending less income) by service line.
pub fn net_by_service<'a, I>(lines: I) -> BTreeMap<ServiceLine, Money>
where
    I: IntoIterator<Item = &'a BudgetLine>,
{
    let mut out = BTreeMap::new();
    for line in lines {
        *out.entry(line.service).or_insert(Money::ZERO) += line.subjective.net(line.amount);
    }
    out
}

/// Net expenditure of all lines.
pub fn net_total<'a, I>(lines: I) -> Money
where
    I: IntoIterator<Item = &'a BudgetLine>,
{
    lines.into_iter().map(|l| l.subjective.net(l.amount)).sum()
}

/// One service line of a [`Pivot`]: the amount under each subjective (in
/// [`Subjective::ALL`] order, income positive) and the net.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PivotRow {
    /// The service line.
    pub service: ServiceLine,
    /// The amount per subjective.
    pub cells: Vec<Money>,
    /// Spending less income.
    pub net: Money,
}

/// A year's budget as service lines × subjectives, with totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pivot {
    /// The year.
    pub year: FinancialYear,
    /// The service lines with any line in the year, in [`ServiceLine::ALL`] order.
    pub rows: Vec<PivotRow>,
    /// The total per subjective.
    pub totals: Vec<Money>,
    /// The net of every line: [`net_total`] of the year.
    pub net_total: Money,
}

/// The budget lines of `year` pivoted by service line and subjective.
pub fn pivot<'a, I>(lines: I, year: FinancialYear) -> Pivot
where
    I: IntoIterator<Item = &'a BudgetLine>,
{
    let of_year: Vec<&BudgetLine> = lines.into_iter().filter(|l| l.year == year).collect();
    let net = net_by_service(of_year.iter().copied());
    let rows: Vec<PivotRow> = ServiceLine::ALL
        .iter()
        .filter(|s| net.contains_key(s))
        .map(|&service| PivotRow {
            service,
            cells: Subjective::ALL
                .iter()
                .map(|&j| {
                    of_year
                        .iter()
                        .filter(|l| l.service == service && l.subjective == j)
                        .map(|l| l.amount)
                        .sum()
                })
                .collect(),
            net: net[&service],
        })
        .collect();
    let totals = (0..Subjective::ALL.len())
        .map(|i| rows.iter().map(|r| r.cells[i]).sum())
        .collect();
    Pivot {
        year,
        net_total: net_total(of_year.iter().copied()),
        rows,
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case::adult("adult_social_care", ServiceLine::AdultSocialCare)]
    #[case::fire("fire_and_rescue", ServiceLine::FireAndRescue)]
    #[case::env(
        "environmental_and_regulatory",
        ServiceLine::EnvironmentalAndRegulatory
    )]
    fn service_lines_parse_from_their_stored_word(#[case] word: &str, #[case] line: ServiceLine) {
        assert_eq!(word.parse::<ServiceLine>(), Ok(line));
        assert_eq!(serde_json::to_string(&line).unwrap(), format!("\"{word}\""));
    }

    #[test]
    fn an_unknown_service_line_lists_the_choices() {
        let err = "libraries".parse::<ServiceLine>().unwrap_err().to_string();
        for line in ServiceLine::ALL {
            assert!(err.contains(line.as_str()), "{err}");
        }
        let err = "capital".parse::<Subjective>().unwrap_err().to_string();
        assert!(err.contains("third_party_payments"), "{err}");
    }

    #[test]
    fn there_are_twelve_service_lines_and_only_social_care_counts_as_such() {
        assert_eq!(ServiceLine::ALL.len(), 12);
        let care: Vec<_> = ServiceLine::ALL
            .iter()
            .filter(|s| s.is_social_care())
            .collect();
        assert_eq!(
            care,
            [
                &ServiceLine::ChildrensSocialCare,
                &ServiceLine::AdultSocialCare
            ]
        );
    }

    fn line(service: ServiceLine, subjective: Subjective, pounds: i64) -> BudgetLine {
        BudgetLine {
            organisation: "northamptonshire".into(),
            year: "2015-16".parse().unwrap(),
            service,
            subjective,
            amount: Money::pounds(pounds),
        }
    }

    #[test]
    fn income_is_netted_off_spending_by_service() {
        let lines = [
            line(ServiceLine::Cultural, Subjective::Employees, 100),
            line(ServiceLine::Cultural, Subjective::Income, 30),
            line(ServiceLine::Housing, Subjective::RunningCosts, 5),
        ];
        let by = net_by_service(&lines);
        assert_eq!(by[&ServiceLine::Cultural], Money::pounds(70));
        assert_eq!(by[&ServiceLine::Housing], Money::pounds(5));
        assert_eq!(net_total(&lines), Money::pounds(75));
    }

    proptest! {
        #[test]
        fn net_by_service_sums_to_the_net_total(
            raw in proptest::collection::vec((0usize..12, 0usize..4, -1_000_000i64..1_000_000), 0..40)
        ) {
            let lines: Vec<BudgetLine> = raw
                .into_iter()
                .map(|(s, j, p)| BudgetLine {
                    amount: Money::pence(p),
                    ..line(ServiceLine::ALL[s], Subjective::ALL[j], 0)
                })
                .collect();
            let by: Money = net_by_service(&lines).values().copied().sum();
            prop_assert_eq!(by, net_total(&lines));
        }
    }

    #[test]
    fn the_pivot_nets_income_off_by_service_and_totals_each_subjective() {
        let y = |s: &str| s.parse::<FinancialYear>().unwrap();
        let line = |year: &str, service, subjective, pounds| BudgetLine {
            organisation: "alpha".into(),
            year: y(year),
            service,
            subjective,
            amount: Money::pounds(pounds),
        };
        let lines = [
            line(
                "2015-16",
                ServiceLine::FireAndRescue,
                Subjective::Employees,
                100,
            ),
            line(
                "2015-16",
                ServiceLine::FireAndRescue,
                Subjective::Income,
                30,
            ),
            line(
                "2015-16",
                ServiceLine::FireAndRescue,
                Subjective::Employees,
                5,
            ),
            line(
                "2015-16",
                ServiceLine::AdultSocialCare,
                Subjective::RunningCosts,
                50,
            ),
            line(
                "2016-17",
                ServiceLine::Education,
                Subjective::Employees,
                999,
            ),
        ];
        let p = pivot(&lines, y("2015-16"));
        let services: Vec<ServiceLine> = p.rows.iter().map(|r| r.service).collect();
        assert_eq!(
            services,
            [ServiceLine::AdultSocialCare, ServiceLine::FireAndRescue]
        );
        let fire = &p.rows[1];
        let col = |j: Subjective| Subjective::ALL.iter().position(|s| *s == j).unwrap();
        assert_eq!(fire.cells[col(Subjective::Employees)], Money::pounds(105));
        assert_eq!(fire.cells[col(Subjective::Income)], Money::pounds(30));
        assert_eq!(fire.net, Money::pounds(75));
        assert_eq!(p.totals[col(Subjective::Employees)], Money::pounds(105));
        assert_eq!(p.net_total, Money::pounds(125));
        assert_eq!(p.net_total, p.rows.iter().map(|r| r.net).sum());
    }
}
