//! Shared services through the API and the pages: the lead council's finance officer enters
//! a service's year (the statement recomputes exactly), reads every version and restores the
//! replaced one; a partner from another council reads everything and changes nothing; bad
//! input names its field and writes nothing; exits are recorded from the page and listed, and a partner that
//! has left reads nothing more.

use super::support::{Reply, TestApp, TestUser, bearer, import_hr_year, session};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_domain::money::Money;
use ngc_store::{Store, store_test};
use serde_json::{Value, json};

const BASE: &str = "/api/v1/partnerships/alpha-shared/shared-services";
const PAGE: &str = "/partnerships/alpha-shared/shared-services";

struct Fixture {
    app: TestApp,
    /// Alpha's finance officer: alpha leads `alpha-shared`.
    finance: TestUser,
    /// Beta's partner officer: beta is a partner, not the lead.
    partner: TestUser,
    pid: i64,
}

/// `alpha-shared` with an HR service hosted by alpha, 2015-16 shared 50:50 at £1,000.
async fn fixture(store: Store) -> Fixture {
    let app = TestApp::new(store).await;
    let finance = app.user("finance@alpha.test", "alpha", Role::Finance).await;
    let partner = app.user("partner@beta.test", "beta", Role::Partner).await;
    let pid = import_hr_year(
        &app.store,
        "alpha-shared",
        "alpha",
        ["alpha", "beta"],
        100_000,
    )
    .await;
    Fixture {
        app,
        finance,
        partner,
        pid,
    }
}

/// What a refused write must leave alone: the audit head and every current figure.
async fn state(f: &Fixture) -> String {
    format!(
        "{:?}\n{:?}",
        f.app.store.audit_head().await.unwrap(),
        f.app.store.shared_services(f.pid).await.unwrap()
    )
}

fn entry(pool: &str, alpha: &str, beta: &str) -> Value {
    json!({"service": "hr", "year": "2015-16", "pool": pool, "basis": "fixed_shares",
           "weights": {"alpha": alpha, "beta": beta},
           "fees": [{"client": "Academy trust", "amount": "100.00"}],
           "source": "outturn 2015-16", "confirmed": true})
}

/// Each partner's net charge in a year's statement, by slug.
async fn net_charges(f: &Fixture, who: &TestUser) -> (Value, Vec<(String, String)>) {
    let r = f
        .app
        .get(&format!("{BASE}/statement?year=2015-16"), bearer(who))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    let charges = s["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["organisation"].as_str().unwrap().to_owned(),
                p["net_charge"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (s["totals"].clone(), charges)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

async fn versions(f: &Fixture, who: &TestUser) -> Vec<(i64, String, bool)> {
    let r = f
        .app
        .get(&format!("{BASE}/versions?year=2015-16"), bearer(who))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_i64().unwrap(),
                v["pool"].as_str().unwrap().to_owned(),
                v["superseded_at"].is_null(),
            )
        })
        .collect()
}

fn refused(r: &Reply, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.body);
}

store_test!(
    async fn the_lead_enters_a_year_and_restores_the_replaced_version(store: Store) {
        let f = fixture(store).await;
        let (_, before) = net_charges(&f, &f.partner).await;
        assert_eq!(before, pairs(&[("alpha", "500.00"), ("beta", "500.00")]));

        // A partner that is not the lead changes nothing.
        let untouched = state(&f).await;
        let r = f
            .app
            .json(
                Method::POST,
                &format!("{BASE}/years"),
                bearer(&f.partner),
                entry("2000.00", "40", "60"),
            )
            .await;
        refused(&r, StatusCode::FORBIDDEN);
        assert_eq!(state(&f).await, untouched);

        // Shares that do not sum to 100% are refused, naming the service, year and field.
        let r = f
            .app
            .json(
                Method::POST,
                &format!("{BASE}/years"),
                bearer(&f.finance),
                entry("2000.00", "40", "50"),
            )
            .await;
        refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("`hr` 2015-16"), "{}", r.body);
        assert_eq!(state(&f).await, untouched);
        let r = f
            .app
            .json(
                Method::POST,
                &format!("{BASE}/years"),
                bearer(&f.finance),
                entry("lots", "40", "60"),
            )
            .await;
        refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["field"], "pool", "{}", r.body);
        assert_eq!(state(&f).await, untouched);

        // £2,000 less the academy's £100, shared 40:60.
        let r = f
            .app
            .json(
                Method::POST,
                &format!("{BASE}/years"),
                bearer(&f.finance),
                entry("2,000.00", "40", "60"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json(), json!({"years": 1, "superseded": 1}));
        let (totals, after) = net_charges(&f, &f.partner).await;
        assert_eq!(
            (&totals["pool"], &totals["income"], &totals["allocated"]),
            (&json!("2000.00"), &json!("100.00"), &json!("1900.00"))
        );
        assert_eq!(after, pairs(&[("alpha", "760.00"), ("beta", "1140.00")]));

        // Both versions are readable by the partner; the first is replaced.
        let v = versions(&f, &f.partner).await;
        assert_eq!(
            v.iter()
                .map(|(_, p, c)| (p.as_str(), *c))
                .collect::<Vec<_>>(),
            vec![("1000.00", false), ("2000.00", true)]
        );
        let first = v[0].0;

        // The partner may not restore it; the lead may.
        let restore = format!("{BASE}/versions/{first}/restore");
        let untouched = state(&f).await;
        let r = f
            .app
            .json(Method::POST, &restore, bearer(&f.partner), json!({}))
            .await;
        refused(&r, StatusCode::FORBIDDEN);
        assert_eq!(state(&f).await, untouched);
        let r = f
            .app
            .json(Method::POST, &restore, bearer(&f.finance), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (_, restored) = net_charges(&f, &f.partner).await;
        assert_eq!(restored, before);
        let v = versions(&f, &f.finance).await;
        assert_eq!(
            v.iter()
                .map(|(_, p, c)| (p.as_str(), *c))
                .collect::<Vec<_>>(),
            vec![("1000.00", false), ("2000.00", false), ("1000.00", true)]
        );
        // A version of nothing is not found, and writes nothing.
        let untouched = state(&f).await;
        let r = f
            .app
            .json(
                Method::POST,
                &format!("{BASE}/versions/999999/restore"),
                bearer(&f.finance),
                json!({}),
            )
            .await;
        refused(&r, StatusCode::NOT_FOUND);
        assert_eq!(state(&f).await, untouched);
    }
);

