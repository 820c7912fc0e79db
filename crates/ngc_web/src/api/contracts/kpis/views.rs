//! The JSON of a contract's KPIs: values and targets as exact decimal strings in the KPI's
//! unit, money as decimal strings, dates as YYYY-MM-DD.

use chrono::NaiveDate;
use ngc_app::contracts::kpis::{AcceptedReturn, KpiLine, KpiReport, RatedReturn};
use ngc_domain::contracts::kpi::{Rating, ReturnDue};
use ngc_domain::money::Money;
use ngc_store::contracts::FailureRecord;
use serde::Serialize;
use utoipa::ToSchema;

/// A rating of one period's value, in the Procurement Regulations 2024 reg 39(5) words.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingView {
    /// `good`, `approaching_target`, `requires_improvement`, `inadequate` or `other`.
    pub rating: String,
    /// The words: `Good`, `Approaching target`, `Requires improvement`, `Inadequate`, `Other`.
    pub label: String,
    /// The UK9 code: `met`, `slightlyBelow`, `below`, `significantlyBelow` or `other`.
    pub uk9_code: String,
    /// `green`, `amber`, `red` or `grey`.
    pub rag: String,
}

impl From<Rating> for RatingView {
    fn from(r: Rating) -> Self {
        Self {
            rating: r.as_str().into(),
            label: r.label().into(),
            uk9_code: r.uk9_code().into(),
            rag: r.rag().as_str().into(),
        }
    }
}

/// A return made, rated.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnView {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The period's name (`2016-04`, `2016-17 Q1`).
    pub label: String,
    /// The value; absent when not applicable.
    pub value: Option<String>,
    pub note: String,
    pub due_on: NaiveDate,
    pub submitted_on: NaiveDate,
    /// Whether it came after `due_on`.
    pub late: bool,
    pub rating: RatingView,
}

impl From<RatedReturn> for ReturnView {
    fn from(r: RatedReturn) -> Self {
        Self {
            period_start: r.ret.period.start,
            period_end: r.ret.period.end,
            label: r.label,
            value: r.ret.value.map(|v| v.to_string()),
            note: r.ret.note,
            due_on: r.ret.due_on,
            submitted_on: r.ret.submitted_at.date_naive(),
            late: r.ret.late,
            rating: r.rating.into(),
        }
    }
}

/// A return owed by today and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwedView {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    /// `received`, `late`, `missing` or `not_yet_due`.
    pub state: String,
}

impl From<ReturnDue> for OwedView {
    fn from(r: ReturnDue) -> Self {
        Self {
            period_start: r.period.start,
            period_end: r.period.end,
            due_on: r.due_on,
            state: r.state.as_str().into(),
        }
    }
}

/// A KPI with its returns and trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiView {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub target: String,
    /// `higher` or `lower`: which is better.
    pub direction: String,
    /// `monthly`, `quarterly` or `annually`.
    pub frequency: String,
    pub tolerance: String,
    /// The first day returns are owed for.
    pub from: NaiveDate,
    /// `improving`, `steady` or `declining`, over the last three values.
    pub trend: String,
    pub returns: Vec<ReturnView>,
    pub owed: Vec<OwedView>,
}

impl From<KpiLine> for KpiView {
    fn from(l: KpiLine) -> Self {
        let k = l.kpi.kpi;
        Self {
            code: k.code,
            title: k.name,
            unit: k.unit,
            target: k.target.to_string(),
            direction: k.direction.as_str().into(),
            frequency: k.frequency.as_str().into(),
            tolerance: k.tolerance.to_string(),
            from: l.kpi.from,
            trend: l.trend.as_str().into(),
            returns: l.returns.into_iter().map(Into::into).collect(),
            owed: l.owed.into_iter().map(Into::into).collect(),
        }
    }
}

