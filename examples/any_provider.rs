//! One axum app receiving three kinds of sender, each with the same guarantees: Platnova (built
//! in), a Standard Webhooks sender (Svix and many SaaS products), and a made-up JSON provider
//! ("Acme") through the generic provider with an HMAC verifier. One memory store guards all.
//!
//! ```sh
//! cargo run -p hookproof-integration --example any_provider
//! ```
//!
//! It prints a signed `curl` command per route, then serves `http://127.0.0.1:3000/<sender>`
//! (`PORT` changes the port). Paste a command twice: the second is `already received`.

use axum::Router;
use axum::routing::post;
use hookproof::axum::{Webhook, WebhookLayer};
use hookproof::delivery::MemoryStore;
use hookproof::generic::{Event, Generic};
use hookproof::platnova::Platnova;
use hookproof::testing::{SignedRequest, generic as signing, platnova as platnova_samples};
use hookproof::verify::{HmacSha256, StandardWebhooks};
use hookproof::{Amount, Receiver, Secret};
use http::HeaderName;
use serde::Deserialize;

/// What a Standard Webhooks sender posts, as far as this app reads it.
#[derive(Debug, Clone, Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: String,
}

/// Acme's made-up order event.
#[derive(Debug, Clone, Deserialize)]
struct Order {
    id: String,
    total: Amount,
}

type Svix = Generic<StandardWebhooks, Message>;
type Acme = Generic<HmacSha256, Order>;

fn svix() -> Svix {
    // A demo secret, in the `whsec_` form senders show. Never deploy it.
    let secret = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    Generic::new("svix", StandardWebhooks::new(secret).unwrap())
        .event_type_at("/type")
        .key_from_message_id()
}

fn acme() -> Acme {
    let header = HeaderName::from_static("x-acme-signature");
    Generic::new(
        "acme",
        HmacSha256::new(header, Secret::new("demo-acme-secret").unwrap()),
    )
    .event_type_at("/type")
    .key_at(["/type", "/id"])
}

fn platnova() -> Platnova {
    Platnova::new(Secret::new("demo-platnova-secret").unwrap())
}

async fn on_platnova(Webhook(n): Webhook<Platnova>) -> &'static str {
    println!("platnova  {}", n.event_type());
    "ok"
}

async fn on_svix(Webhook(n): Webhook<Svix>) -> &'static str {
    match &n.event {
        Event::Typed(message) => println!("svix      {} ({:?})", message.kind, n.message_id),
        other => println!("svix      {other:?}"),
    }
    "ok"
}

async fn on_acme(Webhook(n): Webhook<Acme>) -> &'static str {
    match &n.event {
        Event::Typed(order) => println!("acme      order {} for {}", order.id, order.total),
        other => println!("acme      {other:?}"),
    }
    "ok"
}

fn curl(port: u16, path: &str, request: &SignedRequest) -> String {
    request.to_curl(&format!("http://127.0.0.1:{port}{path}"))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(3000);
    let store = MemoryStore::new(100_000);
    let app = Router::new()
        .route(
            "/platnova",
            post(on_platnova).layer(WebhookLayer::new(
                Receiver::new(platnova()).with_store(store.clone()),
            )),
        )
        .route(
            "/svix",
            post(on_svix).layer(WebhookLayer::new(
                Receiver::new(svix()).with_store(store.clone()),
            )),
        )
        .route(
            "/acme",
            post(on_acme).layer(WebhookLayer::new(Receiver::new(acme()).with_store(store))),
        );

    println!("signed requests to try (each twice):");
    let charged = platnova_samples::sample("card.charged").unwrap().body;
    let platnova_request = platnova_samples::signed_request(
        &Platnova::new(Secret::new("demo-platnova-secret").unwrap()),
        charged,
    )
    .unwrap();
    println!("{}", curl(port, "/platnova", &platnova_request));
    let message =
        signing::signed_request(&svix(), r#"{"type":"invoice.paid","data":{"id":"in_1"}}"#)
            .unwrap();
    println!("{}", curl(port, "/svix", &message));
    let order = signing::signed_request(
        &acme(),
        r#"{"type":"order.paid","id":"ord_1","total":"12.50"}"#,
    )
    .unwrap();
    println!("{}", curl(port, "/acme", &order));

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}/<sender>", listener.local_addr()?);
    axum::serve(listener, app).await
}
