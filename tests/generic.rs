//! Any provider: the Standard Webhooks scheme, checked against the spec's example and both ways
//! against the `standardwebhooks` crate; the generic provider through a receiver, a store and a
//! real axum layer and a durable inbox; and a provider implemented outside the crate without
//! `dangerous`.

#[path = "support/servers.rs"]
mod servers;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::post;
use hookproof::axum::{Webhook, WebhookLayer};
use hookproof::delivery::MemoryStore;
use hookproof::generic::{Event, Generic};
use hookproof::testing::SignedRequest;
use hookproof::testing::generic::signed_request;
use hookproof::verify::{HmacSha256, StandardWebhooks};
use hookproof::{
    Delivery, Drifted, Error, ErrorKind, Headers, IdempotencyKey, KeyRing, Provenance, Provider,
    Receiver, Secret, Verified, Verifier,
};
use http::{HeaderMap, HeaderName, StatusCode};
use serde::Deserialize;
use tower::ServiceExt;

const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_TIMESTAMP: u64 = 1_614_265_330;
const SPEC_BODY: &[u8] = br#"{"test": 2432232314}"#;
/// base64(HMAC-SHA256(base64decode(secret), "id.timestamp.body")), computed with Python's hmac.
const SPEC_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn at(secs: u64) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    move || UNIX_EPOCH + Duration::from_secs(secs)
}

fn spec_scheme() -> StandardWebhooks {
    StandardWebhooks::new(Secret::new(SPEC_SECRET).unwrap())
        .unwrap()
        .with_clock(at(SPEC_TIMESTAMP))
}

fn spec_headers(signature: &str) -> Vec<(&'static str, String)> {
    vec![
        ("webhook-id", SPEC_ID.to_owned()),
        ("webhook-timestamp", SPEC_TIMESTAMP.to_string()),
        ("webhook-signature", signature.to_owned()),
    ]
}

fn kind(outcome: Result<hookproof::KeyId, Error>) -> Option<ErrorKind> {
    outcome.err().map(|error| error.kind())
}

