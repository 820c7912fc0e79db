//! The JSON of a contract's payments: money as decimal strings, dates as YYYY-MM-DD.
//!
//! The payment terms travel in the domain's own JSON form ([`PaymentTerms`]); the body types
//! here describe it for the OpenAPI document and convert field by field, so a change to the
//! domain's terms that these do not follow does not compile.

use crate::api::tenders::views::time;
use chrono::NaiveDate;
use ngc_app::contracts::payments::{
    AcceptedClaim, PaymentMade, PaymentSummary, ReturnDue, describe_period,
};
use ngc_domain::contracts::Frequency;
use ngc_domain::contracts::payment::{Component, DueLine, Instalment, OutcomeMetric, PaymentTerms};
use ngc_domain::money::Money;
use ngc_domain::procurement::Regime;
use ngc_store::contracts::{Claim, PaymentTermsVersion};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A contract's payment terms: one or more components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaymentTermsBody {
    /// The components, in the order the contract lists them.
    pub components: Vec<ComponentBody>,
}

/// One way the contract pays, by its `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComponentBody {
    /// Fixed amounts on fixed days, whatever is delivered.
    Block {
        /// The instalments, in date order.
        schedule: Vec<InstalmentBody>,
    },
    /// A rate for each unit the provider reports delivering in a period.
    CostPerCase {
        /// What one unit is (`placement week`).
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
        metrics: Vec<OutcomeMetricBody>,
    },
}

/// One payment of a block schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InstalmentBody {
    pub due_on: NaiveDate,
    pub amount: Money,
}

/// An outcome the contract pays for, with optional caps per period and over the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OutcomeMetricBody {
    /// The metric's code, unique within the terms (`SMK-QUIT`).
    pub code: String,
    /// What counts as one outcome.
    pub definition: String,
    /// The price of one outcome.
    pub price: Money,
    /// The most paid for the metric in one period.
    pub period_cap: Option<Money>,
    /// The most outcomes paid for in one period.
    pub period_cap_outcomes: Option<u64>,
    /// The most paid for the metric over the whole contract.
    pub contract_cap: Option<Money>,
    /// The most outcomes paid for over the whole contract.
    pub contract_cap_outcomes: Option<u64>,
}

impl From<PaymentTermsBody> for PaymentTerms {
    fn from(b: PaymentTermsBody) -> Self {
        let component = |c: ComponentBody| match c {
            ComponentBody::Block { schedule } => Component::Block {
                schedule: schedule
                    .into_iter()
                    .map(|InstalmentBody { due_on, amount }| Instalment { due_on, amount })
                    .collect(),
            },
            ComponentBody::CostPerCase {
                unit,
                rate,
                frequency,
            } => Component::CostPerCase {
                unit,
                rate,
                frequency,
            },
            ComponentBody::PaymentByResults { frequency, metrics } => Component::PaymentByResults {
                frequency,
                metrics: metrics.into_iter().map(Into::into).collect(),
            },
        };
        PaymentTerms {
            components: b.components.into_iter().map(component).collect(),
        }
    }
}

impl From<OutcomeMetricBody> for OutcomeMetric {
    fn from(m: OutcomeMetricBody) -> Self {
        let OutcomeMetricBody {
            code,
            definition,
            price,
            period_cap,
            period_cap_outcomes,
            contract_cap,
            contract_cap_outcomes,
        } = m;
        OutcomeMetric {
            code,
            definition,
            price,
            period_cap,
            period_cap_outcomes,
            contract_cap,
            contract_cap_outcomes,
        }
    }
}

impl From<PaymentTerms> for PaymentTermsBody {
    fn from(t: PaymentTerms) -> Self {
        let component = |c: Component| match c {
            Component::Block { schedule } => ComponentBody::Block {
                schedule: schedule
                    .into_iter()
                    .map(|Instalment { due_on, amount }| InstalmentBody { due_on, amount })
                    .collect(),
            },
            Component::CostPerCase {
                unit,
                rate,
                frequency,
            } => ComponentBody::CostPerCase {
                unit,
                rate,
                frequency,
            },
            Component::PaymentByResults { frequency, metrics } => ComponentBody::PaymentByResults {
                frequency,
                metrics: metrics.into_iter().map(Into::into).collect(),
            },
        };
        PaymentTermsBody {
            components: t.components.into_iter().map(component).collect(),
        }
    }
}

