//! The returns as published files, the same bytes for the download and `ngc export
//! payment-performance`:
//!
//! - CSV: one header row, one row per period (compliance) or per payment (payments over
//!   £30,000), ISO dates, amounts in pounds with two decimal places, percentages and average
//!   days with two.
//! - JSON: the compliance return as it is (money and figures as decimal strings); the
//!   payments in OCDS form, each contract with its payments as
//!   `implementation.transactions` (`id`, `date`, `value` {`amount`, `currency`}, `payer` and
//!   `payee` with their party ids), as in ngc's OCDS releases.

use super::{ComplianceReturn, PaymentLine, PaymentsReturn, SPEND_NOTE};
use crate::ocds::release::{amount, day_start};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

/// Rows as CSV text (writing to memory does not fail; an empty text if it ever did).
fn csv_text(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        if w.write_record(&row).is_err() {
            return String::new();
        }
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn pct(v: Option<Decimal>) -> String {
    opt(v)
}

/// The columns of the compliance CSV.
pub const COMPLIANCE_COLUMNS: [&str; 20] = [
    "organisation",
    "organisation_id",
    "period",
    "period_start",
    "period_end",
    "statutory",
    "publish_by",
    "invoices_paid",
    "total_paid",
    "paid_in_time",
    "paid_late",
    "disputed",
    "in_time_percent",
    "average_days_to_pay",
    "paid_days_1_to_30",
    "paid_days_31_to_60",
    "paid_days_61_or_more",
    "percent_days_1_to_30",
    "percent_days_31_to_60",
    "percent_days_61_or_more",
];

/// The compliance return as CSV.
pub fn compliance_csv(r: &ComplianceReturn) -> String {
    let mut rows = vec![COMPLIANCE_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for f in &r.periods {
        rows.push(vec![
            r.council.name.clone(),
            r.council.id.clone(),
            f.period.label.clone(),
            f.period.period.start.to_string(),
            f.period.period.end.to_string(),
            f.period.statutory.to_string(),
            opt(f.period.publish_by),
            f.invoices_paid.to_string(),
            f.total_paid.to_string(),
            f.paid_in_time.to_string(),
            f.paid_late.to_string(),
            f.disputed.to_string(),
            pct(f.in_time_percent),
            pct(f.average_days),
            f.days_1_to_30.to_string(),
            f.days_31_to_60.to_string(),
            f.days_61_or_more.to_string(),
            pct(f.percent_1_to_30),
            pct(f.percent_31_to_60),
            pct(f.percent_61_or_more),
        ]);
    }
    csv_text(rows)
}

/// The compliance return as JSON.
pub fn compliance_json(r: &ComplianceReturn) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    v["note"] = json!(SPEND_NOTE);
    v
}

/// The columns of the payments CSV.
pub const PAYMENTS_COLUMNS: [&str; 17] = [
    "organisation",
    "organisation_id",
    "quarter",
    "quarter_start",
    "quarter_end",
    "coverage",
    "payment_id",
    "paid_on",
    "amount",
    "currency",
    "contract_id",
    "contract_reference",
    "contract_title",
    "ocid",
    "supplier",
    "supplier_id",
    "procurement_commenced_on",
];

/// The payments return as CSV: the covered payments of each quarter, then those whose
/// coverage ngc cannot tell (`coverage` says which).
pub fn payments_csv(r: &PaymentsReturn) -> String {
    let mut rows = vec![PAYMENTS_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for q in &r.quarters {
        let lines = q
            .payments
            .iter()
            .map(|l| ("covered", l))
            .chain(q.undetermined.iter().map(|l| ("undetermined", l)));
        for (coverage, l) in lines {
            rows.push(vec![
                r.council.name.clone(),
                r.council.id.clone(),
                q.period.label.clone(),
                q.period.period.start.to_string(),
                q.period.period.end.to_string(),
                coverage.to_owned(),
                l.payment_id.to_string(),
                l.paid_on.to_string(),
                l.amount.to_string(),
                "GBP".to_owned(),
                l.contract_id.to_string(),
                opt(l.contract_reference.as_deref()),
                l.contract_title.clone(),
                opt(l.ocid.as_deref()),
                l.supplier_name.clone(),
                l.supplier_id.clone(),
                opt(l.commenced_on),
            ]);
        }
    }
    csv_text(rows)
}

/// Payments grouped by contract as OCDS contracts with their transactions.
fn ocds_contracts(r: &PaymentsReturn, lines: &[PaymentLine]) -> Value {
    let payer = json!({"id": r.council.id, "name": r.council.name});
    let mut contracts: Vec<(i64, Map<String, Value>, Vec<Value>)> = Vec::new();
    for l in lines {
        let transaction = json!({
            "id": l.payment_id.to_string(),
            "date": day_start(l.paid_on),
            "value": {"amount": amount(l.amount), "currency": "GBP"},
            "payer": payer,
            "payee": {"id": l.supplier_id, "name": l.supplier_name},
        });
        match contracts.iter_mut().find(|(id, _, _)| *id == l.contract_id) {
            Some((_, _, t)) => t.push(transaction),
            None => {
                let mut c = Map::new();
                c.insert("id".into(), json!(l.contract_id.to_string()));
                if let Some(award) = l.award_id {
                    c.insert("awardID".into(), json!(award.to_string()));
                }
                c.insert("title".into(), json!(l.contract_title));
                if let Some(ocid) = &l.ocid {
                    c.insert("ocid".into(), json!(ocid));
                }
                contracts.push((l.contract_id, c, vec![transaction]));
            }
        }
    }
    contracts
        .into_iter()
        .map(|(_, mut c, transactions)| {
            c.insert(
                "implementation".into(),
                json!({ "transactions": transactions }),
            );
            Value::Object(c)
        })
        .collect()
}

/// The payments return as JSON, the payments in OCDS form.
pub fn payments_json(r: &PaymentsReturn) -> Value {
    let rule = &r.rule;
    let quarters: Vec<Value> = r
        .quarters
        .iter()
        .map(|q| {
            json!({
                "label": q.period.label,
                "start": q.period.period.start,
                "end": q.period.period.end,
                "statutory": q.period.statutory,
                "publish_by": q.period.publish_by,
                "count": q.payments.len(),
                "total": q.total,
                "contracts": ocds_contracts(r, &q.payments),
                "undetermined": ocds_contracts(r, &q.undetermined),
            })
        })
        .collect();
    json!({
        "council": r.council,
        "rule": rule,
        "note": SPEND_NOTE,
        "quarters": quarters,
    })
}
