//! The ledger through the API and the page: a payment made under a contract posts Dr
//! expenditure / Cr bank in the council's ledger, an invoice not yet paid posts nothing, and
//! a refused payment leaves the ledger as it was; a journal posted through the API appears
//! in the trial balance, its key posted again changes nothing, and with different content
//! or unbalanced it is refused with nothing written; the page shows the trial balance and
//! the finance area links to it.

use super::contract_payments::{fixture, invoice};
use super::support::{bearer, session};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::store_test;
use serde_json::{Value, json};

fn accounts(tb: &Value) -> Vec<(String, String, String)> {
    tb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["account"].as_str().unwrap().to_owned(),
                l["debit"].as_str().unwrap().to_owned(),
                l["credit"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn line(a: &str, d: &str, c: &str) -> (String, String, String) {
    (a.into(), d.into(), c.into())
}

store_test!(
    async fn a_payment_made_posts_expenditure_against_bank_unpaid_nothing(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.set_terms(f.contract).await;
        let tb_path = "/api/v1/organisations/alpha/ledger/trial-balance?at=2016-12-31";
        let paid = f.pay(&f.finance, invoice("2016-05-02", "2016-06-01")).await;
        assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.body);
        let tb = f.app.get(tb_path, bearer(&f.finance)).await.json();
        assert_eq!(
            accounts(&tb),
            [
                line(
                    "expenditure:Unallocated:Third party payments",
                    "50000.00",
                    "0.00"
                ),
                line("bank", "0.00", "50000.00"),
            ]
        );
        assert_eq!(tb["total_debit"], "50000.00");
        assert_eq!(tb["total_credit"], "50000.00");
        // The journal is dated the day paid.
        let before = f
            .app
            .get(
                "/api/v1/organisations/alpha/ledger/trial-balance?at=2016-05-31",
                bearer(&f.finance),
            )
            .await
            .json();
        assert_eq!(before["accounts"], json!([]));
        // An invoice received and not yet paid posts nothing.
        let mut unpaid = invoice("2016-05-02", "");
        unpaid["paid_on"] = Value::Null;
        let r = f.pay(&f.finance, unpaid).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // A refused payment posts nothing either.
        let mut bad = invoice("2016-05-02", "2016-06-01");
        bad["amount"] = json!("-5.00");
        let r = f.pay(&f.finance, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let after = f.app.get(tb_path, bearer(&f.finance)).await.json();
        assert_eq!(after, tb);
        // The commissioner records payments but does not read the ledger.
        let r = f.app.get(tb_path, bearer(&f.commissioner)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
);

fn journal(key: &str, amount: &str, credit: &str) -> Value {
    json!({
        "idempotency_key": key, "date": "2016-05-31", "description": "Accrual",
        "postings": [
            {"account": "expenditure:Highways:Employees", "debit": amount, "source": "manual",
             "reference": "memo 4"},
            {"account": "creditors", "credit": credit, "source": "manual", "reference": "memo 4"}
        ]
    })
}

store_test!(
    async fn a_journal_posts_once_and_a_reused_or_unbalanced_one_writes_nothing(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        let path = "/api/v1/organisations/alpha/ledger/journals";
        let r = f
            .app
            .json(
                Method::POST,
                path,
                bearer(&f.finance),
                journal("acc-1", "120.50", "120.50"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let first = r.json();
        assert_eq!(first["created"], true);
        assert_eq!(first["postings"][0]["side"], "debit");
        assert_eq!(first["postings"][1]["amount"], "120.50");
        let head = f.app.store.audit_head().await.unwrap();
        let again = f
            .app
            .json(
                Method::POST,
                path,
                bearer(&f.finance),
                journal("acc-1", "120.50", "120.50"),
            )
            .await
            .json();
        assert_eq!(again["created"], false);
        assert_eq!(again["id"], first["id"]);
        assert_eq!(f.app.store.audit_head().await.unwrap(), head);
        let r = f
            .app
            .json(
                Method::POST,
                path,
                bearer(&f.finance),
                journal("acc-1", "120.51", "120.51"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("`acc-1`"), "{}", r.body);
        let r = f
            .app
            .json(
                Method::POST,
                path,
                bearer(&f.finance),
                journal("acc-2", "120.50", "120.49"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "postings");
        assert!(
            r.body.contains("journal `acc-2` does not balance"),
            "{}",
            r.body
        );
        let mut bad = journal("acc-3", "1.00", "1.00");
        bad["postings"][1]["account"] = json!("creditors:Trade");
        let r = f
            .app
            .json(Method::POST, path, bearer(&f.finance), bad)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "postings[2].account");
        assert_eq!(f.app.store.audit_head().await.unwrap(), head);
        let tb = f
            .app
            .get(
                "/api/v1/organisations/alpha/ledger/trial-balance?at=2016-05-31",
                bearer(&f.finance),
            )
            .await
            .json();
        assert_eq!(
            accounts(&tb),
            [
                line("expenditure:Highways:Employees", "120.50", "0.00"),
                line("creditors", "0.00", "120.50"),
            ]
        );
        let r = f
            .app
            .get(
                "/api/v1/organisations/alpha/ledger/trial-balance?at=2016-02-30",
                bearer(&f.finance),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "at");
    }
);

store_test!(
    async fn the_ledger_page_shows_the_trial_balance_linked_from_finance(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        f.app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/ledger/journals",
                bearer(&f.finance),
                journal("acc-1", "120.50", "120.50"),
            )
            .await;
        let finance = f.app.get("/finance", session(&f.finance)).await;
        assert!(
            finance
                .body
                .contains(r#"href="/organisations/alpha/ledger" id="ledger-link""#),
            "{}",
            finance.body
        );
        let page = f
            .app
            .get(
                "/organisations/alpha/ledger?at=2016-06-30",
                session(&f.finance),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains("Trial balance at 2016-06-30"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("expenditure:Highways:Employees"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(r#"<td class="num" id="total-debit">£120.50</td>"#),
            "{}",
            page.body
        );
        assert!(page.body.contains("2016-05"), "{}", page.body);
        // A commissioner is not shown the link.
        let commissioner = f.app.user_for(Role::Commissioner).await;
        let finance = f.app.get("/finance", session(&commissioner)).await;
        assert!(!finance.body.contains("ledger-link"), "{}", finance.body);
    }
);

store_test!(
    async fn a_journal_is_read_and_reversed_once_and_a_reversal_is_not_reversed(store: Store) {
        let f = fixture(store, "2016-12-15").await;
        let posted = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/ledger/journals",
                bearer(&f.finance),
                journal("acc-9", "75.25", "75.25"),
            )
            .await
            .json();
        let id = posted["id"].as_i64().unwrap();
        let read = f
            .app
            .get(
                &format!("/api/v1/organisations/alpha/ledger/journals/{id}"),
                bearer(&f.finance),
            )
            .await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        let read = read.json();
        assert_eq!(read["postings"], posted["postings"]);
        assert_eq!(read["created"], false);

        let reverse = async |of: i64, key: &str| {
            f.app
                .json(
                    Method::POST,
                    &format!("/api/v1/organisations/alpha/ledger/journals/{of}/reversal"),
                    bearer(&f.finance),
                    json!({"idempotency_key": key, "date": "2016-06-30",
                       "description": "Accrual not needed"}),
                )
                .await
        };
        let r = reverse(id, "rev-9").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let reversal = r.json();
        assert_eq!(reversal["reverses"], id);
        assert_eq!(reversal["postings"][0]["side"], "credit");
        assert_eq!(
            reversal["postings"][0]["account"],
            "expenditure:Highways:Employees"
        );
        // The balances are restored after the reversal's date, and stand before it.
        let tb = async |at: &str| {
            f.app
                .get(
                    &format!("/api/v1/organisations/alpha/ledger/trial-balance?at={at}"),
                    bearer(&f.finance),
                )
                .await
        };
        assert!(accounts(&tb("2016-06-30").await.json()).is_empty());
        assert_eq!(
            accounts(&tb("2016-06-29").await.json()),
            [
                line("expenditure:Highways:Employees", "75.25", "0.00"),
                line("creditors", "0.00", "75.25")
            ]
        );
        // A second reversal, and a reversal of the reversal, are refused with nothing written.
        let head = f.app.store.audit_head().await.unwrap();
        let again = reverse(id, "rev-9b").await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        let rid = reversal["id"].as_i64().unwrap();
        let of_reversal = reverse(rid, "rev-rev").await;
        assert_eq!(
            of_reversal.status,
            StatusCode::CONFLICT,
            "{}",
            of_reversal.body
        );
        assert_eq!(f.app.store.audit_head().await.unwrap(), head);
        // A partner of another council reads none of it.
        let outsider = f.app.user("p@beta.test", "beta", Role::Finance).await;
        let r = f
            .app
            .get(
                &format!("/api/v1/organisations/alpha/ledger/journals/{id}"),
                bearer(&outsider),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

/// A spend file of alpha's: two April lines on one account, one in May.
fn spend_file() -> ngc_io::spend::SpendSource {
    ngc_io::spend::from_bytes(
        std::path::Path::new("alpha-2016.csv"),
        b"Service,Supplier Name,Payment Date,Transaction Number,Net Amount,Expense Type,Expense Code
Highways,Tarmac Ltd,05/04/2016,T2,1200.00,Repairs,4100
Highways,Tarmac Ltd,09/05/2016,T3,700.00,Repairs,4100
Highways,Kerbs plc,21/04/2016,T4,550.25,Repairs,4100
"
        .to_vec(),
    )
}

store_test!(
    async fn spend_journals_drill_down_to_their_lines_and_reverse_once(store: Store) {
        use ngc_domain::spend::journals::{ExpenseCode, ExpenseCodes};
        let f = fixture(store, "2016-12-15").await;
        let codes = ExpenseCodes::new(&[ExpenseCode {
            expense_code: "4100".into(),
            service: "Highways and transport".into(),
            subjective: "Repairs and maintenance".into(),
        }])
        .unwrap();
        let imported = ngc_app::spend::import(
            &f.app.store,
            &ngc_app::Caller::System,
            "alpha",
            spend_file(),
            None,
            &codes,
            None,
        )
        .await
        .unwrap();
        assert_eq!(imported.journals, 2);
        let account = "expenditure:Highways and transport:Repairs and maintenance";
        let key = format!("spend:{}:2016-04:{account}", imported.import.id);
        let org = f
            .app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap();
        let april = f
            .app
            .store
            .ledger_journal_by_key(org.id, &key)
            .await
            .unwrap()
            .unwrap()
            .id;
        // The API returns the lines behind April's journal, in file order.
        let path = format!("/api/v1/organisations/alpha/ledger/journals/{april}/spend-lines");
        let r = f.app.get(&path, bearer(&f.finance)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(
            (&v["file_name"], &v["month"], &v["account"], &v["total"]),
            (
                &json!("alpha-2016.csv"),
                &json!("2016-04"),
                &json!(account),
                &json!(2)
            )
        );
        let lines: Vec<_> = v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["line"].as_i64().unwrap(),
                    l["supplier"].as_str().unwrap(),
                    l["amount"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [(2, "Tarmac Ltd", "1200.00"), (4, "Kerbs plc", "550.25")]
        );
        let r = f
            .app
            .get(&format!("{path}?limit=1"), bearer(&f.finance))
            .await;
        assert_eq!(
            (
                r.json()["total"].clone(),
                r.json()["lines"].as_array().unwrap().len()
            ),
            (json!(2), 1)
        );
        // A journal that does not come from spend has no lines behind it.
        let manual = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/ledger/journals",
                bearer(&f.finance),
                journal("acc-spend", "10.00", "10.00"),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let r = f
            .app
            .get(
                &format!("/api/v1/organisations/alpha/ledger/journals/{manual}/spend-lines"),
                bearer(&f.finance),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // The ledger page lists the journal; its page shows the postings and the lines.
        let ledger = f
            .app
            .get(
                "/organisations/alpha/ledger?at=2016-12-31",
                session(&f.finance),
            )
            .await;
        assert!(
            ledger.body.contains(&format!(
                r#"<a href="/organisations/alpha/ledger/journals/{april}">{april}</a>"#
            )),
            "{}",
            ledger.body
        );
        assert!(
            ledger
                .body
                .contains("Spend 2016-04, alpha-2016.csv: 2 lines"),
            "{}",
            ledger.body
        );
        let page_path = format!("/organisations/alpha/ledger/journals/{april}");
        let page = f.app.get(&page_path, session(&f.finance)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("2 lines of import"), "{}", page.body);
        assert!(page.body.contains("<td>Kerbs plc</td>"), "{}", page.body);
        assert!(page.body.contains("£550.25"), "{}", page.body);
        // Reversing from the page posts the reversal and shows it.
        let tb_path = "/api/v1/organisations/alpha/ledger/trial-balance?at=2016-12-31";
        let before = f.app.get(tb_path, bearer(&f.finance)).await.json();
        let form = [
            ("csrf", f.finance.csrf.as_str()),
            ("date", "2016-04-30"),
            ("description", "Posted to the wrong service"),
        ];
        let r = f
            .app
            .form(&format!("{page_path}/reversal"), session(&f.finance), &form)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let reversal_page = r.location().unwrap().to_owned();
        let shown = f.app.get(&reversal_page, session(&f.finance)).await;
        assert!(
            shown.body.contains(&format!(
                r#"<dd id="reverses"><a href="{page_path}">journal {april}</a></dd>"#
            )),
            "{}",
            shown.body
        );
        // The reversal's page still shows the lines behind it, and offers no reversal.
        assert!(shown.body.contains("<td>Kerbs plc</td>"), "{}", shown.body);
        assert!(!shown.body.contains("Reverse journal"), "{}", shown.body);
        let after = f.app.get(tb_path, bearer(&f.finance)).await.json();
        let nets: Vec<_> = accounts(&after)
            .into_iter()
            .filter(|l| l.0 == account)
            .collect();
        assert_eq!(nets, [line(account, "700.00", "0.00")]);
        assert_ne!(after, before);
        // A second reversal is refused on the page and changes nothing.
        let head = f.app.store.audit_head().await.unwrap();
        let r = f
            .app
            .form(&format!("{page_path}/reversal"), session(&f.finance), &form)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location().unwrap(), reversal_page);
        let r = f
            .app
            .form(
                &format!("{reversal_page}/reversal"),
                session(&f.finance),
                &form,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("a reversal is not reversed"), "{}", r.body);
        assert_eq!(f.app.store.audit_head().await.unwrap(), head);
        assert_eq!(f.app.get(tb_path, bearer(&f.finance)).await.json(), after);
    }
);
