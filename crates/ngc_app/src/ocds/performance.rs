//! The contract performance release (UK9 under the Procurement Act 2023, s71 and the
//! Procurement Regulations 2024 reg 39): the contract's KPIs with each period's value and its
//! rating, and its performance failures with their penalties, in the contract's
//! `implementation` block.
//!
//! What goes where (the OCDS metrics and performance failures extensions, with the UK
//! extension's codes):
//! - `contracts[0].agreedMetrics`: each KPI (`id` its code, `title`, a `description` of its
//!   target, direction and frequency) with one observation, its target (`measure`, `unit`);
//! - `contracts[0].implementation.metrics`: each KPI with one observation per period returned:
//!   `period`, `measure` (the value as an exact decimal string; absent when not applicable),
//!   `unit`, `notes`, and the rating as `measureClassification` (`id` the UK9 code `met`,
//!   `slightlyBelow`, `below`, `significantlyBelow` or `other`; `description` the
//!   Regulations' word);
//! - `contracts[0].implementation.performanceFailures`: each failure's `id`, `period`,
//!   `category`, `events`, `penaltyContracted` and `penaltyImposed` (in words, as the
//!   extension has them), `penaltyPaid` (whether paid in full), with the UK extension's
//!   `description` and `penaltyType`;
//! - `contracts[0].noAgreedMetricsRationale`: the council's reason for setting no KPIs, if
//!   recorded.

use super::release::{ContractFacts, day_end, day_start};
use ngc_domain::contracts::Period;
use ngc_domain::contracts::kpi::{Kpi, PerformanceFailure, Rating};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

/// One period's value of a KPI and its rating.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub period: Period,
    /// `None` when not applicable.
    pub value: Option<Decimal>,
    pub rating: Rating,
    pub note: String,
}

/// A KPI and its observations, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFacts {
    pub kpi: Kpi,
    pub observations: Vec<Observation>,
}

/// What a contract performance release says of a contract.
#[derive(Debug, Clone, PartialEq)]
pub struct PerformanceFacts {
    /// The contract, as its contract release gives it.
    pub contract: ContractFacts,
    pub metrics: Vec<MetricFacts>,
    pub failures: Vec<PerformanceFailure>,
    /// Why the council set no KPIs, if it recorded why.
    pub no_agreed_metrics_rationale: Option<String>,
}

fn period(p: Period) -> Value {
    json!({"startDate": day_start(p.start), "endDate": day_end(p.end)})
}

fn agreed(m: &MetricFacts) -> Value {
    let k = &m.kpi;
    json!({
        "id": k.code,
        "title": k.name,
        "description": format!(
            "Target {} {} ({}), reported {}",
            k.target,
            k.unit,
            k.direction.label().to_lowercase(),
            k.frequency.label().to_lowercase()
        ),
        "observations": [{"id": "target", "measure": k.target.to_string(), "unit": {"name": k.unit}}],
    })
}

fn implementation(m: &MetricFacts) -> Value {
    let k = &m.kpi;
    let observations: Vec<Value> = m
        .observations
        .iter()
        .map(|o| {
            let mut ob = Map::new();
            ob.insert("id".into(), json!(format!("{}-{}", k.code, o.period.start)));
            ob.insert("period".into(), period(o.period));
            if let Some(v) = o.value {
                ob.insert("measure".into(), json!(v.to_string()));
            }
            ob.insert("unit".into(), json!({"name": k.unit}));
            ob.insert(
                "measureClassification".into(),
                json!({"id": o.rating.uk9_code(), "description": o.rating.label()}),
            );
            if !o.note.trim().is_empty() {
                ob.insert("notes".into(), json!(o.note.trim()));
            }
            Value::Object(ob)
        })
        .collect();
    json!({"id": k.code, "title": k.name, "observations": observations})
}

fn failure(f: &PerformanceFailure) -> Value {
    let mut b = Map::new();
    b.insert("id".into(), json!(f.id));
    b.insert("period".into(), period(f.period));
    b.insert("category".into(), json!(f.category));
    if !f.description.trim().is_empty() {
        b.insert("description".into(), json!(f.description.trim()));
    }
    b.insert("events".into(), json!(f.events));
    b.insert(
        "penaltyContracted".into(),
        json!(format!(
            "{} under the contract's terms",
            f.penalty_contracted.fmt_gbp()
        )),
    );
    let remedy = if f.remedy.trim().is_empty() {
        String::new()
    } else {
        format!("; remedy: {}", f.remedy.trim())
    };
    b.insert(
        "penaltyImposed".into(),
        json!(format!("{} imposed{remedy}", f.penalty_imposed.fmt_gbp())),
    );
    b.insert(
        "penaltyPaid".into(),
        json!(f.penalty_imposed.is_positive() && f.penalty_paid >= f.penalty_imposed),
    );
    b.insert("penaltyType".into(), json!(f.penalty_type.as_str()));
    Value::Object(b)
}

