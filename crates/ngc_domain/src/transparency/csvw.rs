//! The CSVW metadata (W3C "Metadata Vocabulary for Tabular Data") published beside each CSV,
//! shaped as Trafford's `csv-metadata.json` files: the table's URL, its title and publisher,
//! the Open Government Licence, and each column's title, datatype, whether it is required and
//! its description.

use super::{Dataset, columns};
use serde_json::{Value, json};

/// The Open Government Licence v3.0.
pub const LICENCE: &str =
    "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// The metadata of `dataset` published by `publisher` as the CSV at `url`.
pub fn metadata(dataset: Dataset, publisher: &str, url: &str) -> Value {
    let columns: Vec<Value> = columns(dataset)
        .map(|c| {
            json!({
                "titles": c.title,
                "datatype": c.datatype,
                "required": c.required,
                "dc:description": c.description,
            })
        })
        .collect();
    json!({
        "@context": "http://www.w3.org/ns/csvw",
        "url": url,
        "dc:title": format!("{publisher}: {}", dataset.label()),
        "dc:publisher": publisher,
        "dc:license": LICENCE,
        "tableSchema": { "columns": columns },
    })
}
