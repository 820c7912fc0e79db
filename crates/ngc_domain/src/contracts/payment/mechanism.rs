//! Payment terms: the components a contract pays by, and the checks that make them usable
//! (every price positive, every cap at least one outcome's worth, each metric defined once,
//! a block schedule in date order).

use crate::contracts::period::Frequency;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One payment of a block schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    /// The day it falls due.
    pub due_on: NaiveDate,
    /// How much.
    pub amount: Money,
}

/// An outcome the contract pays for, after the INDIGO data standard's outcome metrics:
/// a code, what counts as one outcome, its price, and optional caps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeMetric {
    /// The metric's code, unique within the terms (`SMK-QUIT`).
    pub code: String,
    /// What counts as one outcome, in words.
    pub definition: String,
    /// The price of one outcome.
    pub price: Money,
    /// The most that may be paid for the metric in one period.
    pub period_cap: Option<Money>,
    /// The most outcomes that may be paid for in one period.
    pub period_cap_outcomes: Option<u64>,
    /// The most that may be paid for the metric over the whole contract.
    pub contract_cap: Option<Money>,
    /// The most outcomes that may be paid for over the whole contract.
    pub contract_cap_outcomes: Option<u64>,
}

impl OutcomeMetric {
    /// A metric with no caps.
    pub fn new(code: impl Into<String>, definition: impl Into<String>, price: Money) -> Self {
        OutcomeMetric {
            code: code.into(),
            definition: definition.into(),
            price,
            period_cap: None,
            period_cap_outcomes: None,
            contract_cap: None,
            contract_cap_outcomes: None,
        }
    }
}

/// One way the contract pays. Serialised with a `kind` of `block`, `cost_per_case` or
/// `payment_by_results`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Component {
    /// Fixed amounts on fixed days, whatever is delivered.
    Block {
        /// The instalments, in date order.
        schedule: Vec<Instalment>,
    },
    /// A rate for each unit the provider reports delivering in a period.
    CostPerCase {
        /// What one unit is (`placement week`, `assessment`).
        unit: String,
        /// The price of one unit.
        rate: Money,
        /// The periods units are reported and paid in.
        frequency: Frequency,
    },
    /// A price for each outcome achieved in a period, within the metrics' caps.
    PaymentByResults {
        /// The periods outcomes are reported and paid in.
        frequency: Frequency,
        /// The outcomes paid for.
        metrics: Vec<OutcomeMetric>,
    },
}

impl Component {
    /// The word for a block component.
    pub const BLOCK: &'static str = "block";
    /// The word for a cost-per-case component.
    pub const COST_PER_CASE: &'static str = "cost_per_case";
    /// The word for a payment-by-results component.
    pub const PAYMENT_BY_RESULTS: &'static str = "payment_by_results";

    /// The component's kind as a word: `block`, `cost_per_case` or `payment_by_results`.
    pub fn kind(&self) -> &'static str {
        match self {
            Component::Block { .. } => Self::BLOCK,
            Component::CostPerCase { .. } => Self::COST_PER_CASE,
            Component::PaymentByResults { .. } => Self::PAYMENT_BY_RESULTS,
        }
    }
}

/// A contract's payment terms: one or more components.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PaymentTerms {
    /// The components, in the order the contract lists them.
    pub components: Vec<Component>,
}

/// Why payment terms cannot be used. Components are numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// There is nothing to pay by.
    #[error("payment terms: no components")]
    NoComponents,
    /// A field of a component is wrong.
    #[error("component {component} ({kind}): {field} {problem}")]
    Invalid {
        /// The component's number, from 1.
        component: usize,
        /// The component's kind.
        kind: &'static str,
        /// The field, as `rate` or `metrics[2].period_cap`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A metric code is defined twice.
    #[error(
        "component {component} (payment_by_results): metrics[{index}].code `{code}` is already defined in component {first}"
    )]
    DuplicateMetric {
        /// The component that repeats it.
        component: usize,
        /// The metric's place in that component's list, from 1.
        index: usize,
        /// The code.
        code: String,
        /// The component that defines it first.
        first: usize,
    },
    /// A second cost-per-case component: a return reports one count of units.
    #[error(
        "component {component} (cost_per_case): a second cost-per-case component (the first is component {first}); a return reports one count of units"
    )]
    SecondCostPerCase {
        /// The second one.
        component: usize,
        /// The first one.
        first: usize,
    },
}

