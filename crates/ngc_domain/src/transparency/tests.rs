use super::*;
use crate::money::Money;
use crate::spend::{PaidOn, SpendLine};
use std::borrow::Cow;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn publisher() -> Publisher {
    Publisher {
        name: "Northamptonshire County Council".into(),
        uri: String::new(),
        org_id: "GB-LAE-NTH".into(),
    }
}

fn line() -> SpendLine {
    SpendLine {
        member: String::new(),
        line: 2,
        paid_on: PaidOn::Day(day("2016-02-09")),
        supplier: "Acme Care Ltd".into(),
        redacted: false,
        amount: Money::pence(123_456),
        gross: None,
        vat: None,
        irrecoverable_vat: None,
        transaction: "T1".into(),
        service: "Adult Social Care".into(),
        expense_type: "Residential Care".into(),
        expense_code: "5100".into(),
        description: String::new(),
        supplier_id: "S9".into(),
        invoice_number: "INV-1".into(),
        merchant_category: String::new(),
    }
}

#[test]
fn every_dataset_has_columns_and_each_row_has_as_many_fields() {
    let p = publisher();
    let mut r = Redactions::default();
    let l = line();
    assert_eq!(
        spend_fields(&p, &l, false, &mut r).len(),
        columns(Dataset::Spend).count()
    );
    assert_eq!(
        spend_fields(&p, &l, true, &mut r).len(),
        columns(Dataset::Card).count()
    );
    let g = grant();
    assert_eq!(grant_fields(&p, &g).len(), columns(Dataset::Grants).count());
    let titles: Vec<_> = columns(Dataset::Spend).map(|c| c.title.as_str()).collect();
    assert_eq!(
        &titles[..5],
        [
            "OrganisationLabel",
            "OrganisationURI",
            "EffectiveDate",
            "OrganisationalUnit",
            "BeneficiaryName"
        ]
    );
    assert!(columns(Dataset::Spend).all(|c| !c.confirmed && !c.source.is_empty()));
}

#[test]
fn a_spend_row_has_iso_dates_the_month_end_and_two_decimal_places() {
    let p = publisher();
    let mut r = Redactions::default();
    let l = line();
    let out = spend_fields(&p, &l, false, &mut r);
    let row: Vec<&str> = out.iter().map(Cow::as_ref).collect();
    assert_eq!(
        row,
        [
            "Northamptonshire County Council",
            "",
            "2016-02-29",
            "Adult Social Care",
            "Acme Care Ltd",
            "S9",
            "2016-02-09",
            "T1",
            "1234.56",
            "0.00",
            "Residential Care",
            "Residential Care",
            "5100",
            "INV-1"
        ]
    );
    assert_eq!(r.total(), 0);
}

#[test]
fn payments_to_individuals_are_redacted_by_rule_and_counted() {
    let p = publisher();
    let mut r = Redactions::default();
    let mut l = line();
    l.supplier = "Jane Smith".into();
    l.expense_type = "Direct Payments - Adults".into();
    assert_eq!(spend_fields(&p, &l, false, &mut r)[4], REDACTED);
    l.expense_type = "FOSTERING ALLOWANCES".into();
    assert_eq!(spend_fields(&p, &l, false, &mut r)[4], REDACTED);
    let mut source = line();
    source.redacted = true;
    assert_eq!(spend_fields(&p, &source, false, &mut r)[4], REDACTED);
    assert_eq!(r.at_source, 1);
    assert_eq!(
        r.by_rule,
        [
            ("direct-payments".to_owned(), 1),
            ("fostering".to_owned(), 1)
        ]
    );
    assert_eq!(r.total(), 3);
    assert!(redaction_rules().iter().all(|r| !r.confirmed));
}

fn grant() -> Grant {
    Grant {
        identifier: "360G-nth-VCS1".into(),
        title: "Community transport".into(),
        description: "Minibus runs".into(),
        amount_awarded: Money::pence(1_000_050),
        amount_disbursed: Some(Money::pence(500_000)),
        award_date: day("2015-06-01"),
        start_on: Some(day("2015-07-01")),
        end_on: None,
        recipient: Recipient {
            identifier: "GB-CHC-1000001".into(),
            name: "Kettering Community Transport".into(),
            charity_number: "1000001".into(),
            company_number: String::new(),
        },
        department: "Communities".into(),
        programme_code: "VCS".into(),
        programme_title: "Voluntary sector grants".into(),
    }
}

#[test]
fn grants_are_360giving_json_with_org_ids_and_amounts_in_pounds() {
    let v = three_sixty_giving(&publisher(), &[grant()]);
    assert_eq!(
        v,
        serde_json::json!({"grants": [{
            "id": "360G-nth-VCS1",
            "title": "Community transport",
            "description": "Minibus runs",
            "currency": "GBP",
            "amountAwarded": 10000.5,
            "amountDisbursed": 5000.0,
            "awardDate": "2015-06-01",
            "plannedDates": [{"startDate": "2015-07-01"}],
            "recipientOrganization": [{"id": "GB-CHC-1000001", "name": "Kettering Community Transport", "charityNumber": "1000001"}],
            "fundingOrganization": [{"id": "GB-LAE-NTH", "name": "Northamptonshire County Council", "department": "Communities"}],
            "grantProgramme": [{"code": "VCS", "title": "Voluntary sector grants"}]
        }]})
    );
}

#[test]
fn the_csvw_metadata_names_every_column_in_order() {
    let m = metadata(
        Dataset::Card,
        "Darlington Borough Council",
        "card_2015-16.csv",
    );
    assert_eq!(m["@context"], "http://www.w3.org/ns/csvw");
    assert_eq!(m["url"], "card_2015-16.csv");
    let titles: Vec<_> = m["tableSchema"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["titles"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<_> = columns(Dataset::Card).map(|c| c.title.clone()).collect();
    assert_eq!(titles, expected);
    assert_eq!(titles.last().unwrap(), "MerchantCategoryCode");
}

#[test]
fn periods_are_financial_years_or_named_by_their_days() {
    let y = Period::financial_year_of(day("2016-02-09"));
    assert_eq!((y.from, y.to), (day("2015-04-01"), day("2016-03-31")));
    assert_eq!(y.label(), "2015-16");
    let q = Period {
        from: day("2015-04-01"),
        to: day("2015-06-30"),
    };
    assert_eq!(q.file_part(), "2015-04-01_2015-06-30");
    assert_eq!(month_end(day("2015-12-03")), day("2015-12-31"));
    let today = day("2026-11-28");
    let asked = |f: Option<&str>, t: Option<&str>| {
        let p = Period::asked(f.map(day), t.map(day), today);
        (p.from.to_string(), p.to.to_string())
    };
    assert_eq!(
        asked(None, None),
        ("2026-04-01".into(), "2027-03-31".into())
    );
    assert_eq!(
        asked(Some("2015-06-01"), None),
        ("2015-06-01".into(), "2016-03-31".into())
    );
    assert_eq!(
        asked(None, Some("2016-01-31")),
        ("2015-04-01".into(), "2016-01-31".into())
    );
    assert_eq!(
        asked(Some("2015-06-01"), Some("2015-06-30")),
        ("2015-06-01".into(), "2015-06-30".into())
    );
}
