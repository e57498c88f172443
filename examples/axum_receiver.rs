//! A webhook receiver for all five providers on axum, at `http://127.0.0.1:3000/webhooks/<provider>`.
//!
//! ```sh
//! cargo run -p hookproof-integration --example axum_receiver
//! # in a second terminal: sign a sample with the receiver's demo secret and send it
//! PLATNOVA_SECRET=demo-platnova-secret cargo run -q --features cli -- sign --provider platnova \
//!     --secret-env PLATNOVA_SECRET --sample card.charged --format curl | sh
//! ```
//!
//! Each route is wrapped in a `WebhookLayer`: it verifies, claims the delivery in the shared
//! store, runs the handler and marks the delivery handled only when the handler answered 2xx.
//! Secrets come from `PLATNOVA_SECRET`, `INPLAYER_SECRET`, `CEDAR_SECRET`, `VOXIMPLANT_SALT`,
//! `VOXIMPLANT_API_KEY` and `PLATFONE_SECRET`, with DEMO defaults; `PORT` sets the port.

#[path = "support/demo.rs"]
mod demo;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::post;
use demo::Receivers;
use hookproof::axum::{Webhook, WebhookLayer};
use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;

// Platnova retries until it gets exactly 200.
async fn platnova(Webhook(n): Webhook<Platnova>) -> &'static str {
    demo::handled("platnova", n.event_type(), n.idempotency_key());
    "ok"
}

async fn inplayer(Webhook(n): Webhook<InPlayer>) -> &'static str {
    demo::handled("inplayer", n.event_type(), Some(n.idempotency_key()));
    "ok"
}

async fn cedar(Webhook(n): Webhook<Cedar>) -> &'static str {
    demo::handled("cedar", n.event_type(), n.idempotency_key());
    "ok"
}

async fn voximplant(Webhook(n): Webhook<Voximplant>) -> &'static str {
    for callback in &n.callbacks {
        demo::handled(
            "voximplant",
            callback.event_type(),
            Some(callback.idempotency_key()),
        );
    }
    "ok"
}

async fn platfone(Webhook(n): Webhook<Platfone<HmacSha256>>) -> impl IntoResponse {
    demo::handled("platfone", n.event_type(), n.idempotency_key());
    // What third-party Platfone clients answer; Platfone documents no acknowledgement.
    (
        [("content-type", "application/json")],
        r#"{"result":"success"}"#,
    )
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    demo::log_outcomes();
    let receivers = Receivers::from_env();
    let app = Router::new()
        .route(
            "/webhooks/platnova",
            post(platnova).layer(WebhookLayer::new(receivers.platnova)),
        )
        .route(
            "/webhooks/inplayer",
            post(inplayer).layer(WebhookLayer::new(receivers.inplayer)),
        )
        .route(
            "/webhooks/cedar",
            post(cedar).layer(WebhookLayer::new(receivers.cedar)),
        )
        .route(
            "/webhooks/voximplant",
            post(voximplant).layer(WebhookLayer::new(receivers.voximplant)),
        )
        .route(
            "/webhooks/platfone",
            post(platfone).layer(WebhookLayer::new(receivers.platfone)),
        );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", demo::port())).await?;
    println!(
        "listening on http://{}/webhooks/<provider>",
        listener.local_addr()?
    );
    axum::serve(listener, app).await
}
