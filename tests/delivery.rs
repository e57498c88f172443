//! The delivery guarantees with the in-memory store: the store's own contract under
//! concurrency, what a receiver does with a failing store, a cancelled request, and the
//! issue's table and a chaos run through real axum and actix servers.

#[path = "support/scenarios.rs"]
mod scenarios;
#[path = "support/serve.rs"]
mod serve;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::routing::post;
use hookproof::axum::{Webhook, WebhookLayer};
use hookproof::delivery::{
    Claim, ClaimToken, IdempotencyStore, MemoryStore, Reception, StoreError, StoreFuture,
    WhenStoreFails,
};
use hookproof::platnova::Platnova;
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{Receipt, Receiver, Rejection, Secret};
use http::{Request, StatusCode};
use scenarios::{LEASE, Receivers, actix_site, axum_site};
use tower::ServiceExt;

const KEYS: usize = 1000;

fn secret() -> Secret {
    Secret::new("pn_test").unwrap()
}

#[test]
fn racing_threads_get_exactly_one_claim_per_key() {
    let store = MemoryStore::new(10 * KEYS);
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let store = store.clone();
            std::thread::spawn(move || {
                // Each thread walks the keys in its own order, so they collide everywhere.
                (0..KEYS)
                    .map(|i| (i * (2 * thread + 1) + thread * 37) % KEYS)
                    .filter(|key| {
                        let claim = futures_ready(store.claim(&key.to_string(), LEASE));
                        matches!(claim, Claim::Claimed { .. })
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
    assert_eq!(wins.len(), KEYS, "every key was claimed somewhere");
    assert!(wins.values().all(|&count| count == 1), "and only once");
}

/// The memory store's futures are ready at once.
fn futures_ready<T>(future: StoreFuture<'_, T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
        .unwrap()
}

#[tokio::test]
async fn only_the_holder_ends_a_claim_and_a_lapsed_one_is_taken_over() {
    let store = MemoryStore::new(100);
    // Wide enough that a busy machine does not let it lapse between the first two claims.
    let lease = Duration::from_millis(500);
    let Claim::Claimed { token, taken_over } = store.claim("k", lease).await.unwrap() else {
        panic!()
    };
    assert!(!taken_over);
    assert_eq!(store.claim("k", lease).await.unwrap(), Claim::InProgress);
    let stranger = ClaimToken::new("not-the-holder");
    assert!(!store.release("k", &stranger).await.unwrap());
    assert!(!store.complete("k", &stranger, LEASE).await.unwrap());

    // The lease runs out: a retry takes the key, and the first attempt can no longer end it.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let Claim::Claimed { token: retry, .. } = store.claim("k", lease).await.unwrap() else {
        panic!()
    };
    assert!(
        !store.complete("k", &token, LEASE).await.unwrap(),
        "the lapsed holder"
    );
    assert!(store.complete("k", &retry, LEASE).await.unwrap());
    assert_eq!(store.claim("k", lease).await.unwrap(), Claim::Done);

    // Given up: free at once.
    let Claim::Claimed { token, .. } = store.claim("j", lease).await.unwrap() else {
        panic!()
    };
    assert!(store.release("j", &token).await.unwrap());
    assert!(matches!(
        store.claim("j", lease).await.unwrap(),
        Claim::Claimed { .. }
    ));
}

#[tokio::test]
async fn capacity_bounds_handled_keys_oldest_first_and_never_evicts_a_claim() {
    let store = MemoryStore::new(10);
    let claimed = store.claim("held", LEASE).await.unwrap();
    assert!(matches!(claimed, Claim::Claimed { .. }));
    for key in 0..100 {
        let Claim::Claimed { token, .. } = store.claim(&key.to_string(), LEASE).await.unwrap()
        else {
            panic!("{key}")
        };
        assert!(
            store
                .complete(&key.to_string(), &token, LEASE)
                .await
                .unwrap()
        );
        assert!(store.len() <= 10, "{} kept", store.len());
    }
    assert_eq!(store.claim("held", LEASE).await.unwrap(), Claim::InProgress);
    assert_eq!(store.claim("99", LEASE).await.unwrap(), Claim::Done);
    assert!(matches!(
        store.claim("0", LEASE).await.unwrap(),
        Claim::Claimed { .. }
    ));
}

/// A store that never answers.
struct Unreachable;

impl IdempotencyStore for Unreachable {
    fn claim<'a>(&'a self, _key: &'a str, _lease: Duration) -> StoreFuture<'a, Claim> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }
    fn complete<'a>(&'a self, _: &'a str, _: &'a ClaimToken, _: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }
    fn release<'a>(&'a self, _: &'a str, _: &'a ClaimToken) -> StoreFuture<'a, bool> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }
    fn detach(&self, _work: StoreFuture<'static, bool>) {}
}

#[tokio::test]
async fn a_failing_store_refuses_or_lets_through_unguarded() {
    let request = signed_request(
        &Platnova::new(secret()),
        sample("card.charged").unwrap().body,
    )
    .unwrap();
    let refusing = Receiver::new(Platnova::new(secret())).with_store(Unreachable);
    let refused = refusing
        .accept(&request.headers, &request.body)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Rejection::StoreUnavailable(_)),
        "{refused}"
    );
    assert_eq!(refused.status(), 503);

    let accepting = Receiver::new(Platnova::new(secret()))
        .with_store(Unreachable)
        .when_store_fails(WhenStoreFails::Accept);
    let Reception::New(claimed) = accepting
        .accept(&request.headers, &request.body)
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(!claimed.receipt.guarded(), "the bypass is marked");
}

