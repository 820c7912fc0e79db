//! The finance pages and API: the plan in the published layout, charts, the tracker.

use super::support::{Auth, TestApp, fixture_plan, seg};
use axum::http::StatusCode;
use ngc_domain::Role;
use ngc_domain::finance::mtfp::report;
use ngc_store::store_test;

store_test!(
    async fn the_plan_page_shows_the_published_layout_with_its_charts(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let plan = fixture_plan();
        let r = report(&plan);
        let page = app
            .get(
                &format!("/finance/plans/{}", seg(&plan.name)),
                Auth::Session {
                    secret: &f.session,
                    csrf: &f.csrf,
                },
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains("Where the gap comes from")
                && page.body.matches("<svg").count() == 2,
            "two charts"
        );
        assert!(
            page.body.contains(&r.totals.pressures.fmt_gbp()),
            "total pressures appear exactly"
        );
        let last = r.rows.last().unwrap();
        assert!(
            page.body.contains(&last.gap.fmt_gbp()),
            "the last year's gap appears exactly"
        );
        assert!(page.body.contains("Council tax and the referendum test"));
        assert!(page.body.contains("Resilience indicators the plan implies"));
    }
);

store_test!(
    async fn the_report_api_gives_money_as_decimal_strings(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let plan = fixture_plan();
        let r = app
            .get(
                &format!(
                    "/api/v1/organisations/alpha/plans/{}/report",
                    seg(&plan.name)
                ),
                Auth::Bearer(&f.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let json = r.json();
        // The whole answer is the domain's report as on the server's date.
        let expected = ngc_domain::finance::mtfp::report_with(
            &plan,
            &ngc_domain::finance::mtfp::ReportOptions::on(app.store.today()),
        );
        assert_eq!(json, serde_json::to_value(&expected).unwrap());
        assert_eq!(
            json["totals"]["pressures"],
            expected.totals.pressures.to_string()
        );
        assert!(json["rows"][0]["gap"].is_string());
        let sim = app
            .get(
                &format!(
                    "/api/v1/organisations/alpha/plans/{}/simulation?trials=200&seed=7",
                    seg(&plan.name)
                ),
                Auth::Bearer(&f.token),
            )
            .await;
        assert_eq!(sim.status, StatusCode::OK, "{}", sim.body);
        assert_eq!(
            sim.json()["years"].as_array().unwrap().len(),
            expected.rows.len()
        );
        let zero = app
            .get(
                &format!(
                    "/api/v1/organisations/alpha/plans/{}/simulation?trials=0",
                    seg(&plan.name)
                ),
                Auth::Bearer(&f.token),
            )
            .await;
        assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

store_test!(
    async fn a_monthly_update_moves_a_saving_up_the_tracker(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let plan = fixture_plan();
        let saving = plan
            .savings
            .iter()
            .find(|s| !s.amount_in(plan.first_year).is_zero())
            .unwrap();
        let auth = || Auth::Session {
            secret: &f.session,
            csrf: &f.csrf,
        };
        let r = app
            .deliver_on_page(
                &f,
                &saving.reference,
                &[
                    ("year", &plan.first_year.to_string()),
                    ("month", "4"),
                    ("delivered", "1,500.50"),
                    ("rag", "red"),
                    ("note", "contract late"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = app
            .get(
                &format!(
                    "/finance/plans/{}/savings?year={}",
                    seg(&plan.name),
                    plan.first_year
                ),
                auth(),
            )
            .await;
        assert!(
            page.body.contains("contract late") && page.body.contains("£1,500.50"),
            "{}",
            page.body
        );
        let bad = app
            .deliver_on_page(
                &f,
                &saving.reference,
                &[
                    ("year", &plan.first_year.to_string()),
                    ("month", "4"),
                    ("delivered", "1.234"),
                    ("rag", "red"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let c = app.user_for(Role::Commissioner).await;
        let denied = app
            .deliver_on_page(
                &c,
                &saving.reference,
                &[
                    ("year", "2015-16"),
                    ("month", "4"),
                    ("delivered", "1"),
                    ("rag", "red"),
                ],
            )
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
    }
);

store_test!(
    async fn the_dashboard_shows_the_plans_headlines_and_its_first_warning(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let r = report(&fixture_plan());
        let page = app
            .get(
                "/",
                Auth::Session {
                    secret: &f.session,
                    csrf: &f.csrf,
                },
            )
            .await;
        assert!(
            page.body
                .contains("where the money goes and where the risk is"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(&ngc_web::charts::millions(r.totals.pressures))
        );
        match r.warnings.first() {
            Some(w) => assert!(
                page.body.contains("Section 114 early warning"),
                "warning {w:?} missing"
            ),
            None => assert!(page.body.contains("No section 114 early warnings.")),
        }
        let p = app.user_for(Role::Provider).await;
        let page = app
            .get(
                "/",
                Auth::Session {
                    secret: &p.session,
                    csrf: &p.csrf,
                },
            )
            .await;
        assert!(
            !page.body.contains("where the money goes"),
            "providers never see a council's plan"
        );
    }
);

store_test!(
    async fn the_resilience_page_ranks_the_council_within_its_class(store: Store) {
        use ngc_domain::finance::referendum::AuthorityClass;
        use ngc_domain::finance::resilience::{AuthorityYear, Record};
        use ngc_domain::money::Money;
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let auth = || Auth::Session {
            secret: &f.session,
            csrf: &f.csrf,
        };
        let before = app.get("/finance/resilience", auth()).await;
        assert!(
            before.body.contains("ngc import returns"),
            "says how to get data: {}",
            before.body
        );
        let rec = |code: &str, name: &str, reserves: i64| Record {
            code: code.into(),
            name: name.into(),
            class: AuthorityClass::ShireCounty,
            year: AuthorityYear {
                year: "2016-17".parse().unwrap(),
                net_revenue_expenditure: Money::pounds(1000),
                earmarked_reserves: Money::pounds(reserves),
                unallocated_reserves: Money::ZERO,
                council_tax_requirement: Money::pounds(500),
                social_care_spend: Money::pounds(600),
                government_grant: Money::pounds(100),
            },
        };
        let records = [
            rec("E1", "Alpha", 20),
            rec("E2", "Beta", 200),
            rec("E3", "Gamma", 100),
        ];
        app.store
            .import_authority_years(&records, "test", &ngc_store::Actor::system())
            .await
            .unwrap();
        let page = app.get("/finance/resilience", auth()).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Alpha (E1) in 2016-17"), "{}", page.body);
        assert!(
            page.body.contains("3 of 3"),
            "Alpha has the lowest reserves: {}",
            page.body
        );
    }
);

store_test!(
    async fn the_budget_page_nets_income_off_by_service_line(store: Store) {
        use ngc_domain::finance::service::{BudgetLine, ServiceLine, Subjective};
        use ngc_domain::money::Money;
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let line = |service, subjective, pounds| BudgetLine {
            organisation: "alpha".into(),
            year: "2016-17".parse().unwrap(),
            service,
            subjective,
            amount: Money::pounds(pounds),
        };
        let lines = [
            line(
                ServiceLine::AdultSocialCare,
                Subjective::ThirdPartyPayments,
                900,
            ),
            line(ServiceLine::AdultSocialCare, Subjective::Income, 150),
            line(ServiceLine::Education, Subjective::Employees, 400),
        ];
        app.store
            .import_budget("alpha", &lines, &ngc_store::Actor::system())
            .await
            .unwrap();
        let page = app
            .get(
                "/finance/budget",
                Auth::Session {
                    secret: &f.session,
                    csrf: &f.csrf,
                },
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("£750.00"),
            "adult social care nets to £750: {}",
            page.body
        );
        assert!(page.body.contains("£1,150.00"), "the total nets to £1,150");
    }
);

store_test!(
    async fn scenarios_are_shown_beside_the_plan_with_referendums_flagged(store: Store) {
        use ngc_domain::finance::scenario::{Override, Scenario};
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let mut plan = fixture_plan();
        let year = plan.plan_years()[1];
        plan.scenarios = vec![Scenario {
            name: "Nine per cent".into(),
            overrides: vec![Override::CouncilTaxIncrease {
                year,
                pct: "9".parse().unwrap(),
            }],
        }];
        app.store
            .import_plan(&plan, &ngc_store::Actor::system())
            .await
            .unwrap();
        let page = app
            .get(
                &format!("/finance/plans/{}", seg(&plan.name)),
                Auth::Session {
                    secret: &f.session,
                    csrf: &f.csrf,
                },
            )
            .await;
        assert!(
            page.body.contains("Scenarios beside the plan") && page.body.contains("Nine per cent"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(r#"<strong class="neg">referendum</strong>"#),
            "the 9% year is flagged"
        );
    }
);

store_test!(
    async fn a_finance_officer_recalculates_the_plan_from_the_assumptions_form(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let plan = fixture_plan();
        let year = plan.plan_years()[1].to_string();
        let field = format!("council_tax_increase_pct:{year}");
        let path = format!("/finance/plans/{}/assumptions", seg(&plan.name));
        let auth = || Auth::Session {
            secret: &f.session,
            csrf: &f.csrf,
        };
        let r = app
            .form(&path, auth(), &[("csrf", &f.csrf), (&field, "9.5")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let stored = app
            .store
            .plan("alpha", Some(&plan.name))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            stored
                .assumptions_for(plan.plan_years()[1])
                .council_tax_increase_pct,
            "9.5".parse().unwrap()
        );
        let page = app
            .get(&format!("/finance/plans/{}", seg(&plan.name)), auth())
            .await;
        assert!(
            page.body.contains("Yes: a referendum would be triggered"),
            "9.5% needs a referendum"
        );
        let bad = app
            .form(&path, auth(), &[("csrf", &f.csrf), (&field, "lots")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("not a percentage"), "{}", bad.body);
    }
);