/// Adds the KPIs, their ratings and the failures to a contract block built for the release.
pub(super) fn add_performance(contract_block: Value, p: &PerformanceFacts) -> Value {
    let Value::Object(mut b) = contract_block else {
        return contract_block;
    };
    if let Some(r) = p
        .no_agreed_metrics_rationale
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        b.insert("noAgreedMetricsRationale".into(), json!(r));
    }
    if !p.metrics.is_empty() {
        b.insert(
            "agreedMetrics".into(),
            Value::Array(p.metrics.iter().map(agreed).collect()),
        );
    }
    let mut imp = Map::new();
    imp.insert(
        "metrics".into(),
        Value::Array(p.metrics.iter().map(implementation).collect()),
    );
    if !p.failures.is_empty() {
        imp.insert(
            "performanceFailures".into(),
            Value::Array(p.failures.iter().map(failure).collect()),
        );
    }
    b.insert("implementation".into(), Value::Object(imp));
    Value::Object(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngc_domain::contracts::Frequency;
    use ngc_domain::contracts::kpi::{Direction, PenaltyType};
    use ngc_domain::money::Money;

    fn kpi() -> Kpi {
        Kpi {
            code: "BINS".into(),
            name: "Bins collected on the day".into(),
            unit: "%".into(),
            target: "99".parse().unwrap(),
            direction: Direction::HigherIsBetter,
            frequency: Frequency::Monthly,
            tolerance: "1".parse().unwrap(),
        }
    }

    fn may() -> Period {
        Period::containing(Frequency::Monthly, "2027-05-01".parse().unwrap())
    }

    fn facts(failures: Vec<PerformanceFailure>, rationale: Option<&str>) -> PerformanceFacts {
        PerformanceFacts {
            contract: ContractFacts {
                id: "7".into(),
                award_id: "3".into(),
                title: "Waste".into(),
                suppliers: vec![1],
                value: Money::pounds(90_000),
                vat_inclusive: false,
                status: super::super::release::ContractStatus::Active,
                starts_on: "2027-02-01".parse().unwrap(),
                ends_on: None,
                signed_at: None,
            },
            metrics: vec![MetricFacts {
                kpi: kpi(),
                observations: vec![Observation {
                    period: may(),
                    value: Some("95".parse().unwrap()),
                    rating: Rating::Inadequate,
                    note: " late rounds ".into(),
                }],
            }],
            failures,
            no_agreed_metrics_rationale: rationale.map(str::to_owned),
        }
    }

    #[test]
    fn the_kpis_and_their_ratings_go_in_the_implementation_block() {
        let b = add_performance(json!({"id": "7"}), &facts(Vec::new(), Some("  ")));
        assert_eq!(
            b,
            json!({
                "id": "7",
                "agreedMetrics": [{"id": "BINS", "title": "Bins collected on the day",
                    "description": "Target 99 % (higher is better), reported monthly",
                    "observations": [{"id": "target", "measure": "99", "unit": {"name": "%"}}]}],
                "implementation": {"metrics": [{"id": "BINS", "title": "Bins collected on the day",
                    "observations": [{"id": "BINS-2027-05-01",
                        "period": {"startDate": "2027-05-01T00:00:00Z", "endDate": "2027-05-31T23:59:59Z"},
                        "measure": "95", "unit": {"name": "%"},
                        "measureClassification": {"id": "significantlyBelow", "description": "Inadequate"},
                        "notes": "late rounds"}]}]}
            })
        );
    }

    #[test]
    fn failures_and_a_rationale_are_written_with_their_penalties() {
        let f = PerformanceFailure {
            id: "PF1".into(),
            period: may(),
            category: "Missed bins".into(),
            description: String::new(),
            events: 40,
            remedy: "Extra crew".into(),
            penalty_type: PenaltyType::Contracted,
            penalty_contracted: Money::pounds(2_000),
            penalty_imposed: Money::pounds(1_500),
            penalty_paid: Money::pounds(1_500),
        };
        let b = add_performance(json!({"id": "7"}), &facts(vec![f], Some("Spot purchases")));
        assert_eq!(b["noAgreedMetricsRationale"], "Spot purchases");
        assert_eq!(
            b["implementation"]["performanceFailures"],
            json!([{"id": "PF1",
                "period": {"startDate": "2027-05-01T00:00:00Z", "endDate": "2027-05-31T23:59:59Z"},
                "category": "Missed bins", "events": 40,
                "penaltyContracted": "£2,000.00 under the contract's terms",
                "penaltyImposed": "£1,500.00 imposed; remedy: Extra crew",
                "penaltyPaid": true, "penaltyType": "contracted"}])
        );
    }
}
