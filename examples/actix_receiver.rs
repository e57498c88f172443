//! A webhook receiver for all five providers on actix-web, at
//! `http://127.0.0.1:3000/webhooks/<provider>`.
//!
//! ```sh
//! cargo run -p hookproof-integration --example actix_receiver
//! # in a second terminal: sign a sample with the receiver's demo secret and send it
//! PLATNOVA_SECRET=demo-platnova-secret cargo run -q --features cli -- sign --provider platnova \
//!     --secret-env PLATNOVA_SECRET --sample card.charged --format curl | sh
//! ```
//!
//! Each resource is wrapped in a `WebhookMiddleware`: it verifies, claims the delivery in the
//! shared store, runs the handler and marks the delivery handled only when the handler answered
//! 2xx. Secrets come from `PLATNOVA_SECRET`, `INPLAYER_SECRET`, `CEDAR_SECRET`,
//! `VOXIMPLANT_SALT`, `VOXIMPLANT_API_KEY` and `PLATFONE_SECRET`, with DEMO defaults; `PORT`
//! sets the port.

#[path = "support/demo.rs"]
mod demo;

use actix_web::{App, HttpResponse, HttpServer, web};
use demo::Receivers;
use hookproof::actix::{Webhook, WebhookMiddleware};
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

async fn platfone(Webhook(n): Webhook<Platfone<HmacSha256>>) -> HttpResponse {
    demo::handled("platfone", n.event_type(), n.idempotency_key());
    // What third-party Platfone clients answer; Platfone documents no acknowledgement.
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"result":"success"}"#)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    demo::log_outcomes();
    let receivers = Receivers::from_env();
    let server = HttpServer::new(move || {
        let receivers = receivers.clone();
        App::new()
            .service(
                web::resource("/webhooks/platnova")
                    .wrap(WebhookMiddleware::new(receivers.platnova))
                    .route(web::post().to(platnova)),
            )
            .service(
                web::resource("/webhooks/inplayer")
                    .wrap(WebhookMiddleware::new(receivers.inplayer))
                    .route(web::post().to(inplayer)),
            )
            .service(
                web::resource("/webhooks/cedar")
                    .wrap(WebhookMiddleware::new(receivers.cedar))
                    .route(web::post().to(cedar)),
            )
            .service(
                web::resource("/webhooks/voximplant")
                    .wrap(WebhookMiddleware::new(receivers.voximplant))
                    .route(web::post().to(voximplant)),
            )
            .service(
                web::resource("/webhooks/platfone")
                    .wrap(WebhookMiddleware::new(receivers.platfone))
                    .route(web::post().to(platfone)),
            )
    })
    .bind(("127.0.0.1", demo::port()))?;
    for address in server.addrs() {
        println!("listening on http://{address}/webhooks/<provider>");
    }
    server.run().await
}
