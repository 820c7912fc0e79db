//! Contracts registers from CSV and XLSX, in ngc's columns or through a mapping file: good
//! files read to exactly their rows, and every bad row is reported by file, line and column
//! in one run.

use chrono::NaiveDate;
use ngc_domain::contracts::{Route, VatTreatment};
use ngc_domain::money::Money;
use ngc_domain::organisation::OrgId;
use ngc_io::contracts::{Category, ContractRow, read_contracts, unknown_suppliers};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contracts")
        .join(name)
}

fn example_mapping() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats/contracts-mapping-example.toml")
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn id(s: &str) -> Option<OrgId> {
    Some(s.parse().unwrap())
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn problems(path: &Path, mapping: Option<&Path>) -> Vec<String> {
    match read_contracts(path, mapping) {
        Ok(rows) => panic!("read {} rows without problems", rows.len()),
        Err(e) => e.errors().iter().map(ToString::to_string).collect(),
    }
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The rows of `contracts.csv`.
fn expected_rows() -> Vec<ContractRow> {
    vec![
        ContractRow {
            line: 2,
            reference: "NCC-2016-001".into(),
            title: "Home care framework (north)".into(),
            description: some("Domiciliary care for adults in the north of the county"),
            department: some("Adult Social Care"),
            supplier_name: "Nene Valley Care CIC".into(),
            supplier_id: id("GB-COH-99000101"),
            sme: Some(true),
            vcse: Some(true),
            start_date: d("2016-04-01"),
            end_date: Some(d("2019-03-31")),
            review_date: Some(d("2017-09-30")),
            value: Money::pounds(1_250_000),
            irrecoverable_vat: None,
            vat_treatment: VatTreatment::ExcludingVat,
            category: Some(Category::Cpv("85311000".parse().unwrap())),
            route: Route::Tender,
            route_ground: None,
        },
        ContractRow {
            line: 3,
            reference: "NCC-2016-002".into(),
            title: "Library book supply".into(),
            description: None,
            department: some("Libraries"),
            supplier_name: "Shelf Supplies Ltd".into(),
            supplier_id: id("GB-COH-01234567"),
            sme: Some(false),
            vcse: Some(false),
            start_date: d("2016-04-01"),
            end_date: Some(d("2017-03-31")),
            review_date: None,
            value: m("5600.50"),
            irrecoverable_vat: Some(Money::ZERO),
            vat_treatment: VatTreatment::ExcludingVat,
            category: Some(Category::Text("Books and periodicals".into())),
            route: Route::Quotes,
            route_ground: None,
        },
        ContractRow {
            line: 4,
            reference: "NCC-2016-003".into(),
            title: "Wellbeing services".into(),
            description: some("Public health and wellbeing services"),
            department: some("Public Health"),
            supplier_name: "First for Wellbeing CIC".into(),
            supplier_id: id("GB-COH-99000102"),
            sme: None,
            vcse: None,
            start_date: d("2016-07-01"),
            end_date: None,
            review_date: None,
            value: Money::pounds(2_000_000),
            irrecoverable_vat: Some(m("150.25")),
            vat_treatment: VatTreatment::IncludingVat,
            category: None,
            route: Route::Exempt,
            route_ground: some("PCR 2015 reg 12(1): a company the council controls"),
        },
        ContractRow {
            line: 5,
            reference: "NCC-2016-004".into(),
            title: "Independent advocacy".into(),
            description: None,
            department: None,
            supplier_name: "Northants Advocacy Trust".into(),
            supplier_id: id("GB-CHC-1123456"),
            sme: Some(false),
            vcse: Some(true),
            start_date: d("2016-10-01"),
            end_date: Some(d("2018-09-30")),
            review_date: Some(d("2018-09-30")),
            value: Money::pounds(48_000),
            irrecoverable_vat: None,
            vat_treatment: VatTreatment::NoVat,
            category: None,
            route: Route::DirectAward,
            route_ground: some("PCR 2015 reg 32(2)(b)(ii)"),
        },
    ]
}

#[test]
fn a_contracts_csv_in_ngc_columns_reads_to_exactly_its_rows() {
    let rows = read_contracts(&fixture("contracts.csv"), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows, expected_rows());
}

/// A cell of a test workbook.
enum Cell {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
    Blank,
}

/// Writes a workbook of one sheet, `Contracts`, row 1 the header.
fn workbook(dir: &TempDir, rows: &[Vec<Cell>]) -> PathBuf {
    let path = dir.path().join("contracts.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Contracts").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in (0u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, c, *t).unwrap();
                }
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                Cell::Date(y, mo, day) => {
                    let when = ExcelDateTime::from_ymd(*y, *mo, *day).unwrap();
                    sheet
                        .write_datetime_with_format(r, c, &when, &date)
                        .unwrap();
                }
                Cell::Blank => {}
            }
        }
    }
    book.save(&path).unwrap();
    path
}

