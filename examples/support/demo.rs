//! What the receiver examples share: the five receivers, configured from environment variables
//! with demo defaults, and the log lines.

#![allow(dead_code)] // Each example uses the part it needs.

use hookproof::cedar::Cedar;
use hookproof::delivery::MemoryStore;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use hookproof::{IdempotencyKey, Receiver, Secret};
use http::HeaderName;

/// Where the receivers listen unless `PORT` says otherwise.
pub const DEFAULT_PORT: u16 = 3000;

/// Platfone publishes no scheme; this demo configures HMAC-SHA256 in this header.
pub const PLATFONE_SIGNATURE: HeaderName = HeaderName::from_static("x-platfone-signature");

/// The environment variables and their DEMO defaults. Never deploy with the defaults.
pub const SECRETS: [(&str, &str); 6] = [
    ("PLATNOVA_SECRET", "demo-platnova-secret"),
    ("INPLAYER_SECRET", "demo-inplayer-secret"),
    ("CEDAR_SECRET", "demo-cedar-secret"),
    ("VOXIMPLANT_SALT", "demo-voximplant-salt"),
    ("VOXIMPLANT_API_KEY", "demo-voximplant-api-key"),
    ("PLATFONE_SECRET", "demo-platfone-secret"),
];

/// The secret in `variable`, or its demo default (with a warning).
pub fn secret(variable: &str) -> Secret {
    let default = SECRETS
        .iter()
        .find(|(name, _)| *name == variable)
        .map(|(_, default)| *default)
        .expect("a known variable");
    let value = std::env::var(variable).unwrap_or_else(|_| {
        eprintln!("warning: {variable} is not set; using the DEMO default");
        default.to_owned()
    });
    Secret::new(value).unwrap_or_else(|_| panic!("{variable} must not be empty"))
}

pub fn port() -> u16 {
    std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(DEFAULT_PORT)
}

pub fn platfone_scheme(secret: Secret) -> HmacSha256 {
    HmacSha256::new(PLATFONE_SIGNATURE, secret).with_prefix("sha256=")
}

/// One receiver per provider.
#[derive(Clone)]
pub struct Receivers {
    pub platnova: Receiver<Platnova>,
    pub inplayer: Receiver<InPlayer>,
    pub cedar: Receiver<Cedar>,
    pub voximplant: Receiver<Voximplant>,
    pub platfone: Receiver<Platfone<HmacSha256>>,
}

impl Receivers {
    /// The five receivers, sharing one in-memory store: a retry of a handled delivery is
    /// acknowledged without reaching the handler, a failed one is handled again.
    pub fn from_env() -> Self {
        let store = MemoryStore::new(100_000);
        Self {
            platnova: Receiver::new(Platnova::new(secret("PLATNOVA_SECRET")))
                .with_store(store.clone()),
            inplayer: Receiver::new(InPlayer::new(secret("INPLAYER_SECRET")))
                .with_store(store.clone()),
            cedar: Receiver::new(
                Cedar::new(secret("CEDAR_SECRET")).require_fields(["id", "status"]),
            )
            .with_store(store.clone()),
            voximplant: Receiver::new(Voximplant::new(
                secret("VOXIMPLANT_SALT"),
                secret("VOXIMPLANT_API_KEY"),
            ))
            .with_store(store.clone()),
            platfone: Receiver::new(Platfone::new(platfone_scheme(secret("PLATFONE_SECRET"))))
                .with_store(store),
        }
    }
}

/// Prints hookproof's one event per outcome (accepted, duplicate, drifted, refused, …).
pub fn log_outcomes() {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .init();
}

pub fn handled(provider: &str, event_type: &str, key: Option<IdempotencyKey>) {
    let key = key.as_ref().map_or("-", IdempotencyKey::as_str);
    println!("handled   {provider:<10} {event_type:<36} idempotency key {key}");
}
