//! Many tenants on one receiver: keys looked up per request from a source, cached, rotated
//! without a restart; through `Receiver::accept_for`, the axum layer and the actix middleware.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpResponse, test as actix_test, web};
use axum::Router;
use axum::routing::post;
use hookproof::delivery::{
    KeySource, MemoryStore, Reception, SourceFuture, StoreError, TenantFrom,
};
use hookproof::platnova::Platnova;
use hookproof::testing::platnova::{sample, signed_request};
use hookproof::{KeyRing, Receipt, Receiver, Secret};
use http::StatusCode;
use tower::ServiceExt;

/// Each tenant's key ids and secrets.
type Secrets = HashMap<String, Vec<(&'static str, String)>>;

/// Tenants' secrets in memory, counting how often it is asked, and able to fail.
#[derive(Clone, Default)]
struct Source {
    secrets: Arc<Mutex<Secrets>>,
    asked: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
}

impl Source {
    fn set(&self, tenant: &str, secrets: &[(&'static str, &str)]) {
        self.secrets.lock().unwrap().insert(
            tenant.to_owned(),
            secrets
                .iter()
                .map(|(id, s)| (*id, (*s).to_owned()))
                .collect(),
        );
    }

    fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }
}

impl KeySource for Source {
    fn keys<'a>(&'a self, provider: &'a str, tenant: &'a str) -> SourceFuture<'a, Option<KeyRing>> {
        Box::pin(async move {
            assert_eq!(provider, "platnova");
            self.asked.fetch_add(1, Ordering::SeqCst);
            // A database's latency, so that concurrent misses overlap.
            tokio::time::sleep(Duration::from_millis(5)).await;
            if self.down.load(Ordering::SeqCst) {
                return Err(StoreError::new("the tenants database is unreachable"));
            }
            let secrets = self.secrets.lock().unwrap().get(tenant).cloned();
            Ok(secrets.map(|secrets| {
                let mut secrets = secrets.into_iter();
                let (id, first) = secrets.next().unwrap();
                secrets.fold(
                    KeyRing::new(id, Secret::new(first).unwrap()),
                    |ring, (id, s)| ring.with(id, Secret::new(s).unwrap()),
                )
            }))
        })
    }
}

fn receiver(source: &Source, ttl: Duration) -> Receiver<Platnova> {
    Receiver::per_tenant(source.clone(), |keys| Some(Platnova::new(keys)))
        .with_tenant_cache(ttl, 100_000)
        .with_store(MemoryStore::new(100_000))
        .tenant_from(TenantFrom::Path("tenant"))
}

fn body(reference: &str) -> String {
    sample("card.charged")
        .unwrap()
        .body
        .replace("TXN123456", reference)
}

fn axum_app(receiver: Receiver<Platnova>) -> Router {
    Router::new().route(
        "/webhooks/platnova/{tenant}",
        post(
            |hookproof::axum::Webhook(_): hookproof::axum::Webhook<Platnova>, receipt: Receipt| async move {
                format!("handled for {}", receipt.tenant())
            },
        )
        .layer(hookproof::axum::WebhookLayer::new(receiver)),
    )
}

async fn post_axum(
    app: &Router,
    tenant: &str,
    secret: &str,
    reference: &str,
) -> (StatusCode, String) {
    let request = signed_request(
        &Platnova::new(Secret::new(secret).unwrap()),
        body(reference),
    )
    .unwrap()
    .into_http(&format!("/webhooks/platnova/{tenant}"))
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let text = axum::body::to_bytes(response.into_body(), 1024)
        .await
        .unwrap();
    (status, String::from_utf8(text.to_vec()).unwrap())
}

