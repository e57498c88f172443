//! A webhook receiver for all five providers on axum, at `http://127.0.0.1:3000/webhooks/<provider>`.
//!
//! ```sh
//! cargo run --example axum_receiver --features axum
//! cargo run --example curl_samples --features testing   # prints signed requests to paste
//! ```
//!
//! Secrets come from `PLATNOVA_SECRET`, `INPLAYER_SECRET`, `CEDAR_SECRET`, `VOXIMPLANT_SALT`,
//! `VOXIMPLANT_API_KEY` and `PLATFONE_SECRET`, with DEMO defaults; `PORT` sets the port.

#[path = "support/demo.rs"]
mod demo;

use axum::Router;
use axum::extract::FromRef;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use demo::Receivers;
use hookproof::axum::Webhook;
use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use hookproof::{Receiver, Rejection};

macro_rules! from_receivers {
    ($($field:ident: $provider:ty),+ $(,)?) => {$(
        impl FromRef<Receivers> for Receiver<$provider> {
            fn from_ref(receivers: &Receivers) -> Self {
                receivers.$field.clone()
            }
        }
    )+};
}

from_receivers! {
    platnova: Platnova,
    inplayer: InPlayer,
    cedar: Cedar,
    voximplant: Voximplant,
    platfone: Platfone<HmacSha256>,
}

/// Logs a refusal and answers with its status and fixed body.
fn refuse(provider: &str, rejection: Rejection) -> Response {
    demo::rejected(provider, &rejection);
    rejection.into_response()
}

async fn platnova(webhook: Result<Webhook<Platnova>, Rejection>) -> Response {
    match webhook {
        // Platnova retries until it gets exactly 200.
        Ok(Webhook(n)) => {
            demo::accepted("platnova", n.event_type(), n.idempotency_key());
            "ok".into_response()
        }
        Err(rejection) => refuse("platnova", rejection),
    }
}

async fn inplayer(webhook: Result<Webhook<InPlayer>, Rejection>) -> Response {
    match webhook {
        Ok(Webhook(n)) => {
            demo::accepted("inplayer", n.event_type(), Some(n.idempotency_key()));
            "ok".into_response()
        }
        Err(rejection) => refuse("inplayer", rejection),
    }
}

async fn cedar(webhook: Result<Webhook<Cedar>, Rejection>) -> Response {
    match webhook {
        Ok(Webhook(n)) => {
            demo::accepted("cedar", n.event_type(), n.idempotency_key());
            "ok".into_response()
        }
        Err(rejection) => refuse("cedar", rejection),
    }
}

async fn voximplant(webhook: Result<Webhook<Voximplant>, Rejection>) -> Response {
    match webhook {
        Ok(Webhook(n)) => {
            for callback in &n.callbacks {
                demo::accepted(
                    "voximplant",
                    callback.event_type(),
                    Some(callback.idempotency_key()),
                );
            }
            "ok".into_response()
        }
        Err(rejection) => refuse("voximplant", rejection),
    }
}

async fn platfone(webhook: Result<Webhook<Platfone<HmacSha256>>, Rejection>) -> Response {
    match webhook {
        Ok(Webhook(n)) => {
            demo::accepted("platfone", n.event_type(), n.idempotency_key());
            // What third-party Platfone clients answer; Platfone documents no acknowledgement.
            (
                [("content-type", "application/json")],
                r#"{"result":"success"}"#,
            )
                .into_response()
        }
        Err(rejection) => refuse("platfone", rejection),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new()
        .route("/webhooks/platnova", post(platnova))
        .route("/webhooks/inplayer", post(inplayer))
        .route("/webhooks/cedar", post(cedar))
        .route("/webhooks/voximplant", post(voximplant))
        .route("/webhooks/platfone", post(platfone))
        .with_state(Receivers::from_env());
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", demo::port())).await?;
    println!(
        "listening on http://{}/webhooks/<provider>",
        listener.local_addr()?
    );
    axum::serve(listener, app).await
}
