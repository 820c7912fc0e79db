//! The deadline rush, for `scripts/bench-bids`: bids through a real HTTP client against a
//! running `ngc serve`, then every bid checked.
//!
//! ```text
//! bench_bids --database-url URL --base http://127.0.0.1:PORT [--providers 500] [--bids 2000]
//!            [--window 60] [--burst-concurrency 32] [--label sqlite]
//! ```
//!
//! 1. **Set-up**, straight into the database the server uses: a council with a commissioner
//!    (the procurement lead), `--providers` provider organisations each with a user and an
//!    API token, and two published tenders of two lots. (Publishing is set in the table: the
//!    bid rules only read the status.)
//! 2. **Burst** (capacity): on the first tender, every provider submits once and replaces
//!    its bid until `--bids` bids are in, with `--burst-concurrency` requests in flight, as
//!    fast as the server answers: bids per second and latencies under saturation.
//! 3. **Rush**: the second tender closes `--window` seconds after the rush starts (plus one
//!    second). Each provider submits and then replaces its bid at random instants of the
//!    window, more of them towards the deadline (the density of arrivals grows linearly), so
//!    that `--bids` bids arrive in the final `--window` seconds. Each bidder's requests go one
//!    after another (a replacement names the bid it replaces).
//! 4. **Checks**: a bid one second after the deadline is refused with 409; after the
//!    deadline the procurement lead lists the tender's bids (every receipt there, none lost,
//!    one active bid per provider) and reads every bid back (its content is what was sent and
//!    hashes to its receipt, the SHA-256 of its RFC 8785 form, computed here by the client).
//!    The burst tender's bids are checked in the database (its deadline is far off: nobody
//!    may read them).
//!
//! Prints one line per phase: `bids`, `seconds`, `bids/s`, and latency p50/p95/p99/max (ms).
//! Exits non-zero when any check fails.

use bytes::Bytes;
use chrono::{Duration, Utc};
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use ngc_domain::Role;
use ngc_domain::money::Money;
use ngc_domain::organisation::{LegalForm, OrgKind, OrganisationDraft};
use ngc_domain::procurement::{
    ClassificationScheme, CommencingEvent, ContractType, Procedure, Reservation,
};
use ngc_domain::slug::Slug;
use ngc_store::sealing::content_digest;
use ngc_store::tenders::{NewLot, NewTender, Tender};
use ngc_store::users::NewUser;
use ngc_store::{Actor, Store};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};
use tokio::sync::{Mutex, Semaphore};

type HttpClient = Client<HttpConnector, Full<Bytes>>;
type Failures = Arc<Mutex<Vec<String>>>;

#[derive(Debug, Clone)]
struct Args {
    database_url: String,
    base: String,
    providers: usize,
    bids: usize,
    window: u64,
    burst_concurrency: usize,
    label: String,
}

fn args() -> Args {
    let mut a = Args {
        database_url: String::new(),
        base: String::new(),
        providers: 500,
        bids: 2000,
        window: 60,
        burst_concurrency: 32,
        label: "ngc".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--database-url" => a.database_url = value(),
            "--base" => a.base = value(),
            "--providers" => a.providers = value().parse().expect("--providers"),
            "--bids" => a.bids = value().parse().expect("--bids"),
            "--window" => a.window = value().parse().expect("--window"),
            "--burst-concurrency" => {
                a.burst_concurrency = value().parse().expect("--burst-concurrency")
            }
            "--label" => a.label = value(),
            other => panic!("bench_bids: unknown argument {other}"),
        }
    }
    assert!(
        !a.database_url.is_empty() && !a.base.is_empty(),
        "--database-url and --base are needed"
    );
    assert!(
        a.bids >= a.providers && a.providers > 0,
        "--bids must be at least --providers"
    );
    a
}

/// One bidder: its token and organisation slug.
#[derive(Debug, Clone)]
struct Bidder {
    token: String,
    slug: String,
}

/// What the set-up made.
struct Fixture {
    lead_token: String,
    bidders: Vec<Bidder>,
    lead_id: i64,
}

