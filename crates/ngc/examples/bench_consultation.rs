//! Residents responding to a budget consultation, for `scripts/bench-consultation`: each
//! resident opens the page and submits through a real HTTP client against a running
//! `ngc serve` on the demo's database, from an address of its own named by `X-Forwarded-For`
//! (the server trusts the loopback proxy), so the per-address limit is exercised.
//!
//! ```text
//! bench_consultation --database-url URL --base http://127.0.0.1:PORT [--residents 1000]
//!                    [--window 60] [--label sqlite]
//! ```
//!
//! 1. **Set-up**: the open consultation of the demo (`ngc demo --load-only` made it) and an
//!    API token of the county's finance officer, straight from the database.
//! 2. **Arrivals**: `--residents` residents at random instants of `--window` seconds. Each
//!    GETs the page (its cookies, CSRF field, token and signature), then POSTs choices that
//!    close the gap (the deepest step of every question), which must answer 303.
//! 3. **Results**: `GET /api/v1/consultations/{id}/results` as the finance officer, the
//!    median of 21 reads before and after the arrivals: it reads counts per step, so its time
//!    does not grow with the responses.
//! 4. **Checks**: every resident's response is there (none lost): the count grew by
//!    `--residents`, and every question's counts add up to the count.
//!
//! Prints the submission latencies (p50/p95/p99/max), the page GETs' p99 and the results
//! reads before and after. Exits non-zero when any check fails.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use ngc_domain::consultation::Definition;
use ngc_store::Store;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

struct Args {
    database_url: String,
    base: String,
    residents: usize,
    window: u64,
    label: String,
}

fn args() -> Args {
    let mut a = Args {
        database_url: String::new(),
        base: String::new(),
        residents: 1000,
        window: 60,
        label: "ngc".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--database-url" => a.database_url = v,
            "--base" => a.base = v,
            "--residents" => a.residents = v.parse().expect("--residents"),
            "--window" => a.window = v.parse().expect("--window"),
            "--label" => a.label = v,
            _ => panic!("unknown argument {k}"),
        }
    }
    assert!(
        !a.database_url.is_empty() && !a.base.is_empty(),
        "--database-url and --base"
    );
    a
}

/// What a response says: its status, its `Set-Cookie` values and its body.
struct Answer {
    status: StatusCode,
    cookies: Vec<String>,
    body: String,
}

async fn send(client: &HttpClient, req: Request<Full<Bytes>>) -> Result<Answer, String> {
    let res = client.request(req).await.map_err(|e| e.to_string())?;
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Answer {
        status,
        cookies,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split('"').next()?.to_owned())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// One resident: the page, then the submission; the submission's time.
async fn resident(
    client: &HttpClient,
    base: &str,
    id: i64,
    address: &str,
    form: &str,
) -> Result<(Duration, Duration), String> {
    let page_at = Instant::now();
    let req = Request::get(format!("{base}/consultations/{id}"))
        .header("x-forwarded-for", address)
        .body(Full::new(Bytes::new()))
        .map_err(|e| e.to_string())?;
    let page = send(client, req).await?;
    let page_time = page_at.elapsed();
    if page.status != StatusCode::OK {
        return Err(format!("GET the page: {}", page.status));
    }
    let field = |n: &str| hidden(&page.body, n).ok_or_else(|| format!("no {n} field"));
    let body = format!(
        "csrf={}&token={}&sig={}&{form}&action=submit",
        field("csrf")?,
        field("token")?,
        field("sig")?
    );
    let submit_at = Instant::now();
    let req = Request::post(format!("{base}/consultations/{id}"))
        .header("x-forwarded-for", address)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, page.cookies.join("; "))
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let sent = send(client, req).await?;
    let submit_time = submit_at.elapsed();
    if sent.status != StatusCode::SEE_OTHER {
        let why = sent
            .body
            .split("id=\"form-error\">")
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("");
        return Err(format!("POST the response: {} {why}", sent.status));
    }
    Ok((page_time, submit_time))
}

/// The median of 21 reads of the results.
async fn results_time(client: &HttpClient, base: &str, id: i64, token: &str) -> Duration {
    let mut times = Vec::new();
    for _ in 0..21 {
        times.push(results_read(client, base, id, token).await);
    }
    times.sort();
    times[10]
}

