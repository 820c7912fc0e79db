//! The columns of each dataset, `data/columns.csv`: the title, its CSVW datatype, whether it is
//! required, its description, `source` and `confirmed`.

use super::Dataset;
use crate::procurement::DataError;
use crate::procurement::table::Table;
use std::sync::LazyLock;

/// One column of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Column {
    pub dataset: Dataset,
    /// The header, as the published files spell it.
    pub title: String,
    /// `string`, `date` or `number` (CSVW datatypes).
    pub datatype: String,
    pub required: bool,
    pub description: String,
    pub source: String,
    /// Whether the row was checked against the Code's text.
    pub confirmed: bool,
}

const FILE: &str = "transparency/data/columns.csv";
const TEXT: &str = include_str!("data/columns.csv");

fn read(text: &str) -> Result<Vec<Column>, DataError> {
    let names = [
        "dataset",
        "column",
        "datatype",
        "required",
        "description",
        "source",
        "confirmed",
    ];
    let table = Table::parse(FILE, text, &names)?;
    let mut out = Vec::new();
    for row in table.rows() {
        let datatype = row.get("datatype");
        if !matches!(datatype, "string" | "date" | "number") {
            return Err(row.error(
                "datatype",
                format!("`{datatype}` is not string, date or number"),
            ));
        }
        out.push(Column {
            dataset: row.parse("dataset")?,
            title: row.get("column").to_owned(),
            datatype: datatype.to_owned(),
            required: row.parse("required")?,
            description: row.get("description").to_owned(),
            source: row.get("source").to_owned(),
            confirmed: row.parse("confirmed")?,
        });
    }
    for d in Dataset::ALL {
        if !out.iter().any(|c| c.dataset == *d) {
            return Err(table.error("dataset", format!("no columns for `{d}`")));
        }
    }
    Ok(out)
}

static COLUMNS: LazyLock<Vec<Column>> =
    LazyLock::new(|| read(TEXT).unwrap_or_else(|e| panic!("the shipped table is bad: {e}")));

/// The columns of `dataset`, in the order files carry them.
pub fn columns(dataset: Dataset) -> impl Iterator<Item = &'static Column> {
    COLUMNS.iter().filter(move |c| c.dataset == dataset)
}
