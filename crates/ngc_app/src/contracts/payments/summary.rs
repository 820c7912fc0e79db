//! A contract's payments as whoever reads it sees them (the provider's view of "returns due,
//! payments made and due"): the terms, the claims, the periods whose return has not come,
//! the payments due by today and those scheduled after, and the payments made, each judged
//! against the prompt-payment term of the contract's regime.

use super::{holder, last_day, readable};
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::{Action, ContractScope};
use ngc_domain::contracts::payment::{
    Component, DueLine, PaymentTerms, PromptPaymentRules, Timeliness, payments_due, timeliness,
};
use ngc_domain::contracts::{Frequency, Period};
use ngc_domain::money::Money;
use ngc_domain::procurement::Regime;
use ngc_store::Store;
use ngc_store::contracts::{Claim, Contract, Payment, PaymentTermsVersion};
use rust_decimal::{Decimal, RoundingStrategy};
use std::sync::LazyLock;

/// The prompt-payment rules shipped with ngc, read once.
static PROMPT_PAYMENT: LazyLock<PromptPaymentRules> = LazyLock::new(PromptPaymentRules::shipped);

/// A payment recorded, with whether it was (or is being) paid in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMade {
    pub payment: Payment,
    pub timeliness: Timeliness,
}

impl PaymentMade {
    /// Judges `payment` under the prompt-payment term of `regime`, as of `today`.
    pub fn judge(payment: Payment, regime: Regime, today: NaiveDate) -> Self {
        let timeliness = timeliness(&payment.record(), regime, today, &PROMPT_PAYMENT);
        PaymentMade {
            payment,
            timeliness,
        }
    }
}

/// A period whose return has not come: it has ended, and no claim covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDue {
    pub period: Period,
    /// The period's name (`2016-17 Q1`).
    pub label: String,
    /// The components reported in that period (`cost_per_case`, `payment_by_results`).
    pub components: Vec<&'static str>,
}

/// Everything about a contract's payments, as of `today`.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentSummary {
    pub contract: Contract,
    pub today: NaiveDate,
    /// The current terms, if set.
    pub terms: Option<PaymentTermsVersion>,
    /// The claims, in period order.
    pub claims: Vec<Claim>,
    /// The periods ended with no claim, by the day they ended.
    pub returns_due: Vec<ReturnDue>,
    /// The payments due by today: block instalments and the claims' lines, by due date.
    pub due: Vec<DueLine>,
    /// Block instalments falling due after today.
    pub scheduled: Vec<DueLine>,
    /// Claims the current terms refuse (terms changed after they were accepted), in words.
    pub refused: Vec<String>,
    /// The payments recorded, in the order recorded.
    pub made: Vec<PaymentMade>,
    /// The sum of `due`.
    pub total_due: Money,
    /// The sum of the payments made (those with a payment date).
    pub total_paid: Money,
    /// How many payments were paid late, or are unpaid past the day allowed.
    pub late_count: usize,
    /// The mean days from a valid invoice to payment over the payments made, to one decimal
    /// place (half away from zero); `None` before any.
    pub average_days_to_payment: Option<Decimal>,
    /// What the caller may do here.
    pub may_set_terms: bool,
    pub may_claim: bool,
    pub may_record_payments: bool,
}

/// The payment summary of a contract the caller may read (404 for any other).
pub async fn summary(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
) -> UseCaseResult<PaymentSummary> {
    let contract = readable(store, caller, contract_id).await?;
    let org = holder(&contract).ok();
    let today = store.today();
    let terms = store.payment_terms(contract_id).await?;
    let claims = store.contract_claims(contract_id).await?;
    let made: Vec<PaymentMade> = store
        .contract_payments(contract_id)
        .await?
        .into_iter()
        .map(|p| PaymentMade::judge(p, contract.regime, today))
        .collect();
    let returns: Vec<_> = claims.iter().map(Claim::to_return).collect();
    let (due, scheduled, refused, returns_due) = match &terms {
        None => Default::default(),
        Some(t) => {
            let all = payments_due(&t.terms, &returns, NaiveDate::MAX);
            let (due, scheduled): (Vec<DueLine>, Vec<DueLine>) =
                all.lines.into_iter().partition(|l| l.due_on <= today);
            let refused = all.refused.iter().map(ToString::to_string).collect();
            (
                due,
                scheduled,
                refused,
                returns_due(
                    &t.terms,
                    contract.starts_on,
                    last_day(&contract),
                    &claims.iter().map(|c| c.period).collect::<Vec<_>>(),
                    today,
                ),
            )
        }
    };
    let too_large =
        || UseCaseError::Conflict(format!("contract {contract_id}: amounts beyond range"));
    let total_due = Money::checked_sum(due.iter().map(|l| l.amount)).ok_or_else(too_large)?;
    let paid: Vec<&PaymentMade> = made
        .iter()
        .filter(|m| m.payment.paid_on.is_some())
        .collect();
    let total_paid =
        Money::checked_sum(paid.iter().map(|m| m.payment.amount)).ok_or_else(too_large)?;
    Ok(PaymentSummary {
        may_set_terms: org.is_some_and(|o| caller.can(Action::ManageContracts(o))),
        may_claim: caller.principal().is_some_and(|p| {
            p.contract_scope() == Some(ContractScope::Supplier(contract.supplier_id))
        }),
        may_record_payments: org.is_some_and(|o| caller.can(Action::RecordContractPayments(o))),
        late_count: made.iter().filter(|m| m.timeliness.late).count(),
        average_days_to_payment: average_days(&made),
        contract,
        today,
        terms,
        claims,
        returns_due,
        due,
        scheduled,
        refused,
        made,
        total_due,
        total_paid,
    })
}

