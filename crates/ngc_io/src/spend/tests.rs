use super::*;
use std::path::Path;

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path)
}

fn pounds(s: &str) -> Money {
    s.parse().unwrap()
}

#[test]
fn the_four_councils_layouts_and_a_card_file_read_every_line() {
    for (file, lines, sha) in [
        ("spend/calderdale/2015-04.csv", 5025, "656402495511ecf1"),
        ("spend/darlington/2015-04.csv", 672, "2680676442827891"),
        ("spend/harrogate/2015-04.csv", 2168, "a6502793fdeacab0"),
        ("spend/salford/2015-04.csv", 2170, "341f6f0db93252df"),
        (
            "spend/calderdale/2015-04-card.csv",
            1171,
            "9388bff5f5c6a74b",
        ),
    ] {
        let f = read_spend(&shared(file), None).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(f.lines.len(), lines, "{file}");
        assert!(f.sha256.starts_with(sha), "{file}: {}", f.sha256);
        assert_eq!(f.lines[0].line, 2, "{file}");
    }
}

#[test]
fn each_layout_puts_each_value_in_its_field() {
    let salford = read_spend(&shared("spend/salford/2015-04.csv"), None).unwrap();
    let l = &salford.lines[0];
    assert_eq!(l.paid_on, PaidOn::Day("2015-04-01".parse().unwrap()));
    assert_eq!(l.supplier, "Alliance Disposables Ltd");
    assert_eq!(
        (l.gross, l.vat, l.amount),
        (
            Some(pounds("513.97")),
            Some(pounds("85.67")),
            pounds("428.3")
        )
    );
    assert_eq!(l.transaction, "1600530688");
    assert_eq!(l.service, "Community, Health & Social Care");
    assert_eq!(l.expense_type, "Cleaning Materials");

    // Darlington publishes the month only.
    let darlington = read_spend(&shared("spend/darlington/2015-04.csv"), None).unwrap();
    let l = &darlington.lines[0];
    assert_eq!(l.paid_on, PaidOn::Month("2015-04-01".parse().unwrap()));
    assert_eq!(l.amount, pounds("569.65"));
    assert_eq!(
        (l.service.as_str(), l.expense_type.as_str()),
        ("Resources", "Agency Staff Costs - Non Teaching")
    );

    let card = read_spend(&shared("spend/calderdale/2015-04-card.csv"), None).unwrap();
    assert_eq!(
        card.lines[0].merchant_category,
        "Electronic Commerce/Info. Servi"
    );
    assert_eq!(card.lines[0].expense_code, "08494541");
}

#[test]
fn harrogates_windows_1252_file_is_decoded() {
    let harrogate = read_spend(&shared("spend/harrogate/2015-04.csv"), None).unwrap();
    // No replacement characters: every byte decoded as Windows-1252.
    assert!(
        harrogate
            .lines
            .iter()
            .all(|l| !l.description.contains('\u{FFFD}') && !l.supplier.contains('\u{FFFD}'))
    );
    let bytes = b"Date,Supplier,Amount\r\n2016-04-01,Caf\xe9 \x93Nero\x94,\xa3500.00\r\n";
    let f = read_spend_csv(Path::new("w.csv"), bytes, None).unwrap();
    assert_eq!(f.lines[0].supplier, "Caf\u{e9} \u{201c}Nero\u{201d}");
    assert_eq!(f.lines[0].amount, pounds("500"));
    let bom = b"\xEF\xBB\xBFDate,Supplier,Amount\n01/04/2016,A Ltd,\"1,000.00\"\n";
    let f = read_spend_csv(Path::new("b.csv"), bom, None).unwrap();
    assert_eq!(f.lines[0].amount, pounds("1000"));
    assert_eq!(
        f.lines[0].paid_on,
        PaidOn::Day("2016-04-01".parse().unwrap())
    );
}

#[test]
fn traffords_zipped_spend_keeps_every_line_and_counts_the_repeats() {
    let f = read_spend(
        &shared("transparency/trafford/transparency_code/supplier_spend/trafford-supplier-spend-2026-27.zip"),
        None,
    )
    .unwrap();
    assert_eq!(f.lines.len(), 38055);
    assert_eq!(f.repeats, 7727);
    assert_eq!(f.lines[0].member, "trafford-supplier-spend-2026-27.csv");
    let credit = f
        .lines
        .iter()
        .find(|l| l.transaction == "1700080216")
        .unwrap();
    assert_eq!(credit.amount, pounds("-203.01"));
    assert_eq!(credit.irrecoverable_vat, Some(Money::ZERO));
    assert_eq!(credit.supplier_id, "3213");
}

#[test]
fn repeats_are_kept_and_redactions_counted() {
    let text = "Date,Supplier,Amount,Transaction Number\n\
        2016-04-01,A Ltd,10.00,7\n\
        2016-04-01,A Ltd,10.00,7\n\
        2016-04-02,Redacted - personal data,600.00,8\n";
    let f = read_spend_csv(Path::new("r.csv"), text.as_bytes(), None).unwrap();
    assert_eq!((f.lines.len(), f.repeats, f.redacted), (3, 1, 1));
    assert!(f.lines[2].redacted);
    assert_eq!(f.dates().unwrap().1, "2016-04-02".parse().unwrap());
}

