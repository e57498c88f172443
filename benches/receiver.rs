//! A real axum receiver over loopback HTTP with 64 concurrent senders: throughput and latency
//! with the memory store, Redis and PostgreSQL (each started by the bench, as the tests start
//! them, when installed), as ratios to the same receiver with no store; and the durable inbox in
//! SQLite and in PostgreSQL, where each delivery is committed before its 200, as ratios to the
//! same receiver handling inline with no store.
//!
//! Each delivery is new (its own transaction reference), so each is claimed, handled and
//! completed, or stored. A shared 2-core machine's speed drifts by half within a minute, so each
//! configuration is measured in alternating rounds with the no-store receiver, both serving at
//! once: the ratios are the medians of the rounds' ratios. After each round of Redis and
//! PostgreSQL, one claim's round trip, timed as one sender makes the receiver make it: the
//! latency a store may add to a response is one such round trip (the claim; completing happens
//! after the response is sent), and the rounds' median says how many it adds. Results go to
//! `target/criterion/receiver/hookproof.json`; `python3 benches/summary.py` prints them with the
//! rest.
//!
//! `cargo bench -p hookproof-integration --bench receiver` (add `-- inbox`, or any other word
//! of a configuration's name, to measure only those, without recording them)

#[path = "../tests/support/serve.rs"]
mod serve;
#[path = "../tests/support/servers.rs"]
mod servers;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use hookproof::axum::{Webhook, WebhookLayer};
use hookproof::delivery::inbox::{PostgresInbox, SqliteInbox};
use hookproof::delivery::{Claim, IdempotencyStore, MemoryStore, PostgresStore, RedisStore};
use hookproof::platnova::Platnova;
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{Receiver, Secret};

const SENDERS: usize = 64;
const ROUNDS: usize = 9;
/// Claims timed after each round of a store's receiver.
const CLAIMS_TIMED: usize = 300;
/// Every timed claim's key is new.
static KEYS: AtomicU64 = AtomicU64::new(0);
const WARM_UP: Duration = Duration::from_millis(150);
const ROUND: Duration = Duration::from_millis(700);

fn secret() -> Secret {
    Secret::new("pn_bench").unwrap()
}

async fn handler(Webhook(_): Webhook<Platnova>) -> &'static str {
    "ok"
}

/// The receiver every configuration starts from: Platnova, no store.
fn platnova() -> Receiver<Platnova> {
    Receiver::new(Platnova::new(secret()))
}

fn app(receiver: Receiver<Platnova>) -> Router {
    Router::new().route("/", post(handler).layer(WebhookLayer::new(receiver)))
}

/// The latencies of what `senders` sent to `address` in one round, posting new deliveries as
/// fast as they are answered.
fn load(address: SocketAddr, run: &str, senders: usize) -> Vec<Duration> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(senders)
            .build()
            .unwrap();
        let template = sample("card.charged").unwrap().body;
        let platnova = Platnova::new(secret());
        let counter = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let senders: Vec<_> = (0..senders)
            .map(|_| {
                let (client, counter, platnova) =
                    (client.clone(), Arc::clone(&counter), platnova.clone());
                let run = run.to_owned();
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    while start.elapsed() < WARM_UP + ROUND {
                        let n = counter.fetch_add(1, Ordering::Relaxed);
                        let body = template.replace("TXN123456", &format!("{run}-{n}"));
                        let signed = signed_request(&platnova, body).unwrap();
                        let mut request = client.post(format!("http://{address}/"));
                        for (name, value) in &signed.headers {
                            request = request.header(name, value);
                        }
                        let sent = Instant::now();
                        let response = request.body(signed.body).send().await.unwrap();
                        assert_eq!(response.status(), 200);
                        response.bytes().await.unwrap();
                        if sent > start + WARM_UP {
                            latencies.push(sent.elapsed());
                        }
                    }
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for sender in senders {
            latencies.extend(sender.await.unwrap());
        }
        latencies
    })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// All the rounds of one receiver, under 64 senders and under one.
#[derive(Default)]
struct Rounds {
    loaded: Vec<Vec<Duration>>,
    alone: Vec<Vec<Duration>>,
}

impl Rounds {
    fn round(&mut self, address: SocketAddr, run: &str) {
        self.loaded
            .push(load(address, &format!("{run}-loaded"), SENDERS));
        self.alone.push(load(address, &format!("{run}-alone"), 1));
    }