/// The mean days to payment over the payments made, to one decimal place.
pub(crate) fn average_days(made: &[PaymentMade]) -> Option<Decimal> {
    let days: Vec<i64> = made
        .iter()
        .filter_map(|m| m.timeliness.days_to_payment)
        .collect();
    if days.is_empty() {
        return None;
    }
    let total: i64 = days.iter().sum();
    let mean = Decimal::from(total) / Decimal::from(days.len());
    Some(mean.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero))
}

/// The periods of the terms' cost-per-case and payment-by-results components, within the
/// contract's term (`starts_on` to `last`, if it ends), that ended by `today` with no claim
/// for exactly that period (`claimed`).
fn returns_due(
    terms: &PaymentTerms,
    starts_on: NaiveDate,
    last: Option<NaiveDate>,
    claimed: &[Period],
    today: NaiveDate,
) -> Vec<ReturnDue> {
    let to = last.map_or(today, |l| l.min(today));
    let mut due: Vec<ReturnDue> = Vec::new();
    for component in &terms.components {
        let frequency: Frequency = match component {
            Component::CostPerCase { frequency, .. }
            | Component::PaymentByResults { frequency, .. } => *frequency,
            Component::Block { .. } => continue,
        };
        for period in Period::covering(frequency, starts_on, to) {
            if period.end > today || claimed.contains(&period) {
                continue;
            }
            match due.iter_mut().find(|r| r.period == period) {
                Some(r) => r.components.push(component.kind()),
                None => due.push(ReturnDue {
                    period,
                    label: period.label(frequency),
                    components: vec![component.kind()],
                }),
            }
        }
    }
    due.sort_by_key(|r| (r.period.end, r.period.start));
    due
}

/// A period in words: its label when it is a month, quarter or year of the financial year,
/// else its first and last days.
pub fn describe_period(period: Period) -> String {
    Frequency::ALL
        .iter()
        .find(|&&f| Period::containing(f, period.start) == period)
        .map(|&f| period.label(f))
        .unwrap_or_else(|| format!("{} to {}", period.start, period.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngc_domain::contracts::payment::{Instalment, OutcomeMetric};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Monthly cost per case and quarterly payment by results, beside a block payment.
    fn terms() -> PaymentTerms {
        PaymentTerms {
            components: vec![
                Component::Block {
                    schedule: vec![Instalment {
                        due_on: d("2016-04-30"),
                        amount: Money::pounds(1),
                    }],
                },
                Component::CostPerCase {
                    unit: "placement week".into(),
                    rate: Money::pounds(800),
                    frequency: Frequency::Monthly,
                },
                Component::PaymentByResults {
                    frequency: Frequency::Quarterly,
                    metrics: vec![OutcomeMetric::new("X", "x", Money::pounds(1))],
                },
            ],
        }
    }

    fn labels(due: &[ReturnDue]) -> Vec<(String, Vec<&'static str>)> {
        due.iter()
            .map(|r| (r.label.clone(), r.components.clone()))
            .collect()
    }

    #[test]
    fn returns_are_due_for_each_ended_period_of_each_component_without_a_claim() {
        let april = Period::containing(Frequency::Monthly, d("2016-04-01"));
        let due = returns_due(&terms(), d("2016-04-01"), None, &[april], d("2016-07-01"));
        assert_eq!(
            labels(&due),
            [
                ("2016-05".to_owned(), vec![Component::COST_PER_CASE]),
                ("2016-17 Q1".to_owned(), vec![Component::PAYMENT_BY_RESULTS]),
                ("2016-06".to_owned(), vec![Component::COST_PER_CASE]),
            ]
        );
    }

    #[test]
    fn no_return_is_due_for_a_period_running_today_or_after_the_contract_ended() {
        let due = returns_due(
            &terms(),
            d("2016-04-01"),
            Some(d("2016-05-15")),
            &[],
            d("2017-01-01"),
        );
        assert_eq!(
            labels(&due),
            [
                ("2016-04".to_owned(), vec![Component::COST_PER_CASE]),
                ("2016-05".to_owned(), vec![Component::COST_PER_CASE]),
                ("2016-17 Q1".to_owned(), vec![Component::PAYMENT_BY_RESULTS]),
            ]
        );
        assert!(returns_due(&terms(), d("2016-04-01"), None, &[], d("2016-04-29")).is_empty());
    }

    #[test]
    fn periods_are_described_by_their_label_or_their_days() {
        let q = Period::containing(Frequency::Quarterly, d("2016-08-01"));
        assert_eq!(describe_period(q), "2016-17 Q2");
        let odd = Period {
            start: d("2016-04-03"),
            end: d("2016-04-09"),
        };
        assert_eq!(describe_period(odd), "2016-04-03 to 2016-04-09");
    }
}
