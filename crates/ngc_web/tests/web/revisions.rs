//! Nothing entered through the pages is lost on re-import; plan revisions through the pages
//! and the API.

use super::support::{Auth, TestApp, fixture_pack, fixture_plan, seg};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_domain::finance::mtfp::Plan;
use ngc_domain::pack::DataPack;
use ngc_store::audit::Verification;
use ngc_store::{Actor, store_test};
use serde_json::Value;

/// The fixture pack carrying alpha's plan, named `name` (another name, another content hash).
fn pack_with_plan(name: &str) -> DataPack {
    DataPack {
        name: name.into(),
        plans: vec![fixture_plan()],
        plan_dirs: vec!["alpha-mtfp".into()],
        ..fixture_pack()
    }
}

async fn alpha_plan(app: &TestApp) -> Plan {
    app.store
        .plan("alpha", Some(&fixture_plan().name))
        .await
        .unwrap()
        .unwrap()
}

async fn audited(app: &TestApp) -> i64 {
    match app.store.verify_audit().await.unwrap() {
        Verification::Intact(n) => n,
        other => panic!("{other:?}"),
    }
}

store_test!(
    async fn updates_and_assumptions_entered_on_the_pages_survive_a_reimport(store: Store) {
        let app = TestApp::new(store).await;
        // The fixture's plan was stored without a pack: `--replace` adopts it as the pack's.
        app.store
            .load_pack_with(
                &pack_with_plan("first"),
                ngc_store::pack::LoadMode::Replace,
                &Actor::system(),
            )
            .await
            .unwrap();
        let f = app.user_for(Role::Finance).await;
        let auth = || Auth::Session {
            secret: &f.session,
            csrf: &f.csrf,
        };
        let plan = fixture_plan();
        let saving = &plan.savings[0];
        let r = app
            .deliver_on_page(
                &f,
                &saving.reference,
                &[
                    ("year", &plan.first_year.to_string()),
                    ("month", "5"),
                    ("delivered", "2,000.00"),
                    ("rag", "red"),
                    ("note", "entered on the tracker"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let year = plan.plan_years()[1];
        let field = format!("council_tax_increase_pct:{year}");
        let r = app
            .form(
                &format!("/finance/plans/{}/assumptions", seg(&plan.name)),
                auth(),
                &[("csrf", &f.csrf), (&field, "2.99")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let edited = alpha_plan(&app).await;

        // The same pack again writes nothing; a pack changed elsewhere merges around the edits.
        let head = audited(&app).await;
        let same = app
            .store
            .load_pack(&pack_with_plan("first"), &Actor::system())
            .await
            .unwrap();
        assert!(same.same_content);
        assert_eq!(audited(&app).await, head);
        assert_eq!(alpha_plan(&app).await, edited);

        let mut next = pack_with_plan("second");
        next.plans[0].savings[1].title = "Retitled in the pack".into();
        let sum = app.store.load_pack(&next, &Actor::system()).await.unwrap();
        assert_eq!(sum.plans_merged, 1, "{sum:?}");
        let merged = alpha_plan(&app).await;
        assert!(
            merged
                .delivery
                .iter()
                .any(|u| u.month == 5 && u.note == "entered on the tracker"),
            "the delivery update is still there"
        );
        assert_eq!(merged.savings[0].rag, edited.savings[0].rag);
        assert_eq!(
            merged.assumptions_for(year).council_tax_increase_pct,
            "2.99".parse().unwrap()
        );
        assert_eq!(merged.savings[1].title, "Retitled in the pack");
        // And the tracker page shows it.
        let page = app
            .get(
                &format!("/finance/plans/{}/savings", seg(&plan.name)),
                auth(),
            )
            .await;
        assert!(
            page.body.contains("entered on the tracker"),
            "{}",
            page.body
        );
    }
);

store_test!(
    async fn a_finance_officer_reads_and_restores_a_revision_on_the_pages(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let auth = || Auth::Session {
            secret: &f.session,
            csrf: &f.csrf,
        };
        let plan = fixture_plan();
        let year = plan.plan_years()[1];
        let field = format!("council_tax_increase_pct:{year}");
        let r = app
            .form(
                &format!("/finance/plans/{}/assumptions", seg(&plan.name)),
                auth(),
                &[("csrf", &f.csrf), (&field, "7.25")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        let list = app
            .get(
                &format!("/finance/plans/{}/revisions", seg(&plan.name)),
                auth(),
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("assumptions edit"), "{}", list.body);
        assert!(list.body.contains(&f.user.email), "{}", list.body);
        assert!(list.body.contains("Restore revision 1"), "{}", list.body);

        let one = app
            .get(
                &format!("/finance/plans/{}/revisions/1", seg(&plan.name)),
                auth(),
            )
            .await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.body);
        let original = plan.assumptions_for(year).council_tax_increase_pct;
        assert!(one.body.contains(&format!("{original}%")), "{}", one.body);
        assert!(!one.body.contains("7.25%"), "{}", one.body);

        // Without the CSRF token nothing is restored.
        let head = audited(&app).await;
        let forged = app
            .form(
                &format!("/finance/plans/{}/revisions/1/restore", seg(&plan.name)),
                auth(),
                &[],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(audited(&app).await, head);

        let r = app
            .form(
                &format!("/finance/plans/{}/revisions/1/restore", seg(&plan.name)),
                auth(),
                &[("csrf", &f.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(alpha_plan(&app).await, plan);
        assert_eq!(audited(&app).await, head + 1);
        let summary = &app.store.list_plans("alpha").await.unwrap()[0];
        assert_eq!(summary.revision, 3);
    }
);

store_test!(
    async fn the_api_lists_reads_and_restores_revisions(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let plan = fixture_plan();
        let mut changed = plan.clone();
        changed.savings[0].title = "Changed".into();
        app.store
            .save_plan(
                &changed,
                ngc_store::plans::RevisionReason::AssumptionsEdit,
                &Actor::system(),
            )
            .await
            .unwrap();
        let base = format!(
            "/api/v1/organisations/alpha/plans/{}/revisions",
            seg(&plan.name)
        );

        let list = app.get(&base, Auth::Bearer(&f.token)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let list: Value = serde_json::from_str(&list.body).unwrap();
        let numbers: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, [2, 1]);
        assert_eq!(list[0]["reason"], "assumptions_edit");
        assert_eq!(list[1]["reason"], "import");
        // The plan list names the current revision.
        let plans = app
            .get("/api/v1/organisations/alpha/plans", Auth::Bearer(&f.token))
            .await;
        let plans: Value = serde_json::from_str(&plans.body).unwrap();
        assert_eq!(plans[0]["name"], plan.name.as_str());
        assert_eq!(plans[0]["revision"], 2);

        let one = app.get(&format!("{base}/1"), Auth::Bearer(&f.token)).await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.body);
        let one: Value = serde_json::from_str(&one.body).unwrap();
        assert_eq!(one["revision"]["number"], 1);
        let content: Plan = serde_json::from_value(one["plan"].clone()).unwrap();
        assert_eq!(content, plan);

        let missing = app.get(&format!("{base}/9"), Auth::Bearer(&f.token)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        // Another council's finance officer may not restore: nothing changes.
        let other = app.user("finance@beta.test", "beta", Role::Finance).await;
        let head = audited(&app).await;
        let refused = app
            .json(
                Method::POST,
                &format!("{base}/1/restore"),
                Auth::Bearer(&other.token),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(audited(&app).await, head);
        assert_eq!(alpha_plan(&app).await, changed);

        let restored = app
            .json(
                Method::POST,
                &format!("{base}/1/restore"),
                Auth::Bearer(&f.token),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
        let body: Value = serde_json::from_str(&restored.body).unwrap();
        assert_eq!(body, serde_json::json!({"restored": 1, "revision": 3}));
        assert_eq!(alpha_plan(&app).await, plan);

        let again = app
            .json(
                Method::POST,
                &format!("{base}/1/restore"),
                Auth::Bearer(&f.token),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    }
);
