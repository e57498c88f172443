//! One receiver for many tenants: each merchant connects its own Platnova and InPlayer
//! accounts, and its secrets live in a file the app reads when a tenant's keys are not cached
//! (a database or a secret manager works the same way). Edit the file while the app runs and the
//! change takes effect within the cache's time to live; `POST /admin/invalidate/{tenant}` makes
//! it take effect at once.
//!
//! ```sh
//! cargo run -p hookproof-integration --example tenants
//! ```
//!
//! It writes `tenants.json` in a temporary directory, prints signed `curl` commands for two
//! tenants, and serves `http://127.0.0.1:3000/webhooks/{platnova,inplayer}/{tenant}`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use hookproof::axum::{Webhook, WebhookLayer};
use hookproof::delivery::{KeySource, MemoryStore, SourceFuture, StoreError, TenantFrom};
use hookproof::inplayer::InPlayer;
use hookproof::platnova::Platnova;
use hookproof::testing::{SignedRequest, inplayer, platnova};
use hookproof::{KeyRing, Receipt, Receiver, Secret};

/// `{"<tenant>": {"<provider>": {"<key id>": "<secret>", …}, …}, …}`, read on every cache miss.
struct TenantsFile(PathBuf);

impl KeySource for TenantsFile {
    fn keys<'a>(&'a self, provider: &'a str, tenant: &'a str) -> SourceFuture<'a, Option<KeyRing>> {
        Box::pin(async move {
            let text = tokio::fs::read_to_string(&self.0)
                .await
                .map_err(StoreError::new)?;
            let file: serde_json::Value = serde_json::from_str(&text).map_err(StoreError::new)?;
            let Some(keys) = file[tenant][provider].as_object() else {
                return Ok(None);
            };
            let mut ring: Option<KeyRing> = None;
            for (id, secret) in keys {
                let Some(secret) = secret.as_str().and_then(|s| Secret::new(s).ok()) else {
                    continue;
                };
                ring = Some(match ring {
                    None => KeyRing::new(id.as_str(), secret),
                    Some(ring) => ring.with(id.as_str(), secret),
                });
            }
            Ok(ring)
        })
    }
}

async fn on_platnova(Webhook(n): Webhook<Platnova>, receipt: Receipt) -> &'static str {
    println!(
        "platnova  {:<8} {} by key {}",
        receipt.tenant(),
        n.event_type(),
        receipt.key_id()
    );
    "ok"
}

async fn on_inplayer(Webhook(n): Webhook<InPlayer>, receipt: Receipt) -> &'static str {
    println!(
        "inplayer  {:<8} {} by key {}",
        receipt.tenant(),
        n.event_type(),
        receipt.key_id()
    );
    "ok"
}

#[derive(Clone)]
struct Admin {
    platnova: Receiver<Platnova>,
    inplayer: Receiver<InPlayer>,
}

async fn invalidate(State(admin): State<Admin>, Path(tenant): Path<String>) -> &'static str {
    admin.platnova.invalidate_tenant(&tenant).await;
    admin.inplayer.invalidate_tenant(&tenant).await;
    "invalidated"
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
    // Demo secrets. A real app keeps them in its database or secret manager.
    let dir = std::env::temp_dir().join(format!("hookproof-tenants-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("tenants.json");
    std::fs::write(
        &file,
        r#"{
  "acme":   {"platnova": {"acme-2026": "acme platnova secret"}, "inplayer": {"acme-ip": "acme inplayer secret"}},
  "globex": {"platnova": {"globex-1": "globex platnova secret"}}
}"#,
    )?;
    println!("tenants' secrets: {}", file.display());

    let store = MemoryStore::new(100_000);
    let source = Arc::new(file.clone());
    let platnova_receiver = Receiver::per_tenant(TenantsFile((*source).clone()), |keys| {
        Some(Platnova::new(keys))
    })
    .with_tenant_cache(Duration::from_secs(30), 10_000)
    .with_store(store.clone())
    .tenant_from(TenantFrom::Path("tenant"));
    let inplayer_receiver = Receiver::per_tenant(TenantsFile((*source).clone()), |keys| {
        Some(InPlayer::new(keys))
    })
    .with_tenant_cache(Duration::from_secs(30), 10_000)
    .with_store(store)
    .tenant_from(TenantFrom::Path("tenant"));

    let admin = Admin {
        platnova: platnova_receiver.clone(),
        inplayer: inplayer_receiver.clone(),
    };
    let app = Router::new()
        .route(
            "/webhooks/platnova/{tenant}",
            post(on_platnova).layer(WebhookLayer::new(platnova_receiver)),
        )
        .route(
            "/webhooks/inplayer/{tenant}",
            post(on_inplayer).layer(WebhookLayer::new(inplayer_receiver)),
        )
        .route("/admin/invalidate/{tenant}", post(invalidate))
        .with_state(admin);

    println!("signed requests to try (the same event id for both tenants: two deliveries):");
    let charged = platnova::sample("card.charged").unwrap().body;
    for (tenant, secret) in [
        ("acme", "acme platnova secret"),
        ("globex", "globex platnova secret"),
    ] {
        let request =
            platnova::signed_request(&Platnova::new(Secret::new(secret).unwrap()), charged)
                .unwrap();
        println!(
            "{}",
            curl(port, &format!("/webhooks/platnova/{tenant}"), &request)
        );
    }
    let payment = inplayer::sample("payment.card.success").unwrap().body;
    let request = inplayer::signed_request(
        &InPlayer::new(Secret::new("acme inplayer secret").unwrap()),
        payment,
    )
    .unwrap();
    println!("{}", curl(port, "/webhooks/inplayer/acme", &request));

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "listening on http://{}/webhooks/<provider>/<tenant>",
        listener.local_addr()?
    );
    axum::serve(listener, app).await
}
