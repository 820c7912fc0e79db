//! The open codelists of OCDS 1.1.5, and the check of codes against them.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::Value;

use super::schema::join;
use super::{Check, Problem, Severity};

const CODELISTS: &[(&str, &str)] = &[
    (
        "awardCriteria.csv",
        include_str!("../../schemas/codelists/awardCriteria.csv"),
    ),
    (
        "awardStatus.csv",
        include_str!("../../schemas/codelists/awardStatus.csv"),
    ),
    (
        "contractStatus.csv",
        include_str!("../../schemas/codelists/contractStatus.csv"),
    ),
    (
        "currency.csv",
        include_str!("../../schemas/codelists/currency.csv"),
    ),
    (
        "documentType.csv",
        include_str!("../../schemas/codelists/documentType.csv"),
    ),
    (
        "extendedProcurementCategory.csv",
        include_str!("../../schemas/codelists/extendedProcurementCategory.csv"),
    ),
    (
        "initiationType.csv",
        include_str!("../../schemas/codelists/initiationType.csv"),
    ),
    (
        "itemClassificationScheme.csv",
        include_str!("../../schemas/codelists/itemClassificationScheme.csv"),
    ),
    (
        "method.csv",
        include_str!("../../schemas/codelists/method.csv"),
    ),
    (
        "milestoneStatus.csv",
        include_str!("../../schemas/codelists/milestoneStatus.csv"),
    ),
    (
        "milestoneType.csv",
        include_str!("../../schemas/codelists/milestoneType.csv"),
    ),
    (
        "partyRole.csv",
        include_str!("../../schemas/codelists/partyRole.csv"),
    ),
    (
        "procurementCategory.csv",
        include_str!("../../schemas/codelists/procurementCategory.csv"),
    ),
    (
        "relatedProcess.csv",
        include_str!("../../schemas/codelists/relatedProcess.csv"),
    ),
    (
        "relatedProcessScheme.csv",
        include_str!("../../schemas/codelists/relatedProcessScheme.csv"),
    ),
    (
        "releaseTag.csv",
        include_str!("../../schemas/codelists/releaseTag.csv"),
    ),
    (
        "submissionMethod.csv",
        include_str!("../../schemas/codelists/submissionMethod.csv"),
    ),
    (
        "tenderStatus.csv",
        include_str!("../../schemas/codelists/tenderStatus.csv"),
    ),
    (
        "unitClassificationScheme.csv",
        include_str!("../../schemas/codelists/unitClassificationScheme.csv"),
    ),
];

struct Data {
    codelists: HashMap<String, HashSet<String>>,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let codelists = CODELISTS
            .iter()
            .map(|(name, csv)| ((*name).to_string(), codes(csv)))
            .collect();
        Data { codelists }
    })
}

/// The values of the `Code` column of a codelist CSV.
fn codes(csv: &str) -> HashSet<String> {
    let rows = parse_csv(csv);
    let Some(header) = rows.first() else {
        return HashSet::new();
    };
    let Some(col) = header.iter().position(|h| h == "Code") else {
        return HashSet::new();
    };
    rows.iter()
        .skip(1)
        .filter_map(|r| r.get(col).cloned())
        .collect()
}

/// A small RFC 4180 CSV parser (quoted fields, doubled quotes, newlines in quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Check codes against open codelists, walking the release schema alongside the data.
pub(super) fn open_codelists(
    value: &Value,
    schema: &Value,
    root: &Value,
    path: &str,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => match r.split_once('#').and_then(|(_, p)| root.pointer(p)) {
            Some(s) => s,
            None => return,
        },
        None => schema,
    };
    if let (Some(list), Some(true)) = (
        schema.get("codelist").and_then(Value::as_str),
        schema.get("openCodelist").and_then(Value::as_bool),
    ) && let Some(known) = data().codelists.get(list)
    {
        let values: Vec<(String, &Value)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (join(path, &i.to_string()), v))
                .collect(),
            other => vec![(path.to_string(), other)],
        };
        for (p, v) in values {
            if let Value::String(code) = v
                && !known.contains(code)
            {
                out.push(Problem::new(
                    p,
                    format!("\"{code}\" is not in the open codelist {list} (an additional code)"),
                    Severity::Warning,
                    Check::Codelist,
                ));
            }
        }
    }
    match value {
        Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, v) in map {
                    if let Some(s) = props.get(k) {
                        open_codelists(v, s, root, &join(path, k), out, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items").filter(|s| s.is_object()) {
                for (i, v) in items.iter().enumerate() {
                    open_codelists(v, s, root, &join(path, &i.to_string()), out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codelists_are_read() {
        let d = data();
        assert!(d.codelists["currency.csv"].contains("GBP"));
        assert!(d.codelists["documentType.csv"].contains("tenderNotice"));
        assert!(d.codelists["releaseTag.csv"].contains("compiled"));
    }

    #[test]
    fn csv_quotes() {
        let rows = parse_csv("a,b\n\"x,1\",\"say \"\"hi\"\"\nthere\"\n");
        assert_eq!(
            rows[1],
            vec!["x,1".to_string(), "say \"hi\"\nthere".to_string()]
        );
    }
}
