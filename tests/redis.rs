//! The Redis replay store against a real `redis-server`.
//!
//! Ignored by default so that `cargo test --all-features` passes on a machine without Redis.
//! `.ci/run` starts a server and runs them; by hand:
//!
//! ```sh
//! redis-server --port 6390 --save '' --appendonly no --daemonize yes
//! cargo test --all-features --test redis -- --ignored
//! ```
//!
//! The server is found at `HOOKPROOF_REDIS_URL` (default `redis://127.0.0.1:6390/`); the test of a
//! stopped server starts and stops its own `redis-server` (from `PATH`).

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hookproof::platnova::Platnova;
use hookproof::replay::{RedisGuard, ReplayGuard, Sighting, WhenStoreFails};
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{Receiver, Rejection, Secret};

const KEYS: usize = 1000;

fn url() -> String {
    std::env::var("HOOKPROOF_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6390/".to_owned())
}

/// A prefix no other run shares, so runs and tests never see each other's keys.
fn fresh_prefix(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("hookproof-test:{test}:{}:{nanos}:", std::process::id())
}

async fn guard(test: &str, ttl: Duration) -> RedisGuard {
    RedisGuard::connect(&url(), ttl)
        .await
        .unwrap_or_else(|e| panic!("{e}: start a redis-server (see the module docs)"))
        .with_prefix(fresh_prefix(test))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs redis-server"]
async fn two_guards_on_separate_connections_get_exactly_one_winner_per_key() {
    let prefix = fresh_prefix("race");
    let connect = || async {
        RedisGuard::connect(&url(), Duration::from_secs(60))
            .await
            .unwrap()
            .with_prefix(prefix.clone())
    };
    let (a, b) = (connect().await, connect().await);
    let race = |guard: RedisGuard| {
        tokio::spawn(async move {
            let mut wins = HashSet::new();
            for key in 0..KEYS {
                if guard.check(&key.to_string()).await.unwrap() == Sighting::First {
                    wins.insert(key);
                }
            }
            wins
        })
    };
    let (a_wins, b_wins) = (race(a), race(b));
    let (a_wins, b_wins) = (a_wins.await.unwrap(), b_wins.await.unwrap());
    assert!(a_wins.is_disjoint(&b_wins), "a key won twice");
    assert_eq!(a_wins.len() + b_wins.len(), KEYS, "a key won nowhere");
    // Both guards did win some keys: the race really was a race.
    println!(
        "guard a won {} keys, guard b {}",
        a_wins.len(),
        b_wins.len()
    );
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn keys_expire_after_their_time_to_live() {
    let guard = guard("ttl", Duration::from_millis(300)).await;
    assert_eq!(guard.check("k").await.unwrap(), Sighting::First);
    assert_eq!(guard.check("k").await.unwrap(), Sighting::Repeat);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(guard.check("k").await.unwrap(), Sighting::First);
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn keys_live_under_the_prefix_and_can_be_forgotten() {
    let prefix = fresh_prefix("prefix");
    let guard = RedisGuard::connect(&url(), Duration::from_secs(30))
        .await
        .unwrap()
        .with_prefix(prefix.clone());
    assert_eq!(
        guard.check("platnova:card.charged:T1").await.unwrap(),
        Sighting::First
    );

    let client = redis::Client::open(url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let ttl_ms: i64 = redis::cmd("PTTL")
        .arg(format!("{prefix}platnova:card.charged:T1"))
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!(
        (1..=30_000).contains(&ttl_ms),
        "stored with its time to live: {ttl_ms}"
    );

    guard.forget("platnova:card.charged:T1").await.unwrap();
    let exists: i64 = redis::cmd("EXISTS")
        .arg(format!("{prefix}platnova:card.charged:T1"))
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(exists, 0);
    assert_eq!(
        guard.check("platnova:card.charged:T1").await.unwrap(),
        Sighting::First
    );
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn a_receiver_shares_its_duplicates_through_redis() {
    let secret = || Secret::new("pn_test").unwrap();
    let prefix = fresh_prefix("receiver");
    // Two instances of a service, each with its own connection.
    let instance = || async {
        let guard = RedisGuard::connect(&url(), Duration::from_secs(60))
            .await
            .unwrap()
            .with_prefix(prefix.clone());
        Receiver::new(Platnova::new(secret())).with_replay_guard(guard, WhenStoreFails::Refuse)
    };
    let (one, two) = (instance().await, instance().await);
    let request = signed_request(&secret(), sample("transfer.success").unwrap().body);
    assert!(one.accept(&request.headers, &request.body).await.is_ok());
    let repeat = two
        .accept(&request.headers, &request.body)
        .await
        .unwrap_err();
    assert!(matches!(repeat, Rejection::Duplicate), "{repeat}");
}

/// A `redis-server` of the test's own, stopped when dropped.
struct OwnServer(Child);

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn a_stopped_server_is_an_error_not_a_hang() {
    let port = free_port();
    let server = OwnServer(
        Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server on PATH"),
    );
    let url = format!("redis://127.0.0.1:{port}/");
    let mut guard = None;
    for _ in 0..50 {
        if let Ok(connected) = RedisGuard::connect(&url, Duration::from_secs(60)).await {
            guard = Some(connected);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let guard = guard.expect("the server started");
    assert_eq!(guard.check("k").await.unwrap(), Sighting::First);

    drop(server);
    let outcome = tokio::time::timeout(Duration::from_secs(10), guard.check("k2")).await;
    let error = outcome.expect("answers within the timeout").unwrap_err();
    println!("after stopping the server: {error}");

    // A receiver set to fail closed answers 503; one set to fail open lets the event through.
    let secret = || Secret::new("pn_test").unwrap();
    let request = signed_request(&secret(), sample("card.funded").unwrap().body);
    let closed = Receiver::new(Platnova::new(secret()))
        .with_replay_guard(guard.clone(), WhenStoreFails::Refuse);
    let rejection = closed
        .accept(&request.headers, &request.body)
        .await
        .unwrap_err();
    assert_eq!(rejection.status(), 503);
    let open =
        Receiver::new(Platnova::new(secret())).with_replay_guard(guard, WhenStoreFails::Accept);
    assert!(open.accept(&request.headers, &request.body).await.is_ok());

    // And connecting to nothing is an error too.
    assert!(
        RedisGuard::connect(
            &format!("redis://127.0.0.1:{}/", free_port()),
            Duration::from_secs(1)
        )
        .await
        .is_err()
    );
}