    fn per_second(round: &[Duration]) -> f64 {
        round.len() as f64 / ROUND.as_secs_f64()
    }

    fn alone_p50(round: &[Duration]) -> f64 {
        let mut round = round.to_vec();
        round.sort();
        percentile(&round, 0.5)
    }

    /// Throughput over every round, and latency percentiles over every request.
    fn summary(&self) -> serde_json::Value {
        let mut loaded: Vec<Duration> = self.loaded.iter().flatten().copied().collect();
        loaded.sort();
        let mut alone: Vec<Duration> = self.alone.iter().flatten().copied().collect();
        alone.sort();
        serde_json::json!({
            "per_second": loaded.len() as f64 / (ROUND.as_secs_f64() * self.loaded.len() as f64),
            "p50_us": percentile(&loaded, 0.50),
            "p99_us": percentile(&loaded, 0.99),
            "alone_p50_us": percentile(&alone, 0.50),
        })
    }
}

/// `receiver` against the no-store receiver at `baseline`, in alternating rounds: its summary
/// with the medians of the rounds' throughput ratios and of the latency it adds alone.
/// `receiver` is served on `runtime`, the one its store was connected on, as in a service.
/// `round_trip`, for a store with one, times a claim after each round, so that the latency the
/// store adds is set against a round trip measured when the machine ran at the same speed.
fn compare(
    name: &str,
    baseline: SocketAddr,
    runtime: &tokio::runtime::Runtime,
    receiver: Receiver<Platnova>,
    round_trip: Option<&dyn Fn() -> f64>,
) -> serde_json::Value {
    let (address, stop) = serve::serve_axum_on(runtime.handle(), app(receiver));
    let (mut ours, mut theirs) = (Rounds::default(), Rounds::default());
    let mut round_trips = Vec::new();
    for round in 0..ROUNDS {
        theirs.round(baseline, &format!("{name}-baseline-{round}"));
        ours.round(address, &format!("{name}-{round}"));
        round_trips.extend(round_trip.map(|measure| measure()));
    }
    let _ = stop.send(());
    let ratio = median(
        ours.loaded
            .iter()
            .zip(&theirs.loaded)
            .map(|(ours, theirs)| Rounds::per_second(ours) / Rounds::per_second(theirs))
            .collect(),
    );
    let added_per_round: Vec<f64> = ours
        .alone
        .iter()
        .zip(&theirs.alone)
        .map(|(ours, theirs)| Rounds::alone_p50(ours) - Rounds::alone_p50(theirs))
        .collect();
    let added = median(added_per_round.clone());
    let mut summary = ours.summary();
    let baseline = theirs.summary();
    println!(
        "receiver/{name:<15} {:>6.0} deliveries/s (no store {:>6.0}/s, paired ratio {ratio:.2}) \
         p50 {:>5.0} µs p99 {:>6.0} µs, alone it adds {added:>4.0} µs",
        summary["per_second"].as_f64().unwrap(),
        baseline["per_second"].as_f64().unwrap(),
        summary["p50_us"].as_f64().unwrap(),
        summary["p99_us"].as_f64().unwrap(),
    );
    if !round_trips.is_empty() {
        let trip = median(round_trips.clone());
        let per_trip = median(
            added_per_round
                .iter()
                .zip(&round_trips)
                .map(|(added, trip)| added / trip)
                .collect(),
        );
        println!(
            "receiver/{name:<15} one claim round trip {trip:.0} µs; alone it adds {per_trip:.2} \
             round trips (median of the rounds)"
        );
        summary["claim_round_trip_us"] = trip.into();
        summary["added_per_round_trip"] = per_trip.into();
    }
    summary["paired_ratio"] = ratio.into();
    summary["alone_added_us"] = added.into();
    summary["baseline"] = baseline;
    summary
}

/// [`compare`] for a receiver with the claim store `store`, a claim's round trip timed after
/// each round.
fn compare_store(
    name: &str,
    baseline: SocketAddr,
    runtime: &tokio::runtime::Runtime,
    store: impl IdempotencyStore + Clone + 'static,
    gap: Duration,
) -> serde_json::Value {
    let receiver = platnova().with_store(store.clone());
    compare(
        name,
        baseline,
        runtime,
        receiver,
        Some(&|| claim_round_trip(runtime, &store, gap)),
    )
}

