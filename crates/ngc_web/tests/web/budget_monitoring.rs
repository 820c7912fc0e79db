//! Budget monitoring through the API and the pages: exact figures from the budget lines, a
//! general-ledger extract and a feeder posting (the month without an extract said to be
//! partial), both forecast methods, an officer's forecast that drives the s114(3) in-year
//! warning onto the report API, the dashboard and the plan page, a releasable reserve; the
//! year shown when none is asked for (the latest year of actuals when none covers today's);
//! and refusals that leave the database unchanged, another council's officer refused.

use super::support::{Refusal, TestApp, TestUser, bearer, fixture_plan, refused, seg, session};
use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use ngc_app::Caller;
use ngc_domain::Role;
use ngc_domain::finance::mtfp::project;
use ngc_domain::finance::service::BudgetLine;
use ngc_domain::finance::{FinancialYear, ServiceLine, Subjective};
use ngc_domain::ledger::actuals::{GlExtract, GlLine};
use ngc_domain::ledger::{Account, Journal, Posting, Source, SourceKind};
use ngc_domain::money::Money;
use ngc_store::{Actor, Clock, Store, store_test};
use ngc_web::{AppState, WebConfig, build_router};
use serde_json::{Value, json};

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn y() -> FinancialYear {
    "2015-16".parse().unwrap()
}

fn gl(line: u64, month: &str, service: ServiceLine, subjective: &str, amount: &str) -> GlLine {
    GlLine {
        line,
        month: month.parse().unwrap(),
        service,
        cost_centre: String::new(),
        subjective: subjective.into(),
        income: false,
        amount: m(amount),
    }
}

struct Fixture {
    app: TestApp,
    finance: TestUser,
}

/// Alpha on 15 July 2015 (April to June closed): budgets of £1.2m for adult social care
/// and £0.6m for education; an extract for April and May; a £120,000 care payment in June
/// that no extract covers.
async fn fixture(store: Store) -> Fixture {
    let app = TestApp::new(store.with_clock(Clock::on("2015-07-15".parse().unwrap()))).await;
    let finance = app.user_for(Role::Finance).await;
    let line = |service, subjective, amount: &str| BudgetLine {
        organisation: "alpha".into(),
        year: y(),
        service,
        subjective,
        amount: m(amount),
    };
    app.store
        .import_budget(
            "alpha",
            &[
                line(
                    ServiceLine::AdultSocialCare,
                    Subjective::ThirdPartyPayments,
                    "1200000.00",
                ),
                line(ServiceLine::Education, Subjective::Employees, "600000.00"),
            ],
            &Actor::system(),
        )
        .await
        .unwrap();
    let mut lines = Vec::new();
    for (i, month) in (0u64..).zip(["2015-04-01", "2015-05-01"]) {
        lines.push(gl(
            2 * i + 2,
            month,
            ServiceLine::AdultSocialCare,
            "Third party payments",
            "110000.00",
        ));
        lines.push(gl(
            2 * i + 3,
            month,
            ServiceLine::Education,
            "Employees",
            "50000.00",
        ));
    }
    let extract = GlExtract {
        name: "gl-2015-05.csv".into(),
        sha256: "ab".repeat(32),
        lines,
    };
    ngc_app::gl_actuals::import(&app.store, &Caller::System, "alpha", &extract)
        .await
        .unwrap();
    let src = Source {
        kind: SourceKind::ContractPayment,
        reference: "june".into(),
    };
    let care = Account::expenditure("Adult social care", "Third party payments");
    let june = Journal::new(
        "june-care",
        NaiveDate::from_ymd_opt(2015, 6, 20).unwrap(),
        "June care payment",
        vec![
            Posting::debit(care, m("120000.00"), src.clone()),
            Posting::credit(Account::Bank, m("120000.00"), src),
        ],
    )
    .unwrap();
    let alpha = app
        .store
        .organisation_by_slug("alpha")
        .await
        .unwrap()
        .unwrap();
    app.store
        .post_journal(alpha.id, &june, &Actor::system())
        .await
        .unwrap();
    Fixture { app, finance }
}

