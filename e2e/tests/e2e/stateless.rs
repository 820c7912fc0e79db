//! Two `ngc serve` processes on one PostgreSQL database: a bearer token issued
//! by one and a session cookie set by one are accepted by the other, so the
//! web tier keeps no state of its own and can run behind a load balancer.

use serde_json::{Value, json};

use crate::http::{self, Response};
use crate::support::{NgcServer, PgDatabase, Scratch, run_ngc};

const EMAIL: &str = "finance@northamptonshire.demo";
const PASSWORD: &str = "demo";

fn check(server: &NgcServer, what: &str, r: std::io::Result<Response>) -> Response {
    r.unwrap_or_else(|e| panic!("{what} on {}: {e}", server.addr))
}

/// The organisation slug in a `/api/v1/me` body: a string, or an object with `slug`.
fn organisation_slug(me: &Value) -> Option<&str> {
    match &me["organisation"] {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("slug").and_then(Value::as_str),
        _ => None,
    }
}

#[test]
fn sessions_and_tokens_work_across_two_servers_on_postgres() {
    // Drop order is the reverse: servers stop, then the scratch dir, then the database.
    let db = PgDatabase::create();
    let scratch = Scratch::new("stateless");
    run_ngc(
        &["demo", "--load-only", "--database-url", &db.url],
        scratch.path(),
    );
    let a = NgcServer::serve("ngc-serve-a", &db.url, scratch.path());
    let b = NgcServer::serve("ngc-serve-b", &db.url, scratch.path());

    // --- API: a token from A works on B ---
    let r = check(
        &a,
        "POST /api/v1/tokens",
        http::post_json(
            &a.addr,
            "/api/v1/tokens",
            &[],
            &json!({ "email": EMAIL, "password": PASSWORD }),
        ),
    );
    assert!(
        r.status == 200 || r.status == 201,
        "POST /api/v1/tokens on A: {}",
        r.describe()
    );
    let token = r.json()["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no \"token\" in {}", r.body))
        .to_string();
    let bearer = format!("Bearer {token}");
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Accept", "application/json"),
    ];

    let r = check(
        &b,
        "GET /api/v1/me",
        http::get(&b.addr, "/api/v1/me", &auth),
    );
    assert_eq!(r.status, 200, "GET /api/v1/me on B: {}", r.describe());
    let me = r.json();
    assert_eq!(me["email"], EMAIL, "GET /api/v1/me on B: {me}");
    assert!(me["role"].is_string(), "no role in /api/v1/me: {me}");
    assert_eq!(
        organisation_slug(&me),
        Some("northamptonshire"),
        "organisation in /api/v1/me: {me}"
    );

    let r = check(
        &b,
        "GET /api/v1/organisations",
        http::get(&b.addr, "/api/v1/organisations", &auth),
    );
    assert_eq!(
        r.status,
        200,
        "GET /api/v1/organisations on B: {}",
        r.describe()
    );
    let body = r.json();
    let list = body
        .get("organisations")
        .unwrap_or(&body)
        .as_array()
        .unwrap_or_else(|| panic!("no organisation list in {body}"));
    assert!(
        list.iter().any(|o| o["slug"] == "northamptonshire"),
        "northamptonshire missing from /api/v1/organisations: {body}"
    );

    // A made-up token is refused.
    let r = check(
        &b,
        "GET /api/v1/me (bad token)",
        http::get(
            &b.addr,
            "/api/v1/me",
            &[("Authorization", "Bearer not-a-real-token")],
        ),
    );
    assert!(
        r.status == 401 || r.status == 403,
        "GET /api/v1/me with a bad token: {}",
        r.describe()
    );

    // --- Web: a session cookie from A works on B ---
    let r = check(&b, "GET / (anonymous)", http::get(&b.addr, "/", &[]));
    assert_eq!(r.status, 303, "GET / signed out on B: {}", r.describe());
    assert!(
        r.header("location").is_some_and(|l| l.ends_with("/login")),
        "GET / signed out should redirect to /login: {}",
        r.describe()
    );

    let r = check(&a, "GET /login", http::get(&a.addr, "/login", &[]));
    assert_eq!(r.status, 200, "GET /login on A: {}", r.describe());
    let csrf_cookie = r
        .cookie("ngc_csrf")
        .unwrap_or_else(|| panic!("GET /login set no ngc_csrf cookie: {:?}", r.headers));
    let csrf_field = http::input_value(&r.body, "csrf")
        .unwrap_or_else(|| panic!("no hidden csrf field on /login:\n{}", r.body));
    let cookie = format!("ngc_csrf={csrf_cookie}");
    let origin = a.url("");
    let referer = a.url("/login");
    let form_headers = [
        ("Cookie", cookie.as_str()),
        ("Origin", origin.as_str()),
        ("Referer", referer.as_str()),
    ];

    // A wrong password re-shows the form with an error and no session.
    let r = check(
        &a,
        "POST /login (wrong password)",
        http::post_form(
            &a.addr,
            "/login",
            &form_headers,
            &[
                ("email", EMAIL),
                ("password", "wrong"),
                ("csrf", &csrf_field),
            ],
        ),
    );
    assert!(
        (r.status == 200 || r.status == 401 || r.status == 422)
            && r.cookie("ngc_session").is_none(),
        "POST /login with a wrong password: {}",
        r.describe()
    );
    assert!(
        r.body.contains("name=\"password\"") || r.body.contains("id=\"password\""),
        "the sign-in form should be shown again after a wrong password: {}",
        r.describe()
    );

    // Use the re-shown form's token (and cookie) in case the failed attempt rotated them.
    let cookie = r
        .cookie("ngc_csrf")
        .map(|c| format!("ngc_csrf={c}"))
        .unwrap_or(cookie);
    let csrf_field = http::input_value(&r.body, "csrf").unwrap_or(csrf_field);
    let form_headers = [
        ("Cookie", cookie.as_str()),
        ("Origin", origin.as_str()),
        ("Referer", referer.as_str()),
    ];
    let r = check(
        &a,
        "POST /login",
        http::post_form(
            &a.addr,
            "/login",
            &form_headers,
            &[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("csrf", &csrf_field),
            ],
        ),
    );
    assert_eq!(r.status, 303, "POST /login on A: {}", r.describe());
    assert!(
        r.header("location")
            .is_some_and(|l| l == "/" || l == a.url("/")),
        "POST /login should redirect to /: {}",
        r.describe()
    );
    let session = r
        .cookie("ngc_session")
        .unwrap_or_else(|| panic!("POST /login set no ngc_session cookie: {:?}", r.headers));

    let cookies = format!("ngc_session={session}; {cookie}");
    let r = check(
        &b,
        "GET / (signed in)",
        http::get(&b.addr, "/", &[("Cookie", &cookies)]),
    );
    assert_eq!(
        r.status,
        200,
        "GET / on B with A's session: {}\n{}",
        r.describe(),
        b.logs()
    );
    assert!(
        r.body.contains(EMAIL),
        "the dashboard on B should show {EMAIL}: {}",
        r.describe()
    );
    assert!(
        r.body.contains("Dashboard"),
        "the page on B should be the dashboard: {}",
        r.describe()
    );
}
