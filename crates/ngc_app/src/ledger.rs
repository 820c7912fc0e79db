//! The ledger: post and reverse journals, read the trial balance. An organisation's finance
//! officers and administrators post to and read its ledger (`Action::PostJournals`,
//! `Action::ReadLedger`); the command line posts as the system.
//!
//! The rules (balance, positive lines, sources, reversals) are `ngc_domain::ledger`; the
//! store keeps the journals, posts each with its audit record in one transaction, and
//! returns the first journal when a key is posted again. The feeds that post from other
//! records are [`recharges`] (shared-service recharges), [`opening`] (opening balances),
//! the contract payments use case (`crate::contracts::payments::record_payment`) and the
//! spend import (`crate::spend::import`); [`behind`] reads what lies behind a journal.

pub mod behind;
pub mod opening;
pub mod recharges;

use crate::{Caller, UseCaseError, UseCaseResult, parse};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::ledger::{Account, Journal, JournalError, Posting, Side, Source, TrialBalance};
use ngc_domain::money::Money;
use ngc_store::Store;
use ngc_store::ledger::{Posted, PostedJournal};
use ngc_store::organisations::Organisation;
use serde::{Deserialize, Serialize};

/// One line of a journal to post: an account, a debit or a credit, and where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostingInput {
    /// The account's code: `expenditure:SERVICE:SUBJECTIVE`, `income:SERVICE:SUBJECTIVE`,
    /// `creditors`, `debtors`, `bank`, `earmarked_reserve:NAME` or `general_reserve`.
    pub account: String,
    /// The debit in pounds (`1234.56`); give a debit or a credit, not both.
    #[serde(default)]
    pub debit: Option<String>,
    /// The credit in pounds.
    #[serde(default)]
    pub credit: Option<String>,
    /// opening_balance, contract_payment, recharge, spend, gl_actual or manual.
    pub source: String,
    /// The record behind the line (a payment id, an invoice, a file and row…).
    pub reference: String,
}

/// A journal to post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalInput {
    /// Unique within the organisation's ledger: posting it again returns the first journal.
    pub idempotency_key: String,
    /// The accounting date (YYYY-MM-DD).
    pub date: String,
    pub description: String,
    pub postings: Vec<PostingInput>,
}

/// The trial balance of an organisation at the end of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialBalanceView {
    /// The organisation's slug.
    pub organisation: String,
    /// The day it is at the end of (journals dated on or before it).
    pub at: NaiveDate,
    #[serde(flatten)]
    pub trial_balance: TrialBalance,
}

