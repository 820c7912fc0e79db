//! A provider's payments across its contracts, by the council that holds each contract: what
//! it was paid in the last twelve months and how fast (the days from a valid invoice to
//! payment, judged against the prompt-payment term of each contract's regime), the invoices
//! not yet paid, and what its payment terms have made due and is not yet paid.
//!
//! It reads the payments of the last twelve months and those unpaid, the paid totals and the
//! current terms with their claims: four queries, whatever the number of contracts. The
//! provider's view that calls it is computed once per change.

use crate::contracts::payments::{PaymentMade, average_days};
use crate::{UseCaseError, UseCaseResult};
use chrono::{Months, NaiveDate};
use ngc_domain::contracts::payment::payments_due;
use ngc_domain::money::Money;
use ngc_store::Store;
use ngc_store::contracts::{Claim, Contract};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A provider's payments from one council.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CouncilPayments {
    /// The council's slug.
    pub council: String,
    /// Its name (filled in by the provider's view, which reads each council's name once).
    pub name: String,
    /// Paid in the last twelve months.
    pub paid: Money,
    /// How many payments that was.
    pub payments: usize,
    /// The mean days from a valid invoice to payment over those payments, to one decimal
    /// place; `None` when there were none.
    pub average_days_to_payment: Option<Decimal>,
    /// Payments in the last twelve months made after the day allowed, and invoices unpaid
    /// past it.
    pub late: usize,
    /// Invoices received and not yet paid.
    pub unpaid: Money,
    pub unpaid_invoices: usize,
    /// What the payment terms have made due by today (block instalments and the lines of the
    /// provider's claims) less what has been paid, over the contracts with terms; never
    /// below zero for a contract.
    pub due_unpaid: Money,
}

/// The months over which payments made are counted.
pub const PAID_MONTHS: u32 = 12;

/// The provider's payments by council, in council order. `contracts` are all of its
/// contracts.
pub async fn by_council(
    store: &Store,
    supplier_id: i64,
    contracts: &[Contract],
    today: NaiveDate,
) -> UseCaseResult<Vec<CouncilPayments>> {
    let by_id: HashMap<i64, &Contract> = contracts.iter().map(|c| (c.id, c)).collect();
    let council_of = |id: i64| {
        by_id
            .get(&id)
            .and_then(|c| c.organisation.clone())
            .unwrap_or_default()
    };
    let since = today - Months::new(PAID_MONTHS);
    let mut made: BTreeMap<String, Vec<PaymentMade>> = BTreeMap::new();
    for p in store.supplier_payments_since(supplier_id, since).await? {
        let Some(c) = by_id.get(&p.contract_id) else {
            continue;
        };
        made.entry(council_of(p.contract_id))
            .or_default()
            .push(PaymentMade::judge(p, c.regime, today));
    }
    let paid_to_date = store.supplier_paid_to_date(supplier_id).await?;
    let mut claims: HashMap<i64, Vec<Claim>> = HashMap::new();
    for claim in store.supplier_claims(supplier_id).await? {
        claims.entry(claim.contract_id).or_default().push(claim);
    }
    let mut due_unpaid: BTreeMap<String, Money> = BTreeMap::new();
    for t in store.supplier_payment_terms(supplier_id).await? {
        let returns: Vec<_> = claims
            .get(&t.contract_id)
            .map(|cs| cs.iter().map(Claim::to_return).collect())
            .unwrap_or_default();
        let lines = payments_due(&t.terms, &returns, NaiveDate::MAX).lines;
        let due = Money::checked_sum(lines.iter().filter(|l| l.due_on <= today).map(|l| l.amount))
            .ok_or_else(|| too_large(t.contract_id))?;
        let paid = paid_to_date
            .get(&t.contract_id)
            .copied()
            .unwrap_or_default();
        if due > paid {
            *due_unpaid.entry(council_of(t.contract_id)).or_default() += due - paid;
        }
    }
    let councils: std::collections::BTreeSet<String> =
        made.keys().chain(due_unpaid.keys()).cloned().collect();
    let mut out = Vec::new();
    for council in councils {
        let made = made.remove(&council).unwrap_or_default();
        let (paid, unpaid): (Vec<&PaymentMade>, Vec<&PaymentMade>) =
            made.iter().partition(|m| m.payment.paid_on.is_some());
        out.push(CouncilPayments {
            paid: Money::checked_sum(paid.iter().map(|m| m.payment.amount))
                .ok_or_else(|| too_large(0))?,
            payments: paid.len(),
            average_days_to_payment: average_days(&made),
            late: made.iter().filter(|m| m.timeliness.late).count(),
            unpaid: Money::checked_sum(unpaid.iter().map(|m| m.payment.amount))
                .ok_or_else(|| too_large(0))?,
            unpaid_invoices: unpaid.len(),
            due_unpaid: due_unpaid.remove(&council).unwrap_or_default(),
            name: String::new(),
            council,
        });
    }
    Ok(out)
}

fn too_large(contract: i64) -> UseCaseError {
    UseCaseError::Conflict(format!(
        "payments beyond range (contract {contract}, or a council's sum)"
    ))
}
