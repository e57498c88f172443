//! Duplicate and replay protection in process: the in-memory guard under concurrency, its
//! bounds, and what a receiver does with a repeat or a failing store.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::routing::post;
use hookproof::axum::Webhook;
use hookproof::platnova::Platnova;
use hookproof::replay::{
    GuardFuture, MemoryGuard, ReplayGuard, Sighting, StoreError, WhenStoreFails,
};
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{Receiver, Rejection, Secret};
use http::{Request, StatusCode};
use tower::ServiceExt;

const KEYS: usize = 1000;

#[test]
fn racing_threads_get_exactly_one_first_per_key() {
    let guard = Arc::new(MemoryGuard::new(Duration::from_secs(60), 10 * KEYS));
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let guard = Arc::clone(&guard);
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                // Each thread walks the keys in its own order, so they collide everywhere.
                (0..KEYS)
                    .map(|i| (i * (2 * thread + 1) + thread * 37) % KEYS)
                    .filter(|key| {
                        let key = format!("provider:{key}");
                        runtime.block_on(guard.check(&key)).unwrap() == Sighting::First
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut wins: HashMap<usize, usize> = HashMap::new();
    for thread in threads {
        for key in thread.join().unwrap() {
            *wins.entry(key).or_default() += 1;
        }
    }
    assert_eq!(wins.len(), KEYS, "every key was first somewhere");
    assert!(wins.values().all(|&count| count == 1), "and only once");
}

#[tokio::test]
async fn capacity_is_a_bound_and_the_oldest_go_first() {
    let guard = MemoryGuard::new(Duration::from_secs(60), 100);
    for key in 0..1000 {
        assert_eq!(
            guard.check(&key.to_string()).await.unwrap(),
            Sighting::First
        );
        assert!(guard.len() <= 100);
    }
    assert_eq!(guard.len(), 100);
    assert_eq!(
        guard.check("999").await.unwrap(),
        Sighting::Repeat,
        "recent keys are kept"
    );
    assert_eq!(
        guard.check("0").await.unwrap(),
        Sighting::First,
        "the oldest were dropped"
    );
}

#[tokio::test]
async fn capacity_holds_when_forgotten_keys_lead_the_queue() {
    let guard = MemoryGuard::new(Duration::from_secs(60), 3);
    for key in ["a", "b", "c"] {
        guard.check(key).await.unwrap();
    }
    guard.forget("a").await.unwrap();
    guard.forget("b").await.unwrap();
    for key in ["d", "e", "f", "g"] {
        guard.check(key).await.unwrap();
        assert!(guard.len() <= 3, "{} keys after {key}", guard.len());
    }
}

#[tokio::test]
async fn keys_expire_and_can_be_forgotten() {
    let guard = MemoryGuard::new(Duration::from_millis(100), 10);
    assert_eq!(guard.check("a").await.unwrap(), Sighting::First);
    assert_eq!(guard.check("a").await.unwrap(), Sighting::Repeat);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(guard.check("a").await.unwrap(), Sighting::First, "expired");
    guard.forget("a").await.unwrap();
    assert_eq!(
        guard.check("a").await.unwrap(),
        Sighting::First,
        "forgotten"
    );
    // Forgetting and recording again many times does not grow the guard.
    for _ in 0..100 {
        guard.forget("a").await.unwrap();
        guard.check("a").await.unwrap();
    }
    assert_eq!(guard.len(), 1);
}

fn secret() -> Secret {
    Secret::new("pn_test").unwrap()
}

#[tokio::test]
async fn a_receiver_acknowledges_a_repeat_and_releases_on_failure() {
    let receiver = Receiver::new(Platnova::new(secret())).with_replay_guard(
        MemoryGuard::new(Duration::from_secs(60), 100),
        WhenStoreFails::Refuse,
    );
    let request = signed_request(&secret(), sample("card.charged").unwrap().body);
    let first = receiver
        .accept(&request.headers, &request.body)
        .await
        .unwrap();
    let repeat = receiver
        .accept(&request.headers, &request.body)
        .await
        .unwrap_err();
    assert!(matches!(repeat, Rejection::Duplicate));
    assert_eq!(
        (repeat.status(), repeat.reason()),
        (StatusCode::OK, "already received")
    );

    // The handler failed: the next retry must get through.
    receiver.release(&first).await.unwrap();
    assert!(
        receiver
            .accept(&request.headers, &request.body)
            .await
            .is_ok()
    );

    // Another event is not a repeat; an unknown event (no key) always passes.
    let other = signed_request(&secret(), sample("card.refund").unwrap().body);
    assert!(receiver.accept(&other.headers, &other.body).await.is_ok());
    let unknown = signed_request(
        &secret(),
        r#"{"event":"x","timestamp":"t","customer_id":"","data":{}}"#,
    );
    assert!(
        receiver
            .accept(&unknown.headers, &unknown.body)
            .await
            .is_ok()
    );
    assert!(
        receiver
            .accept(&unknown.headers, &unknown.body)
            .await
            .is_ok()
    );
}

/// A store that is down.
struct Unreachable;

impl ReplayGuard for Unreachable {
    fn check<'a>(&'a self, _key: &'a str) -> GuardFuture<'a, Sighting> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }

    fn forget<'a>(&'a self, _key: &'a str) -> GuardFuture<'a, ()> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }
}

#[tokio::test]
async fn a_failing_store_fails_open_or_closed_as_configured() {
    let request = signed_request(&secret(), sample("card.charged").unwrap().body);
    let open = Receiver::new(Platnova::new(secret()))
        .with_replay_guard(Unreachable, WhenStoreFails::Accept);
    assert!(open.accept(&request.headers, &request.body).await.is_ok());

    let closed = Receiver::new(Platnova::new(secret()))
        .with_replay_guard(Unreachable, WhenStoreFails::Refuse);
    let rejection = closed
        .accept(&request.headers, &request.body)
        .await
        .unwrap_err();
    assert_eq!(rejection.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        rejection.to_string().contains("connection refused"),
        "{rejection}"
    );
    assert!(
        closed
            .release(&open.receive(&request.headers, &request.body).unwrap())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_extractor_calls_the_handler_once_per_event() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let receiver = Receiver::new(Platnova::new(secret())).with_replay_guard(
        MemoryGuard::new(Duration::from_secs(60), 100),
        WhenStoreFails::Refuse,
    );
    let app = Router::new()
        .route(
            "/webhooks/platnova",
            post(move |Webhook(_): Webhook<Platnova>| async move {
                counted.fetch_add(1, Ordering::SeqCst);
                "handled"
            }),
        )
        .with_state(receiver);
    let signed = signed_request(&secret(), sample("card.withdrawal").unwrap().body);
    let mut answers = Vec::new();
    for _ in 0..3 {
        let mut request = Request::post("/webhooks/platnova");
        for (name, value) in &signed.headers {
            request = request.header(name, value);
        }
        let response = app
            .clone()
            .oneshot(request.body(Body::from(signed.body.clone())).unwrap())
            .await
            .unwrap();
        answers.push(response.status());
    }
    assert_eq!(
        answers,
        [StatusCode::OK; 3],
        "every delivery is acknowledged"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1, "but handled once");
}
