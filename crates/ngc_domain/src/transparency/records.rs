//! One row of each dataset, as the fields of its CSV in the order of [`super::columns`]:
//! ISO dates, amounts with two decimal places, beneficiaries redacted by the rules.

use super::redaction::{REDACTED, Redactions, rule_for};
use super::{Grant, month_end};
use crate::money::Money;
use crate::spend::SpendLine;
use chrono::NaiveDate;
use std::borrow::Cow;

/// The organisation publishing a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    /// A URI that identifies it, where it has one (empty otherwise).
    pub uri: String,
    /// Its org-id (`GB-LAE-NTH`), where it has one.
    pub org_id: String,
}

fn money(m: Money) -> Cow<'static, str> {
    Cow::Owned(m.to_string())
}

fn date(d: NaiveDate) -> Cow<'static, str> {
    Cow::Owned(d.to_string())
}

fn opt_date(d: Option<NaiveDate>) -> Cow<'static, str> {
    d.map_or(Cow::Borrowed(""), date)
}

/// The fields of a spend (`card` false) or card (`card` true) row, counting a redaction in
/// `redactions`.
pub fn spend_fields<'a>(
    publisher: &'a Publisher,
    r: &'a SpendLine,
    card: bool,
    redactions: &mut Redactions,
) -> Vec<Cow<'a, str>> {
    let mut out: Vec<Cow<'a, str>> = Vec::with_capacity(14);
    let beneficiary: Cow<'a, str> = if r.redacted {
        redactions.count(None);
        Cow::Borrowed(REDACTED)
    } else if let Some(rule) = rule_for(&r.service, &r.expense_type, &r.description) {
        redactions.count(Some(rule));
        Cow::Borrowed(REDACTED)
    } else {
        Cow::Borrowed(r.supplier.as_str())
    };
    let purpose: &str = if r.description.is_empty() {
        &r.expense_type
    } else {
        &r.description
    };
    out.push(Cow::Borrowed(publisher.name.as_str()));
    out.push(Cow::Borrowed(publisher.uri.as_str()));
    out.push(date(month_end(r.paid_on.date())));
    out.push(Cow::Borrowed(r.service.as_str()));
    out.push(beneficiary);
    if card {
        out.push(date(r.paid_on.date()));
        out.push(money(r.amount));
        out.push(money(r.irrecoverable_vat.unwrap_or(Money::ZERO)));
        out.push(Cow::Borrowed(purpose));
        out.push(Cow::Borrowed(r.expense_type.as_str()));
        out.push(Cow::Borrowed(r.merchant_category.as_str()));
    } else {
        out.push(Cow::Borrowed(r.supplier_id.as_str()));
        out.push(date(r.paid_on.date()));
        out.push(Cow::Borrowed(r.transaction.as_str()));
        out.push(money(r.amount));
        out.push(money(r.irrecoverable_vat.unwrap_or(Money::ZERO)));
        out.push(Cow::Borrowed(purpose));
        out.push(Cow::Borrowed(r.expense_type.as_str()));
        out.push(Cow::Borrowed(r.expense_code.as_str()));
        out.push(Cow::Borrowed(r.invoice_number.as_str()));
    }
    out
}

/// A contract of the register, as the Code publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRecord {
    pub reference: String,
    pub title: String,
    pub description: String,
    pub department: String,
    pub supplier: String,
    /// Org-ids, space separated.
    pub supplier_identifiers: String,
    pub value: Money,
    pub annual_value: Option<Money>,
    pub irrecoverable_vat: Money,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    /// The route's label (`Published invitation to tender`, `Quotes`, …).
    pub route: String,
    pub sme: bool,
    pub vcse: bool,
}

fn yes_no(b: bool) -> Cow<'static, str> {
    Cow::Borrowed(if b { "Yes" } else { "No" })
}

/// The fields of a contract row.
pub fn contract_fields<'a>(p: &'a Publisher, c: &'a ContractRecord) -> Vec<Cow<'a, str>> {
    vec![
        Cow::Borrowed(p.name.as_str()),
        Cow::Borrowed(p.uri.as_str()),
        Cow::Borrowed(c.reference.as_str()),
        Cow::Borrowed(c.title.as_str()),
        Cow::Borrowed(c.description.as_str()),
        Cow::Borrowed(c.department.as_str()),
        Cow::Borrowed(c.supplier.as_str()),
        Cow::Borrowed(c.supplier_identifiers.as_str()),
        money(c.value),
        c.annual_value.map_or(Cow::Borrowed(""), money),
        money(c.irrecoverable_vat),
        date(c.starts_on),
        opt_date(c.ends_on),
        opt_date(c.review_on),
        Cow::Borrowed(c.route.as_str()),
        yes_no(c.sme),
        yes_no(c.vcse),
    ]
}

/// A published invitation to tender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenderRecord {
    pub reference: String,
    pub title: String,
    pub description: String,
    /// `cpv 85000000`.
    pub classification: String,
    pub contract_type: String,
    pub procedure: String,
    pub estimated_value: Money,
    pub published_on: NaiveDate,
    pub submission_deadline: NaiveDate,
}

/// The fields of a tender row.
pub fn tender_fields<'a>(p: &'a Publisher, t: &'a TenderRecord) -> Vec<Cow<'a, str>> {
    vec![
        Cow::Borrowed(p.name.as_str()),
        Cow::Borrowed(p.uri.as_str()),
        Cow::Borrowed(t.reference.as_str()),
        Cow::Borrowed(t.title.as_str()),
        Cow::Borrowed(t.description.as_str()),
        Cow::Borrowed(t.classification.as_str()),
        Cow::Borrowed(t.contract_type.as_str()),
        Cow::Borrowed(t.procedure.as_str()),
        money(t.estimated_value),
        date(t.published_on),
        date(t.submission_deadline),
    ]
}

/// The fields of a grant row (360Giving's flat CSV).
pub fn grant_fields<'a>(p: &'a Publisher, g: &'a Grant) -> Vec<Cow<'a, str>> {
    vec![
        Cow::Borrowed(g.identifier.as_str()),
        Cow::Borrowed(g.title.as_str()),
        Cow::Borrowed(g.description.as_str()),
        Cow::Borrowed("GBP"),
        money(g.amount_awarded),
        g.amount_disbursed.map_or(Cow::Borrowed(""), money),
        date(g.award_date),
        opt_date(g.start_on),
        opt_date(g.end_on),
        Cow::Borrowed(g.recipient.identifier.as_str()),
        Cow::Borrowed(g.recipient.name.as_str()),
        Cow::Borrowed(g.recipient.charity_number.as_str()),
        Cow::Borrowed(g.recipient.company_number.as_str()),
        Cow::Borrowed(p.org_id.as_str()),
        Cow::Borrowed(p.name.as_str()),
        Cow::Borrowed(g.department.as_str()),
        Cow::Borrowed(g.programme_code.as_str()),
        Cow::Borrowed(g.programme_title.as_str()),
    ]
}
