//! The actix-web middleware and extractor: every provider's cases in process, body limits
//! however the body arrives, a missing middleware, and a real server on a loopback port driven
//! by a real client.

mod common;

use std::io::{Read, Write};
use std::pin::Pin;

use actix_web::dev::{Server, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use actix_web::{App, HttpServer, test as actix_test, web};
use common::{BODY_LIMIT, PROVIDERS, cases, describe, oversized};
use futures_util::Stream;
use hookproof::Receiver;
use hookproof::actix::{Webhook, WebhookMiddleware};
use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::testing::SignedRequest;
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;

async fn platnova(Webhook(n): Webhook<Platnova>) -> String {
    describe(&[n.event_type()], &n)
}

async fn inplayer(Webhook(n): Webhook<InPlayer>) -> String {
    describe(&[n.event_type()], &n)
}

async fn cedar(Webhook(n): Webhook<Cedar>) -> String {
    assert!(
        n.signed_fields.contains("status"),
        "the signed-field report comes through"
    );
    describe(&[n.event_type()], &n)
}

async fn voximplant(Webhook(n): Webhook<Voximplant>) -> String {
    let kinds: Vec<_> = n.callbacks.iter().map(|c| c.event_type()).collect();
    describe(&kinds, &n)
}

async fn platfone(Webhook(n): Webhook<Platfone<HmacSha256>>) -> String {
    describe(&[n.event_type()], &n)
}

/// The routes and receivers, as an application would configure them: each resource wrapped in
/// the middleware for its provider.
fn configure(config: &mut web::ServiceConfig) {
    routes(
        config,
        (
            common::platnova(),
            common::inplayer(),
            common::cedar(),
            common::voximplant(),
            common::platfone(),
        ),
    );
}

/// The same routes with receivers that refuse drifted payloads.
fn configure_strict(config: &mut web::ServiceConfig) {
    routes(
        config,
        (
            common::strict::platnova(),
            common::strict::inplayer(),
            common::strict::cedar(),
            common::strict::voximplant(),
            common::strict::platfone(),
        ),
    );
}

type Receivers = (
    Receiver<Platnova>,
    Receiver<InPlayer>,
    Receiver<Cedar>,
    Receiver<Voximplant>,
    Receiver<Platfone<HmacSha256>>,
);

fn routes(config: &mut web::ServiceConfig, receivers: Receivers) {
    let (
        platnova_receiver,
        inplayer_receiver,
        cedar_receiver,
        voximplant_receiver,
        platfone_receiver,
    ) = receivers;
    config
        .service(
            web::resource("/webhooks/platnova")
                .wrap(WebhookMiddleware::new(platnova_receiver))
                .route(web::post().to(platnova)),
        )
        .service(
            web::resource("/webhooks/inplayer")
                .wrap(WebhookMiddleware::new(inplayer_receiver))
                .route(web::post().to(inplayer)),
        )
        .service(
            web::resource("/webhooks/cedar")
                .wrap(WebhookMiddleware::new(cedar_receiver))
                .route(web::post().to(cedar)),
        )
        .service(
            web::resource("/webhooks/voximplant")
                .wrap(WebhookMiddleware::new(voximplant_receiver))
                .route(web::post().to(voximplant)),
        )
        .service(
            web::resource("/webhooks/platfone")
                .wrap(WebhookMiddleware::new(platfone_receiver))
                .route(web::post().to(platfone)),
        );
}

fn test_request(path: &str, signed: SignedRequest) -> actix_test::TestRequest {
    signed
        .headers
        .iter()
        .fold(
            actix_test::TestRequest::post().uri(path),
            |request, (name, value)| request.insert_header((name.as_str(), value.as_str())),
        )
        .set_payload(signed.body)
}

async fn text(response: ServiceResponse) -> (u16, String) {
    let status = response.status().as_u16();
    let body = actix_test::read_body(response).await;
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[actix_web::test]
async fn a_strict_receiver_refuses_drifted_payloads_with_422() {
    let app = actix_test::init_service(App::new().configure(configure_strict)).await;
    let drifted = common::drifted_cases();
    assert_eq!(drifted.len(), 5, "one per provider");
    for case in drifted {
        let request = test_request(&case.path(), case.request).to_request();
        let (status, body) = text(actix_test::call_service(&app, request).await).await;
        assert_eq!(
            (status, body.as_str()),
            (422, "unexpected payload"),
            "{} {}",
            case.provider,
            case.what
        );
    }
}

#[actix_web::test]
async fn every_provider_answers_every_case() {
    let app = actix_test::init_service(App::new().configure(configure)).await;
    for case in cases() {
        let request = test_request(&case.path(), case.request).to_request();
        let (status, body) = text(actix_test::call_service(&app, request).await).await;
        assert_eq!(
            status, case.status,
            "{} with {}: {body}",
            case.provider, case.what
        );
        match case.answer {
            Some(expected) => assert_eq!(body, expected, "{}", case.provider),
            None => assert!(
                body.len() < 40 && !body.contains("key"),
                "{}: {body}",
                case.provider
            ),
        }
    }
}

#[actix_web::test]
async fn oversized_bodies_are_refused_however_they_arrive() {
    let app = actix_test::init_service(App::new().configure(configure)).await;
    for provider in PROVIDERS {
        let path = format!("/webhooks/{provider}");
        let request = test_request(&path, oversized(provider)).to_request();
        let (status, body) = text(actix_test::call_service(&app, request).await).await;
        assert_eq!(
            (status, body.as_str()),
            (413, "payload too large"),
            "{provider}"
        );

        let request = test_request(&path, oversized(provider))
            .insert_header(("content-length", "10"))
            .to_request();
        let status = actix_test::call_service(&app, request)
            .await
            .status()
            .as_u16();
        assert_eq!(status, 413, "{provider}: lying length");
    }
}

#[actix_web::test]
async fn a_handler_without_its_middleware_is_a_server_error() {
    let app =
        actix_test::init_service(App::new().route("/webhooks/platnova", web::post().to(platnova)))
            .await;
    let signed = common::cases().into_iter().next().unwrap().request;
    let request = test_request("/webhooks/platnova", signed).to_request();
    let (status, body) = text(actix_test::call_service(&app, request).await).await;
    assert_eq!(
        (status, body.as_str()),
        (500, "webhook receiver not configured")
    );
}

#[actix_web::test]
async fn a_body_that_breaks_off_is_unreadable() {
    let app = actix_test::init_service(App::new().configure(configure)).await;
    let signed = common::cases().into_iter().next().unwrap().request;
    let first_half = Bytes::copy_from_slice(&signed.body[..signed.body.len() / 2]);
    let broken: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(futures_util::stream::iter([
            Ok(first_half),
            Err(PayloadError::Incomplete(None)),
        ]));
    let (request, _) = test_request("/webhooks/platnova", signed)
        .to_request()
        .replace_payload(broken.into());
    let (status, body) = text(actix_test::call_service(&app, request).await).await;
    assert_eq!((status, body.as_str()), (400, "unreadable body"));
}

/// Starts the application on an ephemeral loopback port.
fn serve() -> (std::net::SocketAddr, Server) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = HttpServer::new(|| App::new().configure(configure))
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
    (address, server)
}

#[actix_web::test]
async fn a_real_server_answers_a_real_client() {
    let (address, server) = serve();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    // The client runs on its own thread and runtime, as a separate process would.
    let client = std::thread::spawn(move || {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                let client = reqwest::Client::new();
                for case in cases() {
                    let mut request = client.post(format!("http://{address}{}", case.path()));
                    for (name, value) in &case.request.headers {
                        request = request.header(name, value);
                    }
                    let response = request
                        .body(case.request.body.clone())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(
                        response.status().as_u16(),
                        case.status,
                        "{} with {}",
                        case.provider,
                        case.what
                    );
                    if let Some(expected) = case.answer {
                        assert_eq!(response.text().await.unwrap(), expected);
                    }
                }
                // Chunked transfer encoding, no Content-Length.
                let answer = chunked_exchange(address, 2 * BODY_LIMIT);
                assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
            })
    });
    let outcome = actix_web::rt::task::spawn_blocking(move || client.join())
        .await
        .unwrap();
    handle.stop(true).await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Sends a chunked Platnova request of `total` bytes by hand and returns the answer's head.
fn chunked_exchange(address: std::net::SocketAddr, total: usize) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let head = format!(
        "POST /webhooks/platnova HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\
         x-webhook-secret: pn_test\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 1024];
    for _ in 0..total / chunk.len() {
        let frame = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.clone(),
            b"\r\n".to_vec(),
        ]
        .concat();
        if stream.write_all(&frame).is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}