fn header() -> Vec<Cell> {
    ngc_io::contracts::CONTRACT_COLUMNS
        .iter()
        .map(|&c| Cell::Text(c))
        .collect()
}

#[test]
fn a_contracts_workbook_reads_to_exactly_its_rows_with_numbers_and_dates_as_cells() {
    use Cell::{Blank, Date, Number, Text};
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(
        &dir,
        &[
            header(),
            vec![
                Text("NCC-2016-001"),
                Text("Home care framework (north)"),
                Text("Domiciliary care for adults in the north of the county"),
                Text("Adult Social Care"),
                Text("Nene Valley Care CIC"),
                Text("GB-COH-99000101"),
                Text("yes"),
                Text("yes"),
                Date(2016, 4, 1),
                Date(2019, 3, 31),
                Date(2017, 9, 30),
                Number(1_250_000.0),
                Blank,
                Text("excluding_vat"),
                Text("85311000-2"),
                Text("tender"),
                Blank,
            ],
            vec![
                Text("NCC-2016-002"),
                Text("Library book supply"),
                Blank,
                Text("Libraries"),
                Text("Shelf Supplies Ltd"),
                Text("01234567"),
                Text("no"),
                Text("no"),
                Text("01/04/2016"),
                Date(2017, 3, 31),
                Blank,
                Number(5600.5),
                Number(0.0),
                Blank,
                Text("Books and periodicals"),
                Text("quotes"),
                Blank,
            ],
            vec![
                Text("NCC-2016-003"),
                Text("Wellbeing services"),
                Text("Public health and wellbeing services"),
                Text("Public Health"),
                Text("First for Wellbeing CIC"),
                Text("GB-COH-99000102"),
                Blank,
                Blank,
                Date(2016, 7, 1),
                Blank,
                Blank,
                Text("£2,000,000"),
                Number(150.25),
                Text("including_vat"),
                Blank,
                Text("exempt"),
                Text("PCR 2015 reg 12(1): a company the council controls"),
            ],
            vec![
                Text("NCC-2016-004"),
                Text("Independent advocacy"),
                Blank,
                Blank,
                Text("Northants Advocacy Trust"),
                Number(1_123_456.0),
                Text("false"),
                Text("TRUE"),
                Date(2016, 10, 1),
                Date(2018, 9, 30),
                Date(2018, 9, 30),
                Number(48_000.0),
                Blank,
                Text("No VAT"),
                Blank,
                Text("Direct Award"),
                Text("PCR 2015 reg 32(2)(b)(ii)"),
            ],
        ],
    );
    let rows = read_contracts(&path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows, expected_rows());
}

#[test]
fn a_bad_workbook_cell_is_reported_by_its_cell() {
    use Cell::{Date, Number, Text};
    let dir = tempfile::tempdir().unwrap();
    let mut bad = vec![
        Text("W-001"),
        Text("Printing"),
        Text(""),
        Text(""),
        Text("Print Co Ltd"),
        Text(""),
        Text(""),
        Text(""),
        Date(2016, 4, 1),
        Date(2017, 3, 31),
        Text(""),
        Number(1234.567),
    ];
    bad.extend((0..5).map(|_| Text("")));
    let path = workbook(&dir, &[header(), bad]);
    assert_eq!(
        problems(&path, None),
        [format!(
            "{}: line 2, column value (Contracts!L2): `1234.567` has more than two decimal places; amounts are never rounded",
            path.display()
        )]
    );
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_column_in_one_run() {
    let path = fixture("bad_rows.csv");
    let f = path.display();
    let got = problems(&path, None);
    let want = [
        format!(
            "{f}: line 3, column route: unknown route `auction`: expected one of tender, quotes, direct_award, reserved, exempt"
        ),
        format!(
            "{f}: line 4, column value: `1234.567` has more than two decimal places; amounts are never rounded"
        ),
        format!(
            "{f}: line 5, column end_date: the contract ends on 2016-03-31, before it starts on 2016-04-01"
        ),
        format!("{f}: line 6, column reference: `B-001` is already the reference on line 2"),
        format!("{f}: line 7, column title: a value is required"),
        format!(
            "{f}: line 7, column supplier_id: `12345` is not a registration identifier: expected an org-id identifier such as GB-COH-01234567 or GB-CHC-1123456, a Companies House number (8 characters, e.g. 01234567 or SC123456) or a charity number (6 or 7 digits)"
        ),
        format!(
            "{f}: line 8, column review_date: the review date 2019-06-30 is after the contract ends on 2019-03-31"
        ),
        format!(
            "{f}: line 9, column route_ground: a direct award needs its ground: the regulation or section relied on, e.g. PCR 2015 reg 32(2)(b)"
        ),
        format!(
            "{f}: line 10, column sme: `maybe` is not a yes/no value: expected yes, no, true, false or blank (not stated)"
        ),
        format!("{f}: line 10, column start_date: `31/02/2016` is not a day of the calendar"),
    ];
    assert_eq!(got, want);
}

#[test]
fn a_file_without_a_required_column_is_refused_at_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "contracts.csv",
        "reference,title,supplier_name,start_date,contract_value\nA-1,Printing,Print Co Ltd,2016-04-01,6000\n",
    );
    let f = path.display();
    assert_eq!(
        problems(&path, None),
        [
            format!(
                "{f}: line 1, column contract_value: unknown column: the columns are reference, title, description, department, supplier_name, supplier_id, sme, vcse, start_date, end_date, review_date, value, irrecoverable_vat, vat_treatment, category, route, route_ground"
            ),
            format!(
                "{f}: line 1, column value: missing column: the header must name the columns reference, title, supplier_name, start_date, value"
            ),
        ]
    );
}

