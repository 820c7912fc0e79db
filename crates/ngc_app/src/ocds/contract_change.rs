//! The releases of a contract's later life: a change (UK10 contract change notice under the
//! Procurement Act 2023 s75, the modification notice under PCR 2015 reg 72(3), when the change
//! rules ask for one) and a termination (UK11 contract termination notice, PA2023 s80). Each
//! carries the contract as it stands after the change, in the same `contracts` block as the
//! contract's own release (UK7), with the change as an OCDS `amendment` and the termination's
//! reason on its notice.

use super::release::{ContractFacts, day_end, time};
use chrono::{DateTime, NaiveDate, Utc};
use ngc_domain::procurement::notices::NoticeType;
use serde_json::{Map, Value, json};

/// A change of a contract (a variation, or the reversal of its termination).
#[derive(Debug, Clone, PartialEq)]
pub struct ContractChangeFacts {
    /// The contract after the change.
    pub contract: ContractFacts,
    /// ngc's stable id of the change: the OCDS amendment id (`{contract}-{seq}`).
    pub id: String,
    /// When it was recorded.
    pub date: DateTime<Utc>,
    /// Why it was made: its ground in words.
    pub rationale: String,
    /// What it changes.
    pub description: String,
    /// The notice the change rules ask for it (`None`: the change needs none, and the release
    /// carries no notice).
    pub notice: Option<NoticeType>,
}

/// A termination of a contract.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractTerminationFacts {
    /// The contract as terminated.
    pub contract: ContractFacts,
    /// ngc's stable id of the termination (`{contract}-{seq}`).
    pub id: String,
    /// The day the termination takes effect.
    pub terminated_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The slot of a change's release: one per change.
pub(super) fn change_slot(c: &ContractChangeFacts) -> String {
    format!("contract_change:{}", c.id)
}

/// The slot of a termination's release: one per termination.
pub(super) fn termination_slot(t: &ContractTerminationFacts) -> String {
    format!("contract_termination:{}", t.id)
}

/// Adds the change to the contract block as its OCDS `amendments`.
pub(super) fn amend(block: &mut Value, c: &ContractChangeFacts) {
    if let Some(b) = block.as_object_mut() {
        let mut a = Map::new();
        a.insert("id".into(), json!(c.id));
        a.insert("date".into(), json!(time(c.date)));
        a.insert("rationale".into(), json!(c.rationale));
        if !c.description.trim().is_empty() {
            a.insert("description".into(), json!(c.description.trim()));
        }
        b.insert("amendments".into(), json!([Value::Object(a)]));
    }
}

/// The contract block of a termination: its period ends on the last day it ran.
pub(super) fn terminate(block: &mut Value, t: &ContractTerminationFacts) {
    let last = t.terminated_on.pred_opt().unwrap_or(t.terminated_on);
    if let Some(period) = block.get_mut("period").and_then(Value::as_object_mut) {
        period.insert("endDate".into(), json!(day_end(last)));
    }
}
