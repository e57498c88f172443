//! The axum extractor: every provider's cases in process, body limits however the body arrives,
//! and a real server on a loopback port driven by a real HTTP client.

mod common;

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::routing::post;
use common::{BODY_LIMIT, PROVIDERS, cases, describe, oversized};
use hookproof::Receiver;
use hookproof::axum::{Webhook, WebhookLayer};
use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::testing::SignedRequest;
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

/// The routes, each wrapped in the layer for its provider: router configuration only.
fn app() -> Router {
    routes(
        common::platnova(),
        common::inplayer(),
        common::cedar(),
        common::voximplant(),
        common::platfone(),
    )
}

/// The same routes with receivers that refuse drifted payloads.
fn strict_app() -> Router {
    routes(
        common::strict::platnova(),
        common::strict::inplayer(),
        common::strict::cedar(),
        common::strict::voximplant(),
        common::strict::platfone(),
    )
}

fn routes(
    platnova: Receiver<Platnova>,
    inplayer: Receiver<InPlayer>,
    cedar: Receiver<Cedar>,
    voximplant: Receiver<Voximplant>,
    platfone: Receiver<Platfone<HmacSha256>>,
) -> Router {
    Router::new()
        .route(
            "/webhooks/platnova",
            post(|Webhook(n): Webhook<Platnova>| async move { describe(&[n.event_type()], &n) })
                .layer(WebhookLayer::new(platnova)),
        )
        .route(
            "/webhooks/inplayer",
            post(|Webhook(n): Webhook<InPlayer>| async move { describe(&[n.event_type()], &n) })
                .layer(WebhookLayer::new(inplayer)),
        )
        .route(
            "/webhooks/cedar",
            post(|Webhook(n): Webhook<Cedar>| async move {
                assert!(
                    n.signed_fields.contains("status"),
                    "the signed-field report comes through"
                );
                describe(&[n.event_type()], &n)
            })
            .layer(WebhookLayer::new(cedar)),
        )
        .route(
            "/webhooks/voximplant",
            post(|Webhook(n): Webhook<Voximplant>| async move {
                let kinds: Vec<_> = n.callbacks.iter().map(|c| c.event_type()).collect();
                describe(&kinds, &n)
            })
            .layer(WebhookLayer::new(voximplant)),
        )
        .route(
            "/webhooks/platfone",
            post(|Webhook(n): Webhook<Platfone<HmacSha256>>| async move {
                describe(&[n.event_type()], &n)
            })
            .layer(WebhookLayer::new(platfone)),
        )
}

fn http_request(path: &str, signed: SignedRequest) -> Request<Body> {
    let mut builder = Request::post(path);
    for (name, value) in &signed.headers {
        builder = builder.header(name, value);
    }
    builder.body(Body::from(signed.body)).unwrap()
}

async fn answer(request: Request<Body>) -> (StatusCode, String) {
    let response = app().oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn a_strict_receiver_refuses_drifted_payloads_with_422() {
    let drifted = common::drifted_cases();
    assert_eq!(drifted.len(), 5, "one per provider");
    for case in drifted {
        let response = strict_app()
            .oneshot(http_request(&case.path(), case.request))
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            (status.as_u16(), &body[..]),
            (422, &b"unexpected payload"[..]),
            "{} {}",
            case.provider,
            case.what
        );
    }
}

#[tokio::test]
async fn every_provider_answers_every_case() {
    for case in cases() {
        let (status, body) = answer(http_request(&case.path(), case.request)).await;
        assert_eq!(
            status.as_u16(),
            case.status,
            "{} with {}: {body}",
            case.provider,
            case.what
        );
        match case.answer {
            Some(expected) => assert_eq!(body, expected, "{}", case.provider),
            // The body of a refusal is a fixed phrase, never the details.
            None => assert!(
                body.len() < 40 && !body.contains("key"),
                "{}: {body}",
                case.provider
            ),
        }
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_however_they_arrive() {
    for provider in PROVIDERS {
        let path = format!("/webhooks/{provider}");
        // An honest Content-Length over the limit: refused before the body is read.
        let (status, body) = answer(http_request(&path, oversized(provider))).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload too large"),
            "{provider}"
        );

        // A Content-Length that claims a small body.
        let mut request = http_request(&path, oversized(provider));
        request
            .headers_mut()
            .insert("content-length", "10".parse().unwrap());
        assert_eq!(
            answer(request).await.0,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{provider}: lying length"
        );

        // No length at all: the body streams in chunks.
        let signed = oversized(provider);
        let chunks: Vec<Result<Vec<u8>, Infallible>> = signed
            .body
            .chunks(512)
            .map(|chunk| Ok(chunk.to_vec()))
            .collect();
        let mut request = http_request(
            &path,
            SignedRequest {
                body: Vec::new(),
                ..signed
            },
        );
        *request.body_mut() = Body::from_stream(futures_util::stream::iter(chunks));
        request.headers_mut().remove("content-length");
        assert_eq!(
            answer(request).await.0,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{provider}: streamed"
        );
    }
}

#[tokio::test]
async fn a_body_that_breaks_off_is_unreadable() {
    let signed = common::cases().into_iter().next().unwrap().request;
    let path = "/webhooks/platnova";
    let first_half = signed.body[..signed.body.len() / 2].to_vec();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(first_half),
        Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
    ];
    let mut request = http_request(path, signed);
    *request.body_mut() = Body::from_stream(futures_util::stream::iter(chunks));
    request.headers_mut().remove("content-length");
    let (status, body) = answer(request).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::BAD_REQUEST, "unreadable body")
    );
}

#[tokio::test]
async fn a_real_server_answers_a_real_client() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app()).await.unwrap() });
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

    // Chunked transfer encoding over the wire, no Content-Length: the limit holds while reading.
    let chunked = raw_exchange(
        address,
        "/webhooks/platnova",
        &[("x-webhook-secret", "pn_test")],
        Transfer::Chunked(2 * BODY_LIMIT),
    )
    .await;
    assert!(chunked.starts_with("HTTP/1.1 413"), "{chunked}");
    // A Content-Length far larger than what follows: refused without waiting for the body.
    let claimed = raw_exchange(
        address,
        "/webhooks/platnova",
        &[("x-webhook-secret", "pn_test")],
        Transfer::Claimed(1 << 30),
    )
    .await;
    assert!(claimed.starts_with("HTTP/1.1 413"), "{claimed}");
    server.abort();
}

enum Transfer {
    /// Send this many body bytes in 1 KiB chunks.
    Chunked(usize),
    /// Claim this Content-Length and send almost nothing.
    Claimed(usize),
}

/// Writes an HTTP/1.1 request by hand and returns the status line and headers of the answer.
async fn raw_exchange(
    address: std::net::SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    transfer: Transfer,
) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut head = format!("POST {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match transfer {
        Transfer::Chunked(total) => {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await.unwrap();
            let chunk = vec![b' '; 1024];
            for _ in 0..total / chunk.len() {
                let frame = [
                    format!("{:x}\r\n", chunk.len()).into_bytes(),
                    chunk.clone(),
                    b"\r\n".to_vec(),
                ]
                .concat();
                if stream.write_all(&frame).await.is_err() {
                    break; // The server may answer and close before reading everything.
                }
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
        Transfer::Claimed(length) => {
            head.push_str(&format!("content-length: {length}\r\n\r\n{{"));
            stream.write_all(head.as_bytes()).await.unwrap();
        }
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}
