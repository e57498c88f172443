//! InPlayer: paywall payments, subscriptions, access and customers.
//!
//! **Authentication.** `X-InPlayer-Signature: sha256=<hex>` is the HMAC-SHA256 of the raw body
//! keyed with the API secret ([`HmacSha256`]), checked before the body is decoded. The signed body
//! carries `created`, so a freshness window is possible; it is off by default so that InPlayer's
//! retries of older events are still accepted. Turn it on with [`InPlayer::with_freshness`].
//!
//! **Body.** `application/x-www-form-urlencoded` with `id`, `created`, `type`, `version` and
//! bracket keys `resource[…]`, decoded by the rules in the spec's Decisions: `+` is a space,
//! escapes are decoded after splitting, keys nest (up to 32 levels), `key[]` builds a list and a
//! repeated key inside `resource` keeps its last value, as PHP, InPlayer's own stack, reads it
//! (InPlayer's documented examples repeat `resource[previewTitle]`). The envelope keys `id`,
//! `created`, `type` and `version` must each appear once. At most 1000 pairs are read.
//!
//! ```
//! use hookproof::inplayer::{Event, InPlayer};
//! use hookproof::{Provider, Secret};
//!
//! let inplayer = InPlayer::new(Secret::new("my_inplayer_api_secret")?);
//! let body = b"id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.success&version=2.4.2\
//! &resource%5Btransaction%5D=C-MP3obSF5w81JsveRg4LiPV3iS-SC&resource%5Bamount%5D=10.00\
//! &resource%5Bcurrency_iso%5D=EUR&resource%5Bformatted_amount%5D=%E2%82%AC10.00\
//! &resource%5Bemail%5D=customer%40example.com&resource%5Bstatus%5D=success&resource%5Bcode%5D=200";
//! // HMAC-SHA256 computed with Python's hmac module (the spec's worked example).
//! let headers = [(
//!     "X-InPlayer-Signature",
//!     "sha256=2986e87aa2db58da312cdebc013d5d7dbf31f6806ba75a38014bb9c1aa4ddfc9",
//! )];
//!
//! let notification = inplayer.verify_and_parse(&headers, body)?;
//! assert_eq!(notification.idempotency_key().as_str(), "WHE-jAlBR7bGKGIV2mSr");
//! let Event::PaymentCardSuccess(payment) = &notification.event else { panic!() };
//! assert_eq!(payment.amount.as_ref().map(|a| a.as_str()), Some("10.00"));
//! assert_eq!(payment.formatted_amount.as_deref(), Some("€10.00"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod events;

pub use crate::form::FormValue;
pub use events::*;

use std::collections::BTreeMap;
use std::time::Duration;

use http::HeaderName;

use crate::drift::DriftPolicy;
use crate::form::{self, FormDeserializer};
use crate::headers::expect_content_type;
use crate::json::KnownEvents;
use crate::time::Freshness;
use crate::verify::HmacSha256;
use crate::{
    Clock, Delivery, Drifted, Error, Headers, IdempotencyKey, KeyRing, Provenance, Provider,
    UnixTime, Verified, Verifier,
};

/// Receives InPlayer webhooks.
#[derive(Debug, Clone)]
pub struct InPlayer {
    scheme: HmacSha256,
    freshness: Option<Freshness>,
    drift: DriftPolicy,
}

/// A verified InPlayer webhook.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// The event's unique id (`WHE-…` or a UUID); the idempotency key.
    pub id: String,
    /// When the event happened (signed, so usable for a freshness check); absent only if
    /// InPlayer leaves it out.
    pub created: Option<UnixTime>,
    /// The webhook service's version (`2.4.2`), when sent.
    pub version: Option<String>,
    /// The event and its resource.
    pub event: Event,
    provenance: Provenance,
}

impl InPlayer {
    /// The header the signature arrives in.
    pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-inplayer-signature");
    /// The content type InPlayer sends; another one is refused with 415.
    pub const CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";

    /// A receiver that accepts signatures made with the API secret (or any secret) in `keys`.
    pub fn new(keys: impl Into<KeyRing>) -> Self {
        Self {
            scheme: HmacSha256::new(Self::SIGNATURE_HEADER, keys).with_prefix("sha256="),
            freshness: None,
            drift: DriftPolicy::Deliver,
        }
    }

    /// The scheme requests are verified with.
    pub fn scheme(&self) -> &HmacSha256 {
        &self.scheme
    }