#[test]
fn bad_rows_are_reported_with_file_line_column_and_value_and_nothing_is_read() {
    let text = "Payment Date,Supplier Name,Net Amount\n\
        2016-04-01,A Ltd,12.345\n\
        2015-02-30,B Ltd,10\n\
        2016-04-03,C Ltd,abc\n\
        2016-04-04,,5\n\
        2016-04-05,D Ltd,5\n";
    let err = read_spend_csv(Path::new("bad.csv"), text.as_bytes(), None).unwrap_err();
    let lines: Vec<String> = err.to_string().lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        vec![
            "bad.csv: line 2, column Net Amount: `12.345` has more than two decimal places",
            "bad.csv: line 3, column Payment Date: `2015-02-30` is not a day of the calendar",
            "bad.csv: line 4, column Net Amount: `abc` is not an amount of money",
            "bad.csv: line 5, column Supplier Name: a supplier is required",
        ]
    );
}

#[test]
fn lines_are_handed_on_in_order_until_a_row_is_refused_and_every_bad_row_is_still_reported() {
    let text = "Payment Date,Supplier Name,Net Amount\n\
        2016-04-01,A Ltd,1\n\
        2016-04-02,B Ltd,2\n\
        2016-04-03,C Ltd,abc\n\
        2016-04-04,D Ltd,4\n\
        2016-04-05,,5\n";
    let source = from_bytes(Path::new("s.csv"), text.as_bytes().to_vec());
    let mut handed = Vec::new();
    let err = source
        .read(None, &mut |l| {
            handed.push(l.supplier);
            Flow::Continue(())
        })
        .unwrap_err();
    assert_eq!(handed, ["A Ltd", "B Ltd"]);
    assert_eq!(err.to_string().lines().count(), 2, "{err}");

    // The sink can stop the reading; what was counted so far comes back.
    let good = "Payment Date,Supplier Name,Net Amount\n2016-04-01,A Ltd,1\n2016-04-01,A Ltd,1\n\
        2016-04-02,B Ltd,2\n";
    let source = from_bytes(Path::new("g.csv"), good.as_bytes().to_vec());
    let mut seen = 0;
    let counts = source
        .read(None, &mut |_| {
            seen += 1;
            if seen == 2 {
                Flow::Break(())
            } else {
                Flow::Continue(())
            }
        })
        .unwrap();
    assert_eq!((counts.lines, counts.repeats), (2, 1));
    // The SHA-256 is of the bytes, known before a line is read.
    assert_eq!(source.sha256().len(), 64);
    assert_eq!(source.name(), "g.csv");
}

#[test]
fn a_csv_on_disk_streams_with_the_same_hash_and_lines_as_in_memory() {
    let dir = std::env::temp_dir().join(format!("ngc-spend-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("w.csv");
    // Windows-1252 with a byte-order mark-free header: "Café" and a pound sign.
    let bytes = b"Date,Supplier,Amount\n2016-04-01,Caf\xe9 Ltd,\"\xa31,000.50\"\n".to_vec();
    std::fs::write(&path, &bytes).unwrap();
    let on_disk = read_spend(&path, None).unwrap();
    let in_memory = read_spend_csv(&path, &bytes, None).unwrap();
    assert_eq!(on_disk, in_memory);
    assert_eq!(on_disk.lines[0].supplier, "Café Ltd");
    assert_eq!(on_disk.lines[0].amount, pounds("1000.50"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_workbook_reads_like_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spend.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Payment Date", "Supplier Name", "Amount"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "2016-04-01").unwrap();
    sheet.write_string(1, 1, "A Ltd").unwrap();
    sheet.write_number(1, 2, 1234.5).unwrap();
    sheet.write_string(2, 0, "2016-04-31").unwrap();
    sheet.write_string(2, 1, "B Ltd").unwrap();
    sheet.write_number(2, 2, 1.0).unwrap();
    book.save(&path).unwrap();
    let err = read_spend(&path, None).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("line 3, column Payment Date: `2016-04-31` is not a day of the calendar"),
        "{err}"
    );
    sheet_fix(&path);
    let f = read_spend(&path, None).unwrap();
    assert_eq!(f.lines.len(), 2);
    assert_eq!(f.lines[0].amount, pounds("1234.50"));
    assert_eq!(f.lines[1].line, 3);
}

/// Rewrites the workbook with the bad date mended.
fn sheet_fix(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Payment Date", "Supplier Name", "Amount"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (d, s, a)) in [
        ("2016-04-01", "A Ltd", 1234.5),
        ("2016-04-30", "B Ltd", 1.0),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *d).unwrap();
        sheet.write_string(r, 1, *s).unwrap();
        sheet.write_number(r, 2, *a).unwrap();
    }
    book.save(path).unwrap();
}