#[tokio::test]
async fn a_dropped_request_gives_its_claim_up() {
    let store = MemoryStore::new(100);
    let receiver = Receiver::new(Platnova::new(secret())).with_store(store.clone());
    let handled = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&handled);
    let app = axum::Router::new().route(
        "/",
        post(move |Webhook(_): Webhook<Platnova>| {
            let counter = Arc::clone(&counter);
            async move {
                // Far longer than the timeout below, on a busy machine too.
                tokio::time::sleep(Duration::from_millis(1000)).await;
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                "ok"
            }
        })
        .layer(WebhookLayer::new(receiver)),
    );
    let request = || {
        let signed = signed_request(
            &Platnova::new(secret()),
            sample("card.charged").unwrap().body,
        )
        .unwrap();
        signed.into_http("/").unwrap()
    };
    // A timeout drops the request's future while the handler runs.
    let cut = tokio::time::timeout(Duration::from_millis(50), app.clone().oneshot(request())).await;
    assert!(cut.is_err(), "the request was cut short");
    assert_eq!(store.len(), 0, "its claim was given up at once");
    let retry = app.clone().oneshot(request()).await.unwrap();
    assert_eq!(retry.status(), StatusCode::OK);
    let again = app.oneshot(request()).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let body = axum::body::to_bytes(again.into_body(), 1024).await.unwrap();
    assert_eq!(&body[..], b"already received");
    assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_route_without_the_layer_is_a_setup_mistake() {
    let app = axum::Router::new().route(
        "/",
        post(|Webhook(_): Webhook<Platnova>, _receipt: Receipt| async { "ok" }),
    );
    let request = Request::post("/").body(Body::empty()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[test]
fn every_row_through_a_real_axum_server() {
    let site = axum_site::start(Receivers::on(MemoryStore::new(100_000), LEASE));
    client_runtime().block_on(scenarios::every_row(site.address, &site.ledger));
}

#[test]
fn every_row_through_a_real_actix_server() {
    let site = actix_site::start(Receivers::on(MemoryStore::new(100_000), LEASE));
    client_runtime().block_on(scenarios::every_row(site.address, &site.ledger));
}

#[test]
fn chaos_through_a_real_axum_server() {
    let site = axum_site::start(Receivers::on(MemoryStore::new(100_000), LEASE));
    client_runtime().block_on(scenarios::chaos(site.address, &site.ledger));
}

#[test]
fn chaos_through_a_real_actix_server() {
    let site = actix_site::start(Receivers::on(MemoryStore::new(100_000), LEASE));
    client_runtime().block_on(scenarios::chaos(site.address, &site.ledger));
}

/// The client's runtime, apart from the server's, as a provider's would be.
fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}
