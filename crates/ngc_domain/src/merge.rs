//! The three-way merge of a data pack into what the app holds.
//!
//! Every imported record keeps the pack's version it came from (the *base*). On re-import,
//! field by field: where the pack has not changed since the base, the app's version stays;
//! where only the pack changed, the pack's version is taken; where both changed differently,
//! the merge stops with a [`Conflict`] naming the file, row and field and showing the three
//! values. What the app holds without a base (a record or row created in the app, or stored
//! before bases were kept) is never touched, whatever the pack says.
//!
//! The merge works on JSON values. Arrays of rows are matched by a natural key given per
//! path by a [`Layout`], which also names the pack file each path came from.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// A keyed table inside a merged value: the rows at `path` come from `file`, matched by `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The field path of the array, e.g. `savings` or `scenarios.overrides`.
    pub path: String,
    /// The pack file its rows come from, e.g. `plans/mtfp-2015-20/savings.csv`.
    pub file: String,
    /// The fields that identify a row, e.g. `["reference"]`.
    pub key: Vec<String>,
}

/// Where each part of a merged value comes from in the pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The file of the value's own fields.
    pub file: String,
    /// The row the whole value is, when it is one row of a file (e.g. `northamptonshire (slug)`).
    pub row: Option<String>,
    /// The keyed arrays inside the value.
    pub tables: Vec<Table>,
}

impl Layout {
    /// A value that is one row of `file`, identified by `key` = `value`, with no keyed arrays.
    pub fn row(file: &str, key: &str, value: &str) -> Layout {
        Layout {
            file: file.to_owned(),
            row: Some(format!("{value} ({key})")),
            tables: Vec::new(),
        }
    }

    /// A financial plan read from the pack directory `plans/{dir}/`.
    pub fn plan(dir: &str) -> Layout {
        let table = |path: &str, file: &str, key: &[&str]| Table {
            path: path.to_owned(),
            file: format!("plans/{dir}/{file}"),
            key: key.iter().map(|k| (*k).to_owned()).collect(),
        };
        Layout {
            file: format!("plans/{dir}/plan.toml"),
            row: None,
            tables: vec![
                table("base", "base_budget.csv", &["service", "subjective"]),
                table("assumptions", "assumptions.csv", &["year"]),
                table("pressures", "pressures.csv", &["reference"]),
                table("funding", "funding.csv", &["source", "year"]),
                table("savings", "savings.csv", &["reference"]),
                table("delivery", "delivery.csv", &["reference", "year", "month"]),
                table("reserves", "reserves.csv", &["name"]),
                table("scenarios", "scenarios.csv", &["name"]),
            ],
        }
    }

    fn table(&self, path: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.path == path)
    }
}

/// Both the app and the pack changed the same field differently since the last import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Conflict {
    /// The pack file.
    pub file: String,
    /// The row, with its key columns, e.g. `S03 (reference)`; `None` for a file's own fields.
    pub row: Option<String>,
    /// The field inside the row (a dotted path); `(row)` when the row itself was removed on one side.
    pub field: String,
    /// The value at the last import; `None` when absent.
    pub base: Option<Value>,
    /// The app's value; `None` when absent.
    pub app: Option<Value>,
    /// The pack's value; `None` when absent.
    pub pack: Option<Value>,
}

fn shown(v: &Option<Value>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(v) => v.to_string(),
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = &self.row {
            write!(f, ", row {row}")?;
        }
        write!(
            f,
            ", field {}: changed both in the app and in the pack since the last import: \
             base {}, app {}, pack {}",
            self.field,
            shown(&self.base),
            shown(&self.app),
            shown(&self.pack)
        )
    }
}

/// Where the merge is: the table and row it is in, and the field path.
#[derive(Clone, Default)]
struct At {
    /// Field names from the root, without row keys (to find tables).
    schema: Vec<String>,
    /// The innermost table and row, and the field path inside that row.
    table: Option<(String, String)>,
    field: Vec<String>,
}

impl At {
    fn field(&self, name: &str) -> At {
        let mut at = self.clone();
        at.schema.push(name.to_owned());
        at.field.push(name.to_owned());
        at
    }

    fn row(&self, file: &str, row: String) -> At {
        At {
            schema: self.schema.clone(),
            table: Some((file.to_owned(), row)),
            field: Vec::new(),
        }
    }
}