impl PaymentTerms {
    /// Checks the terms, returning the first problem found: at least one component; a block
    /// schedule not empty, amounts positive and dates strictly increasing; a cost-per-case
    /// unit named and its rate positive, and at most one such component; payment by results
    /// with at least one metric, each with a code and definition, a positive price, money caps
    /// of at least one outcome's price (the contract cap no lower than the period cap), outcome
    /// caps of at least one, and no code defined twice in the terms.
    pub fn validate(&self) -> Result<(), TermsError> {
        if self.components.is_empty() {
            return Err(TermsError::NoComponents);
        }
        let mut cost_per_case: Option<usize> = None;
        let mut codes: Vec<(&str, usize)> = Vec::new();
        for (i, component) in self.components.iter().enumerate() {
            let n = i + 1;
            let invalid = |field: String, problem: String| TermsError::Invalid {
                component: n,
                kind: component.kind(),
                field,
                problem,
            };
            match component {
                Component::Block { schedule } => validate_schedule(schedule, &invalid)?,
                Component::CostPerCase { unit, rate, .. } => {
                    if let Some(first) = cost_per_case {
                        return Err(TermsError::SecondCostPerCase {
                            component: n,
                            first,
                        });
                    }
                    cost_per_case = Some(n);
                    if unit.trim().is_empty() {
                        return Err(invalid("unit".into(), "is empty".into()));
                    }
                    if !rate.is_positive() {
                        return Err(invalid(
                            "rate".into(),
                            format!("must be positive, got {}", rate.fmt_gbp()),
                        ));
                    }
                }
                Component::PaymentByResults { metrics, .. } => {
                    if metrics.is_empty() {
                        return Err(invalid("metrics".into(), "is empty".into()));
                    }
                    for (j, metric) in metrics.iter().enumerate() {
                        validate_metric(metric, j + 1, &invalid)?;
                        if let Some(&(_, first)) = codes.iter().find(|(c, _)| *c == metric.code) {
                            return Err(TermsError::DuplicateMetric {
                                component: n,
                                index: j + 1,
                                code: metric.code.clone(),
                                first,
                            });
                        }
                        codes.push((&metric.code, n));
                    }
                }
            }
        }
        Ok(())
    }
}

fn validate_schedule(
    schedule: &[Instalment],
    invalid: &impl Fn(String, String) -> TermsError,
) -> Result<(), TermsError> {
    if schedule.is_empty() {
        return Err(invalid("schedule".into(), "is empty".into()));
    }
    for (j, instalment) in schedule.iter().enumerate() {
        let n = j + 1;
        if !instalment.amount.is_positive() {
            return Err(invalid(
                format!("schedule[{n}].amount"),
                format!("must be positive, got {}", instalment.amount.fmt_gbp()),
            ));
        }
        if let Some(before) = j.checked_sub(1).map(|k| &schedule[k])
            && instalment.due_on <= before.due_on
        {
            return Err(invalid(
                format!("schedule[{n}].due_on"),
                format!(
                    "{} does not come after schedule[{j}].due_on {}",
                    instalment.due_on, before.due_on
                ),
            ));
        }
    }
    Ok(())
}