/// The median time of one claim on `store`: one round trip, measured as one sender makes the
/// receiver make it: each claim's completion sent on (not awaited), and the next claim `gap`
/// later (the time a request takes without a store), so that the store is as busy as it is
/// then. Runs on `runtime`, the one the store was connected on: a pooled connection opened on
/// a runtime that has since shut down would fail the receiver's claims later.
fn claim_round_trip(
    runtime: &tokio::runtime::Runtime,
    store: &(impl IdempotencyStore + Clone + 'static),
    gap: Duration,
) -> f64 {
    runtime.block_on(async {
        let mut times = Vec::new();
        for _ in 0..CLAIMS_TIMED {
            let key = format!("round-trip-{}", KEYS.fetch_add(1, Ordering::Relaxed));
            let started = Instant::now();
            let claim = store.claim(&key, Duration::from_secs(60)).await.unwrap();
            times.push(started.elapsed().as_secs_f64() * 1e6);
            let Claim::Claimed { token, .. } = claim else {
                panic!("a new key is claimed")
            };
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .complete(&key, &token, Duration::from_secs(60))
                    .await
                    .unwrap();
            });
            std::thread::sleep(gap);
        }
        median(times)
    })
}

fn main() {
    // `-- inbox` measures only the configurations whose name holds the word (`memory store`,
    // `sqlite inbox`, `redis store`, `postgres store`, `postgres inbox`), and records nothing.
    let only = std::env::args()
        .skip(1)
        .find(|argument| !argument.starts_with('-'));
    let wanted = |name: &str| only.as_deref().is_none_or(|only| name.contains(only));
    let (baseline, stop_baseline) = serve::serve_axum(app(platnova()));
    // What one request takes with no store: the time between two claims under one sender.
    let gap = Duration::from_secs_f64(Rounds::alone_p50(&load(baseline, "gap", 1)) / 1e6);
    let mut results = serde_json::Map::new();
    // The stores connect, and the receivers using them are served, on one runtime.
    let connect = tokio::runtime::Runtime::new().unwrap();
    if wanted("memory store") {
        let store = MemoryStore::new(10_000_000);
        let summary = compare(
            "memory store",
            baseline,
            &connect,
            platnova().with_store(store),
            None,
        );
        results.insert("memory".into(), summary);
    }
    let sqlite_dir = servers::TempDir::new("bench-inbox");
    if wanted("sqlite inbox") {
        let sqlite = connect.block_on(async {
            let inbox = SqliteInbox::open(sqlite_dir.path().join("inbox.db"))
                .await
                .unwrap();
            inbox.migrate().await.unwrap();
            inbox
        });
        let summary = compare(
            "sqlite inbox",
            baseline,
            &connect,
            platnova().with_inbox(sqlite),
            None,
        );
        results.insert("sqlite_inbox".into(), summary);
    }
    if wanted("redis store")
        && let Some(server) = servers::RedisServer::start()
    {
        let store = connect
            .block_on(RedisStore::connect(&server.url()))
            .unwrap();
        let summary = compare_store("redis store", baseline, &connect, store, gap);
        results.insert("redis".into(), summary);
    }
    if (wanted("postgres store") || wanted("postgres inbox"))
        && let Some(server) = servers::PostgresServer::start()
    {
        if wanted("postgres store") {
            let store = connect.block_on(async {
                let store = PostgresStore::connect(&server.url()).await.unwrap();
                store.migrate().await.unwrap();
                store
            });
            let summary = compare_store("postgres store", baseline, &connect, store, gap);
            results.insert("postgres".into(), summary);
        }
        if wanted("postgres inbox") {
            let inbox = connect.block_on(async {
                let inbox = PostgresInbox::connect(&server.url()).await.unwrap();
                inbox.migrate().await.unwrap();
                inbox
            });
            let summary = compare(
                "postgres inbox",
                baseline,
                &connect,
                platnova().with_inbox(inbox),
                None,
            );
            results.insert("postgres_inbox".into(), summary);
        }
    }
    let _ = stop_baseline.send(());
    if only.is_some() {
        return;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    let directory = target.join("criterion").join("receiver");
    std::fs::create_dir_all(&directory).unwrap();
    let json = serde_json::json!({ "results": results });
    std::fs::write(directory.join("hookproof.json"), json.to_string()).unwrap();
}
