//! The payment performance returns of a council (PA2023 s69 and s70), read for anyone: they
//! are published, so no sign-in is needed and nothing but what the returns publish is read.
//!
//! - [`compliance`]: the payments compliance figures of each six-month period.
//! - [`payments_over_threshold`]: the payments over £30,000 of each quarter.
//!
//! Both come from the payments made under the contracts in the council's register (each
//! with its invoice's receipt and the day it was paid). Spend imported from "expenditure over
//! £500" files carries no invoice dates, so it cannot feed them. Each is computed once per
//! change of the database ([`Store::memo`]) and kept; [`formats`] writes them as CSV and as
//! JSON (the payments in OCDS form).

pub mod formats;

use crate::ocds::parties;
use crate::{UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::contracts::payment::performance::{
    self as rules, ComplianceFigures, ReportingPeriod, ReportingRule, ReportingRules, ReturnKind,
    SignificantPayment,
};
use ngc_domain::contracts::payment::{PromptPaymentRule, PromptPaymentRules};
use ngc_domain::money::Money;
use ngc_domain::procurement::Regime;
use ngc_store::Store;
use ngc_store::contracts::ReportedPayment;
use ngc_store::organisations::Organisation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

/// The returns' rules shipped with ngc, read once.
static REPORTING: LazyLock<ReportingRules> = LazyLock::new(ReportingRules::shipped);
/// The prompt-payment rules shipped with ngc, read once.
static PROMPT: LazyLock<PromptPaymentRules> = LazyLock::new(PromptPaymentRules::shipped);

/// Why spend imports are not in the returns, for the pages and the JSON.
pub const SPEND_NOTE: &str = "Spend imported from \"expenditure over £500\" files carries no \
    invoice dates, so it cannot feed these returns: they come from the payments recorded \
    against the contracts in the council's register.";

/// Which days a return covers: periods overlapping `from..=to`; by default, from the first
/// to the last payment made under the council's register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct Range {
    /// The first day (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// The last day (YYYY-MM-DD).
    pub to: Option<NaiveDate>,
}

/// The council that publishes a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Council {
    /// Its OCDS party id (its first org-id identifier, or `ngc-{slug}`).
    pub id: String,
    pub slug: String,
    pub name: String,
}

impl Council {
    fn of(org: &Organisation) -> Self {
        Council {
            id: parties::party_id(org),
            slug: org.slug.clone(),
            name: org.name.clone(),
        }
    }
}

/// The payments compliance return of a council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceReturn {
    pub council: Council,
    /// The return's periods, deadline and provenance.
    pub rule: ReportingRule,
    /// The prompt-payment terms a payment is judged in time under, by its contract's regime.
    pub in_time_rules: Vec<PromptPaymentRule>,
    /// The figures of each period, in order.
    pub periods: Vec<ComplianceFigures>,
}

/// A payment over the threshold, with its contract and supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentLine {
    pub payment_id: i64,
    pub paid_on: NaiveDate,
    pub amount: Money,
    pub contract_id: i64,
    pub contract_reference: Option<String>,
    pub contract_title: String,
    /// The contract's award, where it came from one.
    pub award_id: Option<i64>,
    /// The OCDS contracting process, where the contract came from a tender and the
    /// instance's ocid prefix is fixed.
    pub ocid: Option<String>,
    pub regime: Regime,
    pub commenced_on: Option<NaiveDate>,
    pub supplier_slug: String,
    pub supplier_name: String,
    /// The supplier's OCDS party id.
    pub supplier_id: String,
}

/// The payments over the threshold made in one quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quarter {
    pub period: ReportingPeriod,
    /// Under contracts the return covers, by day paid.
    pub payments: Vec<PaymentLine>,
    pub total: Money,
    /// Under contracts under the Act whose procurement's commencement ngc does not hold: the
    /// council must check whether they are covered.
    pub undetermined: Vec<PaymentLine>,
}

/// The return of payments over the threshold of a council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentsReturn {
    pub council: Council,
    pub rule: ReportingRule,
    pub quarters: Vec<Quarter>,
}