#[test]
fn the_spec_example_verifies_and_its_tampered_copies_do_not() {
    let scheme = spec_scheme();
    assert!(
        scheme
            .verify(&spec_headers(SPEC_SIGNATURE), SPEC_BODY)
            .is_ok()
    );
    assert_eq!(
        scheme.message_id(&spec_headers(SPEC_SIGNATURE)).as_deref(),
        Some(SPEC_ID)
    );
    assert_eq!(
        kind(scheme.verify(&spec_headers(SPEC_SIGNATURE), br#"{"test": 2432232315}"#)),
        Some(ErrorKind::SignatureMismatch)
    );
    let mut other_id = spec_headers(SPEC_SIGNATURE);
    other_id[0].1 = "msg_other".to_owned();
    assert_eq!(
        kind(scheme.verify(&other_id, SPEC_BODY)),
        Some(ErrorKind::SignatureMismatch)
    );
    // The secret without its prefix is the same secret.
    let bare = StandardWebhooks::new(Secret::new(&SPEC_SECRET[6..]).unwrap())
        .unwrap()
        .with_clock(at(SPEC_TIMESTAMP));
    assert!(
        bare.verify(&spec_headers(SPEC_SIGNATURE), SPEC_BODY)
            .is_ok()
    );
    // Svix's own header names.
    let svix = [
        ("svix-id", SPEC_ID.to_owned()),
        ("svix-timestamp", SPEC_TIMESTAMP.to_string()),
        ("svix-signature", SPEC_SIGNATURE.to_owned()),
    ];
    assert!(scheme.verify(&svix, SPEC_BODY).is_ok());
    assert_eq!(scheme.message_id(&svix).as_deref(), Some(SPEC_ID));
}

#[test]
fn a_truncated_or_empty_signature_never_passes() {
    let scheme = spec_scheme();
    let valid = &SPEC_SIGNATURE[3..];
    for signature in [
        "v1,".to_owned(),
        "v1, ".to_owned(),
        format!("v1,{}", &valid[..valid.len() - 4]),
        format!("v1,{}", &valid[..10]),
        "v1,=".to_owned(),
        String::new(),
        "v2,abc".to_owned(),
        format!("v1a,{valid}"),
    ] {
        let outcome = scheme.verify(&spec_headers(&signature), SPEC_BODY);
        assert_eq!(
            kind(outcome),
            Some(ErrorKind::MalformedSignature),
            "{signature:?}"
        );
    }
    // Well formed but wrong: a mismatch.
    let wrong = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assert_eq!(
        kind(scheme.verify(&spec_headers(wrong), SPEC_BODY)),
        Some(ErrorKind::SignatureMismatch)
    );
}

#[test]
fn any_v1_signature_passes_and_other_versions_are_ignored() {
    let scheme = spec_scheme();
    let wrong = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let list = format!("v2,whatever {wrong} v1, {SPEC_SIGNATURE}");
    assert!(scheme.verify(&spec_headers(&list), SPEC_BODY).is_ok());
    // A rotation: the old secret first, the spec's second.
    let ring = KeyRing::new(
        "old",
        Secret::new("whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY").unwrap(),
    )
    .with("new", Secret::new(SPEC_SECRET).unwrap());
    let rotated = StandardWebhooks::new(ring)
        .unwrap()
        .with_clock(at(SPEC_TIMESTAMP));
    assert_eq!(
        rotated
            .verify(&spec_headers(SPEC_SIGNATURE), SPEC_BODY)
            .unwrap(),
        "new"
    );
    assert!(StandardWebhooks::new(Secret::new("whsec_not base64!").unwrap()).is_err());
}

#[test]
fn the_timestamp_window_is_two_sided_and_configurable() {
    let headers = spec_headers(SPEC_SIGNATURE);
    let judged_at = |secs: u64, tolerance: Option<Duration>| {
        let scheme = StandardWebhooks::new(Secret::new(SPEC_SECRET).unwrap()).unwrap();
        let scheme = match tolerance {
            Some(tolerance) => scheme.with_tolerance(tolerance),
            None => scheme,
        };
        kind(scheme.with_clock(at(secs)).verify(&headers, SPEC_BODY))
    };
    assert_eq!(judged_at(SPEC_TIMESTAMP + 300, None), None);
    assert_eq!(judged_at(SPEC_TIMESTAMP - 300, None), None);
    assert_eq!(
        judged_at(SPEC_TIMESTAMP + 301, None),
        Some(ErrorKind::StaleTimestamp)
    );
    assert_eq!(
        judged_at(SPEC_TIMESTAMP - 301, None),
        Some(ErrorKind::FutureTimestamp)
    );
    let hour = Some(Duration::from_secs(3600));
    assert_eq!(judged_at(SPEC_TIMESTAMP + 3000, hour), None);
    let mut not_a_number = headers.clone();
    not_a_number[1].1 = "1614265330.5".to_owned();
    assert_eq!(
        kind(spec_scheme().verify(&not_a_number, SPEC_BODY)),
        Some(ErrorKind::MalformedHeader)
    );
}

#[test]
fn the_peer_crate_signs_and_hookproof_verifies() {
    let peer = standardwebhooks::Webhook::new(SPEC_SECRET).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let body = br#"{"type":"invoice.paid","data":{"id":"in_1"}}"#;
    let signature = peer.sign("msg_peer_1", now, body).unwrap();
    let headers = [
        ("webhook-id", "msg_peer_1".to_owned()),
        ("webhook-timestamp", now.to_string()),
        ("webhook-signature", signature),
    ];
    let ours = StandardWebhooks::new(Secret::new(SPEC_SECRET).unwrap()).unwrap();
    assert!(ours.verify(&headers, body).is_ok());
    assert_eq!(
        kind(ours.verify(&headers, br#"{"type":"invoice.paid","data":{"id":"in_2"}}"#)),
        Some(ErrorKind::SignatureMismatch)
    );
}

#[test]
fn hookproof_signs_and_the_peer_crate_verifies() {
    let ours = StandardWebhooks::new(Secret::new(SPEC_SECRET).unwrap()).unwrap();
    let body = br#"{"type":"invoice.paid","data":{"id":"in_1"}}"#;
    let request = signed_request(&ours, &body[..]).unwrap();
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    let peer = standardwebhooks::Webhook::new(SPEC_SECRET).unwrap();
    peer.verify(&request.body, &headers).unwrap();
    assert!(
        peer.verify(b"{}", &headers).is_err(),
        "the peer checks the body"
    );
}

/// A made-up provider's event, with an unknown-type fallback.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", content = "data")]
enum Billing {
    #[serde(rename = "invoice.paid")]
    InvoicePaid {
        id: String,
        amount: hookproof::Amount,
    },
    #[serde(other)]
    Other,
}

fn billing() -> Generic<StandardWebhooks, Billing> {
    Generic::new(
        "billing",
        StandardWebhooks::new(Secret::new(SPEC_SECRET).unwrap()).unwrap(),
    )
    .event_type_at("/type")
    .key_from_message_id()
}

#[tokio::test]
async fn a_generic_provider_gets_the_layer_the_store_and_the_drift_policy() {
    let store = MemoryStore::new(1000);
    let receiver = Receiver::new(billing()).with_store(store.clone());
    let app = Router::new().route(
        "/billing",
        post(
            |Webhook(n): Webhook<Generic<StandardWebhooks, Billing>>| async move {
                match n.event {
                    Event::Typed(Billing::InvoicePaid { id, amount }) => {
                        format!("paid {id} {amount}")
                    }
                    Event::Typed(Billing::Other) => "other".to_owned(),
                    Event::Drifted(drifted) => format!("drifted {}", drifted.event_type()),
                    _ => "?".to_owned(),
                }
            },
        )
        .layer(WebhookLayer::new(receiver)),
    );
    let send = |body: &str| signed_request(&billing(), body.to_owned()).unwrap();
    let answer = |signed: SignedRequest| {
        let request = signed.into_http("/billing").unwrap();
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap();
            (status, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    let paid = r#"{"type":"invoice.paid","data":{"id":"in_1","amount":"12.50"}}"#;
    assert_eq!(
        answer(send(paid)).await,
        (StatusCode::OK, "paid in_1 12.50".into())
    );
    // The same message again (same webhook-id): acknowledged, not handled.
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        answer(send(paid)).await,
        (StatusCode::OK, "already received".into())
    );
    // A type the enum falls back on, and a known type that does not fit: both reach the handler.
    let other = r#"{"type":"customer.created"}"#;
    assert_eq!(answer(send(other)).await, (StatusCode::OK, "other".into()));
    let drifted = r#"{"type":"invoice.paid","data":{"id":"in_2","amount":"lots"}}"#;
    assert_eq!(
        answer(send(drifted)).await,
        (StatusCode::OK, "drifted invoice.paid".into())
    );
    // A forged request never reaches it.
    let mut forged = send(paid);
    forged
        .headers
        .retain(|(name, _)| name != "webhook-signature");
    let forged = forged.with_header("webhook-signature", "v1,");
    assert_eq!(answer(forged).await.0, StatusCode::BAD_REQUEST);
    // Strict: the drifted body is refused.
    let strict = billing().strict();
    let request = signed_request(&strict, drifted.to_owned()).unwrap();
    let err = strict
        .verify_and_parse(&request.headers, &request.body)
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status().as_u16()),
        (ErrorKind::PayloadData, 422)
    );
}

#[test]
fn keys_from_body_pointers_are_read_through_unique_keys_only() {
    let scheme = HmacSha256::new(
        HeaderName::from_static("x-signature"),
        Secret::new("k").unwrap(),
    );
    let provider = Generic::<_, serde_json::Value>::new("acme", scheme)
        .event_type_at("/type")
        .key_at(["/type", "/data/id"]);
    let receive = |body: &str| {
        let request = signed_request(&provider, body.to_owned()).unwrap();
        provider.verify_and_parse(&request.headers, &request.body)
    };
    let notification = receive(r#"{"type":"order.paid","data":{"id":7}}"#).unwrap();
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "order.paid:7"
    );
    assert_eq!(
        receive(r#"{"type":"order.paid"}"#)
            .unwrap()
            .idempotency_key(),
        None
    );
    let ambiguous = receive(r#"{"type":"order.paid","data":{"id":7,"id":8}}"#).unwrap_err();
    assert_eq!(ambiguous.kind(), ErrorKind::AmbiguousPayload);
}

/// A provider implemented outside hookproof, with no `dangerous`: its `verify` returns the
/// proof that `Verified::by` makes of running its verifier.
struct Gateway {
    token: hookproof::verify::SharedSecretHeader,
}

#[derive(Debug, Clone)]
struct GatewayNotification {
    reference: String,
    provenance: Provenance,
}

impl Delivery for GatewayNotification {
    fn provenance(&self) -> &Provenance {
        &self.provenance
    }
    fn idempotency_key(&self) -> Option<IdempotencyKey> {
        None
    }
    fn drifted(&self) -> Option<&Drifted> {
        None
    }
}

impl Provider for Gateway {
    type Evidence = ();
    type Notification = GatewayNotification;
    const NAME: &'static str = "gateway";

    fn verify<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a>, Error> {
        Verified::by(&self.token, headers, body)
    }

    fn parse(&self, verified: Verified<'_>) -> Result<GatewayNotification, Error> {
        Ok(GatewayNotification {
            reference: String::from_utf8_lossy(verified.body()).into_owned(),
            provenance: verified.provenance(),
        })
    }
}

#[test]
fn a_provider_of_your_own_needs_no_dangerous() {
    let gateway = Gateway {
        token: hookproof::verify::SharedSecretHeader::new(
            HeaderName::from_static("x-token"),
            Secret::new("t0ken").unwrap(),
        ),
    };
    let notification = gateway
        .verify_and_parse(&[("x-token", "t0ken")], br#""ref-1""#)
        .unwrap();
    assert_eq!(notification.reference, r#""ref-1""#);
    assert_eq!(
        gateway
            .verify_and_parse(&[("x-token", "guess")], br#""ref-1""#)
            .unwrap_err()
            .kind(),
        ErrorKind::SignatureMismatch
    );
}

/// The generic provider gets the durable inbox as a built-in one does: stored once before the
/// 200, a retry acknowledged without a second row, and handled typed from the store.
#[tokio::test]
async fn a_generic_provider_gets_the_inbox() {
    use hookproof::delivery::Reception;
    use hookproof::delivery::inbox::{Inbox, SqliteInbox};

    let dir = servers::TempDir::new("generic-inbox");
    let inbox = SqliteInbox::open(dir.path().join("inbox.db"))
        .await
        .unwrap();
    inbox.migrate().await.unwrap();
    let receiver = Receiver::new(billing()).with_inbox(inbox.clone());
    let body = br#"{"type":"invoice.paid","data":{"id":"in_1","amount":"12.50"}}"#;
    let request = signed_request(&billing(), &body[..]).unwrap();
    let first = receiver.accept(&request.headers, &request.body).await;
    assert!(matches!(first, Ok(Reception::Stored(_))));
    let retry = receiver.accept(&request.headers, &request.body).await;
    assert!(matches!(retry, Ok(Reception::Duplicate(_))));

    let handled = Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = Arc::clone(&handled);
    let worker = inbox.worker(billing(), move |row| {
        if let Event::Typed(Billing::InvoicePaid { id, amount }) = row.notification.event {
            recorded.lock().unwrap().push(format!("{id} {amount}"));
        }
        std::future::ready(Ok::<(), String>(()))
    });
    assert!(worker.run_once().await.unwrap());
    assert!(!worker.run_once().await.unwrap(), "one row only");
    assert_eq!(*handled.lock().unwrap(), ["in_1 12.50"]);
}