store_test!(
    async fn the_page_offers_the_forms_to_the_lead_only_and_keeps_what_was_typed(store: Store) {
        let f = fixture(store).await;
        let r = f.app.get(PAGE, session(&f.partner)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"version-table\""), "{}", r.body);
        for form in [
            "id=\"enter-form\"",
            "id=\"exit-form\"",
            "Restore this version",
        ] {
            assert!(!r.body.contains(form), "{form}");
        }
        let r = f.app.get(PAGE, session(&f.finance)).await;
        assert!(r.body.contains("id=\"enter-form\"") && r.body.contains("id=\"exit-form\""));

        // A bad pool re-renders the page with the error and the figures typed; nothing is kept.
        let untouched = state(&f).await;
        let fields = [
            ("csrf", f.finance.csrf.as_str()),
            ("service", "hr"),
            ("year", "2015-16"),
            ("pool", "a lot"),
            ("basis", "fixed_shares"),
            ("weight_alpha", "30"),
            ("weight_beta", "70"),
            ("source", "typed"),
        ];
        let r = f
            .app
            .form(&format!("{PAGE}/years"), session(&f.finance), &fields)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("id=\"enter-error\""), "{}", r.body);
        assert!(r.body.contains("pool"), "{}", r.body);
        assert!(
            r.body.contains("name=\"weight_alpha\" value=\"30\""),
            "{}",
            r.body
        );
        assert_eq!(state(&f).await, untouched);

        // A good one replaces the year, and the page shows the replaced version to restore.
        let mut fields = fields;
        fields[3].1 = "3000";
        let r = f
            .app
            .form(&format!("{PAGE}/years"), session(&f.finance), &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (_, charges) = net_charges(&f, &f.finance).await;
        assert_eq!(charges, pairs(&[("alpha", "900.00"), ("beta", "2100.00")]));
        let r = f
            .app
            .get(&format!("{PAGE}?year=2015-16"), session(&f.finance))
            .await;
        assert_eq!(r.body.matches("Restore this version").count(), 1);

        // An exit recorded from the page is listed there; beta's membership ends.
        let fields = [
            ("csrf", f.finance.csrf.as_str()),
            ("organisation", "beta"),
            ("service", ""),
            ("notice_given_on", "2016-03-31"),
            ("left_on", "2017-03-31"),
            ("exit_cost", "250.00"),
            ("reason", "Bringing services back in house"),
        ];
        let r = f
            .app
            .form(&format!("{PAGE}/exits"), session(&f.finance), &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let exits = f.app.store.shared_services(f.pid).await.unwrap().exits;
        assert_eq!(exits.len(), 1);
        assert_eq!(exits[0].exit_cost, Money::pence(25_000));
        let r = f.app.get(PAGE, session(&f.finance)).await;
        assert!(
            r.body.contains("Bringing services back in house"),
            "{}",
            r.body
        );
        assert!(r.body.contains("£250.00"), "{}", r.body);
        // Beta has left, so its staff no longer read the partnership's records.
        let r = f.app.get(PAGE, session(&f.partner)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);
