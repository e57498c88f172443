//! The delivery guarantees on a real Redis, which the test starts itself (temporary directory,
//! free loopback port) when `redis-server` is installed: the table and a chaos run
//! through real axum and actix servers, a Redis killed and restarted under a running service,
//! and a process killed while it holds a claim.

#[path = "support/scenarios.rs"]
mod scenarios;
#[path = "support/serve.rs"]
mod serve;
#[path = "support/servers.rs"]
mod servers;

use std::time::Duration;

use hookproof::delivery::{Claim, IdempotencyStore, RedisStore};
use scenarios::{LEASE, Receivers, actix_site, axum_site};
use servers::RedisServer;

const CHILD: &str = "HOOKPROOF_TEST_CHILD_REDIS";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Run by [`guarantees_on_a_real_redis`] in a child process it then kills.
#[test]
fn child_holding_a_claim() {
    let Ok(url) = std::env::var(CHILD) else {
        return;
    };
    runtime().block_on(async {
        scenarios::hold_a_claim(RedisStore::connect(&url).await.unwrap()).await;
    });
}

#[test]
fn guarantees_on_a_real_redis() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let url = server.url();
    let client = runtime();
    let store = || client.block_on(RedisStore::connect(&url)).unwrap();

    // The store's own contract: one claim per key, owner-checked endings, lapsed claims taken over.
    let contract = store().with_prefix("contract:");
    client.block_on(async {
        let store = contract;
        // Wide enough that a busy machine does not let it lapse between the first two claims.
        let lease = Duration::from_millis(1000);
        let Claim::Claimed { token, .. } = store.claim("k", lease).await.unwrap() else {
            panic!()
        };
        assert_eq!(store.claim("k", lease).await.unwrap(), Claim::InProgress);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let Claim::Claimed {
            token: retry,
            taken_over,
        } = store.claim("k", lease).await.unwrap()
        else {
            panic!()
        };
        assert!(taken_over, "the lapsed claim is reported taken over");
        assert!(!store.complete("k", &token, LEASE).await.unwrap());
        assert!(!store.release("k", &token).await.unwrap());
        assert!(store.complete("k", &retry, LEASE).await.unwrap());
        assert_eq!(store.claim("k", lease).await.unwrap(), Claim::Done);
    });

    let site = axum_site::start(Receivers::on(store(), LEASE));
    client.block_on(scenarios::every_row(site.address, &site.ledger));
    client.block_on(scenarios::chaos(site.address, &site.ledger));
    client.block_on(scenarios::a_killed_holders_claim_is_taken_over(
        site.address,
        &site.ledger,
        "child_holding_a_claim",
        CHILD,
        &url,
    ));
    let recovered = client.block_on(scenarios::the_store_comes_back(
        site.address,
        &site.ledger,
        |down| {
            if down {
                server.kill()
            } else {
                server.restart()
            }
        },
    ));
    println!("redis: the axum service recovered {recovered:?} after Redis came back");
    drop(site);

    let store = store().with_prefix("actix:");
    let site = actix_site::start(Receivers::on(store, LEASE));
    client.block_on(scenarios::every_row(site.address, &site.ledger));
    client.block_on(scenarios::chaos(site.address, &site.ledger));
    let recovered = client.block_on(scenarios::the_store_comes_back(
        site.address,
        &site.ledger,
        |down| {
            if down {
                server.kill()
            } else {
                server.restart()
            }
        },
    ));
    println!("redis: the actix service recovered {recovered:?} after Redis came back");
}
