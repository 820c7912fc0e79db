//! The budget consultation end to end through the API and the pages: an officer creates one
//! from the fixture plan's 2016-17; a resident with no account closes the gap and submits
//! once; the results count it exactly; refused responses (gap open, a choice not offered, a
//! council tax above the largest offered, a changed hidden field, a replayed token, a closed
//! consultation, a whole postcode) record nothing; results are for the council's officers
//! until published; attached results show on the plan page; responses are limited per
//! client address.

use super::support::{
    ANON_CSRF, Auth, Refusal, Reply, TestApp, TestUser, bearer, fixture_plan, refused, seg, session,
};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use ngc_domain::Role;
use ngc_domain::finance::mtfp::project;
use ngc_store::{Clock, Store, store_test};
use serde_json::{Value, json};

/// The consultation as the API takes it: three services (adult social care's −10% breaching a
/// duty), the year's saving, parking income, reserves and council tax up to 4.99%.
fn create_body() -> Value {
    let step = |pct: &str, breach: bool| json!({"pct": pct, "consequence": format!("{pct}% means this"), "breaches_duty": breach});
    json!({
        "plan": fixture_plan().name,
        "title": "You Choose 2016-17",
        "introduction": "Close the gap.",
        "opens_on": "2016-01-04",
        "closes_on": "2016-02-14",
        "settings": {
            "year": "2016-17",
            "services": [
                {"service": "adult_social_care",
                 "steps": [step("-10", true), step("-5", false), step("0", false), step("5", false)]},
                {"service": "highways_and_transport",
                 "steps": [step("-20", false), step("-10", false), step("0", false)]},
                {"service": "education", "steps": [step("-50", false), step("0", false)]}
            ],
            "income": [{"key": "parking", "title": "Parking charges", "steps": [
                {"amount": "0", "consequence": "As now"},
                {"amount": "500000", "consequence": "20p an hour more"}]}],
            "reserves": ["0", "2000000"],
            "council_tax": {"max_pct": "4.99", "step_pct": "1", "referendum_cost": "400000"},
            "districts": [{"name": "Corby", "district_band_d": "179.50", "parish_band_d": "5.51",
                           "police_band_d": "204.96", "source": "CTR 2016-17", "confirmed": false}]
        }
    })
}

/// Choices that close the fixture's gap: every cut, the income, the reserves, 4.99%.
const CLOSING: [(&str, &str); 7] = [
    ("q.service:adult_social_care", "0"),
    ("q.service:highways_and_transport", "0"),
    ("q.service:education", "0"),
    ("q.saving:CSC-01", "0"),
    ("q.income:parking", "1"),
    ("q.reserves", "1"),
    ("q.council_tax", "6"),
];

struct Fixture {
    app: TestApp,
    finance: TestUser,
    id: i64,
    /// Addresses used by [`Fixture::submit`].
    peers: std::cell::Cell<u8>,
}

