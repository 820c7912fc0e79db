//! The payments made under a council's register, as the payment performance returns read
//! them: only that council's, only those paid within the days asked, each with its
//! contract's regime, supplier and the day its procurement commenced.

use super::fixtures::{contract, council, joint_tender, provider};
use chrono::{NaiveDate, TimeZone, Utc};
use ngc_domain::money::Money;
use ngc_domain::procurement::Regime;
use ngc_store::contracts::NewPayment;
use ngc_store::{Actor, store_test};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn paid(
    contract_id: i64,
    reference: &str,
    pence: i64,
    received: &str,
    paid: Option<&str>,
) -> NewPayment {
    NewPayment {
        contract_id,
        amount: Money::pence(pence),
        period: None,
        component: "block",
        invoice_reference: reference.into(),
        invoice_date: d(received),
        valid_invoice_received: d(received),
        invoice_due_on: None,
        paid_on: paid.map(d),
        disputed: false,
    }
}

store_test!(
    async fn a_council_reads_only_the_payments_made_under_its_own_register(store: Store) {
        let a = Actor::system();
        let deadline = Utc.with_ymd_and_hms(2027, 1, 31, 12, 0, 0).unwrap();
        let (tender, _) = joint_tender(&store, deadline).await;
        let northampton = tender.lead_organisation_id;
        let kettering = store
            .create_organisation(&council("kettering", "Kettering"), &a)
            .await
            .unwrap()
            .id;
        let care = store
            .create_organisation(&provider("olympus-care", "Olympus Care", None), &a)
            .await
            .unwrap()
            .id;
        let mut from_tender = contract(
            northampton,
            "NBC-1",
            care,
            Money::pounds(900_000),
            "2027-04-01",
            None,
        );
        from_tender.tender_id = Some(tender.id);
        from_tender.regime = Regime::Pa2023;
        let ours = store.create_contract(&from_tender, &a).await.unwrap();
        let entered = store
            .create_contract(
                &contract(
                    northampton,
                    "NBC-2",
                    care,
                    Money::pounds(50_000),
                    "2016-04-01",
                    None,
                ),
                &a,
            )
            .await
            .unwrap();
        let theirs = store
            .create_contract(
                &contract(
                    kettering,
                    "KBC-1",
                    care,
                    Money::pounds(50_000),
                    "2016-04-01",
                    None,
                ),
                &a,
            )
            .await
            .unwrap();
        let mut ids = Vec::new();
        for p in [
            paid(ours, "A", 4_500_001, "2027-05-01", Some("2027-05-20")),
            paid(entered, "B", 1_000, "2016-04-01", Some("2016-05-01")),
            // Unpaid: not a payment made.
            paid(entered, "C", 2_000, "2016-04-01", None),
            // Paid after the last day asked.
            paid(entered, "D", 3_000, "2016-04-01", Some("2028-01-01")),
            // Another council's.
            paid(theirs, "E", 4_000, "2016-04-01", Some("2016-05-01")),
        ] {
            ids.push(store.record_contract_payment(&p, &a).await.unwrap().id);
        }

        let got = store
            .payments_made_under_register(northampton, d("2016-05-01"), d("2027-12-31"))
            .await
            .unwrap();
        assert_eq!(
            got.iter().map(|p| p.id).collect::<Vec<_>>(),
            [ids[1], ids[0]]
        );
        let b = &got[0];
        assert_eq!(
            (b.regime, b.commenced_on, b.tender_id),
            (Regime::Pcr2015, None, None)
        );
        assert_eq!(b.supplier, "olympus-care");
        assert_eq!(b.contract_reference.as_deref(), Some("NBC-2"));
        let a_ = &got[1];
        assert_eq!(a_.regime, Regime::Pa2023);
        assert_eq!(a_.commenced_on, Some(d("2026-11-14")));
        assert_eq!(a_.tender_id, Some(tender.id));
        assert_eq!(a_.record.amount, Money::pence(4_500_001));
        assert_eq!(a_.record.paid_on, Some(d("2027-05-20")));
        assert_eq!(a_.to_domain().commenced_on, Some(d("2026-11-14")));

        let theirs = store
            .payments_made_under_register(kettering, d("2016-05-01"), d("2027-12-31"))
            .await
            .unwrap();
        assert_eq!(theirs.iter().map(|p| p.id).collect::<Vec<_>>(), [ids[4]]);
    }
);
