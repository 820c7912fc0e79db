//! How a contract pays: the holding council's commissioners set the payment terms, the
//! supplier's staff claim for each period (checked against the terms and every claim before,
//! nothing saved when refused), the council's finance officers record the payments made; and
//! everyone who reads the contract sees the summary ([`summary`]): the terms, the claims, the
//! returns still due, the payments due and those made, each judged against the
//! prompt-payment term of the contract's regime.

mod summary;

pub(crate) use summary::average_days;
pub use summary::{PaymentMade, PaymentSummary, ReturnDue, describe_period, summary};

use super::scope_of;
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::{Action, ContractScope};
use ngc_domain::contracts::payment::{
    ClaimError, Component, DueLine, PaymentTerms, PeriodReturn, check_claim,
};
use ngc_domain::contracts::{Frequency, Period};
use ngc_domain::money::Money;
use ngc_store::contracts::{Claim, Contract, NewPayment, PaymentTermsVersion};
use ngc_store::{Store, StoreError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A provider's claim for one period. The period is given by its first day and either its
/// last day or its frequency; with neither, by the frequency of the components the claim
/// reports (when they agree).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimInput {
    /// The period's first day (YYYY-MM-DD).
    pub period_start: String,
    /// The period's last day (YYYY-MM-DD).
    pub period_end: Option<String>,
    /// `monthly`, `quarterly` or `annually`: the period of that frequency (aligned to the
    /// financial year) that starts on `period_start`.
    pub frequency: Option<String>,
    /// Units delivered, for the cost-per-case component.
    pub units: Option<u64>,
    /// Outcomes achieved, by metric code (`{"SMK-QUIT": 12}`), for payment by results.
    #[serde(default)]
    pub outcomes: BTreeMap<String, u64>,
}

/// A payment made, or an invoice received and not yet paid. Money is pounds as a decimal
/// string; dates are YYYY-MM-DD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentInput {
    /// How much (`12500.00`).
    pub amount: String,
    /// What it pays for: `block`, `cost_per_case` or `payment_by_results`.
    pub component: String,
    /// The first day of the period it pays for, if one.
    pub period_start: Option<String>,
    /// The last day of that period.
    pub period_end: Option<String>,
    /// The provider's invoice number.
    pub invoice_reference: String,
    /// The date on the invoice.
    pub invoice_date: String,
    /// The day a valid invoice was received (if the first was invalid, the day a valid one
    /// was): the prompt-payment term runs from it.
    pub valid_invoice_received: String,
    /// The day payment falls due under the invoice, if it states one.
    pub invoice_due_on: Option<String>,
    /// The day it was paid; empty while unpaid.
    pub paid_on: Option<String>,
    /// Whether the council disputes the invoice.
    #[serde(default)]
    pub disputed: bool,
}

/// A claim as accepted, with the lines it makes due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedClaim {
    pub claim: Claim,
    pub lines: Vec<DueLine>,
}

pub(super) fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(super) fn date(field: &str, value: &str) -> UseCaseResult<NaiveDate> {
    value.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            field,
            format!("`{}` is not a date: use YYYY-MM-DD", value.trim()),
        )
    })
}

fn optional_date(field: &str, value: &Option<String>) -> UseCaseResult<Option<NaiveDate>> {
    given(value).map(|v| date(field, v)).transpose()
}

