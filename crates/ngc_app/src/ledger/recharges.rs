//! Posting a shared-service partnership's recharges for a year to its partners' ledgers,
//! from the recharge statement ([`crate::shared_services::statement`]).
//!
//! Each partner's net charge (charges less income credited, plus exit costs): Dr
//! expenditure `Central services` / `Support service recharges`, Cr creditors. The lead
//! (host) council's income for the partnership, the other partners' net charges: Dr
//! debtors, Cr income `Central services` / `Shared service income`. A negative net charge
//! posts the other way round; a zero one posts nothing. Every journal is dated the last day
//! of the year under the key `recharge:PARTNERSHIP:YEAR:ORGANISATION` (`…:income` for the
//! host's income), so posting again changes nothing; all of them post in one transaction.
//! The caller must post to every one of the ledgers (the system, from the command line).

use super::refused;
use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::access::Action;
use ngc_domain::finance::FinancialYear;
use ngc_domain::ledger::{Account, Journal, Posting, Source, SourceKind};
use ngc_domain::money::Money;
use ngc_store::Store;
use ngc_store::ledger::Posted;

/// The service line recharges are posted to.
pub const SERVICE: &str = "Central services";
/// The subjective of a partner's charge.
pub const CHARGE_SUBJECTIVE: &str = "Support service recharges";
/// The subjective of the host's income.
pub const INCOME_SUBJECTIVE: &str = "Shared service income";

/// A journal posted (or found posted) for the partnership.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RechargePosting {
    pub organisation: String,
    pub posted: Posted,
}

fn pair(
    key: String,
    date: chrono::NaiveDate,
    description: String,
    (debit, credit): (Account, Account),
    amount: Money,
    source: &Source,
) -> UseCaseResult<Option<Journal>> {
    if amount.is_zero() {
        return Ok(None);
    }
    let (debit, credit, amount) = if amount.is_negative() {
        (credit, debit, -amount)
    } else {
        (debit, credit, amount)
    };
    Journal::new(
        key,
        date,
        description,
        vec![
            Posting::debit(debit, amount, source.clone()),
            Posting::credit(credit, amount, source.clone()),
        ],
    )
    .map(Some)
    .map_err(refused)
}

async fn id_of(store: &Store, org: &str) -> UseCaseResult<i64> {
    store
        .organisation_by_slug(org)
        .await?
        .map(|o| o.id)
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{org}`")))
}

/// Posts the partnership's recharges for the year: every partner's net charge and the
/// host's income, all or none.
pub async fn post(
    store: &Store,
    caller: &Caller,
    slug: &str,
    year: FinancialYear,
) -> UseCaseResult<Vec<RechargePosting>> {
    let partnership = crate::shared_services::readable(store, caller, slug).await?;
    let statement = crate::shared_services::statement(store, caller, slug, year).await?;
    let lead = partnership.lead.clone().ok_or_else(|| {
        UseCaseError::Conflict(format!(
            "partnership `{slug}` has no lead council to take the income"
        ))
    })?;
    let date = year.last_day();
    let source = Source {
        kind: SourceKind::Recharge,
        reference: format!("{} {year}", partnership.slug),
    };
    let mut journals: Vec<(String, i64, Journal)> = Vec::new();
    let mut income = Money::ZERO;
    for p in &statement.partners {
        let org = p.organisation.to_string();
        if org != lead {
            income = income
                .checked_add(p.net_charge)
                .ok_or_else(|| UseCaseError::Conflict("the charges overflow".into()))?;
        }
        if let Some(j) = pair(
            format!("recharge:{}:{year}:{org}", partnership.slug),
            date,
            format!("{} recharge {year}: net charge", partnership.name),
            (
                Account::expenditure(SERVICE, CHARGE_SUBJECTIVE),
                Account::Creditors,
            ),
            p.net_charge,
            &source,
        )? {
            let id = id_of(store, &org).await?;
            journals.push((org, id, j));
        }
    }
    if let Some(j) = pair(
        format!("recharge:{}:{year}:{lead}:income", partnership.slug),
        date,
        format!(
            "{} recharge {year}: income from the partners",
            partnership.name
        ),
        (
            Account::Debtors,
            Account::income(SERVICE, INCOME_SUBJECTIVE),
        ),
        income,
        &source,
    )? {
        let id = id_of(store, &lead).await?;
        journals.push((lead.clone(), id, j));
    }
    for (_, org, _) in &journals {
        caller.require(Action::PostJournals(*org))?;
    }
    let to_post: Vec<(i64, Journal)> = journals.iter().map(|(_, id, j)| (*id, j.clone())).collect();
    let posted = store.post_journals(&to_post, &caller.actor()).await?;
    Ok(journals
        .into_iter()
        .zip(posted)
        .map(|((organisation, _, _), posted)| RechargePosting {
            organisation,
            posted,
        })
        .collect())
}
