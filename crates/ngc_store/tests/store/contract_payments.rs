//! Contract payments: terms versions kept, one claim per period checked under the write lock
//! (a refused claim writes nothing), payments kept a row each, every write audited.

use super::fixtures::{contract, council, provider};
use chrono::NaiveDate;
use ngc_domain::contracts::payment::{
    Component, Instalment, OutcomeMetric, PaymentTerms, PeriodReturn, check_claim,
};
use ngc_domain::contracts::{Frequency, Period};
use ngc_domain::money::Money;
use ngc_store::contracts::NewPayment;
use ngc_store::{Actor, Store, StoreError, store_test};
use std::collections::BTreeMap;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn gbp(s: &str) -> Money {
    s.parse().unwrap()
}

/// A county's contract with a provider, from April 2016 for three years.
async fn a_contract(store: &Store) -> i64 {
    let a = Actor::system();
    let county = store
        .create_organisation(&council("northamptonshire", "Northamptonshire"), &a)
        .await
        .unwrap()
        .id;
    let care = store
        .create_organisation(&provider("olympus-care", "Olympus Care", None), &a)
        .await
        .unwrap()
        .id;
    let new = contract(
        county,
        "NCC-1",
        care,
        Money::pounds(900_000),
        "2016-04-01",
        Some("2019-03-31"),
    );
    store.create_contract(&new, &a).await.unwrap()
}

/// A block payment with a quarterly part paid by results, capped at £30,000 a quarter.
fn terms() -> PaymentTerms {
    PaymentTerms {
        components: vec![
            Component::Block {
                schedule: vec![Instalment {
                    due_on: d("2016-04-30"),
                    amount: gbp("50000"),
                }],
            },
            Component::PaymentByResults {
                frequency: Frequency::Quarterly,
                metrics: vec![OutcomeMetric {
                    period_cap: Some(gbp("30000")),
                    ..OutcomeMetric::new("SMK-QUIT", "a smoker quits at four weeks", gbp("250"))
                }],
            },
        ],
    }
}

fn quarter(start: &str) -> Period {
    Period::containing(Frequency::Quarterly, d(start))
}

fn quits(period: Period, n: u64) -> PeriodReturn {
    PeriodReturn {
        period,
        units: None,
        outcomes: BTreeMap::from([("SMK-QUIT".to_owned(), n)]),
    }
}

/// The domain's check, as the use case passes it.
fn domain_check(
    claim: &PeriodReturn,
) -> impl FnOnce(&PaymentTerms, &[PeriodReturn]) -> Result<(), StoreError> + '_ {
    move |terms, earlier| {
        check_claim(terms, earlier, claim)
            .map(|_| ())
            .map_err(|e| StoreError::invalid("outcomes.SMK-QUIT", e.to_string()))
    }
}

async fn audit_seq(store: &Store) -> i64 {
    store.audit_head().await.unwrap().0
}

store_test!(
    async fn new_payment_terms_supersede_the_current_version_which_is_kept(store: Store) {
        let id = a_contract(&store).await;
        let a = Actor::system();
        assert_eq!(store.payment_terms(id).await.unwrap(), None);
        let first = store.set_payment_terms(id, &terms(), &a).await.unwrap();
        let mut changed = terms();
        changed.components.truncate(1);
        let second = store.set_payment_terms(id, &changed, &a).await.unwrap();

        let current = store.payment_terms(id).await.unwrap().unwrap();
        assert_eq!(current, second);
        assert_eq!(current.terms, changed);
        let history = store.payment_terms_history(id).await.unwrap();
        assert_eq!(
            history.iter().map(|v| v.id).collect::<Vec<_>>(),
            [first.id, second.id]
        );
        assert_eq!(history[0].terms, terms());
        assert_eq!(history[0].superseded_at, Some(second.set_at));
        assert_eq!(history[1].superseded_at, None);
    }
);

store_test!(
    async fn a_claim_is_kept_with_the_terms_it_was_checked_against(store: Store) {
        let id = a_contract(&store).await;
        let a = Actor::system();
        let t = store.set_payment_terms(id, &terms(), &a).await.unwrap();
        let claim = quits(quarter("2016-04-01"), 12);
        let seq = audit_seq(&store).await;
        let saved = store
            .submit_claim(id, &claim, &a, domain_check(&claim))
            .await
            .unwrap();
        assert_eq!(saved.terms_id, t.id);
        assert_eq!(saved.to_return(), claim);
        assert_eq!(store.contract_claims(id).await.unwrap(), [saved]);
        assert_eq!(audit_seq(&store).await, seq + 1);
    }
);

