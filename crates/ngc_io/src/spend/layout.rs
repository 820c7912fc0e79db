//! Which column of a spend file holds which field: the common layouts are recognised by their
//! headers (the Transparency Code / LGA layout and the councils' own), and a mapping file
//! (TOML) names the headers of any other layout, or of headers that drift from month to month.
//!
//! A mapping file:
//!
//! ```toml
//! # Headers are matched ignoring case, spaces and punctuation.
//! [columns]
//! date = ["Payment Dte", "Date Paid"]
//! supplier = ["Payee"]
//! amount = ["Value"]
//! ```

use crate::pack::{PackError, PackErrors, Problem};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A field of a spend line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The payment date (a day, or a month where the council publishes only that).
    Date,
    Supplier,
    /// The net amount (the Transparency Code's "Amount").
    Amount,
    Gross,
    Vat,
    IrrecoverableVat,
    Transaction,
    /// The service, directorate or expense area.
    Service,
    /// The expense type or account (the subjective).
    ExpenseType,
    ExpenseCode,
    Description,
    SupplierId,
    InvoiceNumber,
    /// A card transaction's merchant category.
    MerchantCategory,
}

impl Field {
    /// Every field, in the order the layout is reported.
    pub const ALL: [Field; 14] = [
        Field::Date,
        Field::Supplier,
        Field::Amount,
        Field::Gross,
        Field::Vat,
        Field::IrrecoverableVat,
        Field::Transaction,
        Field::Service,
        Field::ExpenseType,
        Field::ExpenseCode,
        Field::Description,
        Field::SupplierId,
        Field::InvoiceNumber,
        Field::MerchantCategory,
    ];

    /// The field's name in a mapping file and in errors.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Supplier => "supplier",
            Field::Amount => "amount",
            Field::Gross => "gross",
            Field::Vat => "vat",
            Field::IrrecoverableVat => "irrecoverable_vat",
            Field::Transaction => "transaction",
            Field::Service => "service",
            Field::ExpenseType => "expense_type",
            Field::ExpenseCode => "expense_code",
            Field::Description => "description",
            Field::SupplierId => "supplier_id",
            Field::InvoiceNumber => "invoice_number",
            Field::MerchantCategory => "merchant_category",
        }
    }

    fn named(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The headers the common layouts give the field, most specific first (normalised: lower
    /// case, letters and digits only). The first one a file has is used.
    fn headers(self) -> &'static [&'static str] {
        match self {
            // Transparency Code / LGA, Trafford, Manchester, Calderdale, Harrogate, Salford,
            // Darlington (month only), card files.
            Field::Date => &[
                "paymentdate",
                "invoicepaymentdate",
                "dateofpayment",
                "transactiondate",
                "date",
            ],
            Field::Supplier => &["beneficiaryname", "suppliername", "supplier", "payee"],
            Field::Amount => &[
                "netamount",
                "net",
                "invoicelinevaluenetofvat",
                "amount",
                "value",
            ],
            Field::Gross => &["gross", "grossamount"],
            Field::Vat => &["vat", "vatamount"],
            Field::IrrecoverableVat => &["irrecoverablevatamount", "irrecoverablevat"],
            Field::Transaction => &[
                "transactionnumber",
                "transactionno",
                "sapdocumentnumber",
                "order",
            ],
            Field::Service => &[
                "expensearea",
                "servicearea",
                "servicelabel",
                "organisationalunit",
                "service",
                "directorate",
                "directotate",
            ],
            Field::ExpenseType => &[
                "expensetype",
                "expensestype",
                "expenditurecode",
                "account",
                "proclasslabel",
                "description",
            ],
            Field::ExpenseCode => &["expensecode", "proclasscode"],
            Field::Description => &["purpose", "extendeddescription", "narrative"],
            Field::SupplierId => &["beneficiaryotherid", "supplierid"],
            Field::InvoiceNumber => &["invoicenumber"],
            Field::MerchantCategory => &["merchantcategory", "merchantcategorycode"],
        }
    }
}