#[tokio::test]
async fn two_tenants_with_the_same_event_are_two_deliveries() {
    let source = Source::default();
    source.set("acme", &[("acme-1", "acme secret")]);
    source.set("globex", &[("globex-1", "globex secret")]);
    let app = axum_app(receiver(&source, Duration::from_secs(60)));
    assert_eq!(
        post_axum(&app, "acme", "acme secret", "TX-1").await,
        (StatusCode::OK, "handled for acme".into())
    );
    assert_eq!(
        post_axum(&app, "globex", "globex secret", "TX-1").await,
        (StatusCode::OK, "handled for globex".into())
    );
    // A tenant's secret does not verify another tenant's route.
    assert_eq!(
        post_axum(&app, "globex", "acme secret", "TX-2").await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_rotation_at_the_source_takes_effect_within_the_ttl_or_at_once() {
    let source = Source::default();
    source.set("acme", &[("old", "old secret"), ("new", "new secret")]);
    // Wide enough that a busy machine does not let it run out before the third request.
    let ttl = Duration::from_millis(1000);
    let receiver = receiver(&source, ttl);
    let app = axum_app(receiver.clone());
    // The overlap: both secrets verify.
    assert_eq!(
        post_axum(&app, "acme", "old secret", "R-1").await.0,
        StatusCode::OK
    );
    assert_eq!(
        post_axum(&app, "acme", "new secret", "R-2").await.0,
        StatusCode::OK
    );
    // The old secret is removed at the source: still cached until the TTL runs out.
    source.set("acme", &[("new", "new secret")]);
    assert_eq!(
        post_axum(&app, "acme", "old secret", "R-3").await.0,
        StatusCode::OK
    );
    tokio::time::sleep(ttl + Duration::from_millis(200)).await;
    assert_eq!(
        post_axum(&app, "acme", "old secret", "R-4").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post_axum(&app, "acme", "new secret", "R-5").await.0,
        StatusCode::OK
    );
    // A removal with an invalidation takes effect at once.
    source.set("acme", &[("newer", "newer secret")]);
    assert_eq!(
        post_axum(&app, "acme", "new secret", "R-6").await.0,
        StatusCode::OK
    );
    receiver.invalidate_tenant("acme").await;
    assert_eq!(
        post_axum(&app, "acme", "new secret", "R-7").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post_axum(&app, "acme", "newer secret", "R-8").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unknown_tenant_is_refused_exactly_as_a_bad_signature() {
    let source = Source::default();
    source.set("acme", &[("acme-1", "acme secret")]);
    let app = axum_app(receiver(&source, Duration::from_secs(60)));
    let unknown = post_axum(&app, "nobody", "acme secret", "U-1").await;
    let bad_signature = post_axum(&app, "acme", "a guess", "U-2").await;
    assert_eq!(unknown, bad_signature);
    assert_eq!(
        unknown,
        (StatusCode::UNAUTHORIZED, "signature mismatch".into())
    );
}

#[tokio::test]
async fn a_thousand_tenants_ten_requests_each_ask_the_source_once_each() {
    let source = Source::default();
    for tenant in 0..1000 {
        source.set(&format!("t{tenant}"), &[("k", &format!("secret {tenant}"))]);
    }
    let receiver = receiver(&source, Duration::from_secs(60));
    let mut requests = Vec::new();
    for tenant in 0..1000 {
        for n in 0..10 {
            let receiver = receiver.clone();
            requests.push(tokio::spawn(async move {
                let request = signed_request(
                    &Platnova::new(Secret::new(format!("secret {tenant}")).unwrap()),
                    body(&format!("T{tenant}-{n}")),
                )
                .unwrap();
                let reception = receiver
                    .accept_for(&format!("t{tenant}"), &request.headers, &request.body)
                    .await
                    .unwrap();
                let Reception::New(claimed) = reception else {
                    panic!("new")
                };
                assert_eq!(claimed.receipt.tenant(), format!("t{tenant}"));
                claimed.lease.complete().await.unwrap();
            }));
        }
    }
    for request in requests {
        request.await.unwrap();
    }
    let asked = source.asked();
    println!("the source was asked {asked} times for 10,000 requests of 1,000 tenants");
    assert!(
        (1000..=1050).contains(&asked),
        "the source was asked {asked} times for 10,000 requests of 1,000 tenants"
    );
}

#[tokio::test]
async fn a_source_that_fails_is_a_503_and_the_receiver_recovers() {
    let source = Source::default();
    source.set("acme", &[("acme-1", "acme secret")]);
    let app = axum_app(receiver(&source, Duration::from_secs(60)));
    source.down.store(true, Ordering::SeqCst);
    let down = post_axum(&app, "acme", "acme secret", "D-1").await;
    assert_eq!(
        down,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily unavailable".into()
        )
    );
    source.down.store(false, Ordering::SeqCst);
    assert_eq!(
        post_axum(&app, "acme", "acme secret", "D-1").await.0,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn the_actix_middleware_reads_the_tenant_from_the_route() {
    let source = Source::default();
    source.set("acme", &[("acme-1", "acme secret")]);
    source.set("globex", &[("globex-1", "globex secret")]);
    let receiver = receiver(&source, Duration::from_secs(60));
    let app = actix_test::init_service(
        App::new().service(
            web::resource("/webhooks/platnova/{tenant}")
                .wrap(hookproof::actix::WebhookMiddleware::new(receiver))
                .route(web::post().to(
                    |_: hookproof::actix::Webhook<Platnova>, receipt: Receipt| async move {
                        HttpResponse::Ok().body(format!("handled for {}", receipt.tenant()))
                    },
                )),
        ),
    )
    .await;
    let send = |tenant: &str, secret: &str| {
        let signed =
            signed_request(&Platnova::new(Secret::new(secret).unwrap()), body("TX-1")).unwrap();
        signed
            .headers
            .iter()
            .fold(
                actix_test::TestRequest::post().uri(&format!("/webhooks/platnova/{tenant}")),
                |request, (name, value)| request.insert_header((name.as_str(), value.as_str())),
            )
            .set_payload(signed.body)
            .to_request()
    };
    for (tenant, secret) in [("acme", "acme secret"), ("globex", "globex secret")] {
        let response = actix_test::call_service(&app, send(tenant, secret)).await;
        assert_eq!(response.status().as_u16(), 200);
        let text = actix_test::read_body(response).await;
        assert_eq!(text, format!("handled for {tenant}").as_bytes());
    }
    let unknown = actix_test::call_service(&app, send("nobody", "acme secret")).await;
    assert_eq!(unknown.status().as_u16(), 401);
}
