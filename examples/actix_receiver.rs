//! A webhook receiver for all five providers on actix-web, at
//! `http://127.0.0.1:3000/webhooks/<provider>`.
//!
//! ```sh
//! cargo run --example actix_receiver --features actix
//! cargo run --example curl_samples --features testing   # prints signed requests to paste
//! ```
//!
//! Secrets come from `PLATNOVA_SECRET`, `INPLAYER_SECRET`, `CEDAR_SECRET`, `VOXIMPLANT_SALT`,
//! `VOXIMPLANT_API_KEY` and `PLATFONE_SECRET`, with DEMO defaults; `PORT` sets the port.

#[path = "support/demo.rs"]
mod demo;

use actix_web::{App, HttpResponse, HttpServer, ResponseError, web};
use demo::Receivers;
use hookproof::Rejection;
use hookproof::actix::Webhook;
use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;

/// Logs a refusal and answers with its status and fixed body.
fn refuse(provider: &str, rejection: Rejection) -> HttpResponse {
    demo::rejected(provider, &rejection);
    rejection.error_response()
}

async fn platnova(webhook: Result<Webhook<Platnova>, Rejection>) -> HttpResponse {
    match webhook {
        // Platnova retries until it gets exactly 200.
        Ok(Webhook(n)) => {
            demo::accepted("platnova", n.event_type(), n.idempotency_key());
            HttpResponse::Ok().body("ok")
        }
        Err(rejection) => refuse("platnova", rejection),
    }
}

async fn inplayer(webhook: Result<Webhook<InPlayer>, Rejection>) -> HttpResponse {
    match webhook {
        Ok(Webhook(n)) => {
            demo::accepted("inplayer", n.event_type(), Some(n.idempotency_key()));
            HttpResponse::Ok().body("ok")
        }
        Err(rejection) => refuse("inplayer", rejection),
    }
}

async fn cedar(webhook: Result<Webhook<Cedar>, Rejection>) -> HttpResponse {
    match webhook {
        Ok(Webhook(n)) => {
            demo::accepted("cedar", n.event_type(), n.idempotency_key());
            HttpResponse::Ok().body("ok")
        }
        Err(rejection) => refuse("cedar", rejection),
    }
}

async fn voximplant(webhook: Result<Webhook<Voximplant>, Rejection>) -> HttpResponse {
    match webhook {
        Ok(Webhook(n)) => {
            for callback in &n.callbacks {
                demo::accepted(
                    "voximplant",
                    callback.event_type(),
                    Some(callback.idempotency_key()),
                );
            }
            HttpResponse::Ok().body("ok")
        }
        Err(rejection) => refuse("voximplant", rejection),
    }
}

async fn platfone(webhook: Result<Webhook<Platfone<HmacSha256>>, Rejection>) -> HttpResponse {
    match webhook {
        Ok(Webhook(n)) => {
            demo::accepted("platfone", n.event_type(), n.idempotency_key());
            // What third-party Platfone clients answer; Platfone documents no acknowledgement.
            HttpResponse::Ok()
                .content_type("application/json")
                .body(r#"{"result":"success"}"#)
        }
        Err(rejection) => refuse("platfone", rejection),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let receivers = Receivers::from_env();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(receivers.platnova.clone()))
            .app_data(web::Data::new(receivers.inplayer.clone()))
            .app_data(web::Data::new(receivers.cedar.clone()))
            .app_data(web::Data::new(receivers.voximplant.clone()))
            .app_data(web::Data::new(receivers.platfone.clone()))
            .route("/webhooks/platnova", web::post().to(platnova))
            .route("/webhooks/inplayer", web::post().to(inplayer))
            .route("/webhooks/cedar", web::post().to(cedar))
            .route("/webhooks/voximplant", web::post().to(voximplant))
            .route("/webhooks/platfone", web::post().to(platfone))
    })
    .bind(("127.0.0.1", demo::port()))?;
    for address in server.addrs() {
        println!("listening on http://{address}/webhooks/<provider>");
    }
    server.run().await
}