/// The contract with this id if the caller may read it (the rule of [`super::get`]; the
/// system reads every contract), else 404 naming it.
pub(super) async fn readable(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<Contract> {
    let contract = match caller {
        Caller::System => store.contract(id).await?,
        Caller::User(_) => store.visible_contract(scope_of(caller)?, id).await?,
    };
    contract.ok_or_else(|| UseCaseError::NotFound(format!("contract {id}")))
}

/// The council whose register holds the contract.
pub(super) fn holder(contract: &Contract) -> UseCaseResult<i64> {
    contract.organisation_id.ok_or_else(|| {
        UseCaseError::Conflict(format!(
            "contract {} is in no council's register",
            contract.id
        ))
    })
}

/// The last day of the contract: its end or its termination, whichever is first.
pub(super) fn last_day(contract: &Contract) -> Option<NaiveDate> {
    match (contract.ends_on, contract.terminated_on) {
        (Some(e), Some(t)) => Some(e.min(t)),
        (e, t) => e.or(t),
    }
}

/// Sets the contract's payment terms (the holding council's commissioners and
/// administrator). The terms must pass the domain's checks; the version they replace is kept.
pub async fn set_terms(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    terms: &PaymentTerms,
) -> UseCaseResult<PaymentTermsVersion> {
    let contract = readable(store, caller, contract_id).await?;
    caller.require(Action::ManageContracts(holder(&contract)?))?;
    terms
        .validate()
        .map_err(|e| UseCaseError::invalid("components", format!("contract {contract_id}: {e}")))?;
    Ok(store
        .set_payment_terms(contract_id, terms, &caller.actor())
        .await?)
}

/// Submits the supplier's claim for a period (its own staff only). The period must be one
/// that has ended, within the contract's term; the claim must report units or outcomes, and
/// pass [`check_claim`] against the current terms and every claim accepted before it. A
/// second claim for the same period is refused. Nothing is saved when a claim is refused.
pub async fn submit_claim(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &ClaimInput,
) -> UseCaseResult<AcceptedClaim> {
    let contract = readable(store, caller, contract_id).await?;
    if let Some(p) = caller.principal()
        && p.contract_scope() != Some(ContractScope::Supplier(contract.supplier_id))
    {
        return Err(UseCaseError::Forbidden(format!(
            "only the staff of the supplier, {}, claim under contract {contract_id}",
            contract.supplier_name
        )));
    }
    let terms = store.payment_terms(contract_id).await?.ok_or_else(|| {
        UseCaseError::Conflict(format!(
            "contract {contract_id} has no payment terms yet: the council sets them before \
             claims are made"
        ))
    })?;
    let claim = PeriodReturn {
        period: claim_period(&terms.terms, input)?,
        units: input.units,
        outcomes: input
            .outcomes
            .iter()
            .map(|(code, n)| (code.trim().to_owned(), *n))
            .collect(),
    };
    if claim.units.is_none() && claim.outcomes.is_empty() {
        return Err(UseCaseError::invalid(
            "units",
            format!("contract {contract_id}: a claim reports units, outcomes or both"),
        ));
    }
    within_term(&contract, claim.period, store.today())?;
    let mut lines = Vec::new();
    let saved = store
        .submit_claim(contract_id, &claim, &caller.actor(), |terms, earlier| {
            lines =
                check_claim(terms, earlier, &claim).map_err(|e| claim_refused(contract_id, &e))?;
            Ok(())
        })
        .await?;
    Ok(AcceptedClaim {
        claim: saved,
        lines,
    })
}

/// The period a claim is for.
fn claim_period(terms: &PaymentTerms, input: &ClaimInput) -> UseCaseResult<Period> {
    let start = date("period_start", &input.period_start)?;
    if let Some(end) = optional_date("period_end", &input.period_end)? {
        if end < start {
            return Err(UseCaseError::invalid(
                "period_end",
                format!("{end} is before period_start {start}"),
            ));
        }
        return Ok(Period { start, end });
    }
    let frequency = match given(&input.frequency) {
        Some(f) => f
            .parse::<Frequency>()
            .map_err(|e| UseCaseError::invalid("frequency", e.to_string()))?,
        None => frequency_of_claim(terms, input)?,
    };
    let period = Period::containing(frequency, start);
    if period.start != start {
        return Err(UseCaseError::invalid(
            "period_start",
            format!(
                "{start} is not the first day of a {} period: that period starts on {}",
                frequency.as_str(),
                period.start
            ),
        ));
    }
    Ok(period)
}

/// The one frequency of the components a claim reports (cost per case for units, payment by
/// results for outcomes).
fn frequency_of_claim(terms: &PaymentTerms, input: &ClaimInput) -> UseCaseResult<Frequency> {
    let mut found: Vec<Frequency> = terms
        .components
        .iter()
        .filter_map(|c| match c {
            Component::CostPerCase { frequency, .. } if input.units.is_some() => Some(*frequency),
            Component::PaymentByResults { frequency, .. } if !input.outcomes.is_empty() => {
                Some(*frequency)
            }
            _ => None,
        })
        .collect();
    found.dedup();
    match found.as_slice() {
        [one] => Ok(*one),
        _ => Err(UseCaseError::invalid(
            "period_end",
            "give the period's last day or its frequency",
        )),
    }
}

/// Refuses a period that has not ended by `today` or lies outside the contract's term.
fn within_term(contract: &Contract, period: Period, today: NaiveDate) -> UseCaseResult<()> {
    let id = contract.id;
    if period.end > today {
        return Err(UseCaseError::invalid(
            "period_end",
            format!(
                "contract {id}: the period {} to {} has not ended: claim once it has",
                period.start, period.end
            ),
        ));
    }
    if period.end < contract.starts_on {
        return Err(UseCaseError::invalid(
            "period_end",
            format!(
                "contract {id}: the period ends on {}, before the contract starts on {}",
                period.end, contract.starts_on
            ),
        ));
    }
    if let Some(last) = last_day(contract).filter(|&l| period.start > l) {
        return Err(UseCaseError::invalid(
            "period_start",
            format!(
                "contract {id}: the period starts on {}, after the contract ended on {last}",
                period.start
            ),
        ));
    }
    Ok(())
}

/// A refused claim as a field error: the field the domain's message is about.
fn claim_refused(contract_id: i64, e: &ClaimError) -> StoreError {
    let outcome = |metric: &str| format!("outcomes.{metric}");
    let field = match e {
        ClaimError::UnitsWithoutCostPerCase { .. } => "units".to_owned(),
        ClaimError::UnknownMetric { metric, .. }
        | ClaimError::OverPeriodCap { metric, .. }
        | ClaimError::OverPeriodOutcomeCap { metric, .. }
        | ClaimError::OverContractCap { metric, .. }
        | ClaimError::OverContractOutcomeCap { metric, .. } => outcome(metric),
        ClaimError::NotAPeriod { .. } | ClaimError::AlreadyClaimed { .. } => {
            "period_start".to_owned()
        }
        ClaimError::Overflow { what, .. } => what
            .strip_prefix("outcome `")
            .and_then(|w| w.strip_suffix('`'))
            .map_or_else(|| "units".to_owned(), outcome),
    };
    StoreError::invalid(field, format!("contract {contract_id}: {e}"))
}

/// Records a payment under the contract, or an invoice received and not yet paid (the
/// holding council's finance officers, commissioners and administrator). A payment made
/// (`paid_on` given) is posted to the holding council's ledger in the same transaction
/// ([`crate::ledger::payment_journal`]). The amount must be
/// positive; the component one of the terms' (any, while there are none); a valid invoice is
/// received on or after its date and not after today; a payment is made on or after that
/// day and not after today.
pub async fn record_payment(
    store: &Store,
    caller: &Caller,
    contract_id: i64,
    input: &PaymentInput,
) -> UseCaseResult<PaymentMade> {
    let contract = readable(store, caller, contract_id).await?;
    caller.require(Action::RecordContractPayments(holder(&contract)?))?;
    let terms = store.payment_terms(contract_id).await?;
    let new = new_payment(&contract, terms.as_ref(), input, store.today())?;
    let (payment, _) = store
        .record_contract_payment_posting(&new, &caller.actor(), |id| {
            crate::ledger::payment_journal(&contract, &new, id)
                .map_err(|e| ngc_store::StoreError::invalid(e.field(), e.to_string()))
        })
        .await?;
    Ok(PaymentMade::judge(payment, contract.regime, store.today()))
}

fn new_payment(
    contract: &Contract,
    terms: Option<&PaymentTermsVersion>,
    input: &PaymentInput,
    today: NaiveDate,
) -> UseCaseResult<NewPayment> {
    let amount: Money =
        input
            .amount
            .trim()
            .parse()
            .map_err(|e: ngc_domain::money::MoneyError| {
                UseCaseError::invalid("amount", e.to_string())
            })?;
    if !amount.is_positive() {
        return Err(UseCaseError::invalid(
            "amount",
            format!("must be positive, got {}", amount.fmt_gbp()),
        ));
    }
    let component = [
        Component::BLOCK,
        Component::COST_PER_CASE,
        Component::PAYMENT_BY_RESULTS,
    ]
    .into_iter()
    .find(|k| *k == input.component.trim())
    .ok_or_else(|| {
        UseCaseError::invalid(
            "component",
            format!(
                "`{}` is not one of block, cost_per_case, payment_by_results",
                input.component.trim()
            ),
        )
    })?;
    if let Some(t) = terms
        && !t.terms.components.iter().any(|c| c.kind() == component)
    {
        return Err(UseCaseError::invalid(
            "component",
            format!(
                "contract {}'s payment terms have no {component} component",
                contract.id
            ),
        ));
    }
    let period = match (
        optional_date("period_start", &input.period_start)?,
        optional_date("period_end", &input.period_end)?,
    ) {
        (None, None) => None,
        (Some(start), Some(end)) if start <= end => Some(Period { start, end }),
        (Some(start), Some(end)) => {
            return Err(UseCaseError::invalid(
                "period_end",
                format!("{end} is before period_start {start}"),
            ));
        }
        (Some(_), None) => {
            return Err(UseCaseError::invalid(
                "period_end",
                "give the period's last day",
            ));
        }
        (None, Some(_)) => {
            return Err(UseCaseError::invalid(
                "period_start",
                "give the period's first day",
            ));
        }
    };
    let invoice_reference = input.invoice_reference.trim().to_owned();
    if invoice_reference.is_empty() {
        return Err(UseCaseError::invalid("invoice_reference", "is required"));
    }
    let invoice_date = date("invoice_date", &input.invoice_date)?;
    let received = date("valid_invoice_received", &input.valid_invoice_received)?;
    let invoice_due_on = optional_date("invoice_due_on", &input.invoice_due_on)?;
    let paid_on = optional_date("paid_on", &input.paid_on)?;
    let not_before = |field: &str, day: NaiveDate, what: &str, bound: NaiveDate| {
        if day < bound {
            Err(UseCaseError::invalid(
                field,
                format!("{day} is before {what}, {bound}"),
            ))
        } else {
            Ok(())
        }
    };
    let not_after_today = |field: &str, day: NaiveDate| {
        if day > today {
            Err(UseCaseError::invalid(
                field,
                format!("{day} is after today, {today}: record what has happened"),
            ))
        } else {
            Ok(())
        }
    };
    not_before(
        "valid_invoice_received",
        received,
        "the invoice date",
        invoice_date,
    )?;
    not_after_today("valid_invoice_received", received)?;
    if let Some(due) = invoice_due_on {
        not_before("invoice_due_on", due, "the invoice date", invoice_date)?;
    }
    if let Some(paid) = paid_on {
        not_before(
            "paid_on",
            paid,
            "the day the valid invoice was received",
            received,
        )?;
        not_after_today("paid_on", paid)?;
    }
    Ok(NewPayment {
        contract_id: contract.id,
        amount,
        period,
        component,
        invoice_reference,
        invoice_date,
        valid_invoice_received: received,
        invoice_due_on,
        paid_on,
        disputed: input.disputed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngc_domain::contracts::payment::OutcomeMetric;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Units monthly, outcomes quarterly.
    fn terms() -> PaymentTerms {
        PaymentTerms {
            components: vec![
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

    fn input(start: &str, end: Option<&str>, frequency: Option<&str>) -> ClaimInput {
        ClaimInput {
            period_start: start.into(),
            period_end: end.map(Into::into),
            frequency: frequency.map(Into::into),
            ..Default::default()
        }
    }

    fn field_of(r: UseCaseResult<Period>) -> String {
        match r {
            Err(UseCaseError::Invalid { field, .. }) => field,
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[test]
    fn a_claim_period_is_its_first_and_last_day_or_the_period_of_its_frequency() {
        let t = terms();
        let q1 = Period {
            start: d("2016-04-01"),
            end: d("2016-06-30"),
        };
        assert_eq!(
            claim_period(&t, &input("2016-04-01", Some("2016-06-30"), None)).ok(),
            Some(q1)
        );
        assert_eq!(
            claim_period(&t, &input("2016-04-01", None, Some("quarterly"))).ok(),
            Some(q1)
        );
        let units = ClaimInput {
            units: Some(3),
            ..input("2016-04-01", None, None)
        };
        assert_eq!(
            claim_period(&t, &units).ok(),
            Some(Period::containing(Frequency::Monthly, d("2016-04-01")))
        );
    }

    #[rstest]
    #[case::not_the_first_day_of_its_quarter(
        input("2016-05-01", None, Some("quarterly")),
        "period_start"
    )]
    #[case::ends_before_it_starts(input("2016-05-01", Some("2016-04-30"), None), "period_end")]
    #[case::units_and_outcomes_are_reported_at_different_frequencies(
        ClaimInput {
            units: Some(1),
            outcomes: BTreeMap::from([("X".to_owned(), 1)]),
            ..input("2016-04-01", None, None)
        },
        "period_end"
    )]
    #[case::an_unknown_frequency(input("2016-04-01", None, Some("weekly")), "frequency")]
    #[case::not_a_date(input("1 April 2016", None, None), "period_start")]
    fn a_claim_period_that_cannot_be_told_is_refused_naming_the_field(
        #[case] claim: ClaimInput,
        #[case] field: &str,
    ) {
        assert_eq!(field_of(claim_period(&terms(), &claim)), field);
    }

    #[test]
    fn a_refused_claim_names_the_field_the_domain_speaks_of() {
        let over = ClaimError::OverPeriodOutcomeCap {
            metric: "SMK-QUIT".into(),
            period: "2016-17 Q1".into(),
            count: 51,
            cap: 50,
        };
        match claim_refused(7, &over) {
            StoreError::Invalid { field, message } => {
                assert_eq!(field, "outcomes.SMK-QUIT");
                assert_eq!(
                    message,
                    "contract 7: outcome `SMK-QUIT` in 2016-17 Q1: 51 outcomes would exceed the period cap of 50 outcomes"
                );
            }
            other => panic!("{other:?}"),
        }
        let units = ClaimError::Overflow {
            what: "units (placement week)".into(),
            period: "2016-04".into(),
            quantity: u64::MAX,
            price: Money::pounds(800),
        };
        assert!(
            matches!(claim_refused(7, &units), StoreError::Invalid { field, .. } if field == "units")
        );
    }
}