async fn fixture_on(store: Store, day: &str) -> Fixture {
    let app = TestApp::new(store.with_clock(Clock::on(day.parse().unwrap()))).await;
    let finance = app.user_for(Role::Finance).await;
    let r = app
        .json(
            Method::POST,
            "/api/v1/organisations/alpha/consultations",
            bearer(&finance),
            create_body(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    Fixture {
        app,
        finance,
        id,
        peers: Default::default(),
    }
}

async fn fixture(store: Store) -> Fixture {
    fixture_on(store, "2016-01-10").await
}

/// A browser with no account: its token and the signature the page gave it.
struct Browser {
    token: String,
    sig: String,
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

impl Fixture {
    async fn open_page(&self) -> (Reply, Browser) {
        let page = self
            .app
            .get(&format!("/consultations/{}", self.id), Auth::None)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let browser = Browser {
            token: hidden(&page.body, "token"),
            sig: hidden(&page.body, "sig"),
        };
        (page, browser)
    }

    /// Posts the page's form from `peer` with the browser's token and `fields`.
    async fn post_from(
        &self,
        peer: &str,
        forwarded: Option<&str>,
        b: &Browser,
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut all: Vec<(&str, &str)> =
            vec![("csrf", ANON_CSRF), ("token", &b.token), ("sig", &b.sig)];
        all.extend_from_slice(fields);
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(format!("/consultations/{}", self.id))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(
                header::COOKIE,
                format!("ngc_csrf={ANON_CSRF}; ngc_consult={}", b.token),
            );
        if let Some(f) = forwarded {
            req = req.header("x-forwarded-for", f);
        }
        let mut req = req
            .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
            .unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(
            peer.parse::<std::net::SocketAddr>().unwrap(),
        ));
        self.app.send(req).await
    }

    async fn post(&self, b: &Browser, fields: &[(&str, &str)]) -> Reply {
        self.post_from(super::support::TEST_PEER, None, b, fields)
            .await
    }

    /// Submits from an address of its own each time, so the per-address limit (tested on
    /// its own) does not come into it.
    async fn submit(&self, b: &Browser, choices: &[(&str, &str)]) -> Reply {
        let mut fields = choices.to_vec();
        fields.push(("action", "submit"));
        let n = self.peers.get() + 1;
        self.peers.set(n);
        self.post_from(&format!("192.0.2.{n}:1"), None, b, &fields)
            .await
    }

    /// Everything a response could write.
    async fn state(&self) -> String {
        let s = &self.app.store;
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            s.audit_head().await.unwrap(),
            s.consultation_response_count(self.id).await.unwrap(),
            s.consultation_tallies(self.id).await.unwrap(),
            s.consultation_responses(self.id).await.unwrap()
        )
    }
}

/// Choices posted, the status they get and words the page shows.
type PageRefusal = (Vec<(&'static str, &'static str)>, StatusCode, &'static str);

fn with(
    choices: &[(&'static str, &'static str)],
    changes: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    let mut out = choices.to_vec();
    for (k, v) in changes {
        match out.iter_mut().find(|(f, _)| f == k) {
            Some(field) => field.1 = v,
            None => out.push((k, v)),
        }
    }
    out
}

store_test!(
    async fn a_resident_closes_the_gap_submits_once_and_the_results_count_it(store: Store) {
        let f = fixture(store).await;
        let plan = fixture_plan();
        let year = "2016-17".parse().unwrap();
        let gap = project(&plan)
            .into_iter()
            .find(|o| o.year == year)
            .unwrap()
            .gap;

        // The consultation as the API answers it: the plan's gap, and no step breaching a duty.
        let list = f
            .app
            .get(
                "/api/v1/organisations/alpha/consultations",
                bearer(&f.finance),
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let c = &list.json()[0];
        assert_eq!(c["definition"]["gap"], gap.to_string());
        let asc = &c["definition"]["questions"][0];
        assert_eq!(asc["key"], "service:adult_social_care");
        let labels: Vec<&str> = asc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap())
            .collect();
        assert_eq!(labels, ["-5%", "0%", "+5%"]);

        // Anyone finds it: the list, the sign-in page, the page itself.
        let listed = f.app.get("/consultations", Auth::None).await;
        assert!(
            listed
                .body
                .contains(&format!("href=\"/consultations/{}\"", f.id)),
            "{}",
            listed.body
        );
        let login = f.app.get("/login", Auth::None).await;
        assert!(login.body.contains("You Choose 2016-17"), "{}", login.body);
        let (page, browser) = f.open_page().await;
        assert!(page.body.contains(&gap.fmt_gbp()), "{}", page.body);
        assert!(
            page.body.contains(r#"id="submit" disabled"#),
            "submit is disabled while the gap is open"
        );
        let cookie = page.headers.get_all(header::SET_COOKIE).iter().any(|v| {
            v.to_str()
                .unwrap()
                .starts_with(&format!("ngc_consult={}", browser.token))
        });
        assert!(cookie, "the token is kept in a cookie");

        // Recalculating with the closing choices: the gap is closed, submit is offered.
        let recalc = f.post(&browser, &CLOSING).await;
        assert_eq!(recalc.status, StatusCode::OK, "{}", recalc.body);
        assert!(recalc.body.contains("The gap is closed"), "{}", recalc.body);
        assert!(recalc.body.contains(r#"id="submit">"#), "{}", recalc.body);
        assert_eq!(
            f.app.store.consultation_response_count(f.id).await.unwrap(),
            0,
            "recalculating records nothing"
        );
        // Picking a district adds its charges, the parish's and the police's: the whole bill.
        let whole = f
            .post(&browser, &with(&CLOSING, &[("district", "0")]))
            .await;
        assert!(
            whole
                .body
                .contains("<caption>The whole bill in Corby by band</caption>"),
            "{}",
            whole.body
        );
        let def: ngc_domain::consultation::Definition =
            serde_json::from_value(c["definition"].clone()).unwrap();
        let choices: ngc_domain::consultation::Choices = CLOSING
            .iter()
            .map(|(k, v)| (k.trim_start_matches("q.").to_owned(), v.parse().unwrap()))
            .collect();
        let position = ngc_domain::consultation::evaluate(&def, &choices).unwrap();
        let band_d = ngc_domain::consultation::whole_bill(&def, &position, 0).unwrap()[3];
        assert_eq!(
            band_d.total,
            band_d.county + "389.97".parse().unwrap(),
            "£179.50 + £5.51 + £204.96"
        );
        assert!(
            whole.body.contains(&format!(
                "<td class=\"num\">{}</td></tr>",
                band_d.total.fmt_gbp()
            )),
            "{}",
            whole.body
        );
        assert!(
            whole
                .body
                .contains("CTR 2016-17 (not checked against the source)"),
            "{}",
            whole.body
        );

        // Submitting: on to the thanks page, one response counted.
        let mut fields = with(
            &CLOSING,
            &[("postcode_district", "nn14"), ("age_band", "35_44")],
        );
        fields.push(("action", "submit"));
        let sent = f.post(&browser, &fields).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let thanks_path = format!("/consultations/{}/thanks", f.id);
        assert_eq!(sent.location(), Some(thanks_path.as_str()));
        let thanks = f.app.get(&thanks_path, Auth::None).await;
        assert!(
            thanks.body.contains(r#"<span id="responses">1</span>"#),
            "{}",
            thanks.body
        );

        // Exactly the steps chosen are counted.
        let tallies = f.app.store.consultation_tallies(f.id).await.unwrap();
        let mut want: Vec<(String, i64, i64)> = CLOSING
            .iter()
            .map(|(k, v)| (k.trim_start_matches("q.").to_owned(), v.parse().unwrap(), 1))
            .collect();
        want.sort();
        assert_eq!(tallies, want);

        let r = f
            .app
            .get(
                &format!("/api/v1/consultations/{}/results", f.id),
                bearer(&f.finance),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = r.json();
        assert_eq!(r["responses"], 1);
        assert_eq!(r["average_tax_pct"], "4.99");
        assert_eq!(r["questions"][0]["steps"][0]["share_pct"], "100.0");
        assert_eq!(r["questions"][0]["mean"], "-5.00");

        let csv = f
            .app
            .get(
                &format!("/consultations/{}/results.csv", f.id),
                session(&f.finance),
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(
            lines[0],
            "response,submitted_at,service:adult_social_care,service:highways_and_transport,service:education,saving:CSC-01,income:parking,reserves,council_tax,postcode_district,age_band"
        );
        assert!(
            lines[1].ends_with(
                ",-5%,-20%,-50%,Accept,\"£500,000.00\",\"£2,000,000.00\",+4.99%,NN14,35_44"
            ),
            "{}",
            lines[1]
        );
        assert_eq!(lines.len(), 2);
    }
);

store_test!(
    async fn refused_responses_record_nothing(store: Store) {
        let f = fixture(store).await;
        let (_, browser) = f.open_page().await;
        let before = f.state().await;
        let cases: Vec<PageRefusal> = vec![
            (
                vec![],
                StatusCode::UNPROCESSABLE_ENTITY,
                "The gap is not closed yet",
            ),
            (
                with(&CLOSING, &[("q.service:adult_social_care", "9")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "Adult social care: that choice is outside what is offered",
            ),
            (
                with(&CLOSING, &[("q.service:adult_social_care", "x")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "that choice is outside what is offered",
            ),
            (
                with(&CLOSING, &[("q.council_tax", "7")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "an increase above the largest offered (+4.99%) cannot be chosen",
            ),
            (
                with(&CLOSING, &[("q.service:fire_and_rescue", "0")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "is not a question of this consultation",
            ),
            (
                with(&CLOSING, &[("postcode_district", "NN14 6AB")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "Give only the first part of your postcode",
            ),
            (
                with(&CLOSING, &[("age_band", "ancient")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "choose an age band",
            ),
        ];
        for (choices, status, words) in cases {
            let r = f.submit(&browser, &choices).await;
            assert_eq!(r.status, status, "{choices:?}: {}", r.body);
            assert!(
                r.body.contains(words),
                "{choices:?}: {words} not in {}",
                r.body
            );
            assert_eq!(f.state().await, before, "{choices:?} recorded something");
        }
        // A changed hidden field: the signature, or the token under the old signature.
        let changed = |s: &str| {
            let first = if s.starts_with('0') { "1" } else { "0" };
            format!("{first}{}", &s[1..])
        };
        let tampered = Browser {
            token: browser.token.clone(),
            sig: changed(&browser.sig),
        };
        let other = Browser {
            token: changed(&browser.token),
            sig: browser.sig.clone(),
        };
        for b in [&tampered, &other] {
            let r = f.submit(b, &CLOSING).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert!(r.body.contains("hidden fields were changed"), "{}", r.body);
            assert_eq!(f.state().await, before);
        }
        // The first good response counts; the same token again is refused, nothing more kept.
        assert_eq!(
            f.submit(&browser, &CLOSING).await.status,
            StatusCode::SEE_OTHER
        );
        let once = f.state().await;
        let again = f.submit(&browser, &CLOSING).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(
            again.body.contains("already sent a response"),
            "{}",
            again.body
        );
        assert_eq!(f.state().await, once);
        assert_eq!(
            f.app.store.consultation_response_count(f.id).await.unwrap(),
            1
        );
    }
);

store_test!(
    async fn a_closed_consultation_takes_no_response_and_an_unopened_one_is_hidden(store: Store) {
        let f = fixture(store.clone()).await;
        let (_, browser) = f.open_page().await;
        let later = TestApp::new(
            store
                .clone()
                .with_clock(Clock::on("2016-02-15".parse().unwrap())),
        )
        .await;
        let closed = Fixture {
            app: later,
            finance: f.finance.clone(),
            id: f.id,
            peers: Default::default(),
        };
        let before = closed.state().await;
        let (page, _) = closed.open_page().await;
        assert!(page.body.contains(r#"id="closed-notice""#), "{}", page.body);
        let r = closed.submit(&browser, &CLOSING).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("closed on 14 February 2016"), "{}", r.body);
        assert_eq!(closed.state().await, before);
        let listed = closed.app.get("/consultations", Auth::None).await;
        assert!(
            !listed.body.contains("You Choose 2016-17"),
            "a closed consultation is not listed as open"
        );

        let early = TestApp::new(store.with_clock(Clock::on("2016-01-03".parse().unwrap()))).await;
        let path = format!("/consultations/{}", f.id);
        assert_eq!(
            early.get(&path, Auth::None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            early.get(&path, session(&f.finance)).await.status,
            StatusCode::OK,
            "its officers see it before it opens"
        );
    }
);

store_test!(
    async fn results_are_for_the_councils_officers_until_published(store: Store) {
        let f = fixture(store).await;
        let (_, browser) = f.open_page().await;
        assert_eq!(
            f.submit(&browser, &CLOSING).await.status,
            StatusCode::SEE_OTHER
        );
        let commissioner = f.app.user_for(Role::Commissioner).await;
        let provider = f.app.user_for(Role::Provider).await;
        let beta = f.app.user("finance@beta.test", "beta", Role::Finance).await;
        let api = format!("/api/v1/consultations/{}/results", f.id);
        let page = format!("/consultations/{}/results", f.id);
        for auth in [Auth::None, bearer(&provider), bearer(&beta)] {
            let r = f.app.get(&api, auth).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        }
        assert_eq!(
            f.app.get(&page, Auth::None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            f.app.get(&format!("{page}.csv"), Auth::None).await.status,
            StatusCode::NOT_FOUND
        );
        let r = f.app.get(&page, session(&commissioner)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body
                .contains(r#"<span class="value" id="responses">1</span>"#),
            "{}",
            r.body
        );
        assert!(
            !r.body.contains(r#"id="publish""#),
            "a commissioner reads but does not publish"
        );

        // Only the plan's keepers publish; a refusal changes nothing.
        let head = f.app.store.audit_head().await.unwrap();
        let publication = format!("/api/v1/consultations/{}/publication", f.id);
        let r = f
            .app
            .json(
                Method::POST,
                &publication,
                bearer(&commissioner),
                json!({"published": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = f
            .app
            .json(
                Method::POST,
                &publication,
                bearer(&beta),
                json!({"published": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(f.app.store.audit_head().await.unwrap(), head);
        let r = f
            .app
            .form(
                &format!("/consultations/{}/publish", f.id),
                session(&f.finance),
                &[("csrf", &f.finance.csrf), ("published", "true")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // Now anyone reads them.
        let r = f.app.get(&api, Auth::None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["responses"], 1);
        let r = f.app.get(&page, Auth::None).await;
        assert!(r.body.contains("published to everyone"), "{}", r.body);
        assert!(
            r.body.contains("<svg class=\"chart\" role=\"img\""),
            "{}",
            r.body
        );
        let r = f
            .app
            .json(
                Method::POST,
                &publication,
                bearer(&f.finance),
                json!({"published": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["results_published"], false);
        assert_eq!(
            f.app.get(&api, Auth::None).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

store_test!(
    async fn attached_results_show_on_the_plan_page_by_line(store: Store) {
        let f = fixture(store).await;
        let notes = format!("/api/v1/consultations/{}/plan-notes", f.id);
        let head = f.app.store.audit_head().await.unwrap();
        let r = f
            .app
            .json(Method::POST, &notes, bearer(&f.finance), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(f.app.store.audit_head().await.unwrap(), head);

        let (_, browser) = f.open_page().await;
        assert_eq!(
            f.submit(&browser, &CLOSING).await.status,
            StatusCode::SEE_OTHER
        );
        let r = f
            .app
            .form(
                &format!("/consultations/{}/attach", f.id),
                session(&f.finance),
                &[("csrf", &f.finance.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.location(),
            Some(format!("/consultations/{}/results?attached=7", f.id).as_str())
        );

        let plan = fixture_plan().name;
        let page = f
            .app
            .get(
                &format!("/finance/plans/{}", seg(&plan)),
                session(&f.finance),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains(r#"id="consultation-notes""#),
            "{}",
            page.body
        );
        assert!(page.body.contains("<th scope=\"row\">Adult social care</th><td>You Choose 2016-17: Adult social care — 1 responses; most chose -5% (100.0%); mean -5, median -5.</td>"), "{}", page.body);
        assert!(
            page.body.contains("<th scope=\"row\">Saving CSC-01</th>"),
            "{}",
            page.body
        );
        let stored = f
            .app
            .store
            .consultation_notes_of_plan(
                f.app
                    .store
                    .organisation_by_slug("alpha")
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
                &plan,
            )
            .await
            .unwrap();
        assert_eq!(stored.len(), 7);
    }
);

store_test!(
    async fn creations_the_plan_cannot_meet_are_refused_naming_the_field(store: Store) {
        let app = TestApp::new(store.with_clock(Clock::on("2016-01-10".parse().unwrap()))).await;
        let finance = app.user_for(Role::Finance).await;
        let commissioner = app.user_for(Role::Commissioner).await;
        let beta = app.user("finance@beta.test", "beta", Role::Finance).await;
        let head = app.store.audit_head().await.unwrap();
        let path = "/api/v1/organisations/alpha/consultations";
        let mut too_much = create_body();
        too_much["settings"]["reserves"] = json!(["0", "900000000"]);
        let mut unknown_plan = create_body();
        unknown_plan["plan"] = json!("No such plan");
        let mut backwards = create_body();
        backwards["closes_on"] = json!("2016-01-01");
        let mut untitled = create_body();
        untitled["title"] = json!(" ");
        let cases: Vec<Refusal> = vec![
            (
                &commissioner,
                path,
                create_body(),
                StatusCode::FORBIDDEN,
                "",
            ),
            (&beta, path, create_body(), StatusCode::FORBIDDEN, ""),
            (
                &finance,
                path,
                too_much,
                StatusCode::UNPROCESSABLE_ENTITY,
                "settings.reserves[1]",
            ),
            (&finance, path, unknown_plan, StatusCode::NOT_FOUND, ""),
            (
                &finance,
                path,
                backwards,
                StatusCode::UNPROCESSABLE_ENTITY,
                "closes_on",
            ),
            (
                &finance,
                path,
                untitled,
                StatusCode::UNPROCESSABLE_ENTITY,
                "title",
            ),
        ];
        refused(&app, cases, head).await;
        let alpha = app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap();
        assert!(
            app.store
                .consultations_of(alpha.id)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

store_test!(
    async fn responses_are_limited_per_client_address(store: Store) {
        let config = ngc_web::WebConfig {
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            ..ngc_web::WebConfig::default()
        };
        let app = TestApp::with_config(
            store.with_clock(Clock::on("2016-01-10".parse().unwrap())),
            config,
        )
        .await;
        let finance = app.user_for(Role::Finance).await;
        let r = app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha/consultations",
                bearer(&finance),
                create_body(),
            )
            .await;
        let f = Fixture {
            id: r.json()["id"].as_i64().unwrap(),
            app,
            finance,
            peers: Default::default(),
        };
        let (_, browser) = f.open_page().await;
        let submit = |peer: &'static str,
                      forwarded: Option<&'static str>,
                      choices: &'static [(&'static str, &'static str)]| {
            let f = &f;
            let browser = &browser;
            async move {
                let mut fields = choices.to_vec();
                fields.push(("action", "submit"));
                f.post_from(peer, forwarded, browser, &fields).await
            }
        };
        // Ten submissions within the hour, refused or not, use up the address's allowance.
        for i in 0..10 {
            let r = submit("198.51.100.9:1", None, &[]).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "attempt {i}: {}",
                r.body
            );
        }
        let before = f.state().await;
        let r = submit("198.51.100.9:1", None, &CLOSING).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(
            r.body.contains("too many responses from your address"),
            "{}",
            r.body
        );
        assert_eq!(f.state().await, before);
        // Recalculating is not limited.
        assert_eq!(
            f.post_from("198.51.100.9:1", None, &browser, &CLOSING)
                .await
                .status,
            StatusCode::OK
        );
        // A stranger's own X-Forwarded-For does not escape the limit; behind a trusted proxy
        // each client counts on its own.
        let r = submit("198.51.100.9:1", Some("192.0.2.50"), &CLOSING).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        let r = submit("10.0.0.2:1", Some("198.51.100.9"), &CLOSING).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        let r = submit("10.0.0.2:1", Some("192.0.2.7"), &CLOSING).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            f.app.store.consultation_response_count(f.id).await.unwrap(),
            1
        );
    }
);

store_test!(
    async fn an_officer_creates_a_consultation_on_the_page_from_a_draft_of_the_plan(store: Store) {
        let app = TestApp::new(store.with_clock(Clock::on("2016-01-10".parse().unwrap()))).await;
        let finance = app.user_for(Role::Finance).await;
        let commissioner = app.user_for(Role::Commissioner).await;
        let page = app.get("/finance/consultations", session(&finance)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains("year = &quot;2016-17&quot;")
                || page.body.contains("year = &#34;2016-17&#34;"),
            "{}",
            page.body
        );
        let draft = uc_draft(&app).await;
        let alpha = app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap();

        // Settings that are not TOML: the form again naming the line, nothing stored.
        let head = app.store.audit_head().await.unwrap();
        let fields = |settings: &'static str| {
            vec![
                ("csrf", finance.csrf.clone()),
                ("plan", fixture_plan().name),
                ("title", "Our budget 2016-17".to_owned()),
                ("introduction", "Help us close the gap.".to_owned()),
                ("opens_on", "2016-01-10".to_owned()),
                ("closes_on", "2016-02-21".to_owned()),
                ("settings", settings.to_owned()),
            ]
        };
        let bad = fields("year = 2016-17\n");
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app
            .form("/finance/consultations", session(&finance), &bad)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("settings: TOML parse error at line 1"),
            "{}",
            r.body
        );
        assert_eq!(app.store.audit_head().await.unwrap(), head);

        // A commissioner reads the list but is offered no form and may not create.
        let r = app
            .get("/finance/consultations", session(&commissioner))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("id=\"new-consultation\""), "{}", r.body);
        let mut good = fields("");
        good.last_mut().unwrap().1 = draft.clone();
        good[0].1 = commissioner.csrf.clone();
        let as_commissioner: Vec<(&str, &str)> =
            good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app
            .form(
                "/finance/consultations",
                session(&commissioner),
                &as_commissioner,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            app.store
                .consultations_of(alpha.id)
                .await
                .unwrap()
                .is_empty()
        );

        // The draft as it is makes a consultation.
        good[0].1 = finance.csrf.clone();
        let ok: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app
            .form("/finance/consultations", session(&finance), &ok)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let made = app.store.consultations_of(alpha.id).await.unwrap();
        assert_eq!(made.len(), 1);
        assert_eq!(
            r.location(),
            Some(format!("/consultations/{}", made[0].id).as_str())
        );
        let list = app.get("/finance/consultations", session(&finance)).await;
        assert!(list.body.contains("Our budget 2016-17"), "{}", list.body);
    }
);

async fn uc_draft(app: &TestApp) -> String {
    ngc_app::consultations::draft_settings(
        &app.store,
        &ngc_app::Caller::System,
        "alpha",
        &fixture_plan().name,
    )
    .await
    .unwrap()
}