fn row<'a>(r: &'a Value, service: &str) -> &'a Value {
    r["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == service)
        .unwrap_or_else(|| panic!("no row {service}: {r}"))
}

const PATH: &str = "/api/v1/organisations/alpha/budget-monitoring?year=2015-16";

store_test!(
    async fn budget_against_actual_gives_exact_figures_by_both_methods(store: Store) {
        let f = fixture(store).await;
        let r = f.app.get(PATH, bearer(&f.finance)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = r.json();
        assert_eq!(r["organisation"], "alpha");
        assert_eq!(r["budget_source"], "budget_lines");
        assert_eq!(r["closed_months"], 3);
        assert_eq!(r["method"], "run_rate");
        assert_eq!(r["profile"], "flat_twelfths");
        assert_eq!(r["actuals_partial"], true);
        let names: Vec<&str> = r["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["service"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Education", "Adult social care"]);
        let care = row(&r, "Adult social care");
        let expect = json!({
            "service": "Adult social care", "budget": "1200000.00",
            "budget_to_date": "300000.00", "actual_to_date": "340000.00",
            "variance_to_date": "40000.00", "commitments": "0.00", "officer_forecast": null,
            "run_rate": "1320000.00", "budget_profile": "1220000.00",
            "forecast_outturn": "1320000.00", "forecast_basis": "run_rate",
            "outturn_variance": "120000.00"
        });
        for (k, v) in expect.as_object().unwrap() {
            assert_eq!(&care[k], v, "{k}: {care}");
        }
        assert_eq!(care["actuals"][2], "120000.00");
        assert_eq!(care["profile"][0], "100000.00");
        let edu = row(&r, "Education");
        assert_eq!(edu["actual_to_date"], "100000.00");
        // The forecasts stand on April and May, the months the extract covers.
        assert_eq!(r["forecast_months"], json!(["2015-04", "2015-05"]));
        assert_eq!(edu["run_rate"], "600000.00");
        assert_eq!(edu["budget_profile"], "600000.00");
        assert_eq!(r["totals"]["forecast_outturn"], "1920000.00");
        assert_eq!(r["totals"]["outturn_variance"], "120000.00");
        let months = r["months"].as_array().unwrap();
        assert_eq!(months.len(), 12);
        assert_eq!(
            months[0],
            json!({"month": "2015-04", "closed": true, "general_ledger": true,
                   "budget": "150000.00", "actual": "160000.00", "variance": "10000.00"})
        );
        assert_eq!(months[2]["general_ledger"], false);
        assert_eq!(months[2]["actual"], "120000.00");
        assert_eq!(months[3]["closed"], false);
        // The in-year test against the plan.
        let plan = fixture_plan();
        let o = project(&plan).into_iter().find(|o| o.year == y()).unwrap();
        let t = &r["in_year"];
        assert_eq!(r["plan"], plan.name.as_str());
        assert_eq!(
            t["net_budget_requirement"],
            o.net_budget_requirement.to_string()
        );
        assert_eq!(t["resources"], o.resources.to_string());
        assert_eq!(t["general_fund"], "15000000.00");
        assert_eq!(t["forecast_variance"], "120000.00");
        let headroom = o.resources + m("15000000.00") - (o.net_budget_requirement + m("120000.00"));
        assert_eq!(t["headroom"], headroom.to_string());
        assert_eq!(t["triggered"], headroom.is_negative());
        // The budget profile method.
        let r = f
            .app
            .get(&format!("{PATH}&method=budget_profile"), bearer(&f.finance))
            .await
            .json();
        assert_eq!(r["totals"]["forecast_outturn"], "1820000.00");
        assert_eq!(r["totals"]["forecast_basis"], "budget_profile");
        let r = f
            .app
            .get(&format!("{PATH}&method=guess"), bearer(&f.finance))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "method");
    }
);

