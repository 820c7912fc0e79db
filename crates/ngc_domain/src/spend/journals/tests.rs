use super::*;
use crate::ledger::Side;
use crate::spend::PaidOn;

fn line(day: &str, service: &str, expense_type: &str, code: &str, amount: &str) -> SpendLine {
    SpendLine {
        member: String::new(),
        line: 2,
        paid_on: PaidOn::Day(day.parse().unwrap()),
        supplier: "Acme Ltd".into(),
        redacted: false,
        amount: amount.parse().unwrap(),
        gross: None,
        vat: None,
        irrecoverable_vat: None,
        transaction: "T1".into(),
        service: service.into(),
        expense_type: expense_type.into(),
        expense_code: code.into(),
        description: String::new(),
        supplier_id: String::new(),
        invoice_number: String::new(),
        merchant_category: String::new(),
    }
}

fn code(c: &str, service: &str, subjective: &str) -> ExpenseCode {
    ExpenseCode {
        expense_code: c.into(),
        service: service.into(),
        subjective: subjective.into(),
    }
}

#[test]
fn a_line_takes_the_mapped_account_or_its_own_names_tidied() {
    let map = ExpenseCodes::new(&[
        code("321311", "Adult social care", "Equipment"),
        code("NA", "", "Not classified"),
    ])
    .unwrap();
    let equipment = line(
        "2025-04-03",
        "LIFT REPAIRS",
        "SOCIAL CARE : Equipment",
        "321311",
        "10",
    );
    assert_eq!(
        map.account_for(&equipment).to_string(),
        "expenditure:Adult social care:Equipment"
    );
    let na = line(
        "2025-04-03",
        "Capital  Schemes ",
        "Not Classified",
        " NA ",
        "10",
    );
    assert_eq!(
        map.account_for(&na).to_string(),
        "expenditure:Capital Schemes:Not classified"
    );
    let own = line(
        "2025-04-03",
        "Highways",
        "SOCIAL CARE : Equipment",
        "999",
        "10",
    );
    assert_eq!(
        ExpenseCodes::default().account_for(&own).to_string(),
        "expenditure:Highways:SOCIAL CARE / Equipment"
    );
    let bare = line("2025-04-03", " ", "", "", "10");
    assert_eq!(
        ExpenseCodes::default().account_for(&bare).to_string(),
        "expenditure:Unspecified service:Unspecified"
    );
    let code_only = line("2025-04-03", "Highways", "", "4100", "10");
    assert_eq!(
        ExpenseCodes::default().account_for(&code_only).to_string(),
        "expenditure:Highways:4100"
    );
}

#[test]
fn a_mapping_refuses_blank_and_repeated_codes_naming_the_row() {
    assert_eq!(
        ExpenseCodes::new(&[code("1", "A", "B"), code(" ", "A", "B")]).unwrap_err(),
        MappingError::BlankCode { row: 2 }
    );
    assert_eq!(
        ExpenseCodes::new(&[code("1", "A", " ")]).unwrap_err(),
        MappingError::BlankSubjective {
            row: 1,
            code: "1".into()
        }
    );
    let e = ExpenseCodes::new(&[
        code("1", "A", "B"),
        code("2", "A", "B"),
        code("1", "C", "D"),
    ])
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "row 3: expense code `1` is mapped already, on row 1"
    );
}

#[test]
fn lines_summarise_by_month_and_account_with_the_last_day_and_exact_net() {
    let lines = vec![
        line("2025-04-03", "Roads", "Repairs", "", "100.10"),
        line("2025-04-28", "Roads", "Repairs", "", "-20.05"),
        line("2025-04-10", "Parks", "Repairs", "", "5.00"),
        line("2025-05-01", "Roads", "Repairs", "", "7.77"),
        line("2025-04-15", "Roads", "Repairs", "", "0.01"),
    ];
    let assigned = ExpenseCodes::default().assign(&lines);
    assert_eq!(assigned.accounts.len(), 2);
    assert_eq!(assigned.code_of(2), "expenditure:Parks:Repairs");
    let s = summarise(&lines, &assigned).unwrap();
    let got: Vec<_> = s
        .iter()
        .map(|s| {
            (
                s.month.as_str(),
                s.account.to_string(),
                s.date.to_string(),
                s.net.to_string(),
                s.lines,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "2025-04",
                "expenditure:Parks:Repairs".into(),
                "2025-04-10".into(),
                "5.00".into(),
                1
            ),
            (
                "2025-04",
                "expenditure:Roads:Repairs".into(),
                "2025-04-28".into(),
                "80.06".into(),
                3
            ),
            (
                "2025-05",
                "expenditure:Roads:Repairs".into(),
                "2025-05-01".into(),
                "7.77".into(),
                1
            ),
        ]
    );
}

