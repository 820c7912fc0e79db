use ngc_domain::finance::referendum::AuthorityClass;
use ngc_domain::finance::resilience::{AuthorityYear, Record};
use ngc_domain::money::Money;
use ngc_store::audit::Verification;
use ngc_store::{Actor, store_test};

fn record(code: &str, year: &str, nre: i64) -> Record {
    Record {
        code: code.into(),
        name: format!("Authority {code}"),
        class: AuthorityClass::ShireCounty,
        year: AuthorityYear {
            year: year.parse().unwrap(),
            net_revenue_expenditure: Money::pounds(nre),
            earmarked_reserves: Money::pounds(40),
            unallocated_reserves: Money::pounds(10),
            council_tax_requirement: Money::pounds(200),
            social_care_spend: Money::pounds(250),
            government_grant: Money::pounds(50),
        },
    }
}

store_test!(
    async fn returns_are_stored_and_replaced_year_by_year(store: Store) {
        let first = [
            record("E1", "2015-16", 400),
            record("E1", "2016-17", 410),
            record("E2", "2015-16", 300),
        ];
        assert_eq!(
            store
                .import_authority_years(&first, "a.xlsx", &Actor::system())
                .await
                .unwrap(),
            3
        );
        let again = [record("E1", "2016-17", 420)];
        store
            .import_authority_years(&again, "b.xlsx", &Actor::system())
            .await
            .unwrap();
        let all = store.authority_records().await.unwrap();
        assert_eq!(all.len(), 3);
        let e1_1617 = all
            .iter()
            .find(|r| r.code == "E1" && r.year.year.to_string() == "2016-17")
            .unwrap();
        assert_eq!(e1_1617.year.net_revenue_expenditure, Money::pounds(420));
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Verification::Intact(2),
            "one audit record per import"
        );
    }
);