    /// Refuses a known event whose resource does not have the documented shape
    /// ([`PayloadData`](crate::ErrorKind::PayloadData), 422) instead of delivering it as
    /// [`Event::Drifted`]. Off by default; meant for development.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.drift = DriftPolicy::Refuse;
        self
    }

    /// Refuses events whose signed `created` time is more than `tolerance` away from now, in
    /// either direction ([`StaleTimestamp`](crate::ErrorKind::StaleTimestamp),
    /// [`FutureTimestamp`](crate::ErrorKind::FutureTimestamp)), or absent (`StaleTimestamp`:
    /// nothing shows the event is fresh). Off by default.
    #[must_use]
    pub fn with_freshness(mut self, tolerance: Duration) -> Self {
        self.freshness = Some(Freshness::new(tolerance));
        self
    }

    /// Judges freshness by `clock` instead of the system clock (for tests). Implies a freshness
    /// window of 5 minutes if none was set.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        let freshness = self
            .freshness
            .take()
            .unwrap_or_else(|| Freshness::new(Duration::from_secs(300)));
        self.freshness = Some(freshness.with_clock(clock));
        self
    }
}

impl Provider for InPlayer {
    type Evidence = ();
    type Notification = Notification;

    const NAME: &'static str = "inplayer";

    /// Checks the content type and the HMAC of the body.
    fn verify<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a>, Error> {
        expect_content_type(headers, Self::CONTENT_TYPE)?;
        let key_id = self.scheme.verify(&headers, body)?;
        Ok(Verified::new(body, key_id, ()))
    }

    /// Decodes a verified body and, if configured, checks the freshness of `created`.
    fn parse(&self, verified: Verified<'_>) -> Result<Notification, Error> {
        let mut form = form::parse(verified.body(), &ENVELOPE)?;
        let id = take_text(&mut form, "id")?;
        let created = match form.remove("created") {
            None => None,
            Some(FormValue::Text(created)) => {
                Some(created.parse().map(UnixTime::from_sent).map_err(|_| {
                    Error::field_type("created", "a Unix timestamp in whole seconds")
                })?)
            }
            Some(_) => return Err(Error::field_type("created", "text")),
        };
        if let Some(freshness) = &self.freshness {
            freshness.check_present(created)?;
        }
        let event_type = take_text(&mut form, "type")?;
        let version = match form.remove("version") {
            None => None,
            Some(FormValue::Text(version)) => Some(version),
            Some(_) => return Err(Error::field_type("version", "text")),
        };
        let resource = form.remove("resource").unwrap_or_else(empty_group);
        let provenance = verified.provenance();
        let event = self.drift.apply(
            read_event(event_type, resource, verified.body()),
            |error| match error.event_type().and_then(Event::known_type) {
                Some(known) => Ok(Event::Drifted(Drifted::new(known, error, &provenance))),
                None => Err(error),
            },
        )?;
        Ok(Notification {
            id,
            created,
            version,
            event,
            provenance,
        })
    }
}

/// The keys that say what the body is; each may appear once.
const ENVELOPE: [&str; 5] = ["id", "created", "type", "version", "resource"];

fn take_text(form: &mut BTreeMap<String, FormValue>, field: &'static str) -> Result<String, Error> {
    match form.remove(field) {
        Some(FormValue::Text(text)) => Ok(text),
        Some(_) => Err(Error::field_type(field, "text")),
        None => Err(Error::missing_field(None, field)),
    }
}

/// Reads `resource` as the event `event_type` names, keeping an unknown type's resource as is.
fn read_event(event_type: String, resource: FormValue, body: &[u8]) -> Result<Event, Error> {
    let Some(known) = Event::known_type(&event_type) else {
        return Ok(Event::Unknown(UnknownEvent {
            event_type,
            resource,
        }));
    };
    Event::deserialize_known(known, FormDeserializer(resource))
        .map_err(|_| locate_failure(known, body))
}

/// Reads the resource again, tracking the path, only to say where reading it failed.
fn locate_failure(known: &'static str, body: &[u8]) -> Error {
    let resource = match form::parse(body, &ENVELOPE) {
        Ok(mut form) => form.remove("resource").unwrap_or_else(empty_group),
        Err(error) => return error,
    };
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(FormDeserializer(resource), &mut track);
    let message = match Event::deserialize_known(known, tracked) {
        Err(failure) => failure.to_string(),
        Ok(_) => "the resource could not be read".to_owned(),
    };
    Error::deserialization(Some(known), "resource", Some(&track.path()), &message)
}

fn empty_group() -> FormValue {
    FormValue::Map(BTreeMap::new())
}

impl Notification {
    /// The event type as sent, such as `payment.card.success`.
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }

    /// The event's `id`, unique per sent event.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        IdempotencyKey::new(self.id.clone())
    }

    /// The key that verified the request and the body as received.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
}

impl Delivery for Notification {
    fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    fn drifted(&self) -> Option<&Drifted> {
        match &self.event {
            Event::Drifted(drifted) => Some(drifted),
            _ => None,
        }
    }

    fn idempotency_key(&self) -> Option<IdempotencyKey> {
        Some(self.idempotency_key())
    }
}