/// Merges `pack` into `app` given the `base` both came from. With no base (`None`: never
/// imported) the app's value is returned as it is. Returns the merged value, or the first
/// conflict.
pub fn merge(
    base: Option<&Value>,
    app: &Value,
    pack: &Value,
    layout: &Layout,
) -> Result<Value, Box<Conflict>> {
    let merged = node(base, Some(app), Some(pack), &At::default(), layout)?;
    Ok(merged.unwrap_or(Value::Null))
}

fn node(
    b: Option<&Value>,
    a: Option<&Value>,
    p: Option<&Value>,
    at: &At,
    layout: &Layout,
) -> Result<Option<Value>, Box<Conflict>> {
    // Unchanged in the pack, the same on both sides, or made in the app (no base): the app's.
    if p == b || a == p || (b.is_none() && a.is_some()) {
        return Ok(a.cloned());
    }
    if a == b {
        return Ok(p.cloned());
    }
    match (b, a, p) {
        (None | Some(Value::Object(_)), Some(Value::Object(a)), Some(Value::Object(p))) => {
            let b = b.and_then(Value::as_object);
            let mut out = Map::new();
            let names = a.keys().chain(p.keys().filter(|k| !a.contains_key(*k)));
            for name in names {
                let merged = node(
                    b.and_then(|b| b.get(name)),
                    a.get(name),
                    p.get(name),
                    &at.field(name),
                    layout,
                )?;
                if let Some(v) = merged {
                    out.insert(name.clone(), v);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        (None | Some(Value::Array(_)), Some(Value::Array(a)), Some(Value::Array(p))) => {
            match layout.table(&at.schema.join(".")) {
                Some(table) => rows(b.and_then(Value::as_array), a, p, table, at, layout),
                None => Err(conflict(
                    b,
                    Some(&Value::Array(a.clone())),
                    Some(&Value::Array(p.clone())),
                    at,
                    layout,
                )),
            }
        }
        _ => Err(conflict(b, a, p, at, layout)),
    }
}

fn conflict(
    b: Option<&Value>,
    a: Option<&Value>,
    p: Option<&Value>,
    at: &At,
    layout: &Layout,
) -> Box<Conflict> {
    let (file, row) = match &at.table {
        Some((file, row)) => (file.clone(), Some(row.clone())),
        None => (layout.file.clone(), layout.row.clone()),
    };
    let field = if at.field.is_empty() {
        "(row)".to_owned()
    } else {
        at.field.join(".")
    };
    Box::new(Conflict {
        file,
        row,
        field,
        base: b.cloned(),
        app: a.cloned(),
        pack: p.cloned(),
    })
}

/// A row's key as text: its key fields' values joined by `, ` (strings without quotes).
fn key_of(row: &Value, table: &Table) -> String {
    table
        .key
        .iter()
        .map(|k| match row.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows by key, in order; a repeated key gets its occurrence number (`#2`, …).
fn keyed<'v>(rows: &'v [Value], table: &Table) -> Vec<(String, &'v Value)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    rows.iter()
        .map(|r| {
            let key = key_of(r, table);
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let key = if *n == 1 { key } else { format!("{key} #{n}") };
            (key, r)
        })
        .collect()
}

fn rows(
    b: Option<&Vec<Value>>,
    a: &[Value],
    p: &[Value],
    table: &Table,
    at: &At,
    layout: &Layout,
) -> Result<Option<Value>, Box<Conflict>> {
    let b: BTreeMap<String, &Value> = b
        .map(|b| keyed(b, table))
        .unwrap_or_default()
        .into_iter()
        .collect();
    let a = keyed(a, table);
    let p = keyed(p, table);
    let in_app: BTreeMap<&str, &Value> = a.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let in_pack: BTreeMap<&str, &Value> = p.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let label = |key: &str| format!("{key} ({})", table.key.join(", "));
    let mut out = Vec::new();
    // The app's rows in the app's order, then the pack's new rows in the pack's order.
    let order = a
        .iter()
        .map(|(k, _)| k.as_str())
        .chain(
            p.iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !in_app.contains_key(k)),
        )
        .chain(
            b.keys()
                .map(String::as_str)
                .filter(|k| !in_app.contains_key(k) && !in_pack.contains_key(k)),
        );
    for key in order {
        let row_at = at.row(&table.file, label(key));
        let merged = node(
            b.get(key).copied(),
            in_app.get(key).copied(),
            in_pack.get(key).copied(),
            &row_at,
            layout,
        )?;
        out.extend(merged);
    }
    Ok(Some(Value::Array(out)))
}

#[cfg(test)]
mod tests;