#[test]
fn uk_dates_read_as_day_month_year_and_two_digit_years_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "contracts.csv",
        "reference,title,supplier_name,start_date,end_date,value\n\
         A-1,Printing,Print Co Ltd,01/04/2016,3/1/2017,6000\n\
         A-2,Binding,Print Co Ltd,01/04/16,,6000\n",
    );
    let got = problems(&path, None);
    assert_eq!(
        got,
        [format!(
            "{}: line 3, column start_date: `01/04/16` is not a date: expected 2016-04-01 or 01/04/2016 (day/month/year)",
            path.display()
        )]
    );
    std::fs::write(
        &path,
        "reference,title,supplier_name,start_date,end_date,value\n\
         A-1,Printing,Print Co Ltd,01/04/2016,3/1/2017,6000\n",
    )
    .unwrap();
    let rows = read_contracts(&path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows[0].start_date, d("2016-04-01"));
    assert_eq!(rows[0].end_date, Some(d("2017-01-03")));
}

#[test]
fn the_example_mapping_reads_a_register_in_the_codes_wording() {
    let rows = read_contracts(&fixture("code_wording.csv"), Some(&example_mapping()))
        .unwrap_or_else(|e| panic!("{e}"));
    let summary: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.line,
                r.reference.as_str(),
                r.supplier_id.as_ref().map(ToString::to_string),
                r.sme,
                r.vcse,
                r.start_date,
                r.value,
                r.irrecoverable_vat,
                r.route,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                2,
                "CR/0412",
                some("GB-COH-01234567"),
                Some(false),
                Some(false),
                d("2016-04-01"),
                Money::pounds(35_000_000),
                Some(Money::ZERO),
                Route::Tender,
            ),
            (
                3,
                "CR/0413",
                some("GB-CHC-1123456"),
                Some(true),
                Some(true),
                d("2016-07-01"),
                Money::pounds(420_000),
                None,
                Route::Tender,
            ),
            (
                4,
                "CR/0414",
                None,
                Some(true),
                Some(false),
                d("2016-08-15"),
                Money::pounds(7_500),
                None,
                Route::Quotes,
            ),
        ]
    );
    assert_eq!(rows[0].title, "Waste collection");
    assert_eq!(rows[0].department.as_deref(), Some("Environment"));
    assert_eq!(rows[1].review_date, None);
    assert_eq!(rows[0].review_date, Some(d("2021-04-01")));
}

#[test]
fn a_mapped_file_names_the_files_header_in_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("code_wording.csv")).unwrap();
    let bad = text.replace("\"£7,500.00\"", "7500.001");
    let path = write(&dir, "register.csv", &bad);
    assert_eq!(
        problems(&path, Some(&example_mapping())),
        [format!(
            "{}: line 4, column value (Contract Value): `7500.001` has more than two decimal places; amounts are never rounded",
            path.display()
        )]
    );
}

