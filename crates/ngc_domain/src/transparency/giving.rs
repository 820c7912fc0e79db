//! Grants and their 360Giving JSON (a `grants` array of the standard's objects, amounts in
//! pounds, the council's org-id as the funder's `id`).

use super::records::Publisher;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value, json};

/// The organisation a grant was made to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Its org-id (`GB-CHC-1234567`), or the funder's own 360Giving identifier for it.
    pub identifier: String,
    pub name: String,
    pub charity_number: String,
    pub company_number: String,
}

/// A grant to a voluntary, community or social enterprise organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// `360G-…`: unique per funder.
    pub identifier: String,
    pub title: String,
    pub description: String,
    pub amount_awarded: Money,
    pub amount_disbursed: Option<Money>,
    pub award_date: NaiveDate,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub recipient: Recipient,
    pub department: String,
    pub programme_code: String,
    pub programme_title: String,
}

fn pounds(m: Money) -> Value {
    // Pence to pounds: exact for any amount below 2^53 pence, and printed shortest.
    Number::from_f64(m.as_pence() as f64 / 100.0).map_or(Value::Null, Value::Number)
}

fn grant(p: &Publisher, g: &Grant) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(g.identifier));
    o.insert("title".into(), json!(g.title));
    o.insert("description".into(), json!(g.description));
    o.insert("currency".into(), json!("GBP"));
    o.insert("amountAwarded".into(), pounds(g.amount_awarded));
    if let Some(d) = g.amount_disbursed {
        o.insert("amountDisbursed".into(), pounds(d));
    }
    o.insert("awardDate".into(), json!(g.award_date.to_string()));
    if g.start_on.is_some() || g.end_on.is_some() {
        let mut d = Map::new();
        if let Some(s) = g.start_on {
            d.insert("startDate".into(), json!(s.to_string()));
        }
        if let Some(e) = g.end_on {
            d.insert("endDate".into(), json!(e.to_string()));
        }
        o.insert("plannedDates".into(), json!([d]));
    }
    let mut r = Map::new();
    r.insert("id".into(), json!(g.recipient.identifier));
    r.insert("name".into(), json!(g.recipient.name));
    if !g.recipient.charity_number.is_empty() {
        r.insert("charityNumber".into(), json!(g.recipient.charity_number));
    }
    if !g.recipient.company_number.is_empty() {
        r.insert("companyNumber".into(), json!(g.recipient.company_number));
    }
    o.insert("recipientOrganization".into(), json!([r]));
    let mut f = Map::new();
    f.insert("id".into(), json!(p.org_id));
    f.insert("name".into(), json!(p.name));
    if !g.department.is_empty() {
        f.insert("department".into(), json!(g.department));
    }
    o.insert("fundingOrganization".into(), json!([f]));
    if !g.programme_code.is_empty() || !g.programme_title.is_empty() {
        o.insert(
            "grantProgramme".into(),
            json!([{ "code": g.programme_code, "title": g.programme_title }]),
        );
    }
    Value::Object(o)
}

/// The 360Giving package of `grants` made by `publisher`.
pub fn three_sixty_giving(publisher: &Publisher, grants: &[Grant]) -> Value {
    json!({ "grants": grants.iter().map(|g| grant(publisher, g)).collect::<Vec<_>>() })
}