/// A header as matched: lower case, letters and digits only (`Transaction No.` →
/// `transactionno`).
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A mapping file: for each field, the headers that name it.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    file: PathBuf,
    columns: BTreeMap<Field, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    columns: BTreeMap<String, OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Mapping {
    /// Reads a mapping file; an unknown field is refused, naming it.
    pub fn read(file: &Path) -> Result<Mapping, PackErrors> {
        let error = |column: Option<String>, problem| PackError {
            file: file.to_owned(),
            line: None,
            column,
            problem,
        };
        let text = std::fs::read_to_string(file).map_err(|e| error(None, Problem::Read(e)))?;
        Mapping::parse(file, &text)
    }

    /// A mapping file's text, read as the file `file`.
    pub fn parse(file: &Path, text: &str) -> Result<Mapping, PackErrors> {
        let error = |column: Option<String>, problem| PackError {
            file: file.to_owned(),
            line: None,
            column,
            problem,
        };
        let parsed: MappingFile =
            toml::from_str(text).map_err(|e| error(None, Problem::Manifest(e.to_string())))?;
        let mut columns = BTreeMap::new();
        for (name, headers) in parsed.columns {
            let field = Field::named(&name).ok_or_else(|| {
                let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                error(
                    Some(format!("columns.{name}")),
                    Problem::Invalid(format!(
                        "no spend field is called `{name}`: the fields are {}",
                        known.join(", ")
                    )),
                )
            })?;
            let headers = match headers {
                OneOrMany::One(h) => vec![h],
                OneOrMany::Many(hs) => hs,
            };
            columns.insert(field, headers);
        }
        Ok(Mapping {
            file: file.to_owned(),
            columns,
        })
    }
}

/// Where each field is in a file's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The column index of each field the file has.
    pub at: BTreeMap<Field, usize>,
    /// The header of each of those columns, as written.
    pub headers: Vec<String>,
}