#[test]
fn a_mapping_with_unknown_keys_is_refused_naming_the_mapping_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        &dir,
        "mapping.toml",
        "[columns]\n\
         refrence = \"Reference Number\"\n\
         title = \"Title of Agreement\"\n\
         [values.title]\n\
         \"x\" = \"y\"\n\
         [values.route]\n\
         \"Waiver\" = \"waived\"\n",
    );
    let got = problems(&fixture("code_wording.csv"), Some(&mapping));
    let m = mapping.display();
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(
        got[0].starts_with(&format!(
            "{m}: line 2, column columns.refrence: unknown ngc column `refrence`: the columns are reference, title,"
        )),
        "{got:#?}"
    );
    assert_eq!(
        got[1],
        format!(
            "{m}: line 4, column values.title: `title` has no words to translate: [values.…] is for sme, vcse, route and vat_treatment"
        )
    );
    assert!(
        got[2].starts_with(&format!(
            "{m}: line 7, column values.route.\"Waiver\": unknown route `waived`"
        )),
        "{got:#?}"
    );
}

#[test]
fn a_mapped_header_missing_from_the_file_is_refused_naming_the_mapping_key() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        &dir,
        "mapping.toml",
        "[columns]\n\
         reference = \"Reference Number\"\n\
         title = \"Agreement Title\"\n\
         supplier_name = \"Supplier Name\"\n\
         start_date = \"Start Date\"\n\
         value = \"Contract Value\"\n",
    );
    let data = fixture("code_wording.csv");
    let got = problems(&data, Some(&mapping));
    assert_eq!(
        got,
        [format!(
            "{}: line 3, column columns.title: the header `Agreement Title` is not in {}: its headers are \
             Reference Number, Title of Agreement, Department Responsible, Description of Goods and Services, \
             Supplier Name, Supplier Company Registration Number, Supplier Charity Registration Number, SME, VCSE, \
             Start Date, End Date, Review Date, Contract Value, Irrecoverable VAT, Invitation to Quote or Tender, Notes",
            mapping.display(),
            data.display()
        )]
    );
}

#[test]
fn a_required_column_the_mapping_leaves_out_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        &dir,
        "mapping.toml",
        "[columns]\nreference = \"Reference Number\"\ntitle = \"Title of Agreement\"\n\
         supplier_name = \"Supplier Name\"\nstart_date = \"Start Date\"\n",
    );
    let data = fixture("code_wording.csv");
    assert_eq!(
        problems(&data, Some(&mapping)),
        [format!(
            "{}: line 1, column value: missing column: no header holds `value`; name one under [columns] in {}",
            data.display(),
            mapping.display()
        )]
    );
}

#[test]
fn unknown_suppliers_are_reported_by_line_and_identifier() {
    let path = fixture("contracts.csv");
    let mut rows = read_contracts(&path, None).unwrap_or_else(|e| panic!("{e}"));
    rows[2].supplier_id = None;
    let registered: [OrgId; 2] = [
        "GB-COH-99000101".parse().unwrap(),
        "GB-CHC-1123456".parse().unwrap(),
    ];
    let errors = unknown_suppliers(&path, &rows, |row| {
        row.supplier_id
            .as_ref()
            .is_some_and(|id| registered.contains(id))
    });
    let got: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
    let f = path.display();
    assert_eq!(
        got,
        [
            format!(
                "{f}: line 3, column supplier_id: no organisation is registered with identifier GB-COH-01234567"
            ),
            format!(
                "{f}: line 4, column supplier_name: no organisation is registered as `First for Wellbeing CIC`, and the row gives no supplier_id to find it by"
            ),
        ]
    );
}

#[test]
fn a_file_of_another_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "contracts.txt", "reference\n");
    assert_eq!(
        problems(&path, None),
        [format!(
            "{}: a contracts file is CSV (.csv) or a workbook (.xlsx)",
            path.display()
        )]
    );
}

#[test]
fn twenty_thousand_contracts_read_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "reference,title,supplier_name,supplier_id,start_date,end_date,value,irrecoverable_vat,route\n",
    );
    // £a,bbb.cc with a from 1 to 997: every value has a thousands separator and pence.
    let parts = |i: i64| (i % 997 + 1, i % 1000, i % 100);
    for i in 0..20_000 {
        let (a, b, c) = parts(i);
        text.push_str(&format!(
            "C-{i:05},Contract {i},Supplier {i},GB-COH-{:08},01/04/2016,2019-03-31,\"£{a},{b:03}.{c:02}\",0,quotes\n",
            i % 1000
        ));
    }
    let path = write(&dir, "contracts.csv", &text);
    let rows = read_contracts(&path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 20_000);
    let total = Money::checked_sum(rows.iter().map(|r| r.value)).unwrap();
    let want: i64 = (0..20_000i64)
        .map(parts)
        .map(|(a, b, c)| (a * 1000 + b) * 100 + c)
        .sum();
    assert_eq!(total, Money::pence(want));
    assert_eq!(rows[19_999].line, 20_001);
}