async fn organisation(store: &Store, slug: &str) -> UseCaseResult<Organisation> {
    store
        .organisation_by_slug(slug.trim())
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{}`", slug.trim())))
}

/// A refused journal as a field error, or a conflict for a reversal of a reversal.
pub(crate) fn refused(e: JournalError) -> UseCaseError {
    match e {
        JournalError::ReversalOfReversal { .. } => UseCaseError::Conflict(e.to_string()),
        e => UseCaseError::invalid(e.field(), e.to_string()),
    }
}

fn money(field: &str, text: &str) -> UseCaseResult<Money> {
    text.trim()
        .parse()
        .map_err(|e: ngc_domain::money::MoneyError| UseCaseError::invalid(field, e.to_string()))
}

/// The input as a journal, checked line by line (lines numbered from 1).
pub fn journal_of(input: &JournalInput) -> UseCaseResult<Journal> {
    let date: NaiveDate = input.date.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            "date",
            format!("`{}` is not a date (YYYY-MM-DD)", input.date.trim()),
        )
    })?;
    let mut postings = Vec::with_capacity(input.postings.len());
    for (i, p) in input.postings.iter().enumerate() {
        let field = |f: &str| format!("postings[{}].{f}", i + 1);
        let account: Account =
            p.account
                .trim()
                .parse()
                .map_err(|e: ngc_domain::ledger::AccountError| {
                    UseCaseError::invalid(field("account"), e.to_string())
                })?;
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        let (side, amount) = match (blank(&p.debit), blank(&p.credit)) {
            (false, true) => (
                Side::Debit,
                money(&field("debit"), p.debit.as_deref().unwrap_or_default())?,
            ),
            (true, false) => (
                Side::Credit,
                money(&field("credit"), p.credit.as_deref().unwrap_or_default())?,
            ),
            (false, false) => {
                return Err(UseCaseError::invalid(
                    field("credit"),
                    "give a debit or a credit, not both",
                ));
            }
            (true, true) => {
                return Err(UseCaseError::invalid(
                    field("debit"),
                    "give a debit or a credit",
                ));
            }
        };
        let kind = parse::word(&field("source"), &p.source)?;
        postings.push(Posting {
            account,
            side,
            amount,
            source: Source {
                kind,
                reference: p.reference.trim().to_owned(),
            },
        });
    }
    Journal::new(
        input.idempotency_key.as_str(),
        date,
        input.description.as_str(),
        postings,
    )
    .map_err(refused)
}

/// Posts a journal to the organisation's ledger. The same key with the same content returns
/// the first journal (`created` false); with other content it is a conflict (409).
pub async fn post(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &JournalInput,
) -> UseCaseResult<Posted> {
    let org = organisation(store, slug).await?;
    caller.require(Action::PostJournals(org.id))?;
    let journal = journal_of(input)?;
    Ok(store
        .post_journal(org.id, &journal, &caller.actor())
        .await?)
}

/// A reversal to post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReversalInput {
    pub idempotency_key: String,
    /// The reversal's accounting date (YYYY-MM-DD).
    pub date: String,
    /// Why the journal is reversed.
    pub description: String,
}

/// Reverses the organisation's journal `id`: a reversal is not reversed, and a journal is
/// reversed at most once (409 otherwise).
pub async fn reverse(
    store: &Store,
    caller: &Caller,
    slug: &str,
    id: i64,
    input: &ReversalInput,
) -> UseCaseResult<Posted> {
    let org = organisation(store, slug).await?;
    caller.require(Action::PostJournals(org.id))?;
    let date: NaiveDate = input.date.trim().parse().map_err(|_| {
        UseCaseError::invalid(
            "date",
            format!("`{}` is not a date (YYYY-MM-DD)", input.date.trim()),
        )
    })?;
    Ok(store
        .reverse_journal(
            org.id,
            id,
            &input.idempotency_key,
            date,
            &input.description,
            &caller.actor(),
        )
        .await?)
}

/// The organisation's journal `id`.
pub async fn journal(
    store: &Store,
    caller: &Caller,
    slug: &str,
    id: i64,
) -> UseCaseResult<PostedJournal> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadLedger(org.id))?;
    store
        .ledger_journal(org.id, id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("journal {id}")))
}

/// The organisation's trial balance at the end of `at` (today when `None`).
pub async fn trial_balance(
    store: &Store,
    caller: &Caller,
    slug: &str,
    at: Option<NaiveDate>,
) -> UseCaseResult<TrialBalanceView> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadLedger(org.id))?;
    let at = at.unwrap_or_else(|| store.today());
    Ok(TrialBalanceView {
        organisation: org.slug,
        at,
        trial_balance: store.trial_balance(org.id, at).await?,
    })
}

/// The subjective contract payments are posted to.
pub const CONTRACT_PAYMENT_SUBJECTIVE: &str = "Third party payments";
/// The service line of a contract whose department is not recorded.
pub const UNALLOCATED_SERVICE: &str = "Unallocated";

/// The journal of a contract payment made (`None` while unpaid, or for a contract in no
/// council's register): Dr expenditure on the contract's department as the service line
/// (`Unallocated` when blank), subjective `Third party payments`; Cr bank; dated the day
/// paid, under the key `contract_payment:ID`, for the holding council's ledger.
pub fn payment_journal(
    contract: &ngc_store::contracts::Contract,
    payment: &ngc_store::contracts::NewPayment,
    payment_id: i64,
) -> Result<Option<(i64, Journal)>, JournalError> {
    let (Some(paid_on), Some(org)) = (payment.paid_on, contract.organisation_id) else {
        return Ok(None);
    };
    let department = contract.department.trim().replace(':', " ");
    let service = if department.is_empty() {
        UNALLOCATED_SERVICE.to_owned()
    } else {
        department
    };
    let source = Source {
        kind: ngc_domain::ledger::SourceKind::ContractPayment,
        reference: payment_id.to_string(),
    };
    let journal = Journal::new(
        format!("contract_payment:{payment_id}"),
        paid_on,
        format!(
            "Payment {payment_id} under contract {} ({}), invoice {}",
            contract.id, contract.title, payment.invoice_reference
        ),
        vec![
            Posting::debit(
                Account::expenditure(&service, CONTRACT_PAYMENT_SUBJECTIVE),
                payment.amount,
                source.clone(),
            ),
            Posting::credit(Account::Bank, payment.amount, source),
        ],
    )?;
    Ok(Some((org, journal)))
}

/// The income or expenditure of one service line in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceMonth {
    /// `expenditure` or `income`.
    pub kind: String,
    pub service: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Debits less credits (expenditure), or credits less debits (income).
    pub net: Money,
}

/// The organisation's income and expenditure by service line and month over the financial
/// year holding `at` (today when `None`), from the maintained monthly balances.
pub async fn service_months(
    store: &Store,
    caller: &Caller,
    slug: &str,
    at: Option<NaiveDate>,
) -> UseCaseResult<Vec<ServiceMonth>> {
    let org = organisation(store, slug).await?;
    caller.require(Action::ReadLedger(org.id))?;
    let at = at.unwrap_or_else(|| store.today());
    let year = ngc_domain::finance::FinancialYear::containing(at)
        .map_err(|e| UseCaseError::invalid("at", e.to_string()))?;
    let from = ngc_domain::ledger::month_of(year.first_day());
    let to = ngc_domain::ledger::month_of(year.last_day());
    let mut out: std::collections::BTreeMap<(String, String, String), Money> =
        std::collections::BTreeMap::new();
    for b in store.ledger_month_balances(org.id, &from, &to).await? {
        let (Some(service), kind) = (b.account.service(), b.account.kind()) else {
            continue;
        };
        let net = match kind {
            ngc_domain::ledger::AccountKind::Income => b.credit - b.debit,
            _ => b.debit - b.credit,
        };
        *out.entry((kind.as_str().to_owned(), service.to_owned(), b.month))
            .or_default() += net;
    }
    Ok(out
        .into_iter()
        .map(|((kind, service, month), net)| ServiceMonth {
            kind,
            service,
            month,
            net,
        })
        .collect())
}