#[test]
fn a_summary_posts_through_creditors_to_the_bank_and_a_net_refund_the_other_way() {
    let s = Summary {
        month: "2025-04".into(),
        account: Account::expenditure("Roads", "Repairs"),
        date: "2025-04-28".parse().unwrap(),
        net: "80.06".parse().unwrap(),
        lines: 3,
    };
    let j = journal(12, "spend.csv", &s).unwrap().unwrap();
    assert_eq!(j.key, "spend:12:2025-04:expenditure:Roads:Repairs");
    assert_eq!(j.description, "Spend 2025-04, spend.csv: 3 lines");
    let sides: Vec<_> = j
        .postings()
        .iter()
        .map(|p| {
            (
                p.account.to_string(),
                p.side,
                p.amount.to_string(),
                p.source.reference.as_str(),
            )
        })
        .collect();
    assert_eq!(
        sides,
        vec![
            (
                "expenditure:Roads:Repairs".into(),
                Side::Debit,
                "80.06".into(),
                "12/2025-04"
            ),
            (
                "creditors".into(),
                Side::Credit,
                "80.06".into(),
                "12/2025-04"
            ),
            (
                "creditors".into(),
                Side::Debit,
                "80.06".into(),
                "12/2025-04"
            ),
            ("bank".into(), Side::Credit, "80.06".into(), "12/2025-04"),
        ]
    );
    let refund = Summary {
        net: "-3.50".parse().unwrap(),
        lines: 1,
        ..s.clone()
    };
    let j = journal(12, "spend.csv", &refund).unwrap().unwrap();
    assert_eq!(j.description, "Spend 2025-04, spend.csv: 1 line");
    assert_eq!(j.postings()[0].side, Side::Credit);
    assert_eq!(j.postings()[3].account, Account::Bank);
    assert_eq!(j.postings()[3].side, Side::Debit);
    let nil = Summary {
        net: Money::ZERO,
        ..s
    };
    assert_eq!(journal(12, "spend.csv", &nil).unwrap(), None);
    assert_eq!(parse_source("12/2025-04"), Some((12, "2025-04")));
    assert_eq!(parse_source("x/2025-04"), None);
}

#[test]
fn the_summariser_charges_and_summarises_line_by_line_as_assign_and_summarise_do() {
    let codes =
        ExpenseCodes::new(&[code("E1", "", "Agency staff"), code("E2", "Roads", "Fuel")]).unwrap();
    let lines = vec![
        line("2025-04-03", "Roads", "Repairs", "", "100.10"),
        line("2025-04-28", "Roads ", "Repairs", "", "-20.05"),
        line("2025-04-10", "Parks", "Staff", "E1", "5.00"),
        line("2025-05-01", "Parks", "Diesel", "E2", "7.77"),
        line("2025-05-15", "SOCIAL CARE : Equipment", "", "X9", "0.01"),
        line("2025-04-15", "Roads", "Repairs", "", "0.01"),
    ];
    let assigned = codes.assign(&lines);
    let mut s = Summariser::new(&codes);
    let mut charged: Vec<String> = s.add(&lines[..2]).into_iter().map(str::to_owned).collect();
    charged.extend(s.add(&lines[2..]).into_iter().map(str::to_owned));
    let expected: Vec<String> = (0..lines.len())
        .map(|i| assigned.code_of(i).to_owned())
        .collect();
    assert_eq!(charged, expected);
    assert_eq!(charged[1], "expenditure:Roads:Repairs");
    assert_eq!(charged[3], "expenditure:Roads:Fuel");
    assert_eq!(charged[4], "expenditure:SOCIAL CARE / Equipment:X9");
    assert_eq!(s.finish(), summarise(&lines, &assigned));
}

#[test]
fn a_month_whose_total_overflows_is_refused_by_the_summariser() {
    let codes = ExpenseCodes::default();
    let mut big = line("2025-04-03", "Roads", "Repairs", "", "0.01");
    big.amount = Money::MAX;
    let mut s = Summariser::new(&codes);
    s.add(&[big.clone(), big]);
    assert_eq!(s.finish(), None);
}