impl From<OutcomeMetric> for OutcomeMetricBody {
    fn from(m: OutcomeMetric) -> Self {
        let OutcomeMetric {
            code,
            definition,
            price,
            period_cap,
            period_cap_outcomes,
            contract_cap,
            contract_cap_outcomes,
        } = m;
        OutcomeMetricBody {
            code,
            definition,
            price,
            period_cap,
            period_cap_outcomes,
            contract_cap,
            contract_cap_outcomes,
        }
    }
}

/// A version of a contract's payment terms.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermsVersionView {
    pub id: i64,
    pub contract_id: i64,
    pub set_at: String,
    /// When newer terms replaced these (absent for the current terms).
    pub superseded_at: Option<String>,
    pub terms: PaymentTermsBody,
}

impl From<PaymentTermsVersion> for TermsVersionView {
    fn from(v: PaymentTermsVersion) -> Self {
        Self {
            id: v.id,
            contract_id: v.contract_id,
            set_at: time(v.set_at),
            superseded_at: v.superseded_at.map(time),
            terms: v.terms.into(),
        }
    }
}

/// An amount due.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueLineView {
    /// The period it pays for, in words (`2016-17 Q1`, `2016-04`).
    pub period: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// `block`, `cost_per_case` or `payment_by_results`.
    pub component: String,
    /// The outcome metric's code, for payment by results.
    pub metric: Option<String>,
    /// Units or outcomes paid for (none for a block instalment).
    pub quantity: Option<u64>,
    /// The rate per unit or price per outcome.
    pub unit_price: Option<Money>,
    pub amount: Money,
    pub due_on: NaiveDate,
}

impl From<DueLine> for DueLineView {
    fn from(l: DueLine) -> Self {
        Self {
            period: describe_period(l.period),
            period_start: l.period.start,
            period_end: l.period.end,
            component: l.component.to_owned(),
            metric: l.metric,
            quantity: l.quantity,
            unit_price: l.unit_price,
            amount: l.amount,
            due_on: l.due_on,
        }
    }
}

/// A provider's claim for one period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimView {
    pub id: i64,
    /// The period, in words.
    pub period: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Units delivered, for cost per case.
    pub units: Option<u64>,
    /// Outcomes achieved, by metric code.
    pub outcomes: BTreeMap<String, u64>,
    /// The terms version it was checked against.
    pub terms_id: i64,
    pub submitted_at: String,
}

impl From<Claim> for ClaimView {
    fn from(c: Claim) -> Self {
        Self {
            id: c.id,
            period: describe_period(c.period),
            period_start: c.period.start,
            period_end: c.period.end,
            units: c.units,
            outcomes: c.outcomes,
            terms_id: c.terms_id,
            submitted_at: time(c.submitted_at),
        }
    }
}

/// A claim as accepted, with the amounts it makes due.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedClaimView {
    pub claim: ClaimView,
    pub lines: Vec<DueLineView>,
}