store_test!(
    async fn a_refused_claim_writes_nothing(store: Store) {
        let id = a_contract(&store).await;
        let a = Actor::system();
        store.set_payment_terms(id, &terms(), &a).await.unwrap();
        // 121 quits at £250 = £30,250: over the £30,000 cap for the quarter.
        let over = quits(quarter("2016-04-01"), 121);
        let seq = audit_seq(&store).await;
        let err = store
            .submit_claim(id, &over, &a, domain_check(&over))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "outcomes.SMK-QUIT: outcome `SMK-QUIT` in 2016-17 Q1: 121 outcomes at £250.00 = \
             £30,250.00 would exceed the period cap of £30,000.00"
        );
        assert!(store.contract_claims(id).await.unwrap().is_empty());
        assert_eq!(audit_seq(&store).await, seq);
    }
);

store_test!(
    async fn a_second_claim_for_the_same_period_is_refused_naming_the_period(store: Store) {
        let id = a_contract(&store).await;
        let a = Actor::system();
        store.set_payment_terms(id, &terms(), &a).await.unwrap();
        let first = quits(quarter("2016-04-01"), 10);
        let saved = store
            .submit_claim(id, &first, &a, domain_check(&first))
            .await
            .unwrap();
        let again = quits(quarter("2016-04-01"), 1);
        let err = store
            .submit_claim(id, &again, &a, |_, _| Ok(()))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "contract {id} already has a claim for the period 2016-04-01 to 2016-06-30 \
                 (claim {}): one claim per period",
                saved.id
            )
        );
        assert_eq!(store.contract_claims(id).await.unwrap().len(), 1);
    }
);

store_test!(
    async fn the_check_sees_the_claims_accepted_before_in_period_order(store: Store) {
        let id = a_contract(&store).await;
        let a = Actor::system();
        store.set_payment_terms(id, &terms(), &a).await.unwrap();
        for start in ["2016-10-01", "2016-04-01"] {
            let c = quits(quarter(start), 1);
            store
                .submit_claim(id, &c, &a, domain_check(&c))
                .await
                .unwrap();
        }
        let mut seen = Vec::new();
        let c = quits(quarter("2016-07-01"), 1);
        store
            .submit_claim(id, &c, &a, |_, earlier| {
                seen = earlier.iter().map(|r| r.period.start).collect();
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(seen, [d("2016-04-01"), d("2016-10-01")]);
    }
);

store_test!(
    async fn a_claim_needs_payment_terms(store: Store) {
        let id = a_contract(&store).await;
        let c = quits(quarter("2016-04-01"), 1);
        let err = store
            .submit_claim(id, &c, &Actor::system(), |_, _| Ok(()))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert!(store.contract_claims(id).await.unwrap().is_empty());
    }
);

store_test!(
    async fn each_payment_is_a_row_of_its_own_read_back_as_recorded(store: Store) {
        let id = a_contract(&store).await;
        let a = Actor::system();
        let paid = NewPayment {
            contract_id: id,
            amount: gbp("50000.00"),
            period: Some(Period::containing(Frequency::Monthly, d("2016-04-30"))),
            component: Component::BLOCK,
            invoice_reference: "INV-001".into(),
            invoice_date: d("2016-04-28"),
            valid_invoice_received: d("2016-04-30"),
            invoice_due_on: None,
            paid_on: Some(d("2016-05-31")),
            disputed: false,
        };
        let unpaid = NewPayment {
            amount: gbp("2500.01"),
            period: None,
            component: Component::PAYMENT_BY_RESULTS,
            invoice_reference: "INV-002".into(),
            invoice_due_on: Some(d("2016-08-15")),
            paid_on: None,
            disputed: true,
            ..paid.clone()
        };
        let seq = audit_seq(&store).await;
        let one = store.record_contract_payment(&paid, &a).await.unwrap();
        let two = store.record_contract_payment(&unpaid, &a).await.unwrap();
        assert_ne!(one.id, two.id);
        assert_eq!(audit_seq(&store).await, seq + 2);
        let listed = store.contract_payments(id).await.unwrap();
        assert_eq!(listed, [one.clone(), two.clone()]);
        assert_eq!(one.record().paid_on, Some(d("2016-05-31")));
        assert_eq!(two.amount.as_pence(), 250_001);
        assert_eq!(two.period, None);
        assert!(two.disputed);
    }
);