/// A performance failure and its penalties.
#[derive(Debug, Serialize, ToSchema)]
pub struct FailureView {
    pub id: String,
    /// The KPI's code, if it is about one.
    pub kpi: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub category: String,
    pub description: String,
    pub events: u32,
    pub remedy: String,
    /// `contracted`, `imposed` or `negotiated`.
    pub penalty_type: String,
    pub penalty_contracted: Money,
    pub penalty_imposed: Money,
    pub penalty_paid: Money,
}

impl FailureView {
    fn new(r: FailureRecord, kpi: Option<String>) -> Self {
        let f = r.failure;
        Self {
            id: f.id,
            kpi,
            period_start: f.period.start,
            period_end: f.period.end,
            category: f.category,
            description: f.description,
            events: f.events,
            remedy: f.remedy,
            penalty_type: f.penalty_type.as_str().into(),
            penalty_contracted: f.penalty_contracted,
            penalty_imposed: f.penalty_imposed,
            penalty_paid: f.penalty_paid,
        }
    }
}

impl From<FailureRecord> for FailureView {
    fn from(r: FailureRecord) -> Self {
        FailureView::new(r, None)
    }
}

/// The s52 KPI duty of the contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiDutyView {
    pub applies: bool,
    pub satisfied: bool,
    /// What is missing, where the duty applies and is not met.
    pub warning: Option<String>,
    /// Why it applies or not, with the reference.
    pub reason: String,
    /// Whether the rows it rests on were checked against the legislation.
    pub confirmed: bool,
}

/// A contract's KPIs as of today.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiReportView {
    pub contract_id: i64,
    pub today: NaiveDate,
    pub duty: KpiDutyView,
    pub no_agreed_metrics_rationale: String,
    /// The exemption from the duty recorded, if any.
    pub exemption: Option<String>,
    pub kpis: Vec<KpiView>,
    /// Returns made after their due day.
    pub late_returns: usize,
    /// Returns due and not made.
    pub missing_returns: usize,
    pub failures: Vec<FailureView>,
}

impl From<KpiReport> for KpiReportView {
    fn from(r: KpiReport) -> Self {
        let code_of = |kpi_id: Option<i64>| {
            kpi_id.and_then(|id| {
                r.kpis
                    .iter()
                    .find(|l| l.kpi.id == id)
                    .map(|l| l.kpi.kpi.code.clone())
            })
        };
        let failures = r
            .failures
            .iter()
            .map(|f| FailureView::new(f.clone(), code_of(f.kpi_id)))
            .collect();
        Self {
            contract_id: r.contract.id,
            today: r.today,
            duty: KpiDutyView {
                applies: r.duty.applies,
                satisfied: r.duty.satisfied,
                warning: r.duty.warning,
                reason: r.duty.reason,
                confirmed: r.duty.confirmed,
            },
            no_agreed_metrics_rationale: r.contract.no_agreed_metrics_rationale,
            exemption: r.contract.kpi_exemption.map(|e| e.as_str().into()),
            kpis: r.kpis.into_iter().map(Into::into).collect(),
            late_returns: r.late_returns,
            missing_returns: r.missing_returns,
            failures,
        }
    }
}

/// A return as accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedReturnView {
    pub contract_id: i64,
    pub kpi: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub value: Option<String>,
    pub note: String,
    pub due_on: NaiveDate,
    /// Whether it came after `due_on`.
    pub late: bool,
    pub rating: RatingView,
    /// The id of the UK9 contract performance release it caused, if any.
    pub release_id: Option<i64>,
}

impl From<AcceptedReturn> for AcceptedReturnView {
    fn from(a: AcceptedReturn) -> Self {
        Self {
            contract_id: a.kpi.contract_id,
            kpi: a.kpi.kpi.code,
            period_start: a.ret.period.start,
            period_end: a.ret.period.end,
            value: a.ret.value.map(|v| v.to_string()),
            note: a.ret.note,
            due_on: a.ret.due_on,
            late: a.ret.late,
            rating: a.rating.into(),
            release_id: a.release_id,
        }
    }
}
