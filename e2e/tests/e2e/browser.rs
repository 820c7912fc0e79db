//! Browser journeys: headless Debian Chromium driven through chromedriver
//! (fantoccini) against a real `ngc demo` server on a fresh SQLite database.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::http;
use crate::support::{NgcServer, Proc, Scratch, artifacts_dir, free_port, sqlite_url};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a page step (an element, a navigation) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);

pub(crate) type StepResult = Result<(), String>;

/// chromedriver (`$NGC_CHROMEDRIVER` or /usr/bin/chromedriver) and a headless
/// Chromium (`$NGC_CHROMIUM` or /usr/bin/chromium) session with a fresh profile.
#[derive(Debug)]
struct Browser {
    client: Client,
    // Declared after `client` so the driver outlives the session handle.
    _driver: Proc,
}

fn tool(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    assert!(
        path.is_file(),
        "{} not found: the browser journeys need Debian's chromium and chromium-driver. \
         Run scripts/test (it installs them), or `apt-get install chromium chromium-driver`, \
         or set {env}",
        path.display()
    );
    path
}

impl Browser {
    async fn start(scratch: &Path) -> Browser {
        let chromium = tool("NGC_CHROMIUM", CHROMIUM);
        let chromedriver = tool("NGC_CHROMEDRIVER", CHROMEDRIVER);
        let profile = scratch.join("chromium-profile");
        std::fs::create_dir_all(&profile).expect("create the chromium profile dir");

        let port = free_port();
        let mut cmd = Command::new(&chromedriver);
        cmd.arg(format!("--port={port}"));
        let mut driver = Proc::spawn("chromedriver", cmd, scratch);
        let driver_addr = format!("127.0.0.1:{port}");
        let start = Instant::now();
        loop {
            if let Some(status) = driver.exited() {
                panic!("chromedriver exited early with {status}\n{}", driver.logs());
            }
            if matches!(http::get(&driver_addr, "/status", &[]), Ok(r) if r.status == 200) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromedriver did not answer GET /status within 30s\n{}",
                driver.logs()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!("a JSON object literal")
        };
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://{driver_addr}"))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot open a headless Chromium session: {e}\n{}",
                    driver.logs()
                )
            });
        Browser {
            client,
            _driver: driver,
        }
    }
}

/// Runs one journey: a fresh demo database and server, a fresh browser, the
/// steps, then (pass or fail) a screenshot of the last page to
/// `e2e/artifacts/<name>.png`.
pub(crate) async fn journey<F>(name: &str, steps: F)
where
    F: AsyncFnOnce(&Client, &NgcServer) -> StepResult,
{
    let scratch = Scratch::new(name);
    let db = scratch.path().join("ngc.db");
    let server = NgcServer::demo("ngc-demo", &sqlite_url(&db), scratch.path());
    let browser = Browser::start(scratch.path()).await;

    let outcome = steps(&browser.client, &server).await;

    let shot = artifacts_dir().join(format!("{name}.png"));
    let shot_note = match browser.client.screenshot().await {
        Ok(png) => match std::fs::write(&shot, png) {
            Ok(()) => format!("screenshot: {}", shot.display()),
            Err(e) => format!("could not write {}: {e}", shot.display()),
        },
        Err(e) => format!("could not take a screenshot: {e}"),
    };
    eprintln!("[e2e] {name}: {shot_note}");
    let last_url = browser
        .client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let page = browser.client.source().await.unwrap_or_default();
    let Browser { client, _driver } = browser;
    let _ = client.close().await;

    if let Err(why) = outcome {
        panic!(
            "journey {name} failed: {why}\nlast URL: {last_url}\n{shot_note}\n\
             ----- last page -----\n{page}\n----- end of page -----"
        );
    }
}

/// Adds what was being done to an error.
pub(crate) trait Ctx<T> {
    fn ctx(self, what: &str) -> Result<T, String>;
}

impl<T, E: std::fmt::Display> Ctx<T> for Result<T, E> {
    fn ctx(self, what: &str) -> Result<T, String> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}