async fn setup(store: &Store, args: &Args) -> Fixture {
    let a = Actor::system();
    let org = |slug: &str, kind: OrgKind, legal_form: LegalForm| OrganisationDraft {
        slug: Slug::parse(slug).unwrap(),
        name: format!("Bench {slug}"),
        kind,
        legal_form,
        sme: true,
        vcse: false,
        public_service_mutual: false,
        identifiers: vec![],
        owner: None,
    };
    store
        .create_organisation(
            &org("bench-council", OrgKind::County, LegalForm::LocalAuthority),
            &a,
        )
        .await
        .unwrap();
    let lead = store
        .create_user(
            &NewUser {
                email: "lead@bench-council.test",
                name: "",
                role: Role::Commissioner,
                organisation: "bench-council",
                password: "bench password 1",
            },
            &a,
        )
        .await
        .unwrap();
    let (_, lead_token) = store.create_token(&lead, "bench").await.unwrap();
    // Users in parallel: each password hash takes a while.
    let mut tasks = Vec::new();
    for chunk in (0..args.providers)
        .collect::<Vec<_>>()
        .chunks(args.providers.div_ceil(4))
    {
        let store = store.clone();
        let chunk = chunk.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for i in chunk {
                let slug = format!("bench-provider-{i:04}");
                store
                    .create_organisation(
                        &OrganisationDraft {
                            kind: OrgKind::Provider,
                            legal_form: LegalForm::CompanyLimitedByShares,
                            ..org(&slug, OrgKind::Provider, LegalForm::CompanyLimitedByShares)
                        },
                        &Actor::system(),
                    )
                    .await
                    .unwrap();
                let email = format!("bids@{slug}.test");
                let user = store
                    .create_user(
                        &NewUser {
                            email: &email,
                            name: "",
                            role: Role::Provider,
                            organisation: &slug,
                            password: "bench password 1",
                        },
                        &Actor::system(),
                    )
                    .await
                    .unwrap();
                let (_, token) = store.create_token(&user, "bench").await.unwrap();
                out.push(Bidder { token, slug });
            }
            out
        }));
    }
    let mut bidders = Vec::new();
    for t in tasks {
        bidders.extend(t.await.unwrap());
    }
    Fixture {
        lead_token,
        bidders,
        lead_id: lead.id,
    }
}

async fn tender(
    store: &Store,
    reference: &str,
    lead_id: i64,
    deadline: chrono::DateTime<Utc>,
) -> Tender {
    let lot = |title: &str| NewLot {
        title: title.into(),
        description: String::new(),
        estimated_value: Money::pounds(1_000_000),
        criteria: None,
    };
    let t = store
        .create_tender(
            &NewTender {
                reference: reference.into(),
                lead_organisation: "bench-council".into(),
                procurement_lead_id: lead_id,
                title: format!("Bench waste collection {reference}"),
                description: String::new(),
                classification_scheme: ClassificationScheme::Cpv,
                classification_code: "90511000-2".into(),
                contract_type: ContractType::Services,
                procedure: Procedure::Open,
                commencing_event: CommencingEvent::ContractNotice,
                commenced_on: Utc::now().date_naive(),
                estimated_value: Money::pounds(2_000_000),
                vat_inclusive: false,
                above_threshold: true,
                reservation: Reservation::None,
                two_envelope: false,
                criteria: json!({}),
                clarification_deadline: None,
                submission_deadline: deadline,
                buyers: vec![("bench-council".into(), rust_decimal::Decimal::ONE_HUNDRED)],
                lots: vec![lot("North"), lot("South")],
            },
            &Actor::system(),
        )
        .await
        .unwrap();
    store
        .execute_raw(&format!(
            "UPDATE tenders SET status = 'published' WHERE id = {}",
            t.id
        ))
        .await
        .unwrap();
    t
}