store_test!(
    async fn a_forecast_beyond_resources_raises_the_s114_3_warning_everywhere(store: Store) {
        let f = fixture(store).await;
        let r = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/budget-monitoring/forecasts",
                bearer(&f.finance),
                json!({"year": "2015-16", "service": "adult_social_care",
                       "amount": "100000000.00", "note": "placements out of county"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = r.json();
        let care = row(&r, "Adult social care");
        assert_eq!(care["officer_forecast"], "100000000.00");
        assert_eq!(care["forecast_basis"], "officer");
        assert_eq!(care["outturn_variance"], "98800000.00");
        assert_eq!(r["totals"]["outturn_variance"], "98800000.00");
        let plan = fixture_plan();
        let o = project(&plan).into_iter().find(|o| o.year == y()).unwrap();
        let spending = o.net_budget_requirement + m("98800000.00");
        let headroom = o.resources + m("15000000.00") - spending;
        assert!(
            headroom.is_negative(),
            "the fixture must trigger: {headroom}"
        );
        assert_eq!(r["in_year"]["forecast_net_spending"], spending.to_string());
        assert_eq!(r["in_year"]["triggered"], true);
        assert_eq!(
            r["in_year"]["months"],
            json!([{"month": "2015-04", "overspend": "10000.00"},
                   {"month": "2015-05", "overspend": "10000.00"}])
        );
        assert_eq!(r["warning"]["kind"], "forecast_exceeds_resources");
        // Where the plan's warnings show: the report API, the dashboard, the plan page.
        let report = f
            .app
            .get(
                &format!(
                    "/api/v1/organisations/alpha/plans/{}/report",
                    seg(&plan.name)
                ),
                bearer(&f.finance),
            )
            .await
            .json();
        assert_eq!(report["warnings"][0]["kind"], "forecast_exceeds_resources");
        assert_eq!(report["warnings"][0]["message"], r["warning"]["message"]);
        let dash = f.app.get("/", session(&f.finance)).await;
        assert!(
            dash.body
                .contains("forecast spending exceeds resources and reserves (s114(3))"),
            "{}",
            dash.body
        );
        let page = f
            .app
            .get(
                &format!("/finance/plans/{}", seg(&plan.name)),
                session(&f.finance),
            )
            .await;
        assert!(
            page.body.contains("id=\"in-year-warning\""),
            "{}",
            page.body
        );
        // Releasing the earmarked reserve adds its balance at the start of the year.
        let m_r = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/releasable-reserves",
                bearer(&f.finance),
                json!({"reserve": "Earmarked", "releasable": true}),
            )
            .await;
        assert_eq!(m_r.status, StatusCode::CREATED, "{}", m_r.body);
        assert_eq!(m_r.json()["reserve"], "Earmarked");
        let r = f.app.get(PATH, bearer(&f.finance)).await.json();
        assert_eq!(
            r["in_year"]["releasable"],
            json!([{"name": "Earmarked", "balance": "47695000.00"}])
        );
        assert_eq!(r["in_year"]["reserves_available"], "62695000.00");
        let headroom = o.resources + m("62695000.00") - spending;
        assert_eq!(r["in_year"]["headroom"], headroom.to_string());
        assert_eq!(r["in_year"]["triggered"], headroom.is_negative());
    }
);

store_test!(
    async fn without_a_year_it_opens_on_the_latest_year_of_actuals_and_warns(store: Store) {
        let f = fixture(store).await;
        // On the fixture's day the year holding today, which the extract covers.
        let all = "/api/v1/organisations/alpha/budget-monitoring";
        let r = f.app.get(all, bearer(&f.finance)).await.json();
        assert_eq!(
            (r["year"].as_str(), r["closed_months"].as_u64()),
            (Some("2015-16"), Some(3))
        );
        // In May 2017 no extract covers 2017-18: the page, the API and the in-year warning
        // open on 2015-16, the latest year one covers, all of it closed.
        let later = f
            .app
            .store
            .clone()
            .with_clock(Clock::on("2017-05-10".parse().unwrap()));
        let state = AppState::new(later.clone(), WebConfig::default());
        let (router, routes) = build_router(state.clone());
        let app = TestApp {
            store: later.clone(),
            router,
            routes,
            state,
        };
        let finance = app
            .user("finance-2017@alpha.test", "alpha", Role::Finance)
            .await;
        let r = app.get(all, bearer(&finance)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = r.json();
        assert_eq!(
            (r["year"].as_str(), r["closed_months"].as_u64()),
            (Some("2015-16"), Some(12))
        );
        // Finance links to it.
        let finance_page = app.get("/finance", session(&finance)).await;
        assert!(
            finance_page.body.contains(
                r#"href="/organisations/alpha/budget-monitoring" id="budget-monitoring-link""#
            ),
            "{}",
            finance_page.body
        );
        let page = app
            .get("/organisations/alpha/budget-monitoring", session(&finance))
            .await;
        assert!(
            page.body.contains("Budget against actual, 2015-16"),
            "{}",
            page.body
        );
        let r = app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/budget-monitoring/forecasts",
                bearer(&finance),
                json!({"year": "2015-16", "service": "adult_social_care",
                       "amount": "100000000.00", "note": "placements out of county"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let dash = app.get("/", session(&finance)).await;
        assert!(
            dash.body
                .contains("forecast spending exceeds resources and reserves (s114(3))"),
            "{}",
            dash.body
        );
        // Without any extract, the year holding today.
        let year = ngc_app::monitoring::default_year(&later, &Caller::System, "beta")
            .await
            .unwrap();
        assert_eq!(year.to_string(), "2017-18");
        // A year asked for is the year shown.
        let r = app.get(PATH, bearer(&finance)).await.json();
        assert_eq!(r["year"], "2015-16");
    }
);

store_test!(
    async fn refusals_change_nothing_and_other_councils_read_nothing(store: Store) {
        let f = fixture(store).await;
        let commissioner = f.app.user_for(Role::Commissioner).await;
        let beta = f.app.user("finance@beta.test", "beta", Role::Finance).await;
        let head = f.app.store.audit_head().await.unwrap();
        let forecasts = "/api/v1/organisations/alpha/budget-monitoring/forecasts";
        let reserves = "/api/v1/organisations/alpha/releasable-reserves";
        let cases: Vec<Refusal> = vec![
            (
                &commissioner,
                forecasts,
                json!({"year": "2015-16", "service": "Education", "amount": "1.00"}),
                StatusCode::FORBIDDEN,
                "",
            ),
            (
                &beta,
                forecasts,
                json!({"year": "2015-16", "service": "Education", "amount": "1.00"}),
                StatusCode::FORBIDDEN,
                "",
            ),
            (
                &f.finance,
                forecasts,
                json!({"year": "2015-16", "service": "Education", "amount": "12.345"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "amount",
            ),
            (
                &f.finance,
                forecasts,
                json!({"year": "2015-16", "service": "Libraries", "amount": "1.00"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "service",
            ),
            (
                &f.finance,
                forecasts,
                json!({"year": "2015-17", "service": "Education", "amount": "1.00"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "year",
            ),
            (
                &f.finance,
                reserves,
                json!({"reserve": "Schools balances", "releasable": true}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "reserve",
            ),
            (
                &f.finance,
                reserves,
                json!({"reserve": "General fund", "releasable": true}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "reserve",
            ),
            (
                &commissioner,
                reserves,
                json!({"reserve": "Earmarked", "releasable": true}),
                StatusCode::FORBIDDEN,
                "",
            ),
        ];
        refused(&f.app, cases, head).await;
        let alpha = f
            .app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap();
        assert!(
            f.app
                .store
                .forecasts(alpha.id, y())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            f.app
                .store
                .releasable_reserves(alpha.id)
                .await
                .unwrap()
                .is_empty()
        );
        // Reading: another council's finance officer and the commissioner are refused.
        for who in [&beta, &commissioner] {
            let r = f.app.get(PATH, bearer(who)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
            assert!(!r.body.contains("1200000"), "{}", r.body);
            let page = f
                .app
                .get("/organisations/alpha/budget-monitoring", session(who))
                .await;
            assert_eq!(page.status, StatusCode::FORBIDDEN);
        }
    }
);

store_test!(
    async fn the_page_charts_the_months_says_which_are_partial_and_takes_forecasts(store: Store) {
        let f = fixture(store).await;
        let page = f
            .app
            .get(
                "/organisations/alpha/budget-monitoring?year=2015-16",
                session(&f.finance),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("<svg class=\"chart\""), "{}", page.body);
        assert!(
            page.body.contains("Actuals are partial for 2015-06"),
            "{}",
            page.body
        );
        assert!(page.body.contains("£1,320,000.00"), "{}", page.body);
        assert!(page.body.contains("gl-2015-05.csv"), "{}", page.body);
        let r = f
            .app
            .form(
                "/organisations/alpha/budget-monitoring/forecasts",
                session(&f.finance),
                &[
                    ("csrf", f.finance.csrf.as_str()),
                    ("year", "2015-16"),
                    ("service", "Education"),
                    ("amount", "610000.00"),
                    ("note", "agency staff"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.location(),
            Some("/organisations/alpha/budget-monitoring?year=2015-16")
        );
        let json = f.app.get(PATH, bearer(&f.finance)).await.json();
        assert_eq!(row(&json, "Education")["forecast_outturn"], "610000.00");
        // The savings tracker: a saving's cost line says whether the money came off.
        let r = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/budget-monitoring/forecasts",
                bearer(&f.finance),
                json!({"year": "2015-16", "service": "Children's social care", "amount": "500.00"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let plan = fixture_plan();
        let tracker = f
            .app
            .get(
                &format!("/finance/plans/{}/savings?year=2015-16", seg(&plan.name)),
                session(&f.finance),
            )
            .await;
        assert_eq!(tracker.status, StatusCode::OK, "{}", tracker.body);
        assert!(
            tracker.body.contains(
                "Cost line: forecast outturn £500.00 (officer) against a budget of £0.00 — the \
                 money has not come off: £500.00 over."
            ),
            "{}",
            tracker.body
        );
    }
);

store_test!(
    async fn virements_and_profiles_move_the_budget_from_their_month(store: Store) {
        let f = fixture(store).await;
        // £90,000 from education to adult social care from July: £10,000 a month for nine
        // months; April to June keep their budget, so the variance to date is unchanged.
        let r = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/budget-monitoring/virements",
                bearer(&f.finance),
                json!({"year": "2015-16", "month": "2015-07", "from": "education",
                       "to": "Adult social care", "amount": "90000.00",
                       "reason": "placements"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = r.json();
        let care = row(&r, "Adult social care");
        let got: Vec<&Value> = ["original_budget", "virements", "budget", "budget_to_date"]
            .iter()
            .map(|k| &care[*k])
            .collect();
        assert_eq!(got, ["1200000.00", "90000.00", "1290000.00", "300000.00"]);
        assert_eq!(care["profile"][2], "100000.00");
        assert_eq!(care["profile"][3], "110000.00");
        assert_eq!(care["outturn_variance"], "30000.00");
        let edu = row(&r, "Education");
        assert_eq!(
            (&edu["budget"], &edu["profile"][11]),
            (&json!("510000.00"), &json!("40000.00"))
        );
        assert_eq!(r["totals"]["budget"], "1800000.00");
        assert_eq!(r["totals"]["virements"], "0.00");
        assert_eq!(r["virements"][0]["from"], "Education", "{}", r["virements"]);
        assert_eq!(r["virements"][0]["month"], "2015-07");
        // Education's own profile: its budget by September, nothing from January.
        let r = f
            .app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/budget-monitoring/profiles",
                bearer(&f.finance),
                json!({"year": "2015-16", "service": "Education",
                       "weights": "2, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = r.json();
        assert_eq!(r["profile"], "mixed");
        let edu = row(&r, "Education");
        assert_eq!(edu["profile_basis"], "stored");
        let months: Vec<&str> = edu["profile"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            months,
            [
                "100000.00",
                "100000.00",
                "100000.00",
                "40000.00",
                "40000.00",
                "40000.00",
                "40000.00",
                "40000.00",
                "40000.00",
                "-10000.00",
                "-10000.00",
                "-10000.00"
            ]
        );
        assert_eq!(edu["budget_to_date"], "300000.00");
        // By the budget profile: April and May's actuals plus the profile of June to March.
        let r = f
            .app
            .get(&format!("{PATH}&method=budget_profile"), bearer(&f.finance))
            .await
            .json();
        assert_eq!(row(&r, "Education")["budget_profile"], "410000.00");
        // Withdrawn: flat twelfths again, and the page shows the virement.
        let w = f
            .app
            .form(
                "/organisations/alpha/budget-monitoring/profiles",
                session(&f.finance),
                &[
                    ("csrf", f.finance.csrf.as_str()),
                    ("year", "2015-16"),
                    ("service", "Education"),
                    ("weights", ""),
                ],
            )
            .await;
        assert_eq!(w.status, StatusCode::SEE_OTHER, "{}", w.body);
        let r = f.app.get(PATH, bearer(&f.finance)).await.json();
        assert_eq!(row(&r, "Education")["profile"][0], "50000.00");
        let v = f
            .app
            .form(
                "/organisations/alpha/budget-monitoring/virements",
                session(&f.finance),
                &[
                    ("csrf", f.finance.csrf.as_str()),
                    ("year", "2015-16"),
                    ("month", "2016-03"),
                    ("from", "Adult social care"),
                    ("to", "Education"),
                    ("amount", "90000.00"),
                    ("reason", "placements reversed"),
                ],
            )
            .await;
        assert_eq!(v.status, StatusCode::SEE_OTHER, "{}", v.body);
        let page = f
            .app
            .get(PATH.replace("/api/v1", "").as_str(), session(&f.finance))
            .await;
        assert!(page.body.contains("placements reversed"), "{}", page.body);
        assert!(page.body.contains("id=\"virements\""), "{}", page.body);
        let r = f.app.get(PATH, bearer(&f.finance)).await.json();
        let care = row(&r, "Adult social care");
        assert_eq!(
            (&care["virements"], &care["profile"][11]),
            (&json!("0.00"), &json!("20000.00"))
        );
    }
);

store_test!(
    async fn refused_virements_and_profiles_record_nothing(store: Store) {
        let f = fixture(store).await;
        let commissioner = f.app.user_for(Role::Commissioner).await;
        let head = f.app.store.audit_head().await.unwrap();
        let virements = "/api/v1/organisations/alpha/budget-monitoring/virements";
        let profiles = "/api/v1/organisations/alpha/budget-monitoring/profiles";
        let v = |month: &str, from: &str, amount: &str, reason: &str| {
            json!({"year": "2015-16", "month": month, "from": from, "to": "Education",
                   "amount": amount, "reason": reason})
        };
        let cases: Vec<Refusal> = vec![
            (
                &commissioner,
                virements,
                v("", "Highways and transport", "1.00", "x"),
                StatusCode::FORBIDDEN,
                "",
            ),
            (
                &f.finance,
                virements,
                v("2016-04", "Highways and transport", "1.00", "x"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "month",
            ),
            (
                &f.finance,
                virements,
                v("", "Education", "1.00", "x"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "to",
            ),
            (
                &f.finance,
                virements,
                v("", "Libraries", "1.00", "x"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "from",
            ),
            (
                &f.finance,
                virements,
                v("", "Highways and transport", "0.00", "x"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "amount",
            ),
            (
                &f.finance,
                virements,
                v("", "Highways and transport", "-5.00", "x"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "amount",
            ),
            (
                &f.finance,
                virements,
                v("", "Highways and transport", "1.001", "x"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "amount",
            ),
            (
                &f.finance,
                virements,
                v("", "Highways and transport", "1.00", " "),
                StatusCode::UNPROCESSABLE_ENTITY,
                "reason",
            ),
            (
                &f.finance,
                profiles,
                json!({"year": "2015-16", "service": "Education", "weights": "1,2"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "weights",
            ),
            (
                &commissioner,
                profiles,
                json!({"year": "2015-16", "service": "Education", "weights": ""}),
                StatusCode::FORBIDDEN,
                "",
            ),
        ];
        refused(&f.app, cases, head).await;
        let alpha = f
            .app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap();
        assert!(
            f.app
                .store
                .virements(alpha.id, y())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            f.app
                .store
                .profiles(alpha.id, y())
                .await
                .unwrap()
                .is_empty()
        );
    }
);