async fn results_read(client: &HttpClient, base: &str, id: i64, token: &str) -> Duration {
    let at = Instant::now();
    let req = Request::builder()
        .method(Method::GET)
        .uri(format!("{base}/api/v1/consultations/{id}/results"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Full::new(Bytes::new()))
        .expect("a request");
    let r = send(client, req).await.expect("GET the results");
    assert_eq!(r.status, StatusCode::OK, "the results: {}", r.body);
    at.elapsed()
}

#[tokio::main]
async fn main() {
    let args = args();
    let store = Store::open(&args.database_url)
        .await
        .expect("open the database");
    let c = store
        .open_consultations(store.today())
        .await
        .expect("the open consultations")
        .into_iter()
        .next()
        .expect("an open consultation: run `ngc demo --load-only` on the database first");
    let def: Definition = serde_json::from_str(&c.definition).expect("the definition");
    // The deepest step of every question closes the gap.
    let form: String = def
        .questions
        .iter()
        .map(|q| {
            let (i, _) = q
                .steps
                .iter()
                .enumerate()
                .max_by_key(|(_, s)| s.effect)
                .expect("steps");
            format!("q.{}={i}", q.key.replace(':', "%3A"))
        })
        .collect::<Vec<_>>()
        .join("&");
    let finance = store
        .user_by_email("finance@northamptonshire.demo")
        .await
        .expect("read the user")
        .expect("the demo's finance officer");
    let (_, token) = store
        .create_token(&finance, "bench")
        .await
        .expect("a token");
    let before = store
        .consultation_response_count(c.id)
        .await
        .expect("count");

    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(connector);
    let results_before = results_time(&client, &args.base, c.id, &token).await;

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    let window = Duration::from_secs(args.window);
    let started = Instant::now();
    let times: Arc<Mutex<(Vec<Duration>, Vec<Duration>)>> = Arc::default();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut tasks = Vec::new();
    for n in 0..args.residents {
        let at = window.mul_f64(rng.random::<f64>());
        let address = format!("198.18.{}.{}", n / 250, n % 250 + 1);
        let (client, base, form) = (client.clone(), args.base.clone(), form.clone());
        let (times, failures) = (times.clone(), failures.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until((started + at).into()).await;
            match resident(&client, &base, c.id, &address, &form).await {
                Ok((page, submit)) => {
                    let mut t = times.lock().await;
                    t.0.push(page);
                    t.1.push(submit);
                }
                Err(e) => failures
                    .lock()
                    .await
                    .push(format!("resident {n} ({address}): {e}")),
            }
        }));
    }
    for t in tasks {
        t.await.expect("a resident's task");
    }
    let seconds = started.elapsed().as_secs_f64();
    let results_after = results_time(&client, &args.base, c.id, &token).await;

    let mut failures = failures.lock().await.clone();
    let after = store
        .consultation_response_count(c.id)
        .await
        .expect("count");
    if after - before != args.residents as i64 {
        failures.push(format!(
            "responses lost: {} sent, the count grew by {}",
            args.residents,
            after - before
        ));
    }
    let tallies = store.consultation_tallies(c.id).await.expect("tallies");
    for q in &def.questions {
        let sum: i64 = tallies
            .iter()
            .filter(|(k, _, _)| *k == q.key)
            .map(|(_, _, n)| n)
            .sum();
        if sum != after {
            failures.push(format!("{}: counts add up to {sum}, not {after}", q.key));
        }
    }
    let (mut pages, mut submits) = times.lock().await.clone();
    pages.sort();
    submits.sort();
    println!(
        "{:<9} submit {:>5}   {:>6.1} s   {:>6.1}/s   p50 {:>6.1} ms   p95 {:>6.1} ms   p99 {:>6.1} ms   max {:>6.1} ms   (page GET p99 {:.1} ms)",
        args.label,
        submits.len(),
        seconds,
        submits.len() as f64 / seconds,
        percentile(&submits, 50.0),
        percentile(&submits, 95.0),
        percentile(&submits, 99.0),
        percentile(&submits, 100.0),
        percentile(&pages, 99.0),
    );
    println!(
        "{:<9} results read (median of 21) at {before} responses {:.1} ms, at {after} responses {:.1} ms (counts per step, not every response)",
        args.label,
        results_before.as_secs_f64() * 1000.0,
        results_after.as_secs_f64() * 1000.0,
    );
    if !failures.is_empty() {
        for f in failures.iter().take(20) {
            eprintln!("FAILED: {f}");
        }
        eprintln!("{} checks failed", failures.len());
        std::process::exit(1);
    }
}