/// The body of a provider's `n`th bid: prices and answers that differ from bid to bid.
fn bid_body(provider: usize, n: usize) -> Value {
    let pence = 90_000_000 + (provider as i64) * 1_000 + n as i64 * 7;
    json!({
        "lots": [
            {"lot": "1", "price": Money::pence(pence).to_string()},
            {"lot": "South", "price": Money::pence(pence / 2 + 13).to_string()},
        ],
        "answers": [
            {"question": "Social value", "text": format!("Provider {provider}, version {n}: apprenticeships and local jobs")},
            {"question": "Method", "text": "Weekly collection, electric fleet, missed bins collected within 24 hours."},
        ],
    })
}

/// An HTTP exchange: status, JSON body (or null) and the time it took.
async fn call(
    client: &HttpClient,
    base: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> (StatusCode, Value, StdDuration) {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("authorization", format!("Bearer {token}"));
    let bytes = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Bytes::from(serde_json::to_vec(b).unwrap())
        }
        None => Bytes::new(),
    };
    let started = Instant::now();
    let response = client.request(req.body(Full::new(bytes)).unwrap()).await;
    let response = match response {
        Ok(r) => r,
        Err(e) => {
            return (
                StatusCode::BAD_GATEWAY,
                json!({"client_error": e.to_string()}),
                started.elapsed(),
            );
        }
    };
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let elapsed = started.elapsed();
    (
        status,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
        elapsed,
    )
}

/// What one accepted bid left: its id, receipt and the body sent.
#[derive(Debug, Clone)]
struct Sent {
    id: i64,
    sha256: String,
    body: Value,
}

/// Submits (or replaces `previous`) and checks the receipt against the body's digest.
async fn bid(
    client: &HttpClient,
    base: &str,
    tender_id: i64,
    bidder: &Bidder,
    previous: Option<i64>,
    body: Value,
    failures: &Failures,
) -> Option<(Sent, StdDuration)> {
    let (method, path, expected) = match previous {
        None => (
            Method::POST,
            format!("/api/v1/tenders/{tender_id}/bids"),
            StatusCode::CREATED,
        ),
        Some(id) => (Method::PUT, format!("/api/v1/bids/{id}"), StatusCode::OK),
    };
    let (status, reply, took) = call(client, base, method, &path, &bidder.token, Some(&body)).await;
    if status != expected {
        failures
            .lock()
            .await
            .push(format!("{} {path}: {status} {reply}", bidder.slug));
        return None;
    }
    let sha256 = content_digest(&body).unwrap().sha256_hex;
    if reply["content_sha256"] != json!(sha256) {
        failures.lock().await.push(format!(
            "{}: receipt {} is not the body's SHA-256 {sha256}",
            bidder.slug, reply["content_sha256"]
        ));
    }
    let id = reply["bid_id"].as_i64().unwrap_or_default();
    Some((Sent { id, sha256, body }, took))
}

/// How many bids each provider makes so that they add up to `total`.
fn shares(total: usize, providers: usize) -> Vec<usize> {
    (0..providers)
        .map(|i| total / providers + usize::from(i < total % providers))
        .collect()
}

struct Phase {
    sent: Vec<Sent>,
    latencies: Vec<StdDuration>,
    seconds: f64,
}

/// Every provider bids as fast as answers come, `concurrency` requests in flight.
async fn burst(
    client: &HttpClient,
    args: &Args,
    tender_id: i64,
    bidders: &[Bidder],
    failures: &Failures,
) -> Phase {
    let gate = Arc::new(Semaphore::new(args.burst_concurrency));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (p, (bidder, n)) in bidders
        .iter()
        .zip(shares(args.bids, bidders.len()))
        .enumerate()
    {
        let (client, base, bidder, gate, failures) = (
            client.clone(),
            args.base.clone(),
            bidder.clone(),
            gate.clone(),
            failures.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let mut previous = None;
            for k in 0..n {
                let _permit = gate.acquire().await.unwrap();
                let Some((sent, took)) = bid(
                    &client,
                    &base,
                    tender_id,
                    &bidder,
                    previous,
                    bid_body(p, k),
                    &failures,
                )
                .await
                else {
                    break;
                };
                previous = Some(sent.id);
                out.push((sent, took));
            }
            out
        }));
    }
    collect(tasks, started).await
}