async fn council(store: &Store, slug: &str) -> UseCaseResult<Organisation> {
    store
        .organisation_by_slug(slug.trim())
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{}`", slug.trim())))
}

/// The payments made under the council's register in the periods of `rule` that overlap
/// `range` (whole periods, so that a period's figures never leave out a payment), and the
/// days the periods are to cover: `range`, or the first and last payment's days where it is
/// open.
async fn payments_in(
    store: &Store,
    org: &Organisation,
    range: Range,
    rule: &ReportingRule,
) -> UseCaseResult<(Vec<ReportedPayment>, Option<(NaiveDate, NaiveDate)>)> {
    if let (Some(from), Some(to)) = (range.from, range.to)
        && to < from
    {
        return Err(UseCaseError::invalid(
            "to",
            format!("{to} is before the first day, {from}"),
        ));
    }
    let first_day = |day: NaiveDate| {
        rule.periods_covering(day, day)
            .first()
            .map_or(day, |p| p.period.start)
    };
    let last_day = |day: NaiveDate| {
        rule.periods_covering(day, day)
            .last()
            .map_or(day, |p| p.period.end)
    };
    let earliest = NaiveDate::from_ymd_opt(1, 1, 1).expect("a date");
    let latest = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date");
    let payments = store
        .payments_made_under_register(
            org.id,
            range.from.map_or(earliest, first_day),
            range.to.map_or(latest, last_day),
        )
        .await?;
    let days = payments.iter().filter_map(|p| p.record.paid_on);
    let span = days
        .clone()
        .min()
        .zip(days.max())
        .map(|(a, b)| (range.from.unwrap_or(a), range.to.unwrap_or(b)))
        .or(range.from.zip(range.to));
    Ok((payments, span))
}

fn too_large(org: &Organisation) -> UseCaseError {
    UseCaseError::Conflict(format!(
        "the payments of `{}` in a period sum beyond the range of amounts",
        org.slug
    ))
}

/// The payments compliance return (PA2023 s69) of the council `slug`, for the six-month
/// periods overlapping `range`. Public.
pub async fn compliance(
    store: &Store,
    slug: &str,
    range: Range,
) -> UseCaseResult<Arc<ComplianceReturn>> {
    let org = council(store, slug).await?;
    let key = format!(
        "payment_compliance {} {:?} {:?}",
        org.id, range.from, range.to
    );
    store
        .memo(key, || async {
            let rule = REPORTING.rule(ReturnKind::PaymentCompliance);
            let (payments, span) = payments_in(store, &org, range, rule).await?;
            let domain: Vec<_> = payments.iter().map(ReportedPayment::to_domain).collect();
            let periods = match span {
                Some((from, to)) => rules::compliance(&domain, rule, &PROMPT, from, to)
                    .ok_or_else(|| too_large(&org))?,
                None => Vec::new(),
            };
            Ok(ComplianceReturn {
                council: Council::of(&org),
                rule: rule.clone(),
                in_time_rules: Regime::ALL
                    .iter()
                    .map(|&r| PROMPT.rule(r).clone())
                    .collect(),
                periods,
            })
        })
        .await
}

/// The return of payments over £30,000 (PA2023 s70) of the council `slug`, for the quarters
/// overlapping `range`. Public.
pub async fn payments_over_threshold(
    store: &Store,
    slug: &str,
    range: Range,
) -> UseCaseResult<Arc<PaymentsReturn>> {
    let org = council(store, slug).await?;
    let key = format!(
        "payments_over_threshold {} {:?} {:?}",
        org.id, range.from, range.to
    );
    store
        .memo(key, || async {
            let rule = REPORTING.rule(ReturnKind::PaymentsOverThreshold);
            let (payments, span) = payments_in(store, &org, range, rule).await?;
            let domain: Vec<_> = payments.iter().map(ReportedPayment::to_domain).collect();
            let quarters = match span {
                Some((from, to)) => {
                    rules::significant(&domain, rule, from, to).ok_or_else(|| too_large(&org))?
                }
                None => Vec::new(),
            };
            let lines = Lines::read(store, payments).await?;
            Ok(PaymentsReturn {
                council: Council::of(&org),
                rule: rule.clone(),
                quarters: quarters
                    .into_iter()
                    .map(|q| Quarter {
                        payments: q.payments.iter().map(|s| lines.line(s)).collect(),
                        undetermined: q.undetermined.iter().map(|s| lines.line(s)).collect(),
                        total: q.total,
                        period: q.period,
                    })
                    .collect(),
            })
        })
        .await
}

/// What the lines of the payments return show of each payment's contract and supplier.
struct Lines {
    payments: BTreeMap<i64, ReportedPayment>,
    supplier_ids: BTreeMap<i64, String>,
    prefix: Option<String>,
}

impl Lines {
    async fn read(store: &Store, payments: Vec<ReportedPayment>) -> UseCaseResult<Lines> {
        let mut supplier_ids = BTreeMap::new();
        for p in &payments {
            if supplier_ids.contains_key(&p.supplier_id) {
                continue;
            }
            let id = match store.organisation_by_id(p.supplier_id).await? {
                Some(org) => parties::party_id(&org),
                None => format!("ngc-{}", p.supplier),
            };
            supplier_ids.insert(p.supplier_id, id);
        }
        Ok(Lines {
            payments: payments.into_iter().map(|p| (p.id, p)).collect(),
            supplier_ids,
            prefix: store.stored_ocid_prefix().await?,
        })
    }

    fn line(&self, s: &SignificantPayment) -> PaymentLine {
        let p = &self.payments[&s.payment_id];
        PaymentLine {
            payment_id: s.payment_id,
            paid_on: s.paid_on,
            amount: s.amount,
            contract_id: p.contract_id,
            contract_reference: p.contract_reference.clone(),
            contract_title: p.contract_title.clone(),
            award_id: p.award_id,
            ocid: self
                .prefix
                .as_deref()
                .zip(p.tender_id)
                .map(|(prefix, t)| crate::ocds::ocid(prefix, t)),
            regime: p.regime,
            commenced_on: p.commenced_on,
            supplier_slug: p.supplier.clone(),
            supplier_name: p.supplier_name.clone(),
            supplier_id: self.supplier_ids[&p.supplier_id].clone(),
        }
    }
}
