//! The plans' figures are computed once per plan change and day, shared by concurrent views,
//! and judged as at the server's date.

use super::support::{Auth, TestApp, fixture_plan, seg};
use axum::http::StatusCode;
use chrono::NaiveDate;
use ngc_domain::Role;
use ngc_domain::finance::mtfp::report;
use ngc_domain::finance::risk::{SimulationOptions, simulate};
use ngc_store::{Clock, store_test};
use ngc_web::ui::finance::{PAGE_SEED, PAGE_TRIALS};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

store_test!(
    async fn many_views_at_once_compute_the_figures_once_until_the_plan_changes(store: Store) {
        let app = TestApp::new(store).await;
        let f = app.user_for(Role::Finance).await;
        let plan = fixture_plan();
        let page = format!("/finance/plans/{}", seg(&plan.name));
        let auth = || Auth::Session {
            secret: &f.session,
            csrf: &f.csrf,
        };
        let app = std::sync::Arc::new(app);
        let mut views = tokio::task::JoinSet::new();
        for i in 0..16 {
            let (app, f, page) = (app.clone(), f.clone(), page.clone());
            views.spawn(async move {
                let session = Auth::Session {
                    secret: &f.session,
                    csrf: &f.csrf,
                };
                match i % 4 {
                    0 => app.get("/", session).await,
                    1 => app.get("/finance", session).await,
                    2 => {
                        let api =
                            page.replace("/finance/plans/", "/api/v1/organisations/alpha/plans/");
                        app.get(&format!("{api}/report"), Auth::Bearer(&f.token))
                            .await
                    }
                    _ => app.get(&page, session).await,
                }
            });
        }
        while let Some(reply) = views.join_next().await {
            let reply = reply.unwrap();
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
        assert_eq!(
            app.state.figures.computations(),
            1,
            "one computation for alpha's plan"
        );
        let again = app.get(&page, auth()).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(app.state.figures.computations(), 1, "read from the cache");

        // A change to the plan: the next view computes the figures anew and shows the change.
        let saving = &plan.savings[0];
        let r = app
            .deliver_on_page(
                &f,
                &saving.reference,
                &[
                    ("year", &plan.first_year.to_string()),
                    ("month", "12"),
                    ("delivered", "0"),
                    ("rag", "red"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let after = app.get(&page, auth()).await;
        assert_eq!(
            app.state.figures.computations(),
            2,
            "recomputed after the change"
        );
        let mut changed = plan.clone();
        changed
            .delivery
            .push(ngc_domain::finance::savings::DeliveryUpdate {
                reference: saving.reference.clone(),
                year: plan.first_year,
                month: 12,
                delivered: ngc_domain::money::Money::ZERO,
                rag: ngc_domain::finance::savings::Rag::Red,
                note: String::new(),
            });
        let before = report(&plan).totals.pressures;
        let now = report(&changed).totals.pressures;
        assert!(now > before, "the shortfall is rolled into the next year");
        assert!(
            after.body.contains(&now.fmt_gbp()) && !after.body.contains(&before.fmt_gbp()),
            "the page shows the new total pressures"
        );
    }
);

store_test!(
    async fn the_page_simulation_is_the_clis_for_its_trials_and_seed(store: Store) {
        let app = TestApp::new(store).await;
        let summary = app
            .store
            .list_plans("alpha")
            .await
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        let view = app
            .state
            .figures
            .get(&app.store, &summary, app.store.today())
            .await
            .unwrap();
        // `ngc mtfp simulate` shares the trials over the machine's threads.
        let mut options = SimulationOptions::new(PAGE_TRIALS, PAGE_SEED);
        options.threads = 3;
        let cli = simulate(&fixture_plan(), &options).unwrap();
        assert_eq!(view.simulation.as_ref().unwrap(), &cli);
    }
);

store_test!(
    async fn a_lagging_programme_warns_on_the_dashboard_as_at_today(store: Store) {
        let app = TestApp::new(store.with_clock(Clock::on(day("2015-10-15")))).await;
        let f = app.user_for(Role::Finance).await;
        let auth = || Auth::Session {
            secret: &f.session,
            csrf: &f.csrf,
        };
        let plan = fixture_plan();
        let lagging = app.get("/", auth()).await;
        assert!(
            lagging.body.contains("Savings delivery behind profile.")
                && lagging
                    .body
                    .contains("savings delivered to month 6 are £0.00"),
            "{}",
            lagging.body
        );
        // Every 2015-16 saving reports its whole year delivered by September: no lag.
        for s in plan
            .savings
            .iter()
            .filter(|s| !s.amount_in(plan.first_year).is_zero())
        {
            let r = app
                .deliver_on_page(
                    &f,
                    &s.reference,
                    &[
                        ("year", "2015-16"),
                        ("month", "6"),
                        ("delivered", &s.amount_in(plan.first_year).to_string()),
                        ("rag", "blue"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let on_track = app.get("/", auth()).await;
        assert_eq!(on_track.status, StatusCode::OK);
        assert!(!on_track.body.contains("Savings delivery behind profile."));
    }
);

store_test!(
    async fn no_savings_warning_when_the_date_is_outside_the_plan(store: Store) {
        let app = TestApp::new(store.with_clock(Clock::on(day("2026-11-28")))).await;
        let f = app.user_for(Role::Finance).await;
        let page = app
            .get(
                "/",
                Auth::Session {
                    secret: &f.session,
                    csrf: &f.csrf,
                },
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Savings delivery behind profile."));
    }
);
