//! The tamper-evident audit trail: each record's hash chains to the one before it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash that stands before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One state change, as written to the trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The user who made the change; `None` for the system (imports, migrations).
    pub actor_user_id: Option<i64>,
    /// The organisation the change was made for.
    pub organisation_id: Option<i64>,
    /// What happened, e.g. `organisation.create`.
    pub action: String,
    /// The kind of thing changed, e.g. `organisation`.
    pub entity: String,
    pub entity_id: String,
    /// The change itself.
    pub change: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// Writes a JSON value canonically: object keys sorted, no spaces, numbers as serde writes them.
pub fn canonical_json(value: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    write(&map[k], out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// The hash of a record's content chained to the previous hash.
#[allow(clippy::too_many_arguments)]
pub fn record_hash(
    prev_hash: &str,
    seq: i64,
    at: DateTime<Utc>,
    actor_user_id: Option<i64>,
    organisation_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: &str,
    change: &Value,
) -> String {
    let body = serde_json::json!({
        "seq": seq,
        "at": at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "actor": actor_user_id,
        "organisation": organisation_id,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "change": change,
    });
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical_json(&body).as_bytes());
    hex::encode(h.finalize())
}

impl AuditRecord {
    /// The hash this record should have given its content and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        record_hash(
            &self.prev_hash,
            self.seq,
            self.at,
            self.actor_user_id,
            self.organisation_id,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.change,
        )
    }
}

/// Where a chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("audit record {seq}: its content does not match its hash (altered)")]
    Altered { seq: i64 },
    #[error(
        "audit record {seq}: it does not chain to record {prev} (a record was removed or reordered)"
    )]
    Unlinked { seq: i64, prev: i64 },
    #[error("audit record {seq}: expected sequence number {expected} (a record was removed)")]
    Gap { seq: i64, expected: i64 },
    #[error(
        "audit trail ends at record {last} but the head says {head} (records were removed at the end)"
    )]
    Truncated { last: i64, head: i64 },
}

impl ChainBreak {
    /// The first bad sequence number.
    pub fn seq(&self) -> i64 {
        match *self {
            ChainBreak::Altered { seq }
            | ChainBreak::Unlinked { seq, .. }
            | ChainBreak::Gap { seq, .. } => seq,
            ChainBreak::Truncated { last, .. } => last + 1,
        }
    }
}

/// Walks records in sequence order and checks each one; feed it records one at a time.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next record.
    pub fn check(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        if r.seq != self.expected_seq {
            return Err(ChainBreak::Gap {
                seq: r.seq,
                expected: self.expected_seq,
            });
        }
        if r.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked {
                seq: r.seq,
                prev: r.seq - 1,
            });
        }
        if r.expected_hash() != r.hash {
            return Err(ChainBreak::Altered { seq: r.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = r.hash.clone();
        Ok(())
    }

    /// Checks the end of the chain against the head (the last sequence number and hash recorded).
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.expected_seq - 1;
        if last != head_seq || (last > 0 && self.prev_hash != head_hash) {
            return Err(ChainBreak::Truncated {
                last,
                head: head_seq,
            });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let at = DateTime::from_timestamp(1_700_000_000 + seq, 0).unwrap();
                let change = json!({"name": format!("org {seq}"), "b": [1, 2]});
                let hash = record_hash(
                    &prev,
                    seq,
                    at,
                    Some(1),
                    Some(2),
                    "organisation.create",
                    "organisation",
                    "7",
                    &change,
                );
                let r = AuditRecord {
                    seq,
                    at,
                    actor_user_id: Some(1),
                    organisation_id: Some(2),
                    action: "organisation.create".into(),
                    entity: "organisation".into(),
                    entity_id: "7".into(),
                    change,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                r
            })
            .collect()
    }

    fn verify(records: &[AuditRecord], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for r in records {
            v.check(r)?;
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, (5, &c[4].hash)), Ok(5));
    }

    #[test]
    fn an_altered_record_is_named() {
        let mut c = chain(5);
        c[2].change = json!({"name": "forged"});
        let head = c[4].hash.clone();
        assert_eq!(verify(&c, (5, &head)).unwrap_err().seq(), 3);
    }

    #[test]
    fn a_removed_record_is_named() {
        let mut c = chain(5);
        c.remove(1);
        let head = c[3].hash.clone();
        assert_eq!(verify(&c, (5, &head)).unwrap_err().seq(), 3);
    }

    #[test]
    fn removing_the_last_records_is_caught_by_the_head() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(verify(&c[..3], (5, &head)).unwrap_err().seq(), 4);
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = json!({"b": 1, "a": {"d": [true, null], "c": "x"}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":"x","d":[true,null]},"b":1}"#
        );
    }
}