pub(crate) async fn find(c: &Client, css: &str) -> Result<fantoccini::elements::Element, String> {
    c.wait()
        .at_most(STEP_TIMEOUT)
        .for_element(Locator::Css(css))
        .await
        .ctx(&format!("waiting for `{css}`"))
}

pub(crate) async fn fill(c: &Client, css: &str, text: &str) -> StepResult {
    let input = find(c, css).await?;
    input.clear().await.ctx(&format!("clearing `{css}`"))?;
    input
        .send_keys(text)
        .await
        .ctx(&format!("typing into `{css}`"))
}

pub(crate) async fn click(c: &Client, css: &str) -> StepResult {
    find(c, css)
        .await?
        .click()
        .await
        .ctx(&format!("clicking `{css}`"))
}

/// Waits until the browser's URL path is `path`.
pub(crate) async fn wait_for_path(c: &Client, path: &str) -> StepResult {
    let start = Instant::now();
    loop {
        let url = c.current_url().await.ctx("reading the URL")?;
        if url.path() == path {
            return Ok(());
        }
        if start.elapsed() > STEP_TIMEOUT {
            return Err(format!(
                "expected to land on {path}, still at {url} after {STEP_TIMEOUT:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the text of `css` contains `needle`.
pub(crate) async fn wait_for_text(c: &Client, css: &str, needle: &str) -> StepResult {
    let start = Instant::now();
    loop {
        let text = find(c, css).await?.text().await.unwrap_or_default();
        if text.contains(needle) {
            return Ok(());
        }
        if start.elapsed() > STEP_TIMEOUT {
            return Err(format!(
                "expected `{css}` to contain {needle:?}, it says {text:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Checks that the page shows `needle` (visible text, else the HTML source).
pub(crate) async fn page_shows(c: &Client, needle: &str) -> StepResult {
    let text = find(c, "body").await?.text().await.unwrap_or_default();
    if text.contains(needle) {
        return Ok(());
    }
    let source = c.source().await.ctx("reading the page source")?;
    if source.contains(needle) {
        return Ok(());
    }
    Err(format!("expected the page to show {needle:?}"))
}

/// Signs in through the form at /login and waits for the dashboard.
pub(crate) async fn sign_in(c: &Client, server: &NgcServer, email: &str) -> StepResult {
    c.goto(&server.url("/login")).await.ctx("opening /login")?;
    fill(c, "#email", email).await?;
    fill(c, "#password", "demo").await?;
    click(c, "#sign-in").await?;
    wait_for_path(c, "/")
        .await
        .map_err(|e| format!("signing in as {email}: {e}"))?;
    wait_for_text(c, "h1", "Dashboard").await
}

/// Journey (a): the finance officer signs in, sees the council's dashboard,
/// signs out and lands on the sign-in page.
#[tokio::test]
async fn finance_officer_signs_in_sees_dashboard_and_signs_out() {
    journey(
        "finance_sign_in_out",
        async |c: &Client, server: &NgcServer| {
            let email = "finance@northamptonshire.demo";
            sign_in(c, server, email).await?;
            page_shows(c, "Northamptonshire County Council").await?;
            page_shows(c, email).await?;

            click(c, "#sign-out").await?;
            wait_for_path(c, "/login").await?;
            find(c, "#email").await?;
            find(c, "#sign-in").await?;

            // Signed out for real: the dashboard sends us back to sign in.
            c.goto(&server.url("/")).await.ctx("reopening /")?;
            wait_for_path(c, "/login").await?;
            find(c, "#sign-in").await.map(drop)
        },
    )
    .await;
}

/// Journey (b): a provider signs in and is refused the admin pages (403).
#[tokio::test]
async fn provider_is_refused_the_admin_pages() {
    journey(
        "provider_admin_forbidden",
        async |c: &Client, server: &NgcServer| {
            sign_in(c, server, "provider@nene-valley-care.demo").await?;

            c.goto(&server.url("/admin")).await.ctx("opening /admin")?;
            wait_for_text(c, "h1#error-title", "Not allowed").await?;

            // The browser cannot see status codes: ask again with its session cookie.
            let session = c
                .get_named_cookie("ngc_session")
                .await
                .ctx("reading the ngc_session cookie")?;
            let cookie = format!("ngc_session={}", session.value());
            let r = http::get(&server.addr, "/admin", &[("Cookie", &cookie)])
                .ctx("GET /admin with the provider's session")?;
            if r.status != 403 {
                return Err(format!(
                    "GET /admin as a provider: expected 403, got {}",
                    r.describe()
                ));
            }
            Ok(())
        },
    )
    .await;
}

/// Journey (c): a provider registers itself in the browser, cannot sign in until the
/// instance administrator verifies it in the browser, then signs in to its dashboard.
#[tokio::test]
async fn provider_registers_admin_verifies_provider_signs_in() {
    journey(
        "supplier_registration",
        async |c: &Client, server: &NgcServer| {
            let name = "Welland Valley Support CIC";
            let email = "jo@welland-valley.example";
            let password = "welland valley 2026";

            // From the sign-in page to the registration form.
            c.goto(&server.url("/login")).await.ctx("opening /login")?;
            click(c, "#register-link").await?;
            wait_for_path(c, "/register").await?;
            fill(c, "#name", name).await?;
            find(c, "#legal_form")
                .await?
                .select_by_value("community_interest_company")
                .await
                .ctx("choosing the legal form")?;
            fill(c, "#identifiers", "GB-COH-13572468\nGB-PPON-PHDQ-2359-NZMP").await?;
            click(c, "#sme").await?;
            click(c, "#vcse").await?;
            fill(c, "#description", "Support at home in the Welland valley.").await?;
            fill(c, "#contact_phone", "01536 000000").await?;
            fill(c, "#user_name", "Jo Welland").await?;
            fill(c, "#user_email", email).await?;
            fill(c, "#password", password).await?;
            fill(c, "#password_confirm", password).await?;
            click(c, "#register").await?;
            wait_for_path(c, "/login").await?;
            wait_for_text(c, "#login-notice", "registration has been received").await?;

            // Not yet: the registration waits for verification.
            fill(c, "#email", email).await?;
            fill(c, "#password", password).await?;
            click(c, "#sign-in").await?;
            wait_for_text(c, "#login-error", "waiting for verification").await?;

            // The instance administrator verifies it.
            let admin = "admin@ngc.demo";
            sign_in(c, server, admin).await?;
            c.goto(&server.url("/admin")).await.ctx("opening /admin")?;
            click(c, "#supplier-registrations-link").await?;
            wait_for_path(c, "/admin/registrations").await?;
            wait_for_text(c, "#pending-registrations", name).await?;
            page_shows(c, "SME, VCSE").await?;
            click(c, "#pending-registrations button[id^='verify-']").await?;
            wait_for_path(c, "/admin/registrations").await?;
            wait_for_text(c, "#decided-registrations", name).await?;
            wait_for_text(c, "#pending-registrations", "None.").await?;
            click(c, "#sign-out").await?;
            wait_for_path(c, "/login").await?;

            // The provider signs in and lands on its dashboard.
            c.goto(&server.url("/login")).await.ctx("opening /login")?;
            fill(c, "#email", email).await?;
            fill(c, "#password", password).await?;
            click(c, "#sign-in").await?;
            wait_for_path(c, "/")
                .await
                .map_err(|e| format!("signing in as {email}: {e}"))?;
            wait_for_text(c, "h1", "Dashboard").await?;
            page_shows(c, name).await?;
            page_shows(c, email).await
        },
    )
    .await;
}

/// Journey (d): a provider finds an open tender of the demo, asks a question, bids and
/// gets its receipt; the county's own commissioner is then refused the sealed bid, told the
/// deadline.
#[tokio::test]
async fn provider_asks_bids_and_the_buyer_cannot_open_the_bid() {
    journey("provider_bids", async |c: &Client, server: &NgcServer| {
        sign_in(c, server, "provider@nene-valley-care.demo").await?;
        c.goto(&server.url("/procurement"))
            .await
            .ctx("opening /procurement")?;
        wait_for_text(c, "#open", "Accessible minibus maintenance").await?;
        page_shows(c, "Joint waste collection for the seven districts").await?;
        c.wait()
            .at_most(STEP_TIMEOUT)
            .for_element(Locator::LinkText("Accessible minibus maintenance"))
            .await
            .ctx("finding the minibus tender")?
            .click()
            .await
            .ctx("opening the minibus tender")?;
        wait_for_text(c, "h1", "Accessible minibus maintenance").await?;

        // A clarification question, waiting for the buyer's answer.
        let question = "May we service the minibuses at your Brackmills depot?";
        fill(c, "#question", question).await?;
        click(c, "#question-form button[type='submit']").await?;
        wait_for_text(c, "#waiting", question).await?;

        // The bid, sealed, with its receipt.
        click(c, "#bid-link").await?;
        wait_for_text(c, "h1", "Your bid").await?;
        fill(c, "#price_1", "21480.00").await?;
        fill(c, "#question_1", "Service delivery and method statement").await?;
        fill(
            c,
            "#answer_1",
            "Mobile servicing on site; a courtesy minibus during repairs.",
        )
        .await?;
        click(c, "#submit-bid").await?;
        wait_for_text(c, "#receipt", "Your current bid").await?;
        let bid = find(c, "#receipt-bid")
            .await?
            .text()
            .await
            .ctx("reading the bid id")?;
        let sha = find(c, "#receipt-sha256")
            .await?
            .text()
            .await
            .ctx("reading the receipt")?;
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("the receipt is not a SHA-256: {sha:?}"));
        }
        c.goto(&server.url("/procurement/bids"))
            .await
            .ctx("opening /procurement/bids")?;
        page_shows(c, "Accessible minibus maintenance").await?;
        page_shows(c, &sha).await?;
        click(c, "#sign-out").await?;
        wait_for_path(c, "/login").await?;

        // The buyer's commissioner sees the question but may not open the bid.
        sign_in(c, server, "commissioner@northamptonshire.demo").await?;
        c.goto(&server.url(&format!("/procurement/bids/{bid}")))
            .await
            .ctx("opening the bid")?;
        page_shows(c, "deadline").await?;
        let body = find(c, "body").await?.text().await.unwrap_or_default();
        if body.contains("Mobile servicing on site") {
            return Err("the buyer read the sealed bid before the deadline".into());
        }
        Ok(())
    })
    .await;
}

/// Journey (e): a losing bidder of the demo's 2015 highways tender follows its bid to the
/// outcome and reads its own assessment summary, naming the winner; the winner's own summary
/// is not on its page.
#[tokio::test]
async fn losing_bidder_reads_its_own_assessment_summary() {
    journey(
        "provider_outcome",
        async |c: &Client, server: &NgcServer| {
            sign_in(c, server, "bids@brackmills-facilities.demo").await?;
            c.goto(&server.url("/procurement"))
                .await
                .ctx("opening /procurement")?;
            click(c, "#my-bids-link").await?;
            wait_for_text(c, "h1", "My bids").await?;
            page_shows(c, "NCC-2015-HW-001").await?;
            click(c, "a[id^='outcome-']").await?;
            wait_for_text(c, "h1", "Outcome and assessment summary").await?;
            wait_for_text(c, "#summary-brackmills-facilities", "brackmills-facilities").await?;
            page_shows(c, "the most advantageous tender is `shires-highways`").await?;
            let source = c.source().await.ctx("reading the page")?;
            if source.contains("summary-shires-highways") {
                return Err("the loser sees the winner's own assessment summary".into());
            }
            Ok(())
        },
    )
    .await;
}

/// Journey (f): Cambridgeshire's partner signs in, acts for LGSS and reads every partner's
/// recharge statement; Northampton's finance officer, whose council is not in LGSS, is
/// refused the page and the API and is offered neither.
#[tokio::test]
async fn a_partner_acts_for_lgss_and_an_outsider_sees_none_of_it() {
    journey("lgss_statements", async |c: &Client, server: &NgcServer| {
        sign_in(c, server, "partner@cambridgeshire.demo").await?;
        c.goto(&server.url("/partnerships/lgss"))
            .await
            .ctx("opening /partnerships/lgss")?;
        click(c, "a[href='/partnerships/lgss/shared-services']").await?;
        wait_for_text(c, "h1", "LGSS: shared services").await?;
        click(c, "#act-for").await?;
        wait_for_text(c, "header .acting", "Acting for LGSS").await?;
        // While acting, the dashboard is the partnership's records.
        c.goto(&server.url("/")).await.ctx("opening /")?;
        wait_for_path(c, "/partnerships/lgss/shared-services").await?;
        wait_for_text(c, "#statement", "Recharge statement 2019-20").await?;
        for partner in [
            "Northamptonshire County Council",
            "Cambridgeshire County Council",
            "Milton Keynes Council",
        ] {
            page_shows(c, partner).await?;
        }
        page_shows(c, "Savings over the years").await?;
        c.goto(&server.url("/partnerships/lgss/shared-services?year=2015-16"))
            .await
            .ctx("opening 2015-16")?;
        wait_for_text(c, "#statement", "Recharge statement 2015-16").await?;
        click(c, "#sign-out").await?;
        wait_for_path(c, "/login").await?;

        sign_in(c, server, "finance@northampton.demo").await?;
        c.goto(&server.url("/partnerships/lgss"))
            .await
            .ctx("opening /partnerships/lgss as an outsider")?;
        let source = c.source().await.ctx("reading the page")?;
        if source.contains("/partnerships/lgss/shared-services") {
            return Err("an outsider is offered LGSS's statements".into());
        }
        c.goto(&server.url("/partnerships/lgss/shared-services"))
            .await
            .ctx("opening the statements as an outsider")?;
        wait_for_text(c, "h1#error-title", "Not allowed").await?;
        let session = c
            .get_named_cookie("ngc_session")
            .await
            .ctx("reading the ngc_session cookie")?;
        let cookie = format!("ngc_session={}", session.value());
        let r = http::get(
            &server.addr,
            "/api/v1/partnerships/lgss/shared-services/statement?year=2015-16",
            &[("Cookie", &cookie)],
        )
        .ctx("GET the statement with the outsider's session")?;
        if r.status != 403 || r.body.contains("net_charge") {
            return Err(format!(
                "the LGSS statement as an outsider: expected 403 with nothing of it, got {}",
                r.describe()
            ));
        }
        Ok(())
    })
    .await;
}

/// The browser set-up alone (no ngc): tells a broken Chromium/chromedriver
/// apart from a broken app when the journeys fail; and the accessibility check, shown to
/// fail on a page that breaks a rule.
#[tokio::test]
async fn headless_chromium_renders_a_page() {
    let scratch = Scratch::new("chromium-smoke");
    let browser = Browser::start(scratch.path()).await;
    let c = &browser.client;
    let outcome: StepResult = async {
        c.goto("data:text/html,<title>ngc</title><h1 id=t>Hello from ngc e2e</h1>")
            .await
            .ctx("opening a data: URL")?;
        wait_for_text(c, "#t", "Hello from ngc e2e").await?;
        let png = c.screenshot().await.ctx("taking a screenshot")?;
        if !png.starts_with(b"\x89PNG") {
            return Err("the screenshot is not a PNG".into());
        }
        // The accessibility check finds what it should: an image with no text alternative.
        c.goto("data:text/html,<html lang=en><title>ngc</title><main><h1>x</h1><img src='data:,'></main></html>")
            .await
            .ctx("opening a page with a violation")?;
        match crate::accessibility::check(c, "a page with an unlabelled image").await {
            Err(e) if e.contains("image-alt") => Ok(()),
            Err(e) => Err(format!("axe-core found something else: {e}")),
            Ok(()) => Err("axe-core passed an image with no alt text".into()),
        }
    }
    .await;
    let Browser { client, _driver } = browser;
    let _ = client.close().await;
    if let Err(why) = outcome {
        panic!("headless Chromium smoke test failed: {why}");
    }
}