/// Bids at random instants of the window before the deadline, denser towards it.
async fn rush(
    client: &HttpClient,
    args: &Args,
    tender_id: i64,
    bidders: &[Bidder],
    started: Instant,
    failures: &Failures,
) -> Phase {
    let window = args.window as f64;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut tasks = Vec::new();
    for (p, (bidder, n)) in bidders
        .iter()
        .zip(shares(args.bids, bidders.len()))
        .enumerate()
    {
        // Density growing linearly to the deadline: t = window × √u.
        let mut at: Vec<f64> = (0..n)
            .map(|_| window * rng.random::<f64>().sqrt())
            .collect();
        at.sort_by(f64::total_cmp);
        let (client, base, bidder, failures) = (
            client.clone(),
            args.base.clone(),
            bidder.clone(),
            failures.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let mut previous = None;
            for (k, t) in at.into_iter().enumerate() {
                tokio::time::sleep_until((started + StdDuration::from_secs_f64(t)).into()).await;
                let Some((sent, took)) = bid(
                    &client,
                    &base,
                    tender_id,
                    &bidder,
                    previous,
                    bid_body(p, 100 + k),
                    &failures,
                )
                .await
                else {
                    break;
                };
                previous = Some(sent.id);
                out.push((sent, took));
            }
            out
        }));
    }
    collect(tasks, started).await
}