fn validate_metric(
    metric: &OutcomeMetric,
    n: usize,
    invalid: &impl Fn(String, String) -> TermsError,
) -> Result<(), TermsError> {
    let field = |name: &str| format!("metrics[{n}].{name}");
    if metric.code.trim().is_empty() {
        return Err(invalid(field("code"), "is empty".into()));
    }
    let named = |name: &str| format!("metrics[{n}].{name} (`{}`)", metric.code);
    if metric.definition.trim().is_empty() {
        return Err(invalid(named("definition"), "is empty".into()));
    }
    let price = metric.price;
    if !price.is_positive() {
        return Err(invalid(
            named("price"),
            format!("must be positive, got {}", price.fmt_gbp()),
        ));
    }
    for (name, cap) in [
        ("period_cap", metric.period_cap),
        ("contract_cap", metric.contract_cap),
    ] {
        if let Some(cap) = cap.filter(|&c| c < price) {
            return Err(invalid(
                named(name),
                format!(
                    "{} is below the price of one outcome, {}",
                    cap.fmt_gbp(),
                    price.fmt_gbp()
                ),
            ));
        }
    }
    for (name, cap) in [
        ("period_cap_outcomes", metric.period_cap_outcomes),
        ("contract_cap_outcomes", metric.contract_cap_outcomes),
    ] {
        if cap == Some(0) {
            return Err(invalid(named(name), "must be at least 1".into()));
        }
    }
    if let (Some(period), Some(contract)) = (metric.period_cap, metric.contract_cap)
        && contract < period
    {
        return Err(invalid(
            named("contract_cap"),
            format!(
                "{} is below the period cap {}",
                contract.fmt_gbp(),
                period.fmt_gbp()
            ),
        ));
    }
    if let (Some(period), Some(contract)) =
        (metric.period_cap_outcomes, metric.contract_cap_outcomes)
        && contract < period
    {
        return Err(invalid(
            named("contract_cap_outcomes"),
            format!("{contract} is below the period cap of {period} outcomes"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn gbp(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn smoking() -> OutcomeMetric {
        OutcomeMetric {
            period_cap: Some(gbp("30000")),
            contract_cap: Some(gbp("100000")),
            ..OutcomeMetric::new(
                "SMK-QUIT",
                "a smoker quits, confirmed by CO test at four weeks",
                gbp("250"),
            )
        }
    }

    fn block() -> Component {
        Component::Block {
            schedule: vec![
                Instalment {
                    due_on: d("2016-04-30"),
                    amount: gbp("50000"),
                },
                Instalment {
                    due_on: d("2016-07-31"),
                    amount: gbp("50000"),
                },
            ],
        }
    }

    fn pbr(metrics: Vec<OutcomeMetric>) -> Component {
        Component::PaymentByResults {
            frequency: Frequency::Quarterly,
            metrics,
        }
    }

    fn cost_per_case(rate: &str) -> Component {
        Component::CostPerCase {
            unit: "placement week".into(),
            rate: gbp(rate),
            frequency: Frequency::Monthly,
        }
    }

    fn error_of(components: Vec<Component>) -> String {
        PaymentTerms { components }
            .validate()
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_block_payment_with_a_part_paid_by_results_is_valid() {
        let terms = PaymentTerms {
            components: vec![block(), pbr(vec![smoking()]), cost_per_case("812.50")],
        };
        assert_eq!(terms.validate(), Ok(()));
    }

    #[test]
    fn terms_with_no_components_are_refused() {
        assert_eq!(
            PaymentTerms::default().validate(),
            Err(TermsError::NoComponents)
        );
    }

    #[rstest]
    #[case::price_not_positive(
        OutcomeMetric::new("SMK-QUIT", "quit", Money::ZERO),
        "component 2 (payment_by_results): metrics[1].price (`SMK-QUIT`) must be positive, got £0.00"
    )]
    #[case::period_cap_below_one_outcome(
        OutcomeMetric { period_cap: Some(gbp("200")), ..smoking() },
        "component 2 (payment_by_results): metrics[1].period_cap (`SMK-QUIT`) £200.00 is below the price of one outcome, £250.00"
    )]
    #[case::contract_cap_below_period_cap(
        OutcomeMetric { contract_cap: Some(gbp("20000")), ..smoking() },
        "component 2 (payment_by_results): metrics[1].contract_cap (`SMK-QUIT`) £20,000.00 is below the period cap £30,000.00"
    )]
    #[case::outcome_cap_of_zero(
        OutcomeMetric { period_cap_outcomes: Some(0), ..smoking() },
        "component 2 (payment_by_results): metrics[1].period_cap_outcomes (`SMK-QUIT`) must be at least 1"
    )]
    #[case::no_definition(
        OutcomeMetric::new("SMK-QUIT", " ", gbp("250")),
        "component 2 (payment_by_results): metrics[1].definition (`SMK-QUIT`) is empty"
    )]
    fn a_bad_metric_is_refused_naming_the_component_and_field(
        #[case] metric: OutcomeMetric,
        #[case] message: &str,
    ) {
        assert_eq!(error_of(vec![block(), pbr(vec![metric])]), message);
    }

    #[test]
    fn a_metric_defined_twice_is_refused_even_across_components() {
        assert_eq!(
            error_of(vec![pbr(vec![smoking()]), block(), pbr(vec![smoking()])]),
            "component 3 (payment_by_results): metrics[1].code `SMK-QUIT` is already defined in component 1"
        );
    }

    #[test]
    fn a_block_schedule_out_of_date_order_is_refused() {
        let Component::Block { mut schedule } = block() else {
            unreachable!()
        };
        schedule.swap(0, 1);
        assert_eq!(
            error_of(vec![Component::Block { schedule }]),
            "component 1 (block): schedule[2].due_on 2016-04-30 does not come after schedule[1].due_on 2016-07-31"
        );
    }

    #[test]
    fn a_cost_per_case_rate_must_be_positive_and_appear_once() {
        assert_eq!(
            error_of(vec![cost_per_case("-1")]),
            "component 1 (cost_per_case): rate must be positive, got -£1.00"
        );
        assert_eq!(
            error_of(vec![cost_per_case("1"), cost_per_case("2")]),
            "component 2 (cost_per_case): a second cost-per-case component (the first is component 1); a return reports one count of units"
        );
    }

    #[test]
    fn terms_round_trip_through_json_with_a_kind_per_component() {
        let terms = PaymentTerms {
            components: vec![block(), pbr(vec![smoking()])],
        };
        let json = serde_json::to_value(&terms).unwrap();
        assert_eq!(json["components"][1]["kind"], "payment_by_results");
        assert_eq!(json["components"][1]["metrics"][0]["price"], "250.00");
        let back: PaymentTerms = serde_json::from_value(json).unwrap();
        assert_eq!(back, terms);
    }
}
