//! A receiver that stores every verified Platnova delivery in an SQLite inbox before it answers
//! 200, and a worker that handles the stored deliveries, retrying what fails.
//!
//! ```sh
//! cargo run -p hookproof-integration --example inbox
//! ```
//!
//! It serves on a free loopback port, sends itself four signed deliveries and one duplicate,
//! then lets a worker handle them: the ledger times out once on one of them (retried a moment
//! later), and refuses another every time (dead-lettered, listed, re-queued). The database is
//! left in a temporary directory for `sqlite3` to look at.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use hookproof::delivery::inbox::{Handled, Inbox, Retry, SqliteInbox};
use hookproof::platnova::{Notification, Platnova};
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{Receiver, Secret};

fn secret() -> Secret {
    Secret::new("pn_demo_inbox_secret").expect("a demo secret is not empty")
}

/// A card charge for `reference`, signed as Platnova signs it, sent to `url`.
async fn deliver(client: &reqwest::Client, url: &str, reference: &str) -> reqwest::Result<String> {
    let body = sample("card.charged")
        .expect("the sample exists")
        .body
        .replace("TXN123456", reference);
    let request = signed_request(&Platnova::new(secret()), body).unwrap();
    let mut post = client.post(url);
    for (name, value) in &request.headers {
        post = post.header(name, value);
    }
    let response = post.body(request.body).send().await?;
    let status = response.status();
    Ok(format!("{status} {}", response.text().await?))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("hookproof-inbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("inbox.db");
    let inbox = SqliteInbox::open(&path).await?;
    inbox.migrate().await?;
    println!("inbox: {}", path.display());

    // The receiver: verify, store durably, then answer 200.
    let receiver = Receiver::new(Platnova::new(secret())).with_inbox(inbox.clone());
    let app = Router::new().route("/webhooks/platnova", hookproof::axum::inbox_route(receiver));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks/platnova", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = reqwest::Client::new();
    for reference in ["TXN-1001", "TXN-1002", "TXN-1003", "TXN-POISON", "TXN-1001"] {
        println!(
            "POST {reference:<10} → {}",
            deliver(&client, &url, reference).await?
        );
    }

    // The worker: parses each stored body again (no secret needed) and handles it.
    let timed_out_once = Arc::new(AtomicBool::new(false));
    let account_fixed = Arc::new(AtomicBool::new(false));
    let fixed = Arc::clone(&account_fixed);
    let worker = inbox
        .worker(
            Platnova::new(secret()),
            move |handled: Handled<Notification>| {
                let timed_out_once = Arc::clone(&timed_out_once);
                let account_fixed = fixed.load(Ordering::Relaxed);
                async move {
                    let key = handled.notification.idempotency_key();
                    let key = key.as_ref().map_or("-", |key| key.as_str());
                    if key.ends_with("POISON") && !account_fixed {
                        println!(
                            "attempt {} of {key}: the ledger refuses the account",
                            handled.attempt
                        );
                        return Err("the ledger refuses this account");
                    }
                    if key.ends_with("1002") && !timed_out_once.swap(true, Ordering::Relaxed) {
                        println!("attempt {} of {key}: the ledger timed out", handled.attempt);
                        return Err("the ledger timed out");
                    }
                    println!(
                        "attempt {} of {key}: written to the ledger",
                        handled.attempt
                    );
                    Ok(())
                }
            },
        )
        .with_retry(Retry::new(
            Duration::from_millis(50),
            Duration::from_millis(200),
            3,
        ));
    // Handle until nothing is due for half a second: a real app runs `worker.run(shutdown)`.
    let handle_all = || async {
        let mut idle = 0;
        while idle < 10 {
            if worker.run_once().await? {
                idle = 0;
            } else {
                idle += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Ok::<_, hookproof::delivery::StoreError>(())
    };
    handle_all().await?;

    // Once the account is fixed, the dead letters go back in line.
    account_fixed.store(true, Ordering::Relaxed);
    for dead in inbox.dead_letters(10).await? {
        println!(
            "dead letter #{} after {} attempts: {}; re-queued",
            dead.id, dead.attempts, dead.last_error
        );
        inbox.requeue(dead.id).await?;
    }
    handle_all().await?;
    Ok(())
}