async fn collect(
    tasks: Vec<tokio::task::JoinHandle<Vec<(Sent, StdDuration)>>>,
    started: Instant,
) -> Phase {
    let mut sent = Vec::new();
    let mut latencies = Vec::new();
    for t in tasks {
        for (s, took) in t.await.unwrap() {
            sent.push(s);
            latencies.push(took);
        }
    }
    Phase {
        sent,
        latencies,
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn percentile(sorted: &[StdDuration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1].as_secs_f64() * 1000.0
}

fn report(label: &str, phase: &str, p: &Phase) {
    let mut l = p.latencies.clone();
    l.sort();
    println!(
        "{label:<9} {phase:<6} bids {:>5}   {:>6.1} s   {:>7.1} bids/s   p50 {:>6.1} ms   p95 {:>6.1} ms   p99 {:>6.1} ms   max {:>6.1} ms",
        p.sent.len(),
        p.seconds,
        p.sent.len() as f64 / p.seconds,
        percentile(&l, 50.0),
        percentile(&l, 95.0),
        percentile(&l, 99.0),
        percentile(&l, 100.0),
    );
}

#[tokio::main]
async fn main() {
    let args = args();
    let store = Store::open(&args.database_url)
        .await
        .expect("open the database");
    let failures: Failures = Arc::default();
    let fixture = setup(&store, &args).await;
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(StdDuration::from_secs(30))
        .build(connector);

    // Burst: capacity.
    let far = Utc::now() + Duration::days(30);
    let burst_tender = tender(&store, "BENCH-BURST", fixture.lead_id, far).await;
    let burst_phase = burst(&client, &args, burst_tender.id, &fixture.bidders, &failures).await;
    report(&args.label, "burst", &burst_phase);

    // The rush: the final window before the deadline.
    let deadline = Utc::now() + Duration::milliseconds((args.window as i64) * 1000 + 1500);
    let rush_tender = tender(&store, "BENCH-RUSH", fixture.lead_id, deadline).await;
    let started = Instant::now();
    let rush_phase = rush(
        &client,
        &args,
        rush_tender.id,
        &fixture.bidders,
        started,
        &failures,
    )
    .await;
    report(&args.label, "rush", &rush_phase);
    if rush_phase.seconds > args.window as f64 + 1.0 {
        failures.lock().await.push(format!(
            "the rush ran {:.1} s, past the deadline",
            rush_phase.seconds
        ));
    }

    // After the deadline: a late bid is refused, then every bid is there and opens to its receipt.
    let wait = (deadline - Utc::now()).num_milliseconds() + 1000;
    if wait > 0 {
        tokio::time::sleep(StdDuration::from_millis(wait as u64)).await;
    }
    let (status, reply, _) = call(
        &client,
        &args.base,
        Method::POST,
        &format!("/api/v1/tenders/{}/bids", rush_tender.id),
        &fixture.bidders[0].token,
        Some(&bid_body(0, 999)),
    )
    .await;
    if status != StatusCode::CONFLICT {
        failures
            .lock()
            .await
            .push(format!("a late bid answered {status} {reply}"));
    }
    let (status, listed, _) = call(
        &client,
        &args.base,
        Method::GET,
        &format!("/api/v1/tenders/{}/bids", rush_tender.id),
        &fixture.lead_token,
        None,
    )
    .await;
    let listed: HashMap<i64, Value> = listed["bids"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|b| (b["id"].as_i64().unwrap(), b.clone()))
                .collect()
        })
        .unwrap_or_default();
    if status != StatusCode::OK || listed.len() != rush_phase.sent.len() {
        failures.lock().await.push(format!(
            "the lead lists {} bids ({status}); {} were accepted",
            listed.len(),
            rush_phase.sent.len()
        ));
    }
    let active = listed.values().filter(|b| b["status"] == "active").count();
    if active != fixture.bidders.len() {
        failures.lock().await.push(format!(
            "{active} active bids for {} providers",
            fixture.bidders.len()
        ));
    }
    let read_started = Instant::now();
    let gate = Arc::new(Semaphore::new(16));
    let mut reads = Vec::new();
    for s in rush_phase.sent.clone() {
        if listed.get(&s.id).map(|b| b["content_sha256"].clone()) != Some(json!(s.sha256)) {
            failures
                .lock()
                .await
                .push(format!("bid {}: not listed with its receipt", s.id));
        }
        let (client, base, token, gate, failures) = (
            client.clone(),
            args.base.clone(),
            fixture.lead_token.clone(),
            gate.clone(),
            failures.clone(),
        );
        reads.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let (status, opened, took) = call(
                &client,
                &base,
                Method::GET,
                &format!("/api/v1/bids/{}", s.id),
                &token,
                None,
            )
            .await;
            let content = &opened["content"];
            let ok = status == StatusCode::OK
                && *content == s.body
                && content_digest(content).unwrap().sha256_hex == s.sha256
                && opened["bid"]["content_sha256"] == json!(s.sha256);
            if !ok {
                failures
                    .lock()
                    .await
                    .push(format!("bid {}: read back {status}, not as sent", s.id));
            }
            took
        }));
    }
    let mut read_latencies = Vec::new();
    for r in reads {
        read_latencies.push(r.await.unwrap());
    }
    report(
        &args.label,
        "reads",
        &Phase {
            sent: rush_phase.sent.clone(),
            latencies: read_latencies,
            seconds: read_started.elapsed().as_secs_f64(),
        },
    );
    let stored = store.bids_of_tender(burst_tender.id).await.unwrap();
    let receipts: HashMap<i64, &str> = stored
        .iter()
        .map(|b| (b.id, b.content_sha256.as_str()))
        .collect();
    if stored.len() != burst_phase.sent.len()
        || burst_phase
            .sent
            .iter()
            .any(|s| receipts.get(&s.id) != Some(&s.sha256.as_str()))
    {
        failures.lock().await.push(format!(
            "the burst tender holds {} bids; {} were accepted",
            stored.len(),
            burst_phase.sent.len()
        ));
    }
    let expected = args.bids;
    for (phase, p) in [("burst", &burst_phase), ("rush", &rush_phase)] {
        if p.sent.len() != expected {
            failures.lock().await.push(format!(
                "{phase}: {} of {expected} bids accepted",
                p.sent.len()
            ));
        }
    }
    let failures = failures.lock().await;
    if !failures.is_empty() {
        eprintln!("bench_bids: {} checks failed:", failures.len());
        for f in failures.iter().take(20) {
            eprintln!("  {f}");
        }
        std::process::exit(1);
    }
    println!(
        "{:<9} checks: {} + {} bids stored, every receipt the SHA-256 of what was sent, every rush bid read back to its receipt, the late bid refused",
        args.label,
        burst_phase.sent.len(),
        rush_phase.sent.len()
    );
}