impl From<AcceptedClaim> for AcceptedClaimView {
    fn from(a: AcceptedClaim) -> Self {
        Self {
            claim: a.claim.into(),
            lines: a.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// A payment recorded, judged against the prompt-payment term.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentView {
    pub id: i64,
    pub amount: Money,
    /// `block`, `cost_per_case` or `payment_by_results`.
    pub component: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub invoice_reference: String,
    pub invoice_date: NaiveDate,
    /// The day a valid invoice was received.
    pub valid_invoice_received: NaiveDate,
    pub invoice_due_on: Option<NaiveDate>,
    /// Absent while unpaid.
    pub paid_on: Option<NaiveDate>,
    pub disputed: bool,
    /// Days from receipt of the valid invoice to payment (absent while unpaid).
    pub days_to_payment: Option<i64>,
    /// Paid after the last day allowed, or unpaid after it.
    pub late: bool,
    /// Why, in words, with the dates and the legal reference.
    pub reason: String,
    /// The last day on which payment is in time (absent for a disputed invoice).
    pub pay_by: Option<NaiveDate>,
    /// Whether the rule applied was checked against the legislation.
    pub rule_confirmed: bool,
    pub recorded_at: String,
}

impl From<PaymentMade> for PaymentView {
    fn from(m: PaymentMade) -> Self {
        let (p, t) = (m.payment, m.timeliness);
        Self {
            id: p.id,
            amount: p.amount,
            component: p.component,
            period_start: p.period.map(|x| x.start),
            period_end: p.period.map(|x| x.end),
            invoice_reference: p.invoice_reference,
            invoice_date: p.invoice_date,
            valid_invoice_received: p.valid_invoice_received,
            invoice_due_on: p.invoice_due_on,
            paid_on: p.paid_on,
            disputed: p.disputed,
            days_to_payment: t.days_to_payment,
            late: t.late,
            reason: t.reason,
            pay_by: t.pay_by,
            rule_confirmed: t.confirmed,
            recorded_at: time(p.recorded_at),
        }
    }
}

/// A period whose return has not come.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnDueView {
    /// The period, in words.
    pub period: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The components reported in it.
    pub components: Vec<String>,
}

impl From<ReturnDue> for ReturnDueView {
    fn from(r: ReturnDue) -> Self {
        Self {
            period: r.label,
            period_start: r.period.start,
            period_end: r.period.end,
            components: r.components.into_iter().map(str::to_owned).collect(),
        }
    }
}

/// A contract's payments as of `today`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentSummaryView {
    pub contract_id: i64,
    pub reference: Option<String>,
    pub title: String,
    /// The supplier's slug.
    pub supplier: String,
    /// The regime whose prompt-payment term applies.
    pub regime: Regime,
    pub today: NaiveDate,
    /// The current terms (absent until set).
    pub terms: Option<TermsVersionView>,
    /// The claims, in period order.
    pub claims: Vec<ClaimView>,
    /// The periods ended with no claim.
    pub returns_due: Vec<ReturnDueView>,
    /// The amounts due by today, by due date.
    pub due: Vec<DueLineView>,
    /// Block instalments falling due after today.
    pub scheduled: Vec<DueLineView>,
    /// Claims the current terms refuse (terms changed after they were accepted), in words.
    pub refused: Vec<String>,
    /// The payments recorded, in the order recorded.
    pub made: Vec<PaymentView>,
    pub total_due: Money,
    /// The sum of the payments made (those with a payment date).
    pub total_paid: Money,
    /// Payments made late, or unpaid past the day allowed.
    pub late_count: usize,
    /// The mean days from a valid invoice to payment, to one decimal place (absent before
    /// any payment).
    pub average_days_to_payment: Option<String>,
}

impl From<PaymentSummary> for PaymentSummaryView {
    fn from(s: PaymentSummary) -> Self {
        Self {
            contract_id: s.contract.id,
            reference: s.contract.reference,
            title: s.contract.title,
            supplier: s.contract.supplier,
            regime: s.contract.regime,
            today: s.today,
            terms: s.terms.map(Into::into),
            claims: s.claims.into_iter().map(Into::into).collect(),
            returns_due: s.returns_due.into_iter().map(Into::into).collect(),
            due: s.due.into_iter().map(Into::into).collect(),
            scheduled: s.scheduled.into_iter().map(Into::into).collect(),
            refused: s.refused,
            made: s.made.into_iter().map(Into::into).collect(),
            total_due: s.total_due,
            total_paid: s.total_paid,
            late_count: s.late_count,
            average_days_to_payment: s.average_days_to_payment.map(|d| d.to_string()),
        }
    }
}