impl Layout {
    /// The layout of a file with these headers: the mapping's headers first, then the
    /// common ones. A file must have a date, a supplier and an amount (net or gross); a
    /// header the mapping names that the file does not have is reported against the
    /// mapping.
    pub fn of(
        file: &Path,
        headers: &[String],
        mapping: Option<&Mapping>,
    ) -> Result<Layout, PackErrors> {
        let normalised: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
        let find = |wanted: &str| normalised.iter().position(|h| h == wanted);
        let mut at = BTreeMap::new();
        let mut errors = PackErrors::default();
        if let Some(m) = mapping {
            for (field, names) in &m.columns {
                match names.iter().find_map(|n| find(&normalise(n))) {
                    Some(i) => {
                        at.insert(*field, i);
                    }
                    None => errors.push(PackError {
                        file: m.file.clone(),
                        line: None,
                        column: Some(format!("columns.{}", field.name())),
                        problem: Problem::Invalid(format!(
                            "{} has no column {}: its header is {}",
                            file.display(),
                            names.join(" or "),
                            headers.join(", ")
                        )),
                    }),
                }
            }
        }
        for field in Field::ALL {
            if at.contains_key(&field) {
                continue;
            }
            let taken: Vec<usize> = at.values().copied().collect();
            if let Some(i) = field
                .headers()
                .iter()
                .filter_map(|h| find(h))
                .find(|i| !taken.contains(i))
            {
                at.insert(field, i);
            }
        }
        // A file that gives gross and net takes "amount" as the net.
        let required = [
            (Field::Date, at.contains_key(&Field::Date)),
            (Field::Supplier, at.contains_key(&Field::Supplier)),
            (
                Field::Amount,
                at.contains_key(&Field::Amount) || at.contains_key(&Field::Gross),
            ),
        ];
        for (field, found) in required {
            if !found {
                errors.push(PackError {
                    file: file.to_owned(),
                    line: Some(1),
                    column: Some(field.name().into()),
                    problem: Problem::Invalid(format!(
                        "missing column: no header names the {}; the header is {} (a mapping \
                         file, --mapping, can name it)",
                        field.name().replace('_', " "),
                        headers.join(", ")
                    )),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Layout {
            at,
            headers: headers.to_vec(),
        })
    }

    /// The column of a field, if the file has it.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.at.get(&field).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(headers: &str) -> Result<Layout, PackErrors> {
        let headers: Vec<String> = headers.split(',').map(str::to_owned).collect();
        Layout::of(Path::new("f.csv"), &headers, None)
    }

    fn fields(l: &Layout) -> Vec<(&'static str, &str)> {
        l.at.iter()
            .map(|(f, i)| (f.name(), l.headers[*i].as_str()))
            .collect()
    }

    #[test]
    fn the_councils_layouts_are_recognised_by_their_headers() {
        let trafford = layout("OrganisationLabel,OrganisationURI,EffectiveDate,OrganisationalUnit,BeneficiaryName,BeneficiaryOtherID,PaymentDate,TransactionNumber,Amount,IrrecoverableVATAmount,Purpose,ProclassLabel,ProclassCode,InvoiceNumber,ProfitCentre,VATRegistrationNumber").unwrap();
        assert_eq!(
            fields(&trafford),
            vec![
                ("date", "PaymentDate"),
                ("supplier", "BeneficiaryName"),
                ("amount", "Amount"),
                ("irrecoverable_vat", "IrrecoverableVATAmount"),
                ("transaction", "TransactionNumber"),
                ("service", "OrganisationalUnit"),
                ("expense_type", "ProclassLabel"),
                ("expense_code", "ProclassCode"),
                ("description", "Purpose"),
                ("supplier_id", "BeneficiaryOtherID"),
                ("invoice_number", "InvoiceNumber"),
            ]
        );
        let salford = layout("Authority Name,Date of Payment,SAP Document Number,Gross,VAT,Net,Supplier Name,Directorate,description").unwrap();
        assert_eq!(
            fields(&salford),
            vec![
                ("date", "Date of Payment"),
                ("supplier", "Supplier Name"),
                ("amount", "Net"),
                ("gross", "Gross"),
                ("vat", "VAT"),
                ("transaction", "SAP Document Number"),
                ("service", "Directorate"),
                ("expense_type", "description"),
            ]
        );
        let darlington = layout(
            "Date,Directotate,Service,Supplier,Order,Invoice Line Value (net of VAT),Account",
        )
        .unwrap();
        assert_eq!(
            fields(&darlington)[..4],
            [
                ("date", "Date"),
                ("supplier", "Supplier"),
                ("amount", "Invoice Line Value (net of VAT)"),
                ("transaction", "Order"),
            ]
        );
        let harrogate = layout("Body Name,Expenditure Category,Capital /Revenue,Service Label,Service Code,Expenditure Code,Payment Date,Supplier Name,Transaction No.,Net amount,Narrative").unwrap();
        assert_eq!(harrogate.column(Field::Amount), Some(9));
        assert_eq!(harrogate.column(Field::Service), Some(3));
        assert_eq!(harrogate.column(Field::Description), Some(10));
    }

    #[test]
    fn a_file_without_a_date_supplier_or_amount_is_refused_naming_them() {
        let err = layout("When,Who,Description").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("column date: missing column"), "{text}");
        assert!(text.contains("column supplier: missing column"), "{text}");
        assert!(text.contains("column amount: missing column"), "{text}");
        assert!(
            text.contains("the header is When, Who, Description"),
            "{text}"
        );
    }

    #[test]
    fn a_mapping_names_drifting_headers_and_a_missing_one_is_reported_against_it() {
        let m = Mapping::parse(
            Path::new("map.toml"),
            "[columns]\ndate = [\"Payment Dte\", \"Date Paid\"]\nsupplier = \"Payee name\"\namount = \"Value £\"\n",
        )
        .unwrap();
        let headers: Vec<String> = ["Date Paid", "Payee Name", "Value (£)"]
            .map(str::to_owned)
            .to_vec();
        let l = Layout::of(Path::new("may.csv"), &headers, Some(&m)).unwrap();
        assert_eq!(
            (
                l.column(Field::Date),
                l.column(Field::Supplier),
                l.column(Field::Amount)
            ),
            (Some(0), Some(1), Some(2))
        );
        let headers: Vec<String> = ["When", "Payee Name", "Value"].map(str::to_owned).to_vec();
        let err = Layout::of(Path::new("june.csv"), &headers, Some(&m)).unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "map.toml: column columns.date: june.csv has no column Payment Dte or Date Paid: its header is When, Payee Name, Value"
        );
        let err =
            Mapping::parse(Path::new("map.toml"), "[columns]\npayday = \"Date\"\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("no spend field is called `payday`")
        );
    }
}
