//! A real axum receiver over loopback HTTP with 64 concurrent senders: throughput and latency
//! with no store, the memory store, Redis and PostgreSQL (each started by the bench, as the
//! tests start them, when installed), as ratios to no store; and the durable inbox in SQLite
//! and in PostgreSQL, where each delivery is committed before its 200, as ratios to the same
//! receiver handling inline with no store.
//!
//! Each delivery is new (its own transaction reference), so each is claimed, handled and
//! completed. Beside them, one claim's own round trip to Redis and to PostgreSQL: the latency a
//! store may add to a response is one such round trip (the claim; completing happens after the
//! response is sent). Results go to `target/criterion/receiver/hookproof.json`;
//! `python3 benches/summary.py` prints them with the rest.
//!
//! `cargo bench -p hookproof-integration --bench receiver`

#[path = "../tests/support/servers.rs"]
mod servers;

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
const WARM_UP: Duration = Duration::from_millis(500);
const MEASURE: Duration = Duration::from_secs(3);

fn secret() -> Secret {
    Secret::new("pn_bench").unwrap()
}

/// What one configuration measured.
struct Measured {
    per_second: f64,
    p50_us: f64,
    p99_us: f64,
}

async fn handler(Webhook(_): Webhook<Platnova>) -> &'static str {
    "ok"
}

/// Serves `receiver` on a loopback port on a runtime of its own; the address and a stopper.
fn serve(receiver: Receiver<Platnova>) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let app = Router::new().route("/", post(handler).layer(WebhookLayer::new(receiver)));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
    });
    (address, stop)
}

/// `senders` posting new deliveries as fast as they are answered.
fn load(address: std::net::SocketAddr, run: &str, senders: usize) -> Measured {
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
        let counter = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let senders: Vec<_> = (0..senders)
            .map(|_| {
                let (client, counter) = (client.clone(), Arc::clone(&counter));
                let run = run.to_owned();
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    while start.elapsed() < WARM_UP + MEASURE {
                        let n = counter.fetch_add(1, Ordering::Relaxed);
                        let body = template.replace("TXN123456", &format!("{run}-{n}"));
                        let signed = signed_request(&Platnova::new(secret()), body).unwrap();
                        let mut request = client.post(format!("http://{address}/"));
                        for (name, value) in &signed.headers {
                            request = request.header(name, value);
                        }
                        let sent = Instant::now();
                        let response = request.body(signed.body).send().await.unwrap();
                        assert_eq!(response.status(), 200);
                        response.bytes().await.unwrap();
                        if start.elapsed() > WARM_UP {
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
        latencies.sort();
        let percentile =
            |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6;
        Measured {
            per_second: latencies.len() as f64 / MEASURE.as_secs_f64(),
            p50_us: percentile(0.50),
            p99_us: percentile(0.99),
        }
    })
}

/// The median time of one claim on `store`: one round trip.
fn claim_round_trip(store: &(impl IdempotencyStore + Clone + 'static)) -> f64 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut times = Vec::new();
        for n in 0..2000 {
            let key = format!("round-trip-{n}");
            let started = Instant::now();
            let claim = store.claim(&key, Duration::from_secs(60)).await.unwrap();
            times.push(started.elapsed());
            assert!(matches!(claim, Claim::Claimed { .. }));
        }
        times.sort();
        times[times.len() / 2].as_secs_f64() * 1e6
    })
}

/// Under load (64 senders: throughput, and latency with queueing), then alone (one sender:
/// latency without queueing, where what a store adds shows as such).
fn measure(name: &str, receiver: Receiver<Platnova>) -> (Measured, Measured) {
    let (address, stop) = serve(receiver);
    let loaded = load(address, &format!("{name}-loaded"), SENDERS);
    let alone = load(address, &format!("{name}-alone"), 1);
    let _ = stop.send(());
    println!(
        "receiver/{name:<8} {:>8.0} deliveries/s   p50 {:>7.0} µs   p99 {:>7.0} µs   alone: p50 {:>5.0} µs",
        loaded.per_second, loaded.p50_us, loaded.p99_us, alone.p50_us
    );
    (loaded, alone)
}

fn main() {
    let base = || Receiver::new(Platnova::new(secret()));
    let mut results = serde_json::Map::new();
    let mut round_trips = serde_json::Map::new();
    let mut record = |name: &str, (loaded, alone): (Measured, Measured)| {
        results.insert(
            name.to_owned(),
            serde_json::json!({
                "per_second": loaded.per_second,
                "p50_us": loaded.p50_us,
                "p99_us": loaded.p99_us,
                "alone_p50_us": alone.p50_us,
            }),
        );
    };
    record("none", measure("none", base()));
    record(
        "memory",
        measure("memory", base().with_store(MemoryStore::new(10_000_000))),
    );
    let connect = tokio::runtime::Runtime::new().unwrap();
    let sqlite_dir = servers::TempDir::new("bench-inbox");
    let sqlite = connect.block_on(async {
        let inbox = SqliteInbox::open(sqlite_dir.path().join("inbox.db"))
            .await
            .unwrap();
        inbox.migrate().await.unwrap();
        inbox
    });
    record(
        "sqlite_inbox",
        measure("sqlite inbox", base().with_inbox(sqlite)),
    );
    if let Some(server) = servers::RedisServer::start() {
        let store = connect
            .block_on(RedisStore::connect(&server.url()))
            .unwrap();
        round_trips.insert("redis".into(), claim_round_trip(&store).into());
        record("redis", measure("redis", base().with_store(store)));
    }
    if let Some(server) = servers::PostgresServer::start() {
        let store = connect.block_on(async {
            let store = PostgresStore::connect(&server.url()).await.unwrap();
            store.migrate().await.unwrap();
            store
        });
        round_trips.insert("postgres".into(), claim_round_trip(&store).into());
        record("postgres", measure("postgres", base().with_store(store)));
        let inbox = connect.block_on(async {
            let inbox = PostgresInbox::connect(&server.url()).await.unwrap();
            inbox.migrate().await.unwrap();
            inbox
        });
        record(
            "postgres_inbox",
            measure("postgres inbox", base().with_inbox(inbox)),
        );
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    let directory = target.join("criterion").join("receiver");
    std::fs::create_dir_all(&directory).unwrap();
    let json = serde_json::json!({ "results": results, "claim_round_trip_us": round_trips });
    std::fs::write(directory.join("hookproof.json"), json.to_string()).unwrap();
}
